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
/* For demo learners (seed_learner.c): opens the first `lessons` lessons of the course (all when < 0); passes every quiz
 * of the course with the stored keys (a short answer's first accepted text). Inside the caller's transaction. */
int seed_view_lessons(db *d, int64_t uid, int64_t cid, int lessons);
int seed_pass_quizzes(db *d, int64_t uid, const char *slug, int64_t cid);
/* The demo member tocns@dxday.vn finishes the open team-audience courses; after the teams and the courses, once. */
int store_seed_demo_team_training(db *d);
/* Demo wards under Nghệ An and submissions for 2026 and 2024, once (nothing when any submission exists). */
int store_seed_demo_reports(db *d);
/* Demo Community Digital Technology Teams in the demo wards and the Nghệ An Youth Union, and the demo member account
 * tocns@dxday.vn; after the demo wards, once. */
int store_seed_demo_teams(db *d, int (*hash)(const char *pw, char out[160]));
/* The demo door-to-door campaign, and entries for the teams that exist (after the teams seed), once. */
int store_seed_demo_dtd(db *d);
/* The public portal's demo news, FAQ, offers and activities, each saying it is made up (seed_portal.c). */
int store_seed_demo_portal(db *d);
/* The demo award contests (the VDA of the current year, last year's with winners) and their jurors; once. */
int store_seed_demo_contests(db *d, int (*hash)(const char *pw, char out[160]));
/* Demo training classes (a finished one with attendance and certificates, a full one with a waiting list), after the
 * experts' and courses' seeds, once. */
int store_seed_demo_trainings(db *d);
/* The demo knowledge contest of the current year (two rounds: one closed with winners, one open) and its 40 demo
 * participants thisinh01..40@dxday.vn (seed_quiz_contest.c), once. */
int store_seed_demo_quiz_contest(db *d, int (*hash)(const char *pw, char out[160]));
/* The demo expert network (thirty experts, the demo expert chuyengia@dxday.vn, requests and activities), once. */
int store_seed_demo_experts(db *d, int (*hash)(const char *pw, char out[160]));
#endif
