/* Training classes: the list (/tap-huan), the form for a new class and its creation by an officer or coordinator of
 * the organising unit, with sessions, trainers (approved experts) and MOOC courses as materials. Must not see SQL, nor
 * create a class for a unit the caller does not answer for. */
#include "web/training.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SESSIONS TRAINING_MAX_SESSIONS
#define MAX_TRAINERS TRAINING_MAX_TRAINERS
#define MAX_COURSES TRAINING_MAX_COURSES

static int list(struct req *r)
{
    const char *unit = req_str(r, "don-vi");
    int64_t within = unit && *unit ? store_org_id(r->db, unit) : 0;
    if (unit && *unit && !within) return req_missing(r, "Không tìm thấy đơn vị.");
    char today[11];
    date_format_iso(date_today(), today);
    const char *up = req_str(r, "sap-toi");
    json_t *items = store_trainings_find(r->db, within, up && *up == '1' ? today : NULL, 200);
    if (!items) return req_store_failed(r);
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t) {
        const char *e = json_string_value(json_object_get(t, "ends_on"));
        json_object_set_new(t, "finished", json_boolean(e && strcmp(e, today) < 0));
    }
    bool can = r->user && (authz_any(r, "officer") || authz_any(r, "coordinator"));
    json_t *ctx = json_pack("{s:s, s:o, s:b}", "title", "Tập huấn cho cán bộ", "items", items, "can_create", can);
    if (r->user) {
        json_t *notices = store_training_notices(r->db, r->user->id, 10);
        json_object_set_new(ctx, "notices", notices ? notices : json_array());
    }
    json_object_set_new(ctx, "_nav", json_string("trainings"));
    return render(r, ctx, "training_list");
}

static json_t *choices(const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; training_audiences[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", training_audiences[i], "label", training_audience_labels[i],
                                           "selected", selected && !strcmp(selected, training_audiences[i])));
    return a;
}

json_t *training_form_ctx(struct req *r, json_t *typed, json_t *errors)
{
    json_t *experts = store_training_experts(r->db), *units = store_training_my_units(r->db, r->user->id);
    if (!experts) experts = json_array();
    if (!units) units = json_array();
    /* What was typed comes back: the unit chosen, the trainers ticked, the audience. */
    size_t i;
    json_t *x;
    json_array_foreach(experts, i, x) {
        char k[40];
        snprintf(k, sizeof k, "trainer_%lld", (long long)json_integer_value(json_object_get(x, "id")));
        json_object_set_new(x, "checked", json_boolean(json_object_get(typed, k) != NULL));
    }
    const char *org = json_string_value(json_object_get(typed, "org"));
    json_array_foreach(units, i, x)
        json_object_set_new(x, "selected", json_boolean(org && !strcmp(org, json_string_value(json_object_get(x, "code")) ?: "")));
    const char *aud = json_string_value(json_object_get(typed, "audience"));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s}", "title", "Mở lớp tập huấn", "_nav", "trainings", "experts", experts,
                            "units", units, "audiences", choices(aud ? aud : "officials"), "_csrf", csrf_token(r),
                            "action", "/tap-huan", "submit", "Mở lớp");
    if (typed) json_object_set(ctx, "typed", typed);
    if (errors) {
        json_object_set_new(ctx, "errors", errors);
        json_object_set_new(ctx, "error", json_string("Thông tin lớp chưa hợp lệ; xem lỗi ở từng mục."));
    }
    return ctx;
}

static int new_form(struct req *r)
{
    if (!authz_any(r, "officer") && !authz_any(r, "coordinator"))
        return req_fail(r, 403, "Chỉ cán bộ, điều phối viên của một đơn vị mới mở được lớp tập huấn.");
    return render(r, training_form_ctx(r, NULL, NULL), "training_form");
}

/* A date typed as 2026-10-05 or 05/10/2026 into out (ISO); false when it is neither. */
static bool read_date(const char *in, char out[11])
{
    struct ymd d;
    if (!in || (!date_parse_iso(in, &d) && !date_parse_vn(in, &d))) return false;
    date_format_iso(d, out);
    return true;
}

