/* The one place roles are checked, and the audit log every state change writes to.
 * Must not decide anything from the client's say-so: roles come from the store, scoped by org subtree. */
#include "web/app.h"
#include "core/date.h"
#include "store/org.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A role held on a unit covers that unit and everything below it; admin covers every role. */
bool authz(struct req *r, const char *role, int64_t org_id)
{
    if (!r->user || !org_id) return false;
    db_stmt *s = db_prepare(r->db,
        "SELECT COUNT(*) FROM user_role ur JOIN org_unit scope ON scope.id = ur.org_id, org_unit target "
        "WHERE ur.user_id = ? AND (ur.role = ? OR ur.role = 'admin') AND target.id = ? "
        "AND target.path LIKE scope.path || '%'");
    db_bind_int(s, 1, r->user->id);
    db_bind_text(s, 2, role);
    db_bind_int(s, 3, org_id);
    return db_scalar_int(s, 0) > 0;
}

bool authz_any(struct req *r, const char *role)
{
    if (!r->user) return false;
    db_stmt *s = db_prepare(r->db, "SELECT COUNT(*) FROM user_role WHERE user_id = ? AND (role = ? OR role = 'admin')");
    db_bind_int(s, 1, r->user->id);
    db_bind_text(s, 2, role);
    return db_scalar_int(s, 0) > 0;
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

int audit(struct req *r, const char *action, const char *entity, int64_t entity_id, json_t *detail)
{
    char now[21], idbuf[24];
    date_utc_iso(time(NULL), now);
    char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    db_stmt *s = db_prepare(r->db, "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, ip) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, now);
    if (r->user) db_bind_int(s, 2, r->user->id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, entity);
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)entity_id);
    db_bind_text(s, 5, entity_id ? idbuf : NULL);
    db_bind_text(s, 6, d);
    db_bind_text(s, 7, r->ip);
    int rc = db_step(s);
    db_done(s);
    free(d);
    return rc == DB_ERROR ? -1 : 0;
}
