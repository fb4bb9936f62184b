-- News and special sections (chuyên mục) written in markdown by editors; published articles are public and searchable.
CREATE TABLE article (
  id           INTEGER PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,
  section      TEXT NOT NULL DEFAULT 'tin-tuc',
  title        TEXT NOT NULL,
  summary      TEXT,
  body_md      TEXT NOT NULL,
  body_html    TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'draft',   -- draft | published
  published_at TEXT,
  author_id    INTEGER REFERENCES app_user(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX article_published ON article(status, published_at);
CREATE INDEX article_section ON article(section, status, published_at);
