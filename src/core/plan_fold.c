/* The plan parser's folded view of a document (ASCII, one byte per code point, mapped back to the NFC text),
 * phrase matching on it, tokens and string lists. Must not allocate per character or read outside [0, n). */
#include "core/plan_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>


void *pp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort(); /* as buf.c: the parser has no partial result worth returning without memory */
    return p;
}

void *pp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

char *pp_xstrndup(const char *s, size_t n)
{
    char *d = pp_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *pp_xstrdup(const char *s)
{
    return pp_xstrndup(s, strlen(s));
}

/* Decodes one code point of text already known to be valid UTF-8. */
static inline int32_t dec(const unsigned char *p, int *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *len = 2;
        return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *len = 3;
        return ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *len = 4;
    return ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

static int fold_slow(int32_t cp)
{
    switch (cp) {
    case 0x0111: return 'd'; /* đ has no decomposition */
    case 0x0110: return 'D';
    case 0x00F0: return 'd'; /* ð typed for đ on some keyboards */
    case 0x00D0: return 'D';
    case 0x00A0: case 0x202F: case 0x205F: case 0x3000: return ' ';
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD: return 0;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: return '-';
    case 0x2018: case 0x2019: case 0x201A: case 0x2032: return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: return '"';
    case 0x2026: return '.';
    case 0x2022: case 0x2023: case 0x25CF: case 0x25AA: case 0x25E6: case 0x00B7: case 0xF0B7: case 0x2043:
        return '-'; /* bullets from word processors read as dashes */
    case 0x2028: case 0x2029: return '\n';
    default: break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return ' ';
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    if (pr->category == UTF8PROC_CATEGORY_MN || pr->category == UTF8PROC_CATEGORY_ME)
        return 0; /* a stray combining mark (NFD leftovers) belongs to the letter before it */
    utf8proc_int32_t parts[8];
    utf8proc_ssize_t np = utf8proc_decompose_char(cp, parts, 8, UTF8PROC_DECOMPOSE, NULL);
    if (np >= 1 && np <= 8 && parts[0] < 0x80 && fv_alnum((char)parts[0]))
        return (int)parts[0];
    switch (pr->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
        return 'x'; /* a letter of another script still is part of a word */
    case UTF8PROC_CATEGORY_ZS:
        return ' ';
    default:
        return '~';
    }
}

int pp_fv_fold_cp(int32_t cp, unsigned char *memo)
{
    if (cp < 0x80)
        return cp;
    if (memo && cp < 0x2000) {
        if (!memo[cp])
            memo[cp] = (unsigned char)(fold_slow(cp) + 1);
        return memo[cp] - 1;
    }
    return fold_slow(cp);
}

int32_t pp_fv_cp(const struct fview *v, size_t i)
{
    int len;
    return i < v->n ? dec((const unsigned char *)v->text + v->off[i], &len) : 0;
}

bool pp_fv_build(struct fview *v, const char *text, size_t len)
{
    v->text = text;
    v->tlen = len;
    v->n = 0;
    if (len >= UINT32_MAX)
        return false; /* offsets are 32-bit; inputs are limited to 20 MB long before this */
    v->f = pp_xmalloc(len + 1);
    v->off = pp_xmalloc((len + 1) * sizeof *v->off);
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0, n = 0;
    bool line_start = true;
    while (i < len) {
        unsigned char b = p[i];
        if (b > ' ' && b < 0x7F && b != '*' && b != '\\' && b != '#' && b != '<') {
            /* Plain printable ASCII (most of any document) folds to itself. */
            v->f[n] = (char)b;
            v->off[n] = (uint32_t)i;
            n++;
            i++;
            line_start = false;
            continue;
        }
        int cl;
        int32_t cp = dec(p + i, &cl);
        int c = pp_fv_fold_cp(cp, v->memo);
        if (c == '\r')
            c = (i + 1 < len && p[i + 1] == '\n') ? 0 : '\n';
        else if (c == '\t' || c == '\v' || c == '\f' || (c > 0 && c < 0x20 && c != '\n'))
            c = ' ';
        if (c == '*') {
            /* A star opening a line and followed by a space is a markdown bullet; any other star is emphasis. */
            c = (line_start && i + 1 < len && (p[i + 1] == ' ' || p[i + 1] == '\t')) ? '-' : 0;
        } else if (c == '\\' && i + 1 < len && p[i + 1] < 0x80 && !fv_alnum((char)p[i + 1]) && p[i + 1] > ' ') {
            c = 0; /* markdown escape ("1\." from converters) */
        } else if (c == '#' && line_start) {
            size_t k = i;
            while (k < len && p[k] == '#')
                k++;
            if (k < len && p[k] == ' ') {
                i = k; /* a markdown heading marker: the heading text stays */
                continue;
            }
        }
        if (c == '<' && i + 3 < len && (p[i + 1] | 0x20) == 'b' && (p[i + 2] | 0x20) == 'r') {
            /* "<br>" inside a converted table cell separates values the way ';' does. */
            size_t k = i + 3;
            while (k < len && (p[k] == ' ' || p[k] == '/'))
                k++;
            if (k < len && p[k] == '>') {
                v->f[n] = ';';
                v->off[n] = (uint32_t)i;
                n++;
                line_start = false;
                i = k + 1;
                continue;
            }
        }
        if (c == ' ') {
            if (n == 0 || v->f[n - 1] == ' ' || v->f[n - 1] == '\n')
                c = 0;
        } else if (c == '\n') {
            while (n > 0 && v->f[n - 1] == ' ')
                n--; /* trailing spaces of a line */
        }
        if (c) {
            v->f[n] = (char)c;
            v->off[n] = (uint32_t)i;
            n++;
            if (c == '\n')
                line_start = true;
            else if (c != ' ')
                line_start = false;
        }
        i += (size_t)cl;
    }
    v->f[n] = '\0';
    v->off[n] = (uint32_t)len;
    v->n = n;
    return true;
}

void pp_fv_free(struct fview *v)
{
    free(v->f);
    free(v->off);
    free(v->lex);
    v->f = NULL;
    v->off = NULL;
    v->lex = NULL;
    v->n = 0;
}

char *pp_fv_extract(const struct fview *v, size_t a, size_t b)
{
    if (b > v->n)
        b = v->n;
    while (a < b && (v->f[a] == ' ' || v->f[a] == '\n'))
        a++;
    while (b > a && (v->f[b - 1] == ' ' || v->f[b - 1] == '\n'))
        b--;
    if (a >= b)
        return pp_xstrdup("");
    size_t cap = (size_t)(v->off[b] - v->off[a]) + 1, n = 0;
    char *out = pp_xmalloc(cap + (b - a)); /* normalised spaces are never longer than what they replace */
    for (size_t k = a; k < b; k++) {
        char c = v->f[k];
        if (c == ' ' || c == '\n') {
            if (n > 0 && out[n - 1] != ' ')
                out[n++] = ' ';
            continue;
        }
        if (c == ';' && v->text[v->off[k]] == '<') {
            out[n++] = ';'; /* a "<br>" (see fv_build) */
            out[n++] = ' ';
            continue;
        }
        const unsigned char *o = (const unsigned char *)v->text + v->off[k];
        int len = o[0] < 0x80 ? 1 : o[0] < 0xE0 ? 2 : o[0] < 0xF0 ? 3 : 4;
        for (int b = 0; b < len; b++)
            out[n++] = (char)o[b];
    }
    out[n] = '\0';
    return out;
}

bool pp_fv_word(const struct fview *v, size_t i, const char *pat, bool ci, size_t *end)
{
    if (i >= v->n || (i > 0 && fv_alnum(v->f[i - 1])))
        return false;
    const unsigned char *p = (const unsigned char *)pat;
    /* Most calls fail on the first letter: decide those without decoding anything. */
    if (p[0] < 0x80 && (ci ? fv_tolower(v->f[i]) != fv_tolower((char)p[0]) : v->f[i] != (char)p[0]))
        return false;
    size_t j = i;
    bool first = true;
    while (*p) {
        if (j >= v->n)
            return false;
        if (*p == ' ') {
            if (v->f[j] != ' ')
                return false;
            p++;
            j++;
            continue;
        }
        const unsigned char *o = (const unsigned char *)v->text + v->off[j];
        if (*p < 0x80) {
            /* Both texts are NFC: an ASCII letter of the pattern must be the same byte in the original. */
            if (*o != *p && !(ci && first && *o < 0x80 && fv_tolower((char)*o) == (char)*p))
                return false;
            p++;
        } else {
            int pl;
            int32_t pc = dec(p, &pl);
            if (fv_tolower(v->f[j]) != fv_tolower((char)pp_fv_fold_cp(pc, v->memo)))
                return false; /* cheap rejection before comparing bytes */
            /* Same code point means same bytes (both NFC); a different length is a different letter, and the
             * length check keeps memcmp inside the text. */
            int ol = o[0] < 0x80 ? 1 : o[0] < 0xE0 ? 2 : o[0] < 0xF0 ? 3 : 4;
            bool same = ol == pl && memcmp(o, p, (size_t)pl) == 0;
            if (!same && !(ci && first && utf8proc_tolower(pp_fv_cp(v, j)) == pc))
                return false;
            p += pl;
        }
        first = false;
        j++;
    }
    if (j < v->n && fv_alnum(v->f[j]))
        return false;
    if (end)
        *end = j;
    return true;
}

bool pp_fv_key(const struct fview *v, size_t i, const char *key, size_t *end)
{
    if (i >= v->n || (i > 0 && fv_alnum(v->f[i - 1])))
        return false;
    size_t j = i;
    for (const char *k = key; *k; k++, j++)
        if (j >= v->n || fv_tolower(v->f[j]) != *k)
            return false;
    if (j < v->n && fv_alnum(v->f[j]))
        return false;
    if (end)
        *end = j;
    return true;
}

void pp_toks_scan(struct toks *ts, const struct fview *v, size_t s, size_t e)
{
    ts->n = 0;
    if (e > v->n)
        e = v->n;
    size_t i = s;
    while (i < e) {
        char c = v->f[i];
        if (c == ' ' || c == '\n') {
            i++;
            continue;
        }
        if (ts->n == ts->cap) {
            ts->cap = ts->cap ? ts->cap * 2 : 64;
            ts->t = pp_xrealloc(ts->t, ts->cap * sizeof *ts->t);
        }
        struct tok *t = &ts->t[ts->n++];
        t->s = (uint32_t)i;
        if (fv_alnum(c)) {
            while (i < e && fv_alnum(v->f[i]))
                i++;
            t->c = 0;
        } else {
            i++;
            t->c = c;
        }
        t->e = (uint32_t)i;
    }
}

void pp_toks_free(struct toks *ts)
{
    free(ts->t);
    ts->t = NULL;
    ts->n = ts->cap = 0;
}

size_t pp_toks_at(const struct toks *ts, size_t from, size_t i)
{
    size_t k = from;
    while (k < ts->n && ts->t[k].s < i)
        k++;
    return k;
}

void pp_sl_push(struct slist *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = pp_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

void pp_sl_free(struct slist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

bool pp_sl_has(const struct slist *l, const char *s)
{
    /* Names come from one NFC text, so a repeated name is byte-identical. */
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}
