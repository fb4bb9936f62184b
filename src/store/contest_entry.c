/* Entries of an award contest: drafts, submissions before the deadline, withdrawal, the applicant's view and the
 * organiser's list, and the status label an applicant reads. Must not know about HTTP nor check roles on units. */
#include "store/contest.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* "2026-06-30T16:59:59Z" → "30/06/2026" (the date in the store's UTC; deadlines are set at Vietnamese midnight). */
static void vn_date(const char *iso, char out[11])
{
    if (iso && strlen(iso) >= 10) snprintf(out, 11, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else snprintf(out, 11, "?");
}

static json_t *category_of(json_t *contest, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(contest, "categories"), i, c) if (code && !strcmp(str(c, "code"), code)) return c;
    return NULL;
}

static bool may_enter(json_t *cat, const char *kind)
{
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(cat, "eligible"), i, k) if (kind && !strcmp(json_string_value(k), kind)) return true;
    return false;
}

static bool is_integer(const char *s)
{
    if (*s == '-') s++;
    if (!*s) return false;
    for (; *s; s++) if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* The values as the form defines them: unknown codes dropped, numbers and booleans read, choices among their list;
 * file fields keep what the page stored ({sha, name, size, mime}). Required fields are demanded on submit only. */
static json_t *check_values(json_t *contest, json_t *values, bool submit, struct store_result *res)
{
    json_t *out = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(contest, "fields"), i, f) {
        const char *code = str(f, "code"), *type = str(f, "type"), *label = str(f, "label");
        json_t *v = json_object_get(values, code);
        char msg[300];
        bool empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
        if (empty) {
            if (submit && num(f, "required")) {
                snprintf(msg, sizeof msg, "Cần điền \"%s\".", label);
                store_field(res, code, msg);
            }
            continue;
        }
        if (!strcmp(type, "file")) {
            if (json_is_object(v) && str(v, "sha")) json_object_set(out, code, v);
            else store_field(res, code, "Tệp phải được tải lên qua biểu mẫu.");
            continue;
        }
        const char *s = json_string_value(v);
        char buf[64];
        if (json_is_integer(v)) snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v)), s = buf;
        else if (json_is_real(v)) snprintf(buf, sizeof buf, "%g", json_real_value(v)), s = buf;
        else if (json_is_boolean(v)) s = json_is_true(v) ? "1" : "0";
        if (!s) { snprintf(msg, sizeof msg, "\"%s\" không hợp lệ.", label); store_field(res, code, msg); continue; }
        if (!strcmp(type, "integer")) {
            if (!is_integer(s) || strlen(s) > 15) { snprintf(msg, sizeof msg, "\"%s\" phải là số nguyên.", label); store_field(res, code, msg); }
            else json_object_set_new(out, code, json_integer(strtoll(s, NULL, 10)));
        } else if (!strcmp(type, "decimal")) {
            char *end;
            double x = strtod(s, &end);
            if (!*s || *end) { snprintf(msg, sizeof msg, "\"%s\" phải là số.", label); store_field(res, code, msg); }
            else json_object_set_new(out, code, json_real(x));
        } else if (!strcmp(type, "bool")) {
            json_object_set_new(out, code, json_boolean(!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "có")));
        } else if (!strcmp(type, "choice")) {
            bool found = false;
            size_t j;
            json_t *c;
            json_array_foreach(json_object_get(f, "choices"), j, c) if (!strcmp(json_string_value(c), s)) found = true;
            if (!found) { snprintf(msg, sizeof msg, "\"%s\": chọn một trong các phương án đã cho.", label); store_field(res, code, msg); }
            else json_object_set_new(out, code, json_string(s));
        } else {
            size_t max = !strcmp(type, "text") ? 500 : 20000;
            if (strlen(s) > max) { snprintf(msg, sizeof msg, "\"%s\" dài quá %zu ký tự.", label, max); store_field(res, code, msg); }
            else json_object_set_new(out, code, json_string(s));
        }
    }
    return out;
}

/* The window: before opens_at nothing is taken; at or after closes_at neither drafts nor submissions. */
static enum store_status window_ok(json_t *contest, const char *now, struct store_result *res)
{
    char dl[11];
    vn_date(str(contest, "closes_at"), dl);
    if (strcmp(now, str(contest, "opens_at")) < 0) {
        char op[11];
        vn_date(str(contest, "opens_at"), op);
        return store_fail(res, STORE_CONFLICT, "Cuộc thi chưa mở nhận hồ sơ (mở từ %s).", op);
    }
    if (strcmp(now, str(contest, "closes_at")) >= 0)
        return store_fail(res, STORE_CONFLICT, "Đã hết hạn nộp hồ sơ (hạn chót %s).", dl);
    return STORE_OK;
}

