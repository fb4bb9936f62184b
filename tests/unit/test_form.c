/* Unit tests of the form-body parser (web/form.c): fields with and without values, escapes, bad escapes and bad
 * UTF-8 refused. Must not need a server or a database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "http/http.h"

static json_t *parse(const char *body, bool *ok)
{
    char *copy = strdup(body);
    json_t *p = json_object();
    *ok = form_parse(copy, p);
    free(copy);
    return p;
}

/* Found by fuzz_form: a field without '=' made the parser decode into a string literal, which crashed the server
 * on any such form body ("flag", "a=1&flag"). */
static void field_without_value_is_empty(void **state)
{
    bool ok;
    json_t *p = parse("a=1&flag&b=%C3%A1+x", &ok);
    assert_true(ok);
    assert_string_equal(json_string_value(json_object_get(p, "flag")), "");
    assert_string_equal(json_string_value(json_object_get(p, "a")), "1");
    assert_string_equal(json_string_value(json_object_get(p, "b")), "á x");
    json_decref(p);
    p = parse("fl%61g", &ok);
    assert_true(ok);
    assert_string_equal(json_string_value(json_object_get(p, "flag")), "");
    json_decref(p);
}

static void bad_escapes_and_utf8_are_refused(void **state)
{
    const char *bad[] = {"a=%", "a=%4", "a=%G1", "%zz=1", "a=%FF", "a=%C3", "%C3=1", NULL};
    for (int i = 0; bad[i]; i++) {
        bool ok;
        json_t *p = parse(bad[i], &ok);
        assert_false(ok);
        json_decref(p);
    }
}

static void url_decode_in_place(void **state)
{
    char s[] = "a+b%2Fc%25";
    assert_true(form_url_decode(s));
    assert_string_equal(s, "a b/c%");
    char t[] = "x%2";
    assert_false(form_url_decode(t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(field_without_value_is_empty),
        cmocka_unit_test(bad_escapes_and_utf8_are_refused),
        cmocka_unit_test(url_decode_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
