/* Reporting forms in the store: the built-ins from data/forms.json, one definition with everything hanging off
 * it, and the centre's edits. Indicators are keyed by code so an edit never orphans values already reported.
 * Must not know about HTTP nor decide who may edit a form. */
#include "store/form.h"
#include "core/date.h"
#include "core/files.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *types[] = { "integer", "decimal", "bool", "text", "choice", NULL };
static const char *kinds[] = { "plan", "report", "other", NULL };
static const char *ops[] = { "<=", "<", ">=", ">", "=", "!=", NULL };

static bool in_list(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s)) return true;
    return false;
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Replaces every "{year}" in s. malloc'd. */
static char *with_year(const char *s, int year)
{
    if (!s) return NULL;
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 1), *o = out;
    for (const char *p = s; *p;)
        if (!strncmp(p, "{year}", 6)) { o = stpcpy(o, y); p += 6; }
        else *o++ = *p++;
    *o = 0;
    return out;
}

/* A deep copy of the template with {year} substituted in every string. */
static json_t *instantiate(json_t *v, int year)
{
    if (json_is_string(v)) {
        char *s = with_year(json_string_value(v), year);
        json_t *r = json_string(s);
        free(s);
        return r;
    }
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) json_array_append_new(a, instantiate(x, year));
        return a;
    }
    if (json_is_object(v)) {
        json_t *o = json_object();
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) json_object_set_new(o, k, instantiate(x, year));
        return o;
    }
    return json_incref(v);
}

int store_forms_builtin(db *d)
{
    const struct embedded_file *f = files_get("data/forms.json");
    if (!f) return 0;
    json_error_t e;
    json_t *root = json_loadb((const char *)f->data, f->size, 0, &e);
    if (!root) { fprintf(stderr, "data/forms.json:%d: %s\n", e.line, e.text); return -1; }
    json_t *years = db_rows(db_prepare(d, "SELECT year FROM campaign ORDER BY year"));
    int rc = 0;
    if (db_begin(d)) {
        db_rollback(d);
        json_decref(years);
        json_decref(root);
        return -1;
    }
    size_t i, j;
    json_t *y, *tpl;
    json_array_foreach(years, i, y) {
        int year = (int)json_integer_value(json_object_get(y, "year"));
        json_array_foreach(json_object_get(root, "forms"), j, tpl) {
            json_t *def = instantiate(tpl, year);
            json_object_set_new(def, "campaign_year", json_integer(year));
            json_object_set_new(def, "builtin", json_true());
            db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM form WHERE code = ?");
            db_bind_text(s, 1, str(def, "code"));
            if (!rc && db_scalar_int(s, 1) == 0) {
                json_t *err = store_form_check(d, def, 0);
                if (err) {
                    char *m = json_dumps(err, JSON_COMPACT);
                    fprintf(stderr, "data/forms.json: %s: %s\n", str(def, "code"), m);
                    free(m);
                    json_decref(err);
                    rc = -1;
                } else if (store_form_save(d, def, 0) <= 0) {
                    rc = -1;
                }
            }
            json_decref(def);
        }
    }
    json_decref(years);
    json_decref(root);
    if (rc) { db_rollback(d); return -1; }
    return db_commit(d);
}

json_t *store_forms_list(db *d, int year)
{
    db_stmt *s = db_prepare(d, "SELECT f.id, f.code, f.title, f.kind, f.campaign_year, f.period_type, f.due, f.lock_on, "
                               "f.needs_approval, f.builtin, (SELECT COUNT(*) FROM indicator i WHERE i.form_id = f.id) AS indicators "
                               "FROM form f WHERE (? = 0 OR f.campaign_year = ?) "
                               "ORDER BY f.campaign_year DESC, CASE f.kind WHEN 'plan' THEN 0 WHEN 'report' THEN 1 ELSE 2 END, f.id");
    db_bind_int(s, 1, year);
    db_bind_int(s, 2, year);
    return db_rows(s);
}

