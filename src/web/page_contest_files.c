/* An award entry's files for those who judge it: jurors of its category not blocked by their unit, enterprise or a
 * declared conflict (the judging page's rule), the organiser and the applicant. Must not serve anyone else (the same
 * 404 as for no file), nor name the applicant through the file name when judging is blind. */
#include "web/contest.h"
#include <stdio.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The types entries accept (page_contest_entry.c), as constants: the server sends the type after the handler. */
static const char *const TYPES[][2] = {
    { "application/pdf", "pdf" }, { "image/png", "png" }, { "image/jpeg", "jpg" }, { "image/webp", "webp" },
    { "application/zip", "zip" },
    { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
    { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
    { "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
};

static int missing(struct req *r) { return req_missing(r, "Không tìm thấy tệp."); }

static int download(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    json_t *e = store_contest_entry(r->db, json_integer_value(json_object_get(c, "id")), contest_param_id(r, "id"));
    const char *code = req_str(r, "field");
    json_t *file = e && code ? json_object_get(json_object_get(e, "fields"), code) : NULL;
    bool organiser = contest_organiser(r, c), own = e && json_integer_value(json_object_get(e, "user_id")) == r->user->id;
    /* Whoever may not judge it is told nothing more than for a file that does not exist. */
    /* A draft is its applicant's alone: the organiser's lists leave drafts out too. */
    bool draft = e && !strcmp(str(e, "status") ? str(e, "status") : "", "draft");
    bool may = e && (own || (organiser && !draft) || !store_contest_juror_blocked(r->db, e, r->user->id));
    const char *sha = str(file, "sha");
    size_t len = 0;
    char *data = may && sha ? (char *)blob_load(r, sha, &len, NULL) : NULL;
    if (!data) {
        json_decref(e), json_decref(c);
        return missing(r);
    }
    char mime[128] = "";
    const char *type = "application/octet-stream", *ext = "bin";
    if (blob_type((const unsigned char *)data, len, mime, sizeof mime))
        for (size_t i = 0; i < sizeof TYPES / sizeof *TYPES; i++)
            if (!strcmp(TYPES[i][0], mime)) type = TYPES[i][0], ext = TYPES[i][1];
    /* Blind judging: a juror gets a name made of the entry and field, never the name the applicant gave the file. */
    bool blind = json_integer_value(json_object_get(c, "blind")) != 0 && !organiser && !own;
    char cd[1200], enc[700];
    size_t k = 0;
    const char *name = str(file, "name");
    if (!blind && name && *name) {
        for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < sizeof enc; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p)) enc[k++] = (char)*p;
            else k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
        }
    }
    enc[k] = 0;
    char plain[200];
    snprintf(plain, sizeof plain, "ho-so-%lld-%.60s.%s", (long long)json_integer_value(json_object_get(e, "id")), code, ext);
    for (char *p = plain; *p; p++) if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')) *p = '-';
    if (k) snprintf(cd, sizeof cd, "attachment; filename=\"%s\"; filename*=UTF-8''%s", plain, enc);
    else snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", plain);
    req_header(r, "Content-Disposition", cd);
    json_decref(e), json_decref(c);
    return req_send(r, 200, type, data, len);
}

const struct route page_contest_files_routes[] = {
    { "GET", "/cuoc-thi/{slug}/ho-so/{id}/tep/{field}", "/api/contests/{slug}/entries/{id}/files/{field}", download, ACCOUNT, false, 0 },
    { 0 },
};
