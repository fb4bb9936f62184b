/* The national dashboard ("Bảng điều khiển"): countdown, plan and report rates, the tile map of the provinces
 * with its table, indicator totals, task buckets and the most overdue tasks — SVG drawn here, no JavaScript;
 * the same data as JSON, as XLSX/CSV tables, and as the PDF report for the Prime Minister's office. Reads the store
 * only; must not see SQL. */
#include "web/report.h"
#include "web/labels.h"
#include "store/dashboard.h"
#include "store/org.h"
#include "store/training.h"
#include "export/chart.h"
#include "export/pdf.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static int year_of(struct req *r)
{
    int64_t y = req_int(r, "nam", 0);
    if (!y) y = req_int(r, "campaign", 0);
    return y ? (int)y : date_today().y;
}

/* The dashboard is the same for every signed-in reader and costs milliseconds over 10,000 units, so each year's is
 * kept in the server's result cache until its next write, or for a second at most (writes made by the command line,
 * which the server does not see). Readers get a copy. */
#define KEPT_MS 1000

static json_t *dashboard(struct req *r, int year)
{
    struct ymd today = date_today();
    char key[64];
    snprintf(key, sizeof key, "dashboard\n%d\n%ld", year, date_to_days(today));
    json_t *d = results_get(r, key, KEPT_MS);
    if (!d && (d = store_dashboard(r->db, year, today))) results_put(r, key, d);
    return d;
}

static json_t *load(struct req *r, int *year)
{
    *year = year_of(r);
    json_t *d = *year >= 2000 && *year <= 2100 ? dashboard(r, *year) : NULL;
    if (!d) req_fail(r, 404, "Chưa có chiến dịch của năm này.");
    return d;
}

static json_t *form_of_kind(json_t *dash, const char *kind)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(dash, "forms"), i, f) if (!strcmp(str(f, "kind"), kind)) return f;
    return NULL;
}

static json_t *province_rate(json_t *form, const char *code, const char *field)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(form, "provinces"), i, p) if (!strcmp(str(p, "code"), code)) return json_object_get(p, field);
    return NULL;
}

static double total_of(json_t *dash, const char *code, const char *ind)
{
    json_t *v = json_object_get(json_object_get(json_object_get(json_object_get(dash, "totals"), "by_province"), code), ind);
    return v ? json_number_value(v) : 0;
}

/* The province table: one row per province open today, plan and report columns side by side. */
static json_t *province_rows(json_t *dash)
{
    json_t *plan = form_of_kind(dash, "plan"), *report = form_of_kind(dash, "report");
    json_t *base = plan ? plan : report, *rows = json_array();
    json_t *inds = json_object_get(json_object_get(dash, "totals"), "indicators");
    size_t i, k;
    json_t *p, *ind;
    json_array_foreach(json_object_get(base, "provinces"), i, p) {
        const char *code = str(p, "code");
        json_t *row = json_pack("{s:O, s:O, s:s}", "id", json_object_get(p, "id"), "name", json_object_get(p, "name"), "code", code);
        json_t *v;
        if (plan && (v = province_rate(plan, code, "rate"))) json_object_set(row, "plan_rate", v);
        if (report && (v = province_rate(report, code, "rate"))) json_object_set(row, "report_rate", v);
        if (report && (v = province_rate(report, code, "on_time_rate"))) json_object_set(row, "report_on_time", v);
        json_t *vals = json_array();
        json_array_foreach(inds, k, ind) if (k < 4) json_array_append_new(vals, json_real(total_of(dash, code, str(ind, "code"))));
        json_object_set_new(row, "totals", vals);
        json_array_append_new(rows, row);
    }
    return rows;
}

static json_t *kind_rows(json_t *dash)
{
    json_t *rows = json_array(), *tot = json_object_get(dash, "totals");
    const char *kind;
    json_t *vals;
    json_object_foreach(json_object_get(tot, "by_kind"), kind, vals) {
        json_t *out = json_array();
        size_t k;
        json_t *ind;
        json_array_foreach(json_object_get(tot, "indicators"), k, ind) {
            json_t *v = json_object_get(vals, str(ind, "code"));
            json_array_append_new(out, json_real(v ? json_number_value(v) : 0));
        }
        const char *l = org_kind_label(kind);
        json_array_append_new(rows, json_pack("{s:s, s:o}", "kind", l ? l : kind, "totals", out));
    }
    return rows;
}

