/* Public verification of course and training certificates (/chung-chi/CODE) and their PDF, for anyone, without an account.
 * Reads the store only; rate-limited per address so codes cannot be enumerated; never reveals more than the page.
 * Must not show a learner's e-mail or phone. */
#include "http/app.h"
#include "store/certificate.h"
#include "store/result.h"
#include "core/buf.h"
#include "core/date.h"
#include "export/certificate.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_LEN 26
#define NOT_FOUND "Mã chứng chỉ này không tồn tại. Vui lòng kiểm tra lại mã in trên chứng chỉ (26 ký tự, gồm chữ A–Z và số 2–7)."

/* Per address and minute; DXDAY_VERIFY_PER_MINUTE changes it (the tests lower it to see the limit work). */
static int verifies_per_minute(void)
{
    const char *v = getenv("DXDAY_VERIFY_PER_MINUTE");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 30;
}

/* Codes are base32 (A–Z, 2–7) and read case-insensitively: the input is upper-cased, then compared exactly. */
static bool code_norm(const char *in, char out[CODE_LEN + 1])
{
    if (!in || strlen(in) != CODE_LEN) return false;
    for (int i = 0; i < CODE_LEN; i++) {
        char c = (char)toupper((unsigned char)in[i]);
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) return false;
        out[i] = c;
    }
    out[CODE_LEN] = 0;
    return true;
}

/* The public origin for addresses printed on paper: DXDAY_PUBLIC_URL when set (as for the sitemap), else the
 * Host the request came to, when it looks like a host name; the configured bind address as a last resort. */
static void origin(struct req *r, char *out, size_t n)
{
    const char *pub = getenv("DXDAY_PUBLIC_URL");
    if (pub && *pub) {
        snprintf(out, n, "%s", pub);
        size_t l = strlen(out);
        while (l && out[l - 1] == '/') out[--l] = 0;
        return;
    }
    const char *scheme = r->app && r->app->cfg.secure_cookies ? "https" : "http";
    const char *h = r->host;
    bool ok = h && *h && strlen(h) < 256;
    for (const char *p = h; ok && *p; p++) ok = isalnum((unsigned char)*p) || strchr(".-:[]", *p);
    if (ok) snprintf(out, n, "%s://%s", scheme, h);
    else if (r->app) snprintf(out, n, "%s://%s:%d", scheme, r->app->cfg.bind, r->app->cfg.port);
    else snprintf(out, n, "http://localhost");
}

/* The Vietnamese calendar date (UTC+7) of a stored UTC timestamp, dd/mm/yyyy. */
static void vn_date(const char *iso, char out[11])
{
    struct tm tm = {0};
    snprintf(out, 11, "%.10s", iso ? iso : "");
    if (iso && sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                      &tm.tm_sec) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        date_format_vn(date_today_at(timegm(&tm)), out);
    }
}

/* Counts the request against the limit; false after sending the 429. */
static bool within_limit(struct req *r)
{
    int wait = ratelimit_take(r->db, "verify", r->ip, verifies_per_minute());
    if (!wait) return true;
    char s[16];
    snprintf(s, sizeof s, "%d", wait);
    req_header(r, "Retry-After", s);
    req_fail(r, 429, "Bạn tra cứu chứng chỉ quá nhanh; vui lòng thử lại sau ít giây.");
    return false;
}

/* The certificate named by the {code} parameter, or NULL after answering 404 (or 429, or 500/503 when the store
 * failed: a database error is never "this certificate does not exist"). */
static json_t *lookup(struct req *r, char code[CODE_LEN + 1])
{
    if (!within_limit(r)) return NULL;
    json_t *c = NULL;
    if (code_norm(req_str(r, "code"), code)) {
        struct store_result res = STORE_RESULT_OK;
        c = store_certificate_verify(r->db, code, &res);
        if (!c && res.status != STORE_NOT_FOUND) {
            req_result(r, &res);
            return NULL;
        }
    }
    if (!c) {
        /* Its own page, not the generic error: a person checking a paper certificate needs to know what failed. */
        r->status = 404;
        json_t *ctx = json_pack("{s:b, s:s, s:i, s:s, s:s}", "valid", 0, "error", NOT_FOUND, "status", 404, "title",
                                "Không tìm thấy chứng chỉ", "og_description", "Tra cứu chứng chỉ khóa học kỹ năng số.");
        const char *given = req_str(r, "code");
        if (given && strlen(given) <= 64) json_object_set_new(ctx, "code", json_string(given));
        render(r, ctx, "certificates/missing");
    }
    return c;
}

