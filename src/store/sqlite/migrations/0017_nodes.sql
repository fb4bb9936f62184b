-- More than one node on one database (PostgreSQL): what the nodes must share beyond the data itself. SQLite serves
-- one process, which keeps its generation and rate windows in memory and runs every reminder scan it starts; the
-- tables exist here too so that both engines have one schema.
-- (PostgreSQL also has a sequence, data_generation, that the caches of several nodes follow: one process needs none.)
-- rate_window: requests counted per bucket (ask, signup...), client address and minute, across nodes
-- (src/store/ratelimit.c); windows older than the current one are deleted now and then.
CREATE TABLE rate_window (
  bucket TEXT NOT NULL,
  client TEXT NOT NULL,
  win    INTEGER NOT NULL,   -- unix minutes
  hits   INTEGER NOT NULL,
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
