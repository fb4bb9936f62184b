/* SQLite backend of db.h: WAL, foreign keys, busy timeout, a per-connection statement cache.
 * Must not be used from two threads at once: each worker thread opens its own connection. */
#include "store/db_engine.h"
#include "store/sqlite/fts5.h"
#include "store/sqlite/shared_map.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#define CACHE_SLOTS 128

struct sq_stmt {
    db_stmt base;
    sqlite3_stmt *st;
    const char *sql;
    bool busy;
};

struct sq {
    db base;
    sqlite3 *h;
    char prepare_err[256];   /* why the last db_prepare failed, until the next prepare succeeds */
    struct sq_stmt cache[CACHE_SLOTS];
    int ncache;
};

static const struct db_engine sqlite_engine;

#define SQ(d) ((struct sq *)(d))
#define ST(s) (((struct sq_stmt *)(s))->st)

static db *fail_open(struct sq *d, char **err, const char *msg)
{
    if (err) *err = strdup(msg);
    sqlite3_close(d->h);
    free(d);
    return NULL;
}

db *db_sqlite_open(const char *path, char **err)
{
    struct sq *d = calloc(1, sizeof *d);
    if (!d) {
        if (err) *err = strdup("hết bộ nhớ");
        return NULL;
    }
    d->base.eng = &sqlite_engine;
    /* Every connection's reads of the file through one mapping (shared_map.c); without it, each maps on its own. */
    sqlite_shared_map_register();
    if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL))
        return fail_open(d, err, d->h ? sqlite3_errmsg(d->h) : "không mở được cơ sở dữ liệu");
    /* The search tables are declared with tokenize='vi' and rank vi_rank: without them no query of theirs can run. */
    if (search_fts5_register(d->h) != SQLITE_OK) return fail_open(d, err, "không đăng ký được bộ tách từ tìm kiếm");
    sqlite3_busy_timeout(d->h, 5000);
    /* FULL syncs the WAL at every commit, so an acknowledged write also survives a power cut; NORMAL syncs only at
     * checkpoints and may then lose the last commits (a process crash loses nothing either way). bench/durability.sh
     * measures the difference; DXDAY_SYNCHRONOUS=normal trades that promise for speed, knowingly. */
    const char *sync = getenv("DXDAY_SYNCHRONOUS");
    if (sync && *sync && strcasecmp(sync, "full") && strcasecmp(sync, "normal"))
        return fail_open(d, err, "DXDAY_SYNCHRONOUS phải là full hoặc normal");
    char pragmas[256];
    /* WAL lets readers on other threads go on while one writer commits. */
    snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON;"
             "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;",
             sync && !strcasecmp(sync, "normal") ? "NORMAL" : "FULL");
    sqlite3_exec(d->h, pragmas, NULL, NULL, NULL);
    return &d->base;
}

static void sq_close(db *db)
{
    struct sq *d = SQ(db);
    for (int i = 0; i < d->ncache; i++) sqlite3_finalize(d->cache[i].st);
    sqlite3_close(d->h);
    free(d);
}

