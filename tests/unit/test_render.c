/* Unit tests of render.c's failure paths: a context a handler failed to build (json_pack answers NULL when a value is
 * NULL or not UTF-8) answers 500 with a JSON or HTML error, never a crash (strlen(NULL)) nor an empty 200 page.
 * Must not start a server or open a database: a request is a struct filled by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "http/app.h"

struct fixture { struct app app; struct req req; };

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->app.tmpl = tmpl_load();
    f->req = (struct req){ .app = &f->app, .method = "GET", .path = "/api/x", .route_name = "/api/x", .want_json = true };
    *state = f;
    return f->app.tmpl ? 0 : -1;
}

static void reset(struct req *r)
{
    free(r->body);
    r->body = NULL;
    r->status = 0;
    for (int i = 0; i < r->nheaders; i++) { free(r->headers[i].name); free(r->headers[i].value); }
    r->nheaders = 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    reset(&f->req);
    tmpl_free(f->app.tmpl);
    free(f);
    return 0;
}

/* The request answered 500 with a JSON body that has an error message. */
static void json_500(struct req *r, int rc)
{
    assert_int_equal(rc, 500);
    assert_int_equal(r->status, 500);
    assert_non_null(r->body);
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    assert_non_null(j);
    assert_non_null(json_string_value(json_object_get(j, "error")));
    json_decref(j);
    reset(r);
}

static void a_failed_pack_answers_500_in_json(void **state)
{
    struct req *r = &((struct fixture *)*state)->req;
    const char *missing = NULL;
    json_500(r, render(r, json_pack("{s:s}", "item", missing), NULL));
    /* Not an object or array: json_dumps refuses it. */
    json_500(r, render(r, json_string("x"), NULL));
    json_500(r, req_fail(r, 404, missing));
    json_500(r, req_fail(r, 400, "\xff\xfe"));
    json_500(r, req_redirect(r, missing));
}

static void a_failed_pack_answers_500_in_html(void **state)
{
    struct req *r = &((struct fixture *)*state)->req;
    r->want_json = false;
    const char *missing = NULL;
    assert_int_equal(render(r, json_pack("{s:s}", "item", missing), "home"), 500);
    assert_non_null(r->body);
    assert_non_null(strstr(r->body, "<html"));
    assert_non_null(strstr(r->body, "Có lỗi"));
    reset(r);
    assert_int_equal(req_fail(r, 403, missing), 500);
    assert_non_null(strstr(r->body, "<html"));
    reset(r);
    /* A JSON-only answer (no template) asked for by a browser. */
    assert_int_equal(render(r, json_pack("{s:i}", "id", 1), NULL), 500);
    reset(r);
    r->want_json = true;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_failed_pack_answers_500_in_json),
        cmocka_unit_test(a_failed_pack_answers_500_in_html),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
