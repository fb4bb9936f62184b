/* One training class: its public page, the organiser's page, nominations by units (within their subtree, against the
 * capacity, with the waiting list offered when it is full), the organiser's confirmations, file materials and the
 * certificates of completion. Must not see SQL, nor show a person's nomination to someone outside its unit's tree. */
#include "web/training.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MATERIAL (20u * 1024 * 1024)

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The nominees the caller may see: all of them for an organiser, those of units in the caller's subtrees otherwise. */
static json_t *visible_nominees(struct req *r, json_t *t)
{
    json_t *all = store_training_nominees(r->db, json_integer_value(json_object_get(t, "id"))), *out = json_array();
    bool org = json_is_true(json_object_get(t, "can_organise"));
    size_t i;
    json_t *n;
    json_array_foreach(all, i, n) {
        if (!org && !training_may_act(r, json_integer_value(json_object_get(n, "org_id")))) continue;
        json_object_set_new(n, "is_confirmed", json_boolean(!strcmp(str(n, "status"), "confirmed")));
        json_object_set_new(n, "decidable", json_boolean(org && strcmp(str(n, "status"), "confirmed")));
        json_object_set_new(n, "declinable", json_boolean(org && strcmp(str(n, "status"), "declined")));
        json_array_append(out, n);
    }
    json_decref(all);
    return out;
}

static json_t *page_ctx(struct req *r, json_t *t)
{
    char today[11];
    date_format_iso(date_today(), today);
    bool ended = strcmp(str(t, "ends_on"), today) < 0;
    bool nominate = r->user && !ended && !json_is_string(json_object_get(t, "cancelled_at")) && (authz_any(r, "officer") || authz_any(r, "coordinator"));
    json_t *ctx = json_pack("{s:O, s:o, s:b, s:b, s:s}", "title", json_object_get(t, "title"), "training", t, "ended", ended, "can_nominate", nominate,
                            "_nav", "trainings");
    if (r->user) {
        json_object_set_new(ctx, "nominees", visible_nominees(r, t));
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    }
    if (nominate) {
        json_t *u = store_training_my_units(r->db, r->user->id);
        json_object_set_new(ctx, "units", u ? u : json_array());
    }
    return ctx;
}

static int show(struct req *r)
{
    json_t *t = training_load(r, false);
    if (!t) return r->status;
    return render(r, page_ctx(r, t), "training_show");
}

static int manage(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    json_t *ctx = page_ctx(r, t);
    json_object_set_new(ctx, "title", json_sprintf("Quản lý lớp: %s", str(t, "title")));
    json_t *shown = json_object_get(ctx, "nominees");
    int confirmed = 0, eligible = 0;
    size_t i;
    json_t *n;
    json_array_foreach(shown, i, n)
        if (json_is_true(json_object_get(n, "is_confirmed"))) {
            confirmed++;
            if (json_integer_value(json_object_get(n, "attended")) >= json_integer_value(json_object_get(t, "min_sessions")) &&
                json_is_null(json_object_get(n, "certificate"))) eligible++;
        }
    json_object_set_new(ctx, "confirmed", json_integer(confirmed));
    json_object_set_new(ctx, "eligible", json_integer(eligible));
    /* Cancelling is for a class none of whose sessions has started. */
    bool started = false;
    json_array_foreach(json_object_get(t, "session_list"), i, n) started = started || json_is_true(json_object_get(n, "happened"));
    json_object_set_new(ctx, "can_cancel", json_boolean(!started && !json_is_string(json_object_get(t, "cancelled_at"))));
    json_object_set_new(ctx, "_nav", json_string("trainings"));
    return render(r, ctx, "training_manage");
}

/* The class is over when its last day has passed: nothing more is nominated. */
static bool ended(json_t *t)
{
    char today[11];
    date_format_iso(date_today(), today);
    return strcmp(str(t, "ends_on"), today) < 0;
}

