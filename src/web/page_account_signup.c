/* Learners sign up for the MOOC with a name, an e-mail or a Vietnamese mobile number, and a password, then sign in.
 * The answer is the same whether or not the login was free (a taken one's owner gets a notice instead), so sign-up
 * cannot be used to find out who has an account. Must not give the account a role, nor sign anyone in. */
#include "http/app.h"
#include "http/safe_next.h"
#include "store/signup.h"
#include "store/audit.h"
#include "core/phone.h"
#include "core/text.h"
#include "core/date.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_PASSWORD 8

/* Per address and minute; DXDAY_SIGNUP_PER_MINUTE changes it (tests sign many learners up from one address). */
static int signups_per_minute(void)
{
    const char *v = getenv("DXDAY_SIGNUP_PER_MINUTE");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 30;
}

static const char *field(struct req *r, const char *k)
{
    const char *v = req_str(r, k);
    return v ? v : json_string_value(json_object_get(r->body_json, k));
}

static int form(struct req *r, int status, const char *error, json_t *fields)
{
    const char *next = field(r, "next");
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:i}", "title", "Đăng ký học", "_nav", "signup", "csrf", csrf_token(r),
                            "next", safe_next_or(next, "/tai-khoan/hoc-tap"), "error", error, "min_password", MIN_PASSWORD);
    if (fields) json_object_set_new(ctx, "fields", fields);
    const char *keep[] = { "name", "login" };
    for (int i = 0; i < 2; i++)
        if (field(r, keep[i])) json_object_set_new(ctx, keep[i], json_string(field(r, keep[i])));
    r->status = status;
    return render(r, ctx, "courses/signup");
}

static int show(struct req *r)
{
    if (r->user && !r->want_json) return req_redirect(r, "/tai-khoan/hoc-tap");
    return form(r, 200, NULL, NULL);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A plain e-mail address, lower-cased into out: one '@', something before it, a dot in the domain, no spaces. */
static bool email_ok(const char *in, char out[256])
{
    size_t n = strlen(in);
    const char *at = strchr(in, '@');
    if (n < 5 || n > 254 || !at || at == in || strchr(at + 1, '@') || !strchr(at + 1, '.') || at[1] == '.' || in[n - 1] == '.') return false;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c && (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))) return false;
        out[i] = (char)tolower(c);
    }
    return true;
}

#define SIGNED_UP "Đã nhận đăng ký. Mời bạn đăng nhập bằng mật khẩu vừa đặt để bắt đầu học. Nếu email hoặc số điện thoại này " \
                  "đã có tài khoản, chủ tài khoản sẽ được báo và mật khẩu cũ vẫn giữ nguyên."

/* One answer for a new account and a taken login: the sign-in form, filled in, with where to go after. */
static int signed_up(struct req *r, const char *login)
{
    const char *next = safe_next_or(field(r, "next"), "/tai-khoan/hoc-tap");
    if (r->want_json) {
        r->status = 202;
        return render(r, json_pack("{s:s, s:s, s:s}", "message", SIGNED_UP, "login", login, "next", next), "login");
    }
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "title", "Đăng nhập", "_nav", "login", "csrf", csrf_token(r),
                            "next", next, "email", login, "notice", SIGNED_UP);
    return render(r, ctx, "login");
}

