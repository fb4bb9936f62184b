/* PostgreSQL backend of db.h on libpq: '?' placeholders become $n, cached statements named once per connection (or
 * unnamed, DXDAY_PG_PREPARE=0), text parameters, results typed by column type, the write lock as a transaction-scoped
 * advisory lock. Must not be shared between threads, and must not use session state (SET, session locks): it breaks
 * behind a pooler. */
#include "store/db_engine.h"
#include <libpq-fe.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 128
/* The key of the one advisory lock every dxday write transaction takes: an arbitrary constant that any other lock dxday
 * takes (a run-once job) must not reuse. Advisory locks are per database, so two deployments on one server never meet. */
#define WRITE_LOCK_KEY "431349744641"
/* As long as SQLite's busy timeout: after that a begin gives up and the caller answers "busy, try again". */
#define BEGIN_SQL "BEGIN; SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")"
/* db_begin_for: the same lock shared, so ordinary writers still exclude it, and the owner's own lock (in the two-int
 * key space, which never meets the one-bigint space above; 25720 is "dx"), so one owner's transactions take turns.
 * Owners whose ids agree in their low 32 bits share a lock: they only wait for each other. */
#define BEGIN_FOR_SQL "BEGIN; SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK_KEY "), " \
                      "pg_advisory_xact_lock(25720, %d)"

/* Column types, from PostgreSQL's catalog/pg_type_d.h (a server header libpq-dev does not ship); stable since 7.x. */
enum { BOOLOID = 16, INT8OID = 20, INT2OID = 21, INT4OID = 23, TEXTOID = 25, FLOAT4OID = 700, FLOAT8OID = 701,
       NUMERICOID = 1700 };
enum kind { K_TEXT, K_INT, K_REAL, K_NUMERIC, K_BOOL };

struct pg_stmt {
    db_stmt base;
    char *sql;               /* the caller's text: the cache key */
    char *pgsql;             /* the same with $n placeholders */
    int nparams;
    char **vals;             /* nparams bound values as text, NULL for SQL NULL */
    Oid *types;              /* NULL, or text for the numbers the SQL skips (?2 without ?1): the server needs some type */
    PGresult *res;           /* the whole result, once executed */
    int row, nrows;          /* the current row (-1 before the first step) */
    bool executed, errored, busy, cached;
    bool prepared;           /* a named statement on this connection: parsed and planned once, not per execution */
    int id;                  /* its name: dx<id>, its slot in the cache */
};

struct pg {
    db base;
    PGconn *c;
    char err[512];
    struct pg_stmt *cache[CACHE_SLOTS];
    int ncache;
    bool prepare;            /* cached statements are named prepared statements (DXDAY_PG_PREPARE, default on) */
    bool wrote;              /* the open transaction changed rows: its commit moves data_generation on */
    bool unbumped;           /* a statement outside a transaction changed rows since the last bump (pg_bump) */
    bool has_generation;     /* data_generation exists (migration 0017); once seen, it stays */
};

static const struct db_engine pg_engine;

#define PG(d) ((struct pg *)(d))
#define PS(s) ((struct pg_stmt *)(s))

static void set_err(struct pg *d, const char *msg)
{
    snprintf(d->err, sizeof d->err, "%s", msg && *msg ? msg : "lỗi PostgreSQL không rõ");
    size_t n = strlen(d->err);
    while (n && (d->err[n - 1] == '\n' || d->err[n - 1] == ' ')) d->err[--n] = 0;
}

static void clear_err(struct pg *d) { snprintf(d->err, sizeof d->err, "not an error"); }

/* The server's message and its SQLSTATE, or libpq's own (a lost connection has no result). */
static void result_err(struct pg *d, const PGresult *r)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (primary) {
        char m[sizeof d->err];
        snprintf(m, sizeof m, "%s%s%s%s", primary, state ? " (" : "", state ? state : "", state ? ")" : "");
        set_err(d, m);
    } else set_err(d, PQerrorMessage(d->c));
}

static bool sqlstate_busy(const PGresult *r)
{
    const char *s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    /* lock_not_available (lock_timeout), query_canceled (statement_timeout), serialization failure, deadlock. */
    return s && (!strcmp(s, "55P03") || !strcmp(s, "57014") || !strcmp(s, "40001") || !strcmp(s, "40P01"));
}

/* "CREATE TABLE IF NOT EXISTS … skipping" and the like would land on stderr. */
static void quiet(void *arg, const char *message) { (void)arg; (void)message; }

