/* Unit tests of the route table: patterns with {params}, page and API twins, methods, trailing slashes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "http/app.h"

static const struct route *m(const char *method, const char *path, json_t *params, bool *is_api, bool *mismatch)
{
    const char *pattern;
    return router_match(method, path, params, &pattern, is_api, mismatch);
}

static void page_and_api_twin_share_a_handler(void **state)
{
    bool api, mm;
    const struct route *a = m("GET", "/don-vi", NULL, &api, &mm);
    assert_non_null(a);
    assert_false(api);
    const struct route *b = m("GET", "/api/orgs", NULL, &api, &mm);
    assert_ptr_equal(a, b);
    assert_true(api);
}

static void params_are_captured(void **state)
{
    bool api, mm;
    json_t *p = json_object();
    const struct route *r = m("GET", "/api/orgs/ha-noi", p, &api, &mm);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(p, "id")), "ha-noi");
    json_decref(p);
    p = json_object();
    r = m("POST", "/quan-tri/tai-khoan/12/vai-tro/7/xoa", p, &api, &mm);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(p, "id")), "12");
    assert_string_equal(json_string_value(json_object_get(p, "rid")), "7");
    json_decref(p);
}

static void literal_route_wins_over_param(void **state)
{
    bool api, mm;
    json_t *p = json_object();
    const char *pattern;
    const struct route *r = router_match("GET", "/api/orgs/resolve", p, &pattern, &api, &mm);
    assert_non_null(r);
    assert_string_equal(pattern, "/api/orgs/resolve");
    assert_null(json_object_get(p, "id"));
    json_decref(p);
}

static void methods_and_misses(void **state)
{
    bool api, mm;
    assert_null(m("DELETE", "/api/orgs", NULL, &api, &mm));
    assert_true(mm);
    assert_null(m("GET", "/khong-co", NULL, &api, &mm));
    assert_false(mm);
    assert_non_null(m("HEAD", "/", NULL, &api, &mm));
    assert_non_null(m("GET", "/don-vi/", NULL, &api, &mm));
    assert_null(m("GET", "/don-vi/a/b", NULL, &api, &mm));
    assert_null(m("GET", "/api/orgs//", NULL, &api, &mm));
    assert_null(m("GET", "/don-vix", NULL, &api, &mm));
}

static void every_route_says_who_may_call_it(void **state)
{
    int n = 0;
    for (const struct route *const *t = router_tables(); *t; t++)
        for (const struct route *r = *t; r->fn; r++, n++) {
            if (r->access == ACCESS_UNSET) fail_msg("%s %s has no access level", r->method, r->page ? r->page : r->api);
            assert_true(r->access == PUBLIC || r->access == STAFF || r->access == QUERY || r->access == ACCOUNT);
        }
    assert_true(n > 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_says_who_may_call_it),
        cmocka_unit_test(page_and_api_twin_share_a_handler),
        cmocka_unit_test(params_are_captured),
        cmocka_unit_test(literal_route_wins_over_param),
        cmocka_unit_test(methods_and_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
