/* dxday's command line: serve, migrate, seed-demo, remind, import-plan, ask, backup, restore, copy.
 * Must not hold logic of its own beyond reading options and calling into the layers. */
#include "http/app.h"
#include "store/migrate.h"
#include "store/seed/seed.h"
#include "store/skills.h"
#include "store/assistant.h"
#include "store/search.h"
#include "store/article.h"
#include "store/course.h"
#include "store/course_io.h"
#include "store/backup.h"
#include "store/copy.h"
#include "export/markdown.h"
#include "import/cli.h"
#include "http/mail.h"
#include "import/extract.h"
#include "core/plan_parse.h"
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: dxday [--db PATH] COMMAND [options]\n"
          "commands:\n"
          "  serve [--port N] [--bind ADDR] [--threads N]   start the portal (env PORT, DXDAY_DB)\n"
          "  migrate                                        create or update the database\n"
          "  seed-demo                                      add the demo accounts, plans and reports\n"
          "  remind                                         record due/overdue reminders; e-mail them if SMTP is set\n"
          "  import-plan FILE --json | --save [--parent ID] read a plan (.docx .pdf .txt .md); print or save it\n"
          "  ask \"QUESTION\" [--json]                       ask the virtual assistant (answer, confidence, sources)\n"
          "  routes                                         print every route as a JSON line (method, page, api, access, max_body)\n"
          "  export-course SLUG DIR                         write a course as its folder (DIR/SLUG unless DIR is named SLUG)\n"
          "  import-course DIR [--replace]                  import a course folder; --replace keeps learners' progress\n"
          "  backup DEST                                    copy the database (online, consistent) and its files to a new DEST\n"
          "  restore SRC [--force]                          restore a backup into --db PATH; --force replaces existing data\n"
          "  copy --from DB --to DB                         copy a whole database into a new, empty one (SQLite file or\n"
          "                                                 postgresql://…, either way), in one transaction\n"
          "options:\n"
          "  --db PATH   database file (env DXDAY_DB, default var/dxday.db)\n", f);
}

/* Creates the directory that will hold the database file, if any. */
/* The connection string as it may be printed: a password in it ("postgresql://u:secret@h/db") is masked. */
static const char *shown(const char *target)
{
    static char out[512];
    const char *scheme = strstr(target, "://"), *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (!at || !colon || colon > at) return target;
    snprintf(out, sizeof out, "%.*s:***%s", (int)(colon - target), target, at);
    return out;
}

static void ensure_dir(const char *path)
{
    if (strstr(path, "://")) return;   /* a server, not a file */
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return;
    *slash = 0;
    mkdir(dir, 0755);
}

static db *open_migrated(const char *path)
{
    ensure_dir(path);
    char *err = NULL;
    db *d = db_open(path, &err);
    if (!d) {
        fprintf(stderr, "dxday: cannot open %s: %s\n", shown(path), err ? err : "?");
        free(err);
        return NULL;
    }
    if (store_migrate(d)) { db_close(d); return NULL; }
    return d;
}

