/* Per-address request budgets for public endpoints that cost real work (the assistant, sign-ups, documents): a fixed
 * window per address and minute, so one client cannot starve the others. On PostgreSQL the windows are rows that
 * every node counts in (store/ratelimit.c); on SQLite (one process), and whenever the database cannot count, a small
 * table in memory shared by all threads behind one lock. Must not be the only guard of anything that must hold exactly:
 * a database that fails to count falls back to this process's own count. */
#include "http/app.h"
#include "store/ratelimit.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096

static struct { char key[80]; time_t window; int count; } slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int64_t local_hit(const char *bucket, const char *ip, time_t window)
{
    char key[80];
    snprintf(key, sizeof key, "%s|%s", bucket, ip);
    unsigned h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    pthread_mutex_lock(&mu);
    /* A colliding address takes the slot over: at worst two clients share a budget for a minute. */
    if (strcmp(slots[h % SLOTS].key, key) || slots[h % SLOTS].window != window) {
        snprintf(slots[h % SLOTS].key, sizeof slots[0].key, "%s", key);
        slots[h % SLOTS].window = window;
        slots[h % SLOTS].count = 0;
    }
    int64_t n = ++slots[h % SLOTS].count;
    pthread_mutex_unlock(&mu);
    return n;
}

int ratelimit_take(db *d, const char *bucket, const char *ip, int per_minute)
{
    time_t now = time(NULL), window = now / 60;
    int64_t n = d ? store_ratelimit_hit(d, bucket, ip, window) : 0;
    if (n <= 0) n = local_hit(bucket, ip, window);
    return n > per_minute ? (int)(60 - now % 60) : 0;
}
