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
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct { const char *role, *label; } roles[] = {
    { "admin", "Quản trị" }, { "coordinator", "Điều phối" }, { "officer", "Cán bộ đầu mối" },
    { "moderator", "Kiểm duyệt" }, { "team_member", "Thành viên Tổ CNS cộng đồng" }, { "juror", "Giám khảo" },
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

static int me(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *mine;
    if (roles_of(r->db, r->user->id, 0, &mine, &res) != STORE_OK) return req_result(r, &res);
    json_t *ctx = json_pack("{s:s, s:s, s:{s:I, s:s, s:s, s:o}, s:b, s:b, s:s}", "title", "Tài khoản của tôi", "_nav", "me",
                            "user", "id", (json_int_t)r->user->id, "email", r->user->email, "name", r->user->name,
                            "roles", mine, "_is_admin", is_admin_somewhere(r),
                            "_national", is_national_admin(r), "_csrf", r->user->csrf);
    return render(r, ctx, "me");
}

static json_t *role_options(void)
{
    json_t *a = json_array();
    for (int i = 0; roles[i].role; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "role", roles[i].role, "label", roles[i].label));
    return a;
}

static int list(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    int64_t v = viewer(r);
    struct store_result res = STORE_RESULT_OK;
    json_t *users;
    if (store_accounts_visible(r->db, r->user->id, v == 0, &users, &res) != STORE_OK) return req_result(r, &res);
    size_t i;
    json_t *u, *their;
    json_array_foreach(users, i, u) {
        if (roles_of(r->db, json_integer_value(json_object_get(u, "id")), v, &their, &res) != STORE_OK) {
            json_decref(users);
            return req_result(r, &res);
        }
        json_object_set_new(u, "roles", their);
    }
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "title", "Quản lý tài khoản", "_nav", "users", "items", users,
                            "_roles", role_options(), "_csrf", r->user->csrf, "_national", v == 0);
    if (r->status == 0) r->status = 200;
    return render(r, ctx, "users/index");
}

/* Validates role + org fields; on success sets *org and returns NULL, else a message and *status. */
static const char *check_role(struct req *r, const char *role, const char *org_s, int64_t *org, int *status)
{
    *status = 422;
    if (!role || !role_label(role)) return "Vai trò không hợp lệ.";
    if (!org_s || !(*org = store_org_id(r->db, org_s))) return "Đơn vị không tồn tại.";
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
        if (msg) json_object_set_new(errors, "role", json_string(msg));
    } else if (!is_national_admin(r)) {
        /* An account with no role in the admin's subtree would vanish from the admin's own list at once. */
        json_object_set_new(errors, "role", json_string("Chọn vai trò và đơn vị (thuộc đơn vị bạn quản trị) cho tài khoản mới."));
    }
    if (json_object_size(errors)) return req_fail_ctx(r, 422, "Dữ liệu chưa hợp lệ.", errors);
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
    if (msg) return req_fail(r, status, msg);
    if (store_begin(r->db, &res)) return req_result(r, &res);
    grant(r, uid, req_str(r, "role"), org, &res);
    return done(r, &res, uid, 200);
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

static int audit_log(struct req *r)
{
    if (!authz(r, "admin", store_org_id(r->db, "vn"))) return req_fail(r, 403, "Chỉ quản trị viên trung ương xem nhật ký.");
    struct store_result res = STORE_RESULT_OK;
    json_t *items;
    if (store_audit_recent(r->db, 200, &items, &res) != STORE_OK) return req_result(r, &res);
    return render(r, json_pack("{s:s, s:s, s:o}", "title", "Nhật ký thay đổi", "_nav", "users", "items", items), "users/audit");
}

const struct route page_users_routes[] = {
    { "GET", "/tai-khoan", "/api/me", me, ACCOUNT, false, 0 },
    { "GET", "/quan-tri/tai-khoan", "/api/users", list, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan", "/api/users", create, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan/{id}/vai-tro", "/api/users/{id}/roles", add_role, STAFF, false, 0 },
    { "POST", "/quan-tri/tai-khoan/{id}/vai-tro/{rid}/xoa", "/api/users/{id}/roles/{rid}/delete", remove_role, STAFF, false, 0 },
    { "GET", "/quan-tri/nhat-ky", "/api/audit", audit_log, STAFF, false, 0 },
    { 0 },
};
