/* `dxday import-plan FILE --json|--save`: the importer from the command line, same code path as the web.
 * Must not write anything with --json; with --save, writes the whole plan in one transaction or nothing. */
#include "import/cli.h"
#include "import/plan_json.h"
#include "store/plan.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_file(const char *path, size_t *len, size_t max)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > max) break;
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    if (f != stdin) fclose(f);
    *len = n;
    return buf;
}

int cli_import_plan(db *d, const char *path, bool save, int64_t parent_id)
{
    size_t len = 0;
    unsigned char *data = read_file(path, &len, 21u * 1024 * 1024);
    if (!data) {
        fprintf(stderr, "import-plan: cannot read %s\n", path);
        return 1;
    }
    int status = 0;
    const char *message = NULL;
    char *text = NULL;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    json_t *plan = plan_import_bytes(d, data, len, base, &status, &message, &text);
    if (!plan) {
        fprintf(stderr, "import-plan: %s: %s\n", path, message);
        free(data);
        return 1;
    }
    int rc = 0;
    if (!save) {
        json_dumpf(plan, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        json_t *errors = store_plan_check(d, plan);
        if (errors) {
            fprintf(stderr, "import-plan: %s: not saved:\n", path);
            json_dumpf(errors, stderr, JSON_INDENT(2));
            fputc('\n', stderr);
            json_decref(errors);
            rc = 1;
        } else {
            unsigned char h[crypto_hash_sha256_BYTES];
            char sha[65];
            crypto_hash_sha256(h, data, len);
            sodium_bin2hex(sha, sizeof sha, h, sizeof h);
            struct plan_meta m = { json_string_value(json_object_get(plan, "source_kind")), base, sha, text, 0, parent_id };
            db_begin(d);
            int64_t id = store_plan_save(d, plan, &m);
            if (!id) {
                db_rollback(d);
                fprintf(stderr, "import-plan: %s: not saved: %s\n", path, db_errmsg(d));
                rc = 1;
            } else if (db_commit(d)) {
                fprintf(stderr, "import-plan: %s: commit failed\n", path);
                rc = 1;
            } else {
                printf("{\"id\": %lld, \"tasks\": %zu}\n", (long long)id, json_array_size(json_object_get(plan, "tasks")));
            }
        }
    }
    json_decref(plan);
    free(text);
    free(data);
    return rc;
}
