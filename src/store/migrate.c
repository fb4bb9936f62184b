/* Applies src/store/<engine>/migrations/NNNN_name.sql (sqlite/ or pg/) in order, each in one transaction, and records it.
 * Must not edit a migration that has shipped: add a new file instead. */
#include "store/migrate.h"
#include "store/org.h"
#include "store/campaign.h"
#include "store/form.h"
#include "store/search.h"
#include "core/files.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_path(const void *a, const void *b)
{
    return strcmp((*(const struct embedded_file *const *)a)->path, (*(const struct embedded_file *const *)b)->path);
}

static int64_t applied(db *d, int version)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM schema_migration WHERE version = ?");
    db_bind_int(s, 1, version);
    return db_scalar_int(s, -1);
}

static int apply(db *d, const struct embedded_file *f)
{
    const char *name = strrchr(f->path, '/') + 1;
    int version = atoi(name);
    int64_t done = applied(d, version);
    if (done) {
        if (done < 0) fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        return done < 0 ? -1 : 0;
    }
    /* Under the write lock, and asked again there: two nodes that start at once apply each migration once. A begin
     * that failed would let the statements below run nowhere (db.h), so nothing half-applied can follow. */
    if (db_begin(d)) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_locked(d) ? "cơ sở dữ liệu đang bận (một tiến trình khác đang ghi)" : db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    if ((done = applied(d, version))) {
        db_rollback(d);
        return done < 0 ? -1 : 0;
    }
    char *sql = strndup((const char *)f->data, f->size);
    int rc = sql ? db_exec(d, sql) : -1;
    free(sql);
    if (rc) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    db_stmt *s = db_prepare(d, "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)");
    char now[32];
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm_utc));
    db_bind_int(s, 1, version);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, now);
    rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    if (db_commit(d)) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        return -1;
    }
    return 0;
}

int store_migrate(db *d)
{
    /* Each engine has its own folder of migrations: the same schema, each in its engine's dialect. */
    bool pg = !strcmp(db_engine(d), "postgresql");
    const char *dir = pg ? "src/store/pg/migrations/" : "src/store/sqlite/migrations/";
    const char *create = "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
                         "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
    /* PostgreSQL's CREATE … IF NOT EXISTS is not safe against a second node doing the same at once; the lock is. */
    int rc = pg ? db_begin(d) : 0;
    if (!rc) rc = db_exec(d, create);
    if (pg) {
        if (rc) db_rollback(d);
        else rc = db_commit(d);
    }
    if (rc) {
        fprintf(stderr, "migrate: %s\n", db_errmsg(d));
        return -1;
    }
    const struct embedded_file *list[256];
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->path && n < 256; f++)
        if (strncmp(f->path, dir, strlen(dir)) == 0) list[n++] = f;
    if (!n) {
        /* A build without this engine's schema yet: say so rather than load reference data into tables that are not
         * there. */
        printf("migrate: no %s migrations in this build (%s): nothing applied\n", db_engine(d), dir);
        return 0;
    }
    qsort(list, n, sizeof *list, cmp_path);
    for (size_t i = 0; i < n; i++)
        if (apply(d, list[i])) return -1;
    if (store_orgs_load(d) || store_orgs_sort_keys(d)) return -1;
    if (store_campaigns_load(d)) return -1;
    /* The assistant answers about the Day from the campaign years: index them once, and again when a year is new. */
    db_stmt *c = db_prepare(d, "SELECT COUNT(*) FROM campaign c WHERE NOT EXISTS "
                               "(SELECT 1 FROM search_passage p WHERE p.kind = 'campaign' AND p.ref_id = c.year)");
    if (db_scalar_int(c, 0) && store_search_index_campaigns(d)) return -1;
    if (store_forms_builtin(d)) return -1;
    /* A database from before search existed: index its plans once. */
    db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM plan) > 0 AND NOT EXISTS (SELECT 1 FROM search_passage WHERE kind IN ('plan', 'task'))");
    if (db_scalar_int(s, 0) && store_search_reindex_plans(d)) return -1;
    return 0;
}
