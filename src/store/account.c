/* Staff accounts narrowed to an admin's subtrees, for the account list and the roles shown with each account.
 * Must not grant or check rights (authz() in web/authz.c does); a unit is within a subtree when its path starts with it. */
#include "store/account.h"

/* A role row `ur` lies within a subtree the admin `?` administers. */
#define WITHIN_ADMIN "EXISTS (SELECT 1 FROM user_role mine JOIN org_unit sc ON sc.id = mine.org_id, org_unit t " \
                     "WHERE mine.user_id = ? AND mine.role = 'admin' AND t.id = ur.org_id AND t.path LIKE sc.path || '%')"

json_t *store_accounts_visible(db *d, int64_t admin_id, bool everyone)
{
    db_stmt *s = db_prepare(d, "SELECT u.id, u.email, u.name, u.active, u.created_at FROM app_user u "
                               "WHERE ? = 1 OR EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND " WITHIN_ADMIN ") "
                               "ORDER BY u.email");
    db_bind_int(s, 1, everyone);
    db_bind_int(s, 2, admin_id);
    return db_rows(s);
}

bool store_account_visible(db *d, int64_t uid, int64_t admin_id, bool everyone)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user u WHERE u.id = ? AND "
                               "(? = 1 OR EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND " WITHIN_ADMIN "))");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, everyone);
    db_bind_int(s, 3, admin_id);
    return db_scalar_int(s, 0) > 0;
}

json_t *store_account_roles(db *d, int64_t uid, int64_t admin_id)
{
    db_stmt *s = db_prepare(d, "SELECT ur.id, ur.user_id, ur.role, ur.org_id, o.name AS org_name, o.code AS org_code "
                               "FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
                               "WHERE ur.user_id = ? AND (? = 0 OR " WITHIN_ADMIN ") ORDER BY ur.id");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, admin_id);
    db_bind_int(s, 3, admin_id);
    return db_rows(s);
}