/* A connection the server dropped (restart, failover) is opened again once per call that may_reset: only between
 * transactions, since inside one the rest of it would run on a new connection without its first half. */
static bool connection_ok(struct pg *d, bool may_reset)
{
    if (PQstatus(d->c) == CONNECTION_OK) return true;
    if (may_reset) {
        PQreset(d->c);
        /* A new server session: the statements named on the old one are gone. */
        for (int i = 0; i < d->ncache; i++) d->cache[i]->prepared = false;
        if (PQstatus(d->c) == CONNECTION_OK) return true;
    }
    char m[sizeof d->err];
    snprintf(m, sizeof m, "mất kết nối PostgreSQL: %s", PQerrorMessage(d->c));
    set_err(d, m);
    return false;
}

db *db_pg_open(const char *conninfo, char **err)
{
    /* Earlier keywords are overridden by what the URI says: defaults, not constraints. */
    const char *const keys[] = { "connect_timeout", "application_name", "client_encoding", "dbname", NULL };
    const char *const vals[] = { "5", "dxday", "UTF8", conninfo, NULL };
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (!c) {
        if (err) *err = strdup("hết bộ nhớ");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        if (err) {
            char m[1024];
            snprintf(m, sizeof m, "không kết nối được PostgreSQL: %s", PQerrorMessage(c));
            size_t n = strlen(m);
            while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = 0;
            *err = strdup(m);
        }
        PQfinish(c);
        return NULL;
    }
    struct pg *d = calloc(1, sizeof *d);
    if (!d) {
        PQfinish(c);
        if (err) *err = strdup("hết bộ nhớ");
        return NULL;
    }
    d->base.eng = &pg_engine;
    d->c = c;
    /* Parsing and planning each statement again cost a third of a quiz submission's time. A pooler in transaction mode
     * older than PgBouncer 1.21 (max_prepared_statements) hands statements to other server sessions: set 0 there. */
    const char *prep = getenv("DXDAY_PG_PREPARE");
    d->prepare = !(prep && !strcmp(prep, "0"));
    PQsetNoticeProcessor(c, quiet, NULL);
    clear_err(d);
    return &d->base;
}

static void stmt_free(struct pg_stmt *s)
{
    PQclear(s->res);
    for (int i = 0; i < s->nparams; i++) free(s->vals[i]);
    free(s->vals);
    free(s->types);
    free(s->pgsql);
    free(s->sql);
    free(s);
}

static void pg_close(db *db)
{
    struct pg *d = PG(db);
    for (int i = 0; i < d->ncache; i++) stmt_free(d->cache[i]);
    PQfinish(d->c);
    free(d);
}

/* Whether data_generation exists: a database migrated before 0017 has none, and a statement on a missing sequence inside a
 * transaction would doom it. Asked again until the answer is yes (only an unmigrated database pays for that). */
static bool generation_table(struct pg *d)
{
    if (d->has_generation) return true;
    PGresult *r = PQexec(d->c, "SELECT to_regclass('data_generation') IS NOT NULL");
    d->has_generation = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return d->has_generation;
}

/* db_generation: the sequence every commit that changed rows moves on (pg_commit). One round trip; UINT64_MAX when it
 * cannot be read, or inside a transaction that has written what the number does not count yet. */
static uint64_t pg_generation(db *db)
{
    struct pg *d = PG(db);
    if ((d->base.depth > 0 && d->wrote) || !connection_ok(d, d->base.depth == 0) || !generation_table(d)) return UINT64_MAX;
    PGresult *r = PQexec(d->c, "SELECT last_value FROM data_generation");
    uint64_t g = UINT64_MAX;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) g = strtoull(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return g;
}

/* Still "always changed": data_generation would answer (db_generation), but search_query.c asks once per term, and a
 * round trip per term costs what its cache saves. Caches keyed on this (search's term counts) do not keep here. */
static uint64_t pg_version(db *d)
{
    (void)d;
    return UINT64_MAX;
}

/* A statement that changed rows. A data-modifying WITH under a SELECT reads as a SELECT and is not seen: the store
 * writes INSERT/UPDATE/DELETE … RETURNING instead. */
