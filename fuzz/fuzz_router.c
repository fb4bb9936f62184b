/* libFuzzer harness for src/http/router.c over the app's real route tables: the first line of an input is the method,
 * the rest the path. Any input must give a route or none, never a crash or leak, and keep the router's promises.
 * Must not call a handler: the tables are only read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "http/app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    /* Both are C strings from libmicrohttpd: they end at a NUL. */
    char *method = strndup((const char *)data, (size_t)(nl - data));
    char *path = strndup((const char *)nl + 1, size - (size_t)(nl - data) - 1);
    if (!method || !path)
        abort();
    const char *pat = NULL;
    bool api = false, mm = false;
    /* The server asks once before reading the body, on the raw path, without params. */
    const struct route *first = router_match(method, path, NULL, &pat, &api, &mm);
    size_t plen = strlen(path);
    if (text_valid_utf8(path, plen)) {
        json_t *params = json_object();
        const char *pat2 = NULL;
        bool api2 = false, mm2 = true;
        const struct route *r = router_match(method, path, params, &pat2, &api2, &mm2);
        if (r != first)
            __builtin_trap();
        if (r) {
            /* The pattern is the route's page or API twin, and the API twin is the one under /api/. */
            if (pat2 != (api2 ? r->api : r->page) || !pat2 || (api2 && strncmp(pat2, "/api/", 5)))
                __builtin_trap();
            if (strcmp(r->method, method) && !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
                __builtin_trap();
            /* Every capture is one non-empty segment of the path, and valid UTF-8. */
            const char *k;
            json_t *v;
            json_object_foreach(params, k, v) {
                const char *s = json_string_value(v);
                if (!s || !*s || strchr(s, '/') || !strstr(path, s) || !text_valid_utf8(s, strlen(s)))
                    __builtin_trap();
            }
            /* A trailing slash is the same page. */
            if (plen > 1 && path[0] == '/' && path[plen - 1] != '/') {
                char *slash = malloc(plen + 2);
                memcpy(slash, path, plen);
                memcpy(slash + plen, "/", 2);
                const struct route *again = router_match(method, slash, NULL, &pat2, &api2, &mm2);
                if (again != r)
                    __builtin_trap();
                free(slash);
            }
        } else if (json_object_size(params)) {
            __builtin_trap(); /* no route, no captures */
        }
        json_decref(params);
    }
    free(method);
    free(path);
    return 0;
}
