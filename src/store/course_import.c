/* Importing one course folder (course.json + lesson .md + quiz .json): everything is checked first, then written in one
 * transaction, updating lessons and quizzes in place by slug so learners' views and attempts survive a re-import.
 * Must not write anything when any file is wrong, and must not include export/ (markdown goes through the renderer). */
#include "store/course.h"
#include "store/search.h"
#include "core/buf.h"
#include "core/files.h"
#include "core/date.h"
#include "core/text.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LESSONS 200
#define MAX_QUIZZES 100
#define MAX_QUESTIONS 200
#define MAX_OPTIONS 20
#define MAX_LESSON_BYTES 100000
#define MAX_JSON_BYTES 500000

/* Set once by main.c (and unit tests) before any thread starts; read-only afterwards. */
static course_render_fn renderer;
void store_course_set_renderer(course_render_fn fn) { renderer = fn; }

struct lesson_in { const char *slug, *title, *file; int minutes; char *md, *html; };
struct quiz_in { const char *slug, *title, *after, *file; json_t *questions; };
struct course_in {
    json_t *doc;   /* course.json, every string NFC; the const char * above point into it */
    const char *slug, *title, *summary, *audience, *status;
    int area, pass_mark, minutes;
    struct lesson_in lessons[MAX_LESSONS];
    size_t nlessons;
    struct quiz_in quizzes[MAX_QUIZZES];
    size_t nquizzes;
};

static int fail(char *err, size_t errlen, const char *file, const char *fmt, ...)
{
    size_t n = (size_t)snprintf(err, errlen, "%s: ", file);
    if (n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool slug_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 80 || s[0] == '-' || s[n - 1] == '-') return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

/* A file name inside the folder: no path, no hidden files, nothing a file system would read as a directory. */
static bool file_name_ok(const char *s)
{
    if (!s || !*s || *s == '.' || strlen(s) > 120) return false;
    for (; *s; s++)
        if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20) return false;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Every string in v (keys stay: they are ours) in NFC; false when one is not valid UTF-8. */
static bool nfc_tree(json_t *v)
{
    if (json_is_string(v)) {
        char *n = text_nfc(json_string_value(v));
        if (!n) return false;
        if (strcmp(n, json_string_value(v))) json_string_set(v, n);
        free(n);
        return true;
    }
    size_t i;
    json_t *x;
    const char *k;
    if (json_is_array(v)) json_array_foreach(v, i, x) if (!nfc_tree(x)) return false;
    if (json_is_object(v)) json_object_foreach(v, k, x) if (!nfc_tree(x)) return false;
    return true;
}

static const struct course_file *find_file(const struct course_file *files, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        const char *slash = strchr(files[i].name, '/');
        if (!strcmp(slash ? slash + 1 : files[i].name, name)) return &files[i];
    }
    return NULL;
}

/* Skips a UTF-8 byte order mark: editors on Windows add one. */
static void strip_bom(const unsigned char **p, size_t *len)
{
    if (*len >= 3 && (*p)[0] == 0xEF && (*p)[1] == 0xBB && (*p)[2] == 0xBF) *p += 3, *len -= 3;
}

static json_t *load_json(const struct course_file *f, const char *name, char *err, size_t errlen)
{
    const unsigned char *p = f->data;
    size_t len = f->len;
    strip_bom(&p, &len);
    if (len > MAX_JSON_BYTES) { fail(err, errlen, name, "tệp quá lớn (tối đa %d KB)", MAX_JSON_BYTES / 1000); return NULL; }
    json_error_t je;
    json_t *j = json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) { fail(err, errlen, name, "JSON không hợp lệ (dòng %d, cột %d): %s", je.line, je.column, je.text); return NULL; }
    if (!json_is_object(j)) { json_decref(j); fail(err, errlen, name, "cần một đối tượng JSON {…}"); return NULL; }
    if (!nfc_tree(j)) { json_decref(j); fail(err, errlen, name, "văn bản không phải UTF-8 hợp lệ"); return NULL; }
    return j;
}

