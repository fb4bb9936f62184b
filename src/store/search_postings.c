/* SQLite's ranking of a query without FTS5 walking and ranking every hit each time: each term's postings (passage,
 * weighted hit count) read once from FTS5 and kept per connection until the passages change, then BM25 summed over
 * them exactly as vi_rank sums it. Must not rank differently from vi_rank (sqlite/fts5.c), nor keep more than
 * POSTINGS_MAX postings a connection. */
#include "store/search_scan.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 12 MB a connection at most (6 bytes a posting); the bench's 100,000 passages' common syllables hold ~50,000 each. */
#define POSTINGS_MAX (2u << 20)

struct plist {
    char term[2 * SEARCH_TOKEN_MAX + 2];
    uint32_t *at;  /* indexes into ids, ascending */
    uint16_t *w;   /* vi_freq: hits weighted 3 in the title, 1 in the body */
    uint32_t n;
};

struct search_postings {
    int64_t *ids;  /* every passage id, ascending: postings refer to passages by their place here */
    uint32_t nids;
    double *acc;   /* one score a passage, all 0 between queries */
    struct plist *lists;
    size_t nlists, cap, postings;
};

void search_postings_free(struct search_postings *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nlists; i++) {
        free(p->lists[i].at);
        free(p->lists[i].w);
    }
    free(p->lists);
    free(p->ids);
    free(p->acc);
    free(p);
}

static struct search_postings *load_ids(db *d)
{
    struct search_postings *p = calloc(1, sizeof *p);
    db_stmt *s = p ? db_prepare(d, "SELECT id FROM search_passage ORDER BY id") : NULL;
    if (!s) {
        free(p);
        return NULL;
    }
    size_t cap = 1024;
    p->ids = malloc(cap * sizeof *p->ids);
    int rc = DB_DONE;
    while (p->ids && (rc = db_step(s)) == DB_ROW) {
        if (p->nids == cap) {
            int64_t *g = cap < UINT32_MAX / 2 ? realloc(p->ids, (cap *= 2) * sizeof *g) : NULL;
            if (!g)
                break;
            p->ids = g;
        }
        p->ids[p->nids++] = db_col_int(s, 0);
    }
    db_done(s);
    p->acc = calloc(p->nids ? p->nids : 1, sizeof *p->acc);
    if (rc != DB_DONE || !p->ids || !p->acc) {
        search_postings_free(p);
        return NULL;
    }
    return p;
}

/* A term's postings, read now if they are not kept yet; NULL on an error. */
static struct plist *plist_of(db *d, struct search_postings *p, const char *term)
{
    for (size_t i = 0; i < p->nlists; i++)
        if (!strcmp(p->lists[i].term, term))
            return &p->lists[i];
    if (strlen(term) >= sizeof p->lists[0].term)
        return NULL;
    /* The weights of the rank of migration 0006 (vi_rank(3.0, 1.0)). The term is folded and quoted as or_of quotes it. */
    db_stmt *s = db_prepare(d, "SELECT rowid, vi_freq(search_fts, 3.0, 1.0) FROM search_fts WHERE search_fts MATCH ?");
    if (!s)
        return NULL;
    size_t n = strlen(term);
    char *m = malloc(n + 3);
    if (!m) {
        db_done(s);
        return NULL;
    }
    m[0] = '"';
    memcpy(m + 1, term, n);
    memcpy(m + 1 + n, "\"", 2);
    db_bind_text(s, 1, m);
    free(m);
    struct plist l = {0};
    snprintf(l.term, sizeof l.term, "%s", term);
    size_t cap = 0;
    uint32_t j = 0;
    int rc = DB_DONE;
    bool oom = false;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        double f = db_col_double(s, 1);
        while (j < p->nids && p->ids[j] < id)
            j++;
        if (j == p->nids || p->ids[j] != id || f <= 0)
            continue; /* a passage written after the ids were read: the next query reads both again */
        if (l.n == cap) {
            cap = cap ? 2 * cap : 256;
            uint32_t *a = realloc(l.at, cap * sizeof *a);
            if (a)
                l.at = a;
            uint16_t *w = a ? realloc(l.w, cap * sizeof *w) : NULL;
            if (w)
                l.w = w;
            if (!a || !w) {
                oom = true;
                break;
            }
        }
        l.at[l.n] = j;
        l.w[l.n++] = f > UINT16_MAX ? UINT16_MAX : (uint16_t)f;
    }
    db_done(s);
    if (oom || rc == DB_ERROR) {
        free(l.at);
        free(l.w);
        return NULL;
    }
    if (p->postings + l.n > POSTINGS_MAX) { /* full: forget the others (the next queries read theirs again) */
        for (size_t i = 0; i < p->nlists; i++) {
            free(p->lists[i].at);
            free(p->lists[i].w);
        }
        p->nlists = 0;
        p->postings = 0;
    }
    if (p->nlists == p->cap) {
        size_t c = p->cap ? 2 * p->cap : 16;
        struct plist *g = realloc(p->lists, c * sizeof *g);
        if (!g) {
            free(l.at);
            free(l.w);
            return NULL;
        }
        p->lists = g;
        p->cap = c;
    }
    p->postings += l.n;
    p->lists[p->nlists] = l;
    return &p->lists[p->nlists++];
}