static bool changed_rows(PGresult *r)
{
    const char *st = PQcmdStatus(r), *n = PQcmdTuples(r);
    bool dml = !strncmp(st, "INSERT", 6) || !strncmp(st, "UPDATE", 6) || !strncmp(st, "DELETE", 6) || !strncmp(st, "MERGE", 5);
    return dml && n[0] && strcmp(n, "0");
}

static const char *pg_errmsg(db *d) { return PG(d)->err; }
static bool pg_unavailable(db *d) { return PQstatus(PG(d)->c) != CONNECTION_OK; }

/* A statement that fails inside a transaction has aborted it on the server: later statements would fail anyway, and
 * the commit must say that nothing was written. */
static void failed_in_tx(struct pg *d)
{
    if (d->base.depth > 0) d->base.failed = true;
}

static int pg_exec(db *db, const char *sql)
{
    struct pg *d = PG(db);
    if (!connection_ok(d, d->base.depth == 0)) {
        failed_in_tx(d);
        return -1;
    }
    PGresult *r = PQexec(d->c, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
    if (rc) {
        result_err(d, r);
        failed_in_tx(d);
    } else {
        clear_err(d);
        if (d->base.depth > 0) d->wrote = true;   /* migrations: DDL, and whatever else, counts as a change */
    }
    PQclear(r);
    return rc;
}

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (c & 0x80);
}

/* SQLite's placeholders in PostgreSQL's spelling: '?' takes the number after the largest so far, '?N' is $N. Quoted
 * text is copied as it is: '…' (with '' and, after E, backslash escapes), "…", $tag$…$tag$, -- and nested block
 * comments. Returns the new text (malloc'd) and the number of parameters. */
static char *translate(const char *sql, int *nparams, Oid **types)
{
    size_t len = strlen(sql), q = 0;
    for (const char *p = sql; *p; p++) q += *p == '?';
    char *out = malloc(len + 8 * q + 1), *o = out;   /* '?' → '$' and up to 7 digits */
    if (!out) return NULL;
    int max = 0;
    unsigned char seen[64] = { 0 };   /* numbers 1..512 used; beyond that, assumed used */
    const char *p = sql;
    while (*p) {
        char c = *p;
        if (c == '\'') {
            bool esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
            *o++ = *p++;
            while (*p) {
                if (esc && *p == '\\' && p[1]) { *o++ = *p++; *o++ = *p++; continue; }
                if (*p == '\'') {
                    *o++ = *p++;
                    if (*p == '\'') { *o++ = *p++; continue; }
                    break;
                }
                *o++ = *p++;
            }
        } else if (c == '"') {
            *o++ = *p++;
            while (*p) {
                if (*p == '"') {
                    *o++ = *p++;
                    if (*p == '"') { *o++ = *p++; continue; }
                    break;
                }
                *o++ = *p++;
            }
        } else if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n') *o++ = *p++;
        } else if (c == '/' && p[1] == '*') {
            int depth = 0;
            while (*p) {
                if (p[0] == '/' && p[1] == '*') { depth++; *o++ = *p++; *o++ = *p++; continue; }
                if (p[0] == '*' && p[1] == '/') { *o++ = *p++; *o++ = *p++; if (--depth == 0) break; continue; }
                *o++ = *p++;
            }
        } else if (c == '$' && (p == sql || !ident_char(p[-1])) && !(p[1] >= '0' && p[1] <= '9')) {
            /* A dollar quote's opening tag: $$ or $name$. */
            const char *t = p + 1;
            while (ident_char(*t) && *t != '$') t++;
            if (*t != '$') { *o++ = *p++; continue; }
            size_t tl = (size_t)(t - p) + 1;
            const char *end = t + 1;
            while (*end && strncmp(end, p, tl)) end++;
            const char *stop = *end ? end + tl : end;
            while (p < stop) *o++ = *p++;
        } else if (c == '?') {
            p++;
            int n;
            if (*p >= '0' && *p <= '9') {
                n = 0;
                while (*p >= '0' && *p <= '9' && n < 100000) n = n * 10 + (*p++ - '0');
            } else n = max + 1;
            if (n > max) max = n;
            if (n >= 1 && n <= 512) seen[(n - 1) / 8] |= (unsigned char)(1u << ((n - 1) % 8));   /* ?0: the server refuses $0 */
            o += sprintf(o, "$%d", n);
        } else *o++ = *p++;
    }
    *o = 0;
    *nparams = max;
    *types = NULL;
    for (int n = 1; n <= max && n <= 512; n++)
        if (!(seen[(n - 1) / 8] & (1u << ((n - 1) % 8)))) {
            if (!*types && !(*types = calloc((size_t)max, sizeof **types))) break;
            (*types)[n - 1] = TEXTOID;
        }
    return out;
}

