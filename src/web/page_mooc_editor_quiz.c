/* The course editor's quizzes: add, rename, place and delete a quiz; add, edit and delete its questions of the four
 * kinds from plain form fields (options one per line, answers by number). Must not write SQL: saves go via ce_save. */
#include "http/app.h"
#include "web/mooc_editor.h"
#include "core/text.h"
#include "store/course_io.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *code, *label; } kinds[] = {
    {"single", "Chọn một đáp án"}, {"multiple", "Chọn nhiều đáp án"}, {"truefalse", "Đúng / Sai"},
    {"short", "Trả lời ngắn"}, {NULL, NULL}};

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static json_t *kind_options(const char *selected)
{
    json_t *a = json_array();
    for (int i = 0; kinds[i].code; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", kinds[i].code, "label", kinds[i].label,
                                           "selected", selected && !strcmp(selected, kinds[i].code)));
    return a;
}

/* The stored answer as the form shows it: option numbers from 1, "Đúng"/"Sai", accepted texts one per line. */
static json_t *answer_text(const char *kind, json_t *ans)
{
    char tmp[32];
    if (!kind) return json_string("");
    if (!strcmp(kind, "single") && json_is_integer(ans)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(ans) + 1);
        return json_string(tmp);
    }
    if (!strcmp(kind, "truefalse")) return json_string(json_is_true(ans) ? "Đúng" : json_is_false(ans) ? "Sai" : "");
    struct {
        char *p;
        size_t n;
    } b = {NULL, 0};
    FILE *f = open_memstream(&b.p, &b.n);
    size_t i;
    json_t *e;
    json_array_foreach(ans, i, e) {
        if (json_is_integer(e)) fprintf(f, "%s%lld", i ? ", " : "", (long long)json_integer_value(e) + 1);
        else if (json_is_string(e)) fprintf(f, "%s%s", i ? "\n" : "", json_string_value(e));
    }
    fclose(f);
    json_t *out = json_string(b.p ? b.p : "");
    free(b.p);
    return out;
}

static json_t *lines_text(json_t *arr)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) fprintf(f, "%s%s", i ? "\n" : "", json_string_value(e) ?: "");
    fclose(f);
    json_t *out = json_string(p ? p : "");
    free(p);
    return out;
}

json_t *ce_new_question(struct req *r, json_t *errors)
{
    bool adding = errors && r->route && (r->route->fn == ce_quiz_add || r->route->fn == ce_question_add);
    const char *kind = adding ? req_str(r, "kind") : NULL;
    json_t *q = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s}", "n", "new", "kinds", kind_options(kind ? kind : "single"),
                          "prompt", adding ? req_str(r, "prompt") ?: "" : "", "options_text",
                          adding ? req_str(r, "options") ?: "" : "", "answer_text", adding ? req_str(r, "answer") ?: "" : "",
                          "explain", adding ? req_str(r, "explain") ?: "" : "");
    /* A quiz's own fields have their place on the form; anything else about the addition shows above the question. */
    bool own = json_object_get(errors, "quiz_title") || json_object_get(errors, "quiz_slug");
    if (adding && !own && json_object_get(errors, "message")) json_object_set(q, "error", json_object_get(errors, "message"));
    return q;
}

