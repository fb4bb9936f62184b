/* Moves a course folder between the store and a .zip or a directory, and keeps the editor's copy of a course.
 * Must not judge course content (store_course_import does) and must not trust an archive's names or sizes. */
#include "store/course_io.h"
#include "core/buf.h"
#include "core/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

/* A course has at most 200 lessons and 100 quizzes (course_import.c), each file at most 500 KB: these bounds let
 * every real course through and stop an archive that inflates far past one. */
#define MAX_ENTRIES 400
#define MAX_FILE (600 * 1000)
#define MAX_TOTAL (24u * 1000 * 1000)

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

void course_files_add(struct course_files *f, const char *name, const void *data, size_t len)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->v = realloc(f->v, f->cap * sizeof *f->v);
        if (!f->v) abort();
    }
    unsigned char *copy = malloc(len + 1);
    if (!copy) abort();
    if (len) memcpy(copy, data, len);
    copy[len] = 0;
    f->v[f->n++] = (struct course_file){strdup(name), copy, len};
}

void course_files_free(struct course_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free((char *)f->v[i].name);
        free((unsigned char *)f->v[i].data);
    }
    free(f->v);
    *f = (struct course_files){0};
}

void course_files_from_export(struct course_files *f, json_t *exported, const char *folder)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(exported, "files"), i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *t = json_object_get(e, "text");
        if (!name || !json_is_string(t)) continue;
        char full[300];
        snprintf(full, sizeof full, "%s%s%s", folder ? folder : "", folder ? "/" : "", name);
        course_files_add(f, full, json_string_value(t), json_string_length(t));
    }
}

/* ---- zip in ---- */

/* One entry's bytes within the budget left; the declared size is only a first, cheap refusal. */
static int read_entry(zip_t *za, zip_uint64_t i, const char *name, size_t *budget, struct buf *dst, char *err,
                      size_t errlen)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, i, 0, &st) != 0) return fail(err, errlen, "%s: mục hỏng trong tệp .zip", name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(err, errlen, "%s: tệp được mã hóa, không đọc được", name);
    size_t cap = *budget < MAX_FILE ? *budget : MAX_FILE;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > cap)
        return fail(err, errlen, "%s: tệp quá lớn sau khi giải nén (tối đa %d KB mỗi tệp, %u MB cả khóa)", name,
                    MAX_FILE / 1000, MAX_TOTAL / 1000000);
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) return fail(err, errlen, "%s: không giải nén được (phương pháp nén không hỗ trợ hoặc tệp hỏng)", name);
    char tmp[1 << 15];
    size_t total = 0;
    int rc = 0;
    for (;;) {
        /* One byte past the cap is how "more than allowed" is told from "exactly allowed". */
        size_t want = cap - total + 1;
        zip_int64_t n = zip_fread(zf, tmp, want < sizeof tmp ? want : sizeof tmp);
        if (n < 0) {
            rc = fail(err, errlen, "%s: dữ liệu nén bị hỏng", name);
            break;
        }
        if (n == 0) break;
        total += (size_t)n;
        if (total > cap) {
            rc = fail(err, errlen, "%s: tệp quá lớn sau khi giải nén (tối đa %d KB mỗi tệp, %u MB cả khóa)", name,
                      MAX_FILE / 1000, MAX_TOTAL / 1000000);
            break;
        }
        buf_put(dst, tmp, (size_t)n);
    }
    zip_fclose(zf);
    if (!rc) *budget -= total;
    return rc;
}

