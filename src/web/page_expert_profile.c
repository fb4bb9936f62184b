/* Expert profiles: applying (any signed-in account, for themself) or being nominated by a unit (its officer, within
 * their subtree), the expert's own profile and its edits, and the centre's list and decisions (approve, pause, remove,
 * with a reason). Each write checks the caller's right and commits with its audit entry, or writes nothing. Must not
 * see SQL, nor let anyone but the centre change a status or the date of training. */
#include "web/expert.h"
#include "store/org.h"
#include "store/training.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const statuses[] = { "pending", "approved", "paused", "removed", NULL };
static const char *const status_labels[] = { "Chờ duyệt", "Đã duyệt", "Tạm dừng", "Đã loại khỏi mạng lưới", NULL };

static void label_status(json_t *e)
{
    json_object_set_new(e, "status_label", json_string(expert_label(statuses, status_labels, json_string_value(json_object_get(e, "status")))));
}

/* The lists a profile form and its checks need; false with the answer sent. */
static bool lists(struct req *r, json_t **fields, json_t **provinces)
{
    struct store_result res = STORE_RESULT_OK;
    *fields = *provinces = NULL;
    if (store_expert_fields(r->db, fields, &res) || store_expert_provinces(r->db, provinces, &res)) {
        json_decref(*fields);
        req_result(r, &res);
        return false;
    }
    return true;
}

static json_t *public_choices(json_t *selected)
{
    static const char *const labels[] = { "Chức danh", "Cơ quan", "Giới thiệu", "Ngôn ngữ", "Email", "Điện thoại" };
    json_t *a = json_array();
    for (int i = 0; expert_public_keys[i]; i++) {
        bool on = false;
        size_t j;
        json_t *v;
        json_array_foreach(selected, j, v) on = on || (json_is_string(v) && !strcmp(json_string_value(v), expert_public_keys[i]));
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", expert_public_keys[i], "label", labels[i], "selected", on));
    }
    return a;
}

/* The form's context: the fields ticked, the province chosen, what may be public. */
static json_t *form_ctx(struct req *r, json_t *fields, json_t *provinces, json_t *e)
{
    size_t i, j;
    json_t *f, *x;
    json_array_foreach(fields, i, f) {
        bool on = false;
        json_array_foreach(json_object_get(e, "fields"), j, x) on = on || json_equal(json_object_get(x, "code"), json_object_get(f, "code"));
        json_object_set_new(f, "selected", json_boolean(on));
    }
    expert_select(provinces, "id", json_object_get(e, "province_id"));
    json_t *pub = json_object_get(e, "public_fields");
    json_t *ctx = json_pack("{s:o, s:o, s:o, s:s}", "_fields", fields, "_provinces", provinces, "_public",
                            public_choices(pub ? pub : json_pack("[s,s,s,s]", "title", "organisation", "bio", "languages")), "_csrf", csrf_token(r));
    return ctx;
}

/* A profile form as typed, in the shape the form reads (expert.*), to put it back after a refusal. */
static json_t *typed_expert(struct req *r, json_t *base)
{
    json_t *e = base ? json_deep_copy(base) : json_object();
    static const char *const keys[] = { "name", "title", "organisation", "email", "phone", "bio", NULL };
    for (int i = 0; keys[i]; i++) {
        const char *v = req_str(r, keys[i]);
        if (v) json_object_set_new(e, keys[i], json_string(v));
    }
    json_t *langs = expert_list(r, "languages", NULL);
    if (langs) json_object_set_new(e, "languages", langs);
    json_t *codes = expert_list(r, "fields", "field_");
    if (codes || req_str(r, "fields_sent")) {
        json_t *fields = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(codes, i, v) json_array_append_new(fields, json_pack("{s:O}", "code", v));
        json_decref(codes);
        json_object_set_new(e, "fields", fields);
    }
    json_t *pub = expert_list(r, "public_fields", "pub_");
    if (pub || req_str(r, "public_sent")) json_object_set_new(e, "public_fields", pub ? pub : json_array());
    if (req_str(r, "accepts_sent")) json_object_set_new(e, "accepts_requests", json_integer(req_str(r, "accepts_requests") != NULL));
    return e;
}

