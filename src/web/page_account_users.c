/* Accounts: the signed-in user's own page, and the admin's list of accounts, new accounts and roles scoped
 * to a unit's subtree. Every write checks authz() first, happens in one transaction with its audit entry.
 * A unit's admin sees and acts on the accounts holding a role within its subtree only; the national admin on all.
 * Must not show an account, or grant a role, outside the caller's subtree. */
#include "http/app.h"
#include "store/account.h"
#include "store/audit.h"
#include "store/org.h"
#include "core/text.h"
#include "core/date.h"
#include "web/page_account.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* From the least powerful to the most: a form's first option, its default, is the one that can do least harm. */
static const struct { const char *role, *label; } roles[] = {
    { "team_member", "Thành viên Tổ CNS cộng đồng" }, { "juror", "Giám khảo" }, { "moderator", "Kiểm duyệt" },
    { "officer", "Cán bộ đầu mối" }, { "coordinator", "Điều phối" }, { "admin", "Quản trị" },
    { NULL, NULL },
};

static const char *role_label(const char *r)
{
    for (int i = 0; r && roles[i].role; i++)
        if (!strcmp(roles[i].role, r)) return roles[i].label;
    return NULL;
}

/* viewer 0: every role (one's own page, the national admin); else the roles within the viewer's subtrees. */
static enum store_status roles_of(db *d, int64_t uid, int64_t viewer, json_t **out, struct store_result *res)
{
    if (store_account_roles(d, uid, viewer, out, res) != STORE_OK) return res->status;
    size_t i;
    json_t *it;
    json_array_foreach(*out, i, it)
        json_object_set_new(it, "role_label", json_string(role_label(json_string_value(json_object_get(it, "role")))));
    return STORE_OK;
}

static bool is_admin_somewhere(struct req *r) { return authz_any(r, "admin"); }

static bool is_national_admin(struct req *r) { return authz(r, "admin", store_org_id(r->db, "vn")); }

/* Whose roles another account's roles are narrowed to: nobody's for the national admin. */
static int64_t viewer(struct req *r) { return is_national_admin(r) ? 0 : r->user->id; }

static const struct { const char *key, *message; } done_messages[] = {
    { "ten", "Đã đổi họ tên. Chứng chỉ cấp từ nay in tên mới; chứng chỉ đã cấp giữ tên lúc cấp." },
    { "mat-khau", "Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc." },
    { NULL, NULL },
};

int account_me_page(struct req *r, int status, json_t *errors, json_t *typed, const char *done)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *mine;
    if (roles_of(r->db, r->user->id, 0, &mine, &res) != STORE_OK) {
        json_decref(errors);
        json_decref(typed);
        return req_result(r, &res);
    }
    const char *xong = req_str(r, "xong");
    for (int i = 0; !done && xong && done_messages[i].key; i++)
        if (!strcmp(xong, done_messages[i].key)) done = done_messages[i].message;
    json_t *ctx = json_pack("{s:s, s:s, s:{s:I, s:s, s:s, s:o}, s:b, s:b, s:s, s:b, s:s?}", "title", "Tài khoản của tôi", "_nav", "me",
                            "user", "id", (json_int_t)r->user->id, "email", r->user->email, "name", r->user->name,
                            "roles", mine, "_is_admin", is_admin_somewhere(r),
                            "_national", is_national_admin(r), "_csrf", r->user->csrf, "_learner", !r->user->staff,
                            "done", done);
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    if (!typed) typed = json_object();
    if (!json_object_get(typed, "name")) json_object_set_new(typed, "name", json_string(r->user->name));
    json_object_set_new(ctx, "typed", typed);
    r->status = status;
    return render(r, ctx, "me");
}

static int me(struct req *r) { return account_me_page(r, 200, NULL, NULL, NULL); }

static json_t *role_options(void)
{
    json_t *a = json_array();
    for (int i = 0; roles[i].role; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "role", roles[i].role, "label", roles[i].label));
    return a;
}

/* The list and its forms; after a refused form, with what was typed and each error beside its field: errors and typed
 * for the new-account form, or row_errors {uid: {field: message}} and row_typed for one account's "Giao thêm vai trò". */
