/* What the assistant's answer picking shares between its files (answer.c, answer_question.c, answer_kind.c): a
 * question as read, the kinds of question and what a sentence offers for each. Private to src/core/answer*.c. */
#ifndef DXDAY_CORE_ANSWER_INTERNAL_H
#define DXDAY_CORE_ANSWER_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>

#define MAXW 48
/* Most equivalents the lexicon gives one word of a question. */
#define ALTS 3
struct words { char *w[MAXW]; int n; char *buf; };

/* Splits folded text into words (text_fold leaves single spaces between them); out->buf is malloc'd. */
void answer_split(const char *folded, struct words *out);

/* What the question asks for, read from its question words. */
enum intent { ASK_ANY, ASK_WHEN, ASK_WHO, ASK_PARTNER, ASK_PRODUCT, ASK_SIGNER, ASK_CONTACT, ASK_HOW_MANY, ASK_THEME,
              ASK_SOURCE, ASK_WEB, ASK_WHERE, ASK_HOW, ASK_OFTEN, ASK_MONEY, ASK_ISSUED, ASK_DEADLINE,
              ASK_PERSON, ASK_WHY };

/* The kind of question fq (folded) asks, from its question words. */
enum intent answer_intent_of(const char *fq);
/* How much a sentence (as written) offers the kind of thing asked for: a date, a unit, a figure with its unit … */
double answer_intent_bonus(enum intent in, const char *sentence);

/* What a sentence holds, as written. */
bool has_date(const char *s);
bool has_digit(const char *s);
bool has_figure(const char *s);
bool has_unit(const char *s);
bool has_money(const char *s);

/* The thing a question asks for, as it would be written in the answer: "từ ngày nào" → "tu ngay", "hình thức nào" →
 * "hinh thuc", "bao nhiêu hạng mục" → "hang muc" (then after a number). Empty when the question has no such word. */
struct asked { char phrase[96], head[32]; bool counted; };

struct buf_q { char s[1400]; size_t n; };

struct answer_question {
    char *folded;
    bool near[MAXW];              /* per content word: next to the question word, so weighed more */
    char years[4][5];             /* the years the question names ("2023"): another year's passage is not an answer */
    int nyears;
    const char *places[4];        /* the provinces it names: another province's passage is not an answer */
    int nplaces;
    char local[2][64];            /* a commune, ward or district it names ("xa phu my"), folded */
    int nlocal;
    bool foreign;                 /* written in another language: nothing we hold answers it */
    const char *alt[MAXW][ALTS];  /* per content word: the lexicon's phrases documents write instead (NULL-ended) */
    struct words all, q;          /* every word, and the content words (pointers into all.buf), in order */
    struct buf_q content;         /* the content words joined: what to retrieve with */
    enum intent intent;
    bool asks_what_is, asks_list, asks_basis, asks_percent;
    struct asked want;
};

#endif