/* Checks an entry's name; sets *dir to whether it is a folder entry and *skip for archivers' litter. */
static int check_name(const char *name, bool *dir, bool *skip, char *err, size_t errlen)
{
    size_t n = strlen(name);
    *dir = n && name[n - 1] == '/';
    *skip = !strncmp(name, "__MACOSX/", 9) || !strcmp(name, ".DS_Store") ||
            (n >= 10 && !strcmp(name + n - 10, "/.DS_Store"));
    if (*skip) return 0;
    if (!n || n > 250 || !text_valid_utf8(name, n)) return fail(err, errlen, "Tệp .zip có một mục tên không hợp lệ");
    if (name[0] == '/' || strchr(name, '\\') || strchr(name, ':'))
        return fail(err, errlen, "%s: tên tệp không được là đường dẫn tuyệt đối hay chứa \\ hoặc :", name);
    const char *p = name;
    int parts = 0;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (!l || (l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
            return fail(err, errlen, "%s: tên tệp không được chứa \"..\", \".\" hay \"//\"", name);
        parts++;
        p += l + (e ? 1 : 0);
    }
    if (parts > (*dir ? 1 : 2))
        return fail(err, errlen, "%s: thư mục khóa học phải phẳng, không có thư mục con", name);
    return 0;
}

int course_io_unzip(const unsigned char *zip, size_t len, struct course_files *out, char *err, size_t errlen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = len ? zip_source_buffer_create(zip, len, 0, &ze) : NULL;
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        if (src) zip_source_free(src);
        return fail(err, errlen, "Tệp tải lên không phải tệp .zip hợp lệ");
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    int rc = 0;
    if (n > MAX_ENTRIES) rc = fail(err, errlen, "Tệp .zip có quá nhiều mục (%lld; tối đa %d)", (long long)n, MAX_ENTRIES);
    size_t budget = MAX_TOTAL;
    char folder[256] = "";
    bool first = true;
    for (zip_int64_t i = 0; !rc && i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        bool dir, skip;
        if (!name) {
            rc = fail(err, errlen, "Tệp .zip có một mục không đọc được tên");
            break;
        }
        if ((rc = check_name(name, &dir, &skip, err, errlen)) || skip) continue;
        zip_uint8_t os;
        zip_uint32_t attr;
        if (!zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &os, &attr) && os == ZIP_OPSYS_UNIX &&
            ((attr >> 16) & S_IFMT) == S_IFLNK) {
            rc = fail(err, errlen, "%s: liên kết tượng trưng (symlink) không được phép", name);
            break;
        }
        const char *slash = strchr(name, '/');
        char here[256];
        snprintf(here, sizeof here, "%.*s", slash ? (int)(slash - name) : 0, name);
        if (first) snprintf(folder, sizeof folder, "%s", here);
        else if (strcmp(folder, here)) {
            rc = fail(err, errlen, "%s: mọi tệp phải nằm trong cùng một thư mục khóa học", name);
            break;
        }
        first = false;
        if (dir) continue;
        struct buf b = {0};
        if (!(rc = read_entry(za, (zip_uint64_t)i, name, &budget, &b, err, errlen))) {
            for (size_t k = 0; k < out->n && !rc; k++)
                if (!strcmp(out->v[k].name, name)) rc = fail(err, errlen, "%s: tệp xuất hiện hai lần", name);
            if (!rc) course_files_add(out, name, b.p ? b.p : "", b.len);
        }
        buf_free(&b);
    }
    zip_discard(za);
    if (!rc && !out->n) rc = fail(err, errlen, "Tệp .zip không có tệp nào");
    if (rc) course_files_free(out);
    return rc;
}

/* ---- zip out ---- */

