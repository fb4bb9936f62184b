/* Accounts: the signed-in user's own page, and the admin's list of accounts, new accounts and roles scoped
 * to a unit's subtree. Every write checks authz() first, happens in one transaction with its audit entry.
 * A unit's admin sees and acts on the accounts holding a role within its subtree only; the national admin on all. */
#include "web/app.h"
#include "store/account.h"
#include "store/org.h"
#include "core/text.h"
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
static json_t *roles_of(db *d, int64_t uid, int64_t viewer)
{
    json_t *a = store_account_roles(d, uid, viewer);
    size_t i;
    json_t *it;
    json_array_foreach(a, i, it)
        json_object_set_new(it, "role_label", json_string(role_label(json_string_value(json_object_get(it, "role")))));
    return a;
}

static bool is_admin_somewhere(struct req *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT COUNT(*) FROM user_role WHERE user_id = ? AND role = 'admin'");
    db_bind_int(s, 1, r->user->id);
    return db_scalar_int(s, 0) > 0;
}

static bool is_national_admin(struct req *r) { return authz(r, "admin", store_org_id(r->db, "vn")); }

/* Whose roles another account's roles are narrowed to: nobody's for the national admin. */
static int64_t viewer(struct req *r) { return is_national_admin(r) ? 0 : r->user->id; }

/* BEGIN or COMMIT failed (another writer holds the lock): nothing was written, and the client may retry. */
static int busy(struct req *r)
{
    req_header(r, "Retry-After", "2");
    return req_fail(r, 503, "Máy chủ đang bận; chưa có gì được ghi, vui lòng thử lại.");
}

static int me(struct req *r)
{
    json_t *ctx = json_pack("{s:s, s:s, s:{s:I, s:s, s:s, s:o}, s:b, s:b, s:s}", "title", "Tài khoản của tôi", "_nav", "me",
                            "user", "id", (json_int_t)r->user->id, "email", r->user->email, "name", r->user->name,
                            "roles", roles_of(r->db, r->user->id, 0), "_is_admin", is_admin_somewhere(r),
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
    json_t *users = store_accounts_visible(r->db, r->user->id, v == 0);
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
        json_object_set_new(u, "roles", roles_of(r->db, json_integer_value(json_object_get(u, "id")), v));
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

static int grant(struct req *r, int64_t uid, const char *role, int64_t org)
{
    db_stmt *s = db_prepare(r->db, "INSERT INTO user_role (user_id, role, org_id) VALUES (?, ?, ?) "
                                   "ON CONFLICT (user_id, role, org_id) DO NOTHING");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, role);
    db_bind_int(s, 3, org);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    return audit(r, "role.grant", "user", uid, json_pack("{s:s, s:I}", "role", role, "org_id", (json_int_t)org));
}

static int done(struct req *r, int rc, int64_t uid)
{
    if (rc) {
        db_rollback(r->db);
        return req_fail(r, 500, "Không lưu được; chưa có gì được ghi, vui lòng thử lại.");
    }
    if (db_commit(r->db)) return busy(r);
    if (r->want_json) {
        if (!r->status) r->status = 200;
        return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)uid, "roles", roles_of(r->db, uid, viewer(r))), NULL);
    }
    return req_redirect(r, "/quan-tri/tai-khoan");
}

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
    char *nname = text_nfc(name), now[21];
    time_t t = time(NULL);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    if (db_begin(r->db)) {
        free(nname);
        db_rollback(r->db);
        return busy(r);
    }
    db_stmt *s = db_prepare(r->db, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT (email) DO NOTHING RETURNING id");
    db_bind_text(s, 1, email);
    db_bind_text(s, 2, nname);
    db_bind_text(s, 3, hash);
    db_bind_text(s, 4, now);
    int64_t uid = db_scalar_int(s, 0);
    free(nname);
    if (!uid) {
        db_rollback(r->db);
        return req_fail_ctx(r, 409, "Email này đã có tài khoản.", json_pack("{s:s}", "email", "Email này đã có tài khoản."));
    }
    int rc = audit(r, "user.create", "user", uid, json_pack("{s:s}", "email", email));
    if (!rc && role && *role) rc = grant(r, uid, role, org);
    r->status = 201;
    return done(r, rc, uid);
}

/* The {id} account when the admin may see it: another unit's account answers as if it did not exist, so ids cannot
 * be walked to pull accounts (and their e-mails) into one's list by granting them a role. */
static int64_t user_id(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    return id > 0 && store_account_visible(r->db, id, r->user->id, is_national_admin(r)) ? id : 0;
}

static int add_role(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    int64_t uid = user_id(r), org;
    if (!uid) return req_fail(r, 404, "Không tìm thấy tài khoản.");
    int status;
    const char *msg = check_role(r, req_str(r, "role"), req_str(r, "org"), &org, &status);
    if (msg) return req_fail(r, status, msg);
    if (db_begin(r->db)) {
        db_rollback(r->db);
        return busy(r);
    }
    return done(r, grant(r, uid, req_str(r, "role"), org), uid);
}

static int remove_role(struct req *r)
{
    if (!is_admin_somewhere(r)) return req_fail(r, 403, "Chỉ quản trị viên được quản lý tài khoản.");
    int64_t uid = user_id(r);
    db_stmt *s = db_prepare(r->db, "SELECT role, org_id FROM user_role WHERE id = ? AND user_id = ?");
    db_bind_int(s, 1, req_int(r, "rid", 0));
    db_bind_int(s, 2, uid);
    json_t *row = db_row(s);
    if (!row) return req_fail(r, 404, "Không tìm thấy vai trò.");
    int64_t org = json_integer_value(json_object_get(row, "org_id"));
    if (!authz(r, "admin", org)) { json_decref(row); return req_fail(r, 403, "Bạn không có quyền quản trị đơn vị này."); }
    if (db_begin(r->db)) {
        json_decref(row);
        db_rollback(r->db);
        return busy(r);
    }
    s = db_prepare(r->db, "DELETE FROM user_role WHERE id = ?");
    db_bind_int(s, 1, req_int(r, "rid", 0));
    int rc = db_step(s) == DB_ERROR ? -1 : 0;
    db_done(s);
    if (!rc) rc = audit(r, "role.revoke", "user", uid, json_pack("{s:O, s:I}", "role", json_object_get(row, "role"),
                                                                 "org_id", (json_int_t)org));
    json_decref(row);
    return done(r, rc, uid);
}

static int audit_log(struct req *r)
{
    if (!authz(r, "admin", store_org_id(r->db, "vn"))) return req_fail(r, 403, "Chỉ quản trị viên trung ương xem nhật ký.");
    json_t *items = db_rows(db_prepare(r->db, "SELECT a.id, a.at, a.action, a.entity, a.entity_id, a.detail, a.ip, "
                                              "u.email FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id "
                                              "ORDER BY a.id DESC LIMIT 200"));
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
