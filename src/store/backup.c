/* Backup and restore of a dxday data directory (see backup.h): SQLite's online backup API for the database, then the
 * uploaded files it refers to, each copied with its SHA-256 checked. Must not change the source, nor restore over data. */
#include "store/backup.h"
#include "store/uploads.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why the backup API and not VACUUM INTO: one sqlite3_backup_step(-1) copies every page inside one read transaction,
 * so the copy is one consistent moment of the database while the server's writers carry on (WAL: readers never block
 * writers); it copies pages as they are, where VACUUM INTO rebuilds every table and index (more CPU, a longer read
 * transaction holding back checkpoints). The same API restores: it writes through SQLite's locking into the target,
 * so a -wal file left beside an old database can never be replayed over the restored pages, as after a plain cp. */

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Where the server keeps uploaded files for the database at db_path (see uploads.h). */
static void files_dir(const char *db_path, char *out, size_t n) { store_uploads_dir(db_path, out, n); }

static bool is_sha(const char *s) { return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64; }

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* True when path does not exist or is an empty directory. */
static bool absent_or_empty_dir(const char *path, bool *exists)
{
    DIR *d = opendir(path);
    *exists = d != NULL || errno != ENOENT;
    if (!d) return !*exists;
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = false;
    closedir(d);
    return empty;
}

/* Reads src, checks its SHA-256 is sha, and when dst is given writes the bytes to dst (through a temporary name,
 * synced, then renamed). 0; 1 if src is missing; 2 if its bytes do not match sha; -1 on a write error. */
static int copy_checked(const char *src, const char *dst, const char *sha, int64_t *bytes)
{
    int in = open(src, O_RDONLY);
    if (in < 0) return errno == ENOENT ? 1 : -1;
    char tmp[1300];
    int out = -1;
    if (dst) {
        snprintf(tmp, sizeof tmp, "%s.%d.part", dst, (int)getpid());
        out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0) { close(in); return -1; }
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    static _Thread_local unsigned char buf[1 << 16];
    int rc = 0;
    int64_t total = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { rc = -1; break; }
        if (n == 0) break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
        total += n;
        for (ssize_t off = 0; out >= 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) { rc = -1; break; }
            off += w;
        }
        if (rc) break;
    }
    close(in);
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    if (!rc && strcmp(hex, sha)) rc = 2;
    if (out >= 0) {
        if (!rc && fsync(out)) rc = -1;
        if (close(out) && !rc) rc = -1;
        if (!rc && rename(tmp, dst)) rc = -1;
        if (rc) unlink(tmp);
    }
    if (!rc && bytes) *bytes += total;
    return rc;
}

static sqlite3 *open_db(const char *path, int flags, char *err, size_t errlen)
{
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
        fail(err, errlen, "không mở được %s: %s", path, h ? sqlite3_errmsg(h) : "hết bộ nhớ");
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, 10000);
    return h;
}

/* All pages of from's main database into to's, in one step (one read transaction on from). */
static int copy_pages(sqlite3 *to, sqlite3 *from, char *err, size_t errlen)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return fail(err, errlen, "không sao chép được cơ sở dữ liệu: %s", sqlite3_errmsg(to));
    int rc;
    /* BUSY or LOCKED: another connection holds a lock the copy needs (a checkpoint, a restore target's writer). */
    for (int tries = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED; tries++) {
        if (tries == 300) break;
        sqlite3_sleep(100);
    }
    int frc = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || frc != SQLITE_OK)
        return fail(err, errlen, "không sao chép được cơ sở dữ liệu: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
    return 0;
}

/* PRAGMA integrity_check answers one row, "ok", or the problems it found. */
static int check_integrity(sqlite3 *h, const char *what, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return fail(err, errlen, "%s: không kiểm tra được: %s", what, sqlite3_errmsg(h));
    int rc = sqlite3_step(s);
    const char *r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    int bad = !r || strcmp(r, "ok") ? fail(err, errlen, "%s: integrity_check: %s", what, r ? r : sqlite3_errmsg(h)) : 0;
    sqlite3_finalize(s);
    return bad;
}

/* The uploaded files a database refers to and keeps on disk (not in file_content, which older databases lack), as a
 * NULL-terminated array of SHA-256 hex strings (free with free_list). */