static int by_value_desc(const void *a, const void *b)
{
    double x = json_number_value(json_object_get(*(json_t *const *)a, "value")), y = json_number_value(json_object_get(*(json_t *const *)b, "value"));
    return x < y ? 1 : x > y ? -1 : 0;
}

static json_t *svg(char *s)
{
    json_t *v = json_string(s ? s : "");
    free(s);
    return v;
}

/* The map and the bars drawn for one dashboard: {map, bars, gauges: [...]}. */
static json_t *charts(json_t *dash, const char *map_kind)
{
    json_t *form = form_of_kind(dash, map_kind);
    if (!form) form = json_array_get(json_object_get(dash, "forms"), 0);
    json_t *rates = json_object();
    size_t i;
    json_t *p, *f;
    json_array_foreach(json_object_get(form, "provinces"), i, p)
        json_object_set_new(rates, str(p, "code"), json_pack("{s:O, s:O}", "name", json_object_get(p, "name"), "rate", json_object_get(p, "rate")));
    json_array_foreach(json_object_get(form, "provinces"), i, p) {
        char href[160];
        snprintf(href, sizeof href, "/bao-cao/%lld/tien-do?org=%lld", (long long)json_integer_value(json_object_get(form, "id")),
                 (long long)json_integer_value(json_object_get(p, "id")));
        json_object_set_new(json_object_get(rates, str(p, "code")), "href", json_string(href));
    }
    char title[300];
    snprintf(title, sizeof title, "Tỷ lệ đã gửi theo tỉnh, thành phố – %s", str(form, "title") ? str(form, "title") : "");
    json_t *out = json_pack("{s:o, s:s}", "map", svg(chart_tile_map(rates, title)), "map_title", title);
    json_decref(rates);
    json_t *gauges = json_array();
    json_array_foreach(json_object_get(dash, "forms"), i, f) {
        json_t *n = json_object_get(f, "nation");
        json_t *g = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "title", json_object_get(f, "title"), "expected", json_object_get(n, "expected"),
                              "received", json_object_get(n, "received"), "on_time", json_object_get(n, "on_time"), "id", json_object_get(f, "id"),
                              "due", json_object_get(f, "due"));
        json_object_set_new(g, "svg", svg(chart_gauge(json_number_value(json_object_get(n, "rate")), !strcmp(str(f, "kind"), "plan") ? "Kế hoạch đã gửi" : "Báo cáo đã gửi")));
        json_object_set_new(g, "svg_on_time", svg(chart_gauge(json_number_value(json_object_get(n, "on_time_rate")), "Gửi đúng hạn")));
        json_array_append_new(gauges, g);
    }
    json_object_set_new(out, "gauges", gauges);
    /* The first indicator's totals by province, largest first: where the Day reached most people. */
    json_t *tot = json_object_get(dash, "totals");
    json_t *ind = json_array_get(json_object_get(tot, "indicators"), 1);
    if (!ind) ind = json_array_get(json_object_get(tot, "indicators"), 0);
    if (ind) {
        json_t *items = json_array(), *rows = province_rows(dash);
        json_t *row;
        json_array_foreach(rows, i, row) {
            double v = total_of(dash, str(row, "code"), str(ind, "code"));
            if (v > 0) json_array_append_new(items, json_pack("{s:O, s:f}", "label", json_object_get(row, "name"), "value", v));
        }
        json_decref(rows);
        size_t n = json_array_size(items);
        json_t **v = malloc(sizeof *v * (n + 1));
        for (i = 0; i < n; i++) v[i] = json_array_get(items, i);
        qsort(v, n, sizeof *v, by_value_desc);
        json_t *top = json_array();
        for (i = 0; i < n && i < 15; i++) json_array_append(top, v[i]);
        free(v);
        json_decref(items);
        items = top;
        char bt[300];
        snprintf(bt, sizeof bt, "%s: 15 tỉnh, thành phố dẫn đầu", str(ind, "label"));
        json_object_set_new(out, "bars", svg(chart_bars(items, bt, str(ind, "unit"), false)));
        json_object_set_new(out, "bars_title", json_string(bt));
        json_decref(items);
    }
    return out;
}

