/* Award contests (issue 17): the contest and its parts, entries and nominations, jurors, conflicts, scores, the
 * ranking and decisions, and the honours. Must not know about HTTP nor decide who is an organiser (authz() does). */
#ifndef DXDAY_STORE_CONTEST_H
#define DXDAY_STORE_CONTEST_H
#include "store/db.h"
#include "store/result.h"

/* ---- contest.c: definitions ---------------------------------------------------------------------------------------- */
/* Every contest of both kinds, newest year first: [{id, slug, kind, year, title, org_name, opens_at, closes_at,
 * results_at, status}]. */
json_t *store_contests_list(db *d);
/* The contest with, for an award contest, its categories, fields, criteria and rounds; NULL when there is none. */
json_t *store_contest_get(db *d, const char *slug);
/* Checks and saves a new award contest from def ({slug, year, org_id, title, rules_md, opens_at, closes_at,
 * results_at, score_min, score_max, blind, categories[{code, name, eligible[]}], fields[{code, label, type, required,
 * choices, max_bytes, help}], criteria[{code, name, weight}], rounds[{name, kind}]}), inside the caller's transaction.
 * STORE_INVALID with per-field messages, STORE_CONFLICT for a slug in use. */
/* Checks a definition (as above) without writing: per-field messages into res. */
void store_contest_check(json_t *def, struct store_result *res);
/* Whether def's year is a campaign year; a field message (or the store's failure) into res when not. */
bool store_contest_year_ok(db *d, json_t *def, struct store_result *res);
/* Saves an edited definition of the award contest cur (store_contest_get's), keeping its slug, inside the caller's
 * transaction; parts are matched by code (rounds by position). STORE_CONFLICT naming what depends on a part when def
 * removes or changes it: a category with entries (its eligibility), a field with answers (its type or choices), a
 * criterion or the scale with scores, a round scored, decided or closed (its kind). */
enum store_status store_contest_update(db *d, json_t *cur, json_t *def, struct store_result *res);
/* The units where the user may organise a contest (officer or coordinator there): [{code, name}]. */
json_t *store_contest_organiser_units(db *d, int64_t user_id);
enum store_status store_contest_create(db *d, json_t *def, int64_t user_id, const char *now, int64_t *id,
                                       struct store_result *res);

/* ---- contest_entry.c: entries -------------------------------------------------------------------------------------- */
struct contest_entry_in {
    int64_t id;               /* 0: a new entry */
    int64_t user_id;
    const char *category;     /* the category's code */
    const char *applicant_kind;
    int64_t org_id;           /* the unit entering or nominating (the caller's role on it is checked above) */
    const char *enterprise;
    const char *applicant_name;
    const char *nominee;
    const char *title;
    json_t *values;           /* field code → value; file fields → {sha, name, size, mime} */
    bool submit;              /* submit now (required fields demanded), else keep or make a draft */
    const char *now;          /* UTC ISO */
};
/* Saves a draft or submits, checking the window (after closes_at: STORE_CONFLICT naming the deadline), the category
 * and who may enter it, and the fields. Inside the caller's transaction. */
enum store_status store_contest_entry_save(db *d, json_t *contest, const struct contest_entry_in *in, int64_t *id,
                                           struct store_result *res);
enum store_status store_contest_entry_withdraw(db *d, json_t *contest, int64_t entry_id, int64_t user_id,
                                               const char *now, struct store_result *res);
/* One entry of the contest, with category and unit names; NULL when there is none. */
json_t *store_contest_entry(db *d, int64_t contest_id, int64_t entry_id);
/* The user's own entries of the contest, newest first. */
json_t *store_contest_entries_of(db *d, int64_t contest_id, int64_t user_id);
/* Every entry but drafts, for the organiser. */
json_t *store_contest_entries(db *d, int64_t contest_id);
/* Adds a status and its Vietnamese label to an entry row (draft, submitted, ineligible, shortlisted, winner...); the
 * award shows only when published. */
void contest_entry_label(json_t *entry, json_t *contest, bool published);

/* ---- contest_judging.c: jurors, scores, ranking, decisions ---------------------------------------------------------- */
enum store_status store_contest_juror_add(db *d, json_t *contest, const char *category, int64_t user_id, int64_t org_id,
                                          const char *enterprise, const char *now, struct store_result *res);
/* The active account whose login is email (lower-cased by the caller), or 0. */
int64_t store_contest_user_by_email(db *d, const char *email);
/* The categories the user judges: [{id, code, name}] (empty when none). */
json_t *store_contest_juror_categories(db *d, int64_t contest_id, int64_t user_id);
/* The entries a juror may see and score (their categories, submitted, not from their own unit or enterprise, no
 * declared conflict), each with the juror's scores of its current round. blind hides the applicant. */
json_t *store_contest_juror_entries(db *d, json_t *contest, int64_t user_id);
/* Why the user may not judge (see or download the files of) a submitted entry: not a juror of its category, their own
 * entry, unit or enterprise, a declared conflict; NULL when they may. The one rule the judging page and files share. */
const char *store_contest_juror_blocked(db *d, json_t *entry, int64_t user_id);
enum store_status store_contest_conflict(db *d, json_t *contest, int64_t entry_id, int64_t user_id, const char *reason,
                                         const char *now, struct store_result *res);
/* Scores {criterion code → {score, comment}} of the entry's current round: STORE_FORBIDDEN outside the juror's
 * categories, own unit or declared conflict; STORE_CONFLICT when the round is closed or takes no scores;
 * STORE_INVALID for a score outside the scale. Inside the caller's transaction. */
enum store_status store_contest_score(db *d, json_t *contest, int64_t entry_id, int64_t juror_id, json_t *scores,
                                      const char *now, struct store_result *res);
/* Per juror: [{user_id, name, email, categories, assigned, scored}]. */
json_t *store_contest_progress(db *d, json_t *contest);
/* Per category of the round: [{code, name, entries[{id, title, applicant_name, jurors, raw, normalised, rank, tie}]}].
 * normalised: each juror's weighted totals as z-scores (mean 0, deviation 1 over that juror's entries of the category),
 * averaged per entry and rescaled to 50 + 10·z. */
json_t *store_contest_ranking(db *d, json_t *contest, int round_seq);
/* decision: eligible, ineligible (reason required), advance (to the next round), winner (award required: issues the
 * certificate of honour). STORE_CONFLICT when the round is closed or the entry is not where the decision needs it. */
enum store_status store_contest_decide(db *d, json_t *contest, int64_t entry_id, const char *decision, const char *reason,
                                       const char *award, int64_t user_id, const char *now, struct store_result *res);
enum store_status store_contest_round_close(db *d, json_t *contest, int seq, struct store_result *res);

/* ---- honours (contest_judging.c) ----------------------------------------------------------------------------------- */
/* Published winners of every contest (results_at <= now), and the door-to-door campaigns' honours, newest year first:
 * [{year, source, contest_title, contest_slug, category, award, name, unit, code}]. */
json_t *store_honours(db *d, const char *now);
/* The winners of one contest (the caller checks that results are public). */
json_t *store_contest_winners(db *d, int64_t contest_id);
/* A published certificate of honour by its code: {code, name, award, category, contest_title, contest_slug, year,
 * issued_at}; NULL when there is none or its results are not public yet. */
json_t *store_honour_verify(db *d, const char *code, const char *now);
#endif
