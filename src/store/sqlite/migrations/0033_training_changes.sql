-- Trainings changed after they were announced (issue 18): a class cancelled by its organiser, and the notices its
-- nominees (their accounts, or their units for people without one) read in the app when a class moves or is cancelled.
ALTER TABLE training ADD COLUMN cancelled_at TEXT;
ALTER TABLE training ADD COLUMN cancel_reason TEXT;

CREATE TABLE training_notice (
  id          INTEGER PRIMARY KEY,
  training_id INTEGER NOT NULL REFERENCES training(id) ON DELETE CASCADE,
  nominee_id  INTEGER NOT NULL REFERENCES training_nominee(id) ON DELETE CASCADE,
  user_id     INTEGER REFERENCES app_user(id),
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),
  kind        TEXT NOT NULL CHECK (kind IN ('changed', 'cancelled')),
  message     TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX training_notice_user ON training_notice(user_id, created_at);
CREATE INDEX training_notice_org ON training_notice(org_id, created_at);
