/* Counts sign-in attempts per login, per address and per device, and keeps device cookies, so that wrong passwords
 * slow an account down without ever shutting its owner out. Must not decide whether a password is right. */
#include "store/login_guard.h"
#include <stdio.h>

static int exec1(db *d, db_stmt *s)
{
    if (!s) return -1;
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

/* Seconds until a key with n failures, the last at `last`, may try again: none below `free`, then `first` doubled for
 * each failure past it, at most `max`. */
static int wait_for(int64_t n, int64_t last, int64_t now, int free, int first, int max)
{
    if (n < free) return 0;
    int64_t gap = first;
    for (int64_t i = free; i < n && gap < max; i++) gap *= 2;
    if (gap > max) gap = max;
    int64_t left = last + gap - now;
    return left > 0 ? (int)left : 0;
}

static int admit(db *d, const struct login_policy *p, const struct login_try *t, struct login_verdict *v)
{
    db_stmt *s = db_prepare(d, "DELETE FROM login_attempt WHERE at <= ?");
    if (!s) return -1;
    db_bind_int(s, 1, t->now - p->window_s);
    if (exec1(d, s)) return -1;
    if (t->device) {
        /* A device that keeps failing loses its word: a stolen cookie buys no more guesses than anyone gets. */
        s = db_prepare(d, "SELECT COUNT(*) FROM login_attempt WHERE device = ? AND at > ?");
        if (!s) return -1;
        db_bind_text(s, 1, t->device);
        db_bind_int(s, 2, t->now - p->window_s);
        v->trusted = db_scalar_int(s, -1) < p->free_failures;
    }
    if (!v->trusted) {
        s = db_prepare(d, "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_attempt WHERE login = ? AND device IS NULL AND at > ?");
        if (!s) return -1;
        db_bind_text(s, 1, t->login);
        db_bind_int(s, 2, t->now - p->window_s);
        int64_t n = 0, last = 0;
        if (db_step(s) == DB_ROW) { n = db_col_int(s, 0); last = db_col_int(s, 1); }
        db_done(s);
        v->wait = wait_for(n, last, t->now, p->free_failures, p->delay_s, p->delay_max_s);
        /* Spraying: few tries on each of many logins. Distinct logins, so one account's failures (its own slowing
         * handles them) and the many right passwords behind a shared address do not count. */
        s = db_prepare(d, "SELECT COUNT(DISTINCT login), COALESCE(MAX(at), 0) FROM login_attempt "
                          "WHERE ip = ? AND device IS NULL AND at > ?");
        if (!s) return -1;
        db_bind_text(s, 1, t->ip);
        db_bind_int(s, 2, t->now - p->address_window_s);
        n = 0, last = 0;
        if (db_step(s) == DB_ROW) { n = db_col_int(s, 0); last = db_col_int(s, 1); }
        db_done(s);
        int w = wait_for(n, last, t->now, p->address_logins, p->address_gap_s, p->address_gap_s);
        if (w > v->wait) v->wait = w;
        if (v->wait > 0) return 0;
    }
    s = db_prepare(d, "INSERT INTO login_attempt (login, ip, device, at) VALUES (?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_text(s, 1, t->login);
    db_bind_text(s, 2, t->ip);
    db_bind_text(s, 3, v->trusted ? t->device : NULL);
    db_bind_int(s, 4, t->now);
    return exec1(d, s);
}

int store_login_admit(db *d, const struct login_policy *p, const struct login_try *t, struct login_verdict *v)
{
    *v = (struct login_verdict){ 0 };
    if (db_begin(d)) {
        db_rollback(d);
        return -1;
    }
    if (admit(d, p, t, v)) {
        db_rollback(d);
        *v = (struct login_verdict){ 0 };
        return -1;
    }
    return db_commit(d) ? -1 : 0;
}

int store_login_succeeded(db *d, const struct login_try *t, bool trusted)
{
    db_stmt *s = db_prepare(d, trusted ? "DELETE FROM login_attempt WHERE device = ?"
                                       : "DELETE FROM login_attempt WHERE login = ? AND device IS NULL");
    if (!s) return -1;
    db_bind_text(s, 1, trusted ? t->device : t->login);
    return exec1(d, s);
}

json_t *store_login_account(db *d, const char *login)
{
    db_stmt *s = db_prepare(d, "SELECT id, password_hash FROM app_user WHERE email = ? AND active = 1");
    if (!s) return NULL;
    db_bind_text(s, 1, login);
    return db_row(s);
}

int64_t store_login_device_user(db *d, const char *token_hash, int64_t now)
{
    db_stmt *s = db_prepare(d, "SELECT user_id FROM login_device WHERE token_hash = ? AND expires_at > ?");
    if (!s) return 0;
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, now);
    return db_scalar_int(s, 0);
}

int store_login_device_issue(db *d, int64_t user_id, const char *token_hash, const char *old_hash, int64_t now,
                             int64_t expires)
{
    db_stmt *s;
    if (old_hash) {
        s = db_prepare(d, "DELETE FROM login_device WHERE token_hash = ?");
        if (!s) return -1;
        db_bind_text(s, 1, old_hash);
        if (exec1(d, s)) return -1;
    }
    s = db_prepare(d, "INSERT INTO login_device (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, user_id);
    db_bind_int(s, 3, now);
    db_bind_int(s, 4, expires);
    if (exec1(d, s)) return -1;
    s = db_prepare(d, "DELETE FROM login_device WHERE user_id = ? AND (expires_at <= ? OR token_hash NOT IN "
                      "(SELECT token_hash FROM login_device WHERE user_id = ? ORDER BY created_at DESC, token_hash LIMIT 20))");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, user_id);
    return exec1(d, s);
}
