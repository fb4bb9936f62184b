/* "Quên mật khẩu?": a single-use link, valid 30 minutes, e-mailed to the account's address, or made by an admin for a
 * staff account (valid a day). Tokens are kept as SHA-256 only. Must not tell anyone whether an account exists, nor let
 * an admin act on an account holding a role outside the admin's subtrees. */
#include "http/app.h"
#include "http/mail.h"
#include "web/page_account.h"
#include "store/account.h"
#include "store/audit.h"
#include "store/org.h"
#include "core/date.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINK_MINUTES 30
#define ADMIN_LINK_HOURS 24
#define FORGOT_SENT "Nếu email này có tài khoản trên dxday, chúng tôi vừa gửi tới đó một liên kết đặt lại mật khẩu, dùng được " \
                    "một lần trong 30 phút. Hãy xem hộp thư (cả mục thư rác)."

static int per_minute(void)
{
    const char *v = getenv("DXDAY_FORGOT_PER_MINUTE");
    int n = v ? atoi(v) : 0;
    return n > 0 ? n : 10;
}

static void new_token(char token[64], char hash[65])
{
    unsigned char raw[32], h[crypto_hash_sha256_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, 64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hash, 65, h, sizeof h);
}

/* A token as typed: base64url, 43 characters; anything else is no token (and is never hashed into a lookup). */
static bool token_hash_of(const char *token, char hash[65])
{
    if (!token || strlen(token) != 43) return false;
    for (const char *p = token; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') return false;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hash, 65, h, sizeof h);
    return true;
}

/* The public origin for a link in an e-mail: DXDAY_PUBLIC_URL, never the request's Host (a forged Host would send
 * the owner a link to someone else's site); the bound address as a last resort. */
static void origin(struct req *r, char *out, size_t n)
{
    const char *pub = getenv("DXDAY_PUBLIC_URL");
    if (pub && *pub) snprintf(out, n, "%s", pub);
    else snprintf(out, n, "http://%s:%d", r->app ? r->app->cfg.bind : "127.0.0.1", r->app ? r->app->cfg.port : 80);
    size_t l = strlen(out);
    while (l && out[l - 1] == '/') out[--l] = 0;
}

static int forgot_page(struct req *r, int status, const char *notice, const char *error)
{
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b}", "title", "Quên mật khẩu", "_nav", "login", "csrf", csrf_token(r),
                            "notice", notice, "error", error, "mail", mail_configured());
    if (req_str(r, "email")) json_object_set_new(ctx, "email", json_string(req_str(r, "email")));
    r->status = status;
    return render(r, ctx, "account_forgot");
}

static int forgot_show(struct req *r) { return forgot_page(r, 200, NULL, NULL); }

static void mail_link(const char *to, const char *name, const char *link, const char *valid_for)
{
    char body[2048];
    snprintf(body, sizeof body,
             "Xin chào %s,\r\n\r\nCó người (có thể là bạn) vừa xin đặt lại mật khẩu tài khoản dxday của địa chỉ này. "
             "Mở liên kết sau để đặt mật khẩu mới (dùng được một lần, trong %s):\r\n\r\n%s\r\n\r\n"
             "Nếu không phải bạn, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.\r\n",
             name, valid_for, link);
    for (char *p = body; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n') *p = ' ';
    if (mail_send_later(to, "[dxday] Đặt lại mật khẩu", body))
        fprintf(stderr, "reset: a link for an account could not be e-mailed (no DXDAY_SMTP_URL or DXDAY_MAIL_DIR)\n");
}

static int forgot(struct req *r)
{
    char login[256];
    const char *in = req_str(r, "email");
    if (!in || !*in) {
        if (r->want_json) return req_fail_ctx(r, 422, "Nhập email của tài khoản.", json_pack("{s:s}", "email", "Nhập email của tài khoản."));
        return forgot_page(r, 422, NULL, "Nhập email của tài khoản.");
    }
    if (!account_login_of(in, login) || !strchr(login, '@')) {
        const char *m = "Nhập địa chỉ email. Tài khoản đăng ký bằng số điện thoại chưa đặt lại được qua tin nhắn: hãy liên hệ "
                        "bộ phận hỗ trợ ở trang Hỏi đáp.";
        if (r->want_json) return req_fail_ctx(r, 422, m, json_pack("{s:s}", "email", m));
        return forgot_page(r, 422, NULL, m);
    }
    int wait = ratelimit_take(r->db, "forgot", r->ip, per_minute());
    if (wait) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", wait);
        req_header(r, "Retry-After", ra);
        const char *m = "Có quá nhiều yêu cầu từ địa chỉ này; vui lòng thử lại sau một phút.";
        return r->want_json ? req_fail(r, 429, m) : forgot_page(r, 429, NULL, m);
    }
    time_t t = time(NULL);
    char now[21], until[21], since[21];
    date_utc_iso(t, now);
    date_utc_iso(t + LINK_MINUTES * 60, until);
    date_utc_iso(t - 3600, since);
    int64_t uid = store_account_by_login(r->db, login);
    json_t *me = NULL;
    struct store_result res = STORE_RESULT_OK;
    /* At most three links an hour to one mailbox; more are answered alike and sent nowhere. */
    if (uid && store_reset_recent(r->db, uid, since) < 3 && store_account_self(r->db, uid, &me, &res) == STORE_OK) {
        char token[64], hash[65];
        new_token(token, hash);
        if (store_begin(r->db, &res)) { json_decref(me); return req_result(r, &res); }
        if (store_reset_create(r->db, uid, hash, 0, now, until, &res) == STORE_OK)
            store_audit(r->db, 0, r->ip, "password.forgot", "user", uid, NULL, &res);
        if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
        else if (res.status != STORE_OK) db_rollback(r->db);
        if (res.status != STORE_OK) { json_decref(me); return req_result(r, &res); }
        char link[600], o[400];
        origin(r, o, sizeof o);
        snprintf(link, sizeof link, "%s/dat-lai-mat-khau?token=%s", o, token);
        mail_link(login, json_string_value(json_object_get(me, "name")), link, "30 phút");
    }
    json_decref(me);
    store_result_free(&res);
    if (r->want_json) {
        r->status = 202;
        return render(r, json_pack("{s:s}", "message", FORGOT_SENT), NULL);
    }
    return forgot_page(r, 200, FORGOT_SENT, NULL);
}

