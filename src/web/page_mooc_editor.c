/* The editors' course authoring: the list with drafts, a new course, its settings, its lessons (markdown with a
 * server-side preview, order), import and export of the course folder as a .zip. Every save goes through
 * store_course_import via course_doc_save, so validation lives in one place; nothing here writes to the store directly.
 * Courses are national: their editors hold a role on the root unit. A save and its audit entry share one transaction.
 * Must not let anyone but a national editor change a course. */
#include "http/app.h"
#include "web/mooc_editor.h"
#include "core/text.h"
#include "export/markdown.h"
#include "store/course_io.h"
#include "store/result.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ZIP (8u * 1024 * 1024)

static const struct { const char *code, *label; } statuses[] = {
    {"draft", "Bản nháp"}, {"open", "Đang mở"}, {"closed", "Đã đóng"}, {NULL, NULL}};

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static const char *status_label(const char *s)
{
    for (int i = 0; s && statuses[i].code; i++)
        if (!strcmp(s, statuses[i].code)) return statuses[i].label;
    return "";
}

bool ce_editor(struct req *r)
{
    if (authz_national_editor(r)) return true;
    req_fail(r, 403, "Chỉ biên tập viên cấp quốc gia của Cổng thông tin được soạn khóa học.");
    return false;
}

json_t *ce_load(struct req *r)
{
    json_t *doc = course_doc_load(r->db, req_str(r, "slug") ?: "");
    if (!doc) req_fail(r, 404, "Không có khóa học này.");
    return doc;
}

json_t *ce_find(json_t *arr, const char *slug, size_t *idx)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (slug && str(e, "slug") && !strcmp(str(e, "slug"), slug)) {
        if (idx) *idx = i;
        return e;
    }
    return NULL;
}

bool ce_slug_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > 80 || s[0] == '-') return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

char *ce_field(struct req *r, const char *name)
{
    const char *v = req_str(r, name);
    if (!v) return NULL;
    while (isspace((unsigned char)*v)) v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1])) n--;
    return strndup(v, n);
}

/* A slug for a title when the editor gave none: "Thanh toán bằng mã QR" → "thanh-toan-bang-ma-qr". */
static char *slug_from(const char *title)
{
    char *f = text_fold(title ? title : "");
    if (!f) return strdup("");
    size_t n = 0;
    for (char *p = f; *p && n < 60; p++) f[n++] = *p == ' ' ? '-' : *p;
    while (n && f[n - 1] == '-') n--;
    f[n] = 0;
    return f;
}

/* The slug field, or one made from the title field; NULL after a 422 when it cannot be used. */
static char *slug_or_title(struct req *r, json_t *doc, ce_page_fn page, const char *slug_field, const char *title)
{
    char *s = ce_field(r, slug_field);
    if (!s || !*s) {
        free(s);
        s = slug_from(title);
    }
    if (ce_slug_ok(s)) return s;
    free(s);
    ce_invalid(r, doc, page, slug_field, "Đường dẫn (slug) chỉ gồm chữ thường không dấu, số và dấu '-', tối đa 80 ký tự.");
    return NULL;
}

/* The import's "file: problem" as a form field: the quoted key it names, the lesson text, or the question. */
static json_t *error_fields(const char *err)
{
    static const char *const keys[] = {"slug", "title", "summary", "audience", "area", "status", "pass_mark",
                                       "minutes", "after", "kind", "prompt", "options", "answer", "explain", NULL};
    json_t *f = json_object();
    const char *sep = strstr(err, ": ");
    const char *problem = sep ? sep + 2 : err;
    const char *field = "general";
    if (sep && sep - err > 3 && !strncmp(sep - 3, ".md", 3)) field = "body_md";
    const char *q = strchr(problem, '"');
    for (int i = 0; q && keys[i]; i++)
        if (!strncmp(q + 1, keys[i], strlen(keys[i])) && q[1 + strlen(keys[i])] == '"') field = keys[i];
    int no;
    if (sscanf(problem, "câu %d:", &no) == 1) json_object_set_new(f, "question_no", json_integer(no));
    json_object_set_new(f, field, json_string(err));
    return f;
}

