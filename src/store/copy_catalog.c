/* What each engine's catalog says about a database, for copy.c: its ordinary tables, their columns and foreign keys,
 * row counts, sequences. Must not write anything: every query here reads. */
#include "store/copy_catalog.h"
#include "core/buf.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* "name" with any quote doubled: the same identifier syntax on both engines. */
void copy_put_ident(struct buf *b, const char *name)
{
    buf_puts(b, "\"");
    for (const char *p = name; *p; p++) buf_puts(b, *p == '"' ? "\"\"" : (char[]){ *p, 0 });
    buf_puts(b, "\"");
}

/* Whether a SQLite file holds dxday's schema_migration, asked read-only: db_open would first switch a stranger's file
 * to WAL, a write to what may be another program's database. */
bool copy_sqlite_is_dxday(const char *path)
{
    sqlite3 *h = NULL;
    bool yes = false;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'", -1, &st,
                               NULL) == SQLITE_OK)
            yes = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return yes;
}

json_t *copy_rows(db *d, const char *sql, const char *arg)
{
    db_stmt *s = db_prepare(d, sql);
    if (arg) db_bind_text(s, 1, arg);
    json_t *r = db_rows(s);
    if (db_failed(d)) {   /* an error part way is not a short answer */
        json_decref(r);
        return NULL;
    }
    return r;
}

/* The ordinary tables. SQLite: not sqlite_* and not FTS5's virtual tables or their shadow tables (name_data,
 * name_idx…), which the target's own triggers fill; PostgreSQL: base tables of the current schema, not views. */
json_t *copy_list_tables(db *d)
{
    return copy_rows(d, strcmp(db_engine(d), "postgresql")
        ? "SELECT name FROM sqlite_master t WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
          "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' "
          "AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND substr(t.name, 1, length(v.name) + 1) = v.name || '_') ORDER BY name"
        : "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables WHERE table_schema = current_schema() "
          "AND table_type = 'BASE TABLE' ORDER BY 1", NULL);
}

/* Columns in their declared order with their type and, on SQLite, their place in the primary key. */
json_t *copy_list_columns(db *d, const char *table)
{
    return copy_rows(d, strcmp(db_engine(d), "postgresql")
        ? "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid"
        : "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS type, 0 AS pk "
          "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        table);
}

/* Every foreign key as {tab, ref, fcol, tcol}, one row per column pair. */
json_t *copy_list_fks(db *d)
{
    return copy_rows(d, strcmp(db_engine(d), "postgresql")
        ? "SELECT m.name AS tab, f.\"table\" AS ref, f.\"from\" AS fcol, f.\"to\" AS tcol "
          "FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
        : "SELECT CAST(cl.relname AS TEXT) AS tab, CAST(fr.relname AS TEXT) AS ref, CAST(a.attname AS TEXT) AS fcol, "
          "CAST(af.attname AS TEXT) AS tcol FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid "
          "JOIN pg_class fr ON fr.oid = k.confrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
          "CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(ck, fk) "
          "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.ck "
          "JOIN pg_attribute af ON af.attrelid = k.confrelid AND af.attnum = u.fk "
          "WHERE k.contype = 'f' AND n.nspname = current_schema()", NULL);
}

int64_t copy_count_rows(db *d, const char *table)
{
    struct buf b = { 0 };
    buf_puts(&b, "SELECT COUNT(*) FROM ");
    copy_put_ident(&b, table);
    char *sql = buf_take(&b);
    int64_t n = db_scalar_int(db_prepare(d, sql), -1);
    free(sql);
    return db_failed(d) ? -1 : n;
}

/* PostgreSQL's identity and serial columns as {tab, col, seq}. */
json_t *copy_list_sequences(db *d)
{
    return copy_rows(d,
        "SELECT CAST(c.table_name AS TEXT) AS tab, CAST(c.column_name AS TEXT) AS col, "
        "pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) AS seq FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
        "AND pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) IS NOT NULL", NULL);
}

/* Whether both connections reach the same PostgreSQL database: the target sees the source's own session, by its
 * process id and start time, in the server's pg_stat_activity for its database. */
bool copy_same_pg(db *src, db *dst)
{
    json_t *me = db_row(db_prepare(src, "SELECT CAST(pid AS TEXT) AS pid, CAST(backend_start AS TEXT) AS start "
                                           "FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
    bool same = false;
    if (me) {
        db_stmt *s = db_prepare(dst, "SELECT COUNT(*) FROM pg_stat_activity WHERE CAST(pid AS TEXT) = ? "
                                        "AND CAST(backend_start AS TEXT) = ? AND datname = current_database()");
        db_bind_text(s, 1, json_string_value(json_object_get(me, "pid")));
        db_bind_text(s, 2, json_string_value(json_object_get(me, "start")));
        same = db_scalar_int(s, 0) > 0;
    }
    json_decref(me);
    return same;
}
