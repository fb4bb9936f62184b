/* What the unit tests on a real database share: a fresh migrated SQLite file under /tmp, and its removal with the WAL
 * and shared-memory files beside it. Must stay test-only: static functions, no state of its own. */
#ifndef DXDAY_TEST_FIXTURE_DB_H
#define DXDAY_TEST_FIXTURE_DB_H
#include <stdio.h>
#include <unistd.h>
#include "store/db.h"
#include "store/migrate.h"

/* Removes the database file at path and its -wal and -shm companions. */
static inline void fixture_db_unlink(const char *path)
{
    char f[160];
    for (const char *const *x = (const char *const[]){ "", "-wal", "-shm", NULL }; *x; x++) {
        snprintf(f, sizeof f, "%s%s", path, *x);
        unlink(f);
    }
}

/* A fresh database at /tmp/dxday-<name>-<pid>-<n>.db (its path written to path), migrated; NULL on failure. */
static inline db *fixture_db_open(char *path, size_t len, const char *name, int n)
{
    snprintf(path, len, "/tmp/dxday-%s-%d-%d.db", name, (int)getpid(), n);
    fixture_db_unlink(path);
    db *d = db_open(path, NULL);
    if (d && store_migrate(d)) { db_close(d); d = NULL; }
    return d;
}
#endif
