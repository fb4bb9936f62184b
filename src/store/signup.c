/* Sign-up's writes: a new learner account, or, when the login is taken, a notice for the account's owner, so the
 * person signing up gets the same answer either way. Must not give an account a role: admins grant roles. */
#include "store/signup.h"
#include "store/account.h"
#include <stdio.h>

enum store_status store_signup(db *d, const char *login, const char *name, const char *password_hash, const char *now,
                               const char *day_ago, int64_t *uid, int64_t *owner, struct store_result *res)
{
    *uid = *owner = 0;
    struct store_result made = STORE_RESULT_OK;
    enum store_status st = store_account_create(d, login, name, password_hash, now, uid, &made);
    store_result_free(&made);
    if (st == STORE_OK) return STORE_OK;
    if (st != STORE_CONFLICT) return store_fail_db(res, d);
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    db_bind_text(s, 1, login);
    *owner = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    /* Cannot happen inside the caller's write transaction (the conflict and this read see the same rows); if the engine
     * ever lets it, no account was made and there is nobody to notify: a failure, not a silent success. */
    if (!*owner) {
        store_fail(res, STORE_ERROR, NULL);
        if (res) snprintf(res->detail, sizeof res->detail, "signup: the login was taken but names no account");
        return STORE_ERROR;
    }
    /* One a day: sign-ups repeated by someone probing must not flood the owner's mailbox. */
    s = db_prepare(d, "INSERT INTO account_notice (user_id, kind, created_at) SELECT ?, 'signup.taken', ? "
                      "WHERE NOT EXISTS (SELECT 1 FROM account_notice WHERE user_id = ? AND kind = 'signup.taken' AND created_at > ?)");
    db_bind_int(s, 1, *owner);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, *owner);
    db_bind_text(s, 4, day_ago);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

json_t *store_account_notice_pending_mail(db *d, int limit)
{
    db_stmt *s = db_prepare(d, "SELECT n.id, n.kind, u.email, u.name, n.created_at FROM account_notice n "
                               "JOIN app_user u ON u.id = n.user_id "
                               "WHERE n.emailed_at IS NULL AND u.active = 1 AND u.email LIKE '%@%' ORDER BY n.id LIMIT ?");
    if (!s) return json_array();
    db_bind_int(s, 1, limit);
    return db_rows(s);
}

int store_account_notice_mark_mailed(db *d, int64_t id, const char *at)
{
    db_stmt *s = db_prepare(d, "UPDATE account_notice SET emailed_at = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_text(s, 1, at);
    db_bind_int(s, 2, id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}
