/* The assistant's answers kept by question: citizens ask the same things in many spellings, so an answer is stored under
 * the folded question and reused until any write (cache generation) or a minute has passed (CLI imports). Must not keep
 * anything but store_ask's result: the generative rewrite and rate limits run on every request. */
#include "web/app.h"
#include "store/assistant.h"
#include "core/text.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLOTS 1024
#define TTL_S 60

struct slot { char *key; json_t *answer; uint64_t gen; time_t at; };
struct answer_cache { pthread_mutex_t mu; struct slot s[SLOTS]; };

struct answer_cache *answers_new(void)
{
    struct answer_cache *c = calloc(1, sizeof *c);
    if (c) pthread_mutex_init(&c->mu, NULL);
    return c;
}

void answers_free(struct answer_cache *c)
{
    if (!c) return;
    for (int i = 0; i < SLOTS; i++) { free(c->s[i].key); json_decref(c->s[i].answer); }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

json_t *answers_ask(struct req *r, const char *q)
{
    struct answer_cache *c = r->app->answers;
    char *key = text_fold(q);
    if (!c || !key) { free(key); return store_ask(r->db, q); }
    unsigned h = 2166136261u;
    for (const char *p = key; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    struct slot *s = &c->s[h % SLOTS];
    uint64_t gen = cache_generation(r->app->cache);
    time_t now = time(NULL);
    json_t *a = NULL;
    /* Copies in and out under the lock: jansson's reference counts are not atomic, so no object is shared by threads. */
    pthread_mutex_lock(&c->mu);
    if (s->key && !strcmp(s->key, key) && s->gen == gen && now - s->at < TTL_S) a = json_deep_copy(s->answer);
    pthread_mutex_unlock(&c->mu);
    if (a) { free(key); return a; }
    a = store_ask(r->db, q);
    json_t *copy = a ? json_deep_copy(a) : NULL;
    if (copy) {
        pthread_mutex_lock(&c->mu);
        free(s->key);
        json_decref(s->answer);
        *s = (struct slot){ key, copy, gen, now };
        pthread_mutex_unlock(&c->mu);
        key = NULL;
    }
    free(key);
    return a;
}
