-- Knowledge contests (cuộc thi tìm hiểu, issue 17): a contest of kind 'quiz' has numbered rounds, each open for a
-- window with its own questions (the MOOC's question format), a time limit and prizes; participants keep one profile.

-- prizes: JSON array in rank order, [{"name": "Giải Nhất", "count": 1}, ...]: the first count winners take the first.
CREATE TABLE quiz_round (
  id           INTEGER PRIMARY KEY,
  contest_id   INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  n            INTEGER NOT NULL CHECK (n >= 1),          -- /cuoc-thi/{slug}/vong/{n}
  title        TEXT NOT NULL,
  opens_at     TEXT NOT NULL,                            -- ISO 8601 UTC
  closes_at    TEXT NOT NULL,
  time_limit_s INTEGER NOT NULL DEFAULT 600 CHECK (time_limit_s BETWEEN 30 AND 7200),
  prizes       TEXT NOT NULL DEFAULT '[]',
  UNIQUE (contest_id, n)
);

-- The same columns and meaning as the MOOC's question (0011_mooc.sql): scored by the same code (store/learning.h).
CREATE TABLE contest_question (
  id       INTEGER PRIMARY KEY,
  round_id INTEGER NOT NULL REFERENCES quiz_round(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse', 'short')),
  prompt   TEXT NOT NULL,
  options  TEXT NOT NULL DEFAULT '[]',
  answer   TEXT NOT NULL,
  explain  TEXT NOT NULL DEFAULT '',
  UNIQUE (round_id, seq)
);

-- Asked once per account, kept for every later round and contest.
CREATE TABLE contest_participant (
  user_id     INTEGER PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  province_id INTEGER NOT NULL REFERENCES org_unit(id),
  age_band    TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

-- One attempt per participant and round. Started when the questions are served (qorder: their seqs in the order
-- served); score (right answers) and time_ms (capped at the limit) are set once, on submission. province_id is the
-- participant's, copied so the per-province ranking reads one index.
CREATE TABLE contest_attempt (
  id          INTEGER PRIMARY KEY,
  round_id    INTEGER NOT NULL REFERENCES quiz_round(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  province_id INTEGER NOT NULL REFERENCES org_unit(id),
  qorder      TEXT NOT NULL,
  started_ms  INTEGER NOT NULL,                          -- Unix time in milliseconds, the server's clock
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  time_ms     INTEGER,
  score       INTEGER,
  late        INTEGER NOT NULL DEFAULT 0,                -- arrived after the limit and its grace: scored zero
  answers     TEXT,
  UNIQUE (round_id, user_id)
);
-- Rankings read these with LIMIT, and a participant's rank counts the entries ahead of it: nothing sorts every attempt.
CREATE INDEX contest_attempt_rank ON contest_attempt(round_id, score DESC, time_ms, id) WHERE score IS NOT NULL;
CREATE INDEX contest_attempt_rank_province ON contest_attempt(round_id, province_id, score DESC, time_ms, id) WHERE score IS NOT NULL;

-- How many scored attempts of a round fall in each slice of (province, score, ten seconds of time taken); province_id 0
-- counts every province. A participant's rank sums the slices ahead of theirs (a few hundred rows) and counts attempts
-- only inside their own slice: counting every attempt ahead through the index took 40 ms at 200,000 (bench/quiz_contest.sh).
CREATE TABLE contest_rank_slice (
  round_id    INTEGER NOT NULL REFERENCES quiz_round(id) ON DELETE CASCADE,
  province_id INTEGER NOT NULL,
  score       INTEGER NOT NULL,
  slice       INTEGER NOT NULL,                          -- time_ms / 10000
  n           INTEGER NOT NULL,
  PRIMARY KEY (round_id, province_id, score, slice)
) WITHOUT ROWID;
