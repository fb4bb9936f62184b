/* PostgreSQL's half of reading the search index: which passages hold the query's terms (the GIN index) and their BM25
 * rank, computed as FTS5's vi_rank computes it on SQLite, so that both engines answer alike. Must not pass user text to
 * the engine except as folded, quoted terms. */
#include "store/search_scan.h"
#include "core/buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vi_rank (sqlite/fts5.c) for PostgreSQL, computed the same way to the last bit: FTS5's idf of each term from the
 * number of passages and the term's count, clamped to 1e-6; a term's frequency is its hits weighted 3 in the title
 * and 1 in the body; the terms summed in the order of the query. */
static double bm25_idf(int64_t rows, int64_t hits)
{
    double idf = log(((double)(rows - hits) + 0.5) / ((double)hits + 0.5));
    return idf > 1e-6 ? idf : 1e-6;
}

static double bm25_rank(const double *idf, const double *freq, int n)
{
    const double k1 = 1.2;
    double score = 0;
    for (int i = 0; i < n; i++)
        if (freq[i] > 0)
            score += idf[i] * freq[i] * (k1 + 1) / (freq[i] + k1);
    return -score;
}

/* Adds to freq[j] w for each position a tsvector's text gives the term idx[j] of q: "'a':1B,5B 'b':2B". Lexemes are
 * quoted, a quote inside one doubled; a lexeme with no position still counts once (ours always have one). */
static void count_hits(const char *v, const struct terms *q, const int *idx, int k, double w, double *freq)
{
    char lex[sizeof q->v[0]];
    while (v && (v = strchr(v, '\''))) {
        size_t n = 0;
        for (v++; *v && !(*v == '\'' && v[1] != '\''); v++) {
            if (*v == '\'' || (*v == '\\' && v[1])) /* a doubled quote, an escaped backslash: one character */
                v++;
            if (n < sizeof lex - 1)
                lex[n++] = *v;
        }
        lex[n] = '\0';
        if (!*v)
            break;
        int hits = 1;
        for (v++; *v == ':' || *v == ',' || (*v >= '0' && *v <= '9') || (*v >= 'A' && *v <= 'D'); v++)
            hits += *v == ',';
        for (int j = 0; j < k; j++)
            if (!strcmp(q->v[idx[j]], lex)) {
                while (hits--)
                    freq[j] += w;
                break;
            }
    }
}

/* scan() on PostgreSQL, in two steps, because reading a passage's vector (decompressing it, keeping the query's
 * lexemes) costs some 9 µs where FTS5 reads compact doclists.
 * 1. Which kept terms each passage holds: one GIN lookup per term, which reads no vector (member_of). That is every hit
 *    and, over the whole index, each term's count of passages.
 * 2. The exact BM25 of the hits that can still matter. A term a passage holds adds between idf (one hit in the body:
 *    f * 2.2 / (f + 1.2) is 1 at f = 1) and 2.2 idf (the limit of many hits) to its score. The top hits (or items, the
 *    best passage of each) all score at least the top-th best lower bound, so a hit whose upper bound is below that
 *    can be neither among them nor the best passage of one of them: it keeps its lower bound as its rank, which ranks
 *    it after all of them, and its vector is not read. A query of one term bounds nothing and reads every hit. */
struct member { int64_t id; int term; };

static int by_member(const void *a, const void *b)
{
    const struct member *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id ? 1 : x->term - y->term;
}

static int by_value_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

/* Step 1: (passage, term) for every kept term, sorted by passage. tsq_hidden: each term's tsquery goes in a subquery
 * the planner cannot look into; seeing a syllable in a third of the passages it would read the whole table and match
 * every vector, where the GIN index hands over the passages and no vector is read (16 ms -> 3 ms). NULL on an error. */
