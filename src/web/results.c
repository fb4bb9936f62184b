/* Store results kept by what was asked: citizens ask the assistant and the search box the same things in many spellings,
 * and coordinators reload the dashboard; a result is stored under a key (the folded question, the year, the unit…)
 * and reused until any write (cache generation) or its caller's age limit (writes from the command line do not count
 * as generations). Must keep only store results: authorisation, rate limits and rendering run on every request. */
#include "web/app.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 2048

struct slot { char *key; json_t *value; uint64_t gen; int64_t at_ms; };

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
struct result_cache { pthread_mutex_t mu; struct slot s[SLOTS]; };

struct result_cache *results_new(void)
{
    struct result_cache *c = calloc(1, sizeof *c);
    if (c) pthread_mutex_init(&c->mu, NULL);
    return c;
}

void results_free(struct result_cache *c)
{
    if (!c) return;
    for (int i = 0; i < SLOTS; i++) { free(c->s[i].key); json_decref(c->s[i].value); }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct slot *slot_of(struct result_cache *c, const char *key)
{
    unsigned h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return &c->s[h % SLOTS];
}

/* Copies in and out under the lock: jansson's reference counts are not atomic, so no object is shared by threads. */
json_t *results_get(struct req *r, const char *key, int max_age_ms)
{
    struct result_cache *c = r->app->results;
    if (!c || !key) return NULL;
    struct slot *s = slot_of(c, key);
    uint64_t gen = cache_generation(r->app->cache);
    int64_t now = now_ms();
    json_t *v = NULL;
    pthread_mutex_lock(&c->mu);
    if (s->key && !strcmp(s->key, key) && s->gen == gen && now - s->at_ms < max_age_ms) v = json_deep_copy(s->value);
    pthread_mutex_unlock(&c->mu);
    return v;
}

void results_put(struct req *r, const char *key, json_t *value)
{
    struct result_cache *c = r->app->results;
    json_t *copy = c && key && value ? json_deep_copy(value) : NULL;
    char *k = copy ? strdup(key) : NULL;
    if (!k) { json_decref(copy); return; }
    struct slot *s = slot_of(c, key);
    uint64_t gen = cache_generation(r->app->cache);
    pthread_mutex_lock(&c->mu);
    free(s->key);
    json_decref(s->value);
    *s = (struct slot){ k, copy, gen, now_ms() };
    pthread_mutex_unlock(&c->mu);
}