/* Trainings held and people trained in the year (issue 18): the nation's, and the subtree of the reader's first unit. */
static void trainings(struct req *r, json_t *dash, int year)
{
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    json_t *all = store_training_report(r->db, store_org_id(r->db, "vn"), from, to);
    if (all) json_object_set_new(dash, "trainings", all);
    json_t *mine = r->user ? store_training_my_units(r->db, r->user->id) : NULL, *u = json_array_get(mine, 0);
    json_t *t = u ? store_training_report(r->db, json_integer_value(json_object_get(u, "id")), from, to) : NULL;
    if (t) {
        json_object_set(t, "org_name", json_object_get(u, "name"));
        json_object_set(t, "org_code", json_object_get(u, "code"));
        json_object_set_new(dash, "trainings_unit", t);
    }
    json_decref(mine);
}

static int page(struct req *r)
{
    int year;
    json_t *dash = load(r, &year);
    if (!dash) return r->status;
    trainings(r, dash, year);
    if (r->want_json) return render(r, dash, NULL);
    const char *map = req_str(r, "ban-do");
    json_t *camp = json_object_get(dash, "campaign");
    char title[96];
    snprintf(title, sizeof title, "Bảng điều khiển năm %d", year);
    json_int_t days = json_integer_value(json_object_get(camp, "days_to_day"));
    json_t *ctx = json_pack("{s:s, s:s, s:i, s:O, s:o, s:o, s:o, s:o}", "title", title, "_nav", "dashboard", "year", year, "dash", dash,
                            "charts", charts(dash, map && !strcmp(map, "ke-hoach") ? "plan" : "report"), "provinces", province_rows(dash),
                            "kinds", kind_rows(dash), "years", report_years(r, year));
    json_object_set_new(ctx, days > 0 ? "days_left" : days == 0 ? "is_today" : "days_past", json_integer(days > 0 ? days : -days));
    json_object_set_new(ctx, "map_plan", json_boolean(map && !strcmp(map, "ke-hoach")));
    json_decref(dash);
    return render(r, ctx, "dashboard/index");
}

static json_t *indicator_columns(json_t *dash, int max, json_t *cols)
{
    size_t k;
    json_t *ind;
    json_array_foreach(json_object_get(json_object_get(dash, "totals"), "indicators"), k, ind) {
        if (max >= 0 && (int)k >= max) break;
        char *t = report_indicator_title(ind);
        json_array_append_new(cols, json_pack("{s:s, s:s}", "title", t, "type", "number"));
        free(t);
    }
    return cols;
}