/* The province typed (a code) selected in the list. */
static void select_typed_province(struct req *r, json_t *provinces)
{
    const char *p = req_str(r, "province");
    if (!p) return;
    size_t i;
    json_t *x;
    json_array_foreach(provinces, i, x)
        json_object_set_new(x, "selected", json_boolean(!strcmp(json_string_value(json_object_get(x, "code")) ?: "", p)));
}

static int apply_form_page(struct req *r, json_t *typed, json_t *errors)
{
    json_t *fields, *provinces;
    if (!lists(r, &fields, &provinces)) { json_decref(typed), json_decref(errors); return r->status; }
    json_t *ctx = form_ctx(r, fields, provinces, typed);
    if (typed) select_typed_province(r, provinces);
    json_object_set_new(ctx, "title", json_string("Đăng ký tham gia mạng lưới chuyên gia"));
    json_object_set_new(ctx, "_nav", json_string("experts"));
    json_object_set_new(ctx, "has_profile", json_boolean(expert_self(r) > 0));
    json_object_set_new(ctx, "staff", json_boolean(r->user->staff));
    json_object_set_new(ctx, "nominated", json_boolean(req_str(r, "da-de-cu") != NULL));
    if (typed) {
        json_object_set_new(ctx, "expert", typed);
        const char *org = req_str(r, "org");
        if (org) json_object_set_new(ctx, "typed_org", json_string(org));
    }
    if (errors) {
        json_object_set_new(ctx, "errors", errors);
        json_object_set_new(ctx, "error", json_string("Hồ sơ chưa hợp lệ; xem các ô cần sửa."));
    }
    return render(r, ctx, "expert_apply");
}

static int apply_form(struct req *r) { return apply_form_page(r, NULL, NULL); }

/* A refused form: JSON as the house answers, or the form again as typed with each error beside its field. */
static int apply_refused(struct req *r, int status, const char *msg, json_t *errors)
{
    if (r->want_json) return req_fail_ctx(r, status, msg, errors);
    r->status = status;
    return apply_form_page(r, typed_expert(r, NULL), errors);
}

static void raw_from(struct req *r, struct expert_raw *raw, char bufs[3][32])
{
    memset(raw, 0, sizeof *raw);
    raw->name = expert_str(r, "name", bufs[0]);
    raw->title = req_str(r, "title") ? req_str(r, "title") : json_string_value(json_object_get(r->body_json, "title"));
    raw->organisation = req_str(r, "organisation") ? req_str(r, "organisation") : json_string_value(json_object_get(r->body_json, "organisation"));
    raw->province = expert_str(r, "province", bufs[2]);
    raw->email = req_str(r, "email") ? req_str(r, "email") : json_string_value(json_object_get(r->body_json, "email"));
    raw->phone = req_str(r, "phone") ? req_str(r, "phone") : json_string_value(json_object_get(r->body_json, "phone"));
    raw->bio = req_str(r, "bio") ? req_str(r, "bio") : json_string_value(json_object_get(r->body_json, "bio"));
    raw->trained_on = req_str(r, "trained_on") ? req_str(r, "trained_on") : json_string_value(json_object_get(r->body_json, "trained_on"));
    raw->languages = expert_list(r, "languages", NULL);
    raw->fields = expert_list(r, "fields", "field_");
    raw->public_fields = expert_list(r, "public_fields", "pub_");
    /* A form ticks nothing for "show nothing": its marker says the list was sent. */
    if (!raw->public_fields && req_str(r, "public_sent")) raw->public_fields = json_array();
    if (!raw->fields && req_str(r, "fields_sent")) raw->fields = json_array();
}

static void raw_free(struct expert_raw *raw)
{
    json_decref(raw->languages);
    json_decref(raw->fields);
    json_decref(raw->public_fields);
}

/* The accepts_requests flag as sent: "1"/"0", a JSON boolean, or a checkbox with its marker. */
static const char *accepts_of(struct req *r, char buf[32])
{
    const char *a = expert_str(r, "accepts_requests", buf);
    if (!a && req_str(r, "accepts_sent")) a = "0";
    if (a && !strcmp(a, "on")) a = "1";
    return a;
}

