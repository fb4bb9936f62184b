/* A class's roll in SQL: nominations against its capacity and waiting list, the organiser's decisions, attendance per
 * session and the certificates of completion. Must not begin or commit (the caller's transaction holds the write, its
 * audit entry and the seat count read under the write lock), nor decide who may write. */
#include "store/training.h"
#include "store/learning.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_training_seats(db *d, int64_t training_id, int64_t *taken, int64_t *waiting, int64_t *capacity)
{
    db_stmt *s = db_prepare(d, "SELECT t.capacity, "
                               "(SELECT COUNT(*) FROM training_nominee n WHERE n.training_id = t.id AND n.status IN ('nominated', 'confirmed')), "
                               "(SELECT COUNT(*) FROM training_nominee n WHERE n.training_id = t.id AND n.status = 'waiting') "
                               "FROM training t WHERE t.id = ?");
    db_bind_int(s, 1, training_id);
    *taken = *waiting = *capacity = 0;
    if (db_step(s) == DB_ROW) {
        *capacity = db_col_int(s, 0);
        *taken = db_col_int(s, 1);
        *waiting = db_col_int(s, 2);
    }
    db_done(s);
}

bool store_training_is_nominated(db *d, int64_t training_id, const struct nominee_in *in)
{
    char *folded = text_fold(in->name ? in->name : "");
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM training_nominee WHERE training_id = ? AND "
                               "((? > 0 AND user_id = ?) OR (? = 0 AND user_id IS NULL AND org_id = ? AND name_folded = ?))");
    db_bind_int(s, 1, training_id);
    db_bind_int(s, 2, in->user_id);
    db_bind_int(s, 3, in->user_id);
    db_bind_int(s, 4, in->user_id);
    db_bind_int(s, 5, in->org_id);
    db_bind_text(s, 6, folded ? folded : "");
    free(folded);
    return db_scalar_int(s, 0) > 0;
}

