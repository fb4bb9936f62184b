/* The store's answer to a load balancer's "are you there?": whether the database answers and is migrated. Must stay a
 * cheap read: /healthz is polled every few seconds. */
#ifndef DXDAY_STORE_HEALTH_H
#define DXDAY_STORE_HEALTH_H
#include "store/db.h"

/* How many migrations the database has applied, or -1 when it does not answer. */
int64_t store_health_migrations(db *d);
#endif
