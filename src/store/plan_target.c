/* Targets (chỉ tiêu) of a plan as rows, actual values per year and unit, progress; indexed for search and the assistant.
 * Must not make tasks of targets, nor compute progress where the target's value could not be read. */
#include "store/plan_target.h"
#include "store/plan_units.h"
#include "store/search.h"
#include "core/buf.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void err(json_t *errors, size_t i, const char *f, const char *msg)
{
    char key[64];
    snprintf(key, sizeof key, "targets[%zu].%s", i, f);
    if (!json_object_get(errors, key)) json_object_set_new(errors, key, json_string(msg));
}

void store_plan_targets_check(json_t *plan, json_t *errors)
{
    json_t *ts = json_object_get(plan, "targets");
    if (!ts || json_is_null(ts)) return;
    if (!json_is_array(ts) || json_array_size(ts) > 2000) {
        json_object_set_new(errors, "targets", json_string("Danh sách chỉ tiêu không hợp lệ (tối đa 2.000)."));
        return;
    }
    size_t i;
    json_t *t;
    json_array_foreach(ts, i, t) {
        if (!json_is_object(t)) { err(errors, i, "target", "Chỉ tiêu không hợp lệ."); continue; }
        const char *ind = jstr(t, "indicator"), *op = jstr(t, "op");
        if (ind && strlen(ind) > 4000) err(errors, i, "indicator", "Tên chỉ tiêu quá dài.");
        if (jstr(t, "value") && strlen(jstr(t, "value")) > 400) err(errors, i, "value", "Giá trị chỉ tiêu quá dài.");
        if (op && strcmp(op, "ge") && strcmp(op, "gt") && strcmp(op, "le") && strcmp(op, "lt") && strcmp(op, "eq") &&
            strcmp(op, "range"))
            err(errors, i, "op", "Phép so sánh không hợp lệ.");
        json_t *y = json_object_get(t, "year");
        if (y && !json_is_null(y) && (!json_is_integer(y) || json_integer_value(y) < 1990 || json_integer_value(y) > 2100))
            err(errors, i, "year", "Năm không hợp lệ.");
        json_t *lo = json_object_get(t, "lo"), *hi = json_object_get(t, "hi");
        if ((lo && !json_is_null(lo) && !json_is_number(lo)) || (hi && !json_is_null(hi) && !json_is_number(hi)))
            err(errors, i, "value", "Giá trị chỉ tiêu không hợp lệ.");
    }
}

