/* Changing an announced class in SQL: its edit (sessions already held stay as they were), its cancellation, and the
 * notices its nominees read in the app. Must not begin or commit (the caller's transaction holds the write and its
 * audit entry), nor decide who may change a class. */
#include "store/training.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *or_null(const char *s) { return s && *s ? s : NULL; }

static int step(db *d, db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR || db_failed(d) ? -1 : 0;
}

/* The class's state: STORE_NOT_FOUND, or STORE_CONFLICT when it is cancelled. */
static enum store_status open_class(db *d, int64_t id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT id, cancelled_at FROM training WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *t = db_row(s);
    if (!t) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy lớp tập huấn.");
    bool cancelled = json_is_string(json_object_get(t, "cancelled_at"));
    json_decref(t);
    return cancelled ? store_fail(res, STORE_CONFLICT, "Lớp tập huấn đã hủy; không sửa được nữa.") : STORE_OK;
}

static int by_time(const void *a, const void *b)
{
    return strcmp(((const struct training_session_in *)a)->starts_at, ((const struct training_session_in *)b)->starts_at);
}

enum store_status store_training_update(db *d, int64_t id, const struct training_in *in, const char *local_now,
                                        struct store_result *res)
{
    if (open_class(d, id, res)) return res->status;
    /* Sessions held already (started by now): each must come back at the same time; only its topic may change. */
    db_stmt *s = db_prepare(d, "SELECT id, starts_at FROM training_session WHERE training_id = ? AND starts_at <= ? ORDER BY seq");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, local_now);
    json_t *held = db_rows(s);
    if (db_failed(d)) { json_decref(held); return store_fail_db(res, d); }
    bool *used = calloc((size_t)in->nsessions + 1, sizeof *used);
    if (!used) { json_decref(held); return store_fail(res, STORE_ERROR, NULL); }
    size_t i;
    json_t *h;
    json_array_foreach(held, i, h) {
        const char *at = json_string_value(json_object_get(h, "starts_at"));
        int k = 0;
        while (k < in->nsessions && (used[k] || strcmp(in->sessions[k].starts_at, at))) k++;
        if (k == in->nsessions) {
            char msg[200];
            snprintf(msg, sizeof msg, "Buổi %.5s ngày %.2s/%.2s/%.4s đã diễn ra; không dời hay bỏ được buổi đã học.", at + 11, at + 8, at + 5, at);
            store_field(res, "sessions", msg);
            free(used), json_decref(held);
            return store_fail(res, STORE_CONFLICT, "%s", msg);
        }
        used[k] = true;
        s = db_prepare(d, "UPDATE training_session SET topic = ? WHERE id = ?");
        db_bind_text(s, 1, in->sessions[k].topic ? in->sessions[k].topic : "");
        db_bind_int(s, 2, json_integer_value(json_object_get(h, "id")));
        if (step(d, s)) { free(used), json_decref(held); return store_fail_db(res, d); }
    }
    json_decref(held);
    /* The others replace the sessions still to come, in time order after the held ones. */
    struct training_session_in *fresh = calloc((size_t)in->nsessions + 1, sizeof *fresh);
    int nfresh = 0;
    for (int k = 0; fresh && k < in->nsessions; k++) {
        if (used[k]) continue;
        if (strcmp(in->sessions[k].starts_at, local_now) <= 0) {
            store_field(res, "sessions", "Buổi mới phải sau thời điểm hiện tại.");
            free(used), free(fresh);
            return store_fail(res, STORE_INVALID, "Buổi mới phải sau thời điểm hiện tại.");
        }
        fresh[nfresh++] = in->sessions[k];
    }
    free(used);
    if (!fresh) return store_fail(res, STORE_ERROR, NULL);
    qsort(fresh, (size_t)nfresh, sizeof *fresh, by_time);
    int64_t taken = 0, waiting = 0, cap = 0;
    store_training_seats(d, id, &taken, &waiting, &cap);
    if (in->capacity < taken) {
        char msg[200];
        snprintf(msg, sizeof msg, "Đã có %lld người được đề cử; số chỗ không ít hơn được.", (long long)taken);
        store_field(res, "capacity", msg);
        free(fresh);
        return store_fail(res, STORE_CONFLICT, "%s", msg);
    }
    s = db_prepare(d, "UPDATE training SET title = ?, audience = ?, starts_on = ?, ends_on = ?, place = ?, online_url = ?, capacity = ?, "
                      "min_sessions = ?, description = ? WHERE id = ?");
    db_bind_text(s, 1, in->title);
    db_bind_text(s, 2, in->audience);
    db_bind_text(s, 3, in->starts_on);
    db_bind_text(s, 4, in->ends_on);
    db_bind_text(s, 5, or_null(in->place));
    db_bind_text(s, 6, or_null(in->online_url));
    db_bind_int(s, 7, in->capacity);
    db_bind_int(s, 8, in->min_sessions);
    db_bind_text(s, 9, in->description ? in->description : "");
    db_bind_int(s, 10, id);
    if (step(d, s)) { free(fresh); return store_fail_db(res, d); }
    s = db_prepare(d, "DELETE FROM training_session WHERE training_id = ? AND starts_at > ?");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, local_now);
    if (step(d, s)) { free(fresh); return store_fail_db(res, d); }
    s = db_prepare(d, "SELECT COALESCE(MAX(seq), 0) FROM training_session WHERE training_id = ?");
    db_bind_int(s, 1, id);
    int64_t seq = db_scalar_int(s, 0);
    for (int k = 0; k < nfresh; k++) {
        s = db_prepare(d, "INSERT INTO training_session (training_id, seq, starts_at, topic) VALUES (?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, ++seq);
        db_bind_text(s, 3, fresh[k].starts_at);
        db_bind_text(s, 4, fresh[k].topic ? fresh[k].topic : "");
        if (step(d, s)) { free(fresh); return store_fail_db(res, d); }
    }
    free(fresh);
    s = db_prepare(d, "DELETE FROM training_trainer WHERE training_id = ?");
    db_bind_int(s, 1, id);
    if (step(d, s)) return store_fail_db(res, d);
    for (int k = 0; k < in->ntrainers; k++) {
        /* Only an approved expert teaches, as at creation. */
        s = db_prepare(d, "INSERT INTO training_trainer (training_id, expert_id) SELECT ?, e.id FROM expert e "
                          "WHERE e.id = ? AND e.status = 'approved' ON CONFLICT (training_id, expert_id) DO NOTHING RETURNING expert_id");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, in->trainers[k]);
        int64_t got = db_scalar_int(s, 0);
        if (db_failed(d)) return store_fail_db(res, d);
        bool dup = false;
        for (int j = 0; j < k; j++) dup = dup || in->trainers[j] == in->trainers[k];
        if (!got && !dup) {
            char msg[128];
            snprintf(msg, sizeof msg, "Giảng viên số %lld không phải chuyên gia đã được duyệt trong mạng lưới.", (long long)in->trainers[k]);
            store_field(res, "trainers", msg);
            return store_fail(res, STORE_INVALID, "%s", msg);
        }
    }
    return STORE_OK;
}

