/* Calendar arithmetic, parsing and formatting for dates as Vietnamese documents write them, in UTC+7.
 * Must not consult the TZ environment, tzdata or locale, do I/O, or keep any state; only date_today() reads the clock. */
#include "core/date.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Asia/Ho_Chi_Minh has had no DST since 1975, so a fixed offset is exact for every date the platform sees. */
#define VN_OFFSET_SECONDS (7L * 3600L)
#define SECONDS_PER_DAY 86400L
/* Keeps date_from_days' year inside int (about ±2e9 years) and its arithmetic far from long overflow. */
#define DAYS_LIMIT (146097L * 5000000L)

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Years are limited to four digits because every textual form (ISO and d/m/Y, 11-byte buffers) assumes it. */
bool date_valid(struct ymd d)
{
    return d.y >= 1 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= date_days_in_month(d.y, d.m);
}

/* Howard Hinnant's days_from_civil: shifting the year to start in March puts the leap day last, so the day of
 * year is a closed formula and each 400-year era has exactly 146097 days. */
long date_to_days(struct ymd d)
{
    long y = (long)d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = d.m > 2 ? d.m - 3 : d.m + 9;
    long doy = (153 * mp + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days, the exact inverse of date_to_days. */
struct ymd date_from_days(long days)
{
    if (days > DAYS_LIMIT)
        days = DAYS_LIMIT;
    if (days < -DAYS_LIMIT)
        days = -DAYS_LIMIT;
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    return (struct ymd){(int)y, (int)m, (int)d};
}

long date_diff(struct ymd a, struct ymd b)
{
    return date_to_days(b) - date_to_days(a);
}

int date_cmp(struct ymd a, struct ymd b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads 1..max digits at *p (and no more, so "2022" is never taken as a day); advances *p. */
static bool read_num(const char **p, int min, int max, int *out)
{
    int v = 0, n = 0;
    const char *s = *p;
    while (n < max && is_digit(s[n]))
        v = v * 10 + (s[n++] - '0');
    if (n < min || is_digit(s[n]))
        return false;
    *p = s + n;
    *out = v;
    return true;
}

bool date_parse_iso(const char *s, struct ymd *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    struct ymd d = {
        (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
        (s[5] - '0') * 10 + (s[6] - '0'),
        (s[8] - '0') * 10 + (s[9] - '0'),
    };
    if (!date_valid(d))
        return false;
    if (out)
        *out = d;
    return true;
}

/* Writes exactly width digits of |v| (low-order ones if it has more), so an out-of-range field can never overrun
 * the fixed-size buffers the header promises are enough. */
static char *put_digits(char *p, long v, int width)
{
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    for (int i = width - 1; i >= 0; i--, u /= 10)
        p[i] = (char)('0' + u % 10);
    return p + width;
}

void date_format_iso(struct ymd d, char *out)
{
    char *p = put_digits(out, d.y, 4);
    *p++ = '-';
    p = put_digits(p, d.m, 2);
    *p++ = '-';
    p = put_digits(p, d.d, 2);
    *p = '\0';
}

void date_format_vn(struct ymd d, char *out)
{
    char *p = put_digits(out, d.d, 2);
    *p++ = '/';
    p = put_digits(p, d.m, 2);
    *p++ = '/';
    p = put_digits(p, d.y, 4);
    *p = '\0';
}

/* "16/6/2022", "16-6-2022", "16.6.2022": one separator kind throughout, four-digit year. */
static bool parse_numeric(const char *p, struct ymd *out)
{
    struct ymd d;
    if (!read_num(&p, 1, 2, &d.d))
        return false;
    char sep = *p;
    if (sep != '/' && sep != '-' && sep != '.')
        return false;
    p++;
    if (!read_num(&p, 1, 2, &d.m) || *p != sep)
        return false;
    p++;
    if (!read_num(&p, 4, 4, &d.y) || !date_valid(d))
        return false;
    *out = d;
    return true;
}

static bool skip_spaces(const char **p)
{
    const char *s = *p;
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
        (*p)++;
    return *p != s;
}

static bool skip_word(const char **p, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*p, word, n) != 0 || is_alpha((*p)[n]))
        return false;
    *p += n;
    return true;
}

/* "ngay 16 thang 6 nam 2022" in the normalised (lower case, unaccented) text. */
static bool parse_words(const char *p, struct ymd *out)
{
    struct ymd d;
    if (!skip_word(&p, "ngay") || !skip_spaces(&p) || !read_num(&p, 1, 2, &d.d) || !skip_spaces(&p) ||
        !skip_word(&p, "thang") || !skip_spaces(&p) || !read_num(&p, 1, 2, &d.m) || !skip_spaces(&p) ||
        !skip_word(&p, "nam") || !skip_spaces(&p) || !read_num(&p, 4, 4, &d.y) || !date_valid(d))
        return false;
    *out = d;
    return true;
}

static bool scan_dates(const char *s, struct ymd *out)
{
    for (size_t i = 0; s[i]; i++) {
        bool digit_start = is_digit(s[i]) && (i == 0 || !is_digit(s[i - 1]));
        bool word_start = s[i] == 'n' && (i == 0 || !is_alpha(s[i - 1]));
        if ((digit_start && parse_numeric(s + i, out)) || (word_start && parse_words(s + i, out)))
            return true;
    }
    return false;
}

bool date_parse_vn(const char *s, struct ymd *out)
{
    if (!s)
        return false;
    /* Strip marks and case-fold so "NGÀY", NFD "ngày" and "ngày" all read "ngay"; LUMP turns no-break spaces
     * into ' ' and Unicode dashes/slashes into ASCII ones, so pasted text from office documents still parses. */
    utf8proc_uint8_t *norm = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &norm,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK | UTF8PROC_LUMP);
    struct ymd d;
    bool found;
    if (n >= 0) {
        found = scan_dates((const char *)norm, &d);
        free(norm);
    } else {
        /* Not valid UTF-8: the numeric forms are pure ASCII, so a byte-wise scan is still safe and useful. */
        found = scan_dates(s, &d);
    }
    if (found && out)
        *out = d;
    return found;
}

static long floor_div(long a, long b)
{
    long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

struct ymd date_today_at(time_t t)
{
    /* Split before adding the offset so that no value of t can overflow. */
    long days = floor_div((long)t, SECONDS_PER_DAY);
    long secs = (long)t - days * SECONDS_PER_DAY + VN_OFFSET_SECONDS;
    return date_from_days(days + (secs >= SECONDS_PER_DAY));
}

struct ymd date_today(void)
{
    return date_today_at(time(NULL));
}

void date_utc_iso(time_t t, char *out)
{
    /* Clamp to 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, the range a four-digit year can express. */
    long v = (long)t;
    if (v < -62167219200L)
        v = -62167219200L;
    if (v > 253402300799L)
        v = 253402300799L;
    long days = floor_div(v, SECONDS_PER_DAY);
    long secs = v - days * SECONDS_PER_DAY;
    struct ymd d = date_from_days(days);
    date_format_iso(d, out);
    char *p = out + 10;
    *p++ = 'T';
    p = put_digits(p, secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, secs % 60, 2);
    *p++ = 'Z';
    *p = '\0';
}

/* Weekday names are fixed strings, so returning them needs no allocation; "" for an impossible date. */
const char *date_weekday_vn(struct ymd d)
{
    static const char *const names[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};
    if (!date_valid(d))
        return "";
    /* 1970-01-01 (day 0) was a Thursday, index 4 with Sunday at 0. */
    long w = (date_to_days(d) + 4) % 7;
    return names[w < 0 ? w + 7 : w];
}
