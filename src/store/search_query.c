/* Reading the search index: the terms of what a person typed, grouped results with snippets for the portal, plain
 * passages for the assistant. On SQLite each term's postings are read from FTS5 once and ranked as vi_rank ranks
 * (search_postings.c); on PostgreSQL a tsquery of the same terms matches the tokens column and search_rank_pg.c ranks;
 * search_snippet.c marks on both, so that both answer alike. Must not pass user text to either engine except as the
 * folded, quoted terms. */
#include "store/search.h"
#include "store/search_snippet.h"
#include "store/search_scan.h"
#include "core/tokenizer.h"
#include "core/buf.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>


static bool is_pg(db *d) { return !strcmp(db_engine(d), "postgresql"); }

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

/* The terms of q, folded by the index's own tokenizer so that both sides agree by construction. NULL when out of memory. */
static struct terms *terms_of(const char *q)
{
    struct terms *t = calloc(1, sizeof *t);
    if (t && q) {
        size_t n = strlen(q);
        search_tokenize(q, n > 4096 ? 4096 : (int)n, false, add_term, t);
    }
    return t;
}

/* Terms are letters, digits and the bigram joiner only: inside double quotes none of them is FTS5 syntax, and a quoted
 * "a_b" is read by the tokenizer as that one bigram. keep == NULL keeps every term. */
static char *or_of(const struct terms *t, const bool *keep)
{
    struct buf b = {0};
    for (int i = 0, k = 0; i < t->n; i++)
        if (!keep || keep[i])
            buf_printf(&b, "%s\"%s\"", k++ ? " OR " : "", t->v[i]);
    return b.p;
}

/* PostgreSQL's twin of or_of: 'a' | 'b' as tsquery text, read as it is (no parser, no dictionary). Terms hold
 * neither a quote nor a backslash, but they are escaped all the same: the query must not depend on that. */
char *search_tsquery_of(const struct terms *t, const bool *keep)
{
    struct buf b = {0};
    for (int i = 0, k = 0; i < t->n; i++) {
        if (keep && !keep[i])
            continue;
        buf_puts(&b, k++ ? " | '" : "'");
        for (const char *p = t->v[i]; *p; p++)
            buf_puts(&b, *p == '\\' ? "\\\\" : *p == '\'' ? "''" : (char[2]){ *p, 0 });
        buf_puts(&b, "'");
    }
    return b.p;
}

char *store_search_match(const char *q)
{
    struct terms *t = terms_of(q);
    char *m = t ? or_of(t, NULL) : NULL;
    free(t);
    return m;
}

/* search_snippet's output with \x01/\x02 around matches → HTML-escaped text with <mark> around them. Stored text never
 * holds those two bytes (search_index.c turns control characters into spaces), so every marker is one it put there. */
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

static int clamp(int limit, int dflt, int max) { return limit <= 0 ? dflt : limit > max ? max : limit; }

/* The number of passages holding a term. fts5vocab counts it by reading the term's whole doclist (3 ms for a syllable
 * in half of 100,000 passages), PostgreSQL by walking the term's GIN entries and visiting each passage's row (3 ms for
 * a syllable in 11,000 of 18,500 passages), so counts are kept per connection until the passages change (df_fresh at
 * each entry point, so that one query ranks with one set of counts). The number of passages is kept the same way: it is a COUNT(*) on
 * PostgreSQL (the view of migration 0006). */
#define DF_SLOTS 4096
struct df_cache {
    uint64_t version;
    int used;
    int64_t rows; /* -1: not read yet */
    struct { char term[2 * SEARCH_TOKEN_MAX + 2]; int64_t df; } slot[DF_SLOTS];
    struct search_postings *post; /* SQLite: the terms' postings (search_postings.c), kept on the same terms */
};

static void df_cache_free(void *p)
{
    struct df_cache *c = p;
    search_postings_free(c->post);
    free(c);
}

/* db_version, or on PostgreSQL (where it is UINT64_MAX, "cannot tell") search_generation, which every transaction that
 * changes passages moves (migration 0018, search_index.c) and which is read with the data: a count made after a commit
 * this did not see is counted again next time, since the number has moved by then. Inside a transaction that has
 * written, the passages may have changed after the number moved: UINT64_MAX, count again. */