json_t *store_form_get(db *d, const char *id_or_code)
{
    if (!id_or_code || !*id_or_code) return NULL;
    char *end;
    long long id = strtoll(id_or_code, &end, 10);
    db_stmt *s = db_prepare(d, *end ? "SELECT * FROM form WHERE code = ?" : "SELECT * FROM form WHERE id = ?");
    if (*end) db_bind_text(s, 1, id_or_code);
    else db_bind_int(s, 1, id);
    json_t *f = db_row(s);
    if (!f) return NULL;
    json_int_t fid = json_integer_value(json_object_get(f, "id"));
    s = db_prepare(d, "SELECT id, code, label, type, unit, required, min, max, choices, help FROM indicator "
                      "WHERE form_id = ? ORDER BY sort, id");
    db_bind_int(s, 1, fid);
    json_t *inds = db_rows(s);
    size_t i;
    json_t *ind;
    json_array_foreach(inds, i, ind) {
        const char *c = str(ind, "choices");
        json_t *parsed = c ? json_loads(c, 0, NULL) : NULL;
        json_object_set_new(ind, "choices", parsed ? parsed : json_array());
        json_object_set_new(ind, "required", json_boolean(json_integer_value(json_object_get(ind, "required"))));
        /* SQLite hands back whole REALs as integers; keep them numbers either way. */
    }
    json_object_set_new(f, "indicators", inds);
    s = db_prepare(d, "SELECT \"left\", op, \"right\", message FROM form_rule WHERE form_id = ? ORDER BY id");
    db_bind_int(s, 1, fid);
    json_object_set_new(f, "rules", db_rows(s));
    s = db_prepare(d, "SELECT a.kind, a.level, a.org_id, o.name AS org_name, o.code AS org_code FROM form_assign a "
                      "LEFT JOIN org_unit o ON o.id = a.org_id WHERE a.form_id = ? ORDER BY a.id");
    db_bind_int(s, 1, fid);
    json_object_set_new(f, "assign", db_rows(s));
    s = db_prepare(d, "SELECT x.org_id, o.name AS org_name, x.until, x.reason FROM form_lock_exception x "
                      "JOIN org_unit o ON o.id = x.org_id WHERE x.form_id = ? ORDER BY o.sort_key, o.id");
    db_bind_int(s, 1, fid);
    json_object_set_new(f, "exceptions", db_rows(s));
    json_object_set_new(f, "needs_approval", json_boolean(json_integer_value(json_object_get(f, "needs_approval"))));
    json_object_set_new(f, "allows_plan", json_boolean(json_integer_value(json_object_get(f, "allows_plan"))));
    json_object_set_new(f, "builtin", json_boolean(json_integer_value(json_object_get(f, "builtin"))));
    return f;
}

static bool get_date(json_t *f, const char *k, struct ymd *out)
{
    const char *s = str(f, k);
    return s && *s && date_parse_iso(s, out);
}

bool form_rform(json_t *f, struct rform *r)
{
    memset(r, 0, sizeof *r);
    r->type = rperiod_type_parse(str(f, "period_type"));
    r->year = (int)json_integer_value(json_object_get(f, "campaign_year"));
    if (r->type == RP_INVALID) return false;
    if (!r->year) r->year = date_today().y;
    r->has_due = get_date(f, "due", &r->due);
    r->due_days = (int)json_integer_value(json_object_get(f, "due_days"));
    r->late_days = (int)json_integer_value(json_object_get(f, "late_days"));
    r->has_lock = get_date(f, "lock_on", &r->lock_on);
    json_t *ld = json_object_get(f, "lock_days");
    r->has_lock_days = json_is_integer(ld);
    r->lock_days = (int)json_integer_value(ld);
    if (r->type == RP_CUSTOM)
        return get_date(f, "window_from", &r->window_from) && get_date(f, "window_to", &r->window_to) &&
               date_cmp(r->window_from, r->window_to) <= 0;
    return true;
}