/* A session's time as 'YYYY-MM-DDTHH:MM' from "2026-10-05T08:00", "2026-10-05 08:00", "05/10/2026 08:00" or
 * "08:00 05/10/2026"; *rest points after it (the topic, on a form's line). */
static bool read_when(const char *in, char out[17], const char **rest)
{
    while (*in == ' ') in++;
    int h = -1, mi = -1, n = 0;
    char day[16] = "";
    const char *p = in;
    if (sscanf(p, "%2d:%2d %10s%n", &h, &mi, day, &n) == 3) p += n;
    else {
        size_t k = 0;
        while (p[k] && p[k] != ' ' && p[k] != 'T' && k < 10) k++;
        if (k != 10) return false;
        memcpy(day, p, 10);
        day[10] = 0;
        p += 10;
        if (*p != ' ' && *p != 'T') return false;
        p++;
        if (sscanf(p, "%2d:%2d%n", &h, &mi, &n) != 2) return false;
        p += n;
    }
    char iso[11];
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || !read_date(day, iso)) return false;
    memcpy(out, iso, 10);
    char hm[16];
    snprintf(hm, sizeof hm, "T%02d:%02d", h, mi);
    memcpy(out + 10, hm, 7);
    while (*p == ' ' || *p == '-' || *p == ':') p++;
    if (rest) *rest = p;
    return true;
}

void training_parsed_free(struct training_parsed *p)
{
    for (int i = 0; i < p->in.nsessions; i++) free(p->topics[i]);
    free(p->course_buf);
}

static void add_session(struct training_parsed *p, const char *at, const char *topic, int line, json_t *errors)
{
    char msg[160];
    if (p->in.nsessions >= MAX_SESSIONS) {
        snprintf(msg, sizeof msg, "Tối đa %d buổi học.", MAX_SESSIONS);
        json_object_set_new(errors, "sessions", json_string(msg));
        return;
    }
    const char *rest = NULL;
    int k = p->in.nsessions;
    if (!at || !read_when(at, p->when[k], &rest)) {
        snprintf(msg, sizeof msg, "Buổi %d: thời gian không hợp lệ (vd. 05/10/2026 08:00).", line);
        json_object_set_new(errors, "sessions", json_string(msg));
        return;
    }
    if (p->starts[0] && p->ends[0] && (strncmp(p->when[k], p->starts, 10) < 0 || strncmp(p->when[k], p->ends, 10) > 0)) {
        snprintf(msg, sizeof msg, "Buổi %d nằm ngoài thời gian của lớp.", line);
        json_object_set_new(errors, "sessions", json_string(msg));
        return;
    }
    p->topics[k] = text_nfc(topic ? topic : rest ? rest : "");
    p->sessions[k] = (struct training_session_in){ p->when[k], p->topics[k] };
    p->in.nsessions++;
}

/* A text field kept past the parse: the form's, or the JSON body's string (a number there is no text). */
static const char *sfield(struct req *r, const char *k)
{
    const char *v = req_str(r, k);
    return v ? v : json_string_value(json_object_get(r->body_json, k));
}