static uint64_t index_version(db *d)
{
    uint64_t v = db_version(d);
    if (v != UINT64_MAX || !is_pg(d))
        return v;
    db_stmt *s = db_prepare(d, "SELECT n FROM search_generation "
                               "WHERE id = 1 AND txid_current_if_assigned() IS NULL");
    int64_t n = db_scalar_int(s, -1);
    return n >= 0 && !db_failed(d) ? (uint64_t)n : UINT64_MAX;
}

/* The number of passages: on SQLite a row migration 0006's triggers keep (counting search_passage costs more than the
 * rest of a selective query), on PostgreSQL a COUNT(*) kept in the cache below. */
static int64_t count_passages(db *d, bool *ok)
{
    db_stmt *s = db_prepare(d, "SELECT n FROM search_count");
    int64_t n = s ? db_scalar_int(s, 0) : 0;
    *ok = s && !db_failed(d);
    return n;
}

/* SQLite's pager learns of other connections' commits when this one starts reading, and only then does db_version
 * move: the passage count is read first, every time (one row). */
static struct df_cache *df_fresh(db *d)
{
    struct df_cache *c = db_aux(d);
    bool pg = is_pg(d), ok = false;
    int64_t rows = pg ? -1 : count_passages(d, &ok);
    uint64_t v = index_version(d);
    if (!c && (c = calloc(1, sizeof *c)))
        db_set_aux(d, c, df_cache_free);
    if (c && (c->version != v || c->used > DF_SLOTS / 2 || v == UINT64_MAX)) {
        struct search_postings *post = c->post;
        if (c->version != v || v == UINT64_MAX) {
            search_postings_free(post);
            post = NULL;
        }
        memset(c, 0, sizeof *c);
        c->post = post;
        c->version = v;
        c->rows = -1;
    }
    if (c && !pg)
        c->rows = ok ? rows : -1;
    return c;
}

