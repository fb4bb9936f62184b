/* Unit tests of the template engine: escaping by default, sections, loops, inverted sections, partials,
 * dotted names and array indexes, filters, and syntax errors refused at load. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "web/tmpl.h"

static char *run(const char *src, const char *json)
{
    const char *pairs[] = { "t", src, "p", "<i>{{name}}</i>", NULL };
    struct tmpl_set *set = tmpl_load_sources(pairs);
    assert_non_null(set);
    json_t *ctx = json_loads(json, 0, NULL);
    assert_non_null(ctx);
    struct buf out = { 0 };
    assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
    json_decref(ctx);
    tmpl_free(set);
    return buf_take(&out);
}

#define EXPECT(src, json, want)           \
    do {                                  \
        char *got = run(src, json);       \
        assert_string_equal(got, want);   \
        free(got);                        \
    } while (0)

static void escapes_by_default(void **state)
{
    EXPECT("<p>{{x}}</p>", "{\"x\": \"<script>alert('x')</script> & \\\"\"}",
           "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;</p>");
    EXPECT("{{{x}}}|{{&x}}", "{\"x\": \"<b>\"}", "<b>|<b>");
}

static void sections_loops_inverted(void **state)
{
    EXPECT("{{#items}}[{{name}}]{{/items}}", "{\"items\": [{\"name\": \"Hà Nội\"}, {\"name\": \"Huế\"}]}", "[Hà Nội][Huế]");
    EXPECT("{{^items}}trống{{/items}}", "{\"items\": []}", "trống");
    EXPECT("{{#flag}}có{{/flag}}{{^flag}}không{{/flag}}", "{\"flag\": false}", "không");
    EXPECT("{{#o}}{{a}}-{{top}}{{/o}}", "{\"o\": {\"a\": 1}, \"top\": \"T\"}", "1-T");
    EXPECT("{{#s}}{{.}},{{/s}}", "{\"s\": [\"a\", \"b\"]}", "a,b,");
    EXPECT("{{missing}}|{{#missing}}x{{/missing}}", "{}", "|");
}

static void dotted_names_and_indexes(void **state)
{
    EXPECT("{{a.b.c}}", "{\"a\": {\"b\": {\"c\": \"sâu\"}}}", "sâu");
    EXPECT("{{#xs.0}}có ít nhất một{{/xs.0}}{{^ys.0}}, ys rỗng{{/ys.0}}", "{\"xs\": [1], \"ys\": []}", "có ít nhất một, ys rỗng");
}

static void filters(void **state)
{
    EXPECT("{{d|date}}", "{\"d\": \"2022-06-16\"}", "16/06/2022");
    EXPECT("{{d|date}}", "{\"d\": \"2022-06-16T10:00:00Z\"}", "16/06/2022");
    EXPECT("{{d|date}}", "{\"d\": \"không phải ngày\"}", "không phải ngày");
    EXPECT("{{n|num}}", "{\"n\": 1234567}", "1.234.567");
    EXPECT("{{n|num}}", "{\"n\": -1000}", "-1.000");
    EXPECT("{{n|num}}", "{\"n\": 999}", "999");
    EXPECT("{{t|datetime}}", "{\"t\": \"2026-11-23T19:50:01Z\"}", "24/11/2026 02:50");
}

static void partials_and_comments(void **state)
{
    EXPECT("a{{! ghi chú }}{{>p}}b", "{\"name\": \"<x>\"}", "a<i>&lt;x&gt;</i>b");
}

static void syntax_errors_refused(void **state)
{
    const char *unclosed[] = { "t", "{{#a}}x", NULL };
    assert_null(tmpl_load_sources(unclosed));
    const char *mismatch[] = { "t", "{{#a}}x{{/b}}", NULL };
    assert_null(tmpl_load_sources(mismatch));
    const char *open_tag[] = { "t", "x {{ y", NULL };
    assert_null(tmpl_load_sources(open_tag));
}

static void embedded_templates_compile(void **state)
{
    struct tmpl_set *set = tmpl_load();
    assert_non_null(set);
    json_t *ctx = json_pack("{s:s}", "title", "T");
    struct buf out = { 0 };
    assert_int_equal(tmpl_render(set, "layout", ctx, &out), 0);
    assert_non_null(strstr(out.p, "<html lang=\"vi\">"));
    assert_int_equal(tmpl_render(set, "khong-co", ctx, &out), -1);
    buf_free(&out);
    json_decref(ctx);
    tmpl_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_by_default),
        cmocka_unit_test(sections_loops_inverted),
        cmocka_unit_test(dotted_names_and_indexes),
        cmocka_unit_test(filters),
        cmocka_unit_test(partials_and_comments),
        cmocka_unit_test(syntax_errors_refused),
        cmocka_unit_test(embedded_templates_compile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
