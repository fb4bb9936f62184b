/* A team's training block in SQL: every active member with an account against every team-audience course, with the
 * enrolment, progress (lessons viewed and quizzes passed, as store_my_learning counts them) and certificate.
 * Must not write, nor show a draft course; who may read the team is the caller's check. */
#include "store/team_training.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

enum store_status store_team_training(db *d, int64_t team_id, json_t **out, struct store_result *res)
{
    *out = NULL;
    db_stmt *s = db_prepare(d, "SELECT slug, title FROM course WHERE audience = 'team' AND status != 'draft' ORDER BY title, id");
    json_t *courses = db_rows(s);
    if (db_failed(d)) {
        json_decref(courses);
        return store_fail_db(res, d);
    }
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        char url[200];
        snprintf(url, sizeof url, "/khoa-hoc/%s", str(c, "slug"));
        json_object_set_new(c, "url", json_string(url));
    }
    /* One row per member and course; a member with no enrolment still gets a row (not started). Progress is counted
     * only for enrolled members: a lesson view cannot exist without the enrolment, but the subqueries need not run. */
    s = db_prepare(d,
        "SELECT m.id AS member_id, m.name, m.user_id, u.email AS user_email, c.slug, c.title, e.enrolled_at, e.completed_at, "
        "cert.code AS certificate, "
        "CASE WHEN e.user_id IS NULL THEN 0 ELSE "
        "(SELECT COUNT(*) FROM lesson l JOIN lesson_view v ON v.lesson_id = l.id AND v.user_id = m.user_id WHERE l.course_id = c.id) + "
        "(SELECT COUNT(*) FROM quiz z WHERE z.course_id = c.id AND EXISTS (SELECT 1 FROM quiz_attempt a WHERE a.user_id = m.user_id "
        "AND a.quiz_id = z.id AND a.passed = 1)) END AS done, "
        "(SELECT COUNT(*) FROM lesson l WHERE l.course_id = c.id) + (SELECT COUNT(*) FROM quiz z WHERE z.course_id = c.id) AS steps "
        "FROM cdt_member m JOIN app_user u ON u.id = m.user_id "
        "CROSS JOIN course c "
        "LEFT JOIN enrolment e ON e.user_id = m.user_id AND e.course_id = c.id "
        "LEFT JOIN certificate cert ON cert.user_id = m.user_id AND cert.course_id = c.id "
        "WHERE m.team_id = ? AND m.active = 1 AND c.audience = 'team' AND c.status != 'draft' "
        "ORDER BY m.name, m.id, c.title, c.id");
    db_bind_int(s, 1, team_id);
    json_t *rows = db_rows(s);
    if (db_failed(d)) {
        json_decref(rows);
        json_decref(courses);
        return store_fail_db(res, d);
    }
    json_t *members = json_array(), *cur = NULL;
    json_int_t finished = 0;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (!cur || num(cur, "member_id") != num(r, "member_id")) {
            cur = json_pack("{s:I, s:s, s:I, s:s, s:b, s:[]}", "member_id", (json_int_t)num(r, "member_id"), "name", str(r, "name"),
                            "user_id", (json_int_t)num(r, "user_id"), "user_email", str(r, "user_email"), "finished", 0, "courses");
            json_array_append_new(members, cur);
        }
        int64_t steps = num(r, "steps"), pct = steps ? num(r, "done") * 100 / steps : 0;
        const char *code = str(r, "certificate");
        bool done = str(r, "completed_at") != NULL;
        const char *status = done ? "done" : str(r, "enrolled_at") ? "taking" : "not_started";
        json_t *cert = json_null();
        if (code) {
            char url[64];
            snprintf(url, sizeof url, "/chung-chi/%s", code);
            cert = json_pack("{s:s, s:s}", "code", code, "url", url);
        }
        json_array_append_new(json_object_get(cur, "courses"),
            json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:I, s:O, s:O, s:o}", "slug", str(r, "slug"), "title", str(r, "title"),
                      "status", status, "is_done", done, "is_taking", !strcmp(status, "taking"),
                      "is_not_started", !strcmp(status, "not_started"), "percent", (json_int_t)(done ? 100 : pct),
                      "enrolled_at", json_object_get(r, "enrolled_at"), "completed_at", json_object_get(r, "completed_at"),
                      "certificate", cert));
        if (done && !json_is_true(json_object_get(cur, "finished"))) {
            json_object_set_new(cur, "finished", json_true());
            finished++;
        }
    }
    json_decref(rows);
    /* Members with an account when there is no team course yet: counted all the same, so the page can say so. */
    s = db_prepare(d, "SELECT COUNT(*) FROM cdt_member WHERE team_id = ? AND active = 1 AND user_id IS NOT NULL");
    db_bind_int(s, 1, team_id);
    int64_t with_account = db_scalar_int(s, -1);
    if (with_account < 0) {
        json_decref(members);
        json_decref(courses);
        return store_fail_db(res, d);
    }
    *out = json_pack("{s:o, s:o, s:I, s:I}", "courses", courses, "members", members, "with_account", (json_int_t)with_account,
                     "finished", finished);
    return STORE_OK;
}
