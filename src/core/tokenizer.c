/* The Vietnamese tokenizer behind search: text_fold's folding one code point at a time, plus syllable bigrams, with
 * byte offsets. Pure C: must not know the engine that indexes its tokens (FTS5's glue is store/fts5.c), nor allocate
 * per token or keep state between calls: it runs for every passage indexed and every query. */
#include "core/tokenizer.h"
#include "core/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct tok {
    char s[SEARCH_TOKEN_MAX + 1];
    int len, start, end;
    bool wide; /* holds a non-ASCII letter: may need recomposing (Hangul jamo) */
};

struct run {
    search_token_fn cb;
    void *ctx;
    int rc;
    bool in_word, have_prev;
    struct tok cur, prev;
};

/* A clause or sentence break: two words on either side of it are not a pair a reader would search for together. */
static bool is_break(int32_t cp)
{
    switch (cp) {
    case '.': case ',': case ';': case ':': case '!': case '?':
    case '(': case ')': case '[': case ']': case '\n': case '\r':
    case 0x2026: /* … */
        return true;
    default:
        return false;
    }
}

/* Decomposition (the general path) can leave a token of jamo or other starters; text_fold recomposes its result to
 * NFC, so the token must be too. Done in place on a stack buffer. */
static void recompose(struct tok *t)
{
    utf8proc_int32_t cps[SEARCH_TOKEN_MAX];
    utf8proc_ssize_t n = 0;
    for (int i = 0; i < t->len && n < SEARCH_TOKEN_MAX;) {
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t->s + i, t->len - i, &cps[n]);
        if (k <= 0)
            return;
        i += (int)k;
        n++;
    }
    n = utf8proc_normalize_utf32(cps, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return;
    char out[SEARCH_TOKEN_MAX + 4];
    int len = 0;
    for (utf8proc_ssize_t i = 0; i < n && len + 4 <= SEARCH_TOKEN_MAX; i++)
        len += (int)utf8proc_encode_char(cps[i], (utf8proc_uint8_t *)out + len);
    memcpy(t->s, out, (size_t)len);
    t->len = len;
}

/* Emits the finished word, preceded by the bigram it makes with the word before it. */
static void end_word(struct run *r)
{
    if (!r->in_word)
        return;
    r->in_word = false;
    struct tok *t = &r->cur;
    if (t->wide)
        recompose(t);
    t->s[t->len] = '\0';
    if (r->rc)
        return;
    if (r->have_prev) {
        char bi[2 * SEARCH_TOKEN_MAX + 2];
        memcpy(bi, r->prev.s, (size_t)r->prev.len);
        bi[r->prev.len] = SEARCH_BIGRAM_JOIN;
        memcpy(bi + r->prev.len + 1, t->s, (size_t)t->len);
        r->rc = r->cb(r->ctx, SEARCH_TOKEN_COLOCATED, bi, r->prev.len + 1 + t->len, r->prev.start, t->end);
        if (r->rc)
            return;
    }
    r->rc = r->cb(r->ctx, 0, t->s, t->len, t->start, t->end);
    r->prev = *t;
    r->have_prev = true;
}

static void separator(struct run *r, int32_t cp)
{
    end_word(r);
    if (is_break(cp))
        r->have_prev = false;
}

/* Appends one folded code point of a word that occupies bytes [start, end) of the text. */
static void letter(struct run *r, int32_t cp, int start, int end)
{
    struct tok *t = &r->cur;
    if (!r->in_word) {
        r->in_word = true;
        t->len = 0;
        t->start = start;
        t->wide = false;
    }
    t->end = end;
    if (cp < 0x80) {
        if (t->len < SEARCH_TOKEN_MAX)
            t->s[t->len++] = (char)cp;
        return;
    }
    utf8proc_uint8_t u[4];
    int n = (int)utf8proc_encode_char(cp, u);
    if (t->len + n <= SEARCH_TOKEN_MAX) {
        memcpy(t->s + t->len, u, (size_t)n);
        t->len += n;
        t->wide = true;
    }
}

/* A combining mark: dropped, and part of the word it follows (an NFD "ổ" is o + two marks, one letter). */
static void mark(struct run *r, int end)
{
    if (r->in_word)
        r->cur.end = end;
}

