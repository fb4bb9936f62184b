/* Units' requests for an expert: a unit's officer asks (only for a unit within their subtree), the centre or an officer
 * of the requesting unit's parent proposes experts, each expert accepts or declines (the centre may record an answer
 * given by phone), and an activity ends the request (page_expert_activities.c). Must not see SQL, nor show a request
 * to anyone but the centre, the units above and including the requester, and the experts proposed. */
#include "web/expert.h"
#include "store/org.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const req_statuses[] = { "open", "matched", "done", "cancelled", NULL };
static const char *const req_status_labels[] = { "Chờ ghép chuyên gia", "Đã đề xuất chuyên gia", "Đã hoàn thành", "Đã hủy", NULL };
static const char *const match_statuses[] = { "proposed", "accepted", "declined", NULL };
static const char *const match_labels[] = { "Chờ trả lời", "Đã nhận", "Từ chối", NULL };

static void label(json_t *q)
{
    json_object_set_new(q, "status_label", json_string(expert_label(req_statuses, req_status_labels, json_string_value(json_object_get(q, "status")))));
    json_object_set_new(q, "mode_label", json_string(expert_label(expert_modes, expert_mode_labels, json_string_value(json_object_get(q, "mode")))));
}

/* Whether the caller may propose experts for a request of org whose parent is parent: the centre, or an officer of the
 * parent (or above it). The requesting unit's own officers ask; they do not choose. */
static bool may_match(struct req *r, int64_t parent)
{
    return expert_is_centre(r) || (parent && expert_unit_officer(r, parent));
}

/* The list with the request form; typed and errors (either may be NULL) put a refused form back as it was sent. */
static int list_with(struct req *r, json_t *typed, json_t *errors)
{
    bool centre = expert_is_centre(r);
    int64_t self = expert_self(r);
    struct store_result res = STORE_RESULT_OK;
    json_t *items = NULL, *fields = NULL;
    if (store_expert_requests_list(r->db, r->user->id, centre, self, &items, &res) || store_expert_fields(r->db, &fields, &res)) {
        json_decref(items);
        json_decref(typed);
        json_decref(errors);
        return req_result(r, &res);
    }
    size_t i;
    json_t *q;
    json_array_foreach(items, i, q) label(q);
    const char *want_field = json_string_value(json_object_get(typed, "field"));
    json_array_foreach(fields, i, q) json_object_set_new(q, "selected", json_boolean(want_field && !strcmp(want_field, json_string_value(json_object_get(q, "code")))));
    const char *want_mode = json_string_value(json_object_get(typed, "mode"));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, s:o, s:s}", "title", "Yêu cầu chuyên gia", "_nav", "experts", "items", items,
                            "can_request", r->user->staff, "is_centre", centre, "_fields", fields,
                            "_modes", expert_choices(expert_modes, expert_mode_labels, want_mode ? want_mode : "online"), "_csrf", csrf_token(r));
    if (typed) json_object_set_new(ctx, "typed", typed);
    if (errors) {
        json_object_set_new(ctx, "_err", errors);
        r->status = 422;
    }
    if (r->user->inbox_org) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)r->user->inbox_org);
        json_t *o = store_org_get(r->db, id);
        if (o) json_object_set(ctx, "my_org", json_object_get(o, "code"));
        json_decref(o);
    }
    return render(r, ctx, "expert_requests");
}

static int list(struct req *r) { return list_with(r, NULL, NULL); }

/* A refused request: JSON names the fields; a page comes back with what was typed and each error beside its field. */
static int refused(struct req *r, const char *msg, json_t *errors)
{
    if (r->want_json) return req_fail_ctx(r, 422, msg, errors);
    static const char *const keys[] = { "org", "topic", "field", "starts_on", "ends_on", "mode", "place", "note" };
    json_t *typed = json_object();
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        const char *v = req_str(r, keys[k]);
        char *n = v ? text_nfc(v) : NULL;
        if (n) json_object_set_new(typed, keys[k], json_string(n));
        free(n);
    }
    return list_with(r, typed, errors);
}

