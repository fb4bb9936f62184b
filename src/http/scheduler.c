/* The reminder thread of `serve`: runs the reminder scan (and e-mail) at start and then every hour, with its
 * own connection. Must not hold the connection of a request thread. */
#include "http/app.h"
#include "http/mail.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct scheduler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    const char *db_path;
};

static void *loop(void *arg)
{
    struct scheduler *s = arg;
    char *err = NULL;
    db *d = db_open(s->db_path, &err);
    free(err);
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        if (d) remind_run(d, false);
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 3600;
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0) {}
    }
    pthread_mutex_unlock(&s->mu);
    db_close(d);
    return NULL;
}

struct scheduler *scheduler_start(const char *db_path)
{
    struct scheduler *s = calloc(1, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->db_path = db_path;
    if (pthread_create(&s->thread, NULL, loop, s)) {
        free(s);
        return NULL;
    }
    return s;
}

void scheduler_stop(struct scheduler *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
