/* Writing teams: a new team, a team's fields, members added, edited and deactivated, and a member's account (a new one,
 * or an existing one linked by e-mail) with the team_member role on the team's unit. Each write checks the caller's
 * right on every unit it names and commits with its audit entry, or writes nothing. Must not see SQL. */
#include "web/team.h"
#include "store/account.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refuses bad input: 422 (or 409) with a message per field, as JSON or as the form again with what was typed. */
static int refuse(struct req *r, int status, const char *msg, json_t *errors, json_t *ctx, const char *tmpl)
{
    if (r->want_json || !ctx) {
        json_decref(ctx);
        return req_fail_ctx(r, status, msg, errors);
    }
    json_object_set_new(ctx, "error", json_string(msg));
    json_object_set_new(ctx, "errors", errors);
    r->status = status;
    return render(r, ctx, tmpl);
}

/* The end of a write: rolled back on a failure, else committed; a failed commit wrote nothing and says so. */
static int finish(struct req *r, struct store_result *res, json_t *form_ctx, const char *tmpl)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status == STORE_OK) { json_decref(form_ctx); return 0; }
    if ((res->status == STORE_CONFLICT || res->status == STORE_INVALID) && form_ctx && !r->want_json) {
        json_t *f = res->fields ? json_incref(res->fields) : json_object();
        char msg[256];
        snprintf(msg, sizeof msg, "%s", res->message[0] ? res->message : "Dữ liệu chưa hợp lệ.");
        store_result_free(res);
        return refuse(r, res->status == STORE_CONFLICT ? 409 : 422, msg, f, form_ctx, tmpl);
    }
    json_decref(form_ctx);
    return req_result(r, res);
}

static json_t *unit_choices(struct req *r, int64_t selected)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *units = NULL;
    if (store_team_units(r->db, r->user->id, true, &units, &res)) { store_result_free(&res); return json_array(); }
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) json_object_set_new(u, "selected", json_boolean(selected == json_integer_value(json_object_get(u, "id"))));
    return units;
}

static json_t *team_form_ctx(struct req *r, const char *title, json_t *team, int64_t org)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:s}", "title", title, "_nav", "teams", "team", team ? team : json_object(),
                     "_units", unit_choices(r, org), "_csrf", csrf_token(r));
}

static int new_form(struct req *r)
{
    const char *org_s = req_str(r, "org");
    int64_t org = org_s ? store_org_id(r->db, org_s) : 0;
    json_t *ctx = team_form_ctx(r, "Thêm tổ công nghệ số", json_pack("{s:b}", "active", 1), org);
    if (!json_array_size(json_object_get(ctx, "_units"))) {
        json_decref(ctx);
        return req_fail(r, 403, "Bạn không phụ trách đơn vị nào có tổ công nghệ số.");
    }
    return render(r, ctx, "team/form");
}

/* The team's fields from the request over cur (the team as stored, or NULL for a new one); errors per field. The
 * strings point into the request or into cur. Sets *org_id and fills in. */