static int reset_page(struct req *r, int status, const char *token, const char *invalid, json_t *errors)
{
    /* The token is in this page's address: no other site hears of it through a Referer. */
    req_header(r, "Referrer-Policy", "no-referrer");
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "title", "Đặt lại mật khẩu", "_nav", "login", "csrf", csrf_token(r),
                            "token", invalid ? NULL : token, "invalid", invalid);
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    r->status = status;
    return render(r, ctx, "account_reset");
}

static int reset_show(struct req *r)
{
    const char *token = req_str(r, "token");
    char hash[65], now[21];
    date_utc_iso(time(NULL), now);
    struct store_result res = STORE_RESULT_OK;
    int64_t uid = 0;
    if (!token_hash_of(token, hash)) return reset_page(r, 410, NULL, "Liên kết đặt lại mật khẩu không đúng. Hãy xin một liên kết mới.", NULL);
    enum store_status st = store_reset_find(r->db, hash, now, &uid, &res);
    if (st == STORE_NOT_FOUND) {
        int out = reset_page(r, 410, NULL, res.message, NULL);
        store_result_free(&res);
        return out;
    }
    if (st != STORE_OK) return req_result(r, &res);
    return reset_page(r, 200, token, NULL, NULL);
}

static int reset(struct req *r)
{
    const char *token = req_str(r, "token"), *pw = req_str(r, "password"), *pw2 = req_str(r, "password2");
    char hash[65], now[21];
    date_utc_iso(time(NULL), now);
    const char *bad_link = "Liên kết đặt lại mật khẩu không đúng. Hãy xin một liên kết mới.";
    if (!token_hash_of(token, hash))
        return r->want_json ? req_fail(r, 410, bad_link) : reset_page(r, 410, NULL, bad_link, NULL);
    struct store_result res = STORE_RESULT_OK;
    int64_t uid = 0;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    /* Read and spent under one write lock: two tabs sending one link cannot both use it. */
    enum store_status st = store_reset_find(r->db, hash, now, &uid, &res);
    if (st != STORE_OK) {
        db_rollback(r->db);
        if (st != STORE_NOT_FOUND || r->want_json) {
            if (st == STORE_NOT_FOUND) { store_result_free(&res); return req_fail(r, 410, "Liên kết đặt lại mật khẩu không còn dùng được (đã dùng hoặc đã quá hạn). Hãy xin một liên kết mới."); }
            return req_result(r, &res);
        }
        int out = reset_page(r, 410, NULL, res.message, NULL);
        store_result_free(&res);
        return out;
    }
    json_t *me = NULL;
    if (store_account_self(r->db, uid, &me, &res) != STORE_OK) { db_rollback(r->db); return req_result(r, &res); }
    const char *weak = account_password_weak(pw, json_string_value(json_object_get(me, "email")),
                                             json_integer_value(json_object_get(me, "staff")) == 1 || json_is_true(json_object_get(me, "staff")));
    json_decref(me);
    if (!weak && pw2 && strcmp(pw, pw2)) weak = "Hai lần nhập mật khẩu không khớp.";
    if (weak) {
        db_rollback(r->db);
        if (r->want_json) return req_fail_ctx(r, 422, weak, json_pack("{s:s}", "password", weak));
        return reset_page(r, 422, token, NULL, json_pack("{s:s}", "password", weak));
    }
    char pwhash[160];
    if (password_hash(pw, pwhash)) { db_rollback(r->db); return req_fail(r, 500, "Không đặt được mật khẩu, vui lòng thử lại."); }
    /* Every session of the account ends: whoever knew the old password is out. */
    if (store_account_set_password(r->db, uid, pwhash, now, &res) == STORE_OK &&
        store_account_end_sessions(r->db, uid, NULL, &res) == STORE_OK)
        store_audit(r->db, 0, r->ip, "password.reset", "user", uid, NULL, &res);
    if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
    else if (res.status != STORE_OK) db_rollback(r->db);
    if (res.status != STORE_OK) return req_result(r, &res);
    const char *done = "Đã đặt mật khẩu mới; mọi phiên đăng nhập cũ đã kết thúc. Mời bạn đăng nhập.";
    if (r->want_json) return render(r, json_pack("{s:s}", "message", done), NULL);
    return render(r, json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", "Đăng nhập", "_nav", "login", "csrf", csrf_token(r),
                               "next", "/tai-khoan", "notice", done), "login");
}