enum store_status store_contest_entry_save(db *d, json_t *contest, const struct contest_entry_in *in, int64_t *id,
                                           struct store_result *res)
{
    int64_t cid = num(contest, "id");
    json_t *cur = NULL;
    if (in->id) {
        cur = store_contest_entry(d, cid, in->id);
        if (!cur) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có hồ sơ này.");
        if (num(cur, "user_id") != in->user_id) { json_decref(cur); return store_fail(res, STORE_FORBIDDEN, "Đây không phải hồ sơ của bạn."); }
        bool withdrawn = !strcmp(str(cur, "status"), "withdrawn");
        json_decref(cur);
        if (withdrawn) return store_fail(res, STORE_CONFLICT, "Hồ sơ đã rút, không sửa được nữa.");
    }
    if (window_ok(contest, in->now, res)) return res->status;
    json_t *cat = category_of(contest, in->category);
    if (!cat) store_field(res, "category", "Chọn một hạng mục của cuộc thi.");
    else if (!may_enter(cat, in->applicant_kind)) store_field(res, "applicant_kind", "Hạng mục này không nhận đối tượng tham gia đã chọn.");
    if (!in->title || !*in->title || strlen(in->title) > 300) store_field(res, "title", "Cần tên hồ sơ (tối đa 300 ký tự).");
    if (!in->applicant_name || !*in->applicant_name || strlen(in->applicant_name) > 300) store_field(res, "applicant_name", "Cần tên người hoặc đơn vị dự thi.");
    if (in->applicant_kind && !strcmp(in->applicant_kind, "organisation") && !in->org_id)
        store_field(res, "org", "Tổ chức dự thi cần nêu đơn vị của mình.");
    if (in->applicant_kind && !strcmp(in->applicant_kind, "enterprise") && (!in->enterprise || !*in->enterprise))
        store_field(res, "enterprise", "Doanh nghiệp dự thi cần nêu tên doanh nghiệp.");
    if (in->nominee && *in->nominee && !in->org_id) store_field(res, "org", "Đề cử cá nhân, tập thể phải do một đơn vị gửi.");
    json_t *vals = check_values(contest, in->values, in->submit, res);
    if (res->status != STORE_OK) { json_decref(vals); return res->status; }
    char *fields = json_dumps(vals, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(vals);
    db_stmt *s;
    if (in->id)
        s = db_prepare(d, "UPDATE contest_entry SET category_id = ?, applicant_kind = ?, org_id = ?, enterprise = ?, applicant_name = ?, "
                          "nominee = ?, title = ?, fields = ?, updated_at = ?, "
                          "status = CASE WHEN ? = 1 THEN 'submitted' ELSE status END, "
                          "submitted_at = CASE WHEN ? = 1 AND submitted_at IS NULL THEN ? ELSE submitted_at END, "
                          "round_seq = CASE WHEN ? = 1 AND round_seq = 0 THEN 1 ELSE round_seq END "
                          "WHERE id = ? RETURNING id");
    else
        s = db_prepare(d, "INSERT INTO contest_entry (category_id, applicant_kind, org_id, enterprise, applicant_name, nominee, title, "
                          "fields, updated_at, status, submitted_at, round_seq, contest_id, user_id, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 1 THEN 'submitted' ELSE 'draft' END, "
                          "CASE WHEN ? = 1 THEN ? END, CASE WHEN ? = 1 THEN 1 ELSE 0 END, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, num(cat, "id"));
    db_bind_text(s, 2, in->applicant_kind);
    if (in->org_id) db_bind_int(s, 3, in->org_id); else db_bind_null(s, 3);
    db_bind_text(s, 4, in->enterprise && *in->enterprise ? in->enterprise : NULL);
    db_bind_text(s, 5, in->applicant_name);
    db_bind_text(s, 6, in->nominee && *in->nominee ? in->nominee : NULL);
    db_bind_text(s, 7, in->title);
    db_bind_text(s, 8, fields);
    db_bind_text(s, 9, in->now);
    db_bind_int(s, 10, in->submit);
    db_bind_int(s, 11, in->submit);
    db_bind_text(s, 12, in->now);
    db_bind_int(s, 13, in->submit);
    if (in->id) db_bind_int(s, 14, in->id);
    else db_bind_int(s, 14, cid), db_bind_int(s, 15, in->user_id), db_bind_text(s, 16, in->now);
    int64_t got = db_scalar_int(s, 0);
    free(fields);
    if (!got) return store_fail_db(res, d);
    *id = got;
    return STORE_OK;
}

enum store_status store_contest_entry_withdraw(db *d, json_t *contest, int64_t entry_id, int64_t user_id,
                                               const char *now, struct store_result *res)
{
    json_t *e = store_contest_entry(d, num(contest, "id"), entry_id);
    if (!e) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có hồ sơ này.");
    bool mine = num(e, "user_id") == user_id, gone = !strcmp(str(e, "status"), "withdrawn"), won = str(e, "award") != NULL;
    json_decref(e);
    if (!mine) return store_fail(res, STORE_FORBIDDEN, "Đây không phải hồ sơ của bạn.");
    if (gone) return store_fail(res, STORE_CONFLICT, "Hồ sơ đã rút trước đó.");
    if (won) return store_fail(res, STORE_CONFLICT, "Hồ sơ đã đoạt giải, không rút được.");
    db_stmt *s = db_prepare(d, "UPDATE contest_entry SET status = 'withdrawn', updated_at = ? WHERE id = ? RETURNING id");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, entry_id);
    return db_scalar_int(s, 0) ? STORE_OK : store_fail_db(res, d);
}

#define ENTRY_COLS "e.id, e.contest_id, e.category_id, cc.code AS category, cc.name AS category_name, e.user_id, " \
                   "e.applicant_kind, e.org_id, o.name AS org_name, e.enterprise, e.applicant_name, e.nominee, e.title, " \
                   "e.fields, e.status, e.round_seq, e.eligible, e.reason, e.award, e.created_at, e.updated_at, e.submitted_at, " \
                   "h.code AS honour_code "
#define ENTRY_FROM "FROM contest_entry e JOIN contest_category cc ON cc.id = e.category_id " \
                   "LEFT JOIN org_unit o ON o.id = e.org_id LEFT JOIN contest_honour h ON h.entry_id = e.id "

/* The stored fields' JSON text becomes an object. */
static json_t *expand(json_t *rows)
{
    size_t i;
    json_t *e;
    json_array_foreach(rows, i, e) {
        json_t *v = json_loads(str(e, "fields") ? str(e, "fields") : "{}", 0, NULL);
        json_object_set_new(e, "fields", v ? v : json_object());
    }
    return rows;
}

json_t *store_contest_entry(db *d, int64_t contest_id, int64_t entry_id)
{
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS ENTRY_FROM "WHERE e.contest_id = ? AND e.id = ?");
    db_bind_int(s, 1, contest_id);
    db_bind_int(s, 2, entry_id);
    json_t *rows = db_rows(s);
    json_t *e = json_array_size(rows) ? json_incref(json_array_get(expand(rows), 0)) : NULL;
    json_decref(rows);
    return e;
}

