/* Unit tests of the template engine: escaping by default, sections, loops, inverted sections, partials,
 * dotted names and array indexes, filters (|url for values inside links), and what is refused at load: syntax errors,
 * unknown filters and missing partials, each named with its template and line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "http/tmpl.h"

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

static void url_filter_keeps_a_value_whole_inside_a_link(void **state)
{
    /* "&" would start another parameter, "#" a fragment, "+" a space, "/" and "?" another path or query. */
    EXPECT("<a href=\"/tro-ly?q={{q|url}}\">", "{\"q\": \"Bộ TT&TT #1 + a/b?c=d\"}",
           "<a href=\"/tro-ly?q=B%E1%BB%99%20TT%26TT%20%231%20%2B%20a%2Fb%3Fc%3Dd\">");
    /* Nothing that could end the attribute or open a tag survives, escaped or raw. */
    EXPECT("{{q|url}}|{{{q|url}}}", "{\"q\": \"\\\"'<x>\"}", "%22%27%3Cx%3E|%22%27%3Cx%3E");
    EXPECT("{{q|url}}", "{\"q\": \"Az09-_.~\"}", "Az09-_.~");
    EXPECT("/x/{{n|url}}/{{ q | url }}", "{\"n\": 42, \"q\": \"a b\"}", "/x/42/a%20b");
    EXPECT("[{{missing|url}}]", "{}", "[]");
}

/* Loads pairs, expecting a refusal; returns what was written on stderr about it. */
static char *refusal(const char *const *pairs)
{
    char path[] = "/tmp/test_tmpl_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    struct tmpl_set *set = tmpl_load_sources(pairs);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    tmpl_free(set);
    assert_null(set);
    char *text = calloc(1, 4096);
    assert_true(pread(fd, text, 4095, 0) >= 0);
    close(fd);
    unlink(path);
    return text;
}

#define REFUSED_SAYING(pairs, want)                                          \
    do {                                                                     \
        char *said = refusal(pairs);                                         \
        if (!strstr(said, want)) fail_msg("said \"%s\", not \"%s\"", said, want); \
        free(said);                                                          \
    } while (0)

static void unknown_filter_refused_at_load(void **state)
{
    const char *typo[] = { "ok", "{{x|date}}", "trang", "<p>\n<a href=\"/a?q={{q|uri}}\">\n</p>", NULL };
    REFUSED_SAYING(typo, "template trang line 2: unknown filter |uri");
    const char *on_section[] = { "t", "{{#x|date}}{{/x}}", NULL };
    REFUSED_SAYING(on_section, "template t line 1: a filter where no value is written |date");
    const char *empty[] = { "t", "{{x|}}", NULL };
    REFUSED_SAYING(empty, "unknown filter |");
}

static void missing_partial_refused_at_load(void **state)
{
    /* Even inside a section that would rarely render: the error must not wait for the request that reaches it. */
    const char *missing[] = { "p", "<i>x</i>", "t", "{{>p}}\n\n{{#rare}}{{> nope/row }}{{/rare}}", NULL };
    REFUSED_SAYING(missing, "template t line 3: no partial nope/row");
    /* Partials may be defined after the templates that use them. */
    const char *later[] = { "t", "{{>p}}", "p", "<i>x</i>", NULL };
    struct tmpl_set *set = tmpl_load_sources(later);
    assert_non_null(set);
    tmpl_free(set);
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
        cmocka_unit_test(url_filter_keeps_a_value_whole_inside_a_link),
        cmocka_unit_test(unknown_filter_refused_at_load),
        cmocka_unit_test(missing_partial_refused_at_load),
        cmocka_unit_test(embedded_templates_compile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