static int list_page(struct req *r, int status, json_t *errors, json_t *typed, int64_t row_uid, json_t *row_errors)
{
    if (!is_admin_somewhere(r)) {
        json_decref(errors), json_decref(typed), json_decref(row_errors);
        return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    }
    int64_t v = viewer(r);
    struct store_result res = STORE_RESULT_OK;
    json_t *users;
    if (store_accounts_visible(r->db, r->user->id, v == 0, &users, &res) != STORE_OK) {
        json_decref(errors), json_decref(typed), json_decref(row_errors);
        return req_result(r, &res);
    }
    size_t i;
    json_t *u, *their;
    json_array_foreach(users, i, u) {
        if (roles_of(r->db, json_integer_value(json_object_get(u, "id")), v, &their, &res) != STORE_OK) {
            json_decref(users), json_decref(errors), json_decref(typed), json_decref(row_errors);
            return req_result(r, &res);
        }
        json_object_set_new(u, "roles", their);
        if (row_uid && json_integer_value(json_object_get(u, "id")) == row_uid && row_errors) {
            json_object_set(u, "row_errors", row_errors);
            if (req_str(r, "org")) json_object_set_new(u, "row_org", json_string(req_str(r, "org")));
        }
    }
    json_decref(row_errors);
    json_t *opts = role_options();
    const char *typed_role = json_string_value(json_object_get(typed, "role"));
    json_array_foreach(opts, i, u)
        json_object_set_new(u, "selected", json_boolean(typed_role && !strcmp(typed_role, json_string_value(json_object_get(u, "role")))));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "title", "Quản lý tài khoản", "_nav", "users", "items", users,
                            "_roles", opts, "_csrf", r->user->csrf, "_national", v == 0);
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    json_object_set_new(ctx, "typed", typed ? typed : json_object());
    if (errors) json_object_set_new(ctx, "error", json_string("Chưa tạo được tài khoản; xem các ô cần sửa."));
    r->status = status;
    return render(r, ctx, "users/index");
}

static int list(struct req *r) { return list_page(r, 200, NULL, NULL, 0, NULL); }

/* A unit typed as a code, an id, or a name in any spelling (with or without diacritics); 0 and a message in msg when
 * it names none or several. */
static int64_t unit_of(struct req *r, const char *text, char *msg, size_t n)
{
    if (!text || !*text) { snprintf(msg, n, "Chọn đơn vị."); return 0; }
    if (strlen(text) > 300) { snprintf(msg, n, "Tên đơn vị quá dài."); return 0; }
    int64_t id = store_org_id(r->db, text);
    if (id) return id;
    struct org_resolved o = org_resolve(r->db, text, NULL, 0);
    if (o.status == ORG_FOUND) return o.id;
    if (o.status == ORG_NOT_FOUND) { snprintf(msg, n, "Không tìm thấy đơn vị “%s”.", text); return 0; }
    size_t len = (size_t)snprintf(msg, n, "“%s” khớp nhiều đơn vị; hãy chọn một:", text);
    for (int i = 0; i < o.ncandidates && i < 5 && len < n; i++) {
        char ids[24];
        snprintf(ids, sizeof ids, "%lld", (long long)o.candidates[i]);
        json_t *c = store_org_get(r->db, ids);
        if (c) len += (size_t)snprintf(msg + len, n - len, "%s %s", i ? ";" : "", json_string_value(json_object_get(c, "name")));
        json_decref(c);
    }
    return 0;
}

/* Validates role + org fields; on success sets *org and returns NULL, else a message and *status. */
static const char *check_role(struct req *r, const char *role, const char *org_s, int64_t *org, int *status)
{
    *status = 422;
    static _Thread_local char msg[600];
    if (!role || !role_label(role)) return "Vai trò không hợp lệ.";
    if (!(*org = unit_of(r, org_s, msg, sizeof msg))) return msg;
    *status = 403;
    if (!authz(r, "admin", *org)) return "Bạn không có quyền quản trị đơn vị này.";
    return NULL;
}

static enum store_status grant(struct req *r, int64_t uid, const char *role, int64_t org, struct store_result *res)
{
    if (store_account_grant(r->db, uid, role, org, res) != STORE_OK) return res->status;
    return store_audit(r->db, r->user->id, r->ip, "role.grant", "user", uid,
                       json_pack("{s:s, s:I}", "role", role, "org_id", (json_int_t)org), res);
}

