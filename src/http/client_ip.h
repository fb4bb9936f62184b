/* The client's address behind explicitly trusted reverse proxies (DXDAY_TRUSTED_PROXIES: addresses or CIDR ranges,
 * comma-separated). Must not trust X-Forwarded-For from a peer that is not listed. */
#ifndef DXDAY_CLIENT_IP_H
#define DXDAY_CLIENT_IP_H
#include <stdbool.h>
#include <stddef.h>

struct trusted_proxies;

/* NULL with a message in err when spec is malformed; an empty list for a NULL spec. */
struct trusted_proxies *trusted_proxies_parse(const char *spec, char *err, size_t errlen);
void trusted_proxies_free(struct trusted_proxies *t);
int trusted_proxies_count(const struct trusted_proxies *t);
/* Writes the client's address into out: peer itself unless peer is trusted and xff names someone before it. */
void client_ip(const struct trusted_proxies *t, const char *peer, const char *xff, char *out, size_t outlen);
#endif