static int submit(struct req *r)
{
    const char *name_in = field(r, "name"), *pw = field(r, "password");
    const char *login_in = field(r, "login") ? field(r, "login") : field(r, "email") ? field(r, "email") : field(r, "phone");
    json_t *errs = json_object();
    char *name = name_in ? text_nfc(name_in) : NULL;
    char *trimmed = name;
    while (trimmed && (*trimmed == ' ' || *trimmed == '\t')) trimmed++;
    if (!trimmed || !*trimmed || utf8_chars(trimmed) > 100 || strpbrk(trimmed, "\r\n<>"))
        json_object_set_new(errs, "name", json_string("Nhập họ và tên (tối đa 100 ký tự)."));
    char login[256] = "";
    if (!login_in || !*login_in) {
        json_object_set_new(errs, "login", json_string("Nhập email hoặc số điện thoại di động."));
    } else if (strchr(login_in, '@')) {
        if (!email_ok(login_in, login)) json_object_set_new(errs, "login", json_string("Email không hợp lệ."));
    } else if (phone_vn_looks_like(login_in)) {
        if (!phone_vn_normalise(login_in, login))
            json_object_set_new(errs, "login", json_string("Số điện thoại không hợp lệ: cần số di động Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678."));
    } else {
        json_object_set_new(errs, "login", json_string("Nhập email hoặc số điện thoại di động."));
    }
    if (!pw || utf8_chars(pw) < MIN_PASSWORD || strlen(pw) > 1024)
        json_object_set_new(errs, "password", json_string("Mật khẩu cần ít nhất 8 ký tự."));
    if (json_object_size(errs)) {
        free(name);
        return r->want_json ? req_fail_ctx(r, 422, "Chưa đăng ký được; xem các ô cần sửa.", errs)
                            : form(r, 422, "Chưa đăng ký được; xem các ô cần sửa.", errs);
    }
    json_decref(errs);
    for (size_t n = strlen(trimmed); n && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '\t'); n--) trimmed[n - 1] = 0;
    /* Counted once the form is valid: typos cost nothing, while each lookup and argon2id hash is budgeted. */
    int wait = ratelimit_take(r->db, "signup", r->ip, signups_per_minute());
    if (wait) {
        free(name);
        char ra[16];
        snprintf(ra, sizeof ra, "%d", wait);
        req_header(r, "Retry-After", ra);
        return r->want_json ? req_fail(r, 429, "Có quá nhiều lượt đăng ký từ địa chỉ này; vui lòng thử lại sau một phút.")
                            : form(r, 429, "Có quá nhiều lượt đăng ký từ địa chỉ này; vui lòng thử lại sau một phút.", NULL);
    }
    /* Free or taken, the same work: one argon2id hash, one transaction, one audit entry, the same answer. */
    char hash[160], now[21], day_ago[21];
    if (password_hash(pw, hash)) { free(name); return req_fail(r, 500, "Không tạo được tài khoản, vui lòng thử lại."); }
    time_t t = time(NULL);
    date_utc_iso(t, now);
    date_utc_iso(t - 86400, day_ago);
    int64_t owner = 0, uid = 0;
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db)) {
        store_fail_db(&res, r->db);
        db_rollback(r->db);
    } else {
        if (store_signup(r->db, login, trimmed, hash, now, day_ago, &uid, &owner, &res) == STORE_OK)
            /* A new account's entry is its own doing; a taken login's is nobody's, about the owner's account. */
            store_audit(r->db, uid, r->ip, uid ? "signup" : "signup.taken", "user", uid ? uid : owner, NULL, &res);
        if (res.status != STORE_OK) db_rollback(r->db);
        else if (db_commit(r->db)) store_fail_db(&res, r->db);
    }
    free(name);
    if (res.status == STORE_BUSY) {
        store_result_free(&res);
        req_header(r, "Retry-After", "2");
        return r->want_json ? req_fail(r, 503, "Chưa ghi được đăng ký vì hệ thống đang bận; vui lòng thử lại.")
                            : form(r, 503, "Chưa ghi được đăng ký vì hệ thống đang bận; vui lòng thử lại.", NULL);
    }
    if (res.status != STORE_OK) return req_result(r, &res);
    /* The owner hears by e-mail on the next reminder run; when that cannot happen, the operator at least sees it. */
    if (uid == 0 && (!getenv("DXDAY_SMTP_URL") || !strchr(login, '@')))
        fprintf(stderr, "signup: the login of account %lld was signed up for again; notice recorded, not e-mailed (%s)\n",
                (long long)owner, strchr(login, '@') ? "DXDAY_SMTP_URL unset" : "a phone number");
    return signed_up(r, login);
}

const struct route page_signup_routes[] = {
    { "GET", "/dang-ky", "/api/signup", show, PUBLIC, false, 0 },
    { "POST", "/dang-ky", "/api/signup", submit, PUBLIC, false, 0 },
    { 0 },
};
