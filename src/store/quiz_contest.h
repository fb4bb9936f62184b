/* Knowledge contests (cuộc thi tìm hiểu): a contest of kind 'quiz', its numbered rounds with their questions (the
 * MOOC's format, scored by store/learning.h), participants' kept profiles, one timed attempt per round, rankings.
 * Must not know about HTTP, and must never send a round's questions before it opens nor an answer key at all. */
#ifndef DXDAY_STORE_QUIZ_CONTEST_H
#define DXDAY_STORE_QUIZ_CONTEST_H
#include "store/result.h"

/* Seconds after the time limit during which a submission is still scored (its time capped at the limit): the
 * network's delay, not extra time. Later submissions close the attempt with zero. */
#define QC_GRACE_S 10

/* The age bands a participant picks from: stable code and Vietnamese label, ending with { 0 }. */
struct qc_choice { const char *code, *label; };
extern const struct qc_choice qc_age_bands[];
const char *qc_age_label(const char *code);

/* A quiz contest by slug: {id, slug, title, rules_md, status, year, org_id, org_name, opens_at, closes_at};
 * NULL when there is none of kind 'quiz' (or on an error: db_failed). Drafts are returned: callers decide. */
json_t *store_qc_contest(db *d, const char *slug);

/* The contest's rounds in order, each {id, n, title, opens_at, closes_at, time_limit_s, prizes: [{name, count}],
 * questions (a count), finished (attempts scored), state: "upcoming" | "open" | "closed", results_final}, as of now_iso
 * (UTC ISO 8601). results_final: closed and every attempt's time (limit and grace) is over, so winners are settled. */
json_t *store_qc_rounds(db *d, int64_t contest_id, const char *now_iso);
/* One of them by number, or NULL. */
json_t *store_qc_round(db *d, int64_t contest_id, int64_t n, const char *now_iso);

/* The caller's kept profile {name, province_id, province, age_band, age_label}, or NULL. */
json_t *store_qc_participant(db *d, int64_t user_id);

/* The caller's attempt at the round: {id, started_ms, deadline_ms, finished, score, time_ms, late, total}, or NULL. */
json_t *store_qc_attempt(db *d, int64_t round_id, int64_t user_id);

struct qc_start {
    int64_t user_id;
    const char *ip;
    int64_t now_ms;
    /* Asked once: used only when the account has no profile yet (then all three are required). */
    const char *name, *province, *age_band;   /* province: an org_unit code of kind 'province' */
};
/* Serves the round's questions to a participant: the first call records the attempt's start (the server's clock) and a
 * random order, later calls before submission serve the same order again (a reload is no second attempt). *out:
 * {attempt: {…store_qc_attempt}, questions: [{seq, num, kind, prompt, options: [{i, text}], is_<kind>}],
 * seconds_left}. CONFLICT when the round is not open (upcoming: nothing about its questions is said) or the attempt
 * was submitted; INVALID with fields when a profile is needed and incomplete. */
enum store_status store_qc_start(db *d, const json_t *round, const struct qc_start *in, json_t **out,
                                 struct store_result *res);

struct qc_submit {
    int64_t user_id;
    const char *ip;
    int64_t now_ms;
    json_t *answers;    /* {"<seq>": answer} */
};
/* Scores the caller's started attempt once: time taken is capped at the limit; after the limit and QC_GRACE_S the
 * attempt is closed with zero (late). *out: {score, total, time_ms, late, rank}. CONFLICT when not started or already
 * submitted; INVALID when an answer names no question of the round or has the wrong shape (nothing written). */
enum store_status store_qc_submit(db *d, const json_t *round, const struct qc_submit *in, json_t **out,
                                  struct store_result *res);

/* The round's ranking, best first (score, then time taken, then who finished first): up to limit rows
 * [{rank, name, province, score, time_ms}], in one province when province_id is not 0; offset for later pages. */
json_t *store_qc_ranking(db *d, int64_t round_id, int64_t province_id, int limit, int offset);
/* The place of a scored attempt (1 for the best), in its province when province_id is not 0: sums the kept slices ahead
 * of it (contest_rank_slice) and counts through the ranking index only inside its own slice. 0 on an error. */
int64_t store_qc_rank_of(db *d, int64_t round_id, int64_t province_id, int64_t score, int64_t time_ms, int64_t attempt_id);
/* The winners of a round whose results are final: [{prize, rank, name, province, score, time_ms}] in prize order. */
json_t *store_qc_winners(db *d, const json_t *round);
/* Counts a scored attempt in its slices (every province's and its own), inside the caller's scoring transaction; 0 or -1.
 * Whatever writes a score must call it once, or ranks go wrong. */
#define QC_SLICE_MS 10000
int store_qc_slice_add(db *d, int64_t round_id, int64_t province_id, int64_t score, int64_t time_ms);

/* ---- quiz_contest_edit.c: the organiser's side ---------------------------------------------------------------------- */
/* A new quiz contest from def {slug, year, org_id, title, rules_md, opens_at, closes_at}, in the caller's transaction.
 * INVALID with fields (slug, title, year, opens_on, closes_on), CONFLICT for a slug in use. */
enum store_status store_qc_create(db *d, json_t *def, int64_t user_id, const char *now, int64_t *id, struct store_result *res);
/* Adds (n 0: numbered after the last) or edits round n from def {title, opens_at, closes_at, time_limit_s, prizes}; a
 * round opens after now. CONFLICT once round n has opened; the contest's end moves to the last round's. */
enum store_status store_qc_round_save(db *d, int64_t contest_id, int64_t n, json_t *def, const char *now, int64_t *n_out,
                                      struct store_result *res);
/* Adds (seq 0) or edits question seq {kind, prompt, options, answer, explain} of round n (checked as the MOOC checks);
 * CONFLICT once the round has opened. */
enum store_status store_qc_question_save(db *d, int64_t contest_id, int64_t n, int64_t seq, json_t *q, const char *now,
                                         int64_t *seq_out, struct store_result *res);
enum store_status store_qc_question_delete(db *d, int64_t contest_id, int64_t n, int64_t seq, const char *now, struct store_result *res);
/* Every question of the round with its answer key: for the organiser's page only. */
json_t *store_qc_questions_admin(db *d, int64_t round_id);
#endif
