/* Door-to-door campaigns ("đi từng ngõ, gõ từng nhà"): the centre's campaigns and targets, the live figures of a
 * campaign read from the guidance aggregates (guidance_day*), never by summing guidance_entry. Must not know about HTTP. */
#ifndef DXDAY_STORE_DTD_H
#define DXDAY_STORE_DTD_H
#include "store/db.h"
#include "store/result.h"

/* Longest window a campaign may have, in days. */
#define DTD_MAX_DAYS 366

/* Every guidance service [{code, name, active}] in their order. */
json_t *store_dtd_services(db *d);
/* Every campaign [{id, name, starts_on, ends_on, services: [codes], people, entries}] newest first; people and
 * entries are nation-wide totals of the window. */
json_t *store_dtd_campaigns(db *d);
/* {id, name, starts_on, ends_on, services: [codes], targets: [{org_id, code, name, people}]} or NULL. */
json_t *store_dtd_campaign(db *d, int64_t id);
/* Creates (id 0) or replaces a campaign in the caller's transaction. in: {name, starts_on, ends_on (ISO),
 * services: [codes], targets: {province code: people}}. Fields already in res->fields (the caller's own checks)
 * make it STORE_INVALID too; nothing is written then. *out_id: the campaign's id. */
enum store_status store_dtd_campaign_save(db *d, int64_t id, json_t *in, int64_t user_id, int64_t *out_id,
                                          struct store_result *res);
/* The provinces open today [{id, code, name}] by name: the units a target may name. */
json_t *store_dtd_provinces(db *d);
/* The campaign open on today (ISO) that began last, with its nation-wide {people, entries}; NULL when none. */
json_t *store_dtd_open(db *d, const char *today);

/* What the live page needs beyond the public figures. */
struct dtd_live_opts { int top_units; int idle_teams; };
/* The figures of a campaign for a unit's subtree: {node, crumbs, total, by_service, by_day, children, targets,
 * top_units, idle_teams: {count, items}}. With zero opts, top_units and idle_teams are left out (the public view:
 * counts by service, day and unit only). NULL when the node is unknown. */
json_t *store_dtd_live(db *d, json_t *campaign, int64_t node, const struct dtd_live_opts *opts);
/* The highest unit where the user may watch campaigns (viewer, officer, coordinator or admin), or 0. */
int64_t store_dtd_home_unit(db *d, int64_t user_id);

/* Honours of a campaign [{id, kind: team|member, team, member, unit, province, citation, created_at}] (public). */
json_t *store_dtd_honours(db *d, int64_t campaign_id);
/* Teams the centre may honour: those whose name holds folded q (text_fold), else the campaign's most active teams, each
 * with its people guided in the window and its active members [{id, name, unit, province, people, members: [{id, name,
 * team_role}]}]. Staff only: it names leaders and members. */
json_t *store_dtd_honour_candidates(db *d, json_t *campaign, const char *q_folded, int limit);
/* Marks a team or a member (exactly one of team_id, member_id) in the caller's transaction. */
enum store_status store_dtd_honour_add(db *d, int64_t campaign_id, int64_t team_id, int64_t member_id, const char *citation,
                                       int64_t user_id, int64_t *out_id, struct store_result *res);
#endif
