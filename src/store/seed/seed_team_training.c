/* Demo progress in the team courses for `make run`: the demo member tocns@dxday.vn has finished every open course of
 * audience 'team' (so the demo team page shows a certificate). Goes through the learners' own store calls; once. */
#include "store/seed/seed.h"
#include "store/learning.h"
#include <stdio.h>

int store_seed_demo_team_training(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT u.id FROM app_user u JOIN cdt_member m ON m.user_id = u.id WHERE u.email = 'tocns@dxday.vn'");
    int64_t uid = db_scalar_int(s, 0);
    if (!uid) return 0; /* no demo member: nothing to show */
    s = db_prepare(d, "SELECT c.id, c.slug FROM course c WHERE c.audience = 'team' AND c.status = 'open' AND NOT EXISTS "
                      "(SELECT 1 FROM enrolment e WHERE e.user_id = ? AND e.course_id = c.id) ORDER BY c.id");
    db_bind_int(s, 1, uid);
    json_t *courses = db_rows(s);
    if (db_failed(d)) { json_decref(courses); return -1; }
    int rc = 0;
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        int64_t cid = json_integer_value(json_object_get(c, "id"));
        const char *slug = json_string_value(json_object_get(c, "slug"));
        if (db_begin(d)) { rc = -1; break; }
        rc = store_enrol(d, uid, cid) || seed_view_lessons(d, uid, cid, -1) || seed_pass_quizzes(d, uid, slug, cid);
        if (rc) {
            fprintf(stderr, "seed-demo: the demo member's course %s: %s\n", slug, db_errmsg(d));
            db_rollback(d);
            break;
        }
        if ((rc = db_commit(d))) break;
    }
    json_decref(courses);
    return rc ? -1 : 0;
}
