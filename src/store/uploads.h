/* Where uploaded files live: DXDAY_FILES, or files/ beside a file database. One answer for the server, backups and
 * restores. Must not create the directory: its callers do, when they write. */
#ifndef DXDAY_STORE_UPLOADS_H
#define DXDAY_STORE_UPLOADS_H
#include <stddef.h>

/* The directory for the database the connection string target names (a path, sqlite:PATH, postgresql://…). */
void store_uploads_dir(const char *target, char *out, size_t n);
#endif
