/* Sessions and CSRF tokens. The cookie carries a random token; the store keeps only its SHA-256, so a leaked
 * database opens no session. Must not trust anything from the client beyond looking the token up. */
#include "web/app.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/date.h"

#define SESSION_DAYS 7

static void random_token(char *out, size_t outlen)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, outlen, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void set_cookie(struct req *r, const char *name, const char *value, int max_age, bool http_only)
{
    char c[512];
    snprintf(c, sizeof c, "%s=%s; Path=/; Max-Age=%d; SameSite=Lax%s%s", name, value, max_age,
             http_only ? "; HttpOnly" : "", r->app->cfg.secure_cookies ? "; Secure" : "");
    req_header(r, "Set-Cookie", c);
}

void session_load(struct req *r)
{
    if (!r->cookie_session || strlen(r->cookie_session) > 100) return;
    char h[65], now[21];
    token_hash(r->cookie_session, h);
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(r->db, "SELECT u.id, u.email, u.name, s.csrf, EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id) "
                                   "FROM session s JOIN app_user u ON u.id = s.user_id "
                                   "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1");
    db_bind_text(s, 1, h);
    db_bind_text(s, 2, now);
    if (db_step(s) == DB_ROW) {
        r->user = calloc(1, sizeof *r->user);
        r->user->id = db_col_int(s, 0);
        snprintf(r->user->email, sizeof r->user->email, "%s", db_col_text(s, 1));
        snprintf(r->user->name, sizeof r->user->name, "%s", db_col_text(s, 2));
        snprintf(r->user->csrf, sizeof r->user->csrf, "%s", db_col_text(s, 3));
        r->user->staff = db_col_int(s, 4) != 0;
    }
    db_done(s);
}

int session_create(struct req *r, int64_t user_id)
{
    char token[64], csrf[64], h[65], now[21], exp[21];
    random_token(token, sizeof token);
    random_token(csrf, sizeof csrf);
    token_hash(token, h);
    time_t t = time(NULL);
    date_utc_iso(t, now);
    date_utc_iso(t + SESSION_DAYS * 86400, exp);
    db_stmt *s = db_prepare(r->db, "INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
    db_bind_text(s, 1, h);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, csrf);
    db_bind_text(s, 4, now);
    db_bind_text(s, 5, exp);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    set_cookie(r, "dxday_session", token, SESSION_DAYS * 86400, true);
    return 0;
}

void session_destroy(struct req *r)
{
    if (r->cookie_session) {
        char h[65];
        token_hash(r->cookie_session, h);
        db_stmt *s = db_prepare(r->db, "DELETE FROM session WHERE token_hash = ?");
        db_bind_text(s, 1, h);
        db_step(s);
        db_done(s);
    }
    set_cookie(r, "dxday_session", "", 0, true);
}

/* Signed-in users carry their session's token; the public (the login form) a double-submit cookie. */
const char *csrf_token(struct req *r)
{
    r->per_visitor = true;
    if (r->user) return r->user->csrf;
    if (r->cookie_csrf && strlen(r->cookie_csrf) >= 32 && strlen(r->cookie_csrf) < 64) return r->cookie_csrf;
    if (!r->csrf_new[0]) {
        random_token(r->csrf_new, sizeof r->csrf_new);
        set_cookie(r, "dxday_csrf", r->csrf_new, 86400, true);
    }
    return r->csrf_new;
}

bool csrf_ok(struct req *r)
{
    const char *sent = r->header_csrf ? r->header_csrf : req_str(r, "csrf");
    const char *want = r->user ? r->user->csrf : r->cookie_csrf;
    if (!sent || !want || strlen(sent) != strlen(want) || strlen(want) < 32) return false;
    return sodium_memcmp(sent, want, strlen(want)) == 0;
}
