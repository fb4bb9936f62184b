/* A plan's targets (chỉ tiêu) and the actual values units report for them per year, with progress towards each. Must
 * not know about HTTP nor decide who may report: the caller checks the reporter's role on the unit. */
#ifndef DXDAY_STORE_PLAN_TARGET_H
#define DXDAY_STORE_PLAN_TARGET_H
#include "store/db.h"
#include "store/result.h"

/* Checks plan.targets (the importer's shape, maybe corrected): adds {"targets[i].field": message} to errors. */
void store_plan_targets_check(json_t *plan, json_t *errors);
/* Saves plan.targets for a new plan in the caller's transaction and indexes them for search and the assistant
 * (kind "target", one passage set per plan, linking to /ke-hoach/{id}#chi-tieu). 0 or -1. */
int store_plan_targets_save(db *d, int64_t plan_id, json_t *plan, const char *on, int64_t issuer_id);
/* [{id, ref, indicator, measure, value, op, lo, hi, year, agency, agency_id, warnings, actual: {year, value, org_name,
 * reported_at} | null, values: [...], progress: 0..100 | null, met: bool | null}] in the plan's order. */
json_t *store_plan_targets(db *d, int64_t plan_id);
/* {id, plan_id, indicator, agency_id, issuer_id} of one target, or NULL. */
json_t *store_plan_target_get(db *d, int64_t id);

struct target_report {
    int64_t target_id, org_id, user_id;
    int year;
    double value;
    const char *value_text, *note;
};
/* Records (or replaces) the unit's actual value for the year, in the caller's transaction: STORE_OK, NOT_FOUND,
 * BUSY or ERROR. */
enum store_status store_plan_target_report(db *d, const struct target_report *in, struct store_result *res);
/* Progress towards a target given its operator and bounds and an actual value: 0..100, and whether it is met. */
int plan_target_progress(const char *op, double lo, double hi, double actual, bool *met);
#endif
