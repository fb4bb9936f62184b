/* Helpers shared by the reporting pages (forms, submissions, completeness, the dashboard), so each page file
 * reads its request the same way and every table downloads the same way. Must not decide who may see what: the
 * pages do. */
#include "web/report.h"
#include "store/form.h"
#include "store/campaign.h"
#include "export/xlsx.h"
#include "core/buf.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_today(char out[11]) { date_format_iso(date_today(), out); }

json_t *report_form(struct req *r)
{
    json_t *f = store_form_get(r->db, req_str(r, "form"));
    if (!f) req_missing(r, "Không tìm thấy biểu mẫu báo cáo.");
    return f;
}

bool report_period(struct req *r, json_t *form, struct rperiod *p)
{
    struct rform rf;
    if (!form_rform(form, &rf)) { req_fail(r, 500, "Biểu mẫu có kỳ báo cáo không hợp lệ."); return false; }
    if (!rperiod_find(&rf, req_str(r, "ky"), date_today(), p)) { req_fail(r, 400, "Biểu mẫu không có kỳ báo cáo này."); return false; }
    return true;
}

json_t *report_periods(json_t *form, const char *selected)
{
    struct rform rf;
    struct rperiod ps[12];
    int n = form_rform(form, &rf) ? rperiod_list(&rf, ps, 12) : 0;
    if (n < 2) return NULL;
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "key", ps[i].key, "label", ps[i].label, "selected", !strcmp(ps[i].key, selected)));
    return a;
}

json_t *report_period_json(const struct rperiod *p)
{
    char a[11], b[11], c[11], d[11], e[11] = "";
    date_format_iso(p->start, a);
    date_format_iso(p->end, b);
    date_format_iso(p->due, c);
    date_format_iso(p->on_time_until, d);
    if (p->has_lock) date_format_iso(p->lock, e);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "key", p->key, "label", p->label, "start", a, "end", b, "due", c,
                          "on_time_until", d);
    json_object_set_new(o, "lock", p->has_lock ? json_string(e) : json_null());
    json_object_set_new(o, "locked", json_boolean(rperiod_locked(p, date_today(), false, (struct ymd){ 0 })));
    return o;
}

const char *report_status_label(const char *s)
{
    if (!s || !strcmp(s, "missing")) return "Chưa gửi";
    if (!strcmp(s, "draft")) return "Bản nháp";
    if (!strcmp(s, "submitted")) return "Đã gửi";
    if (!strcmp(s, "returned")) return "Bị trả lại";
    if (!strcmp(s, "approved")) return "Đã phê duyệt";
    return s;
}

bool report_view_current(struct req *r)
{
    const char *v = req_str(r, "view");
    return !v || strcmp(v, "historical");
}

bool report_send_table(struct req *r, const char *file_stem, const char *title, json_t *columns, json_t *rows)
{
    const char *format = req_str(r, "format");
    if (!format || !*format) return false;
    if (strcmp(format, "xlsx") && strcmp(format, "csv")) {
        req_fail(r, 400, "Định dạng phải là xlsx hoặc csv.");
        return true;
    }
    bool xlsx = !strcmp(format, "xlsx");
    size_t len = 0;
    char *data = xlsx ? xlsx_table(title, columns, rows, &len) : csv_table(columns, rows, &len);
    if (!data) { req_fail(r, 500, "Không tạo được tệp."); return true; }
    char today[11], cd[160];
    report_today(today);
    snprintf(cd, sizeof cd, "attachment; filename=\"%s-%s.%s\"", file_stem, today, format);
    req_header(r, "Content-Disposition", cd);
    req_send(r, 200, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8", data, len);
    return true;
}

json_t *report_years(struct req *r, int selected)
{
    json_t *years = store_campaigns_list(r->db);
    size_t i;
    json_t *y;
    json_array_foreach(years, i, y) json_object_set_new(y, "selected", json_boolean(json_integer_value(json_object_get(y, "year")) == selected));
    return years;
}

char *report_indicator_title(json_t *ind)
{
    const char *label = json_string_value(json_object_get(ind, "label")), *unit = json_string_value(json_object_get(ind, "unit"));
    struct buf b = { 0 };
    buf_puts(&b, label ? label : "");
    if (unit && *unit) buf_printf(&b, " (%s)", unit);
    return buf_take(&b);
}
