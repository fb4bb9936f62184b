/* Plan drafts: what the importer read from an uploaded or pasted document, kept per user until they confirm it, and
 * the confirmation itself (check, save, drop the draft) as one transaction. Must not parse documents or know HTTP. */
#ifndef DXDAY_STORE_PLAN_DRAFT_H
#define DXDAY_STORE_PLAN_DRAFT_H
#include "store/db.h"
#include "store/result.h"
#include "store/plan.h"

struct plan_draft_in {
    int64_t user_id;
    json_t *plan;               /* the importer's JSON */
    const char *source_text;    /* the document as text, shown beside the draft */
    const char *source_kind, *source_name, *source_sha256;
};
/* Keeps a draft; *id is the new draft's. STORE_OK, or BUSY/ERROR with nothing written. */
enum store_status store_plan_draft_add(db *d, const struct plan_draft_in *in, int64_t *id, struct store_result *res);
/* The user's own draft: {plan (parsed), source_text, source_kind, source_name, source_sha}, or NULL when it is not
 * theirs or gone (db_failed tells a store error). */
json_t *store_plan_draft_get(db *d, int64_t id, int64_t user_id);

/* Checks and saves a reviewed plan in one transaction, and drops draft (0: none; else it must still be the saver's, so
 * two confirmations of one draft save one plan). INVALID with per-field messages when store_plan_check refuses it,
 * FORBIDDEN with per-field messages when store_plan_scope_check does, NOT_FOUND when the draft is gone, BUSY or ERROR;
 * *id is the new plan's on STORE_OK. Nests in the caller's transaction, so the caller's audit entry joins it. */
enum store_status store_plan_import(db *d, json_t *plan, const struct plan_meta *meta, int64_t draft, int64_t *id,
                                    struct store_result *res);
#endif