/* One JSON line per route, so a test can check that every route has a row in its authorisation matrix. */
static int print_routes(void)
{
    static const char *const access[] = { [ACCESS_UNSET] = "unset", [PUBLIC] = "public", [STAFF] = "staff", [QUERY] = "query", [ACCOUNT] = "account" };
    for (const struct route *const *t = router_tables(); *t; t++)
        for (const struct route *r = *t; r->fn; r++) {
            json_t *o = json_pack("{s:s, s:s?, s:s?, s:s, s:I}", "method", r->method, "page", r->page, "api", r->api,
                                  "access", access[r->access], "max_body", (json_int_t)(r->max_body ? r->max_body : MAX_BODY));
            char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(o);
            if (!line) return 1;
            puts(line);
            free(line);
        }
    return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct app_config cfg = { .db_path = getenv("DXDAY_DB") ? getenv("DXDAY_DB") : "var/dxday.db",
                              .bind = "127.0.0.1", .port = getenv("PORT") ? atoi(getenv("PORT")) : 8080,
                              .secure_cookies = getenv("DXDAY_SECURE_COOKIES") != NULL };
    const char *cmd = NULL, *file = NULL, *file2 = NULL, *from = NULL, *to = NULL;
    bool json_out = false, save = false, replace = false, force = false;
    long long parent = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--db") && more) cfg.db_path = argv[++i];
        else if (!strcmp(a, "--port") && more) cfg.port = atoi(argv[++i]);
        else if (!strcmp(a, "--bind") && more) cfg.bind = argv[++i];
        else if (!strcmp(a, "--from") && more) from = argv[++i];
        else if (!strcmp(a, "--to") && more) to = argv[++i];
        else if (!strcmp(a, "--threads") && more) cfg.threads = atoi(argv[++i]);
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        else if (!strcmp(a, "--json")) json_out = true;
        else if (!strcmp(a, "--save")) save = true;
        else if (!strcmp(a, "--replace")) replace = true;
        else if (!strcmp(a, "--force")) force = true;
        else if (!strcmp(a, "--parent") && more) parent = atoll(argv[++i]);
        else if (a[0] != '-' && !cmd) cmd = a;
        else if ((a[0] != '-' || !strcmp(a, "-")) && !file) file = a;
        else if (a[0] != '-' && !file2 && strstr(cmd, "-course")) file2 = a;   /* export-course SLUG DIR */
        else { fprintf(stderr, "dxday: unknown argument '%s'\n", a); usage(stderr); return 2; }
    }
    if (!cmd) { usage(stderr); return 2; }
    if (!strcmp(cmd, "routes")) return print_routes();
    store_course_set_renderer(markdown_html);   /* the store renders lessons and articles without depending on export/ */
    store_article_set_renderer(markdown_html);
    if (cfg.port <= 0 || cfg.port > 65535) { fprintf(stderr, "dxday: bad port\n"); return 2; }

    if (!strcmp(cmd, "migrate") || !strcmp(cmd, "seed-demo")) {
        db *d = open_migrated(cfg.db_path);
        if (!d) return 1;
        int rc = !strcmp(cmd, "seed-demo") ? store_seed_demo(d, password_hash) || seed_demo_plans(d) || store_seed_demo_reports(d) || store_seed_demo_skills(d) || store_courses_seed(d) < 0 || store_seed_demo_learner(d, password_hash) || store_seed_demo_teams(d, password_hash)
                                                || store_seed_demo_team_training(d)
                                                || store_seed_demo_dtd(d)
                                                || store_seed_demo_portal(d)
                                                || store_seed_demo_experts(d, password_hash)
                                                || store_seed_demo_trainings(d) : 0;
        db_close(d);
        if (!rc) printf("dxday: %s ok (%s)\n", cmd, shown(cfg.db_path));
        return rc ? 1 : 0;
    }
    if (!strcmp(cmd, "export-course") || !strcmp(cmd, "import-course")) {
        bool ex = cmd[0] == 'e';
        if (!file || (ex && !file2) || (!ex && file2)) { fprintf(stderr, "usage: dxday export-course SLUG DIR | import-course DIR [--replace]\n"); return 2; }
        db *d = open_migrated(cfg.db_path);
        if (!d) return 1;
        char err[512], where[1200];
        int rc = ex ? course_io_export_dir(d, file, file2, where, sizeof where, err, sizeof err)
                    : course_io_import_dir(d, file, replace, err, sizeof err);
        db_close(d);
        if (rc) fprintf(stderr, "dxday: %s\n", err);
        else if (ex) printf("dxday: exported %s to %s\n", file, where);
        else printf("dxday: imported %s\n", file);
        return rc ? 1 : 0;
    }
    if (!strcmp(cmd, "backup") || !strcmp(cmd, "restore")) {
        bool bk = cmd[0] == 'b';
        if (!file) { fprintf(stderr, "usage: dxday [--db PATH] backup DEST | restore SRC [--force]\n"); return 2; }
        if (strstr(cfg.db_path, "://")) {
            fprintf(stderr, "dxday: %s is for a SQLite file; on PostgreSQL use pg_dump/pg_restore or WAL archiving, and copy "
                            "DXDAY_FILES\n", cmd);
            return 2;
        }
        struct backup_stats st;
        char err[1024];
        int rc = bk ? store_backup(cfg.db_path, file, &st, err, sizeof err) : store_restore(file, cfg.db_path, force, &st, err, sizeof err);
        if (rc) { fprintf(stderr, "dxday: %s failed: %s\n", cmd, err); return 1; }
        printf("dxday: %s ok: %s -> %s (database %.1f MB, %d files, %.1f MB)\n", cmd, bk ? cfg.db_path : file, bk ? file : cfg.db_path,
               st.db_bytes / 1e6, st.files, st.file_bytes / 1e6);
        return 0;
    }
    if (!strcmp(cmd, "copy")) {
        if (!from || !to || file) { fprintf(stderr, "usage: dxday copy --from DB --to DB\n"); return 2; }
        struct copy_result r;
        char err[1024];
        int rc = store_copy(from, to, &r, err, sizeof err);
        fprintf(rc ? stderr : stdout, "dxday: copy %s", shown(from));   /* shown() has one buffer: one call a print */
        fprintf(rc ? stderr : stdout, " -> %s\n", shown(to));
        if (r.n) printf("%-28s %12s %12s\n", "table", "source", "target");
        for (size_t i = 0; i < r.n; i++) {
            char s[24] = "-", t[24] = "-";
            if (r.t[i].source >= 0) snprintf(s, sizeof s, "%lld", (long long)r.t[i].source);
            if (r.t[i].target >= 0) snprintf(t, sizeof t, "%lld", (long long)r.t[i].target);
            bool both = r.t[i].source >= 0 && r.t[i].target >= 0;
            printf("%-28s %12s %12s%s\n", r.t[i].table, s, t, !both ? "  (one engine only)" : r.t[i].source != r.t[i].target ? "  DIFFERS" : "");
        }
        if (rc) fprintf(stderr, "dxday: copy failed: %s\n", err);
        else {
            printf("dxday: copy ok: %lld rows in %.2f s (%.0f rows/s); %s\n", (long long)r.rows, r.seconds,
                   r.seconds > 0 ? r.rows / r.seconds : 0.0,
                   r.match ? "every table holds the same number of rows on both sides" : "row counts differ");
            if (r.files_moved) printf("dxday: %lld uploaded files from %s are now in the database (file_content)\n",
                                      (long long)r.files_moved, r.files_from);
            else if (!r.files_in_db[0] && !r.files_in_db[1] && strcmp(r.files_from, r.files_to))
                printf("dxday: uploaded files are not in the database: copy %s to %s, or set DXDAY_FILES=%s\n", r.files_from,
                       r.files_to, r.files_from);
        }
        store_copy_result_free(&r);
        return rc ? 1 : 0;
    }
    if (!strcmp(cmd, "parse-bench")) {
        /* Extraction + parsing only, repeated: the importer's throughput without the store. */
        FILE *f = file ? fopen(file, "rb") : NULL;
        if (!f) { fprintf(stderr, "usage: dxday parse-bench FILE\n"); return 2; }
        static unsigned char buf[32u << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        struct timespec t0, t1;
        int rounds = 0, tasks = 0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
            struct extract_result ex = extract_text(buf, len, file);
            struct plan_doc *doc = ex.status == EXTRACT_OK ? plan_parse(ex.text, ex.len) : NULL;
            tasks = doc ? doc->ntasks : -1;
            plan_free(doc);
            extract_free(&ex);
            rounds++;
            clock_gettime(CLOCK_MONOTONIC, &t1);
        } while ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 2.0);
        double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("import_parse_rate: %.1f MB/s\nimport_parse_tasks: %d tasks\n", len * (double)rounds / secs / 1e6, tasks);
        return tasks < 0 ? 1 : 0;
    }
    if (!strcmp(cmd, "remind")) {
        db *d = open_migrated(cfg.db_path);
        if (!d) return 1;
        int n = remind_run(d, true);
        db_close(d);
        return n < 0 ? 1 : 0;
    }
    if (!strcmp(cmd, "bench-index")) {
        /* make bench only: one searchable passage per paragraph of FILE, in one transaction. */
        FILE *f = file ? fopen(file, "rb") : NULL;
        if (!f) { fprintf(stderr, "usage: dxday bench-index FILE\n"); return 2; }
        db *d = open_migrated(cfg.db_path);
        if (!d) { fclose(f); return 1; }
        char line[8192], url[48];
        int n = 0, rc = db_begin(d);
        while (!rc && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            if (!*line) continue;
            char title[200];
            snprintf(title, sizeof title, "%.*s", (int)(strchr(line, '.') ? strchr(line, '.') - line : (long)strlen(line)), line);
            snprintf(url, sizeof url, "/bench/%d", ++n);
            rc = store_search_put(d, "article", n, title, line, url, NULL);
        }
        fclose(f);
        if (!rc) rc = db_commit(d);
        else db_rollback(d);
        db_close(d);
        printf("dxday: indexed %d passages\n", n);
        return rc ? 1 : 0;
    }
    if (!strcmp(cmd, "ask")) {
        if (!file || !*file) { fprintf(stderr, "usage: dxday ask \"QUESTION\" [--json] [--db PATH]\n"); return 2; }
        db *d = open_migrated(cfg.db_path);
        if (!d) return 1;
        json_t *a = store_ask(d, file);
        db_close(d);
        if (!a) { fprintf(stderr, "dxday: the question is not valid UTF-8\n"); return 2; }
        json_object_del(a, "uncertain");
        if (json_out) {
            char *s = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            puts(s);
            free(s);
        } else {
            printf("%s\n(độ tin cậy %.0f %%)\n", json_string_value(json_object_get(a, "answer")), json_number_value(json_object_get(a, "confidence")) * 100);
            size_t i;
            json_t *src;
            json_array_foreach(json_object_get(a, "sources"), i, src)
                printf("[%zu] %s — %s\n", i + 1, json_string_value(json_object_get(src, "title")), json_string_value(json_object_get(src, "url")));
        }
        json_decref(a);
        return 0;
    }
    if (!strcmp(cmd, "import-plan")) {
        if (!file || json_out == save) {
            fprintf(stderr, "usage: dxday import-plan FILE --json | --save [--db PATH] [--parent ID]\n");
            return 2;
        }
        /* --json writes nothing: without a database it resolves units against an in-memory copy of the reference data. */
        db *d = open_migrated(json_out && access(cfg.db_path, F_OK) != 0 ? ":memory:" : cfg.db_path);
        if (!d) return 1;
        int rc = cli_import_plan(d, file, save, parent);
        db_close(d);
        return rc;
    }
    if (!strcmp(cmd, "serve")) {
        ensure_dir(cfg.db_path);
        struct app *a = app_new(&cfg);
        if (!a) return 1;
        fprintf(stderr, "dxday: listening on http://%s:%d/ (database %s)\n", cfg.bind, cfg.port, shown(cfg.db_path));
        int rc = app_serve(a);
        app_free(a);
        return rc ? 1 : 0;
    }
    fprintf(stderr, "dxday: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