enum store_status store_training_nominate(db *d, int64_t training_id, const struct nominee_in *in, int64_t by,
                                          const char *now, int64_t *id, const char **status, struct store_result *res)
{
    *id = 0;
    *status = NULL;
    char *folded = text_fold(in->name);
    if (!folded) return store_fail(res, STORE_INVALID, "Họ tên không hợp lệ.");
    bool dup = store_training_is_nominated(d, training_id, in);
    if (db_failed(d)) { free(folded); return store_fail_db(res, d); }
    if (dup) {
        free(folded);
        return store_fail(res, STORE_CONFLICT, "Người này đã được đề cử vào lớp.");
    }
    int64_t taken, waiting, capacity;
    store_training_seats(d, training_id, &taken, &waiting, &capacity);
    if (db_failed(d)) { free(folded); return store_fail_db(res, d); }
    const char *st = "nominated";
    if (taken >= capacity) {
        if (!in->waiting) {
            free(folded);
            return store_fail(res, STORE_CONFLICT, "Lớp đã đủ %lld chỗ. Có thể đưa người này vào danh sách chờ (đang có %lld người chờ).",
                              (long long)capacity, (long long)waiting);
        }
        st = "waiting";
    }
    db_stmt *s = db_prepare(d, "INSERT INTO training_nominee (training_id, user_id, name, name_folded, org_id, status, nominated_by, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, training_id);
    if (in->user_id) db_bind_int(s, 2, in->user_id); else db_bind_null(s, 2);
    db_bind_text(s, 3, in->name);
    db_bind_text(s, 4, folded);
    db_bind_int(s, 5, in->org_id);
    db_bind_text(s, 6, st);
    if (by) db_bind_int(s, 7, by); else db_bind_null(s, 7);
    db_bind_text(s, 8, now);
    *id = db_scalar_int(s, 0);
    free(folded);
    if (db_failed(d) || !*id) return store_fail_db(res, d);
    *status = st;
    return STORE_OK;
}

enum store_status store_training_decide(db *d, int64_t training_id, int64_t nominee_id, const char *status,
                                        const char *now, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT status FROM training_nominee WHERE training_id = ? AND id = ?");
    db_bind_int(s, 1, training_id);
    db_bind_int(s, 2, nominee_id);
    json_t *row = db_row(s);
    if (!row) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy người được đề cử.");
    const char *cur = json_string_value(json_object_get(row, "status"));
    bool needs_seat = !strcmp(status, "confirmed") && (!strcmp(cur, "waiting") || !strcmp(cur, "declined"));
    json_decref(row);
    if (needs_seat) {
        int64_t taken, waiting, capacity;
        store_training_seats(d, training_id, &taken, &waiting, &capacity);
        if (db_failed(d)) return store_fail_db(res, d);
        if (taken >= capacity)
            return store_fail(res, STORE_CONFLICT, "Lớp đã đủ %lld chỗ; cần có người rút khỏi lớp trước khi xác nhận người trong danh sách chờ.",
                              (long long)capacity);
    }
    s = db_prepare(d, "UPDATE training_nominee SET status = ?, decided_at = ? WHERE training_id = ? AND id = ?");
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, training_id);
    db_bind_int(s, 4, nominee_id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

json_t *store_training_nominees(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT n.id, n.user_id, n.name, n.org_id, o.code AS org_code, o.name AS org_name, n.status, n.created_at, "
                               "(SELECT COUNT(*) FROM training_attendance a WHERE a.nominee_id = n.id AND a.present = 1) AS attended, "
                               "c.code AS certificate FROM training_nominee n JOIN org_unit o ON o.id = n.org_id "
                               "LEFT JOIN training_certificate c ON c.nominee_id = n.id WHERE n.training_id = ? "
                               "ORDER BY CASE n.status WHEN 'confirmed' THEN 0 WHEN 'nominated' THEN 1 WHEN 'waiting' THEN 2 ELSE 3 END, "
                               "CASE WHEN n.status = 'waiting' THEN n.id ELSE 0 END, o.name, n.name, n.id");
    db_bind_int(s, 1, id);
    json_t *rows = db_rows(s);
    size_t i;
    json_t *n;
    json_array_foreach(rows, i, n) {
        const char *l = training_status_label(json_string_value(json_object_get(n, "status")));
        json_object_set_new(n, "status_label", json_string(l ? l : ""));
    }
    return rows;
}

json_t *store_training_attendance_of(db *d, int64_t session_id)
{
    db_stmt *s = db_prepare(d, "SELECT nominee_id, present FROM training_attendance WHERE session_id = ?");
    db_bind_int(s, 1, session_id);
    json_t *rows = db_rows(s), *out = json_object();
    size_t i;
    json_t *a;
    json_array_foreach(rows, i, a) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(a, "nominee_id")));
        json_object_set_new(out, k, json_boolean(json_integer_value(json_object_get(a, "present"))));
    }
    json_decref(rows);
    return out;
}

enum store_status store_training_attend(db *d, int64_t session_id, int64_t training_id, json_t *present, int64_t by,
                                        const char *now, int *count, struct store_result *res)
{
    *count = 0;
    size_t i;
    json_t *v;
    json_array_foreach(present, i, v) {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM training_nominee WHERE id = ? AND training_id = ? AND status = 'confirmed'");
        db_bind_int(s, 1, json_integer_value(v));
        db_bind_int(s, 2, training_id);
        int64_t ok = db_scalar_int(s, 0);
        if (db_failed(d)) return store_fail_db(res, d);
        if (!ok) {
            char msg[160];
            snprintf(msg, sizeof msg, "Học viên số %lld chưa được xác nhận vào lớp này.", (long long)json_integer_value(v));
            store_field(res, "present", msg);
            return store_fail(res, STORE_INVALID, "%s", msg);
        }
    }
    /* Every confirmed nominee gets a row: absent unless listed. Present ones are counted in the same pass. */
    db_stmt *s = db_prepare(d, "SELECT id FROM training_nominee WHERE training_id = ? AND status = 'confirmed' ORDER BY id");
    db_bind_int(s, 1, training_id);
    json_t *ids = db_rows(s);
    if (db_failed(d)) { json_decref(ids); return store_fail_db(res, d); }
    json_t *row;
    json_array_foreach(ids, i, row) {
        int64_t nid = json_integer_value(json_object_get(row, "id"));
        int here = 0;
        size_t k;
        json_array_foreach(present, k, v) if (json_integer_value(v) == nid) here = 1;
        *count += here;
        s = db_prepare(d, "INSERT INTO training_attendance (session_id, nominee_id, present, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT (session_id, nominee_id) DO UPDATE SET present = excluded.present, "
                          "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at");
        db_bind_int(s, 1, session_id);
        db_bind_int(s, 2, nid);
        db_bind_int(s, 3, here);
        if (by) db_bind_int(s, 4, by); else db_bind_null(s, 4);
        db_bind_text(s, 5, now);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) { json_decref(ids); return store_fail_db(res, d); }
    }
    json_decref(ids);
    return STORE_OK;
}

