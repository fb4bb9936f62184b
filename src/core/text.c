/* Vietnamese text keys: strict UTF-8 validation, NFC, and the folded search form shared by search and matching.
 * Must not do I/O, keep state between calls, or hand out anything but malloc'd strings the caller frees. */
#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool text_valid_utf8(const char *s, size_t len)
{
    if (!s)
        return len == 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c == 0)
            return false; /* an embedded NUL would silently truncate the string in every C API downstream */
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte (Unicode Table 3-7) */
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* below is an overlong 2-byte value */
            else if (c == 0xED)
                hi = 0x9F; /* above is a UTF-16 surrogate */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90; /* below is an overlong 3-byte value */
            else if (c == 0xF4)
                hi = 0x8F; /* above is beyond U+10FFFF */
        } else {
            return false; /* stray continuation byte, C0/C1 overlong lead, or F5..FF */
        }
        if (len - i < n)
            return false;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return false;
        for (size_t k = 2; k < n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += n;
    }
    return true;
}

/* True when every code point of valid UTF-8 s is one NFC leaves alone: below U+0300 (no combining marks),
 * precomposed Vietnamese letters (U+1E00–U+1EFF), general punctuation from U+2002, currency signs and symbols. Most
 * documents are such text, and copying them is many times cheaper than normalising. */
static bool plainly_nfc(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) { i++; continue; }
        unsigned cp;
        if (c < 0xE0) { cp = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F); i += 2; }
        else if (c < 0xF0) { cp = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F); i += 3; }
        else return false;
        if (cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF))
            continue;
        /* Arrows, maths, boxes, dingbats (✓): no canonical mappings except the two angle brackets. */
        if (cp >= 0x2190 && cp <= 0x2BFF && cp != 0x2329 && cp != 0x232A)
            continue;
        return false;
    }
    return true;
}

char *text_nfc(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || !text_valid_utf8(s, n))
        return NULL;
    if (plainly_nfc((const unsigned char *)s, n))
        return strdup(s);
    /* utf8proc allocates with malloc, so the result can go straight to the caller's free(). */
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

struct buf {
    char *p;
    size_t len, cap;
};

static bool buf_reserve(struct buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

bool text_is_word_cp(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
        return true;
    default:
        return false;
    }
}

/* Appends one already-lowered, already-decomposed code point; separators are deferred so that runs collapse
 * to one space and nothing leading or trailing is ever written. */
static bool fold_emit(struct buf *b, utf8proc_int32_t cp, bool *pending_space)
{
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
        return true; /* dropped, not a separator: "Ha\u0300" must stay one word */
    /* đ has no decomposition, so mark stripping cannot reach it. ð (from Ð, U+00D0) is included because
     * Vietnamese text typed on some keyboards uses the look-alike Icelandic eth for Đ. */
    if (cp == 0x0111 || cp == 0x00F0)
        cp = 'd';
    if (!text_is_word_cp(cp)) {
        *pending_space = true;
        return true;
    }
    if (!buf_reserve(b, 5))
        return false;
    if (*pending_space && b->len > 0)
        b->p[b->len++] = ' ';
    *pending_space = false;
    b->len += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b->p + b->len);
    return true;
}

/* The folded form of the code points of the Latin blocks Vietnamese text is written in (U+0080–U+024F and
 * U+1E00–U+1EFF): the ASCII letter it folds to, ' ' for a separator, 0 where the general path below must decide
 * (letters with no ASCII base such as ß or ø). The general path made this table; tests/unit/test_text.c checks every
 * entry against utf8proc so a library update cannot silently change what search matches; the search tokenizer
 * reads it too, so the index and every other folded key agree. */
static const char fold_latin[0x250 - 0x80] = {
    ' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',
    ' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',
    ' ',' ',' ',' ',' ',' ',' ',' ',' ',' ',0,' ',' ',' ',' ',' ',
    ' ',' ',' ',' ',' ',0,' ',' ',' ',' ',0,' ',' ',' ',' ',' ',
    'a','a','a','a','a','a',0,'c','e','e','e','e','i','i','i','i',
    'd','n','o','o','o','o','o',' ',0,'u','u','u','u','y',0,0,
    'a','a','a','a','a','a',0,'c','e','e','e','e','i','i','i','i',
    'd','n','o','o','o','o','o',' ',0,'u','u','u','u','y',0,'y',
    'a','a','a','a','a','a','c','c','c','c','c','c','c','c','d','d',
    'd','d','e','e','e','e','e','e','e','e','e','e','g','g','g','g',
    'g','g','g','g','h','h',0,0,'i','i','i','i','i','i','i','i',
    'i',0,0,0,'j','j','k','k',0,'l','l','l','l','l','l',0,
    0,0,0,'n','n','n','n','n','n',0,0,0,'o','o','o','o',
    'o','o',0,0,'r','r','r','r','r','r','s','s','s','s','s','s',
    's','s','t','t','t','t',0,0,'u','u','u','u','u','u','u','u',
    'u','u','u','u','w','w','y','y','y','z','z','z','z','z','z',0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    'o','o',0,0,0,0,0,0,0,0,0,0,0,0,0,'u',
    'u',0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,'a','a','i',
    'i','o','o','u','u','u','u','u','u','u','u','u','u',0,'a','a',
    'a','a',0,0,0,0,'g','g','k','k','o','o','o','o',0,0,
    'j',0,0,0,'g','g',0,0,'n','n','a','a',0,0,0,0,
    'a','a','a','a','e','e','e','e','i','i','i','i','o','o','o','o',
    'r','r','r','r','u','u','u','u','s','s','t','t',0,0,'h','h',
    0,0,0,0,0,0,'a','a','e','e','o','o','o','o','o','o',
    'o','o','y','y',0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};
