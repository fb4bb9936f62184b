/* Tasks: the filtered list every inbox, plan page and export reads, one task with its history, and progress
 * updates. Buckets (done on time, done late, not yet due, overdue) are computed from dates, never stored. Must not
 * know about HTTP nor decide who may update a task. */
#include "store/plan.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Units of each task on the page with their own status and progress, one query per task kept small by the page
 * size; leads_done/leads_total count the resolved lead units, whose states the task's own is derived from. */
static void attach_units(db *d, json_t *items)
{
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t) {
        db_stmt *s = db_prepare(d, "SELECT tu.role, tu.name, tu.org_id, o.code AS org_code, tu.status, tu.progress, tu.done_on "
                                   "FROM task_unit tu LEFT JOIN org_unit o ON o.id = tu.org_id WHERE tu.task_id = ? "
                                   "ORDER BY tu.role, tu.name");
        db_bind_int(s, 1, json_integer_value(json_object_get(t, "id")));
        json_t *rows = db_rows(s), *lead = json_array(), *partners = json_array();
        int done = 0, total = 0;
        size_t k;
        json_t *u;
        json_array_foreach(rows, k, u) {
            json_t *x = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "name", json_object_get(u, "name"), "org_id",
                                  json_object_get(u, "org_id"), "org_code", json_object_get(u, "org_code"), "status",
                                  json_object_get(u, "status"), "progress", json_object_get(u, "progress"), "done_on",
                                  json_object_get(u, "done_on"));
            bool is_lead = !strcmp(json_string_value(json_object_get(u, "role")), "lead");
            if (is_lead && json_integer_value(json_object_get(u, "org_id"))) {
                total++;
                if (!strcmp(json_string_value(json_object_get(u, "status")), "done")) done++;
            }
            json_array_append_new(is_lead ? lead : partners, x);
        }
        json_decref(rows);
        json_object_set_new(t, "lead", lead);
        json_object_set_new(t, "partners", partners);
        json_object_set_new(t, "leads_done", json_integer(done));
        json_object_set_new(t, "leads_total", json_integer(total));
        if (total > 1) json_object_set_new(t, "_shared", json_true());
    }
}

/* Which tasks a count or a list takes, the one definition the task list, the inboxes and the dashboard share: a
 * recurring task's template is counted through its instances, each with its own due date, and a template with no
 * instances yet counts once. Bind with bind_scope in the same order. */
struct scope { char where[1024], lo[1024], hi[1024]; };

static void build_scope(db *d, const struct task_query *q, struct scope *sc)
{
    strcpy(sc->where, "WHERE (t.recurrence IS NULL OR NOT EXISTS (SELECT 1 FROM task i WHERE i.instance_of = t.id))");
    sc->lo[0] = sc->hi[0] = 0;
    if (q->plan_id) strcat(sc->where, " AND t.plan_id = ?");
    /* A campaign year: the plan's, or its year of issue when it names none. */
    if (q->year)
        strcat(sc->where, " AND t.plan_id IN (SELECT py.id FROM plan py WHERE "
                          "COALESCE(py.campaign_year, CAST(substr(py.issued, 1, 4) AS INTEGER)) = ?)");
    /* A subtree is a range of materialised paths: "/1/5/" ≤ path < "/1/50" ('0' follows '/'), which an index
     * answers in any SQL engine, unlike LIKE with a computed pattern. */
    if (q->org_id) {
        db_stmt *p = db_prepare(d, "SELECT path FROM org_unit WHERE id = ?");
        db_bind_int(p, 1, q->org_id);
        if (db_step(p) == DB_ROW) snprintf(sc->lo, sizeof sc->lo, "%s", db_col_text(p, 0));
        db_done(p);
        snprintf(sc->hi, sizeof sc->hi, "%s", sc->lo);
        if (*sc->hi) sc->hi[strlen(sc->hi) - 1] = '0';
        strcat(sc->where, " AND t.id IN (SELECT tu.task_id FROM task_unit tu WHERE tu.org_id IN "
                          "(SELECT o.id FROM org_unit o WHERE o.path >= ? AND o.path < ?)");
        strcat(sc->where, q->role ? " AND tu.role = ?)" : ")");
    }
}

static int bind_scope(db_stmt *s, int k, const struct task_query *q, const struct scope *sc)
{
    if (q->plan_id) db_bind_int(s, k++, q->plan_id);
    if (q->year) db_bind_int(s, k++, q->year);
    if (q->org_id) {
        db_bind_text(s, k++, sc->lo);
        db_bind_text(s, k++, sc->hi);
        if (q->role) db_bind_text(s, k++, q->role);
    }
    return k;
}

json_t *store_task_buckets(db *d, const struct task_query *q)
{
    struct scope sc;
    build_scope(d, q, &sc);
    char sql[4096];
    snprintf(sql, sizeof sql, "SELECT b, COUNT(*) FROM (SELECT " TASK_BUCKET_SQL " AS b FROM task t %s) x GROUP BY b", sc.where);
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, q->today);
    bind_scope(s, 2, q, &sc);
    json_t *buckets = json_pack("{s:i, s:i, s:i, s:i}", "done_on_time", 0, "done_late", 0, "not_due", 0, "overdue", 0);
    while (db_step(s) == DB_ROW) json_object_set_new(buckets, db_col_text(s, 0), json_integer(db_col_int(s, 1)));
    db_done(s);
    return buckets;
}

