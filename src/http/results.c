/* Store results kept by what was asked: citizens ask the assistant and the search box the same things in many spellings,
 * and coordinators reload the dashboard; a result is stored under a key (the folded question, the year, the unit…)
 * and reused until any write (cache generation: every node's on PostgreSQL) or its caller's age limit (on SQLite,
 * writes from the command line do not count as generations); past the age limit one request recomputes it while the
 * others get the aged copy. Must keep only store results: authorisation, rate
 * limits and rendering run on every request. */
#include "http/app.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 2048
/* No caller keeps a result longer than this, so older entries are garbage whatever their generation. */
#define MAX_AGE_MS 60000
/* What all kept results may weigh in memory (weight_of): a coordinator walking through every province's drill-down,
 * or citizens searching a thousand different words, must not grow the server without bound. Counted as their compact
 * JSON, jansson's objects took 2.4-2.7 times the budget (a server of 100,000 passages held ~45 MB of search results). */
#define BUDGET_BYTES (16u << 20)

/* refreshing: until when one request is computing this key again after its age ran out (see results_get). used: read
 * since the clock hand last passed it (see make_room). */
struct slot { char *key; json_t *value; uint64_t gen; int64_t at_ms; size_t bytes; int64_t refreshing; bool used; };
/* How long the others are served the aged copy while one request recomputes it; a request that fails to put its
 * result gives the turn back after this. */
#define REFRESH_MS 5000

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
/* door: keys turned away once while the cache was full, by hash (see results_put). */
#define DOOR 4096
struct result_cache {
    pthread_mutex_t mu; struct slot s[SLOTS]; size_t bytes; uint64_t swept_gen; int64_t swept_at; size_t hand;
    uint32_t door[DOOR];
};

static void drop(struct result_cache *c, struct slot *s)
{
    c->bytes -= s->bytes;
    free(s->key);
    json_decref(s->value);
    *s = (struct slot){ 0 };
}

/* Frees what can no longer be served: entries of an earlier generation or past every caller's age limit. Runs at most
 * once per write and once a second, under the lock, over the slots only. */
static void sweep(struct result_cache *c, uint64_t gen, int64_t now)
{
    if (c->swept_gen == gen && now - c->swept_at < 1000) return;
    for (int i = 0; i < SLOTS; i++)
        if (c->s[i].key && (c->s[i].gen != gen || now - c->s[i].at_ms >= MAX_AGE_MS)) drop(c, &c->s[i]);
    c->swept_gen = gen;
    c->swept_at = now;
}

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

