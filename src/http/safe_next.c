/* The one check on `next` before it becomes a Location header. Browsers drop tabs and newlines inside a URL and read
 * '\' as '/', so "/\t/evil" and "/\evil" are "//evil", another host: anything but plain printable ASCII is refused.
 * Must not decode or repair a target: a refused one falls back to a fixed page. */
#include "http/safe_next.h"
#include <stddef.h>

bool safe_next(const char *n)
{
    if (!n || n[0] != '/' || n[1] == '/' || n[1] == '\\') return false;
    for (const unsigned char *p = (const unsigned char *)n; *p; p++)
        if (*p <= ' ' || *p >= 0x7f || *p == '\\') return false;
    return true;
}

const char *safe_next_or(const char *n, const char *dflt) { return safe_next(n) ? n : dflt; }
