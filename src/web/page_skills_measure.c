/* The yearly measurement of digital skills and the digital divide, built from the store's counts: shares with at
 * least basic skills overall and per area, by province, age band, sex and urban/rural, the gaps between groups in
 * percentage points, and the charts. Must not publish a cell of fewer than DIGCOMP_MIN_CELL people, nor let one be
 * recovered by subtraction: every table goes through core/suppress.h before anything is written into it. */
#include "web/skills.h"
#include "store/skills.h"
#include "core/suppress.h"
#include "export/chart.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_GIVEN "Không cho biết"

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static json_t *svg(char *s)
{
    json_t *v = json_string(s ? s : "");
    free(s);
    return v;
}

/* Shares go out with 4 decimals (0,01 %): more would only suggest a precision self-selected answers do not have. */
static json_t *share(double rate) { return json_real(round(rate * 10000) / 10000); }

static json_t *rate_text(double rate)
{
    char b[32];
    chart_format_rate(rate, b, sizeof b);
    return json_string(b);
}

/* The row of counts whose key is key (NULL: "not given") in rows, or NULL. */
static json_t *row_of(json_t *rows, const char *key)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *k = str(row, "key");
        if ((!key && !k) || (key && k && !strcmp(key, k))) return row;
    }
    return NULL;
}

static json_int_t n_of(json_t *row) { return row ? json_integer_value(json_object_get(row, "n")) : 0; }

/* One published cell: the numbers when shown, nulls and "—" when hidden, blanks when nobody answered. */
static json_t *cell(json_t *row, const char *key, const char *label, bool hidden)
{
    json_int_t n = n_of(row);
    json_t *c = json_pack("{s:s?, s:s, s:b}", "key", key, "label", label, "suppressed", hidden);
    json_t *cells = json_array();
    if (hidden) {
        json_object_set_new(c, "n", json_null());
        json_object_set_new(c, "at_least_basic", json_null());
        json_object_set_new(c, "areas", json_null());
        json_object_set_new(c, "_n_text", json_string("—"));
        for (int i = 0; i <= DIGCOMP_AREAS; i++) json_array_append_new(cells, json_string("—"));
    } else if (!n) {
        json_object_set_new(c, "n", json_integer(0));
        json_object_set_new(c, "at_least_basic", json_null());
        json_object_set_new(c, "areas", json_null());
        json_object_set_new(c, "_n_text", json_string("0"));
        for (int i = 0; i <= DIGCOMP_AREAS; i++) json_array_append_new(cells, json_string(""));
    } else {
        double ok = (double)json_integer_value(json_object_get(row, "ok")) / (double)n;
        json_t *areas = json_array();
        json_array_append_new(cells, rate_text(ok));
        for (int i = 0; i < DIGCOMP_AREAS; i++) {
            double a = (double)json_integer_value(json_array_get(json_object_get(row, "areas"), (size_t)i)) / (double)n;
            json_array_append_new(areas, share(a));
            json_array_append_new(cells, rate_text(a));
        }
        char nt[32];
        chart_format_number((double)n, 0, nt, sizeof nt);
        json_object_set_new(c, "n", json_integer(n));
        json_object_set_new(c, "at_least_basic", share(ok));
        json_object_set_new(c, "areas", areas);
        json_object_set_new(c, "_n_text", json_string(nt));
    }
    json_object_set_new(c, "_cells", cells);
    return c;
}

/* A breakdown as {key, title, groups}: one cell per group in the given order, suppression applied. */
static json_t *dimension(const char *key, const char *title, const char *column, json_t *rows, const char **keys, const char **labels, size_t count)
{
    long *n = calloc(count, sizeof *n);
    bool *hidden = calloc(count, sizeof *hidden);
    for (size_t i = 0; i < count; i++) n[i] = (long)n_of(row_of(rows, keys[i]));
    suppress_cells(n, count, DIGCOMP_MIN_CELL, hidden);
    json_t *groups = json_array();
    for (size_t i = 0; i < count; i++) json_array_append_new(groups, cell(row_of(rows, keys[i]), keys[i], labels[i], hidden[i]));
    free(n);
    free(hidden);
    return json_pack("{s:s, s:s, s:s, s:o}", "key", key, "title", title, "column", column, "groups", groups);
}