static db_stmt *pg_prepare(db *db, const char *sql)
{
    struct pg *d = PG(db);
    /* Only between transactions; a failed reset leaves the message for db_step's error. */
    if (d->base.depth == 0) connection_ok(d, true);
    for (int i = 0; i < d->ncache; i++) {
        struct pg_stmt *c = d->cache[i];
        if (!c->busy && strcmp(c->sql, sql) == 0) {
            c->busy = true;
            return &c->base;
        }
    }
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (!s) abort();   /* db.h promises a statement; without memory there is nothing sensible to return */
    s->base.owner = db;
    s->sql = strdup(sql);
    s->pgsql = translate(sql, &s->nparams, &s->types);
    s->vals = s->nparams ? calloc((size_t)s->nparams, sizeof *s->vals) : NULL;
    if (!s->sql || !s->pgsql || (s->nparams && !s->vals)) abort();
    s->busy = true;
    s->row = -1;
    if (d->ncache < CACHE_SLOTS) {
        s->cached = true;
        s->id = d->ncache;
        d->cache[d->ncache++] = s;
    }
    return &s->base;
}

static void bind(db_stmt *st, int i, char *v)
{
    struct pg_stmt *s = PS(st);
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
}

static void pg_bind_text(db_stmt *s, int i, const char *v) { bind(s, i, v ? strdup(v) : NULL); }
static void pg_bind_null(db_stmt *s, int i) { bind(s, i, NULL); }

static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, v);
    bind(s, i, strdup(b));
}

static void pg_bind_double(db_stmt *s, int i, double v)
{
    char b[40];
    if (isnan(v)) snprintf(b, sizeof b, "NaN");
    else if (isinf(v)) snprintf(b, sizeof b, "%sInfinity", v < 0 ? "-" : "");
    else
        /* The shortest text that reads back as the same double: 0.1, not 0.10000000000000001. */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(b, sizeof b, "%.*g", prec, v);
            if (strtod(b, NULL) == v) break;
        }
    bind(s, i, strdup(b));
}

/* bytea's hex input form: twice the size on the wire, but text like every other parameter (no binary formats). */
static void pg_bind_blob(db_stmt *s, int i, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *v = malloc(2 * len + 3);
    if (!v) {
        bind(s, i, NULL);
        return;
    }
    v[0] = '\\';
    v[1] = 'x';
    const unsigned char *p = data;
    for (size_t k = 0; k < len; k++) {
        v[2 + 2 * k] = hex[p[k] >> 4];
        v[3 + 2 * k] = hex[p[k] & 15];
    }
    v[2 + 2 * len] = 0;
    bind(s, i, v);
}

static int pg_step(db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    struct pg *d = PG(st->owner);
    if (s->errored) return DB_ERROR;
    if (!s->executed) {
        s->executed = true;
        if (!connection_ok(d, false)) {
            s->errored = true;
            failed_in_tx(d);
            return DB_ERROR;
        }
        /* Typed by the server from context; named the first time a cached statement runs on this connection, so later
         * runs skip parsing and planning (one round trip either way, after the first). */
        char name[24];
        snprintf(name, sizeof name, "dx%d", s->id);
        bool use = d->prepare && s->cached;
        if (use && !s->prepared) {
            PGresult *p = PQprepare(d->c, name, s->pgsql, s->nparams, s->types);
            s->prepared = PQresultStatus(p) == PGRES_COMMAND_OK;
            PQclear(p);
        }
        s->res = use && s->prepared ? PQexecPrepared(d->c, name, s->nparams, (const char *const *)s->vals, NULL, NULL, 0)
                                    : PQexecParams(d->c, s->pgsql, s->nparams, s->types, (const char *const *)s->vals, NULL, NULL, 0);
        ExecStatusType rs = PQresultStatus(s->res);
        if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
            result_err(d, s->res);
            s->errored = true;
            failed_in_tx(d);
            return DB_ERROR;
        }
        clear_err(d);
        /* Outside a transaction the bump waits for pg_bump: most such writes are bookkeeping (rate windows, mail
         * marks) that no cached page shows, and a bump per hit would empty every cache under load. */
        if (changed_rows(s->res)) *(d->base.depth > 0 ? &d->wrote : &d->unbumped) = true;
        s->nrows = rs == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->row = -1;
    }
    if (s->row < s->nrows) s->row++;
    return s->row < s->nrows ? DB_ROW : DB_DONE;
}

