-- More than one node on one database: what the nodes must share beyond the data itself.
-- PostgreSQL twin of the SQLite migration; unix minutes and the generation are BIGINT.
-- data_generation: a sequence moved on right after every commit that changed rows (src/store/pg/pg.c); the caches that
-- live "until the next write" follow it, so a write on one node empties the others' at once. A sequence, not a row: a
-- row would make every writer wait for the one before it to finish its commit.
CREATE SEQUENCE data_generation;
-- rate_window: requests counted per bucket (ask, signup...), client address and minute, across nodes
-- (src/store/ratelimit.c); windows older than the current one are deleted now and then.
CREATE TABLE rate_window (
  bucket TEXT NOT NULL,
  client TEXT NOT NULL,
  win    BIGINT NOT NULL,   -- unix minutes
  hits   BIGINT NOT NULL,
  PRIMARY KEY (bucket, client, win)
);
CREATE INDEX rate_window_win ON rate_window(win);
-- job_run: one row per run of a periodic job (the reminder scan) and period (the UTC hour): the key lets one node
-- claim the hour; finished_at empty means a run is under way (src/store/remind.c).
CREATE TABLE job_run (
  job         TEXT NOT NULL,
  period      TEXT NOT NULL,   -- YYYY-MM-DDTHH, UTC
  node        TEXT NOT NULL,   -- host and process that ran it, for the operator
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  PRIMARY KEY (job, period)
);
