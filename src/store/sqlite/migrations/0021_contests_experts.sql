-- The base rows two new systems hang from: contests (awards and quiz contests, issue 17) and the national network of
-- digital transformation experts (issue 18). Each system adds its own tables in later migrations.

-- A contest of a campaign year, organised by a unit. kind 'award': entries judged by jurors (the VDA, honours);
-- kind 'quiz': a knowledge contest of timed rounds. Nothing of it is public before published_at, except its page.
CREATE TABLE contest (
  id           INTEGER PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,            -- /cuoc-thi/{slug}
  kind         TEXT NOT NULL CHECK (kind IN ('award', 'quiz')),
  year         INTEGER NOT NULL REFERENCES campaign(year),
  org_id       INTEGER NOT NULL REFERENCES org_unit(id),   -- the organising unit: its officers run the contest
  title        TEXT NOT NULL,
  title_folded TEXT NOT NULL,                   -- text_fold(title): search without diacritics
  rules_md     TEXT NOT NULL DEFAULT '',
  opens_at     TEXT NOT NULL,                   -- ISO 8601 UTC: entries (or the first round) open
  closes_at    TEXT NOT NULL,                   -- entries close; quiz contests: the last round's end
  results_at   TEXT,                            -- results become public; NULL = not set yet
  status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'judging', 'published', 'cancelled')),
  created_by   INTEGER REFERENCES app_user(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX contest_year ON contest(year, kind);

-- The expertise fields the centre keeps (digital government, data, cybersecurity ...).
CREATE TABLE expert_field (
  code   TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  sort   INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO expert_field (code, name, sort) VALUES
  ('digital_gov', 'Chính phủ số', 1),
  ('digital_economy', 'Kinh tế số', 2),
  ('digital_society', 'Xã hội số', 3),
  ('data', 'Dữ liệu', 4),
  ('cybersecurity', 'An toàn thông tin mạng', 5),
  ('ai', 'Trí tuệ nhân tạo', 6),
  ('digital_skills', 'Kỹ năng số', 7),
  ('digital_infra', 'Hạ tầng số', 8),
  ('platforms', 'Nền tảng số', 9);

-- An expert of the national network. public_fields says which of the profile the expert chose to show in the public
-- directory (JSON array of column names among title, organisation, bio, languages, email, phone); name, province and
-- fields are always public once approved. user_id when the expert signs in.
CREATE TABLE expert (
  id               INTEGER PRIMARY KEY,
  user_id          INTEGER REFERENCES app_user(id),
  name             TEXT NOT NULL,
  name_folded      TEXT NOT NULL,
  title            TEXT,                        -- học hàm, học vị, chức danh
  organisation     TEXT,
  org_id           INTEGER REFERENCES org_unit(id),         -- the unit the expert belongs to, when it is one of ours
  province_id      INTEGER REFERENCES org_unit(id),
  email            TEXT,
  phone            TEXT,
  languages        TEXT NOT NULL DEFAULT '["vi"]',          -- JSON array of ISO 639-1 codes
  bio              TEXT NOT NULL DEFAULT '',
  public_fields    TEXT NOT NULL DEFAULT '["title","organisation","bio","languages"]',
  accepts_requests INTEGER NOT NULL DEFAULT 1,
  trained_on       TEXT,                        -- YYYY-MM-DD the expert completed the network's training (the 1,000 target)
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'paused', 'removed')),
  status_reason    TEXT,
  nominated_by_org INTEGER REFERENCES org_unit(id),         -- NULL when the expert applied
  created_by       INTEGER REFERENCES app_user(id),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX expert_status ON expert(status, province_id);
CREATE UNIQUE INDEX expert_user ON expert(user_id) WHERE user_id IS NOT NULL;

CREATE TABLE expert_expertise (
  expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
  field_code TEXT NOT NULL REFERENCES expert_field(code),
  PRIMARY KEY (expert_id, field_code)
);
CREATE INDEX expert_expertise_field ON expert_expertise(field_code);
