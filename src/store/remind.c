/* Finds tasks that need a reminder and records one row per (unit, task, kind), so a scan run every hour, or
 * twice, never repeats itself. Must not decide how reminders are delivered. */
#include "store/remind.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

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
