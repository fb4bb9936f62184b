/* What the members of a Community Digital Technology Team have learnt: the MOOC's team-audience courses against each
 * member with an account. Must not decide who may read it (web/ checks the team is readable first), nor write. */
#ifndef DXDAY_STORE_TEAM_TRAINING_H
#define DXDAY_STORE_TEAM_TRAINING_H
#include "store/result.h"

/* {courses: [{slug, title, url}], members: [{member_id, name, user_id, user_email, finished, courses: [{slug, title,
 * status: "done" | "taking" | "not_started", percent, enrolled_at, completed_at, certificate: {code, url} | null}]}],
 * with_account, finished} for the active members of team_id who have an account, by name; courses are those of audience
 * 'team' that are open or closed (never drafts), by title. finished counts members who finished at least one. */
enum store_status store_team_training(db *d, int64_t team_id, json_t **out, struct store_result *res);
#endif
