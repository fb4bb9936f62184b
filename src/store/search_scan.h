/* What search_query.c (which reads the index and answers) and search_rank_pg.c (PostgreSQL's matching and BM25) share:
 * the terms of a query, hits and their order, the best-k heap, the passage and term counts. Must not be included
 * outside src/store/search_*.c. */
#ifndef DXDAY_STORE_SEARCH_SCAN_H
#define DXDAY_STORE_SEARCH_SCAN_H
#include "store/search.h"
#include "core/tokenizer.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More words than anyone types into a search box; bounds the expression FTS5 has to evaluate. */
#define MAX_SYLLABLES 32
#define MAX_TERMS (2 * MAX_SYLLABLES)

struct terms {
    char v[MAX_TERMS][2 * SEARCH_TOKEN_MAX + 2];
    bool keep[MAX_TERMS]; /* the terms a scan matches and ranks by */
    int n, syllables;
};

struct hit {
    int64_t id;
    double rank; /* vi_rank with the weights of migration 0006: lower is better */
};

/* The k best hits fed to it: a heap with the worst of them on top, sorted best first by topk_sorted. */
struct topk {
    struct hit *v;
    size_t n, k;
};

/* Hits in rank order, lower rank first, ties to the lower id (the same on both engines). */
int search_by_rank(const void *a, const void *b);
void search_topk_add(struct topk *t, struct hit h);
void search_topk_sorted(struct topk *t);
/* Each item's best passage among n hits, in place at the front of h; returns how many. */
size_t search_best_per_item(struct hit *h, size_t n);
/* The number of passages, and of passages holding a term (kept per connection until the index changes); -1 on error. */
int64_t search_passages_n(db *d);
int64_t search_term_df(db *d, const char *term);
void search_df_put(db *d, const char *term, int64_t df);
/* The kept terms (all of t's when keep is NULL) as tsquery text: 'a' | 'b'. NULL when out of memory. */
char *search_tsquery_of(const struct terms *t, const bool *keep);
/* PostgreSQL's scan: every passage matching q's kept terms with an id in [lo, hi], ranked as vi_rank ranks on SQLite;
 * the best top (per item when by_item) when top is not 0. NULL on error; *n the count. */
struct hit *search_scan_pg(db *d, const struct terms *q, int64_t lo, int64_t hi, size_t top, bool by_item, size_t *n);
/* SQLite's scan (search_postings.c): the best hits of t's kept terms with an id in [lo, hi] (each item's best passage
 * when by_item) into out, sorted best first, ranked as vi_rank ranks, and in *total how many hits (or items) there are.
 * The terms' postings are kept in *cache (created when NULL) until the passages change. False on an error. */
struct search_postings;
bool search_postings_scan(db *d, struct search_postings **cache, const struct terms *t, int64_t lo, int64_t hi,
                          bool by_item, struct topk *out, size_t *total);
void search_postings_free(struct search_postings *p);
#endif