static bool code_ok(const char *c)
{
    if (!c || !*c || strlen(c) > 60) return false;
    for (const char *p = c; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-')) return false;
    return true;
}

static void date_field(json_t *def, const char *k, const char *label, json_t *err)
{
    json_t *v = json_object_get(def, k);
    struct ymd y;
    if (v && !json_is_null(v) && !(json_is_string(v) && (!*json_string_value(v) || date_parse_iso(json_string_value(v), &y))))
        json_object_set_new(err, k, json_sprintf("%s không phải ngày hợp lệ (yyyy-mm-dd).", label));
}

static void check_indicators(json_t *def, json_t *err)
{
    json_t *inds = json_object_get(def, "indicators");
    if (!json_is_array(inds) || !json_array_size(inds)) {
        json_object_set_new(err, "indicators", json_string("Biểu mẫu cần ít nhất một chỉ tiêu."));
        return;
    }
    if (json_array_size(inds) > 200) json_object_set_new(err, "indicators", json_string("Tối đa 200 chỉ tiêu."));
    size_t i, j;
    json_t *ind, *other;
    json_array_foreach(inds, i, ind) {
        char key[48];
        snprintf(key, sizeof key, "indicators[%zu]", i);
        const char *code = str(ind, "code"), *type = str(ind, "type"), *label = str(ind, "label");
        if (!code_ok(code)) { json_object_set_new(err, key, json_string("Mã chỉ tiêu chỉ gồm chữ thường không dấu, số, '_' và '-'.")); continue; }
        if (!label || !*label) { json_object_set_new(err, key, json_sprintf("Chỉ tiêu %s thiếu tên.", code)); continue; }
        if (!in_list(types, type)) { json_object_set_new(err, key, json_sprintf("Chỉ tiêu %s có kiểu không hợp lệ.", code)); continue; }
        json_array_foreach(inds, j, other)
            if (j < i && str(other, "code") && !strcmp(str(other, "code"), code))
                json_object_set_new(err, key, json_sprintf("Mã chỉ tiêu %s bị trùng.", code));
        json_t *mn = json_object_get(ind, "min"), *mx = json_object_get(ind, "max");
        if ((mn && !json_is_null(mn) && !json_is_number(mn)) || (mx && !json_is_null(mx) && !json_is_number(mx)))
            json_object_set_new(err, key, json_sprintf("Giới hạn của chỉ tiêu %s phải là số.", code));
        else if (json_is_number(mn) && json_is_number(mx) && json_number_value(mn) > json_number_value(mx))
            json_object_set_new(err, key, json_sprintf("Chỉ tiêu %s: giá trị nhỏ nhất lớn hơn giá trị lớn nhất.", code));
        json_t *ch = json_object_get(ind, "choices");
        if (!strcmp(type, "choice")) {
            bool ok = json_is_array(ch) && json_array_size(ch) > 0 && json_array_size(ch) <= 50;
            size_t k;
            json_t *c;
            json_array_foreach(ch, k, c) if (!json_is_string(c) || !*json_string_value(c)) ok = false;
            if (!ok) json_object_set_new(err, key, json_sprintf("Chỉ tiêu %s cần danh sách lựa chọn (1–50 mục).", code));
        }
    }
}

static bool has_indicator(json_t *def, const char *code)
{
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(def, "indicators"), i, ind)
        if (code && str(ind, "code") && !strcmp(str(ind, "code"), code)) return true;
    return false;
}