static int create(struct req *r)
{
    char b[8][32];
    const char *org_s = expert_str(r, "org", b[0]), *topic = expert_str(r, "topic", b[1]), *field = expert_str(r, "field", b[2]),
               *starts = expert_str(r, "starts_on", b[3]), *ends = expert_str(r, "ends_on", b[4]), *mode = expert_str(r, "mode", b[5]),
               *place = expert_str(r, "place", b[6]), *note = expert_str(r, "note", b[7]);
    int64_t org = org_s && *org_s ? store_org_id(r->db, org_s) : 0;
    if (org_s && *org_s && !org) return refused(r, "Không tìm thấy đơn vị.", json_pack("{s:s}", "org", "Không tìm thấy đơn vị."));
    if (!org) return refused(r, "Chọn đơn vị gửi yêu cầu.", json_pack("{s:s}", "org", "Chọn đơn vị."));
    if (!expert_unit_officer(r, org)) {
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Bạn chỉ gửi yêu cầu cho đơn vị mình phụ trách.");
    }
    json_t *errors = json_object();
    char *topic_n = topic && *topic ? text_nfc(topic) : NULL, *place_n = place && *place ? text_nfc(place) : NULL,
         *note_n = note && *note ? text_nfc(note) : NULL;
    if (!topic_n || !*topic_n || strlen(topic_n) > 300) json_object_set_new(errors, "topic", json_string("Cần chủ đề (tối đa 300 ký tự)."));
    if (!field || !store_expert_field_ok(r->db, field)) json_object_set_new(errors, "field", json_string("Chọn lĩnh vực trong danh mục."));
    char s_iso[11] = "", e_iso[11] = "", today[11];
    expert_today(today);
    if (!expert_date(starts, s_iso)) json_object_set_new(errors, "starts_on", json_string("Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."));
    else if (strcmp(s_iso, today) < 0) json_object_set_new(errors, "starts_on", json_string("Ngày bắt đầu không được trước hôm nay."));
    if (!expert_date(ends && *ends ? ends : starts, e_iso)) json_object_set_new(errors, "ends_on", json_string("Ngày kết thúc không hợp lệ (dd/mm/yyyy)."));
    else if (s_iso[0] && strcmp(e_iso, s_iso) < 0) json_object_set_new(errors, "ends_on", json_string("Ngày kết thúc không được trước ngày bắt đầu."));
    if (!mode || !expert_label(expert_modes, expert_mode_labels, mode))
        json_object_set_new(errors, "mode", json_string("Hình thức phải là online (trực tuyến) hoặc in_person (trực tiếp)."));
    else if (!strcmp(mode, "in_person") && !place_n) json_object_set_new(errors, "place", json_string("Cần địa điểm khi làm việc trực tiếp."));
    if (place_n && strlen(place_n) > 500) json_object_set_new(errors, "place", json_string("Địa điểm tối đa 500 ký tự."));
    if (note_n && strlen(note_n) > 2000) json_object_set_new(errors, "note", json_string("Ghi chú tối đa 2.000 ký tự."));
    int64_t id = 0;
    struct store_result res = STORE_RESULT_OK;
    if (json_object_size(errors)) {
        free(topic_n), free(place_n), free(note_n);
        return refused(r, "Yêu cầu chưa hợp lệ; xem các ô cần sửa.", errors);
    }
    json_decref(errors);
    struct expert_request_in in = { org, topic_n, field, s_iso, e_iso, mode, place_n, note_n };
    char now[21];
    expert_now(now);
    if (store_begin(r->db, &res)) {
        free(topic_n), free(place_n), free(note_n);
        return req_result(r, &res);
    }
    if (store_expert_request_create(r->db, &in, r->user->id, now, &id, &res) == STORE_OK &&
        audit(r, "expert_request.create", "expert_request", id, json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)org, "topic", topic_n, "field", field)))
        store_fail_db(&res, r->db);
    free(topic_n), free(place_n), free(note_n);
    if (expert_finish(r, &res)) return r->status;
    if (!r->want_json) {
        char loc[64];
        snprintf(loc, sizeof loc, "/chuyen-gia/yeu-cau/%lld", (long long)id);
        return req_redirect(r, loc);
    }
    r->status = 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "open"), NULL);
}

/* The request of the {id} path part the caller may read, or NULL with the answer sent (404 for the rest, as if there
 * were none). */
