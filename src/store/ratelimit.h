/* Request budgets shared by every node on one database: hits counted per bucket, client and minute in rate_window.
 * Must not decide what a budget is nor answer HTTP: web/ratelimit.c does, and counts in memory where this cannot. */
#ifndef DXDAY_STORE_RATELIMIT_H
#define DXDAY_STORE_RATELIMIT_H
#include <stdint.h>
#include "store/db.h"

/* Counts one hit of client in bucket during `minute` (unix seconds / 60), outside any transaction; returns the hits so
 * far in that minute, counted by every node. 0 when the engine needs no shared count (SQLite: one process, which
 * counts in memory faster than a write would), -1 on an error (the caller counts in memory then). */
int64_t store_ratelimit_hit(db *d, const char *bucket, const char *client, int64_t minute);
#endif