static int created(struct req *r, int64_t id, bool nominated)
{
    if (!r->want_json) return req_redirect(r, nominated ? "/chuyen-gia/dang-ky?da-de-cu=1" : "/chuyen-gia/ho-so");
    r->status = 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"), NULL);
}

static int apply(struct req *r)
{
    char bufs[3][32], abuf[32], obuf[32];
    const char *org_s = expert_str(r, "org", obuf);
    int64_t org = 0;
    if (org_s && *org_s) {
        org = store_org_id(r->db, org_s);
        if (!org) return apply_refused(r, 422, "Không tìm thấy đơn vị đề cử.", json_pack("{s:s}", "org", "Không tìm thấy đơn vị."));
        if (!expert_unit_officer(r, org)) return req_fail(r, 403, "Bạn chỉ đề cử chuyên gia cho đơn vị mình phụ trách.");
    } else if (expert_self(r)) {
        return req_fail(r, 409, "Tài khoản này đã có hồ sơ chuyên gia.");
    }
    json_t *fields, *provinces;
    if (!lists(r, &fields, &provinces)) return r->status;
    struct expert_raw raw;
    raw_from(r, &raw, bufs);
    raw.accepts = accepts_of(r, abuf);
    if (raw.trained_on && *raw.trained_on) {
        raw_free(&raw), json_decref(fields), json_decref(provinces);
        return apply_refused(r, 422, "Chỉ Trung tâm ghi ngày hoàn thành bồi dưỡng.", json_pack("{s:s}", "trained_on", "Chỉ Trung tâm ghi."));
    }
    struct expert_in in;
    struct expert_bufs b;
    json_t *errors = json_object();
    expert_check(&raw, NULL, provinces, fields, &in, &b, errors);
    raw_free(&raw);
    json_decref(fields), json_decref(provinces);
    if (json_object_size(errors)) {
        expert_bufs_free(&b);
        return apply_refused(r, 422, "Hồ sơ chưa hợp lệ; xem các ô cần sửa.", errors);
    }
    json_decref(errors);
    in.status = "pending";
    in.user_id = org ? 0 : r->user->id;
    in.nominated_by_org = org;
    if (org) in.org_id = org;
    char now[21];
    expert_now(now);
    int64_t id = 0;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        if (store_expert_create(r->db, &in, r->user->id, now, &id, &res) == STORE_OK &&
            audit(r, org ? "expert.nominate" : "expert.apply", "expert", id, json_pack("{s:s, s:I}", "name", in.name, "org_id", (json_int_t)org)))
            store_fail_db(&res, r->db);
        expert_bufs_free(&b);
        if (expert_finish(r, &res)) return r->status;
    } else {
        expert_bufs_free(&b);
        return req_result(r, &res);
    }
    return created(r, id, org != 0);
}