json_t *store_tasks_find(db *d, const struct task_query *q)
{
    struct scope sc;
    build_scope(d, q, &sc);
    json_t *buckets = store_task_buckets(d, q);
    int64_t all = 0, total = 0;
    const char *b;
    json_t *n;
    json_object_foreach(buckets, b, n) {
        all += json_integer_value(n);
        if (!q->bucket || !strcmp(q->bucket, b)) total += json_integer_value(n);
    }
    char sql[4096];
    snprintf(sql, sizeof sql,
             "SELECT * FROM (SELECT t.id, t.plan_id, p.number AS plan_number, t.ref, t.title, t.deliverable, t.due, "
             "t.window_from, t.window_to, t.recurrence, t.period, t.instance_of, t.status, t.progress, t.done_on, t.warnings, "
             TASK_BUCKET_SQL " AS bucket, t.sort FROM task t JOIN plan p ON p.id = t.plan_id %s) x %s "
             "ORDER BY %s LIMIT ? OFFSET ?",
             sc.where, q->bucket ? "WHERE bucket = ?" : "",
             q->plan_id ? "sort" : "COALESCE(due, window_to, '9999') , plan_id, sort");
    db_stmt *s = db_prepare(d, sql);
    int k = bind_scope(s, 2, q, &sc);
    db_bind_text(s, 1, q->today);
    if (q->bucket) db_bind_text(s, k++, q->bucket);
    db_bind_int(s, k++, q->limit > 0 ? q->limit : 100);
    db_bind_int(s, k++, q->offset > 0 ? q->offset : 0);
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

/* The task's status, progress and done date from its resolved lead units: done when every one is (on the last
 * one's date), in progress once any has moved, progress their mean. 1 when derived, 0 when it has none (then the
 * update itself is the task's), -1 on a database error. */
static int derive_from_leads(db *d, int64_t task_id, char *status, int *progress, char *done_on)
{
    db_stmt *s = db_prepare(d, "SELECT status, progress, done_on FROM task_unit WHERE task_id = ? AND role = 'lead' "
                               "AND org_id IS NOT NULL");
    db_bind_int(s, 1, task_id);
    int n = 0, done = 0, moved = 0;
    long sum = 0;
    done_on[0] = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        n++;
        const char *st = db_col_text(s, 0), *on = db_col_text(s, 2);
        sum += db_col_int(s, 1);
        if (!strcmp(st, "done")) done++;
        if (strcmp(st, "not_started") || db_col_int(s, 1) > 0) moved++;
        if (on && strcmp(on, done_on) > 0) snprintf(done_on, 11, "%s", on);
    }
    db_done(s);
    if (rc == DB_ERROR) return -1;
    if (!n) return 0;
    strcpy(status, done == n ? "done" : moved ? "in_progress" : "not_started");
    *progress = done == n ? 100 : (int)(sum / n);
    if (done != n) done_on[0] = 0;
    return 1;
}

enum store_status store_task_update(db *d, const struct task_update_in *u, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "SELECT id FROM task WHERE id = ?");
    db_bind_int(s, 1, u->task_id);
    if (!db_scalar_int(s, 0))
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy nhiệm vụ.");
    /* The reporting unit's own rows (a unit named twice, or as lead and partner, moves in each); an update naming
     * no unit (the demo data, an import) moves them all. The done date is kept from the first time the unit reported
     * done, so a later note does not move it. */
    s = db_prepare(d, u->org_id ? "UPDATE task_unit SET status = ?, progress = ?, done_on = CASE WHEN ? = 'done' THEN "
                                  "COALESCE(done_on, ?) ELSE NULL END WHERE task_id = ? AND org_id = ?"
                                : "UPDATE task_unit SET status = ?, progress = ?, done_on = CASE WHEN ? = 'done' THEN "
                                  "COALESCE(done_on, ?) ELSE NULL END WHERE task_id = ?");
    db_bind_text(s, 1, u->status);
    db_bind_int(s, 2, u->progress);
    db_bind_text(s, 3, u->status);
    db_bind_text(s, 4, u->today);
    db_bind_int(s, 5, u->task_id);
    if (u->org_id) db_bind_int(s, 6, u->org_id);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
    char status[16], done_on[11];
    int progress;
    int derived = derive_from_leads(d, u->task_id, status, &progress, done_on);
    if (derived < 0) return store_fail_db(res, d);
    if (derived) {
        s = db_prepare(d, "UPDATE task SET status = ?, progress = ?, done_on = ? WHERE id = ?");
        db_bind_text(s, 1, status);
        db_bind_int(s, 2, progress);
        db_bind_text(s, 3, done_on[0] ? done_on : NULL);
        db_bind_int(s, 4, u->task_id);
    } else {
        s = db_prepare(d, "UPDATE task SET status = ?, progress = ?, done_on = CASE WHEN ? = 'done' THEN COALESCE(done_on, ?) "
                          "ELSE NULL END WHERE id = ?");
        db_bind_text(s, 1, u->status);
        db_bind_int(s, 2, u->progress);
        db_bind_text(s, 3, u->status);
        db_bind_text(s, 4, u->today);
        db_bind_int(s, 5, u->task_id);
    }
    rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
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
    rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
