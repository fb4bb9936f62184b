/* Unit tests for src/export/markdown.c: editors' markdown renders safely (no raw HTML, no script URLs) and images
 * load lazily. Runs the real cmark-gfm. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "export/markdown.h"

static char *md(const char *s) { return markdown_html(s, strlen(s)); }

static void test_images_lazy(void **state)
{
    (void)state;
    char *h = md("Ảnh: ![mã QR](/static/logo.svg) và ![hai](/static/logo.svg)\n\n`<img src=x>`");
    assert_non_null(h);
    assert_non_null(strstr(h, "<img loading=\"lazy\" decoding=\"async\" src=\"/static/logo.svg\" alt=\"mã QR\""));
    const char *second = strstr(strstr(h, "mã QR") + 1, "<img ");
    assert_non_null(second);
    assert_memory_equal(second, "<img loading=\"lazy\"", 19);
    /* A user's own tag is text, and stays escaped. */
    assert_non_null(strstr(h, "&lt;img src=x&gt;"));
    free(h);
}

static void test_no_raw_html_or_script_urls(void **state)
{
    (void)state;
    char *h = md("<script>alert(1)</script>\n\n[bấm](javascript:alert(1)) <b onclick=x>đậm</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    assert_non_null(h);
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "javascript:"));
    assert_null(strstr(h, "onclick"));
    assert_non_null(strstr(h, "<table>"));
    free(h);
}

static void test_no_images_unchanged(void **state)
{
    (void)state;
    char *h = md("# Tiêu đề\n\nĐoạn văn.");
    assert_string_equal(h, "<h1>Tiêu đề</h1>\n<p>Đoạn văn.</p>\n");
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_images_lazy),
        cmocka_unit_test(test_no_raw_html_or_script_urls),
        cmocka_unit_test(test_no_images_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
