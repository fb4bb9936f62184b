/* The assistant's Vietnamese paraphrase lexicon: the domain's abbreviations and synonyms (CĐS, UBND, TT&TT, hạn chót
 * ~ thời hạn, công dân ~ người dân ...), of our own making, applied to folded questions. Pure: no I/O, no state. */
#ifndef DXDAY_CORE_LEXICON_H
#define DXDAY_CORE_LEXICON_H
#include <stddef.h>

/* Calls fn(from, to, ctx) for each entry whose folded phrase `from` occurs as whole words in the folded question fq;
 * `to` is the phrase documents use instead (folded). Returns how many entries matched. */
typedef void (*lexicon_fn)(const char *from, const char *to, void *ctx);
int lexicon_match(const char *fq, lexicon_fn fn, void *ctx);

/* True when the folded phrase occurs in folded text f as whole words. */
int lexicon_has_phrase(const char *f, const char *phrase);

/* The provinces and cities named in folded text f, into out[0..max); returns how many. */
int lexicon_places(const char *f, const char **out, int max);

#endif
