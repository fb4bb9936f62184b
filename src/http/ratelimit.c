/* Per-address request budgets for public endpoints that cost real work (the assistant): a fixed window per
 * address in a small table, so one client cannot starve the others. Shared by all threads behind one lock.
 * Must not be the only guard of anything that matters across nodes: it counts per process. */
#include "http/app.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096

static struct { char key[80]; time_t window; int count; } slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

int ratelimit_take(const char *bucket, const char *ip, int per_minute)
{
    char key[80];
    snprintf(key, sizeof key, "%s|%s", bucket, ip);
    unsigned h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    time_t now = time(NULL), window = now / 60;
    pthread_mutex_lock(&mu);
    /* A colliding address takes the slot over: at worst two clients share a budget for a minute. */
    if (strcmp(slots[h % SLOTS].key, key) || slots[h % SLOTS].window != window) {
        snprintf(slots[h % SLOTS].key, sizeof slots[0].key, "%s", key);
        slots[h % SLOTS].window = window;
        slots[h % SLOTS].count = 0;
    }
    int wait = ++slots[h % SLOTS].count > per_minute ? (int)(60 - now % 60) : 0;
    pthread_mutex_unlock(&mu);
    return wait;
}