/* The cache slot of term: its own, or the free one where it goes; NULL when there is no cache or it is too long. */
static struct df_cache *df_slot(db *d, const char *term, size_t *slot)
{
    struct df_cache *c = db_aux(d);
    if (!c || strlen(term) >= sizeof c->slot[0].term || c->used >= DF_SLOTS - 1)
        return NULL;
    uint64_t h = 1469598103934665603u;
    for (const char *p = term; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    size_t i = (size_t)h & (DF_SLOTS - 1);
    while (c->slot[i].term[0] && strcmp(c->slot[i].term, term))
        i = (i + 1) & (DF_SLOTS - 1);
    *slot = i;
    return c;
}

void search_df_put(db *d, const char *term, int64_t df)
{
    size_t i;
    struct df_cache *c = df_slot(d, term, &i);
    if (c && !c->slot[i].term[0]) {
        strcpy(c->slot[i].term, term);
        c->slot[i].df = df;
        c->used++;
    }
}

int64_t search_passages_n(db *d)
{
    struct df_cache *c = db_aux(d);
    if (c && c->rows >= 0)
        return c->rows;
    bool ok;
    int64_t n = count_passages(d, &ok);
    if (c && ok)
        c->rows = n;
    return n;
}

int64_t search_term_df(db *d, const char *term)
{
    size_t i;
    struct df_cache *c = df_slot(d, term, &i);
    if (c && c->slot[i].term[0])
        return c->slot[i].df;
    /* PostgreSQL has no vocabulary table: the passages whose tokens hold the term alone as a tsquery (0006). The query
     * is a subquery so that the planner cannot see it (see tsq_hidden) and walks the GIN index. */
    db_stmt *s = db_prepare(d, is_pg(d) ? "SELECT COUNT(*) FROM search_passage WHERE tokens @@ (SELECT CAST(? AS tsquery))"
                                        : "SELECT doc FROM search_vocab WHERE term = ?");
    if (!s)
        return -1;
    char *one = NULL;
    if (is_pg(d)) {
        struct terms t = { .n = 1 };
        snprintf(t.v[0], sizeof t.v[0], "%s", term);
        one = search_tsquery_of(&t, NULL);
    }
    db_bind_text(s, 1, one ? one : term);
    free(one);
    int64_t df = db_scalar_int(s, 0);
    if (db_failed(d))
        return -1;
    search_df_put(d, term, df);
    return df;
}

/* The expression actually run: q's terms less those in no passage and those in half of them or more. BM25 gives the
 * latter an idf of nothing (vi_rank clamps it to 1e-6), so they cannot change the order of anything else, yet a syllable
 * such as "cua" or "so" matches most of the index, and ranking every hit is what makes a query slow. When no term is
 * left they are all kept, so that a query of common words still finds something. q's terms with keep[] saying which
 * to run; NULL when q has no term. */
static struct terms *match_for(db *d, const char *q)
{
    struct terms *t = terms_of(q);
    if (!t || !t->n) {
        free(t);
        return NULL;
    }
    int kept = 0;
    int64_t rows = search_passages_n(d);
    for (int i = 0; i < t->n && rows > 0; i++) {
        int64_t df = search_term_df(d, t->v[i]);
        if (df < 0) {
            kept = 0; /* no statistics: run every term */
            break;
        }
        t->keep[i] = df > 0 && 2 * df < rows;
        kept += t->keep[i];
    }
    for (int i = 0; i < t->n && !kept; i++)
        t->keep[i] = true;
    return t;
}

int search_by_rank(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void search_topk_add(struct topk *t, struct hit h)
{
    size_t i;
    if (t->n < t->k) {
        for (i = t->n++; i > 0 && search_by_rank(&t->v[(i - 1) / 2], &h) < 0; i = (i - 1) / 2)
            t->v[i] = t->v[(i - 1) / 2];
    } else if (t->k && search_by_rank(&h, &t->v[0]) < 0) {
        for (i = 0;;) {
            size_t c = 2 * i + 1;
            if (c >= t->n)
                break;
            if (c + 1 < t->n && search_by_rank(&t->v[c + 1], &t->v[c]) > 0)
                c++;
            if (search_by_rank(&t->v[c], &h) <= 0)
                break;
            t->v[i] = t->v[c];
            i = c;
        }
    } else {
        return;
    }
    t->v[i] = h;
}

void search_topk_sorted(struct topk *t) { qsort(t->v, t->n, sizeof *t->v, search_by_rank); }

/* Each item's best passage among n hits (ties to the earlier chunk), in place at the front of h; returns how many.
 * An open-addressing table keyed by the item part of the id: linear in the hits, where sorting them was not. */
size_t search_best_per_item(struct hit *h, size_t n)
{
    size_t cap = 16, items = 0;
    while (cap < 2 * n)
        cap *= 2;
    struct hit *t = calloc(cap, sizeof *t); /* id 0 marks a free slot: real ids have a kind above 0 */
    if (!t)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t item = (uint64_t)h[i].id >> SEARCH_ID_ITEM_SHIFT;
        size_t slot = (size_t)((item * 0x9E3779B97F4A7C15u) >> 32) & (cap - 1);
        while (t[slot].id && (uint64_t)t[slot].id >> SEARCH_ID_ITEM_SHIFT != item)
            slot = (slot + 1) & (cap - 1);
        if (!t[slot].id)
            items++;
        if (!t[slot].id || search_by_rank(&h[i], &t[slot]) < 0)
            t[slot] = h[i];
    }
    size_t k = 0;
    for (size_t slot = 0; slot < cap; slot++)
        if (t[slot].id)
            h[k++] = t[slot];
    free(t);
    return items;
}

/* PostgreSQL's scan: every passage matching t's kept terms with an id in [lo, hi], with its rank, in no order; top,
 * by_item: how many hits (or items, by their best passage) the caller keeps, the others ranked only well enough to
 * leave them out (search_scan_pg). SQLite ranks from kept postings instead (top_hits). NULL on a database error. */
static struct hit *scan(db *d, const struct terms *t, int64_t lo, int64_t hi, size_t top, bool by_item, size_t *n)
{
    return search_scan_pg(d, t, lo, hi, top, by_item, n);
}

/* The best top hits of t's kept terms in [lo, hi] (each item's best passage when by_item), sorted best first into
 * out (room for top), and how many hits (or items) there are in all. SQLite ranks from the terms' kept postings
 * (search_postings.c) instead of having FTS5 walk and rank every hit; PostgreSQL scans as before. False on an error. */
static bool top_hits(db *d, const struct terms *t, int64_t lo, int64_t hi, bool by_item, struct topk *out, size_t *total)
{
    if (!is_pg(d)) {
        struct df_cache *c = db_aux(d);
        struct search_postings *own = NULL, **cache = c ? &c->post : &own;
        bool ok = search_postings_scan(d, cache, t, lo, hi, by_item, out, total);
        search_postings_free(own);
        return ok;
    }
    size_t n = 0;
    struct hit *h = scan(d, t, lo, hi, out->k, by_item, &n);
    if (!h)
        return false;
    if (by_item)
        n = search_best_per_item(h, n);
    for (size_t i = 0; i < n; i++)
        search_topk_add(out, h[i]);
    search_topk_sorted(out);
    *total = n;
    free(h);
    return true;
}

/* The snippet of a passage: 32 tokens of its body marked as FTS5's snippet() marks them, or of a passage with no body
 * (a title alone) its title marked as highlight() does, made from the stored text (search_snippet.c) on both engines:
 * on SQLite, FTS5's own snippet() looked up each passage's hits again through every term's doclist (common syllables'
 * too), some 150 µs a result, most of a search's time once ranking no longer walks every hit. */
#define SNIPPET_TOKENS 32

/* One result item: the passage's item, its snippet with every word of the query marked (all of q's terms, common ones
 * included), and its score. NULL when the passage is gone. */
static json_t *item_of(db *d, const struct terms *all, const struct hit *h)
{
    db_stmt *s = db_prepare(d, "SELECT kind, ref_id, title, url, date, body, title FROM search_passage WHERE id = ?");
    if (!s)
        return NULL;
    db_bind_int(s, 1, h->id);
    json_t *it = NULL;
    if (db_step(s) == DB_ROW) {
        const char *body = db_col_text(s, 5);
        bool has_body = body && *body;
        const char *v[MAX_TERMS];
        for (int i = 0; i < all->n; i++)
            v[i] = all->v[i];
        char *marked = search_snippet(has_body ? body : db_col_text(s, 6), v, all->n, has_body ? SNIPPET_TOKENS : 0);
        char *html = mark_html(marked);
        free(marked);
        it = json_pack("{s:s, s:I, s:s, s:s, s:o, s:s, s:f}", "kind", db_col_text(s, 0), "ref_id",
                       (json_int_t)db_col_int(s, 1), "title", db_col_text(s, 2), "url", db_col_text(s, 3), "date",
                       db_col_is_null(s, 4) ? json_null() : json_string(db_col_text(s, 4)), "snippet", html, "score",
                       -h->rank);
        free(html);
    }
    db_done(s);
    return it;
}

static json_t *empty_result(const char *q)
{
    json_t *qs = q ? json_string(q) : NULL;
    return json_pack("{s:o, s:i, s:[]}", "query", qs ? qs : json_string(""), "total", 0, "groups");
}

/* The rowid range of a kind (every kind when NULL); false when the kind has never been indexed. */
static bool kind_range(db *d, const char *kind, int64_t *lo, int64_t *hi)
{
    *lo = 0;
    *hi = INT64_MAX;
    if (!kind)
        return true;
    db_stmt *s = db_prepare(d, "SELECT id FROM search_kind WHERE name = ?");
    if (!s)
        return false;
    db_bind_text(s, 1, kind);
    int64_t k = db_scalar_int(s, 0);
    *lo = k << SEARCH_ID_KIND_SHIFT;
    *hi = *lo | (((int64_t)1 << SEARCH_ID_KIND_SHIFT) - 1);
    return k > 0;
}

json_t *store_search(db *d, const char *q, const char *kind, int limit)
{
    json_t *res = empty_result(q);
    int64_t lo, hi;
    df_fresh(d);
    struct terms *m = match_for(d, q);
    if (!m || !kind_range(d, kind, &lo, &hi)) {
        free(m);
        return res;
    }
    size_t items = 0;
    struct hit best[200];
    struct topk top = { best, 0, (size_t)clamp(limit, 20, 200) };
    if (!top_hits(d, m, lo, hi, true, &top, &items)) {
        free(m);
        json_decref(res);
        return NULL;
    }
    json_object_set_new(res, "total", json_integer((json_int_t)items));
    json_t *groups = json_object_get(res, "groups");
    for (size_t i = 0; i < top.n; i++) {
        json_t *it = item_of(d, m, &top.v[i]);
        if (!it)
            continue;
        /* Items come best first, so a group's place is that of its best item. */
        const char *k = json_string_value(json_object_get(it, "kind"));
        json_t *g = NULL, *x;
        size_t j;
        json_array_foreach(groups, j, x) if (!strcmp(json_string_value(json_object_get(x, "kind")), k)) g = x;
        if (!g) {
            g = json_pack("{s:s, s:[]}", "kind", k, "items");
            json_array_append_new(groups, g);
        }
        json_array_append_new(json_object_get(g, "items"), it);
    }
    free(m);
    return res;
}

/* The question's word pairs alone: rarer than its syllables, so ranking them touches a few hundred passages where
 * the syllables touch thousands; and a passage that keeps the question's words together is what answers it. */
/* The question's word pairs alone: rarer than its syllables, so ranking them touches a few hundred passages where
 * the syllables touch thousands; and a passage that keeps the question's words together is what answers it. False
 * when q has no pair or on an error (the caller then ranks by the syllables, as it does when too few keep them). */
static bool scan_pairs(db *d, const char *q, struct topk *out, size_t *n)
{
    struct terms *t = terms_of(q);
    int k = 0;
    for (int i = 0; t && i < t->n; i++)
        if (strchr(t->v[i], SEARCH_BIGRAM_JOIN)) t->keep[i] = true, k++;
    bool ok = k && top_hits(d, t, 0, INT64_MAX, false, out, n);
    free(t);
    return ok;
}

static bool got_heading(db_stmt *s, int col)
{
    const char *h = db_col_text(s, col);
    return h && *h;
}

/* The passages of one item in order [{seq, heading, text}], for a page that shows the item's text with the anchors
 * the assistant links to (#p-SEQ); NULL on a database error. */
json_t *store_search_item_passages(db *d, const char *kind, int64_t ref_id)
{
    db_stmt *s = db_prepare(d, "SELECT seq, heading, body AS text FROM search_passage WHERE kind = ? AND ref_id = ? ORDER BY seq");
    if (!s)
        return NULL;
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, ref_id);
    json_t *rows = db_rows(s);
    size_t i;
    json_t *o;
    /* A passage that opens with its heading shows it once. */
    json_array_foreach(rows, i, o) {
        const char *h = json_string_value(json_object_get(o, "heading")), *t = json_string_value(json_object_get(o, "text"));
        if (!h || (t && !strncmp(t, h, strlen(h))))
            json_object_del(o, "heading");
    }
    return rows;
}

