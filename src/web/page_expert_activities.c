/* Experts' activities and the network's quarterly report: an expert records what they did (the centre for any expert),
 * possibly closing a request they accepted; the report per field and province (active experts, activities, units
 * served, requests waiting) with the 1,000 trained experts target, as a page, XLSX and PDF. Must not see SQL, nor let
 * anyone record an activity for another expert but the centre. */
#include "web/expert.h"
#include "store/org.h"
#include "export/pdf.h"
#include "export/xlsx.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRAINED_TARGET 1000

/* A refused activity: the JSON answer, or the form it came from again as typed with each error beside its field
 * (the request's page for a request's activity, else the expert's own page). Where no form of ours sent it (the
 * centre recording for another expert without a request), the answer as before. errors is stolen. */
static int refused(struct req *r, int status, const char *msg, json_t *errors, int64_t eid, int64_t rid)
{
    if (r->want_json || (rid <= 0 && (!eid || eid != expert_self(r)))) return req_fail_ctx(r, status, msg, errors);
    static const char *const typed[] = { "kind", "held_on", "org", "participants", "result", "expert_id", NULL };
    json_t *act = json_object();
    for (int i = 0; typed[i]; i++) {
        const char *v = req_str(r, typed[i]);
        if (v) json_object_set_new(act, typed[i], json_string(v));
    }
    if (rid > 0) return expert_request_form_page(r, rid, status, msg, act, errors);
    return expert_mine_form_page(r, status, msg, act, errors);
}

