/* Uploaded files (evidence, plan documents): stored once under their SHA-256 (in the database or a directory, see
 * store/uploads.h), recorded in file_blob, served back with a Content-Disposition. Must not serve anything not recorded, nor to someone who may not see a record it belongs to. */
#include "http/app.h"
#include "store/uploads.h"
#include "store/blob.h"
#include <errno.h>
#include <magic.h>
#include <pthread.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void blob_dir(struct req *r, char *out, size_t n) { store_uploads_dir(r->app->cfg.db_path, out, n); }

/* libmagic handles are not thread-safe: one per thread, loaded once, closed when the thread ends. */
static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static void magic_drop(void *m) { magic_close(m); }
static void magic_key_init(void) { pthread_key_create(&magic_key, magic_drop); }

const char *blob_type(const unsigned char *data, size_t len, char *out, size_t outlen)
{
    pthread_once(&magic_once, magic_key_init);
    magic_t m = pthread_getspecific(magic_key);
    if (!m) {
        m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
        if (!m || magic_load(m, NULL)) {
            if (m) magic_close(m);
            return NULL;
        }
        pthread_setspecific(magic_key, m);
    }
    const char *t = magic_buffer(m, data, len);
    if (!t) return NULL;
    snprintf(out, outlen, "%s", t);
    return out;
}

/* What units may attach as evidence, reports or plans: documents, sheets, images, archives and plain text — by the
 * type libmagic reads from the bytes. HTML, scripts and executables are refused: a file we serve back must never be
 * something a browser runs. */
static const char *const accepted[] = {
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "application/zip", "text/plain", "text/csv",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet", NULL,
};

int blob_refuse(struct req *r, const struct upload *u)
{
    char mime[128];
    if (!blob_type(u->data, u->len, mime, sizeof mime)) return req_fail(r, 500, "Không kiểm tra được loại tệp.");
    for (int i = 0; accepted[i]; i++)
        if (!strcmp(accepted[i], mime)) return 0;
    return req_fail_ctx(r, 415, "Loại tệp này không được nhận (chỉ PDF, Word, Excel, ảnh, ZIP hoặc văn bản thuần).",
                        json_pack("{s:s}", "detected", mime));
}

/* What a stored file is served as: libmagic's reading of its bytes when it is an accepted type, with text marked UTF-8
 * (our users' files are), else application/octet-stream. Always a constant: the server sends it after the handler. */
static const char *served_type(const unsigned char *d, size_t n)
{
    char mime[128];
    if (!blob_type(d, n, mime, sizeof mime)) return "application/octet-stream";
    if (!strcmp(mime, "text/plain")) return "text/plain; charset=utf-8";
    if (!strcmp(mime, "text/csv")) return "text/csv; charset=utf-8";
    for (int i = 0; accepted[i]; i++)
        if (!strcmp(accepted[i], mime)) return accepted[i];
    return "application/octet-stream";
}

/* Writes the bytes under their hash in the uploads directory, durably, unless they are there already; 0 or -1. */
static int save_file(struct req *r, const struct upload *u, const char *sha)
{
    char dir[1024], path[1200], tmp[1300];
    blob_dir(r, dir, sizeof dir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, sha);
    struct stat st;
    if (stat(path, &st) == 0) return 0;
    /* Write then rename, so a crash never leaves a half file under the final name. */
    /* Two threads may store the same bytes at once: each writes its own temporary file. */
    snprintf(tmp, sizeof tmp, "%s.%d.%08x.tmp", path, (int)getpid(), (unsigned)randombytes_random());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < u->len) {
        ssize_t w = write(fd, u->data + off, u->len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { close(fd); unlink(tmp); return -1; }
        off += (size_t)w;
    }
    if (fsync(fd) || close(fd) || rename(tmp, path)) { unlink(tmp); return -1; }
    /* The new name is durable only once the directory is: before the row that names it commits (power loss). */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd < 0 || fsync(dfd)) { if (dfd >= 0) close(dfd); return -1; }
    close(dfd);
    return 0;
}

int blob_save(struct req *r, const struct upload *u, char sha[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, u->data, u->len);
    sodium_bin2hex(sha, 65, h, sizeof h);
    bool in_db = store_uploads_in_database(r->app->cfg.db_path);
    if (!in_db && save_file(r, u, sha)) return -1;
    struct store_result res = STORE_RESULT_OK;
    return store_blob_record(r->db, sha, u->filename[0] ? u->filename : sha, served_type(u->data, u->len), (int64_t)u->len,
                             in_db ? u->data : NULL, r->user ? r->user->id : 0, &res) == STORE_OK ? 0 : -1;
}

/* The bytes from the uploads directory; NULL unless exactly size bytes are there. */
static unsigned char *load_file(struct req *r, const char *sha, size_t size)
{
    char dir[1024], path[1200];
    blob_dir(r, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%s", dir, sha);
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    unsigned char *data = malloc(size + 1);
    size_t got = data ? fread(data, 1, size, fp) : 0;
    fclose(fp);
    if (got != size) { free(data); return NULL; }
    return data;
}

unsigned char *blob_load(struct req *r, const char *sha, size_t *len, json_t **row)
{
    if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64) return NULL;
    json_t *f = store_blob_get(r->db, sha);
    if (!f) return NULL;
    size_t size = (size_t)json_integer_value(json_object_get(f, "size")), got = 0;
    unsigned char *data = NULL;
    /* Where this server keeps files first, then the other place: a database copied from another engine (dxday copy)
     * may hold its files either way. */
    bool in_db = store_uploads_in_database(r->app->cfg.db_path);
    for (int k = 0; k < 2 && !data; k++) {
        if (in_db == (k == 0)) {
            data = store_blob_bytes(r->db, sha, &got);
            if (data && got != size) { free(data); data = NULL; }
        } else {
            data = load_file(r, sha, size);
        }
    }
    if (!data) {
        json_decref(f);
        return NULL;
    }
    *len = size;
    if (row) *row = f;
    else json_decref(f);
    return data;
}

static int serve(struct req *r)
{
    const char *sha = req_str(r, "sha");
    json_t *f = NULL;
    size_t size = 0;
    /* The same answer whether the file is absent or not this user's to see: a hash must not confirm a file exists. */
    char *data = r->user && store_blob_visible(r->db, sha, r->user->id) ? (char *)blob_load(r, sha, &size, &f) : NULL;
    if (!data) {
        /* A failing store is not a missing file. */
        struct store_result res = STORE_RESULT_OK;
        if (r->user && db_failed(r->db)) store_fail_db(&res, r->db);
        else store_fail(&res, STORE_NOT_FOUND, "Không tìm thấy tệp.");
        return req_result(r, &res);
    }
    /* RFC 6266: an ASCII fallback and the UTF-8 name, so Vietnamese file names survive the download. */
    char cd[900], enc[700];
    const char *name = json_string_value(json_object_get(f, "name"));
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < sizeof enc; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-_", *p)) enc[k++] = (char)*p;
        else k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *p);
    }
    enc[k] = 0;
    snprintf(cd, sizeof cd, "attachment; filename=\"tep-%.12s\"; filename*=UTF-8''%s", sha, enc);
    req_header(r, "Content-Disposition", cd);
    req_header(r, "Cache-Control", "private, max-age=86400");
    /* Read again from the bytes rather than trusted from the row, which older versions filled from magic numbers. */
    const char *t = served_type((const unsigned char *)data, size);
    json_decref(f);
    return req_send(r, 200, t, data, size);
}

const struct route page_files_routes[] = {
    { "GET", "/tep/{sha}", "/api/files/{sha}", serve, STAFF, false, 0 },
    { 0 },
};
