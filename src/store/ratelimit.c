/* Rate windows in the database, so that a budget holds however many nodes a client's requests reach: one upsert per
 * hit, its count returned. Must not run inside a caller's transaction (a hit is not undone with it) nor on SQLite. */
#include "store/ratelimit.h"
#include <stdatomic.h>
#include <string.h>

/* The last minute this process swept old windows in: one DELETE per process and minute is plenty. */
static _Atomic int64_t swept_minute;

int64_t store_ratelimit_hit(db *d, const char *bucket, const char *client, int64_t minute)
{
    /* SQLite is served by one process: its in-memory windows are exact, and a write per hit would queue behind every
     * other writer on the file's one lock. Only PostgreSQL has nodes to share a count with. */
    if (strcmp(db_engine(d), "postgresql")) return 0;
    db_stmt *s = db_prepare(d, "INSERT INTO rate_window (bucket, client, win, hits) VALUES (?, ?, ?, 1) "
                               "ON CONFLICT (bucket, client, win) DO UPDATE SET hits = rate_window.hits + 1 RETURNING hits");
    db_bind_text(s, 1, bucket);
    db_bind_text(s, 2, client);
    db_bind_int(s, 3, minute);
    int64_t n = db_scalar_int(s, -1);
    if (db_failed(d)) return -1;
    int64_t last = atomic_load(&swept_minute);
    if (last != minute && atomic_compare_exchange_strong(&swept_minute, &last, minute)) {
        s = db_prepare(d, "DELETE FROM rate_window WHERE win < ?");
        db_bind_int(s, 1, minute);
        db_step(s);   /* a sweep that fails is tried again next minute; the count above stands */
        db_done(s);
    }
    return n;
}
