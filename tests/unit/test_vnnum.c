/* Unit tests for src/core/vnnum.c: numbers read and written the Vietnamese way, and "1.5" refused when a person typed it.
 * Must not depend on the locale. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/vnnum.h"

static void test_parse_vietnamese(void **state)
{
    (void)state;
    static const struct { const char *in; double want; } ok[] = {
        { "12.500", 12500 }, { "250,5", 250.5 }, { "1.234.567", 1234567 }, { "1.234,5", 1234.5 }, { "1 234", 1234 },
        { "-3", -3 }, { "0,25", 0.25 }, { "0.500", 0.5 }, { "12", 12 }, { "1,234,567.5", 1234567.5 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double x = -1;
        assert_int_equal(vnnum_parse(ok[i].in, true, &x), VNNUM_OK);
        assert_true(x == ok[i].want);
    }
}

static void test_parse_ambiguous_only_when_typed(void **state)
{
    (void)state;
    double x = 0;
    assert_int_equal(vnnum_parse("1.5", true, &x), VNNUM_AMBIGUOUS);
    assert_int_equal(vnnum_parse("12.25", true, &x), VNNUM_AMBIGUOUS);
    assert_int_equal(vnnum_parse("1234.5", true, &x), VNNUM_AMBIGUOUS);
    assert_int_equal(vnnum_parse("0.5", true, &x), VNNUM_AMBIGUOUS);
    /* A spreadsheet cell is written by a machine: its dot is a decimal point. */
    assert_int_equal(vnnum_parse("1.5", false, &x), VNNUM_OK);
    assert_true(x == 1.5);
    static const char *bad[] = { "", "abc", "1..5", "1,2,5", "12/10/2026", "1.23.4", ".5", "5.", NULL };
    for (int i = 0; bad[i]; i++) assert_int_equal(vnnum_parse(bad[i], true, &x), VNNUM_BAD);
}

static void test_format(void **state)
{
    (void)state;
    static const struct { double x; const char *want; } t[] = {
        { 12500, "12.500" }, { 250.5, "250,5" }, { 0, "0" }, { -0.25, "-0,25" }, { 1234567.125, "1.234.567,125" },
        { 250.5 + 0.1, "250,6" }, { 999.99999, "1.000" }, { -1234, "-1.234" }, { 1e-9, "0" },
    };
    char b[VNNUM_MAX];
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) assert_string_equal(vnnum_format(t[i].x, b), t[i].want);
}

/* What is written back reads as the same number. */
static void test_round_trip(void **state)
{
    (void)state;
    static const double xs[] = { 12500, 250.5, 1234567.25, 7, 0.75, 100000 };
    char b[VNNUM_MAX];
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double y = -1;
        assert_int_equal(vnnum_parse(vnnum_format(xs[i], b), true, &y), VNNUM_OK);
        assert_true(y == xs[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_vietnamese),
        cmocka_unit_test(test_parse_ambiguous_only_when_typed),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
