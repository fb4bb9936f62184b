-- Reporting forms (a data set in DHIS2's words): indicators, the units a form is assigned to, its period type
-- and dates; one submission per form, unit and period with its values and every earlier version kept.
CREATE TABLE form (
  id             INTEGER PRIMARY KEY,
  code           TEXT NOT NULL UNIQUE,
  campaign_year  INTEGER REFERENCES campaign(year),
  kind           TEXT NOT NULL,              -- plan | report | other
  title          TEXT NOT NULL,
  description    TEXT,
  period_type    TEXT NOT NULL,              -- campaign | quarter | month | custom
  window_from    TEXT,                       -- custom window; the campaign year otherwise
  window_to      TEXT,
  due            TEXT,                       -- single-period forms
  due_days       INTEGER NOT NULL DEFAULT 0, -- recurring forms: days after the period ends
  late_days      INTEGER NOT NULL DEFAULT 0, -- grace after the due date before a submission counts as late
  lock_on        TEXT,                       -- single-period forms: no submission after this day
  lock_days      INTEGER,                    -- recurring forms: days after the period ends
  needs_approval INTEGER NOT NULL DEFAULT 0,
  allows_plan    INTEGER NOT NULL DEFAULT 0, -- a plan document may be attached and is read by the importer
  builtin        INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX form_campaign ON form(campaign_year, kind);

CREATE TABLE indicator (
  id        INTEGER PRIMARY KEY,
  form_id   INTEGER NOT NULL REFERENCES form(id) ON DELETE CASCADE,
  code      TEXT NOT NULL,
  sort      INTEGER NOT NULL,
  label     TEXT NOT NULL,
  type      TEXT NOT NULL,                   -- integer | decimal | bool | text | choice
  unit      TEXT,
  required  INTEGER NOT NULL DEFAULT 0,
  min       REAL,
  max       REAL,
  choices   TEXT,                            -- JSON array of strings for type choice
  help      TEXT,
  UNIQUE (form_id, code)
);

-- Cross-field rules: left op right, both indicator codes of the same form.
CREATE TABLE form_rule (
  id      INTEGER PRIMARY KEY,
  form_id INTEGER NOT NULL REFERENCES form(id) ON DELETE CASCADE,
  left    TEXT NOT NULL,
  op      TEXT NOT NULL,                     -- <= < >= > = !=
  right   TEXT NOT NULL,
  message TEXT NOT NULL
);

-- A unit is expected when it matches any row: every non-null column of the row must match.
CREATE TABLE form_assign (
  id      INTEGER PRIMARY KEY,
  form_id INTEGER NOT NULL REFERENCES form(id) ON DELETE CASCADE,
  kind    TEXT,
  level   TEXT,
  org_id  INTEGER REFERENCES org_unit(id)    -- the subtree rooted here
);
CREATE INDEX form_assign_form ON form_assign(form_id);

-- Per-unit lock exceptions: the unit may still submit until the given day.
CREATE TABLE form_lock_exception (
  form_id INTEGER NOT NULL REFERENCES form(id) ON DELETE CASCADE,
  org_id  INTEGER NOT NULL REFERENCES org_unit(id),
  until   TEXT NOT NULL,
  reason  TEXT,
  PRIMARY KEY (form_id, org_id)
);

-- top_id is the unit's ancestor just below the nation when it submitted (its province, or itself for central
-- bodies), kept so totals by province need no tree walk; org_path likewise for subtree ranges.
CREATE TABLE submission (
  id           INTEGER PRIMARY KEY,
  form_id      INTEGER NOT NULL REFERENCES form(id),
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),
  period       TEXT NOT NULL,
  status       TEXT NOT NULL,                -- draft | submitted | returned | approved
  version      INTEGER NOT NULL DEFAULT 1,
  first_submitted_at TEXT,
  submitted_at TEXT,
  submitted_on TEXT,                         -- the day (Asia/Ho_Chi_Minh) of the first submission, for timeliness
  on_time      INTEGER,
  top_id       INTEGER NOT NULL,
  org_path     TEXT NOT NULL,
  org_kind     TEXT NOT NULL,
  plan_id      INTEGER REFERENCES plan(id),
  file_sha256  TEXT,
  file_name    TEXT,
  comment      TEXT,
  review_note  TEXT,
  updated_by   INTEGER REFERENCES app_user(id),
  updated_at   TEXT NOT NULL,
  UNIQUE (form_id, org_id, period)
);
CREATE INDEX submission_form_path ON submission(form_id, period, org_path);
CREATE INDEX submission_org ON submission(org_id);
CREATE INDEX submission_top ON submission(form_id, period, top_id);

CREATE TABLE submission_value (
  submission_id INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
  indicator_id  INTEGER NOT NULL REFERENCES indicator(id),
  num           REAL,
  txt           TEXT,
  PRIMARY KEY (submission_id, indicator_id)
) WITHOUT ROWID;

-- Every save, submission, approval and return, with the values as they were: nothing is overwritten unseen.
CREATE TABLE submission_history (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  at            TEXT NOT NULL,
  user_id       INTEGER REFERENCES app_user(id),
  action        TEXT NOT NULL,               -- save | submit | approve | return | upload
  status        TEXT NOT NULL,
  vals          TEXT NOT NULL,               -- JSON object code → value
  note          TEXT
);
CREATE INDEX submission_history_sub ON submission_history(submission_id, id);

-- Totals of received (submitted or approved) values by form, period, top unit and kind of unit, kept in the
-- same transaction as every change so the national dashboard reads a few hundred rows, not a million.
CREATE TABLE form_total (
  form_id      INTEGER NOT NULL,
  period       TEXT NOT NULL,
  top_id       INTEGER NOT NULL,
  org_kind     TEXT NOT NULL,
  indicator_id INTEGER NOT NULL,
  total        REAL NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (form_id, period, top_id, org_kind, indicator_id)
) WITHOUT ROWID;
