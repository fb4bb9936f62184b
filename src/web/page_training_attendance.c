/* Attendance of a training session: taken on a phone (one tick box per confirmed trainee), and a printable sheet to
 * sign on paper. Only the organisers; a session that has not begun takes no attendance (422). Must not see SQL, nor
 * mark anyone who is not a confirmed trainee of the class. */
#include "web/training.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The class (organiser only) and its session {sid}, or NULL with the answer sent. */
static json_t *load(struct req *r, json_t **session)
{
    json_t *t = training_load(r, true);
    if (!t) return NULL;
    int64_t sid = req_int(r, "sid", 0);
    *session = NULL;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(t, "session_list"), i, s)
        if (json_integer_value(json_object_get(s, "id")) == sid) *session = json_incref(s);
    if (!*session) {
        json_decref(t);
        req_fail(r, 404, "Không tìm thấy buổi học.");
        return NULL;
    }
    return t;
}

/* The confirmed trainees with their mark for the session. */
static json_t *roll(struct req *r, json_t *t, json_t *session)
{
    json_t *all = store_training_nominees(r->db, json_integer_value(json_object_get(t, "id")));
    json_t *marks = store_training_attendance_of(r->db, json_integer_value(json_object_get(session, "id")));
    json_t *out = json_array();
    size_t i;
    json_t *n;
    int k = 0;
    json_array_foreach(all, i, n) {
        if (strcmp(str(n, "status"), "confirmed")) continue;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(n, "id")));
        json_object_set_new(n, "present", json_boolean(json_is_true(json_object_get(marks, key))));
        json_object_set_new(n, "n", json_integer(++k));
        json_array_append(out, n);
    }
    json_decref(all);
    json_decref(marks);
    return out;
}

static int sheet(struct req *r, const char *tmpl)
{
    json_t *session;
    json_t *t = load(r, &session);
    if (!t) return r->status;
    json_t *people = roll(r, t, session);
    json_t *ctx = json_pack("{s:o, s:o, s:o, s:s}", "training", t, "session", session, "people", people, "_csrf", csrf_token(r));
    json_object_set_new(ctx, "title", json_sprintf("Điểm danh buổi %lld: %s", (long long)json_integer_value(json_object_get(session, "seq")), str(t, "title")));
    json_object_set_new(ctx, "_nav", json_string("trainings"));
    return render(r, ctx, tmpl);
}

static int phone(struct req *r) { return sheet(r, "training_attendance"); }
static int print(struct req *r) { return sheet(r, "training_sheet"); }

/* The ids ticked: a JSON array "present", or the form's boxes p_ID. */
static json_t *ticked(struct req *r, bool *bad)
{
    json_t *out = json_array(), *j = json_object_get(r->body_json, "present");
    *bad = false;
    if (j) {
        size_t i;
        json_t *v;
        if (!json_is_array(j)) *bad = true;
        json_array_foreach(j, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0) *bad = true;
            else json_array_append(out, v);
        }
        return out;
    }
    const char *k;
    json_t *v;
    json_object_foreach(r->params, k, v)
        if (!strncmp(k, "p_", 2) && atoll(k + 2) > 0) json_array_append_new(out, json_integer(atoll(k + 2)));
    return out;
}

static int record(struct req *r)
{
    json_t *session;
    json_t *t = load(r, &session);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id")), sid = json_integer_value(json_object_get(session, "id"));
    bool happened = json_is_true(json_object_get(session, "happened"));
    if (json_is_string(json_object_get(t, "cancelled_at"))) {
        json_decref(session);
        json_decref(t);
        return req_fail(r, 409, "Lớp tập huấn đã hủy; không điểm danh.");
    }
    char when[32];
    snprintf(when, sizeof when, "%s", str(session, "when"));
    json_decref(session);
    json_decref(t);
    if (!happened) {
        char msg[160];
        snprintf(msg, sizeof msg, "Buổi học này chưa diễn ra (bắt đầu %s); chỉ điểm danh được khi buổi học đã bắt đầu.", when);
        return req_fail_ctx(r, 422, msg, json_pack("{s:s}", "session", msg));
    }
    bool bad;
    json_t *present = ticked(r, &bad);
    if (bad) {
        json_decref(present);
        return req_fail_ctx(r, 422, "Danh sách có mặt phải là các mã học viên.", json_pack("{s:s}", "present", "Danh sách mã số học viên."));
    }
    char now[21];
    training_utc_now(now);
    int count = 0;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) { json_decref(present); return req_result(r, &res); }
    if (store_training_attend(r->db, sid, tid, present, r->user->id, now, &count, &res) == STORE_OK &&
        audit(r, "training.attendance", "training", tid, json_pack("{s:I, s:i}", "session_id", (json_int_t)sid, "present", count)))
        store_fail_db(&res, r->db);
    json_decref(present);
    int fail = training_finish(r, &res);
    if (fail) return fail;
    char loc[96];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/buoi/%lld?da-luu=1", (long long)tid, (long long)sid);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:i}", "session_id", (json_int_t)sid, "present", count), NULL);
}

const struct route page_training_attendance_routes[] = {
    { "GET", "/tap-huan/{id}/buoi/{sid}", "/api/trainings/{id}/sessions/{sid}", phone, STAFF, false, 0 },
    { "GET", "/tap-huan/{id}/buoi/{sid}/in", NULL, print, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/buoi/{sid}", "/api/trainings/{id}/sessions/{sid}/attendance", record, STAFF, false, 0 },
    { 0 },
};
