/* Submissions: one per form, unit and period, saved as drafts, submitted, approved or returned, each change
 * kept in the history and reflected in the running totals in the same transaction. Must not know about HTTP. */
#ifndef DXDAY_STORE_SUBMISSION_H
#define DXDAY_STORE_SUBMISSION_H
#include "store/db.h"
#include "store/result.h"
#include "core/rperiod.h"

struct sub_put {
    json_t *form;                 /* store_form_get() */
    const struct rperiod *period;
    int64_t org_id, user_id;
    const char *action;           /* save (a draft), submit, upload (submitted from a spreadsheet) */
    json_t *values;               /* form_values_check()'s output */
    const char *comment;
    const char *file_sha, *file_name;  /* an attachment already stored as a blob, or NULL */
    int64_t plan_id;              /* a plan read from the attachment, or 0 */
    const char *today;            /* ISO day in Asia/Ho_Chi_Minh */
};

/* Whether the unit may still write this period: STORE_OK, or CONFLICT with the reason when the period is locked (and
 * the unit has no exception), the submission is approved, or a draft would overwrite a submitted report. Writes nothing. */
enum store_status store_submission_check(db *d, json_t *form, const struct rperiod *p, int64_t org_id, const char *action,
                                         const char *today, struct store_result *res);
/* Checks (as above) and saves in one transaction, nested in the caller's when there is one; *id is the submission's.
 * CONFLICT with the reason, NOT_FOUND for an unknown unit, BUSY or ERROR: then nothing is written. */
enum store_status store_submission_save(db *d, const struct sub_put *in, int64_t *id, struct store_result *res);
/* Approves or returns a submitted report, reading its state under the write lock. CONFLICT when it is not (or no longer)
 * submitted, NOT_FOUND when there is no such report, FORBIDDEN when user_id submitted the version under review (approval
 * is a second pair of eyes, even for an officer who may write for the unit below), BUSY or ERROR. */
enum store_status store_submission_decide(db *d, int64_t sub_id, int64_t user_id, bool approve, const char *note,
                                          struct store_result *res);
/* Who submitted the version now under review (the latest submit or upload), or 0. */
int64_t store_submission_submitter(db *d, int64_t sub_id);

/* The older shape of the three calls above, kept for the seeders and the unit tests: why a write was refused, in
 * Vietnamese, empty when it was not; forbidden when it is not this person's to do. */
struct sub_refusal { char why[200]; bool forbidden; };
bool store_submission_writable(db *d, json_t *form, const struct rperiod *p, int64_t org_id, const char *action,
                               const char *today, struct sub_refusal *why);
/* The submission id, 0 when refused (why filled), -1 on a store error. */
int64_t store_submission_put(db *d, const struct sub_put *in, struct sub_refusal *why);
/* 0 (why empty on success, filled on a refusal), or -1 on a store error. */
int store_submission_review(db *d, int64_t sub_id, int64_t user_id, bool approve, const char *note, struct sub_refusal *why);
/* {id, form_id, org_id, period, status, version, on_time, submitted_at, values: {code: v}, history: [...]} or NULL. */
json_t *store_submission_get(db *d, int64_t form_id, int64_t org_id, const char *period);
json_t *store_submission_by_id(db *d, int64_t id);
#endif
