/* A small cache of whole anonymous responses (home page, directory, campaigns). Entries live one second or
 * until any write, whichever comes first, so a reader never sees a page older than that; a second instance keeps
 * public documents (certificates, the yearly report) for minutes. Must not hold what belongs to one visitor: the
 * server offers only anonymous GETs and documents that are the same for everyone. */
#include "http/app.h"
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SLOTS 64
#define MAX_BODY_KEPT (4 << 20)

#define MAX_HEADERS 8
struct entry {
    char *key; char *body; size_t len; const char *ctype; char etag[40]; int64_t at; uint64_t gen;
    struct header h[MAX_HEADERS]; int nh;
};
struct page_cache { pthread_rwlock_t mu; struct entry e[SLOTS]; uint64_t gen; int64_t ttl_ns; bool follows_writes; };

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

static void drop_headers(struct entry *e)
{
    for (int i = 0; i < e->nh; i++) { free(e->h[i].name); free(e->h[i].value); }
    e->nh = 0;
}

struct page_cache *cache_new(int ttl_ms, bool follows_writes)
{
    struct page_cache *c = calloc(1, sizeof *c);
    c->ttl_ns = (int64_t)ttl_ms * 1000000LL;
    c->follows_writes = follows_writes;
    pthread_rwlock_init(&c->mu, NULL);
    return c;
}

void cache_free(struct page_cache *c)
{
    if (!c) return;
    for (int i = 0; i < SLOTS; i++) { free(c->e[i].key); free(c->e[i].body); drop_headers(&c->e[i]); }
    pthread_rwlock_destroy(&c->mu);
    free(c);
}

bool cache_get(struct page_cache *c, const char *key, struct req *r, char *etag)
{
    bool hit = false;
    pthread_rwlock_rdlock(&c->mu);
    struct entry *e = &c->e[slot(key)];
    if (e->key && (!c->follows_writes || e->gen == c->gen) && now_ns() - e->at < c->ttl_ns && strcmp(e->key, key) == 0) {
        free(r->body);
        r->body = malloc(e->len + 1);
        memcpy(r->body, e->body, e->len + 1);
        r->body_len = e->len;
        r->ctype = e->ctype;
        for (int i = 0; i < e->nh; i++) req_header(r, e->h[i].name, e->h[i].value);
        strcpy(etag, e->etag);
        hit = true;
    }
    pthread_rwlock_unlock(&c->mu);
    return hit;
}

void cache_put(struct page_cache *c, const char *key, const struct req *r, const char *etag)
{
    if (r->body_len > MAX_BODY_KEPT) return;
    pthread_rwlock_wrlock(&c->mu);
    struct entry *e = &c->e[slot(key)];
    free(e->key);
    free(e->body);
    drop_headers(e);
    e->key = strdup(key);
    e->body = malloc(r->body_len + 1);
    memcpy(e->body, r->body, r->body_len);
    e->body[r->body_len] = 0;
    e->len = r->body_len;
    e->ctype = r->ctype;
    /* Cookies are per visitor: a response that sets one is not cached at all (see server.c), and none is kept here;
     * the server sets caching headers itself on every answer from the cache. */
    for (int i = 0; i < r->nheaders && e->nh < MAX_HEADERS; i++)
        if (strcasecmp(r->headers[i].name, "Set-Cookie") && strcasecmp(r->headers[i].name, "Cache-Control"))
            e->h[e->nh++] = (struct header){ strdup(r->headers[i].name), strdup(r->headers[i].value) };
    snprintf(e->etag, sizeof e->etag, "%s", etag);
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