static void read_team(struct req *r, json_t *cur, struct team_in *in, char founded[11], json_t *errors, bool *forbidden)
{
    const char *name = team_field(r, "name"), *leader = team_field(r, "leader_name"), *contact = team_field(r, "contact");
    const char *org_s = team_field(r, "org"), *fo = team_field(r, "founded_on"), *act = team_field(r, "active");
    memset(in, 0, sizeof *in);
    *forbidden = false;
    in->org_id = json_integer_value(json_object_get(cur, "org_id"));
    if (org_s || !cur) {
        int64_t org = org_s && *org_s ? store_org_id(r->db, org_s) : 0;
        if (!org) json_object_set_new(errors, "org", json_string(org_s && *org_s ? "Không tìm thấy đơn vị." : "Chọn đơn vị của tổ."));
        else if (!store_team_unit_ok(r->db, org))
            json_object_set_new(errors, "org", json_string("Tổ công nghệ số thuộc xã, phường hoặc tổ chức Đoàn Thanh niên."));
        else if (!team_may_edit(r, org)) *forbidden = true;
        else in->org_id = org;
    }
    in->name = name ? name : json_string_value(json_object_get(cur, "name"));
    if (!in->name || !*in->name || strlen(in->name) > 200) json_object_set_new(errors, "name", json_string("Cần tên tổ (tối đa 200 ký tự)."));
    else {
        char *f = text_fold(in->name);
        if (!f || !*f) json_object_set_new(errors, "name", json_string("Tên tổ cần có chữ hoặc số."));
        free(f);
    }
    in->leader_name = leader ? leader : json_string_value(json_object_get(cur, "leader_name"));
    if (in->leader_name && strlen(in->leader_name) > 200) json_object_set_new(errors, "leader_name", json_string("Tên tổ trưởng tối đa 200 ký tự."));
    in->contact = contact ? contact : json_string_value(json_object_get(cur, "contact"));
    if (in->contact && strlen(in->contact) > 300) json_object_set_new(errors, "contact", json_string("Liên hệ tối đa 300 ký tự."));
    founded[0] = 0;
    if (fo || !cur) {
        struct ymd d;
        char today[11];
        team_today(today);
        if (!fo || !*fo) json_object_set_new(errors, "founded_on", json_string("Cần ngày thành lập (dd/mm/yyyy)."));
        else if (!date_parse_iso(fo, &d) && !date_parse_vn(fo, &d))
            json_object_set_new(errors, "founded_on", json_string("Ngày thành lập không hợp lệ (dd/mm/yyyy)."));
        else {
            date_format_iso(d, founded);
            if (strcmp(founded, today) > 0) json_object_set_new(errors, "founded_on", json_string("Ngày thành lập không được sau hôm nay."));
            else if (strcmp(founded, "1990-01-01") < 0) json_object_set_new(errors, "founded_on", json_string("Ngày thành lập quá xa."));
        }
    } else snprintf(founded, 11, "%s", json_string_value(json_object_get(cur, "founded_on")));
    in->founded_on = founded;
    in->active = cur ? (int)json_integer_value(json_object_get(cur, "active")) : 1;
    if (act && *act) {
        if (strcmp(act, "1") && strcmp(act, "0")) json_object_set_new(errors, "active", json_string("Trạng thái phải là 1 hoặc 0."));
        else in->active = act[0] == '1';
    }
}

/* What was typed, for the form shown again. */
static json_t *typed_team(struct req *r, json_t *cur)
{
    json_t *t = cur ? json_deep_copy(cur) : json_object();
    const char *keys[] = { "name", "leader_name", "contact", "founded_on", NULL };
    for (int i = 0; keys[i]; i++) if (team_field(r, keys[i])) json_object_set_new(t, keys[i], json_string(team_field(r, keys[i])));
    const char *act = team_field(r, "active");
    if (act) json_object_set_new(t, "active", json_integer(act[0] == '1'));
    return t;
}

static int save_team(struct req *r, json_t *cur)
{
    struct team_in in;
    char founded[11];
    json_t *errors = json_object();
    bool forbidden;
    read_team(r, cur, &in, founded, errors, &forbidden);
    if (forbidden) {
        json_decref(errors);
        return req_fail(r, 403, "Bạn không phụ trách đơn vị này.");
    }
    int64_t id = cur ? json_integer_value(json_object_get(cur, "id")) : 0;
    const char *tmpl = "team/form";
    const char *title = cur ? "Sửa tổ công nghệ số" : "Thêm tổ công nghệ số";
    if (json_object_size(errors))
        return refuse(r, 422, "Chưa lưu được; xem các ô cần sửa.", errors, team_form_ctx(r, title, typed_team(r, cur), in.org_id), tmpl);
    json_decref(errors);
    char *name = text_nfc(in.name), *leader = in.leader_name ? text_nfc(in.leader_name) : NULL, *contact = in.contact ? text_nfc(in.contact) : NULL;
    in.name = name;
    in.leader_name = leader;
    in.contact = contact;
    char now[21];
    team_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        if (cur) store_team_update(r->db, id, &in, &res);
        else store_team_create(r->db, &in, r->user->id, now, &id, &res);
        if (res.status == STORE_OK &&
            audit(r, cur ? "team.update" : "team.create", "team", id,
                  json_pack("{s:I, s:s, s:i}", "org_id", (json_int_t)in.org_id, "name", in.name, "active", in.active)))
            store_fail_db(&res, r->db);
        if (finish(r, &res, team_form_ctx(r, title, typed_team(r, cur), in.org_id), tmpl)) {
            free(name), free(leader), free(contact);
            return r->status;
        }
    } else {
        free(name), free(leader), free(contact);
        return req_result(r, &res);
    }
    free(name), free(leader), free(contact);
    if (!r->want_json) {
        char loc[64];
        snprintf(loc, sizeof loc, "/to-cong-nghe-so/%lld", (long long)id);
        return req_redirect(r, loc);
    }
    json_t *t = NULL;
    if (store_team_get(r->db, id, &t, &res)) return req_result(r, &res);
    r->status = cur ? 200 : 201;
    return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)id, "team", t), NULL);
}

