-- The digital-skills MOOC: courses, lessons, quizzes, enrolments, progress, attempts and certificates.
-- Learners are app_user rows without roles; app_user.email holds the login (an e-mail, or a phone as +84…).
CREATE TABLE course (
  id         INTEGER PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  title      TEXT NOT NULL,
  summary    TEXT NOT NULL DEFAULT '',
  audience   TEXT NOT NULL CHECK (audience IN ('citizen', 'official', 'enterprise', 'youth')),
  area       INTEGER NOT NULL CHECK (area BETWEEN 1 AND 5),   -- DigComp 2.2 competence area it teaches most
  status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  pass_mark  INTEGER NOT NULL DEFAULT 70 CHECK (pass_mark BETWEEN 0 AND 100),  -- percent, for every quiz of the course
  minutes    INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE TABLE lesson (
  id        INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,
  slug      TEXT NOT NULL,
  title     TEXT NOT NULL,
  body_md   TEXT NOT NULL,
  body_html TEXT NOT NULL,     -- rendered once on save (cmark-gfm, raw HTML off)
  minutes   INTEGER NOT NULL DEFAULT 5,
  UNIQUE (course_id, slug),
  UNIQUE (course_id, seq)
);
-- A quiz follows a lesson (lesson_id) or ends the course (lesson_id NULL).
CREATE TABLE quiz (
  id        INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  lesson_id INTEGER REFERENCES lesson(id) ON DELETE CASCADE,
  slug      TEXT NOT NULL,
  title     TEXT NOT NULL,
  seq       INTEGER NOT NULL DEFAULT 0,   -- order in course.json's "quizzes"
  UNIQUE (course_id, slug)
);
-- kind: single | multiple | truefalse | short. options: JSON array of strings (empty for short);
-- answer: JSON — index (single), sorted array of indexes (multiple), true/false, or array of accepted texts (short).
CREATE TABLE question (
  id      INTEGER PRIMARY KEY,
  quiz_id INTEGER NOT NULL REFERENCES quiz(id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  kind    TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'truefalse', 'short')),
  prompt  TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '[]',
  answer  TEXT NOT NULL,
  explain TEXT NOT NULL DEFAULT '',
  UNIQUE (quiz_id, seq)
);
CREATE TABLE enrolment (
  user_id      INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  course_id    INTEGER NOT NULL REFERENCES course(id) ON DELETE CASCADE,
  enrolled_at  TEXT NOT NULL,
  completed_at TEXT,
  PRIMARY KEY (user_id, course_id)
) WITHOUT ROWID;
CREATE TABLE lesson_view (
  user_id   INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  lesson_id INTEGER NOT NULL REFERENCES lesson(id) ON DELETE CASCADE,
  at        TEXT NOT NULL,
  PRIMARY KEY (user_id, lesson_id)
) WITHOUT ROWID;
-- One row per distinct submission: nonce is the form's one-time token, so a submission sent twice counts once.
CREATE TABLE quiz_attempt (
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  quiz_id INTEGER NOT NULL REFERENCES quiz(id) ON DELETE CASCADE,
  nonce   TEXT NOT NULL,
  answers TEXT NOT NULL,
  score   INTEGER NOT NULL,    -- percent
  passed  INTEGER NOT NULL,
  at      TEXT NOT NULL,
  UNIQUE (user_id, quiz_id, nonce)
);
CREATE INDEX quiz_attempt_user ON quiz_attempt(user_id, quiz_id, passed);
-- Issued on completion; code is 26 characters of base32 (130 bits) from libsodium's randombytes.
CREATE TABLE certificate (
  code         TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  course_id    INTEGER NOT NULL REFERENCES course(id),
  learner_name TEXT NOT NULL,
  course_title TEXT NOT NULL,
  issued_at    TEXT NOT NULL,
  UNIQUE (user_id, course_id)
);
