/* Lookup of files compiled into the binary. Linear scan: the table is small and lookups happen at startup
 * or are cached by their callers. Must not modify the table. */
#include "core/files.h"
#include <string.h>

const struct embedded_file *files_get(const char *path)
{
    for (const struct embedded_file *f = embedded_files; f->path; f++)
        if (strcmp(f->path, path) == 0) return f;
    return NULL;
}
