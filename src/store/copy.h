/* Copying a whole dxday database into an empty one (`dxday copy --from A --to B`): SQLite to PostgreSQL, back again,
 * or file to file, in one transaction on the target. Must not write to the source, nor into a target that holds data. */
#ifndef DXDAY_STORE_COPY_H
#define DXDAY_STORE_COPY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct copy_count {
    char *table;
    int64_t source, target;   /* rows; -1 where the table does not exist on that side (engine-specific tables) */
};

struct copy_result {
    struct copy_count *t;     /* every ordinary table of either side, by name */
    size_t n;
    bool match;               /* every table present on both sides holds as many rows on each */
    int64_t rows;             /* rows written to the target */
    double seconds;           /* from the first write on the target to its commit */
    char files_from[512], files_to[512];   /* where each side's server looks for uploaded files (uploads.h) */
    bool files_in_db[2];      /* whether the source's and the target's servers keep them in the database instead */
    int64_t files_moved;      /* files read from files_from into the target's file_content */
};

/* Opens both connection strings (a SQLite path or sqlite:PATH, postgresql://…), checks that the source is a dxday
 * database at this build's migration level, migrates the target, refuses it unless it holds nothing but what the
 * migrations themselves insert, then copies every table in one transaction (search passages get the target's own
 * index; PostgreSQL sequences are moved past the copied ids). The source is only read, from one snapshot.
 * Returns 0, or -1 with a Vietnamese message in err; r is filled as far as the copy went (counts when there are any)
 * and must be freed with store_copy_result_free either way. A SQLite target file this call created is removed again
 * when it fails. */
int store_copy(const char *from, const char *to, struct copy_result *r, char *err, size_t errlen);
void store_copy_result_free(struct copy_result *r);
#endif