static json_t *load(struct req *r, int64_t id)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *q = NULL;
    if (id <= 0 || store_expert_request_get(r->db, id, &q, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        req_fail(r, 404, "Không tìm thấy yêu cầu.");
        return NULL;
    }
    if (res.status) { req_result(r, &res); return NULL; }
    int64_t self = expert_self(r), org = json_integer_value(json_object_get(q, "org_id"));
    bool matched = false;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(q, "matches"), i, m) {
        if (self && json_integer_value(json_object_get(m, "expert_id")) == self) {
            matched = true;
            json_object_set_new(q, "my_answer", json_string(json_string_value(json_object_get(m, "status"))));
            json_object_set_new(q, "my_proposed", json_boolean(!strcmp(json_string_value(json_object_get(m, "status")), "proposed")));
            json_object_set_new(q, "my_accepted", json_boolean(!strcmp(json_string_value(json_object_get(m, "status")), "accepted")));
        }
        json_object_set_new(m, "status_label", json_string(expert_label(match_statuses, match_labels, json_string_value(json_object_get(m, "status")))));
        json_object_del(m, "user_id");
    }
    bool centre = expert_is_centre(r);
    if (!centre && !matched && !expert_unit_officer(r, org)) {
        json_decref(q);
        req_missing(r, "Không tìm thấy yêu cầu.");
        return NULL;
    }
    json_object_set_new(q, "is_centre", json_boolean(centre));
    json_object_set_new(q, "can_match", json_boolean(may_match(r, json_integer_value(json_object_get(q, "parent_id")))));
    if (self) json_object_set_new(q, "my_expert_id", json_integer(self));
    label(q);
    return q;
}

/* The request's page; with act, the activity form as typed after a refusal (msg, act_errors beside its fields). */
static int show_page(struct req *r, int64_t id, int status, const char *msg, json_t *act, json_t *act_errors)
{
    json_t *q = load(r, id);
    if (!q) { json_decref(act), json_decref(act_errors); return r->status; }
    const char *st = json_string_value(json_object_get(q, "status"));
    bool open = !strcmp(st, "open") || !strcmp(st, "matched");
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Yêu cầu chuyên gia", "_nav", "experts", "request", q);
    if (act) {
        json_object_set_new(act, "errors", act_errors ? act_errors : json_object());
        json_object_set_new(act, "error", json_string(msg));
        json_object_set_new(ctx, "act", act);
        r->status = status;
    }
    if (open && json_is_true(json_object_get(q, "can_match"))) {
        /* Candidates: approved experts of the request's field who accept requests, not proposed yet. */
        struct expert_query eq = { .status = "approved", .field = json_string_value(json_object_get(q, "field_code")), .limit = 100 };
        struct store_result res = STORE_RESULT_OK;
        json_t *found = NULL, *cands = json_array();
        if (store_experts_find(r->db, &eq, &found, &res)) { json_decref(ctx); json_decref(cands); return req_result(r, &res); }
        size_t i, j;
        json_t *e, *m;
        json_array_foreach(json_object_get(found, "items"), i, e) {
            bool taken = false;
            json_array_foreach(json_object_get(q, "matches"), j, m) taken = taken || json_equal(json_object_get(m, "expert_id"), json_object_get(e, "id"));
            if (!taken && json_integer_value(json_object_get(e, "accepts_requests")))
                json_array_append_new(cands, json_pack("{s:O, s:O, s:O}", "id", json_object_get(e, "id"), "name", json_object_get(e, "name"),
                                                       "province_name", json_object_get(e, "province_name")));
        }
        json_decref(found);
        json_object_set_new(ctx, "candidates", cands);
    }
    if (open && (json_is_true(json_object_get(q, "my_accepted")) || json_is_true(json_object_get(q, "is_centre")))) {
        const char *kind = json_string_value(json_object_get(act, "kind"));
        json_object_set_new(ctx, "_kinds", expert_choices(expert_activity_kinds, expert_activity_kind_labels, kind ? kind : "consultation"));
        char today[11];
        expert_today(today);
        json_object_set_new(ctx, "today", json_string(today));
        json_object_set_new(ctx, "can_record", json_true());
    }
    json_object_set_new(ctx, "_open", json_boolean(open));
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return render(r, ctx, "expert_request");
}

static int show(struct req *r) { return show_page(r, req_int(r, "id", 0), 200, NULL, NULL, NULL); }

int expert_request_form_page(struct req *r, int64_t id, int status, const char *msg, json_t *act, json_t *act_errors)
{
    return show_page(r, id, status, msg, act, act_errors);
}

