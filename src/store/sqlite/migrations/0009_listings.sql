-- What units put before the public: offers for citizens (ưu đãi) and activities held for the Day (hoạt động),
-- each published only after a moderator approves it.
CREATE TABLE listing (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,                 -- offer | activity
  org_id          INTEGER NOT NULL REFERENCES org_unit(id),
  title           TEXT NOT NULL,
  body            TEXT NOT NULL,
  sector          TEXT,                          -- offers: vien-thong, ngan-hang, thuong-mai-dien-tu, ...
  province_id     INTEGER REFERENCES org_unit(id),
  starts_on       TEXT,
  ends_on         TEXT,
  url             TEXT,
  status          TEXT NOT NULL DEFAULT 'pending', -- pending | approved | rejected
  moderation_note TEXT,
  submitted_by    INTEGER REFERENCES app_user(id),
  moderated_by    INTEGER REFERENCES app_user(id),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX listing_public ON listing(kind, status, starts_on);
CREATE INDEX listing_status ON listing(status, created_at);
