/* `make eval`: loads the evaluation's documents (tests/eval/docs, tests/eval/unseen/docs) into a migrated, seeded
 * database and asks the assistant every question of tuned.tsv and of each held-out file; prints the share right in each
 * part and the calibration. Must not tune anything, nor print a held-out part's misses unless asked
 * (DXDAY_EVAL_SHOW_HELDOUT=1). */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core/answer.h"
#include "core/text.h"
#include "export/markdown.h"
#include "import/plan_json.h"
#include "store/article.h"
#include "store/assistant.h"
#include "store/plan.h"
#include "store/plan_draft.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    if (b) b[n] = 0;
    *len = (size_t)n;
    return b;
}

static int as_article(db *d, const char *name, const char *text)
{
    /* The first line is the title, as an editor would type it; the whole text is the body. */
    size_t tl = strcspn(text, "\n");
    char title[200];
    snprintf(title, sizeof title, "%.*s", (int)(tl < 190 ? tl : 190), text);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "title", title, "body_md", text, "section", "tin-tuc", "status", "published");
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_article_save(d, in, 0, 0, NULL, NULL, &res);
    if (st != STORE_OK) fprintf(stderr, "eval: %s: not saved as an article: %s\n", name, res.message);
    store_result_free(&res);
    json_decref(in);
    return st == STORE_OK ? 0 : -1;
}

/* A file named plan-* is imported as a plan (what a user uploading it gets); when the importer refuses it, it is
 * published as an article instead, and the line printed says so. Anything else is an article. */
static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int load(db *d, const char *dir, const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = 0;
    char *data = slurp(path, &len);
    if (!data) return -1;
    int rc = -1;
    const char *how = "article";
    if (!strncmp(name, "plan-", 5)) {
        int status = 0;
        const char *message = NULL;
        char *text = NULL;
        json_t *plan = plan_import_bytes(d, (const unsigned char *)data, len, name, &status, &message, &text);
        if (plan) {
            struct plan_meta m = { json_string_value(json_object_get(plan, "source_kind")), name, NULL, text, 0, 0 };
            struct store_result res = STORE_RESULT_OK;
            int64_t id = 0;
            if (store_plan_import(d, plan, &m, 0, &id, &res) == STORE_OK) { rc = 0; how = "plan"; }
            store_result_free(&res);
        }
        json_decref(plan);
        free(text);
    }
    if (rc) rc = as_article(d, name, data);
    printf("  %-36s %s\n", name, rc ? "NOT LOADED" : how);
    free(data);
    return rc;
}

struct tally { int n, right, sure, sure_right; int bucket_n[6], bucket_right[6]; };
static const double edges[] = { 0, 0.3, 0.45, 0.6, 0.75, 0.9, 1.01 };

/* "05/09/2025" and "5/9/2025" are the same date: a number's leading zeros are dropped on both sides (folded). */
static void unpad(char *f)
{
    if (!f) return;
    char *w = f;
    for (char *r = f; *r; r++) {
        bool starts = r == f || !isdigit((unsigned char)r[-1]);
        if (*r == '0' && starts && isdigit((unsigned char)r[1])) continue;
        *w++ = *r;
    }
    *w = 0;
}

static bool holds(const char *text, const char *want)
{
    char *ft = text_fold(text ? text : ""), *alts = strdup(want);
    unpad(ft);
    bool ok = false;
    char *save = NULL;
    for (char *w = strtok_r(alts, "|", &save); w && !ok; w = strtok_r(NULL, "|", &save)) {
        char *fw = text_fold(w);
        unpad(fw);
        ok = ft && fw && *fw && strstr(ft, fw);
        free(fw);
    }
    free(alts);
    free(ft);
    return ok;
}

