/* The assistant's answer picking: from a question and the passages search retrieved for it, the sentence that answers,
 * its confidence and the sources to cite. Pure: must not retrieve anything itself (no SQL, no I/O, no JSON). */
#ifndef DXDAY_CORE_ANSWER_H
#define DXDAY_CORE_ANSWER_H
#include <stdbool.h>
#include <stddef.h>

/* Below this the assistant says it is not sure and offers to send the question to the editors. Calibrated on the
 * tuned part of `make eval` (tests/eval): at or above it, 36 of 37 answers there hold the answer (97 %). */
#define ANSWER_CONFIDENT 0.6
/* At most this many sources are cited. */
#define ANSWER_SOURCES 5

/* A question read once: its folded words, what it asks for (a date, a number, a definition ...) and its content words. */
struct answer_question;

/* NULL when question is not valid UTF-8. */
struct answer_question *answer_question_new(const char *question);
void answer_question_free(struct answer_question *q);
/* The question's content words, folded and space-separated ("ngay chuyen doi so"): what to retrieve passages with.
 * Empty when the question holds only question words ("là gì"), so there is nothing to search for. */
const char *answer_question_terms(const struct answer_question *q);

/* One retrieved passage, best first; score is search's (higher is better). Fields may be NULL. A passage of kind
 * "task" is a task's metadata and its title the task itself: the answer joins them. */
struct answer_passage {
    const char *title, *text, *kind, *url;
    double score;
    const char *heading;   /* the section the passage sits in ("II. NHIỆM VỤ"), or NULL: read as its context */
};

struct answer_source {
    size_t passage;        /* index into the passages given to answer_pick */
    const char *snippet;   /* the passage's best sentence; owned by the answer */
    double score;          /* that sentence's score, unrounded */
    const char *before, *after;   /* its neighbours in the passage (NULL at an edge): the answer read in place */
};

struct answer_cand;

struct answer {
    const char *text;      /* the reply: the answering sentence (and the next when it is short), or why there is none */
    double confidence;     /* 0..1, rounded to hundredths; 0 when nothing was found */
    bool uncertain;        /* confidence below ANSWER_CONFIDENT, or nothing found: offer the editors instead */
    struct answer_source sources[ANSWER_SOURCES];   /* the answering passage first, one per url and title */
    size_t nsources;
    /* private */
    struct answer_cand *cand;
    size_t ncand;
    char buf[1200];
};

/* Picks the answer to q among passages[0..np) into *out (which answer_free releases). Extractive on purpose: every
 * word of a confident answer is a sentence of a passage, so it can be checked against its source. */
void answer_pick(const struct answer_question *q, const struct answer_passage *passages, size_t np, struct answer *out);
void answer_free(struct answer *a);

#endif
