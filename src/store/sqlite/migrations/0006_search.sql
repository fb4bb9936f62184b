-- Public search and the assistant's retrieval: paragraph-sized passages of plans, tasks, articles, FAQ ... and their
-- FTS5 index with the Vietnamese tokenizer 'vi' (src/search/tokenizer.c), which db_open registers on every connection.
CREATE TABLE search_passage (
  id     INTEGER PRIMARY KEY,
  kind   TEXT NOT NULL,              -- plan | task | article | faq | offer | activity | course ...
  ref_id INTEGER NOT NULL,           -- the item's id in its own table
  seq    INTEGER NOT NULL,           -- the chunk's place in the item, from 0
  title  TEXT NOT NULL,              -- the item's title, repeated on every chunk
  body   TEXT NOT NULL,
  url    TEXT NOT NULL,
  date   TEXT,
  UNIQUE (kind, ref_id, seq)
);

-- Kinds are numbered because a passage's id is chosen, not assigned: kind << 40 | item << 16 | seq (store/search.h),
-- so FTS5's rowids alone say which item a hit belongs to and a kind is a range of rowids.
CREATE TABLE search_kind (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- External content: the text lives once, in search_passage. The triggers are the only thing that writes the index,
-- so it cannot drift from the table whatever writes passages. Ranked by vi_rank (src/search/tokenizer.c): BM25 where
-- a title hit weighs three body hits.
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_passage', content_rowid='id', tokenize='vi');
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'vi_rank(3.0, 1.0)');

-- The number of passages, read by every query (see search_vocab below) and too slow to count each time.
CREATE TABLE search_count (n INTEGER NOT NULL);
INSERT INTO search_count (n) VALUES (0);

CREATE TRIGGER search_passage_ai AFTER INSERT ON search_passage BEGIN
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
  UPDATE search_count SET n = n + 1;
END;
CREATE TRIGGER search_passage_ad AFTER DELETE ON search_passage BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  UPDATE search_count SET n = n - 1;
END;
CREATE TRIGGER search_passage_au AFTER UPDATE ON search_passage BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- How many passages hold each term: a query leaves out terms in more than half of them, whose BM25 weight is nil.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
