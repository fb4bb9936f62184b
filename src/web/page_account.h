/* What the account pages share: the password rules, the hash of this browser's session token, the admin checks.
 * Must not hold state, nor read the store beyond authz's questions. */
#ifndef DXDAY_WEB_PAGE_ACCOUNT_H
#define DXDAY_WEB_PAGE_ACCOUNT_H
#include "http/app.h"

/* NULL when pw may be a password for login (an e-mail or a +84 number), else why not, in Vietnamese. Staff accounts
 * need 10 characters, learners 8. */
const char *account_password_weak(const char *pw, const char *login, bool staff);
/* The SHA-256 (hex) of this request's session token, as the store keeps it; "" without one. */
void account_session_hash(struct req *r, char out[65]);
/* A name as printed on a certificate: NFC, trimmed, 1 to 100 characters, no line breaks or angle brackets; malloc'd,
 * or NULL when it is not one. */
char *account_clean_name(const char *in);
/* A lower-cased e-mail or a +84 mobile number from what was typed, into out; false when it is neither. */
bool account_login_of(const char *in, char out[256]);
/* /tai-khoan (page_account_users.c) answered with status: errors and typed values by field (both may be NULL, both
 * stolen), and a message saying what was just done. */
int account_me_page(struct req *r, int status, json_t *errors, json_t *typed, const char *done);
#endif
