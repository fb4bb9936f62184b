/* The HTTP server: libmicrohttpd with a thread pool, request bodies with a size limit, parameter decoding
 * and UTF-8 validation at the edge, sessions and CSRF before any handler runs, metrics for every answer.
 * Must not contain page logic: handlers live in page_*.c. */
#include "http/app.h"
#include <curl/curl.h>
#include "core/buf.h"
#include "core/text.h"
#include "store/migrate.h"
#include "store/idempotency.h"
#include "store/result.h"
#include "http/client_ip.h"
#include <sodium.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct conn_ctx {
    double started;
    struct buf body;
    size_t max_body;
    bool too_large;
    bool bad_utf8;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

db *app_db(struct app *a)
{
    db *d = pthread_getspecific(a->db_key);
    if (!d) {
        char *err = NULL;
        d = db_open(a->cfg.db_path, &err);
        if (!d) {
            fprintf(stderr, "db: %s\n", err ? err : "open failed");
            free(err);
            return NULL;
        }
        pthread_setspecific(a->db_key, d);
    }
    return d;
}

static void close_db(void *d) { db_close(d); }

struct args_ctx { json_t *params; bool bad; };

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct args_ctx *a = cls;
    if (!value) value = "";
    if (!text_valid_utf8(key, strlen(key)) || !text_valid_utf8(value, strlen(value))) {
        a->bad = true;
        return MHD_NO;
    }
    json_object_set_new(a->params, key, json_string(value));
    return MHD_YES;
}

/* Top-level string, number and boolean fields of a JSON body become params too, so one handler reads
 * a form post and an API call the same way. */
static void json_to_params(json_t *body, json_t *params)
{
    const char *k;
    json_t *v;
    char tmp[32];
    json_object_foreach(body, k, v) {
        if (json_is_string(v)) json_object_set(params, k, v);
        else if (json_is_integer(v)) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
            json_object_set_new(params, k, json_string(tmp));
        } else if (json_is_boolean(v)) json_object_set_new(params, k, json_string(json_is_true(v) ? "1" : "0"));
    }
}

/* The first parameter of the URL (path or query) that the body replaced with another value, or NULL. A body that
 * renames the record its URL names would act on another record than the one the route, its access check and the
 * logs show. */
static const char *body_overrides_url(json_t *params, json_t *url_params)
{
    const char *k;
    json_t *v;
    json_object_foreach(url_params, k, v)
        if (!json_equal(json_object_get(params, k), v)) return k;
    return NULL;
}

static bool wants_json(struct MHD_Connection *c)
{
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    if (!accept) return false;
    const char *j = strstr(accept, "application/json"), *h = strstr(accept, "text/html");
    return j && (!h || j < h);
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct req *r, bool head)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(head ? 0 : r->body_len, r->body,
                                                                 MHD_RESPMEM_MUST_FREE);
    r->body = NULL;
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (!r->ctype || strncmp(r->ctype, "text/html", 9) == 0) {
        MHD_add_response_header(resp, "X-Frame-Options", "DENY");
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "frame-ancestors 'none'; form-action 'self'");
    } else if (strncmp(r->ctype, "application/pdf", 15) == 0) {
        /* Chromium's PDF viewer does not start in a sandboxed document (crbug 413851): the PDFs shown inline are
         * ours (certificates, reports); uploaded ones are served as attachments. */
        MHD_add_response_header(resp, "Content-Security-Policy", "frame-ancestors 'self'");
    } else if (strstr(r->ctype, "javascript")) {
        /* Our own scripts; the service worker runs under its script's policy and fetches lessons from our origin. */
        MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'");
    } else {
        /* Anything else opened on our origin (an uploaded SVG, JSON, a sheet) runs nothing and reaches nothing. */
        MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    }
    /* What a signed-in user sees is theirs: no shared or browser cache keeps it (a kiosk, a family phone). */
    bool private = r->user != NULL;
    if (private) MHD_add_response_header(resp, "Cache-Control", "no-store");
    for (int i = 0; i < r->nheaders; i++)
        if (!private || strcasecmp(r->headers[i].name, "Cache-Control"))
            MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void req_cleanup(struct req *r)
{
    json_decref(r->params);
    json_decref(r->body_json);
    free(r->body);
    free(r->user);
    for (int i = 0; i < r->nheaders; i++) { free(r->headers[i].name); free(r->headers[i].value); }
}

