/* Signing in and out. Unknown logins and wrong passwords get the same message and the same work (an argon2id
 * verification either way); wrong passwords slow a login down for untrusted clients but never lock its owner out.
 * Must not reveal whether an account exists, nor refuse the right password from a browser that signed in before. */
#include "http/app.h"
#include "http/device.h"
#include "http/safe_next.h"
#include "store/login_guard.h"
#include "store/audit.h"
#include "core/phone.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BAD_LOGIN "Email hoặc mật khẩu không đúng."

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : dflt;
}

/* Defaults after OWASP's advice: a few free tries, then a wait that grows but stays in minutes, never a lockout. The
 * address limit counts distinct logins, so thousands behind one carrier NAT or proxy typing their own passwords do
 * not trip it; spraying one password over many accounts does. */
static struct login_policy policy(void)
{
    return (struct login_policy){
        .free_failures = env_int("DXDAY_LOGIN_FREE_FAILURES", 5),
        .delay_s = env_int("DXDAY_LOGIN_DELAY_S", 30),
        .delay_max_s = env_int("DXDAY_LOGIN_DELAY_MAX_S", 300),
        .window_s = 86400,
        .address_logins = env_int("DXDAY_LOGIN_ADDRESS_LOGINS", 30),
        .address_window_s = 900,
        .address_gap_s = env_int("DXDAY_LOGIN_ADDRESS_GAP_S", 5),
    };
}

static int form(struct req *r, int status, const char *error)
{
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "title", "Đăng nhập", "_nav", "login", "csrf", csrf_token(r),
                            "next", safe_next_or(req_str(r, "next"), "/tai-khoan"), "error", error);
    const char *email = req_str(r, "email");
    if (email) json_object_set_new(ctx, "email", json_string(email));
    r->status = status;
    return render(r, ctx, "login");
}

static int show(struct req *r)
{
    if (r->user && !r->want_json) return req_redirect(r, "/tai-khoan");
    return form(r, 200, NULL);
}

static int slow_down(struct req *r, int wait)
{
    char ra[24], msg[200];
    snprintf(ra, sizeof ra, "%d", wait);
    if (wait < 60) snprintf(msg, sizeof msg, "Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau %d giây.", wait);
    else snprintf(msg, sizeof msg, "Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau %d phút.", (wait + 59) / 60);
    req_header(r, "Retry-After", ra);
    return form(r, 429, msg);
}

#define BUSY_SIGNIN "Không đăng nhập được vì hệ thống đang bận, vui lòng thử lại."

/* No cookie for a session or device that was not written. */
static void drop_headers(struct req *r)
{
    for (int i = 0; i < r->nheaders; i++) { free(r->headers[i].name); free(r->headers[i].value); }
    r->nheaders = 0;
}

/* The outermost begin failed (another writer held the lock): nothing can be written in this request. */
/* Nothing of the sign-in was written: a busy store answers with the form and Retry-After, so the person can simply send
 * it again; a broken one like any other store failure (500, logged). A failed commit fills res here. */
static int store_failed(struct req *r, struct store_result *res, const char *busy_message)
{
    drop_headers(r);
    if (res->status == STORE_OK) store_fail_db(res, r->db);
    if (res->status != STORE_BUSY) return req_result(r, res);
    store_result_free(res);
    req_header(r, "Retry-After", "2");
    return form(r, 503, busy_message);
}

