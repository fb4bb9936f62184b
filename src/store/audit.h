/* The audit log: one entry per state change, written inside the change's own transaction, and the latest entries for
 * the national admin. Must not open or close a transaction itself, nor decide who may read the log (authz() does). */
#ifndef DXDAY_STORE_AUDIT_H
#define DXDAY_STORE_AUDIT_H
#include "store/result.h"

/* Records that user_id (0: nobody signed in) at address ip did action on entity entity_id (0: none), with detail as
 * compact JSON (may be NULL; stolen, like jansson's *_new calls). Inside the caller's transaction: when the caller
 * rolls back, the entry goes too, so a change and its entry stand or fall together. */
enum store_status store_audit(db *d, int64_t user_id, const char *ip, const char *action, const char *entity,
                              int64_t entity_id, json_t *detail, struct store_result *res);

/* The newest limit entries, newest first, into *items: [{id, at, action, entity, entity_id, detail, ip, email}]. */
enum store_status store_audit_recent(db *d, int limit, json_t **items, struct store_result *res);
/* The log filtered (each field optional: 0, NULL or ''): who did it, what (an action, or its family: "role" takes
 * "role.grant" and "role.revoke"), from (ISO, inclusive) until (ISO, exclusive), the unit (its whole subtree). One page
 * of entries, newest first, with the actor's e-mail and name, the unit's name and, for an entry about an account, that
 * account's (target_name, target_email); *total counts every match. */
struct audit_filter {
    int64_t user_id;
    const char *action, *from, *until;
    int64_t org_id;
    int limit, offset;
};
enum store_status store_audit_find(db *d, const struct audit_filter *f, json_t **items, int64_t *total,
                                   struct store_result *res);
/* Staff accounts that wrote to the log [{id, email, name}], for the filter's list. */
enum store_status store_audit_actors(db *d, json_t **items, struct store_result *res);
/* The account of a login (e-mail or +84 number), deleted or not; 0 when none. */
int64_t store_audit_user_id(db *d, const char *login);
#endif