/* Ends the transaction the handler began: rolled back on a failure, else committed, and a failed commit (nothing
 * written) answered like any other failure. A JSON client gets the account's roles as the admin now sees them, read
 * before the commit so that an answer that cannot be made leaves nothing written behind it. */
static int done(struct req *r, struct store_result *res, int64_t uid, int status)
{
    json_t *now_held = NULL;
    if (res->status == STORE_OK && r->want_json) roles_of(r->db, uid, viewer(r), &now_held, res);
    if (res->status != STORE_OK) {
        db_rollback(r->db);
        return req_result(r, res);
    }
    if (db_commit(r->db)) {
        json_decref(now_held);
        store_fail_db(res, r->db);
        return req_result(r, res);
    }
    if (!r->want_json) return req_redirect(r, "/quan-tri/tai-khoan");
    r->status = status;
    return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)uid, "roles", now_held), NULL);
}

/* The outermost begin failed (another writer held the lock): nothing can be written in this request. */
static int create(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được tạo tài khoản.");
    const char *email_in = req_str(r, "email"), *name = req_str(r, "name"), *pw = req_str(r, "password");
    const char *role = req_str(r, "role"), *org_s = req_str(r, "org");
    json_t *errors = json_object();
    char email[256] = "";
    if (!email_in || strlen(email_in) > 254 || !strchr(email_in, '@') || strchr(email_in, ' '))
        json_object_set_new(errors, "email", json_string("Email không hợp lệ."));
    else
        for (size_t i = 0; i <= strlen(email_in); i++) email[i] = (char)tolower((unsigned char)email_in[i]);
    if (!name || !*name || strlen(name) > 200) json_object_set_new(errors, "name", json_string("Cần họ tên (tối đa 200 ký tự)."));
    if (!pw || strlen(pw) < 10 || strlen(pw) > 200)
        json_object_set_new(errors, "password", json_string("Mật khẩu cần từ 10 đến 200 ký tự."));
    int64_t org = 0;
    if (role && *role) {
        int status;
        const char *msg = check_role(r, role, org_s, &org, &status);
        if (msg && status == 403) { json_decref(errors); return req_fail(r, 403, msg); }
        if (msg) json_object_set_new(errors, strncmp(msg, "Vai trò", 7) ? "org" : "role", json_string(msg));
    } else if (!is_national_admin(r)) {
        /* An account with no role in the admin's subtree would vanish from the admin's own list at once. */
        json_object_set_new(errors, "role", json_string("Chọn vai trò và đơn vị (thuộc đơn vị bạn quản trị) cho tài khoản mới."));
    }
    if (json_object_size(errors)) {
        if (r->want_json) return req_fail_ctx(r, 422, "Dữ liệu chưa hợp lệ.", errors);
        json_t *typed = json_object();
        const char *keep[] = { "email", "name", "role", "org" };
        for (int i = 0; i < 4; i++)
            if (req_str(r, keep[i])) json_object_set_new(typed, keep[i], json_string(req_str(r, keep[i])));
        return list_page(r, 422, errors, typed, 0, NULL);
    }
    json_decref(errors);
    char hash[160];
    if (password_hash(pw, hash)) return req_fail(r, 500, "Không tạo được mật khẩu.");
    char now[21];
    date_utc_iso(time(NULL), now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    char *nname = text_nfc(name);
    int64_t uid = 0;
    if (store_account_create(r->db, email, nname, hash, now, &uid, &res) == STORE_OK)
        store_audit(r->db, r->user->id, r->ip, "user.create", "user", uid, json_pack("{s:s}", "email", email), &res);
    free(nname);
    if (res.status == STORE_OK && role && *role) grant(r, uid, role, org, &res);
    return done(r, &res, uid, 201);
}

/* The {id} account when the admin may see it: another unit's account answers as if it did not exist, so ids cannot
 * be walked to pull accounts (and their e-mails) into one's list by granting them a role. */
static enum store_status user_id(struct req *r, int64_t *uid, struct store_result *res)
{
    *uid = req_int(r, "id", 0);
    if (*uid <= 0) return store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tài khoản.");
    return store_account_visible(r->db, *uid, r->user->id, is_national_admin(r), res);
}

static int add_role(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    struct store_result res = STORE_RESULT_OK;
    int64_t uid, org;
    if (user_id(r, &uid, &res) != STORE_OK) return req_result(r, &res);
    int status;
    const char *msg = check_role(r, req_str(r, "role"), req_str(r, "org"), &org, &status);
    if (msg && (status == 403 || r->want_json)) return req_fail(r, status, msg);
    if (msg) return list_page(r, 422, NULL, NULL, uid, json_pack("{s:s}", "org", msg));
    if (store_begin(r->db, &res)) return req_result(r, &res);
    grant(r, uid, req_str(r, "role"), org, &res);
    return done(r, &res, uid, 200);
}

static int confirm_remove(struct req *r, int64_t uid, int64_t rid)
{
    struct store_result res = STORE_RESULT_OK;
    char role[64];
    int64_t org;
    json_t *who = NULL;
    if (store_account_role(r->db, rid, uid, role, sizeof role, &org, &res) != STORE_OK ||
        store_account_self(r->db, uid, &who, &res) != STORE_OK)
        return req_result(r, &res);
    if (!authz(r, "admin", org)) { json_decref(who); return req_fail(r, 403, "Bạn không có quyền quản trị đơn vị này."); }
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)org);
    json_t *o = store_org_get(r->db, ids);
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:I, s:I, s:O, s:O, s:s, s:s}", "title", "Gỡ vai trò?", "_nav", "users",
                            "_csrf", r->user->csrf, "uid", (json_int_t)uid, "rid", (json_int_t)rid,
                            "email", json_object_get(who, "email"), "name", json_object_get(who, "name"),
                            "role_label", role_label(role) ? role_label(role) : "Vai trò khác",
                            "org_name", o ? json_string_value(json_object_get(o, "name")) : "");
    json_decref(o);
    json_decref(who);
    return render(r, ctx, "users/confirm_remove");
}

