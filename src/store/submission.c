/* Submissions in the store: the one row per form, unit and period, its values, its history and the totals kept
 * beside it. Timeliness is fixed at the first submission; locking is checked on every write, under the write lock.
 * Must not know about HTTP nor decide who may write for a unit: callers check roles. */
#include "store/submission.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static json_int_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static bool received(const char *status) { return status && (!strcmp(status, "submitted") || !strcmp(status, "approved")); }

static json_t *current(db *d, int64_t form_id, int64_t org_id, const char *period)
{
    db_stmt *s = db_prepare(d, "SELECT id, status, version, top_id, org_kind FROM submission WHERE form_id = ? AND org_id = ? AND period = ?");
    db_bind_int(s, 1, form_id);
    db_bind_int(s, 2, org_id);
    db_bind_text(s, 3, period);
    return db_row(s);
}

enum store_status store_submission_check(db *d, json_t *form, const struct rperiod *p, int64_t org_id, const char *action,
                                         const char *today, struct store_result *res)
{
    struct ymd t;
    date_parse_iso(today, &t);
    db_stmt *s = db_prepare(d, "SELECT until FROM form_lock_exception WHERE form_id = ? AND org_id = ?");
    db_bind_int(s, 1, num(form, "id"));
    db_bind_int(s, 2, org_id);
    json_t *ex = db_row(s);
    if (!ex && db_failed(d)) return store_fail_db(res, d);
    struct ymd until = { 0 };
    bool has_ex = ex && date_parse_iso(str(ex, "until"), &until);
    json_decref(ex);
    if (rperiod_locked(p, t, has_ex, until)) {
        char a[11];
        date_format_vn(p->lock, a);
        return store_fail(res, STORE_CONFLICT, "Kỳ báo cáo %s đã khóa sổ sau ngày %s; liên hệ Trung tâm nếu cần mở lại.", p->label, a);
    }
    json_t *cur = current(d, num(form, "id"), org_id, p->key);
    if (!cur && db_failed(d)) return store_fail_db(res, d);
    const char *st = cur ? str(cur, "status") : NULL;
    enum store_status out = STORE_OK;
    if (st && !strcmp(st, "approved"))
        out = store_fail(res, STORE_CONFLICT, "Báo cáo đã được đơn vị cấp trên phê duyệt nên không sửa được nữa.");
    else if (st && !strcmp(st, "submitted") && action && !strcmp(action, "save"))
        out = store_fail(res, STORE_CONFLICT, "Báo cáo đã nộp; hãy nộp lại để cập nhật thay vì lưu nháp.");
    json_decref(cur);
    return out;
}

/* Adds (sign +1) or removes (-1) a submission's numeric values from the running totals. */
static int apply_totals(db *d, int64_t sub_id, int sign)
{
    db_stmt *s = db_prepare(d, "INSERT INTO form_total (form_id, period, top_id, org_kind, indicator_id, total, n) "
                               "SELECT s.form_id, s.period, s.top_id, s.org_kind, v.indicator_id, ? * v.num, ? "
                               "FROM submission s JOIN submission_value v ON v.submission_id = s.id "
                               "WHERE s.id = ? AND v.num IS NOT NULL "
                               "ON CONFLICT (form_id, period, top_id, org_kind, indicator_id) DO UPDATE SET "
                               "total = form_total.total + excluded.total, n = form_total.n + excluded.n");
    db_bind_int(s, 1, sign);
    db_bind_int(s, 2, sign);
    db_bind_int(s, 3, sub_id);
    int rc = db_step(s) == DB_ERROR ? -1 : 0;
    db_done(s);
    return rc;
}

static int64_t indicator_id(json_t *form, const char *code)
{
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind)
        if (!strcmp(str(ind, "code"), code)) return num(ind, "id");
    return 0;
}

static int write_values(db *d, int64_t sub_id, json_t *form, json_t *values)
{
    db_stmt *s = db_prepare(d, "DELETE FROM submission_value WHERE submission_id = ?");
    db_bind_int(s, 1, sub_id);
    int rc = db_step(s) == DB_ERROR ? -1 : 0;
    db_done(s);
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
        s = db_prepare(d, "INSERT INTO submission_value (submission_id, indicator_id, num, txt) VALUES (?, ?, CAST(? AS DOUBLE PRECISION), ?)");
        db_bind_int(s, 1, sub_id);
        db_bind_int(s, 2, indicator_id(form, k));
        char b[40];
        if (json_is_number(v)) { snprintf(b, sizeof b, "%.17g", json_number_value(v)); db_bind_text(s, 3, b); db_bind_null(s, 4); }
        else if (json_is_boolean(v)) { db_bind_text(s, 3, json_is_true(v) ? "1" : "0"); db_bind_null(s, 4); }
        else { db_bind_null(s, 3); db_bind_text(s, 4, json_string_value(v)); }
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    return rc;
}

