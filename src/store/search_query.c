/* Reading the search index: the MATCH expression built from what a person typed, grouped results with snippets for
 * the portal, plain passages for the assistant. Must not pass user text to FTS5 except as the folded, quoted terms. */
#include "store/search.h"
#include "search/tokenizer.h"
#include "core/buf.h"
#include <stdlib.h>
#include <string.h>

/* More words than anyone types into a search box; bounds the expression FTS5 has to evaluate. */
#define MAX_SYLLABLES 32
#define MAX_TERMS (2 * MAX_SYLLABLES)

struct terms {
    char v[MAX_TERMS][2 * SEARCH_TOKEN_MAX + 2];
    int n, syllables;
};

static int add_term(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    (void)start;
    (void)end;
    struct terms *t = ctx;
    if (t->syllables >= MAX_SYLLABLES)
        return 1;
    if (!(tflags & SEARCH_TOKEN_COLOCATED))
        t->syllables++;
    for (int i = 0; i < t->n; i++)
        if (!strncmp(t->v[i], tok, (size_t)ntok) && t->v[i][ntok] == '\0')
            return 0;
    if (t->n >= MAX_TERMS || ntok > (int)sizeof t->v[0] - 1)
        return 0;
    memcpy(t->v[t->n], tok, (size_t)ntok);
    t->v[t->n][ntok] = '\0';
    t->n++;
    return 0;
}

char *store_search_match(const char *q)
{
    if (!q)
        return NULL;
    struct terms *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    /* The index's own tokenizer folds the query, so both sides agree by construction. Its tokens hold only letters,
     * digits and the bigram joiner: inside double quotes none of them is FTS5 syntax, and a quoted "a_b" is read by
     * the tokenizer as that one bigram. */
    size_t n = strlen(q);
    search_tokenize(q, n > 4096 ? 4096 : (int)n, false, add_term, t);
    struct buf b = {0};
    for (int i = 0; i < t->n; i++)
        buf_printf(&b, "%s\"%s\"", i ? " OR " : "", t->v[i]);
    free(t);
    return b.p;
}

/* snippet() output with \x01/\x02 around matches → HTML-escaped text with <mark> around them. Stored text never holds
 * those two bytes (search_index.c turns control characters into spaces), so every marker is one FTS5 put there. */
static char *mark_html(const char *s)
{
    struct buf b = {0};
    buf_puts(&b, "");
    for (const char *p = s; p && *p;) {
        size_t n = strcspn(p, "\x01\x02");
        buf_put_html(&b, p, n);
        p += n;
        if (*p == '\x01')
            buf_puts(&b, "<mark>");
        else if (*p == '\x02')
            buf_puts(&b, "</mark>");
        if (*p)
            p++;
    }
    return buf_take(&b);
}

static json_t *snippet_of(db *d, const char *match, int64_t passage)
{
    db_stmt *s = db_prepare(d, "SELECT snippet(search_fts, 1, char(1), char(2), '…', 32), "
                               "highlight(search_fts, 0, char(1), char(2)) "
                               "FROM search_fts WHERE search_fts MATCH ? AND rowid = ?");
    if (!s)
        return NULL;
    db_bind_text(s, 1, match);
    db_bind_int(s, 2, passage);
    json_t *v = NULL;
    if (db_step(s) == DB_ROW) {
        const char *body = db_col_text(s, 0);
        /* A passage with no body (a title alone) still gets a snippet: its title, marked. */
        char *html = mark_html(body && *body ? body : db_col_text(s, 1));
        v = json_string(html);
        free(html);
    }
    db_done(s);
    return v;
}

static int clamp(int limit, int dflt, int max) { return limit <= 0 ? dflt : limit > max ? max : limit; }

static char *pairs_match(const char *q);

static json_t *empty_result(const char *q)
{
    json_t *qs = q ? json_string(q) : NULL;
    return json_pack("{s:o, s:i, s:[]}", "query", qs ? qs : json_string(""), "total", 0, "groups");
}

/* The best passage of each matching item (ties go to the earlier chunk), best items first, with the number of items
 * among the 2,000 best passages: grouping every hit of a common syllable over 100,000 passages costs too much. */
static const char ITEMS_SQL[] =
    "WITH hit AS (SELECT rowid AS id, rank FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rank LIMIT 2000), "
    "best AS (SELECT p.id, p.kind, p.ref_id, p.title, p.url, p.date, h.rank, "
    "  row_number() OVER (PARTITION BY p.kind, p.ref_id ORDER BY h.rank, p.seq) AS rn "
    "  FROM hit h JOIN search_passage p ON p.id = h.id WHERE ?2 IS NULL OR p.kind = ?2) "
    "SELECT id, kind, ref_id, title, url, date, -rank AS score, count(*) OVER () AS total "
    "FROM best WHERE rn = 1 ORDER BY rank, id LIMIT ?3";

