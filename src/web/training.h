/* What the training pages share: who organises a class and who nominates, the class named in the request, the local
 * clock sessions are compared with, and the end of a write. Private to page_training_*.c; must not see SQL. */
#ifndef DXDAY_WEB_TRAINING_H
#define DXDAY_WEB_TRAINING_H
#include "http/app.h"
#include "store/training.h"

/* Officer or coordinator (or admin) of the unit or a unit above it. Organisers of a class are those of its unit;
 * a unit's nominators are those of the nominee's unit. */
bool training_may_act(struct req *r, int64_t org_id);

/* The class of the {id} path part with its fields decorated for the pages (dates dd/mm/yyyy, sessions' happened flag,
 * can_organise), or NULL with the answer sent: 404 when there is none; organise: 403 unless the caller organises it. */
json_t *training_load(struct req *r, bool organise);

/* Now in Asia/Ho_Chi_Minh as 'YYYY-MM-DDTHH:MM' (sessions' starts_at) and as UTC ISO-8601 (records). */
void training_local_now(char out[17]);
void training_utc_now(char out[21]);

/* A request field: the form or query parameter, else the JSON body's string (numbers as text). */
const char *training_field(struct req *r, const char *k, char buf[32]);

/* The end of a write begun with db_begin: committed when res is OK, else rolled back; 0 when committed, else the
 * answer is sent (req_result) and its status returned. */
int training_finish(struct req *r, struct store_result *res);
/* A class as the form or JSON sent it, checked; fixed_org (an edit) is the class's unit, else "org" is read and
 * *forbidden set when the caller does not act for it. errors gets a message per field. */
#define TRAINING_MAX_SESSIONS 60
#define TRAINING_MAX_TRAINERS 30
#define TRAINING_MAX_COURSES 20
struct training_parsed {
    struct training_in in;
    char starts[11], ends[11];
    struct training_session_in sessions[TRAINING_MAX_SESSIONS];
    char when[TRAINING_MAX_SESSIONS][17];
    char *topics[TRAINING_MAX_SESSIONS];
    int64_t trainers[TRAINING_MAX_TRAINERS];
    const char *courses[TRAINING_MAX_COURSES];
    char *course_buf;
};
void training_read(struct req *r, struct training_parsed *p, int64_t fixed_org, json_t *errors, bool *forbidden);
void training_parsed_free(struct training_parsed *p);
/* The class form's context with what was typed (form fields, borrowed) and errors (stolen) put back; NULLs: empty. */
json_t *training_form_ctx(struct req *r, json_t *typed, json_t *errors);
#endif
