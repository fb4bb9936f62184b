-- Search on PostgreSQL reads the tokens of every passage a query term is in (the counts of a term's passages, the
-- weights that rank them: src/store/search_query.c). Two things make that cheaper.
--
-- The tokens stay in the row (STORAGE MAIN: compressed, moved out only when a row would not fit a page). Out of line,
-- each vector read is a lookup in the TOAST table: measured on 18,500 passages, matching a syllable against every
-- vector took 40 ms out of line and 15 ms in the row, ranking 11,000 hits 45 ms and 20 ms. Rows already written are
-- written again so that they move in (an unchanged vector would keep its place; || with an empty vector makes a new
-- one).
ALTER TABLE search_passage ALTER COLUMN tokens SET STORAGE MAIN;
UPDATE search_passage SET tokens = tokens || CAST('' AS tsvector);

-- search_generation: moved by the first write of passages in each transaction (src/store/search_index.c), read with
-- the data, so a connection keeps its counts of terms until the passages change rather than for one query. A counter
-- per passage would be updated once per passage, which is quadratic inside one transaction (see search_count in
-- 0006); tx, the transaction that last moved it, lets a transaction move it once. SQLite's db_version does this job
-- there: the table exists on both engines for one schema.
CREATE TABLE search_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  BIGINT NOT NULL,
  tx BIGINT
);
INSERT INTO search_generation (id, n) VALUES (1, 1);