void training_read(struct req *r, struct training_parsed *p, int64_t fixed_org, json_t *errors, bool *forbidden)
{
    char b2[32], b3[32], b8[32];
    memset(p, 0, sizeof *p);
    *forbidden = false;
    struct training_in *in = &p->in;
    in->title = sfield(r, "title");
    if (!in->title || !*in->title || strlen(in->title) > 200) json_object_set_new(errors, "title", json_string("Cần tên lớp (tối đa 200 ký tự)."));
    in->audience = sfield(r, "audience");
    if (!training_audience_label(in->audience))
        json_object_set_new(errors, "audience", json_string("Đối tượng phải là: leaders, officials, team_members, youth_officers hoặc experts."));
    const char *org = fixed_org ? NULL : training_field(r, "org", b2);
    in->org_id = fixed_org ? fixed_org : org && *org ? store_org_id(r->db, org) : 0;
    if (!in->org_id) json_object_set_new(errors, "org", json_string(org && *org ? "Không tìm thấy đơn vị." : "Chọn đơn vị tổ chức."));
    else if (!fixed_org && !training_may_act(r, in->org_id)) *forbidden = true;
    if (!read_date(training_field(r, "starts_on", b3), p->starts)) json_object_set_new(errors, "starts_on", json_string("Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."));
    if (!read_date(training_field(r, "ends_on", b3), p->ends)) json_object_set_new(errors, "ends_on", json_string("Ngày kết thúc không hợp lệ (dd/mm/yyyy)."));
    else if (p->starts[0] && strcmp(p->ends, p->starts) < 0) json_object_set_new(errors, "ends_on", json_string("Ngày kết thúc trước ngày bắt đầu."));
    in->starts_on = p->starts;
    in->ends_on = p->ends;
    in->place = sfield(r, "place");
    in->online_url = sfield(r, "online_url");
    in->description = sfield(r, "description");
    if ((!in->place || !*in->place) && (!in->online_url || !*in->online_url))
        json_object_set_new(errors, "place", json_string("Cần địa điểm hoặc đường dẫn học trực tuyến."));
    if (in->place && strlen(in->place) > 300) json_object_set_new(errors, "place", json_string("Địa điểm tối đa 300 ký tự."));
    if (in->online_url && *in->online_url && (strlen(in->online_url) > 500 ||
        (strncmp(in->online_url, "https://", 8) && strncmp(in->online_url, "http://", 7))))
        json_object_set_new(errors, "online_url", json_string("Đường dẫn trực tuyến phải bắt đầu bằng https://."));
    if (in->description && strlen(in->description) > 5000) json_object_set_new(errors, "description", json_string("Mô tả tối đa 5.000 ký tự."));
    const char *cap = training_field(r, "capacity", b8);
    char *end = NULL;
    in->capacity = cap ? strtoll(cap, &end, 10) : 0;
    if (!cap || !*cap || *end || in->capacity < 1 || in->capacity > 10000)
        json_object_set_new(errors, "capacity", json_string("Số chỗ phải là số nguyên từ 1 đến 10.000."));
    /* Sessions: a JSON array of {starts_at, topic}, or a form's lines "05/10/2026 08:00 Chủ đề". */
    json_t *js = json_object_get(r->body_json, "sessions");
    if (json_is_array(js)) {
        size_t i;
        json_t *s;
        json_array_foreach(js, i, s)
            add_session(p, json_string_value(json_object_get(s, "starts_at")), json_string_value(json_object_get(s, "topic")) ?
                        json_string_value(json_object_get(s, "topic")) : "", (int)i + 1, errors);
    } else {
        const char *lines = req_str(r, "sessions");
        int n = 0;
        for (const char *l = lines; l && *l;) {
            const char *e = strchr(l, '\n');
            size_t len = e ? (size_t)(e - l) : strlen(l);
            char line[400];
            snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), l);
            for (size_t k = strlen(line); k && isspace((unsigned char)line[k - 1]); k--) line[k - 1] = 0;
            if (*line) add_session(p, line, NULL, ++n, errors);
            l = e ? e + 1 : l + len;
        }
    }
    if (!in->nsessions && !json_object_get(errors, "sessions")) json_object_set_new(errors, "sessions", json_string("Cần ít nhất một buổi học."));
    in->sessions = p->sessions;
    const char *ms = training_field(r, "min_sessions", b3);
    in->min_sessions = ms && *ms ? strtoll(ms, &end, 10) : in->nsessions;
    if ((ms && *ms && *end) || in->min_sessions < 1 || (in->nsessions && in->min_sessions > in->nsessions))
        json_object_set_new(errors, "min_sessions", json_string("Số buổi tối thiểu để cấp chứng chỉ phải từ 1 đến số buổi của lớp."));
    /* Trainers: a JSON array of expert ids, or the form's ticked boxes trainer_ID. */
    json_t *jt = json_object_get(r->body_json, "trainers");
    if (json_is_array(jt)) {
        size_t i;
        json_t *v;
        json_array_foreach(jt, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0) { json_object_set_new(errors, "trainers", json_string("Giảng viên là mã số chuyên gia.")); break; }
            if (in->ntrainers < MAX_TRAINERS) p->trainers[in->ntrainers++] = json_integer_value(v);
        }
    } else if (jt) json_object_set_new(errors, "trainers", json_string("Giảng viên là danh sách mã số chuyên gia."));
    else {
        const char *k;
        json_t *v;
        json_object_foreach(r->params, k, v)
            if (!strncmp(k, "trainer_", 8) && in->ntrainers < MAX_TRAINERS && atoll(k + 8) > 0) p->trainers[in->ntrainers++] = atoll(k + 8);
    }
    in->trainers = p->trainers;
    /* Courses: a JSON array of slugs, or the form's "slug-a, slug-b". */
    json_t *jc = json_object_get(r->body_json, "courses");
    if (json_is_array(jc)) {
        size_t i;
        json_t *v;
        json_array_foreach(jc, i, v) {
            if (!json_is_string(v)) { json_object_set_new(errors, "courses", json_string("Khóa học là đường dẫn (slug) của khóa.")); break; }
            if (in->ncourses < MAX_COURSES) p->courses[in->ncourses++] = json_string_value(v);
        }
    } else if (req_str(r, "courses")) {
        p->course_buf = strdup(req_str(r, "courses"));
        for (char *save = NULL, *tok = p->course_buf ? strtok_r(p->course_buf, ", \r\n", &save) : NULL; tok && in->ncourses < MAX_COURSES;
             tok = strtok_r(NULL, ", \r\n", &save))
            p->courses[in->ncourses++] = tok;
    }
    in->courses = p->courses;
}

