/* A nominated or imported expert's account: the centre, or an officer of the unit that nominated them, links the
 * account of an e-mail or makes a new one with a password to hand over, so the expert answers requests themself.
 * Must not see SQL, give any role, nor let one account be two experts. */
#include "web/expert.h"
#include "store/account.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* A refusal: JSON as the house answers, or the list the form was on with the message on the expert's card. */
static int refuse(struct req *r, bool units_view, int status, const char *msg, int64_t id, json_t *errors)
{
    if (r->want_json) return req_fail_ctx(r, status, msg, errors);
    return expert_manage_page(r, units_view, status, msg, id, errors);
}

static int account(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    struct store_result res = STORE_RESULT_OK;
    json_t *e = NULL;
    if (id <= 0 || store_expert_get(r->db, id, &e, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        return req_fail(r, 404, "Không tìm thấy chuyên gia.");
    }
    if (res.status != STORE_OK) return req_result(r, &res);
    int64_t nominator = json_integer_value(json_object_get(e, "nominated_by_org"));
    bool centre = expert_is_centre(r), unit = !centre && nominator && expert_unit_officer(r, nominator);
    char nb[32];
    const char *back = expert_str(r, "from", nb);
    bool units_view = !centre || (back && !strcmp(back, "units"));
    if (!centre && !unit) {
        json_decref(e);
        if (db_failed(r->db)) return req_store_failed(r);
        return req_fail(r, 403, "Chỉ Trung tâm hoặc đơn vị đã đề cử chuyên gia mới cấp được tài khoản.");
    }
    if (json_integer_value(json_object_get(e, "user_id")) > 0) {
        json_decref(e);
        return refuse(r, units_view, 409, "Chuyên gia này đã có tài khoản.", id, NULL);
    }
    char b1[32];
    const char *email_in = expert_str(r, "email", b1), *pw = req_str(r, "password");
    if (!pw) pw = json_string_value(json_object_get(r->body_json, "password"));
    if (!email_in || !*email_in) email_in = json_string_value(json_object_get(e, "email"));
    json_t *errors = json_object();
    char email[256] = "";
    if (!email_in || strlen(email_in) > 254 || !strchr(email_in, '@') || strchr(email_in, ' '))
        json_object_set_new(errors, "email", json_string("Cần email của chuyên gia để đăng nhập."));
    else
        for (size_t i = 0; i <= strlen(email_in); i++) email[i] = (char)tolower((unsigned char)email_in[i]);
    int64_t uid = email[0] ? store_expert_account_by_email(r->db, email) : 0;
    if (!uid && email[0] && (!pw || strlen(pw) < 10 || strlen(pw) > 200))
        json_object_set_new(errors, "password", json_string("Chưa có tài khoản với email này: đặt mật khẩu ban đầu từ 10 đến 200 ký tự."));
    if (json_object_size(errors)) {
        json_decref(e);
        return refuse(r, units_view, 422, "Chưa cấp được tài khoản; xem các ô cần sửa.", id, errors);
    }
    json_decref(errors);
    char hash[160] = "";
    if (!uid && password_hash(pw, hash)) { json_decref(e); return req_fail(r, 500, "Không tạo được mật khẩu."); }
    char now[21];
    expert_now(now);
    if (store_begin(r->db, &res)) { json_decref(e); return req_result(r, &res); }
    bool created = false;
    /* Looked up again under the write lock: an account made meanwhile is linked, not made twice. */
    uid = store_expert_account_by_email(r->db, email);
    if (!uid && !hash[0]) store_fail(&res, STORE_CONFLICT, "Tài khoản đã thay đổi; vui lòng thử lại.");
    else if (!uid && store_account_create(r->db, email, json_string_value(json_object_get(e, "name")), hash, now, &uid, &res) == STORE_OK) {
        created = true;
        if (audit(r, "user.create", "user", uid, json_pack("{s:s}", "email", email))) store_fail_db(&res, r->db);
    }
    if (res.status == STORE_OK && store_expert_link_user(r->db, id, uid, now, &res) == STORE_OK &&
        audit(r, "expert.account", "expert", id, json_pack("{s:I, s:b, s:b}", "user_id", (json_int_t)uid, "created", created, "by_centre", centre)))
        store_fail_db(&res, r->db);
    json_decref(e);
    if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
    else if (res.status != STORE_OK) db_rollback(r->db);
    if (res.status != STORE_OK) {
        if (r->want_json || res.status == STORE_ERROR || res.status == STORE_BUSY) return req_result(r, &res);
        int st = res.status == STORE_CONFLICT ? 409 : res.status == STORE_INVALID ? 422 : 400;
        json_t *f = res.fields ? json_incref(res.fields) : NULL;
        char msg[512];
        snprintf(msg, sizeof msg, "%s", res.message[0] ? res.message : "Chưa cấp được tài khoản.");
        store_result_free(&res);
        return refuse(r, units_view, st, msg, id, f);
    }
    if (!r->want_json) return req_redirect(r, units_view ? "/chuyen-gia/da-de-cu" : "/chuyen-gia/quan-ly");
    r->status = created ? 201 : 200;
    return render(r, json_pack("{s:I, s:I, s:b}", "id", (json_int_t)id, "user_id", (json_int_t)uid, "created", created), NULL);
}

const struct route page_expert_account_routes[] = {
    { "POST", "/chuyen-gia/{id}/tai-khoan", "/api/experts/{id}/account", account, STAFF, false, 64 * 1024 },
    { 0 },
};
