-- Partners proposed by a plan saved outside their subtree reach the unit's inbox, reminders and the public portal only
-- once its own officers or coordinators accept (then they join task_unit); and who uploaded each stored file.
CREATE TABLE task_unit_proposal (
  id          INTEGER PRIMARY KEY,
  task_id     INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  role        TEXT NOT NULL,
  name        TEXT NOT NULL,
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),
  proposed_by INTEGER REFERENCES app_user(id),
  proposed_at TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'proposed',   -- proposed | accepted | declined
  decided_by  INTEGER REFERENCES app_user(id),
  decided_at  TEXT,
  UNIQUE (task_id, role, name)
);
CREATE INDEX task_unit_proposal_org ON task_unit_proposal(org_id, status);

-- Who uploaded each stored file: a sheet previewed by its hash can be confirmed only by the person who uploaded it.
CREATE TABLE file_upload (
  sha256  TEXT NOT NULL REFERENCES file_blob(sha256),
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  at      TEXT NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
