/* Staff accounts as an admin sees them: which accounts and which of their roles fall within the subtrees the admin
 * administers. Must not know about HTTP, and must not decide who may act: authz() does; this only narrows lists. */
#ifndef DXDAY_STORE_ACCOUNT_H
#define DXDAY_STORE_ACCOUNT_H
#include "store/db.h"

/* [{id, email, name, active, created_at}] by e-mail: every account when everyone, else the accounts holding a role on a
 * unit within a subtree where admin_id holds 'admin' (learners and other units' staff stay out). */
json_t *store_accounts_visible(db *d, int64_t admin_id, bool everyone);
/* Whether account uid is in that list. */
bool store_account_visible(db *d, int64_t uid, int64_t admin_id, bool everyone);
/* The roles of uid [{id, user_id, role, org_id, org_name, org_code}]: all of them when admin_id is 0, else only those
 * on units within a subtree admin_id administers. */
json_t *store_account_roles(db *d, int64_t uid, int64_t admin_id);
#endif
