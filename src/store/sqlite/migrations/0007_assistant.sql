-- The virtual assistant's memory: questions it could not answer well, sent to the editors, and the FAQ entries
-- editors write (from those questions or on their own), which the assistant then searches like any document.
CREATE TABLE faq (
  id         INTEGER PRIMARY KEY,
  question   TEXT NOT NULL,
  answer     TEXT NOT NULL,
  source_url TEXT,
  created_by INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE asked_question (
  id          INTEGER PRIMARY KEY,
  question    TEXT NOT NULL,
  contact     TEXT,
  confidence  REAL,
  status      TEXT NOT NULL DEFAULT 'open',   -- open | answered | dismissed
  answer      TEXT,
  faq_id      INTEGER REFERENCES faq(id),
  answered_by INTEGER REFERENCES app_user(id),
  asked_at    TEXT NOT NULL,
  answered_at TEXT
);
CREATE INDEX asked_question_status ON asked_question(status, asked_at);