static int ask_remove(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    struct store_result res = STORE_RESULT_OK;
    int64_t uid;
    if (user_id(r, &uid, &res) != STORE_OK) return req_result(r, &res);
    return confirm_remove(r, uid, req_int(r, "rid", 0));
}

static int remove_role(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    struct store_result res = STORE_RESULT_OK;
    int64_t uid, rid = req_int(r, "rid", 0), org;
    /* Another unit's account answers like a role that does not exist. */
    if (user_id(r, &uid, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        res = STORE_RESULT_OK;
        store_fail(&res, STORE_NOT_FOUND, "Không tìm thấy vai trò.");
    }
    if (res.status != STORE_OK) return req_result(r, &res);
    /* A browser's "gỡ" asks first (a page with the role named and a button that sends confirm=1): a role removed by a
     * slip of the finger would cut someone off their unit's work. The API's callers say what they mean. */
    if (!r->want_json && !req_str(r, "confirm")) return confirm_remove(r, uid, rid);
    /* The role is read and deleted under one write lock: what was checked is what goes. */
    if (store_begin(r->db, &res)) return req_result(r, &res);
    char role[64];
    if (store_account_role(r->db, rid, uid, role, sizeof role, &org, &res) != STORE_OK) {
        db_rollback(r->db);
        return req_result(r, &res);
    }
    if (!authz(r, "admin", org)) {
        db_rollback(r->db);
        return req_fail(r, 403, "Bạn không có quyền quản trị đơn vị này.");
    }
    if (store_account_revoke(r->db, rid, &res) == STORE_OK)
        store_audit(r->db, r->user->id, r->ip, "role.revoke", "user", uid,
                    json_pack("{s:s, s:I}", "role", role, "org_id", (json_int_t)org), &res);
    return done(r, &res, uid, 200);
}

const struct route page_users_routes[] = {
    { "GET", "/tai-khoan", "/api/me", me, ACCOUNT, false, 0 },
    { "GET", "/quan-tri/tai-khoan", "/api/users", list, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan", "/api/users", create, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan/{id}/vai-tro", "/api/users/{id}/roles", add_role, STAFF, false, 0 },
    { "GET", "/quan-tri/tai-khoan/{id}/vai-tro/{rid}/xoa", NULL, ask_remove, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan/{id}/vai-tro/{rid}/xoa", "/api/users/{id}/roles/{rid}/delete", remove_role, STAFF, false, 0 },
    { 0 },
};