static json_t *choice_dimension(db *d, int year, int64_t prov, const char *key, const char *title, const char *column,
                                const struct skills_choice *set, bool skip_last)
{
    json_t *rows = store_skills_counts(d, year, prov, key);
    const char *keys[16], *labels[16];
    size_t n = 0;
    for (const struct skills_choice *c = set; c->code && n < 15; c++) {
        if (skip_last && !c[1].code) break;   /* sex "khong-noi" is counted with "not given" */
        keys[n] = c->code;
        labels[n++] = c->label;
    }
    keys[n] = NULL;
    labels[n++] = NOT_GIVEN;
    json_t *dim = dimension(key, title, column, rows, keys, labels, n);
    json_decref(rows);
    return dim;
}

static json_t *province_dimension(db *d, int year, json_t *provinces)
{
    json_t *rows = store_skills_counts(d, year, 0, "province");
    size_t np = json_array_size(provinces), nr = json_array_size(rows), n = 0;
    const char **keys = calloc(np + nr + 1, sizeof *keys), **labels = calloc(np + nr + 1, sizeof *labels);
    size_t i;
    json_t *p;
    json_array_foreach(provinces, i, p) { keys[n] = str(p, "code"); labels[n++] = str(p, "name"); }
    /* Units that have since merged away still count in the year they were chosen. */
    json_array_foreach(rows, i, p) {
        bool known = !str(p, "key");
        for (size_t k = 0; k < n && !known; k++) known = !strcmp(keys[k], str(p, "key"));
        if (!known) { keys[n] = str(p, "key"); labels[n++] = str(p, "label") ? str(p, "label") : str(p, "key"); }
    }
    keys[n] = NULL;
    labels[n++] = NOT_GIVEN;
    json_t *dim = dimension("province", "Theo tỉnh, thành phố", "Tỉnh, thành phố", rows, keys, labels, n);
    free(keys);
    free(labels);
    json_decref(rows);
    return dim;
}

static json_t *group_of(json_t *dim, const char *key)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(dim, "groups"), i, g)
        if (str(g, "key") && !strcmp(str(g, "key"), key)) return g;
    return NULL;
}

static bool shown(json_t *g) { return g && json_is_real(json_object_get(g, "at_least_basic")); }

/* The gap a − b in percentage points, overall and per area; nulls when either side is hidden or empty. */
static json_t *gap(const char *key, const char *title, json_t *a, json_t *b)
{
    json_t *out = json_pack("{s:s, s:s, s:s?, s:s?}", "key", key, "title", title, "a", str(a, "label"), "b", str(b, "label"));
    if (!shown(a) || !shown(b)) {
        json_object_set_new(out, "pp", json_null());
        json_object_set_new(out, "areas_pp", json_null());
        json_object_set_new(out, "_text", json_string("Chưa đủ số liệu để so sánh: nhóm dưới 10 người trả lời không được công bố."));
        return out;
    }
    double ra = json_real_value(json_object_get(a, "at_least_basic")), rb = json_real_value(json_object_get(b, "at_least_basic"));
    double pp = round((ra - rb) * 1000) / 10;
    json_t *areas = json_array(), *cells = json_array();
    char t[64];
    chart_format_number(pp, 1, t, sizeof t);
    json_array_append_new(cells, json_string(t));
    for (size_t i = 0; i < DIGCOMP_AREAS; i++) {
        double x = round((json_real_value(json_array_get(json_object_get(a, "areas"), i)) -
                          json_real_value(json_array_get(json_object_get(b, "areas"), i))) * 1000) / 10;
        json_array_append_new(areas, json_real(x));
        chart_format_number(x, 1, t, sizeof t);
        json_array_append_new(cells, json_string(t));
    }
    char sa[32], sb[32], spp[32];
    chart_format_rate(ra, sa, sizeof sa);
    chart_format_rate(rb, sb, sizeof sb);
    chart_format_number(fabs(pp), 1, spp, sizeof spp);
    json_object_set_new(out, "pp", json_real(pp));
    json_object_set_new(out, "areas_pp", areas);
    json_object_set_new(out, "_cells", cells);
    json_object_set_new(out, "_text", pp == 0 ? json_sprintf("%s và %s ngang nhau (%s).", str(a, "label"), str(b, "label"), sa)
                                              : json_sprintf("%s %s, %s %s: chênh lệch %s điểm phần trăm.", str(a, "label"), sa,
                                                             str(b, "label"), sb, spp));
    return out;
}

