/* Reading courses: the catalogue with its filters, one course with its lessons and quizzes, a lesson with its
 * neighbours, a quiz for display (never its answers), and export to the folder format import reads.
 * Must not know about HTTP and must not write: the one write path is store_course_import (course_import.c). */
#include "store/course.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one list of audiences: the catalogue, the editor and import all read it (the CHECK in migrations 0011 and 0020
 * must say the same). */
const char *const course_audiences[] = { "citizen", "official", "enterprise", "youth", "team", NULL };
static const char *const audience_labels[] = { "Người dân", "Cán bộ, công chức", "Doanh nghiệp", "Thanh niên, học sinh",
                                               "Tổ công nghệ số cộng đồng", NULL };
static const char *const area_labels[] = { "Thông tin và dữ liệu", "Giao tiếp và hợp tác", "Sáng tạo nội dung số",
                                           "An toàn", "Giải quyết vấn đề" };

const char *course_audience_label(const char *a)
{
    for (int i = 0; a && course_audiences[i]; i++) if (!strcmp(a, course_audiences[i])) return audience_labels[i];
    return NULL;
}

const char *course_area_label(int area) { return area >= 1 && area <= 5 ? area_labels[area - 1] : NULL; }

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static void add_labels(json_t *c)
{
    const char *al = course_audience_label(str(c, "audience")), *arl = course_area_label((int)num(c, "area"));
    json_object_set_new(c, "audience_label", json_string(al ? al : ""));
    json_object_set_new(c, "area_label", json_string(arl ? arl : ""));
    json_object_set_new(c, "is_open", json_boolean(str(c, "status") && !strcmp(str(c, "status"), "open")));
    json_object_set_new(c, "is_closed", json_boolean(str(c, "status") && !strcmp(str(c, "status"), "closed")));
}

/* True when every word of the folded query starts a word of the folded text. */
static bool matches(const char *folded_text, const char *folded_query)
{
    char *q = strdup(folded_query), *save = NULL;
    bool ok = true;
    for (char *w = strtok_r(q, " ", &save); w && ok; w = strtok_r(NULL, " ", &save))
        ok = text_folded_contains_word(folded_text, w);
    free(q);
    return ok;
}

json_t *store_courses_list(db *d, const struct course_query *q)
{
    db_stmt *s = db_prepare(d, "SELECT c.slug, c.title, c.summary, c.audience, c.area, c.status, c.minutes, "
                               "(SELECT COUNT(*) FROM lesson l WHERE l.course_id = c.id) AS lessons, "
                               "(SELECT COUNT(*) FROM quiz z WHERE z.course_id = c.id) AS quizzes FROM course c "
                               "WHERE (c.status != 'draft' OR ? = 1) AND (CAST(? AS TEXT) IS NULL OR c.audience = ?) AND (? = 0 OR c.area = ?) "
                               "ORDER BY c.status = 'closed', c.area, c.title");
    if (!s) return json_array();
    db_bind_int(s, 1, q->with_drafts);
    db_bind_text(s, 2, q->audience);
    db_bind_text(s, 3, q->audience);
    db_bind_int(s, 4, q->area);
    db_bind_int(s, 5, q->area);
    json_t *rows = db_rows(s), *out = json_array();
    char *fq = q->text && *q->text ? text_fold(q->text) : NULL;
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c) {
        if (fq && *fq) {
            char *both = NULL, *ft = NULL;
            if (asprintf(&both, "%s %s", str(c, "title"), str(c, "summary")) >= 0) ft = text_fold(both);
            bool ok = ft && matches(ft, fq);
            free(both);
            free(ft);
            if (!ok) continue;
        }
        add_labels(c);
        json_array_append(out, c);
    }
    free(fq);
    json_decref(rows);
    return out;
}

static json_t *course_row(db *d, const char *slug)
{
    db_stmt *s = db_prepare(d, "SELECT id, slug, title, summary, audience, area, status, pass_mark, minutes, updated_at FROM course WHERE slug = ?");
    if (!s) return NULL;
    db_bind_text(s, 1, slug);
    json_t *c = db_row(s);
    if (c) add_labels(c);
    return c;
}

static json_t *quiz_rows(db *d, int64_t course_id)
{
    db_stmt *s = db_prepare(d, "SELECT z.id, z.slug, z.title, l.slug AS after, "
                               "(SELECT COUNT(*) FROM question q WHERE q.quiz_id = z.id) AS questions "
                               "FROM quiz z LEFT JOIN lesson l ON l.id = z.lesson_id WHERE z.course_id = ? ORDER BY z.seq");
    if (!s) return json_array();
    db_bind_int(s, 1, course_id);
    return db_rows(s);
}