int ce_quiz_page(struct req *r, json_t *doc, json_t *errors)
{
    json_t *c = json_object_get(doc, "course");
    json_t *z = ce_find(json_object_get(c, "quizzes"), req_str(r, "quiz"), NULL);
    if (!z) {
        json_decref(doc);
        json_decref(errors);
        return req_fail(r, 404, "Khóa học không có bài kiểm tra này.");
    }
    const char *slug = str(c, "slug"), *qslug = str(z, "slug");
    json_t *quiz = json_pack("{s:O, s:O, s:O}", "slug", json_object_get(z, "slug"), "title", json_object_get(z, "title"),
                             "after", json_object_get(z, "after") ?: json_null());
    json_t *qs = json_array(), *e;
    int bad = (int)json_integer_value(json_object_get(errors, "question_no"));
    size_t i;
    json_array_foreach(json_object_get(json_object_get(json_object_get(doc, "quiz"), qslug), "questions"), i, e) {
        const char *kind = str(e, "kind");
        json_t *q = json_pack("{s:i, s:O, s:o, s:s, s:o, s:o, s:s}", "n", (int)i + 1, "kind", json_object_get(e, "kind"),
                              "kinds", kind_options(kind), "prompt", str(e, "prompt") ?: "",
                              "options_text", lines_text(json_object_get(e, "options")),
                              "answer_text", answer_text(kind, json_object_get(e, "answer")),
                              "explain", str(e, "explain") ?: "");
        json_object_set_new(q, "action", json_sprintf("/quan-tri/khoa-hoc/%s/kiem-tra/%s/cau-hoi/%d", slug, qslug, (int)i + 1));
        if (bad == (int)i + 1) json_object_set(q, "error", json_object_get(errors, "message"));
        json_array_append_new(qs, q);
    }
    json_object_set_new(quiz, "questions", qs);
    json_object_set_new(quiz, "action", json_sprintf("/quan-tri/khoa-hoc/%s/kiem-tra/%s", slug, qslug));
    json_t *after = json_array();
    json_array_foreach(json_object_get(c, "lessons"), i, e)
        json_array_append_new(after, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(e, "slug"), "title", json_object_get(e, "title"),
                                               "selected", str(z, "after") && !strcmp(str(z, "after"), str(e, "slug"))));
    json_t *ctx = json_pack("{s:o, s:o, s:o, s:b, s:O}", "quiz", quiz, "after_options", after, "kinds", kind_options("single"),
                            "final", !str(z, "after"), "course", c);
    json_object_set_new(ctx, "title", json_sprintf("Soạn bài kiểm tra: %s", str(z, "title") ?: qslug));
    json_object_set_new(ctx, "course_url", json_sprintf("/quan-tri/khoa-hoc/%s", slug));
    json_object_set_new(ctx, "_nav", json_string("courses"));
    json_object_set_new(ctx, "new_question", ce_new_question(r, errors));
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    json_object_set_new(ctx, "errors", errors ? errors : json_object());
    json_decref(doc);
    return render(r, ctx, "course_editor/quiz");
}

/* Splits text into trimmed, non-empty lines. */
static json_t *lines(const char *text)
{
    json_t *a = json_array();
    const char *p = text ? text : "";
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *s = p;
        while (n && (*s == ' ' || *s == '\t' || *s == '\r')) s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
        if (n) json_array_append_new(a, json_stringn(s, n));
        p += (e ? (size_t)(e - p) + 1 : strlen(p));
    }
    return a;
}

/* Numbers from 1 to nopt as 0-based indexes: one for single, a sorted set for multiple; NULL when malformed. */
static json_t *numbers(const char *text, size_t nopt, bool many)
{
    bool seen[64] = {false};
    json_t *out = json_array();
    const char *p = text;
    int count = 0;
    while (p && *p) {
        if (strchr(" ,;\t\r\n", *p)) {
            p++;
            continue;
        }
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || (size_t)v > nopt || v > 64 || seen[v - 1]) {
            json_decref(out);
            return NULL;
        }
        seen[v - 1] = true;
        count++;
        p = end;
    }
    if (!count || (!many && count != 1)) {
        json_decref(out);
        return NULL;
    }
    for (int i = 0; i < 64; i++)
        if (seen[i]) json_array_append_new(out, json_integer(i));
    if (many) return out;
    json_t *one = json_incref(json_array_get(out, 0));
    json_decref(out);
    return one;
}