static int create(struct req *r) { return save_team(r, NULL); }

static int edit_form(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    int64_t org = json_integer_value(json_object_get(t, "org_id"));
    return render(r, team_form_ctx(r, "Sửa tổ công nghệ số", t, org), "team/form");
}

static int update(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    int rc = save_team(r, t);
    json_decref(t);
    return rc;
}

/* ---- members ---------------------------------------------------------------------------------------------------- */

static json_t *member_form_ctx(struct req *r, json_t *team, json_t *member)
{
    const char *role = json_string_value(json_object_get(member, "team_role")), *origin = json_string_value(json_object_get(member, "origin"));
    return json_pack("{s:s, s:s, s:O, s:O, s:o, s:o, s:s}", "title", "Sửa thành viên", "_nav", "teams", "team", team, "member", member,
                     "_roles", team_choices(team_roles, team_role_labels, role ? role : "member"),
                     "_origins", team_choices(team_origins, team_origin_labels, origin ? origin : "volunteer"), "_csrf", csrf_token(r));
}

/* The member's fields from the request over cur (NULL: a new member). */
static void read_member(struct req *r, json_t *cur, struct member_in *in, struct member_bufs *b, json_t *errors)
{
    const char *keys[] = { "name", "team_role", "origin", "phone", "email" };
    const char *v[5];
    for (int i = 0; i < 5; i++) {
        v[i] = team_field(r, keys[i]);
        if (!v[i] && cur) v[i] = json_string_value(json_object_get(cur, keys[i]));
    }
    team_member_check(v[0], v[1], v[2], v[3], v[4], in, b, errors);
    const char *act = team_field(r, "active");
    in->active = cur ? (int)json_integer_value(json_object_get(cur, "active")) : 1;
    if (act && *act) {
        if (strcmp(act, "1") && strcmp(act, "0")) json_object_set_new(errors, "active", json_string("Trạng thái phải là 1 hoặc 0."));
        else in->active = act[0] == '1';
    }
}

static json_t *typed_member(struct req *r, json_t *cur)
{
    json_t *m = cur ? json_deep_copy(cur) : json_object();
    const char *keys[] = { "name", "team_role", "origin", "phone", "email", NULL };
    for (int i = 0; keys[i]; i++) if (team_field(r, keys[i])) json_object_set_new(m, keys[i], json_string(team_field(r, keys[i])));
    return m;
}