enum store_status store_course_id(db *d, const char *slug, int64_t *id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM course WHERE slug = ?");
    db_bind_text(s, 1, slug);
    int64_t got = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (!got) return store_fail(res, STORE_NOT_FOUND, "Không có khóa học này.");
    if (id) *id = got;
    return STORE_OK;
}

json_t *store_course_get(db *d, const char *slug)
{
    json_t *c = course_row(d, slug);
    if (!c) return NULL;
    db_stmt *s = db_prepare(d, "SELECT id, seq, slug, title, minutes FROM lesson WHERE course_id = ? ORDER BY seq");
    if (!s) { json_decref(c); return NULL; }
    db_bind_int(s, 1, num(c, "id"));
    json_t *lessons = db_rows(s), *quizzes = quiz_rows(d, num(c, "id")), *final = json_array();
    size_t i, k;
    json_t *l, *z;
    json_array_foreach(lessons, i, l) json_object_set_new(l, "quizzes", json_array());
    json_array_foreach(quizzes, k, z) {
        const char *after = str(z, "after");
        json_t *home = final;
        json_array_foreach(lessons, i, l) if (after && !strcmp(after, str(l, "slug"))) home = json_object_get(l, "quizzes");
        json_array_append(home, z);
    }
    json_object_set_new(c, "lessons", lessons);
    json_object_set_new(c, "quizzes", quizzes);
    json_object_set_new(c, "final_quizzes", final);
    return c;
}

json_t *store_lesson_get(db *d, const char *course_slug, const char *lesson_slug)
{
    json_t *c = course_row(d, course_slug);
    if (!c) return NULL;
    db_stmt *s = db_prepare(d, "SELECT id, seq, slug, title, body_html, minutes FROM lesson WHERE course_id = ? AND slug = ?");
    if (!s) { json_decref(c); return NULL; }
    db_bind_int(s, 1, num(c, "id"));
    db_bind_text(s, 2, lesson_slug);
    json_t *l = db_row(s);
    if (!l) { json_decref(c); return NULL; }
    s = db_prepare(d, "SELECT COUNT(*) FROM lesson WHERE course_id = ?");
    db_bind_int(s, 1, num(c, "id"));
    json_object_set_new(l, "of", json_integer(db_scalar_int(s, 0)));
    const char *sql[2] = { "SELECT slug, title FROM lesson WHERE course_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1",
                           "SELECT slug, title FROM lesson WHERE course_id = ? AND seq > ? ORDER BY seq LIMIT 1" };
    for (int i = 0; i < 2; i++) {
        s = db_prepare(d, sql[i]);
        db_bind_int(s, 1, num(c, "id"));
        db_bind_int(s, 2, num(l, "seq"));
        json_t *n = db_row(s);
        json_object_set_new(l, i ? "next" : "prev", n ? n : json_null());
    }
    s = db_prepare(d, "SELECT slug, title FROM quiz WHERE lesson_id = ? ORDER BY seq");
    db_bind_int(s, 1, num(l, "id"));
    json_object_set_new(l, "quizzes", db_rows(s));
    json_object_set_new(l, "course", c);
    return l;
}

void course_question_display(json_t *q, int64_t n)
{
    json_t *opts = json_loads(str(q, "options"), 0, NULL), *list = json_array();
    for (size_t k = 0; k < json_array_size(opts); k++)
        json_array_append_new(list, json_pack("{s:I, s:O}", "i", (json_int_t)k, "text", json_array_get(opts, k)));
    json_decref(opts);
    json_object_set_new(q, "options", list);
    json_object_set_new(q, "num", json_integer(n));
    char flag[24];
    snprintf(flag, sizeof flag, "is_%s", str(q, "kind"));
    json_object_set_new(q, flag, json_true());
}

