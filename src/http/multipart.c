/* multipart/form-data bodies (file uploads): text fields into params, file parts into r->files, pointing into
 * the body. Must not copy file bytes or trust the client's names beyond cleaning them. */
#include "http/app.h"
#include "core/text.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Value of a parameter like name="x" inside a header line; false when absent. */
static bool header_param(const char *h, size_t hlen, const char *key, char *out, size_t outlen)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 2 < hlen; i++) {
        if ((i == 0 || h[i - 1] == ' ' || h[i - 1] == ';') && strncasecmp(h + i, key, klen) == 0 && h[i + klen] == '=' &&
            h[i + klen + 1] == '"') {
            const char *v = h + i + klen + 2, *end = memchr(v, '"', hlen - (v - h));
            if (!end) return false;
            size_t n = (size_t)(end - v);
            if (n >= outlen) n = outlen - 1;
            memcpy(out, v, n);
            out[n] = 0;
            return true;
        }
    }
    return false;
}

/* Keeps only the last path component of a client file name and drops control characters. */
static void clean_filename(char *s)
{
    char *base = s;
    for (char *p = s; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    char *w = s;
    for (char *p = base; *p; p++)
        if ((unsigned char)*p >= 0x20 && *p != '"') *w++ = *p;
    *w = 0;
}

bool multipart_parse(struct req *r, const char *content_type, const char *body, size_t len)
{
    char boundary[128] = "--";
    const char *b = strstr(content_type, "boundary=");
    if (!b) return false;
    b += 9;
    if (*b == '"') b++;
    size_t blen = strcspn(b, "\";");
    if (blen == 0 || blen > 100) return false;
    memcpy(boundary + 2, b, blen);
    boundary[blen + 2] = 0;
    blen += 2;
    const char *p = memmem(body, len, boundary, blen), *end = body + len;
    if (!p) return false;
    for (;;) {
        p += blen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return true;  /* closing boundary */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return false;
        p += 2;
        const char *hend = memmem(p, end - p, "\r\n\r\n", 4);
        if (!hend) return false;
        char name[64] = "", filename[256] = "", ctype[128] = "";
        bool is_file = false;
        for (const char *line = p; line < hend;) {
            const char *eol = memmem(line, hend + 2 - line, "\r\n", 2);
            size_t ll = (size_t)((eol ? eol : hend) - line);
            if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                header_param(line, ll, "name", name, sizeof name);
                is_file = header_param(line, ll, "filename", filename, sizeof filename);
            } else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
                size_t n = ll - 13 < sizeof ctype - 1 ? ll - 13 : sizeof ctype - 1;
                memcpy(ctype, line + 13, n);
                ctype[n] = 0;
            }
            line = eol ? eol + 2 : hend;
        }
        const char *data = hend + 4;
        /* Data runs to CRLF + boundary; search with the CRLF so a boundary-like line inside a file does not end it. */
        char delim[132];
        delim[0] = '\r';
        delim[1] = '\n';
        memcpy(delim + 2, boundary, blen);
        const char *next = memmem(data, end - data, delim, blen + 2);
        if (!next || !name[0]) return false;
        size_t dlen = (size_t)(next - data);
        if (is_file) {
            if (r->nfiles >= (int)(sizeof r->files / sizeof r->files[0])) return false;
            struct upload *u = &r->files[r->nfiles++];
            snprintf(u->field, sizeof u->field, "%s", name);
            clean_filename(filename);
            if (!text_valid_utf8(filename, strlen(filename))) filename[0] = 0;
            snprintf(u->filename, sizeof u->filename, "%s", filename);
            char *ct = ctype;
            while (*ct == ' ') ct++;
            snprintf(u->ctype, sizeof u->ctype, "%s", ct);
            u->data = (const unsigned char *)data;
            u->len = dlen;
        } else {
            if (!text_valid_utf8(data, dlen) || !text_valid_utf8(name, strlen(name))) return false;
            json_object_set_new(r->params, name, json_stringn(data, dlen));
        }
        p = next + 2;
    }
}