static bool is_write(const char *m) { return strcmp(m, "GET") && strcmp(m, "HEAD"); }

/* Drops what a handler answered, headers included, before the server answers instead. */
static void reset_response(struct req *r)
{
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    for (int i = 0; i < r->nheaders; i++) { free(r->headers[i].name); free(r->headers[i].value); }
    r->nheaders = 0;
}

static int fail_busy(struct req *r)
{
    reset_response(r);
    struct store_result res = STORE_RESULT_OK;
    store_fail(&res, STORE_BUSY, NULL);
    return req_result(r, &res);
}

/* The database server is gone (stopped, failing over, unreachable): whatever the handler made of its failed statements,
 * the answer is "try again shortly", and nothing half-done was acknowledged. The next request reconnects. */
static void fail_unavailable(struct req *r)
{
    fprintf(stderr, "error: %s %s: %s\n", r->method, r->route_name, db_errmsg(r->db));
    reset_response(r);
    req_header(r, "Retry-After", "5");
    req_fail(r, 503, "Cơ sở dữ liệu tạm thời không sẵn sàng; chưa có gì được ghi. Vui lòng thử lại sau giây lát.");
}

/* Text arrives in NFC and NFD (macOS, some phone keyboards); the store keeps NFC only, whatever the route. */
static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return false;
    return true;
}

static char *nfc_or_null(const char *v) { return ascii(v) ? NULL : text_nfc(v); }

static void nfc_json(json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x) {
            if (json_is_string(x)) {
                char *n = nfc_or_null(json_string_value(x));
                if (n) json_object_set_new(v, k, json_string(n));
                free(n);
            } else nfc_json(x);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            if (json_is_string(x)) {
                char *n = nfc_or_null(json_string_value(x));
                if (n) json_array_set_new(v, i, json_string(n));
                free(n);
            } else nfc_json(x);
        }
    }
}

static void nfc_request(struct req *r)
{
    const char *k;
    json_t *v;
    /* Most requests are plain ASCII: then the parameters stay as they are, with no copy. */
    bool plain = true;
    json_object_foreach(r->params, k, v) plain = plain && ascii(k) && (!json_is_string(v) || ascii(json_string_value(v)));
    json_t *p = plain ? NULL : json_object();
    /* Keys too: a JSON body's field names are looked up by their NFC spelling. */
    if (p) json_object_foreach(r->params, k, v) {
        char *nk = nfc_or_null(k), *nv = json_is_string(v) ? nfc_or_null(json_string_value(v)) : NULL;
        json_object_set_new(p, nk ? nk : k, nv ? json_string(nv) : json_incref(v));
        free(nk);
        free(nv);
    }
    if (p) {
        json_decref(r->params);
        r->params = p;
    }
    if (r->body_json) nfc_json(r->body_json);
    for (int i = 0; i < r->nfiles; i++) {
        char *n = nfc_or_null(r->files[i].filename);
        if (n) snprintf(r->files[i].filename, sizeof r->files[i].filename, "%s", n);
        free(n);
    }
}

/* The page cache's key: representation, path and every parameter, escaped so that no value can pose as another
 * parameter ("?q=a%26kind%3Db" is not "?q=a&kind=b"). */
static void key_escaped(struct buf *k, const char *s)
{
    for (; *s; s++) {
        if (*s == '%' || *s == '&' || *s == '=') buf_printf(k, "%%%02X", (unsigned char)*s);
        else buf_put(k, s, 1);
    }
}

