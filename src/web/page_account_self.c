/* One's own account at /tai-khoan: the name printed on certificates, the password (asking the current one), and
 * deleting the account (asking the password). Must not act on any account but the signed-in one's. */
#include "http/app.h"
#include "web/page_account.h"
#include "store/account.h"
#include "store/audit.h"
#include "core/date.h"
#include "core/phone.h"
#include "core/text.h"
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

const char *account_password_weak(const char *pw, const char *login, bool staff)
{
    static const char *const common[] = { "12345678", "123456789", "1234567890", "12345678910", "password", "password1",
                                          "matkhau", "matkhau1", "matkhau123", "qwerty123", "abc12345", "iloveyou",
                                          "87654321", "00000000", "dxday2026", NULL };
    if (!pw || !*pw) return "Nhập mật khẩu mới.";
    size_t n = utf8_chars(pw);
    if (staff && n < 10) return "Mật khẩu cần ít nhất 10 ký tự.";
    if (n < 8) return "Mật khẩu cần ít nhất 8 ký tự.";
    if (strlen(pw) > 1024) return "Mật khẩu quá dài (tối đa 1024 ký tự).";
    bool same = true;
    for (const char *p = pw + 1; *p; p++) same = same && *p == pw[0];
    if (same) return "Mật khẩu không được chỉ lặp lại một ký tự.";
    char low[1025];
    size_t i = 0;
    for (; pw[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)pw[i]);
    low[i] = 0;
    for (int k = 0; common[k]; k++)
        if (!strcmp(low, common[k])) return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.";
    if (login && *login) {
        char local[256];
        snprintf(local, sizeof local, "%s", login[0] == '+' ? login + 3 : login);
        char *at = strchr(local, '@');
        if (at) *at = 0;
        if (strlen(local) >= 4 && strstr(low, local)) return "Mật khẩu không được chứa email hay số điện thoại đăng nhập.";
    }
    return NULL;
}

void account_session_hash(struct req *r, char out[65])
{
    out[0] = 0;
    if (!r->cookie_session || strlen(r->cookie_session) > 100) return;
    /* The same hash http/session.c keeps sessions under. */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)r->cookie_session, strlen(r->cookie_session));
    sodium_bin2hex(out, 65, h, sizeof h);
}

char *account_clean_name(const char *in)
{
    if (!in || strlen(in) > 1000) return NULL;
    char *n = text_nfc(in);
    if (!n) return NULL;
    char *s = n;
    while (*s == ' ' || *s == '\t') s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) s[--len] = 0;
    if (!len || utf8_chars(s) > 100 || strpbrk(s, "\r\n<>")) { free(n); return NULL; }
    memmove(n, s, len + 1);
    return n;
}

bool account_login_of(const char *in, char out[256])
{
    size_t n = 0;
    if (!in || strlen(in) > 254) return false;
    for (const char *p = in; *p && n < 255; p++)
        if (!isspace((unsigned char)*p)) out[n++] = (char)tolower((unsigned char)*p);
    out[n] = 0;
    if (strchr(out, '@')) return n >= 3;
    char phone[13];
    if (!phone_vn_normalise(out, phone)) return false;
    snprintf(out, 256, "%s", phone);
    return true;
}

/* A failure on one's own page: the page again, with what was typed (never a password) and the error beside its field. */
static int again(struct req *r, int status, const char *field, const char *msg)
{
    json_t *f = json_object();
    json_object_set_new(f, field, json_string(msg));
    if (r->want_json) return req_fail_ctx(r, status, msg, f);
    json_t *typed = json_object();
    if (req_str(r, "name")) json_object_set_new(typed, "name", json_string(req_str(r, "name")));
    return account_me_page(r, status, f, typed, NULL);
}

/* Commits what the handler wrote with its audit entry, or answers the failure; nothing half-written either way. */
static int finish(struct req *r, struct store_result *res, const char *done_key, const char *message)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status != STORE_OK) return req_result(r, res);
    if (r->want_json) return render(r, json_pack("{s:s}", "message", message), NULL);
    char loc[128];
    snprintf(loc, sizeof loc, "/tai-khoan?xong=%s", done_key);   /* the page says what was done (account_me_page) */
    return req_redirect(r, loc);
}

static int set_name(struct req *r)
{
    char *name = account_clean_name(req_str(r, "name"));
    if (!name) return again(r, 422, "name", "Nhập họ và tên (tối đa 100 ký tự, không xuống dòng).");
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) { free(name); return req_result(r, &res); }
    if (store_account_set_name(r->db, r->user->id, name, &res) == STORE_OK)
        store_audit(r->db, r->user->id, r->ip, "account.name", "user", r->user->id,
                    json_pack("{s:s, s:s}", "from", r->user->name, "to", name), &res);
    free(name);
    return finish(r, &res, "ten", "Đã đổi họ tên.");
}