/* The audit entry joins the import's transaction (nested: only this outer level commits). */
static int audit_commit(struct req *r, const char *what, const char *slug, json_t *detail)
{
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    enum store_status st = store_course_id(r->db, slug, &id, &res);
    if (st != STORE_OK) json_decref(detail);
    else if (audit(r, what, "course", id, detail)) st = STORE_ERROR;
    if (st != STORE_OK) {
        db_rollback(r->db);
        if (st != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được khóa học; không có gì được ghi.");
        return req_result(r, &res);
    }
    return db_commit(r->db) ? req_store_failed(r) : 0;
}

int ce_invalid(struct req *r, json_t *doc, ce_page_fn page, const char *field, const char *message)
{
    if (r->want_json) {
        json_decref(doc);
        return req_fail_ctx(r, 422, message, json_pack("{s:s}", field, message));
    }
    r->status = 422;
    return page(r, doc, json_pack("{s:s, s:s}", field, message, "message", message));
}

int ce_save(struct req *r, json_t *doc, const char *what, const char *location, ce_page_fn page, bool fresh)
{
    char err[512];
    const char *slug = str(json_object_get(doc, "course"), "slug");
    if (db_begin(r->db)) {
        json_decref(doc);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    char *sl = strdup(slug ? slug : "");
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_course_id(r->db, sl, NULL, &res);
    if (st != STORE_OK && st != STORE_NOT_FOUND) {
        db_rollback(r->db);
        json_decref(doc);
        free(sl);
        return req_result(r, &res);
    }
    bool exists = st == STORE_OK;
    if (course_doc_save(r->db, doc, exists, err, sizeof err)) {
        db_rollback(r->db);
        free(sl);
        json_t *fields = error_fields(err);
        if (r->want_json) {
            json_decref(doc);
            return req_fail_ctx(r, 422, err, fields);
        }
        if (fresh) {
            json_t *stored = course_doc_load(r->db, str(json_object_get(doc, "course"), "slug") ?: "");
            if (stored) {
                json_decref(doc);
                doc = stored;
            }
        }
        json_object_set_new(fields, "message", json_string(err));
        r->status = 422;
        return page(r, doc, fields);
    }
    json_decref(doc);
    int rc = audit_commit(r, what, sl, json_pack("{s:s}", "slug", sl));
    if (rc) {
        free(sl);
        return rc;
    }
    if (r->want_json) {
        json_object_set_new(r->params, "slug", json_string(sl));
        json_t *fresh_doc = course_doc_load(r->db, sl);
        rc = fresh_doc ? ce_course_page(r, fresh_doc, NULL) : req_fail(r, 404, "Không có khóa học này.");
    } else {
        rc = req_redirect(r, location);
    }
    free(sl);
    return rc;
}

static json_t *options(const char *const *codes, const char *(*label)(const char *), const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; codes[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", codes[i], "label", label(codes[i]) ?: codes[i],
                                           "selected", selected && !strcmp(selected, codes[i])));
    return a;
}

static const char *aud_label(const char *a) { return course_audience_label(a); }

static json_t *area_options(int selected)
{
    json_t *a = json_array();
    for (int i = 1; i <= 5; i++)
        json_array_append_new(a, json_pack("{s:i, s:s, s:b}", "code", i, "label", course_area_label(i), "selected", i == selected));
    return a;
}

static json_t *status_options(const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; statuses[i].code; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", statuses[i].code, "label", statuses[i].label,
                                           "selected", selected && !strcmp(selected, statuses[i].code)));
    return a;
}

/* Fills the shared parts of an editor page: the course, its lessons and quizzes with their links, the form. */
static json_t *page_ctx(struct req *r, json_t *doc, json_t *errors, const char *title)
{
    json_t *c = json_object_get(doc, "course");
    const char *slug = str(c, "slug") ?: "";
    json_t *lessons = json_object_get(c, "lessons"), *quizzes = json_object_get(c, "quizzes"), *e;
    size_t i, nl = json_array_size(lessons);
    json_array_foreach(lessons, i, e) {
        json_object_set_new(e, "n", json_integer((json_int_t)i + 1));
        json_object_set_new(e, "first", json_boolean(i == 0));
        json_object_set_new(e, "last", json_boolean(i + 1 == nl));
        json_object_set_new(e, "edit_url", json_sprintf("/quan-tri/khoa-hoc/%s/bai/%s", slug, str(e, "slug")));
    }
    json_array_foreach(quizzes, i, e) {
        json_t *after = ce_find(lessons, str(e, "after"), NULL);
        json_object_set_new(e, "after_title", json_string(after ? str(after, "title") : "Cuối khóa học"));
        json_t *qd = json_object_get(json_object_get(doc, "quiz"), str(e, "slug") ?: "");
        json_object_set_new(e, "questions", json_integer((json_int_t)json_array_size(json_object_get(qd, "questions"))));
        json_object_set_new(e, "edit_url", json_sprintf("/quan-tri/khoa-hoc/%s/kiem-tra/%s", slug, str(e, "slug")));
    }
    json_object_set_new(c, "status_label", json_string(status_label(str(c, "status"))));
    json_object_set_new(c, "public_url", json_sprintf("/khoa-hoc/%s", slug));
    json_object_set_new(c, "editor_url", json_sprintf("/quan-tri/khoa-hoc/%s", slug));
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:o, s:o}", "course", c, "_nav", "courses",
                            "audiences", options(course_audiences, aud_label, str(c, "audience")),
                            "areas", area_options((int)json_integer_value(json_object_get(c, "area"))),
                            "statuses", status_options(str(c, "status")));
    json_object_set_new(ctx, "title", json_sprintf("%s: %s", title, str(c, "title") ?: slug));
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    if (errors && !r->want_json) json_object_set(ctx, "form", r->params);
    /* The layout gets the token after the body is rendered: forms in the body need their own copy. */
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return ctx;
}