/* A question from the form (or a JSON body in the folder format); NULL with the field and message at fault. */
static json_t *question_from(struct req *r, const char **field, const char **msg)
{
    const char *kind = req_str(r, "kind");
    int k = -1;
    for (int i = 0; kind && kinds[i].code; i++)
        if (!strcmp(kind, kinds[i].code)) k = i;
    if (k < 0) {
        *field = "kind", *msg = "Hãy chọn loại câu hỏi.";
        return NULL;
    }
    kind = kinds[k].code;
    char *prompt = ce_field(r, "prompt"), *explain = ce_field(r, "explain");
    json_t *q = json_pack("{s:s, s:s}", "kind", kind, "prompt", prompt ? prompt : "");
    free(prompt);
    bool choice = !strcmp(kind, "single") || !strcmp(kind, "multiple");
    json_t *jopt = json_object_get(r->body_json, "options"), *jans = json_object_get(r->body_json, "answer");
    json_t *opts = json_is_array(jopt) ? json_incref(jopt) : lines(req_str(r, "options"));
    if (choice) json_object_set(q, "options", opts);
    json_t *ans = NULL;
    if (jans && !json_is_string(jans)) {
        ans = json_incref(jans);
    } else {
        const char *text = req_str(r, "answer");
        char *folded = text ? text_fold(text) : NULL;
        if (!folded || !*folded) {
            *field = "answer", *msg = "Hãy nhập đáp án đúng.";
        } else if (choice) {
            ans = numbers(text, json_array_size(opts), kind[0] == 'm');
            if (!ans) *field = "answer", *msg = kind[0] == 'm' ? "Đáp án: các số thứ tự phương án đúng, cách nhau bởi dấu phẩy (ví dụ 1, 3)."
                                                              : "Đáp án: một số thứ tự của phương án đúng (1, 2, 3…).";
        } else if (!strcmp(kind, "truefalse")) {
            if (!strcmp(folded, "dung") || !strcmp(folded, "true") || !strcmp(folded, "1")) ans = json_true();
            else if (!strcmp(folded, "sai") || !strcmp(folded, "false") || !strcmp(folded, "0")) ans = json_false();
            else *field = "answer", *msg = "Đáp án của câu Đúng/Sai phải là \"Đúng\" hoặc \"Sai\".";
        } else {
            ans = lines(text);
        }
        free(folded);
    }
    json_decref(opts);
    if (!ans) {
        free(explain);
        json_decref(q);
        return NULL;
    }
    json_object_set_new(q, "answer", ans);
    if (explain && *explain) json_object_set_new(q, "explain", json_string(explain));
    free(explain);
    return q;
}

/* The quiz named in the path: its entry in course.json and its questions (both borrowed); false after a 404. */
static bool find_quiz(struct req *r, json_t *doc, json_t **entry, json_t **questions, size_t *at)
{
    *entry = ce_find(json_object_get(json_object_get(doc, "course"), "quizzes"), req_str(r, "quiz"), at);
    *questions = *entry ? json_object_get(json_object_get(json_object_get(doc, "quiz"), str(*entry, "slug")), "questions") : NULL;
    if (*entry && json_is_array(*questions)) return true;
    json_decref(doc);
    req_fail(r, 404, "Khóa học không có bài kiểm tra này.");
    return false;
}

/* "after": a lesson's slug, or empty for the quiz that ends the course. */
static json_t *after_value(struct req *r)
{
    const char *a = req_str(r, "after");
    return a && *a ? json_string(a) : json_null();
}

static int to_quiz(struct req *r, json_t *doc, const char *what, bool fresh)
{
    char loc[300];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s/kiem-tra/%s", str(json_object_get(doc, "course"), "slug"), req_str(r, "quiz"));
    return ce_save(r, doc, what, loc, ce_quiz_page, fresh);
}

int ce_quiz_add(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    if (!doc) return r->status;
    json_t *c = json_object_get(doc, "course");
    char *title = ce_field(r, "quiz_title"), *slug = ce_field(r, "quiz_slug");
    const char *field = NULL, *msg = NULL;
    if (!title || !*title) field = "quiz_title", msg = "Hãy nhập tên bài kiểm tra.";
    if (!field && (!slug || !*slug)) {
        free(slug);
        char *f = text_fold(title);
        size_t n = 0;
        for (char *p = f; p && *p && n < 60; p++) f[n++] = *p == ' ' ? '-' : *p;
        if (f) f[n] = 0;
        slug = f;
    }
    if (!field && !ce_slug_ok(slug)) field = "quiz_slug", msg = "Đường dẫn (slug) chỉ gồm chữ thường không dấu, số và dấu '-'.";
    if (!field && ce_find(json_object_get(c, "quizzes"), slug, NULL)) field = "quiz_slug", msg = "Khóa học đã có bài kiểm tra với đường dẫn này.";
    json_t *q = field ? NULL : question_from(r, &field, &msg);
    if (!q) {
        free(title);
        free(slug);
        return ce_invalid(r, doc, ce_course_page, field, msg);
    }
    json_array_append_new(json_object_get(c, "quizzes"), json_pack("{s:s, s:s, s:o}", "slug", slug, "title", title, "after", after_value(r)));
    json_object_set_new(json_object_get(doc, "quiz"), slug, json_pack("{s:[o]}", "questions", q));
    json_object_set_new(r->params, "quiz", json_string(slug));
    free(title);
    free(slug);
    char loc[300];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s/kiem-tra/%s", str(c, "slug"), req_str(r, "quiz"));
    return ce_save(r, doc, "course.quiz.add", loc, ce_course_page, true);
}