static int record(struct req *r)
{
    char b[9][32];
    const char *eid_s = expert_str(r, "expert_id", b[0]), *kind = expert_str(r, "kind", b[1]), *held = expert_str(r, "held_on", b[2]),
               *org_s = expert_str(r, "org", b[3]), *parts = expert_str(r, "participants", b[4]), *result = expert_str(r, "result", b[5]),
               *field = expert_str(r, "field", b[6]), *rq = expert_str(r, "request_id", b[7]);
    int64_t self = expert_self(r), eid = eid_s && *eid_s ? atoll(eid_s) : self;
    bool centre = expert_is_centre(r);
    if (!eid || (eid != self && !centre)) {
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ chuyên gia ghi hoạt động của mình; Trung tâm ghi cho mọi chuyên gia.");
    }
    struct store_result res = STORE_RESULT_OK;
    json_t *e = NULL, *q = NULL;
    if (store_expert_get(r->db, eid, &e, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        return refused(r, 422, "Không tìm thấy chuyên gia.", json_pack("{s:s}", "expert_id", "Không tìm thấy chuyên gia."), eid,
                       rq && *rq ? atoll(rq) : 0);
    }
    if (res.status) return req_result(r, &res);
    json_t *errors = json_object();
    if (strcmp(json_string_value(json_object_get(e, "status")), "approved"))
        json_object_set_new(errors, "expert_id", json_string("Chuyên gia chưa được duyệt hoặc đang tạm dừng."));
    if (!kind || !expert_label(expert_activity_kinds, expert_activity_kind_labels, kind))
        json_object_set_new(errors, "kind", json_string("Loại hoạt động phải là seminar, consultation, plan_review hoặc training."));
    char iso[11] = "", today[11];
    expert_today(today);
    if (!expert_date(held, iso)) json_object_set_new(errors, "held_on", json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
    else if (strcmp(iso, today) > 0) json_object_set_new(errors, "held_on", json_string("Chỉ ghi hoạt động đã diễn ra."));
    else if (strcmp(iso, "2020-01-01") < 0) json_object_set_new(errors, "held_on", json_string("Ngày quá xa."));
    int64_t rid = rq && *rq ? atoll(rq) : 0, org = org_s && *org_s ? store_org_id(r->db, org_s) : 0;
    if (rq && *rq && rid <= 0) json_object_set_new(errors, "request_id", json_string("Mã yêu cầu không hợp lệ."));
    if (rid > 0 && store_expert_request_get(r->db, rid, &q, &res) == STORE_OK) {
        /* A request's activity serves the requesting unit, in the request's field, unless said otherwise. */
        if (!org) org = json_integer_value(json_object_get(q, "org_id"));
        if (!field || !*field) field = json_string_value(json_object_get(q, "field_code"));
    } else if (rid > 0) {
        store_result_free(&res);
        res = STORE_RESULT_OK;
        json_object_set_new(errors, "request_id", json_string("Không tìm thấy yêu cầu."));
    }
    if (!org) json_object_set_new(errors, "org", json_string(org_s && *org_s ? "Không tìm thấy đơn vị." : "Chọn đơn vị được phục vụ."));
    if (!field || !*field) {
        json_t *f0 = json_array_get(json_object_get(e, "fields"), 0);
        field = f0 ? json_string_value(json_object_get(f0, "code")) : NULL;
    }
    if (!field || !store_expert_field_ok(r->db, field)) json_object_set_new(errors, "field", json_string("Lĩnh vực không có trong danh mục."));
    char *end = NULL;
    long long n = parts && *parts ? strtoll(parts, &end, 10) : 0;
    if (parts && *parts && (*end || n < 0 || n > 100000)) json_object_set_new(errors, "participants", json_string("Số người tham dự là số từ 0 đến 100.000."));
    char *result_n = result && *result ? text_nfc(result) : NULL;
    if (result && *result && (!result_n || strlen(result_n) > 2000)) json_object_set_new(errors, "result", json_string("Kết quả tối đa 2.000 ký tự."));
    if (json_object_size(errors)) {
        free(result_n);
        json_decref(e);
        /* A request that does not exist has no page to go back to. */
        int64_t back = q ? rid : 0;
        json_decref(q);
        return refused(r, 422, "Hoạt động chưa hợp lệ; xem các ô cần sửa.", errors, eid, back);
    }
    json_decref(errors);
    char field_c[64];
    snprintf(field_c, sizeof field_c, "%s", field);
    json_decref(e), json_decref(q);
    struct expert_activity_in in = { eid, org, rid, kind, iso, field_c, result_n, n };
    char now[21];
    expert_now(now);
    int64_t id = 0;
    if (store_begin(r->db, &res)) { free(result_n); return req_result(r, &res); }
    if (store_expert_activity_add(r->db, &in, r->user->id, now, &id, &res) == STORE_OK &&
        audit(r, "expert.activity", "expert", eid, json_pack("{s:I, s:s, s:s, s:I, s:I}", "activity_id", (json_int_t)id, "kind", kind,
                                                            "held_on", iso, "org_id", (json_int_t)org, "request_id", (json_int_t)rid)))
        store_fail_db(&res, r->db);
    free(result_n);
    if (!r->want_json && (res.status == STORE_INVALID || res.status == STORE_CONFLICT)) {
        /* The store's refusal (the request not accepted yet, already done): the form again, as typed. */
        db_rollback(r->db);
        json_t *fields = res.fields ? json_incref(res.fields) : json_object();
        char msg[sizeof res.message];
        snprintf(msg, sizeof msg, "%s", res.message[0] ? res.message : "Hoạt động chưa ghi được.");
        int status = res.status == STORE_CONFLICT ? 409 : 422;
        store_result_free(&res);
        return refused(r, status, msg, fields, eid, rid);
    }
    if (expert_finish(r, &res)) return r->status;
    if (!r->want_json) {
        char loc[64];
        snprintf(loc, sizeof loc, "/chuyen-gia/%lld", (long long)eid);
        return req_redirect(r, loc);
    }
    r->status = 201;
    return render(r, json_pack("{s:I, s:I}", "id", (json_int_t)id, "expert_id", (json_int_t)eid), NULL);
}

static int by_place(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "_key")), json_string_value(json_object_get(y, "_key")));
    if (c) return c;
    return (int)(json_integer_value(json_object_get(x, "sort")) - json_integer_value(json_object_get(y, "sort")));
}

/* The quarter asked (year, quarter; the current one by default) and its report, rows by province then field; NULL with
 * the answer sent. */
