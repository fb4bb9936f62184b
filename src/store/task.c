/* Tasks: the filtered list every inbox, plan page and export reads, one task with its history, and progress
 * updates. Buckets (done on time, done late, not yet due, overdue) are computed from dates, never stored. Must not
 * know about HTTP nor decide who may update a task. */
#include "store/plan.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Units of each task on the page, one query per task kept small by the page size. */
static void attach_units(db *d, json_t *items)
{
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t) {
        db_stmt *s = db_prepare(d, "SELECT tu.role, tu.name, tu.org_id, o.code AS org_code FROM task_unit tu "
                                   "LEFT JOIN org_unit o ON o.id = tu.org_id WHERE tu.task_id = ? ORDER BY tu.role, tu.name");
        db_bind_int(s, 1, json_integer_value(json_object_get(t, "id")));
        json_t *rows = db_rows(s), *lead = json_array(), *partners = json_array();
        size_t k;
        json_t *u;
        json_array_foreach(rows, k, u) {
            json_t *x = json_pack("{s:O, s:O, s:O}", "name", json_object_get(u, "name"), "org_id",
                                  json_object_get(u, "org_id"), "org_code", json_object_get(u, "org_code"));
            json_array_append_new(strcmp(json_string_value(json_object_get(u, "role")), "lead") ? partners : lead, x);
        }
        json_decref(rows);
        json_object_set_new(t, "lead", lead);
        json_object_set_new(t, "partners", partners);
    }
}

json_t *store_tasks_find(db *d, const struct task_query *q)
{
    /* A recurring task's template is listed through its instances, each with its own due date. */
    char where[1024];
    strcpy(where, "WHERE (t.recurrence IS NULL OR NOT EXISTS (SELECT 1 FROM task i WHERE i.instance_of = t.id))");
    if (q->plan_id) strcat(where, " AND t.plan_id = ?");
    /* A subtree is a range of materialised paths: "/1/5/" ≤ path < "/1/50" ('0' follows '/'), which an index
     * answers in any SQL engine, unlike LIKE with a computed pattern. */
    char lo[1024] = "", hi[1024] = "";
    if (q->org_id) {
        db_stmt *p = db_prepare(d, "SELECT path FROM org_unit WHERE id = ?");
        db_bind_int(p, 1, q->org_id);
        if (db_step(p) == DB_ROW) snprintf(lo, sizeof lo, "%s", db_col_text(p, 0));
        db_done(p);
        snprintf(hi, sizeof hi, "%s", lo);
        if (*hi) hi[strlen(hi) - 1] = '0';
        strcat(where, " AND t.id IN (SELECT tu.task_id FROM task_unit tu WHERE tu.org_id IN "
                      "(SELECT o.id FROM org_unit o WHERE o.path >= ? AND o.path < ?)");
        strcat(where, q->role ? " AND tu.role = ?)" : ")");
    }
    char sql[4096];
    snprintf(sql, sizeof sql,
             "SELECT b, COUNT(*) FROM (SELECT " TASK_BUCKET_SQL " AS b FROM task t %s) x GROUP BY b", where);
#define BIND(s, k)                                                        \
    do {                                                                  \
        if (q->plan_id) db_bind_int(s, k++, q->plan_id);                  \
        if (q->org_id) { db_bind_text(s, k++, lo); db_bind_text(s, k++, hi); if (q->role) db_bind_text(s, k++, q->role); } \
    } while (0)
    db_stmt *s = db_prepare(d, sql);
    int k = 1;
    db_bind_text(s, k++, q->today);
    BIND(s, k);
    json_t *buckets = json_pack("{s:i, s:i, s:i, s:i}", "done_on_time", 0, "done_late", 0, "not_due", 0, "overdue", 0);
    int64_t all = 0, total = 0;
    while (db_step(s) == DB_ROW) {
        json_object_set_new(buckets, db_col_text(s, 0), json_integer(db_col_int(s, 1)));
        all += db_col_int(s, 1);
        if (!q->bucket || !strcmp(q->bucket, db_col_text(s, 0))) total += db_col_int(s, 1);
    }
    db_done(s);
    snprintf(sql, sizeof sql,
             "SELECT * FROM (SELECT t.id, t.plan_id, p.number AS plan_number, t.ref, t.title, t.deliverable, t.due, "
             "t.window_from, t.window_to, t.recurrence, t.period, t.instance_of, t.status, t.progress, t.done_on, t.warnings, "
             TASK_BUCKET_SQL " AS bucket, t.sort FROM task t JOIN plan p ON p.id = t.plan_id %s) x %s "
             "ORDER BY %s LIMIT ? OFFSET ?",
             where, q->bucket ? "WHERE bucket = ?" : "",
             q->plan_id ? "sort" : "COALESCE(due, window_to, '9999') , plan_id, sort");
    s = db_prepare(d, sql);
    k = 1;
    db_bind_text(s, k++, q->today);
    BIND(s, k);
    if (q->bucket) db_bind_text(s, k++, q->bucket);
    db_bind_int(s, k++, q->limit > 0 ? q->limit : 100);
    db_bind_int(s, k++, q->offset > 0 ? q->offset : 0);
#undef BIND
    json_t *items = db_rows(s);
    attach_units(d, items);
    return json_pack("{s:o, s:I, s:I, s:o}", "items", items, "total", (json_int_t)total, "all", (json_int_t)all,
                     "buckets", buckets);
}

