/* Who the client is: the socket's peer, or — only when that peer is a reverse proxy named in DXDAY_TRUSTED_PROXIES —
 * the nearest address in X-Forwarded-For that is not one of ours. Must not believe the header from anyone else. */
#include "http/client_ip.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Addresses are kept as 16 bytes; IPv4 as IPv4-mapped IPv6 so one comparison serves both. */
struct net { unsigned char addr[16]; int bits; };
struct trusted_proxies { struct net *nets; int n; };

static bool parse_addr(const char *s, unsigned char out[16], bool *v4)
{
    struct in_addr a4;
    if (inet_pton(AF_INET, s, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        if (v4) *v4 = true;
        return true;
    }
    if (v4) *v4 = false;
    return inet_pton(AF_INET6, s, out) == 1;
}

static bool in_net(const struct net *n, const unsigned char a[16])
{
    int full = n->bits / 8, rest = n->bits % 8;
    if (memcmp(n->addr, a, (size_t)full)) return false;
    if (!rest) return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (n->addr[full] & mask) == (a[full] & mask);
}

struct trusted_proxies *trusted_proxies_parse(const char *spec, char *err, size_t errlen)
{
    struct trusted_proxies *t = calloc(1, sizeof *t);
    if (!spec) return t;
    char *copy = strdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        struct net n = { { 0 }, 128 };
        char *slash = strchr(tok, '/');
        bool v4 = false;
        if (slash) *slash = 0;
        if (!parse_addr(tok, n.addr, &v4)) {
            snprintf(err, errlen, "DXDAY_TRUSTED_PROXIES: '%s' is not an IP address", tok);
            goto bad;
        }
        if (slash) {
            char *end;
            long b = strtol(slash + 1, &end, 10);
            if (*end || end == slash + 1 || b < 0 || b > (v4 ? 32 : 128)) {
                snprintf(err, errlen, "DXDAY_TRUSTED_PROXIES: bad prefix length in '%s/%s'", tok, slash + 1);
                goto bad;
            }
            n.bits = (int)b + (v4 ? 96 : 0);
        }
        t->nets = realloc(t->nets, sizeof *t->nets * (size_t)(t->n + 1));
        t->nets[t->n++] = n;
    }
    free(copy);
    return t;
bad:
    free(copy);
    trusted_proxies_free(t);
    return NULL;
}

void trusted_proxies_free(struct trusted_proxies *t)
{
    if (!t) return;
    free(t->nets);
    free(t);
}

int trusted_proxies_count(const struct trusted_proxies *t) { return t ? t->n : 0; }

static bool is_trusted(const struct trusted_proxies *t, const char *ip)
{
    unsigned char a[16];
    if (!t || !parse_addr(ip, a, NULL)) return false;
    for (int i = 0; i < t->n; i++)
        if (in_net(&t->nets[i], a)) return true;
    return false;
}

/* Strips spaces around one X-Forwarded-For element; false when it is not a bare IP address (ports, "unknown"). */
static bool element(const char *s, size_t len, char *out, size_t outlen)
{
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (!len || len >= outlen) return false;
    memcpy(out, s, len);
    out[len] = 0;
    unsigned char a[16];
    return parse_addr(out, a, NULL);
}

void client_ip(const struct trusted_proxies *t, const char *peer, const char *xff, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s", peer);
    if (!xff || !is_trusted(t, peer)) return;
    /* From the right: each hop appended the address it saw. The first one that is not our own proxy is the client;
     * anything further left was written by the client itself and proves nothing. */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',') start--;
        char ip[64];
        if (!element(xff + start, end - start, ip, sizeof ip)) return;   /* garbage: keep the last trusted hop */
        snprintf(out, outlen, "%s", ip);
        if (!is_trusted(t, ip)) return;
        end = start > 0 ? start - 1 : 0;
    }
}
