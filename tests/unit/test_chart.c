/* Unit tests for src/export/chart.c: every chart is well-formed, accessible, librsvg-safe SVG; escaping, the
 * 34-tile layout and colour buckets, bar proportions and Vietnamese number formatting. Parses with libxml2 only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/chart.h"

#define SVG_NS "http://www.w3.org/2000/svg"

static json_t *load(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j) fail_msg("bad test JSON: %s (line %d)", err.text, err.line);
    return j;
}

/* ---- XML helpers --------------------------------------------------------------------------------------- */

static xmlDocPtr parse(const char *svg)
{
    assert_non_null(svg);
    /* No XML_PARSE_NOENT: entity expansion must not be needed, and a DOCTYPE would be a mistake anyway. */
    assert_null(strstr(svg, "<!DOCTYPE"));
    assert_null(strstr(svg, "<!ENTITY"));
    xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "chart.svg", "UTF-8", XML_PARSE_NONET);
    if (!doc) fail_msg("not well-formed XML:\n%s", svg);
    return doc;
}

static xmlXPathObjectPtr xp(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST SVG_NS);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlXPathFreeContext(ctx);
    if (!o) fail_msg("bad XPath %s", expr);
    return o;
}

static int xp_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xp(doc, expr);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

/* String value of the first match, malloc'd ("" when nothing matches). */
static char *xp_str(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr o = xp(doc, expr);
    char *s = NULL;
    if (o->nodesetval && o->nodesetval->nodeNr) {
        xmlChar *c = xmlXPathCastNodeToString(o->nodesetval->nodeTab[0]);
        s = strdup((const char *)c);
        xmlFree(c);
    }
    xmlXPathFreeObject(o);
    return s ? s : strdup("");
}

static double attr_num(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    if (!v) fail_msg("missing attribute %s on <%s>", name, (const char *)n->name);
    double d = strtod((const char *)v, NULL);
    xmlFree(v);
    return d;
}

static char *attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = strdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

/* What every chart must satisfy: namespace, scalable viewBox, accessible name and description, one font stack,
 * and nothing librsvg or a strict CSP would reject. */
static void check_frame(xmlDocPtr doc, const char *svg)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, SVG_NS);
    char *vb = attr(root, "viewBox");
    double x, y, w, h;
    assert_int_equal(sscanf(vb, "%lf %lf %lf %lf", &x, &y, &w, &h), 4);
    assert_true(w > 0 && h > 0);
    free(vb);
    char *s = attr(root, "width");
    assert_string_equal(s, "100%");
    free(s);
    s = attr(root, "role");
    assert_string_equal(s, "img");
    free(s);
    s = attr(root, "font-family");
    assert_string_equal(s, "Noto Sans, sans-serif");
    free(s);

    char *ids = attr(root, "aria-labelledby");
    char t[64], d[64];
    assert_int_equal(sscanf(ids, "%63s %63s", t, d), 2);
    free(ids);
    char q[256];
    snprintf(q, sizeof q, "/s:svg/s:title[@id='%s']", t);
    assert_int_equal(xp_count(doc, q), 1);
    snprintf(q, sizeof q, "/s:svg/s:desc[@id='%s']", d);
    assert_int_equal(xp_count(doc, q), 1);
    snprintf(q, sizeof q, "string-length(/s:svg/s:desc[@id='%s']) > 0", d);
    xmlXPathObjectPtr o = xp(doc, q);
    assert_true(o->boolval);
    xmlXPathFreeObject(o);

    assert_int_equal(xp_count(doc, "//s:style | //s:script | //s:foreignObject | //*[@class] | //*[@style]"), 0);
    assert_int_equal(xp_count(doc, "//*[local-name()='script' or local-name()='foreignObject']"), 0);
    assert_null(strstr(svg, "<style"));
    assert_null(strstr(svg, "class="));
    assert_null(strstr(svg, "<script"));
    /* Element ids must be unique within the chart. */
    o = xp(doc, "//@id");
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            xmlChar *a = xmlXPathCastNodeToString(o->nodesetval->nodeTab[i]);
            xmlChar *b = xmlXPathCastNodeToString(o->nodesetval->nodeTab[j]);
            assert_string_not_equal((const char *)a, (const char *)b);
            xmlFree(a);
            xmlFree(b);
        }
    xmlXPathFreeObject(o);
}

