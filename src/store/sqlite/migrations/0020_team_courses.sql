-- Courses for the members of Community Digital Technology Teams: a fifth audience, 'team', in course.audience's CHECK.
-- Must not rebuild the course table: lesson, quiz, enrolment and certificate reference it, and dropping it with foreign
-- keys on would cascade into them or fail (foreign_keys cannot be switched off inside the migration's transaction).
--
-- SQLite cannot alter a CHECK, so this follows https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of
-- Table Schema Changes"): the table's stored SQL is edited in place. That is safe only because the new CHECK accepts
-- every row the old one did (the list of values only grows), so nothing stored on disk changes meaning.
-- The steps run inside the migration runner's transaction (src/store/migrate.c), so any failure rolls all of it back:
--  1. replace the exact old CHECK text by the new one (no match: the row stays as it was, and step 4 fails);
--  2. writable_schema = RESET turns schema editing off and makes this connection re-read the schema now: a typing
--     error in the new SQL fails here ("malformed database schema") instead of in a later process;
--  3. a real schema change (the catalogue's audience filter index) increments the schema cookie, the documented
--     procedure's "PRAGMA schema_version = X+1" without needing X in a static file: connections other processes hold
--     open re-read the schema instead of keeping the old CHECK;
--  4. a probe row with audience 'team' is inserted and rolled back: the live CHECK must accept it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (audience IN (''citizen'', ''official'', ''enterprise'', ''youth''))',
                          'CHECK (audience IN (''citizen'', ''official'', ''enterprise'', ''youth'', ''team''))')
 WHERE type = 'table' AND name = 'course';
PRAGMA writable_schema = RESET;
CREATE INDEX course_audience ON course (audience, status);
SAVEPOINT audience_probe;
INSERT INTO course (slug, title, audience, area, updated_at) VALUES ('-migration-0020-probe-', '', 'team', 1, '');
ROLLBACK TO audience_probe;
RELEASE audience_probe;
