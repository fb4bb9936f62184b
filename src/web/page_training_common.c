/* Helpers of the training pages (web/training.h): the organiser's and nominator's right, loading the class of the
 * request, the local clock and the end of a write. Must not see SQL nor send anything but refusals. */
#include "web/training.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

bool training_may_act(struct req *r, int64_t org_id)
{
    return r->user && (authz(r, "officer", org_id) || authz(r, "coordinator", org_id));
}

void training_local_now(char out[17])
{
    time_t t = time(NULL) + 7 * 3600;   /* Asia/Ho_Chi_Minh keeps no daylight saving */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y-%m-%dT%H:%M", &tm);
}

void training_utc_now(char out[21]) { date_utc_iso(time(NULL), out); }

const char *training_field(struct req *r, const char *k, char buf[32])
{
    const char *v = req_str(r, k);
    if (v) return v;
    json_t *j = json_object_get(r->body_json, k);
    if (json_is_string(j)) return json_string_value(j);
    if (json_is_integer(j)) { snprintf(buf, 32, "%lld", (long long)json_integer_value(j)); return buf; }
    if (json_is_boolean(j)) return json_is_true(j) ? "1" : "0";
    return NULL;
}

/* "2026-10-05T08:00" as "08:00 05/10/2026". */
static json_t *when(const char *at)
{
    struct ymd d;
    char day[11] = "", iso[11];
    snprintf(iso, sizeof iso, "%.10s", at ? at : "");
    if (at && strlen(at) >= 16 && date_parse_iso(iso, &d)) date_format_vn(d, day);
    return json_sprintf("%.5s %s", at && strlen(at) >= 16 ? at + 11 : "", day);
}

json_t *training_load(struct req *r, bool organise)
{
    int64_t id = req_int(r, "id", 0);
    struct store_result res = STORE_RESULT_OK;
    json_t *t = NULL;
    if (id <= 0 || store_training_get(r->db, id, &t, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        req_fail(r, 404, "Không tìm thấy lớp tập huấn.");
        return NULL;
    }
    if (res.status != STORE_OK) {
        req_result(r, &res);
        return NULL;
    }
    bool org = training_may_act(r, json_integer_value(json_object_get(t, "org_id")));
    if (organise && !org) {
        json_decref(t);
        if (db_failed(r->db)) { req_store_failed(r); return NULL; }
        req_fail(r, r->user ? 403 : 401, "Chỉ cán bộ của đơn vị tổ chức lớp mới làm được việc này.");
        return NULL;
    }
    json_object_set_new(t, "can_organise", json_boolean(org));
    char now[17];
    training_local_now(now);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(t, "session_list"), i, s) {
        const char *at = json_string_value(json_object_get(s, "starts_at"));
        json_object_set_new(s, "happened", json_boolean(at && strcmp(at, now) <= 0));
        json_object_set_new(s, "when", when(at));
    }
    int64_t cap = json_integer_value(json_object_get(t, "capacity")), taken = json_integer_value(json_object_get(t, "seats_taken"));
    json_object_set_new(t, "seats_left", json_integer(cap > taken ? cap - taken : 0));
    json_object_set_new(t, "full", json_boolean(taken >= cap));
    return t;
}

int training_finish(struct req *r, struct store_result *res)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status == STORE_OK) return 0;
    int st = req_result(r, res);
    return st ? st : 500;
}