json_t *store_quiz_get(db *d, const char *course_slug, const char *quiz_slug)
{
    json_t *c = course_row(d, course_slug);
    if (!c) return NULL;
    db_stmt *s = db_prepare(d, "SELECT z.id, z.slug, z.title, l.slug AS after, l.title AS after_title FROM quiz z "
                               "LEFT JOIN lesson l ON l.id = z.lesson_id WHERE z.course_id = ? AND z.slug = ?");
    if (!s) { json_decref(c); return NULL; }
    db_bind_int(s, 1, num(c, "id"));
    db_bind_text(s, 2, quiz_slug);
    json_t *z = db_row(s);
    if (!z) { json_decref(c); return NULL; }
    s = db_prepare(d, "SELECT seq, kind, prompt, options FROM question WHERE quiz_id = ? ORDER BY seq");
    db_bind_int(s, 1, num(z, "id"));
    json_t *qs = db_rows(s);
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) course_question_display(q, num(q, "seq"));
    json_object_set_new(z, "questions", qs);
    json_object_set_new(z, "course", c);
    return z;
}

/* Export: the folder import reads. File names are made from slugs ("quiz-" + slug keeps quiz names unique and away
 * from course.json); import ignores them beyond matching, so a round trip gives the same course. */
json_t *store_course_export(db *d, const char *slug)
{
    json_t *c = course_row(d, slug);
    if (!c) return NULL;
    int64_t id = num(c, "id");
    json_t *files = json_array(), *lessons = json_array(), *quizzes = json_array();
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:o, s:o}", "slug", str(c, "slug"), "title", str(c, "title"),
                            "summary", str(c, "summary"), "audience", str(c, "audience"), "area", (json_int_t)num(c, "area"),
                            "status", str(c, "status"), "pass_mark", (json_int_t)num(c, "pass_mark"), "lessons", lessons,
                            "quizzes", quizzes);
    json_array_append_new(files, json_pack("{s:s, s:n}", "name", "course.json", "text"));
    db_stmt *s = db_prepare(d, "SELECT seq, slug, title, body_md, minutes FROM lesson WHERE course_id = ? ORDER BY seq");
    db_bind_int(s, 1, id);
    json_t *rows = db_rows(s), *l;
    size_t i;
    json_array_foreach(rows, i, l) {
        char name[128];
        snprintf(name, sizeof name, "%02d-%s.md", (int)i + 1, str(l, "slug"));
        json_array_append_new(lessons, json_pack("{s:O, s:O, s:s, s:O}", "slug", json_object_get(l, "slug"), "title",
                                                 json_object_get(l, "title"), "file", name, "minutes", json_object_get(l, "minutes")));
        json_array_append_new(files, json_pack("{s:s, s:o}", "name", name, "text",
                                               json_sprintf("# %s\n\n%s", str(l, "title"), str(l, "body_md"))));
    }
    json_decref(rows);
    json_t *zs = quiz_rows(d, id), *z;
    json_array_foreach(zs, i, z) {
        char name[128];
        snprintf(name, sizeof name, "quiz-%s.json", str(z, "slug"));
        json_array_append_new(quizzes, json_pack("{s:O, s:O, s:O, s:s}", "slug", json_object_get(z, "slug"), "title",
                                                 json_object_get(z, "title"), "after", json_object_get(z, "after"), "file", name));
        s = db_prepare(d, "SELECT kind, prompt, options, answer, explain FROM question WHERE quiz_id = ? ORDER BY seq");
        db_bind_int(s, 1, num(z, "id"));
        json_t *qs = db_rows(s), *q, *list = json_array();
        size_t k;
        json_array_foreach(qs, k, q) {
            json_t *o = json_pack("{s:O, s:O}", "kind", json_object_get(q, "kind"), "prompt", json_object_get(q, "prompt"));
            const char *kind = str(q, "kind");
            if (!strcmp(kind, "single") || !strcmp(kind, "multiple"))
                json_object_set_new(o, "options", json_loads(str(q, "options"), 0, NULL));
            json_t *ans = json_loads(str(q, "answer"), JSON_DECODE_ANY, NULL);
            json_object_set_new(o, "answer", ans ? ans : json_null());
            if (str(q, "explain") && *str(q, "explain")) json_object_set(o, "explain", json_object_get(q, "explain"));
            json_array_append_new(list, o);
        }
        json_decref(qs);
        json_t *qdoc = json_pack("{s:o}", "questions", list);
        char *text = json_dumps(qdoc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(qdoc);
        json_array_append_new(files, json_pack("{s:s, s:s}", "name", name, "text", text));
        free(text);
    }
    json_decref(zs);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_object_set_new(json_array_get(files, 0), "text", json_string(text));
    free(text);
    json_decref(doc);
    json_decref(c);
    return json_pack("{s:o}", "files", files);
}