static int save_member(struct req *r, json_t *team, json_t *cur)
{
    int64_t tid = json_integer_value(json_object_get(team, "id")), mid = cur ? json_integer_value(json_object_get(cur, "id")) : 0;
    struct member_in in;
    struct member_bufs b;
    json_t *errors = json_object();
    read_member(r, cur, &in, &b, errors);
    if (in.phone && in.active && !json_object_get(errors, "phone") && store_member_phone_taken(r->db, tid, in.phone, mid))
        json_object_set_new(errors, "phone", json_string("Tổ đã có thành viên dùng số điện thoại này."));
    if (json_object_size(errors)) {
        team_member_bufs_free(&b);
        json_t *m = typed_member(r, cur);
        json_t *ctx = cur ? member_form_ctx(r, team, m) : NULL;
        json_decref(m);
        return refuse(r, 422, "Chưa lưu được thành viên; xem các ô cần sửa.", errors, ctx, "team/member");
    }
    json_decref(errors);
    char now[21];
    team_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) {
        team_member_bufs_free(&b);
        return req_result(r, &res);
    }
    if (cur) store_member_update(r->db, tid, mid, &in, &res);
    else store_member_add(r->db, tid, &in, now, &mid, &res);
    if (res.status == STORE_OK &&
        audit(r, cur ? (in.active ? "team.member_update" : "team.member_deactivate") : "team.member_add", "team", tid,
              json_pack("{s:I, s:s, s:s, s:i}", "member_id", (json_int_t)mid, "team_role", in.team_role, "origin", in.origin, "active", in.active)))
        store_fail_db(&res, r->db);
    team_member_bufs_free(&b);
    if (finish(r, &res, NULL, NULL)) return r->status;
    if (!r->want_json) {
        char loc[64];
        snprintf(loc, sizeof loc, "/to-cong-nghe-so/%lld", (long long)tid);
        return req_redirect(r, loc);
    }
    json_t *m = NULL;
    if (store_member_get(r->db, tid, mid, &m, &res)) return req_result(r, &res);
    r->status = cur ? 200 : 201;
    return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)mid, "member", m), NULL);
}

static int member_add(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    int rc = save_member(r, t, NULL);
    json_decref(t);
    return rc;
}

/* The team and its member {mid} for a write; NULL with the answer sent. */
static json_t *member_load(struct req *r, json_t **team)
{
    *team = team_load(r, true);
    if (!*team) return NULL;
    struct store_result res = STORE_RESULT_OK;
    json_t *m = NULL;
    int64_t mid = req_int(r, "mid", 0);
    if (mid <= 0 || store_member_get(r->db, json_integer_value(json_object_get(*team, "id")), mid, &m, &res)) {
        json_decref(*team);
        *team = NULL;
        if (res.status == STORE_OK || res.status == STORE_NOT_FOUND) { store_result_free(&res); req_fail(r, 404, "Không tìm thấy thành viên."); }
        else req_result(r, &res);
        return NULL;
    }
    return m;
}

static int member_form(struct req *r)
{
    json_t *t, *m = member_load(r, &t);
    if (!m) return r->status;
    json_t *one = json_pack("[O]", m);
    team_phones(one);
    json_decref(one);
    json_t *ctx = member_form_ctx(r, t, m);
    json_decref(t);
    json_decref(m);
    return render(r, ctx, "team/member");
}

static int member_update(struct req *r)
{
    json_t *t, *m = member_load(r, &t);
    if (!m) return r->status;
    int rc = save_member(r, t, m);
    json_decref(t);
    json_decref(m);
    return rc;
}

/* A member's account: an existing account with that e-mail is linked, else a new one is made with the password given;
 * either way it gets the team_member role on the team's unit, nothing wider. */