json_t *store_contest_entries_of(db *d, int64_t contest_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS ENTRY_FROM "WHERE e.contest_id = ? AND e.user_id = ? ORDER BY e.id DESC");
    db_bind_int(s, 1, contest_id);
    db_bind_int(s, 2, user_id);
    json_t *rows = db_rows(s);
    return expand(rows ? rows : json_array());
}

json_t *store_contest_entries(db *d, int64_t contest_id)
{
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS ENTRY_FROM "WHERE e.contest_id = ? AND e.status <> 'draft' "
                               "ORDER BY cc.sort, e.round_seq DESC, e.id");
    db_bind_int(s, 1, contest_id);
    json_t *rows = db_rows(s);
    return expand(rows ? rows : json_array());
}

void contest_entry_label(json_t *e, json_t *contest, bool published)
{
    const char *st = str(e, "status"), *key = st, *label = "Đã nộp";
    char buf[400];
    if (!strcmp(st, "draft")) label = "Bản nháp (chưa nộp)";
    else if (!strcmp(st, "withdrawn")) label = "Đã rút";
    else if (published && str(e, "award")) {
        key = "winner";
        snprintf(buf, sizeof buf, "Đoạt giải: %s", str(e, "award"));
        label = buf;
    } else if (json_is_integer(json_object_get(e, "eligible")) && !num(e, "eligible")) {
        key = "ineligible";
        snprintf(buf, sizeof buf, "Không đủ điều kiện: %s", str(e, "reason") ? str(e, "reason") : "");
        label = buf;
    } else if (num(e, "round_seq") >= 2) {
        key = "shortlisted";
        const char *rname = NULL;
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(contest, "rounds"), i, r) if (num(r, "seq") == num(e, "round_seq")) rname = str(r, "name");
        snprintf(buf, sizeof buf, "Vào %s", rname ? rname : "vòng sau");
        label = buf;
    } else if (json_is_integer(json_object_get(e, "eligible"))) {
        key = "eligible";
        label = "Đủ điều kiện";
    }
    json_object_set_new(e, "state", json_string(key));
    json_object_set_new(e, "state_label", json_string(label));
    json_object_set_new(e, "is_draft", json_boolean(!strcmp(st, "draft")));
    json_object_set_new(e, "can_withdraw", json_boolean(strcmp(st, "withdrawn") && !str(e, "award")));
    if (!published) json_object_del(e, "award"), json_object_del(e, "honour_code");
}
