/* Partners proposed by a plan saved outside their subtree: kept apart from task_unit (so no inbox, reminder, dashboard
 * or public page sees them) until the unit's own people accept. Must not decide who may accept: callers check that. */
#include "store/plan.h"
#include "core/date.h"
#include <time.h>

int store_task_propose(db *d, int64_t task_id, const char *role, const char *name, int64_t org_id, int64_t user_id)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO task_unit_proposal (task_id, role, name, org_id, proposed_by, proposed_at) "
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task_id, role, name) DO NOTHING");
    db_bind_int(s, 1, task_id);
    db_bind_text(s, 2, role);
    db_bind_text(s, 3, name);
    db_bind_int(s, 4, org_id);
    if (user_id) db_bind_int(s, 5, user_id);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, now);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

#define PROPOSAL_COLS                                                                                              \
    "SELECT pr.id, pr.task_id, pr.role, pr.name, pr.org_id, o.name AS org_name, o.code AS org_code, pr.status, "  \
    "CASE pr.status WHEN 'proposed' THEN 'chờ đơn vị nhận' WHEN 'accepted' THEN 'đã nhận' ELSE 'đã từ chối' END AS status_label, " \
    "pr.proposed_at, u.name AS proposed_by_name, t.ref, t.title AS task_title, p.id AS plan_id, p.number AS plan_number, " \
    "p.title AS plan_title, p.issuer FROM task_unit_proposal pr JOIN org_unit o ON o.id = pr.org_id "              \
    "JOIN task t ON t.id = pr.task_id JOIN plan p ON p.id = t.plan_id LEFT JOIN app_user u ON u.id = pr.proposed_by "

json_t *store_proposals_pending(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, PROPOSAL_COLS
        "WHERE pr.status = 'proposed' AND EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id "
        "WHERE ur.user_id = ? AND ur.role IN ('officer', 'coordinator', 'admin') "
        "AND substr(o.path, 1, length(sc.path)) = sc.path) ORDER BY pr.id DESC LIMIT 500");
    db_bind_int(s, 1, user_id);
    return db_rows(s);
}

json_t *store_proposals_of_task(db *d, int64_t task_id)
{
    db_stmt *s = db_prepare(d, PROPOSAL_COLS "WHERE pr.task_id = ? ORDER BY pr.id");
    db_bind_int(s, 1, task_id);
    return db_rows(s);
}

json_t *store_proposals_of_plan(db *d, int64_t plan_id)
{
    db_stmt *s = db_prepare(d, PROPOSAL_COLS "WHERE t.plan_id = ? ORDER BY t.sort, pr.id");
    db_bind_int(s, 1, plan_id);
    return db_rows(s);
}

json_t *store_proposal_get(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, PROPOSAL_COLS "WHERE pr.id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

enum store_status store_proposal_decide(db *d, int64_t id, int64_t user_id, bool accept, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    /* One statement decides, so of two people deciding at once only the first finds it pending. */
    db_stmt *s = db_prepare(d, "UPDATE task_unit_proposal SET status = ?, decided_by = ?, decided_at = ? "
                               "WHERE id = ? AND status = 'proposed' RETURNING task_id");
    db_bind_text(s, 1, accept ? "accepted" : "declined");
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    int64_t task = db_scalar_int(s, 0);
    if (!task)
        return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_CONFLICT, "Đề nghị này đã được quyết định trước đó.");
    if (!accept) return STORE_OK;
    /* The task and each of its periods, as the plan's own units were saved. */
    s = db_prepare(d, "INSERT INTO task_unit (task_id, role, name, org_id) "
                      "SELECT t.id, pr.role, pr.name, pr.org_id FROM task_unit_proposal pr, task t "
                      "WHERE pr.id = ? AND (t.id = pr.task_id OR t.instance_of = pr.task_id) "
                      "ON CONFLICT (task_id, role, name) DO NOTHING");
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
