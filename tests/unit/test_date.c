/* Unit tests for src/core/date.c: Gregorian arithmetic, ISO and Vietnamese parsing/formatting, UTC+7 "today".
 * Must not depend on the TZ environment, tzdata, locale or the real clock (except a sanity check of date_today). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/date.h"

static struct ymd D(int y, int m, int d)
{
    return (struct ymd){y, m, d};
}

static void assert_ymd(struct ymd got, int y, int m, int d)
{
    assert_int_equal(got.y, y);
    assert_int_equal(got.m, m);
    assert_int_equal(got.d, d);
}

static void test_leap_years(void **state)
{
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2100, 2), 28);
    assert_int_equal(date_days_in_month(1600, 2), 29);
    assert_false(date_valid(D(1900, 2, 29)));
    assert_true(date_valid(D(2000, 2, 29)));
    assert_true(date_valid(D(2024, 2, 29)));
    assert_false(date_valid(D(2023, 2, 29)));
    /* A leap year has 366 days, a common year 365. */
    assert_int_equal(date_diff(D(1900, 1, 1), D(1901, 1, 1)), 365);
    assert_int_equal(date_diff(D(2000, 1, 1), D(2001, 1, 1)), 366);
    assert_int_equal(date_diff(D(2024, 1, 1), D(2025, 1, 1)), 366);
}

static void test_days_in_month_and_valid(void **state)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++)
        assert_int_equal(date_days_in_month(2023, m), dim[m - 1]);
    assert_int_equal(date_days_in_month(2023, 0), 0);
    assert_int_equal(date_days_in_month(2023, 13), 0);
    assert_true(date_valid(D(2022, 6, 16)));
    assert_true(date_valid(D(2022, 12, 31)));
    assert_false(date_valid(D(2022, 13, 1)));
    assert_false(date_valid(D(2022, 0, 1)));
    assert_false(date_valid(D(2022, 4, 31)));
    assert_false(date_valid(D(2022, 1, 0)));
    assert_false(date_valid(D(2022, 1, 32)));
    assert_false(date_valid(D(0, 1, 1)));
    assert_false(date_valid(D(10000, 1, 1)));
    assert_true(date_valid(D(9999, 12, 31)));
    assert_true(date_valid(D(1, 1, 1)));
}

static void test_known_day_numbers(void **state)
{
    assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
    assert_int_equal(date_to_days(D(1970, 1, 2)), 1);
    assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
    assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
    assert_int_equal(date_to_days(D(1900, 1, 1)), -25567);
    assert_int_equal(date_to_days(D(2022, 6, 16)), 19159);
    assert_int_equal(date_to_days(D(2026, 11, 23)), 20780);
    assert_int_equal(date_to_days(D(1, 1, 1)), -719162);
    assert_ymd(date_from_days(0), 1970, 1, 1);
    assert_ymd(date_from_days(-1), 1969, 12, 31);
    assert_ymd(date_from_days(20780), 2026, 11, 23);
    assert_ymd(date_from_days(11016), 2000, 2, 29);
    assert_ymd(date_from_days(-719162), 1, 1, 1);
}

static void test_round_trip_every_day(void **state)
{
    /* Walks the calendar by hand so the check does not share any formula with the code under test. */
    struct ymd d = D(1900, 1, 1);
    long n = date_to_days(d);
    long count = 0;
    while (d.y <= 2100) {
        assert_int_equal(date_to_days(d), n);
        struct ymd back = date_from_days(n);
        assert_ymd(back, d.y, d.m, d.d);
        assert_true(date_valid(back));
        if (++d.d > date_days_in_month(d.y, d.m)) {
            d.d = 1;
            if (++d.m > 12) {
                d.m = 1;
                d.y++;
            }
        }
        n++;
        count++;
    }
    /* 201 years, 49 of them leap (2000 is, 1900 and 2100 are not). */
    assert_int_equal(count, 201L * 365 + 49);
    assert_ymd(d, 2101, 1, 1);
}

static void test_diff_and_cmp(void **state)
{
    assert_int_equal(date_diff(D(2022, 6, 16), D(2026, 11, 23)), 1621);
    assert_int_equal(date_diff(D(2026, 11, 23), D(2022, 6, 16)), -1621);
    assert_int_equal(date_diff(D(2024, 2, 28), D(2024, 3, 1)), 2);
    assert_int_equal(date_diff(D(2023, 2, 28), D(2023, 3, 1)), 1);
    assert_int_equal(date_diff(D(2022, 12, 31), D(2023, 1, 1)), 1);
    assert_int_equal(date_diff(D(2026, 10, 10), D(2026, 10, 10)), 0);
    assert_int_equal(date_cmp(D(2022, 6, 16), D(2022, 6, 16)), 0);
    assert_true(date_cmp(D(2022, 6, 16), D(2022, 6, 17)) < 0);
    assert_true(date_cmp(D(2022, 7, 1), D(2022, 6, 30)) > 0);
    assert_true(date_cmp(D(2021, 12, 31), D(2022, 1, 1)) < 0);
    assert_true(date_cmp(D(2023, 1, 1), D(2022, 12, 31)) > 0);
}