static char **referenced_files(sqlite3 *h, char *err, size_t errlen)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(h, "SELECT sha256 FROM file_blob WHERE sha256 NOT IN (SELECT sha256 FROM file_content) "
                              "ORDER BY sha256", -1, &s, NULL) != SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT sha256 FROM file_blob ORDER BY sha256", -1, &s, NULL) != SQLITE_OK) {
        fail(err, errlen, "không đọc được danh sách tệp (file_blob): %s", sqlite3_errmsg(h));
        return NULL;
    }
    size_t n = 0, cap = 64;
    char **list = malloc(cap * sizeof *list);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *sha = (const char *)sqlite3_column_text(s, 0);
        /* The name becomes a path: anything but a SHA-256 is refused rather than followed. */
        if (!is_sha(sha)) { rc = SQLITE_CORRUPT; fail(err, errlen, "file_blob có một mã băm không hợp lệ"); break; }
        if (n + 1 == cap) list = realloc(list, (cap *= 2) * sizeof *list);
        list[n++] = strdup(sha);
    }
    list[n] = NULL;
    if (rc != SQLITE_DONE && rc != SQLITE_CORRUPT) fail(err, errlen, "không đọc được danh sách tệp: %s", sqlite3_errmsg(h));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < n; i++) free(list[i]);
        free(list);
        return NULL;
    }
    return list;
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++) free(*p);
    free(list);
}

/* Copies (or, when to_dir is NULL, only checks) every listed file from from_dir. A file already in to_dir with the
 * right bytes is kept. 0, or -1 naming the first missing or altered file and how many there are. */
static int copy_files(char **list, const char *from_dir, const char *to_dir, struct backup_stats *st, char *err, size_t errlen)
{
    int missing = 0, altered = 0, failed = 0;
    const char *first = NULL;
    for (char **p = list; *p; p++) {
        char src[1200], dst[1200];
        snprintf(src, sizeof src, "%s/%s", from_dir, *p);
        if (to_dir) {
            snprintf(dst, sizeof dst, "%s/%s", to_dir, *p);
            int64_t had = 0;
            if (copy_checked(dst, NULL, *p, &had) == 0) {   /* already there, same bytes */
                st->files++;
                st->file_bytes += had;
                continue;
            }
        }
        int rc = copy_checked(src, to_dir ? dst : NULL, *p, &st->file_bytes);
        if (rc == 0) { st->files++; continue; }
        if (rc == 1) missing++;
        else if (rc == 2) altered++;
        else failed++;
        if (!first) first = *p;
    }
    if (failed) return fail(err, errlen, "không đọc hoặc ghi được %d tệp (đầu tiên: %s)", failed, first);
    if (missing || altered)
        return fail(err, errlen, "trong %s có %d tệp được tham chiếu bị thiếu và %d tệp sai mã băm (đầu tiên: %s)", from_dir,
                    missing, altered, first);
    if (to_dir && fsync_path(to_dir)) return fail(err, errlen, "không đồng bộ được %s: %s", to_dir, strerror(errno));
    return 0;
}

int store_backup(const char *db_path, const char *dest_dir, struct backup_stats *st, char *err, size_t errlen)
{
    struct backup_stats none;
    if (!st) st = &none;
    *st = (struct backup_stats){ 0 };
    if (sodium_init() < 0) return fail(err, errlen, "không khởi tạo được libsodium");
    struct stat sb;
    if (stat(db_path, &sb) || !S_ISREG(sb.st_mode)) return fail(err, errlen, "không có cơ sở dữ liệu %s", db_path);
    bool exists;
    if (!absent_or_empty_dir(dest_dir, &exists)) return fail(err, errlen, "%s đã có nội dung: hãy sao lưu vào một thư mục mới", dest_dir);
    /* 0700: the copy holds password hashes and sessions. */
    if (!exists && mkdir(dest_dir, 0700)) return fail(err, errlen, "không tạo được %s: %s", dest_dir, strerror(errno));
    char part[1200], final[1200], fdir[1200], src_files[1200];
    snprintf(part, sizeof part, "%s/%s.part", dest_dir, BACKUP_DB_NAME);
    snprintf(final, sizeof final, "%s/%s", dest_dir, BACKUP_DB_NAME);
    snprintf(fdir, sizeof fdir, "%s/files", dest_dir);
    files_dir(db_path, src_files, sizeof src_files);
    if (mkdir(fdir, 0700)) return fail(err, errlen, "không tạo được %s: %s", fdir, strerror(errno));

    /* Read-write without create: a read-only connection cannot open a WAL database whose -shm it may not write. */
    sqlite3 *src = open_db(db_path, SQLITE_OPEN_READWRITE, err, errlen);
    if (!src) return -1;
    sqlite3 *dst = open_db(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err, errlen);
    int rc = dst ? copy_pages(dst, src, err, errlen) : -1;
    sqlite3_close(src);
    /* One self-contained file (no -wal beside it to forget); a server opening it switches back to WAL. */
    if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(err, errlen, "%s: %s", part, sqlite3_errmsg(dst));
    if (!rc) rc = check_integrity(dst, part, err, errlen);
    char **list = rc ? NULL : referenced_files(dst, err, errlen);
    sqlite3_close(dst);
    if (!list) return -1;
    /* Files after the snapshot: a row is committed only after its file was written and synced (web/blob.c), and files
     * are never deleted, so every file the snapshot names is there to copy. */
    rc = copy_files(list, src_files, fdir, st, err, errlen);
    free_list(list);
    if (rc) return -1;
    /* The database gets its final name last: dxday.db in a backup directory means the backup is whole. */
    if (fsync_path(part) || rename(part, final) || fsync_path(dest_dir))
        return fail(err, errlen, "không hoàn tất được %s: %s", final, strerror(errno));
    if (!stat(final, &sb)) st->db_bytes = sb.st_size;
    return 0;
}

