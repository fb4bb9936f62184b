/* Reading and writing numbers the Vietnamese way (see vnnum.h): the one place the form, the report pages and the
 * totals agree on what "12.500" and "250,5" mean. Must not guess at a number it cannot read unambiguously. */
#include "core/vnnum.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether s[0..n) is a run of digit groups joined by sep: the first of 1–3 digits (not a lone leading 0 when
 * there is more than one group), every other of exactly 3. */
static bool grouped(const char *s, size_t n, char sep)
{
    size_t group = 0, groups = 1, first = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == sep) {
            if (groups == 1) first = group;
            else if (group != 3) return false;
            if (group == 0) return false;
            groups++;
            group = 0;
        } else if (isdigit((unsigned char)s[i])) group++;
        else return false;
    }
    if (groups == 1) return n > 0;
    return group == 3 && first >= 1 && first <= 3 && !(first == 1 && s[0] == '0');
}

enum vnnum_status vnnum_parse(const char *in, bool strict, double *out)
{
    char s[64];
    size_t n = 0;
    const char *p = in;
    bool neg = false;
    if (*p == '-' || *p == '+') neg = *p++ == '-';
    /* Spaces (and no-break spaces) only ever group thousands: kept as one separator so the groups are checked. */
    bool spaced = false;
    for (; *p && n + 1 < sizeof s; p++) {
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) { p++; s[n++] = ' '; spaced = true; }
        else { spaced |= *p == ' '; s[n++] = *p; }
    }
    if (*p) return VNNUM_BAD;
    s[n] = 0;
    if (!n || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[n - 1])) return VNNUM_BAD;
    const char *dot = strchr(s, '.'), *comma = strchr(s, ',');
    const char *last_dot = strrchr(s, '.'), *last_comma = strrchr(s, ',');
    size_t int_len = n;
    char group_sep = 0;
    if (spaced) {
        /* "1 234" or "1 234,5": spaces group, one dot or comma (at most) marks the decimals. */
        if ((dot && comma) || (dot && dot != last_dot) || (comma && comma != last_comma)) return VNNUM_BAD;
        group_sep = ' ';
        if (dot || comma) int_len = (size_t)((dot ? dot : comma) - s);
    } else if (dot && comma) {
        /* Both: the later one is the decimal mark and appears once; the other groups thousands. */
        const char *dec = last_dot > last_comma ? last_dot : last_comma;
        if (strchr(s, *dec) != dec) return VNNUM_BAD;
        group_sep = *dec == '.' ? ',' : '.';
        int_len = (size_t)(dec - s);
    } else if (comma) {
        if (comma == last_comma) int_len = (size_t)(comma - s);
        else group_sep = ',';
    } else if (dot) {
        if (dot != last_dot) group_sep = '.';
        else if (strlen(dot + 1) == 3 && !(dot - s == 1 && s[0] == '0') && dot - s <= 3) group_sep = '.';
        else if (strict && !(strlen(dot + 1) == 3 && dot - s == 1 && s[0] == '0')) return VNNUM_AMBIGUOUS;
        else int_len = (size_t)(dot - s);
    }
    if (!grouped(s, int_len, group_sep ? group_sep : '\x01')) return VNNUM_BAD;
    char clean[sizeof s + 2];
    size_t k = 0;
    if (neg) clean[k++] = '-';
    for (size_t i = 0; i < int_len; i++) if (isdigit((unsigned char)s[i])) clean[k++] = s[i];
    if (int_len < n) {
        clean[k++] = '.';
        for (size_t i = int_len + 1; i < n; i++) {
            if (!isdigit((unsigned char)s[i])) return VNNUM_BAD;
            clean[k++] = s[i];
        }
    }
    clean[k] = 0;
    char *end;
    *out = strtod(clean, &end);
    return *end == 0 && isfinite(*out) ? VNNUM_OK : VNNUM_BAD;
}

char *vnnum_format(double x, char out[VNNUM_MAX])
{
    if (!isfinite(x) || fabs(x) >= 1e18) { snprintf(out, VNNUM_MAX, "%g", x); return out; }
    /* Sums of decimals carry binary noise (250.6000000001): four decimals are more than any indicator asks for. */
    long long scaled = llround(fabs(x) * 10000.0);
    long long whole = scaled / 10000, frac = scaled % 10000;
    char digits[24], *o = out;
    int len = snprintf(digits, sizeof digits, "%lld", whole);
    if (x < 0 && scaled) *o++ = '-';
    for (int i = 0; i < len; i++) {
        *o++ = digits[i];
        if ((len - i - 1) % 3 == 0 && i < len - 1) *o++ = '.';
    }
    if (frac) {
        char f[8];
        snprintf(f, sizeof f, "%04lld", frac);
        for (int e = 3; e >= 0 && f[e] == '0'; e--) f[e] = 0;
        o += snprintf(o, (size_t)(VNNUM_MAX - (o - out)), ",%s", f);
    }
    *o = 0;
    return out;
}
