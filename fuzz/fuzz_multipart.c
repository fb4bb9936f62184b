/* libFuzzer harness for src/http/multipart.c: the first line of an input is the Content-Type header (its boundary
 * fuzzed too), the rest the body, held in a buffer of exactly its size so any over-read is caught. Any input must give
 * true or false, never a crash or leak, and what it accepts must keep the parser's promises. Keeps no state. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ctl = nl ? (size_t)(nl - data) : size;
    char *ctype = strndup((const char *)data, ctl); /* a header value is a C string: stops at a NUL */
    size_t blen = nl ? size - ctl - 1 : 0;
    char *body = malloc(blen ? blen : 1);
    if (!ctype || !body)
        abort();
    if (blen)
        memcpy(body, nl + 1, blen);

    struct req r = {0};
    r.params = json_object();
    bool ok = multipart_parse(&r, ctype, body, blen);
    if (r.nfiles < 0 || r.nfiles > (int)(sizeof r.files / sizeof r.files[0]))
        __builtin_trap();
    if (ok) {
        for (int i = 0; i < r.nfiles; i++) {
            const struct upload *u = &r.files[i];
            /* Files point into the body; names are NUL-terminated, with no path, quote or control character. */
            if ((const char *)u->data < body || (const char *)u->data + u->len > body + blen || !u->field[0])
                __builtin_trap();
            if (!memchr(u->field, 0, sizeof u->field) || !memchr(u->filename, 0, sizeof u->filename) ||
                !memchr(u->ctype, 0, sizeof u->ctype))
                __builtin_trap();
            if (!text_valid_utf8(u->filename, strlen(u->filename)) || strpbrk(u->filename, "/\\\""))
                __builtin_trap();
            for (const char *p = u->filename; *p; p++)
                if ((unsigned char)*p < 0x20)
                    __builtin_trap();
        }
        const char *k;
        json_t *v;
        json_object_foreach(r.params, k, v) {
            const char *s = json_string_value(v);
            if (!s || !k[0] || !text_valid_utf8(k, strlen(k)) || !text_valid_utf8(s, json_string_length(v)))
                __builtin_trap();
        }
    }
    json_decref(r.params);
    free(body);
    free(ctype);
    return 0;
}
