/* Completeness of one form ("Tiến độ nộp"): expected, received, on time and rates for a unit and each of its
 * children, drilling from the nation to a province to its communes, in today's tree or the tree of the due date;
 * indicator totals beside; every table as XLSX/CSV. Reads the store only; must not see SQL. */
#include "web/report.h"
#include "store/form.h"
#include "store/org.h"
#include "store/completeness.h"
#include "store/submission.h"
#include "web/labels.h"
#include "core/date.h"
#include "core/vnnum.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Numeric indicators, the columns of the totals table. */
static json_t *numeric_indicators(json_t *form)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind) {
        const char *t = str(ind, "type");
        if (!strcmp(t, "integer") || !strcmp(t, "decimal") || !strcmp(t, "bool")) json_array_append(out, ind);
    }
    return out;
}

static void pct(json_t *row)
{
    json_t *r = json_object_get(row, "rate"), *o = json_object_get(row, "on_time_rate");
    if (json_is_number(r)) json_object_set_new(row, "rate_pct", json_integer((json_int_t)(json_number_value(r) * 1000 + 0.5)));
    if (json_is_number(o)) json_object_set_new(row, "on_time_pct", json_integer((json_int_t)(json_number_value(o) * 1000 + 0.5)));
    const char *l = org_kind_label(str(row, "kind"));
    if (l) json_object_set_new(row, "kind_label", json_string(l));
}

/* Each child's totals as a list in the indicators' order, for the template. */
/* The page shows the first few (a phone has no room for twenty columns); the downloads carry all of them. */
#define SHOWN_TOTALS 4

static void attach_totals(json_t *rows, json_t *totals, json_t *inds)
{
    size_t i, k;
    json_t *row, *ind;
    json_array_foreach(rows, i, row) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(row, "id")));
        json_t *t = json_object_get(json_object_get(totals, "children"), key), *vals = json_array(), *shown = json_array();
        json_array_foreach(inds, k, ind) {
            json_t *v = json_object_get(t, str(ind, "code"));
            /* The downloads get the sum as a number, the page as Vietnamese write it: decimals kept ("250,5"). */
            char b[VNNUM_MAX];
            /* With its label: a phone shows each row as a card that names every figure. */
            if (k < SHOWN_TOTALS)
                json_array_append_new(shown, json_pack("{s:O, s:s}", "label", json_object_get(ind, "label"), "text",
                                                       vnnum_format(v ? json_number_value(v) : 0, b)));
            double x = v ? json_number_value(v) : 0;
            json_array_append_new(vals, x == floor(x) && fabs(x) < 9e15 ? json_integer((json_int_t)x) : json_real(x));
        }
        json_object_set_new(row, "totals", vals);
        json_object_set_new(row, "_vals", shown);
    }
}

static json_t *crumbs(const struct comp *c, int64_t node)
{
    const struct org_index *x = comp_index(c);
    json_t *out = json_array();
    int i = org_index_find(x, node);
    for (int guard = 0; i >= 0 && guard < 16; guard++) {
        json_array_insert_new(out, 0, json_pack("{s:I, s:s}", "id", (json_int_t)x->u[i].id, "name", x->u[i].name));
        int par = x->u[i].parent;
        i = par < 0 ? -1 : comp_place(c, par);
    }
    json_array_remove(out, json_array_size(out) - 1);
    return out;
}