int ce_course_page(struct req *r, json_t *doc, json_t *errors)
{
    json_t *ctx = page_ctx(r, doc, errors, "Soạn khóa học");
    json_t *after = json_array(), *e;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(doc, "course"), "lessons"), i, e)
        json_array_append_new(after, json_pack("{s:O, s:O}", "slug", json_object_get(e, "slug"), "title", json_object_get(e, "title")));
    json_object_set_new(ctx, "after_options", after);
    json_object_set_new(ctx, "new_question", ce_new_question(r, json_object_get(ctx, "errors")));
    json_decref(doc);
    return render(r, ctx, "course_editor/course");
}

static int list_page(struct req *r, json_t *errors)
{
    struct course_query q = {.with_drafts = true};
    json_t *items = store_courses_list(r->db, &q), *e;
    size_t i;
    json_array_foreach(items, i, e) {
        json_object_set_new(e, "status_label", json_string(status_label(str(e, "status"))));
        json_object_set_new(e, "editor_url", json_sprintf("/quan-tri/khoa-hoc/%s", str(e, "slug")));
    }
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o}", "title", "Soạn khóa học", "_nav", "courses", "items", items,
                            "audiences", options(course_audiences, aud_label, NULL), "areas", area_options(0));
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    if (errors && !r->want_json) json_object_set(ctx, "form", r->params);
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    return render(r, ctx, "course_editor/index");
}

static int list_again(struct req *r, json_t *doc, json_t *errors)
{
    json_decref(doc);
    return list_page(r, errors);
}

static int list(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    return list_page(r, NULL);
}

/* A new course starts as a draft with one lesson to write, since a course without lessons is not valid. */
static int create(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    char *title = ce_field(r, "title"), *summary = ce_field(r, "summary");
    char *slug = slug_or_title(r, NULL, list_again, "slug", title);
    if (!slug) {
        free(title);
        free(summary);
        return r->status;
    }
    int rc;
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_course_id(r->db, slug, NULL, &res);
    if (st != STORE_OK && st != STORE_NOT_FOUND) {
        rc = req_result(r, &res);
    } else if (st == STORE_OK) {
        if (r->want_json) {
            rc = req_fail_ctx(r, 409, "Đã có khóa học với đường dẫn này; hãy chọn đường dẫn khác.",
                              json_pack("{s:s}", "slug", "Đã có khóa học với đường dẫn này."));
        } else {
            r->status = 409;
            rc = list_page(r, json_pack("{s:s}", "slug", "Đã có khóa học với đường dẫn này; hãy chọn đường dẫn khác."));
        }
    } else {
        const char *area = req_str(r, "area");
        json_t *doc = json_pack("{s:{s:s, s:s, s:s, s:s, s:I, s:s, s:i, s:[{s:s, s:s, s:i}], s:[]}, s:{s:s}, s:{}}",
                                "course", "slug", slug, "title", title ? title : "", "summary", summary ? summary : "",
                                "audience", req_str(r, "audience") ?: "", "area", (json_int_t)(area ? atoi(area) : 0),
                                "status", "draft", "pass_mark", 70, "lessons", "slug", "bai-1", "title",
                                "Bài 1: Giới thiệu", "minutes", 5, "quizzes", "md", "bai-1",
                                "Nội dung bài học viết ở đây (markdown).\n", "quiz");
        char loc[128];
        snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", slug);
        rc = ce_save(r, doc, "course.create", loc, list_again, true);
    }
    free(title);
    free(summary);
    free(slug);
    return rc;
}

