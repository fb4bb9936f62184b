/* Unit tests for src/core/digcomp.c: the DSI 2.0 counting rule per area and overall with its edges, the codes and
 * labels, and small-cell suppression (primary, complementary, empty cells, tiny totals, invariants on many tables). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/digcomp.h"

static void test_area_level(void **state)
{
    (void)state;
    for (int area = 1; area <= DIGCOMP_AREAS; area++) {
        assert_int_equal(digcomp_area_level(area, -3), DIGCOMP_NONE);
        assert_int_equal(digcomp_area_level(area, 0), DIGCOMP_NONE);
        assert_int_equal(digcomp_area_level(area, 1), DIGCOMP_BASIC);
        assert_int_equal(digcomp_area_level(area, 8), DIGCOMP_ABOVE_BASIC);
    }
    /* Information and communication: above basic from 2 activities; content, safety, problem solving from 3. */
    assert_int_equal(digcomp_area_level(1, 2), DIGCOMP_ABOVE_BASIC);
    assert_int_equal(digcomp_area_level(2, 2), DIGCOMP_ABOVE_BASIC);
    for (int area = 3; area <= 5; area++) {
        assert_int_equal(digcomp_area_level(area, 2), DIGCOMP_BASIC);
        assert_int_equal(digcomp_area_level(area, 3), DIGCOMP_ABOVE_BASIC);
    }
}

static struct digcomp_result score(int a, int b, int c, int d, int e)
{
    int done[DIGCOMP_AREAS] = { a, b, c, d, e };
    return digcomp_score(done);
}

static void test_overall(void **state)
{
    (void)state;
    struct digcomp_result r = score(0, 0, 0, 0, 0);
    assert_int_equal(r.overall, DIGCOMP_NO_SKILLS);
    assert_int_equal(r.areas_at_least_basic, 0);
    assert_false(digcomp_at_least_basic(r.overall));

    r = score(1, 1, 1, 1, 1);                       /* exactly one activity everywhere: basic, not above */
    assert_int_equal(r.overall, DIGCOMP_OVERALL_BASIC);
    assert_int_equal(r.areas_at_least_basic, 5);
    assert_true(digcomp_at_least_basic(r.overall));
    for (int i = 0; i < DIGCOMP_AREAS; i++) assert_int_equal(r.area[i], DIGCOMP_BASIC);

    r = score(2, 2, 2, 2, 2);                       /* two everywhere: above basic only in areas 1 and 2 */
    assert_int_equal(r.overall, DIGCOMP_OVERALL_BASIC);
    assert_int_equal(r.area[1], DIGCOMP_ABOVE_BASIC);
    assert_int_equal(r.area[2], DIGCOMP_BASIC);

    r = score(2, 2, 3, 3, 3);
    assert_int_equal(r.overall, DIGCOMP_OVERALL_ABOVE_BASIC);
    assert_true(digcomp_at_least_basic(r.overall));

    r = score(5, 7, 4, 6, 1);                       /* above basic in four areas is still only basic overall */
    assert_int_equal(r.overall, DIGCOMP_OVERALL_BASIC);
    assert_int_equal(r.area[4], DIGCOMP_BASIC);

    r = score(5, 7, 4, 6, 0);                       /* one area missing: below basic, however strong the rest */
    assert_int_equal(r.overall, DIGCOMP_BELOW_BASIC);
    assert_int_equal(r.areas_at_least_basic, 4);
    assert_false(digcomp_at_least_basic(r.overall));

    r = score(0, 0, 3, 0, 0);
    assert_int_equal(r.overall, DIGCOMP_BELOW_BASIC);
    assert_int_equal(r.areas_at_least_basic, 1);
    assert_int_equal(r.area[2], DIGCOMP_ABOVE_BASIC);
    assert_int_equal(r.area[0], DIGCOMP_NONE);
}

static void test_codes(void **state)
{
    (void)state;
    assert_string_equal(digcomp_level_code(DIGCOMP_NONE), "none");
    assert_string_equal(digcomp_level_code(DIGCOMP_ABOVE_BASIC), "above_basic");
    assert_string_equal(digcomp_level_label(DIGCOMP_BASIC), "Cơ bản");
    assert_string_equal(digcomp_overall_code(DIGCOMP_BELOW_BASIC), "below_basic");
    assert_string_equal(digcomp_overall_label(DIGCOMP_OVERALL_ABOVE_BASIC), "Trên cơ bản");
    assert_null(digcomp_level_code((enum digcomp_level)3));
    assert_null(digcomp_overall_code((enum digcomp_overall)-1));
    for (int l = 0; l < 3; l++) assert_int_equal(digcomp_level_from_code(digcomp_level_code((enum digcomp_level)l)), l);
    for (int o = 0; o < 4; o++) assert_int_equal(digcomp_overall_from_code(digcomp_overall_code((enum digcomp_overall)o)), o);
    assert_int_equal(digcomp_level_from_code("great"), -1);
    assert_int_equal(digcomp_overall_from_code(NULL), -1);
}

