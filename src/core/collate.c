/* The one Vietnamese collation: a key whose byte order is the dictionary's order (a ă â b c d đ e ê …, then the tones
 * ngang, huyền, hỏi, ngã, sắc, nặng, then lower before upper case), so every list sorts names the same way, in C with
 * strcmp or in SQL on a stored key. Must not be used to compare for equality or search: that is text_fold's work. */
#include "core/text.h"
#include "core/buf.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The alphabet in order; each letter's place becomes one printable byte from 'A' on. */
static const char *const LETTERS[] = { "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
                                       "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z" };

static int letter_rank(utf8proc_int32_t base, utf8proc_int32_t shape)
{
    char want[8] = { 0 };
    utf8proc_int32_t cp = base;
    /* Recompose the base with its shape mark (breve, circumflex, horn) into the letter the alphabet names. */
    if (shape) {
        utf8proc_int32_t pair[2] = { base, shape };
        utf8proc_ssize_t n = utf8proc_normalize_utf32(pair, 2, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (n == 1) cp = pair[0];
    }
    utf8proc_encode_char(cp, (utf8proc_uint8_t *)want);
    for (size_t i = 0; i < sizeof LETTERS / sizeof *LETTERS; i++)
        if (!strcmp(LETTERS[i], want)) return (int)i;
    return -1;
}

static int tone_of(utf8proc_int32_t mark)
{
    switch (mark) {
    case 0x0300: return 1;   /* huyền */
    case 0x0309: return 2;   /* hỏi */
    case 0x0303: return 3;   /* ngã */
    case 0x0301: return 4;   /* sắc */
    case 0x0323: return 5;   /* nặng */
    default: return 0;
    }
}

char *text_sort_key(const char *s)
{
    /* NFC first: a letter written as a base and combining marks (NFD) becomes the one code point the table knows. */
    char *nfc = s ? text_nfc(s) : NULL;
    if (!nfc) return NULL;
    struct buf p = { 0 }, t = { 0 }, c = { 0 };
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)nfc;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(nfc), i = 0;
    bool gap = false;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(u + i, len - i, &cp);
        if (n <= 0) break;
        i += n;
        utf8proc_int32_t lower = utf8proc_tolower(cp), parts[8];
        utf8proc_ssize_t np = utf8proc_decompose_char(lower, parts, 8, UTF8PROC_DECOMPOSE, NULL);
        if (np <= 0 || np > 8) { np = 1; parts[0] = lower; }
        utf8proc_int32_t base = parts[0], shape = 0;
        int tone = 0;
        for (utf8proc_ssize_t k = 1; k < np; k++) {
            if (parts[k] == 0x0306 || parts[k] == 0x0302 || parts[k] == 0x031B) shape = parts[k];
            else if (tone_of(parts[k])) tone = tone_of(parts[k]);
        }
        char prim[8];
        size_t plen = 0;
        if (base >= '0' && base <= '9') prim[plen++] = (char)base;
        else {
            int r = letter_rank(base, shape);
            utf8proc_category_t cat = utf8proc_category(base);
            if (r >= 0) prim[plen++] = (char)('A' + r);
            else if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) {
                /* A letter of another script: after every Vietnamese one, in code point order. */
                prim[plen++] = '~';
                plen += (size_t)utf8proc_encode_char(base, (utf8proc_uint8_t *)prim + plen);
            }
        }
        if (!plen) { gap = p.len > 0; continue; }   /* spaces and punctuation: one word break */
        if (gap) { buf_puts(&p, " "); buf_puts(&t, " "); buf_puts(&c, " "); gap = false; }
        buf_put(&p, prim, plen);
        buf_put(&t, (char[]){ (char)('0' + tone) }, 1);
        buf_put(&c, cp != lower ? "1" : "0", 1);
    }
    free(nfc);
    /* Levels apart by a byte below every other: a shorter name sorts before a longer one it begins. */
    buf_puts(&p, "\x01");
    if (t.len) buf_put(&p, t.p, t.len);
    buf_puts(&p, "\x01");
    if (c.len) buf_put(&p, c.p, c.len);
    buf_free(&t);
    buf_free(&c);
    return buf_take(&p);
}

int text_collate(const char *a, const char *b)
{
    char *ka = text_sort_key(a ? a : ""), *kb = text_sort_key(b ? b : "");
    int r = strcmp(ka ? ka : "", kb ? kb : "");
    free(ka);
    free(kb);
    return r;
}