static int show(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    return doc ? ce_course_page(r, doc, NULL) : r->status;
}

/* Settings: only the fields sent change, so an API client may send one. */
static int save_meta(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course");
    const char *text_keys[] = {"title", "summary", "audience", "status"};
    for (size_t i = 0; i < 4; i++) {
        char *v = ce_field(r, text_keys[i]);
        if (v) json_object_set_new(c, text_keys[i], json_string(v));
        free(v);
    }
    const char *int_keys[] = {"area", "pass_mark"};
    for (size_t i = 0; i < 2; i++) {
        char *v = ce_field(r, int_keys[i]), *end = NULL;
        long n = v ? strtol(v, &end, 10) : 0;
        bool bad = v && (!*v || *end);
        if (v && !bad) json_object_set_new(c, int_keys[i], json_integer(n));
        free(v);
        if (bad) return ce_invalid(r, doc, ce_course_page, int_keys[i], i ? "Điểm đạt phải là số nguyên từ 0 đến 100." : "Hãy chọn lĩnh vực kỹ năng.");
    }
    char loc[128];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", str(c, "slug"));
    return ce_save(r, doc, "course.save", loc, ce_course_page, false);
}

/* ---- lessons ---- */

static int lesson_page_with(struct req *r, json_t *doc, json_t *errors, const char *preview_md)
{
    json_t *ctx = page_ctx(r, doc, errors, "Soạn bài học");
    json_t *l = ce_find(json_object_get(json_object_get(doc, "course"), "lessons"), req_str(r, "lesson"), NULL);
    if (!l) {
        json_decref(ctx);
        json_decref(doc);
        return req_fail(r, 404, "Khóa học không có bài học này.");
    }
    const char *md = preview_md ? preview_md : str(json_object_get(doc, "md"), str(l, "slug"));
    json_t *lesson = json_deep_copy(l);
    json_object_set_new(lesson, "body_md", json_string(md ? md : ""));
    char *html = markdown_html(md ? md : "", md ? strlen(md) : 0);
    /* Our own renderer with raw HTML off: the one kind of HTML templates may show unescaped. */
    json_object_set_new(ctx, "preview_html", json_string(html ? html : ""));
    free(html);
    json_object_set_new(ctx, "lesson", lesson);
    json_object_set_new(ctx, "title", json_sprintf("Soạn bài học: %s", str(l, "title")));
    json_decref(doc);
    return render(r, ctx, "course_editor/lesson");
}

static int lesson_page(struct req *r, json_t *doc, json_t *errors) { return lesson_page_with(r, doc, errors, NULL); }

static int lesson_show(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    return doc ? lesson_page(r, doc, NULL) : r->status;
}

static int lesson_add(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course");
    char *title = ce_field(r, "lesson_title");
    if (!title || !*title) {
        free(title);
        return ce_invalid(r, doc, ce_course_page, "lesson_title", "Hãy nhập tên bài học.");
    }
    char *slug = slug_or_title(r, doc, ce_course_page, "lesson_slug", title);
    if (!slug) {
        free(title);
        return r->status;
    }
    if (ce_find(json_object_get(c, "lessons"), slug, NULL)) {
        free(title);
        free(slug);
        return ce_invalid(r, doc, ce_course_page, "lesson_slug", "Khóa học đã có bài học với đường dẫn này.");
    }
    json_array_append_new(json_object_get(c, "lessons"), json_pack("{s:s, s:s, s:i}", "slug", slug, "title", title, "minutes", 5));
    json_object_set_new(json_object_get(doc, "md"), slug, json_sprintf("Nội dung bài \"%s\" viết ở đây.\n", title));
    char loc[256];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s/bai/%s", str(c, "slug"), slug);
    free(title);
    free(slug);
    return ce_save(r, doc, "course.lesson.add", loc, ce_course_page, true);
}

