/* A saved plan after the import: finding a duplicate before saving, editing it with its history kept. Must not know
 * about HTTP nor decide who may edit: the caller checks that the editor owns the plan. */
#ifndef DXDAY_STORE_PLAN_EDIT_H
#define DXDAY_STORE_PLAN_EDIT_H
#include "store/db.h"
#include "store/result.h"

/* {id, number, title} of a saved plan that the new one would duplicate: the same number from the same issuer (numbers
 * compared folded, issuers by resolved unit or by folded name), or the same source text (sha256). NULL when none. */
json_t *store_plan_duplicate(db *d, const char *number, const char *issuer, const char *source_sha256);
/* {id, created_by, issuer_id} of a plan, or NULL. */
json_t *store_plan_owner(db *d, int64_t id);
/* Applies the changes {title?, number?, issued?, issuer?, tasks?: [{id, title?, due?, deliverable?}]} in the caller's
 * transaction, writing one plan_history row per changed field. INVALID (with fields) on a bad value, NOT_FOUND when
 * the plan or a task of it is gone; *changed counts the fields that changed. */
enum store_status store_plan_edit(db *d, int64_t plan_id, json_t *changes, int64_t user_id, int *changed,
                                  struct store_result *res);
/* Document-level warnings the importer left open when the plan was saved: [string]. */
json_t *store_plan_review_notes(db *d, int64_t plan_id);
/* [{field, task_id, task_ref, old_value, new_value, user_name, at}], newest first. */
json_t *store_plan_history(db *d, int64_t plan_id);
#endif