/* The expert's own page: the whole profile, the requests they were matched to, their activities, and the forms. */
static int mine_page(struct req *r, json_t *errors, json_t *act)
{
    int64_t id = expert_self(r);
    if (!id) {
        if (!r->want_json) return req_redirect(r, "/chuyen-gia/dang-ky");
        return req_missing(r, "Tài khoản này chưa có hồ sơ chuyên gia.");
    }
    struct store_result res = STORE_RESULT_OK;
    json_t *e = NULL, *reqs = NULL, *acts = NULL, *fields, *provinces;
    if (store_expert_get(r->db, id, &e, &res) || store_expert_requests_list(r->db, r->user->id, false, id, &reqs, &res) ||
        store_expert_activities(r->db, id, &acts, &res)) {
        json_decref(e), json_decref(reqs);
        return req_result(r, &res);
    }
    label_status(e);
    json_object_set_new(e, "requests", reqs);
    json_object_set_new(e, "activities", acts);
    if (r->want_json) return render(r, json_pack("{s:o}", "expert", e), NULL);
    if (!lists(r, &fields, &provinces)) { json_decref(e); return r->status; }
    json_t *ctx = form_ctx(r, fields, provinces, e);
    json_object_set_new(ctx, "title", json_string("Hồ sơ chuyên gia của tôi"));
    json_object_set_new(ctx, "_nav", json_string("experts"));
    json_object_set_new(ctx, "_kinds", expert_choices(expert_activity_kinds, expert_activity_kind_labels,
                                                      json_string_value(json_object_get(act, "kind"))));
    if (act) json_object_set(ctx, "act", act);
    char today[11];
    expert_today(today);
    json_object_set_new(ctx, "today", json_string(today));
    if (errors) {
        /* The edit refused: the form shows what was typed, each error beside its field. */
        json_t *typed = typed_expert(r, e);
        json_decref(e);
        e = typed;
        select_typed_province(r, json_object_get(ctx, "_provinces"));
        json_object_set_new(ctx, "_public", public_choices(json_object_get(e, "public_fields")));
        size_t i, j;
        json_t *f, *x;
        json_array_foreach(json_object_get(ctx, "_fields"), i, f) {
            bool on = false;
            json_array_foreach(json_object_get(e, "fields"), j, x) on = on || json_equal(json_object_get(x, "code"), json_object_get(f, "code"));
            json_object_set_new(f, "selected", json_boolean(on));
        }
        json_object_set_new(ctx, "errors", errors);
        json_object_set_new(ctx, "edit_failed", json_true());
        json_object_set_new(ctx, "error", json_string("Hồ sơ chưa hợp lệ; xem các ô cần sửa."));
    }
    json_object_set_new(ctx, "expert", e);
    return render(r, ctx, "expert_mine");
}

static int mine(struct req *r) { return mine_page(r, NULL, NULL); }

int expert_mine_form_page(struct req *r, int status, const char *msg, json_t *act, json_t *act_errors)
{
    json_object_set_new(act, "errors", act_errors ? act_errors : json_object());
    json_object_set_new(act, "error", json_string(msg));
    r->status = status;
    int rc = mine_page(r, NULL, act);
    json_decref(act);
    return rc;
}

/* An edit refused: the expert's own form again as typed, or the JSON answer (and the centre's, from its list). */
static int update_refused(struct req *r, int64_t id, int status, const char *msg, json_t *errors)
{
    if (r->want_json || expert_self(r) != id) return req_fail_ctx(r, status, msg, errors);
    r->status = status;
    return mine_page(r, errors, NULL);
}

static int update(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    bool centre = expert_is_centre(r);
    if (id <= 0) return req_fail(r, 404, "Không tìm thấy chuyên gia.");
    if (!centre && expert_self(r) != id) {
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ chuyên gia hoặc Trung tâm sửa được hồ sơ này.");
    }
    struct store_result res = STORE_RESULT_OK;
    json_t *cur = NULL, *fields, *provinces;
    if (store_expert_get(r->db, id, &cur, &res)) return req_result(r, &res);
    if (!lists(r, &fields, &provinces)) { json_decref(cur); return r->status; }
    char bufs[3][32], abuf[32];
    struct expert_raw raw;
    raw_from(r, &raw, bufs);
    raw.accepts = accepts_of(r, abuf);
    if (!centre && raw.trained_on) {
        const char *was = json_string_value(json_object_get(cur, "trained_on"));
        char iso[11] = "";
        expert_date(raw.trained_on, iso);
        if (strcmp(was ? was : "", *raw.trained_on ? iso : "")) {
            raw_free(&raw), json_decref(cur), json_decref(fields), json_decref(provinces);
            return update_refused(r, id, 422, "Chỉ Trung tâm ghi ngày hoàn thành bồi dưỡng.", json_pack("{s:s}", "trained_on", "Chỉ Trung tâm ghi."));
        }
    }
    if (raw.trained_on && !*raw.trained_on) raw.trained_on = NULL;   /* empty clears it only through the centre's JSON null */
    json_t *tn = json_object_get(r->body_json, "trained_on");
    struct expert_in in;
    struct expert_bufs b;
    json_t *errors = json_object();
    expert_check(&raw, cur, provinces, fields, &in, &b, errors);
    if (centre && json_is_null(tn)) in.trained_on = NULL;
    raw_free(&raw);
    json_decref(fields), json_decref(provinces);
    /* cur stays until the write: the e-mail kept as it was points into it. */
    if (json_object_size(errors)) {
        expert_bufs_free(&b);
        json_decref(cur);
        return update_refused(r, id, 422, "Hồ sơ chưa hợp lệ; xem các ô cần sửa.", errors);
    }
    json_decref(errors);
    char now[21];
    expert_now(now);
    if (store_begin(r->db, &res) == STORE_OK) {
        if (store_expert_update(r->db, id, &in, now, &res) == STORE_OK &&
            audit(r, "expert.update", "expert", id, json_pack("{s:s, s:b, s:s?}", "name", in.name, "accepts_requests", in.accepts_requests,
                                                             "trained_on", in.trained_on)))
            store_fail_db(&res, r->db);
        expert_bufs_free(&b);
        json_decref(cur);
        if (expert_finish(r, &res)) return r->status;
    } else {
        expert_bufs_free(&b);
        json_decref(cur);
        return req_result(r, &res);
    }
    if (!r->want_json) return req_redirect(r, centre && expert_self(r) != id ? "/chuyen-gia/quan-ly" : "/chuyen-gia/ho-so");
    json_t *e = NULL;
    if (store_expert_get(r->db, id, &e, &res)) return req_result(r, &res);
    return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)id, "expert", e), NULL);
}