static int nominate(struct req *r)
{
    json_t *t = training_load(r, false);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id"));
    char b1[32], b2[32];
    const char *org_s = training_field(r, "org", b1), *email = req_str(r, "email"), *name = req_str(r, "name");
    if (!email) email = str(r->body_json, "email");
    if (!name) name = str(r->body_json, "name");
    const char *wait = training_field(r, "waiting", b2);
    json_t *errors = json_object();
    int64_t org = org_s && *org_s ? store_org_id(r->db, org_s) : 0;
    if (!org) json_object_set_new(errors, "org", json_string(org_s && *org_s ? "Không tìm thấy đơn vị." : "Cần đơn vị của người được đề cử."));
    else if (!training_may_act(r, org)) {
        json_decref(errors);
        json_decref(t);
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Đơn vị này không thuộc phạm vi bạn phụ trách; chỉ đề cử được cán bộ của đơn vị mình và đơn vị cấp dưới.");
    }
    if (ended(t)) {
        json_decref(errors);
        json_decref(t);
        return req_fail(r, 422, "Lớp tập huấn đã kết thúc; không nhận đề cử nữa.");
    }
    if (json_is_string(json_object_get(t, "cancelled_at"))) {
        json_decref(errors);
        json_decref(t);
        return req_fail(r, 409, "Lớp tập huấn đã hủy; không nhận đề cử nữa.");
    }
    struct nominee_in in = { .org_id = org, .waiting = wait && (!strcmp(wait, "1") || !strcmp(wait, "true") || !strcmp(wait, "on")) };
    char acc_name[256], lower[256] = "";
    char *nfc = NULL;
    if (email && *email) {
        for (size_t i = 0; email[i] && i + 1 < sizeof lower; i++) { lower[i] = (char)tolower((unsigned char)email[i]); lower[i + 1] = 0; }
        in.user_id = store_training_account(r->db, lower, acc_name);
        if (!in.user_id) json_object_set_new(errors, "email", json_string("Không có tài khoản nào với email này; bỏ trống email để đề cử theo họ tên."));
        else in.name = acc_name;
    } else {
        nfc = name ? text_nfc(name) : NULL;
        char *f = nfc ? text_fold(nfc) : NULL;
        if (!nfc || !f || !*f || strlen(nfc) > 200) json_object_set_new(errors, "name", json_string("Cần họ và tên (tối đa 200 ký tự) hoặc email tài khoản."));
        free(f);
        in.name = nfc;
    }
    if (json_object_size(errors)) {
        free(nfc);
        if (r->want_json) {
            json_decref(t);
            return req_fail_ctx(r, 422, "Thông tin đề cử chưa hợp lệ.", errors);
        }
        /* The page again, the nomination form as it was typed and each error beside its field. */
        json_t *ctx = page_ctx(r, t);
        json_object_set_new(ctx, "_err", errors);
        json_object_set_new(ctx, "typed", json_pack("{s:s, s:s, s:s}", "org", org_s ? org_s : "", "name", name ? name : "", "email", email ? email : ""));
        json_object_set_new(ctx, "_nav", json_string("trainings"));
        r->status = 422;
        return render(r, ctx, "training_show");
    }
    json_decref(errors);
    char now[21];
    training_utc_now(now);
    struct store_result res = STORE_RESULT_OK;
    int64_t nid = 0;
    const char *st = NULL;
    if (store_begin(r->db, &res)) { free(nfc); json_decref(t); return req_result(r, &res); }
    if (store_training_nominate(r->db, tid, &in, r->user->id, now, &nid, &st, &res) == STORE_OK &&
        audit(r, "training.nominate", "training", tid, json_pack("{s:I, s:s, s:I, s:s}", "nominee_id", (json_int_t)nid, "name", in.name,
                                                                 "org_id", (json_int_t)org, "status", st)))
        store_fail_db(&res, r->db);
    if (res.status == STORE_CONFLICT && strstr(res.message, "danh sách chờ")) {
        /* Full: nothing written; the answer offers the waiting list, which the same request with waiting=1 takes. */
        db_rollback(r->db);
        int64_t taken, waiting, cap;
        store_training_seats(r->db, tid, &taken, &waiting, &cap);
        json_t *offer = json_pack("{s:b, s:I, s:I, s:s}", "offered", 1, "waiting", (json_int_t)waiting, "capacity", (json_int_t)cap,
                                  "how", "Gửi lại đề cử với waiting=1 để vào danh sách chờ.");
        json_t *ctx;
        if (r->want_json) ctx = json_pack("{s:s, s:i, s:o}", "error", res.message, "status", 409, "waiting_list", offer);
        else {
            ctx = page_ctx(r, t);
            t = NULL;
            json_object_set_new(ctx, "error", json_string(res.message));
            json_object_set_new(ctx, "waiting_list", offer);
            json_object_set_new(ctx, "offer", json_pack("{s:s, s:s, s:s}", "org", org_s, "email", email ? email : "", "name", name ? name : ""));
        }
        free(nfc);
        json_decref(t);
        r->status = 409;
        json_object_set_new(ctx, "_nav", json_string("trainings"));
    return render(r, ctx, "training_show");
    }
    free(nfc);
    int fail = training_finish(r, &res);
    if (fail) { json_decref(t); return fail; }
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld#de-cu", (long long)tid);
    json_decref(t);
    if (!r->want_json) return req_redirect(r, loc);
    r->status = 201;
    return render(r, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)nid, "status", st, "status_label", training_status_label(st)), NULL);
}

