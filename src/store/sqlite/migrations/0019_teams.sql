-- Community Digital Technology Teams (Tổ công nghệ số cộng đồng), their members, what they guide door to door, and the
-- door-to-door campaigns that count it. No citizen is named anywhere here: an entry holds counts only.

-- A team belongs to a unit: a commune or ward, or a Youth Union branch. Entries dated before founded_on are refused.
CREATE TABLE cdt_team (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),
  name        TEXT NOT NULL,
  name_folded TEXT NOT NULL,            -- text_fold(name): search without diacritics
  leader_name TEXT,
  contact     TEXT,                     -- the team's phone or e-mail
  active      INTEGER NOT NULL DEFAULT 1,
  founded_on  TEXT NOT NULL,            -- YYYY-MM-DD
  created_at  TEXT NOT NULL,
  created_by  INTEGER REFERENCES app_user(id),
  UNIQUE (org_id, name)
);
CREATE INDEX cdt_team_org ON cdt_team(org_id);

-- A member; user_id once the member signs in (role team_member on the team's unit, see user_role).
CREATE TABLE cdt_member (
  id         INTEGER PRIMARY KEY,
  team_id    INTEGER NOT NULL REFERENCES cdt_team(id),
  name       TEXT NOT NULL,
  team_role  TEXT NOT NULL DEFAULT 'member',      -- leader | deputy | member
  origin     TEXT NOT NULL DEFAULT 'volunteer',   -- commune_official | youth_union | police | post | telecom | volunteer | other
  phone      TEXT,
  email      TEXT,
  user_id    INTEGER REFERENCES app_user(id),
  active     INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE INDEX cdt_member_team ON cdt_member(team_id);
CREATE INDEX cdt_member_user ON cdt_member(user_id);

-- What a team guides people in; the centre may add more (active = 0 hides one from new entries).
CREATE TABLE guidance_service (
  code   TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  sort   INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO guidance_service (code, name, sort) VALUES
  ('vneid', 'Định danh điện tử VNeID', 1),
  ('dvc', 'Dịch vụ công trực tuyến', 2),
  ('cashless', 'Thanh toán không dùng tiền mặt (QR)', 3),
  ('ecommerce', 'Thương mại điện tử', 4),
  ('health', 'Sổ sức khỏe điện tử', 5),
  ('signature', 'Chữ ký số', 6),
  ('safe_internet', 'An toàn trên mạng, nhận biết lừa đảo', 7);

-- A door-to-door campaign (e.g. 01/10–10/10): every entry dated in its window counts towards it.
CREATE TABLE dtd_campaign (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  starts_on  TEXT NOT NULL,             -- YYYY-MM-DD, inclusive
  ends_on    TEXT NOT NULL,             -- YYYY-MM-DD, inclusive
  services   TEXT NOT NULL,             -- JSON array of guidance_service codes it counts
  created_by INTEGER REFERENCES app_user(id),
  created_at TEXT NOT NULL
);
-- Optional targets: people to guide, per province.
CREATE TABLE dtd_target (
  campaign_id INTEGER NOT NULL REFERENCES dtd_campaign(id),
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),
  people      INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, org_id)
);

-- One visit's counts. client_id is made on the phone: a second send of the same entry finds the first.
CREATE TABLE guidance_entry (
  id          INTEGER PRIMARY KEY,
  client_id   TEXT NOT NULL UNIQUE,
  team_id     INTEGER NOT NULL REFERENCES cdt_team(id),
  org_id      INTEGER NOT NULL REFERENCES org_unit(id),   -- the team's unit when logged: the aggregates' key
  user_id     INTEGER NOT NULL REFERENCES app_user(id),
  day         TEXT NOT NULL,            -- YYYY-MM-DD, the visit
  place       TEXT,                     -- thôn, tổ dân phố
  people      INTEGER NOT NULL,         -- 1..500
  male        INTEGER,                  -- the splits are optional; each adds to no more than people
  female      INTEGER,
  age_u18     INTEGER,
  age_18_35   INTEGER,
  age_36_59   INTEGER,
  age_60p     INTEGER,
  services    TEXT NOT NULL,            -- JSON array of guidance_service codes, as sent
  created_at  TEXT NOT NULL
);
CREATE INDEX guidance_entry_team ON guidance_entry(team_id, day);
CREATE INDEX guidance_entry_org ON guidance_entry(org_id, day);
CREATE TABLE guidance_entry_service (
  entry_id INTEGER NOT NULL REFERENCES guidance_entry(id),
  service  TEXT NOT NULL REFERENCES guidance_service(code),
  PRIMARY KEY (entry_id, service)
);

-- Kept on write, in the entry's transaction (millions of entries are too many to sum per page view): per unit and day,
-- and per unit, day and service. Subtrees sum these through org_unit.path.
CREATE TABLE guidance_day (
  org_id   INTEGER NOT NULL REFERENCES org_unit(id),
  day      TEXT NOT NULL,
  entries  INTEGER NOT NULL,
  people   INTEGER NOT NULL,
  male     INTEGER NOT NULL,
  female   INTEGER NOT NULL,
  age_u18  INTEGER NOT NULL,
  age_18_35 INTEGER NOT NULL,
  age_36_59 INTEGER NOT NULL,
  age_60p  INTEGER NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE INDEX guidance_day_day ON guidance_day(day);
CREATE TABLE guidance_day_service (
  org_id  INTEGER NOT NULL REFERENCES org_unit(id),
  day     TEXT NOT NULL,
  service TEXT NOT NULL,
  people  INTEGER NOT NULL,
  PRIMARY KEY (org_id, day, service)
);

-- Exemplary teams and members the centre marks for a campaign (public once marked).
CREATE TABLE cdt_honour (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES dtd_campaign(id),
  team_id     INTEGER REFERENCES cdt_team(id),
  member_id   INTEGER REFERENCES cdt_member(id),
  citation    TEXT NOT NULL,
  created_by  INTEGER REFERENCES app_user(id),
  created_at  TEXT NOT NULL,
  CHECK (team_id IS NOT NULL OR member_id IS NOT NULL)
);