json_t *store_search(db *d, const char *q, const char *kind, int limit)
{
    json_t *res = empty_result(q);
    char *match = store_search_match(q);
    if (!match || !*match) {
        free(match);
        return res;
    }
    /* Word pairs first (rarer, so cheap to rank); every syllable only when the pairs find fewer items than asked. */
    char *pairs = pairs_match(q);
    json_t *items = NULL, *passages = NULL;
    int64_t total = 0;
    int rc = DB_DONE;
    for (int round = pairs && *pairs ? 0 : 1; round < 2; round++) {
        json_decref(items);
        json_decref(passages);
        items = json_array();
        passages = json_array();
        total = 0;
        db_stmt *s = db_prepare(d, ITEMS_SQL);
        if (!s) { rc = DB_ERROR; break; }
        db_bind_text(s, 1, round ? match : pairs);
        db_bind_text(s, 2, kind);
        db_bind_int(s, 3, clamp(limit, 20, 200));
        while ((rc = db_step(s)) == DB_ROW) {
            total = db_col_int(s, 7);
            json_t *it = json_pack("{s:s, s:I, s:s, s:s, s:o, s:f}", "kind", db_col_text(s, 1), "ref_id",
                                   (json_int_t)db_col_int(s, 2), "title", db_col_text(s, 3), "url", db_col_text(s, 4),
                                   "date", db_col_is_null(s, 5) ? json_null() : json_string(db_col_text(s, 5)), "score",
                                   db_col_double(s, 6));
            json_array_append_new(items, it);
            json_array_append_new(passages, json_integer(db_col_int(s, 0)));
        }
        db_done(s);
        if (rc == DB_ERROR || (int)json_array_size(items) >= clamp(limit, 20, 200)) break;
    }
    free(pairs);
    if (rc == DB_ERROR) {
        free(match);
        json_decref(items);
        json_decref(passages);
        json_decref(res);
        return NULL;
    }
    json_t *groups = json_object_get(res, "groups"), *it;
    size_t i;
    json_array_foreach(items, i, it) {
        json_t *snip = snippet_of(d, match, json_integer_value(json_array_get(passages, i)));
        json_object_set_new(it, "snippet", snip ? snip : json_string(""));
        /* Items arrive best first, so a group's position is that of its best item. */
        const char *k = json_string_value(json_object_get(it, "kind"));
        json_t *g = NULL, *x;
        size_t j;
        json_array_foreach(groups, j, x) if (!strcmp(json_string_value(json_object_get(x, "kind")), k)) g = x;
        if (!g) {
            g = json_pack("{s:s, s:[]}", "kind", k, "items");
            json_array_append_new(groups, g);
        }
        json_array_append(json_object_get(g, "items"), it);
    }
    json_object_set_new(res, "total", json_integer(total));
    free(match);
    json_decref(items);
    json_decref(passages);
    return res;
}

/* The MATCH of only the word pairs of q ("to_cong", "cong_nghe"...): rarer than single syllables, so a query over
 * 100,000 passages ranks a few hundred rows instead of most of the index. NULL when q has no pair. */
static char *pairs_match(const char *q)
{
    struct terms *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    size_t n = strlen(q);
    search_tokenize(q, n > 4096 ? 4096 : (int)n, false, add_term, t);
    struct buf b = {0};
    int k = 0;
    for (int i = 0; i < t->n; i++)
        if (strchr(t->v[i], '_'))
            buf_printf(&b, "%s\"%s\"", k++ ? " OR " : "", t->v[i]);
    free(t);
    return b.p;
}

/* Appends the best passages for match to out, skipping ids already there; -1 on a database error. */
static int passages_for(db *d, const char *match, int limit, json_t *out, json_t *seen)
{
    db_stmt *s = db_prepare(d,
        "SELECT p.kind, p.ref_id, p.seq, p.title, p.url, p.body AS text, -h.rank AS score, p.id "
        "FROM (SELECT rowid AS id, rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?) h "
        "JOIN search_passage p ON p.id = h.id ORDER BY h.rank, p.id");
    if (!s)
        return -1;
    db_bind_text(s, 1, match);
    db_bind_int(s, 2, limit);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_col_int(s, 7));
        if (json_object_get(seen, key))
            continue;
        json_object_set_new(seen, key, json_true());
        json_t *row = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:f}", "kind", db_col_text(s, 0), "ref_id",
                                (json_int_t)db_col_int(s, 1), "seq", (json_int_t)db_col_int(s, 2), "title",
                                db_col_text(s, 3), "url", db_col_text(s, 4), "text", db_col_text(s, 5), "score",
                                db_col_double(s, 6));
        json_array_append_new(out, row);
    }
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

json_t *store_search_passages(db *d, const char *q, int limit)
{
    char *match = store_search_match(q);
    if (!match || !*match) {
        free(match);
        return json_array();
    }
    limit = clamp(limit, 10, 200);
    json_t *out = json_array(), *seen = json_object();
    /* Pairs first; single syllables only when the pairs found too little. Scores of the two rounds are both BM25
     * and the pair round's come first, which is the order the assistant wants anyway. */
    char *pairs = pairs_match(q);
    int rc = pairs && *pairs ? passages_for(d, pairs, limit, out, seen) : 0;
    if (!rc && (int)json_array_size(out) < limit / 2)
        rc = passages_for(d, match, limit - (int)json_array_size(out), out, seen);
    free(pairs);
    free(match);
    json_decref(seen);
    if (rc) {
        json_decref(out);
        return NULL;
    }
    return out;
}
