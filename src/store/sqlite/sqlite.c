/* SQLite backend of db.h: WAL, foreign keys, busy timeout, a per-connection statement cache.
 * Must not be used from two threads at once: each worker thread opens its own connection. */
#include "store/db.h"
#include "store/sqlite/fts5.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#define CACHE_SLOTS 128

struct db_stmt {
    sqlite3_stmt *st;
    db *owner;
    const char *sql;
    bool busy;
};

struct db {
    sqlite3 *h;
    int depth;
    bool failed;
    bool no_tx;              /* the outermost BEGIN failed: refuse every statement until that level ends */
    bool locked;             /* see db_locked */
    bool last_failed;        /* see db_failed */
    char prepare_err[256];   /* why the last db_prepare failed, until the next prepare succeeds */
    db_stmt cache[CACHE_SLOTS];
    int ncache;
    void *aux;               /* see db_aux */
    void (*aux_free)(void *);
};

db *db_open(const char *target, char **err)
{
    /* A connection string: a file path, or sqlite:PATH; postgresql:// names a server this build cannot reach yet. */
    if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11)) {
        if (err) *err = strdup("bản dựng này chưa hỗ trợ PostgreSQL (postgresql://); hãy dùng một tệp SQLite");
        return NULL;
    }
    const char *path = !strncmp(target, "sqlite:", 7) ? target + 7 : target;
    db *d = calloc(1, sizeof *d);
    if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)) {
        if (err) *err = strdup(d->h ? sqlite3_errmsg(d->h) : "không mở được cơ sở dữ liệu");
        sqlite3_close(d->h);
        free(d);
        return NULL;
    }
    /* The search tables are declared with tokenize='vi' and rank vi_rank: without them no query of theirs can run. */
    if (search_fts5_register(d->h) != SQLITE_OK) {
        if (err) *err = strdup("không đăng ký được bộ tách từ tìm kiếm");
        sqlite3_close(d->h);
        free(d);
        return NULL;
    }
    sqlite3_busy_timeout(d->h, 5000);
    /* FULL syncs the WAL at every commit, so an acknowledged write also survives a power cut; NORMAL syncs only at
     * checkpoints and may then lose the last commits (a process crash loses nothing either way). bench/durability.sh
     * measures the difference; DXDAY_SYNCHRONOUS=normal trades that promise for speed, knowingly. */
    const char *sync = getenv("DXDAY_SYNCHRONOUS");
    if (sync && *sync && strcasecmp(sync, "full") && strcasecmp(sync, "normal")) {
        if (err) *err = strdup("DXDAY_SYNCHRONOUS phải là full hoặc normal");
        sqlite3_close(d->h);
        free(d);
        return NULL;
    }
    char pragmas[256];
    /* WAL lets readers on other threads go on while one writer commits. */
    snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;",
             sync && !strcasecmp(sync, "normal") ? "NORMAL" : "FULL");
    sqlite3_exec(d->h, pragmas, NULL, NULL, NULL);
    return d;
}

void db_close(db *d)
{
    if (!d) return;
    for (int i = 0; i < d->ncache; i++) sqlite3_finalize(d->cache[i].st);
    if (d->aux_free) d->aux_free(d->aux);
    sqlite3_close(d->h);
    free(d);
}

