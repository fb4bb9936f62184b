/* A small cache of whole anonymous responses (home page, directory, campaigns). Entries live one second or
 * until any write, whichever comes first, so a reader never sees a page older than that; a second instance keeps
 * public documents (certificates, the yearly report) for minutes. "Any write" is the database's generation when it
 * keeps one (PostgreSQL: every node's writes), else this process's own count. Must not hold what belongs to one
 * visitor: the server offers only anonymous GETs and documents that are the same for everyone. */
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
    uint64_t gen = c->follows_writes ? cache_generation(r) : 0;
    if (gen == UINT64_MAX) return false;
    bool hit = false;
    pthread_rwlock_rdlock(&c->mu);
    struct entry *e = &c->e[slot(key)];
    if (e->key && (!c->follows_writes || e->gen == gen) && now_ns() - e->at < c->ttl_ns && strcmp(e->key, key) == 0) {
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
    /* On PostgreSQL the generation read before the handler ran: a write that lands while it runs leaves this entry
     * behind. */
    uint64_t gen = c->follows_writes ? cache_generation((struct req *)r) : 0;
    if (r->body_len > MAX_BODY_KEPT || gen == UINT64_MAX) return;
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
    e->gen = gen;
    pthread_rwlock_unlock(&c->mu);
}

/* The database's number is read once per request, at its first cache lookup: on PostgreSQL a round trip, so that a
 * write committed on any node before this request began is never answered from a cache (see pg_commit for why not
 * LISTEN/NOTIFY), and a put tags its entry with the number read before the handler ran. SQLite keeps no shared number
 * (one process): the page cache's own count of this server's writes serves, read each time, as it always was. */
uint64_t cache_generation(struct req *r)
{
    if (r->generation) return r->generation;
    uint64_t g = r->db ? db_generation(r->db) : 0;
    if (g) return r->generation = g;
    struct page_cache *c = r->app->cache;
    pthread_rwlock_rdlock(&c->mu);
    g = c->gen;
    pthread_rwlock_unlock(&c->mu);
    return g;
}

void cache_invalidate(struct page_cache *c)
{
    pthread_rwlock_wrlock(&c->mu);
    c->gen++;
    pthread_rwlock_unlock(&c->mu);
}

/* A request that changes state has answered well: this server's count moves, and so does the database's for what it
 * wrote outside a transaction (a skills response, for one), so that the other nodes see it before the answer leaves. */
void cache_wrote(struct req *r)
{
    cache_invalidate(r->app->cache);
    if (r->db && db_generation_bump(r->db))
        fprintf(stderr, "warning: %s %s: data generation not moved (other nodes may serve cached pages for a while): %s\n",
                r->method, r->route_name, db_errmsg(r->db));
}
