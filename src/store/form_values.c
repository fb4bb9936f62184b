/* Values typed by officials, checked against a form: numbers written the Vietnamese way (1.234; 12,5), yes/no in
 * words, choices matched without diacritics, and the form's cross-field rules. Must not touch the store. */
#include "store/form.h"
#include "core/text.h"
#include "core/vnnum.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

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

/* "1.5" typed by a person: 15 or 1,5? Refused with how to write it rather than guessed. */
static bool ambiguous(const char *raw, bool strict, const char *label, const char *code, json_t *errors)
{
    double x;
    if (vnnum_parse(raw, strict, &x) != VNNUM_AMBIGUOUS) return false;
    json_object_set_new(errors, code, json_sprintf("%s: \"%s\" chưa rõ là số nào; " VNNUM_HINT ".", label, raw));
    return true;
}

static json_t *check_one(json_t *ind, const char *raw, json_t *given, bool strict, json_t *errors)
{
    const char *code = str(ind, "code"), *type = str(ind, "type"), *label = str(ind, "label");
    double x;
    /* A JSON number is already a number: re-reading its text the Vietnamese way would turn 1.125 into 1125. */
    bool is_num = json_is_number(given);
    if (is_num) x = json_number_value(given);
    if (!strcmp(type, "integer")) {
        if (!is_num && ambiguous(raw, strict, label, code, errors)) return NULL;
        if ((!is_num && vnnum_parse(raw, strict, &x) != VNNUM_OK) || x != floor(x) || fabs(x) > 9e15) {
            json_object_set_new(errors, code, json_sprintf("%s: cần một số nguyên.", label));
            return NULL;
        }
        check_range(ind, x, code, errors);
        return json_integer((json_int_t)x);
    }
    if (!strcmp(type, "decimal")) {
        if (!is_num && ambiguous(raw, strict, label, code, errors)) return NULL;
        if ((!is_num && vnnum_parse(raw, strict, &x) != VNNUM_OK) || !isfinite(x)) {
            json_object_set_new(errors, code, json_sprintf("%s: cần một số (" VNNUM_HINT ").", label));
            return NULL;
        }
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

static json_t *check(json_t *form, json_t *values, bool complete, bool strict, json_t *errors)
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
        json_t *val = check_one(ind, raw, json_object_get(values, code), strict, errors);
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

json_t *form_values_check(json_t *form, json_t *values, bool complete, json_t *errors)
{
    return check(form, values, complete, false, errors);
}

json_t *form_values_check_typed(json_t *form, json_t *values, bool complete, json_t *errors)
{
    return check(form, values, complete, true, errors);
}