/* Saves the lesson, or with action=preview only shows the text as it would render. */
static int lesson_save(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course");
    json_t *l = ce_find(json_object_get(c, "lessons"), req_str(r, "lesson"), NULL);
    if (!l) {
        json_decref(doc);
        return req_fail(r, 404, "Khóa học không có bài học này.");
    }
    char *title = ce_field(r, "title"), *minutes = ce_field(r, "minutes");
    const char *body = req_str(r, "body_md");
    if (title) json_object_set_new(l, "title", json_string(title));
    free(title);
    if (minutes) {
        char *end;
        long m = strtol(minutes, &end, 10);
        bool bad = !*minutes || *end;
        free(minutes);
        if (bad) return ce_invalid(r, doc, lesson_page, "minutes", "Thời lượng phải là số phút (số nguyên).");
        json_object_set_new(l, "minutes", json_integer(m));
    }
    if (body) json_object_set_new(json_object_get(doc, "md"), str(l, "slug"), json_string(body));
    const char *action = req_str(r, "action");
    if (action && !strcmp(action, "preview")) return lesson_page_with(r, doc, NULL, body);
    char loc[256];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s/bai/%s", str(c, "slug"), str(l, "slug"));
    return ce_save(r, doc, "course.lesson.save", loc, lesson_page, false);
}

/* Quizzes placed after a deleted lesson move to the lesson before it (or after it, for the first). */
static int lesson_delete(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course"), *lessons = json_object_get(c, "lessons"), *e;
    size_t at, i;
    if (!ce_find(lessons, req_str(r, "lesson"), &at)) {
        json_decref(doc);
        return req_fail(r, 404, "Khóa học không có bài học này.");
    }
    if (json_array_size(lessons) == 1)
        return ce_invalid(r, doc, ce_course_page, "general", "Khóa học cần ít nhất một bài học: hãy thêm bài khác trước khi xóa bài này.");
    json_t *heir = json_array_get(lessons, at ? at - 1 : at + 1);
    json_array_foreach(json_object_get(c, "quizzes"), i, e)
        if (str(e, "after") && !strcmp(str(e, "after"), req_str(r, "lesson"))) json_object_set(e, "after", json_object_get(heir, "slug"));
    json_object_del(json_object_get(doc, "md"), req_str(r, "lesson"));
    json_array_remove(lessons, at);
    char loc[128];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", str(c, "slug"));
    return ce_save(r, doc, "course.lesson.delete", loc, ce_course_page, true);
}

static int lesson_move(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course"), *lessons = json_object_get(c, "lessons");
    size_t at;
    json_t *l = ce_find(lessons, req_str(r, "lesson"), &at);
    const char *dir = req_str(r, "dir");
    if (!l) {
        json_decref(doc);
        return req_fail(r, 404, "Khóa học không có bài học này.");
    }
    if (!dir || (strcmp(dir, "up") && strcmp(dir, "down")))
        return ce_invalid(r, doc, ce_course_page, "dir", "Hướng chuyển phải là up hoặc down.");
    size_t to = !strcmp(dir, "up") ? (at ? at - 1 : at) : (at + 1 < json_array_size(lessons) ? at + 1 : at);
    if (to != at) {
        json_incref(l);
        json_array_remove(lessons, at);
        json_array_insert_new(lessons, to, l);
    }
    char loc[128];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", str(c, "slug"));
    return ce_save(r, doc, "course.lesson.move", loc, ce_course_page, false);
}

/* ---- import and export ---- */

static int export_zip(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    const char *slug = req_str(r, "slug");
    if (!ce_slug_ok(slug)) return req_fail(r, 404, "Không có khóa học này.");
    char err[256], cd[160];
    size_t len;
    unsigned char *zip = course_io_zip(r->db, slug, &len, err, sizeof err);
    if (!zip) {
        struct store_result res = STORE_RESULT_OK;
        enum store_status st = store_course_id(r->db, slug, NULL, &res);
        if (st != STORE_OK && st != STORE_NOT_FOUND) return req_result(r, &res);
        return req_fail(r, st == STORE_OK ? 500 : 404, err);
    }
    snprintf(cd, sizeof cd, "attachment; filename=\"%s.zip\"", slug);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, "application/zip", (char *)zip, len);
}

static int import_fail(struct req *r, int status, const char *field, const char *message)
{
    if (r->want_json) return req_fail_ctx(r, status, message, json_pack("{s:s}", field, message));
    r->status = status;
    return list_page(r, json_pack("{s:s}", "import", message));
}

