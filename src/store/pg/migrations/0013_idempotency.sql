-- Answers to state-changing requests sent with an Idempotency-Key, kept a day so that a retry (after a timeout, a
-- dropped connection on a weak signal, a 503) replays the first answer instead of writing twice.
-- PostgreSQL twin of the SQLite migration.
CREATE TABLE idempotency_key (
  scope      TEXT NOT NULL,      -- 'u:<user id>' or 'a:<hash of the visitor's CSRF cookie>'
  key        TEXT NOT NULL,
  method     TEXT NOT NULL,
  path       TEXT NOT NULL,
  status     BIGINT NOT NULL,
  ctype      TEXT,
  location   TEXT,
  body       TEXT NOT NULL,
  created_at BIGINT NOT NULL,    -- unix seconds
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
