-- The digital-skills self-assessment: one anonymous row per response. No account, no IP address and no time finer
-- than the year, so a row can not be matched with access logs; nonce is the form's one-time token (dedup only).
CREATE TABLE skill_response (
  id          INTEGER PRIMARY KEY,
  nonce       TEXT NOT NULL UNIQUE,
  year        INTEGER NOT NULL,                      -- of submission, Asia/Ho_Chi_Minh
  province_id INTEGER REFERENCES org_unit(id),       -- NULL: not given
  age_band    TEXT CHECK (age_band IN ('15-24', '25-34', '35-44', '45-54', '55-64', '65+')),
  sex         TEXT CHECK (sex IN ('nam', 'nu', 'khac', 'khong-noi')),
  setting     TEXT CHECK (setting IN ('thanh-thi', 'nong-thon')),
  lvl1        INTEGER NOT NULL CHECK (lvl1 BETWEEN 0 AND 2),   -- per DigComp area: 0 none, 1 basic, 2 above basic
  lvl2        INTEGER NOT NULL CHECK (lvl2 BETWEEN 0 AND 2),
  lvl3        INTEGER NOT NULL CHECK (lvl3 BETWEEN 0 AND 2),
  lvl4        INTEGER NOT NULL CHECK (lvl4 BETWEEN 0 AND 2),
  lvl5        INTEGER NOT NULL CHECK (lvl5 BETWEEN 0 AND 2),
  overall     TEXT NOT NULL CHECK (overall IN ('no_skills', 'below_basic', 'basic', 'above_basic')),
  answers     TEXT NOT NULL,                         -- JSON {"1.1a": 1, "1.1b": 0, ...}
  demo        INTEGER NOT NULL DEFAULT 0             -- synthetic rows from seed-demo
);
CREATE INDEX skill_response_year ON skill_response(year, province_id);
