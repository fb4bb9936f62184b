/* libFuzzer harness for src/http/tmpl.c: an input is template text, then "\n@@ NAME\n" before each further template
 * (partials) and "\n@@ ctx\n" before the JSON context (a fixed one when absent or invalid). Loading must succeed or
 * refuse, rendering must not crash, leak or hang, and escaping must hold. Keeps no state between inputs. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/tmpl.h"

#define MAXT 8

/* Values of every kind the renderer treats differently: HTML to escape, dates, extreme numbers, nesting. */
static const char default_ctx[] =
    "{\"title\":\"<b>Kế hoạch</b> & \\\"x\\\"\",\"n\":-9223372036854775808,\"m\":9223372036854775807,"
    "\"r\":1e300,\"p\":0.875,\"d\":\"2025-10-10\",\"dt\":\"2025-10-10T17:30:00Z\",\"t\":true,\"f\":false,"
    "\"z\":null,\"e\":\"\",\"items\":[{\"name\":\"<i>a</i>\",\"children\":[1,2]},{\"name\":\"b\",\"items\":[]}],"
    "\"org\":{\"name\":\"Sở <TT>\",\"parent\":{\"name\":\"UBND\"}}}";

/* Whether every template is free of markup and raw tags: then the output must be too. */
static bool plain(const char *const *pairs)
{
    for (; *pairs; pairs += 2)
        if (strchr(pairs[1], '<') || strstr(pairs[1], "{{{") || strstr(pairs[1], "{{&"))
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = strndup((const char *)data, size); /* templates are C strings */
    if (!src)
        abort();
    const char *pairs[2 * MAXT + 2] = {"main", src};
    int n = 1;
    const char *ctx_src = default_ctx;
    for (char *cut = strstr(src, "\n@@ "); cut; cut = strstr(cut, "\n@@ ")) {
        *cut = 0;
        char *name = cut + 4, *eol = strchr(name, '\n');
        if (!eol)
            break;
        *eol = 0;
        cut = eol + 1;
        if (strcmp(name, "ctx") == 0)
            ctx_src = cut;
        else if (n < MAXT)
            pairs[2 * n] = name, pairs[2 * n + 1] = cut, n++;
    }
    pairs[2 * n] = NULL;
    struct tmpl_set *set = tmpl_load_sources(pairs);
    if (set) {
        json_t *ctx = json_loads(ctx_src, JSON_DECODE_ANY, NULL);
        if (!ctx)
            ctx = json_loads(default_ctx, 0, NULL);
        struct buf out = {0};
        int rc = tmpl_render(set, "main", ctx, &out);
        char *html = buf_take(&out);
        /* -1 only past the render's budget, and then nothing half-rendered. */
        if ((rc != 0 && (rc != -1 || *html)) || (plain(pairs) && strchr(html, '<')))
            __builtin_trap();
        free(html);
        json_decref(ctx);
        tmpl_free(set);
    }
    free(src);
    return 0;
}