json_t *store_search_passages(db *d, const char *q, int limit)
{
    size_t n = 0;
    df_fresh(d);
    struct hit best[200];
    struct topk top = { best, 0, (size_t)clamp(limit, 10, 200) };
    if (!scan_pairs(d, q, &top, &n) || n < top.k / 2) {
        /* Too few passages keep the words together: rank by the single syllables as well. */
        top.n = 0;
        struct terms *m = match_for(d, q);
        if (!m)
            return json_array();
        bool ok = top_hits(d, m, 0, INT64_MAX, false, &top, &n);
        free(m);
        if (!ok)
            return NULL;
    }
    /* The passages in one statement (one round trip to PostgreSQL, not one each), put back in rank order. */
    json_t *out = json_array();
    struct buf sql = {0};
    buf_puts(&sql, "SELECT id, kind, ref_id, seq, title, url, body, heading FROM search_passage WHERE id IN (");
    for (size_t i = 0; i < top.n; i++)
        buf_puts(&sql, i ? ", ?" : "?");
    buf_puts(&sql, ")");
    json_t *got[200] = {0};
    db_stmt *s = top.n ? db_prepare(d, sql.p) : NULL;
    for (size_t i = 0; s && i < top.n; i++)
        db_bind_int(s, (int)i + 1, top.v[i].id);
    int rc = DB_DONE;
    while (s && (rc = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        for (size_t i = 0; i < top.n; i++)
            if (top.v[i].id == id && !got[i])
                got[i] = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:f}", "kind", db_col_text(s, 1), "ref_id",
                                   (json_int_t)db_col_int(s, 2), "seq", (json_int_t)db_col_int(s, 3), "title",
                                   db_col_text(s, 4), "url", db_col_text(s, 5), "text", db_col_text(s, 6), "score",
                                   -top.v[i].rank);
        if (got_heading(s, 7))
            for (size_t i = 0; i < top.n; i++)
                if (top.v[i].id == id && got[i] && !json_object_get(got[i], "heading"))
                    json_object_set_new(got[i], "heading", json_string(db_col_text(s, 7)));
    }
    db_done(s);
    buf_free(&sql);
    for (size_t i = 0; i < top.n; i++)
        if (got[i])
            json_array_append_new(out, got[i]);
    if (rc == DB_ERROR) {
        json_decref(out);
        out = NULL;
    }
    return out;
}