static bool idempotency_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n < 1 || n > 128) return false;
    for (; *k; k++)
        if (*k < 0x21 || *k > 0x7e) return false;
    return true;
}

/* Who a key belongs to: the account, or an anonymous visitor's CSRF cookie (kept hashed: it is a secret). */
static bool idempotency_scope(struct req *r, char *out, size_t outlen)
{
    if (r->user) { snprintf(out, outlen, "u:%lld", (long long)r->user->id); return true; }
    if (!r->cookie_csrf || !*r->cookie_csrf) return false;
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)r->cookie_csrf, strlen(r->cookie_csrf));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, outlen, "a:%s", hex);
    return true;
}

static const char *header_value(struct req *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name)) return r->headers[i].value;
    return NULL;
}

/* A state-changing request with an Idempotency-Key runs inside one transaction with the record of its answer: a retry
 * finds the answer and gets it again (Idempotent-Replayed: true) instead of writing twice. Returns true when it
 * answered (a replay, a bad key, a busy store) and the handler must not run. */
static bool idempotency_begin(struct req *r, const char *key, char *scope, size_t scopelen)
{
    if (!idempotency_key_ok(key)) {
        req_fail(r, 400, "Idempotency-Key phải từ 1 đến 128 ký tự ASCII in được.");
        return true;
    }
    if (!idempotency_scope(r, scope, scopelen)) return false;
    if (db_begin(r->db)) {
        db_rollback(r->db);
        fail_busy(r);
        return true;
    }
    json_t *prev = store_idempotency_get(r->db, scope, key);
    if (!prev) return false;
    db_commit(r->db);
    const char *m = json_string_value(json_object_get(prev, "method")), *p = json_string_value(json_object_get(prev, "path"));
    if (strcmp(m, r->method) || strcmp(p, r->path)) {
        req_fail(r, 422, "Idempotency-Key này đã được dùng cho một yêu cầu khác.");
    } else {
        const char *body = json_string_value(json_object_get(prev, "body")), *loc = json_string_value(json_object_get(prev, "location"));
        const char *ct = json_string_value(json_object_get(prev, "ctype"));
        /* r->ctype must outlive prev: answers are JSON or HTML, whose types are string constants of ours. */
        const char *ctype = ct && strncmp(ct, "application/json", 16) == 0 ? "application/json; charset=utf-8" : "text/html; charset=utf-8";
        req_send(r, (int)json_integer_value(json_object_get(prev, "status")), ctype, strdup(body), strlen(body));
        if (loc) req_header(r, "Location", loc);
        req_header(r, "Idempotent-Replayed", "true");
    }
    json_decref(prev);
    return true;
}

static void idempotency_end(struct req *r, const char *key, const char *scope)
{
    bool keep = r->status < 400 && r->body && memchr(r->body, 0, r->body_len) == NULL && r->ctype &&
                (strncmp(r->ctype, "application/json", 16) == 0 || strncmp(r->ctype, "text/html", 9) == 0);
    if (keep && store_idempotency_put(r->db, scope, key, r->method, r->path, r->status, r->ctype,
                                      header_value(r, "Location"), r->body)) {
        db_rollback(r->db);
        reset_response(r);
        req_fail(r, 500, "Không lưu được; chưa có gì được ghi. Vui lòng thử lại.");
        return;
    }
    /* Committed whatever the status: a refusal may write on purpose (a failed sign-in is counted). */
    if (db_commit(r->db)) {
        if (db_locked(r->db)) fail_busy(r);
        else if (r->status < 400) { reset_response(r); req_fail(r, 500, "Không lưu được; chưa có gì được ghi. Vui lòng thử lại."); }
    }
}

