/* Sessions and CSRF tokens. The cookie carries a random token; the store keeps only its SHA-256, so a leaked
 * database opens no session. Must not trust anything from the client beyond looking the token up. */
#include "http/app.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/session.h"

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
    char h[65];
    token_hash(r->cookie_session, h);
    struct store_session u;
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_session_load(r->db, h, time(NULL), &u, &res);
    if (st == STORE_OK) {
        r->user = calloc(1, sizeof *r->user);
        r->user->id = u.user_id;
        snprintf(r->user->email, sizeof r->user->email, "%s", u.email);
        snprintf(r->user->name, sizeof r->user->name, "%s", u.name);
        snprintf(r->user->csrf, sizeof r->user->csrf, "%s", u.csrf);
        r->user->staff = u.staff;
        r->user->inbox_org = u.inbox_org;
    } else if (st != STORE_NOT_FOUND) {
        /* The request goes on as the public's (a sign-in page, not someone else's data); the operator hears why. */
        fprintf(stderr, "error: %s %s: session not loaded: %s\n", r->method, r->path, res.detail);
    }
    store_result_free(&res);
}

int session_create(struct req *r, int64_t user_id, struct store_result *res)
{
    char token[64], csrf[64], h[65];
    random_token(token, sizeof token);
    random_token(csrf, sizeof csrf);
    token_hash(token, h);
    int64_t now = time(NULL);
    if (store_session_create(r->db, h, user_id, csrf, now, now + SESSION_DAYS * 86400, res) != STORE_OK) return -1;
    set_cookie(r, "dxday_session", token, SESSION_DAYS * 86400, true);
    return 0;
}

int session_destroy(struct req *r, struct store_result *res)
{
    if (r->cookie_session) {
        char h[65];
        token_hash(r->cookie_session, h);
        if (store_session_destroy(r->db, h, res) != STORE_OK) return -1;
    }
    set_cookie(r, "dxday_session", "", 0, true);
    return 0;
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
