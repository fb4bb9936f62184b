/* Text fragment directives for cited sentences (core/textfrag.h). Must not decide which sentence is cited: the
 * assistant does; this only says where it is. */
#include "core/textfrag.h"
#include "core/buf.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A term of a directive is a few words: enough to be found once on a plan's page, short enough for a link. */
#define TERM_WORDS 5
#define CONTEXT_WORDS 3
#define MAX_WORDS 400

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* A line's list marker ("- ", "* ", "+ "), which the assistant leaves out of its sentences. */
static bool bullet(char c) { return c == '-' || c == '*' || c == '+'; }

struct word { size_t s, e; };

/* Matches the words of sentence at passage[at]: the same words in order, any run of blanks between them, and a list
 * marker where a line starts. Fills pos with each word's place in the passage; false when it does not match. */
static bool match_at(const char *p, size_t at, const char *sen, const struct word *w, size_t nw, struct word *pos)
{
    size_t i = at;
    for (size_t k = 0; k < nw; k++) {
        if (k) {
            size_t g = i;
            bool newline = false;
            while (p[g] && (blank(p[g]) || (newline && bullet(p[g]) && blank(p[g + 1])))) newline |= p[g++] == '\n';
            if (g == i) return false;
            i = g;
        }
        size_t len = w[k].e - w[k].s;
        if (strncmp(p + i, sen + w[k].s, len)) return false;
        pos[k] = (struct word){ i, i + len };
        i += len;
    }
    return true;
}

/* Percent-encodes s[0..len) into b, with one space for each run of blanks; '-', ',' and '&' are the directive's own. */
static void put_encoded(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    bool gap = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (blank((char)c)) { gap = true; continue; }
        if (gap) buf_puts(b, "%20");
        gap = false;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~')
            buf_printf(b, "%c", c);
        else
            buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

static bool on_one_line(const char *p, size_t s, size_t e) { return !memchr(p + s, '\n', e - s); }

/* Up to CONTEXT_WORDS words of the passage just before at (dir -1) or just after it (dir +1), on one line and with
 * nothing but blanks between them and at: the prefix or suffix that tells this place from another with the same
 * words. Returns the span, empty when there is none. */
static struct word context(const char *p, size_t at, int dir)
{
    size_t n = strlen(p), i = at;
    if (dir < 0) {
        while (i > 0 && blank(p[i - 1])) i--;
        if (i == 0 || bullet(p[i - 1])) return (struct word){ 0, 0 };
        size_t e = i, s = i;
        for (int k = 0; k < CONTEXT_WORDS && s > 0 && p[s - 1] != '\n'; k++) {
            while (s > 0 && !blank(p[s - 1])) s--;
            if (k + 1 < CONTEXT_WORDS) while (s > 0 && (p[s - 1] == ' ' || p[s - 1] == '\t')) s--;
        }
        while (s < e && blank(p[s])) s++;
        if (s < e && bullet(p[s]) && s + 1 < e && blank(p[s + 1])) for (s++; s < e && blank(p[s]); s++);
        return (struct word){ s, e };
    }
    while (i < n && blank(p[i])) i++;
    if (i >= n || (bullet(p[i]) && blank(p[i + 1]))) return (struct word){ 0, 0 };
    size_t s = i, e = i;
    for (int k = 0; k < CONTEXT_WORDS && e < n && p[e] != '\n'; k++) {
        while (e < n && !blank(p[e])) e++;
        if (k + 1 < CONTEXT_WORDS) while (e < n && (p[e] == ' ' || p[e] == '\t')) e++;
    }
    while (e > s && blank(p[e - 1])) e--;
    return (struct word){ s, e };
}

char *textfrag_directive(const char *passage, const char *sentence)
{
    if (!passage || !sentence) return NULL;
    struct word w[MAX_WORDS], pos[MAX_WORDS];
    size_t nw = 0;
    for (size_t i = 0; sentence[i];) {
        while (blank(sentence[i])) i++;
        if (!sentence[i]) break;
        size_t s = i;
        while (sentence[i] && !blank(sentence[i])) i++;
        if (nw == MAX_WORDS) return NULL;
        w[nw++] = (struct word){ s, i };
    }
    if (!nw) return NULL;
    size_t first = w[0].e - w[0].s;
    bool found = false;
    for (size_t at = 0; passage[at] && !found; at++) {
        if (at && !blank(passage[at - 1])) continue;
        if (strncmp(passage + at, sentence + w[0].s, first)) continue;
        found = match_at(passage, at, sentence, w, nw, pos);
    }
    if (!found) return NULL;
    /* The words on the sentence's first line open the range; those on its last line close it. */
    size_t first_line = 1, last_line = 1;
    while (first_line < nw && on_one_line(passage, pos[0].s, pos[first_line].e)) first_line++;
    while (last_line < nw && on_one_line(passage, pos[nw - 1 - last_line].s, pos[nw - 1].e)) last_line++;
    struct buf b = { 0 };
    buf_puts(&b, "text=");
    struct word pre = context(passage, pos[0].s, -1), post = context(passage, pos[nw - 1].e, +1);
    if (pre.e > pre.s) {
        put_encoded(&b, passage + pre.s, pre.e - pre.s);
        buf_puts(&b, "-,");
    }
    if (first_line == nw && nw <= 2 * TERM_WORDS) {
        put_encoded(&b, passage + pos[0].s, pos[nw - 1].e - pos[0].s);
    } else {
        size_t ns = first_line < TERM_WORDS ? first_line : TERM_WORDS, ne = last_line < TERM_WORDS ? last_line : TERM_WORDS;
        put_encoded(&b, passage + pos[0].s, pos[ns - 1].e - pos[0].s);
        buf_puts(&b, ",");
        put_encoded(&b, passage + pos[nw - ne].s, pos[nw - 1].e - pos[nw - ne].s);
    }
    if (post.e > post.s) {
        buf_puts(&b, ",-");
        put_encoded(&b, passage + post.s, post.e - post.s);
    }
    return buf_take(&b);
}
