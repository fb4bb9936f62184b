-- Courses for the members of Community Digital Technology Teams: a fifth audience, 'team', in course.audience's CHECK.
-- PostgreSQL twin of the SQLite migration, which has to edit the stored table SQL; here the constraint is replaced.
ALTER TABLE course DROP CONSTRAINT course_audience_check;
ALTER TABLE course ADD CONSTRAINT course_audience_check CHECK (audience IN ('citizen', 'official', 'enterprise', 'youth', 'team'));
CREATE INDEX course_audience ON course (audience, status);
