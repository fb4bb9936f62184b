/* Whose units and plans a user may name when saving a plan: a role (officer, coordinator, admin) on a unit covers
 * its subtree. Must not decide anything from what the client says about itself, and must not write. */
#include "store/plan.h"

/* A unit's path starts with the path of the unit holding the role: portable (no LIKE pattern built from data). */
#define SAVER_ROLES "('officer', 'coordinator', 'admin')"
#define UNDER(x, s) "substr(" x ".path, 1, length(" s ".path)) = " s ".path"

bool store_org_in_scope(db *d, int64_t user_id, int64_t org_id)
{
    if (!user_id || !org_id) return false;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM user_role ur JOIN org_unit scope ON scope.id = ur.org_id "
                               "JOIN org_unit target ON target.id = ? WHERE ur.user_id = ? AND ur.role IN " SAVER_ROLES
                               " AND " UNDER("target", "scope"));
    db_bind_int(s, 1, org_id);
    db_bind_int(s, 2, user_id);
    return db_scalar_int(s, 0) > 0;
}

bool store_user_national(db *d, int64_t user_id)
{
    if (!user_id) return false;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
                               "WHERE ur.user_id = ? AND ur.role IN " SAVER_ROLES " AND o.parent_id IS NULL");
    db_bind_int(s, 1, user_id);
    return db_scalar_int(s, 0) > 0;
}

/* A plan may be carried out (and so be a parent) by the units it comes down to: its issuer's subtree and everything
 * under the units above the saver; the Government's and the nation's plans bind every unit; and a plan that names one
 * of the saver's units, or a unit above them, as lead or partner of a task hands that unit work to plan for. A plan of
 * another province or ministry that names none of them is not the saver's to hang plans under. */
bool store_plan_parent_allowed(db *d, int64_t user_id, int64_t plan_id)
{
    if (!user_id || !plan_id) return false;
    if (store_user_national(d, user_id)) {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM plan WHERE id = ?");
        db_bind_int(s, 1, plan_id);
        return db_scalar_int(s, 0) > 0;
    }
    db_stmt *s = db_prepare(d,
        "SELECT COUNT(*) FROM plan p WHERE p.id = ? AND ("
        " EXISTS (SELECT 1 FROM org_unit i WHERE i.id = p.issuer_id AND i.kind IN ('nation', 'government'))"
        " OR EXISTS (SELECT 1 FROM org_unit i, user_role ur JOIN org_unit s ON s.id = ur.org_id"
        "   WHERE i.id = p.issuer_id AND ur.user_id = ? AND ur.role IN " SAVER_ROLES
        "   AND (" UNDER("i", "s") " OR " UNDER("s", "i") "))"
        " OR EXISTS (SELECT 1 FROM task t JOIN task_unit tu ON tu.task_id = t.id JOIN org_unit o ON o.id = tu.org_id,"
        "   user_role ur JOIN org_unit s ON s.id = ur.org_id"
        "   WHERE t.plan_id = p.id AND ur.user_id = ? AND ur.role IN " SAVER_ROLES
        "   AND (" UNDER("o", "s") " OR " UNDER("s", "o") ")))");
    db_bind_int(s, 1, plan_id);
    db_bind_int(s, 2, user_id);
    db_bind_int(s, 3, user_id);
    return db_scalar_int(s, 0) > 0;
}

json_t *store_user_scope_units(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT org_id FROM user_role WHERE user_id = ? AND role IN " SAVER_ROLES);
    db_bind_int(s, 1, user_id);
    return db_rows(s);
}
