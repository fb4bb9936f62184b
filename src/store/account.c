/* Accounts, roles and the subtree a role covers: a unit is within a subtree when its path starts with the subtree's
 * root path. Must not grant or check rights on its own (web/authz.c decides), nor begin or commit a transaction. */
#include "store/account.h"
#include <stdio.h>
#include <string.h>

/* A role row `ur` lies within a subtree the admin `?` administers. */
#define WITHIN_ADMIN "EXISTS (SELECT 1 FROM user_role mine JOIN org_unit sc ON sc.id = mine.org_id, org_unit t " \
                     "WHERE mine.user_id = ? AND mine.role = 'admin' AND t.id = ur.org_id AND t.path LIKE sc.path || '%')"

bool store_account_holds(db *d, int64_t uid, const char *role, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM user_role ur JOIN org_unit scope ON scope.id = ur.org_id, org_unit target "
                               "WHERE ur.user_id = ? AND (ur.role = ? OR ur.role = 'admin') AND target.id = ? "
                               "AND target.path LIKE scope.path || '%'");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, role);
    db_bind_int(s, 3, org_id);
    return db_scalar_int(s, 0) > 0;
}

bool store_account_holds_any(db *d, int64_t uid, const char *role)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM user_role WHERE user_id = ? AND (role = ? OR role = 'admin')");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, role);
    return db_scalar_int(s, 0) > 0;
}

/* The rows of a finished list, or the engine's failure with nothing in *items. */
static enum store_status rows(db *d, db_stmt *s, json_t **items, struct store_result *res)
{
    *items = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*items);
    *items = NULL;
    return store_fail_db(res, d);
}

enum store_status store_accounts_visible(db *d, int64_t admin_id, bool everyone, json_t **items, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT u.id, u.email, u.name, u.active, u.created_at FROM app_user u "
                               "WHERE ? = 1 OR EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND " WITHIN_ADMIN ") "
                               "ORDER BY u.email");
    db_bind_int(s, 1, everyone);
    db_bind_int(s, 2, admin_id);
    return rows(d, s, items, res);
}

enum store_status store_account_visible(db *d, int64_t uid, int64_t admin_id, bool everyone, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user u WHERE u.id = ? AND "
                               "(? = 1 OR EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND " WITHIN_ADMIN "))");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, everyone);
    db_bind_int(s, 3, admin_id);
    int64_t n = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    return n > 0 ? STORE_OK : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tài khoản.");
}

enum store_status store_account_roles(db *d, int64_t uid, int64_t admin_id, json_t **items, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT ur.id, ur.user_id, ur.role, ur.org_id, o.name AS org_name, o.code AS org_code "
                               "FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
                               "WHERE ur.user_id = ? AND (? = 0 OR " WITHIN_ADMIN ") ORDER BY ur.id");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, admin_id);
    db_bind_int(s, 3, admin_id);
    return rows(d, s, items, res);
}

enum store_status store_account_create(db *d, const char *login, const char *name, const char *password_hash,
                                       const char *now, int64_t *id, struct store_result *res)
{
    /* ON CONFLICT settles two creations racing for one login: the second is told the login is taken. */
    db_stmt *s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (email) DO NOTHING RETURNING id");
    db_bind_text(s, 1, login);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, password_hash);
    db_bind_text(s, 4, now);
    *id = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (*id) return STORE_OK;
    store_field(res, "email", "Email này đã có tài khoản.");
    return store_fail(res, STORE_CONFLICT, "Email này đã có tài khoản.");
}

enum store_status store_account_grant(db *d, int64_t uid, const char *role, int64_t org_id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO user_role (user_id, role, org_id) VALUES (?, ?, ?) "
                               "ON CONFLICT (user_id, role, org_id) DO NOTHING");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, role);
    db_bind_int(s, 3, org_id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_account_role(db *d, int64_t role_id, int64_t uid, char *role, size_t role_len, int64_t *org_id,
                                     struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT role, org_id FROM user_role WHERE id = ? AND user_id = ?");
    db_bind_int(s, 1, role_id);
    db_bind_int(s, 2, uid);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        snprintf(role, role_len, "%s", db_col_text(s, 0));
        *org_id = db_col_int(s, 1);
    }
    db_done(s);
    if (rc == DB_ROW) return STORE_OK;
    if (rc == DB_ERROR) return store_fail_db(res, d);
    return store_fail(res, STORE_NOT_FOUND, "Không tìm thấy vai trò.");
}

enum store_status store_account_revoke(db *d, int64_t role_id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "DELETE FROM user_role WHERE id = ?");
    db_bind_int(s, 1, role_id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

/* ---- Account basics (issue 15): one's own name, password and deletion; password reset tokens ---------------------- */

enum store_status store_account_self(db *d, int64_t uid, json_t **out, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT id, email, name, password_hash, active, created_at, "
                               "EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = app_user.id) AS staff "
                               "FROM app_user WHERE id = ? AND deleted_at IS NULL");
    db_bind_int(s, 1, uid);
    *out = db_row(s);
    if (db_failed(d)) { json_decref(*out); *out = NULL; return store_fail_db(res, d); }
    return *out ? STORE_OK : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tài khoản.");
}

