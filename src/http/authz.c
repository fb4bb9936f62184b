/* The one place roles are checked, and the audit log every state change writes to.
 * Must not decide anything from the client's say-so: roles come from the store, scoped by org subtree. */
#include "http/app.h"
#include "store/account.h"
#include "store/audit.h"
#include "store/org.h"
#include <stdio.h>

/* A check the store could not make grants nothing; the operator hears why. */
static bool checked(struct req *r, bool held)
{
    if (!held && db_failed(r->db))
        fprintf(stderr, "error: %s %s: role check failed: %s\n", r->method, r->route_name ? r->route_name : r->path,
                db_errmsg(r->db));
    return held;
}

/* A role held on a unit covers that unit and everything below it; admin covers every role. */
bool authz(struct req *r, const char *role, int64_t org_id)
{
    if (!r->user || !org_id) return false;
    return checked(r, store_account_holds(r->db, r->user->id, role, org_id));
}

bool authz_any(struct req *r, const char *role)
{
    if (!r->user) return false;
    return checked(r, store_account_holds_any(r->db, r->user->id, role));
}

/* Editorial rights follow the tree like every other role: whoever moderates, coordinates or administers a unit (or a
 * unit above it) edits what belongs to that unit; content that belongs to no unit is the root's. */
bool authz_editor(struct req *r, int64_t org_id)
{
    return org_id && (authz(r, "moderator", org_id) || authz(r, "coordinator", org_id));
}

bool authz_national_editor(struct req *r)
{
    return r->user && authz_editor(r, store_org_id(r->db, "vn"));
}

/* The entry goes into the caller's transaction; -1 tells the caller to roll its change back with it. */
int audit(struct req *r, const char *action, const char *entity, int64_t entity_id, json_t *detail)
{
    struct store_result res = STORE_RESULT_OK;
    if (store_audit(r->db, r->user ? r->user->id : 0, r->ip, action, entity, entity_id, detail, &res) == STORE_OK) return 0;
    fprintf(stderr, "error: %s %s: audit entry %s not written: %s\n", r->method, r->route_name ? r->route_name : r->path,
            action, res.detail[0] ? res.detail : "busy");
    store_result_free(&res);
    return -1;
}
