/* Turns a parsed plan (core/plan_parse) into the importer's JSON and resolves the unit names it contains
 * against the store. Must not write to the store: saving is store_plan_save()'s job. */
#ifndef DXDAY_PLAN_JSON_H
#define DXDAY_PLAN_JSON_H
#include <jansson.h>
#include "core/plan_parse.h"
#include "store/db.h"

/* The JSON of `import-plan --json`: number, issued, issuer, title, theme, cites, tasks (with lead_ids,
 * partner_ids, warnings), report_deadlines. Unit names resolve on the plan's date, preferring units inside
 * the issuer's subtree. d may be NULL: then ids are empty. */
json_t *plan_to_json(db *d, const struct plan_doc *doc);

/* Reads a file's bytes, extracts its text, parses it and returns the JSON above; on failure NULL with
 * *status set to an HTTP-like status (413, 415, 422) and *message to a Vietnamese message. */
json_t *plan_import_bytes(db *d, const unsigned char *data, size_t len, const char *filename, int *status,
                          const char **message, char **text_out);
#endif