static int set_status(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    if (!expert_is_centre(r)) {
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ Trung tâm duyệt, tạm dừng hoặc loại chuyên gia.");
    }
    char b1[32], b2[32];
    const char *st = expert_str(r, "status", b1), *reason = expert_str(r, "reason", b2);
    json_t *errors = json_object();
    if (!st || (strcmp(st, "approved") && strcmp(st, "paused") && strcmp(st, "removed")))
        json_object_set_new(errors, "status", json_string("Trạng thái phải là approved (duyệt), paused (tạm dừng) hoặc removed (loại)."));
    char *reason_n = reason && *reason ? text_nfc(reason) : NULL;
    if (st && strcmp(st, "approved") && (!reason_n || strlen(reason_n) < 5))
        json_object_set_new(errors, "reason", json_string("Cần ghi lý do (ít nhất 5 ký tự)."));
    else if (reason_n && strlen(reason_n) > 1000) json_object_set_new(errors, "reason", json_string("Lý do tối đa 1.000 ký tự."));
    if (json_object_size(errors)) {
        free(reason_n);
        return req_fail_ctx(r, 422, "Chưa đổi được trạng thái; xem các ô cần sửa.", errors);
    }
    json_decref(errors);
    char now[21];
    expert_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (id <= 0) { free(reason_n); return req_fail(r, 404, "Không tìm thấy chuyên gia."); }
    if (store_begin(r->db, &res) == STORE_OK) {
        if (store_expert_set_status(r->db, id, st, reason_n, now, &res) == STORE_OK &&
            audit(r, "expert.status", "expert", id, json_pack("{s:s, s:s?}", "status", st, "reason", reason_n)))
            store_fail_db(&res, r->db);
        free(reason_n);
        if (expert_finish(r, &res)) return r->status;
    } else {
        free(reason_n);
        return req_result(r, &res);
    }
    if (!r->want_json) return req_redirect(r, "/chuyen-gia/quan-ly");
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", st), NULL);
}

/* The centre's list: every profile whatever its status, private parts included. A unit's officer sees the profiles
 * their units nominated, to give a nominee an account; only the centre decides a status. */