static json_t *gaps(json_t *dims, bool national)
{
    json_t *out = json_array();
    json_t *setting = NULL, *sex = NULL, *age = NULL, *prov = NULL;
    size_t i;
    json_t *dm;
    json_array_foreach(dims, i, dm) {
        const char *k = str(dm, "key");
        if (!strcmp(k, "setting")) setting = dm;
        else if (!strcmp(k, "sex")) sex = dm;
        else if (!strcmp(k, "age")) age = dm;
        else if (!strcmp(k, "province")) prov = dm;
    }
    json_array_append_new(out, gap("setting", "Thành thị – nông thôn", group_of(setting, "thanh-thi"), group_of(setting, "nong-thon")));
    json_array_append_new(out, gap("sex", "Nam – nữ", group_of(sex, "nam"), group_of(sex, "nu")));
    json_array_append_new(out, gap("age", "Trẻ nhất (15–24) – cao tuổi nhất (từ 65)", group_of(age, "15-24"), group_of(age, "65+")));
    if (national) {
        json_t *best = NULL, *worst = NULL, *g;
        json_array_foreach(json_object_get(prov, "groups"), i, g) {
            if (!str(g, "key") || !shown(g)) continue;
            double v = json_real_value(json_object_get(g, "at_least_basic"));
            if (!best || v > json_real_value(json_object_get(best, "at_least_basic"))) best = g;
            if (!worst || v < json_real_value(json_object_get(worst, "at_least_basic"))) worst = g;
        }
        json_array_append_new(out, gap("province", "Tỉnh cao nhất – tỉnh thấp nhất", best, worst));
    }
    return out;
}

static json_t *charts(json_t *m, int year)
{
    json_t *out = json_object(), *dims = json_object_get(m, "dimensions"), *dm;
    size_t i, j;
    json_t *g;
    json_array_foreach(dims, i, dm) {
        const char *k = str(dm, "key");
        if (!strcmp(k, "province")) {
            json_t *rates = json_object();
            json_array_foreach(json_object_get(dm, "groups"), j, g) {
                if (!str(g, "key")) continue;
                char href[160];
                snprintf(href, sizeof href, "/ky-nang-so?nam=%d&tinh=%s", year, str(g, "key"));
                json_object_set_new(rates, str(g, "key"), json_pack("{s:s, s:O, s:s}", "name", str(g, "label"), "rate",
                                                                    json_object_get(g, "at_least_basic"), "href", href));
            }
            char title[160];
            snprintf(title, sizeof title, "Tỷ lệ người có kỹ năng số cơ bản trở lên theo tỉnh, thành phố, năm %d", year);
            json_object_set_new(out, "map", svg(chart_tile_map(rates, title)));
            json_object_set_new(out, "map_title", json_string(title));
            json_decref(rates);
        } else if (!strcmp(k, "age")) {
            json_t *items = json_array();
            json_array_foreach(json_object_get(dm, "groups"), j, g)
                if (str(g, "key") && shown(g)) json_array_append_new(items, json_pack("{s:s, s:O}", "label", str(g, "label"), "value",
                                                                                      json_object_get(g, "at_least_basic")));
            json_object_set_new(out, "age", svg(chart_bars(items, "Tỷ lệ có kỹ năng số cơ bản trở lên theo nhóm tuổi", NULL, true)));
            json_decref(items);
        }
    }
    json_t *items = json_array(), *total = json_object_get(m, "total");
    json_array_foreach(json_object_get(m, "areas"), i, g) {
        json_t *v = json_array_get(json_object_get(total, "areas"), i);
        if (json_is_real(v)) json_array_append_new(items, json_pack("{s:s, s:O}", "label", str(g, "label"), "value", v));
    }
    json_object_set_new(out, "areas", svg(chart_bars(items, "Tỷ lệ có kỹ năng cơ bản trở lên trong từng lĩnh vực", NULL, true)));
    json_decref(items);
    return out;
}