static int submit(struct req *r)
{
    const char *email_in = req_str(r, "email"), *pw = req_str(r, "password");
    if (!email_in || !*email_in || !pw || !*pw) return form(r, 400, "Vui lòng nhập email và mật khẩu.");
    if (strlen(email_in) > 254 || strlen(pw) > 1024) return form(r, 400, BAD_LOGIN);
    char email[256];
    size_t n = 0;
    for (const char *p = email_in; *p && n < sizeof email - 1; p++)
        if (!isspace((unsigned char)*p)) email[n++] = (char)tolower((unsigned char)*p);
    email[n] = 0;
    char phone[13];   /* learners sign in with a mobile number, stored as +84… (page_signup.c) */
    if (!strchr(email, '@') && phone_vn_normalise(email, phone)) snprintf(email, sizeof email, "%s", phone);

    json_t *u = store_login_account(r->db, email);
    int64_t uid = u ? json_integer_value(json_object_get(u, "id")) : 0;
    int64_t now = time(NULL);
    char dev[65];
    bool has_dev = uid && device_cookie_hash(r, dev) && store_login_device_user(r->db, dev, now) == uid;
    struct login_try t = { .login = email, .ip = r->ip, .device = has_dev ? dev : NULL, .now = now };
    struct login_policy p = policy();
    struct login_verdict v;
    if (store_login_admit(r->db, &p, &t, &v)) {
        json_decref(u);
        req_header(r, "Retry-After", "2");
        return form(r, 503, "Hệ thống đang bận, chưa kiểm tra được mật khẩu. Vui lòng thử lại sau giây lát.");
    }
    if (v.wait > 0) {
        json_decref(u);
        return slow_down(r, v.wait);
    }
    const char *hash = u ? json_string_value(json_object_get(u, "password_hash")) : r->app->dummy_hash;
    bool ok = password_verify(hash, pw) && u;
    json_decref(u);
    struct store_result res = STORE_RESULT_OK;
    if (!ok) {
        /* The attempt is already counted (store_login_admit); this is the audit trail of it, by nobody signed in. A
         * wrong password whose trail cannot be written is answered as a right one whose sign-in cannot be (503 busy,
         * 500 broken), so the answer tells nothing about the password either way. */
        if (store_begin(r->db, &res)) return store_failed(r, &res, BUSY_SIGNIN);
        if (store_audit(r->db, 0, r->ip, "login.fail", "user", uid,
                        json_pack("{s:s, s:b}", "email", email, "device", v.trusted), &res)) {
            db_rollback(r->db);
            return store_failed(r, &res, BUSY_SIGNIN);
        }
        if (db_commit(r->db)) return store_failed(r, &res, BUSY_SIGNIN);
        return form(r, 401, BAD_LOGIN);
    }
    if (store_begin(r->db, &res)) return store_failed(r, &res, BUSY_SIGNIN);
    bool written = !store_login_succeeded(r->db, &t, v.trusted) && !session_create(r, uid, &res) &&
                   !device_cookie_issue(r, uid, now) &&
                   store_audit(r->db, uid, r->ip, "login", "user", uid, v.trusted ? json_pack("{s:b}", "device", 1) : NULL,
                               &res) == STORE_OK;
    if (!written) {
        if (res.status == STORE_OK) store_fail_db(&res, r->db);   /* before the rollback replaces the engine's message */
        db_rollback(r->db);
        return store_failed(r, &res, BUSY_SIGNIN);
    }
    if (db_commit(r->db)) return store_failed(r, &res, BUSY_SIGNIN);
    return req_redirect(r, safe_next_or(req_str(r, "next"), "/tai-khoan"));
}

/* Signing out forgets the session and writes its audit entry in one transaction; when that fails the browser keeps its
 * cookie, so that signing out again can still reach the session it names. */
static int logout(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    bool writes = r->user || r->cookie_session;   /* the public with no session cookie: only the cookie to clear */
    if (writes && store_begin(r->db, &res)) return req_result(r, &res);
    if (r->user) store_audit(r->db, r->user->id, r->ip, "logout", "user", r->user->id, NULL, &res);
    if (res.status == STORE_OK) session_destroy(r, &res);
    if (res.status != STORE_OK) {
        if (writes) db_rollback(r->db);
        drop_headers(r);
        return req_result(r, &res);
    }
    if (writes && db_commit(r->db)) {
        store_fail_db(&res, r->db);
        drop_headers(r);
        return req_result(r, &res);
    }
    return req_redirect(r, "/");
}

const struct route page_login_routes[] = {
    { "GET", "/dang-nhap", "/api/login", show, PUBLIC, false, 0 },
    { "POST", "/dang-nhap", "/api/login", submit, PUBLIC, false, 0 },
    { "POST", "/dang-xuat", "/api/logout", logout, PUBLIC, false, 0 },
    { 0 },
};