/* Every received report under the node, one row per unit with all its values: what the centre compiles in Excel. */
static json_t *values_table(struct req *r, json_t *form, const char *period, json_t *units, json_t *cols)
{
    json_t *rows = json_array();
    size_t i, k;
    json_t *u, *ind;
    json_array_foreach(json_object_get(form, "indicators"), k, ind) {
        char *t = report_indicator_title(ind);
        const char *type = str(ind, "type");
        json_array_append_new(cols, json_pack("{s:s, s:s}", "title", t ? t : "", "type", !strcmp(type, "integer") || !strcmp(type, "decimal") ? "number" : "text"));
        free(t);
    }
    json_array_foreach(units, i, u) {
        const char *st = str(u, "status");
        if (strcmp(st, "submitted") && strcmp(st, "approved")) continue;
        json_t *sub = store_submission_get(r->db, json_integer_value(json_object_get(form, "id")), json_integer_value(json_object_get(u, "id")), period);
        json_t *vals = json_object_get(sub, "values");
        json_t *row = json_pack("[O, s, s]", json_object_get(u, "name"), report_status_label(st), json_is_true(json_object_get(sub, "on_time")) ? "Có" : "Không");
        json_array_foreach(json_object_get(form, "indicators"), k, ind) {
            json_t *v = json_object_get(vals, str(ind, "code"));
            if (json_is_boolean(v)) json_array_append_new(row, json_string(json_is_true(v) ? "Có" : "Không"));
            else json_array_append_new(row, v ? json_incref(v) : json_null());
        }
        json_array_append_new(rows, row);
        json_decref(sub);
    }
    return rows;
}

static bool export_tables(struct req *r, json_t *form, const char *period, json_t *children, json_t *units, json_t *inds)
{
    const char *table = req_str(r, "bang");
    json_t *cols, *rows;
    size_t i, k;
    json_t *row, *ind;
    char title[400];
    if (!req_str(r, "format")) return false;
    if (table && !strcmp(table, "so-lieu")) {
        cols = json_pack("[{s:s, s:i}, {s:s}, {s:s}]", "title", "Đơn vị", "width", 36, "title", "Tình trạng", "title", "Đúng hạn");
        rows = values_table(r, form, period, units, cols);
        snprintf(title, sizeof title, "Số liệu báo cáo – %s", str(form, "title"));
    } else if (table && !strcmp(table, "don-vi")) {
        rows = json_array();
        cols = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s}, {s:s}]", "title", "Đơn vị", "width", 40, "title", "Loại", "width", 24,
                         "title", "Tình trạng", "title", "Đúng hạn");
        json_array_foreach(units, i, row)
            json_array_append_new(rows, json_pack("[O, s, s, s]", json_object_get(row, "name"), org_kind_label(str(row, "kind")) ? org_kind_label(str(row, "kind")) : "",
                                                  report_status_label(str(row, "status")), json_is_true(json_object_get(row, "on_time")) ? "Có" : ""));
        snprintf(title, sizeof title, "Danh sách đơn vị – %s", str(form, "title"));
    } else {
        rows = json_array();
        cols = json_pack("[{s:s, s:i}, {s:s}, {s:s}, {s:s}, {s:s, s:s}, {s:s, s:s}]", "title", "Đơn vị", "width", 40, "title", "Phải gửi",
                         "title", "Đã gửi", "title", "Đúng hạn", "title", "Tỷ lệ đã gửi", "type", "percent", "title", "Tỷ lệ đúng hạn", "type", "percent");
        json_array_foreach(inds, k, ind) {
            char *t = report_indicator_title(ind);
            json_array_append_new(cols, json_pack("{s:s, s:s}", "title", t ? t : "", "type", "number"));
            free(t);
        }
        json_array_foreach(children, i, row) {
            json_t *out = json_pack("[O, O, O, O, O, O]", json_object_get(row, "name"), json_object_get(row, "expected"), json_object_get(row, "received"),
                                    json_object_get(row, "on_time"), json_object_get(row, "rate"), json_object_get(row, "on_time_rate"));
            json_array_extend(out, json_object_get(row, "totals"));
            json_array_append_new(rows, out);
        }
        snprintf(title, sizeof title, "Tiến độ nộp – %s", str(form, "title"));
    }
    bool sent = report_send_table(r, "tien-do", title, cols, rows);
    json_decref(cols);
    json_decref(rows);
    return sent;
}

/* How long a kept page may serve when no write came in between: see page_dashboard.c. */
#define KEPT_MS 1000

static int progress_render(struct req *r, json_t *ctx, const struct rperiod *p, int64_t node, bool current)
{
    if (!r->want_json) json_object_set_new(ctx, "_query", json_sprintf("ky=%s&org=%lld&view=%s", p->key, (long long)node, current ? "current" : "historical"));
    return render(r, ctx, "reports/progress");
}

