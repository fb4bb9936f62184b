-- Uploaded files' bytes, by content hash, where the deployment keeps them in the database (PostgreSQL's default, so
-- every node, every replica and every pg_dump has them, committed with the record that names them).
CREATE TABLE file_content (
  sha256 TEXT PRIMARY KEY REFERENCES file_blob(sha256),
  data   BLOB NOT NULL
);
