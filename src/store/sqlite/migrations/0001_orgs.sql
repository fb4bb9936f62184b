-- Org units: a tree with validity windows, aliases for the many ways a unit is written, successors for merges.
CREATE TABLE org_unit (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  level       TEXT NOT NULL,
  parent_id   INTEGER REFERENCES org_unit(id),
  name        TEXT NOT NULL,
  short_name  TEXT,
  name_folded TEXT NOT NULL,
  valid_from  TEXT,
  valid_to    TEXT,
  path        TEXT NOT NULL
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);
CREATE INDEX org_unit_kind ON org_unit(kind);
CREATE INDEX org_unit_path ON org_unit(path);

-- Every spelling of a unit, its own name included, folded two ways for matching.
CREATE TABLE org_alias (
  org_id        INTEGER NOT NULL REFERENCES org_unit(id) ON DELETE CASCADE,
  alias         TEXT NOT NULL,
  alias_folded  TEXT NOT NULL,
  alias_compact TEXT NOT NULL,
  is_name       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, alias)
);
CREATE INDEX org_alias_folded ON org_alias(alias_folded);
CREATE INDEX org_alias_compact ON org_alias(alias_compact);

CREATE TABLE org_successor (
  from_id INTEGER NOT NULL REFERENCES org_unit(id),
  to_id   INTEGER NOT NULL REFERENCES org_unit(id),
  date    TEXT NOT NULL,
  kind    TEXT NOT NULL,
  PRIMARY KEY (from_id, to_id)
);
CREATE INDEX org_successor_to ON org_successor(to_id);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
