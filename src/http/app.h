/* The running server's state, made once at startup and shared by every worker thread. Everything mutable
 * in here (metrics, page cache, connections per thread) guards itself. */
#ifndef DXDAY_APP_H
#define DXDAY_APP_H
#include <pthread.h>
#include <stdint.h>
#include "http/http.h"
#include "http/tmpl.h"

struct metrics;
struct page_cache;
struct result_cache;
struct trusted_proxies;

struct app_config {
    const char *db_path;
    const char *bind;
    int port;
    int threads;
    bool secure_cookies;   /* behind TLS */
};

struct app {
    struct app_config cfg;
    struct tmpl_set *tmpl;
    struct metrics *metrics;
    struct page_cache *cache;
    struct page_cache *docs;           /* public documents (route.doc_seconds) */
    int docs_per_minute;
    struct result_cache *results;
    pthread_key_t db_key;
    struct trusted_proxies *proxies;   /* DXDAY_TRUSTED_PROXIES */
    const char *metrics_token;         /* DXDAY_METRICS_TOKEN: /metrics for a Bearer of it; loopback only without */
    int request_seconds;               /* DXDAY_REQUEST_SECONDS: a whole request, body included, must arrive within */
    char dummy_hash[160];  /* verified for unknown users so they take as long as wrong passwords */
    uint64_t started_at;
    struct MHD_Daemon *mhd;
};

/* Builds the app (templates, metrics, cache), migrates the store; NULL on failure. */
struct app *app_new(const struct app_config *cfg);
int app_serve(struct app *a);          /* starts the daemon; returns when SIGINT/SIGTERM arrive */
int app_start(struct app *a);          /* starts the daemon and returns; for tests */
void app_free(struct app *a);
db *app_db(struct app *a);             /* this thread's connection */

/* Router: web/router.c. Matches method and path against every table; fills params with {name} parts. */
const struct route *router_match(const char *method, const char *path, json_t *params, const char **pattern,
                                 bool *is_api, bool *method_mismatch);
/* Every page area's table, NULL-terminated, in matching order: for `dxday routes` and the authorisation matrix test. */
const struct route *const *router_tables(void);

/* Metrics: web/metrics.c */
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
void metrics_record(struct metrics *m, const char *route, const char *method, int status, double seconds);
char *metrics_render(struct metrics *m);

/* Page cache: web/cache.c. Keyed by the full URL and representation; entries live ttl_ms, and when follows_writes
 * only until the next cache_invalidate. */
struct page_cache *cache_new(int ttl_ms, bool follows_writes);
void cache_free(struct page_cache *c);
/* The handler's headers (Content-Disposition...) are kept with the body; cache_get sets body, type and those headers on r. */
void cache_put(struct page_cache *c, const char *key, const struct req *r, const char *etag);
bool cache_get(struct page_cache *c, const char *key, struct req *r, char *etag);
void cache_invalidate(struct page_cache *c);
/* After a state-changing request that succeeded: cache_invalidate, and the database's generation for writes made
 * outside a transaction (db_generation_bump), so other nodes drop their copies too. */
void cache_wrote(struct req *r);
/* The writes this request's caches follow: the database's generation on PostgreSQL (every node's writes; read once
 * per request into r->generation), the server's own count on SQLite (and without a database); anything computed from
 * the store at one generation is stale at the next. UINT64_MAX when it cannot be read: cache nothing. */
uint64_t cache_generation(struct req *r);

/* Store results kept by a key (the folded question and its options, the year…): web/results.c. results_get gives a
 * copy, or NULL when there is none from this cache generation younger than max_age_ms; results_put keeps a copy. */
struct result_cache *results_new(void);
void results_free(struct result_cache *c);
json_t *results_get(struct req *r, const char *key, int max_age_ms);
/* For figures that may lag the writes by up to lag_ms (a live campaign page while entries arrive every millisecond):
 * a copy of an earlier generation younger than lag_ms is served as it is, so a page read under a stream of writes is
 * recomputed once per lag_ms rather than once per write. On NULL the caller takes its own lock, asks again with
 * max_age_ms = lag_ms (another request may have recomputed it while this one waited) and recomputes only if still NULL. */
json_t *results_get_live(struct req *r, const char *key, int max_age_ms, int lag_ms);
void results_put(struct req *r, const char *key, json_t *value);

/* Static files: web/static.c. Returns true when it handled the path. */
bool static_serve(struct req *r, const char *if_none_match);

/* Sessions: web/session.c. create and destroy write inside the caller's transaction and set the cookie; 0, or -1 with
 * res filled (the caller drops the cookie with the rest of its answer). */
void session_load(struct req *r);
int session_create(struct req *r, int64_t user_id, struct store_result *res);
int session_destroy(struct req *r, struct store_result *res);

/* Uploaded files: web/blob.c. Stores u under its SHA-256 (hex into sha) and records it; 0 or -1. */
int blob_save(struct req *r, const struct upload *u, char sha[65]);
/* The type libmagic reads from the bytes (into out), or NULL when it cannot tell. One libmagic handle per thread. */
const char *blob_type(const unsigned char *data, size_t len, char *out, size_t outlen);
/* 0 when u's bytes are of a type units may upload (documents, sheets, images, archives, text); otherwise answers the
 * request with 415 naming the detected type and returns that status. */
int blob_refuse(struct req *r, const struct upload *u);
/* A stored file's bytes (malloc'd) and, when row is not NULL, its {name, mime, size}; NULL when absent. */
unsigned char *blob_load(struct req *r, const char *sha, size_t *len, json_t **row);

/* Rate limits: web/ratelimit.c. Counts one request of ip against bucket; 0 when allowed, else the seconds until
 * the next minute's budget (for Retry-After). In the database on PostgreSQL (shared by the nodes), in memory on SQLite. */
int ratelimit_take(db *d, const char *bucket, const char *ip, int per_minute);

/* The assistant's optional generative mode: web/llm.c. The reply of DXDAY_LLM_URL (malloc'd), or NULL when it is
 * not configured or fails. */
char *llm_answer(const char *question, json_t *sources);

/* The reminder thread: web/scheduler.c */
struct scheduler *scheduler_start(const char *db_path);
void scheduler_stop(struct scheduler *s);

/* Passwords: web/password.c */
int password_hash(const char *pw, char out[160]);
bool password_verify(const char *hash, const char *pw);
#endif
