/* What the team pages share: who may edit a team, the team named in the request (404 when the caller may not read
 * it), and the checks of a member's fields that the form and the roster upload both make. Private to page_team_*.c;
 * must not see SQL. */
#ifndef DXDAY_WEB_TEAM_H
#define DXDAY_WEB_TEAM_H
#include "http/app.h"
#include "store/team.h"

/* Officer, coordinator or admin on the unit or a unit above it (the centre: on 'vn'). */
bool team_may_edit(struct req *r, int64_t org_id);

/* The team of the {id} path part, or NULL with the answer sent: 404 when there is none or the caller may not read it;
 * for_write, 403 when the caller may read it or not but may not edit it. */
json_t *team_load(struct req *r, bool for_write);

/* A member's fields as typed (a form, JSON, or a roster row), checked: out points into bufs; errors gets a message per
 * field ("name", "team_role", "origin", "phone", "email"). Role and origin accept their codes or their Vietnamese
 * words with or without diacritics; an empty role is "member", an empty origin "volunteer". */
struct member_bufs { char *name; char role[32], origin[32], phone[13], email[256]; };
void team_member_check(const char *name, const char *role, const char *origin, const char *phone, const char *email,
                       struct member_in *out, struct member_bufs *bufs, json_t *errors);
void team_member_bufs_free(struct member_bufs *b);

/* Adds phone_display to each member: "+84912000101" as people read it, "0912 000 101". */
void team_phones(json_t *members);

/* [{code, label}] of the roles and origins, with selected set on the one given; for the forms. */
json_t *team_choices(const char *const codes[], const char *const labels[], const char *selected);

/* A request field: the form or query parameter, else the JSON body's string. */
const char *team_field(struct req *r, const char *k);
/* Today in Asia/Ho_Chi_Minh (ISO) and now in UTC (ISO-8601). */
void team_today(char out[11]);
void team_now(char out[21]);
#endif