json_t *store_form_check(db *d, json_t *def, int64_t id)
{
    json_t *err = json_object();
    if (!json_is_object(def)) {
        json_object_set_new(err, "form", json_string("Định nghĩa biểu mẫu phải là một đối tượng JSON."));
        return err;
    }
    const char *code = str(def, "code"), *title = str(def, "title");
    if (!code_ok(code)) json_object_set_new(err, "code", json_string("Mã biểu mẫu chỉ gồm chữ thường không dấu, số, '_' và '-'."));
    else {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM form WHERE code = ? AND id != ?");
        db_bind_text(s, 1, code);
        db_bind_int(s, 2, id);
        if (db_scalar_int(s, 0)) json_object_set_new(err, "code", json_string("Mã biểu mẫu đã được dùng."));
    }
    if (!title || !*title || strlen(title) > 300) json_object_set_new(err, "title", json_string("Tên biểu mẫu bắt buộc (tối đa 300 ký tự)."));
    if (!in_list(kinds, str(def, "kind"))) json_object_set_new(err, "kind", json_string("Loại biểu mẫu phải là plan, report hoặc other."));
    json_t *year = json_object_get(def, "campaign_year");
    if (!json_is_integer(year)) json_object_set_new(err, "campaign_year", json_string("Thiếu năm của chiến dịch."));
    else {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM campaign WHERE year = ?");
        db_bind_int(s, 1, json_integer_value(year));
        if (!db_scalar_int(s, 0)) json_object_set_new(err, "campaign_year", json_string("Chưa có chiến dịch của năm này."));
    }
    date_field(def, "due", "Hạn nộp", err);
    date_field(def, "lock_on", "Ngày khóa sổ", err);
    date_field(def, "window_from", "Ngày bắt đầu kỳ", err);
    date_field(def, "window_to", "Ngày kết thúc kỳ", err);
    struct rform rf = { 0 };
    if (rperiod_type_parse(str(def, "period_type")) == RP_INVALID)
        json_object_set_new(err, "period_type", json_string("Kỳ báo cáo phải là campaign, quarter, month hoặc custom."));
    else if (json_object_get(err, "window_from") || json_object_get(err, "window_to")) {
        /* Already reported; the periods cannot be worked out without the window. */
    } else if (!form_rform(def, &rf))
        json_object_set_new(err, "window_from", json_string("Kỳ tùy chọn cần ngày bắt đầu và kết thúc hợp lệ."));
    else if (!json_object_get(err, "due") && !json_object_get(err, "lock_on")) {
        /* Every period must fall due before it locks, whether the due date is written or implied (the period's end). */
        struct rperiod ps[12];
        int np = rperiod_list(&rf, ps, 12);
        for (int i = 0; i < np; i++)
            if (ps[i].has_lock && date_cmp(ps[i].lock, ps[i].due) < 0) {
                json_object_set_new(err, rf.type == RP_CAMPAIGN || rf.type == RP_CUSTOM ? "lock_on" : "lock_days",
                                    json_string("Ngày khóa sổ phải sau hạn nộp."));
                break;
            }
    }
    json_t *dd = json_object_get(def, "due_days"), *ld = json_object_get(def, "lock_days");
    if (json_is_integer(dd) && json_is_integer(ld) && json_integer_value(ld) < json_integer_value(dd))
        json_object_set_new(err, "lock_days", json_string("Số ngày khóa sổ phải không nhỏ hơn số ngày đến hạn."));
    const char *ints[] = { "due_days", "late_days", "lock_days" };
    for (int i = 0; i < 3; i++) {
        json_t *v = json_object_get(def, ints[i]);
        if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 3650))
            json_object_set_new(err, ints[i], json_string("Số ngày phải là số nguyên từ 0 đến 3650."));
    }
    check_indicators(def, err);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(def, "rules"), i, r) {
        char key[32];
        snprintf(key, sizeof key, "rules[%zu]", i);
        if (!has_indicator(def, str(r, "left")) || !has_indicator(def, str(r, "right")) || !in_list(ops, str(r, "op")) ||
            !str(r, "message") || !*str(r, "message"))
            json_object_set_new(err, key, json_string("Quy tắc cần hai mã chỉ tiêu có trong biểu mẫu, một phép so sánh và thông báo."));
    }
    json_t *assign = json_object_get(def, "assign");
    if (!json_is_array(assign) || !json_array_size(assign))
        json_object_set_new(err, "assign", json_string("Cần giao biểu mẫu cho ít nhất một nhóm đơn vị."));
    json_array_foreach(assign, i, r) {
        json_t *org = json_object_get(r, "org_id");
        if (!str(r, "kind") && !str(r, "level") && !json_is_integer(org))
            json_object_set_new(err, "assign", json_string("Mỗi dòng giao cần loại, cấp hoặc đơn vị gốc."));
        if (json_is_integer(org)) {
            db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE id = ?");
            db_bind_int(s, 1, json_integer_value(org));
            if (!db_scalar_int(s, 0)) json_object_set_new(err, "assign", json_string("Đơn vị gốc không tồn tại."));
        }
    }
    json_array_foreach(json_object_get(def, "exceptions"), i, r) {
        struct ymd y;
        if (!json_is_integer(json_object_get(r, "org_id")) || !str(r, "until") || !date_parse_iso(str(r, "until"), &y))
            json_object_set_new(err, "exceptions", json_string("Ngoại lệ khóa sổ cần đơn vị và ngày (yyyy-mm-dd)."));
    }
    if (!json_object_size(err)) { json_decref(err); return NULL; }
    return err;
}