static size_t suppress(const long *n, size_t count, bool *hidden) { return digcomp_suppress(n, count, DIGCOMP_MIN_CELL, hidden); }

static void test_suppress_cases(void **state)
{
    (void)state;
    bool h[8];
    long none[] = { 120, 10, 57 };
    assert_int_equal(suppress(none, 3, h), 0);
    assert_false(h[0] || h[1] || h[2]);

    /* One small cell alone would be total − rest: the smallest other cell goes too. */
    long one[] = { 100, 50, 9, 70 };
    assert_int_equal(suppress(one, 4, h), 2);
    assert_true(h[2] && h[1]);
    assert_false(h[0] || h[3]);

    /* Two small cells that together reach the threshold protect each other. */
    long two[] = { 100, 4, 6 };
    assert_int_equal(suppress(two, 3, h), 2);
    assert_true(h[1] && h[2]);
    assert_false(h[0]);

    /* Two small cells summing to fewer than 10 need a third. */
    long tiny[] = { 100, 3, 4, 50, 60 };
    assert_int_equal(suppress(tiny, 5, h), 3);
    assert_true(h[1] && h[2] && h[3]);
    assert_false(h[0] || h[4]);

    /* Empty cells describe nobody: shown, and never chosen as a complement. */
    long zero[] = { 100, 0, 50 };
    assert_int_equal(suppress(zero, 3, h), 0);
    long zero9[] = { 100, 0, 9, 40 };
    assert_int_equal(suppress(zero9, 4, h), 2);
    assert_false(h[1]);
    assert_true(h[2] && h[3]);

    /* The 10th respondent makes a cell publishable. */
    long nine[] = { 9, 300 }, ten[] = { 10, 300 };
    assert_int_equal(suppress(nine, 2, h), 2);
    assert_int_equal(suppress(ten, 2, h), 0);

    /* A table whose total is under 10 shows nothing, not even which of its groups are empty. */
    long small[] = { 3, 4, 0 };
    assert_int_equal(suppress(small, 3, h), 3);
    assert_true(h[0] && h[1] && h[2]);
    long empty[] = { 0, 0 };
    assert_int_equal(suppress(empty, 2, h), 0);
    assert_int_equal(suppress(NULL, 0, h), 0);
}

/* On many random tables: every cell of 1–9 is hidden, no empty cell is, and the hidden cells together always hold
 * at least 10 people, so neither one of them nor their sum describes fewer than 10. */
static void test_suppress_invariants(void **state)
{
    (void)state;
    unsigned seed = 4401;
    for (int t = 0; t < 5000; t++) {
        long n[12];
        bool h[12];
        size_t count = 1 + (size_t)(rand_r(&seed) % 12);
        long total = 0;
        for (size_t i = 0; i < count; i++) {
            int kind = rand_r(&seed) % 4;
            n[i] = kind == 0 ? 0 : kind == 1 ? 1 + rand_r(&seed) % 9 : rand_r(&seed) % 200;
            total += n[i];
        }
        size_t k = suppress(n, count, h), counted = 0;
        long hidden_sum = 0;
        for (size_t i = 0; i < count; i++) {
            if (n[i] > 0 && n[i] < DIGCOMP_MIN_CELL) assert_true(h[i]);
            if (n[i] == 0 && (total == 0 || total >= DIGCOMP_MIN_CELL)) assert_false(h[i]);
            if (total > 0 && total < DIGCOMP_MIN_CELL) assert_true(h[i]);
            if (h[i]) { counted++; hidden_sum += n[i]; }
        }
        assert_int_equal(k, counted);
        if (k && total >= DIGCOMP_MIN_CELL) assert_true(hidden_sum >= DIGCOMP_MIN_CELL);
        if (k == 1) assert_true(hidden_sum == total);   /* a lone hidden cell only when it is the whole table */
        if (k) assert_true(k >= 2 || count == 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_level),
        cmocka_unit_test(test_overall),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_suppress_cases),
        cmocka_unit_test(test_suppress_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
