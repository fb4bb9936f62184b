/* Sign-in sessions, kept by the SHA-256 of their cookie's token with the CSRF token that goes with them. Must not
 * see a token in clear nor set cookies: web/session.c hashes the token and speaks HTTP. */
#ifndef DXDAY_STORE_SESSION_H
#define DXDAY_STORE_SESSION_H
#include <stdbool.h>
#include "store/result.h"

/* Whom a session signs in. */
struct store_session {
    int64_t user_id;
    char email[256];
    char name[256];
    char csrf[64];
    bool staff;          /* the account holds a role somewhere; learners hold none */
    int64_t inbox_org;   /* the unit whose task inbox the menu opens: the first held as officer or coordinator;
                            0 for the centre (a role on the root) and for accounts with no such role */
};

/* The session token_hash names, at unix time now, into *out: STORE_NOT_FOUND when there is none, it has expired
 * (expires <= now) or its account was deactivated; STORE_ERROR when the engine failed. */
enum store_status store_session_load(db *d, const char *token_hash, int64_t now, struct store_session *out,
                                     struct store_result *res);
/* Records a session for user_id from now until expires (unix times). Inside the caller's transaction. */
enum store_status store_session_create(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t now,
                                       int64_t expires, struct store_result *res);
/* Forgets the session token_hash names; forgetting one that does not exist is not an error (signing out twice). */
enum store_status store_session_destroy(db *d, const char *token_hash, struct store_result *res);
#endif
