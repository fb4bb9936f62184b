/* Finds tasks that need a reminder and records one row per (unit, task, kind), so a scan run every hour, or
 * twice, never repeats itself. Must not decide how reminders are delivered. */
#include "store/remind.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* How long a run that never said it finished still holds the job: longer than any run (500 e-mails at most, each with
 * a 30-second timeout, would be over four hours, but a sending that slow fails long before), short enough that a node
 * that died mid-run does not stop reminders for the day. */
#define RUN_HELD_S (2 * 3600)
/* Rows of job_run kept for the operator. */
#define RUNS_KEPT_S (30 * 86400)

static int insert_kind(db *d, const char *kind, const char *cond, const char *a, const char *b, const char *now)
{
    char sql[1024];
    /* Every unit named on a task that is not done, lead or partner; instances rather than recurring templates.
     * Numbered unit by unit, task by task: the lists read newest first (200 at most) are then the same on both engines,
     * where a DISTINCT alone comes out in index order on SQLite and in hash order on PostgreSQL. */
    snprintf(sql, sizeof sql,
             "INSERT INTO notification (org_id, task_id, kind, created_at) "
             "SELECT DISTINCT tu.org_id, t.id, ?, ? FROM task t JOIN task_unit tu ON tu.task_id = t.id "
             "WHERE tu.org_id IS NOT NULL AND t.status <> 'done' "
             "AND NOT EXISTS (SELECT 1 FROM task i WHERE i.instance_of = t.id) AND %s "
             "ORDER BY tu.org_id, t.id "
             "ON CONFLICT (org_id, task_id, kind) DO NOTHING", cond);
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, now);
    db_bind_text(s, 3, a);
    if (b) db_bind_text(s, 4, b);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    db_stmt *c = db_prepare(d, "SELECT COUNT(*) FROM notification WHERE created_at = ? AND kind = ?");
    db_bind_text(c, 1, now);
    db_bind_text(c, 2, kind);
    return (int)db_scalar_int(c, 0);
}

int store_remind_scan(db *d, const char *today)
{
    struct ymd t;
    if (!date_parse_iso(today, &t)) return -1;
    char in1[11], in7[11], now[21];
    date_format_iso(date_from_days(date_to_days(t) + 1), in1);
    date_format_iso(date_from_days(date_to_days(t) + 7), in7);
    date_utc_iso(time(NULL), now);
    if (db_begin(d)) {
        db_rollback(d);
        return -1;
    }
    int a = insert_kind(d, "due_7", "COALESCE(t.due, t.window_to) > ? AND COALESCE(t.due, t.window_to) <= ?", in1, in7, now);
    int b = insert_kind(d, "due_1", "COALESCE(t.due, t.window_to) >= ? AND COALESCE(t.due, t.window_to) <= ?", today, in1, now);
    int c = insert_kind(d, "overdue", "COALESCE(t.due, t.window_to) < ?", today, NULL, now);
    if (a < 0 || b < 0 || c < 0) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d) ? -1 : a + b + c;
}

static const char *const kind_sql =
    "CASE n.kind WHEN 'due_7' THEN 'Sắp đến hạn (trong 7 ngày)' WHEN 'due_1' THEN 'Đến hạn ngày mai hoặc hôm nay' "
    "ELSE 'Quá hạn' END AS kind_label";

json_t *store_remind_pending_mail(db *d, int limit)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT n.id, n.kind, %s, n.task_id, t.ref, t.title, COALESCE(t.due, t.window_to) AS due, o.name AS org_name, o.path "
             "FROM notification n JOIN task t ON t.id = n.task_id JOIN org_unit o ON o.id = n.org_id "
             "WHERE n.emailed_at IS NULL ORDER BY n.id LIMIT ?", kind_sql);
    db_stmt *s = db_prepare(d, sql);
    db_bind_int(s, 1, limit);
    json_t *rows = db_rows(s);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        s = db_prepare(d, "SELECT DISTINCT u.email FROM user_role ur JOIN app_user u ON u.id = ur.user_id "
                          "JOIN org_unit scope ON scope.id = ur.org_id WHERE u.active = 1 "
                          "AND ur.role IN ('officer', 'coordinator') AND ? LIKE scope.path || '%' ORDER BY u.email");
        db_bind_text(s, 1, json_string_value(json_object_get(r, "path")));
        json_t *emails = json_array(), *e;
        json_t *er = db_rows(s);
        size_t k;
        json_array_foreach(er, k, e) json_array_append(emails, json_object_get(e, "email"));
        json_decref(er);
        json_object_set_new(r, "emails", emails);
        json_object_del(r, "path");
    }
    return rows;
}

