/* The catalog queries behind `dxday copy` (copy.c), one answer for both engines: each branches on db_engine because
 * SQLite's pragmas and PostgreSQL's information_schema have no common form. Must not write to any database. */
#ifndef DXDAY_STORE_COPY_CATALOG_H
#define DXDAY_STORE_COPY_CATALOG_H
#include "core/buf.h"
#include "store/db.h"
#include <stdbool.h>

/* Appends "name" with any quote doubled: the same identifier syntax on both engines. */
void copy_put_ident(struct buf *b, const char *name);
/* Whether the SQLite file at path holds dxday's schema_migration; opened read-only. */
bool copy_sqlite_is_dxday(const char *path);
/* Every row of sql (one optional text parameter) as db_rows gives them; NULL on an error, even part way. */
json_t *copy_rows(db *d, const char *sql, const char *arg);
/* [{name}]: the ordinary tables, by name. */
json_t *copy_list_tables(db *d);
/* [{name, type, pk}]: a table's columns in declared order; pk is the place in SQLite's primary key (0 on PostgreSQL). */
json_t *copy_list_columns(db *d, const char *table);
/* [{tab, ref, fcol, tcol}]: every foreign key, one row per column pair. */
json_t *copy_list_fks(db *d);
/* Rows in table, or -1 on an error. */
int64_t copy_count_rows(db *d, const char *table);
/* [{tab, col, seq}]: PostgreSQL's identity and serial columns and their sequences. */
json_t *copy_list_sequences(db *d);
/* Whether two PostgreSQL connections reach the same database. */
bool copy_same_pg(db *src, db *dst);
#endif
