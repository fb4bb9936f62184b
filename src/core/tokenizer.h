/* The Vietnamese tokenizer of search: syllables folded like text_fold (NFC, lower case, no diacritics, đ→d) plus a
 * bigram of each adjacent pair, with byte offsets into the original text. Must not keep state nor know the engine
 * that indexes its tokens (SQLite's FTS5 glue is store/fts5.c). */
#ifndef DXDAY_CORE_TOKENIZER_H
#define DXDAY_CORE_TOKENIZER_H
#include <stdbool.h>

/* tflags value of a token that sits at the same position as the one before it (equal to FTS5_TOKEN_COLOCATED). */
#define SEARCH_TOKEN_COLOCATED 1
/* Longest token handed to the callback, in bytes; longer words are cut at a character boundary. */
#define SEARCH_TOKEN_MAX 64
/* The joiner inside a bigram: "chuyen_doi". '_' is never part of a syllable, so a bigram never collides with one. */
#define SEARCH_BIGRAM_JOIN '_'

/* Same shape as FTS5's xToken: tok[0..ntok) is the folded token, [start, end) its bytes in the original text.
 * A non-zero return stops tokenizing and is returned by search_tokenize. */
typedef int (*search_token_fn)(void *ctx, int tflags, const char *tok, int ntok, int start, int end);

/* Splits text[0..len) on everything that is not a letter or a digit (combining marks stay inside their word, so NFD
 * input works) and emits, in order, each syllable and, colocated with the first syllable of each adjacent pair, the
 * bigram "a_b": "chuyển đổi số" → chuyen, chuyen_doi, doi, doi_so, so. Bigrams do not cross . , ; : ! ? ( ) [ ] or
 * a line break. Invalid UTF-8 bytes are separators. When query is true and the whole text is one bigram spelled
 * "a_b", that single bigram token is emitted: it is how a MATCH expression asks for a bigram (see store/search_query.c). */
int search_tokenize(const char *text, int len, bool query, search_token_fn cb, void *ctx);

#endif