/* The dashboard's tables as {title, columns, rows}; which: tinh, loai or qua-han. */
static json_t *table(json_t *dash, const char *which)
{
    json_t *cols, *rows = json_array();
    size_t i;
    json_t *row;
    const char *title;
    if (!strcmp(which, "loai")) {
        title = "Số liệu theo loại đơn vị";
        cols = indicator_columns(dash, -1, json_pack("[{s:s, s:i}]", "title", "Loại đơn vị", "width", 30));
        json_t *kr = kind_rows(dash);
        json_array_foreach(kr, i, row) {
            json_t *out = json_pack("[O]", json_object_get(row, "kind"));
            json_array_extend(out, json_object_get(row, "totals"));
            json_array_append_new(rows, out);
        }
        json_decref(kr);
    } else if (!strcmp(which, "qua-han")) {
        title = "Nhiệm vụ quá hạn lâu nhất";
        cols = json_pack("[{s:s}, {s:s, s:i}, {s:s, s:i}, {s:s}, {s:s, s:s}, {s:s}]", "title", "Số hiệu", "title", "Nhiệm vụ", "width", 60,
                         "title", "Đơn vị chủ trì", "width", 30, "title", "Thời hạn", "title", "Số ngày quá hạn", "type", "number", "title", "Kế hoạch");
        json_array_foreach(json_object_get(json_object_get(dash, "tasks"), "overdue"), i, row) {
            struct ymd d;
            char vn[11] = "";
            if (date_parse_iso(str(row, "due"), &d)) date_format_vn(d, vn);
            json_array_append_new(rows, json_pack("[O, O, O, s, O, O]", json_object_get(row, "ref"), json_object_get(row, "title"),
                                                  json_object_get(row, "lead"), vn, json_object_get(row, "days_late"), json_object_get(row, "plan_number")));
        }
    } else {
        title = "Tỷ lệ gửi kế hoạch, báo cáo theo tỉnh, thành phố";
        cols = indicator_columns(dash, 4, json_pack("[{s:s, s:i}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "title", "Tỉnh, thành phố", "width", 28,
                                                    "title", "Kế hoạch đã gửi", "type", "percent", "title", "Báo cáo đã gửi", "type", "percent",
                                                    "title", "Báo cáo đúng hạn", "type", "percent"));
        json_t *pr = province_rows(dash);
        json_array_foreach(pr, i, row) {
            json_t *out = json_pack("[O, O, O, O]", json_object_get(row, "name"), json_object_get(row, "plan_rate") ? json_object_get(row, "plan_rate") : json_null(),
                                    json_object_get(row, "report_rate") ? json_object_get(row, "report_rate") : json_null(),
                                    json_object_get(row, "report_on_time") ? json_object_get(row, "report_on_time") : json_null());
            json_array_extend(out, json_object_get(row, "totals"));
            json_array_append_new(rows, out);
        }
        json_decref(pr);
    }
    return json_pack("{s:s, s:o, s:o}", "title", title, "columns", cols, "rows", rows);
}

static int export(struct req *r)
{
    int year;
    const char *which = req_str(r, "bang");
    if (!which || (strcmp(which, "tinh") && strcmp(which, "loai") && strcmp(which, "qua-han")))
        return req_fail(r, 400, "Bảng phải là tinh, loai hoặc qua-han.");
    if (!req_str(r, "format")) return req_fail(r, 400, "Định dạng phải là xlsx hoặc csv.");
    json_t *dash = load(r, &year);
    if (!dash) return r->status;
    json_t *t = table(dash, which);
    char title[300], stem[64];
    snprintf(title, sizeof title, "%s – năm %d", str(t, "title"), year);
    snprintf(stem, sizeof stem, "bang-dieu-khien-%d-%s", year, which);
    report_send_table(r, stem, title, json_object_get(t, "columns"), json_object_get(t, "rows"));
    json_decref(t);
    json_decref(dash);
    return r->status;
}

/* A table block of the PDF from one of the dashboard's tables, numbers written the Vietnamese way. */
static json_t *pdf_table(json_t *t)
{
    json_t *cols = json_array(), *rows = json_array();
    size_t i, j;
    json_t *c, *row, *v;
    json_array_foreach(json_object_get(t, "columns"), i, c) {
        const char *type = str(c, "type");
        json_array_append_new(cols, json_pack("{s:O, s:s, s:i}", "title", json_object_get(c, "title"), "align", type ? "right" : "left",
                                              "width", i == 0 ? 3 : 2));
    }
    json_array_foreach(json_object_get(t, "rows"), i, row) {
        json_t *out = json_array();
        json_array_foreach(row, j, v) {
            const char *type = str(json_array_get(json_object_get(t, "columns"), j), "type");
            char b[64];
            if (json_is_number(v) && type && !strcmp(type, "percent")) chart_format_rate(json_number_value(v), b, sizeof b);
            else if (json_is_number(v)) chart_format_number(json_number_value(v), 1, b, sizeof b);
            else snprintf(b, sizeof b, "%s", json_is_null(v) ? "–" : "");
            json_array_append_new(out, json_is_string(v) ? json_incref(v) : json_string(b));
        }
        json_array_append_new(rows, out);
    }
    return json_pack("{s:s, s:o, s:o}", "type", "table", "columns", cols, "rows", rows);
}