static uint32_t hash_of(const char *key)
{
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static struct slot *slot_of(struct result_cache *c, const char *key) { return &c->s[hash_of(key) % SLOTS]; }

/* Copies in and out under the lock: jansson's reference counts are not atomic, so no object is shared by threads. */
json_t *results_get(struct req *r, const char *key, int max_age_ms)
{
    struct result_cache *c = r->app->results;
    if (!c || !key) return NULL;
    struct slot *s = slot_of(c, key);
    uint64_t gen = cache_generation(r);
    if (gen == UINT64_MAX) return NULL;
    int64_t now = now_ms();
    json_t *v = NULL;
    pthread_mutex_lock(&c->mu);
    if (s->key && !strcmp(s->key, key) && s->gen == gen && now - s->at_ms < MAX_AGE_MS) {
        /* Past its caller's age limit but of this generation (no write known since): the first request to see it so
         * recomputes it, and the others meanwhile get the aged copy, rather than every request of a busy page
         * recomputing at once each time the limit runs out. A write (a new generation) is never served stale. */
        if (now - s->at_ms < max_age_ms || now < s->refreshing) v = json_deep_copy(s->value), s->used = true;
        else s->refreshing = now + REFRESH_MS;
    }
    pthread_mutex_unlock(&c->mu);
    return v;
}

json_t *results_get_live(struct req *r, const char *key, int max_age_ms, int lag_ms)
{
    struct result_cache *c = r->app->results;
    if (!c || !key) return NULL;
    struct slot *s = slot_of(c, key);
    uint64_t gen = cache_generation(r);
    if (gen == UINT64_MAX) return NULL;
    int64_t now = now_ms();
    json_t *v = NULL;
    pthread_mutex_lock(&c->mu);
    if (s->key && !strcmp(s->key, key) && now - s->at_ms < MAX_AGE_MS) {
        /* No "one request refreshes" turn here: the caller's lock makes the others wait for the one that recomputes. */
        if (now - s->at_ms < (s->gen == gen ? max_age_ms : lag_ms)) v = json_deep_copy(s->value), s->used = true;
    }
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* malloc's chunk for n bytes: a size word, rounded up to 16. */
static size_t chunk(size_t n) { return (n + 8 + 15) & ~(size_t)15; }

/* What a value takes in jansson's objects, within a tenth (checked against malloc's own count on search results
 * and answers): a walk over the tree, where measuring its compact JSON serialised all of it (~120 µs for a search
 * page, as long as sending it). */
static size_t weight_of(json_t *v)
{
    size_t w = 0, i;
    const char *k;
    json_t *x;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        for (i = 8; i <= json_object_size(v); i *= 2) {}
        w = chunk(72) + chunk(16 * i);   /* the object and its buckets, doubled as it grows */
        json_object_foreach(v, k, x) w += chunk(48 + strlen(k) + 1) + weight_of(x);
        return w;
    case JSON_ARRAY:
        w = chunk(40) + chunk(8 * (json_array_size(v) < 8 ? 8 : json_array_size(v)));
        json_array_foreach(v, i, x) w += weight_of(x);
        return w;
    case JSON_STRING: return chunk(32) + chunk(json_string_length(v) + 1);
    case JSON_INTEGER:
    case JSON_REAL: return chunk(24);
    default: return 0;   /* true, false and null are shared */
    }
}

/* A full cache makes room for a new result (the newest is the likeliest to be asked again) by the clock: the hand
 * goes round the slots dropping what nobody read since it last passed, and sparing once what was read. Refusing the
 * newcomer instead kept the first results of a busy minute and none of what was asked again after them: citizens'
 * one-off questions filled it within a second, and the ones asked all day could not get in. */
static void make_room(struct result_cache *c, struct slot *keep, size_t bytes)
{
    for (int turns = 0; c->bytes + bytes > BUDGET_BYTES && turns < 2 * SLOTS; turns++) {
        struct slot *e = &c->s[c->hand];
        c->hand = (c->hand + 1) % SLOTS;
        if (!e->key || e == keep) continue;
        if (e->used) e->used = false;
        else drop(c, e);
    }
}

void results_put(struct req *r, const char *key, json_t *value)
{
    struct result_cache *c = r->app->results;
    size_t bytes = c && key && value && cache_generation(r) != UINT64_MAX ? weight_of(value) + chunk(strlen(key) + 1) : 0;
    if (!bytes || bytes > BUDGET_BYTES / 8) {   /* nothing to keep, or one result would crowd out the rest */
        /* Nor the aged copy others are being served while this request recomputed it. */
        if (c && key) {
            struct slot *old = slot_of(c, key);
            pthread_mutex_lock(&c->mu);
            if (old->key && !strcmp(old->key, key)) drop(c, old);
            pthread_mutex_unlock(&c->mu);
        }
        return;
    }
    /* A full cache lets a result in the second time it comes (or when it replaces its own aged copy): one-off
     * searches and questions, most of what comes, then cost neither a copy nor another result its place. */
    struct slot *s = slot_of(c, key);
    uint32_t h = hash_of(key) | 1, *door = &c->door[(h >> 11) % DOOR];
    pthread_mutex_lock(&c->mu);
    bool admit = c->bytes + bytes <= BUDGET_BYTES || *door == h || (s->key && !strcmp(s->key, key));
    *door = admit ? 0 : h;
    pthread_mutex_unlock(&c->mu);
    if (!admit) return;
    json_t *copy = json_deep_copy(value);
    char *k = copy ? strdup(key) : NULL;
    if (!k) { json_decref(copy); return; }
    uint64_t gen = cache_generation(r);
    int64_t now = now_ms();
    pthread_mutex_lock(&c->mu);
    sweep(c, gen, now);
    if (s->key) drop(c, s);
    make_room(c, s, bytes);
    if (c->bytes + bytes <= BUDGET_BYTES) {
        *s = (struct slot){ k, copy, gen, now, bytes, 0, false };
        c->bytes += bytes;
        k = NULL;
        copy = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    free(k);
    json_decref(copy);
}