/* The body's fields join the params (a JSON body's top level, a form, a multipart's text parts); false once refused. */
static bool read_body(struct req *r, struct MHD_Connection *c, struct conn_ctx *cc)
{
    if (cc->body.len) {
        const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
        if (ct && strncmp(ct, "application/json", 16) == 0) {
            json_error_t err;
            r->body_json = json_loadb(cc->body.p, cc->body.len, 0, &err);
            if (!r->body_json || !json_is_object(r->body_json)) {
                req_fail(r, 400, "Nội dung JSON không hợp lệ.");
                return false;
            }
            json_to_params(r->body_json, r->params);
        } else if (ct && strncmp(ct, "multipart/form-data", 19) == 0) {
            if (!multipart_parse(r, ct, cc->body.p, cc->body.len)) {
                req_fail(r, 400, "Dữ liệu tải lên không hợp lệ (multipart hoặc UTF-8).");
                return false;
            }
        } else if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
            if (!form_parse(cc->body.p, r->params)) {
                req_fail(r, 400, "Dữ liệu biểu mẫu không hợp lệ (mã hóa hoặc UTF-8).");
                return false;
            }
        } else {
            req_fail(r, 415, "Kiểu dữ liệu gửi lên không được hỗ trợ.");
            return false;
        }
    }
    return true;
}

