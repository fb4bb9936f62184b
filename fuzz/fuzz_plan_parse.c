/* libFuzzer harness for the plan parser (src/core/plan_*.c) and its date reader: any bytes in, no crash, no
 * leak, and every task it reports has a reference and offsets inside the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/plan_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct plan_doc *doc = plan_parse((const char *)data, size);
    if (doc) {
        size_t tlen = doc->text ? strlen(doc->text) : 0;
        for (int i = 0; i < doc->ntasks; i++) {
            const struct plan_task *t = &doc->tasks[i];
            if (!t->ref || t->src_start > t->src_end || t->src_end > tlen) abort();
        }
        plan_free(doc);
    }
    /* The date reader sees table cells and sentences on its own: feed it the same bytes as a string. */
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    struct plan_when w;
    plan_parse_when(s, &w);
    free(s);
    return 0;
}
