/* Learner accounts made by sign-up, and notices to the owner of a login someone tried to sign up with again.
 * Must not tell the caller anything it could pass on to the person signing up about whether a login was taken. */
#ifndef DXDAY_STORE_SIGNUP_H
#define DXDAY_STORE_SIGNUP_H
#include "store/result.h"

/* Inside the caller's transaction: creates the learner account (no role) with *uid set to its id; when the login is
 * taken, records a notice for its owner instead (at most one a day per account), with *uid 0 and *owner set. Both are
 * STORE_OK: the caller answers them alike. */
enum store_status store_signup(db *d, const char *login, const char *name, const char *password_hash, const char *now,
                               const char *day_ago, int64_t *uid, int64_t *owner, struct store_result *res);

/* Notices not yet e-mailed whose account signs in with an e-mail address: [{id, kind, email, name, created_at}]. */
json_t *store_account_notice_pending_mail(db *d, int limit);
int store_account_notice_mark_mailed(db *d, int64_t id, const char *at);
#endif
