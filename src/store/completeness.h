/* Completeness and timeliness of one form and period over the unit tree: who was expected, who sent it, who sent
 * it on time — rolled up from every unit to the nation, in the tree as it was on the due date (historical) or
 * as it is today with closed units' reports counted under their successors (current). Nothing is rewritten:
 * the mapping is made at read time. Must not know about HTTP. */
#ifndef DXDAY_STORE_COMPLETENESS_H
#define DXDAY_STORE_COMPLETENESS_H
#include "store/db.h"
#include "store/org_index.h"
#include "core/rperiod.h"

struct comp_counts { int expected, received, on_time, extra; };  /* extra: received from units not expected */

struct comp;
/* today: the day "current" means. Returns NULL on a store error. */
struct comp *comp_compute(db *d, json_t *form, const struct rperiod *p, bool current, struct ymd today);
void comp_free(struct comp *c);
const struct org_index *comp_index(const struct comp *c);
struct comp_counts comp_node(const struct comp *c, int64_t node);
/* {id, code, name, kind, level, expected, received, on_time, extra, rate, on_time_rate} */
json_t *comp_counts_json(const struct comp *c, int i);
/* The node's children in this view that expect or received anything, by name. */
json_t *comp_children(const struct comp *c, int64_t node);
/* The expected units at or below node with their state (received, on_time, status), missing ones first. */
json_t *comp_units(const struct comp *c, int64_t node, int limit);
/* Whether unit org is expected for this form and period. */
bool comp_expected(const struct comp *c, int64_t org);
/* Where a unit sits in this view: its own index (historical) or its successor's (current); -1 when unknown. */
int comp_place(const struct comp *c, int i);
/* Totals of the numeric indicators received at or below node, split by the node's children in this view:
 * {"node": {code: total}, "children": {"<child id>": {code: total}}}. The nation reads the running totals;
 * other nodes read the submissions of their province (and its predecessors). */
json_t *comp_totals(db *d, const struct comp *c, json_t *form, const char *period, int64_t node);
#endif
