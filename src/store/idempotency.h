/* Replayable answers to state-changing requests, by the caller's Idempotency-Key. The caller records the answer in
 * the same transaction as the change it answers. Must not know about HTTP beyond the fields it keeps. */
#ifndef DXDAY_STORE_IDEMPOTENCY_H
#define DXDAY_STORE_IDEMPOTENCY_H
#include "store/db.h"

#define IDEMPOTENCY_TTL_S 86400

/* The kept answer {method, path, status, ctype, location, body} for scope and key, or NULL (none, or expired). */
json_t *store_idempotency_get(db *d, const char *scope, const char *key);
/* Keeps an answer; drops answers older than a day first. 0 or -1. */
int store_idempotency_put(db *d, const char *scope, const char *key, const char *method, const char *path, int status,
                          const char *ctype, const char *location, const char *body);
#endif
