/* The sign-in guard's records: attempts (kept as failures until they succeed), device cookies (hashed), the account a
 * login names. Must not know about HTTP or cookies: the caller hashes tokens and decides what to answer. */
#ifndef DXDAY_STORE_LOGIN_GUARD_H
#define DXDAY_STORE_LOGIN_GUARD_H
#include <stdbool.h>
#include "store/db.h"

struct login_policy {
    int free_failures;     /* failures on a login from untrusted clients before the slowing starts */
    int delay_s;           /* the wait after them; doubled by each further failure */
    int delay_max_s;       /* the longest wait */
    int window_s;          /* attempts older than this are forgotten */
    int address_logins;    /* logins failed from one address within address_window_s before the address is slowed */
    int address_window_s;
    int address_gap_s;     /* a slowed address: one untrusted attempt this long after its last failure */
};

struct login_try {
    const char *login;     /* normalised, whether or not an account has it */
    const char *ip;
    const char *device;    /* hash of a device cookie held for this login's account, or NULL */
    int64_t now;           /* unix seconds */
};

struct login_verdict {
    int wait;              /* > 0: refused, try again in this many seconds; nothing was recorded */
    bool trusted;          /* admitted on the device's word: the account's and the address's slowing did not apply */
};

/* Decides whether this attempt may have its password checked and, if so, records it as a failure, counting and
 * recording in one write transaction so concurrent attempts cannot all slip under the limit. A device's word holds
 * until the device itself has free_failures failures. 0 with *v filled, or -1 (nothing recorded: busy or broken). */
int store_login_admit(db *d, const struct login_policy *p, const struct login_try *t, struct login_verdict *v);
/* The password was right: forgets the failures it answers for (the device's when trusted, else the login's
 * untrusted ones). Inside the caller's transaction. 0 or -1. */
int store_login_succeeded(db *d, const struct login_try *t, bool trusted);

/* The active account a login names: {id, password_hash}, or NULL. */
json_t *store_login_account(db *d, const char *login);

/* The account a device cookie's hash was issued to, when it has not expired; 0 when none. */
int64_t store_login_device_user(db *d, const char *token_hash, int64_t now);
/* Records a device cookie for user_id valid until expires, dropping the one it replaces (old_hash, may be NULL), the
 * user's expired ones and all but their newest 20. Inside the caller's transaction. 0 or -1. */
int store_login_device_issue(db *d, int64_t user_id, const char *token_hash, const char *old_hash, int64_t now,
                             int64_t expires);
#endif
