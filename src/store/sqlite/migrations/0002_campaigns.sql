-- One campaign per year (Ngày Chuyển đổi số quốc gia năm YYYY) with its theme and key dates.
CREATE TABLE campaign (
  year       INTEGER PRIMARY KEY,
  theme      TEXT,
  day        TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE campaign_date (
  id    INTEGER PRIMARY KEY,
  year  INTEGER NOT NULL REFERENCES campaign(year) ON DELETE CASCADE,
  date  TEXT NOT NULL,
  label TEXT NOT NULL
);
CREATE INDEX campaign_date_year ON campaign_date(year, date);
