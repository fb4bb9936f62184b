/* One handler, two representations: the JSON context goes out as JSON for /api/ and Accept: application/json,
 * or through a template inside the layout for a browser. Errors take the same two forms.
 * Must not query the store: handlers hand it everything it renders. */
#include "http/app.h"
#include "core/buf.h"
#include "core/date.h"
#include "store/result.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *req_str(struct req *r, const char *name)
{
    return json_string_value(json_object_get(r->params, name));
}

int64_t req_int(struct req *r, const char *name, int64_t dflt)
{
    const char *s = req_str(r, name);
    if (!s || !*s) return dflt;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    /* "99999999999999999999" is not a number we can use: strtoll's clamped value would overflow arithmetic later. */
    return *end || errno == ERANGE ? dflt : v;
}

void req_header(struct req *r, const char *name, const char *value)
{
    if (r->nheaders >= (int)(sizeof r->headers / sizeof r->headers[0])) return;
    r->headers[r->nheaders++] = (struct header){ strdup(name), strdup(value) };
}

int req_send(struct req *r, int status, const char *ctype, char *body, size_t len)
{
    free(r->body);
    r->status = status;
    r->ctype = ctype;
    r->body = body;
    r->body_len = len;
    return status;
}

/* Keys starting with '_' are for the page around the content (user menu, CSRF token): never in JSON. */
static void strip_private(json_t *v)
{
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        void *tmp;
        json_object_foreach_safe(v, tmp, k, x) {
            if (k[0] == '_') json_object_del(v, k);
            else strip_private(x);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) strip_private(x);
    }
}

/* The words of a 500 when the answer itself could not be built: nothing more specific can be said. */
#define UNBUILT "Có lỗi khi tạo câu trả lời; vui lòng thử lại."

static void log_unbuilt(struct req *r, const char *what)
{
    fprintf(stderr, "error: %s %s: %s\n", r->method ? r->method : "-", r->route_name ? r->route_name : r->path ? r->path : "-", what);
}

static int send_json(struct req *r, int status, json_t *ctx)
{
    strip_private(ctx);
    char *s = ctx ? json_dumps(ctx, JSON_COMPACT) : NULL;
    json_decref(ctx);
    if (!s) {
        /* Not an object or array, or out of memory: a 500 the client can still read as JSON. */
        log_unbuilt(r, "the answer could not be written as JSON");
        s = strdup("{\"error\":\"" UNBUILT "\",\"status\":500}");
        status = 500;
    }
    return req_send(r, status, "application/json; charset=utf-8", s, s ? strlen(s) : 0);
}

static int send_html(struct req *r, int status, json_t *ctx, const char *tmpl)
{
    struct buf body = { 0 }, page = { 0 };
    if (!tmpl || tmpl_render(r->app->tmpl, tmpl, ctx, &body)) {
        /* Partials and filters are checked at load; what fails here is a name no template has, a JSON-only answer
         * asked for as HTML, or a page past the render budget. */
        fprintf(stderr, "render: %s %s: %s\n", r->method, r->route_name ? r->route_name : r->path,
                tmpl ? "no such template, or the page ran past the render budget" : "a JSON-only answer asked for as HTML");
        json_decref(ctx);
        const char *msg = "Không hiển thị được trang này.";
        return req_send(r, 500, "text/plain; charset=utf-8", strdup(msg), strlen(msg));
    }
    json_object_set_new(ctx, "_body", json_stringn(body.p ? body.p : "", body.len));
    buf_free(&body);
    if (r->user) {
        json_object_set_new(ctx, "_user", json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->user->id,
                                                    "name", r->user->name, "email", r->user->email));
        json_object_set_new(ctx, "_csrf", json_string(r->user->csrf));
        if (r->user->staff) json_object_set_new(ctx, "_staff", json_true());
        char tasks[48] = "/nhiem-vu";
        if (r->user->inbox_org) snprintf(tasks, sizeof tasks, "/don-vi/%lld/nhiem-vu", (long long)r->user->inbox_org);
        json_object_set_new(ctx, "_tasks_href", json_string(tasks));
    }
    json_object_set_new(ctx, "_year", json_integer(date_today().y));
    char nav[32];
    snprintf(nav, sizeof nav, "_nav_%s", json_string_value(json_object_get(ctx, "_nav")) ?: "none");
    json_object_set_new(ctx, nav, json_true());
    tmpl_render(r->app->tmpl, "layout", ctx, &page);
    json_decref(ctx);
    size_t len = page.len;
    return req_send(r, status, "text/html; charset=utf-8", buf_take(&page), len);
}

