/* Community Digital Technology Teams (Tổ công nghệ số cộng đồng) and their members: the list a user may read, one team
 * with its members, and the writes. Must not know about HTTP nor decide who may write (web/ asks authz()); writes run
 * inside the caller's transaction, which also holds the audit entry. */
#ifndef DXDAY_STORE_TEAM_H
#define DXDAY_STORE_TEAM_H
#include <stdbool.h>
#include "store/result.h"

/* The codes a member's team_role and origin take, NULL-terminated, with their Vietnamese labels at the same index. */
extern const char *const team_roles[], *const team_role_labels[];
extern const char *const team_origins[], *const team_origin_labels[];
/* The label of a code, or NULL when it is none of them. */
const char *team_role_label(const char *code);
const char *team_origin_label(const char *code);

struct team_query {
    int64_t viewer;       /* teams this account may read: a staff role above the team's unit, or its own team */
    int64_t within;       /* 0, or a unit: teams of it and its subtree */
    const char *folded;   /* NULL, or text_fold'ed words the name must contain */
    int active;           /* -1 any, 0 inactive, 1 active */
    int limit, offset;
};
/* {items: [{id, name, org_id, org_code, org_name, leader_name, contact, active, founded_on, members}], total, active,
 * members} where total, active and members count every team that matches (not only this page's). */
enum store_status store_teams_find(db *d, const struct team_query *q, json_t **out, struct store_result *res);

/* Whether account uid may read the team: a role of admin, coordinator, officer or viewer on its unit or above, or an
 * active member's account. False on an engine error too (db_failed tells). */
bool store_team_readable(db *d, int64_t team_id, int64_t uid);

/* One team {id, name, org_id, org_code, org_name, org_kind, leader_name, contact, active, founded_on, created_at,
 * members: [{id, name, team_role, origin, phone, email, user_id, user_email, active}]}; STORE_NOT_FOUND when none. */
enum store_status store_team_get(db *d, int64_t id, json_t **out, struct store_result *res);

/* Whether a unit may hold teams (a commune or ward, a district, a Youth Union branch); false when no such unit. */
bool store_team_unit_ok(db *d, int64_t org_id);
/* The units that may hold teams [{id, code, name}] (at most 1,000, by name) within the subtrees where uid holds a
 * role that writes teams (officer, coordinator, admin) when write, else one that reads them (viewer too). */
enum store_status store_team_units(db *d, int64_t uid, bool write, json_t **out, struct store_result *res);

struct team_in {
    int64_t org_id;
    const char *name;         /* NFC */
    const char *leader_name;  /* NULL or "": none */
    const char *contact;
    const char *founded_on;   /* YYYY-MM-DD */
    int active;               /* 0 or 1 */
};
/* A new team; STORE_CONFLICT (field "name") when its unit already has a team of that name. */
enum store_status store_team_create(db *d, const struct team_in *in, int64_t by, const char *now, int64_t *id,
                                    struct store_result *res);
/* Replaces a team's fields (its unit included); STORE_NOT_FOUND, or STORE_CONFLICT as above. */
enum store_status store_team_update(db *d, int64_t id, const struct team_in *in, struct store_result *res);

struct member_in {
    const char *name;        /* NFC */
    const char *team_role;   /* one of team_roles */
    const char *origin;      /* one of team_origins */
    const char *phone;       /* NULL, or +84 normalised */
    const char *email;       /* NULL, or lower case */
    int active;
};
enum store_status store_member_add(db *d, int64_t team_id, const struct member_in *in, const char *now, int64_t *id,
                                   struct store_result *res);
/* STORE_NOT_FOUND when the team has no member mid. */
/* The team_member role of the team's members' accounts made to follow membership (active member of an active team of
 * the unit); 0, or -1 when the store failed. In the caller's transaction. */
int store_team_sync_roles(db *d, int64_t team_id);
enum store_status store_member_update(db *d, int64_t team_id, int64_t mid, const struct member_in *in,
                                      struct store_result *res);
/* One member of the team as store_team_get lists them (with team_id); STORE_NOT_FOUND when none. */
enum store_status store_member_get(db *d, int64_t team_id, int64_t mid, json_t **out, struct store_result *res);
/* Whether an active member of the team already has this phone (normalised), other than member `except`. */
bool store_member_phone_taken(db *d, int64_t team_id, const char *phone, int64_t except);
/* Links member mid to account uid; STORE_CONFLICT when the member has an account already or the account is linked to
 * another member of the same team. */
enum store_status store_member_link(db *d, int64_t team_id, int64_t mid, int64_t uid, struct store_result *res);
/* The id of the account whose login is this e-mail (lower case), 0 when none. */
int64_t store_team_account_by_email(db *d, const char *email);
#endif