static uint64_t sq_version(db *d)
{
    /* The pager's data version moves on every commit, this connection's own included (SQLite ≥ 3.26). */
    unsigned int v = 0;
    if (sqlite3_file_control(SQ(d)->h, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) return UINT64_MAX;
    return v;
}

static const char *sq_errmsg(db *d) { return SQ(d)->prepare_err[0] ? SQ(d)->prepare_err : sqlite3_errmsg(SQ(d)->h); }

static int sq_exec(db *d, const char *sql)
{
    return sqlite3_exec(SQ(d)->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static db_stmt *sq_prepare(db *db, const char *sql)
{
    struct sq *d = SQ(db);
    for (int i = 0; i < d->ncache; i++) {
        struct sq_stmt *c = &d->cache[i];
        if (!c->busy && (c->sql == sql || strcmp(c->sql, sql) == 0)) {
            c->busy = true;
            return &c->base;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        /* A statement that fails at db_step, so callers have one place to notice (see db.h). */
        snprintf(d->prepare_err, sizeof d->prepare_err, "%s", sqlite3_errmsg(d->h));
        struct sq_stmt *c = calloc(1, sizeof *c);
        *c = (struct sq_stmt){ { db }, NULL, NULL, true };
        return &c->base;
    }
    d->prepare_err[0] = 0;
    if (d->ncache < CACHE_SLOTS) {
        struct sq_stmt *c = &d->cache[d->ncache++];
        *c = (struct sq_stmt){ { db }, st, sqlite3_sql(st), true };
        return &c->base;
    }
    /* Cache full: a one-off statement, finalized by db_done. */
    struct sq_stmt *c = calloc(1, sizeof *c);
    *c = (struct sq_stmt){ { db }, st, NULL, true };
    return &c->base;
}

static void sq_bind_text(db_stmt *s, int i, const char *v)
{
    if (!ST(s)) return;
    if (v) sqlite3_bind_text(ST(s), i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(ST(s), i);
}
static void sq_bind_int(db_stmt *s, int i, int64_t v) { if (ST(s)) sqlite3_bind_int64(ST(s), i, v); }
static void sq_bind_double(db_stmt *s, int i, double v) { if (ST(s)) sqlite3_bind_double(ST(s), i, v); }
static void sq_bind_null(db_stmt *s, int i) { if (ST(s)) sqlite3_bind_null(ST(s), i); }
static void sq_bind_blob(db_stmt *s, int i, const void *data, size_t len)
{
    if (ST(s)) sqlite3_bind_blob64(ST(s), i, data ? data : "", len, SQLITE_TRANSIENT);
}

static int sq_step(db_stmt *s)
{
    if (!ST(s)) return DB_ERROR;
    int rc = sqlite3_step(ST(s));
    if (rc == SQLITE_ROW) return DB_ROW;
    if (rc == SQLITE_DONE) return DB_DONE;
    return DB_ERROR;
}

static int sq_cols(db_stmt *s) { return ST(s) ? sqlite3_column_count(ST(s)) : 0; }
static const char *sq_col_name(db_stmt *s, int i) { return sqlite3_column_name(ST(s), i); }
static const char *sq_col_text(db_stmt *s, int i) { return (const char *)sqlite3_column_text(ST(s), i); }
static int64_t sq_col_int(db_stmt *s, int i) { return sqlite3_column_int64(ST(s), i); }
static double sq_col_double(db_stmt *s, int i) { return sqlite3_column_double(ST(s), i); }
static bool sq_col_is_null(db_stmt *s, int i) { return sqlite3_column_type(ST(s), i) == SQLITE_NULL; }

static unsigned char *sq_col_blob(db_stmt *s, int i, size_t *len)
{
    *len = 0;
    if (!ST(s) || sqlite3_column_type(ST(s), i) == SQLITE_NULL) return NULL;
    const void *p = sqlite3_column_blob(ST(s), i);
    size_t n = (size_t)sqlite3_column_bytes(ST(s), i);
    unsigned char *out = malloc(n + 1);
    if (!out) return NULL;
    if (n) memcpy(out, p, n);
    *len = n;
    return out;
}

static json_t *sq_col_json(db_stmt *s, int i)
{
    switch (sqlite3_column_type(ST(s), i)) {
    case SQLITE_INTEGER: return json_integer(sqlite3_column_int64(ST(s), i));
    case SQLITE_FLOAT: return json_real(sqlite3_column_double(ST(s), i));
    case SQLITE_NULL: return json_null();
    default: return json_string((const char *)sqlite3_column_text(ST(s), i));
    }
}

static void sq_done(db_stmt *s)
{
    struct sq_stmt *c = (struct sq_stmt *)s;
    if (!c->sql) {
        if (c->st) sqlite3_finalize(c->st);
        free(c);
        return;
    }
    sqlite3_reset(c->st);
    sqlite3_clear_bindings(c->st);
    c->busy = false;
}

static int tx_rc(int rc)
{
    if (rc == SQLITE_OK) return DB_TX_OK;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? DB_TX_BUSY : DB_TX_ERROR;
}

/* IMMEDIATE takes the write lock at once, waiting up to the busy timeout: the single writer db.h promises. */
static int sq_begin(db *d) { return tx_rc(sqlite3_exec(SQ(d)->h, "BEGIN IMMEDIATE", NULL, NULL, NULL)); }
static int sq_commit(db *d) { return tx_rc(sqlite3_exec(SQ(d)->h, "COMMIT", NULL, NULL, NULL)); }
static void sq_rollback(db *d) { sqlite3_exec(SQ(d)->h, "ROLLBACK", NULL, NULL, NULL); }

static const struct db_engine sqlite_engine = {
    .name = "sqlite", .close = sq_close, .errmsg = sq_errmsg, .exec = sq_exec, .prepare = sq_prepare,
    .bind_text = sq_bind_text, .bind_int = sq_bind_int, .bind_double = sq_bind_double, .bind_null = sq_bind_null,
    .bind_blob = sq_bind_blob, .col_blob = sq_col_blob,
    .step = sq_step, .cols = sq_cols, .col_name = sq_col_name, .col_text = sq_col_text, .col_int = sq_col_int,
    .col_double = sq_col_double, .col_is_null = sq_col_is_null, .col_json = sq_col_json, .done = sq_done,
    .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback, .version = sq_version,
};