static int exec1(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static void bind_num(db_stmt *s, int i, json_t *v)
{
    if (json_is_number(v)) db_bind_double(s, i, json_number_value(v));
    else db_bind_null(s, i);
}

int store_plan_targets_save(db *d, int64_t plan_id, json_t *plan, const char *on, int64_t issuer_id)
{
    json_t *ts = json_object_get(plan, "targets");
    size_t i;
    json_t *t;
    struct buf body = { 0 };
    json_array_foreach(ts, i, t) {
        const char *agency = jstr(t, "agency");
        int64_t aid = json_integer_value(json_object_get(t, "agency_id"));
        if (!aid && agency && *agency) {
            struct org_resolved r = store_plan_resolve_unit(d, agency, on, issuer_id);
            if (r.status == ORG_FOUND) aid = r.id;
        }
        if (aid) {
            db_stmt *c = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE id = ?");
            db_bind_int(c, 1, aid);
            if (!db_scalar_int(c, 0)) aid = 0;
        }
        json_t *w = json_object_get(t, "warnings");
        char *warnings = json_array_size(w) ? json_dumps(w, JSON_COMPACT) : NULL;
        json_t *src = json_object_get(t, "src");
        db_stmt *s = db_prepare(d, "INSERT INTO plan_target (plan_id, ref, sort, indicator, measure, target_text, op, lo, hi, year, "
                                   "agency, agency_id, warnings, src_start, src_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, plan_id);
        db_bind_text(s, 2, jstr(t, "ref"));
        db_bind_int(s, 3, (int64_t)i);
        db_bind_text(s, 4, jstr(t, "indicator") ? jstr(t, "indicator") : "");
        db_bind_text(s, 5, jstr(t, "measure"));
        db_bind_text(s, 6, jstr(t, "value"));
        db_bind_text(s, 7, jstr(t, "op"));
        bind_num(s, 8, json_object_get(t, "lo"));
        bind_num(s, 9, json_object_get(t, "hi"));
        if (json_is_integer(json_object_get(t, "year"))) db_bind_int(s, 10, json_integer_value(json_object_get(t, "year")));
        else db_bind_null(s, 10);
        db_bind_text(s, 11, agency);
        if (aid) db_bind_int(s, 12, aid);
        else db_bind_null(s, 12);
        db_bind_text(s, 13, warnings);
        if (json_array_size(src) == 2) {
            db_bind_int(s, 14, json_integer_value(json_array_get(src, 0)));
            db_bind_int(s, 15, json_integer_value(json_array_get(src, 1)));
        } else {
            db_bind_null(s, 14);
            db_bind_null(s, 15);
        }
        free(warnings);
        if (exec1(s)) { buf_free(&body); return -1; }
        /* One sentence per target, so a question finds the indicator with its value, year and agency. */
        buf_printf(&body, "Chỉ tiêu %s: %s", jstr(t, "ref") && *jstr(t, "ref") ? jstr(t, "ref") : "", jstr(t, "indicator") ? jstr(t, "indicator") : "");
        if (jstr(t, "value")) buf_printf(&body, " – mục tiêu %s%s%s", jstr(t, "value"), jstr(t, "measure") && strcmp(jstr(t, "measure"), "%") ? " " : "",
                                         jstr(t, "measure") && strcmp(jstr(t, "measure"), "%") ? jstr(t, "measure") : "");
        if (json_is_integer(json_object_get(t, "year"))) buf_printf(&body, " (năm %lld)", (long long)json_integer_value(json_object_get(t, "year")));
        if (agency) buf_printf(&body, "; cơ quan chủ trì theo dõi: %s", agency);
        buf_puts(&body, ".\n\n");
    }
    int rc = 0;
    if (body.len) {
        db_stmt *s = db_prepare(d, "SELECT COALESCE(number, title) FROM plan WHERE id = ?");
        db_bind_int(s, 1, plan_id);
        json_t *row = db_row(s);
        const char *name = row ? json_string_value(json_object_iter_value(json_object_iter(row))) : NULL;
        char title[600], url[64];
        snprintf(title, sizeof title, "Chỉ tiêu của kế hoạch %.500s", name ? name : "");
        snprintf(url, sizeof url, "/ke-hoach/%lld#chi-tieu", (long long)plan_id);
        rc = store_search_put(d, "target", plan_id, title, body.p, url, NULL);
        json_decref(row);
    }
    buf_free(&body);
    return rc;
}

int plan_target_progress(const char *op, double lo, double hi, double a, bool *met)
{
    double p = 0;
    if (!strcmp(op, "ge") || !strcmp(op, "eq")) { *met = a >= lo; p = lo > 0 ? a / lo * 100 : 100; }
    else if (!strcmp(op, "gt")) { *met = a > lo; p = lo > 0 ? a / lo * 100 : (a > 0 ? 100 : 0); if (!*met && p >= 100) p = 99; }
    else if (!strcmp(op, "le")) { *met = a <= hi; p = *met ? 100 : a > 0 ? hi / a * 100 : 0; }
    else if (!strcmp(op, "lt")) { *met = a < hi; p = *met ? 100 : a > 0 ? hi / a * 100 : 0; if (!*met && p >= 100) p = 99; }
    else if (!strcmp(op, "range")) { *met = a >= lo && a <= hi; p = *met ? 100 : a < lo ? (lo > 0 ? a / lo * 100 : 0) : hi / a * 100; }
    if (p > 100) p = 100;
    if (p < 0) p = 0;
    return (int)(p + 0.5);
}

json_t *store_plan_targets(db *d, int64_t plan_id)
{
    db_stmt *s = db_prepare(d, "SELECT id, ref, indicator, measure, target_text AS value, op, lo, hi, year, agency, agency_id, "
                               "warnings FROM plan_target WHERE plan_id = ? ORDER BY sort, id");
    db_bind_int(s, 1, plan_id);
    json_t *rows = db_rows(s);
    if (!rows) return NULL;
    size_t i;
    json_t *t;
    json_array_foreach(rows, i, t) {
        const char *w = jstr(t, "warnings");
        json_object_set_new(t, "warnings", w ? json_loads(w, 0, NULL) : json_array());
        if (!json_object_get(t, "warnings")) json_object_set_new(t, "warnings", json_array());
        s = db_prepare(d, "SELECT v.year, v.value, v.value_text, v.note, v.org_id, o.name AS org_name, v.reported_at "
                          "FROM plan_target_value v JOIN org_unit o ON o.id = v.org_id WHERE v.target_id = ? "
                          "ORDER BY v.year DESC, v.reported_at DESC");
        db_bind_int(s, 1, json_integer_value(json_object_get(t, "id")));
        json_t *vals = db_rows(s);
        if (!vals) vals = json_array();
        json_t *latest = json_array_get(vals, 0);
        json_object_set(t, "actual", latest ? latest : json_null());
        json_object_set_new(t, "values", vals);
        const char *op = jstr(t, "op");
        if (latest && op) {
            bool met = false;
            int p = plan_target_progress(op, json_number_value(json_object_get(t, "lo")), json_number_value(json_object_get(t, "hi")),
                                         json_number_value(json_object_get(latest, "value")), &met);
            json_object_set_new(t, "progress", json_integer(p));
            json_object_set_new(t, "met", json_boolean(met));
        } else {
            json_object_set_new(t, "progress", json_null());
            json_object_set_new(t, "met", json_null());
        }
    }
    return rows;
}

json_t *store_plan_target_get(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT t.id, t.plan_id, t.indicator, t.agency_id, p.issuer_id FROM plan_target t "
                               "JOIN plan p ON p.id = t.plan_id WHERE t.id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

enum store_status store_plan_target_report(db *d, const struct target_report *in, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO plan_target_value (target_id, year, org_id, value, value_text, note, reported_by, reported_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target_id, year, org_id) DO UPDATE SET "
                               "value = excluded.value, value_text = excluded.value_text, note = excluded.note, "
                               "reported_by = excluded.reported_by, reported_at = excluded.reported_at");
    db_bind_int(s, 1, in->target_id);
    db_bind_int(s, 2, in->year);
    db_bind_int(s, 3, in->org_id);
    db_bind_double(s, 4, in->value);
    db_bind_text(s, 5, in->value_text);
    db_bind_text(s, 6, in->note);
    db_bind_int(s, 7, in->user_id);
    db_bind_text(s, 8, now);
    if (exec1(s)) return store_fail_db(res, d);
    return STORE_OK;
}