static int pdf(struct req *r)
{
    int year;
    json_t *dash = load(r, &year);
    if (!dash) return r->status;
    json_t *ch = charts(dash, "report"), *blocks = json_array();
    char title[160], made[64];
    snprintf(title, sizeof title, "Báo cáo kết quả Ngày Chuyển đổi số quốc gia năm %d", year);
    char today[11];
    date_format_vn(date_today(), today);
    snprintf(made, sizeof made, "Số liệu đến ngày %s", today);
    const char *theme = str(json_object_get(dash, "campaign"), "theme");
    size_t i;
    json_t *f;
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "h2", "text", "1. Tình hình gửi kế hoạch và báo cáo"));
    json_array_foreach(json_object_get(dash, "forms"), i, f) {
        json_t *n = json_object_get(f, "nation");
        char rate[32] = "–", ontime[32] = "–";
        if (json_is_number(json_object_get(n, "rate"))) chart_format_rate(json_number_value(json_object_get(n, "rate")), rate, sizeof rate);
        if (json_is_number(json_object_get(n, "on_time_rate"))) chart_format_rate(json_number_value(json_object_get(n, "on_time_rate")), ontime, sizeof ontime);
        json_array_append_new(blocks, json_pack("{s:s, s:o}", "type", "p", "text",
                                                json_sprintf("%s: %lld/%lld đơn vị đã gửi (%s), %lld gửi đúng hạn (%s).", str(f, "title"),
                                                             (long long)json_integer_value(json_object_get(n, "received")),
                                                             (long long)json_integer_value(json_object_get(n, "expected")), rate,
                                                             (long long)json_integer_value(json_object_get(n, "on_time")), ontime)));
    }
    json_array_append_new(blocks, json_pack("{s:s, s:O, s:i, s:O}", "type", "svg", "svg", json_object_get(ch, "map"), "width_mm", 60, "caption", json_object_get(ch, "map_title")));
    json_t *t = table(dash, "tinh");
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "h2", "text", "2. Kết quả theo tỉnh, thành phố"));
    json_array_append_new(blocks, pdf_table(t));
    json_decref(t);
    if (json_object_get(ch, "bars")) json_array_append_new(blocks, json_pack("{s:s, s:O, s:i, s:O}", "type", "svg", "svg", json_object_get(ch, "bars"),
                                                                            "width_mm", 170, "caption", json_object_get(ch, "bars_title")));
    t = table(dash, "loai");
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "h2", "text", "3. Số liệu theo loại đơn vị"));
    json_array_append_new(blocks, pdf_table(t));
    json_decref(t);
    t = table(dash, "qua-han");
    json_array_append_new(blocks, json_pack("{s:s, s:s}", "type", "h2", "text", "4. Nhiệm vụ quá hạn lâu nhất"));
    json_array_append_new(blocks, pdf_table(t));
    json_decref(t);
    json_t *doc = json_pack("{s:s, s:s, s:[s], s:o, s:s}", "title", title, "subtitle", theme ? theme : "", "meta", made, "blocks", blocks,
                            "footer", "Ngày Chuyển đổi số quốc gia – dxday");
    char err[200] = "";
    size_t len = 0;
    char *bytes = pdf_report(doc, &len, err, sizeof err);
    json_decref(doc);
    json_decref(ch);
    json_decref(dash);
    if (!bytes) return req_fail(r, 500, err[0] ? err : "Không tạo được tệp PDF.");
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"bao-cao-ngay-cds-%d.pdf\"", year);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/pdf", bytes, len);
}

const struct route page_dashboard_routes[] = {
    { "GET", "/bang-dieu-khien", "/api/dashboard", page, STAFF, false, 0 },
    { "GET", "/bang-dieu-khien/xuat", "/api/dashboard/export", export, STAFF, false, 0 },
    { "GET", "/bang-dieu-khien/bao-cao.pdf", "/api/dashboard/report.pdf", pdf, STAFF, false, 0 },
    { 0 },
};
