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

/* ---- Account basics: one's own account, password reset links (issue 15) ---- */
/* {id, email, name, password_hash, active, created_at, staff} of a live (not deleted) account. */
enum store_status store_account_self(db *d, int64_t uid, json_t **out, struct store_result *res);
/* The live, active account signing in with login, or 0. */
int64_t store_account_by_login(db *d, const char *login);
enum store_status store_account_set_name(db *d, int64_t uid, const char *name, struct store_result *res);
/* Sets the password hash and spends every reset link the account still has open. */
enum store_status store_account_set_password(db *d, int64_t uid, const char *password_hash, const char *now,
                                             struct store_result *res);
/* Ends uid's sessions but the one keep_hash names (NULL: all of them). */
enum store_status store_account_end_sessions(db *d, int64_t uid, const char *keep_hash, struct store_result *res);
/* How many of uid's roles lie outside every subtree admin_id administers: an admin acts on an account's password only
 * when it is 0, or a provincial admin could take over a national admin who also holds a role in the province. */
enum store_status store_account_roles_outside(db *d, int64_t uid, int64_t admin_id, int64_t *n, struct store_result *res);
/* Removes the person from the account: sessions, devices, notices, reset links, quiz attempts, lesson views, enrolments
 * and roles go; the row stays, empty and inactive (audit entries and certificates, which keep the name as issued,
 * point at it); the login is freed. */
enum store_status store_account_delete(db *d, int64_t uid, const char *now, struct store_result *res);
/* A reset link's token, by its SHA-256 (hex), for uid until expires; created_by 0 when asked for by e-mail. */
enum store_status store_reset_create(db *d, int64_t uid, const char *token_hash, int64_t created_by, const char *now,
                                     const char *expires, struct store_result *res);
/* Links uid asked for by e-mail since the ISO time since (a mailbox must not be flooded). */
int store_reset_recent(db *d, int64_t uid, const char *since);
/* The account an unused, unexpired link names (*uid), else STORE_NOT_FOUND with a message saying what to do. */
enum store_status store_reset_find(db *d, const char *token_hash, const char *now, int64_t *uid, struct store_result *res);
#endif