static xmlDocPtr parse_checked(const char *svg)
{
    xmlDocPtr doc = parse(svg);
    check_frame(doc, svg);
    return doc;
}

/* ---- numbers ------------------------------------------------------------------------------------------- */

static void fmt(double n, int d, const char *want)
{
    char out[64];
    chart_format_number(n, d, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_format_number(void **state)
{
    fmt(1234567, 0, "1.234.567");
    fmt(1234567, 2, "1.234.567");
    fmt(12.5, 1, "12,5");
    fmt(12.5, 2, "12,5");
    fmt(12.5, 0, "13");
    fmt(0, 2, "0");
    fmt(999, 0, "999");
    fmt(1000, 0, "1.000");
    fmt(999.996, 2, "1.000");
    fmt(-1234.5, 1, "-1.234,5");
    fmt(-0.04, 1, "0");
    fmt(0.125, 3, "0,125");
    fmt(1e15, 0, "1.000.000.000.000.000");
    fmt(NAN, 2, "–");

    /* Truncation keeps the output NUL-terminated and within outlen. */
    char small[5];
    memset(small, 'x', sizeof small);
    chart_format_number(1234567, 0, small, sizeof small);
    assert_string_equal(small, "1.23");
    chart_format_number(1, 0, NULL, 0);
}

static void test_format_rate(void **state)
{
    char out[32];
    chart_format_rate(0.875, out, sizeof out);
    assert_string_equal(out, "87,5 %");
    chart_format_rate(0.83, out, sizeof out);
    assert_string_equal(out, "83 %");
    chart_format_rate(1, out, sizeof out);
    assert_string_equal(out, "100 %");
    chart_format_rate(0, out, sizeof out);
    assert_string_equal(out, "0 %");
    chart_format_rate(0.12345, out, sizeof out);
    assert_string_equal(out, "12,3 %");
}

/* ---- bars ---------------------------------------------------------------------------------------------- */

static void test_bars_frame_and_escaping(void **state)
{
    json_t *items = load("[{\"label\": \"<script>&\", \"value\": 3, \"href\": \"/tinh/a?x=1&y=\\\"2\\\"\"},"
                         " {\"label\": \"Nghệ An\", \"value\": 12.5, \"href\": \"javascript:alert(1)\"}]");
    char *svg = chart_bars(items, "Số người <tham gia> & \"khác\"", "người", false);
    assert_non_null(strstr(svg, "&lt;script&gt;&amp;"));
    assert_null(strstr(svg, "<script>"));
    assert_non_null(strstr(svg, "12,5 người"));
    xmlDocPtr doc = parse_checked(svg);

    char *s = xp_str(doc, "/s:svg/s:title");
    assert_string_equal(s, "Số người <tham gia> & \"khác\"");
    free(s);
    /* The parsed text round-trips to exactly what the user typed. */
    assert_int_equal(xp_count(doc, "//s:text[. = '<script>&']"), 1);
    /* A same-site link survives with its quote escaped; a javascript: URL is dropped entirely. */
    assert_int_equal(xp_count(doc, "//s:a"), 1);
    s = xp_str(doc, "//s:a/@href");
    assert_string_equal(s, "/tinh/a?x=1&y=\"2\"");
    free(s);
    assert_null(strstr(svg, "javascript:"));

    xmlFreeDoc(doc);
    free(svg);
    json_decref(items);
}

/* Bars are the <rect>s inside each item's group. */
static int bar_rects(xmlDocPtr doc, xmlNodePtr *out, int max)
{
    xmlXPathObjectPtr o = xp(doc, "//s:g[s:title]/s:rect");
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    for (int i = 0; i < n && i < max; i++) out[i] = o->nodesetval->nodeTab[i];
    xmlXPathFreeObject(o);
    return n;
}

static double viewbox_w(xmlDocPtr doc)
{
    char *vb = attr(xmlDocGetRootElement(doc), "viewBox");
    double x, y, w, h;
    assert_int_equal(sscanf(vb, "%lf %lf %lf %lf", &x, &y, &w, &h), 4);
    free(vb);
    return w;
}

static void test_bars_proportional(void **state)
{
    static const double v[] = { 10, 40, 20, 0, 30 };
    json_t *items = json_array();
    for (size_t i = 0; i < 5; i++) {
        char label[16];
        snprintf(label, sizeof label, "Mục %zu", i);
        json_array_append_new(items, json_pack("{s:s, s:f}", "label", label, "value", v[i]));
    }
    json_array_append_new(items, json_pack("{s:s}", "label", "Không có giá trị"));
    char *svg = chart_bars(items, "Tỷ lệ", NULL, false);
    xmlDocPtr doc = parse_checked(svg);

    xmlNodePtr bars[8];
    /* The item without a value gets no bar but still a row saying so. */
    assert_int_equal(bar_rects(doc, bars, 8), 5);
    assert_int_equal(xp_count(doc, "//s:g[s:title]"), 6);
    assert_int_equal(xp_count(doc, "//s:text[. = 'chưa có dữ liệu']"), 1);

    double wmax = attr_num(bars[1], "width"), W = viewbox_w(doc);
    for (int i = 0; i < 5; i++) {
        assert_true(fabs(attr_num(bars[i], "width") - wmax * v[i] / 40) < 0.05);
        assert_true(attr_num(bars[i], "x") == attr_num(bars[1], "x"));
    }
    /* Full width: the largest bar takes what the value labels leave, which is most of the chart. */
    assert_true(wmax > 0.7 * W);
    xmlNodePtr label = xmlNextElementSibling(bars[1]);
    assert_true(fabs(attr_num(label, "x") - (attr_num(bars[1], "x") + wmax + 6)) < 0.05);
    assert_true(attr_num(label, "x") + 2 * 14 * 0.6 <= W);

    xmlFreeDoc(doc);
    free(svg);
    json_decref(items);
}

static void test_bars_rate_axis(void **state)
{
    json_t *items = load("[{\"label\": \"A\", \"value\": 0.875}, {\"label\": \"B\", \"value\": 1},"
                         " {\"label\": \"C\", \"value\": 0.5}, {\"label\": \"D\", \"value\": 1.7}]");
    char *svg = chart_bars(items, "Tỷ lệ", NULL, true);
    xmlDocPtr doc = parse_checked(svg);
    assert_int_equal(xp_count(doc, "//s:text[. = '87,5 %']"), 1);
    assert_int_equal(xp_count(doc, "//s:text[. = '100 %']"), 2); /* B's label and the axis end */
    assert_int_equal(xp_count(doc, "//s:text[. = '0 %']"), 1);

    xmlNodePtr bars[4];
    assert_int_equal(bar_rects(doc, bars, 4), 4);
    double full = attr_num(bars[1], "width");
    assert_true(fabs(attr_num(bars[0], "width") - 0.875 * full) < 0.05);
    assert_true(fabs(attr_num(bars[2], "width") - 0.5 * full) < 0.05);
    /* Out-of-range rates are clamped to the axis but labelled honestly. */
    assert_true(fabs(attr_num(bars[3], "width") - full) < 0.05);
    assert_int_equal(xp_count(doc, "//s:text[. = '170 %']"), 1);

    /* 100 % on the axis sits exactly at the end of a full bar, 0 % at its start. */
    char *s = xp_str(doc, "//s:text[@text-anchor='end' and . = '100 %']/@x");
    double x100 = strtod(s, NULL);
    free(s);
    s = xp_str(doc, "//s:text[@text-anchor='start' and . = '0 %']/@x");
    assert_true(fabs(strtod(s, NULL) - attr_num(bars[1], "x")) < 0.05);
    free(s);
    assert_true(fabs(attr_num(bars[1], "x") + full - x100) < 0.05);

    xmlFreeDoc(doc);
    free(svg);
    json_decref(items);
}

static void test_ids_unique_per_instance(void **state)
{
    json_t *items = load("[{\"label\": \"A\", \"value\": 1}]");
    char *a = chart_bars(items, "A", NULL, false), *b = chart_gauge(0.5, "B");
    xmlDocPtr da = parse_checked(a), db = parse_checked(b);
    char *ta = xp_str(da, "/s:svg/s:title/@id"), *tb = xp_str(db, "/s:svg/s:title/@id");
    assert_true(*ta && *tb);
    assert_string_not_equal(ta, tb);
    free(ta);
    free(tb);
    xmlFreeDoc(da);
    xmlFreeDoc(db);
    free(a);
    free(b);
    json_decref(items);
}

/* ---- tile map ------------------------------------------------------------------------------------------ */

static const char *const CODES[34] = {
    "ha-noi", "cao-bang", "dien-bien", "lai-chau", "son-la", "lang-son", "quang-ninh", "thanh-hoa", "nghe-an",
    "ha-tinh", "hue", "tuyen-quang-2025", "lao-cai-2025", "thai-nguyen-2025", "phu-tho-2025", "bac-ninh-2025",
    "hai-phong-2025", "hung-yen-2025", "ninh-binh-2025", "quang-tri-2025", "da-nang-2025", "quang-ngai-2025",
    "khanh-hoa-2025", "gia-lai-2025", "dak-lak-2025", "lam-dong-2025", "tay-ninh-2025", "dong-nai-2025",
    "ho-chi-minh-2025", "vinh-long-2025", "dong-thap-2025", "an-giang-2025", "can-tho-2025", "ca-mau-2025",
};

static void test_province_table(void **state)
{
    assert_int_equal(chart_province_count(), 34);
    for (int i = 0; i < 34; i++) {
        int found = 0;
        for (size_t k = 0; k < chart_province_count(); k++) {
            const char *code;
            assert_true(chart_province(k, &code, NULL, NULL, NULL));
            if (!strcmp(code, CODES[i])) found++;
        }
        if (found != 1) fail_msg("%s appears %d times", CODES[i], found);
    }
    assert_false(chart_province(34, NULL, NULL, NULL, NULL));
    /* Geography sanity: Hà Nội north of Huế north of Cà Mau; Quảng Ninh east of Hà Nội, Cà Mau west of Huế. */
    int c[4] = { -1, -1, -1, -1 }, r[4] = { -1, -1, -1, -1 };
    const char *want[4] = { "ha-noi", "hue", "ca-mau-2025", "quang-ninh" };
    for (size_t k = 0; k < chart_province_count(); k++) {
        const char *code;
        int col, row;
        chart_province(k, &code, NULL, &col, &row);
        for (int j = 0; j < 4; j++)
            if (!strcmp(code, want[j])) c[j] = col, r[j] = row;
    }
    assert_true(c[3] > c[0] && c[2] < c[1]);
    assert_true(r[0] < r[1] && r[1] < r[2]);
}

static json_t *rates_all(double rate)
{
    json_t *o = json_object();
    for (int i = 0; i < 34; i++) json_object_set_new(o, CODES[i], json_pack("{s:f}", "rate", rate));
    return o;
}

static void test_tile_map_tiles(void **state)
{
    json_t *rates = rates_all(0.5);
    json_object_set_new(rates, "atlantis", json_pack("{s:s, s:f}", "name", "Atlantis", "rate", 0.9));
    char *svg = chart_tile_map(rates, "Tỷ lệ hoàn thành theo tỉnh");
    xmlDocPtr doc = parse_checked(svg);
    assert_null(strstr(svg, "Atlantis"));

    xmlXPathObjectPtr o = xp(doc, "//s:g[s:title]/s:rect");
    assert_int_equal(o->nodesetval->nodeNr, 34);
    double xs[34], ys[34], W = viewbox_w(doc);
    for (int i = 0; i < 34; i++) {
        xmlNodePtr r = o->nodesetval->nodeTab[i];
        xs[i] = attr_num(r, "x");
        ys[i] = attr_num(r, "y");
        double w = attr_num(r, "width"), h = attr_num(r, "height");
        assert_true(w == h && w > 0);
        assert_true(xs[i] >= 0 && xs[i] + w <= W);
        for (int j = 0; j < i; j++) {
            /* Distinct cells, and no two tiles overlap. */
            assert_false(xs[i] == xs[j] && ys[i] == ys[j]);
            assert_true(fabs(xs[i] - xs[j]) >= w || fabs(ys[i] - ys[j]) >= h);
        }
    }
    xmlXPathFreeObject(o);
    /* The default names apply when the input has none, and the title carries the rate. */
    assert_int_equal(xp_count(doc, "//s:g/s:title[. = 'Nghệ An: 50 %']"), 1);
    assert_int_equal(xp_count(doc, "//s:g/s:title[. = 'Thành phố Hồ Chí Minh: 50 %']"), 1);
    assert_int_equal(xp_count(doc, "//s:g[s:title]/s:text[. = 'HN']"), 1);
    xmlFreeDoc(doc);
    free(svg);
    json_decref(rates);
}

static char *tile_fill(xmlDocPtr doc, const char *name)
{
    char q[256];
    snprintf(q, sizeof q, "//s:g[starts-with(s:title, '%s:')]/s:rect/@fill", name);
    char *s = xp_str(doc, q);
    if (!*s) fail_msg("no tile for %s", name);
    return s;
}

static double lum(const char *hex)
{
    unsigned r, g, b;
    if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3) fail_msg("not a colour: %s", hex);
    double c[3] = { r / 255.0, g / 255.0, b / 255.0 };
    for (int i = 0; i < 3; i++) c[i] = c[i] <= 0.03928 ? c[i] / 12.92 : pow((c[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static void test_tile_map_colours(void **state)
{
    /* Ten provinces straddling every bucket edge, one null, one absent, the rest present without a rate key. */
    static const double v[10] = { 0, 0.19, 0.2, 0.39, 0.4, 0.59, 0.6, 0.79, 0.7999, 1 };
    static const int want_bucket[10] = { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4 };
    json_t *rates = json_object();
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "Tỉnh %d", i);
        json_object_set_new(rates, CODES[11 + i], json_pack("{s:s, s:f}", "name", name, "rate", v[i]));
    }
    json_object_set_new(rates, "nghe-an", load("{\"name\": \"Nghệ An\", \"rate\": null, \"href\": \"/tinh/nghe-an\"}"));
    json_object_set_new(rates, "hue", load("{\"name\": \"Huế <cố đô>\", \"rate\": 0.83, \"href\": \"/tinh/hue\"}"));
    char *svg = chart_tile_map(rates, "Bản đồ");
    xmlDocPtr doc = parse_checked(svg);

    char *fills[10];
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "Tỉnh %d", i);
        fills[i] = tile_fill(doc, name);
        assert_string_not_equal(fills[i], CHART_NODATA_FILL);
    }
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++) {
            if (want_bucket[i] == want_bucket[j]) assert_string_equal(fills[i], fills[j]);
            else assert_string_not_equal(fills[i], fills[j]);
        }
    /* Darker means higher: luminance falls bucket by bucket. */
    for (int i = 2; i < 10; i += 2) assert_true(lum(fills[i]) < lum(fills[i - 2]));
    for (int i = 0; i < 10; i++) free(fills[i]);
    /* 0.7999 shows as 80 %, so it must be coloured as 80 % too. */
    assert_int_equal(xp_count(doc, "//s:g/s:title[. = 'Tỉnh 8: 80 %']"), 1);

    char *s = tile_fill(doc, "Nghệ An");
    assert_string_equal(s, CHART_NODATA_FILL);
    free(s);
    s = tile_fill(doc, "Lâm Đồng"); /* not in the input at all */
    assert_string_equal(s, CHART_NODATA_FILL);
    free(s);
    assert_int_equal(xp_count(doc, "//s:g/s:title[. = 'Huế <cố đô>: 83 %']"), 1);
    assert_int_equal(xp_count(doc, "//s:a[@href='/tinh/nghe-an']/s:g/s:title[starts-with(., 'Nghệ An:')]"), 1);
    assert_int_equal(xp_count(doc, "//s:a"), 2);

    /* Every tile's text is readable on its fill (WCAG AA, 4.5:1). */
    xmlXPathObjectPtr o = xp(doc, "//s:g[s:title]/s:text");
    assert_true(o->nodesetval->nodeNr >= 34);
    for (int i = 0; i < o->nodesetval->nodeNr; i++) {
        xmlNodePtr t = o->nodesetval->nodeTab[i];
        xmlNodePtr rect = t->parent->children;
        while (rect && (rect->type != XML_ELEMENT_NODE || strcmp((const char *)rect->name, "rect"))) rect = rect->next;
        assert_non_null(rect);
        char *tf = attr(t, "fill"), *rf = attr(rect, "fill");
        double a = lum(tf), b = lum(rf);
        double ratio = (fmax(a, b) + 0.05) / (fmin(a, b) + 0.05);
        if (ratio < 4.5) fail_msg("text %s on %s: contrast %.2f", tf, rf, ratio);
        free(tf);
        free(rf);
    }
    xmlXPathFreeObject(o);
    /* The legend lists the no-data swatch. */
    assert_int_equal(xp_count(doc, "//s:text[. = 'Chưa có dữ liệu']"), 1);

    xmlFreeDoc(doc);
    free(svg);
    json_decref(rates);
}

