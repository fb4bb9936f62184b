/* Learners' side of the MOOC: enrolment, lessons viewed, quiz attempts and their scoring, progress, completion and the
 * certificate it issues. Must not know about HTTP; answers arrive as typed JSON, already decoded by the caller. */
#ifndef DXDAY_STORE_LEARNING_H
#define DXDAY_STORE_LEARNING_H
#include <stdbool.h>
#include <stddef.h>
#include "store/db.h"

/* Scoring, pure. An answer is JSON: an index (single), an array of indexes (multiple), true/false (truefalse), a string
 * (short); null means "not answered". 0 when given has the right shape for a question of kind with noptions options
 * (indexes in range, no repeats); -1 otherwise, with a Vietnamese reason in why (may be NULL). */
int course_answer_valid(const char *kind, size_t noptions, json_t *given, const char **why);
/* Whether given (already valid) matches the stored key: same index, same set, same boolean, or a short text equal to an
 * accepted one after text_fold (case, diacritics, punctuation and spacing do not matter). */
bool course_answer_right(const char *kind, json_t *key, json_t *given);

/* Enrols user in the course; again is harmless. 0, or -1 on a database error. */
int store_enrol(db *d, int64_t user_id, int64_t course_id);
bool store_is_enrolled(db *d, int64_t user_id, int64_t course_id);

/* Records that an enrolled learner opened a lesson (once; later views change nothing) and completes the course when it
 * was the last thing missing. 1 when the learner is enrolled, 0 when not (nothing recorded), -1 on error. */
int store_lesson_view(db *d, int64_t user_id, int64_t course_id, int64_t lesson_id);

enum quiz_outcome { QUIZ_OK, QUIZ_DUPLICATE, QUIZ_NOT_FOUND, QUIZ_CLOSED, QUIZ_NOT_ENROLLED, QUIZ_BAD_INPUT, QUIZ_ERROR };
struct quiz_submission {
    int64_t user_id;
    const char *course_slug, *quiz_slug;
    const char *nonce;      /* the form's one-time token: 8–64 of A–Z a–z 0–9 - _ */
    json_t *answers;        /* {"<question seq>": answer} */
};
/* Scores and records one attempt in one transaction; when it passes and completes the course, the enrolment is marked
 * complete and a certificate issued in the same transaction. The same nonce again gives the first attempt's result
 * with "duplicate": true and records nothing. *result: {score, passed, pass_mark, correct, total, duplicate,
 * questions: [{seq, prompt, answered, right, explain}], completed, certificate: {code, url} | null}.
 * QUIZ_BAD_INPUT: err says which question and why (an unknown question, a wrong type, a bad nonce). */
enum quiz_outcome store_quiz_submit(db *d, const struct quiz_submission *in, json_t **result, char *err, size_t errlen);

/* Adds the learner's progress to a course from store_course_get: "enrolled", "enrolled_at", "completed_at",
 * "percent", "certificate" ({code, url} or null), lessons[].viewed, quizzes[].best / .passed / .attempts (also in
 * the lessons' and final_quizzes' copies). */
void store_progress_merge(db *d, int64_t user_id, json_t *course);

/* The learner's certificate for the course, {code, issued_at, url}, or JSON null (never NULL). */
json_t *store_certificate_of(db *d, int64_t user_id, int64_t course_id);

/* The learner's courses, latest enrolment first: [{slug, title, enrolled_at, completed_at, percent, certificate}]. */
json_t *store_my_learning(db *d, int64_t user_id);

/* 26 characters of RFC 4648 base32 (A–Z 2–7) holding 130 random bits from libsodium; out holds 27 bytes. */
void certificate_code_new(char out[27]);
#endif
