/* Unit tests of the template renderer's limits (web/tmpl.c): a template whose partials or sections multiply without
 * bound stops with an error and no output instead of hanging a worker; a large ordinary page still renders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "http/tmpl.h"

static int render(const char *src, json_t *ctx, struct buf *out)
{
    const char *pairs[] = {"t", src, NULL};
    struct tmpl_set *set = tmpl_load_sources(pairs);
    assert_non_null(set);
    int rc = tmpl_render(set, "t", ctx, out);
    tmpl_free(set);
    return rc;
}

/* Found by fuzz_tmpl: a partial that includes itself four times rendered 4^16 times (the depth limit alone bounds
 * the depth, not the width), so one request would hold a worker for hours. */
static void self_multiplying_partials_stop(void **state)
{
    json_t *ctx = json_object();
    struct buf out = {0};
    assert_int_equal(render("{{>t}}{{>t}}{{>t}}{{>t}}x", ctx, &out), -1);
    assert_int_equal(out.len, 0);
    buf_free(&out);
    json_decref(ctx);
}

static void nested_loops_over_the_context_stop(void **state)
{
    json_t *ctx = json_pack("{s:[iiiiiiiiii]}", "i", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    struct buf out = {0};
    buf_puts(&out, "kept");
    assert_int_equal(render("{{#i}}{{#i}}{{#i}}{{#i}}{{#i}}{{#i}}{{#i}}{{#i}}{{#i}}{{.}}"
                            "{{/i}}{{/i}}{{/i}}{{/i}}{{/i}}{{/i}}{{/i}}{{/i}}{{/i}}",
                            ctx, &out),
                     -1);
    assert_string_equal(out.p, "kept"); /* what the caller had is left as it was */
    buf_free(&out);
    json_decref(ctx);
}

static void a_large_page_still_renders(void **state)
{
    json_t *items = json_array();
    for (int i = 0; i < 100000; i++)
        json_array_append_new(items, json_pack("{s:s, s:i}", "name", "Ủy ban nhân dân xã <x>", "n", i));
    json_t *ctx = json_pack("{s:o}", "items", items);
    struct buf out = {0};
    assert_int_equal(render("<ul>{{#items}}<li>{{name}} {{n|num}}{{^n}}0{{/n}}</li>{{/items}}</ul>", ctx, &out), 0);
    assert_true(out.len > 100000 * 30);
    assert_non_null(strstr(out.p, "99.999</li></ul>"));
    buf_free(&out);
    json_decref(ctx);
}

/* Found by fuzz_tmpl: |num negated the smallest integer and |pct multiplied any integer by 100, both overflows
 * (undefined behaviour, reported by UBSan) on values a context can hold. */
static void extreme_numbers_format_exactly(void **state)
{
    json_t *ctx = json_pack("{s:I, s:I, s:I, s:i, s:f}", "min", (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX,
                            "neg", (json_int_t)-1234567, "zero", 0, "huge", 1e300);
    struct buf out = {0};
    assert_int_equal(render("{{min|num}} {{max|num}} {{neg|num}} {{zero|num}}|{{max|pct}} {{min|pct}} {{zero|pct}} "
                            "{{neg|pct}}|{{huge|num}}",
                            ctx, &out),
                     0);
    const char *want = "-9.223.372.036.854.775.808 9.223.372.036.854.775.807 -1.234.567 0|"
                       "922337203685477580700 % -922337203685477580800 % 0 % -123456700 %|";
    assert_memory_equal(out.p, want, strlen(want));
    buf_free(&out);
    json_decref(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(self_multiplying_partials_stop),
        cmocka_unit_test(nested_loops_over_the_context_stop),
        cmocka_unit_test(a_large_page_still_renders),
        cmocka_unit_test(extreme_numbers_format_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
