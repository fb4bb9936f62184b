/* Device cookies (OWASP's answer to lockouts): a browser that signed in to an account gets a random token, stored
 * hashed, that lets it past the account's slowing later. Must not stand in for a password or a session. */
#ifndef DXDAY_DEVICE_H
#define DXDAY_DEVICE_H
#include "http/app.h"

#define DEVICE_DAYS 180

/* The hash of the device cookie the request carries (hex, into out); false when it carries none that could be one. */
bool device_cookie_hash(struct req *r, char out[65]);
/* Gives the browser a new device cookie for user_id, replacing the one it sent. Inside the caller's transaction;
 * 0 or -1 (no cookie set). */
int device_cookie_issue(struct req *r, int64_t user_id, int64_t now);
#endif