static void test_parse_iso(void **state)
{
    struct ymd d = D(0, 0, 0);
    assert_true(date_parse_iso("2022-06-16", &d));
    assert_ymd(d, 2022, 6, 16);
    assert_true(date_parse_iso("2024-02-29", &d));
    assert_ymd(d, 2024, 2, 29);

    d = D(7, 7, 7);
    assert_false(date_parse_iso("2023-02-29", &d));
    assert_ymd(d, 7, 7, 7); /* untouched on failure */
    assert_false(date_parse_iso("2022-13-01", &d));
    assert_false(date_parse_iso("2022-00-10", &d));
    assert_false(date_parse_iso("2022-06-00", &d));
    assert_false(date_parse_iso("2022-6-1", &d));
    assert_false(date_parse_iso("2022-06-1", &d));
    assert_false(date_parse_iso("2022-06-16x", &d));
    assert_false(date_parse_iso("2022-06-16 ", &d));
    assert_false(date_parse_iso(" 2022-06-16", &d));
    assert_false(date_parse_iso("2022-06-16T00:00:00Z", &d));
    assert_false(date_parse_iso("2022/06/16", &d));
    assert_false(date_parse_iso("16/06/2022", &d));
    assert_false(date_parse_iso("2022-0a-16", &d));
    assert_false(date_parse_iso("+022-06-16", &d));
    assert_false(date_parse_iso("", &d));
    assert_false(date_parse_iso(NULL, &d));
    assert_ymd(d, 7, 7, 7);
}

static void test_format(void **state)
{
    char buf[11];
    memset(buf, 'x', sizeof buf);
    date_format_vn(D(2022, 6, 16), buf);
    assert_string_equal(buf, "16/06/2022");
    date_format_vn(D(2022, 9, 6), buf);
    assert_string_equal(buf, "06/09/2022");
    date_format_iso(D(2022, 6, 16), buf);
    assert_string_equal(buf, "2022-06-16");
    date_format_iso(D(987, 1, 2), buf);
    assert_string_equal(buf, "0987-01-02");

    struct ymd d;
    date_format_iso(D(2024, 2, 29), buf);
    assert_true(date_parse_iso(buf, &d));
    assert_ymd(d, 2024, 2, 29);
}

static void expect_vn(const char *s, int y, int m, int d)
{
    struct ymd got = D(0, 0, 0);
    if (!date_parse_vn(s, &got))
        fail_msg("date_parse_vn rejected \"%s\"", s);
    assert_ymd(got, y, m, d);
}

static void expect_no_vn(const char *s)
{
    struct ymd got = D(7, 7, 7);
    if (date_parse_vn(s, &got))
        fail_msg("date_parse_vn accepted \"%s\" as %d-%d-%d", s, got.y, got.m, got.d);
    assert_ymd(got, 7, 7, 7);
}

static void test_parse_vn_numeric(void **state)
{
    expect_vn("16/6/2022", 2022, 6, 16);
    expect_vn("16-6-2022", 2022, 6, 16);
    expect_vn("16.6.2022", 2022, 6, 16);
    expect_vn("06/09/2022", 2022, 9, 6);
    expect_vn("6/9/2022", 2022, 9, 6);
    expect_vn("trước ngày 15/9/2022", 2022, 9, 15);
    expect_vn("ngày 16/6/2022", 2022, 6, 16);
    expect_vn("Hạn chót: 29/2/2024.", 2024, 2, 29);
    /* A document number before the date must not be mistaken for one. */
    expect_vn("Quyết định số 505/QĐ-TTg ngày 22/4/2022", 2022, 4, 22);
    expect_vn("Nghị định 13/2023/NĐ-CP ngày 17/4/2023", 2023, 4, 17);
    /* The first full date wins. */
    expect_vn("từ 1/10/2026 đến 31/10/2026", 2026, 10, 1);
    /* An impossible date is skipped, not returned. */
    expect_vn("32/1/2022 hoặc 1/2/2022", 2022, 2, 1);
}

static void test_parse_vn_words(void **state)
{
    expect_vn("ngày 16 tháng 6 năm 2022", 2022, 6, 16);
    expect_vn("Hà Nội, ngày 16 tháng 6 năm 2022", 2022, 6, 16);
    expect_vn("NGÀY 16 THÁNG 6 NĂM 2022", 2022, 6, 16);
    expect_vn("Ngày 06 tháng 09 năm 2022", 2022, 9, 6);
    expect_vn("ngày  16   tháng 6 năm\t2022", 2022, 6, 16);
    /* NFD, written out byte by byte: "nga\u0300y 16 tha\u0301ng 6 na\u0306m 2022". */
    expect_vn("nga\xCC\x80y 16 tha\xCC\x81ng 6 na\xCC\x86m 2022", 2022, 6, 16);
    expect_vn("Ha\xCC\x80 No\xCC\xA3\xCC\x82i, nga\xCC\x80y 16 tha\xCC\x81ng 6 na\xCC\x86m 2022", 2022, 6, 16);
    /* Office documents often carry no-break spaces. */
    expect_vn("ngày\xC2\xA0" "16\xC2\xA0tháng\xC2\xA0" "6\xC2\xA0năm\xC2\xA0" "2022", 2022, 6, 16);
}

