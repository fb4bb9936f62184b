/* The MOOC's courses: import/export of a course folder (course.json + lesson .md + quiz .json, see
 * /work/briefs/format.md), the catalogue, a course with its lessons and quizzes, a lesson, a quiz for display.
 * Must not know about HTTP, and must not include export/: markdown is rendered through the renderer set at startup. */
#ifndef DXDAY_STORE_COURSE_H
#define DXDAY_STORE_COURSE_H
#include <stdbool.h>
#include <stddef.h>
#include "store/db.h"
#include "store/result.h"

/* One file of ONE course folder: name is the bare file name ("course.json", "01-bai-mot.md", "quiz-1.json"), or
 * "<folder>/<file>" with the same folder on every file — then course.json's slug must equal that folder. */
struct course_file { const char *name; const unsigned char *data; size_t len; };

/* Markdown → HTML (malloc'd, raw HTML dropped), NULL on failure. The store may not depend on export/, so the
 * process sets it once at startup, before any thread runs: main.c passes export/markdown.h's markdown_html, and so
 * must every unit test that imports a course. Until it is set store_course_import refuses with an error. */
typedef char *(*course_render_fn)(const char *md, size_t len);
void store_course_set_renderer(course_render_fn fn);

/* Validates the whole folder first (JSON syntax, required fields, enums, slug equal to the folder when names carry
 * one, every referenced file present, valid UTF-8 — stored in NFC —, quiz answers
 * consistent with options and kind, at least one lesson), then writes it in one transaction and indexes open
 * courses for search. replace=false and the slug exists → error. replace=true updates the course in place: lessons
 * and quizzes whose slugs survive keep their ids (so learners' views and attempts survive), the others are deleted,
 * new ones inserted. 0 on success; -1 with err = "file: problem" in Vietnamese, and nothing written. */
int store_course_import(db *d, const struct course_file *files, size_t n, bool replace, char *err, size_t errlen);

/* The inverse of import: {"files": [{"name", "text"}...]} (course.json first, then lessons and quizzes in order),
 * so import(export(c)) gives the same course. NULL when there is no such course. */
json_t *store_course_export(db *d, const char *slug);

/* Imports every course folder embedded under data/courses/ whose slug is not in the store yet (seed-demo). Returns the
 * number imported, or -1 after printing the first broken folder's error on stderr. */
int store_courses_seed(db *d);

/* The catalogue: open and closed courses (drafts only with with_drafts), filtered by audience, DigComp area (0: any) and
 * text (every folded word must start a word of the title or summary). [{slug, title, summary, audience, audience_label,
 * area, area_label, status, is_open, is_closed, minutes, lessons, quizzes}]. */
struct course_query { const char *audience; int area; const char *text; bool with_drafts; };
json_t *store_courses_list(db *d, const struct course_query *q);

/* A course row (id, slug, title, summary, audience, area, status, pass_mark, minutes, updated_at + labels) with
 * lessons: [{id, seq, slug, title, minutes, quizzes: [quiz…]}], quizzes: [{id, slug, title, after, questions}] in
 * course.json's order, and final_quizzes (after: null); NULL when absent. Drafts are returned: callers decide. */
json_t *store_course_get(db *d, const char *slug);

/* A lesson {id, seq, of, slug, title, body_html, minutes, prev, next ({slug, title} or null), quizzes: [{slug, title}],
 * course: {…course row…}}; NULL when absent. */
json_t *store_lesson_get(db *d, const char *course_slug, const char *lesson_slug);

/* A quiz for display, never its answers or explanations: {id, slug, title, after, after_title, course: {…course
 * row…}, questions: [{seq, kind, is_<kind>: true, prompt, options: [{i, text}]}]}; NULL when absent. */
json_t *store_quiz_get(db *d, const char *course_slug, const char *quiz_slug);
/* A question row {seq, kind, prompt, options (its JSON text)} made ready for the quiz form (templates/courses/question):
 * options become [{i, text}], "num" the number shown before it (its seq in a course, its place in a contest attempt's
 * order), and "is_<kind>" true. Knowledge contests (store/quiz_contest.c) serve their questions through it too. */
void course_question_display(json_t *q, int64_t n);

/* The id of the course with that slug: STORE_OK with *id set, STORE_NOT_FOUND ("Không có khóa học này."), or
 * STORE_ERROR. Drafts count: a slug is taken whatever the course's status. */
enum store_status store_course_id(db *d, const char *slug, int64_t *id, struct store_result *res);

/* The audience codes, NULL-terminated: citizen, official, enterprise, youth, team (members of Community Digital
 * Technology Teams). */
extern const char *const course_audiences[];
const char *course_audience_label(const char *audience);   /* NULL for an unknown audience */
const char *course_area_label(int area);                   /* NULL outside 1–5 */
#endif