static enum kind col_kind(const struct pg_stmt *s, int i)
{
    switch (PQftype(s->res, i)) {
    case INT2OID: case INT4OID: case INT8OID: return K_INT;
    case FLOAT4OID: case FLOAT8OID: return K_REAL;
    case NUMERICOID: return K_NUMERIC;
    case BOOLOID: return K_BOOL;
    default: return K_TEXT;
    }
}

/* Whether a cell exists: columns are read only on a row, as with SQLite. */
static bool cell(const struct pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static int pg_cols(db_stmt *s) { return PS(s)->res ? PQnfields(PS(s)->res) : 0; }

static const char *pg_col_name(db_stmt *s, int i)
{
    const char *n = PS(s)->res ? PQfname(PS(s)->res, i) : NULL;
    return n ? n : "";
}

static bool pg_col_is_null(db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    return !cell(s, i) || PQgetisnull(s->res, s->row, i);
}

static const char *pg_col_text(db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    if (pg_col_is_null(st, i)) return NULL;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (col_kind(s, i) == K_BOOL) return v[0] == 't' ? "1" : "0";
    return v;
}

static int64_t pg_col_int(db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    if (pg_col_is_null(st, i)) return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    switch (col_kind(s, i)) {
    case K_BOOL: return v[0] == 't';
    case K_REAL: case K_NUMERIC: return (int64_t)strtod(v, NULL);
    default: return strtoll(v, NULL, 10);
    }
}

static double pg_col_double(db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    if (pg_col_is_null(st, i)) return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    return col_kind(s, i) == K_BOOL ? (v[0] == 't') : strtod(v, NULL);
}

/* numeric is what SUM over bigint and arithmetic on numeric give: a whole one stays an integer, as SQLite's would be
 * (NaN and infinities fall to null, as jansson has no JSON for them). */
static json_t *pg_col_json(db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    if (pg_col_is_null(st, i)) return json_null();
    const char *v = PQgetvalue(s->res, s->row, i);
    switch (col_kind(s, i)) {
    case K_INT: return json_integer(strtoll(v, NULL, 10));
    case K_BOOL: return json_integer(v[0] == 't');
    case K_REAL: return json_real(strtod(v, NULL));
    case K_NUMERIC: {
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (!*end && end != v && !errno) return json_integer(n);
        return json_real(strtod(v, NULL));
    }
    default: return json_string(v);
    }
}

static unsigned char *pg_col_blob(db_stmt *st, int i, size_t *len)
{
    struct pg_stmt *s = PS(st);
    *len = 0;
    if (pg_col_is_null(st, i)) return NULL;
    size_t n = 0;
    unsigned char *u = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i), &n);
    if (!u) return NULL;
    /* libpq's buffer must go back through PQfreemem; the caller frees with free(). */
    unsigned char *out = malloc(n + 1);
    if (out && n) memcpy(out, u, n);
    PQfreemem(u);
    if (out) *len = n;
    return out;
}

static void pg_done(db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    if (!s->cached) {
        stmt_free(s);
        return;
    }
    PQclear(s->res);
    s->res = NULL;
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
    }
    s->executed = s->errored = false;
    s->row = -1;
    s->nrows = 0;
    s->busy = false;
}

/* BEGIN, then the write lock: every dxday write transaction, on every node, takes the same advisory lock, so a
 * check-then-write sequence sees no other writer in between (SQLite's BEGIN IMMEDIATE). It must stay READ COMMITTED:
 * each statement after the lock then sees what the previous holder committed; a snapshot taken at the lock's SELECT
 * (REPEATABLE READ) would not. The lock ends with the transaction, so a pooler or a lost client cannot leak it. */
