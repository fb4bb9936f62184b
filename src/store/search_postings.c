/* SQLite's ranking of a query without FTS5 walking and ranking every hit each time: each term's postings (passage,
 * weighted hit count) read once from FTS5 and kept per connection until the passages change, then BM25 summed over
 * them exactly as vi_rank sums it. Must not rank differently from vi_rank (sqlite/fts5.c), nor keep more than
 * POSTINGS_MAX postings a connection. */
#include "store/search_scan.h"
#include "store/sqlite/shared_map.h"
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 12 MB a connection at most (6 bytes a posting); the bench's 100,000 passages' common syllables hold ~50,000 each.
 * Past either bound every list is forgotten (the next queries read theirs again), as the term counts are. */
#define POSTINGS_MAX (2u << 20)
#define LISTS_MAX 2048
#define SLOTS (2 * LISTS_MAX) /* a power of two */
/* Postings read from FTS5 leave their pages of the file mapped (with up to 16 neighbours the kernel maps around each
 * page read), though they are never read there again while the lists are kept: once this many postings (some 20
 * pages of doclists at about 5 bytes each) have been read by any connection, the file's pages are let go
 * (shared_map.c); the few each query reads come back at its first read. */
#define FORGET_AFTER 4096
static _Atomic size_t read_since;
/* And every so many queries whatever they read: the counts of terms (search_term_df, FTS5's vocabulary reading a
 * term's whole doclist) are read again each time their cache fills up, some 25 MB of the file's pages in the bench.
 * Letting go costs the next queries a few hundred faults on pages the kernel still holds (no disk read). */
#define FORGET_EVERY 1024
static _Atomic unsigned scans;
/* Terms no passage holds, remembered until the passages change like the lists (a power of two; forgotten when half
 * full): a question's word pairs ("la_gi", "khi_nao") are rarely in any document, and each cost FTS5 a query to find
 * so again, a tenth of a new question's time. */
#define ABSENT_SLOTS 1024

struct plist {
    char term[2 * SEARCH_TOKEN_MAX + 2];
    uint32_t *at;  /* indexes into ids, ascending */
    uint16_t *w;   /* vi_freq: hits weighted 3 in the title, 1 in the body */
    uint32_t n;
};

struct search_postings {
    int64_t *ids;  /* every passage id, ascending: postings refer to passages by their place here */
    uint32_t nids;
    uint32_t *item; /* each passage's item, numbered in id order (an item's passages are neighbours) */
    double *acc;   /* one score a passage, all 0 between queries */
    uint64_t *seen; /* one bit an item (or a passage), all 0 between queries: which are hits */
    struct plist *lists;
    size_t nlists, cap, postings;
    uint32_t slot[SLOTS]; /* 1 + the index in lists of a term hashed there, 0 when free */
    char *absent[ABSENT_SLOTS];
    size_t nabsent;
};