int render(struct req *r, json_t *ctx, const char *tmpl)
{
    /* A context the handler failed to build (json_pack gives NULL when a value is NULL or not UTF-8). */
    if (!ctx) {
        log_unbuilt(r, "the page's context could not be built");
        return req_fail(r, 500, UNBUILT);
    }
    int status = r->status ? r->status : 200;
    return r->want_json ? send_json(r, status, ctx) : send_html(r, status, ctx, tmpl);
}

int req_fail_ctx(struct req *r, int status, const char *message, json_t *details)
{
    json_t *ctx = json_pack("{s:s, s:i}", "error", message, "status", status);
    if (!ctx) {
        /* A message that is missing or not UTF-8 is a bug of the caller: say so, and answer a 500 that still reads. */
        log_unbuilt(r, "an error message missing or not UTF-8");
        json_decref(details);
        details = NULL;
        status = 500;
        ctx = json_pack("{s:s, s:i}", "error", UNBUILT, "status", status);
    }
    if (details) json_object_set_new(ctx, "fields", details);
    if (r->want_json) return send_json(r, status, ctx);
    json_object_set_new(ctx, "title", json_string(status == 404 ? "Không tìm thấy trang" : "Có lỗi xảy ra"));
    json_object_set_new(ctx, "is_404", json_boolean(status == 404));
    return send_html(r, status, ctx, "error");
}

int req_fail(struct req *r, int status, const char *message) { return req_fail_ctx(r, status, message, NULL); }

int req_result(struct req *r, struct store_result *res)
{
    static const struct { int http; const char *words; } map[] = {
        [STORE_OK] = { 200, "Đã lưu." },
        [STORE_NOT_FOUND] = { 404, "Không tìm thấy dữ liệu bạn yêu cầu." },
        [STORE_CONFLICT] = { 409, "Thao tác không thực hiện được ở trạng thái hiện tại." },
        [STORE_INVALID] = { 422, "Dữ liệu chưa hợp lệ; xem lỗi ở từng trường." },
        [STORE_FORBIDDEN] = { 403, "Bạn không có quyền thực hiện thao tác này." },
        [STORE_BUSY] = { 503, "Hệ thống đang bận ghi dữ liệu khác nên chưa lưu được gì. Vui lòng thử lại sau giây lát." },
        [STORE_ERROR] = { 500, "Có lỗi khi lưu dữ liệu; chưa có gì được ghi. Vui lòng thử lại." },
    };
    enum store_status st = res->status <= STORE_ERROR ? res->status : STORE_ERROR;
    const char *msg = res->message[0] ? res->message : map[st].words;
    if (st == STORE_ERROR)
        fprintf(stderr, "error: %s %s: %s\n", r->method, r->route_name ? r->route_name : r->path, res->detail[0] ? res->detail : msg);
    if (st == STORE_BUSY) req_header(r, "Retry-After", "2");
    json_t *fields = res->fields;
    res->fields = NULL;
    return req_fail_ctx(r, map[st].http, msg, fields);
}

int req_redirect(struct req *r, const char *location)
{
    if (!location) {
        log_unbuilt(r, "a redirect to nowhere");
        return req_fail(r, 500, UNBUILT);
    }
    req_header(r, "Location", location);
    if (r->want_json) {
        json_t *ctx = json_pack("{s:s}", "location", location);
        return send_json(r, 200, ctx);
    }
    return req_send(r, 303, "text/html; charset=utf-8", strdup(""), 0);
}

int req_store_failed(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    store_fail_db(&res, r->db);
    return req_result(r, &res);
}

int req_missing(struct req *r, const char *message)
{
    if (db_failed(r->db)) return req_store_failed(r);
    struct store_result res = STORE_RESULT_OK;
    store_fail(&res, STORE_NOT_FOUND, "%s", message);
    return req_result(r, &res);
}
