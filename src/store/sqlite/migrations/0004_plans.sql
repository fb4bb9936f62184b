-- Plans and their tasks. A plan cites its parent plan; a task cites the parent plan's task it carries out.
-- Recurring tasks keep one template row and one instance row per period (instance_of, period).
CREATE TABLE plan (
  id             INTEGER PRIMARY KEY,
  number         TEXT,
  number_folded  TEXT,
  issued         TEXT,
  issuer         TEXT,
  issuer_id      INTEGER REFERENCES org_unit(id),
  title          TEXT NOT NULL,
  theme          TEXT,
  campaign_year  INTEGER,
  parent_id      INTEGER REFERENCES plan(id),
  source_kind    TEXT NOT NULL,
  source_name    TEXT,
  source_sha256  TEXT,
  source_text    TEXT NOT NULL,
  created_by     INTEGER REFERENCES app_user(id),
  created_at     TEXT NOT NULL
);
CREATE INDEX plan_number ON plan(number_folded);
CREATE INDEX plan_parent ON plan(parent_id);

CREATE TABLE plan_cite (
  plan_id       INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  number        TEXT NOT NULL,
  cited_plan_id INTEGER REFERENCES plan(id),
  PRIMARY KEY (plan_id, number)
);

CREATE TABLE task (
  id             INTEGER PRIMARY KEY,
  plan_id        INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  ref            TEXT NOT NULL,
  sort           INTEGER NOT NULL,
  title          TEXT NOT NULL,
  deliverable    TEXT,
  due            TEXT,
  window_from    TEXT,
  window_to      TEXT,
  recurrence     TEXT,
  instance_of    INTEGER REFERENCES task(id) ON DELETE CASCADE,
  period         TEXT,
  parent_task_id INTEGER REFERENCES task(id),
  status         TEXT NOT NULL DEFAULT 'not_started',
  progress       INTEGER NOT NULL DEFAULT 0,
  done_on        TEXT,
  warnings       TEXT,
  src_start      INTEGER,
  src_end        INTEGER
);
CREATE INDEX task_plan ON task(plan_id, sort);
CREATE INDEX task_due ON task(due);
CREATE INDEX task_instance ON task(instance_of);

-- Units named in a task, as written and as resolved (org_id is NULL when the resolver could not tell).
CREATE TABLE task_unit (
  task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  role    TEXT NOT NULL,
  name    TEXT NOT NULL,
  org_id  INTEGER REFERENCES org_unit(id),
  PRIMARY KEY (task_id, role, name)
);
CREATE INDEX task_unit_org ON task_unit(org_id, role);

CREATE TABLE file_blob (
  sha256     TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  mime       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE task_update (
  id           INTEGER PRIMARY KEY,
  task_id      INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  org_id       INTEGER REFERENCES org_unit(id),
  user_id      INTEGER REFERENCES app_user(id),
  at           TEXT NOT NULL,
  status       TEXT NOT NULL,
  progress     INTEGER NOT NULL,
  note         TEXT,
  evidence_url TEXT,
  evidence_sha TEXT REFERENCES file_blob(sha256),
  obstacles    TEXT
);
CREATE INDEX task_update_task ON task_update(task_id, id);

CREATE TABLE report_deadline (
  id      INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  what    TEXT NOT NULL,
  to_text TEXT,
  to_id   INTEGER REFERENCES org_unit(id),
  due     TEXT NOT NULL
);

-- In-app reminders; e-mail goes out for the same rows when SMTP is configured.
CREATE TABLE notification (
  id         INTEGER PRIMARY KEY,
  org_id     INTEGER NOT NULL REFERENCES org_unit(id),
  task_id    INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  emailed_at TEXT,
  UNIQUE (org_id, task_id, kind)
);

-- What the importer read, kept until the reviewer confirms it (or for a day).
CREATE TABLE plan_draft (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  json        TEXT NOT NULL,
  source_text TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT,
  source_sha  TEXT,
  created_at  TEXT NOT NULL
);
