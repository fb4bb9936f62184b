/* libFuzzer harness for course imports (src/store/course_io.c's unzip and store_course_import's validation): any
 * bytes must give 0 or -1 with a message, never a crash, leak or hang. Each input's writes are rolled back. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPARTS 8
#include "stored_zip.h"
#include "export/markdown.h"
#include "store/course_io.h"
#include "store/migrate.h"

static db *d;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    store_course_set_renderer(markdown_html);
    d = db_open(":memory:", NULL);
    if (!d || store_migrate(d))
        abort();
    return 0;
}

static void import(const struct course_files *f)
{
    char err[512] = "";
    db_begin(d);
    int rc = store_course_import(d, f->v, f->n, true, err, sizeof err);
    db_rollback(d);
    if ((rc != 0 && rc != -1) || (rc && !err[0]))
        __builtin_trap();
}

/* A zip as it is; anything else is a folder written as "course.json text\n@@ name\nfile text\n@@ name\n…", turned
 * into a stored zip under "kh/" so mutations reach the JSON and markdown readers. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct course_files f = { 0 };
    char err[512] = "";
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        if (!course_io_unzip(data, size, &f, err, sizeof err))
            import(&f);
        else if (!err[0])
            __builtin_trap();
        course_files_free(&f);
        return 0;
    }
    struct part parts[NPARTS];
    char names[NPARTS][80];
    int n = 0;
    const uint8_t *p = data, *end = data + size;
    snprintf(names[0], sizeof names[0], "kh/course.json");
    while (n < NPARTS) {
        const uint8_t *next = NULL;
        for (const uint8_t *q = p; q + 4 <= end; q++)
            if (!memcmp(q, "\n@@ ", 4)) { next = q; break; }
        parts[n] = (struct part){ names[n], p, (size_t)((next ? next : end) - p) };
        n++;
        if (!next || n == NPARTS)
            break;
        const uint8_t *nm = next + 4, *nl = memchr(nm, '\n', (size_t)(end - nm));
        if (!nl)
            break;
        snprintf(names[n], sizeof names[n], "kh/%.*s", (int)(nl - nm < 60 ? nl - nm : 60), (const char *)nm);
        p = nl + 1;
    }
    size_t zl = 0;
    unsigned char *z = stored_zip(parts, n, &zl);
    if (z && !course_io_unzip(z, zl, &f, err, sizeof err))
        import(&f);
    course_files_free(&f);
    free(z);
    return 0;
}
