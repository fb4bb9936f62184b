/* The guidance log of the Community Digital Technology Teams: one visit's counts (never a citizen's name or number),
 * recorded once per phone-made client_id, with the per-unit daily aggregates kept in the same transaction. Must not
 * know about HTTP or decide roles: the caller says whether the author logs as a member or on behalf of the team. */
#ifndef DXDAY_STORE_GUIDANCE_H
#define DXDAY_STORE_GUIDANCE_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "store/db.h"
#include "store/result.h"

#define GUIDANCE_MAX_PEOPLE 500
#define GUIDANCE_MAX_PLACE 200   /* characters, not bytes */

/* A team as the log needs it: {id, org_id, org_name, name, active, founded_on}, or NULL (see db_failed). */
json_t *store_guidance_team(db *d, int64_t team_id);
/* The caller's standing in a team: 1 an active member whose account is user_id, 0 such a member made inactive, -1 none
 * (or a database error: see db_failed). */
int store_guidance_membership(db *d, int64_t user_id, int64_t team_id);
/* The teams user_id may log for, active ones only, by name: those it is an active member of (holding team_member on the
 * team's unit) and, when it is an officer, coordinator or admin, those below its units; at most limit. Each
 * {id, name, org_name, founded_on, member (1 when logging as a member), places: [recent place names]}. */
json_t *store_guidance_teams_for(db *d, int64_t user_id, int limit);
/* The active services, in their order: [{code, name}]. */
json_t *store_guidance_services(db *d);

/* An entry as stored: {id, client_id, team_id, team_name, user_id, day, place, people, male, female, age_u18,
 * age_18_35, age_36_59, age_60p, services: [codes], created_at}; NULL when there is none (see db_failed). */
json_t *store_guidance_by_client(db *d, const char *client_id);

struct guidance_author {
    int64_t user_id;
    int64_t team_id;
    bool as_member;   /* logs as the team's member: the membership must still be active when the entry is written */
};

/* Validates body ({client_id, day: YYYY-MM-DD, place?, people, male?, female?, age_u18?, age_18_35?, age_36_59?,
 * age_60p?, services: [codes]}) and records it with its services and the aggregates guidance_day and
 * guidance_day_service of the team's unit, in one transaction. *created is true for a new entry; the same client_id
 * sent again by the same author for the same team gives the first entry with *created false and writes nothing.
 * STORE_INVALID with a message per field (nothing written); STORE_CONFLICT when the client_id belongs to another
 * author or team; STORE_FORBIDDEN when the team (or, as_member, the membership) is no longer active; STORE_NOT_FOUND
 * for an unknown team. *entry (on STORE_OK) as store_guidance_by_client gives it. */
enum store_status store_guidance_record(db *d, const struct guidance_author *who, json_t *body, json_t **entry,
                                        bool *created, struct store_result *res);

/* The author's entries, newest first: {items: [entry], page, pages, total}; page counts from 1. NULL on an error. */
json_t *store_guidance_mine(db *d, int64_t user_id, int page, int per_page);

/* Whether a client_id made on a phone is acceptable: 8 to 64 of A-Z a-z 0-9 and '-' (a UUID is 36). Pure. */
bool guidance_client_id_ok(const char *s);
#endif
