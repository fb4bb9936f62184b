-- Account basics (issue 15): password reset tokens (stored as SHA-256, single use, short-lived), deleted accounts
-- (kept as an empty row so audit entries and issued certificates still point somewhere), the unit an audit entry is about.
CREATE TABLE password_reset (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created_by  INTEGER REFERENCES app_user(id),   -- NULL: asked for by e-mail; else the admin who made the link
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
CREATE INDEX password_reset_user ON password_reset(user_id);
ALTER TABLE app_user ADD COLUMN deleted_at TEXT;
ALTER TABLE audit_log ADD COLUMN org_id INTEGER;
UPDATE audit_log SET org_id = CAST(json_extract(detail, '$.org_id') AS INTEGER)
 WHERE json_valid(detail) AND json_type(detail, '$.org_id') = 'integer';
CREATE INDEX audit_log_org ON audit_log(org_id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
