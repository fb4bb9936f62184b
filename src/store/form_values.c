/* Values typed by officials, checked against a form: numbers written the Vietnamese way (1.234; 12,5), yes/no in
 * words, choices matched without diacritics, and the form's cross-field rules. Must not touch the store. */
#include "store/form.h"
#include "core/text.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

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

/* Parses numbers as Vietnamese officials write them — "1.234.567", "1 234", "12,5", "1.234,5" — and as machines do
 * ("1.5", "-3"). A single dot followed by exactly three digits is a thousands separator (1.500 = 1500) unless the
 * integer part is a lone 0 (0.500 is a half). Anything else with separators in odd places (dates, "1..5", "1,2,5")
 * is refused rather than guessed at. */
static bool parse_number(const char *in, double *out)
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
    if (*p) return false;
    s[n] = 0;
    if (!n || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[n - 1])) return false;
    const char *dot = strchr(s, '.'), *comma = strchr(s, ',');
    const char *last_dot = strrchr(s, '.'), *last_comma = strrchr(s, ',');
    size_t int_len = n;
    char group_sep = 0;
    if (spaced) {
        /* "1 234" or "1 234,5": spaces group, one dot or comma (at most) marks the decimals. */
        if ((dot && comma) || (dot && dot != last_dot) || (comma && comma != last_comma)) return false;
        group_sep = ' ';
        if (dot || comma) int_len = (size_t)((dot ? dot : comma) - s);
    } else if (dot && comma) {
        /* Both: the later one is the decimal mark and appears once; the other groups thousands. */
        const char *dec = last_dot > last_comma ? last_dot : last_comma;
        if (strchr(s, *dec) != dec) return false;
        group_sep = *dec == '.' ? ',' : '.';
        int_len = (size_t)(dec - s);
    } else if (comma) {
        if (comma == last_comma) int_len = (size_t)(comma - s);
        else group_sep = ',';
    } else if (dot) {
        if (dot != last_dot) group_sep = '.';
        else if (strlen(dot + 1) == 3 && !(dot - s == 1 && s[0] == '0') && dot - s <= 3) group_sep = '.';
        else int_len = (size_t)(dot - s);
    }
    if (!grouped(s, int_len, group_sep ? group_sep : '\x01')) return false;
    char clean[sizeof s + 2];
    size_t k = 0;
    if (neg) clean[k++] = '-';
    for (size_t i = 0; i < int_len; i++) if (isdigit((unsigned char)s[i])) clean[k++] = s[i];
    if (int_len < n) {
        clean[k++] = '.';
        for (size_t i = int_len + 1; i < n; i++) {
            if (!isdigit((unsigned char)s[i])) return false;
            clean[k++] = s[i];
        }
    }
    clean[k] = 0;
    char *end;
    *out = strtod(clean, &end);
    return *end == 0 && isfinite(*out);
}

static int parse_bool(const char *s)
{
    char *f = text_fold(s);
    static const char *yes[] = { "1", "true", "co", "x", "yes", "dung", "da", NULL };
    static const char *no[] = { "0", "false", "khong", "no", "sai", "chua", NULL };
    int r = -1;
    for (int i = 0; yes[i] && r < 0; i++) if (!strcmp(f, yes[i])) r = 1;
    for (int i = 0; no[i] && r < 0; i++) if (!strcmp(f, no[i])) r = 0;
    free(f);
    return r;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The value as text whatever JSON type it came as; NULL for null/absent/empty. malloc'd. */
static char *as_text(json_t *v)
{
    char b[64];
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (!*s) return NULL;
        char *t = strdup(s);
        for (size_t n = strlen(t); n && strchr(" \t\r\n", t[n - 1]); n--) t[n - 1] = 0;
        return t;
    }
    if (json_is_integer(v)) { snprintf(b, sizeof b, "%lld", (long long)json_integer_value(v)); return strdup(b); }
    if (json_is_real(v)) { snprintf(b, sizeof b, "%.17g", json_real_value(v)); return strdup(b); }
    if (json_is_true(v)) return strdup("1");
    if (json_is_false(v)) return strdup("0");
    return NULL;
}

static void check_range(json_t *ind, double x, const char *code, json_t *errors)
{
    json_t *mn = json_object_get(ind, "min"), *mx = json_object_get(ind, "max");
    const char *label = str(ind, "label");
    if (json_is_number(mn) && x < json_number_value(mn))
        json_object_set_new(errors, code, json_sprintf("%s: không được nhỏ hơn %g.", label, json_number_value(mn)));
    else if (json_is_number(mx) && x > json_number_value(mx))
        json_object_set_new(errors, code, json_sprintf("%s: không được lớn hơn %g.", label, json_number_value(mx)));
}

