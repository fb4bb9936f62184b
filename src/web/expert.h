/* What the expert network's pages share: who is the centre, a unit's officer, the caller's own profile, the public view
 * of a profile, and reading the request's fields. Private to page_expert_*.c; must not see SQL. */
#ifndef DXDAY_WEB_EXPERT_H
#define DXDAY_WEB_EXPERT_H
#include "http/app.h"
#include "store/expert.h"

/* The management list: the centre's (/chuyen-gia/quan-ly), or units_view, the profiles the caller's units nominated
 * (/chuyen-gia/da-de-cu); with status, error and errors set
 * on failed_id's card when a write from it was refused (errors stolen). */
int expert_manage_page(struct req *r, bool units_view, int status, const char *error, int64_t failed_id, json_t *errors);
/* The activity form refused (page_expert_activities.c): the page it was sent from again with status, the message, the
 * activity as typed (act) and each error beside its field (act_errors; both stolen). The request's page for request
 * id, or the expert's own page. */
int expert_request_form_page(struct req *r, int64_t id, int status, const char *msg, json_t *act, json_t *act_errors);
int expert_mine_form_page(struct req *r, int status, const char *msg, json_t *act, json_t *act_errors);
/* The centre: a coordinator (or an admin) of the root unit 'vn'. */
bool expert_is_centre(struct req *r);
/* An officer or coordinator (or admin) of the unit or a unit above it. */
bool expert_unit_officer(struct req *r, int64_t org_id);
/* The caller's own profile id, 0 when none (or not signed in). */
int64_t expert_self(struct req *r);

/* What anyone may see of a profile: id, name, province, fields, accepts_requests, trained, and of title, organisation,
 * bio, languages, email and phone only those the expert listed in public_fields. A new object; full is untouched. */
json_t *expert_public(json_t *full);

/* A request field: the form or query parameter, else the JSON body's string (numbers as their text). */
const char *expert_str(struct req *r, const char *k, char buf[32]);
/* A list: the JSON body's array of strings or numbers, else a comma-separated parameter, else every parameter named
 * prefix+X set to a non-empty value (checkboxes), as [X...]; NULL when none of them was sent. */
json_t *expert_list(struct req *r, const char *k, const char *prefix);
/* A date as typed (YYYY-MM-DD or dd/mm/yyyy) into ISO; false when it is none. */
bool expert_date(const char *in, char out[11]);
void expert_now(char out[21]);
void expert_today(char out[11]);

/* Ends a write: rolls back a failure, commits a success; a failed commit wrote nothing and says so. Returns 0 when it
 * committed, else the answer it sent. */
int expert_finish(struct req *r, struct store_result *res);
/* [{code, label, selected}] for a form's choices. */
json_t *expert_choices(const char *const codes[], const char *const labels[], const char *selected);
/* Marks selected on the items of list whose key equals value. */
void expert_select(json_t *list, const char *key, json_t *value);

/* A profile as typed (a form, JSON or an import row), before checking: NULL members were not sent. */
struct expert_raw {
    const char *name, *title, *organisation, *province, *email, *phone, *bio, *accepts, *trained_on;
    json_t *languages, *fields, *public_fields;   /* borrowed arrays of strings, or NULL */
};
/* Checks raw over cur (the stored profile, or NULL for a new one) into in; errors gets a message per field. Fields
 * accept their codes or their names (diacritics aside), the province its code, id or name. bufs keeps in's strings:
 * free it with expert_bufs_free. provinces and fields are the lists store_expert_provinces and store_expert_fields give. */
struct expert_bufs { char *name, *title, *organisation, *bio; char phone[13], trained[11]; json_t *langs, *fields, *pub; };
void expert_check(const struct expert_raw *raw, json_t *cur, json_t *provinces, json_t *fields, struct expert_in *in,
                  struct expert_bufs *b, json_t *errors);
void expert_bufs_free(struct expert_bufs *b);
#endif
