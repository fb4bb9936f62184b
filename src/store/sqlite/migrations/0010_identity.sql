-- The year's identity kit (images, sound, graphics, short films) as downloadable files, and the Prime Minister's
-- message for the Day. Files live in the blob store under their SHA-256; the type is the one read from the bytes.
CREATE TABLE identity_item (
  id         INTEGER PRIMARY KEY,
  year       INTEGER NOT NULL REFERENCES campaign(year),
  title      TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  name       TEXT NOT NULL,
  mime       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_by INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL
);
CREATE INDEX identity_item_year ON identity_item(year, id);

CREATE TABLE campaign_message (
  year       INTEGER PRIMARY KEY REFERENCES campaign(year),
  text       TEXT NOT NULL,
  signed_by  TEXT,
  updated_at TEXT NOT NULL
);
