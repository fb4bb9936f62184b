/* Unit tests for src/http/results.c, the server's result cache: copies in and out, never past a write or the caller's
 * age limit (but for the aged copy others read while one request recomputes), and no result so big it would crowd out
 * the rest. Runs on a real page cache (its generation counter). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <malloc.h>
#include "http/app.h"

struct fixture { struct app app; struct req req; };

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->app.cache = cache_new(1000, true);
    f->app.results = results_new();
    f->req.app = &f->app;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    results_free(f->app.results);
    cache_free(f->app.cache);
    free(f);
    return 0;
}

static void test_copies_in_and_out(void **state)
{
    struct fixture *f = *state;
    json_t *v = json_pack("{s:s, s:[i, i]}", "answer", "Ngày 10 tháng 10", "ids", 1, 2);
    results_put(&f->req, "ask\nngay nao", v);
    json_object_set_new(v, "answer", json_string("đổi sau khi lưu"));   /* the kept copy must not see this */
    json_t *got = results_get(&f->req, "ask\nngay nao", 60000);
    assert_non_null(got);
    assert_string_equal(json_string_value(json_object_get(got, "answer")), "Ngày 10 tháng 10");
    json_array_clear(json_object_get(got, "ids"));                      /* nor this */
    json_t *again = results_get(&f->req, "ask\nngay nao", 60000);
    assert_int_equal(json_array_size(json_object_get(again, "ids")), 2);
    assert_null(results_get(&f->req, "ask\nkhac", 60000));
    assert_null(results_get(&f->req, NULL, 60000));
    json_decref(v);
    json_decref(got);
    json_decref(again);
}

static void test_never_past_a_write_or_the_age_limit(void **state)
{
    struct fixture *f = *state;
    json_t *v = json_pack("{s:i}", "total", 3);
    results_put(&f->req, "search\nke hoach", v);
    assert_null(results_get(&f->req, "search\nke hoach", 0));           /* the caller's limit: nothing is that fresh */
    json_t *got = results_get(&f->req, "search\nke hoach", 1000);
    assert_non_null(got);
    json_decref(got);
    cache_invalidate(f->app.cache);                                      /* what every write through the server does */
    assert_null(results_get(&f->req, "search\nke hoach", 60000));
    results_put(&f->req, "search\nke hoach", v);
    got = results_get(&f->req, "search\nke hoach", 60000);
    assert_non_null(got);
    json_decref(got);
    usleep(30 * 1000);
    assert_null(results_get(&f->req, "search\nke hoach", 20));
    json_decref(v);
}

/* Past the age limit one request recomputes; the others meanwhile get the aged copy, never across a write. */
static void test_one_refreshes_while_others_read_the_aged_copy(void **state)
{
    struct fixture *f = *state;
    json_t *v = json_pack("{s:i}", "received", 33);
    results_put(&f->req, "dashboard\n2026", v);
    usleep(30 * 1000);
    assert_null(results_get(&f->req, "dashboard\n2026", 20));            /* the first to find it aged recomputes */
    json_t *aged = results_get(&f->req, "dashboard\n2026", 20);           /* the next is served meanwhile */
    assert_non_null(aged);
    assert_int_equal(json_integer_value(json_object_get(aged, "received")), 33);
    json_decref(aged);
    json_object_set_new(v, "received", json_integer(34));
    results_put(&f->req, "dashboard\n2026", v);                           /* the recomputed result */
    aged = results_get(&f->req, "dashboard\n2026", 20);
    assert_int_equal(json_integer_value(json_object_get(aged, "received")), 34);
    json_decref(aged);
    usleep(30 * 1000);
    assert_null(results_get(&f->req, "dashboard\n2026", 20));            /* aged again: one recomputes */
    cache_invalidate(f->app.cache);                                        /* a write: nobody gets the old copy */
    assert_null(results_get(&f->req, "dashboard\n2026", 20));
    assert_null(results_get(&f->req, "dashboard\n2026", 60000));
    json_decref(v);
}

