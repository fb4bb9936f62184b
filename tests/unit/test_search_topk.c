/* The search's best k (ranked from kept postings, search_postings.c) against FTS5 ranking every hit with vi_rank and
 * ORDER BY, on a fixture of a few thousand passages: same items, same order, same scores, same totals, same snippets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/search.h"

static char path[128];

/* Syllables with no diacritics, so the fixture's text is its own folded form. */
static const char *words[] = {
    "chuyen", "doi", "so", "dich", "vu", "cong", "truc", "tuyen", "ke", "hoach", "thanh", "nien", "tinh", "huyen",
    "xa", "nguoi", "dan", "doanh", "nghiep", "ha", "tang", "du", "lieu", "an", "toan", "thong", "tin", "nen", "tang",
    "ky", "nang", "hoc", "tap", "van", "ban", "dien", "tu", "thu", "tuc", "hanh", "chinh", "kinh", "te", "xa", "hoi",
};
#define NWORDS (sizeof words / sizeof *words)

static uint64_t rnd_state = 42;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(rnd_state >> 33) % n;
}

static void sentence(char *out, size_t cap, int n)
{
    size_t k = 0;
    for (int i = 0; i < n && k < cap; i++) {
        unsigned w = rnd(NWORDS);
        w = rnd(2) ? w : w / 3; /* some words commoner than others */
        k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? " " : "", words[w]);
    }
    if (k < cap - 1)
        snprintf(out + k, cap - k, ".");
}

static int setup(void **state)
{
    db *d = fixture_db_open(path, sizeof path, "search-topk", 0);
    if (!d || db_exec(d, "DELETE FROM search_passage") || db_begin(d))
        return -1;
    char body[4096], title[256];
    for (int i = 1; i <= 2500; i++) {
        sentence(title, sizeof title, 4);
        size_t k = 0;
        int sentences = i % 10 == 0 ? 14 : 2; /* every tenth item long enough to be cut into several passages */
        for (int s = 0; s < sentences; s++) {
            k += (size_t)snprintf(body + k, sizeof body - k, "%s", s ? " " : "");
            sentence(body + k, sizeof body - k, 10);
            k += strlen(body + k);
        }
        /* Some items the same as the one before: equal scores, which the lower id wins. */
        static char prev_title[256], prev_body[4096];
        if (i % 25 == 1 && i > 1) {
            strcpy(title, prev_title);
            strcpy(body, prev_body);
        }
        strcpy(prev_title, title);
        strcpy(prev_body, body);
        if (store_search_put(d, i % 3 ? "article" : "task", i, title, body, "/x", NULL))
            return -1;
    }
    if (db_commit(d))
        return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    fixture_db_unlink(path);
    return 0;
}

struct ranked { int64_t id; double rank; };

/* Every hit of match ranked by FTS5 with vi_rank, best first, ties to the lower id (the old way); the kind's hits only
 * when kind is not NULL. */
static struct ranked *full_ranking(db *d, const char *match, const char *kind, size_t *n)
{
    db_stmt *s = db_prepare(d, "SELECT f.rowid, f.rank FROM search_fts f JOIN search_passage p ON p.id = f.rowid "
                               "WHERE search_fts MATCH ? AND (? IS NULL OR p.kind = ?) ORDER BY f.rank, f.rowid");
    assert_non_null(s);
    db_bind_text(s, 1, match);
    if (kind) {
        db_bind_text(s, 2, kind);
        db_bind_text(s, 3, kind);
    } else {
        db_bind_null(s, 2);
        db_bind_null(s, 3);
    }
    struct ranked *r = calloc(20000, sizeof *r);
    *n = 0;
    while (db_step(s) == DB_ROW && *n < 20000)
        r[(*n)++] = (struct ranked){ db_col_int(s, 0), db_col_double(s, 1) };
    db_done(s);
    return r;
}

/* The match expression store_search runs: q's terms less those in half the passages or more (all when none is left). */
static char *kept_match(db *d, const char *q)
{
    char *all = store_search_match(q);
    assert_non_null(all);
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM search_passage");
    int64_t rows = db_scalar_int(s, 0);
    static char out[4096];
    out[0] = 0;
    char *save = NULL, *copy = strdup(all);
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (!strcmp(t, "OR"))
            continue;
        char term[128];
        snprintf(term, sizeof term, "%.*s", (int)strlen(t) - 2, t + 1);
        db_stmt *v = db_prepare(d, "SELECT doc FROM search_vocab WHERE term = ?");
        db_bind_text(v, 1, term);
        int64_t df = db_scalar_int(v, 0);
        if (df > 0 && 2 * df < rows)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", out[0] ? " OR " : "", t);
    }
    free(copy);
    char *r = strdup(out[0] ? out : all);
    free(all);
    return r;
}

