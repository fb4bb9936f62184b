/* libFuzzer harness for src/http/form.c (form bodies and query components): any bytes must give true or false, never
 * a crash, leak or over-read, and what it accepts must survive a re-encoding. Must not keep state between inputs. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"
#include "http/http.h"

/* Percent-encodes everything but letters and digits, so the parser must give back exactly what it was given. */
static void put_enc(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c)) {
            buf_put(b, s, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_put(b, e, 3);
        }
    }
}

static char *copy(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One component: decoding never grows it and never runs past its NUL. */
    char *c = copy(data, size);
    size_t before = strlen(c);
    if (form_url_decode(c) && strlen(c) > before)
        __builtin_trap();
    free(c);

    char *body = copy(data, size);
    json_t *params = json_object();
    bool ok = form_parse(body, params);
    free(body);
    if (ok) {
        /* Every field a valid UTF-8 string; encoding them again and parsing gives the same fields. */
        struct buf again = {0};
        const char *k;
        json_t *v;
        json_object_foreach(params, k, v) {
            const char *s = json_string_value(v);
            if (!s || !text_valid_utf8(k, strlen(k)) || !text_valid_utf8(s, strlen(s)))
                __builtin_trap();
            if (again.len)
                buf_puts(&again, "&");
            put_enc(&again, k);
            buf_puts(&again, "=");
            put_enc(&again, s);
        }
        char *b2 = buf_take(&again);
        json_t *p2 = json_object();
        if (!form_parse(b2, p2) || !json_equal(params, p2))
            __builtin_trap();
        json_decref(p2);
        free(b2);
    }
    json_decref(params);
    return 0;
}