json_t *store_task_get(db *d, int64_t id, const char *today)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT t.id, t.plan_id, p.number AS plan_number, p.title AS plan_title, t.ref, t.title, t.deliverable, t.due, "
             "t.window_from, t.window_to, t.recurrence, t.period, t.instance_of, t.parent_task_id, t.status, t.progress, "
             "t.done_on, t.warnings, " TASK_BUCKET_SQL " AS bucket FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.id = ?");
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, today);
    db_bind_int(s, 2, id);
    json_t *t = db_row(s);
    if (!t) return NULL;
    json_t *one = json_pack("[O]", t);
    attach_units(d, one);
    json_decref(one);
    s = db_prepare(d, "SELECT u.id, u.at, u.status, u.progress, u.note, u.evidence_url, u.evidence_sha, u.obstacles, "
                      "o.name AS org_name, a.name AS user_name, f.name AS file_name FROM task_update u "
                      "LEFT JOIN org_unit o ON o.id = u.org_id LEFT JOIN app_user a ON a.id = u.user_id "
                      "LEFT JOIN file_blob f ON f.sha256 = u.evidence_sha WHERE u.task_id = ? ORDER BY u.id DESC");
    db_bind_int(s, 1, id);
    json_object_set_new(t, "updates", db_rows(s));
    int64_t parent = json_integer_value(json_object_get(t, "parent_task_id"));
    if (parent) {
        s = db_prepare(d, "SELECT t.id, t.ref, t.title, p.number AS plan_number FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.id = ?");
        db_bind_int(s, 1, parent);
        json_t *pt = db_row(s);
        if (pt) json_object_set_new(t, "parent_task", pt);
    }
    s = db_prepare(d, "SELECT t.id, t.ref, t.title, p.number AS plan_number, p.issuer FROM task t JOIN plan p ON p.id = t.plan_id "
                      "WHERE t.parent_task_id = ? AND t.instance_of IS NULL ORDER BY t.id");
    db_bind_int(s, 1, id);
    json_object_set_new(t, "child_tasks", db_rows(s));
    snprintf(sql, sizeof sql, "SELECT t.id, t.period, t.due, t.status, t.progress, " TASK_BUCKET_SQL " AS bucket "
                              "FROM task t WHERE t.instance_of = ? ORDER BY t.due NULLS FIRST, t.id");
    s = db_prepare(d, sql);
    db_bind_text(s, 1, today);
    db_bind_int(s, 2, id);
    json_object_set_new(t, "instances", db_rows(s));
    return t;
}

int64_t store_task_by_ref(db *d, const char *plan_number, const char *ref)
{
    db_stmt *s = db_prepare(d, "SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id WHERE p.number = ? AND t.ref = ? LIMIT 1");
    db_bind_text(s, 1, plan_number);
    db_bind_text(s, 2, ref);
    return db_scalar_int(s, 0);
}

enum store_status store_task_update(db *d, const struct task_update_in *u, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    /* The task first: one that is gone is "not found", not a foreign-key error. The done date is kept from the first
     * time the task was reported done, so a later note does not move it. */
    db_stmt *s = db_prepare(d, "UPDATE task SET status = ?, progress = ?, done_on = CASE WHEN ? = 'done' THEN COALESCE(done_on, ?) "
                               "ELSE NULL END WHERE id = ? RETURNING id");
    db_bind_text(s, 1, u->status);
    db_bind_int(s, 2, u->progress);
    db_bind_text(s, 3, u->status);
    db_bind_text(s, 4, u->today);
    db_bind_int(s, 5, u->task_id);
    if (!db_scalar_int(s, 0))
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy nhiệm vụ.");
    s = db_prepare(d, "INSERT INTO task_update (task_id, org_id, user_id, at, status, progress, note, evidence_url, "
                      "evidence_sha, obstacles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, u->task_id);
    if (u->org_id) db_bind_int(s, 2, u->org_id);
    else db_bind_null(s, 2);
    if (u->user_id) db_bind_int(s, 3, u->user_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, u->status);
    db_bind_int(s, 6, u->progress);
    db_bind_text(s, 7, u->note);
    db_bind_text(s, 8, u->evidence_url);
    db_bind_text(s, 9, u->evidence_sha);
    db_bind_text(s, 10, u->obstacles);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
