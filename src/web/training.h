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
#endif