static json_t *items_of(json_t *res)
{
    json_t *a = json_array(), *g, *it;
    size_t i, j;
    json_array_foreach(json_object_get(res, "groups"), i, g) json_array_foreach(json_object_get(g, "items"), j, it)
        json_array_append(a, it);
    return a;
}

static int by_score_desc(const void *a, const void *b)
{
    double x = json_real_value(json_object_get(*(json_t *const *)a, "score"));
    double y = json_real_value(json_object_get(*(json_t *const *)b, "score"));
    return x > y ? -1 : x < y;
}

static void check_query(db *d, const char *q, const char *kind, int limit)
{
    char *match = kept_match(d, q);
    size_t n;
    struct ranked *r = full_ranking(d, match, kind, &n);
    /* Each item's best passage (the first of its in rank order), in rank order; how many items there are. */
    struct ranked *best = calloc(n + 1, sizeof *best);
    size_t items = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < items && !seen; j++)
            seen = best[j].id >> SEARCH_ID_ITEM_SHIFT == r[i].id >> SEARCH_ID_ITEM_SHIFT;
        if (!seen)
            best[items++] = r[i];
    }
    json_t *res = store_search(d, q, kind, limit);
    assert_non_null(res);
    assert_int_equal(json_integer_value(json_object_get(res, "total")), items);
    json_t *got = items_of(res);
    size_t k = items < (size_t)limit ? items : (size_t)limit;
    assert_int_equal(json_array_size(got), k);
    /* Sorted by score: the groups show kind by kind, the order within a kind is the rank order. */
    size_t m = json_array_size(got);
    json_t **v = calloc(m + 1, sizeof *v);
    for (size_t i = 0; i < m; i++)
        v[i] = json_array_get(got, i);
    qsort(v, m, sizeof *v, by_score_desc);
    for (size_t i = 0; i < k; i++) {
        db_stmt *s = db_prepare(d, "SELECT kind, ref_id, snippet(search_fts, 1, '<mark>', '</mark>', '…', 32) "
                                   "FROM search_fts JOIN search_passage p ON p.id = search_fts.rowid "
                                   "WHERE search_fts MATCH ? AND search_fts.rowid = ?");
        char *all = store_search_match(q);
        db_bind_text(s, 1, all);
        db_bind_int(s, 2, best[i].id);
        assert_int_equal(db_step(s), DB_ROW);
        json_t *it = NULL;
        /* Equal scores: the item listed may be any of them only if the full ranking ties them too. */
        for (size_t j = 0; j < m && !it; j++)
            if (json_integer_value(json_object_get(v[j], "ref_id")) == db_col_int(s, 1) &&
                !strcmp(json_string_value(json_object_get(v[j], "kind")), db_col_text(s, 0)))
                it = v[j];
        if (!it)
            fail_msg("%s: item %s %lld (rank %d by the full ranking) is not among the best %zu", q, db_col_text(s, 0),
                     (long long)db_col_int(s, 1), (int)i + 1, k);
        assert_true(json_real_value(json_object_get(it, "score")) == -best[i].rank); /* to the last bit */
        assert_true(json_real_value(json_object_get(v[i], "score")) == -best[i].rank); /* and in rank order */
        assert_string_equal(json_string_value(json_object_get(it, "snippet")), db_col_text(s, 2));
        db_done(s);
        free(all);
    }
    free(v);
    json_decref(got);
    json_decref(res);
    free(best);
    free(r);
    free(match);
}

static void best_k_equals_full_ranking(void **state)
{
    db *d = *state;
    const char *qs[] = { "chuyen doi so", "dich vu cong truc tuyen", "ke hoach", "thanh nien tinh", "an toan thong tin",
                         "xa", "du lieu so cong", "van ban dien tu thu tuc hanh chinh", "kinh te xa hoi so",
                         "nguoi dan doanh nghiep", "hoc", "khong co tu nay" };
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        check_query(d, qs[i], NULL, 30);
        check_query(d, qs[i], NULL, 5);
        check_query(d, qs[i], "task", 20);
        check_query(d, qs[i], "article", 200);
    }
}