static int create(struct req *r)
{
    struct training_parsed p;
    json_t *errors = json_object();
    bool forbidden;
    training_read(r, &p, 0, errors, &forbidden);
    if (forbidden) {
        training_parsed_free(&p);
        json_decref(errors);
        return req_fail(r, 403, "Bạn không phụ trách đơn vị tổ chức này.");
    }
    if (json_object_size(errors)) {
        training_parsed_free(&p);
        if (!r->want_json) {
            r->status = 422;
            return render(r, training_form_ctx(r, r->params, errors), "training_form");
        }
        return req_fail_ctx(r, 422, "Thông tin lớp chưa hợp lệ; xem lỗi ở từng trường.", errors);
    }
    json_decref(errors);
    char now[21];
    training_utc_now(now);
    int64_t id = 0;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) { training_parsed_free(&p); return req_result(r, &res); }
    if (store_training_create(r->db, &p.in, r->user->id, now, &id, &res) == STORE_OK &&
        audit(r, "training.create", "training", id, json_pack("{s:s, s:I, s:I, s:i}", "title", p.in.title, "org_id", (json_int_t)p.in.org_id,
                                                                "capacity", (json_int_t)p.in.capacity, "sessions", p.in.nsessions)))
        store_fail_db(&res, r->db);
    training_parsed_free(&p);
    /* A trainer or course the store refused: the form comes back as typed, the error beside its field. */
    if (!r->want_json && (res.status == STORE_INVALID || res.status == STORE_CONFLICT)) {
        db_rollback(r->db);
        r->status = res.status == STORE_INVALID ? 422 : 409;
        json_t *errs = res.fields ? json_incref(res.fields) : json_object();
        store_result_free(&res);
        return render(r, training_form_ctx(r, r->params, errs), "training_form");
    }
    int st = training_finish(r, &res);
    if (st) return st;
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/quan-ly", (long long)id);
    if (!r->want_json) return req_redirect(r, loc);
    r->status = 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "url", loc), NULL);
}

const struct route page_training_list_routes[] = {
    { "GET", "/tap-huan", "/api/trainings", list, PUBLIC, false, 0 },
    { "GET", "/tap-huan/moi", NULL, new_form, STAFF, false, 0 },
    { "POST", "/tap-huan", "/api/trainings", create, STAFF, false, 0 },
    { 0 },
};
