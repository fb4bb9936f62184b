-- The expert network at work (issue 18): a unit's request for an expert, the experts matched to it and their answers,
-- and the activities experts give (seminars, consultations, reviews of a unit's plan, trainings). The profiles are
-- migration 0021's expert rows; this adds only what hangs from them.

-- A unit asks for an expert. status: open (waiting for a match), matched (experts proposed, waiting for answers or for
-- the activity), done (an activity closed it), cancelled.
CREATE TABLE expert_request (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),       -- the requesting unit: its officers and those above
  topic       TEXT NOT NULL,
  field_code  TEXT NOT NULL REFERENCES expert_field(code),
  starts_on   TEXT NOT NULL,                                  -- YYYY-MM-DD
  ends_on     TEXT NOT NULL,
  mode        TEXT NOT NULL CHECK (mode IN ('online', 'in_person')),
  place       TEXT NOT NULL DEFAULT '',                       -- an address, or the online meeting's link
  note        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'done', 'cancelled')),
  created_by  INTEGER REFERENCES app_user(id),
  created_at  TEXT NOT NULL
);
CREATE INDEX expert_request_org ON expert_request(org_id, status);

-- An expert proposed for a request: the expert (or the centre on their word) accepts or declines.
CREATE TABLE expert_match (
  request_id  INTEGER NOT NULL REFERENCES expert_request(id) ON DELETE CASCADE,
  expert_id   INTEGER NOT NULL REFERENCES expert(id),
  status      TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
  matched_by  INTEGER REFERENCES app_user(id),
  matched_at  TEXT NOT NULL,
  answered_at TEXT,
  PRIMARY KEY (request_id, expert_id)
);
CREATE INDEX expert_match_expert ON expert_match(expert_id, status);

-- What an expert did for a unit, recorded by the expert or the centre; request_id when it answers a request.
CREATE TABLE expert_activity (
  id           INTEGER PRIMARY KEY,
  expert_id    INTEGER NOT NULL REFERENCES expert(id),
  kind         TEXT NOT NULL CHECK (kind IN ('seminar', 'consultation', 'plan_review', 'training')),
  held_on      TEXT NOT NULL,                                 -- YYYY-MM-DD
  field_code   TEXT NOT NULL REFERENCES expert_field(code),   -- what it was about: the quarterly report's field
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),      -- the unit served
  participants INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
  result       TEXT NOT NULL DEFAULT '',
  request_id   INTEGER REFERENCES expert_request(id),
  created_by   INTEGER REFERENCES app_user(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX expert_activity_expert ON expert_activity(expert_id, held_on);
CREATE INDEX expert_activity_held ON expert_activity(held_on);