static void run(struct app *a, struct MHD_Connection *c, struct req *r, struct conn_ctx *cc, const char *url)
{
    bool mismatch = false;
    if (cc->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "Dữ liệu gửi lên vượt quá giới hạn cho phép (%zu MB).", (cc->max_body ? cc->max_body : MAX_BODY) >> 20);
        req_fail(r, 413, msg);
        return;
    }
    if (!text_valid_utf8(url, strlen(url))) { req_fail(r, 400, "Địa chỉ chứa ký tự không hợp lệ (UTF-8)."); return; }
    struct args_ctx args = { r->params, false };
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &args);
    if (args.bad) { req_fail(r, 400, "Tham số chứa ký tự không hợp lệ (UTF-8)."); return; }
    /* A token in the URL ends up in logs, history and Referer headers: only a header or the body may carry it. */
    json_object_del(r->params, "csrf");

    r->route = router_match(r->method, url, r->params, &r->route_name, &r->is_api, &mismatch);
    if (!r->route) {
        r->route_name = mismatch ? "(method)" : "(none)";
        if (strncmp(url, "/static/", 8) == 0 && !is_write(r->method)) {
            r->route_name = "/static";
            if (static_serve(r, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"))) return;
        }
        if (mismatch) req_fail(r, 405, "Phương thức không được hỗ trợ cho địa chỉ này.");
        else req_fail(r, 404, "Không tìm thấy trang bạn yêu cầu.");
        return;
    }
    r->want_json = r->is_api || r->want_json;

    r->db = app_db(a);
    if (!r->db) {
        req_header(r, "Retry-After", "5");
        req_fail(r, 503, "Cơ sở dữ liệu tạm thời không sẵn sàng. Vui lòng thử lại sau giây lát.");
        return;
    }
    db_clear_locked(r->db);
    session_load(r);
    /* Without its server nobody can be recognised: "signed out" would be a lie that sends people to the login page. */
    if (db_unavailable(r->db)) { fail_unavailable(r); return; }
    if ((r->route->access == STAFF || r->route->access == ACCOUNT) && !r->user) {
        if (r->want_json) { req_fail(r, 401, "Bạn cần đăng nhập."); return; }
        struct buf loc = { 0 };
        buf_puts(&loc, "/dang-nhap?next=");
        buf_puts(&loc, url);
        char *l = buf_take(&loc);
        req_redirect(r, l);
        free(l);
        return;
    }
    /* Learners share the account table with officials; only a role opens the work pages. */
    if (r->route->access == STAFF && !r->user->staff) {
        req_fail(r, 403, "Trang này dành cho cán bộ các đơn vị. Tài khoản học viên chỉ dùng cho khóa học.");
        return;
    }

    /* What the URL names (its path and query parameters) before any body is read: a body may not change it. */
    json_t *url_params = json_copy(r->params);
    bool body_ok = read_body(r, c, cc);
    const char *differs = body_ok ? body_overrides_url(r->params, url_params) : NULL;
    if (differs) {
        char msg[256];
        snprintf(msg, sizeof msg, "Trường \"%.64s\" trong dữ liệu gửi lên khác với giá trị trên địa chỉ của yêu cầu; "
                 "chưa có gì được ghi.", differs);
        req_fail(r, 400, msg);
    }
    json_decref(url_params);
    if (!body_ok || differs) return;

    nfc_request(r);

    if (is_write(r->method) && r->route->access != QUERY && !csrf_ok(r)) {
        req_fail(r, 403, "Phiên làm việc không hợp lệ hoặc đã hết hạn (CSRF). Vui lòng tải lại trang và thử lại.");
        return;
    }

    /* Anonymous readers of shared pages get the same bytes: serve them from the cache. Public documents are the
     * same for everyone, signed in or not, and cost a PDF or a workbook to make: kept longer, made a few times a
     * minute per address at most. */
    char key[2048] = "";
    bool doc = r->route->cacheable == CACHE_DOC && !is_write(r->method);
    bool cacheable = doc || (r->route->cacheable == CACHE_PAGE && !r->user && !is_write(r->method));
    struct page_cache *pc = doc ? a->docs : a->cache;
    if (cacheable) {
        struct buf k = { 0 };
        buf_printf(&k, "%c", r->want_json ? 'J' : 'H');
        key_escaped(&k, url);
        buf_puts(&k, "?");
        const char *kk;
        json_t *v;
        json_object_foreach(r->params, kk, v) {
            key_escaped(&k, kk);
            buf_puts(&k, "=");
            key_escaped(&k, json_string_value(v));
            buf_puts(&k, "&");
        }
        if (k.len < sizeof key) memcpy(key, k.p, k.len + 1);
        else cacheable = false;
        buf_free(&k);
        char etag[40];
        if (cacheable && cache_get(pc, key, r, etag)) {
            r->status = 200;
            req_header(r, "ETag", etag);
            req_header(r, "Cache-Control", doc ? "public, max-age=300" : "no-cache");
            const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
            if (inm && strcmp(inm, etag) == 0) { r->status = 304; r->body_len = 0; }
            return;
        }
    }
    if (doc) {
        int wait = ratelimit_take(r->db, "docs", r->ip, a->docs_per_minute);
        if (wait) {
            char ra[16];
            snprintf(ra, sizeof ra, "%d", wait);
            req_header(r, "Retry-After", ra);
            req_fail(r, 429, "Bạn tải tài liệu quá nhanh; vui lòng thử lại sau ít giây.");
            return;
        }
    }
    bool writes = is_write(r->method) && r->route->access != QUERY;
    const char *ikey = writes ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key") : NULL;
    char scope[80] = "";
    if (ikey && idempotency_begin(r, ikey, scope, sizeof scope)) return;
    r->route->fn(r);
    if (ikey && scope[0]) idempotency_end(r, ikey, scope);
    /* A begin that found the store locked wrote nothing, whatever the handler made of it. */
    if (db_locked(r->db) && r->status != 503) fail_busy(r);
    else if (r->status >= 500 && r->status != 503 && db_unavailable(r->db)) fail_unavailable(r);
    if (r->status >= 500) {
        /* The engine's last message, unless a rollback since has cleared it (req_result logged it then). */
        const char *m = db_errmsg(r->db);
        fprintf(stderr, "error: %s %s answered %d%s%s\n", r->method, r->route_name, r->status,
                strcmp(m, "not an error") ? ": " : "", strcmp(m, "not an error") ? m : "");
    }
    if (db_reset(r->db)) {
        fprintf(stderr, "warning: %s %s left a transaction open; rolled back\n", r->method, r->route_name);
        if (r->status < 400) { reset_response(r); req_fail(r, 500, "Không lưu được; chưa có gì được ghi. Vui lòng thử lại."); }
    }
    if (writes && r->status < 400) cache_wrote(r);
    if (cacheable && r->status == 200 && r->body && !r->per_visitor && !header_value(r, "Set-Cookie")) {
        uint64_t h = 14695981039346656037ULL;
        for (size_t i = 0; i < r->body_len; i++) h = (h ^ (unsigned char)r->body[i]) * 1099511628211ULL;
        char etag[40];
        snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
        cache_put(pc, key, r, etag);
        req_header(r, "ETag", etag);
        req_header(r, "Cache-Control", doc ? "public, max-age=300" : "no-cache");
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    struct app *a = cls;
    struct conn_ctx *cc = *con_cls;
    if (!cc) {
        cc = calloc(1, sizeof *cc);
        cc->started = now_s();
        *con_cls = cc;
        /* Uploads have their own limit: ask the route before reading the body. */
        bool api, mm;
        const char *pat;
        const struct route *rt = router_match(method, url, NULL, &pat, &api, &mm);
        cc->max_body = rt && rt->max_body ? rt->max_body : MAX_BODY;
        /* An oversized body is read and dropped so the client sees the 413 rather than a reset connection;
         * only absurd sizes are refused before reading. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        unsigned long long announced = cl ? strtoull(cl, NULL, 10) : 0;
        if (announced > cc->max_body) cc->too_large = true;
        if (announced <= 256ull * 1024 * 1024) return MHD_YES;
    }
    if (*upload_size) {
        /* A client trickling its body a byte at a time keeps a worker's connection for ever; the idle timeout never
         * fires. The whole request must arrive within its deadline. */
        if (now_s() - cc->started > a->request_seconds) return MHD_NO;
        if (!cc->too_large && cc->body.len + *upload_size > cc->max_body) {
            cc->too_large = true;
            buf_free(&cc->body);
        }
        if (!cc->too_large) buf_put(&cc->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    double t0 = now_s();
    struct req r = { .app = a, .method = method, .path = url, .params = json_object(), .status = 200 };
    r.want_json = wants_json(c) || strncmp(url, "/api/", 5) == 0;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r.peer, sizeof r.peer);
        else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r.peer, sizeof r.peer);
    }
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    r.forwarded = xff != NULL;
    client_ip(a->proxies, r.peer, xff, r.ip, sizeof r.ip);
    r.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    r.cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "dxday_session");
    r.cookie_csrf = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "dxday_csrf");
    r.cookie_device = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "dxday_device");
    r.header_csrf = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    r.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    run(a, c, &r, cc, url);
    if (!r.body) { r.body = strdup(""); r.body_len = 0; }
    metrics_record(a->metrics, r.route_name ? r.route_name : "(none)", method, r.status, now_s() - t0);
    enum MHD_Result ret = send_response(c, &r, strcmp(method, "HEAD") == 0);
    req_cleanup(&r);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    struct conn_ctx *cc = *con_cls;
    if (!cc) return;
    buf_free(&cc->body);
    free(cc);
    *con_cls = NULL;
}

