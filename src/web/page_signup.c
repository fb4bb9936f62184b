/* Learners sign up for the MOOC with a name, an e-mail or a Vietnamese mobile number, and a password; they are signed in
 * at once. Must not give the account a role: learners see no staff pages, and roles are granted by admins only. */
#include "web/app.h"
#include "core/phone.h"
#include "core/text.h"
#include "core/date.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_PASSWORD 8

static bool safe_next(const char *n) { return n && n[0] == '/' && n[1] != '/' && n[1] != '\\' && !strchr(n, '\r') && !strchr(n, '\n'); }

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
                            "next", safe_next(next) ? next : "/tai-khoan/hoc-tap", "error", error, "min_password", MIN_PASSWORD);
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
    int wait = ratelimit_take("signup", r->ip, signups_per_minute());
    if (wait) {
        free(name);
        char ra[16];
        snprintf(ra, sizeof ra, "%d", wait);
        req_header(r, "Retry-After", ra);
        return r->want_json ? req_fail(r, 429, "Có quá nhiều lượt đăng ký từ địa chỉ này; vui lòng thử lại sau một phút.")
                            : form(r, 429, "Có quá nhiều lượt đăng ký từ địa chỉ này; vui lòng thử lại sau một phút.", NULL);
    }
    /* Checked before the costly hash; the insert's ON CONFLICT settles a race between two sign-ups. */
    db_stmt *s = db_prepare(r->db, "SELECT COUNT(*) FROM app_user WHERE email = ?");
    db_bind_text(s, 1, login);
    int64_t uid = 0;
    char hash[160], now[21];
    if (!db_scalar_int(s, 0)) {
        if (password_hash(pw, hash)) { free(name); return req_fail(r, 500, "Không tạo được tài khoản, vui lòng thử lại."); }
        date_utc_iso(time(NULL), now);
        db_begin(r->db);
        s = db_prepare(r->db, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT (email) DO NOTHING RETURNING id");
        db_bind_text(s, 1, login);
        db_bind_text(s, 2, trimmed);
        db_bind_text(s, 3, hash);
        db_bind_text(s, 4, now);
        uid = db_scalar_int(s, 0);
        if (!uid) db_rollback(r->db);
    }
    free(name);
    if (!uid) {
        const char *msg = strchr(login, '@') ? "Email này đã được dùng để đăng ký. Hãy đăng nhập."
                                             : "Số điện thoại này đã được dùng để đăng ký. Hãy đăng nhập.";
        return r->want_json ? req_fail(r, 409, msg) : form(r, 409, msg, NULL);
    }
    int rc = session_create(r, uid);
    struct user me = { .id = uid };
    r->user = &me;
    if (!rc) rc = audit(r, "signup", "user", uid, NULL);
    r->user = NULL;
    if (rc) db_rollback(r->db);
    else rc = db_commit(r->db);
    if (rc) return req_fail(r, 500, "Không tạo được tài khoản, vui lòng thử lại.");
    const char *next = field(r, "next");
    if (!r->want_json) return req_redirect(r, safe_next(next) ? next : "/tai-khoan/hoc-tap");
    /* An API client continues with the new session's CSRF token. */
    s = db_prepare(r->db, "SELECT csrf FROM session WHERE user_id = ? ORDER BY created_at DESC LIMIT 1");
    db_bind_int(s, 1, uid);
    json_t *row = db_row(s);
    r->status = 201;
    json_t *ctx = json_pack("{s:{s:I, s:s}, s:O}", "user", "id", (json_int_t)uid, "login", login, "csrf",
                            row ? json_object_get(row, "csrf") : json_null());
    json_decref(row);
    return render(r, ctx, "courses/signup");
}

const struct route page_signup_routes[] = {
    { "GET", "/dang-ky", "/api/signup", show, PUBLIC, false, 0 },
    { "POST", "/dang-ky", "/api/signup", submit, PUBLIC, false, 0 },
    { 0 },
};
