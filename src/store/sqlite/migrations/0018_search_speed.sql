-- search_generation: PostgreSQL's count of changes to the search passages (see src/store/pg/migrations/0018), which
-- lets a connection keep its counts of terms until the passages change. SQLite's db_version does that job here: the
-- table exists so that both engines have one schema, and nothing writes it.
CREATE TABLE search_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL,
  tx INTEGER
);
INSERT INTO search_generation (id, n) VALUES (1, 1);
