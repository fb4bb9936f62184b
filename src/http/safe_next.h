/* Where a sign-in or sign-up may send the browser afterwards: a path on this site only.
 * Must not let anything through that a browser could read as another host (see safe_next.c). */
#ifndef DXDAY_SAFE_NEXT_H
#define DXDAY_SAFE_NEXT_H
#include <stdbool.h>

/* True when n is a local path: a single '/', then a character other than '/' or '\', and only printable ASCII with
 * no backslash anywhere. */
bool safe_next(const char *n);
/* n when safe_next(n), otherwise dflt. */
const char *safe_next_or(const char *n, const char *dflt);
#endif