int64_t store_account_by_login(db *d, const char *login)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ? AND active = 1 AND deleted_at IS NULL");
    db_bind_text(s, 1, login);
    return db_scalar_int(s, 0);
}

static enum store_status step_done(db *d, db_stmt *s, struct store_result *res)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_account_set_name(db *d, int64_t uid, const char *name, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "UPDATE app_user SET name = ? WHERE id = ? AND deleted_at IS NULL");
    db_bind_text(s, 1, name);
    db_bind_int(s, 2, uid);
    return step_done(d, s, res);
}

enum store_status store_account_set_password(db *d, int64_t uid, const char *password_hash, const char *now,
                                             struct store_result *res)
{
    db_stmt *s = db_prepare(d, "UPDATE app_user SET password_hash = ? WHERE id = ? AND deleted_at IS NULL");
    db_bind_text(s, 1, password_hash);
    db_bind_int(s, 2, uid);
    if (step_done(d, s, res) != STORE_OK) return res->status;
    /* A new password spends every link still open: one sent before it must not undo it. */
    s = db_prepare(d, "UPDATE password_reset SET used_at = ? WHERE user_id = ? AND used_at IS NULL");
    db_bind_text(s, 1, now);
    db_bind_int(s, 2, uid);
    return step_done(d, s, res);
}

enum store_status store_account_end_sessions(db *d, int64_t uid, const char *keep_hash, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "DELETE FROM session WHERE user_id = ? AND token_hash <> ?");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, keep_hash ? keep_hash : "");
    return step_done(d, s, res);
}

enum store_status store_account_roles_outside(db *d, int64_t uid, int64_t admin_id, int64_t *n, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM user_role ur WHERE ur.user_id = ? AND NOT " WITHIN_ADMIN);
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, admin_id);
    *n = db_scalar_int(s, 0);
    return db_failed(d) ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_account_delete(db *d, int64_t uid, const char *now, struct store_result *res)
{
    /* What a learner did is theirs to take away; what was issued in their name (certificates, with the name as
     * printed) and what the audit log says stay, pointing at an empty row. */
    static const char *const gone[] = {
        "DELETE FROM session WHERE user_id = ?", "DELETE FROM login_device WHERE user_id = ?",
        "DELETE FROM account_notice WHERE user_id = ?", "DELETE FROM password_reset WHERE user_id = ?",
        "DELETE FROM quiz_attempt WHERE user_id = ?", "DELETE FROM lesson_view WHERE user_id = ?",
        "DELETE FROM enrolment WHERE user_id = ?", "DELETE FROM user_role WHERE user_id = ?",
        /* The log keeps what was done, not who it was: names, e-mails typed and addresses go from its entries. */
        "UPDATE audit_log SET detail = NULL, ip = NULL WHERE user_id = ? OR (entity = 'user' AND entity_id = CAST(? AS TEXT))",
        NULL,
    };
    for (int i = 0; gone[i]; i++) {
        db_stmt *s = db_prepare(d, gone[i]);
        db_bind_int(s, 1, uid);
        if (strchr(gone[i], '?') != strrchr(gone[i], '?')) db_bind_int(s, 2, uid);   /* the audit line names uid twice */
        if (step_done(d, s, res) != STORE_OK) return res->status;
    }
    char login[64];
    snprintf(login, sizeof login, "da-xoa-%lld", (long long)uid);   /* frees the e-mail for a new sign-up */
    db_stmt *s = db_prepare(d, "UPDATE app_user SET email = ?, name = 'Tài khoản đã xóa', password_hash = '!', active = 0, "
                               "deleted_at = ? WHERE id = ?");
    db_bind_text(s, 1, login);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, uid);
    return step_done(d, s, res);
}

enum store_status store_reset_create(db *d, int64_t uid, const char *token_hash, int64_t created_by, const char *now,
                                     const char *expires, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO password_reset (user_id, token_hash, created_by, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?)");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, token_hash);
    if (created_by) db_bind_int(s, 3, created_by);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, expires);
    return step_done(d, s, res);
}

int store_reset_recent(db *d, int64_t uid, const char *since)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM password_reset WHERE user_id = ? AND created_by IS NULL AND created_at > ?");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, since);
    return (int)db_scalar_int(s, 0);
}

enum store_status store_reset_find(db *d, const char *token_hash, const char *now, int64_t *uid, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT p.user_id FROM password_reset p JOIN app_user u ON u.id = p.user_id "
                               "WHERE p.token_hash = ? AND p.used_at IS NULL AND p.expires_at > ? AND u.deleted_at IS NULL");
    db_bind_text(s, 1, token_hash);
    db_bind_text(s, 2, now);
    *uid = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    return *uid ? STORE_OK
                : store_fail(res, STORE_NOT_FOUND, "Liên kết đặt lại mật khẩu không còn dùng được (đã dùng hoặc đã quá hạn). "
                                                   "Hãy xin một liên kết mới.");
}