static int pg_begin(db *db)
{
    struct pg *d = PG(db);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (!connection_ok(d, true)) return DB_TX_ERROR;
        char sql[sizeof BEGIN_FOR_SQL + 16];
        if (d->base.owner) snprintf(sql, sizeof sql, BEGIN_FOR_SQL, (int)(int32_t)(uint32_t)d->base.owner);
        PGresult *r = PQexec(d->c, d->base.owner ? sql : BEGIN_SQL);
        if (PQresultStatus(r) == PGRES_TUPLES_OK) {
            PQclear(r);
            clear_err(d);
            d->wrote = false;
            return DB_TX_OK;
        }
        result_err(d, r);
        bool busy = sqlstate_busy(r);
        PQclear(r);
        /* A connection the server dropped since the last statement shows only now: nothing was begun, so try once
         * more on a new one. */
        if (PQstatus(d->c) != CONNECTION_OK && attempt == 0) continue;
        if (PQtransactionStatus(d->c) != PQTRANS_IDLE && PQstatus(d->c) == CONNECTION_OK) {
            PGresult *rb = PQexec(d->c, "ROLLBACK");
            PQclear(rb);
        }
        if (busy) set_err(d, "cơ sở dữ liệu đang bận: một giao dịch ghi khác giữ khoá quá 5 giây");
        return busy ? DB_TX_BUSY : DB_TX_ERROR;
    }
    return DB_TX_ERROR;
}

/* A transaction that changed rows moves data_generation on right after its COMMIT, in the same round trip: a node that
 * reads the number after the writer's answer (db_generation, once per request) drops what it cached. After, not inside:
 * a reader that saw the old number may have cached the old data, which the new number then voids; one that saw the new
 * number also sees the data. A sequence, not a row: nextval takes no lock that would make writers of different learners
 * (db_begin_for) wait for each other's WAL flush. LISTEN/NOTIFY would spare the read, but a notice reaches the other
 * nodes some time after the commit, and a read on B right after A's 201 must already see the write. If the server is
 * lost between the two, other nodes' caches still expire within their second. */
static int pg_commit(db *db)
{
    struct pg *d = PG(db);
    bool bump = d->wrote && generation_table(d);
    d->wrote = false;
    if (!PQsendQuery(d->c, bump ? "COMMIT; SELECT nextval('data_generation')" : "COMMIT")) {
        set_err(d, PQerrorMessage(d->c));
        return DB_TX_ERROR;
    }
    int rc = DB_TX_OK;
    bool first = true;
    for (PGresult *r; (r = PQgetResult(d->c)); PQclear(r), first = false) {
        if (!first || rc != DB_TX_OK) continue;   /* the bump's result; or what follows a failed COMMIT */
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            result_err(d, r);
            rc = sqlstate_busy(r) ? DB_TX_BUSY : DB_TX_ERROR;
        } else if (strcmp(PQcmdStatus(r), "COMMIT")) {
            /* The server answers COMMIT to an aborted transaction with ROLLBACK, and no error. */
            set_err(d, "giao dịch đã bị huỷ vì một câu lệnh lỗi; không có gì được ghi");
            rc = DB_TX_ERROR;
        } else clear_err(d);
    }
    return rc;
}

static void pg_rollback(db *db)
{
    struct pg *d = PG(db);
    if (PQstatus(d->c) != CONNECTION_OK || PQtransactionStatus(d->c) == PQTRANS_IDLE) return;
    PGresult *r = PQexec(d->c, "ROLLBACK");
    if (PQresultStatus(r) == PGRES_COMMAND_OK) clear_err(d);
    PQclear(r);
}

/* db_generation_bump: the writes made outside a transaction since the last bump, counted at once. */
static int pg_bump(db *db)
{
    struct pg *d = PG(db);
    if (!d->unbumped || d->base.depth > 0) return 0;
    if (!connection_ok(d, true) || !generation_table(d)) return -1;
    PGresult *r = PQexec(d->c, "SELECT nextval('data_generation')");
    int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
    if (rc) result_err(d, r);
    else d->unbumped = false;
    PQclear(r);
    return rc;
}

static const struct db_engine pg_engine = {
    .name = "postgresql", .close = pg_close, .errmsg = pg_errmsg, .exec = pg_exec, .prepare = pg_prepare,
    .bind_text = pg_bind_text, .bind_int = pg_bind_int, .bind_double = pg_bind_double, .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob, .col_blob = pg_col_blob,
    .step = pg_step, .cols = pg_cols, .col_name = pg_col_name, .col_text = pg_col_text, .col_int = pg_col_int,
    .col_double = pg_col_double, .col_is_null = pg_col_is_null, .col_json = pg_col_json, .done = pg_done,
    .unavailable = pg_unavailable,
    .begin = pg_begin, .commit = pg_commit, .rollback = pg_rollback, .version = pg_version, .generation = pg_generation,
    .bump = pg_bump,
};
