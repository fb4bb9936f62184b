/* Certificates as the public checks them (a course's or a training class's): one read by code. Must not know about HTTP and must not issue certificates
 * (store/learning.c does, when a course is completed). */
#include "store/certificate.h"

json_t *store_certificate_verify(db *d, const char *code, struct store_result *res)
{
    /* Course and training certificates share one alphabet and one page; a code is one or the other. */
    db_stmt *s = db_prepare(d, "SELECT c.code, c.learner_name, c.course_title, c.issued_at, co.slug AS course_slug, "
                               "co.title AS course_current_title, 'course' AS kind, 0 AS training_id "
                               "FROM certificate c JOIN course co ON co.id = c.course_id WHERE c.code = ? "
                               "UNION ALL SELECT tc.code, tc.learner_name, tc.training_title, tc.issued_at, NULL, t.title, 'training', t.id "
                               "FROM training_certificate tc JOIN training t ON t.id = tc.training_id WHERE tc.code = ?");
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, code);
    json_t *c = db_row(s);
    if (!c) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, NULL);
    }
    return c;
}
