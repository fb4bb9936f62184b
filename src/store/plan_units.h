/* How a plan's unit names resolve for the importer's review and its save: the same answer in both places, with the
 * candidates of an ambiguous name. Must not write anything. */
#ifndef DXDAY_STORE_PLAN_UNITS_H
#define DXDAY_STORE_PLAN_UNITS_H
#include "store/db.h"
#include "store/org.h"

/* org_resolve, except that a province's department named without its province ("Sở Nội vụ") in a plan whose issuer is
 * not known (within == 0) is not taken on trust: it comes back AMBIGUOUS with that unit as its only candidate. */
struct org_resolved store_plan_resolve_unit(db *d, const char *name, const char *on, int64_t within);
/* {name, status: "found"|"ambiguous"|"unknown", id, unit, candidates: [{id, name}], hint} for the review page: what a
 * written name resolved to. Candidates of an ambiguous name are all matching units open on `on` (up to 80). */
json_t *store_plan_unit_review(db *d, const char *name, const char *on, int64_t within);
/* Units any of whose names holds every word of q (folded: with or without diacritics), for the review's search:
 * [{id, name, parent_name}], at most limit. */
json_t *store_plan_unit_search(db *d, const char *q, int limit);
#endif
