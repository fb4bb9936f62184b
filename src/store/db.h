/* The store's one small interface: open, prepare, bind, step, read columns, transactions. Callers write
 * portable SQL with '?' placeholders and RETURNING; only the backends (sqlite/sqlite.c, pg/pg.c, chosen in db.c) know
 * the engine, and only src/store/ calls this interface (tools/layers.sh checks). Must not grow calls that one engine
 * cannot meet. */
#ifndef DXDAY_DB_H
#define DXDAY_DB_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/* Opens the database a connection string names: a file path or sqlite:PATH (SQLite, the file created if needed), or
 * postgresql://… / postgres://… (a libpq URI; the database must exist). NULL on failure with *err set (malloc'd). */
db *db_open(const char *target, char **err);
/* "sqlite" or "postgresql": for the few places that must differ (migrations are per engine). */
const char *db_engine(db *d);
void db_close(db *d);
const char *db_errmsg(db *d);

/* Runs one or more statements with no parameters (migrations). 0 on success. Refused (-1) like any statement while
 * a failed outermost begin is open. */
int db_exec(db *d, const char *sql);

/* Prepared statements are cached per connection by SQL text: prepare is cheap after the first time and
 * db_done() returns the statement to the cache. Never NULL: a statement that cannot be prepared fails at db_step
 * (DB_ERROR), and db_errmsg says why. Placeholders are '?' (numbered by position) or '?N'; a '?' inside a string
 * literal, a quoted identifier or a comment is text. Parameters reach PostgreSQL as text of unknown type, so the
 * server infers each from its context: where none gives a type (`? IS NULL`, `SELECT ?`), write CAST(? AS TEXT). */
db_stmt *db_prepare(db *d, const char *sql);
void db_bind_text(db_stmt *s, int i, const char *v);   /* NULL binds SQL NULL; i counts from 1 */
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_double(db_stmt *s, int i, double v);
void db_bind_null(db_stmt *s, int i);
/* Bytes, not text: an uploaded file's content. PostgreSQL receives them as bytea's hex text, so the column must be
 * bytea there (BLOB on SQLite). */
void db_bind_blob(db_stmt *s, int i, const void *data, size_t len);
int db_step(db_stmt *s);                                /* DB_ROW, DB_DONE or DB_ERROR */
int db_cols(db_stmt *s);
const char *db_col_name(db_stmt *s, int i);            /* columns count from 0 */
const char *db_col_text(db_stmt *s, int i);            /* NULL for SQL NULL; valid until the next step; a boolean
                                                        * reads as "1"/"0", like the integer it is on SQLite */
int64_t db_col_int(db_stmt *s, int i);
double db_col_double(db_stmt *s, int i);
bool db_col_is_null(db_stmt *s, int i);
/* A copy of a bytes column the caller frees; NULL for SQL NULL (or no memory), *len its size. */
unsigned char *db_col_blob(db_stmt *s, int i, size_t *len);
void db_done(db_stmt *s);

/* Transactions nest by counting: only the outermost begin/commit touch the engine; a rollback at any depth
 * rolls the whole transaction back when the outermost level ends. Isolation: the outermost begin takes the write lock
 * (SQLite's BEGIN IMMEDIATE), so a check-then-write sequence inside one transaction sees no other writer in between.
 * When the outermost begin fails (another connection held the lock past the busy timeout), it returns -1, still counts
 * its level, and every statement fails until the matching commit (which returns -1) or rollback: nothing is written,
 * even by a caller that ignored the -1. A failed commit has rolled everything back.
 * A statement that fails inside a transaction dooms it on PostgreSQL (the engine refuses every later statement and the
 * commit returns -1, having rolled back); SQLite goes on. Portable callers roll back after an error and use ON CONFLICT
 * rather than catching a constraint error to carry on. */
int db_begin(db *d);
/* An outermost begin for a transaction confined to one owner's rows (a learner's quiz attempts and completion): it
 * excludes ordinary write transactions and those of the same owner, but runs beside other owners' (PostgreSQL; on
 * SQLite it is db_begin, one writer at a time). Only for writes whose checks read nothing another owner's transaction
 * writes; inserts that others might repeat still need ON CONFLICT. Inside an open transaction it nests as db_begin. */
int db_begin_for(db *d, int64_t owner);
int db_commit(db *d);
void db_rollback(db *d);
/* True when the last outermost begin or commit failed because another connection held the write lock: the caller
 * may say "busy, nothing was written, try again" (HTTP 503). Cleared by the next outermost begin or db_clear_locked. */
bool db_locked(db *d);
/* True when the engine has lost its server (PostgreSQL stopped or unreachable; never for SQLite): whatever failed is
 * "unavailable, try again", not a fault, and the connection is tried again when the next transaction begins. */
bool db_unavailable(db *d);
void db_clear_locked(db *d);
/* Rolls back whatever a caller left open (a return between begin and commit) and forgets every flag above: the
 * server calls it after each request, so one handler's slip cannot hold the write lock or doom the next request.
 * True when something was left open. */
bool db_reset(db *d);

/* A number that changes whenever the database's content may have changed, by this connection or another; for caches
 * of derived figures. UINT64_MAX when the engine cannot tell (treat as always changed): PostgreSQL, for now. */
uint64_t db_version(db *d);
/* A number every connection to the database, on every node, sees move once a write transaction that changed rows has
 * committed, or db_generation_bump has counted writes made outside one; for caches shared by threads and nodes that
 * live "until the next write". 0 when the engine keeps none: SQLite, served by one process whose server counts its
 * own writes. UINT64_MAX when it cannot be read now (treat as changed; cache nothing). PostgreSQL: one round trip. */
uint64_t db_generation(db *d);
/* Moves the generation if a statement outside a transaction changed rows on this connection since the last move (a
 * commit moves it for its own writes). The server calls it after each state-changing request, before answering.
 * 0 when done or nothing was needed (always, on an engine that keeps no generation), -1 on an error. */
int db_generation_bump(db *d);
/* One slot per connection for a cache the search store keeps (connections are per thread, so the cache needs no lock);
 * setting it frees the previous value with its free_fn, and db_close frees the last. */
void *db_aux(db *d);
void db_set_aux(db *d, void *aux, void (*free_fn)(void *));

/* Conveniences built on the calls above. */
/* Each of these finishes s (db_done) and records whether it stopped at an error, which db_failed tells: "no row"
 * (NULL or dflt, db_failed false) and "error" (db_failed true) are different answers. */
/* Every remaining row as a JSON object keyed by column name; integers stay integers, NULL is null, booleans are 0/1,
 * reals are reals, everything else a string. */
json_t *db_rows(db_stmt *s);
/* The first row as an object, or NULL when there is none (or on an error: see db_failed). */
json_t *db_row(db_stmt *s);
/* Runs s to completion; returns the first column of the first row as an integer, or dflt. */
int64_t db_scalar_int(db_stmt *s, int64_t dflt);
/* Whether the last db_rows, db_row or db_scalar_int on this connection stopped at an error. */
bool db_failed(db *d);

#endif