static uint64_t fnv(const char *term)
{
    uint64_t h = 1469598103934665603u;
    for (const char *c = term; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    return h;
}

static size_t hash_of(const char *term) { return (size_t)fnv(term) & (SLOTS - 1); }

static void forget_absent(struct search_postings *p)
{
    for (size_t i = 0; i < ABSENT_SLOTS; i++) {
        free(p->absent[i]);
        p->absent[i] = NULL;
    }
    p->nabsent = 0;
}

/* Whether term is known to be in no passage; else, when add, it is remembered as such (if memory allows). */
static bool absent(struct search_postings *p, const char *term, bool add)
{
    size_t h = (size_t)fnv(term) & (ABSENT_SLOTS - 1);
    for (; p->absent[h]; h = (h + 1) & (ABSENT_SLOTS - 1))
        if (!strcmp(p->absent[h], term))
            return true;
    if (add) {
        if (p->nabsent >= ABSENT_SLOTS / 2) {
            forget_absent(p);
            h = (size_t)fnv(term) & (ABSENT_SLOTS - 1);
        }
        if ((p->absent[h] = strdup(term)))
            p->nabsent++;
    }
    return false;
}

static void forget_lists(struct search_postings *p)
{
    for (size_t i = 0; i < p->nlists; i++) {
        free(p->lists[i].at);
        free(p->lists[i].w);
    }
    p->nlists = 0;
    p->postings = 0;
    memset(p->slot, 0, sizeof p->slot);
}

void search_postings_free(struct search_postings *p)
{
    if (!p)
        return;
    forget_lists(p);
    forget_absent(p);
    free(p->lists);
    free(p->ids);
    free(p->item);
    free(p->acc);
    free(p->seen);
    free(p);
}

static struct search_postings *load_ids(db *d)
{
    struct search_postings *p = calloc(1, sizeof *p);
    /* FTS5's docsize table (a row of a few bytes per passage, rowid = the passage's id): reading search_passage itself
     * walks every passage's text, and through SQLite's memory map each connection then holds the whole table (some
     * 120 MB of resident memory each with the bench's 100,000 passages). */
    db_stmt *s = p ? db_prepare(d, "SELECT id FROM search_fts_docsize ORDER BY id") : NULL;
    if (p && !s)
        s = db_prepare(d, "SELECT id FROM search_passage ORDER BY id");
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
    p->seen = calloc(p->nids / 64 + 1, sizeof *p->seen);
    p->item = malloc((p->nids ? p->nids : 1) * sizeof *p->item);
    for (uint32_t i = 0, k = 0; p->item && i < p->nids; i++) {
        k += i && (uint64_t)p->ids[i] >> SEARCH_ID_ITEM_SHIFT != (uint64_t)p->ids[i - 1] >> SEARCH_ID_ITEM_SHIFT;
        p->item[i] = k;
    }
    if (rc != DB_DONE || !p->ids || !p->acc || !p->seen || !p->item) {
        search_postings_free(p);
        return NULL;
    }
    if (p->nids >= FORGET_AFTER)
        sqlite_shared_map_forget_pages();
    return p;
}

/* A term's postings, read now if they are not kept yet; NULL on an error. */
static struct plist *plist_of(db *d, struct search_postings *p, const char *term)
{
    size_t h = hash_of(term);
    for (; p->slot[h]; h = (h + 1) & (SLOTS - 1))
        if (!strcmp(p->lists[p->slot[h] - 1].term, term))
            return &p->lists[p->slot[h] - 1];
    static struct plist none;
    if (strlen(term) >= sizeof p->lists[0].term)
        return NULL;
    if (absent(p, term, false))
        return &none;
    /* The weights of the rank of migration 0006 (vi_rank(3.0, 1.0)); the term folded and quoted as or_of quotes it. */
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
    /* A term no passage holds (a word new to the index, the pair it makes with its neighbour) is not kept among the
     * lists, which questions' one-off words would fill: it goes into the set of absent terms instead. */
    if (!l.n) {
        free(l.at);
        free(l.w);
        absent(p, term, true);
        return &none;
    }
    if (p->postings + l.n > POSTINGS_MAX || p->nlists >= LISTS_MAX) {
        forget_lists(p);
        h = hash_of(term);
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
    /* The doclists just read are kept here now: once enough have been read since the last time, their pages are let go. */
    if (atomic_fetch_add(&read_since, l.n) + l.n >= FORGET_AFTER) {
        atomic_store(&read_since, 0);
        sqlite_shared_map_forget_pages();
    }
    p->postings += l.n;
    p->lists[p->nlists] = l;
    p->slot[h] = (uint32_t)p->nlists + 1;
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

static int by_place(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The best-k being filled in id order: the item of the best passage waiting to be offered (an item's best, ties to
 * the earlier, is known when the next item starts), and the score a hit must beat to get in (kept here, not read from
 * the heap at each passage): once the heap is full, a hit must score above its worst, since an equal score loses to
 * the lower id of everything already in (the walk goes up the ids). */
struct scan_state {
    struct topk *out;
    bool by_item;
    struct hit best;
    uint64_t best_item;
    double floor;
};

static void offer(struct scan_state *st, struct hit h)
{
    search_topk_add(st->out, h);
    if (st->out->k && st->out->n == st->out->k)
        st->floor = -st->out->v[0].rank;
}

/* A passage scoring a above the floor. Passages at or below it are never looked at: one cannot get in, nor be the
 * best of an item that gets in instead of a passage above the floor (the floor only rises when an item is offered,
 * so it stays the same over an item's passages). */
static void candidate(struct scan_state *st, const struct search_postings *p, uint32_t i, double a)
{
    struct hit h = { p->ids[i], -a };
    if (!st->by_item) {
        offer(st, h);
        return;
    }
    uint64_t item = (uint64_t)h.id >> SEARCH_ID_ITEM_SHIFT;
    if (st->best.id && item != st->best_item) {
        offer(st, st->best);
        st->best.id = 0;
        if (!(a > st->floor))
            return;
    }
    if (!st->best.id || search_by_rank(&h, &st->best) < 0) {
        st->best = h;
        st->best_item = item;
    }
}

bool search_postings_scan(db *d, struct search_postings **cache, const struct terms *t, int64_t lo, int64_t hi,
                          bool by_item, struct topk *out, size_t *total)
{
    struct search_postings *p = *cache;
    if (!p && !(p = *cache = load_ids(d)))
        return false;
    if (atomic_fetch_add(&scans, 1) % FORGET_EVERY == FORGET_EVERY - 1)
        sqlite_shared_map_forget_pages();
    int64_t rows = search_passages_n(d);
    uint32_t from = place_of(p, lo), to = hi == INT64_MAX ? p->nids : place_of(p, hi + 1);
    /* vi_rank: score = sum over the query's phrases, in their order, of idf * f * (k1 + 1) / (f + k1) where f > 0,
     * idf FTS5's from the phrase's count of rows, at least 1e-6. Summed here term by term into each passage's
     * accumulator, which adds the same numbers in the same order, so the scores are equal to the last bit. */
    const double k1 = 1.2;
    const uint32_t *ord = by_item ? p->item : NULL;
    size_t spent = 0;
    for (int i = 0; i < t->n; i++) {
        if (!t->keep[i])
            continue;
        struct plist *l = plist_of(d, p, t->v[i]);
        if (!l) {
            memset(p->acc, 0, p->nids * sizeof *p->acc);
            memset(p->seen, 0, (p->nids / 64 + 1) * sizeof *p->seen);
            return false;
        }
        int64_t hits = l->n;
        double idf = log(((double)(rows - hits) + 0.5) / ((double)hits + 0.5));
        idf = idf > 1e-6 ? idf : 1e-6;
        uint32_t j = first_at(l, from);
        for (; j < l->n && l->at[j] < to; j++, spent++) {
            uint32_t at = l->at[j], o = ord ? ord[at] : at;
            double f = l->w[j];
            p->acc[at] += idf * f * (k1 + 1) / (f + k1);
            p->seen[o / 64] |= (uint64_t)1 << (o % 64);
        }
    }
    /* How many hits (items): the bits set above, every one of them in the words of [from, to)'s range. */
    size_t n = 0;
    if (to > from) {
        uint32_t w0 = (ord ? ord[from] : from) / 64, w1 = (ord ? ord[to - 1] : to - 1) / 64;
        for (uint32_t w = w0; w <= w1; w++) {
            n += (size_t)__builtin_popcountll(p->seen[w]);
            p->seen[w] = 0;
        }
    }
    /* The candidates in id order: a few hits are sorted from the postings; among many, the range is read through in
     * blocks, a block looked into only when one of its passages is above the floor (a test the compiler makes in
     * vector registers). */
    struct scan_state st = { .out = out, .by_item = by_item };
    st.floor = !out->k ? INFINITY : out->n < out->k ? 0 : -out->v[0].rank;
    uint32_t *few = NULL, nfew = 0;
    if (spent < (size_t)(to - from) / 16 && (few = malloc((spent ? spent : 1) * sizeof *few))) {
        for (int i = 0; i < t->n; i++) {
            struct plist *l = t->keep[i] ? plist_of(d, p, t->v[i]) : NULL;
            for (uint32_t j = l ? first_at(l, from) : 0; l && j < l->n && l->at[j] < to; j++)
                if (p->acc[l->at[j]] > 0) {
                    few[nfew++] = l->at[j];
                    p->acc[l->at[j]] = -p->acc[l->at[j]]; /* listed once */
                }
        }
        qsort(few, nfew, sizeof *few, by_place);
        for (uint32_t k = 0; k < nfew; k++) {
            uint32_t i = few[k];
            double a = -p->acc[i];
            p->acc[i] = 0;
            if (a > st.floor)
                candidate(&st, p, i, a);
        }
        free(few);
    } else {
        enum { BLOCK = 16 };
        for (uint32_t b = from; b < to; b += BLOCK) {
            uint32_t e = to - b < BLOCK ? to : b + BLOCK;
            double floor = st.floor;
            bool any = false;
            for (uint32_t i = b; i < e; i++)
                any |= p->acc[i] > floor;
            for (uint32_t i = b; any && i < e; i++)
                if (p->acc[i] > st.floor)
                    candidate(&st, p, i, p->acc[i]);
        }
        memset(p->acc + from, 0, (size_t)(to - from) * sizeof *p->acc);
    }
    if (st.best.id)
        offer(&st, st.best);
    search_topk_sorted(out);
    *total = n;
    return true;
}