/* The assistant's passages: the best k passages (not items) of the full ranking, in order, with their scores. */
static void best_passages_equal_full_ranking(void **state)
{
    db *d = *state;
    const char *qs[] = { "chuyen doi so", "so", "ke hoach thanh nien", "an toan thong tin du lieu" };
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        json_t *got = store_search_passages(d, qs[i], 10);
        assert_non_null(got);
        /* store_search_passages ranks by the word pairs when enough passages hold one, else by every kept term. */
        char *all = store_search_match(qs[i]), pairs[1024] = "";
        char *save = NULL;
        for (char *t = strtok_r(all, " ", &save); t; t = strtok_r(NULL, " ", &save))
            if (strchr(t, '_'))
                snprintf(pairs + strlen(pairs), sizeof pairs - strlen(pairs), "%s%s", pairs[0] ? " OR " : "", t);
        free(all);
        size_t n = 0;
        struct ranked *r = pairs[0] ? full_ranking(d, pairs, NULL, &n) : NULL;
        if (n < 5) {
            free(r);
            char *m = kept_match(d, qs[i]);
            r = full_ranking(d, m, NULL, &n);
            free(m);
        }
        size_t k = n < 10 ? n : 10;
        assert_int_equal(json_array_size(got), k);
        for (size_t j = 0; j < k; j++) {
            json_t *it = json_array_get(got, j);
            db_stmt *s = db_prepare(d, "SELECT kind, ref_id, seq FROM search_passage WHERE id = ?");
            db_bind_int(s, 1, r[j].id);
            assert_int_equal(db_step(s), DB_ROW);
            assert_string_equal(json_string_value(json_object_get(it, "kind")), db_col_text(s, 0));
            assert_int_equal(json_integer_value(json_object_get(it, "ref_id")), db_col_int(s, 1));
            assert_int_equal(json_integer_value(json_object_get(it, "seq")), db_col_int(s, 2));
            assert_true(json_real_value(json_object_get(it, "score")) == -r[j].rank);
            db_done(s);
        }
        free(r);
        json_decref(got);
    }
}

/* A write between two searches: the kept postings are read again, so the new passage is found and ranked. */
static void a_write_is_seen(void **state)
{
    db *d = *state;
    json_t *before = store_search(d, "chuyen doi so", NULL, 30);
    assert_int_equal(store_search_put(d, "faq", 9999, "chuyen doi so chuyen doi so", "chuyen doi so chuyen doi so.",
                                      "/x", NULL), 0);
    json_t *after = store_search(d, "chuyen doi so", NULL, 30);
    assert_int_equal(json_integer_value(json_object_get(after, "total")),
                     json_integer_value(json_object_get(before, "total")) + 1);
    json_t *first = json_array_get(json_object_get(json_array_get(json_object_get(after, "groups"), 0), "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "ref_id")), 9999);
    check_query(d, "chuyen doi so", NULL, 30);
    json_decref(before);
    json_decref(after);
}

/* A word no passage holds is remembered as absent (search_postings.c) only until the passages change: written, it is
 * found, by the assistant's word pairs and by the search box alike. */
static void a_word_new_to_the_index_is_found_once_written(void **state)
{
    db *d = *state;
    json_t *none = store_search_passages(d, "quoc gia zzyzx", 10);
    for (size_t i = 0; i < json_array_size(none); i++)
        assert_int_not_equal(json_integer_value(json_object_get(json_array_get(none, i), "ref_id")), 9998);
    json_t *nothing = store_search(d, "zzyzx", NULL, 30);
    assert_int_equal(json_integer_value(json_object_get(nothing, "total")), 0);
    assert_int_equal(store_search_put(d, "faq", 9998, "Quốc gia zzyzx", "Quốc gia zzyzx là một từ mới.", "/y", NULL), 0);
    json_t *found = store_search_passages(d, "quoc gia zzyzx", 10);
    assert_true(json_array_size(found) > 0);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(found, 0), "ref_id")), 9998);
    json_t *one = store_search(d, "zzyzx", NULL, 30);
    assert_int_equal(json_integer_value(json_object_get(one, "total")), 1);
    json_decref(none);
    json_decref(nothing);
    json_decref(found);
    json_decref(one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(best_k_equals_full_ranking, setup, teardown),
        cmocka_unit_test_setup_teardown(best_passages_equal_full_ranking, setup, teardown),
        cmocka_unit_test_setup_teardown(a_write_is_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(a_word_new_to_the_index_is_found_once_written, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
