/* Issues and reads the dxday_device cookie. The store keeps only the token's SHA-256, like sessions, so a leaked
 * database vouches for no browser. Must not accept a token for an account other than the one it was issued to. */
#include "http/device.h"
#include "store/login_guard.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void hash_hex(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

bool device_cookie_hash(struct req *r, char out[65])
{
    const char *t = r->cookie_device;
    if (!t || strlen(t) < 40 || strlen(t) > 100) return false;
    hash_hex(t, out);
    return true;
}

int device_cookie_issue(struct req *r, int64_t user_id, int64_t now)
{
    unsigned char raw[32];
    char token[64], h[65], old[65];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    hash_hex(token, h);
    bool had = device_cookie_hash(r, old);
    if (store_login_device_issue(r->db, user_id, h, had ? old : NULL, now, now + (int64_t)DEVICE_DAYS * 86400)) return -1;
    char c[256];
    snprintf(c, sizeof c, "dxday_device=%s; Path=/; Max-Age=%d; SameSite=Lax; HttpOnly%s", token, DEVICE_DAYS * 86400,
             r->app->cfg.secure_cookies ? "; Secure" : "");
    req_header(r, "Set-Cookie", c);
    return 0;
}
