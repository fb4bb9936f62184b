/* Vietnamese mobile numbers: 0 + 9 digits nationally, +84 + 9 digits internationally; the 9 digits start with 3, 5,
 * 7, 8 or 9 since the 2018 renumbering. Must not accept landlines or anything with letters. */
#include "core/phone.h"
#include <stdio.h>
#include <string.h>

static bool allowed(char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '.' || c == '-' || c == '(' || c == ')'; }

bool phone_vn_looks_like(const char *s)
{
    int digits = 0;
    if (!s) return false;
    for (; *s; s++) {
        if (!allowed(*s)) return false;
        digits += *s >= '0' && *s <= '9';
    }
    return digits >= 9;
}

bool phone_vn_normalise(const char *s, char out[13])
{
    if (!phone_vn_looks_like(s)) return false;
    char d[32];
    size_t n = 0;
    const char *plus = strchr(s, '+');
    /* A '+' may only lead: "+84 …" or "(+84) …". */
    if (plus && (strchr(plus + 1, '+') || strspn(s, " (") != (size_t)(plus - s))) return false;
    for (; *s; s++)
        if (*s >= '0' && *s <= '9') {
            if (n >= sizeof d - 1) return false;
            d[n++] = *s;
        }
    d[n] = 0;
    const char *nat = NULL;
    if (!strncmp(d, "84", 2) && (plus || n == 11 || (n == 12 && d[2] == '0'))) {
        nat = d + 2;
        if (strlen(nat) == 10 && nat[0] == '0') nat++;   /* "+84 0912…": the national 0 kept by habit */
    } else if (!plus && d[0] == '0' && n == 10) {
        nat = d + 1;
    }
    if (!nat || strlen(nat) != 9 || !strchr("35789", nat[0])) return false;
    memcpy(out, "+84", 3);
    memcpy(out + 3, nat, 10);   /* 9 digits and the NUL */
    return true;
}