static void run(db *d, const char *file, const char *label, bool show, struct tally *all)
{
    FILE *f = fopen(file, "r");
    if (!f) { fprintf(stderr, "eval: cannot read %s\n", file); exit(1); }
    struct tally t = {0};
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab) continue;
        *tab = 0;
        const char *q = line, *want = tab + 1;
        json_t *a = store_ask(d, q);
        bool none = !strcmp(want, "-");
        const char *answer = json_string_value(json_object_get(a, "answer"));
        double conf = json_number_value(json_object_get(a, "confidence"));
        bool uncertain = json_is_true(json_object_get(a, "uncertain"));
        json_t *first = json_array_get(json_object_get(a, "sources"), 0);
        const char *snip = first ? json_string_value(json_object_get(first, "snippet")) : NULL;
        /* Right: the answer (when it dares one) or the first source holds what was asked; for a question nothing we
         * hold answers, right is saying so. Right when sure: the confident answer itself holds it. */
        bool right = none ? uncertain : (!uncertain && holds(answer, want)) || (snip && holds(snip, want));
        bool answer_right = none ? uncertain : !uncertain && holds(answer, want);
        t.n++;
        t.right += right;
        if (!uncertain) { t.sure++; t.sure_right += answer_right; }
        int b = 0;
        while (b < 5 && conf >= edges[b + 1]) b++;
        t.bucket_n[b]++;
        t.bucket_right[b] += none ? uncertain : holds(answer, want) || (snip && holds(snip, want));
        if (!right && show)
            printf("  miss: %s → [%.2f] %.140s\n", q, conf, uncertain ? (snip ? snip : "(no source)") : answer);
        json_decref(a);
    }
    fclose(f);
    printf("%-17s calibration:", label);
    for (int i = 0; i < 6; i++) printf(" [%.2f,%.2f) %d/%d", edges[i], edges[i + 1] > 1 ? 1.0 : edges[i + 1], t.bucket_right[i], t.bucket_n[i]);
    printf("\n");
    printf("%-17s %3d/%3d right (%.0f %%); sure %d, of them right %d (%.0f %%)\n", label, t.right, t.n,
           t.n ? 100.0 * t.right / t.n : 0, t.sure, t.sure_right, t.sure ? 100.0 * t.sure_right / t.sure : 0);
    all->n += t.n;
    all->right += t.right;
    all->sure += t.sure;
    all->sure_right += t.sure_right;
    for (int i = 0; i < 6; i++) { all->bucket_n[i] += t.bucket_n[i]; all->bucket_right[i] += t.bucket_right[i]; }
}

/* "tests/eval/unseen/questions.tsv" → "unseen/questions", "tests/eval/heldout.tsv" → "heldout": a part's name. */
static void part_name(const char *file, char *out, size_t n)
{
    const char *b = strstr(file, "eval/");
    b = b ? b + 5 : file;
    snprintf(out, n, "%.*s", (int)(strlen(b) > 4 && !strcmp(b + strlen(b) - 4, ".tsv") ? strlen(b) - 4 : strlen(b)), b);
}

int main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[1], "--db")) {
        fprintf(stderr, "usage: eval --db PATH|URL DOCS_DIR[:DOCS_DIR...] TUNED.tsv PART.tsv [PART.tsv...]\n");
        return 2;
    }
    store_article_set_renderer(markdown_html);
    char *err = NULL;
    db *d = db_open(argv[2], &err);
    if (!d) { fprintf(stderr, "eval: %s\n", err); return 1; }
    printf("documents:\n");
    char *dirs = strdup(argv[3]), *save = NULL;
    for (char *dn = strtok_r(dirs, ":", &save); dn; dn = strtok_r(NULL, ":", &save)) {
        DIR *dir = opendir(dn);
        struct dirent *e;
        char *names[64];
        int nn = 0;
        while (dir && (e = readdir(dir)) && nn < 64) if (e->d_name[0] != '.') names[nn++] = strdup(e->d_name);
        if (dir) closedir(dir);
        qsort(names, (size_t)nn, sizeof *names, by_name);
        for (int i = 0; i < nn; i++) { load(d, dn, names[i]); free(names[i]); }
    }
    free(dirs);
    struct tally all = {0};
    run(d, argv[4], "tuned", true, &all);
    for (int i = 5; i < argc; i++) {
        char label[64];
        part_name(argv[i], label, sizeof label);
        /* A further tuned part ("tuned-other") shows its misses; a held-out part only when asked. */
        run(d, argv[i], label, !strncmp(label, "tuned", 5) || getenv("DXDAY_EVAL_SHOW_HELDOUT") != NULL, &all);
    }
    printf("calibration (all parts; right = the best sentence (answer or first source) holds it):\n  confidence   questions  right\n");
    for (int i = 0; i < 6; i++)
        printf("  %.2f–%.2f %10d %6d\n", edges[i], edges[i + 1] > 1 ? 1.0 : edges[i + 1], all.bucket_n[i], all.bucket_right[i]);
    printf("  sure (≥ %.2f): %d answers, %d right (%.0f %%)\n", ANSWER_CONFIDENT, all.sure, all.sure_right,
           all.sure ? 100.0 * all.sure_right / all.sure : 0);
    db_close(d);
    return 0;
}
