/* The uploads directory (see uploads.h): set explicitly for servers and shared storage, or derived from the path of
 * a file database. Must not depend on the working directory more than the database path itself does. */
#include "store/uploads.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_uploads_dir(const char *target, char *out, size_t n)
{
    const char *env = getenv("DXDAY_FILES");
    if (env && *env && strcmp(env, "database")) { snprintf(out, n, "%s", env); return; }
    if (!strncmp(target, "sqlite:", 7)) target += 7;
    /* A database on a server has no "beside": keep files where `make run` keeps its database. */
    if (strstr(target, "://")) { snprintf(out, n, "var/files"); return; }
    const char *slash = strrchr(target, '/');
    if (slash) snprintf(out, n, "%.*s/files", (int)(slash - target), target);
    else snprintf(out, n, "files");
}

/* Nodes of one PostgreSQL database share no disk, and a replica or a pg_dump should carry the files with the records
 * that name them: there the bytes go into file_content, in the transaction that records them. One machine with SQLite
 * keeps them beside its file, where the database stays small and a backup copies the folder. */
bool store_uploads_in_database(const char *target)
{
    const char *env = getenv("DXDAY_FILES");
    if (env && *env) return !strcmp(env, "database");
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}