unsigned char *course_io_zip(db *d, const char *slug, size_t *len, char *err, size_t errlen)
{
    *len = 0;
    json_t *ex = store_course_export(d, slug);
    if (!ex) {
        fail(err, errlen, "Không có khóa học \"%s\"", slug);
        return NULL;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_error_fini(&ze);
    bool ok = za && zip_dir_add(za, slug, ZIP_FL_ENC_UTF_8) >= 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(ex, "files"), i, e) {
        if (!ok) break;
        json_t *t = json_object_get(e, "text");
        char name[300];
        snprintf(name, sizeof name, "%s/%s", slug, json_string_value(json_object_get(e, "name")));
        /* The export stays alive until zip_close, which is when the source is read. */
        zip_source_t *fs = zip_source_buffer(za, json_string_value(t), json_string_length(t), 0);
        if (!fs || zip_file_add(za, name, fs, ZIP_FL_ENC_UTF_8) < 0) {
            if (fs) zip_source_free(fs);
            ok = false;
        }
    }
    if (za && ok && zip_close(za) != 0) ok = false;
    /* zip_close leaves the archive open when it fails; without an archive, keep's extra reference is ours. */
    if (za && !ok) zip_discard(za);
    if (!za) zip_source_free(src);
    json_decref(ex);
    unsigned char *out = NULL;
    if (ok && zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        out = size > 0 ? malloc((size_t)size) : NULL;
        if (out && zip_source_read(src, out, (zip_uint64_t)size) == size) *len = (size_t)size;
        else {
            free(out);
            out = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    if (!out) fail(err, errlen, "Không tạo được tệp .zip của khóa học");
    return out;
}

/* ---- slug ---- */

static struct course_file *find_course_json(const struct course_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *s = strrchr(f->v[i].name, '/');
        if (!strcmp(s ? s + 1 : f->v[i].name, "course.json")) return &f->v[i];
    }
    return NULL;
}

char *course_io_slug(const struct course_files *f)
{
    struct course_file *c = find_course_json(f);
    if (!c) return NULL;
    json_t *j = json_loadb((const char *)c->data, c->len, 0, NULL);
    const char *s = json_string_value(json_object_get(j, "slug"));
    char *out = s ? strdup(s) : NULL;
    json_decref(j);
    return out;
}

int course_io_set_slug(struct course_files *f, const char *slug, char *err, size_t errlen)
{
    struct course_file *c = find_course_json(f);
    if (!c) return fail(err, errlen, "course.json: thiếu tệp mô tả khóa học");
    json_error_t je;
    json_t *j = json_loadb((const char *)c->data, c->len, 0, &je);
    if (!json_is_object(j)) {
        json_decref(j);
        return fail(err, errlen, "course.json: JSON không hợp lệ (dòng %d, cột %d): %s", je.line, je.column, je.text);
    }
    json_object_set_new(j, "slug", json_string(slug));
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    free((unsigned char *)c->data);
    c->data = (unsigned char *)text;
    c->len = strlen(text);
    for (size_t i = 0; i < f->n; i++) {
        const char *s = strrchr(f->v[i].name, '/');
        if (!s) continue;
        char *bare = strdup(s + 1);
        free((char *)f->v[i].name);
        f->v[i].name = bare;
    }
    return 0;
}

/* ---- directories ---- */

static const char *last_component(const char *path, char *tmp, size_t n)
{
    snprintf(tmp, n, "%s", path);
    size_t l = strlen(tmp);
    while (l > 1 && tmp[l - 1] == '/') tmp[--l] = 0;
    const char *s = strrchr(tmp, '/');
    return s ? s + 1 : tmp;
}

int course_io_export_dir(db *d, const char *slug, const char *dir, char *where, size_t wherelen, char *err,
                         size_t errlen)
{
    json_t *ex = store_course_export(d, slug);
    if (!ex) return fail(err, errlen, "Không có khóa học \"%s\"", slug);
    char tmp[1024], target[1100];
    if (!strcmp(last_component(dir, tmp, sizeof tmp), slug)) snprintf(target, sizeof target, "%s", dir);
    else snprintf(target, sizeof target, "%s/%s", dir, slug);
    int rc = 0;
    if ((mkdir(dir, 0755) && errno != EEXIST) || (mkdir(target, 0755) && errno != EEXIST))
        rc = fail(err, errlen, "%s: không tạo được thư mục (%s)", target, strerror(errno));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(ex, "files"), i, e) {
        if (rc) break;
        const char *name = json_string_value(json_object_get(e, "name"));
        json_t *t = json_object_get(e, "text");
        if (!name || strchr(name, '/') || name[0] == '.') continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", target, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
        size_t len = json_string_length(t);
        if (fd < 0 || write(fd, json_string_value(t), len) != (ssize_t)len)
            rc = fail(err, errlen, "%s: không ghi được (%s)", path, strerror(errno));
        if (fd >= 0 && close(fd) && !rc) rc = fail(err, errlen, "%s: không ghi được (%s)", path, strerror(errno));
    }
    json_decref(ex);
    if (where && wherelen) snprintf(where, wherelen, "%s", target);
    return rc;
}

int course_io_import_dir(db *d, const char *dir, bool replace, char *err, size_t errlen)
{
    char real[PATH_MAX], tmp[PATH_MAX];
    if (!realpath(dir, real)) return fail(err, errlen, "%s: không mở được thư mục (%s)", dir, strerror(errno));
    const char *folder = last_component(real, tmp, sizeof tmp);
    DIR *dh = opendir(real);
    if (!dh) return fail(err, errlen, "%s: không mở được thư mục (%s)", dir, strerror(errno));
    struct course_files f = {0};
    int rc = 0;
    size_t total = 0;
    struct dirent *de;
    while (!rc && (de = readdir(dh))) {
        /* Hidden files (".DS_Store", editors' swap files) are not part of a course. */
        if (de->d_name[0] == '.') continue;
        char path[PATH_MAX + 300], name[600];
        snprintf(path, sizeof path, "%s/%s", real, de->d_name);
        snprintf(name, sizeof name, "%s/%s", folder, de->d_name);
        struct stat st;
        if (lstat(path, &st)) rc = fail(err, errlen, "%s: không đọc được (%s)", de->d_name, strerror(errno));
        else if (S_ISDIR(st.st_mode)) rc = fail(err, errlen, "%s: thư mục khóa học phải phẳng, không có thư mục con", de->d_name);
        else if (!S_ISREG(st.st_mode)) rc = fail(err, errlen, "%s: không phải tệp thường", de->d_name);
        else if (st.st_size > MAX_FILE || (total += (size_t)st.st_size) > MAX_TOTAL || f.n >= MAX_ENTRIES)
            rc = fail(err, errlen, "%s: thư mục khóa học quá lớn", de->d_name);
        if (rc) break;
        int fd = open(path, O_RDONLY | O_NOFOLLOW);
        unsigned char *data = malloc((size_t)st.st_size + 1);
        ssize_t got = fd >= 0 && data ? read(fd, data, (size_t)st.st_size) : -1;
        if (got != st.st_size) rc = fail(err, errlen, "%s: không đọc được", de->d_name);
        else course_files_add(&f, name, data, (size_t)got);
        free(data);
        if (fd >= 0) close(fd);
    }
    closedir(dh);
    if (!rc) rc = store_course_import(d, f.v, f.n, replace, err, errlen);
    course_files_free(&f);
    return rc;
}