int ce_quiz_show(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r);
    return doc ? ce_quiz_page(r, doc, NULL) : r->status;
}

int ce_quiz_save(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r), *z, *qs;
    if (!doc || !find_quiz(r, doc, &z, &qs, NULL)) return r->status;
    char *title = ce_field(r, "title");
    if (title) json_object_set_new(z, "title", json_string(title));
    free(title);
    if (req_str(r, "after")) json_object_set_new(z, "after", after_value(r));
    return to_quiz(r, doc, "course.quiz.save", false);
}

int ce_quiz_delete(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r), *z, *qs;
    size_t at;
    if (!doc || !find_quiz(r, doc, &z, &qs, &at)) return r->status;
    json_object_del(json_object_get(doc, "quiz"), req_str(r, "quiz"));
    json_array_remove(json_object_get(json_object_get(doc, "course"), "quizzes"), at);
    char loc[200];
    snprintf(loc, sizeof loc, "/quan-tri/khoa-hoc/%s", str(json_object_get(doc, "course"), "slug"));
    return ce_save(r, doc, "course.quiz.delete", loc, ce_course_page, true);
}

int ce_question_add(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r), *z, *qs;
    if (!doc || !find_quiz(r, doc, &z, &qs, NULL)) return r->status;
    const char *field = NULL, *msg = NULL;
    json_t *q = question_from(r, &field, &msg);
    if (!q) return ce_invalid(r, doc, ce_quiz_page, field, msg);
    json_array_append_new(qs, q);
    return to_quiz(r, doc, "course.question.add", true);
}

/* The {n} path parameter as an index into qs (from 1 in the address); -1 after a 404. */
static long question_index(struct req *r, json_t *doc, json_t *qs)
{
    const char *n = req_str(r, "n");
    char *end;
    long i = n ? strtol(n, &end, 10) : 0;
    if (n && !*end && i >= 1 && (size_t)i <= json_array_size(qs)) return i - 1;
    json_decref(doc);
    req_fail(r, 404, "Bài kiểm tra không có câu hỏi này.");
    return -1;
}

int ce_question_save(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r), *z, *qs;
    if (!doc || !find_quiz(r, doc, &z, &qs, NULL)) return r->status;
    long i = question_index(r, doc, qs);
    if (i < 0) return r->status;
    const char *field = NULL, *msg = NULL;
    json_t *q = question_from(r, &field, &msg);
    if (!q) {
        json_t *errors = json_pack("{s:s, s:s, s:i}", field, msg, "message", msg, "question_no", (int)i + 1);
        if (r->want_json) {
            json_decref(doc);
            json_object_del(errors, "question_no");
            json_object_del(errors, "message");
            return req_fail_ctx(r, 422, msg, errors);
        }
        r->status = 422;
        return ce_quiz_page(r, doc, errors);
    }
    json_array_set_new(qs, (size_t)i, q);
    return to_quiz(r, doc, "course.question.save", false);
}

int ce_question_delete(struct req *r)
{
    if (!ce_editor(r)) return r->status;
    json_t *doc = ce_load(r), *z, *qs;
    if (!doc || !find_quiz(r, doc, &z, &qs, NULL)) return r->status;
    long i = question_index(r, doc, qs);
    if (i < 0) return r->status;
    if (json_array_size(qs) == 1)
        return ce_invalid(r, doc, ce_quiz_page, "general",
                          "Bài kiểm tra cần ít nhất một câu hỏi; nếu không cần nữa, hãy xóa cả bài kiểm tra.");
    json_array_remove(qs, (size_t)i);
    return to_quiz(r, doc, "course.question.delete", true);
}

/* The knowledge contests' editor reads its questions the same way (page_quiz_contest_admin.c). */
json_t *ce_question_from(struct req *r, const char **field, const char **msg) { return question_from(r, field, msg); }
