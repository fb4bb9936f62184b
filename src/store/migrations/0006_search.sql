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

-- External content: the text lives once, in search_passage. The triggers are the only thing that writes the index,
-- so it cannot drift from the table whatever writes passages. Title hits weigh three times body hits.
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_passage', content_rowid='id', tokenize='vi');
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');

CREATE TRIGGER search_passage_ai AFTER INSERT ON search_passage BEGIN
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER search_passage_ad AFTER DELETE ON search_passage BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER search_passage_au AFTER UPDATE ON search_passage BEGIN
  INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
