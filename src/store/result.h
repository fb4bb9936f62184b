/* The store's one answer to "did it work": ok, not found, conflict, invalid (with a message per field), busy or error,
 * with a Vietnamese message for people. Must not know about HTTP: web/ maps it to a status in one place (req_result). */
#ifndef DXDAY_STORE_RESULT_H
#define DXDAY_STORE_RESULT_H
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include "store/db.h"

enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND,   /* the record named does not exist (never for a database error) */
    STORE_CONFLICT,    /* the record's state forbids it: already decided, locked, a duplicate */
    STORE_INVALID,     /* the input is wrong: see fields */
    STORE_FORBIDDEN,   /* a rule of the data refuses this caller (e.g. approving one's own report) */
    STORE_BUSY,        /* another writer held the store: nothing was written, try again */
    STORE_ERROR,       /* the engine failed: nothing was written; the engine's message is in detail */
};

struct store_result {
    enum store_status status;
    char message[256];   /* for people, in Vietnamese; empty means the status's usual words */
    char detail[256];    /* for the log: the engine's message on STORE_ERROR */
    json_t *fields;      /* STORE_INVALID: {"field": "message"}; owned by the result */
};

#define STORE_RESULT_OK ((struct store_result){ .status = STORE_OK })

/* Sets res (when not NULL) and returns status, so a store function can `return store_fail(res, ...)`. */
static inline enum store_status store_fail(struct store_result *res, enum store_status status, const char *fmt, ...)
{
    if (!res) return status;
    res->status = status;
    res->message[0] = 0;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(res->message, sizeof res->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* A per-field message for STORE_INVALID; the result owns the object. */
static inline void store_field(struct store_result *res, const char *field, const char *message)
{
    if (!res) return;
    if (!res->fields) res->fields = json_object();
    json_object_set_new(res->fields, field, json_string(message));
    res->status = STORE_INVALID;
}

/* STORE_BUSY when the engine said another writer held the store (db_locked), else STORE_ERROR with its message. */
static inline enum store_status store_fail_db(struct store_result *res, db *d)
{
    enum store_status st = db_locked(d) ? STORE_BUSY : STORE_ERROR;
    if (res) {
        store_fail(res, st, NULL);
        snprintf(res->detail, sizeof res->detail, "%s", db_errmsg(d));
    }
    return st;
}

/* db_begin that, when the store is busy or broken, fills res and closes the level it opened: the caller just returns. */
static inline enum store_status store_begin(db *d, struct store_result *res)
{
    if (!db_begin(d)) return STORE_OK;
    enum store_status st = store_fail_db(res, d);
    db_rollback(d);
    return st;
}

static inline void store_result_free(struct store_result *res)
{
    if (res) { json_decref(res->fields); res->fields = NULL; }
}
#endif
