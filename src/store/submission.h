/* Submissions: one per form, unit and period, saved as drafts, submitted, approved or returned, each change
 * kept in the history and reflected in the running totals in the same transaction. Must not know about HTTP. */
#ifndef DXDAY_STORE_SUBMISSION_H
#define DXDAY_STORE_SUBMISSION_H
#include "store/db.h"
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

/* Why a write was refused with 409 (403 when forbidden: not this person's to do), in Vietnamese (for the user) —
 * empty when it was not. */
struct sub_refusal { char why[200]; bool forbidden; };

/* Whether the unit may still write this period: false with the reason when the period is locked (and the unit
 * has no exception), the submission is approved, or a draft would overwrite a submitted report. */
bool store_submission_writable(db *d, json_t *form, const struct rperiod *p, int64_t org_id, const char *action,
                               const char *today, struct sub_refusal *why);
/* Saves in the caller's transaction (or its own). Returns the submission id, 0 when refused (why filled), -1 on
 * a store error. */
int64_t store_submission_put(db *d, const struct sub_put *in, struct sub_refusal *why);
/* Approves or returns a submitted report. 0, or 409-style refusal (returns 0 with why empty on success). The person
 * who submitted the version under review cannot approve it (why filled, forbidden set): approval is a second pair of
 * eyes, even for an officer who may write for the unit below. */
/* Who submitted the version now under review (the latest submit or upload), or 0. */
int64_t store_submission_submitter(db *d, int64_t sub_id);
int store_submission_review(db *d, int64_t sub_id, int64_t user_id, bool approve, const char *note, struct sub_refusal *why);
/* {id, form_id, org_id, period, status, version, on_time, submitted_at, values: {code: v}, history: [...]} or NULL. */
json_t *store_submission_get(db *d, int64_t form_id, int64_t org_id, const char *period);
json_t *store_submission_by_id(db *d, int64_t id);
#endif