static json_t *check_one(json_t *ind, const char *raw, json_t *given, json_t *errors)
{
    const char *code = str(ind, "code"), *type = str(ind, "type"), *label = str(ind, "label");
    double x;
    /* A JSON number is already a number: re-reading its text the Vietnamese way would turn 1.125 into 1125. */
    bool is_num = json_is_number(given);
    if (is_num) x = json_number_value(given);
    if (!strcmp(type, "integer")) {
        if ((!is_num && !parse_number(raw, &x)) || x != floor(x) || fabs(x) > 9e15) {
            json_object_set_new(errors, code, json_sprintf("%s: cần một số nguyên.", label));
            return NULL;
        }
        check_range(ind, x, code, errors);
        return json_integer((json_int_t)x);
    }
    if (!strcmp(type, "decimal")) {
        if ((!is_num && !parse_number(raw, &x)) || !isfinite(x)) { json_object_set_new(errors, code, json_sprintf("%s: cần một số.", label)); return NULL; }
        check_range(ind, x, code, errors);
        return json_real(x);
    }
    if (!strcmp(type, "bool")) {
        int b = parse_bool(raw);
        if (b < 0) { json_object_set_new(errors, code, json_sprintf("%s: chọn Có hoặc Không.", label)); return NULL; }
        return json_boolean(b);
    }
    char *nfc = text_nfc(raw);
    json_t *out = NULL;
    if (!strcmp(type, "choice")) {
        char *f = text_fold(nfc);
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(ind, "choices"), i, c) {
            char *cf = text_fold(json_string_value(c));
            if (!strcmp(cf, f)) out = json_incref(c);
            free(cf);
            if (out) break;
        }
        free(f);
        if (!out) json_object_set_new(errors, code, json_sprintf("%s: giá trị không có trong danh sách lựa chọn.", label));
    } else {
        json_t *mx = json_object_get(ind, "max");
        size_t limit = json_is_number(mx) && json_number_value(mx) > 0 ? (size_t)json_number_value(mx) : 4000;
        if (utf8_chars(nfc) > limit) json_object_set_new(errors, code, json_sprintf("%s: tối đa %zu ký tự.", label, limit));
        else out = json_string(nfc);
    }
    free(nfc);
    return out;
}

static bool compare(double a, const char *op, double b)
{
    if (!strcmp(op, "<=")) return a <= b;
    if (!strcmp(op, "<")) return a < b;
    if (!strcmp(op, ">=")) return a >= b;
    if (!strcmp(op, ">")) return a > b;
    if (!strcmp(op, "=")) return a == b;
    return a != b;
}

json_t *form_values_check(json_t *form, json_t *values, bool complete, json_t *errors)
{
    json_t *out = json_object();
    json_t *inds = json_object_get(form, "indicators");
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
        bool known = false;
        size_t i;
        json_t *ind;
        json_array_foreach(inds, i, ind) if (!strcmp(str(ind, "code"), k)) known = true;
        if (!known) json_object_set_new(errors, k, json_sprintf("Biểu mẫu không có chỉ tiêu %s.", k));
        else if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v) && !json_is_null(v))
            json_object_set_new(errors, k, json_string("Giá trị phải là số, chữ hoặc đúng/sai."));
    }
    size_t i;
    json_t *ind;
    json_array_foreach(inds, i, ind) {
        const char *code = str(ind, "code");
        if (json_object_get(errors, code)) continue;
        char *raw = as_text(json_object_get(values, code));
        if (!raw) {
            if (complete && json_is_true(json_object_get(ind, "required")))
                json_object_set_new(errors, code, json_sprintf("%s: bắt buộc nhập.", str(ind, "label")));
            continue;
        }
        json_t *val = check_one(ind, raw, json_object_get(values, code), errors);
        free(raw);
        if (val) json_object_set_new(out, code, val);
    }
    json_t *r;
    json_array_foreach(json_object_get(form, "rules"), i, r) {
        json_t *a = json_object_get(out, str(r, "left")), *b = json_object_get(out, str(r, "right"));
        if (json_is_number(a) && json_is_number(b) && !json_object_get(errors, str(r, "left")) &&
            !compare(json_number_value(a), str(r, "op"), json_number_value(b)))
            json_object_set(errors, str(r, "left"), json_object_get(r, "message"));
    }
    return out;
}