uint64_t db_version(db *d)
{
    /* The pager's data version moves on every commit, this connection's own included (SQLite ≥ 3.26). */
    unsigned int v = 0;
    if (sqlite3_file_control(d->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) return UINT64_MAX;
    return v;
}

void *db_aux(db *d) { return d->aux; }

void db_set_aux(db *d, void *aux, void (*free_fn)(void *))
{
    if (d->aux_free) d->aux_free(d->aux);
    d->aux = aux;
    d->aux_free = free_fn;
}

const char *db_errmsg(db *d) { return d->prepare_err[0] ? d->prepare_err : sqlite3_errmsg(d->h); }

bool db_failed(db *d) { return d->last_failed; }

int db_exec(db *d, const char *sql)
{
    return sqlite3_exec(d->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

db_stmt *db_prepare(db *d, const char *sql)
{
    for (int i = 0; i < d->ncache; i++) {
        db_stmt *c = &d->cache[i];
        if (!c->busy && (c->sql == sql || strcmp(c->sql, sql) == 0)) {
            c->busy = true;
            return c;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        /* A statement that fails at db_step, so callers have one place to notice (see db.h). */
        snprintf(d->prepare_err, sizeof d->prepare_err, "%s", sqlite3_errmsg(d->h));
        db_stmt *c = calloc(1, sizeof *c);
        *c = (db_stmt){ NULL, d, NULL, true };
        return c;
    }
    d->prepare_err[0] = 0;
    if (d->ncache < CACHE_SLOTS) {
        db_stmt *c = &d->cache[d->ncache++];
        *c = (db_stmt){ st, d, sqlite3_sql(st), true };
        return c;
    }
    /* Cache full: a one-off statement, finalized by db_done. */
    db_stmt *c = calloc(1, sizeof *c);
    *c = (db_stmt){ st, d, NULL, true };
    return c;
}

void db_bind_text(db_stmt *s, int i, const char *v)
{
    if (!s->st) return;
    if (v) sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s->st, i);
}
void db_bind_int(db_stmt *s, int i, int64_t v) { if (s->st) sqlite3_bind_int64(s->st, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { if (s->st) sqlite3_bind_double(s->st, i, v); }
void db_bind_null(db_stmt *s, int i) { if (s->st) sqlite3_bind_null(s->st, i); }

int db_step(db_stmt *s)
{
    /* Without its transaction a sequence of writes would autocommit one by one: half done, then misreported. */
    if (s->owner->no_tx && s->owner->depth > 0) return DB_ERROR;
    if (!s->st) return DB_ERROR;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    return DB_ERROR;
}

int db_cols(db_stmt *s) { return s->st ? sqlite3_column_count(s->st) : 0; }
const char *db_col_name(db_stmt *s, int i) { return sqlite3_column_name(s->st, i); }
const char *db_col_text(db_stmt *s, int i) { return (const char *)sqlite3_column_text(s->st, i); }
int64_t db_col_int(db_stmt *s, int i) { return sqlite3_column_int64(s->st, i); }
double db_col_double(db_stmt *s, int i) { return sqlite3_column_double(s->st, i); }
bool db_col_is_null(db_stmt *s, int i) { return sqlite3_column_type(s->st, i) == SQLITE_NULL; }

void db_done(db_stmt *s)
{
    if (!s) return;
    if (!s->sql) {
        if (s->st) sqlite3_finalize(s->st);
        free(s);
        return;
    }
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->busy = false;
}

int db_begin(db *d)
{
    if (d->depth++ > 0) return d->no_tx || d->failed ? -1 : 0;
    d->failed = false;
    d->no_tx = false;
    d->locked = false;
    int rc = sqlite3_exec(d->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK) return 0;
    /* The depth stays counted so the caller's commit or rollback still pairs with this begin; until then every
     * statement fails, and the commit reports that nothing was written — which is then true. */
    d->no_tx = true;
    d->failed = true;
    d->locked = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    return -1;
}

int db_commit(db *d)
{
    if (d->depth <= 0) return -1;
    if (--d->depth > 0) return d->failed ? -1 : 0;
    if (d->no_tx) {
        d->no_tx = false;
        return -1;
    }
    if (d->failed) {
        db_exec(d, "ROLLBACK");
        return -1;
    }
    int rc = sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        d->locked = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
        db_exec(d, "ROLLBACK");
        return -1;
    }
    return 0;
}

void db_rollback(db *d)
{
    if (d->depth <= 0) return;
    d->failed = true;
    if (--d->depth == 0) {
        if (!d->no_tx) db_exec(d, "ROLLBACK");
        d->no_tx = false;
    }
}

bool db_reset(db *d)
{
    bool open = d->depth > 0;
    if (open && !d->no_tx) db_exec(d, "ROLLBACK");
    d->depth = 0;
    d->failed = d->no_tx = d->locked = false;
    return open;
}

bool db_locked(db *d) { return d->locked; }
void db_clear_locked(db *d) { d->locked = false; }

static json_t *row_object(db_stmt *s)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(s->st);
    for (int i = 0; i < n; i++) {
        json_t *v;
        switch (sqlite3_column_type(s->st, i)) {
        case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(s->st, i)); break;
        case SQLITE_FLOAT: v = json_real(sqlite3_column_double(s->st, i)); break;
        case SQLITE_NULL: v = json_null(); break;
        default: v = json_string((const char *)sqlite3_column_text(s->st, i)); break;
        }
        json_object_set_new(o, sqlite3_column_name(s->st, i), v ? v : json_null());
    }
    return o;
}

json_t *db_rows(db_stmt *s)
{
    json_t *a = json_array();
    int rc;
    while ((rc = db_step(s)) == DB_ROW) json_array_append_new(a, row_object(s));
    s->owner->last_failed = rc == DB_ERROR;
    db_done(s);
    return a;
}

json_t *db_row(db_stmt *s)
{
    int rc = db_step(s);
    json_t *o = rc == DB_ROW ? row_object(s) : NULL;
    s->owner->last_failed = rc == DB_ERROR;
    db_done(s);
    return o;
}

int64_t db_scalar_int(db_stmt *s, int64_t dflt)
{
    int64_t v = dflt;
    int rc = db_step(s);
    if (rc == DB_ROW && !db_col_is_null(s, 0)) v = db_col_int(s, 0);
    s->owner->last_failed = rc == DB_ERROR;
    db_done(s);
    return v;
}
