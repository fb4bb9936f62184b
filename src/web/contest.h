/* What the award contests' pages share: loading the contest of a {slug}, who organises it, the clock, and finishing a
 * write with its audit entry. Must not see SQL (the store does) nor serve quiz contests (another area does). */
#ifndef DXDAY_WEB_CONTEST_H
#define DXDAY_WEB_CONTEST_H
#include "http/app.h"
#include "store/contest.h"
#include "store/result.h"

/* The award contest the {slug} names, or NULL after answering: 404, a store failure, or for a quiz contest 303 to its
 * rounds' page (/cuoc-thi/{slug}/vong). */
json_t *contest_load(struct req *r);
/* An officer or coordinator (or admin) of the organising unit or above it, or the centre. */
bool contest_organiser(struct req *r, json_t *contest);
/* Now as UTC ISO-8601 (seconds): what deadlines are compared with. */
void contest_now(char out[21]);
/* Whether the results are public: results_at set and passed. */
bool contest_published(json_t *contest, const char *now);
/* Commits (or rolls back on a failure) and answers the failure; 0 when committed. */
int contest_commit(struct req *r, struct store_result *res);
/* The {id} path parameter as a positive integer, or 0. */
int64_t contest_param_id(struct req *r, const char *name);
#endif