/* The signed-in account's row, or an answered failure (*st set). */
static json_t *me_row(struct req *r, int *st)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *me = NULL;
    if (store_account_self(r->db, r->user->id, &me, &res) != STORE_OK) *st = req_result(r, &res);
    return me;
}

static int set_password(struct req *r)
{
    int st = 0;
    json_t *me = me_row(r, &st);
    if (!me) return st;
    const char *cur = req_str(r, "current"), *pw = req_str(r, "password");
    bool staff = json_is_true(json_object_get(me, "staff")) || json_integer_value(json_object_get(me, "staff")) == 1;
    bool right = cur && strlen(cur) <= 1024 && password_verify(json_string_value(json_object_get(me, "password_hash")), cur);
    const char *weak = account_password_weak(pw, r->user->email, staff);
    json_decref(me);
    if (!right) return again(r, 422, "current", "Mật khẩu hiện tại không đúng.");
    if (weak) return again(r, 422, "password", weak);
    char hash[160], now[21], keep[65];
    if (password_hash(pw, hash)) return req_fail(r, 500, "Không đặt được mật khẩu, vui lòng thử lại.");
    date_utc_iso(time(NULL), now);
    account_session_hash(r, keep);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    /* Whoever else was signed in with the old password is signed out; this browser stays. */
    if (store_account_set_password(r->db, r->user->id, hash, now, &res) == STORE_OK &&
        store_account_end_sessions(r->db, r->user->id, keep, &res) == STORE_OK)
        store_audit(r->db, r->user->id, r->ip, "account.password", "user", r->user->id, NULL, &res);
    return finish(r, &res, "mat-khau", "Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.");
}

static int delete_form(struct req *r)
{
    return render(r, json_pack("{s:s, s:s, s:s, s:s?}", "title", "Xóa tài khoản", "_nav", "me", "_csrf", r->user->csrf,
                               "error", req_str(r, "loi") ? "Mật khẩu không đúng." : NULL), "account_delete");
}

static int delete_account(struct req *r)
{
    int st = 0;
    json_t *me = me_row(r, &st);
    if (!me) return st;
    const char *pw = req_str(r, "password");
    bool staff = json_integer_value(json_object_get(me, "staff")) == 1 || json_is_true(json_object_get(me, "staff"));
    bool right = pw && strlen(pw) <= 1024 && password_verify(json_string_value(json_object_get(me, "password_hash")), pw);
    json_decref(me);
    /* A staff account is its unit's: its admin takes the roles away; the person cannot take the unit's trail with them. */
    if (staff) return req_fail(r, 403, "Tài khoản cán bộ do quản trị viên đơn vị quản lý: hãy nhờ quản trị viên gỡ vai trò trước khi xóa.");
    if (!right) {
        if (r->want_json) return again(r, 422, "password", "Mật khẩu không đúng.");
        return req_redirect(r, "/tai-khoan/xoa?loi=password");
    }
    char now[21];
    date_utc_iso(time(NULL), now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res)) return req_result(r, &res);
    /* The entry names no one: the account row it points at is emptied in the same transaction. */
    if (store_account_delete(r->db, r->user->id, now, &res) == STORE_OK &&
        /* No address either: the entry says what was done, not by whom from where. */
        store_audit(r->db, r->user->id, NULL, "account.delete", "user", r->user->id, NULL, &res) == STORE_OK)
        session_destroy(r, &res);
    if (res.status == STORE_OK && db_commit(r->db)) store_fail_db(&res, r->db);
    else if (res.status != STORE_OK) db_rollback(r->db);
    if (res.status != STORE_OK) return req_result(r, &res);
    if (r->want_json) return render(r, json_pack("{s:s}", "message", "Đã xóa tài khoản."), NULL);
    return render(r, json_pack("{s:s, s:s, s:s}", "title", "Đã xóa tài khoản", "_nav", "me", "message",
                               "Tài khoản của bạn đã được xóa. Cảm ơn bạn đã học cùng dxday."), "account_deleted");
}

const struct route page_account_self_routes[] = {
    { "POST", "/tai-khoan/ten", "/api/me/name", set_name, ACCOUNT, false, 0 },
    { "POST", "/tai-khoan/mat-khau", "/api/me/password", set_password, ACCOUNT, false, 0 },
    { "GET", "/tai-khoan/xoa", NULL, delete_form, ACCOUNT, false, 0 },
    { "POST", "/tai-khoan/xoa", "/api/me/delete", delete_account, ACCOUNT, false, 0 },
    { 0 },
};