/* What text_fold does to a code point: lower case, canonical decomposition, marks dropped, đ and ð → d. */
static void general(struct run *r, int32_t cp, int start, int end)
{
    utf8proc_int32_t parts[16];
    utf8proc_ssize_t n = utf8proc_decompose_char(utf8proc_tolower(cp), parts, 16, UTF8PROC_DECOMPOSE, NULL);
    if (n <= 0 || n > 16) {
        separator(r, cp);
        return;
    }
    for (utf8proc_ssize_t k = 0; k < n; k++) {
        utf8proc_int32_t p = parts[k];
        if (utf8proc_category(p) == UTF8PROC_CATEGORY_MN)
            mark(r, end);
        else if (p == 0x0111 || p == 0x00F0)
            letter(r, 'd', start, end);
        else if (text_is_word_cp(p))
            letter(r, p, start, end);
        else
            separator(r, p);
    }
}

/* One code point from bytes at p, n of them left; its length, or 0 when the bytes are not UTF-8. */
static int decode(const unsigned char *p, int n, int32_t *cp)
{
    unsigned c = p[0];
    int len;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; *cp = (int32_t)(c & 0x1F); }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; *cp = (int32_t)(c & 0x0F); }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; *cp = (int32_t)(c & 0x07); }
    else return 0;
    if (n < len)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[k] & 0x3F);
    }
    if ((len == 3 && *cp < 0x800) || (len == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)) || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

struct one {
    int n, start, end;
    struct tok t;
};

static int collect_one(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    struct one *o = ctx;
    if (tflags & SEARCH_TOKEN_COLOCATED)
        return 0;
    if (o->n++ == 0) {
        memcpy(o->t.s, tok, (size_t)ntok);
        o->t.len = ntok;
        o->start = start;
        o->end = end;
    }
    return 0;
}

/* A query string that is exactly "a_b" (one syllable on each side of the joiner) asks for that bigram. */
static bool query_bigram(const char *text, int len, search_token_fn cb, void *ctx, int *rc)
{
    const char *u = memchr(text, SEARCH_BIGRAM_JOIN, (size_t)len);
    if (!u)
        return false;
    int la = (int)(u - text), lb = len - la - 1;
    struct one a = {0}, b = {0};
    search_tokenize(text, la, false, collect_one, &a);
    search_tokenize(u + 1, lb, false, collect_one, &b);
    if (a.n != 1 || b.n != 1 || a.start != 0 || a.end != la || b.start != 0 || b.end != lb)
        return false;
    char bi[2 * SEARCH_TOKEN_MAX + 2];
    memcpy(bi, a.t.s, (size_t)a.t.len);
    bi[a.t.len] = SEARCH_BIGRAM_JOIN;
    memcpy(bi + a.t.len + 1, b.t.s, (size_t)b.t.len);
    *rc = cb(ctx, 0, bi, a.t.len + 1 + b.t.len, 0, len);
    return true;
}

int search_tokenize(const char *text, int len, bool query, search_token_fn cb, void *ctx)
{
    if (!text || len <= 0)
        return 0;
    int rc = 0;
    if (query && query_bigram(text, len, cb, ctx, &rc))
        return rc;
    struct run r = { .cb = cb, .ctx = ctx };
    const unsigned char *p = (const unsigned char *)text;
    for (int i = 0; i < len && !r.rc;) {
        unsigned c = p[i];
        if (c < 0x80) {
            /* Most Vietnamese letters are ASCII once folded, and most bytes are ASCII: keep this path short. */
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                letter(&r, (int32_t)c, i, i + 1);
            else if (c >= 'A' && c <= 'Z')
                letter(&r, (int32_t)(c | 0x20), i, i + 1);
            else
                separator(&r, (int32_t)c);
            i++;
            continue;
        }
        int32_t cp;
        int n = decode(p + i, len - i, &cp);
        if (!n) {
            separator(&r, 0xFFFD);
            i++;
            continue;
        }
        /* The table text_fold uses; separators and what it cannot say go the general way. */
        char f = text_fold_char((uint32_t)cp);
        if (f && f != ' ')
            letter(&r, f, i, i + n);
        else if (cp >= 0x300 && cp <= 0x36F)
            mark(&r, i + n);
        else
            general(&r, cp, i, i + n);
        i += n;
    }
    end_word(&r);
    return r.rc;
}
