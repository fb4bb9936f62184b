/* Health of the store for /healthz: one count over the migration table, which also proves the schema is there. Must
 * not write, nor take longer than a probe waits. */
#include "store/health.h"

int64_t store_health_migrations(db *d)
{
    int64_t n = db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM schema_migration"), -1);
    return db_failed(d) ? -1 : n;
}
