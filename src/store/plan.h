/* Plans, their tasks, progress updates and the buckets computed from dates. Must not know about HTTP or
 * files on disk: callers hand in JSON and checked values. */
#ifndef DXDAY_STORE_PLAN_H
#define DXDAY_STORE_PLAN_H
#include "store/db.h"
#include "store/result.h"

struct plan_meta {
    const char *source_kind;   /* docx, pdf, txt, md, paste */
    const char *source_name;
    const char *source_sha256;
    const char *source_text;
    int64_t created_by;        /* 0: the command line (unrestricted); else the saver, whose scope bounds the plan */
    int64_t parent_id;         /* 0: found from the cited numbers, if any plan has one */
};

/* Checks a plan's JSON (the importer's shape, possibly corrected by a person). Returns NULL when it can be
 * saved, else an object {field: message} (tasks' fields as "tasks[3].due"). */
json_t *store_plan_check(db *d, json_t *plan);
/* Whether the saver (meta->created_by) may name what the plan names: the issuer must be a unit within the saver's
 * subtree (an issuer the resolver cannot place only for a national saver), an explicit parent plan one the saver's
 * units carry out (store_plan_parent_allowed), and every lead unit within the subtree. Partners outside it are not
 * refused: they are saved as proposals their own units accept. NULL when allowed (always, without a saver), else
 * {field: message naming the units}. Writes nothing. */
json_t *store_plan_scope_check(db *d, json_t *plan, const struct plan_meta *meta);
/* Saves a checked plan with its tasks, units, recurrence instances and report deadlines in the caller's
 * transaction. With a saver, refuses (0, nothing written) what store_plan_scope_check refuses, takes a parent from the
 * cited numbers only among plans the saver may hang under, and saves partners outside the saver's subtree as
 * proposals. Returns the new plan id, or 0. */
int64_t store_plan_save(db *d, json_t *plan, const struct plan_meta *meta);

/* Scope (plan_scope.c): roles officer, coordinator and admin on a unit cover its subtree. */
bool store_org_in_scope(db *d, int64_t user_id, int64_t org_id);
/* The user holds such a role on the root of the tree: every unit is in scope. */
bool store_user_national(db *d, int64_t user_id);
/* The plan exists and the user may hang a plan under it. */
bool store_plan_parent_allowed(db *d, int64_t user_id, int64_t plan_id);
/* [{org_id}]: the units where the user holds such a role (the roots of their scope), each once. */
json_t *store_user_scope_units(db *d, int64_t user_id);

/* Proposed partners (task_proposal.c), outside task_unit until accepted. */
int store_task_propose(db *d, int64_t task_id, const char *role, const char *name, int64_t org_id, int64_t user_id);
/* Pending proposals to units within the user's scope, newest first. */
json_t *store_proposals_pending(db *d, int64_t user_id);
json_t *store_proposals_of_task(db *d, int64_t task_id);
json_t *store_proposals_of_plan(db *d, int64_t plan_id);
/* {id, task_id, role, name, org_id, org_name, status, ...} or NULL. */
json_t *store_proposal_get(db *d, int64_t id);
/* Accepts (the unit joins the task and its periods) or declines a pending proposal in the caller's transaction:
 * STORE_OK, CONFLICT when it is no longer pending, BUSY or ERROR. */
enum store_status store_proposal_decide(db *d, int64_t id, int64_t user_id, bool accept, struct store_result *res);

/* Plans, newest first, with their parent and task counts. */
json_t *store_plans_list(db *d);
/* [{id, number, title}] of the newest plans, for a parent-plan picker. */
json_t *store_plan_choices(db *d, int limit);
/* [{name}] of the units a plan from 2022 on may name (open then or now), for the import review's suggestions. */
json_t *store_plan_unit_choices(db *d);
/* How many plans the store holds (-1 never: 0 on an error, see db_failed). */
int64_t store_plans_count(db *d);
/* {id, number, title} of one plan, or NULL. */
json_t *store_plan_brief(db *d, int64_t id);
/* One plan with tasks (and buckets as of today), cites, children plans, ancestors, report deadlines. */
json_t *store_plan_get(db *d, int64_t id, const char *today);

struct task_query {
    int64_t plan_id;       /* 0: any */
    int64_t org_id;        /* 0: any; else tasks naming this unit or a unit below it */
    const char *role;      /* "lead", "partner" or NULL for both */
    const char *bucket;    /* done_on_time, done_late, not_due, overdue, or NULL */
    const char *today;     /* ISO */
    int year;              /* 0: any; else tasks of the plans of this campaign year (or issued in it) */
    int limit, offset;
};
/* {items: [...], total, all, buckets: {done_on_time: n, ...}}; each item's lead and partners carry their own status
 * and progress, with leads_done/leads_total. */
json_t *store_tasks_find(db *d, const struct task_query *q);
/* {done_on_time: n, done_late: n, not_due: n, overdue: n} over the tasks q takes (bucket, limit and offset aside):
 * the one count the task list, the inboxes and the dashboard all show. */
json_t *store_task_buckets(db *d, const struct task_query *q);
/* One task with units, plan, parent task, instances and updates; NULL when none. */
json_t *store_task_get(db *d, int64_t id, const char *today);
/* The id of the task numbered ref in the plan numbered plan_number (the first such), or 0. */
int64_t store_task_by_ref(db *d, const char *plan_number, const char *ref);

struct task_update_in {
    int64_t task_id, org_id, user_id;
    const char *status;    /* not_started, in_progress, done */
    int progress;
    const char *note, *evidence_url, *evidence_sha, *obstacles;
    const char *today;     /* ISO: the done date when status becomes done */
};
/* Records an update of one unit's own status/progress, then derives the task's from its resolved lead units (done
 * when all are; progress their mean), or takes the update as the task's when it has none; in the caller's
 * transaction: STORE_OK, NOT_FOUND when the task is gone, BUSY or ERROR. */
enum store_status store_task_update(db *d, const struct task_update_in *u, struct store_result *res);

/* The SQL expression giving a task row t's bucket for today bound as the given placeholders. */
#define TASK_BUCKET_SQL                                                                                 \
    "CASE WHEN t.status = 'done' AND (COALESCE(t.due, t.window_to) IS NULL OR t.done_on <= COALESCE(t.due, t.window_to)) " \
    "THEN 'done_on_time' WHEN t.status = 'done' THEN 'done_late' "                                     \
    "WHEN COALESCE(t.due, t.window_to) < ? THEN 'overdue' ELSE 'not_due' END"
#endif