/* The first place in ids at or above id. */
static uint32_t place_of(const struct search_postings *p, int64_t id)
{
    uint32_t a = 0, b = p->nids;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (p->ids[m] < id)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

static uint32_t first_at(const struct plist *l, uint32_t from)
{
    uint32_t a = 0, b = l->n;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (l->at[m] < from)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

bool search_postings_scan(db *d, struct search_postings **cache, const struct terms *t, int64_t lo, int64_t hi,
                          bool by_item, struct topk *out, size_t *total)
{
    struct search_postings *p = *cache;
    if (!p && !(p = *cache = load_ids(d)))
        return false;
    int64_t rows = search_passages_n(d);
    uint32_t from = place_of(p, lo), to = hi == INT64_MAX ? p->nids : place_of(p, hi + 1);
    /* vi_rank: score = sum over the query's phrases, in their order, of idf * f * (k1 + 1) / (f + k1) where f > 0,
     * idf FTS5's from the phrase's count of rows, at least 1e-6. Summed here term by term into each passage's
     * accumulator, which adds the same numbers in the same order, so the scores are equal to the last bit. */
    const double k1 = 1.2;
    for (int i = 0; i < t->n; i++) {
        if (!t->keep[i])
            continue;
        struct plist *l = plist_of(d, p, t->v[i]);
        if (!l) {
            memset(p->acc, 0, p->nids * sizeof *p->acc);
            return false;
        }
        int64_t hits = l->n;
        double idf = log(((double)(rows - hits) + 0.5) / ((double)hits + 0.5));
        idf = idf > 1e-6 ? idf : 1e-6;
        for (uint32_t j = first_at(l, from); j < l->n && l->at[j] < to; j++) {
            double f = l->w[j];
            p->acc[l->at[j]] += idf * f * (k1 + 1) / (f + k1);
        }
    }
    /* Passages come in id order, so an item's passages are neighbours: its best (ties to the earlier) is known when
     * the next item starts. */
    size_t n = 0;
    struct hit best = { 0, 0 };
    for (uint32_t i = from; i < to; i++) {
        if (p->acc[i] == 0)
            continue;
        struct hit h = { p->ids[i], -p->acc[i] };
        p->acc[i] = 0;
        if (!by_item) {
            search_topk_add(out, h);
            n++;
        } else if (!best.id || (uint64_t)best.id >> SEARCH_ID_ITEM_SHIFT != (uint64_t)h.id >> SEARCH_ID_ITEM_SHIFT) {
            if (best.id)
                search_topk_add(out, best);
            best = h;
            n++;
        } else if (search_by_rank(&h, &best) < 0) {
            best = h;
        }
    }
    if (best.id)
        search_topk_add(out, best);
    search_topk_sorted(out);
    *total = n;
    return true;
}
