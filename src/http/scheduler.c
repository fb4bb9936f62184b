/* The reminder thread of `serve`: runs the reminder scan (and e-mail) at start and then every hour, with its
 * own connection; with several nodes on one database, only the node that claims the hour runs it. Must not hold the
 * connection of a request thread. */
#include "http/app.h"
#include "http/mail.h"
#include "store/remind.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct scheduler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    const char *db_path;
};

/* This hour's run, unless another node has claimed it (store_remind_claim; SQLite always runs). */
static void run_once(db *d, const char *node)
{
    char period[14];
    int claimed = store_remind_claim(d, node, time(NULL), period);
    if (claimed < 0) fprintf(stderr, "error: reminders: cannot claim the hour's run: %s\n", db_errmsg(d));
    if (claimed <= 0) return;
    remind_run(d, false);
    if (store_remind_finished(d, period, time(NULL)))
        fprintf(stderr, "warning: reminders: run of %s not marked finished: %s\n", period, db_errmsg(d));
}

static void *loop(void *arg)
{
    struct scheduler *s = arg;
    char *err = NULL;
    db *d = db_open(s->db_path, &err);
    free(err);
    char host[64] = "", node[96];
    gethostname(host, sizeof host - 1);
    snprintf(node, sizeof node, "%s:%d", host, (int)getpid());
    /* Hours counted from the start, not from the end of each run: a slow run does not push the next one (and its
     * claim) later and later until an hour is skipped. */
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        if (d) run_once(d, node);
        pthread_mutex_lock(&s->mu);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        do until.tv_sec += 3600; while (until.tv_sec <= now.tv_sec);
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