static struct member *member_of(db *d, const struct terms *q, const int *idx, int k, bool whole, int64_t lo, int64_t hi,
                                size_t *n)
{
    struct member *m = NULL;
    size_t cap = 0;
    *n = 0;
    for (int j = 0; j < k; j++) {
        struct terms one = { .n = 1 };
        memcpy(one.v[0], q->v[idx[j]], sizeof one.v[0]);
        char *tsq = search_tsquery_of(&one, NULL);
        db_stmt *s = db_prepare(d, whole ? "SELECT id FROM search_passage WHERE tokens @@ (SELECT CAST(? AS tsquery))"
                                         : "SELECT id FROM search_passage WHERE tokens @@ (SELECT CAST(? AS tsquery)) "
                                           "AND id BETWEEN ? AND ?");
        int rc = DB_ERROR;
        if (s && tsq) {
            db_bind_text(s, 1, tsq);
            if (!whole) {
                db_bind_int(s, 2, lo);
                db_bind_int(s, 3, hi);
            }
            while ((rc = db_step(s)) == DB_ROW) {
                if (*n == cap) {
                    struct member *g = realloc(m, (cap = cap ? 2 * cap : 1024) * sizeof *m);
                    if (!g)
                        break;
                    m = g;
                }
                m[(*n)++] = (struct member){ db_col_int(s, 0), j };
            }
            db_done(s);
        }
        free(tsq);
        if (rc != DB_DONE) {
            free(m);
            return NULL;
        }
    }
    if (*n)
        qsort(m, *n, sizeof *m, by_member);
    return m ? m : malloc(sizeof *m);
}

/* Step 2 for the hits h[want[0..nwant)] (or, want == NULL, for every passage holding a kept term: one statement that
 * walks the GIN index): each one's frequency of each kept term, title and body apart (setweight marks the kept terms
 * B and ts_filter keeps only them, so a row brings a few lexemes, not its whole vector), turned into its exact rank. */
static int rank_exactly(db *d, const struct terms *q, const int *idx, int k, const double *idf, struct hit *h, size_t nh,
                        const size_t *want, size_t nwant)
{
    struct buf words = {0}, ids = {0};
    for (int j = 0; j < k; j++)
        buf_printf(&words, "%s%s", j ? " " : "", q->v[idx[j]]); /* terms hold no space */
    char *tsq = NULL;
    if (want)
        for (size_t i = 0; i < nwant; i++)
            buf_printf(&ids, "%s%lld", i ? "," : "", (long long)h[want[i]].id);
    else
        tsq = search_tsquery_of(q, q->keep);
    db_stmt *s = db_prepare(d, want ? "SELECT id, "
                                      "CAST(ts_filter(setweight(ts_filter(tokens, '{a}'), 'b', "
                                      "string_to_array(CAST(?1 AS TEXT), ' ')), '{b}') AS TEXT), "
                                      "CAST(ts_filter(setweight(ts_filter(tokens, '{d}'), 'b', "
                                      "string_to_array(CAST(?1 AS TEXT), ' ')), '{b}') AS TEXT) "
                                      "FROM search_passage WHERE id = ANY (CAST(string_to_array(CAST(?2 AS TEXT), ',') AS BIGINT[]))"
                                    : "SELECT id, "
                                      "CAST(ts_filter(setweight(ts_filter(tokens, '{a}'), 'b', "
                                      "string_to_array(CAST(?1 AS TEXT), ' ')), '{b}') AS TEXT), "
                                      "CAST(ts_filter(setweight(ts_filter(tokens, '{d}'), 'b', "
                                      "string_to_array(CAST(?1 AS TEXT), ' ')), '{b}') AS TEXT) "
                                      "FROM search_passage WHERE tokens @@ (SELECT CAST(?2 AS tsquery))");
    int rc = DB_ERROR;
    if (s && words.p && (want ? ids.p != NULL : tsq != NULL)) {
        db_bind_text(s, 1, words.p);
        db_bind_text(s, 2, want ? ids.p : tsq);
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t id = db_col_int(s, 0);
            size_t lo = 0, hi = nh; /* h is sorted by id */
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (h[mid].id < id) lo = mid + 1;
                else hi = mid;
            }
            if (lo == nh || h[lo].id != id)
                continue; /* written since step 1: not a hit of this query */
            double freq[MAX_TERMS] = {0};
            count_hits(db_col_text(s, 1), q, idx, k, 3.0, freq); /* vi_rank(3.0, 1.0): a title hit weighs three */
            count_hits(db_col_text(s, 2), q, idx, k, 1.0, freq);
            h[lo].rank = bm25_rank(idf, freq, k);
        }
        db_done(s);
    }
    free(tsq);
    buf_free(&words);
    buf_free(&ids);
    return rc == DB_DONE ? 0 : -1;
}

