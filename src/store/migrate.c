/* Applies src/store/sqlite/migrations/NNNN_name.sql in order, each in one transaction, and records it.
 * Must not edit a migration that has shipped: add a new file instead. */
#include "store/migrate.h"
#include "store/org.h"
#include "store/campaign.h"
#include "store/form.h"
#include "store/search.h"
#include "core/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_path(const void *a, const void *b)
{
    return strcmp((*(const struct embedded_file *const *)a)->path, (*(const struct embedded_file *const *)b)->path);
}

static int apply(db *d, const struct embedded_file *f)
{
    const char *name = strrchr(f->path, '/') + 1;
    int version = atoi(name);
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM schema_migration WHERE version = ?");
    db_bind_int(s, 1, version);
    if (db_scalar_int(s, 0) > 0) return 0;
    char *sql = strndup((const char *)f->data, f->size);
    db_begin(d);
    int rc = db_exec(d, sql);
    free(sql);
    if (rc) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    s = db_prepare(d, "INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)");
    char now[32];
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm_utc));
    db_bind_int(s, 1, version);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, now);
    rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR || db_commit(d)) {
        fprintf(stderr, "migrate: %s: %s\n", name, db_errmsg(d));
        return -1;
    }
    return 0;
}

int store_migrate(db *d)
{
    if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
                   "name TEXT NOT NULL, applied_at TEXT NOT NULL)")) {
        fprintf(stderr, "migrate: %s\n", db_errmsg(d));
        return -1;
    }
    const struct embedded_file *list[256];
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->path && n < 256; f++)
        if (strncmp(f->path, "src/store/sqlite/migrations/", 28) == 0) list[n++] = f;
    qsort(list, n, sizeof *list, cmp_path);
    for (size_t i = 0; i < n; i++)
        if (apply(d, list[i])) return -1;
    if (store_orgs_load(d)) return -1;
    if (store_campaigns_load(d)) return -1;
    if (store_forms_builtin(d)) return -1;
    /* A database from before search existed: index its plans once. */
    db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM plan) > 0 AND NOT EXISTS (SELECT 1 FROM search_passage WHERE kind IN ('plan', 'task'))");
    if (db_scalar_int(s, 0) && store_search_reindex_plans(d)) return -1;
    return 0;
}
