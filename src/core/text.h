/* Vietnamese text: validation, NFC normalisation, case and diacritic folding (đ→d) used wherever text is
 * compared or searched. Pure functions: no I/O, no globals; every returned string is malloc'd, caller frees. */
#ifndef DXDAY_TEXT_H
#define DXDAY_TEXT_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, no NUL bytes). */
bool text_valid_utf8(const char *s, size_t len);

/* NFC form of s; NULL when s is not valid UTF-8. */
char *text_nfc(const char *s);

/* The search key of s: NFC, lower case, Vietnamese diacritics removed, đ/Đ → d, every run of characters that
 * are not letters or digits turned into one space, trimmed. "Bộ TT&TT" → "bo tt tt", "Hà  Nội" → "ha noi",
 * NFD input gives the same result as NFC. NULL when s is not valid UTF-8. */
char *text_fold(const char *s);

/* Like text_fold but with no separators at all: "Bộ TT&TT" → "botttt". Used to match
 * abbreviations written with or without spaces and punctuation ("TT&TT", "TTTT", "TT-TT"). */
char *text_fold_compact(const char *s);

/* The Vietnamese dictionary order (core/collate.c): a key to compare with strcmp or to store and ORDER BY byte by byte
 * (COLLATE "C" on PostgreSQL): letters a ă â b c d đ e ê … y, digits before letters, words before longer ones, then the
 * tones (ngang, huyền, hỏi, ngã, sắc, nặng), then lower before upper case. Printable ASCII and \x01; NULL when s is not
 * valid UTF-8. text_collate compares two strings by it. */
char *text_sort_key(const char *s);
int text_collate(const char *a, const char *b);

/* True when the folded needle occurs in the folded haystack at a word boundary start. Both already folded. */
bool text_folded_contains_word(const char *folded_haystack, const char *folded_needle);

/* The folded form of one code point of the Latin blocks (U+0080–U+024F, U+1E00–U+1EFF): the lower-case ASCII letter
 * text_fold gives it, ' ' when it separates words, 0 when only the general path can say (and for any other block). */
char text_fold_char(uint32_t cp);

/* A letter or a decimal digit (Unicode categories L* and Nd): what folding keeps; everything else separates words. */
bool text_is_word_cp(int32_t cp);

#endif