struct app *app_new(const struct app_config *cfg)
{
    /* Before any worker thread exists: libcurl's global setup (e-mail, the generative assistant) is not thread-safe. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct app *a = calloc(1, sizeof *a);
    a->cfg = *cfg;
    char err[200];
    a->proxies = trusted_proxies_parse(getenv("DXDAY_TRUSTED_PROXIES"), err, sizeof err);
    if (!a->proxies) { fprintf(stderr, "serve: %s\n", err); free(a); return NULL; }
    a->metrics_token = getenv("DXDAY_METRICS_TOKEN");
    if (a->metrics_token && strlen(a->metrics_token) < 16) {
        fprintf(stderr, "serve: DXDAY_METRICS_TOKEN must be at least 16 characters\n");
        trusted_proxies_free(a->proxies);
        free(a);
        return NULL;
    }
    const char *rs = getenv("DXDAY_REQUEST_SECONDS");
    a->request_seconds = rs && atoi(rs) > 0 ? atoi(rs) : 120;
    /* A route that does not say who may call it is a bug, not a public page. */
    for (const struct route *const *t = router_tables(); *t; t++)
        for (const struct route *rt = *t; rt->fn; rt++)
            if (rt->access == ACCESS_UNSET) {
                fprintf(stderr, "serve: route %s %s does not say who may call it\n", rt->method, rt->page ? rt->page : rt->api);
                trusted_proxies_free(a->proxies);
                free(a);
                return NULL;
            }
    a->tmpl = tmpl_load();
    if (!a->tmpl) { trusted_proxies_free(a->proxies); free(a); return NULL; }
    a->metrics = metrics_new();
    a->cache = cache_new(1000, true);
    a->docs = cache_new(300 * 1000, false);
    const char *dpm = getenv("DXDAY_DOCS_PER_MINUTE");
    a->docs_per_minute = dpm && atoi(dpm) > 0 ? atoi(dpm) : 20;
    a->results = results_new();
    pthread_key_create(&a->db_key, close_db);
    if (password_hash("dxday-timing-equaliser", a->dummy_hash)) { app_free(a); return NULL; }
    db *d = app_db(a);
    if (!d || store_migrate(d)) { app_free(a); return NULL; }
    a->started_at = (uint64_t)time(NULL);
    return a;
}

