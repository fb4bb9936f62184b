/* The snippet and highlight of a passage from our tokenizer's tokens, choosing and marking as FTS5 does on SQLite (see
 * search_snippet.h). Must not fold text itself (core/tokenizer.c does) nor know which engine stored the passage. */
#include "store/search_snippet.h"
#include "core/buf.h"
#include "core/tokenizer.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct span { int start, end; };
struct inst { int pos, term; };

struct scan {
    const char *text;
    const char *const *terms;
    int nterms;
    struct span *tok;   /* every syllable: its position is its index */
    int ntok, captok;
    struct inst *inst;  /* every hit of a term, by position: a pair sits at its first syllable */
    int ninst, capinst;
    int *first;         /* positions that begin a sentence */
    int nfirst, capfirst;
    bool oom;
};

static bool grow(void **v, int *cap, int n, size_t size)
{
    if (n < *cap) return true;
    int c = *cap ? 2 * *cap : 64;
    void *g = realloc(*v, (size_t)c * size);
    if (!g) return false;
    *v = g;
    *cap = c;
    return true;
}

static int term_of(const struct scan *s, const char *tok, int ntok)
{
    /* Every token of every result is looked up here: the first byte rules out most terms without a call. */
    for (int i = 0; i < s->nterms; i++)
        if (s->terms[i][0] == tok[0] && !strncmp(s->terms[i], tok, (size_t)ntok) && s->terms[i][ntok] == '\0') return i;
    return -1;
}

static void add_inst(struct scan *s, int pos, int term)
{
    if (term < 0 || s->oom) return;
    if (!grow((void **)&s->inst, &s->capinst, s->ninst, sizeof *s->inst)) { s->oom = true; return; }
    s->inst[s->ninst++] = (struct inst){ pos, term };
}

/* FTS5's sentence rule: a syllable starts one when only blanks separate it from a '.' or ':' before it, or when it
 * is the first. Other punctuation does not count, so windows line up with the same words on both engines. */
static bool starts_sentence(const char *text, int start)
{
    int i = start - 1;
    while (i >= 0 && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) i--;
    return i >= 0 && i != start - 1 && (text[i] == '.' || text[i] == ':');
}

static int on_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    struct scan *s = ctx;
    if (s->oom) return 1;
    if (tflags & SEARCH_TOKEN_COLOCATED) {
        add_inst(s, s->ntok - 1, term_of(s, tok, ntok));
        return s->oom;
    }
    int pos = s->ntok;
    if (!grow((void **)&s->tok, &s->captok, s->ntok, sizeof *s->tok)) return s->oom = true;
    s->tok[s->ntok++] = (struct span){ start, end };
    if (pos == 0 || starts_sentence(s->text, start)) {
        if (!grow((void **)&s->first, &s->capfirst, s->nfirst, sizeof *s->first)) return s->oom = true;
        s->first[s->nfirst++] = pos;
    }
    add_inst(s, pos, term_of(s, tok, ntok));
    return s->oom;
}

/* How good a window of n syllables from pos is: 1000 for each term in it, 1 for each repeat. *adj: where a window
 * around those hits would start, the hits centred, kept inside the text. */
static int window_score(const struct scan *s, unsigned char *seen, int pos, int n, int *adj)
{
    int score = 0, firsthit = -1, last = 0;
    int64_t end = (int64_t)pos + n;
    memset(seen, 0, (size_t)s->nterms);
    for (int i = 0; i < s->ninst; i++) {
        const struct inst *h = &s->inst[i];
        if (h->pos < pos || h->pos >= end) continue;
        score += seen[h->term] ? 1 : 1000;
        seen[h->term] = 1;
        if (firsthit < 0) firsthit = h->pos;
        last = h->pos + 1;
    }
    if (adj) {
        int64_t a = firsthit - (n - (last - firsthit)) / 2;
        if (a + n > s->ntok) a = s->ntok - n;
        if (a < 0) a = 0;
        *adj = (int)a;
    }
    return score;
}

/* The first syllable of the best window of n: each hit proposes the window centred on the hits that follow it and the
 * sentence it lies in (a sentence start weighs 100 more, the text's start 120); the first best one wins. */
static int best_start(const struct scan *s, unsigned char *seen, int n)
{
    int best = 0, at = 0;
    for (int i = 0; i < s->ninst; i++) {
        int io = s->inst[i].pos, adj;
        int score = window_score(s, seen, io, n, &adj);
        if (score > best) best = score, at = adj;
        if (!s->nfirst || s->ntok <= n) continue;
        int j = 0;
        while (j < s->nfirst - 1 && s->first[j + 1] <= io) j++;
        if (s->first[j] < io) {
            score = window_score(s, seen, s->first[j], n, NULL) + (s->first[j] == 0 ? 120 : 100);
            if (score > best) best = score, at = s->first[j];
        }
    }
    return at;
}

char *search_snippet(const char *text, const char *const *terms, int nterms, int ntokens)
{
    struct scan s = { .text = text ? text : "", .terms = terms, .nterms = nterms > 0 ? nterms : 0 };
    int len = (int)strlen(s.text);
    search_tokenize(s.text, len, false, on_token, &s);
    unsigned char *seen = malloc(s.nterms ? (size_t)s.nterms : 1);
    struct buf b = { 0 };
    char *out = NULL;
    if (s.oom || !seen) goto done;
    int lo = 0, hi = s.ntok - 1, off = 0;
    if (ntokens > 0) {
        lo = best_start(&s, seen, ntokens);
        hi = lo + ntokens - 1;
        if (lo > 0) {
            buf_puts(&b, "…");
            off = lo < s.ntok ? s.tok[lo].start : len;
        }
    }
    /* Hits are by position, a syllable's hits together: mark each syllable that has one. */
    int h = 0;
    for (int pos = lo; pos <= hi && pos < s.ntok; pos++) {
        while (h < s.ninst && s.inst[h].pos < pos) h++;
        const struct span *t = &s.tok[pos];
        if (h < s.ninst && s.inst[h].pos == pos) {
            buf_put(&b, s.text + off, (size_t)(t->start - off));
            buf_puts(&b, "\x01");
            buf_put(&b, s.text + t->start, (size_t)(t->end - t->start));
            buf_puts(&b, "\x02");
            off = t->end;
        }
        if (pos == hi) {
            buf_put(&b, s.text + off, (size_t)(t->end - off));
            off = t->end;
        }
    }
    if (hi >= s.ntok - 1)
        buf_put(&b, s.text + off, (size_t)(len - off));
    else
        buf_puts(&b, "…");
    out = buf_take(&b);
done:
    buf_free(&b);
    free(seen);
    free(s.tok);
    free(s.inst);
    free(s.first);
    return out;
}