/* The submission's values as a JSON object code → value (text as a string, a whole number as an integer, else a
 * number), as history keeps them. Built here rather than with SQLite's json_group_object, which PostgreSQL spells
 * json_object_agg. NULL on a database error or out of memory. */
static char *values_json(db *d, int64_t sub_id)
{
    db_stmt *s = db_prepare(d, "SELECT i.code, v.txt, v.num FROM submission_value v JOIN indicator i ON i.id = v.indicator_id "
                               "WHERE v.submission_id = ? ORDER BY v.indicator_id");
    db_bind_int(s, 1, sub_id);
    json_t *o = json_object();
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        json_t *v;
        double x = db_col_double(s, 2);
        if (!db_col_is_null(s, 1)) v = json_string(db_col_text(s, 1));
        else if (db_col_is_null(s, 2)) v = json_null();
        else if (x >= -9.2e18 && x <= 9.2e18 && x == (double)(long long)x) v = json_integer((json_int_t)x);
        else v = json_real(x);
        json_object_set_new(o, db_col_text(s, 0), v);
    }
    db_done(s);
    char *out = rc == DB_ERROR ? NULL : json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(o);
    return out;
}

static int history(db *d, int64_t sub_id, int64_t user_id, const char *action, const char *note)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    char *vals = values_json(d, sub_id);
    if (!vals) return -1;
    db_stmt *s = db_prepare(d, "INSERT INTO submission_history (submission_id, version, at, user_id, action, status, vals, note) "
                               "SELECT id, version, ?, ?, ?, status, ?, ? FROM submission WHERE id = ?");
    db_bind_text(s, 1, now);
    if (user_id) db_bind_int(s, 2, user_id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, vals);
    db_bind_text(s, 5, note && *note ? note : NULL);
    db_bind_int(s, 6, sub_id);
    int rc = db_step(s) == DB_ERROR ? -1 : 0;
    db_done(s);
    free(vals);
    return rc;
}

/* Rolls back the transaction begun here, with res already set (or set now from the engine when st says so). */
static enum store_status undo(db *d, enum store_status st, struct store_result *res)
{
    if (st == STORE_ERROR || st == STORE_BUSY) st = store_fail_db(res, d);
    db_rollback(d);
    return st;
}

