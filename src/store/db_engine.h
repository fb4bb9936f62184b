/* What a backend of db.h (sqlite/sqlite.c, pg/pg.c) gives the dispatcher in db.c: a table of its primitives, and the
 * state every engine shares (transaction depth, flags, the aux slot). Must not be included outside src/store/. */
#ifndef DXDAY_DB_ENGINE_H
#define DXDAY_DB_ENGINE_H
#include "store/db.h"

/* How an engine's BEGIN or COMMIT went: BUSY means another connection held the write lock past the timeout. */
enum { DB_TX_OK = 0, DB_TX_BUSY = 1, DB_TX_ERROR = 2 };

struct db_engine {
    const char *name;                                /* what db_engine() answers */
    void (*close)(db *d);                            /* frees the engine's state and d itself (the aux slot is gone) */
    const char *(*errmsg)(db *d);
    int (*exec)(db *d, const char *sql);
    db_stmt *(*prepare)(db *d, const char *sql);     /* never NULL; its owner field set */
    void (*bind_text)(db_stmt *s, int i, const char *v);
    void (*bind_int)(db_stmt *s, int i, int64_t v);
    void (*bind_double)(db_stmt *s, int i, double v);
    void (*bind_null)(db_stmt *s, int i);
    void (*bind_blob)(db_stmt *s, int i, const void *data, size_t len);
    int (*step)(db_stmt *s);                         /* the engine's step; db.c has checked the doomed transaction */
    int (*cols)(db_stmt *s);
    const char *(*col_name)(db_stmt *s, int i);
    const char *(*col_text)(db_stmt *s, int i);
    int64_t (*col_int)(db_stmt *s, int i);
    double (*col_double)(db_stmt *s, int i);
    bool (*col_is_null)(db_stmt *s, int i);
    unsigned char *(*col_blob)(db_stmt *s, int i, size_t *len);  /* malloc'd copy */
    json_t *(*col_json)(db_stmt *s, int i);          /* integer, real, string or null, typed as the engine knows it */
    void (*done)(db_stmt *s);
    int (*begin)(db *d);                             /* the outermost begin with the write lock: DB_TX_* */
    int (*commit)(db *d);                            /* DB_TX_*; on failure db.c calls rollback */
    void (*rollback)(db *d);
    uint64_t (*version)(db *d);
    bool (*unavailable)(db *d);                      /* NULL: never */
    uint64_t (*generation)(db *d);                   /* NULL when the engine keeps none (db_generation answers 0) */
    int (*bump)(db *d);                              /* NULL with generation */
};

/* The head of every engine's connection and statement structs (each engine's struct begins with one of these). */
struct db {
    const struct db_engine *eng;
    int depth;
    bool failed;             /* a level was rolled back, or a statement failed in a way that doomed the transaction */
    bool no_tx;              /* the outermost begin failed: refuse every statement until that level ends */
    bool locked;             /* see db_locked */
    int64_t owner;           /* the outermost begin being made is db_begin_for(owner); 0: an ordinary one */
    bool last_failed;        /* see db_failed */
    void *aux;               /* see db_aux */
    void (*aux_free)(void *);
};

struct db_stmt {
    db *owner;
};

db *db_sqlite_open(const char *path, char **err);
db *db_pg_open(const char *conninfo, char **err);

#endif
