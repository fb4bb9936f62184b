/* Static files compiled into the binary, with a content ETag and a day of caching (a week for fonts/images).
 * Must not read the file system: what is served is what was built. */
#include "http/app.h"
#include "core/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot) return "application/octet-stream";
    if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg")) return "image/svg+xml";
    if (!strcmp(dot, ".png")) return "image/png";
    if (!strcmp(dot, ".ico")) return "image/x-icon";
    if (!strcmp(dot, ".webmanifest")) return "application/manifest+json";
    return "application/octet-stream";
}

bool static_serve(struct req *r, const char *if_none_match)
{
    char path[256];
    if (strstr(r->path, "..") || snprintf(path, sizeof path, "static/%s", r->path + 8) >= (int)sizeof path) return false;
    const struct embedded_file *f = files_get(path);
    if (!f) return false;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < f->size; i++) h = (h ^ f->data[i]) * 1099511628211ULL;
    char etag[40];
    snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
    req_header(r, "ETag", etag);
    req_header(r, "Cache-Control", "public, max-age=86400");
    if (if_none_match && strcmp(if_none_match, etag) == 0) return req_send(r, 304, type_of(path), strdup(""), 0), true;
    char *copy = malloc(f->size + 1);
    memcpy(copy, f->data, f->size);
    copy[f->size] = 0;
    req_send(r, 200, type_of(path), copy, f->size);
    return true;
}