static int decide(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id")), nid = req_int(r, "nid", 0);
    json_decref(t);
    char b[32];
    const char *st = training_field(r, "status", b);
    if (!st || (strcmp(st, "confirmed") && strcmp(st, "declined")))
        return req_fail_ctx(r, 422, "Trạng thái phải là confirmed (xác nhận) hoặc declined (không tham gia).",
                            json_pack("{s:s}", "status", "Chọn xác nhận hoặc không tham gia."));
    char now[21];
    training_utc_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    if (store_training_decide(r->db, tid, nid, st, now, &res) == STORE_OK &&
        audit(r, "training.decide", "training", tid, json_pack("{s:I, s:s}", "nominee_id", (json_int_t)nid, "status", st)))
        store_fail_db(&res, r->db);
    int fail = training_finish(r, &res);
    if (fail) return fail;
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/quan-ly#hoc-vien", (long long)tid);
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)nid, "status", st), NULL);
}

static int certify(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id"));
    json_decref(t);
    char now[21];
    training_utc_now(now);
    json_t *issued = NULL;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    if (store_training_certify(r->db, tid, now, &issued, &res) == STORE_OK &&
        audit(r, "training.certify", "training", tid, json_pack("{s:I}", "issued", (json_int_t)json_array_size(issued))))
        store_fail_db(&res, r->db);
    int fail = training_finish(r, &res);
    if (fail) { json_decref(issued); return fail; }
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/quan-ly#chung-chi", (long long)tid);
    if (!r->want_json) { json_decref(issued); return req_redirect(r, loc); }
    size_t i;
    json_t *c;
    json_array_foreach(issued, i, c) json_object_set_new(c, "url", json_sprintf("/chung-chi/%s", str(c, "code")));
    return render(r, json_pack("{s:o}", "issued", issued), NULL);
}

static int add_material(struct req *r)
{
    json_t *t = training_load(r, true);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id"));
    json_decref(t);
    const struct upload *file = NULL;
    for (int k = 0; k < r->nfiles; k++) if (!strcmp(r->files[k].field, "file") && r->files[k].len) file = &r->files[k];
    const char *title = req_str(r, "title");
    if (!file) return req_fail_ctx(r, 422, "Chưa chọn tệp tài liệu.", json_pack("{s:s}", "file", "Chọn một tệp."));
    if (blob_refuse(r, file)) return r->status;
    if (!title || !*title) title = file->filename[0] ? file->filename : "Tài liệu";
    if (strlen(title) > 200) return req_fail_ctx(r, 422, "Tên tài liệu tối đa 200 ký tự.", json_pack("{s:s}", "title", "Tối đa 200 ký tự."));
    char now[21], sha[65];
    training_utc_now(now);
    int64_t mid = 0;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    if (blob_save(r, file, sha)) store_fail_db(&res, r->db);
    else if (store_training_material_file(r->db, tid, title, sha, now, &mid, &res) == STORE_OK &&
             audit(r, "training.material", "training", tid, json_pack("{s:I, s:s, s:s}", "material_id", (json_int_t)mid, "title", title, "sha256", sha)))
        store_fail_db(&res, r->db);
    int fail = training_finish(r, &res);
    if (fail) return fail;
    char loc[64];
    snprintf(loc, sizeof loc, "/tap-huan/%lld/quan-ly#tai-lieu", (long long)tid);
    if (!r->want_json) return req_redirect(r, loc);
    r->status = 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)mid, "url", loc), NULL);
}

static int material(struct req *r)
{
    int64_t tid = req_int(r, "id", 0), mid = req_int(r, "mid", 0);
    json_t *m = store_training_material_get(r->db, tid, mid);
    if (!m) return req_missing(r, "Không tìm thấy tài liệu.");
    size_t len = 0;
    json_t *f = NULL;
    char *data = (char *)blob_load(r, str(m, "file_sha256"), &len, &f);
    json_decref(m);
    if (!data) return req_missing(r, "Không tìm thấy tài liệu.");
    json_decref(f);
    char cd[80];
    snprintf(cd, sizeof cd, "attachment; filename=\"tai-lieu-%lld-%lld\"", (long long)tid, (long long)mid);
    req_header(r, "Content-Disposition", cd);
    req_header(r, "X-Content-Type-Options", "nosniff");
    /* Always a download of bytes: an uploaded page must not run as ours. */
    return req_send(r, 200, "application/octet-stream", data, len);
}

const struct route page_training_show_routes[] = {
    { "GET", "/tap-huan/{id}", "/api/trainings/{id}", show, PUBLIC, false, 0 },
    { "GET", "/tap-huan/{id}/quan-ly", "/api/trainings/{id}/manage", manage, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/de-cu", "/api/trainings/{id}/nominees", nominate, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/de-cu/{nid}", "/api/trainings/{id}/nominees/{nid}", decide, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/chung-chi", "/api/trainings/{id}/certificates", certify, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/tai-lieu", "/api/trainings/{id}/materials", add_material, STAFF, false, MAX_MATERIAL + 256 * 1024 },
    { "GET", "/tap-huan/{id}/tai-lieu/{mid}", NULL, material, ACCOUNT, false, 0 },
    { 0 },
};