/* A required non-blank string of at most max bytes, or NULL with err set. */
static const char *req_text(json_t *o, const char *key, size_t max, const char *file, const char *where, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_string_value(v);
    if (!v) { fail(err, errlen, file, "%sthiếu trường \"%s\"", where, key); return NULL; }
    if (!s) { fail(err, errlen, file, "%s\"%s\" phải là chuỗi", where, key); return NULL; }
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    if (!*p) { fail(err, errlen, file, "%s\"%s\" không được để trống", where, key); return NULL; }
    if (strlen(s) > max) { fail(err, errlen, file, "%s\"%s\" dài quá %zu ký tự", where, key, max); return NULL; }
    return s;
}

/* An optional integer in [lo, hi]; dflt when absent. false with err set otherwise. */
static bool opt_int(json_t *o, const char *key, int lo, int hi, int dflt, int *out, const char *file, const char *where,
                    char *err, size_t errlen)
{
    json_t *v = json_object_get(o, key);
    if (!v) { *out = dflt; return true; }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        fail(err, errlen, file, "%s\"%s\" phải là số nguyên từ %d đến %d", where, key, lo, hi);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

static const char *one_of(const char *s, const char *const *allowed)
{
    for (int i = 0; s && allowed[i]; i++) if (!strcmp(s, allowed[i])) return allowed[i];
    return NULL;
}

/* Checks one question and rewrites it in its stored shape: {kind, prompt, options, answer, explain}, multiple's answer
 * sorted. q is 1-based for messages. */
static json_t *check_question(json_t *in, int q, const char *file, char *err, size_t errlen)
{
    static const char *const kinds[] = { "single", "multiple", "truefalse", "short", NULL };
    char where[32];
    snprintf(where, sizeof where, "câu %d: ", q);
    if (!json_is_object(in)) { fail(err, errlen, file, "%scần một đối tượng {kind, prompt, answer…}", where); return NULL; }
    json_t *kv = json_object_get(in, "kind");
    const char *kind = one_of(json_string_value(kv), kinds);
    if (!kind) { fail(err, errlen, file, "%s\"kind\" phải là single, multiple, truefalse hoặc short", where); return NULL; }
    const char *prompt = req_text(in, "prompt", 2000, file, where, err, errlen);
    if (!prompt) return NULL;
    json_t *ex = json_object_get(in, "explain");
    if (ex && !json_is_string(ex) && !json_is_null(ex)) { fail(err, errlen, file, "%s\"explain\" phải là chuỗi", where); return NULL; }
    if (ex && json_is_string(ex) && strlen(json_string_value(ex)) > 4000) { fail(err, errlen, file, "%s\"explain\" quá dài", where); return NULL; }
    json_t *opts = json_object_get(in, "options"), *ans = json_object_get(in, "answer");
    bool choice = !strcmp(kind, "single") || !strcmp(kind, "multiple");
    size_t nopt = 0;
    if (choice) {
        if (!json_is_array(opts) || json_array_size(opts) < 2 || json_array_size(opts) > MAX_OPTIONS) {
            fail(err, errlen, file, "%scần \"options\": từ 2 đến %d lựa chọn", where, MAX_OPTIONS);
            return NULL;
        }
        nopt = json_array_size(opts);
        for (size_t i = 0; i < nopt; i++) {
            const char *o = json_string_value(json_array_get(opts, i));
            if (!o || !*o || strlen(o) > 1000) { fail(err, errlen, file, "%slựa chọn %zu phải là chuỗi không rỗng (tối đa 1000 ký tự)", where, i); return NULL; }
        }
    } else if (opts && !(json_is_array(opts) && json_array_size(opts) == 0)) {
        fail(err, errlen, file, "%scâu %s không có \"options\"", where, !strcmp(kind, "short") ? "trả lời ngắn" : "đúng/sai");
        return NULL;
    }
    if (!ans) { fail(err, errlen, file, "%sthiếu \"answer\"", where); return NULL; }
    json_t *key = NULL;
    if (!strcmp(kind, "single")) {
        if (!json_is_integer(ans)) { fail(err, errlen, file, "%s\"answer\" phải là số thứ tự một lựa chọn (đếm từ 0)", where); return NULL; }
        if (json_integer_value(ans) < 0 || json_integer_value(ans) >= (json_int_t)nopt) {
            fail(err, errlen, file, "%sđáp án %lld ngoài danh sách lựa chọn", where, (long long)json_integer_value(ans));
            return NULL;
        }
        key = json_incref(ans);
    } else if (!strcmp(kind, "multiple")) {
        if (!json_is_array(ans) || !json_array_size(ans)) { fail(err, errlen, file, "%s\"answer\" phải là danh sách số thứ tự lựa chọn đúng, ví dụ [0, 2]", where); return NULL; }
        bool seen[MAX_OPTIONS] = { false };
        for (size_t i = 0; i < json_array_size(ans); i++) {
            json_t *a = json_array_get(ans, i);
            if (!json_is_integer(a)) { fail(err, errlen, file, "%s\"answer\" chỉ gồm số thứ tự lựa chọn", where); return NULL; }
            json_int_t v = json_integer_value(a);
            if (v < 0 || v >= (json_int_t)nopt) { fail(err, errlen, file, "%sđáp án %lld ngoài danh sách lựa chọn", where, (long long)v); return NULL; }
            if (seen[v]) { fail(err, errlen, file, "%sđáp án %lld lặp lại", where, (long long)v); return NULL; }
            seen[v] = true;
        }
        key = json_array();
        for (size_t i = 0; i < nopt; i++) if (seen[i]) json_array_append_new(key, json_integer((json_int_t)i));
    } else if (!strcmp(kind, "truefalse")) {
        if (!json_is_boolean(ans)) { fail(err, errlen, file, "%s\"answer\" phải là true hoặc false", where); return NULL; }
        key = json_incref(ans);
    } else {
        if (!json_is_array(ans) || !json_array_size(ans)) { fail(err, errlen, file, "%s\"answer\" phải là danh sách các câu trả lời được chấp nhận", where); return NULL; }
        for (size_t i = 0; i < json_array_size(ans); i++) {
            const char *a = json_string_value(json_array_get(ans, i));
            char *f = a ? text_fold(a) : NULL;
            bool ok = f && *f && strlen(a) <= 300;
            free(f);
            if (!ok) { fail(err, errlen, file, "%scâu trả lời được chấp nhận thứ %zu phải có chữ hoặc số (tối đa 300 ký tự)", where, i + 1); return NULL; }
        }
        key = json_incref(ans);
    }
    return json_pack("{s:s, s:s, s:o, s:o, s:s}", "kind", kind, "prompt", prompt, "options", choice ? json_incref(opts) : json_array(),
                     "answer", key, "explain", json_is_string(ex) ? json_string_value(ex) : "");
}

/* The markdown body in its one stored form: LF line ends, no "# Title" first line when it repeats the title, no blank
 * lines around it, one final newline. Export puts the heading back, so import(export(c)) stores the same text. */
static char *canonical_md(const char *nfc, const char *title)
{
    struct buf b = { 0 };
    for (const char *p = nfc; *p; p++) if (*p != '\r') buf_put(&b, p, 1);
    char *s = buf_take(&b), *start = s;
    size_t tl = strlen(title);
    if (!strncmp(start, "# ", 2)) {
        const char *h = start + 2;
        while (*h == ' ') h++;
        size_t hl = strcspn(h, "\n");
        while (hl && (h[hl - 1] == ' ' || h[hl - 1] == '\t')) hl--;
        if (hl == tl && !strncmp(h, title, tl)) start = (char *)h + strcspn(h, "\n");
    }
    while (*start == '\n' || *start == ' ' || *start == '\t') {
        /* Leading blank lines only: indentation of the first real line is markdown syntax. */
        char *nl = strchr(start, '\n');
        const char *q = start;
        while (*q == ' ' || *q == '\t') q++;
        if (*q != '\n' || !nl) break;
        start = nl + 1;
    }
    size_t n = strlen(start);
    while (n && (start[n - 1] == '\n' || start[n - 1] == ' ' || start[n - 1] == '\t')) n--;
    char *out = malloc(n + 2);
    memcpy(out, start, n);
    out[n] = '\n';
    out[n + 1] = 0;
    free(s);
    return out;
}

static void course_in_free(struct course_in *c)
{
    for (size_t i = 0; i < c->nlessons; i++) { free(c->lessons[i].md); free(c->lessons[i].html); }
    for (size_t i = 0; i < c->nquizzes; i++) json_decref(c->quizzes[i].questions);
    json_decref(c->doc);
}

static int parse_lessons(struct course_in *c, const struct course_file *files, size_t n, char *err, size_t errlen)
{
    json_t *ls = json_object_get(c->doc, "lessons");
    if (!json_is_array(ls) || !json_array_size(ls)) return fail(err, errlen, "course.json", "cần ít nhất một bài học trong \"lessons\"");
    if (json_array_size(ls) > MAX_LESSONS) return fail(err, errlen, "course.json", "nhiều nhất %d bài học", MAX_LESSONS);
    for (size_t i = 0; i < json_array_size(ls); i++) {
        json_t *l = json_array_get(ls, i);
        char where[40];
        snprintf(where, sizeof where, "bài học %zu: ", i + 1);
        if (!json_is_object(l)) return fail(err, errlen, "course.json", "%scần một đối tượng {slug, title, file}", where);
        struct lesson_in *li = &c->lessons[c->nlessons];
        if (!(li->slug = req_text(l, "slug", 80, "course.json", where, err, errlen))) return -1;
        if (!slug_ok(li->slug)) return fail(err, errlen, "course.json", "%s\"slug\" chỉ gồm chữ thường không dấu, số và '-'", where);
        for (size_t k = 0; k < c->nlessons; k++)
            if (!strcmp(c->lessons[k].slug, li->slug)) return fail(err, errlen, "course.json", "%s\"slug\" %s trùng với bài học %zu", where, li->slug, k + 1);
        if (!(li->title = req_text(l, "title", 300, "course.json", where, err, errlen))) return -1;
        if (!(li->file = req_text(l, "file", 120, "course.json", where, err, errlen))) return -1;
        if (!file_name_ok(li->file) || !ends_with(li->file, ".md"))
            return fail(err, errlen, "course.json", "%s\"file\" phải là tên một tệp .md trong thư mục", where);
        if (!opt_int(l, "minutes", 1, 600, 5, &li->minutes, "course.json", where, err, errlen)) return -1;
        const struct course_file *f = find_file(files, n, li->file);
        if (!f) return fail(err, errlen, li->file, "thiếu tệp (bài học \"%s\" trong course.json cần tệp này)", li->slug);
        const unsigned char *p = f->data;
        size_t len = f->len;
        strip_bom(&p, &len);
        if (len > MAX_LESSON_BYTES) return fail(err, errlen, li->file, "bài học quá dài (tối đa %d KB)", MAX_LESSON_BYTES / 1000);
        if (!text_valid_utf8((const char *)p, len)) return fail(err, errlen, li->file, "không phải văn bản UTF-8 hợp lệ");
        char *raw = strndup((const char *)p, len), *nfc = text_nfc(raw);
        free(raw);
        if (!nfc) return fail(err, errlen, li->file, "không phải văn bản UTF-8 hợp lệ");
        li->md = canonical_md(nfc, li->title);
        free(nfc);
        c->nlessons++;
        if (li->md[0] == '\n') return fail(err, errlen, li->file, "bài học chưa có nội dung");
        c->minutes += li->minutes;
    }
    return 0;
}

static int parse_quizzes(struct course_in *c, const struct course_file *files, size_t n, char *err, size_t errlen)
{
    json_t *qs = json_object_get(c->doc, "quizzes");
    if (!qs || json_is_null(qs)) return 0;
    if (!json_is_array(qs)) return fail(err, errlen, "course.json", "\"quizzes\" phải là danh sách");
    if (json_array_size(qs) > MAX_QUIZZES) return fail(err, errlen, "course.json", "nhiều nhất %d bài kiểm tra", MAX_QUIZZES);
    for (size_t i = 0; i < json_array_size(qs); i++) {
        json_t *q = json_array_get(qs, i);
        char where[40];
        snprintf(where, sizeof where, "bài kiểm tra %zu: ", i + 1);
        if (!json_is_object(q)) return fail(err, errlen, "course.json", "%scần một đối tượng {slug, title, after, file}", where);
        struct quiz_in *qi = &c->quizzes[c->nquizzes];
        if (!(qi->slug = req_text(q, "slug", 80, "course.json", where, err, errlen))) return -1;
        if (!slug_ok(qi->slug)) return fail(err, errlen, "course.json", "%s\"slug\" chỉ gồm chữ thường không dấu, số và '-'", where);
        for (size_t k = 0; k < c->nquizzes; k++)
            if (!strcmp(c->quizzes[k].slug, qi->slug)) return fail(err, errlen, "course.json", "%s\"slug\" %s trùng với bài kiểm tra %zu", where, qi->slug, k + 1);
        if (!(qi->title = req_text(q, "title", 300, "course.json", where, err, errlen))) return -1;
        if (!(qi->file = req_text(q, "file", 120, "course.json", where, err, errlen))) return -1;
        if (!file_name_ok(qi->file) || !ends_with(qi->file, ".json") || !strcmp(qi->file, "course.json"))
            return fail(err, errlen, "course.json", "%s\"file\" phải là tên một tệp .json khác course.json", where);
        json_t *after = json_object_get(q, "after");
        qi->after = NULL;
        if (after && !json_is_null(after)) {
            qi->after = json_string_value(after);
            size_t k = 0;
            while (qi->after && k < c->nlessons && strcmp(c->lessons[k].slug, qi->after)) k++;
            if (!qi->after || k == c->nlessons)
                return fail(err, errlen, "course.json", "%s\"after\" phải là slug một bài học của khóa, hoặc null (bài kiểm tra cuối)", where);
        }
        const struct course_file *f = find_file(files, n, qi->file);
        if (!f) return fail(err, errlen, qi->file, "thiếu tệp (bài kiểm tra \"%s\" trong course.json cần tệp này)", qi->slug);
        json_t *doc = load_json(f, qi->file, err, errlen);
        if (!doc) return -1;
        json_t *list = json_object_get(doc, "questions");
        if (!json_is_array(list) || !json_array_size(list) || json_array_size(list) > MAX_QUESTIONS) {
            json_decref(doc);
            return fail(err, errlen, qi->file, "cần \"questions\": từ 1 đến %d câu hỏi", MAX_QUESTIONS);
        }
        qi->questions = json_array();
        c->nquizzes++;
        for (size_t k = 0; k < json_array_size(list); k++) {
            json_t *qq = check_question(json_array_get(list, k), (int)k + 1, qi->file, err, errlen);
            if (!qq) { json_decref(doc); return -1; }
            json_array_append_new(qi->questions, qq);
        }
        json_decref(doc);
    }
    return 0;
}

/* Reads and checks the whole folder into c; -1 with err set on the first problem. */
static int parse(struct course_in *c, const struct course_file *files, size_t n, char *err, size_t errlen)
{
    static const char *const statuses[] = { "draft", "open", "closed", NULL };
    char folder[128] = "";
    for (size_t i = 0; i < n; i++) {
        const char *name = files[i].name ? files[i].name : "";
        const char *slash = strchr(name, '/');
        char dir[128] = "";
        if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - name), name);
        if ((slash && (!*dir || strchr(slash + 1, '/'))) || !file_name_ok(slash ? slash + 1 : name))
            return fail(err, errlen, *name ? name : "(không tên)", "tên tệp không hợp lệ (thư mục khóa học phải phẳng, không có thư mục con)");
        if (i == 0) snprintf(folder, sizeof folder, "%s", dir);
        else if (strcmp(folder, dir)) return fail(err, errlen, name, "các tệp phải cùng một thư mục khóa học");
        for (size_t k = 0; k < i; k++)
            if (!strcmp(files[k].name, name)) return fail(err, errlen, name, "tệp xuất hiện hai lần");
        if (!files[i].data && files[i].len) return fail(err, errlen, name, "tệp rỗng");
    }
    const struct course_file *cj = find_file(files, n, "course.json");
    if (!cj) return fail(err, errlen, "course.json", "thiếu tệp mô tả khóa học");
    if (!(c->doc = load_json(cj, "course.json", err, errlen))) return -1;
    json_t *d = c->doc;
    const char *f = "course.json";
    if (!(c->slug = req_text(d, "slug", 80, f, "", err, errlen))) return -1;
    if (!slug_ok(c->slug)) return fail(err, errlen, f, "\"slug\" chỉ gồm chữ thường không dấu, số và '-' (tối đa 80 ký tự)");
    if (*folder && strcmp(folder, c->slug)) return fail(err, errlen, f, "\"slug\" (%s) phải trùng tên thư mục (%s)", c->slug, folder);
    if (!(c->title = req_text(d, "title", 300, f, "", err, errlen))) return -1;
    json_t *sum = json_object_get(d, "summary");
    if (sum && !json_is_string(sum) && !json_is_null(sum)) return fail(err, errlen, f, "\"summary\" phải là chuỗi");
    c->summary = json_is_string(sum) ? json_string_value(sum) : "";
    if (strlen(c->summary) > 1000) return fail(err, errlen, f, "\"summary\" dài quá 1000 ký tự");
    if (!(c->audience = one_of(json_string_value(json_object_get(d, "audience")), course_audiences)))
        return fail(err, errlen, f, "\"audience\" phải là citizen, official, enterprise, youth hoặc team");
    json_t *st = json_object_get(d, "status");
    c->status = st ? one_of(json_string_value(st), statuses) : "draft";
    if (!c->status) return fail(err, errlen, f, "\"status\" phải là draft, open hoặc closed");
    json_t *area = json_object_get(d, "area");
    if (!area) return fail(err, errlen, f, "thiếu trường \"area\" (lĩnh vực DigComp 1–5)");
    if (!opt_int(d, "area", 1, 5, 0, &c->area, f, "", err, errlen)) return -1;
    if (!opt_int(d, "pass_mark", 0, 100, 70, &c->pass_mark, f, "", err, errlen)) return -1;
    if (parse_lessons(c, files, n, err, errlen)) return -1;
    return parse_quizzes(c, files, n, err, errlen);
}

