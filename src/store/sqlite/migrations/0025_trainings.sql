-- Trainings for officials (issue 18): classes a unit organises, their sessions, trainers (experts of the network),
-- materials, the people units nominate, attendance per session and certificates of completion.

-- A class. Its organisers are the officers and coordinators of org_id (and of the units above it).
CREATE TABLE training (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  audience     TEXT NOT NULL CHECK (audience IN ('leaders', 'officials', 'team_members', 'youth_officers', 'experts')),
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),
  starts_on    TEXT NOT NULL,                  -- YYYY-MM-DD (Vietnamese calendar)
  ends_on      TEXT NOT NULL,
  place        TEXT,
  online_url   TEXT,
  capacity     INTEGER NOT NULL CHECK (capacity > 0),
  min_sessions INTEGER NOT NULL DEFAULT 1,      -- sessions attended to earn the certificate
  description  TEXT NOT NULL DEFAULT '',
  created_by   INTEGER REFERENCES app_user(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX training_org ON training(org_id, starts_on);
CREATE INDEX training_dates ON training(starts_on);

-- A session: local time in Asia/Ho_Chi_Minh, 'YYYY-MM-DDTHH:MM'.
CREATE TABLE training_session (
  id          INTEGER PRIMARY KEY,
  training_id INTEGER NOT NULL REFERENCES training(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  starts_at   TEXT NOT NULL,
  topic       TEXT NOT NULL DEFAULT '',
  UNIQUE (training_id, seq)
);

CREATE TABLE training_trainer (
  training_id INTEGER NOT NULL REFERENCES training(id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES expert(id),
  PRIMARY KEY (training_id, expert_id)
);

-- Materials: an uploaded file (by its hash, as the upload machinery keeps it) or a MOOC course by slug.
CREATE TABLE training_material (
  id          INTEGER PRIMARY KEY,
  training_id INTEGER NOT NULL REFERENCES training(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('file', 'course')),
  title       TEXT NOT NULL,
  file_sha256 TEXT,
  course_slug TEXT,
  created_at  TEXT NOT NULL
);

-- A person a unit nominated: an account, or a name and a unit for people without one. Seats are taken by
-- 'nominated' and 'confirmed'; 'waiting' is the waiting list; 'declined' the organiser's no.
CREATE TABLE training_nominee (
  id           INTEGER PRIMARY KEY,
  training_id  INTEGER NOT NULL REFERENCES training(id) ON DELETE CASCADE,
  user_id      INTEGER REFERENCES app_user(id),
  name         TEXT NOT NULL,
  name_folded  TEXT NOT NULL,
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),   -- the unit the person works for (and that nominated them)
  status       TEXT NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated', 'waiting', 'confirmed', 'declined')),
  nominated_by INTEGER REFERENCES app_user(id),
  created_at   TEXT NOT NULL,
  decided_at   TEXT
);
CREATE INDEX training_nominee_training ON training_nominee(training_id, status);
CREATE UNIQUE INDEX training_nominee_user ON training_nominee(training_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX training_nominee_person ON training_nominee(training_id, org_id, name_folded) WHERE user_id IS NULL;

CREATE TABLE training_attendance (
  session_id  INTEGER NOT NULL REFERENCES training_session(id) ON DELETE CASCADE,
  nominee_id  INTEGER NOT NULL REFERENCES training_nominee(id) ON DELETE CASCADE,
  present     INTEGER NOT NULL,
  recorded_by INTEGER REFERENCES app_user(id),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (session_id, nominee_id)
);

-- Certificates of completion; codes share the course certificates' alphabet and the page /chung-chi/{code}.
CREATE TABLE training_certificate (
  code           TEXT PRIMARY KEY,
  training_id    INTEGER NOT NULL REFERENCES training(id),
  nominee_id     INTEGER NOT NULL UNIQUE REFERENCES training_nominee(id),
  learner_name   TEXT NOT NULL,
  training_title TEXT NOT NULL,
  issued_at      TEXT NOT NULL
);
