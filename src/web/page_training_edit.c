/* Changing an announced class: its organiser edits it (sessions already held stay as they were) or cancels it before
 * it starts; nominees are told in the app and each change is audited. Must not see SQL, nor let anyone but the
 * organising unit's officers change a class. */
#include "web/training.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void vn_date(const char *iso, char out[11])
{
    struct ymd d;
    if (iso && date_parse_iso(iso, &d)) date_format_vn(d, out);
    else snprintf(out, 11, "%s", iso ? iso : "");
}

/* The form's fields as the class holds them, in the form's own notation (dd/mm/yyyy, one session a line). */
static json_t *typed_of(json_t *t)
{
    char a[11], b[11];
    vn_date(str(t, "starts_on"), a);
    vn_date(str(t, "ends_on"), b);
    json_t *typed = json_pack("{s:O, s:O, s:s, s:s, s:s?, s:s?, s:s?}", "title", json_object_get(t, "title"), "audience", json_object_get(t, "audience"),
                              "starts_on", a, "ends_on", b, "place", str(t, "place"), "online_url", str(t, "online_url"),
                              "description", str(t, "description"));
    json_object_set_new(typed, "capacity", json_sprintf("%lld", (long long)json_integer_value(json_object_get(t, "capacity"))));
    json_object_set_new(typed, "min_sessions", json_sprintf("%lld", (long long)json_integer_value(json_object_get(t, "min_sessions"))));
    struct buf { char *p; size_t n; } lines = { NULL, 0 };
    FILE *f = open_memstream(&lines.p, &lines.n);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(t, "session_list"), i, s) {
        const char *at = str(s, "starts_at");
        char day[11];
        char iso[11];
        snprintf(iso, sizeof iso, "%.10s", at ? at : "");
        vn_date(iso, day);
        if (f) fprintf(f, "%s%s %.5s %s", i ? "\n" : "", day, at && strlen(at) >= 16 ? at + 11 : "", str(s, "topic") ? str(s, "topic") : "");
    }
    if (f) fclose(f);
    json_object_set_new(typed, "sessions", json_string(lines.p ? lines.p : ""));
    free(lines.p);
    json_array_foreach(json_object_get(t, "trainers"), i, s) {
        char k[40];
        snprintf(k, sizeof k, "trainer_%lld", (long long)json_integer_value(json_object_get(s, "id")));
        json_object_set_new(typed, k, json_string("on"));
    }
    return typed;
}

static int edit_page(struct req *r, json_t *t, json_t *typed, json_t *errors)
{
    json_t *ctx = training_form_ctx(r, typed, errors);
    json_decref(typed);
    char action[64];
    snprintf(action, sizeof action, "/tap-huan/%lld/sua", (long long)json_integer_value(json_object_get(t, "id")));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "submit", json_string("Lưu thay đổi"));
    json_object_set_new(ctx, "title", json_sprintf("Sửa lớp: %s", str(t, "title")));
    json_object_set_new(ctx, "editing", json_pack("{s:O, s:O}", "id", json_object_get(t, "id"), "title", json_object_get(t, "title")));
    json_decref(t);
    return render(r, ctx, "training_form");
}

static bool cancelled(json_t *t) { return json_is_string(json_object_get(t, "cancelled_at")); }

static int edit_form(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    if (cancelled(t)) { json_decref(t); return req_fail(r, 409, "Lớp tập huấn đã hủy; không sửa được nữa."); }
    return edit_page(r, t, typed_of(t), NULL);
}

/* What nominees should hear of: the name, the dates, the place or link, the sessions' times. */
static char *changes(json_t *before, const struct training_in *in)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!f) return NULL;
    const char *sep = "";
    if (strcmp(str(before, "title"), in->title)) { fprintf(f, "%stên lớp mới “%s”", sep, in->title); sep = "; "; }
    if (strcmp(str(before, "starts_on"), in->starts_on) || strcmp(str(before, "ends_on"), in->ends_on)) {
        char a[11], b[11];
        vn_date(in->starts_on, a);
        vn_date(in->ends_on, b);
        fprintf(f, "%sthời gian từ %s đến %s", sep, a, b);
        sep = "; ";
    }
    const char *op = str(before, "place"), *ou = str(before, "online_url");
    if (strcmp(op ? op : "", in->place ? in->place : "")) { fprintf(f, "%sđịa điểm: %s", sep, in->place && *in->place ? in->place : "(không còn)"); sep = "; "; }
    if (strcmp(ou ? ou : "", in->online_url ? in->online_url : "")) { fprintf(f, "%sđường dẫn trực tuyến: %s", sep, in->online_url && *in->online_url ? in->online_url : "(không còn)"); sep = "; "; }
    json_t *old = json_object_get(before, "session_list");
    bool moved = json_array_size(old) != (size_t)in->nsessions;
    for (int k = 0; !moved && k < in->nsessions; k++) {
        bool found = false;
        size_t i;
        json_t *s;
        json_array_foreach(old, i, s) found = found || !strcmp(str(s, "starts_at") ? str(s, "starts_at") : "", in->sessions[k].starts_at);
        moved = !found;
    }
    if (moved) {
        fprintf(f, "%slịch học:", sep);
        for (int k = 0; k < in->nsessions; k++) {
            const char *at = in->sessions[k].starts_at;
            fprintf(f, "%s %.5s %.2s/%.2s/%.4s", k ? "," : "", at + 11, at + 8, at + 5, at);
        }
        sep = "; ";
    }
    fclose(f);
    if (!*sep) { free(out); return NULL; }
    return out;
}

