/* Experts' activities in SQL and the quarterly report of the network per field and province. Must not begin or commit
 * (the caller's transaction holds the write and its audit entry), nor decide who may record an activity. */
#include "store/expert.h"
#include <stdio.h>
#include <string.h>

enum store_status store_expert_activity_add(db *d, const struct expert_activity_in *in, int64_t by, const char *now,
                                            int64_t *id, struct store_result *res)
{
    *id = 0;
    if (in->request_id) {
        db_stmt *s = db_prepare(d, "SELECT r.status, m.status AS answer FROM expert_request r LEFT JOIN expert_match m "
                                   "ON m.request_id = r.id AND m.expert_id = ? WHERE r.id = ?");
        db_bind_int(s, 1, in->expert_id);
        db_bind_int(s, 2, in->request_id);
        json_t *row = db_row(s);
        if (!row) {
            if (db_failed(d)) return store_fail_db(res, d);
            store_field(res, "request_id", "Không tìm thấy yêu cầu.");
            return store_fail(res, STORE_INVALID, "Không tìm thấy yêu cầu.");
        }
        const char *st = json_string_value(json_object_get(row, "status")), *ans = json_string_value(json_object_get(row, "answer"));
        enum store_status bad = STORE_OK;
        if (!ans || strcmp(ans, "accepted")) bad = store_fail(res, STORE_CONFLICT, "Chuyên gia chưa nhận yêu cầu này.");
        else if (strcmp(st, "matched")) bad = store_fail(res, STORE_CONFLICT, "Yêu cầu đã kết thúc.");
        json_decref(row);
        if (bad) return bad;
    }
    db_stmt *s = db_prepare(d, "INSERT INTO expert_activity (expert_id, kind, held_on, field_code, org_id, participants, result, "
                               "request_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, in->expert_id);
    db_bind_text(s, 2, in->kind);
    db_bind_text(s, 3, in->held_on);
    db_bind_text(s, 4, in->field_code);
    db_bind_int(s, 5, in->org_id);
    db_bind_int(s, 6, in->participants);
    db_bind_text(s, 7, in->result ? in->result : "");
    if (in->request_id) db_bind_int(s, 8, in->request_id); else db_bind_null(s, 8);
    if (by) db_bind_int(s, 9, by); else db_bind_null(s, 9);
    db_bind_text(s, 10, now);
    *id = db_scalar_int(s, 0);
    if (!*id) return store_fail_db(res, d);
    if (in->request_id) {
        s = db_prepare(d, "UPDATE expert_request SET status = 'done' WHERE id = ?");
        db_bind_int(s, 1, in->request_id);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return store_fail_db(res, d);
    }
    return STORE_OK;
}

enum store_status store_expert_activities(db *d, int64_t expert_id, json_t **out, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT a.id, a.kind, a.held_on, a.org_id, o.name AS org_name, a.participants, a.result, a.field_code, "
                               "f.name AS field_name, a.request_id FROM expert_activity a JOIN org_unit o ON o.id = a.org_id "
                               "JOIN expert_field f ON f.code = a.field_code WHERE a.expert_id = ? ORDER BY a.held_on DESC, a.id DESC");
    db_bind_int(s, 1, expert_id);
    *out = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*out);
    *out = NULL;
    return store_fail_db(res, d);
}

/* The province a unit lies in, as a scalar subquery over the unit aliased `o` (NULL when none). */
#define PROVINCE_OF "(SELECT p.id FROM org_unit p WHERE p.kind = 'province' AND o.path LIKE p.path || '%' ORDER BY LENGTH(p.path) DESC LIMIT 1)"

/* The row of (field, province) in rows, made when missing. */
static json_t *cell(json_t *rows, const char *field, int64_t province)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        if (!strcmp(json_string_value(json_object_get(r, "field_code")), field) &&
            json_integer_value(json_object_get(r, "province_id")) == province) return r;
    r = json_pack("{s:s, s:I, s:i, s:i, s:i, s:i}", "field_code", field, "province_id", (json_int_t)province, "experts", 0,
                  "activities", 0, "units", 0, "waiting", 0);
    json_array_append_new(rows, r);
    return r;
}