static const char fold_viet[0x100] = {
    'a','a','b','b','b','b','b','b','c','c','d','d','d','d','d','d',
    'd','d','d','d','e','e','e','e','e','e','e','e','e','e','f','f',
    'g','g','h','h','h','h','h','h','h','h','h','h','i','i','i','i',
    'k','k','k','k','k','k','l','l','l','l','l','l','l','l','m','m',
    'm','m','m','m','n','n','n','n','n','n','n','n','o','o','o','o',
    'o','o','o','o','p','p','p','p','r','r','r','r','r','r','r','r',
    's','s','s','s','s','s','s','s','s','s','t','t','t','t','t','t',
    't','t','u','u','u','u','u','u','u','u','u','u','v','v','v','v',
    'w','w','w','w','w','w','w','w','w','w','x','x','x','x','y','y',
    'z','z','z','z','z','z','h','t','w','y',0,0,0,0,0,0,
    'a','a','a','a','a','a','a','a','a','a','a','a','a','a','a','a',
    'a','a','a','a','a','a','a','a','e','e','e','e','e','e','e','e',
    'e','e','e','e','e','e','e','e','i','i','i','i','o','o','o','o',
    'o','o','o','o','o','o','o','o','o','o','o','o','o','o','o','o',
    'o','o','o','o','u','u','u','u','u','u','u','u','u','u','u','u',
    'u','u','y','y','y','y','y','y','y','y',0,0,0,0,0,0,
};

char text_fold_char(uint32_t cp)
{
    if (cp >= 0x80 && cp < 0x250)
        return fold_latin[cp - 0x80];
    if (cp >= 0x1E00 && cp < 0x1F00)
        return fold_viet[cp - 0x1E00];
    return 0;
}

/* Appends one ASCII letter or digit, after the space a pending separator asked for. */
static bool fold_put_ascii(struct buf *b, char c, bool *pending_space)
{
    if (!buf_reserve(b, 2))
        return false;
    if (*pending_space && b->len > 0)
        b->p[b->len++] = ' ';
    *pending_space = false;
    b->p[b->len++] = c;
    return true;
}

/* The general path for one code point. Lower first, then decompose: lowering a precomposed letter keeps its marks,
 * which decomposition then separates so they can be dropped. */
static bool fold_slow(struct buf *b, utf8proc_int32_t cp, bool *pending_space)
{
    utf8proc_int32_t parts[16];
    utf8proc_ssize_t np = utf8proc_decompose_char(utf8proc_tolower(cp), parts, 16, UTF8PROC_DECOMPOSE, NULL);
    if (np < 0 || np > 16)
        return false;
    for (utf8proc_ssize_t k = 0; k < np; k++)
        if (!fold_emit(b, parts[k], pending_space))
            return false;
    return true;
}

char *text_fold(const char *s)
{
    char *nfc = text_nfc(s);
    if (!nfc)
        return NULL;
    struct buf b = {0};
    bool pending_space = false, ok = buf_reserve(&b, strlen(nfc) + 1), non_ascii = false;
    /* ASCII and the Vietnamese letters take the fast paths: folding is most of what the assistant spends per question. */
    const unsigned char *p = (const unsigned char *)nfc;
    while (ok && *p) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                ok = fold_put_ascii(&b, (char)c, &pending_space);
            else
                pending_space = true;
            p++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) {
            ok = false;
            break;
        }
        p += n;
        char f = text_fold_char((uint32_t)cp);
        if (f == ' ')
            pending_space = true;
        else if (f)
            ok = fold_put_ascii(&b, f, &pending_space);
        else
            ok = fold_slow(&b, cp, &pending_space);
    }
    free(nfc);
    if (ok)
        ok = buf_reserve(&b, 1);
    if (!ok) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    for (size_t i = 0; i < b.len && !non_ascii; i++)
        non_ascii = (unsigned char)b.p[i] >= 0x80;
    if (!non_ascii)
        return b.p;
    /* Decomposition also split things that are not marks (Hangul syllables into jamo); recompose so the key
     * stays NFC like every other string the application stores. */
    char *out = (char *)utf8proc_NFC((const utf8proc_uint8_t *)b.p);
    free(b.p);
    return out;
}

char *text_fold_compact(const char *s)
{
    char *f = text_fold(s);
    if (!f)
        return NULL;
    size_t w = 0;
    for (size_t r = 0; f[r]; r++)
        if (f[r] != ' ')
            f[w++] = f[r];
    f[w] = '\0';
    return f;
}

bool text_folded_contains_word(const char *folded_haystack, const char *folded_needle)
{
    /* An empty needle (a query of only punctuation folds to "") must not match every record. */
    if (!folded_haystack || !folded_needle || !*folded_needle)
        return false;
    for (const char *p = folded_haystack; (p = strstr(p, folded_needle)) != NULL; p++)
        if (p == folded_haystack || p[-1] == ' ')
            return true;
    return false;
}
