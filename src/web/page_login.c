/* Signing in and out. Unknown e-mails and wrong passwords get the same message and the same work (an argon2id
 * verification either way); repeated failures for an address or from an IP are refused for a while.
 * Must not reveal whether an account exists. */
#include "web/app.h"
#include "core/text.h"
#include "core/phone.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW_S 900
#define MAX_PER_EMAIL 5
/* Per address: against trying one password on many accounts. High, because learners sign in from mobile networks
 * where thousands share one carrier-grade NAT address, and officials from offices behind one; each account's own
 * limit is what protects it. */
#define MAX_PER_IP 300
#define BAD_LOGIN "Email hoặc mật khẩu không đúng."

static bool safe_next(const char *n) { return n && n[0] == '/' && n[1] != '/' && n[1] != '\\' && !strchr(n, '\r') && !strchr(n, '\n'); }

static int form(struct req *r, int status, const char *error)
{
    const char *next = req_str(r, "next");
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "title", "Đăng nhập", "_nav", "login", "csrf", csrf_token(r),
                            "next", safe_next(next) ? next : "/tai-khoan", "error", error);
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

/* Seconds until the caller may try again, or 0. */
static long throttled(struct req *r, const char *ekey, const char *ikey)
{
    time_t now = time(NULL);
    const char *keys[] = { ekey, ikey };
    const int max[] = { MAX_PER_EMAIL, MAX_PER_IP };
    long wait = 0;
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(r->db, "SELECT COUNT(*), MIN(at) FROM login_failure WHERE key = ? AND at > ?");
        db_bind_text(s, 1, keys[i]);
        db_bind_int(s, 2, now - WINDOW_S);
        if (db_step(s) == DB_ROW && db_col_int(s, 0) >= max[i]) {
            long w = (long)(db_col_int(s, 1) + WINDOW_S - now);
            if (w > wait) wait = w;
        }
        db_done(s);
    }
    return wait;
}

static void record_failure(struct req *r, const char *ekey, const char *ikey)
{
    const char *keys[] = { ekey, ikey };
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(r->db, "INSERT INTO login_failure (key, at) VALUES (?, ?)");
        db_bind_text(s, 1, keys[i]);
        db_bind_int(s, 2, time(NULL));
        db_step(s);
        db_done(s);
    }
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
    char ekey[300], ikey[100];
    snprintf(ekey, sizeof ekey, "email:%s", email);
    snprintf(ikey, sizeof ikey, "ip:%s", r->ip);
    long wait = throttled(r, ekey, ikey);
    if (wait > 0) {
        char ra[24], msg[160];
        snprintf(ra, sizeof ra, "%ld", wait);
        snprintf(msg, sizeof msg, "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %ld phút.", (wait + 59) / 60);
        req_header(r, "Retry-After", ra);
        return form(r, 429, msg);
    }
    db_stmt *s = db_prepare(r->db, "SELECT id, password_hash FROM app_user WHERE email = ? AND active = 1");
    db_bind_text(s, 1, email);
    json_t *u = db_row(s);
    const char *hash = u ? json_string_value(json_object_get(u, "password_hash")) : r->app->dummy_hash;
    bool ok = password_verify(hash, pw) && u;
    int64_t uid = u ? json_integer_value(json_object_get(u, "id")) : 0;
    json_decref(u);
    if (!ok) {
        db_begin(r->db);
        record_failure(r, ekey, ikey);
        audit(r, "login.fail", "user", uid, json_pack("{s:s}", "email", email));
        db_commit(r->db);
        return form(r, 401, BAD_LOGIN);
    }
    db_begin(r->db);
    s = db_prepare(r->db, "DELETE FROM login_failure WHERE key = ?");
    db_bind_text(s, 1, ekey);
    db_step(s);
    db_done(s);
    int rc = session_create(r, uid);
    struct user me = { .id = uid };
    r->user = &me;
    if (!rc) rc = audit(r, "login", "user", uid, NULL);
    r->user = NULL;
    if (rc) db_rollback(r->db);
    else rc = db_commit(r->db);
    if (rc) return form(r, 500, "Không đăng nhập được, vui lòng thử lại.");
    const char *next = req_str(r, "next");
    return req_redirect(r, safe_next(next) ? next : "/tai-khoan");
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