static json_t *report(struct req *r, int *year, int *quarter)
{
    char today[11];
    expert_today(today);
    /* A year or quarter that is not a number is refused, not read as the default. */
    const char *const names[] = { "year", "quarter" };
    for (int k = 0; k < 2; k++) {
        const char *v = req_str(r, names[k]);
        if (v && (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 4)) {
            req_fail(r, 400, "Năm phải từ 2020 đến 2100, quý từ 1 đến 4.");
            return NULL;
        }
    }
    *year = (int)req_int(r, "year", atoi(today));
    *quarter = (int)req_int(r, "quarter", (atoi(today + 5) + 2) / 3);
    if (*year < 2020 || *year > 2100 || *quarter < 1 || *quarter > 4) {
        req_fail(r, 400, "Năm phải từ 2020 đến 2100, quý từ 1 đến 4.");
        return NULL;
    }
    static const char *const last[] = { "03-31", "06-30", "09-30", "12-31" };
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-%02d-01", *year, (*quarter - 1) * 3 + 1);
    snprintf(to, sizeof to, "%04d-%s", *year, last[*quarter - 1]);
    struct store_result res = STORE_RESULT_OK;
    json_t *out = NULL;
    if (store_expert_report(r->db, from, to, &out, &res)) { req_result(r, &res); return NULL; }
    json_t *rows = json_object_get(out, "rows");
    size_t n = json_array_size(rows), i;
    json_t **v = calloc(n ? n : 1, sizeof *v), *sorted = json_array();
    for (i = 0; i < n; i++) {
        v[i] = json_array_get(rows, i);
        char *f = text_sort_key(json_string_value(json_object_get(v[i], "province_name")));   /* the Vietnamese order */
        /* The centre's own experts (no province) come last. */
        json_object_set_new(v[i], "_key", json_sprintf("%d%s", json_integer_value(json_object_get(v[i], "province_id")) ? 0 : 1, f ? f : ""));
        free(f);
    }
    qsort(v, n, sizeof *v, by_place);
    for (i = 0; i < n; i++) { json_object_del(v[i], "_key"); json_object_del(v[i], "sort"); json_array_append(sorted, v[i]); }
    free(v);
    json_object_set_new(out, "rows", sorted);
    json_int_t trained = json_integer_value(json_object_get(out, "trained"));
    json_object_set_new(out, "target", json_integer(TRAINED_TARGET));
    json_object_set_new(out, "percent", json_integer(trained >= TRAINED_TARGET ? 100 : trained * 100 / TRAINED_TARGET));
    json_object_set_new(out, "year", json_integer(*year));
    json_object_set_new(out, "quarter", json_integer(*quarter));
    json_object_set_new(out, "from", json_string(from));
    json_object_set_new(out, "to", json_string(to));
    return out;
}

static int page(struct req *r)
{
    int y, q;
    json_t *out = report(r, &y, &q);
    if (!out) return r->status;
    json_t *quarters = json_array();
    for (int k = 1; k <= 4; k++) json_array_append_new(quarters, json_pack("{s:i, s:b}", "n", k, "selected", k == q));
    json_object_set_new(out, "title", json_sprintf("Báo cáo mạng lưới chuyên gia quý %d/%d", q, y));
    json_object_set_new(out, "_nav", json_string("experts"));
    json_object_set_new(out, "_quarters", quarters);
    return render(r, out, "expert_report");
}

static const char *const heads[] = { "Tỉnh, thành phố", "Lĩnh vực", "Chuyên gia đang hoạt động", "Hoạt động trong quý",
                                     "Đơn vị được phục vụ", "Yêu cầu đang chờ", NULL };
static const char *const keys[] = { "province_name", "field_name", "experts", "activities", "units", "waiting", NULL };

static json_t *table_rows(json_t *out)
{
    json_t *rows = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(out, "rows"), i, x) {
        json_t *row = json_array();
        for (int k = 0; keys[k]; k++) json_array_append(row, json_object_get(x, keys[k]));
        json_array_append_new(rows, row);
    }
    return rows;
}