/* True when the database at path holds any table (or is not a database at all): not ours to overwrite unasked. */
static bool holds_data(const char *path)
{
    struct stat sb;
    if (stat(path, &sb)) return false;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) { sqlite3_close(h); return true; }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_stmt *s;
    bool any = true;
    if (sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM sqlite_schema", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) any = sqlite3_column_int64(s, 0) > 0;
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return any;
}

int store_restore(const char *src_dir, const char *db_path, bool force, struct backup_stats *st, char *err, size_t errlen)
{
    struct backup_stats none;
    if (!st) st = &none;
    *st = (struct backup_stats){ 0 };
    if (sodium_init() < 0) return fail(err, errlen, "không khởi tạo được libsodium");
    char src_db[1200], src_files[1200], fdir[1200];
    snprintf(src_db, sizeof src_db, "%s/%s", src_dir, BACKUP_DB_NAME);
    snprintf(src_files, sizeof src_files, "%s/files", src_dir);
    struct stat sb;
    if (stat(src_db, &sb) || !S_ISREG(sb.st_mode))
        return fail(err, errlen, "%s không có %s: không phải một bản sao lưu hoàn chỉnh", src_dir, BACKUP_DB_NAME);

    /* Everything about the backup is checked before anything is written. */
    sqlite3 *src = open_db(src_db, SQLITE_OPEN_READONLY, err, errlen);
    if (!src) return -1;
    int rc = check_integrity(src, src_db, err, errlen);
    char **list = rc ? NULL : referenced_files(src, err, errlen);
    if (list) rc = copy_files(list, src_files, NULL, st, err, errlen);
    else rc = -1;
    if (!rc && !force && holds_data(db_path))
        rc = fail(err, errlen, "%s đã có dữ liệu; không ghi đè (thêm --force để thay bằng bản sao lưu)", db_path);

    /* Files first: the restored database must never name a file that is not there yet. */
    if (!rc) {
        *st = (struct backup_stats){ 0 };
        files_dir(db_path, fdir, sizeof fdir);
        /* The database's directory, as `dxday migrate` would create it (one level). */
        char parent[1200];
        snprintf(parent, sizeof parent, "%s", fdir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) { *slash = 0; mkdir(parent, 0755); }
        if (mkdir(fdir, 0755) && errno != EEXIST) rc = fail(err, errlen, "không tạo được %s: %s", fdir, strerror(errno));
        if (!rc) rc = copy_files(list, src_files, fdir, st, err, errlen);
    }
    free_list(list);
    sqlite3 *dst = rc ? NULL : open_db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err, errlen);
    if (!rc && !dst) rc = -1;
    if (!rc) rc = copy_pages(dst, src, err, errlen);
    sqlite3_close(src);
    /* Back to the journal a server uses; then the restored copy is checked where it now lives. */
    if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(err, errlen, "%s: %s", db_path, sqlite3_errmsg(dst));
    if (!rc) rc = check_integrity(dst, db_path, err, errlen);
    sqlite3_close(dst);
    if (!rc && !stat(db_path, &sb)) st->db_bytes = sb.st_size;
    return rc;
}
