/* The guidance log as a report's figure: people the Community Digital Technology Teams guided in a unit and its subtree
 * over a span of days, read from the daily totals, with what the figure was made of. Must not know about forms, HTTP or
 * roles (the caller names a unit the user may see), and must not write. */
#ifndef DXDAY_STORE_GUIDANCE_REPORT_H
#define DXDAY_STORE_GUIDANCE_REPORT_H
#include <stdint.h>
#include <jansson.h>
#include "store/db.h"

/* {value: people guided, entries, teams: teams of the subtree with an entry in the span, from, to: the first and last
 * day with an entry (null when there is none)} for org_id's subtree between from and to (YYYY-MM-DD, inclusive).
 * NULL for an unknown unit or a database error (see db_failed). */
json_t *store_guidance_report(db *d, int64_t org_id, const char *from, const char *to);
#endif