json_t *skills_measure(db *d, int year, json_t *province)
{
    int64_t prov = province ? json_integer_value(json_object_get(province, "id")) : 0;
    json_t *q = skills_questionnaire(), *areas = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(q, "areas"), i, a)
        json_array_append_new(areas, json_pack("{s:I, s:O, s:o}", "n", (json_int_t)(i + 1), "name", json_object_get(a, "name"), "label",
                                               json_sprintf("%d. %s", (int)i + 1, str(a, "name"))));
    json_decref(q);
    json_t *totals = store_skills_counts(d, year, prov, NULL), *trow = json_array_get(totals, 0);
    json_int_t n = n_of(trow);
    bool total_hidden = suppress_total((long)n, DIGCOMP_MIN_CELL);
    json_t *m = json_pack("{s:i, s:O, s:i, s:o, s:o}", "year", year, "province", province ? province : json_null(), "min_cell", DIGCOMP_MIN_CELL,
                          "areas", areas, "total", cell(trow, NULL, province ? str(province, "name") : "Cả nước", total_hidden));
    json_object_set_new(m, "demo", json_integer(trow ? json_integer_value(json_object_get(trow, "demo")) : 0));
    json_object_set_new(m, "respondents", total_hidden ? json_null() : json_integer(n));
    /* The spread of overall levels, only once the whole table may be published. */
    json_t *levels = json_array();
    if (n && !total_hidden)
        for (int l = DIGCOMP_OVERALL_ABOVE_BASIC; l >= DIGCOMP_NO_SKILLS; l--) {
            double x = (double)json_integer_value(json_array_get(json_object_get(trow, "levels"), (size_t)l)) / (double)n;
            json_array_append_new(levels, json_pack("{s:s, s:s, s:o, s:o}", "level", digcomp_overall_code(l), "label", digcomp_overall_label(l),
                                                    "share", share(x), "_text", rate_text(x)));
        }
    json_object_set_new(m, "levels", levels);
    json_decref(totals);
    json_t *dims = json_array();
    if (!province) {
        json_t *provs = store_skills_provinces(d);
        json_array_append_new(dims, province_dimension(d, year, provs));
        json_decref(provs);
    }
    json_array_append_new(dims, choice_dimension(d, year, prov, "age", "Theo nhóm tuổi", "Nhóm tuổi", skills_ages, false));
    json_array_append_new(dims, choice_dimension(d, year, prov, "sex", "Theo giới tính", "Giới tính", skills_sexes, true));
    json_array_append_new(dims, choice_dimension(d, year, prov, "setting", "Theo nơi ở", "Nơi ở", skills_settings, false));
    json_object_set_new(m, "dimensions", dims);
    json_object_set_new(m, "gaps", gaps(dims, !province));
    json_t *ch = charts(m, year);
    size_t k;
    json_array_foreach(dims, k, a) {
        if (!strcmp(str(a, "key"), "province")) json_object_set(a, "_map", json_object_get(ch, "map"));
        if (!strcmp(str(a, "key"), "age")) json_object_set(a, "_bars", json_object_get(ch, "age"));
    }
    json_object_set_new(m, "_charts", ch);
    return m;
}
