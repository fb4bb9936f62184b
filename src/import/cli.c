/* `dxday import-plan FILE --json|--save`: the importer from the command line, same code path as the web.
 * Must not write anything with --json; with --save, writes the whole plan in one transaction or nothing. */
#include "import/cli.h"
#include "import/plan_json.h"
#include "store/plan.h"
#include "store/plan_draft.h"
#include "core/files.h"
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
        unsigned char h[crypto_hash_sha256_BYTES];
        char sha[65];
        crypto_hash_sha256(h, data, len);
        sodium_bin2hex(sha, sizeof sha, h, sizeof h);
        struct plan_meta m = { json_string_value(json_object_get(plan, "source_kind")), base, sha, text, 0, parent_id };
        struct store_result res = STORE_RESULT_OK;
        int64_t id = 0;
        if (store_plan_import(d, plan, &m, 0, &id, &res) == STORE_OK) {
            /* Saved with its warnings: say how many rows (tasks, targets, left-out rows) a person should look at. */
            json_int_t look = json_integer_value(json_object_get(plan, "need_review"));
            printf("{\"id\": %lld, \"tasks\": %zu, \"targets\": %zu, \"need_review\": %lld}\n", (long long)id,
                   json_array_size(json_object_get(plan, "tasks")), json_array_size(json_object_get(plan, "targets")), (long long)look);
            if (look)
                fprintf(stderr, "import-plan: %s: saved; %lld rows need a look (see /ke-hoach/%lld)\n", path, (long long)look, (long long)id);
        } else if (res.fields) {
            fprintf(stderr, "import-plan: %s: not saved:\n", path);
            json_dumpf(res.fields, stderr, JSON_INDENT(2));
            fputc('\n', stderr);
            rc = 1;
        } else {
            fprintf(stderr, "import-plan: %s: not saved: %s\n", path, res.detail[0] ? res.detail : res.message);
            rc = 1;
        }
        store_result_free(&res);
    }
    json_decref(plan);
    free(text);
    free(data);
    return rc;
}

/* Progress the demo shows: (plan number, task ref, status, progress, done date). */
static const struct { const char *plan, *ref, *status; int progress; const char *done_on; } demo_progress[] = {
    { "2026/KH-DEMO", "1", "done", 100, "2026-08-25" },
    { "2026/KH-DEMO", "3", "done", 100, "2026-09-22" },
    { "2026/KH-DEMO", "4", "in_progress", 60, NULL },
    { "88/KH-DEMO", "1", "done", 100, "2026-10-10" },
    { NULL, NULL, NULL, 0, NULL },
};

int seed_demo_plans(db *d)
{
    if (store_plans_count(d) > 0) return 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        if (strncmp(f->path, "data/demo/", 10)) continue;
        int status;
        const char *message;
        char *text = NULL;
        json_t *plan = plan_import_bytes(d, f->data, f->size, f->path + 10, &status, &message, &text);
        if (!plan) { fprintf(stderr, "seed-demo: %s: %s\n", f->path, message); return -1; }
        struct plan_meta m = { "md", f->path + 10, NULL, text, 0, 0 };
        struct store_result res = STORE_RESULT_OK;
        int64_t id = 0;
        enum store_status st = store_plan_import(d, plan, &m, 0, &id, &res);
        json_decref(plan);
        free(text);
        if (st != STORE_OK) {
            fprintf(stderr, "seed-demo: %s: not saved: %s\n", f->path, res.detail[0] ? res.detail : res.message);
            store_result_free(&res);
            return -1;
        }
    }
    for (int i = 0; demo_progress[i].plan; i++) {
        int64_t tid = store_task_by_ref(d, demo_progress[i].plan, demo_progress[i].ref);
        if (!tid) continue;
        struct task_update_in u = { tid, 0, 0, demo_progress[i].status, demo_progress[i].progress, "Cập nhật mẫu của dữ liệu demo",
                                    NULL, NULL, NULL, demo_progress[i].done_on };
        if (store_task_update(d, &u, NULL) != STORE_OK) return -1;
    }
    return 0;
}
