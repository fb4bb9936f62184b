/* Schema migrations (numbered SQL files compiled into the binary) and the reference data loaded with them.
 * Must not load demo data: that is seed.c's job. */
#ifndef DXDAY_MIGRATE_H
#define DXDAY_MIGRATE_H
#include "store/db.h"

/* Applies every migration not yet applied, each in its own transaction, then (re)loads org units when
 * data/orgs.tsv changed and adds missing campaigns. Returns 0, or -1 with a message on stderr. */
int store_migrate(db *d);
#endif
