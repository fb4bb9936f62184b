/* The FTS5 glue of the search index: registers the Vietnamese tokenizer "vi" (core/tokenizer.c) and the ranking
 * "vi_rank" with SQLite. Must not fold or split text itself (the core tokenizer does), nor keep state beyond one query. */
#include "store/sqlite/fts5.h"
#include "core/tokenizer.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

_Static_assert(SEARCH_TOKEN_COLOCATED == FTS5_TOKEN_COLOCATED, "the callback's flags are FTS5's");

/* The tokenizer has no options and no per-table state; FTS5 still wants a distinct non-NULL handle. */
static int vi_create(void *unused, const char **args, int nargs, Fts5Tokenizer **out)
{
    (void)unused;
    (void)args;
    if (nargs > 0)
        return SQLITE_ERROR;
    *out = sqlite3_malloc(8);
    return *out ? SQLITE_OK : SQLITE_NOMEM;
}

static void vi_delete(Fts5Tokenizer *t) { sqlite3_free(t); }

static int vi_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                       int (*token)(void *, int, const char *, int, int, int))
{
    (void)t;
    return search_tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) != 0, token, ctx);
}

/* vi_rank(fts, w0, w1, ...): BM25 (k1 = 1.2, FTS5's idf) with column weights w (1.0 where missing) and no length
 * normalisation (b = 0), negated like bm25() so that ORDER BY rank puts the best first. Passages are cut to similar
 * sizes, so their length says little, while reading it (xColumnSize) is a table lookup per hit: three quarters of the
 * time of ranking with bm25(). */
struct rank_data {
    int phrases, cols;
    double *idf, *freq, *weight;
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *hits)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)hits)++;
    return SQLITE_OK;
}

/* Per query: each phrase's idf, from the number of rows it occurs in, exactly as bm25() computes it. */
static struct rank_data *rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, int nval, sqlite3_value **val, int *rc)
{
    int np = api->xPhraseCount(fts), nc = api->xColumnCount(fts);
    struct rank_data *d = sqlite3_malloc64(sizeof *d + (sqlite3_uint64)(2 * np + nc) * sizeof(double));
    if (!d) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    d->phrases = np;
    d->cols = nc;
    d->idf = (double *)(d + 1);
    d->freq = d->idf + np;
    d->weight = d->freq + np;
    for (int c = 0; c < nc; c++)
        d->weight[c] = c < nval ? sqlite3_value_double(val[c]) : 1.0;
    sqlite3_int64 rows = 0;
    *rc = api->xRowCount(fts, &rows);
    for (int i = 0; i < np && *rc == SQLITE_OK; i++) {
        sqlite3_int64 hits = 0;
        *rc = api->xQueryPhrase(fts, i, &hits, count_row);
        double idf = log(((double)(rows - hits) + 0.5) / ((double)hits + 0.5));
        d->idf[i] = idf > 1e-6 ? idf : 1e-6; /* a phrase in most rows still counts a little, as in bm25() */
    }
    if (*rc == SQLITE_OK)
        *rc = api->xSetAuxdata(fts, d, sqlite3_free);
    else
        sqlite3_free(d);
    return *rc == SQLITE_OK ? d : NULL;
}

static void vi_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    int rc = SQLITE_OK, n = 0;
    struct rank_data *d = api->xGetAuxdata(fts, 0);
    if (!d && !(d = rank_data(api, fts, nval, val, &rc))) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    memset(d->freq, 0, (size_t)d->phrases * sizeof *d->freq);
    rc = api->xInstCount(fts, &n);
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < d->phrases && col >= 0 && col < d->cols)
            d->freq[phrase] += d->weight[col];
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    const double k1 = 1.2;
    double score = 0;
    for (int i = 0; i < d->phrases; i++)
        if (d->freq[i] > 0)
            score += d->idf[i] * d->freq[i] * (k1 + 1) / (d->freq[i] + k1);
    sqlite3_result_double(ctx, -score);
}

/* vi_freq(fts, w0, w1, ...): the weighted count of the row's matches (each hit adds its column's weight, 1.0 where
 * missing), the freq vi_rank gives a phrase. search_postings.c loads one term's postings with it, then ranks from them
 * exactly as vi_rank would (the weights are whole numbers, so their sum does not depend on the order of the hits). */
static void vi_freq(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
    int n = 0, rc = api->xInstCount(fts, &n);
    double f = 0;
    for (int i = 0; i < n && rc == SQLITE_OK; i++) {
        int phrase, col, off;
        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && col >= 0)
            f += col < nval ? sqlite3_value_double(val[col]) : 1.0;
    }
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_double(ctx, f);
}

int search_fts5_register(struct sqlite3 *h)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return rc;
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    fts5_tokenizer vi = { vi_create, vi_delete, vi_tokenize };
    rc = api->xCreateTokenizer(api, "vi", NULL, &vi, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "vi_rank", NULL, vi_rank, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "vi_freq", NULL, vi_freq, NULL);
    return rc;
}