static int xlsx(struct req *r)
{
    int y, q;
    json_t *out = report(r, &y, &q);
    if (!out) return r->status;
    json_t *cols = json_array(), *rows = table_rows(out);
    for (int k = 0; heads[k]; k++)
        json_array_append_new(cols, json_pack("{s:s, s:i, s:s}", "title", heads[k], "width", k < 2 ? 28 : 14, "type", k < 2 ? "text" : "number"));
    json_t *t = json_object_get(out, "totals");
    json_array_append_new(rows, json_pack("[s, s, O, O, O, O]", "Cả nước", "Mọi lĩnh vực", json_object_get(t, "experts"),
                                          json_object_get(t, "activities"), json_object_get(t, "units"), json_object_get(t, "waiting")));
    char title[160];
    snprintf(title, sizeof title, "Mạng lưới chuyên gia chuyển đổi số – quý %d/%d (đã bồi dưỡng: %lld/%d)", q, y,
             (long long)json_integer_value(json_object_get(out, "trained")), TRAINED_TARGET);
    size_t len = 0;
    char *data = xlsx_table(title, cols, rows, &len);
    json_decref(cols), json_decref(rows), json_decref(out);
    if (!data) return req_fail(r, 500, "Không tạo được tệp Excel.");
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"chuyen-gia-quy-%d-%d.xlsx\"", q, y);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data, len);
}

static int pdf(struct req *r)
{
    int y, q;
    json_t *out = report(r, &y, &q);
    if (!out) return r->status;
    json_t *cols = json_array(), *rows = json_array();
    for (int k = 0; heads[k]; k++)
        json_array_append_new(cols, json_pack("{s:s, s:s, s:i}", "title", heads[k], "align", k < 2 ? "left" : "right", "width", k < 2 ? 3 : 2));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(out, "rows"), i, x) {
        json_t *row = json_array();
        for (int k = 0; keys[k]; k++) {
            json_t *v = json_object_get(x, keys[k]);
            json_array_append_new(row, json_is_integer(v) ? json_sprintf("%lld", (long long)json_integer_value(v)) : json_copy(v));
        }
        json_array_append_new(rows, row);
    }
    json_t *t = json_object_get(out, "totals");
    json_t *total;
    total = json_array();
    json_array_append_new(total, json_string("Cả nước"));
    json_array_append_new(total, json_string(""));
    const char *tk[] = { "experts", "activities", "units", "waiting" };
    for (int k = 0; k < 4; k++) json_array_append_new(total, json_sprintf("%lld", (long long)json_integer_value(json_object_get(t, tk[k]))));
    char meta[200];
    snprintf(meta, sizeof meta, "Từ %.2s/%.2s/%.4s đến %.2s/%.2s/%.4s · Chuyên gia đã hoàn thành bồi dưỡng: %lld/%d (%lld%%)",
             json_string_value(json_object_get(out, "from")) + 8, json_string_value(json_object_get(out, "from")) + 5, json_string_value(json_object_get(out, "from")),
             json_string_value(json_object_get(out, "to")) + 8, json_string_value(json_object_get(out, "to")) + 5, json_string_value(json_object_get(out, "to")),
             (long long)json_integer_value(json_object_get(out, "trained")), TRAINED_TARGET, (long long)json_integer_value(json_object_get(out, "percent")));
    char title[120];
    snprintf(title, sizeof title, "Mạng lưới chuyên gia chuyển đổi số – quý %d/%d", q, y);
    json_t *doc = json_pack("{s:s, s:s, s:[s], s:[{s:s, s:o, s:o, s:o}], s:s}", "title", title, "subtitle", "Theo tỉnh, thành phố và lĩnh vực",
                            "meta", meta, "blocks", "type", "table", "columns", cols, "rows", rows, "total", total,
                            "footer", "Ngày Chuyển đổi số quốc gia – dxday");
    json_decref(out);
    char err[200] = "";
    size_t len = 0;
    char *bytes = doc ? pdf_report(doc, &len, err, sizeof err) : NULL;
    json_decref(doc);
    if (!bytes) return req_fail(r, 500, err[0] ? err : "Không tạo được tệp PDF.");
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"chuyen-gia-quy-%d-%d.pdf\"", q, y);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/pdf", bytes, len);
}

const struct route page_expert_activities_routes[] = {
    { "POST", "/chuyen-gia/hoat-dong", "/api/expert-activities", record, ACCOUNT, false, 64 * 1024 },
    { "GET", "/chuyen-gia/bao-cao", "/api/experts/report", page, STAFF, false, 0 },
    { "GET", "/chuyen-gia/bao-cao.xlsx", "/api/experts/report.xlsx", xlsx, STAFF, false, 0 },
    { "GET", "/chuyen-gia/bao-cao.pdf", "/api/experts/report.pdf", pdf, STAFF, false, 0 },
    { 0 },
};
