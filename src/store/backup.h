/* Backup and restore of a dxday data directory: the SQLite database, copied online and consistent, and the uploaded
 * files it refers to (files/ beside it, each under its SHA-256). Must not write outside DEST, nor restore over data. */
#ifndef DXDAY_STORE_BACKUP_H
#define DXDAY_STORE_BACKUP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The database's name inside a backup directory; files go to files/ beside it, as in a live data directory. */
#define BACKUP_DB_NAME "dxday.db"

struct backup_stats {
    int64_t db_bytes;    /* size of the database copy */
    int files;           /* uploaded files the copy refers to, all copied and checked against their hash */
    int64_t file_bytes;
};

/* Copies the database at db_path (a server may be writing to it) into dest_dir/dxday.db as of one moment, and every
 * file that copy refers to into dest_dir/files/. dest_dir must not exist or be empty; dest_dir/dxday.db appears
 * last, so its presence means the backup is complete. 0, or -1 with a message in err. */
int store_backup(const char *db_path, const char *dest_dir, struct backup_stats *st, char *err, size_t errlen);

/* Checks the backup in src_dir (integrity, every referenced file present with its hash), copies its files into
 * files/ beside db_path, then its database into db_path. Refuses a db_path that holds any table unless force.
 * 0, or -1 with a message in err (nothing changed when the backup or the target was refused). */
int store_restore(const char *src_dir, const char *db_path, bool force, struct backup_stats *st, char *err, size_t errlen);
#endif
