/* db.h's one implementation of the contract that is the same on every engine: choosing the engine from the connection
 * string, nested transactions by counting, the doomed-transaction rule, db_rows/db_row. Must not know any engine's API. */
#include "store/db_engine.h"
#include <stdlib.h>
#include <string.h>

db *db_open(const char *target, char **err)
{
    if (err) *err = NULL;
    if (!target || !*target) {
        if (err) *err = strdup("chưa có chuỗi kết nối cơ sở dữ liệu");
        return NULL;
    }
    if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11)) return db_pg_open(target, err);
    return db_sqlite_open(!strncmp(target, "sqlite:", 7) ? target + 7 : target, err);
}

const char *db_engine(db *d) { return d->eng->name; }

void db_close(db *d)
{
    if (!d) return;
    if (d->aux_free) d->aux_free(d->aux);
    d->aux_free = NULL;
    d->eng->close(d);
}

const char *db_errmsg(db *d) { return d->eng->errmsg(d); }

int db_exec(db *d, const char *sql)
{
    if (d->no_tx && d->depth > 0) return -1;
    return d->eng->exec(d, sql);
}

db_stmt *db_prepare(db *d, const char *sql) { return d->eng->prepare(d, sql); }
void db_bind_text(db_stmt *s, int i, const char *v) { s->owner->eng->bind_text(s, i, v); }
void db_bind_int(db_stmt *s, int i, int64_t v) { s->owner->eng->bind_int(s, i, v); }
void db_bind_double(db_stmt *s, int i, double v) { s->owner->eng->bind_double(s, i, v); }
void db_bind_null(db_stmt *s, int i) { s->owner->eng->bind_null(s, i); }
void db_bind_blob(db_stmt *s, int i, const void *data, size_t len) { s->owner->eng->bind_blob(s, i, data, len); }

int db_step(db_stmt *s)
{
    /* Without its transaction a sequence of writes would autocommit one by one: half done, then misreported. */
    if (s->owner->no_tx && s->owner->depth > 0) return DB_ERROR;
    return s->owner->eng->step(s);
}

int db_cols(db_stmt *s) { return s->owner->eng->cols(s); }
const char *db_col_name(db_stmt *s, int i) { return s->owner->eng->col_name(s, i); }
const char *db_col_text(db_stmt *s, int i) { return s->owner->eng->col_text(s, i); }
int64_t db_col_int(db_stmt *s, int i) { return s->owner->eng->col_int(s, i); }
double db_col_double(db_stmt *s, int i) { return s->owner->eng->col_double(s, i); }
bool db_col_is_null(db_stmt *s, int i) { return s->owner->eng->col_is_null(s, i); }
unsigned char *db_col_blob(db_stmt *s, int i, size_t *len) { return s->owner->eng->col_blob(s, i, len); }

void db_done(db_stmt *s)
{
    if (s) s->owner->eng->done(s);
}

int db_begin(db *d)
{
    if (d->depth++ > 0) return d->no_tx || d->failed ? -1 : 0;
    d->failed = false;
    d->no_tx = false;
    d->locked = false;
    int rc = d->eng->begin(d);
    if (rc == DB_TX_OK) return 0;
    /* The depth stays counted so the caller's commit or rollback still pairs with this begin; until then every
     * statement fails, and the commit reports that nothing was written — which is then true. */
    d->no_tx = true;
    d->failed = true;
    d->locked = rc == DB_TX_BUSY;
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
        d->eng->rollback(d);
        return -1;
    }
    int rc = d->eng->commit(d);
    if (rc != DB_TX_OK) {
        d->locked = rc == DB_TX_BUSY;
        d->eng->rollback(d);
        return -1;
    }
    return 0;
}

void db_rollback(db *d)
{
    if (d->depth <= 0) return;
    d->failed = true;
    if (--d->depth == 0) {
        if (!d->no_tx) d->eng->rollback(d);
        d->no_tx = false;
    }
}

int db_begin_for(db *d, int64_t owner)
{
    if (d->depth > 0) return db_begin(d);
    d->owner = owner;
    int rc = db_begin(d);
    d->owner = 0;
    return rc;
}

bool db_reset(db *d)
{
    bool open = d->depth > 0;
    if (open && !d->no_tx) d->eng->rollback(d);
    d->depth = 0;
    d->failed = d->no_tx = d->locked = false;
    return open;
}

bool db_locked(db *d) { return d->locked; }
bool db_unavailable(db *d) { return d && d->eng->unavailable && d->eng->unavailable(d); }
void db_clear_locked(db *d) { d->locked = false; }
bool db_failed(db *d) { return d->last_failed; }

uint64_t db_version(db *d) { return d->eng->version(d); }
uint64_t db_generation(db *d) { return d->eng->generation ? d->eng->generation(d) : 0; }
int db_generation_bump(db *d) { return d->eng->bump ? d->eng->bump(d) : 0; }

void *db_aux(db *d) { return d->aux; }

void db_set_aux(db *d, void *aux, void (*free_fn)(void *))
{
    if (d->aux_free) d->aux_free(d->aux);
    d->aux = aux;
    d->aux_free = free_fn;
}

static json_t *row_object(db_stmt *s)
{
    const struct db_engine *e = s->owner->eng;
    json_t *o = json_object();
    int n = e->cols(s);
    for (int i = 0; i < n; i++) {
        json_t *v = e->col_json(s, i);
        json_object_set_new(o, e->col_name(s, i), v ? v : json_null());
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
