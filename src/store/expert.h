/* The national network of digital transformation experts in SQL: profiles (migration 0021), requests of units with the
 * experts matched to them, activities, and the quarterly report. Must not know about HTTP nor decide who may write
 * (web/ asks authz()); writes run inside the caller's transaction, which also holds the audit entry. */
#ifndef DXDAY_STORE_EXPERT_H
#define DXDAY_STORE_EXPERT_H
#include <stdbool.h>
#include "store/result.h"

/* The parts of a profile an expert may choose to show (public_fields); name, province and fields always show. */
extern const char *const expert_public_keys[];
/* Activity kinds and request modes, NULL-terminated, with their Vietnamese labels at the same index. */
extern const char *const expert_activity_kinds[], *const expert_activity_kind_labels[];
extern const char *const expert_modes[], *const expert_mode_labels[];
const char *expert_label(const char *const codes[], const char *const labels[], const char *code);

struct expert_in {
    const char *name;            /* NFC */
    const char *title, *organisation, *email, *phone, *bio;   /* NULL or "": none */
    int64_t org_id, province_id;  /* 0: none */
    json_t *languages;           /* array of codes */
    json_t *fields;              /* array of expert_field codes, at least one */
    json_t *public_fields;       /* array among expert_public_keys */
    int accepts_requests;
    const char *trained_on;      /* NULL or YYYY-MM-DD */
    const char *status;          /* create only: 'pending' (applied, nominated) or 'approved' (the centre's import) */
    int64_t user_id;             /* create only: 0 for none */
    int64_t nominated_by_org;    /* create only: 0 when the expert applied */
};
/* A new profile; STORE_CONFLICT when user_id already has one, STORE_INVALID (field "fields") for an unknown field. */
enum store_status store_expert_create(db *d, const struct expert_in *in, int64_t by, const char *now, int64_t *id,
                                      struct store_result *res);
/* Replaces the profile's fields (not user, status nor nomination); STORE_NOT_FOUND. */
enum store_status store_expert_update(db *d, int64_t id, const struct expert_in *in, const char *now, struct store_result *res);
/* approved, paused or removed, with the reason; STORE_CONFLICT when it already has that status. */
enum store_status store_expert_set_status(db *d, int64_t id, const char *status, const char *reason, const char *now,
                                          struct store_result *res);
/* The whole profile, private parts included: {id, user_id, name, title, organisation, org_id, org_name, province_id,
 * province_name, email, phone, languages (array), bio, public_fields (array), accepts_requests, trained_on, status,
 * status_reason, nominated_by_org, nominated_by_name, created_at, updated_at, fields: [{code, name}]}. */
enum store_status store_expert_get(db *d, int64_t id, json_t **out, struct store_result *res);
/* The profile id of an account, 0 when none. */
int64_t store_expert_of_user(db *d, int64_t uid);
/* Gives the profile its account: STORE_CONFLICT when the profile has one already or the account is another expert's
 * (one account is one expert), STORE_NOT_FOUND when there is no such profile. */
enum store_status store_expert_link_user(db *d, int64_t id, int64_t uid, const char *now, struct store_result *res);
/* The account whose login is this e-mail (lower case), 0 when none. */
int64_t store_expert_account_by_email(db *d, const char *email);
/* Whether the field code names an active field. */
bool store_expert_field_ok(db *d, const char *code);

struct expert_query {
    const char *status;     /* NULL: any; else one status */
    const char *folded;     /* NULL, or text_fold'ed words the name must contain, in order */
    const char *field;      /* NULL or a field code */
    int64_t province_id;    /* 0: any */
    int64_t nominated_within;  /* 0, or only experts nominated by a unit of this subtree */
    int limit, offset;
};
/* {items: [full profiles as store_expert_get, without fields' names: fields is [{code, name}] too], total}. */
enum store_status store_experts_find(db *d, const struct expert_query *q, json_t **out, struct store_result *res);
/* [{code, name}] of the active fields, in the centre's order. */
enum store_status store_expert_fields(db *d, json_t **out, struct store_result *res);
/* [{id, code, name}] of the provinces open today, by name. */
enum store_status store_expert_provinces(db *d, json_t **out, struct store_result *res);
/* The province (kind 'province') a unit lies in, 0 when none (the nation, a ministry). */
int64_t store_expert_province_of(db *d, int64_t org_id);

/* ---- requests ---- */
struct expert_request_in {
    int64_t org_id;
    const char *topic, *field_code, *starts_on, *ends_on, *mode, *place, *note;
};
enum store_status store_expert_request_create(db *d, const struct expert_request_in *in, int64_t by, const char *now,
                                              int64_t *id, struct store_result *res);
/* {id, org_id, org_code, org_name, parent_id, topic, field_code, field_name, starts_on, ends_on, mode, place, note,
 * status, created_at, matches: [{expert_id, name, status, matched_at, answered_at}], activities: [...]}. */
enum store_status store_expert_request_get(db *d, int64_t id, json_t **out, struct store_result *res);
/* The requests an account sees, newest first: all (everything), else those of units within the subtrees where uid is
 * an officer, coordinator or admin, and those expert_id (0: none) is matched to. */
enum store_status store_expert_requests_list(db *d, int64_t uid, bool all, int64_t expert_id, json_t **out,
                                             struct store_result *res);
/* Proposes an approved expert who accepts requests; STORE_CONFLICT when the request is done or cancelled or the expert
 * is matched already, STORE_INVALID (field "expert_ids") when the expert cannot be proposed. The request becomes
 * matched. */
enum store_status store_expert_match(db *d, int64_t request_id, int64_t expert_id, int64_t by, const char *now,
                                     struct store_result *res);
/* accept or decline a proposal; STORE_NOT_FOUND when the expert is not matched, STORE_CONFLICT when already answered
 * or the request is closed. */
enum store_status store_expert_answer(db *d, int64_t request_id, int64_t expert_id, bool accept, const char *now,
                                      struct store_result *res);

/* ---- activities ---- */
struct expert_activity_in {
    int64_t expert_id, org_id, request_id;  /* request_id 0: none */
    const char *kind, *held_on, *field_code, *result;
    int64_t participants;
};
/* A new activity; with a request, the expert must have accepted it (else STORE_CONFLICT) and the request is done. */
enum store_status store_expert_activity_add(db *d, const struct expert_activity_in *in, int64_t by, const char *now,
                                            int64_t *id, struct store_result *res);
/* An expert's activities, newest first: [{id, kind, held_on, org_id, org_name, participants, result, field_code,
 * field_name, request_id}]. */
enum store_status store_expert_activities(db *d, int64_t expert_id, json_t **out, struct store_result *res);
/* The quarter [from, to] per field and province: {rows: [{field_code, field_name, province_id, province_name, experts,
 * activities, units, waiting}], totals: {experts, activities, units, waiting}, trained}. experts: approved experts
 * now; activities and units (distinct units served) within the dates, by the served unit's province; waiting:
 * requests open or matched now, by the requesting unit's province. trained: experts (not removed) with trained_on. */
enum store_status store_expert_report(db *d, const char *from, const char *to, json_t **out, struct store_result *res);
#endif
