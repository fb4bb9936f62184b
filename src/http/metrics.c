/* Prometheus counters: requests by route, method and status, and a latency histogram per route.
 * Must not block a request for long: one short mutex section per request. */
#include "http/app.h"
#include "core/buf.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define NB (sizeof bounds / sizeof bounds[0])
/* Room for every route pattern (about 200, each with its JSON twin) and its statuses; past it, new series are dropped. */
#define MAX_COUNTERS 2048
#define MAX_ROUTES 512

struct counter { char route[96]; char method[8]; int status; uint64_t n; };
struct hist { char route[96]; uint64_t buckets[NB]; uint64_t count; double sum; };

struct metrics {
    pthread_mutex_t mu;
    struct counter c[MAX_COUNTERS];
    int nc;
    struct hist h[MAX_ROUTES];
    int nh;
};

struct metrics *metrics_new(void)
{
    struct metrics *m = calloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m) return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void metrics_record(struct metrics *m, const char *route, const char *method, int status, double seconds)
{
    pthread_mutex_lock(&m->mu);
    int i;
    for (i = 0; i < m->nc; i++)
        if (m->c[i].status == status && !strcmp(m->c[i].route, route) && !strcmp(m->c[i].method, method)) break;
    if (i == m->nc && m->nc < MAX_COUNTERS) {
        snprintf(m->c[i].route, sizeof m->c[i].route, "%s", route);
        snprintf(m->c[i].method, sizeof m->c[i].method, "%s", method);
        m->c[i].status = status;
        m->nc++;
    }
    if (i < MAX_COUNTERS) m->c[i].n++;
    for (i = 0; i < m->nh; i++)
        if (!strcmp(m->h[i].route, route)) break;
    if (i == m->nh && m->nh < MAX_ROUTES) {
        snprintf(m->h[i].route, sizeof m->h[i].route, "%s", route);
        m->nh++;
    }
    if (i < MAX_ROUTES) {
        for (size_t b = 0; b < NB; b++)
            if (seconds <= bounds[b]) m->h[i].buckets[b]++;
        m->h[i].count++;
        m->h[i].sum += seconds;
    }
    pthread_mutex_unlock(&m->mu);
}

char *metrics_render(struct metrics *m)
{
    struct buf b = { 0 };
    pthread_mutex_lock(&m->mu);
    buf_puts(&b, "# HELP dxday_http_requests_total HTTP requests by route, method and status.\n"
                 "# TYPE dxday_http_requests_total counter\n");
    for (int i = 0; i < m->nc; i++)
        buf_printf(&b, "dxday_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n", m->c[i].route,
                   m->c[i].method, m->c[i].status, (unsigned long long)m->c[i].n);
    buf_puts(&b, "# HELP dxday_http_request_duration_seconds Time to answer a request, by route.\n"
                 "# TYPE dxday_http_request_duration_seconds histogram\n");
    for (int i = 0; i < m->nh; i++) {
        for (size_t k = 0; k < NB; k++)
            buf_printf(&b, "dxday_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", m->h[i].route,
                       bounds[k], (unsigned long long)m->h[i].buckets[k]);
        buf_printf(&b, "dxday_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", m->h[i].route,
                   (unsigned long long)m->h[i].count);
        buf_printf(&b, "dxday_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", m->h[i].route, m->h[i].sum);
        buf_printf(&b, "dxday_http_request_duration_seconds_count{route=\"%s\"} %llu\n", m->h[i].route,
                   (unsigned long long)m->h[i].count);
    }
    pthread_mutex_unlock(&m->mu);
    return buf_take(&b);
}