int expert_manage_page(struct req *r, bool units_view, int status, const char *error, int64_t failed_id, json_t *errors)
{
    bool centre = !units_view && expert_is_centre(r);
    if (!units_view && !centre) {
        json_decref(errors);
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ Trung tâm quản lý mạng lưới chuyên gia.");
    }
    json_t *units = centre ? NULL : store_training_my_units(r->db, r->user->id);
    if (!centre && !json_array_size(units)) {
        json_decref(units), json_decref(errors);
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ cán bộ của một đơn vị mới xem được chuyên gia đơn vị đã đề cử.");
    }
    const char *st = req_str(r, "status");
    if (st && *st && !expert_label(statuses, status_labels, st)) { json_decref(units), json_decref(errors); return req_fail(r, 400, "Trạng thái không hợp lệ."); }
    struct store_result res = STORE_RESULT_OK;
    json_t *found = NULL;
    if (centre) {
        struct expert_query eq = { .status = st && *st ? st : NULL, .limit = 500 };
        if (store_experts_find(r->db, &eq, &found, &res)) { json_decref(errors); return req_result(r, &res); }
    } else {
        /* The nominees of each unit the officer answers for, each profile once. */
        found = json_pack("{s:[], s:i}", "items", "total", 0);
        json_t *seen = json_object();
        size_t k;
        json_t *u;
        json_array_foreach(units, k, u) {
            struct expert_query eq = { .status = st && *st ? st : NULL, .limit = 500,
                                       .nominated_within = json_integer_value(json_object_get(u, "id")) };
            json_t *part = NULL;
            if (store_experts_find(r->db, &eq, &part, &res)) { json_decref(seen), json_decref(found), json_decref(units), json_decref(errors); return req_result(r, &res); }
            size_t i;
            json_t *e;
            json_array_foreach(json_object_get(part, "items"), i, e) {
                char key[24];
                snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(e, "id")));
                if (json_object_get(seen, key)) continue;
                json_object_set_new(seen, key, json_true());
                json_array_append(json_object_get(found, "items"), e);
            }
            json_decref(part);
        }
        json_object_set_new(found, "total", json_integer((json_int_t)json_array_size(json_object_get(found, "items"))));
        json_decref(seen);
    }
    json_decref(units);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(found, "items"), i, e) {
        label_status(e);
        json_object_set_new(e, "is_pending", json_boolean(!strcmp(json_string_value(json_object_get(e, "status")), "pending")));
        json_object_set_new(e, "is_approved", json_boolean(!strcmp(json_string_value(json_object_get(e, "status")), "approved")));
        json_object_set_new(e, "has_account", json_boolean(json_integer_value(json_object_get(e, "user_id")) > 0));
        if (failed_id && json_integer_value(json_object_get(e, "id")) == failed_id) {
            json_object_set_new(e, "account_error", json_string(error));
            if (errors) json_object_set(e, "account_errors", errors);
            const char *typed = req_str(r, "email");
            if (typed) json_object_set_new(e, "account_email", json_string(typed));
        }
        if (!json_object_get(e, "account_email")) json_object_set(e, "account_email", json_object_get(e, "email"));
    }
    json_decref(errors);
    json_object_set_new(found, "title", json_string(centre ? "Quản lý mạng lưới chuyên gia" : "Chuyên gia đơn vị đã đề cử"));
    json_object_set_new(found, "_nav", json_string("experts"));
    json_object_set_new(found, "_centre", json_boolean(centre));
    json_object_set_new(found, "_csrf", json_string(csrf_token(r)));
    json_object_set_new(found, "_statuses", expert_choices(statuses, status_labels, st));
    if (status) r->status = status;
    return render(r, found, "expert_manage");
}

static int manage(struct req *r) { return expert_manage_page(r, false, 0, NULL, 0, NULL); }
static int nominated(struct req *r) { return expert_manage_page(r, true, 0, NULL, 0, NULL); }

const struct route page_expert_profile_routes[] = {
    { "GET", "/chuyen-gia/dang-ky", NULL, apply_form, ACCOUNT, false, 0 },
    { "POST", "/chuyen-gia/dang-ky", "/api/experts", apply, ACCOUNT, false, 64 * 1024 },
    { "GET", "/chuyen-gia/ho-so", "/api/experts/me", mine, ACCOUNT, false, 0 },
    { "GET", "/chuyen-gia/quan-ly", "/api/experts/manage", manage, STAFF, false, 0 },
    { "GET", "/chuyen-gia/da-de-cu", "/api/experts/nominated", nominated, STAFF, false, 0 },
    { "POST", "/chuyen-gia/{id}/sua", "/api/experts/{id}", update, ACCOUNT, false, 64 * 1024 },
    { "POST", "/chuyen-gia/{id}/trang-thai", "/api/experts/{id}/status", set_status, STAFF, false, 64 * 1024 },
    { 0 },
};
