/* Units' requests for an expert in SQL: a new request, one with its matches and activities, the list an account sees,
 * proposing an expert and the expert's answer. Must not begin or commit (the caller's transaction holds the write and
 * its audit entry), nor decide who may match or answer (web/ does). */
#include "store/expert.h"
#include <stdio.h>
#include <string.h>

enum store_status store_expert_request_create(db *d, const struct expert_request_in *in, int64_t by, const char *now,
                                              int64_t *id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO expert_request (org_id, topic, field_code, starts_on, ends_on, mode, place, note, "
                               "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, in->org_id);
    db_bind_text(s, 2, in->topic);
    db_bind_text(s, 3, in->field_code);
    db_bind_text(s, 4, in->starts_on);
    db_bind_text(s, 5, in->ends_on);
    db_bind_text(s, 6, in->mode);
    db_bind_text(s, 7, in->place ? in->place : "");
    db_bind_text(s, 8, in->note ? in->note : "");
    if (by) db_bind_int(s, 9, by); else db_bind_null(s, 9);
    db_bind_text(s, 10, now);
    *id = db_scalar_int(s, 0);
    return *id ? STORE_OK : store_fail_db(res, d);
}

#define REQUEST_COLS "SELECT r.id, r.org_id, o.code AS org_code, o.name AS org_name, o.parent_id, r.topic, r.field_code, " \
                     "f.name AS field_name, r.starts_on, r.ends_on, r.mode, r.place, r.note, r.status, r.created_at " \
                     "FROM expert_request r JOIN org_unit o ON o.id = r.org_id JOIN expert_field f ON f.code = r.field_code "

enum store_status store_expert_request_get(db *d, int64_t id, json_t **out, struct store_result *res)
{
    *out = NULL;
    db_stmt *s = db_prepare(d, REQUEST_COLS "WHERE r.id = ?");
    db_bind_int(s, 1, id);
    json_t *r = db_row(s);
    if (!r) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy yêu cầu.");
    s = db_prepare(d, "SELECT m.expert_id, e.name, e.user_id, m.status, m.matched_at, m.answered_at FROM expert_match m "
                      "JOIN expert e ON e.id = m.expert_id WHERE m.request_id = ? ORDER BY m.matched_at, e.name_folded");
    db_bind_int(s, 1, id);
    json_t *matches = db_rows(s);
    s = db_prepare(d, "SELECT a.id, a.expert_id, e.name AS expert_name, a.kind, a.held_on, a.participants, a.result FROM expert_activity a "
                      "JOIN expert e ON e.id = a.expert_id WHERE a.request_id = ? ORDER BY a.held_on, a.id");
    db_bind_int(s, 1, id);
    json_t *acts = db_rows(s);
    if (db_failed(d) || !matches) {
        json_decref(r);
        json_decref(matches);
        json_decref(acts);
        return store_fail_db(res, d);
    }
    json_object_set_new(r, "matches", matches);
    json_object_set_new(r, "activities", acts);
    *out = r;
    return STORE_OK;
}

enum store_status store_expert_requests_list(db *d, int64_t uid, bool all, int64_t expert_id, json_t **out,
                                             struct store_result *res)
{
    db_stmt *s = db_prepare(d, REQUEST_COLS "WHERE ? = 1 OR EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id "
                               "WHERE ur.user_id = ? AND ur.role IN ('admin', 'coordinator', 'officer') AND o.path LIKE sc.path || '%') "
                               "OR EXISTS (SELECT 1 FROM expert_match m WHERE m.request_id = r.id AND m.expert_id = ?) "
                               "ORDER BY r.created_at DESC, r.id DESC LIMIT 200");
    db_bind_int(s, 1, all ? 1 : 0);
    db_bind_int(s, 2, uid);
    db_bind_int(s, 3, expert_id);
    *out = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*out);
    *out = NULL;
    return store_fail_db(res, d);
}

/* The request's status, or NULL (not found, or db_failed). */
static char *request_status(db *d, int64_t id, char buf[16])
{
    db_stmt *s = db_prepare(d, "SELECT status FROM expert_request WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    if (!row) return NULL;
    snprintf(buf, 16, "%s", json_string_value(json_object_get(row, "status")));
    json_decref(row);
    return buf;
}

enum store_status store_expert_match(db *d, int64_t request_id, int64_t expert_id, int64_t by, const char *now,
                                     struct store_result *res)
{
    char st[16];
    if (!request_status(d, request_id, st))
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy yêu cầu.");
    if (!strcmp(st, "done") || !strcmp(st, "cancelled")) return store_fail(res, STORE_CONFLICT, "Yêu cầu đã kết thúc.");
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM expert WHERE id = ? AND status = 'approved' AND accepts_requests = 1");
    db_bind_int(s, 1, expert_id);
    if (!db_scalar_int(s, 0)) {
        if (db_failed(d)) return store_fail_db(res, d);
        store_field(res, "expert_ids", "Chuyên gia không có trong mạng lưới hoặc đang không nhận yêu cầu.");
        return store_fail(res, STORE_INVALID, "Chuyên gia #%lld không có trong mạng lưới hoặc đang không nhận yêu cầu.", (long long)expert_id);
    }
    s = db_prepare(d, "INSERT INTO expert_match (request_id, expert_id, matched_by, matched_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING RETURNING expert_id");
    db_bind_int(s, 1, request_id);
    db_bind_int(s, 2, expert_id);
    if (by) db_bind_int(s, 3, by); else db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    int64_t got = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (!got) return store_fail(res, STORE_CONFLICT, "Chuyên gia #%lld đã được đề xuất cho yêu cầu này.", (long long)expert_id);
    s = db_prepare(d, "UPDATE expert_request SET status = 'matched' WHERE id = ?");
    db_bind_int(s, 1, request_id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_expert_answer(db *d, int64_t request_id, int64_t expert_id, bool accept, const char *now,
                                      struct store_result *res)
{
    char st[16];
    if (!request_status(d, request_id, st))
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy yêu cầu.");
    if (!strcmp(st, "done") || !strcmp(st, "cancelled")) return store_fail(res, STORE_CONFLICT, "Yêu cầu đã kết thúc.");
    db_stmt *s = db_prepare(d, "SELECT status FROM expert_match WHERE request_id = ? AND expert_id = ?");
    db_bind_int(s, 1, request_id);
    db_bind_int(s, 2, expert_id);
    json_t *m = db_row(s);
    if (!m) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Chuyên gia chưa được đề xuất cho yêu cầu này.");
    bool proposed = !strcmp(json_string_value(json_object_get(m, "status")), "proposed");
    json_decref(m);
    if (!proposed) return store_fail(res, STORE_CONFLICT, "Chuyên gia đã trả lời yêu cầu này.");
    s = db_prepare(d, "UPDATE expert_match SET status = ?, answered_at = ? WHERE request_id = ? AND expert_id = ?");
    db_bind_text(s, 1, accept ? "accepted" : "declined");
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, request_id);
    db_bind_int(s, 4, expert_id);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
    /* Every proposed expert declined: the request waits for a match again. */
    s = db_prepare(d, "UPDATE expert_request SET status = 'open' WHERE id = ? AND NOT EXISTS (SELECT 1 FROM expert_match m "
                      "WHERE m.request_id = ? AND m.status <> 'declined')");
    db_bind_int(s, 1, request_id);
    db_bind_int(s, 2, request_id);
    rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
