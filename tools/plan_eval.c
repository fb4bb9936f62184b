/* Developer tool for the plan reader: prints what plan_parse() finds in files, or --bench times it on ~1 MB of them.
 * Must only read the files it is given; not part of the server. Build: see the usage line in main(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/plan_parse.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    *len = n;
    return b;
}

static void ymd(const char *label, bool has, struct ymd d)
{
    if (has)
        printf(" %s=%04d-%02d-%02d", label, d.y, d.m, d.d);
}

static void list(const char *label, char **v, int n)
{
    printf("  %s:", label);
    for (int i = 0; i < n; i++)
        printf(" [%s]", v[i]);
    printf("\n");
}

static void dump(const struct plan_doc *d)
{
    printf("number: %s\nissued:", d->number ? d->number : "-");
    ymd("", d->has_issued, d->issued);
    printf("\nissuer: %s\ntitle: %s\ntheme: %s\n", d->issuer ? d->issuer : "-", d->title,
           d->theme ? d->theme : "-");
    list("cites", d->cites, d->ncites);
    list("warnings", d->warnings, d->nwarnings);
    for (int i = 0; i < d->ntasks; i++) {
        const struct plan_task *t = &d->tasks[i];
        printf("TASK %s |", t->ref);
        ymd("due", t->has_due, t->due);
        ymd("from", t->has_window, t->window_from);
        ymd("to", t->has_window, t->window_to);
        printf(" rec=%s\n  title: %.110s\n", t->recurrence ? t->recurrence : "-", t->title);
        list("lead", t->lead, t->nlead);
        list("partners", t->partners, t->npartners);
        if (t->deliverable)
            printf("  deliverable: %.80s\n", t->deliverable);
        if (t->nwarnings)
            list("warnings", t->warnings, t->nwarnings);
    }
    for (int i = 0; i < d->ndeadlines; i++)
        printf("DEADLINE %04d-%02d-%02d what=[%s] to=[%s]\n", d->deadlines[i].due.y, d->deadlines[i].due.m,
               d->deadlines[i].due.d, d->deadlines[i].what, d->deadlines[i].to ? d->deadlines[i].to : "-");
}

int main(int argc, char **argv)
{
    bool bench = argc > 1 && strcmp(argv[1], "--bench") == 0;
    if (argc < 2 + bench) {
        fprintf(stderr, "usage: plan_eval [--bench] FILE...   (PLAN_BENCH_MB=n for n MB)\n"
                        "build: cc -O2 -Isrc tools/plan_eval.c src/core/plan_*.c src/core/text.c src/core/date.c "
                        "-lutf8proc\n");
        return 2;
    }
    if (!bench) {
        for (int a = 1; a < argc; a++) {
            size_t len;
            char *s = slurp(argv[a], &len);
            if (!s)
                return 1;
            struct plan_doc *d = plan_parse(s, len);
            printf("=== %s\n", argv[a]);
            if (!d)
                printf("(not UTF-8)\n");
            else
                dump(d);
            plan_free(d);
            free(s);
        }
        return 0;
    }
    /* --bench: the files concatenated and repeated up to 1 MB, parsed a few times. */
    size_t cap = (size_t)(getenv("PLAN_BENCH_MB") ? atoi(getenv("PLAN_BENCH_MB")) : 1) << 20, n = 0;
    char *big = malloc(cap + 1);
    while (n < cap) {
        for (int a = 2; a < argc && n < cap; a++) {
            size_t len;
            char *s = slurp(argv[a], &len);
            if (!s)
                return 1;
            size_t take = len < cap - n ? len : cap - n;
            while (take < len && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
                take--; /* never cut a character in half */
            memcpy(big + n, s, take);
            n += take;
            free(s);
            if (take < len)
                cap = n;
        }
    }
    /* CPU time, best of several runs: other jobs on a shared machine inflate wall time, not this. */
    int runs = 9, tasks = 0;
    double best = 1e9, wall = 0;
    for (int r = 0; r < runs; r++) {
        struct timespec t0, t1, w0, w1;
        clock_gettime(CLOCK_MONOTONIC, &w0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        struct plan_doc *d = plan_parse(big, n);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        clock_gettime(CLOCK_MONOTONIC, &w1);
        tasks = d ? d->ntasks : -1;
        plan_free(d);
        double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (sec < best)
            best = sec;
        wall += (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    }
    printf("%zu bytes, %d tasks, %.1f MB/s (best CPU time of %d runs), %.1f MB/s (mean wall time)\n", n, tasks,
           (double)n / best / 1e6, runs, (double)n * runs / wall / 1e6);
    free(big);
    return 0;
}
