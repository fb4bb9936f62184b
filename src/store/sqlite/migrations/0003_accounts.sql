-- Staff accounts, roles scoped to an org subtree, sessions stored hashed, login throttling, the audit log.
CREATE TABLE app_user (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL
);
CREATE TABLE user_role (
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  role    TEXT NOT NULL,
  org_id  INTEGER NOT NULL REFERENCES org_unit(id),
  UNIQUE (user_id, role, org_id)
);
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX session_user ON session(user_id);
CREATE TABLE login_failure (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failure_key ON login_failure(key, at);
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_id   INTEGER REFERENCES app_user(id),
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT,
  detail    TEXT,
  ip        TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