static int show(struct req *r)
{
    char code[CODE_LEN + 1], base[512], date[11];
    json_t *c = lookup(r, code);
    if (!c) return r->status;
    origin(r, base, sizeof base);
    vn_date(json_string_value(json_object_get(c, "issued_at")), date);
    json_object_set_new(c, "issued_date", json_string(date));
    /* A training class's certificate names the class and links to its page; a course's, the course. */
    bool training = !strcmp(json_string_value(json_object_get(c, "kind")) ? json_string_value(json_object_get(c, "kind")) : "", "training");
    if (training) json_object_set_new(c, "course_url", json_sprintf("/tap-huan/%lld", (long long)json_integer_value(json_object_get(c, "training_id"))));
    else json_object_set_new(c, "course_url", json_sprintf("/khoa-hoc/%s", json_string_value(json_object_get(c, "course_slug"))));
    json_object_set_new(c, "achievement", json_string(training ? "đã hoàn thành lớp tập huấn" : "đã hoàn thành khóa học"));
    json_object_set_new(c, "is_training", json_boolean(training));
    json_object_set_new(c, "verify_url", json_sprintf("%s/chung-chi/%s", base, code));
    json_object_set_new(c, "pdf_url", json_sprintf("/chung-chi/%s/pdf", code));
    json_t *ctx = json_pack("{s:b, s:s, s:o}", "valid", 1, "status_label", "Chứng chỉ hợp lệ", "certificate", c);
    json_object_set_new(ctx, "title", json_sprintf("Chứng chỉ của %s", json_string_value(json_object_get(c, "learner_name"))));
    json_object_set_new(ctx, "og_description",
                        json_sprintf("%s %s \"%s\" ngày %s. Chứng chỉ hợp lệ, mã %s.",
                                     json_string_value(json_object_get(c, "learner_name")), training ? "đã hoàn thành lớp tập huấn" : "đã hoàn thành khóa học",
                                     json_string_value(json_object_get(c, "course_title")), date, code));
    json_object_set_new(ctx, "_nav", json_string("courses"));
    return render(r, ctx, "certificates/show");
}

static int pdf(struct req *r)
{
    char code[CODE_LEN + 1], base[512], url[600], err[256];
    json_t *c = lookup(r, code);
    if (!c) return r->status;
    origin(r, base, sizeof base);
    snprintf(url, sizeof url, "%s/chung-chi/%s", base, code);
    struct certificate cert = {
        .code = code,
        .learner_name = json_string_value(json_object_get(c, "learner_name")),
        .course_title = json_string_value(json_object_get(c, "course_title")),
        .issued_at = json_string_value(json_object_get(c, "issued_at")),
        .verify_url = url,
    };
    if (!strcmp(json_string_value(json_object_get(c, "kind")) ? json_string_value(json_object_get(c, "kind")) : "", "training")) {
        cert.heading = "CHỨNG CHỈ HOÀN THÀNH LỚP TẬP HUẤN";
        cert.verb = "đã hoàn thành lớp tập huấn";
    }
    size_t len;
    char *doc = certificate_pdf(&cert, &len, err, sizeof err);
    json_decref(c);
    if (!doc) return req_fail(r, 500, err);
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"chung-chi-%s.pdf\"", code);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/pdf", doc, len);
}

/* The look-up form; a code typed into it goes to its page. */
static int search(struct req *r)
{
    const char *q = req_str(r, "ma");
    if (q && *q) {
        char code[CODE_LEN + 1], loc[64];
        /* People copy codes with spaces or dashes between groups: those are not part of the code. */
        char clean[80];
        size_t n = 0;
        for (const char *p = q; *p && n + 1 < sizeof clean; p++)
            if (*p != ' ' && *p != '-') clean[n++] = *p;
        clean[n] = 0;
        if (code_norm(clean, code)) {
            snprintf(loc, sizeof loc, "/chung-chi/%s", code);
            return req_redirect(r, loc);
        }
        json_object_set_new(r->params, "code", json_string(clean));
        char dummy[CODE_LEN + 1];
        json_t *c = lookup(r, dummy);
        json_decref(c);
        return r->status;
    }
    json_t *ctx = json_pack("{s:s, s:s, s:s}", "title", "Tra cứu chứng chỉ", "_nav", "courses", "og_description",
                            "Kiểm tra chứng chỉ hoàn thành khóa học kỹ năng số bằng mã in trên chứng chỉ.");
    return render(r, ctx, "certificates/search");
}

const struct route page_certificates_routes[] = {
    { "GET", "/chung-chi", "/api/certificates", search, PUBLIC, false, 0 },
    { "GET", "/chung-chi/{code}", "/api/certificates/{code}", show, PUBLIC, false, 0 },
    { "GET", "/chung-chi/{code}/pdf", NULL, pdf, PUBLIC, CACHE_DOC, 0 },
    { 0 },
};
