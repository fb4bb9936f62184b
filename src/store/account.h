/* Accounts and their roles: who holds which role on which unit (a role covers the unit's whole subtree), the staff
 * list an admin sees, new accounts, grants and revocations. Must not know about HTTP nor decide what a caller may do:
 * web/authz.c asks these questions and decides; writes happen inside the caller's transaction. */
#ifndef DXDAY_STORE_ACCOUNT_H
#define DXDAY_STORE_ACCOUNT_H
#include <stdbool.h>
#include "store/result.h"

/* Whether uid holds role, or 'admin', on org_id or on a unit above it. False when not, and on an engine error (then
 * db_failed is true): a check that cannot be made grants nothing. */
bool store_account_holds(db *d, int64_t uid, const char *role, int64_t org_id);
/* Whether uid holds role, or 'admin', on some unit. */
bool store_account_holds_any(db *d, int64_t uid, const char *role);

/* [{id, email, name, active, created_at}] by e-mail into *items: every account when everyone, else the accounts
 * holding a role on a unit within a subtree where admin_id holds 'admin' (learners and other units' staff stay out). */
enum store_status store_accounts_visible(db *d, int64_t admin_id, bool everyone, json_t **items, struct store_result *res);
/* STORE_OK when account uid is in that list, STORE_NOT_FOUND when it is not (or does not exist). */
enum store_status store_account_visible(db *d, int64_t uid, int64_t admin_id, bool everyone, struct store_result *res);
/* The roles of uid [{id, user_id, role, org_id, org_name, org_code}] into *items: all of them when admin_id is 0,
 * else only those on units within a subtree admin_id administers. */
enum store_status store_account_roles(db *d, int64_t uid, int64_t admin_id, json_t **items, struct store_result *res);

/* A new account with no role (login: a lower-cased e-mail or a +84 phone number; name in NFC). *id is set on
 * STORE_OK; STORE_CONFLICT, with the field "email", when the login is taken (two creations racing included). */
enum store_status store_account_create(db *d, const char *login, const char *name, const char *password_hash,
                                       const char *now, int64_t *id, struct store_result *res);
/* Gives uid role on org_id; granting a role already held changes nothing and is no error. */
enum store_status store_account_grant(db *d, int64_t uid, const char *role, int64_t org_id, struct store_result *res);
/* The role role_id of account uid: its name (into role, at least 32 bytes) and unit. STORE_NOT_FOUND when uid holds
 * no such role. */
enum store_status store_account_role(db *d, int64_t role_id, int64_t uid, char *role, size_t role_len, int64_t *org_id,
                                     struct store_result *res);
enum store_status store_account_revoke(db *d, int64_t role_id, struct store_result *res);
#endif
