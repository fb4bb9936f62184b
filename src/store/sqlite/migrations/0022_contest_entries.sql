-- Award contests (issue 17): categories and who may enter them, the entry form, judging criteria, rounds, jurors and
-- their conflicts, scores, decisions and the honours (winners with a certificate code). Quiz contests are elsewhere.

-- The scale jurors score on (integers), and whether jurors see the applicant's name.
ALTER TABLE contest ADD COLUMN score_min INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contest ADD COLUMN score_max INTEGER NOT NULL DEFAULT 10;
ALTER TABLE contest ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;

-- A category and who may enter it: a comma list of organisation, enterprise, individual, youth.
CREATE TABLE contest_category (
  id         INTEGER PRIMARY KEY,
  contest_id INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  eligible   TEXT NOT NULL,
  sort       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (contest_id, code)
);

-- The entry form: the report forms' kinds (integer, decimal, bool, text, choice) plus longtext and file.
CREATE TABLE contest_field (
  id         INTEGER PRIMARY KEY,
  contest_id INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  label      TEXT NOT NULL,
  type       TEXT NOT NULL CHECK (type IN ('integer', 'decimal', 'bool', 'text', 'longtext', 'choice', 'file')),
  required   INTEGER NOT NULL DEFAULT 0,
  choices    TEXT,                               -- JSON array for 'choice'
  max_bytes  INTEGER,                            -- 'file': the largest file accepted
  help       TEXT,
  sort       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (contest_id, code)
);

CREATE TABLE contest_criterion (
  id         INTEGER PRIMARY KEY,
  contest_id INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  code       TEXT NOT NULL,
  name       TEXT NOT NULL,
  weight     REAL NOT NULL CHECK (weight > 0),
  sort       INTEGER NOT NULL DEFAULT 0,
  UNIQUE (contest_id, code)
);

-- Rounds in order (1 eligibility, 2 shortlist, 3 final ...); a closed round's scores and decisions are final.
CREATE TABLE contest_round (
  id         INTEGER PRIMARY KEY,
  contest_id INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('eligibility', 'shortlist', 'final')),
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  UNIQUE (contest_id, seq)
);

-- An entry, or a unit's nomination of a person or team (nominee set). round_seq: the round the entry has reached.
CREATE TABLE contest_entry (
  id             INTEGER PRIMARY KEY,
  contest_id     INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  category_id    INTEGER NOT NULL REFERENCES contest_category(id),
  user_id        INTEGER NOT NULL REFERENCES app_user(id),
  applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('organisation', 'enterprise', 'individual', 'youth')),
  org_id         INTEGER REFERENCES org_unit(id),   -- the unit entering or nominating
  enterprise     TEXT,                              -- an enterprise's name
  applicant_name TEXT NOT NULL,
  nominee        TEXT,
  title          TEXT NOT NULL,
  fields         TEXT NOT NULL DEFAULT '{}',        -- JSON: field code → value (files: {sha, name, size, mime})
  status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'withdrawn')),
  round_seq      INTEGER NOT NULL DEFAULT 0,
  eligible       INTEGER,                           -- NULL until the eligibility round decides
  reason         TEXT,                              -- why not eligible
  award          TEXT,                              -- the prize, for a winner
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  submitted_at   TEXT
);
CREATE INDEX contest_entry_contest ON contest_entry(contest_id, category_id, status);
CREATE INDEX contest_entry_user ON contest_entry(user_id);

-- Jurors per category; org_id and enterprise: where the juror works (entries from there are never shown).
CREATE TABLE contest_juror (
  id          INTEGER PRIMARY KEY,
  contest_id  INTEGER NOT NULL REFERENCES contest(id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES contest_category(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES app_user(id),
  org_id      INTEGER REFERENCES org_unit(id),
  enterprise  TEXT,
  created_at  TEXT NOT NULL,
  UNIQUE (category_id, user_id)
);

CREATE TABLE contest_conflict (
  entry_id   INTEGER NOT NULL REFERENCES contest_entry(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES app_user(id),
  reason     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (entry_id, user_id)
);

CREATE TABLE contest_score (
  entry_id     INTEGER NOT NULL REFERENCES contest_entry(id) ON DELETE CASCADE,
  round_id     INTEGER NOT NULL REFERENCES contest_round(id),
  criterion_id INTEGER NOT NULL REFERENCES contest_criterion(id),
  juror_id     INTEGER NOT NULL REFERENCES app_user(id),
  score        INTEGER NOT NULL,
  comment      TEXT NOT NULL DEFAULT '',
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (entry_id, round_id, criterion_id, juror_id)
);

-- The organiser's decisions, in order: eligible / ineligible (with a reason), advance to a round, winner.
CREATE TABLE contest_decision (
  id         INTEGER PRIMARY KEY,
  entry_id   INTEGER NOT NULL REFERENCES contest_entry(id) ON DELETE CASCADE,
  round_seq  INTEGER NOT NULL,
  decision   TEXT NOT NULL CHECK (decision IN ('eligible', 'ineligible', 'advance', 'winner')),
  reason     TEXT,
  decided_by INTEGER REFERENCES app_user(id),
  decided_at TEXT NOT NULL
);

-- A winner's certificate of honour, verified at /chung-nhan/{code}.
CREATE TABLE contest_honour (
  id         INTEGER PRIMARY KEY,
  entry_id   INTEGER NOT NULL UNIQUE REFERENCES contest_entry(id) ON DELETE CASCADE,
  code       TEXT NOT NULL UNIQUE,
  award      TEXT NOT NULL,
  issued_at  TEXT NOT NULL
);
