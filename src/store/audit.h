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
#endif