static int import_zip(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    const struct upload *u = NULL;
    for (int i = 0; i < r->nfiles; i++)
        if (!strcmp(r->files[i].field, "file")) u = &r->files[i];
    if (!u || !u->len) return import_fail(r, 400, "file", "Hãy chọn tệp .zip của thư mục khóa học.");
    char err[512];
    struct course_files f = {0};
    if (course_io_unzip(u->data, u->len, &f, err, sizeof err)) return import_fail(r, 422, "file", err);
    char *slug = ce_field(r, "slug");
    int rc = 0;
    if (slug && *slug) {
        if (!ce_slug_ok(slug)) rc = import_fail(r, 422, "slug", "Đường dẫn (slug) mới chỉ gồm chữ thường không dấu, số và dấu '-'.");
        else if (course_io_set_slug(&f, slug, err, sizeof err)) rc = import_fail(r, 422, "file", err);
    }
    free(slug);
    slug = rc ? NULL : course_io_slug(&f);
    const char *rep = req_str(r, "replace");
    bool replace = rep && (!strcmp(rep, "1") || !strcmp(rep, "on") || !strcmp(rep, "true"));
    if (!rc && slug && !replace) {
        struct store_result res = STORE_RESULT_OK;
        enum store_status st = store_course_id(r->db, slug, NULL, &res);
        if (st == STORE_OK)
            rc = import_fail(r, 409, "slug", "Đã có khóa học với đường dẫn này: chọn \"Ghi đè\" để thay nội dung, hoặc nhập một đường dẫn mới.");
        else if (st != STORE_NOT_FOUND)
            rc = req_result(r, &res);
    }
    if (!rc && db_begin(r->db)) {
        db_rollback(r->db);
        rc = req_store_failed(r);
    } else if (!rc && store_course_import(r->db, f.v, f.n, replace, err, sizeof err)) {
        db_rollback(r->db);
        rc = import_fail(r, 422, "file", err);
    } else if (!rc) {
        rc = audit_commit(r, "course.import", slug, json_pack("{s:s, s:b}", "slug", slug, "replace", replace));
    }
    course_files_free(&f);
    if (!rc) {
        char loc[128];
        snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", slug);
        if (r->want_json) {
            json_object_set_new(r->params, "slug", json_string(slug));
            json_t *doc = course_doc_load(r->db, slug);
            rc = doc ? ce_course_page(r, doc, NULL) : req_fail(r, 404, "Không có khóa học này.");
        } else {
            rc = req_redirect(r, loc);
        }
    }
    free(slug);
    return rc;
}

const struct route page_course_editor_routes[] = {
    { "GET", "/quan-tri/khoa-hoc", "/api/admin/courses", list, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc", "/api/admin/courses", create, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/nhap", "/api/admin/courses/import", import_zip, STAFF, false, MAX_ZIP + 64 * 1024 },
    { "GET", "/quan-tri/khoa-hoc/{slug}", "/api/admin/courses/{slug}", show, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}", "/api/admin/courses/{slug}", save_meta, STAFF, false, 0 },
    { "GET", "/quan-tri/khoa-hoc/{slug}/xuat", "/api/admin/courses/{slug}/export", export_zip, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/bai", "/api/admin/courses/{slug}/lessons", lesson_add, STAFF, false, 0 },
    { "GET", "/quan-tri/khoa-hoc/{slug}/bai/{lesson}", "/api/admin/courses/{slug}/lessons/{lesson}", lesson_show, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/bai/{lesson}", "/api/admin/courses/{slug}/lessons/{lesson}", lesson_save, STAFF, false, 256 * 1024 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/bai/{lesson}/xoa", "/api/admin/courses/{slug}/lessons/{lesson}/delete", lesson_delete, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/bai/{lesson}/chuyen", "/api/admin/courses/{slug}/lessons/{lesson}/move", lesson_move, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra", "/api/admin/courses/{slug}/quizzes", ce_quiz_add, STAFF, false, 0 },
    { "GET", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}", "/api/admin/courses/{slug}/quizzes/{quiz}", ce_quiz_show, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}", "/api/admin/courses/{slug}/quizzes/{quiz}", ce_quiz_save, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}/xoa", "/api/admin/courses/{slug}/quizzes/{quiz}/delete", ce_quiz_delete, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}/cau-hoi", "/api/admin/courses/{slug}/quizzes/{quiz}/questions", ce_question_add, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}/cau-hoi/{n}", "/api/admin/courses/{slug}/quizzes/{quiz}/questions/{n}", ce_question_save, STAFF, false, 0 },
    { "POST", "/quan-tri/khoa-hoc/{slug}/kiem-tra/{quiz}/cau-hoi/{n}/xoa", "/api/admin/courses/{slug}/quizzes/{quiz}/questions/{n}/delete", ce_question_delete, STAFF, false, 0 },
    { 0 },
};