static void bind_opt_text(db_stmt *s, int i, json_t *o, const char *k)
{
    const char *v = str(o, k);
    db_bind_text(s, i, v && *v ? v : NULL);
}

static void bind_opt_num(db_stmt *s, int i, json_t *v)
{
    if (json_is_number(v)) {
        /* min/max are REAL columns; the db interface binds integers, so keep a text form SQLite converts. */
        char b[40];
        snprintf(b, sizeof b, "%.17g", json_number_value(v));
        db_bind_text(s, i, b);
    } else db_bind_null(s, i);
}

static int save_children(db *d, json_t *def, int64_t id)
{
    int rc = 0;
    size_t i;
    json_t *x;
    const char *dels[] = { "DELETE FROM form_rule WHERE form_id = ?", "DELETE FROM form_assign WHERE form_id = ?",
                           "DELETE FROM form_lock_exception WHERE form_id = ?" };
    for (int k = 0; k < 3; k++) {
        db_stmt *s = db_prepare(d, dels[k]);
        db_bind_int(s, 1, id);
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    json_array_foreach(json_object_get(def, "indicators"), i, x) {
        db_stmt *s = db_prepare(d, "INSERT INTO indicator (form_id, code, sort, label, type, unit, required, min, max, choices, help) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION), ?, ?) ON CONFLICT (form_id, code) DO UPDATE SET "
                                   "sort = excluded.sort, label = excluded.label, type = excluded.type, unit = excluded.unit, "
                                   "required = excluded.required, min = excluded.min, max = excluded.max, choices = excluded.choices, help = excluded.help");
        char *choices = json_is_array(json_object_get(x, "choices")) && json_array_size(json_object_get(x, "choices"))
                            ? json_dumps(json_object_get(x, "choices"), JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, str(x, "code"));
        db_bind_int(s, 3, (int64_t)i);
        db_bind_text(s, 4, str(x, "label"));
        db_bind_text(s, 5, str(x, "type"));
        bind_opt_text(s, 6, x, "unit");
        db_bind_int(s, 7, json_is_true(json_object_get(x, "required")));
        bind_opt_num(s, 8, json_object_get(x, "min"));
        bind_opt_num(s, 9, json_object_get(x, "max"));
        db_bind_text(s, 10, choices);
        bind_opt_text(s, 11, x, "help");
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
        free(choices);
    }
    json_array_foreach(json_object_get(def, "rules"), i, x) {
        db_stmt *s = db_prepare(d, "INSERT INTO form_rule (form_id, \"left\", op, \"right\", message) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, str(x, "left"));
        db_bind_text(s, 3, str(x, "op"));
        db_bind_text(s, 4, str(x, "right"));
        db_bind_text(s, 5, str(x, "message"));
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    json_array_foreach(json_object_get(def, "assign"), i, x) {
        db_stmt *s = db_prepare(d, "INSERT INTO form_assign (form_id, kind, level, org_id) VALUES (?, ?, ?, ?)");
        db_bind_int(s, 1, id);
        bind_opt_text(s, 2, x, "kind");
        bind_opt_text(s, 3, x, "level");
        if (json_is_integer(json_object_get(x, "org_id"))) db_bind_int(s, 4, json_integer_value(json_object_get(x, "org_id")));
        else db_bind_null(s, 4);
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    json_array_foreach(json_object_get(def, "exceptions"), i, x) {
        db_stmt *s = db_prepare(d, "INSERT INTO form_lock_exception (form_id, org_id, until, reason) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT (form_id, org_id) DO UPDATE SET until = excluded.until, reason = excluded.reason");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, json_integer_value(json_object_get(x, "org_id")));
        db_bind_text(s, 3, str(x, "until"));
        bind_opt_text(s, 4, x, "reason");
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    return rc;
}

/* Indicators the new definition drops: deleted when unused, refused when values exist. */
static int drop_missing(db *d, json_t *def, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT i.id, i.code, (SELECT COUNT(*) FROM submission_value v WHERE v.indicator_id = i.id) AS used "
                               "FROM indicator i WHERE i.form_id = ?");
    db_bind_int(s, 1, id);
    json_t *rows = db_rows(s);
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(rows, i, row) {
        if (has_indicator(def, str(row, "code"))) continue;
        if (json_integer_value(json_object_get(row, "used"))) { rc = -2; break; }
        db_stmt *del = db_prepare(d, "DELETE FROM indicator WHERE id = ?");
        db_bind_int(del, 1, json_integer_value(json_object_get(row, "id")));
        if (db_step(del) == DB_ERROR) rc = -1;
        db_done(del);
    }
    json_decref(rows);
    return rc;
}

/* Saves a definition in one transaction, checking it first under the write lock when check is set. */
static enum store_status form_write(db *d, json_t *def, int64_t id, bool check, int64_t *out_id, struct store_result *res)
{
    *out_id = 0;
    char now[21];
    date_utc_iso(time(NULL), now);
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    json_t *err = check ? store_form_check(d, def, id) : NULL;
    if (err) {
        db_rollback(d);
        store_fail(res, STORE_INVALID, "Biểu mẫu chưa hợp lệ; chưa có gì được lưu.");
        if (res) {
            json_decref(res->fields);
            res->fields = err;
        } else {
            json_decref(err);
        }
        return STORE_INVALID;
    }
    db_stmt *s;
    if (id) s = db_prepare(d, "UPDATE form SET code = ?, campaign_year = ?, kind = ?, title = ?, description = ?, period_type = ?, "
                              "window_from = ?, window_to = ?, due = ?, due_days = ?, late_days = ?, lock_on = ?, lock_days = ?, "
                              "needs_approval = ?, allows_plan = ?, updated_at = ? WHERE id = ? RETURNING id");
    else s = db_prepare(d, "INSERT INTO form (code, campaign_year, kind, title, description, period_type, window_from, window_to, due, "
                           "due_days, late_days, lock_on, lock_days, needs_approval, allows_plan, updated_at, builtin, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, str(def, "code"));
    db_bind_int(s, 2, json_integer_value(json_object_get(def, "campaign_year")));
    db_bind_text(s, 3, str(def, "kind"));
    db_bind_text(s, 4, str(def, "title"));
    bind_opt_text(s, 5, def, "description");
    db_bind_text(s, 6, str(def, "period_type"));
    bind_opt_text(s, 7, def, "window_from");
    bind_opt_text(s, 8, def, "window_to");
    bind_opt_text(s, 9, def, "due");
    db_bind_int(s, 10, json_integer_value(json_object_get(def, "due_days")));
    db_bind_int(s, 11, json_integer_value(json_object_get(def, "late_days")));
    bind_opt_text(s, 12, def, "lock_on");
    if (json_is_integer(json_object_get(def, "lock_days"))) db_bind_int(s, 13, json_integer_value(json_object_get(def, "lock_days")));
    else db_bind_null(s, 13);
    db_bind_int(s, 14, json_is_true(json_object_get(def, "needs_approval")));
    db_bind_int(s, 15, json_is_true(json_object_get(def, "allows_plan")));
    db_bind_text(s, 16, now);
    if (id) db_bind_int(s, 17, id);
    else { db_bind_int(s, 17, json_is_true(json_object_get(def, "builtin"))); db_bind_text(s, 18, now); }
    int64_t got = db_scalar_int(s, 0);
    int rc = got ? 0 : -1;
    if (!rc && id) rc = drop_missing(d, def, got);
    if (!rc) rc = save_children(d, def, got);
    if (rc == -2) {
        db_rollback(d);
        return store_fail(res, STORE_CONFLICT, "Không xóa được chỉ tiêu đã có số liệu báo cáo; hãy giữ lại chỉ tiêu đó.");
    }
    if (rc) {
        enum store_status st = store_fail_db(res, d);
        db_rollback(d);
        return st;
    }
    if (db_commit(d)) return store_fail_db(res, d);
    *out_id = got;
    return STORE_OK;
}

enum store_status store_form_put(db *d, json_t *def, int64_t id, int64_t *out_id, struct store_result *res)
{
    return form_write(d, def, id, true, out_id, res);
}

int64_t store_form_save(db *d, json_t *def, int64_t id)
{
    int64_t got = 0;
    enum store_status st = form_write(d, def, id, false, &got, NULL);
    return st == STORE_OK ? got : st == STORE_CONFLICT ? -2 : -1;
}
