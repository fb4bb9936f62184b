/* Signing in and out. Unknown logins and wrong passwords get the same message and the same work (an argon2id
 * verification either way); wrong passwords slow a login down for untrusted clients but never lock its owner out.
 * Must not reveal whether an account exists, nor refuse the right password from a browser that signed in before. */
#include "web/app.h"
#include "web/device.h"
#include "web/safe_next.h"
#include "store/login_guard.h"
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
    if (!ok) {
        /* The attempt is already counted (store_login_admit); this is the audit trail of it. */
        if (!db_begin(r->db)) {
            if (audit(r, "login.fail", "user", uid, json_pack("{s:s, s:b}", "email", email, "device", v.trusted))) db_rollback(r->db);
            else db_commit(r->db);
        } else db_rollback(r->db);
        return form(r, 401, BAD_LOGIN);
    }
    int rc = db_begin(r->db);
    if (!rc) rc = store_login_succeeded(r->db, &t, v.trusted);
    if (!rc) rc = session_create(r, uid);
    if (!rc) rc = device_cookie_issue(r, uid, now);
    struct user me = { .id = uid };
    r->user = &me;
    if (!rc) rc = audit(r, "login", "user", uid, v.trusted ? json_pack("{s:b}", "device", 1) : NULL);
    r->user = NULL;
    if (rc) db_rollback(r->db);
    else rc = db_commit(r->db);
    if (rc) {
        /* No cookie for a session or device that was not written. */
        for (int i = 0; i < r->nheaders; i++) { free(r->headers[i].name); free(r->headers[i].value); }
        r->nheaders = 0;
        req_header(r, "Retry-After", "2");
        return form(r, 503, "Không đăng nhập được vì hệ thống đang bận, vui lòng thử lại.");
    }
    return req_redirect(r, safe_next_or(req_str(r, "next"), "/tai-khoan"));
}

static int logout(struct req *r)
{
    if (r->user) audit(r, "logout", "user", r->user->id, NULL);
    session_destroy(r);
    return req_redirect(r, "/");
}

const struct route page_login_routes[] = {
    { "GET", "/dang-nhap", "/api/login", show, PUBLIC, false, 0 },
    { "POST", "/dang-nhap", "/api/login", submit, PUBLIC, false, 0 },
    { "POST", "/dang-xuat", "/api/logout", logout, PUBLIC, false, 0 },
    { 0 },
};
