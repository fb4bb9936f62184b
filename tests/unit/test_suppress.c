/* Unit tests of small-cell suppression (src/core/suppress.c): a cell under 10 is hidden, a second one too so the first
 * cannot be recovered from the total, nothing is hidden when every cell holds 10 or more, and a small total hides all.
 * Must not depend on the survey: plain counts only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "core/suppress.h"

#define MIN 10

static long sum(const long *n, size_t count, const bool *hidden, bool want_hidden)
{
    long s = 0;
    for (size_t i = 0; i < count; i++)
        if (hidden[i] == want_hidden) s += n[i];
    return s;
}

static void a_cell_under_10_is_hidden(void **state)
{
    long n[] = { 40, 7, 55, 30 };
    bool h[4];
    suppress_cells(n, 4, MIN, h);
    assert_true(h[1]);
    long one[] = { 120, 1 };
    suppress_cells(one, 2, MIN, h);
    assert_true(h[1]);
}

static void a_second_cell_is_hidden_so_the_first_cannot_be_recovered(void **state)
{
    long n[] = { 40, 7, 55, 30 };
    bool h[5];
    assert_int_equal(suppress_cells(n, 4, MIN, h), 2);
    /* The smallest other cell goes with it: total − shown is then 7 + 30, which says nothing of the 7. */
    assert_true(h[1] && h[3]);
    assert_false(h[0] || h[2]);
    long total = 40 + 7 + 55 + 30;
    assert_int_equal(total - sum(n, 4, h, false), 37);
    assert_true(sum(n, 4, h, true) >= MIN);

    /* Two small cells that reach 10 together protect each other; three when they do not. */
    long pair[] = { 90, 4, 6 }, three[] = { 90, 2, 3, 25, 60 };
    assert_int_equal(suppress_cells(pair, 3, MIN, h), 2);
    assert_true(h[1] && h[2] && !h[0]);
    assert_int_equal(suppress_cells(three, 5, MIN, h), 3);
    assert_true(h[1] && h[2] && h[3]);
    assert_false(h[0] || h[4]);
}

static void nothing_is_hidden_when_every_cell_holds_10_or_more(void **state)
{
    long n[] = { 10, 11, 250, 10 };
    bool h[4] = { true, true, true, true };
    assert_int_equal(suppress_cells(n, 4, MIN, h), 0);
    assert_false(h[0] || h[1] || h[2] || h[3]);
    /* Empty cells describe no one: shown, and never taken as the complement. */
    long z[] = { 10, 0, 30 };
    assert_int_equal(suppress_cells(z, 3, MIN, h), 0);
    long z9[] = { 50, 0, 9, 12 };
    assert_int_equal(suppress_cells(z9, 4, MIN, h), 2);
    assert_false(h[1]);
    assert_true(h[2] && h[3]);
}

static void a_table_of_fewer_than_10_hides_every_cell(void **state)
{
    long n[] = { 3, 0, 4 };
    bool h[3];
    assert_int_equal(suppress_cells(n, 3, MIN, h), 3);
    assert_true(h[0] && h[1] && h[2]);
    assert_true(suppress_total(1, MIN));
    assert_true(suppress_total(9, MIN));
    assert_false(suppress_total(10, MIN));
    assert_false(suppress_total(0, MIN));   /* nobody answered: 0 is published */
}

/* On random tables: no shown cell can be worked out from the total and the other shown cells, i.e. the hidden cells
 * are never a single non-empty one (unless it is the whole table, itself hidden as a total), and together hold 10. */
static void no_hidden_cell_is_recoverable(void **state)
{
    unsigned seed = 1210;
    for (int t = 0; t < 3000; t++) {
        long n[10];
        bool h[10];
        size_t count = 1 + (size_t)(rand_r(&seed) % 10);
        long total = 0;
        for (size_t i = 0; i < count; i++) {
            int kind = rand_r(&seed) % 3;
            n[i] = kind == 0 ? 0 : kind == 1 ? 1 + rand_r(&seed) % 9 : 10 + rand_r(&seed) % 90;
            total += n[i];
        }
        suppress_cells(n, count, MIN, h);
        size_t nonempty_hidden = 0;
        for (size_t i = 0; i < count; i++) {
            if (n[i] > 0 && n[i] < MIN) assert_true(h[i]);
            if (h[i] && n[i] > 0) nonempty_hidden++;
        }
        if (suppress_total(total, MIN)) continue;
        if (nonempty_hidden) {
            assert_true(nonempty_hidden >= 2);
            assert_true(sum(n, count, h, true) >= MIN);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cell_under_10_is_hidden),
        cmocka_unit_test(a_second_cell_is_hidden_so_the_first_cannot_be_recovered),
        cmocka_unit_test(nothing_is_hidden_when_every_cell_holds_10_or_more),
        cmocka_unit_test(a_table_of_fewer_than_10_hides_every_cell),
        cmocka_unit_test(no_hidden_cell_is_recoverable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
