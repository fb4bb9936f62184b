/* Operations endpoints: /healthz for load balancers and /metrics for Prometheus. Read-only. */
#include "web/app.h"
#include <stdlib.h>
#include <string.h>

static int healthz(struct req *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT COUNT(*) FROM schema_migration");
    int64_t n = s ? db_scalar_int(s, -1) : -1;
    r->want_json = true;
    r->status = n > 0 ? 200 : 503;
    return render(r, json_pack("{s:s, s:I}", "status", n > 0 ? "ok" : "db unavailable", "migrations", (json_int_t)n), NULL);
}

static int metrics(struct req *r)
{
    char *m = metrics_render(r->app->metrics);
    return req_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", m, strlen(m));
}

const struct route page_system_routes[] = {
    { "GET", "/healthz", NULL, healthz, PUBLIC, false, 0 },
    { "GET", "/metrics", NULL, metrics, PUBLIC, false, 0 },
    { 0 },
};