enum store_status store_submission_save(db *d, const struct sub_put *in, int64_t *out_id, struct store_result *res)
{
    *out_id = 0;
    int64_t form_id = num(in->form, "id");
    /* The write lock first, then the checks: no other writer can approve or lock the report between them. */
    if (db_begin(d)) return undo(d, STORE_BUSY, res);
    enum store_status st = store_submission_check(d, in->form, in->period, in->org_id, in->action, in->today, res);
    if (st != STORE_OK) {
        db_rollback(d);
        return st;
    }
    db_stmt *s = db_prepare(d, "SELECT path, kind FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, in->org_id);
    json_t *org = db_row(s);
    if (!org) {
        if (db_failed(d)) return undo(d, STORE_ERROR, res);
        store_fail(res, STORE_NOT_FOUND, "Không tìm thấy đơn vị.");
        db_rollback(d);
        return STORE_NOT_FOUND;
    }
    /* The top unit is the path's second id (the unit just under the nation), or the nation itself. */
    const char *path = str(org, "path");
    long long top = 0, first = 0;
    if (sscanf(path, "/%lld/%lld/", &first, &top) < 2) top = first;
    bool submit = strcmp(in->action, "save") != 0;
    const char *status = submit ? "submitted" : "draft";
    char now[21];
    date_utc_iso(time(NULL), now);
    struct ymd today;
    date_parse_iso(in->today, &today);
    bool on_time = rperiod_on_time(in->period, today);

    json_t *cur = current(d, form_id, in->org_id, in->period->key);
    int rc = 0;
    if (cur && received(str(cur, "status"))) rc = apply_totals(d, num(cur, "id"), -1);
    json_decref(cur);
    s = db_prepare(d, "INSERT INTO submission (form_id, org_id, period, status, version, first_submitted_at, submitted_at, submitted_on, "
                      "on_time, top_id, org_path, org_kind, plan_id, file_sha256, file_name, comment, updated_by, updated_at) "
                      "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      /* The old row is named submission.x: a bare x is ambiguous with excluded.x in PostgreSQL. */
                      "ON CONFLICT (form_id, org_id, period) DO UPDATE SET status = excluded.status, version = submission.version + 1, "
                      "first_submitted_at = COALESCE(submission.first_submitted_at, excluded.first_submitted_at), "
                      "submitted_at = COALESCE(excluded.submitted_at, submission.submitted_at), "
                      "submitted_on = COALESCE(submission.submitted_on, excluded.submitted_on), "
                      "on_time = COALESCE(submission.on_time, excluded.on_time), "
                      "plan_id = COALESCE(excluded.plan_id, submission.plan_id), "
                      "file_sha256 = COALESCE(excluded.file_sha256, submission.file_sha256), "
                      "file_name = COALESCE(excluded.file_name, submission.file_name), comment = excluded.comment, review_note = NULL, "
                      "updated_by = excluded.updated_by, updated_at = excluded.updated_at RETURNING id");
    db_bind_int(s, 1, form_id);
    db_bind_int(s, 2, in->org_id);
    db_bind_text(s, 3, in->period->key);
    db_bind_text(s, 4, status);
    db_bind_text(s, 5, submit ? now : NULL);
    db_bind_text(s, 6, submit ? now : NULL);
    db_bind_text(s, 7, submit ? in->today : NULL);
    if (submit) db_bind_int(s, 8, on_time);
    else db_bind_null(s, 8);
    db_bind_int(s, 9, top);
    db_bind_text(s, 10, path);
    db_bind_text(s, 11, str(org, "kind"));
    if (in->plan_id) db_bind_int(s, 12, in->plan_id);
    else db_bind_null(s, 12);
    db_bind_text(s, 13, in->file_sha);
    db_bind_text(s, 14, in->file_name);
    db_bind_text(s, 15, in->comment && *in->comment ? in->comment : NULL);
    if (in->user_id) db_bind_int(s, 16, in->user_id);
    else db_bind_null(s, 16);
    db_bind_text(s, 17, now);
    int64_t id = rc ? 0 : db_scalar_int(s, 0);
    json_decref(org);
    if (!id) rc = -1;
    if (!rc) rc = write_values(d, id, in->form, in->values);
    if (!rc && submit) rc = apply_totals(d, id, +1);
    if (!rc) rc = history(d, id, in->user_id, in->action, in->comment);
    if (rc) return undo(d, STORE_ERROR, res);
    if (db_commit(d)) return store_fail_db(res, d);
    *out_id = id;
    return STORE_OK;
}

int64_t store_submission_submitter(db *d, int64_t sub_id)
{
    db_stmt *s = db_prepare(d, "SELECT user_id FROM submission_history WHERE submission_id = ? AND action IN ('submit', 'upload') "
                               "ORDER BY id DESC LIMIT 1");
    db_bind_int(s, 1, sub_id);
    return db_scalar_int(s, 0);
}

enum store_status store_submission_decide(db *d, int64_t sub_id, int64_t user_id, bool approve, const char *note,
                                          struct store_result *res)
{
    /* The status is read under the write lock, so two reviewers cannot both decide the same version. */
    if (db_begin(d)) return undo(d, STORE_BUSY, res);
    db_stmt *s = db_prepare(d, "SELECT status FROM submission WHERE id = ?");
    db_bind_int(s, 1, sub_id);
    json_t *row = db_row(s);
    if (!row && db_failed(d)) return undo(d, STORE_ERROR, res);
    const char *st = row ? str(row, "status") : NULL;
    enum store_status refused = STORE_OK;
    if (!st) refused = store_fail(res, STORE_NOT_FOUND, "Không có báo cáo này.");
    else if (!strcmp(st, "approved")) refused = store_fail(res, STORE_CONFLICT, "Báo cáo đã được phê duyệt trước đó.");
    else if (strcmp(st, "submitted")) refused = store_fail(res, STORE_CONFLICT, "Chỉ phê duyệt hoặc trả lại được báo cáo đã nộp.");
    else if (approve && user_id && store_submission_submitter(d, sub_id) == user_id)
        refused = store_fail(res, STORE_FORBIDDEN, "Bạn đã gửi báo cáo này nên không tự phê duyệt được; cần một người khác "
                             "của đơn vị cấp trên phê duyệt.");
    json_decref(row);
    if (refused != STORE_OK) {
        db_rollback(d);
        return refused;
    }
    char now[21];
    date_utc_iso(time(NULL), now);
    int rc = approve ? 0 : apply_totals(d, sub_id, -1);
    s = db_prepare(d, "UPDATE submission SET status = ?, version = version + 1, review_note = ?, updated_by = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, approve ? "approved" : "returned");
    db_bind_text(s, 2, note && *note ? note : NULL);
    if (user_id) db_bind_int(s, 3, user_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, sub_id);
    if (db_step(s) == DB_ERROR) rc = -1;
    db_done(s);
    if (!rc) rc = history(d, sub_id, user_id, approve ? "approve" : "return", note);
    if (rc) return undo(d, STORE_ERROR, res);
    if (db_commit(d)) return store_fail_db(res, d);
    return STORE_OK;
}

static json_t *with_details(db *d, json_t *sub)
{
    if (!sub) return NULL;
    int64_t id = num(sub, "id");
    db_stmt *s = db_prepare(d, "SELECT i.code, i.type, v.num, v.txt FROM submission_value v JOIN indicator i ON i.id = v.indicator_id "
                               "WHERE v.submission_id = ?");
    db_bind_int(s, 1, id);
    json_t *vals = json_object();
    while (db_step(s) == DB_ROW) {
        const char *code = db_col_text(s, 0), *type = db_col_text(s, 1);
        json_t *v;
        if (db_col_is_null(s, 2)) v = json_string(db_col_text(s, 3) ? db_col_text(s, 3) : "");
        else if (!strcmp(type, "bool")) v = json_boolean(db_col_int(s, 2));
        else if (!strcmp(type, "integer")) v = json_integer(db_col_int(s, 2));
        else v = json_real(strtod(db_col_text(s, 2), NULL));
        json_object_set_new(vals, code, v);
    }
    db_done(s);
    json_object_set_new(sub, "values", vals);
    s = db_prepare(d, "SELECT h.version, h.at, h.action, h.status, h.vals, h.note, u.name AS user_name FROM submission_history h "
                      "LEFT JOIN app_user u ON u.id = h.user_id WHERE h.submission_id = ? ORDER BY h.id DESC");
    db_bind_int(s, 1, id);
    json_t *hist = db_rows(s);
    size_t i;
    json_t *h;
    json_array_foreach(hist, i, h) {
        json_t *v = json_loads(json_string_value(json_object_get(h, "vals")), 0, NULL);
        json_object_set_new(h, "vals", v ? v : json_object());
    }
    json_object_set_new(sub, "history", hist);
    json_object_set_new(sub, "on_time", json_is_null(json_object_get(sub, "on_time")) ? json_null()
                                        : json_boolean(num(sub, "on_time")));
    return sub;
}

#define SUB_COLS "SELECT s.id, s.form_id, s.org_id, o.name AS org_name, o.parent_id AS org_parent, s.period, s.status, s.version, " \
                 "s.first_submitted_at, s.submitted_at, s.submitted_on, s.on_time, s.plan_id, s.file_sha256, s.file_name, s.comment, " \
                 "s.review_note, s.updated_at FROM submission s JOIN org_unit o ON o.id = s.org_id "

json_t *store_submission_get(db *d, int64_t form_id, int64_t org_id, const char *period)
{
    db_stmt *s = db_prepare(d, SUB_COLS "WHERE s.form_id = ? AND s.org_id = ? AND s.period = ?");
    db_bind_int(s, 1, form_id);
    db_bind_int(s, 2, org_id);
    db_bind_text(s, 3, period);
    return with_details(d, db_row(s));
}

json_t *store_submission_by_id(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, SUB_COLS "WHERE s.id = ?");
    db_bind_int(s, 1, id);
    return with_details(d, db_row(s));
}

/* The older shape of the answers above (struct sub_refusal), kept for the seeders and the unit tests. */
static void refusal_of(enum store_status st, const struct store_result *res, struct sub_refusal *why)
{
    why->why[0] = 0;
    why->forbidden = st == STORE_FORBIDDEN;
    if (st == STORE_OK || st == STORE_BUSY || st == STORE_ERROR) return;
    size_t n = strnlen(res->message, sizeof why->why - 1);   /* the messages are shorter than the old field */
    memcpy(why->why, res->message, n);
    why->why[n] = 0;
}

bool store_submission_writable(db *d, json_t *form, const struct rperiod *p, int64_t org_id, const char *action,
                               const char *today, struct sub_refusal *why)
{
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_submission_check(d, form, p, org_id, action, today, &res);
    refusal_of(st, &res, why);
    store_result_free(&res);
    return st == STORE_OK;
}

int64_t store_submission_put(db *d, const struct sub_put *in, struct sub_refusal *why)
{
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    enum store_status st = store_submission_save(d, in, &id, &res);
    refusal_of(st, &res, why);
    store_result_free(&res);
    return st == STORE_OK ? id : st == STORE_CONFLICT ? 0 : -1;
}

int store_submission_review(db *d, int64_t sub_id, int64_t user_id, bool approve, const char *note, struct sub_refusal *why)
{
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_submission_decide(d, sub_id, user_id, approve, note, &res);
    refusal_of(st, &res, why);
    store_result_free(&res);
    return st == STORE_BUSY || st == STORE_ERROR ? -1 : 0;
}