static int update(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    int64_t id = json_integer_value(json_object_get(t, "id"));
    if (cancelled(t)) { json_decref(t); return req_fail(r, 409, "Lớp tập huấn đã hủy; không sửa được nữa."); }
    struct training_parsed p;
    json_t *errors = json_object();
    bool forbidden;
    training_read(r, &p, json_integer_value(json_object_get(t, "org_id")), errors, &forbidden);
    if (p.in.ncourses) json_object_set_new(errors, "courses", json_string("Tài liệu được thêm ở trang quản lý lớp, không qua sửa lớp."));
    if (json_object_size(errors)) {
        training_parsed_free(&p);
        if (!r->want_json) { r->status = 422; return edit_page(r, t, json_incref(r->params), errors); }
        json_decref(t);
        return req_fail_ctx(r, 422, "Thông tin lớp chưa hợp lệ; xem lỗi ở từng trường.", errors);
    }
    json_decref(errors);
    char now[21], local[17];
    training_utc_now(now);
    training_local_now(local);
    char *what = changes(t, &p.in);
    struct store_result res = STORE_RESULT_OK;
    int told = 0;
    if (store_begin(r->db, &res)) { free(what); training_parsed_free(&p); json_decref(t); return req_result(r, &res); }
    if (store_training_update(r->db, id, &p.in, local, &res) == STORE_OK) {
        char *msg = NULL;
        if (what) {
            msg = NULL;
            size_t n = 0;
            FILE *f = open_memstream(&msg, &n);
            if (f) { fprintf(f, "Lớp “%s” thay đổi: %s.", p.in.title, what); fclose(f); }
        }
        if (msg) store_training_notify(r->db, id, "changed", msg, now, &told, &res);
        if (res.status == STORE_OK &&
            audit(r, "training.update", "training", id, json_pack("{s:s, s:s?, s:I, s:i, s:i}", "title", p.in.title, "changes", what,
                                                                 "capacity", (json_int_t)p.in.capacity, "sessions", p.in.nsessions, "told", told)))
            store_fail_db(&res, r->db);
        free(msg);
    }
    free(what);
    training_parsed_free(&p);
    if (!r->want_json && (res.status == STORE_INVALID || res.status == STORE_CONFLICT)) {
        db_rollback(r->db);
        r->status = res.status == STORE_INVALID ? 422 : 409;
        json_t *errs = res.fields ? json_incref(res.fields) : json_pack("{s:s}", "sessions", res.message);
        store_result_free(&res);
        return edit_page(r, t, json_incref(r->params), errs);
    }
    json_decref(t);
    int st = training_finish(r, &res);
    if (st) return st;
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/quan-ly", (long long)id);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:i}", "id", (json_int_t)id, "told", told), NULL);
}

static int cancel(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    int64_t id = json_integer_value(json_object_get(t, "id"));
    char b[32];
    const char *reason = training_field(r, "reason", b);
    char *nfc = reason ? text_nfc(reason) : NULL;
    if (!nfc || strlen(nfc) < 5 || strlen(nfc) > 1000) {
        free(nfc);
        json_decref(t);
        return req_fail_ctx(r, 422, "Cần ghi lý do hủy lớp (từ 5 đến 1.000 ký tự).", json_pack("{s:s}", "reason", "Ghi lý do hủy lớp."));
    }
    char now[21], local[17];
    training_utc_now(now);
    training_local_now(local);
    char *msg = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&msg, &n);
    if (f) { fprintf(f, "Lớp “%s” đã bị hủy. Lý do: %s", str(t, "title"), nfc); fclose(f); }
    json_decref(t);
    struct store_result res = STORE_RESULT_OK;
    int told = 0;
    if (!msg || store_begin(r->db, &res)) { free(nfc); free(msg); return msg ? req_result(r, &res) : req_fail(r, 500, "Không đủ bộ nhớ."); }
    if (store_training_cancel(r->db, id, nfc, now, local, &res) == STORE_OK &&
        store_training_notify(r->db, id, "cancelled", msg, now, &told, &res) == STORE_OK &&
        audit(r, "training.cancel", "training", id, json_pack("{s:s, s:i}", "reason", nfc, "told", told)))
        store_fail_db(&res, r->db);
    free(nfc);
    free(msg);
    int st = training_finish(r, &res);
    if (st) return st;
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld", (long long)id);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:b, s:i}", "id", (json_int_t)id, "cancelled", 1, "told", told), NULL);
}

const struct route page_training_edit_routes[] = {
    { "GET", "/tap-huan/{id}/sua", NULL, edit_form, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/sua", "/api/trainings/{id}", update, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/huy", "/api/trainings/{id}/cancel", cancel, STAFF, false, 0 },
    { 0 },
};
