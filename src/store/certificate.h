/* Public verification of a course certificate by its code: what the paper says and the course it names. Must not know
 * about HTTP, and must not reveal more than the printed certificate (no account, no e-mail). */
#ifndef DXDAY_STORE_CERTIFICATE_H
#define DXDAY_STORE_CERTIFICATE_H
#include "store/db.h"
#include "store/result.h"

/* {code, learner_name, course_title, issued_at, course_slug, course_current_title, kind: "course" | "training",
 * training_id (0 for a course)} for a code already normalised (a training's title stands in course_title)
 * (upper case, 26 characters); NULL with res STORE_NOT_FOUND or STORE_ERROR. */
json_t *store_certificate_verify(db *d, const char *code, struct store_result *res);
#endif
