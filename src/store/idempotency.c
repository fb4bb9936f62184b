/* Answers kept by Idempotency-Key (see idempotency.h): one row per caller and key, a day long.
 * Must not decide what is replayable: the server only offers answers of writes that were committed. */
#include "store/idempotency.h"
#include <time.h>

json_t *store_idempotency_get(db *d, const char *scope, const char *key)
{
    db_stmt *s = db_prepare(d, "SELECT method, path, status, ctype, location, body FROM idempotency_key "
                               "WHERE scope = ? AND key = ? AND created_at > ?");
    db_bind_text(s, 1, scope);
    db_bind_text(s, 2, key);
    db_bind_int(s, 3, (int64_t)time(NULL) - IDEMPOTENCY_TTL_S);
    return db_row(s);
}

int store_idempotency_put(db *d, const char *scope, const char *key, const char *method, const char *path, int status,
                          const char *ctype, const char *location, const char *body)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d, "DELETE FROM idempotency_key WHERE created_at <= ?");
    db_bind_int(s, 1, now - IDEMPOTENCY_TTL_S);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    s = db_prepare(d, "INSERT INTO idempotency_key (scope, key, method, path, status, ctype, location, body, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET method = excluded.method, "
                      "path = excluded.path, status = excluded.status, ctype = excluded.ctype, location = excluded.location, "
                      "body = excluded.body, created_at = excluded.created_at");
    db_bind_text(s, 1, scope);
    db_bind_text(s, 2, key);
    db_bind_text(s, 3, method);
    db_bind_text(s, 4, path);
    db_bind_int(s, 5, status);
    db_bind_text(s, 6, ctype);
    db_bind_text(s, 7, location);
    db_bind_text(s, 8, body);
    db_bind_int(s, 9, now);
    rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}