/* Visible text of our own rendered HTML, for the search index. */
static char *html_text(const char *html)
{
    struct buf b = { 0 };
    static const struct { const char *ent, *ch; } ents[] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
                                                            { "&quot;", "\"" }, { "&#39;", "'" } };
    for (const char *p = html; *p;) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            if (!e) break;
            /* Block ends become line breaks so passages split at paragraphs. */
            if (p[1] == '/' && (p[2] == 'p' || p[2] == 'h' || p[2] == 'l' || p[2] == 't')) buf_puts(&b, "\n");
            p = e + 1;
            continue;
        }
        bool done = false;
        for (size_t i = 0; *p == '&' && i < sizeof ents / sizeof ents[0]; i++)
            if (!strncmp(p, ents[i].ent, strlen(ents[i].ent))) { buf_puts(&b, ents[i].ch); p += strlen(ents[i].ent); done = true; break; }
        if (!done) buf_put(&b, p++, 1);
    }
    return buf_take(&b);
}

static int exec_ok(db_stmt *s)
{
    if (!s) return -1;
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

/* Search passages of the course and of its lessons (kind "course"; a lesson's ref_id is minus its id so the two never
 * collide), or none while the course is not open. Lessons about to be deleted (seq < 0) leave the index too. */
static int index_course(db *d, const struct course_in *c, int64_t course_id)
{
    int rc = 0;
    db_stmt *s = db_prepare(d, "SELECT id, seq, title, body_html, slug FROM lesson WHERE course_id = ? ORDER BY seq");
    if (!s) return -1;
    db_bind_int(s, 1, course_id);
    json_t *rows = db_rows(s);
    bool open = !strcmp(c->status, "open");
    struct buf body = { 0 };
    buf_printf(&body, "%s\n\n", c->summary);
    size_t i;
    json_t *l;
    json_array_foreach(rows, i, l) {
        int64_t id = json_integer_value(json_object_get(l, "id"));
        if (!open || json_integer_value(json_object_get(l, "seq")) < 0) { rc |= store_search_delete(d, "course", -id); continue; }
        char url[200], *text = html_text(json_string_value(json_object_get(l, "body_html")));
        snprintf(url, sizeof url, "/khoa-hoc/%s/%s", c->slug, json_string_value(json_object_get(l, "slug")));
        buf_printf(&body, "%s.\n", json_string_value(json_object_get(l, "title")));
        rc |= store_search_put(d, "course", -id, json_string_value(json_object_get(l, "title")), text, url, NULL);
        free(text);
    }
    json_decref(rows);
    char url[120];
    snprintf(url, sizeof url, "/khoa-hoc/%s", c->slug);
    char *b = buf_take(&body);
    rc |= open ? store_search_put(d, "course", course_id, c->title, b, url, NULL) : store_search_delete(d, "course", course_id);
    free(b);
    return rc ? -1 : 0;
}

static int write_quiz(db *d, const struct quiz_in *q, int seq, int64_t course_id)
{
    db_stmt *s = db_prepare(d, "INSERT INTO quiz (course_id, lesson_id, slug, title, seq) VALUES "
                               "(?, (SELECT id FROM lesson WHERE course_id = ? AND slug = ?), ?, ?, ?) "
                               "ON CONFLICT (course_id, slug) DO UPDATE SET lesson_id = excluded.lesson_id, title = excluded.title, "
                               "seq = excluded.seq RETURNING id");
    if (!s) return -1;
    db_bind_int(s, 1, course_id);
    db_bind_int(s, 2, course_id);
    db_bind_text(s, 3, q->after);
    db_bind_text(s, 4, q->slug);
    db_bind_text(s, 5, q->title);
    db_bind_int(s, 6, seq);
    int64_t qid = db_scalar_int(s, 0);
    if (!qid) return -1;
    s = db_prepare(d, "DELETE FROM question WHERE quiz_id = ?");
    if (s) db_bind_int(s, 1, qid);
    if (exec_ok(s)) return -1;
    size_t i;
    json_t *x;
    json_array_foreach(q->questions, i, x) {
        char *opts = json_dumps(json_object_get(x, "options"), JSON_COMPACT);
        char *ans = json_dumps(json_object_get(x, "answer"), JSON_COMPACT | JSON_ENCODE_ANY);
        s = db_prepare(d, "INSERT INTO question (quiz_id, seq, kind, prompt, options, answer, explain) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (s) {
            db_bind_int(s, 1, qid);
            db_bind_int(s, 2, (int64_t)i + 1);
            db_bind_text(s, 3, json_string_value(json_object_get(x, "kind")));
            db_bind_text(s, 4, json_string_value(json_object_get(x, "prompt")));
            db_bind_text(s, 5, opts);
            db_bind_text(s, 6, ans);
            db_bind_text(s, 7, json_string_value(json_object_get(x, "explain")));
        }
        free(opts);
        free(ans);
        if (exec_ok(s)) return -1;
    }
    return 0;
}

static int write_course(db *d, const struct course_in *c, bool replace, char *err, size_t errlen)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "SELECT id FROM course WHERE slug = ?");
    if (!s) return -1;
    db_bind_text(s, 1, c->slug);
    int64_t id = db_scalar_int(s, 0);
    if (id && !replace) return fail(err, errlen, "course.json", "đã có khóa học \"%s\"; hãy chọn slug khác hoặc nhập đè", c->slug);
    s = id ? db_prepare(d, "UPDATE course SET title = ?, summary = ?, audience = ?, area = ?, status = ?, pass_mark = ?, minutes = ?, "
                           "updated_at = ? WHERE id = ? RETURNING id")
           : db_prepare(d, "INSERT INTO course (title, summary, audience, area, status, pass_mark, minutes, updated_at, slug) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return -1;
    db_bind_text(s, 1, c->title);
    db_bind_text(s, 2, c->summary);
    db_bind_text(s, 3, c->audience);
    db_bind_int(s, 4, c->area);
    db_bind_text(s, 5, c->status);
    db_bind_int(s, 6, c->pass_mark);
    db_bind_int(s, 7, c->minutes);
    db_bind_text(s, 8, now);
    if (id) db_bind_int(s, 9, id);
    else db_bind_text(s, 9, c->slug);
    id = db_scalar_int(s, 0);
    if (!id) return -1;
    /* Lessons and quizzes step aside (negative seq); those named again take their new place, the rest are deleted. */
    s = db_prepare(d, "UPDATE lesson SET seq = -seq WHERE course_id = ? AND seq > 0");
    if (s) db_bind_int(s, 1, id);
    if (exec_ok(s)) return -1;
    s = db_prepare(d, "UPDATE quiz SET seq = -1 WHERE course_id = ?");
    if (s) db_bind_int(s, 1, id);
    if (exec_ok(s)) return -1;
    for (size_t i = 0; i < c->nlessons; i++) {
        const struct lesson_in *l = &c->lessons[i];
        s = db_prepare(d, "INSERT INTO lesson (course_id, seq, slug, title, body_md, body_html, minutes) VALUES (?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (course_id, slug) DO UPDATE SET seq = excluded.seq, title = excluded.title, "
                          "body_md = excluded.body_md, body_html = excluded.body_html, minutes = excluded.minutes");
        if (s) {
            db_bind_int(s, 1, id);
            db_bind_int(s, 2, (int64_t)i + 1);
            db_bind_text(s, 3, l->slug);
            db_bind_text(s, 4, l->title);
            db_bind_text(s, 5, l->md);
            db_bind_text(s, 6, l->html);
            db_bind_int(s, 7, l->minutes);
        }
        if (exec_ok(s)) return -1;
    }
    for (size_t i = 0; i < c->nquizzes; i++)
        if (write_quiz(d, &c->quizzes[i], (int)i + 1, id)) return -1;
    if (index_course(d, c, id)) return -1;
    s = db_prepare(d, "DELETE FROM quiz WHERE course_id = ? AND seq < 0");
    if (s) db_bind_int(s, 1, id);
    if (exec_ok(s)) return -1;
    s = db_prepare(d, "DELETE FROM lesson WHERE course_id = ? AND seq < 0");
    if (s) db_bind_int(s, 1, id);
    return exec_ok(s);
}

