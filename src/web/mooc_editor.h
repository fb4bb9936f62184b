/* What the course editor's two files share: the editor check, loading and saving the editor's copy of a course, and
 * the pages a failed save goes back to. Private to src/web/page_course_editor*.c; no state of its own. */
#ifndef DXDAY_WEB_COURSE_EDITOR_H
#define DXDAY_WEB_COURSE_EDITOR_H
#include "http/http.h"

/* Re-renders an editor page around doc (stolen) after a failed save: errors maps form fields to messages. */
typedef int (*ce_page_fn)(struct req *r, json_t *doc, json_t *errors);

/* False after answering 403 when the user is not one of the portal's national editors (courses belong to no unit). */
bool ce_editor(struct req *r);
/* The editor's copy of the {slug} course, or NULL after answering 404. */
json_t *ce_load(struct req *r);
/* The element of an array of {slug…} objects with that slug (borrowed), and its index; NULL when absent. */
json_t *ce_find(json_t *arr, const char *slug, size_t *idx);
/* Lower-case ASCII letters, digits and '-', 1–80 characters, as the folder format wants. */
bool ce_slug_ok(const char *s);
/* A submitted text field with surrounding white space removed (malloc'd), or NULL when absent. */
char *ce_field(struct req *r, const char *name);

/* Saves doc (stolen) through the one import path, with its audit entry in the same transaction (503 when the
 * transaction cannot start or commit: nothing written). On success: a redirect to location (JSON: the course
 * page's context). On failure: 422 with the import's message mapped to a form field; the form comes back from
 * page, around doc as edited, or around the stored course when fresh (a failed addition should not show). */
int ce_save(struct req *r, json_t *doc, const char *what, const char *location, ce_page_fn page, bool fresh);
/* Answers 422 with one field's message, around page. */
int ce_invalid(struct req *r, json_t *doc, ce_page_fn page, const char *field, const char *message);

int ce_course_page(struct req *r, json_t *doc, json_t *errors);
/* The blank "new question" form, refilled from the request with its error after a failed addition. */
json_t *ce_new_question(struct req *r, json_t *errors);
/* A question of the four kinds from the form (or a JSON body); NULL with the field and message at fault. */
json_t *ce_question_from(struct req *r, const char **field, const char **msg);
int ce_quiz_page(struct req *r, json_t *doc, json_t *errors);

/* Quiz handlers: page_course_editor_quiz.c */
int ce_quiz_add(struct req *r);
int ce_quiz_show(struct req *r);
int ce_quiz_save(struct req *r);
int ce_quiz_delete(struct req *r);
int ce_question_add(struct req *r);
int ce_question_save(struct req *r);
int ce_question_delete(struct req *r);
#endif