/* ---- gauge, empty, hostile text ------------------------------------------------------------------------ */

static void test_gauge(void **state)
{
    char *svg = chart_gauge(0.875, "Hồ sơ trực tuyến toàn trình được xử lý đúng hạn <2025>");
    xmlDocPtr doc = parse_checked(svg);
    assert_int_equal(xp_count(doc, "//s:text[. = '87,5 %']"), 1);
    assert_int_equal(xp_count(doc, "//s:circle"), 2);
    /* The long label wraps onto more than one line, and its words survive in order. */
    assert_true(xp_count(doc, "//s:text") >= 3);
    assert_non_null(strstr(svg, "&lt;2025&gt;"));
    xmlFreeDoc(doc);
    free(svg);

    svg = chart_gauge(0, "Không");
    doc = parse_checked(svg);
    assert_int_equal(xp_count(doc, "//s:circle"), 1);
    assert_int_equal(xp_count(doc, "//s:text[. = '0 %']"), 1);
    xmlFreeDoc(doc);
    free(svg);

    svg = chart_gauge(NAN, NULL);
    doc = parse_checked(svg);
    assert_int_equal(xp_count(doc, "//s:text[. = 'Chưa có dữ liệu']"), 1);
    xmlFreeDoc(doc);
    free(svg);
}