int store_remind_mark_mailed(db *d, int64_t id, const char *at)
{
    db_stmt *s = db_prepare(d, "UPDATE notification SET emailed_at = ? WHERE id = ?");
    db_bind_text(s, 1, at);
    db_bind_int(s, 2, id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

json_t *store_remind_for_user(db *d, int64_t user_id, int limit)
{
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT n.id, n.kind, %s, n.created_at, n.task_id, t.ref, t.title, COALESCE(t.due, t.window_to) AS due, "
             "o.id AS org_id, o.name AS org_name FROM notification n JOIN task t ON t.id = n.task_id "
             "JOIN org_unit o ON o.id = n.org_id JOIN user_role ur ON ur.user_id = ? JOIN org_unit scope ON scope.id = ur.org_id "
             "WHERE o.path LIKE scope.path || '%%' ORDER BY n.id DESC LIMIT ?", kind_sql);
    db_stmt *s = db_prepare(d, sql);
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, limit);
    return db_rows(s);
}

/* Two nodes starting minutes apart must not both run the hour's scan (and both e-mail every reminder). The claim is a
 * check-then-insert inside one write transaction: db_begin takes the write lock every node's writers share, a
 * transaction-scoped advisory lock on PostgreSQL, which is the run-once lock too. A session lock
 * (pg_try_advisory_lock) held over the whole run would break behind a pooler (see pg.c), so the run in progress is a
 * row instead (finished_at empty), and the (job, period) key makes the hour's claim unique whatever happens. */
int store_remind_claim(db *d, const char *node, int64_t now, char period[14])
{
    char started[21], held[21], kept[21];
    date_utc_iso((time_t)now, started);
    snprintf(period, 14, "%.13s", started);
    /* SQLite has one process: no other node to defer to, and a restart scans again, as it always has. */
    if (strcmp(db_engine(d), "postgresql")) return 1;
    date_utc_iso((time_t)(now - RUN_HELD_S), held);
    date_utc_iso((time_t)(now - RUNS_KEPT_S), kept);
    if (db_begin(d)) {
        db_rollback(d);
        return -1;
    }
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM job_run WHERE job = 'remind' "
                               "AND (period = ? OR (finished_at IS NULL AND started_at > ?))");
    db_bind_text(s, 1, period);
    db_bind_text(s, 2, held);
    int64_t busy = db_scalar_int(s, -1);
    if (busy != 0) {
        db_rollback(d);
        return busy > 0 ? 0 : -1;
    }
    s = db_prepare(d, "INSERT INTO job_run (job, period, node, started_at) VALUES ('remind', ?, ?, ?)");
    db_bind_text(s, 1, period);
    db_bind_text(s, 2, node);
    db_bind_text(s, 3, started);
    int rc = db_step(s);
    db_done(s);
    if (rc != DB_ERROR) {
        s = db_prepare(d, "DELETE FROM job_run WHERE job = 'remind' AND started_at < ?");
        db_bind_text(s, 1, kept);
        rc = db_step(s);
        db_done(s);
    }
    if (rc == DB_ERROR) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d) ? -1 : 1;
}

int store_remind_finished(db *d, const char *period, int64_t now)
{
    if (strcmp(db_engine(d), "postgresql")) return 0;
    char at[21];
    date_utc_iso((time_t)now, at);
    db_stmt *s = db_prepare(d, "UPDATE job_run SET finished_at = ? WHERE job = 'remind' AND period = ?");
    db_bind_text(s, 1, at);
    db_bind_text(s, 2, period);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}
