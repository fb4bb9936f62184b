/* Demo data for `make run`: accounts with known passwords and roles at several levels of the tree.
 * Must never run against a production database unasked: only the seed-demo command calls it. */
#ifndef DXDAY_SEED_H
#define DXDAY_SEED_H
#include "store/db.h"

struct demo_account { const char *email, *name, *role, *org_code, *password; };
extern const struct demo_account demo_accounts[];

/* Creates the demo accounts that do not exist yet. hash() turns a password into its stored form. */
int store_seed_demo(db *d, int (*hash)(const char *pw, char out[160]));
/* A demo learner (hocvien@dxday.vn, no role) who finished one course and is half-way through another; after the
 * courses are seeded, once. */
int store_seed_demo_learner(db *d, int (*hash)(const char *pw, char out[160]));
/* Demo wards under Nghệ An and submissions for 2026 and 2024, once (nothing when any submission exists). */
int store_seed_demo_reports(db *d);
/* Demo Community Digital Technology Teams in the demo wards and the Nghệ An Youth Union, and the demo member account
 * tocns@dxday.vn; after the demo wards, once. */
int store_seed_demo_teams(db *d, int (*hash)(const char *pw, char out[160]));
/* The demo door-to-door campaign, and entries for the teams that exist (after the teams seed), once. */
int store_seed_demo_dtd(db *d);
#endif