int app_start(struct app *a)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(a->cfg.port) };
    if (inet_pton(AF_INET, a->cfg.bind, &sin.sin_addr) != 1) {
        fprintf(stderr, "serve: --bind %s is not an IPv4 address\n", a->cfg.bind);
        return -1;
    }
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 2;
    /* A request holds its thread while it waits for the database: SQLite answers from this machine's memory and
     * disk, a PostgreSQL server over the network, a commit after its WAL flush. There, eight threads a core keep
     * the cores busy while most threads wait (each thread has its own connection: mind max_connections). */
    bool server_db = !strncmp(a->cfg.db_path, "postgresql://", 13) || !strncmp(a->cfg.db_path, "postgres://", 11);
    int threads = a->cfg.threads > 0 ? a->cfg.threads : server_db ? 8 * cores : cores;
    /* One address may not hold every connection (256: an office or a carrier NAT shares one address). Behind
     * trusted proxies every connection is a proxy's, and the proxy limits its clients: then this limit is off. */
    const char *pl = getenv("DXDAY_CONNECTIONS_PER_IP");
    unsigned int per_ip = pl ? (unsigned int)atoi(pl) : trusted_proxies_count(a->proxies) ? 0 : 256;
    a->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, a->cfg.port,
                              NULL, NULL, on_request, a,
                              MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
                              MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, a,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                              MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
                              MHD_OPTION_END);
    if (!a->mhd) {
        fprintf(stderr, "serve: cannot listen on %s:%d\n", a->cfg.bind, a->cfg.port);
        return -1;
    }
    return 0;
}

int app_serve(struct app *a)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    /* Worker threads inherit the mask, so the signals wait for sigwait below. */
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (app_start(a)) return -1;
    struct scheduler *sched = getenv("DXDAY_NO_REMINDERS") ? NULL : scheduler_start(a->cfg.db_path);
    int sig;
    sigwait(&set, &sig);
    scheduler_stop(sched);
    return 0;
}

void app_free(struct app *a)
{
    if (!a) return;
    if (a->mhd) MHD_stop_daemon(a->mhd);
    db *d = pthread_getspecific(a->db_key);
    if (d) { db_close(d); pthread_setspecific(a->db_key, NULL); }
    tmpl_free(a->tmpl);
    metrics_free(a->metrics);
    cache_free(a->cache);
    cache_free(a->docs);
    results_free(a->results);
    trusted_proxies_free(a->proxies);
    free(a);
}