/* Adds each grouped row's counts (columns 2 onwards, named by keys) into the cells. */
static int merge(db *d, db_stmt *s, json_t *rows, const char *const keys[])
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        json_t *c = cell(rows, db_col_text(s, 0), db_col_is_null(s, 1) ? 0 : db_col_int(s, 1));
        for (int k = 0; keys[k]; k++)
            json_object_set_new(c, keys[k], json_integer(json_integer_value(json_object_get(c, keys[k])) + db_col_int(s, 2 + k)));
    }
    db_done(s);
    (void)d;
    return rc == DB_ERROR ? -1 : 0;
}

enum store_status store_expert_report(db *d, const char *from, const char *to, json_t **out, struct store_result *res)
{
    *out = NULL;
    json_t *rows = json_array();
    static const char *const k_experts[] = { "experts", NULL }, *const k_acts[] = { "activities", "units", NULL },
                             *const k_wait[] = { "waiting", NULL };
    db_stmt *s = db_prepare(d, "SELECT x.field_code, e.province_id, COUNT(*) FROM expert e JOIN expert_expertise x ON x.expert_id = e.id "
                               "WHERE e.status = 'approved' GROUP BY x.field_code, e.province_id");
    if (merge(d, s, rows, k_experts)) goto fail;
    s = db_prepare(d, "SELECT q.field_code, q.pid, COUNT(*), COUNT(DISTINCT q.org_id) FROM (SELECT a.field_code, a.org_id, " PROVINCE_OF
                      " AS pid FROM expert_activity a JOIN org_unit o ON o.id = a.org_id WHERE a.held_on >= ? AND a.held_on <= ?) q "
                      "GROUP BY q.field_code, q.pid");
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    if (merge(d, s, rows, k_acts)) goto fail;
    s = db_prepare(d, "SELECT q.field_code, q.pid, COUNT(*) FROM (SELECT r.field_code, " PROVINCE_OF " AS pid FROM expert_request r "
                      "JOIN org_unit o ON o.id = r.org_id WHERE r.status IN ('open', 'matched')) q GROUP BY q.field_code, q.pid");
    if (merge(d, s, rows, k_wait)) goto fail;
    /* Names, and the totals: distinct experts and units, not the sum over fields (an expert of two fields is one). */
    s = db_prepare(d, "SELECT code, name, sort FROM expert_field");
    json_t *fields = db_rows(s);
    s = db_prepare(d, "SELECT id, name FROM org_unit WHERE kind = 'province'");
    json_t *provs = db_rows(s);
    if (db_failed(d)) { json_decref(fields); json_decref(provs); goto fail; }
    size_t i, j;
    json_t *r, *x;
    json_array_foreach(rows, i, r) {
        json_array_foreach(fields, j, x)
            if (!strcmp(json_string_value(json_object_get(x, "code")), json_string_value(json_object_get(r, "field_code")))) {
                json_object_set(r, "field_name", json_object_get(x, "name"));
                json_object_set(r, "sort", json_object_get(x, "sort"));
            }
        const char *pn = "Trung ương, bộ, ngành";
        json_array_foreach(provs, j, x)
            if (json_integer_value(json_object_get(x, "id")) == json_integer_value(json_object_get(r, "province_id")))
                pn = json_string_value(json_object_get(x, "name"));
        json_object_set_new(r, "province_name", json_string(pn));
    }
    json_decref(fields);
    json_decref(provs);
    s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM expert WHERE status = 'approved'), "
                      "(SELECT COUNT(*) FROM expert_activity WHERE held_on >= ? AND held_on <= ?), "
                      "(SELECT COUNT(DISTINCT org_id) FROM expert_activity WHERE held_on >= ? AND held_on <= ?), "
                      "(SELECT COUNT(*) FROM expert_request WHERE status IN ('open', 'matched')), "
                      "(SELECT COUNT(*) FROM expert WHERE trained_on IS NOT NULL AND status <> 'removed')");
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    db_bind_text(s, 3, from);
    db_bind_text(s, 4, to);
    if (db_step(s) != DB_ROW) { db_done(s); goto fail; }
    json_t *totals = json_pack("{s:I, s:I, s:I, s:I}", "experts", (json_int_t)db_col_int(s, 0), "activities", (json_int_t)db_col_int(s, 1),
                               "units", (json_int_t)db_col_int(s, 2), "waiting", (json_int_t)db_col_int(s, 3));
    int64_t trained = db_col_int(s, 4);
    db_done(s);
    *out = json_pack("{s:o, s:o, s:I}", "rows", rows, "totals", totals, "trained", (json_int_t)trained);
    return STORE_OK;
fail:
    json_decref(rows);
    return store_fail_db(res, d);
}
