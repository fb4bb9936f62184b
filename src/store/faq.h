/* The FAQ ("Hỏi đáp") and the questions citizens send to the editors when the assistant is unsure: the inbox, an
 * answer, and the FAQ entry an answer may become. Must not know about HTTP, and must not answer questions itself. */
#ifndef DXDAY_STORE_FAQ_H
#define DXDAY_STORE_FAQ_H
#include <stdbool.h>
#include "store/db.h"
#include "store/result.h"

/* Every FAQ entry, newest first: [{id, question, answer, source_url, updated_at}]; NULL on a database error. */
json_t *store_faq_list(db *d, struct store_result *res);

/* Records a question for the editors (contact may be NULL; confidence is the assistant's, 0..1); *id set on STORE_OK.
 * Its own transaction (joins the caller's when one is open), so a busy store is STORE_BUSY and nothing is written. */
enum store_status store_question_add(db *d, const char *question, const char *contact, double confidence, int64_t *id,
                                     struct store_result *res);

/* The inbox: questions in status (open | answered | dismissed), newest first, at most 500: [{id, question, contact,
 * confidence, status, answer, faq_id, asked_at, answered_at}]; NULL on a database error. */
json_t *store_questions_list(db *d, const char *status, struct store_result *res);

/* {question, status} of one question; NULL with res STORE_NOT_FOUND ("Không có câu hỏi này.") or STORE_ERROR. */
json_t *store_question_get(db *d, int64_t id, struct store_result *res);

/* An editor's decision on a question: dismissed (answer may be NULL), or answered; an answer with to_faq also becomes a
 * FAQ entry {question, answer} that search and the assistant find from then on (*faq_id set, else 0). One transaction
 * (joining the caller's, which adds its audit entry). */
struct question_answer {
    int64_t id;
    const char *question;   /* the FAQ's wording of the question (NFC) */
    const char *answer;     /* NFC, or NULL when dismissed without one */
    bool dismiss, to_faq;
    int64_t user_id;
};
enum store_status store_question_answer(db *d, const struct question_answer *in, int64_t *faq_id, struct store_result *res);
#endif