static int member_account(struct req *r)
{
    json_t *t, *m = member_load(r, &t);
    if (!m) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id")), mid = json_integer_value(json_object_get(m, "id"));
    int64_t org = json_integer_value(json_object_get(t, "org_id"));
    json_t *ctx = member_form_ctx(r, t, m);
    bool linked = !json_is_null(json_object_get(m, "user_id")) && json_object_get(m, "user_id");
    const char *email_in = team_field(r, "email"), *pw = team_field(r, "password");
    if (!email_in || !*email_in) email_in = json_string_value(json_object_get(m, "email"));
    json_t *name = json_incref(json_object_get(m, "name"));
    json_decref(t);
    json_decref(m);
    if (linked) {
        json_decref(name);
        return refuse(r, 409, "Thành viên này đã có tài khoản.", NULL, ctx, "team/member");
    }
    json_t *errors = json_object();
    char email[256] = "";
    if (!email_in || strlen(email_in) > 254 || !strchr(email_in, '@') || strchr(email_in, ' '))
        json_object_set_new(errors, "email", json_string("Cần email của thành viên để đăng nhập."));
    else
        for (size_t i = 0; i <= strlen(email_in); i++) email[i] = (char)tolower((unsigned char)email_in[i]);
    int64_t uid = email[0] ? store_team_account_by_email(r->db, email) : 0;
    if (!uid && email[0] && (!pw || strlen(pw) < 10 || strlen(pw) > 200))
        json_object_set_new(errors, "password", json_string("Chưa có tài khoản với email này: đặt mật khẩu từ 10 đến 200 ký tự."));
    if (json_object_size(errors)) {
        json_decref(name);
        return refuse(r, 422, "Chưa tạo được tài khoản; xem các ô cần sửa.", errors, ctx, "team/member");
    }
    json_decref(errors);
    char hash[160] = "";
    if (!uid && password_hash(pw, hash)) {
        json_decref(name);
        json_decref(ctx);
        return req_fail(r, 500, "Không tạo được mật khẩu.");
    }
    char now[21];
    team_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) {
        json_decref(name);
        json_decref(ctx);
        return req_result(r, &res);
    }
    bool created = false;
    /* Looked up again under the write lock: an account made meanwhile is linked, not made twice. */
    uid = store_team_account_by_email(r->db, email);
    if (!uid && !hash[0]) store_fail(&res, STORE_CONFLICT, "Tài khoản đã thay đổi; vui lòng thử lại.");
    else if (!uid && store_account_create(r->db, email, json_string_value(name), hash, now, &uid, &res) == STORE_OK) {
        created = true;
        if (audit(r, "user.create", "user", uid, json_pack("{s:s}", "email", email))) store_fail_db(&res, r->db);
    }
    if (res.status == STORE_OK && store_account_grant(r->db, uid, "team_member", org, &res) == STORE_OK &&
        store_member_link(r->db, tid, mid, uid, &res) == STORE_OK &&
        audit(r, "team.member_account", "team", tid,
              json_pack("{s:I, s:I, s:b, s:I}", "member_id", (json_int_t)mid, "user_id", (json_int_t)uid, "created", created, "org_id", (json_int_t)org)))
        store_fail_db(&res, r->db);
    json_decref(name);
    if (finish(r, &res, ctx, "team/member")) return r->status;
    if (!r->want_json) {
        char loc[64];
        snprintf(loc, sizeof loc, "/to-cong-nghe-so/%lld", (long long)tid);
        return req_redirect(r, loc);
    }
    r->status = created ? 201 : 200;
    return render(r, json_pack("{s:I, s:I, s:b, s:s}", "member_id", (json_int_t)mid, "user_id", (json_int_t)uid, "created", created,
                               "role", "team_member"), NULL);
}

const struct route page_team_edit_routes[] = {
    { "GET", "/to-cong-nghe-so/moi", NULL, new_form, STAFF, false, 0 },
    { "POST", "/to-cong-nghe-so", "/api/teams", create, STAFF, false, 64 * 1024 },
    { "GET", "/to-cong-nghe-so/{id}/sua", NULL, edit_form, STAFF, false, 0 },
    { "POST", "/to-cong-nghe-so/{id}", "/api/teams/{id}", update, STAFF, false, 64 * 1024 },
    { "POST", "/to-cong-nghe-so/{id}/thanh-vien", "/api/teams/{id}/members", member_add, STAFF, false, 64 * 1024 },
    { "GET", "/to-cong-nghe-so/{id}/thanh-vien/{mid}", "/api/teams/{id}/members/{mid}", member_form, STAFF, false, 0 },
    { "POST", "/to-cong-nghe-so/{id}/thanh-vien/{mid}", "/api/teams/{id}/members/{mid}", member_update, STAFF, false, 64 * 1024 },
    { "POST", "/to-cong-nghe-so/{id}/thanh-vien/{mid}/tai-khoan", "/api/teams/{id}/members/{mid}/account", member_account, STAFF, false, 64 * 1024 },
    { 0 },
};
