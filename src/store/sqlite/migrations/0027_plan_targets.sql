-- Targets (chỉ tiêu) a plan sets, as data: the indicator, its unit of measure, the value as written and, where it can be
-- read, its operator and bounds; the units' actual values per year; what the importer left for a person to look at;
-- and the history of a saved plan's edits.
CREATE TABLE plan_target (
  id           INTEGER PRIMARY KEY,
  plan_id      INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  ref          TEXT,
  sort         INTEGER NOT NULL,
  indicator    TEXT NOT NULL,
  measure      TEXT,                        -- unit of measure as written: "%", "điểm", "hồ sơ"
  target_text  TEXT,                        -- the value as written: "≥ 30 %", "20–50 %", "Top 30"
  op           TEXT CHECK (op IN ('ge', 'gt', 'le', 'lt', 'eq', 'range')),
  lo           REAL,
  hi           REAL,
  year         INTEGER,
  agency       TEXT,                        -- monitoring agency as written
  agency_id    INTEGER REFERENCES org_unit(id),
  warnings     TEXT,                        -- JSON array: what the reviewer should look at
  src_start    INTEGER,
  src_end      INTEGER
);
CREATE INDEX plan_target_plan ON plan_target(plan_id, sort);

CREATE TABLE plan_target_value (
  id           INTEGER PRIMARY KEY,
  target_id    INTEGER NOT NULL REFERENCES plan_target(id) ON DELETE CASCADE,
  year         INTEGER NOT NULL,
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),
  value        REAL NOT NULL,
  value_text   TEXT NOT NULL,
  note         TEXT,
  reported_by  INTEGER REFERENCES app_user(id),
  reported_at  TEXT NOT NULL,
  UNIQUE (target_id, year, org_id)
);

-- Document-level warnings the importer left open when the plan was saved (JSON array), shown on the plan page.
ALTER TABLE plan ADD COLUMN review_notes TEXT;

CREATE TABLE plan_history (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
  task_id     INTEGER REFERENCES task(id) ON DELETE SET NULL,
  field       TEXT NOT NULL,
  old_value   TEXT,
  new_value   TEXT,
  user_id     INTEGER REFERENCES app_user(id),
  at          TEXT NOT NULL
);
CREATE INDEX plan_history_plan ON plan_history(plan_id, id);