static void test_empty(void **state)
{
    json_t *empty = json_array(), *obj = json_object();
    char *svgs[4] = { chart_bars(empty, "Trống", NULL, false), chart_bars(NULL, NULL, NULL, true),
                      chart_tile_map(obj, "Trống"), chart_tile_map(NULL, NULL) };
    for (int i = 0; i < 4; i++) {
        xmlDocPtr doc = parse_checked(svgs[i]);
        assert_int_equal(xp_count(doc, "//s:text[. = 'Chưa có dữ liệu']"), 1);
        assert_int_equal(xp_count(doc, "//s:g"), 0);
        xmlFreeDoc(doc);
        free(svgs[i]);
    }
    json_decref(empty);
    json_decref(obj);
}

static void test_hostile_text(void **state)
{
    /* Control characters (legal in JSON, illegal in XML) and broken UTF-8 in a C string must not break the SVG. */
    json_t *items = load("[{\"label\": \"a\\u0001b\\u001fc\", \"value\": 1}]");
    char *svg = chart_bars(items, "bad \xC3 utf8 \xF0\x9F \x01", "đ\x02", false);
    xmlDocPtr doc = parse_checked(svg);
    assert_int_equal(xp_count(doc, "//s:text[. = 'a b c']"), 1);
    xmlFreeDoc(doc);
    free(svg);
    json_decref(items);

    /* An overlong label is cut with an ellipsis but kept whole in the tooltip. */
    char longl[400] = "";
    for (int i = 0; i < 20; i++) strcat(longl, "Thành phố ");
    items = json_pack("[{s:s, s:i}]", "label", longl, "value", 5);
    svg = chart_bars(items, "x", NULL, false);
    doc = parse_checked(svg);
    char *t = xp_str(doc, "//s:g/s:text[1]");
    assert_true(strlen(t) < strlen(longl));
    assert_non_null(strstr(t, "…"));
    free(t);
    assert_int_equal(xp_count(doc, "//s:g/s:title[starts-with(., 'Thành phố Thành phố')]"), 1);
    xmlFreeDoc(doc);
    free(svg);
    json_decref(items);

    svg = chart_gauge(0.5, "\x01\xFF");
    doc = parse_checked(svg);
    xmlFreeDoc(doc);
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_format_rate),
        cmocka_unit_test(test_bars_frame_and_escaping),
        cmocka_unit_test(test_bars_proportional),
        cmocka_unit_test(test_bars_rate_axis),
        cmocka_unit_test(test_ids_unique_per_instance),
        cmocka_unit_test(test_province_table),
        cmocka_unit_test(test_tile_map_tiles),
        cmocka_unit_test(test_tile_map_colours),
        cmocka_unit_test(test_gauge),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_hostile_text),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
