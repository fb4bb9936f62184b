/* Where uploaded files live: in the database (a server's default), DXDAY_FILES, or files/ beside a file database. One answer for the server, backups and
 * restores. Must not create the directory: its callers do, when they write. */
#ifndef DXDAY_STORE_UPLOADS_H
#define DXDAY_STORE_UPLOADS_H
#include <stdbool.h>
#include <stddef.h>

/* The directory for the database the connection string target names (a path, sqlite:PATH, postgresql://…). */
void store_uploads_dir(const char *target, char *out, size_t n);
/* Whether uploaded files' bytes live in the database rather than in that directory: DXDAY_FILES=database, or a
 * server database (postgresql://) unless DXDAY_FILES names a directory. */
bool store_uploads_in_database(const char *target);
#endif
