/* application/x-www-form-urlencoded bodies: pairs split on '&', percent and '+' decoded, UTF-8 checked.
 * Must not keep pointers into the body: values are copied into params. */
#include "http/app.h"
#include "core/text.h"
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes application/x-www-form-urlencoded in place; false on a bad escape. */
bool form_url_decode(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') *w++ = ' ';
        else if (*p == '%') {
            int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
            if (l < 0) return false;
            *w++ = (char)(h * 16 + l);
            p += 2;
        } else *w++ = *p;
    }
    *w = 0;
    return true;
}

/* Form fields go into params. Returns false on malformed encoding or invalid UTF-8. */
bool form_parse(char *body, json_t *params)
{
    char *save = NULL;
    for (char *pair = strtok_r(body, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        if (eq) *eq = 0;
        /* A field without '=' has an empty value: the pair's own NUL, since decoding writes into the value. */
        char *val = eq ? eq + 1 : pair + strlen(pair);
        if (!form_url_decode(pair) || !form_url_decode(val)) return false;
        if (!text_valid_utf8(pair, strlen(pair)) || !text_valid_utf8(val, strlen(val))) return false;
        json_object_set_new(params, pair, json_string(val));
    }
    return true;
}