static void test_parse_vn_rejects(void **state)
{
    expect_no_vn("Quý I hằng năm");
    expect_no_vn("6/2025");
    expect_no_vn("tháng 6/2025");
    expect_no_vn("32/1/2022");
    expect_no_vn("29/2/2023");
    expect_no_vn("16/13/2022");
    expect_no_vn("16/6/22");
    expect_no_vn("16/6-2022");
    expect_no_vn("116/6/2022");
    expect_no_vn("16/6/20222");
    expect_no_vn("ngày 16 tháng 6");
    expect_no_vn("ngày 31 tháng 4 năm 2022");
    expect_no_vn("");
    expect_no_vn(NULL);
    struct ymd d;
    assert_true(date_parse_vn("16/6/2022", NULL));
    assert_false(date_parse_vn("6/2025", &d));
}

static void test_parse_vn_invalid_utf8(void **state)
{
    /* The numeric form is plain ASCII, so a stray byte elsewhere must not hide it. */
    expect_vn("\xC0\xAF 16/6/2022", 2022, 6, 16);
    expect_no_vn("\xC0\xAF only junk");
}

static void test_weekday(void **state)
{
    assert_string_equal(date_weekday_vn(D(2026, 11, 23)), "Thứ Hai");
    assert_string_equal(date_weekday_vn(D(1970, 1, 1)), "Thứ Năm");
    assert_string_equal(date_weekday_vn(D(2026, 11, 22)), "Chủ nhật");
    assert_string_equal(date_weekday_vn(D(2026, 11, 24)), "Thứ Ba");
    assert_string_equal(date_weekday_vn(D(2026, 11, 25)), "Thứ Tư");
    assert_string_equal(date_weekday_vn(D(2026, 11, 27)), "Thứ Sáu");
    assert_string_equal(date_weekday_vn(D(2026, 11, 28)), "Thứ Bảy");
    assert_string_equal(date_weekday_vn(D(1969, 12, 28)), "Chủ nhật"); /* before the epoch */
    assert_string_equal(date_weekday_vn(D(1900, 1, 1)), "Thứ Hai");
    assert_string_equal(date_weekday_vn(D(2000, 2, 29)), "Thứ Ba");
    assert_string_equal(date_weekday_vn(D(2023, 2, 29)), "");
}

static void test_today_at_utc7(void **state)
{
    /* 2026-11-23T16:59:59Z is 23:59:59 in Hà Nội, one second later it is the 24th. */
    assert_ymd(date_today_at((time_t)1795453199), 2026, 11, 23);
    assert_ymd(date_today_at((time_t)1795453200), 2026, 11, 24);
    /* Midnight UTC is already 07:00 local on the same day. */
    assert_ymd(date_today_at((time_t)1795392000), 2026, 11, 23);
    assert_ymd(date_today_at((time_t)1795391999), 2026, 11, 23);
    assert_ymd(date_today_at((time_t)0), 1970, 1, 1);
    /* Before the epoch: 1969-12-31T16:59:59Z and 17:00:00Z. */
    assert_ymd(date_today_at((time_t)-25201), 1969, 12, 31);
    assert_ymd(date_today_at((time_t)-25200), 1970, 1, 1);
    assert_ymd(date_today_at((time_t)-86400), 1969, 12, 31);
}

static void test_today_sane(void **state)
{
    struct ymd t = date_today();
    assert_true(date_valid(t));
    assert_true(t.y >= 2024);
}

static void test_utc_iso(void **state)
{
    char buf[21];
    memset(buf, 'x', sizeof buf);
    date_utc_iso((time_t)0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    date_utc_iso((time_t)1795453199, buf);
    assert_string_equal(buf, "2026-11-23T16:59:59Z");
    date_utc_iso((time_t)1795463401, buf);
    assert_string_equal(buf, "2026-11-23T19:50:01Z");
    date_utc_iso((time_t)-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    date_utc_iso((time_t)951782400, buf);
    assert_string_equal(buf, "2000-02-29T00:00:00Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_days_in_month_and_valid),
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_diff_and_cmp),
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_vn_numeric),
        cmocka_unit_test(test_parse_vn_words),
        cmocka_unit_test(test_parse_vn_rejects),
        cmocka_unit_test(test_parse_vn_invalid_utf8),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_today_at_utc7),
        cmocka_unit_test(test_today_sane),
        cmocka_unit_test(test_utc_iso),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