enum store_status store_training_cancel(db *d, int64_t id, const char *reason, const char *now, const char *local_now,
                                        struct store_result *res)
{
    if (open_class(d, id, res)) return res->status;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM training_session WHERE training_id = ? AND starts_at <= ?");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, local_now);
    int64_t held = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (held) return store_fail(res, STORE_CONFLICT, "Lớp đã bắt đầu; không hủy được lớp đang học.");
    s = db_prepare(d, "UPDATE training SET cancelled_at = ?, cancel_reason = ? WHERE id = ? AND cancelled_at IS NULL");
    db_bind_text(s, 1, now);
    db_bind_text(s, 2, reason);
    db_bind_int(s, 3, id);
    return step(d, s) ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_training_notify(db *d, int64_t id, const char *kind, const char *message, const char *now, int *count,
                                        struct store_result *res)
{
    *count = 0;
    db_stmt *s = db_prepare(d, "INSERT INTO training_notice (training_id, nominee_id, user_id, org_id, kind, message, created_at) "
                               "SELECT n.training_id, n.id, n.user_id, n.org_id, ?, ?, ? FROM training_nominee n "
                               "WHERE n.training_id = ? AND n.status <> 'declined' RETURNING id");
    db_bind_text(s, 1, kind);
    db_bind_text(s, 2, message);
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    json_t *rows = db_rows(s);
    if (db_failed(d)) { json_decref(rows); return store_fail_db(res, d); }
    *count = (int)json_array_size(rows);
    json_decref(rows);
    return STORE_OK;
}

json_t *store_training_notices(db *d, int64_t uid, int limit)
{
    /* One notice per class and kind and moment: a unit nominating several people reads the change once. */
    db_stmt *s = db_prepare(d, "SELECT DISTINCT x.training_id, t.title, x.kind, x.message, x.created_at FROM training_notice x "
                               "JOIN training t ON t.id = x.training_id WHERE x.user_id = ? OR EXISTS (SELECT 1 FROM user_role ur "
                               "JOIN org_unit o ON o.id = ur.org_id JOIN org_unit nu ON nu.id = x.org_id WHERE ur.user_id = ? "
                               "AND ur.role IN ('officer', 'coordinator', 'admin') AND nu.path LIKE o.path || '%') "
                               "ORDER BY x.created_at DESC, x.training_id DESC LIMIT ?");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, uid);
    db_bind_int(s, 3, limit > 0 ? limit : 20);
    return db_rows(s);
}