/* An admin makes a link for a staff account in the admin's subtree (all of its roles there), shows it once to hand over
 * (and e-mails it when the account has an address). */
static int admin_link(struct req *r)
{
    if (!authz_any(r, "admin")) return req_fail(r, 403, "Chỉ quản trị viên được đặt lại mật khẩu cho người khác.");
    bool national = authz(r, "admin", store_org_id(r->db, "vn"));
    int64_t uid = req_int(r, "id", 0), outside = 0;
    struct store_result res = STORE_RESULT_OK;
    if (uid <= 0) return req_fail(r, 404, "Không tìm thấy tài khoản.");
    if (store_account_visible(r->db, uid, r->user->id, national, &res) != STORE_OK) return req_result(r, &res);
    if (!national && store_account_roles_outside(r->db, uid, r->user->id, &outside, &res) != STORE_OK) return req_result(r, &res);
    if (outside) return req_fail(r, 403, "Tài khoản này còn giữ vai trò ở đơn vị ngoài phạm vi bạn quản trị: hãy nhờ quản trị viên cấp trên.");
    json_t *who = NULL;
    if (store_account_self(r->db, uid, &who, &res) != STORE_OK) return req_result(r, &res);
    time_t t = time(NULL);
    char now[21], until[21], token[64], hash[65];
    date_utc_iso(t, now);
    date_utc_iso(t + ADMIN_LINK_HOURS * 3600, until);
    new_token(token, hash);
    if (store_begin(r->db, &res)) { json_decref(who); return req_result(r, &res); }
    if (store_reset_create(r->db, uid, hash, r->user->id, now, until, &res) == STORE_OK)
        store_audit(r->db, r->user->id, r->ip, "password.link", "user", uid, NULL, &res);
    if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
    else if (res.status != STORE_OK) db_rollback(r->db);
    if (res.status != STORE_OK) { json_decref(who); return req_result(r, &res); }
    char link[600], o[400];
    origin(r, o, sizeof o);
    snprintf(link, sizeof link, "%s/dat-lai-mat-khau?token=%s", o, token);
    const char *email = json_string_value(json_object_get(who, "email"));
    bool mailed = email && strchr(email, '@') && mail_configured();
    if (mailed) mail_link(email, json_string_value(json_object_get(who, "name")), link, "24 giờ");
    req_header(r, "Cache-Control", "no-store");
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:O, s:O, s:s, s:b}", "title", "Liên kết đặt lại mật khẩu", "_nav", "users", "link", link,
                            "email", json_object_get(who, "email"), "name", json_object_get(who, "name"), "expires_at", until,
                            "mailed", mailed);
    json_decref(who);
    r->status = 201;
    return render(r, ctx, "account_reset_link");
}

const struct route page_account_reset_routes[] = {
    { "GET", "/quen-mat-khau", "/api/password/forgot", forgot_show, PUBLIC, false, 0 },
    { "POST", "/quen-mat-khau", "/api/password/forgot", forgot, PUBLIC, false, 0 },
    { "GET", "/dat-lai-mat-khau", "/api/password/reset", reset_show, PUBLIC, false, 0 },
    { "POST", "/dat-lai-mat-khau", "/api/password/reset", reset, PUBLIC, false, 0 },
    { "POST", "/quan-tri/tai-khoan/{id}/dat-lai-mat-khau", "/api/users/{id}/password-reset", admin_link, STAFF, false, 0 },
    { 0 },
};