enum store_status store_training_certify(db *d, int64_t training_id, const char *now, json_t **issued,
                                         struct store_result *res)
{
    *issued = json_array();
    db_stmt *s = db_prepare(d, "SELECT n.id, n.name, t.title FROM training_nominee n JOIN training t ON t.id = n.training_id "
                               "WHERE n.training_id = ? AND n.status = 'confirmed' "
                               "AND NOT EXISTS (SELECT 1 FROM training_certificate c WHERE c.nominee_id = n.id) "
                               "AND (SELECT COUNT(*) FROM training_attendance a WHERE a.nominee_id = n.id AND a.present = 1) >= t.min_sessions "
                               "ORDER BY n.id");
    db_bind_int(s, 1, training_id);
    json_t *due = db_rows(s);
    if (db_failed(d)) { json_decref(due); return store_fail_db(res, d); }
    size_t i;
    json_t *n;
    json_array_foreach(due, i, n) {
        char code[27];
        certificate_code_new(code);
        s = db_prepare(d, "INSERT INTO training_certificate (code, training_id, nominee_id, learner_name, training_title, issued_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)");
        db_bind_text(s, 1, code);
        db_bind_int(s, 2, training_id);
        db_bind_int(s, 3, json_integer_value(json_object_get(n, "id")));
        db_bind_text(s, 4, json_string_value(json_object_get(n, "name")));
        db_bind_text(s, 5, json_string_value(json_object_get(n, "title")));
        db_bind_text(s, 6, now);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) { json_decref(due); return store_fail_db(res, d); }
        json_array_append_new(*issued, json_pack("{s:O, s:O, s:s}", "nominee_id", json_object_get(n, "id"), "name",
                                                 json_object_get(n, "name"), "code", code));
    }
    json_decref(due);
    return STORE_OK;
}

json_t *store_training_report(db *d, int64_t org_id, const char *from, const char *to)
{
    db_stmt *s = db_prepare(d, "SELECT path FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, org_id);
    json_t *unit = db_row(s);
    const char *path = json_string_value(json_object_get(unit, "path"));
    if (!path) { json_decref(unit); return NULL; }
    /* A session counts as held once someone was marked present at it: a planned session is no training held. The
     * session's local date is the first ten characters of starts_at. */
    s = db_prepare(d, "SELECT COUNT(DISTINCT x.training_id) AS classes, COUNT(DISTINCT a.nominee_id) AS people, "
                      "MIN(substr(x.starts_at, 1, 10)) AS \"from\", MAX(substr(x.starts_at, 1, 10)) AS \"to\" "
                      "FROM training_attendance a JOIN training_session x ON x.id = a.session_id "
                      "JOIN training t ON t.id = x.training_id JOIN org_unit o ON o.id = t.org_id "
                      "WHERE a.present = 1 AND substr(x.starts_at, 1, 10) >= ? AND substr(x.starts_at, 1, 10) <= ? "
                      "AND substr(o.path, 1, ?) = ?");
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    db_bind_int(s, 3, (int64_t)strlen(path));
    db_bind_text(s, 4, path);
    json_t *out = db_row(s);
    json_decref(unit);
    return out;
}