static int progress(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    if (!report_period(r, form, &p)) { json_decref(form); return r->status; }
    const char *o = req_str(r, "org");
    int64_t node = o && *o ? store_org_id(r->db, o) : store_org_id(r->db, "vn");
    if (!node) { json_decref(form); return req_missing(r, "Không tìm thấy đơn vị."); }
    if (!authz(r, "viewer", node) && !authz(r, "officer", node) && !authz(r, "coordinator", node)) {
        json_decref(form);
        return req_fail(r, 403, "Bạn chỉ xem được tiến độ của đơn vị mình phụ trách và cấp dưới.");
    }
    bool current = report_view_current(r);
    /* The page (not the downloads) is kept like the dashboard: the same for every reader allowed to see the unit. */
    char key[200];
    snprintf(key, sizeof key, "progress\n%lld\n%s\n%lld\n%d\n%ld", (long long)json_integer_value(json_object_get(form, "id")),
             p.key, (long long)node, current, date_to_days(date_today()));
    bool page = !req_str(r, "format");
    json_t *ctx = page ? results_get(r, key, KEPT_MS) : NULL;
    if (ctx) {
        json_decref(form);
        return progress_render(r, ctx, &p, node, current);
    }
    struct comp *c = comp_compute(r->db, form, &p, current, date_today());
    const struct org_index *x = comp_index(c);
    int ni = org_index_find(x, node);
    json_t *children = comp_children(c, node), *units = comp_units(c, node, 2000), *inds = numeric_indicators(form);
    json_t *totals = comp_totals(r->db, c, form, p.key, node);
    attach_totals(children, totals, inds);
    size_t i;
    json_t *row;
    json_array_foreach(children, i, row) pct(row);
    json_array_foreach(units, i, row) json_object_set_new(row, "status_label", json_string(report_status_label(str(row, "status"))));
    if (export_tables(r, form, p.key, children, units, inds)) {
        json_decref(children); json_decref(units); json_decref(inds); json_decref(totals); json_decref(form);
        comp_free(c);
        return r->status;
    }
    json_t *me = comp_counts_json(c, ni);
    pct(me);
    json_t *node_totals = json_array();
    json_t *ind;
    json_array_foreach(inds, i, ind) {
        json_t *v = json_object_get(json_object_get(totals, "node"), str(ind, "code"));
        char b[VNNUM_MAX];
        double x = v ? json_number_value(v) : 0;
        /* total stays a number for the API (whole sums as integers, as before); total_text is the page's "250,5". */
        json_array_append_new(node_totals, json_pack("{s:O, s:O, s:o, s:s}", "label", json_object_get(ind, "label"), "unit", json_object_get(ind, "unit"),
                                                     "total", x == floor(x) && fabs(x) < 9e15 ? json_integer((json_int_t)x) : json_real(x),
                                                     "total_text", vnnum_format(x, b)));
    }
    json_t *shown = json_array();
    json_array_foreach(inds, i, ind) if (i < SHOWN_TOTALS) json_array_append(shown, ind);
    ctx = json_pack("{s:O, s:s, s:{s:O, s:O, s:O}, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "title", json_object_get(form, "title"), "_nav", "reports",
                    "form", "id", json_object_get(form, "id"), "title", json_object_get(form, "title"), "campaign_year", json_object_get(form, "campaign_year"),
                    "period", report_period_json(&p), "node", me, "crumbs", crumbs(c, node), "children", children, "units", units,
                    "indicators", inds, "current", current, "node_totals", node_totals, "_shown", shown);
    json_t *periods = report_periods(form, p.key);
    if (periods) json_object_set_new(ctx, "periods", periods);
    results_put(r, key, ctx);
    json_decref(totals);
    json_decref(form);
    comp_free(c);
    return progress_render(r, ctx, &p, node, current);
}

const struct route page_completeness_routes[] = {
    { "GET", "/bao-cao/{form}/tien-do", "/api/forms/{form}/completeness", progress, STAFF, false, 0 },
    { 0 },
};