struct hit *search_scan_pg(db *d, const struct terms *q, int64_t lo, int64_t hi, size_t top, bool by_item, size_t *n)
{
    int idx[MAX_TERMS] = {0}, k = 0;
    for (int i = 0; i < q->n; i++)
        if (q->keep[i])
            idx[k++] = i;
    bool whole = lo <= 0 && hi == INT64_MAX;
    size_t nm = 0;
    struct member *m = member_of(d, q, idx, k, whole, lo, hi, &nm);
    if (!m)
        return NULL;
    /* Every term's count of passages, its idf; then each hit's lower bound, the sum of the idfs of what it holds. */
    double idf[MAX_TERMS];
    int64_t rows = search_passages_n(d);
    for (int j = 0; j < k; j++) {
        int64_t df = 0;
        if (whole) {
            for (size_t i = 0; i < nm; i++)
                df += m[i].term == j;
            search_df_put(d, q->v[idx[j]], df);
        } else if ((df = search_term_df(d, q->v[idx[j]])) < 0) {
            free(m);
            return NULL;
        }
        idf[j] = bm25_idf(rows, df);
    }
    struct hit *h = malloc((nm ? nm : 1) * sizeof *h);
    double *low = malloc((nm ? nm : 1) * sizeof *low);
    *n = 0;
    for (size_t i = 0; h && low && i < nm; i++) {
        if (!*n || h[*n - 1].id != m[i].id) {
            h[*n] = (struct hit){ m[i].id, 0 };
            low[(*n)++] = 0;
        }
        low[*n - 1] += idf[m[i].term];
    }
    free(m);
    if (!h || !low) {
        free(h);
        free(low);
        return NULL;
    }
    /* The bar: the top-th best lower bound, of hits or of items (an item's is its best passage's). The hits are by id,
     * so an item's passages are together. Margins keep rounding on the safe side. */
    double bar = -1;
    double *best = malloc((*n ? *n : 1) * sizeof *best);
    size_t nb = 0;
    for (size_t i = 0; best && i < *n; i++) {
        bool same = by_item && nb && (uint64_t)h[i].id >> SEARCH_ID_ITEM_SHIFT == (uint64_t)h[i - 1].id >> SEARCH_ID_ITEM_SHIFT;
        if (same) {
            if (low[i] > best[nb - 1]) best[nb - 1] = low[i];
        } else {
            best[nb++] = low[i];
        }
    }
    if (best && top && nb >= top && k > 1) {
        qsort(best, nb, sizeof *best, by_value_desc);
        bar = best[top - 1] * (1 - 1e-9);
    }
    free(best);
    size_t *want = malloc((*n ? *n : 1) * sizeof *want), nwant = 0;
    for (size_t i = 0; want && i < *n; i++) {
        h[i].rank = -low[i];
        if (low[i] * 2.2 * (1 + 1e-9) >= bar)
            want[nwant++] = i;
    }
    free(low);
    /* Most hits still wanted: one walk of the index beats a list of ids. */
    int rc = !want ? -1 : !nwant ? 0
             : rank_exactly(d, q, idx, k, idf, h, *n, 2 * nwant > *n ? NULL : want, nwant);
    free(want);
    if (rc) {
        free(h);
        return NULL;
    }
    return h;
}