static void test_no_giant_results(void **state)
{
    struct fixture *f = *state;
    size_t n = 3u << 20;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = 0;
    json_t *v = json_pack("{s:s}", "text", big);
    results_put(&f->req, "tasks\nbig", v);
    assert_null(results_get(&f->req, "tasks\nbig", 60000));
    /* Many ordinary ones are kept. */
    for (int i = 0; i < 200; i++) {
        char key[32];
        snprintf(key, sizeof key, "progress\n%d", i);
        json_t *small = json_pack("{s:i}", "n", i);
        results_put(&f->req, key, small);
        json_decref(small);
    }
    json_t *got = results_get(&f->req, "progress\n199", 60000);
    assert_non_null(got);
    assert_int_equal(json_integer_value(json_object_get(got, "n")), 199);
    json_decref(got);
    json_decref(v);
    free(big);
}

/* Bytes the program has allocated: the sanitizer's count in the test build, malloc's own otherwise. */
static size_t allocated(void)
{
#if defined(__SANITIZE_ADDRESS__)
    extern size_t __sanitizer_get_current_allocated_bytes(void);
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

/* Citizens searching a thousand different words: what the kept results take in memory stays near the budget (16 MB).
 * Counted as their compact JSON, jansson's objects took 2.4-2.7 times as much. */
static void test_memory_stays_within_the_budget(void **state)
{
    struct fixture *f = *state;
    size_t before = allocated();
    for (int i = 0; i < 1500; i++) {
        json_t *items = json_array();
        for (int k = 0; k < 30; k++)
            json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:s, s:n, s:s, s:f}", "kind", "task", "ref_id",
                                                   (json_int_t)k, "title", "Tổ chức Ngày Chuyển đổi số quốc gia năm 2026",
                                                   "url", "/ke-hoach/3#nv-71", "date", "snippet",
                                                   "Cục <mark>Chuyển đổi số</mark> Quốc gia phối hợp với các đơn vị",
                                                   "score", 3.25));
        json_t *v = json_pack("{s:s, s:i, s:[{s:s, s:o}]}", "query", "chuyen doi so", "total", 21823, "groups", "kind",
                              "task", "items", items);
        char key[48];
        snprintf(key, sizeof key, "search\nchuyen doi so zq%d\n\n30", i);
        results_put(&f->req, key, v);
        if (i == 1499)
            results_put(&f->req, key, v);   /* searched again: let into the full cache */
        json_decref(v);
    }
    size_t grown = allocated() - before;
    print_message("1500 search results kept: %zu bytes allocated\n", grown);
    assert_true(grown < (20u << 20));
    json_t *got = results_get(&f->req, "search\nchuyen doi so zq1499\n\n30", 60000);   /* room made for it */
    assert_non_null(got);
    json_decref(got);
}

/* The few results asked all day stay among the many asked once. A full cache turns a result away the first time it
 * comes and lets it in the second, making room by the clock. (A key of the same slot would replace the one asked all
 * day whatever was read: none of these is.) */
static void test_what_is_read_again_stays_when_full(void **state)
{
    struct fixture *f = *state;
    json_t *hot = json_pack("{s:s}", "answer", "Ngày 10 tháng 10 hằng năm");
    results_put(&f->req, "ask\nngay nao", hot);
    static char text[40000];
    memset(text, 'x', sizeof text - 1);
    char key[48];
    for (int i = 0; i < 600; i++) {   /* 24 MB of answers asked once, past the 16 MB budget */
        snprintf(key, sizeof key, "ask\nmot lan so %d", i);
        json_t *once = json_pack("{s:s}", "answer", text);
        results_put(&f->req, key, once);
        if (i == 599)
            results_put(&f->req, key, once);   /* asked again */
        json_decref(once);
        if (i % 50 == 0) {
            json_t *got = results_get(&f->req, "ask\nngay nao", 60000);
            assert_non_null(got);
            json_decref(got);
        }
    }
    json_t *got = results_get(&f->req, key, 60000);
    assert_non_null(got);
    json_decref(got);
    assert_null(results_get(&f->req, "ask\nmot lan so 598", 60000));   /* asked once, while the cache was full */
    json_decref(hot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_copies_in_and_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_past_a_write_or_the_age_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_refreshes_while_others_read_the_aged_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_giant_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_stays_within_the_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_what_is_read_again_stays_when_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