int store_course_import(db *d, const struct course_file *files, size_t n, bool replace, char *err, size_t errlen)
{
    if (errlen) err[0] = 0;
    if (!renderer) return fail(err, errlen, "course.json", "chưa cấu hình bộ hiển thị markdown (store_course_set_renderer)");
    struct course_in *c = calloc(1, sizeof *c);
    int rc = parse(c, files, n, err, errlen);
    for (size_t i = 0; !rc && i < c->nlessons; i++) {
        c->lessons[i].html = renderer(c->lessons[i].md, strlen(c->lessons[i].md));
        if (!c->lessons[i].html) rc = fail(err, errlen, c->lessons[i].file, "không hiển thị được markdown");
    }
    if (!rc) {
        rc = db_begin(d);
        if (!rc) rc = write_course(d, c, replace, err, errlen);
        if (rc) {
            if (errlen && !err[0]) snprintf(err, errlen, "course.json: lỗi cơ sở dữ liệu: %s", db_errmsg(d));
            db_rollback(d);
        } else if ((rc = db_commit(d))) {
            snprintf(err, errlen, "course.json: không ghi được: %s", db_errmsg(d));
        }
    }
    course_in_free(c);
    free(c);
    return rc;
}

int store_courses_seed(db *d)
{
    const size_t pre = strlen("data/courses/");
    int imported = 0;
    for (const struct embedded_file *f = embedded_files; f->path; f++) {
        if (strncmp(f->path, "data/courses/", pre)) continue;
        const char *name = f->path + pre, *slash = strchr(name, '/');
        if (!slash || strcmp(slash + 1, "course.json")) continue;
        /* One folder per course.json: gather its files, named "<folder>/<file>" so the slug is checked against it. */
        size_t dl = (size_t)(slash - name) + 1, n = 0;
        struct course_file files[MAX_LESSONS + MAX_QUIZZES + 1];
        for (const struct embedded_file *g = embedded_files; g->path && n < sizeof files / sizeof files[0]; g++)
            if (!strncmp(g->path, f->path, pre + dl)) files[n++] = (struct course_file){ g->path + pre, g->data, g->size };
        char slug[128];
        snprintf(slug, sizeof slug, "%.*s", (int)dl - 1, name);
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM course WHERE slug = ?");
        if (!s) return -1;
        db_bind_text(s, 1, slug);
        if (db_scalar_int(s, 0)) continue;
        char err[512];
        if (store_course_import(d, files, n, false, err, sizeof err)) {
            fprintf(stderr, "seed-demo: data/courses/%s/%s\n", slug, err);
            return -1;
        }
        imported++;
    }
    return imported;
}
