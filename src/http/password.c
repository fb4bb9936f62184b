/* Password hashing with argon2id (libsodium's interactive limits) and constant-time verification.
 * Must not log or keep plaintext passwords. */
#include "http/app.h"
#include <sodium.h>
#include <string.h>

int password_hash(const char *pw, char out[160])
{
    if (sodium_init() < 0) return -1;
    return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE / 2) == 0 ? 0 : -1;
}

bool password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