static int match(struct req *r)
{
    json_t *q = load(r, req_int(r, "id", 0));
    if (!q) return r->status;
    int64_t id = json_integer_value(json_object_get(q, "id"));
    bool ok = json_is_true(json_object_get(q, "can_match"));
    json_decref(q);
    if (!ok) return req_fail(r, 403, "Chỉ Trung tâm hoặc đơn vị cấp trên của đơn vị yêu cầu ghép chuyên gia.");
    json_t *ids = expert_list(r, "expert_ids", "pick_");
    char b[32];
    const char *one = expert_str(r, "expert_id", b);
    if (!ids) ids = json_array();
    if (one && *one) json_array_append_new(ids, json_string(one));
    if (!json_array_size(ids)) {
        json_decref(ids);
        return req_fail_ctx(r, 422, "Chọn ít nhất một chuyên gia.", json_pack("{s:s}", "expert_ids", "Chọn ít nhất một chuyên gia."));
    }
    char now[21];
    expert_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) { json_decref(ids); return req_result(r, &res); }
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        char *end = NULL;
        long long eid = strtoll(json_string_value(v), &end, 10);
        if (eid <= 0 || *end) {
            store_field(&res, "expert_ids", "Mã chuyên gia không hợp lệ.");
            store_fail(&res, STORE_INVALID, "Mã chuyên gia không hợp lệ.");
        } else store_expert_match(r->db, id, eid, r->user->id, now, &res);
        if (res.status) break;
    }
    if (res.status == STORE_OK && audit(r, "expert_request.match", "expert_request", id, json_pack("{s:O}", "expert_ids", ids)))
        store_fail_db(&res, r->db);
    json_decref(ids);
    if (expert_finish(r, &res)) return r->status;
    char loc[64];
    snprintf(loc, sizeof loc, "/chuyen-gia/yeu-cau/%lld", (long long)id);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "matched"), NULL);
}

static int answer(struct req *r)
{
    char b1[32], b2[32];
    const char *decision = expert_str(r, "decision", b1), *eid_s = expert_str(r, "expert_id", b2);
    int64_t self = expert_self(r), eid = self;
    bool centre = expert_is_centre(r);
    /* The centre records an answer an expert gave by phone or e-mail; it names the expert. */
    if (centre && eid_s && *eid_s) eid = atoll(eid_s);
    else if (eid_s && *eid_s && atoll(eid_s) != self) return req_fail(r, 403, "Bạn chỉ trả lời yêu cầu thay cho chính mình.");
    if (!eid) {
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ chuyên gia được đề xuất trả lời yêu cầu này.");
    }
    int64_t id = req_int(r, "id", 0);
    if (!decision || (strcmp(decision, "accept") && strcmp(decision, "decline")))
        return req_fail_ctx(r, 422, "Trả lời phải là accept (nhận) hoặc decline (từ chối).", json_pack("{s:s}", "decision", "accept hoặc decline."));
    char now[21];
    expert_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (id <= 0) return req_fail(r, 404, "Không tìm thấy yêu cầu.");
    if (store_begin(r->db, &res)) return req_result(r, &res);
    if (store_expert_answer(r->db, id, eid, !strcmp(decision, "accept"), now, &res) == STORE_OK &&
        audit(r, "expert_request.answer", "expert_request", id, json_pack("{s:I, s:s, s:b}", "expert_id", (json_int_t)eid, "decision", decision,
                                                                         "by_centre", eid != self)))
        store_fail_db(&res, r->db);
    /* An expert not proposed for the request learns nothing of it. */
    if (res.status == STORE_NOT_FOUND && !centre) {
        db_rollback(r->db);
        store_result_free(&res);
        return req_fail(r, 404, "Không tìm thấy yêu cầu.");
    }
    if (expert_finish(r, &res)) return r->status;
    char loc[64];
    snprintf(loc, sizeof loc, "/chuyen-gia/yeu-cau/%lld", (long long)id);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)id, "expert_id", (json_int_t)eid,
                               "answer", !strcmp(decision, "accept") ? "accepted" : "declined"), NULL);
}

const struct route page_expert_requests_routes[] = {
    { "GET", "/chuyen-gia/yeu-cau", "/api/expert-requests", list, ACCOUNT, false, 0 },
    { "POST", "/chuyen-gia/yeu-cau", "/api/expert-requests", create, STAFF, false, 64 * 1024 },
    { "GET", "/chuyen-gia/yeu-cau/{id}", "/api/expert-requests/{id}", show, ACCOUNT, false, 0 },
    { "POST", "/chuyen-gia/yeu-cau/{id}/ghep", "/api/expert-requests/{id}/match", match, STAFF, false, 64 * 1024 },
    { "POST", "/chuyen-gia/yeu-cau/{id}/tra-loi", "/api/expert-requests/{id}/answer", answer, ACCOUNT, false, 64 * 1024 },
    { 0 },
};
