/* Sign-up's writes: a new learner account, or, when the login is taken, a notice for the account's owner, so the
 * person signing up gets the same answer either way. Must not give an account a role: admins grant roles. */
#include "store/signup.h"

int64_t store_signup(db *d, const char *login, const char *name, const char *password_hash, const char *now,
                     const char *day_ago, int64_t *owner)
{
    *owner = 0;
    /* ON CONFLICT settles two sign-ups racing for one login: the second becomes a notice like any other. */
    db_stmt *s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (email) DO NOTHING RETURNING id");
    if (!s) return -1;
    db_bind_text(s, 1, login);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, password_hash);
    db_bind_text(s, 4, now);
    int64_t id = db_scalar_int(s, 0);
    if (id) return id;
    s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    if (!s) return -1;
    db_bind_text(s, 1, login);
    *owner = db_scalar_int(s, 0);
    if (!*owner) return -1;
    /* One a day: sign-ups repeated by someone probing must not flood the owner's mailbox. */
    s = db_prepare(d, "INSERT INTO account_notice (user_id, kind, created_at) SELECT ?, 'signup.taken', ? "
                      "WHERE NOT EXISTS (SELECT 1 FROM account_notice WHERE user_id = ? AND kind = 'signup.taken' AND created_at > ?)");
    if (!s) return -1;
    db_bind_int(s, 1, *owner);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, *owner);
    db_bind_text(s, 4, day_ago);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
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
