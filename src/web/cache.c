/* A small cache of whole anonymous responses (home page, directory, campaigns). Entries live one second or
 * until any write, whichever comes first, so a reader never sees a page older than that.
 * Must not hold pages for signed-in users: the server only offers anonymous GETs. */
#include "web/app.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 64
#define TTL_NS 1000000000LL

struct entry { char *key; char *body; size_t len; const char *ctype; char etag[40]; int64_t at; uint64_t gen; };
struct page_cache { pthread_rwlock_t mu; struct entry e[SLOTS]; uint64_t gen; };

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned slot(const char *key)
{
    unsigned h = 2166136261u;
    for (; *key; key++) h = (h ^ (unsigned char)*key) * 16777619u;
    return h % SLOTS;
}

struct page_cache *cache_new(void)
{
    struct page_cache *c = calloc(1, sizeof *c);
    pthread_rwlock_init(&c->mu, NULL);
    return c;
}

void cache_free(struct page_cache *c)
{
    if (!c) return;
    for (int i = 0; i < SLOTS; i++) { free(c->e[i].key); free(c->e[i].body); }
    pthread_rwlock_destroy(&c->mu);
    free(c);
}

bool cache_get(struct page_cache *c, const char *key, char **body, size_t *len, const char **ctype, char *etag)
{
    bool hit = false;
    pthread_rwlock_rdlock(&c->mu);
    struct entry *e = &c->e[slot(key)];
    if (e->key && e->gen == c->gen && now_ns() - e->at < TTL_NS && strcmp(e->key, key) == 0) {
        *body = malloc(e->len + 1);
        memcpy(*body, e->body, e->len + 1);
        *len = e->len;
        *ctype = e->ctype;
        strcpy(etag, e->etag);
        hit = true;
    }
    pthread_rwlock_unlock(&c->mu);
    return hit;
}

void cache_put(struct page_cache *c, const char *key, const char *body, size_t len, const char *ctype, const char *etag)
{
    pthread_rwlock_wrlock(&c->mu);
    struct entry *e = &c->e[slot(key)];
    free(e->key);
    free(e->body);
    e->key = strdup(key);
    e->body = malloc(len + 1);
    memcpy(e->body, body, len);
    e->body[len] = 0;
    e->len = len;
    e->ctype = ctype;
    strncpy(e->etag, etag, sizeof e->etag - 1);
    e->at = now_ns();
    e->gen = c->gen;
    pthread_rwlock_unlock(&c->mu);
}

uint64_t cache_generation(struct page_cache *c)
{
    pthread_rwlock_rdlock(&c->mu);
    uint64_t g = c->gen;
    pthread_rwlock_unlock(&c->mu);
    return g;
}

void cache_invalidate(struct page_cache *c)
{
    pthread_rwlock_wrlock(&c->mu);
    c->gen++;
    pthread_rwlock_unlock(&c->mu);
}