/* ---- the editor's copy ---- */

static const char *file_text(json_t *exported, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(exported, "files"), i, e)
        if (name && !strcmp(name, json_string_value(json_object_get(e, "name")) ?: ""))
            return json_string_value(json_object_get(e, "text"));
    return NULL;
}

json_t *course_doc_load(db *d, const char *slug)
{
    json_t *ex = store_course_export(d, slug);
    if (!ex) return NULL;
    json_t *course = json_loads(file_text(ex, "course.json") ?: "", 0, NULL);
    if (!json_is_object(course)) {
        json_decref(course);
        json_decref(ex);
        return NULL;
    }
    json_t *md = json_object(), *quiz = json_object(), *e;
    size_t i;
    json_array_foreach(json_object_get(course, "lessons"), i, e) {
        const char *t = file_text(ex, json_string_value(json_object_get(e, "file")));
        const char *title = json_string_value(json_object_get(e, "title"));
        /* The export puts the title on top as "# Title"; the editor edits what follows it. */
        char head[1100];
        snprintf(head, sizeof head, "# %s\n\n", title ? title : "");
        if (t && !strncmp(t, head, strlen(head))) t += strlen(head);
        json_object_set_new(md, json_string_value(json_object_get(e, "slug")) ?: "", json_string(t ? t : ""));
        json_object_del(e, "file");
    }
    json_array_foreach(json_object_get(course, "quizzes"), i, e) {
        json_t *q = json_loads(file_text(ex, json_string_value(json_object_get(e, "file"))) ?: "", 0, NULL);
        if (!json_is_object(q)) {
            json_decref(q);
            q = json_pack("{s:[]}", "questions");
        }
        json_object_set_new(quiz, json_string_value(json_object_get(e, "slug")) ?: "", q);
        json_object_del(e, "file");
    }
    json_decref(ex);
    return json_pack("{s:o, s:o, s:o}", "course", course, "md", md, "quiz", quiz);
}

int course_doc_save(db *d, json_t *doc, bool replace, char *err, size_t errlen)
{
    json_t *course = json_deep_copy(json_object_get(doc, "course"));
    if (!json_is_object(course)) {
        json_decref(course);
        return fail(err, errlen, "course.json: thiếu mô tả khóa học");
    }
    struct course_files f = {0};
    json_t *e;
    size_t i;
    course_files_add(&f, "course.json", "", 0); /* filled last, once file names are set */
    json_array_foreach(json_object_get(course, "lessons"), i, e) {
        const char *slug = json_string_value(json_object_get(e, "slug")) ?: "";
        const char *title = json_string_value(json_object_get(e, "title")) ?: "";
        char name[200];
        snprintf(name, sizeof name, "%02zu-%s.md", i + 1, slug);
        json_object_set_new(e, "file", json_string(name));
        struct buf b = {0};
        buf_printf(&b, "# %s\n\n%s", title, json_string_value(json_object_get(json_object_get(doc, "md"), slug)) ?: "");
        course_files_add(&f, name, b.p, b.len);
        buf_free(&b);
    }
    json_array_foreach(json_object_get(course, "quizzes"), i, e) {
        const char *slug = json_string_value(json_object_get(e, "slug")) ?: "";
        char name[200];
        snprintf(name, sizeof name, "quiz-%s.json", slug);
        json_object_set_new(e, "file", json_string(name));
        json_t *q = json_object_get(json_object_get(doc, "quiz"), slug);
        char *text = q ? json_dumps(q, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : strdup("{}");
        course_files_add(&f, name, text, strlen(text));
        free(text);
    }
    char *text = json_dumps(course, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(course);
    free((unsigned char *)f.v[0].data);
    f.v[0].data = (unsigned char *)text;
    f.v[0].len = strlen(text);
    int rc = store_course_import(d, f.v, f.n, replace, err, errlen);
    course_files_free(&f);
    return rc;
}
