/* Plans, their tasks, progress updates and the buckets computed from dates. Must not know about HTTP or
 * files on disk: callers hand in JSON and checked values. */
#ifndef DXDAY_STORE_PLAN_H
#define DXDAY_STORE_PLAN_H
#include "store/db.h"

struct plan_meta {
    const char *source_kind;   /* docx, pdf, txt, md, paste */
    const char *source_name;
    const char *source_sha256;
    const char *source_text;
    int64_t created_by;        /* 0: the command line */
    int64_t parent_id;         /* 0: found from the cited numbers, if any plan has one */
};

/* Checks a plan's JSON (the importer's shape, possibly corrected by a person). Returns NULL when it can be
 * saved, else an object {field: message} (tasks' fields as "tasks[3].due"). */
json_t *store_plan_check(db *d, json_t *plan);
/* Saves a checked plan with its tasks, units, recurrence instances and report deadlines in the caller's
 * transaction. Returns the new plan id, or 0. */
int64_t store_plan_save(db *d, json_t *plan, const struct plan_meta *meta);

/* Plans, newest first, with their parent and task counts. */
json_t *store_plans_list(db *d);
/* One plan with tasks (and buckets as of today), cites, children plans, ancestors, report deadlines. */
json_t *store_plan_get(db *d, int64_t id, const char *today);

struct task_query {
    int64_t plan_id;       /* 0: any */
    int64_t org_id;        /* 0: any; else tasks naming this unit or a unit below it */
    const char *role;      /* "lead", "partner" or NULL for both */
    const char *bucket;    /* done_on_time, done_late, not_due, overdue, or NULL */
    const char *today;     /* ISO */
    int limit, offset;
};
/* {items: [...], total, buckets: {done_on_time: n, ...}} */
json_t *store_tasks_find(db *d, const struct task_query *q);
/* One task with units, plan, parent task, instances and updates; NULL when none. */
json_t *store_task_get(db *d, int64_t id, const char *today);

struct task_update_in {
    int64_t task_id, org_id, user_id;
    const char *status;    /* not_started, in_progress, done */
    int progress;
    const char *note, *evidence_url, *evidence_sha, *obstacles;
    const char *today;     /* ISO: the done date when status becomes done */
};
/* Records an update and moves the task's status/progress; 0 or -1. */
int store_task_update(db *d, const struct task_update_in *u);

/* The SQL expression giving a task row t's bucket for today bound as the given placeholders. */
#define TASK_BUCKET_SQL                                                                                 \
    "CASE WHEN t.status = 'done' AND (COALESCE(t.due, t.window_to) IS NULL OR t.done_on <= COALESCE(t.due, t.window_to)) " \
    "THEN 'done_on_time' WHEN t.status = 'done' THEN 'done_late' "                                     \
    "WHEN COALESCE(t.due, t.window_to) < ? THEN 'overdue' ELSE 'not_due' END"
#endif
