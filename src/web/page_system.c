/* Operations endpoints: /healthz for load balancers and /metrics for Prometheus. Read-only.
 * Must not show the metrics (routes, volumes, error rates) to the public: a Bearer token, or the machine itself. */
#include "http/app.h"
#include "store/health.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int healthz(struct req *r)
{
    int64_t n = store_health_migrations(r->db);
    r->want_json = true;
    r->status = n > 0 ? 200 : 503;
    return render(r, json_pack("{s:s, s:I}", "status", n > 0 ? "ok" : "db unavailable", "migrations", (json_int_t)n), NULL);
}

static bool loopback(const char *ip) { return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1"); }

/* With DXDAY_METRICS_TOKEN, a scraper presents it; without, only a scraper on this machine — and not through a proxy
 * on this machine, which forwards the world (nginx adds X-Forwarded-For, as the README's configuration does). */
static bool may_scrape(struct req *r)
{
    const char *t = r->app->metrics_token;
    if (t) {
        const char *a = r->authorization;
        size_t n = strlen(t);
        return a && !strncmp(a, "Bearer ", 7) && strlen(a + 7) == n && sodium_memcmp(a + 7, t, n) == 0;
    }
    return loopback(r->peer) && !r->forwarded;
}

static int metrics(struct req *r)
{
    if (!may_scrape(r)) return req_fail(r, 404, "Không tìm thấy trang bạn yêu cầu.");
    char *m = metrics_render(r->app->metrics);
    return req_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", m, strlen(m));
}

const struct route page_system_routes[] = {
    { "GET", "/healthz", NULL, healthz, PUBLIC, false, 0 },
    { "GET", "/metrics", NULL, metrics, PUBLIC, false, 0 },
    { 0 },
};
