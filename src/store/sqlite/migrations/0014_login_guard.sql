-- Sign-in guard: every attempt admitted for a password check is kept as a failure until it succeeds (so the window is
-- counted and the attempt recorded in one transaction); browsers that signed in hold a device cookie, stored hashed;
-- notices to the owner of a login someone tried to sign up with, e-mailed by the reminder run.
DROP TABLE login_failure;
CREATE TABLE login_attempt (
  id     INTEGER PRIMARY KEY,
  login  TEXT NOT NULL,      -- the normalised login asked for, whether or not an account has it
  ip     TEXT NOT NULL,
  device TEXT,               -- hash of the device cookie that vouched for the attempt; NULL from an untrusted client
  at     INTEGER NOT NULL    -- unix seconds
);
CREATE INDEX login_attempt_login ON login_attempt(login, at) WHERE device IS NULL;
CREATE INDEX login_attempt_ip ON login_attempt(ip, at) WHERE device IS NULL;
CREATE INDEX login_attempt_device ON login_attempt(device, at) WHERE device IS NOT NULL;
CREATE INDEX login_attempt_at ON login_attempt(at);
CREATE TABLE login_device (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX login_device_user ON login_device(user_id, created_at);
CREATE TABLE account_notice (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,   -- signup.taken
  created_at TEXT NOT NULL,
  emailed_at TEXT
);
CREATE INDEX account_notice_user ON account_notice(user_id, kind, created_at);
CREATE INDEX account_notice_pending ON account_notice(emailed_at) WHERE emailed_at IS NULL;
