/* Unit tests for the MOOC store: importing course folders (valid, broken JSON, missing file, bad answer, NFD, wrong
 * folder, replace keeping progress, export round trip), scoring of every kind, submissions, completion, phone numbers.
 * Runs on a real migrated SQLite file with the fixture courses of tests/fixtures/courses/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/course.h"
#include "store/learning.h"
#include "store/migrate.h"
#include "store/search.h"
#include "export/markdown.h"
#include "core/phone.h"

#define FIX "tests/fixtures/courses/"

struct folder { struct course_file f[16]; size_t n; };

static void folder_free(struct folder *fo)
{
    for (size_t i = 0; i < fo->n; i++) { free((char *)fo->f[i].name); free((unsigned char *)fo->f[i].data); }
    fo->n = 0;
}

/* Every file of tests/fixtures/courses/<name>/, named "<name>/<file>" so the slug is checked against the folder. */
static void load(struct folder *fo, const char *name)
{
    char dir[256];
    snprintf(dir, sizeof dir, FIX "%s", name);
    DIR *d = opendir(dir);
    if (!d) fail_msg("no fixture %s (run from the repository root)", dir);
    fo->n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && fo->n < 16) {
        if (e->d_name[0] == '.') continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        FILE *f = fopen(p, "rb");
        assert_non_null(f);
        unsigned char *buf = malloc(1 << 20);
        size_t len = fread(buf, 1, 1 << 20, f);
        fclose(f);
        char *nm = NULL;
        assert_true(asprintf(&nm, "%s/%s", name, e->d_name) > 0);
        fo->f[fo->n++] = (struct course_file){ nm, buf, len };
    }
    closedir(d);
}

/* Replaces (or adds) one file of the folder with text. */
static void put(struct folder *fo, const char *name, const char *text)
{
    for (size_t i = 0; i < fo->n; i++) {
        const char *slash = strchr(fo->f[i].name, '/');
        if (!strcmp(slash ? slash + 1 : fo->f[i].name, name)) {
            free((unsigned char *)fo->f[i].data);
            fo->f[i].data = (unsigned char *)strdup(text);
            fo->f[i].len = strlen(text);
            return;
        }
    }
    const char *slash = strchr(fo->f[0].name, '/');
    char *nm = NULL;
    assert_true(asprintf(&nm, "%.*s/%s", slash ? (int)(slash - fo->f[0].name) : 0, fo->f[0].name, name) > 0);
    fo->f[fo->n++] = (struct course_file){ nm, (unsigned char *)strdup(text), strlen(text) };
}

static char path[96];

static int setup(void **state)
{
    store_course_set_renderer(markdown_html);
    db *d = fixture_db_open(path, sizeof path, "courses", 0);
    *state = d;
    return d ? 0 : -1;
}

static int teardown(void **state)
{
    db_close(*state);
    fixture_db_unlink(path);
    return 0;
}

static int64_t count(db *d, const char *sql)
{
    return db_scalar_int(db_prepare(d, sql), -1);
}

static int64_t total_rows(db *d)
{
    return count(d, "SELECT (SELECT COUNT(*) FROM course) + (SELECT COUNT(*) FROM lesson) + (SELECT COUNT(*) FROM quiz) + "
                    "(SELECT COUNT(*) FROM question) + (SELECT COUNT(*) FROM search_passage WHERE kind = 'course')");
}

static int import_fixture(db *d, const char *name, bool replace, char *err, size_t errlen)
{
    struct folder fo;
    load(&fo, name);
    int rc = store_course_import(d, fo.f, fo.n, replace, err, errlen);
    folder_free(&fo);
    return rc;
}

static void imports_a_valid_folder(void **state)
{
    db *d = *state;
    char err[512];
    if (import_fixture(d, "mat-khau-an-toan", false, err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM lesson"), 2);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz"), 2);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM question"), 6);
    assert_int_equal(count(d, "SELECT minutes FROM course"), 9);
    /* The repeated "# Title" line is dropped, raw HTML never reaches the page, GFM tables render. */
    json_t *l = store_lesson_get(d, "mat-khau-an-toan", "mat-khau-manh");
    assert_non_null(l);
    const char *html = json_string_value(json_object_get(l, "body_html"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<h1>"));
    assert_non_null(strstr(html, "<table>"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(l, "next"), "slug")), "xac-thuc-hai-lop");
    assert_true(json_is_null(json_object_get(l, "prev")));
    json_decref(l);
    /* multiple's answer is stored sorted; quizzes keep their lesson */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM question WHERE kind = 'multiple' AND answer = '[0,2]'"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz WHERE lesson_id IS NULL"), 1);
    /* The quiz for display has no answers */
    json_t *z = store_quiz_get(d, "mat-khau-an-toan", "kiem-tra-1");
    char *dump = json_dumps(z, 0);
    assert_null(strstr(dump, "answer"));
    assert_null(strstr(dump, "explain"));
    free(dump);
    json_decref(z);
    /* Indexed for search: the course and both lessons, found without diacritics */
    assert_int_equal(count(d, "SELECT COUNT(DISTINCT ref_id) FROM search_passage WHERE kind = 'course'"), 3);
    json_t *found = store_search(d, "xac thuc hai lop", "course", 10);
    char *fd = json_dumps(found, 0);
    assert_non_null(strstr(fd, "/khoa-hoc/mat-khau-an-toan/xac-thuc-hai-lop"));
    free(fd);
    json_decref(found);
    /* The catalogue filters */
    struct course_query q = { .audience = "citizen", .area = 4, .text = "MAT KHAU" };
    json_t *list = store_courses_list(d, &q);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    q.text = "thanh toán";
    list = store_courses_list(d, &q);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    q = (struct course_query){ .audience = "youth" };
    list = store_courses_list(d, &q);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* The same slug again without replace: refused, nothing changed */
    int64_t before = total_rows(d);
    assert_int_equal(import_fixture(d, "mat-khau-an-toan", false, err, sizeof err), -1);
    assert_non_null(strstr(err, "course.json"));
    assert_int_equal(total_rows(d), before);
}

static void expect_refused(db *d, const char *fixture, const char *want)
{
    char err[512];
    int64_t before = total_rows(d);
    assert_int_equal(import_fixture(d, fixture, false, err, sizeof err), -1);
    if (!strstr(err, want)) fail_msg("%s: error '%s' lacks '%s'", fixture, err, want);
    assert_int_equal(total_rows(d), before);
}

static void broken_folders_write_nothing(void **state)
{
    db *d = *state;
    expect_refused(d, "loi-json", "quiz-1.json: JSON không hợp lệ");
    expect_refused(d, "thieu-tep", "02-xac-thuc-hai-lop.md: thiếu tệp");
    expect_refused(d, "dap-an-sai", "quiz-1.json: câu 3: đáp án 5 ngoài danh sách lựa chọn");
    expect_refused(d, "sai-ten-thu-muc", "course.json: \"slug\" (ten-khac) phải trùng tên thư mục (sai-ten-thu-muc)");
    assert_int_equal(count(d, "SELECT COUNT(*) FROM course"), 0);

    /* In memory: one fault at a time on a good folder; each names its file. */
    struct { const char *file, *text, *want; } cases[] = {
        { "course.json", "{\"slug\": \"mat-khau-an-toan\", \"title\": \"x\", \"audience\": \"alien\", \"area\": 4, \"lessons\": []}",
          "course.json: \"audience\"" },
        { "course.json", "{\"slug\": \"mat-khau-an-toan\", \"title\": \"x\", \"audience\": \"citizen\", \"area\": 4, \"lessons\": []}",
          "course.json: cần ít nhất một bài học" },
        { "course.json", "{\"slug\": \"mat-khau-an-toan\", \"title\": \"x\", \"audience\": \"citizen\", \"area\": 9, "
                         "\"lessons\": [{\"slug\": \"a\", \"title\": \"A\", \"file\": \"01-mat-khau-manh.md\"}]}",
          "course.json: \"area\"" },
        { "course.json", "[1, 2]", "course.json: cần một đối tượng" },
        { "01-mat-khau-manh.md", "\xff\xfe bad bytes", "01-mat-khau-manh.md: không phải văn bản UTF-8" },
        { "quiz-1.json", "{\"questions\": [{\"kind\": \"multiple\", \"prompt\": \"?\", \"options\": [\"a\", \"b\"], \"answer\": [0, 0]}]}",
          "quiz-1.json: câu 1: đáp án 0 lặp lại" },
        { "quiz-1.json", "{\"questions\": [{\"kind\": \"truefalse\", \"prompt\": \"?\", \"answer\": 1}]}",
          "quiz-1.json: câu 1: \"answer\" phải là true hoặc false" },
        { "quiz-1.json", "{\"questions\": [{\"kind\": \"essay\", \"prompt\": \"?\", \"answer\": 1}]}", "quiz-1.json: câu 1: \"kind\"" },
        { "quiz-cuoi.json", "{\"questions\": [{\"kind\": \"short\", \"prompt\": \"?\", \"answer\": [\"...\"]}]}", "quiz-cuoi.json: câu 1:" },
        { "quiz-cuoi.json", "{\"questions\": []}", "quiz-cuoi.json: cần \"questions\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct folder fo;
        load(&fo, "mat-khau-an-toan");
        put(&fo, cases[i].file, cases[i].text);
        char err[512];
        assert_int_equal(store_course_import(d, fo.f, fo.n, false, err, sizeof err), -1);
        if (!strstr(err, cases[i].want)) fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
        folder_free(&fo);
    }
    assert_int_equal(total_rows(d), 0);
}

static void nfd_is_stored_nfc(void **state)
{
    db *d = *state;
    char err[512];
    if (import_fixture(d, "chu-nfd", false, err, sizeof err)) fail_msg("%s", err);
    /* "Mật khẩu" in NFC bytes */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM course WHERE title = 'M\xe1\xba\xadt kh\xe1\xba\xa9u an to\xc3\xa0n cho m\xe1\xbb\x8di ng\xc6\xb0\xe1\xbb\x9di'"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM question WHERE prompt LIKE 'M\xe1\xba\xadt kh\xe1\xba\xa9u n\xc3\xa0o%'"), 1);
    /* The NFD heading equal to the title was recognised once normalised */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM lesson WHERE body_md LIKE '# %'"), 0);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM lesson WHERE body_md LIKE '%' || char(0x0323) || '%'"), 0);
}

static void replace_keeps_progress(void **state)
{
    db *d = *state;
    char err[512];
    if (import_fixture(d, "mat-khau-an-toan", false, err, sizeof err)) fail_msg("%s", err);
    db_exec(d, "INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES (7, 'hv@x.vn', 'Học viên', 'x', '2026-01-01T00:00:00Z')");
    int64_t course = count(d, "SELECT id FROM course"), l1 = count(d, "SELECT id FROM lesson WHERE slug = 'mat-khau-manh'");
    int64_t l2 = count(d, "SELECT id FROM lesson WHERE slug = 'xac-thuc-hai-lop'"), q1 = count(d, "SELECT id FROM quiz WHERE slug = 'kiem-tra-1'");
    assert_int_equal(store_enrol(d, 7, course), 0);
    assert_int_equal(store_lesson_view(d, 7, course, l1), 1);
    assert_int_equal(store_lesson_view(d, 7, course, l2), 1);
    json_t *res = NULL;
    json_t *ans = json_pack("{s:i, s:[i,i], s:b}", "1", 2, "2", 0, 2, "3", 0);
    struct quiz_submission in = { 7, "mat-khau-an-toan", "kiem-tra-1", "nonce-replace-1", ans };
    assert_int_equal(store_quiz_submit(d, &in, &res, err, sizeof err), QUIZ_OK);
    json_decref(res);
    json_decref(ans);

    /* New order, lesson 2 gone, a new lesson 0 in front, quiz 1 now after the new lesson, final quiz dropped */
    struct folder fo;
    load(&fo, "mat-khau-an-toan");
    put(&fo, "course.json", "{\"slug\": \"mat-khau-an-toan\", \"title\": \"Mật khẩu (bản 2)\", \"audience\": \"citizen\", \"area\": 4, "
        "\"status\": \"open\", \"lessons\": [{\"slug\": \"mo-dau\", \"title\": \"Mở đầu\", \"file\": \"00-mo-dau.md\"}, "
        "{\"slug\": \"mat-khau-manh\", \"title\": \"Thế nào là mật khẩu mạnh\", \"file\": \"01-mat-khau-manh.md\"}], "
        "\"quizzes\": [{\"slug\": \"kiem-tra-1\", \"title\": \"Kiểm tra 1\", \"after\": \"mo-dau\", \"file\": \"quiz-1.json\"}]}");
    put(&fo, "00-mo-dau.md", "Chào bạn.\n");
    assert_int_equal(store_course_import(d, fo.f, fo.n, false, err, sizeof err), -1);   /* exists */
    if (store_course_import(d, fo.f, fo.n, true, err, sizeof err)) fail_msg("%s", err);
    folder_free(&fo);
    assert_int_equal(count(d, "SELECT id FROM course"), course);
    assert_int_equal(count(d, "SELECT id FROM lesson WHERE slug = 'mat-khau-manh'"), l1);
    assert_int_equal(count(d, "SELECT seq FROM lesson WHERE slug = 'mat-khau-manh'"), 2);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM lesson"), 2);
    assert_int_equal(count(d, "SELECT id FROM quiz WHERE slug = 'kiem-tra-1'"), q1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM lesson_view WHERE user_id = 7"), 1);   /* lesson 2's view went with it */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz_attempt WHERE user_id = 7 AND passed = 1"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM search_passage WHERE kind = 'course' AND url LIKE '%xac-thuc-hai-lop'"), 0);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM search_passage WHERE kind = 'course' AND url LIKE '%/mo-dau'"), 1);
    /* Viewing the new lesson completes the course: every lesson viewed, the one quiz passed */
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate"), 0);
    assert_int_equal(store_lesson_view(d, 7, course, count(d, "SELECT id FROM lesson WHERE slug = 'mo-dau'")), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate WHERE user_id = 7 AND learner_name = 'Học viên' AND length(code) = 26"), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM enrolment WHERE completed_at IS NOT NULL"), 1);
    /* Back to a draft through export → change → import (the editor's path): it leaves the search index */
    json_t *ex = store_course_export(d, "mat-khau-an-toan"), *f;
    size_t i;
    fo.n = 0;
    json_array_foreach(json_object_get(ex, "files"), i, f) {
        char *t = strdup(json_string_value(json_object_get(f, "text")));
        if (i == 0) {
            json_t *c = json_loads(t, 0, NULL);
            json_object_set_new(c, "status", json_string("draft"));
            free(t);
            t = json_dumps(c, 0);
            json_decref(c);
        }
        fo.f[fo.n++] = (struct course_file){ strdup(json_string_value(json_object_get(f, "name"))), (unsigned char *)t, strlen(t) };
    }
    json_decref(ex);
    if (store_course_import(d, fo.f, fo.n, true, err, sizeof err)) fail_msg("%s", err);
    folder_free(&fo);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM search_passage WHERE kind = 'course'"), 0);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate"), 1);
    struct course_query q = { 0 };
    json_t *list = store_courses_list(d, &q);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
}

static void export_round_trip(void **state)
{
    db *d = *state;
    char err[512];
    if (import_fixture(d, "mat-khau-an-toan", false, err, sizeof err)) fail_msg("%s", err);
    assert_null(store_course_export(d, "khong-co"));
    json_t *a = store_course_export(d, "mat-khau-an-toan");
    assert_non_null(a);
    json_t *files = json_object_get(a, "files");
    assert_int_equal(json_array_size(files), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "name")), "course.json");
    /* Re-import the export under another slug in the same store, then compare both courses row by row */
    struct folder fo = { .n = 0 };
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f) {
        const char *text = json_string_value(json_object_get(f, "text"));
        char *t = strdup(text);
        if (i == 0) {
            json_t *c = json_loads(text, 0, NULL);
            json_object_set_new(c, "slug", json_string("ban-sao"));
            free(t);
            t = json_dumps(c, JSON_INDENT(2));
            json_decref(c);
        }
        fo.f[fo.n++] = (struct course_file){ strdup(json_string_value(json_object_get(f, "name"))), (unsigned char *)t, strlen(t) };
    }
    if (store_course_import(d, fo.f, fo.n, false, err, sizeof err)) fail_msg("%s", err);
    folder_free(&fo);
    const char *same[] = {
        "SELECT COUNT(*) FROM (SELECT title, summary, audience, area, status, pass_mark, minutes FROM course "
        "EXCEPT SELECT title, summary, audience, area, status, pass_mark, minutes FROM course WHERE slug = 'ban-sao')",
        "SELECT COUNT(*) FROM (SELECT seq, slug, title, body_md, body_html, minutes FROM lesson "
        "EXCEPT SELECT seq, slug, title, body_md, body_html, minutes FROM lesson WHERE course_id = (SELECT id FROM course WHERE slug = 'ban-sao'))",
        "SELECT COUNT(*) FROM (SELECT z.slug, z.title, z.seq, l.slug FROM quiz z LEFT JOIN lesson l ON l.id = z.lesson_id "
        "EXCEPT SELECT z.slug, z.title, z.seq, l.slug FROM quiz z LEFT JOIN lesson l ON l.id = z.lesson_id "
        "WHERE z.course_id = (SELECT id FROM course WHERE slug = 'ban-sao'))",
        "SELECT COUNT(*) FROM (SELECT z.slug, q.seq, q.kind, q.prompt, q.options, q.answer, q.explain FROM question q JOIN quiz z ON z.id = q.quiz_id "
        "EXCEPT SELECT z.slug, q.seq, q.kind, q.prompt, q.options, q.answer, q.explain FROM question q JOIN quiz z ON z.id = q.quiz_id "
        "WHERE z.course_id = (SELECT id FROM course WHERE slug = 'ban-sao'))",
    };
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        if (count(d, same[k]) != 0) fail_msg("round trip differs: %s", same[k]);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM question"), 12);
    /* and exporting the copy gives the same files (but for the slug) */
    json_t *b = store_course_export(d, "ban-sao");
    for (size_t k = 1; k < 5; k++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(b, "files"), k), "text")),
                            json_string_value(json_object_get(json_array_get(files, k), "text")));
    json_decref(a);
    json_decref(b);
}

static void scoring_of_each_kind(void **state)
{
    (void)state;
    json_t *k = json_integer(2), *g;
    assert_true(course_answer_right("single", k, g = json_integer(2)));
    json_decref(g);
    assert_false(course_answer_right("single", k, g = json_integer(1)));
    json_decref(g);
    assert_false(course_answer_right("single", k, json_null()));
    json_decref(k);
    k = json_pack("[i,i]", 0, 2);
    assert_true(course_answer_right("multiple", k, g = json_pack("[i,i]", 2, 0)));
    json_decref(g);
    assert_false(course_answer_right("multiple", k, g = json_pack("[i]", 0)));
    json_decref(g);
    assert_false(course_answer_right("multiple", k, g = json_pack("[i,i,i]", 0, 1, 2)));
    json_decref(g);
    json_decref(k);
    assert_true(course_answer_right("truefalse", json_false(), json_false()));
    assert_false(course_answer_right("truefalse", json_false(), json_true()));
    k = json_pack("[s,s]", "Không", "1900 1234");
    const char *yes[] = { "khong", "KHÔNG", "  Không  ", "Kho\xcc\x82ng", "không.", "1900-1234", "1900 1234" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        g = json_string(yes[i]);
        if (!course_answer_right("short", k, g)) fail_msg("short answer '%s' should be right", yes[i]);
        json_decref(g);
    }
    const char *no[] = { "có", "", "  ", "khong phai", "19001234x" };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        g = json_string(no[i]);
        if (course_answer_right("short", k, g)) fail_msg("short answer '%s' should be wrong", no[i]);
        json_decref(g);
    }
    json_decref(k);
    /* shapes */
    const char *why;
    assert_int_equal(course_answer_valid("single", 3, g = json_string("1"), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("single", 3, g = json_integer(3), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("single", 3, g = json_integer(2), &why), 0);
    json_decref(g);
    assert_int_equal(course_answer_valid("multiple", 3, g = json_pack("[i,i]", 1, 1), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("multiple", 3, g = json_integer(1), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("multiple", 3, g = json_array(), &why), 0);
    json_decref(g);
    assert_int_equal(course_answer_valid("truefalse", 0, g = json_string("true"), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("short", 0, g = json_integer(5), &why), -1);
    json_decref(g);
    assert_int_equal(course_answer_valid("short", 0, json_null(), &why), 0);
}

static enum quiz_outcome submit(db *d, int64_t user, const char *quiz, const char *nonce, const char *answers, json_t **res)
{
    char err[300];
    json_t *a = json_loads(answers, 0, NULL);
    assert_non_null(a);
    struct quiz_submission in = { user, "mat-khau-an-toan", quiz, nonce, a };
    enum quiz_outcome o = store_quiz_submit(d, &in, res, err, sizeof err);
    json_decref(a);
    return o;
}

static void submissions_and_completion(void **state)
{
    db *d = *state;
    char err[512];
    if (import_fixture(d, "mat-khau-an-toan", false, err, sizeof err)) fail_msg("%s", err);
    db_exec(d, "INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES (9, '+84912345678', 'Nguyễn Thị Học', 'x', '2026-01-01T00:00:00Z')");
    int64_t course = count(d, "SELECT id FROM course");
    json_t *res = NULL;
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{}", &res), QUIZ_NOT_ENROLLED);
    assert_int_equal(submit(d, 9, "khong-co", "nonce-aaaa-1", "{}", &res), QUIZ_NOT_FOUND);
    assert_int_equal(store_lesson_view(d, 9, course, 1), 0);   /* not enrolled: nothing recorded */
    assert_int_equal(store_enrol(d, 9, course), 0);
    assert_int_equal(store_enrol(d, 9, course), 0);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"4\": 1}", &res), QUIZ_BAD_INPUT);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"01\": 1}", &res), QUIZ_BAD_INPUT);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"1\": \"2\"}", &res), QUIZ_BAD_INPUT);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"3\": \"false\"}", &res), QUIZ_BAD_INPUT);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "short", "{}", &res), QUIZ_BAD_INPUT);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz_attempt"), 0);
    /* One right of three: 33 %, not passed; the same nonce again is the same result, counted once */
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"1\": 2, \"2\": [0], \"3\": true}", &res), QUIZ_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "score")), 33);
    assert_false(json_is_true(json_object_get(res, "passed")));
    assert_true(json_is_true(json_object_get(json_array_get(json_object_get(res, "questions"), 0), "right")));
    json_decref(res);
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-1", "{\"1\": 2, \"2\": [0, 2], \"3\": false}", &res), QUIZ_DUPLICATE);
    assert_int_equal(json_integer_value(json_object_get(res, "score")), 33);
    assert_true(json_is_true(json_object_get(res, "duplicate")));
    json_decref(res);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM quiz_attempt"), 1);
    /* Retry: all right */
    assert_int_equal(submit(d, 9, "kiem-tra-1", "nonce-aaaa-2", "{\"1\": 2, \"2\": [2, 0], \"3\": false}", &res), QUIZ_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "score")), 100);
    assert_true(json_is_true(json_object_get(res, "passed")));
    assert_true(json_is_null(json_object_get(res, "certificate")));
    json_decref(res);
    /* Final quiz passed with short answers without diacritics; lessons not viewed yet: no certificate */
    assert_int_equal(submit(d, 9, "kiem-tra-cuoi", "nonce-bbbb-1", "{\"1\": \"otp\", \"2\": \"khong\", \"3\": true}", &res), QUIZ_OK);
    assert_int_equal(json_integer_value(json_object_get(res, "score")), 100);
    assert_true(json_is_null(json_object_get(res, "certificate")));
    json_decref(res);
    json_t *c = store_course_get(d, "mat-khau-an-toan");
    store_progress_merge(d, 9, c);
    assert_int_equal(json_integer_value(json_object_get(c, "percent")), 50);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(c, "quizzes"), 0), "best")), 100);
    json_decref(c);
    assert_int_equal(store_lesson_view(d, 9, course, count(d, "SELECT id FROM lesson WHERE seq = 1")), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate"), 0);
    /* The last lesson completes the course and issues the certificate in the same step */
    assert_int_equal(store_lesson_view(d, 9, course, count(d, "SELECT id FROM lesson WHERE seq = 2")), 1);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate WHERE learner_name = 'Nguyễn Thị Học' AND course_title = 'Mật khẩu an toàn cho mọi người'"), 1);
    json_t *cert = store_certificate_of(d, 9, course);
    char code[32];
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(cert, "code")));
    assert_int_equal(strlen(code), 26);
    assert_int_equal(strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 26);
    json_decref(cert);
    /* Passing again later changes nothing and shows the certificate */
    assert_int_equal(submit(d, 9, "kiem-tra-cuoi", "nonce-bbbb-2", "{\"1\": \"Mã OTP\", \"2\": \"Không được\", \"3\": true}", &res), QUIZ_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(res, "certificate"), "code")), code);
    json_decref(res);
    assert_int_equal(count(d, "SELECT COUNT(*) FROM certificate"), 1);
    json_t *mine = store_my_learning(d, 9);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(mine, 0), "percent")), 100);
    json_decref(mine);
    /* A closed course takes no more submissions */
    db_exec(d, "UPDATE course SET status = 'closed'");
    assert_int_equal(submit(d, 9, "kiem-tra-cuoi", "nonce-bbbb-3", "{}", &res), QUIZ_CLOSED);
}

/* The submission path must use keys, never scan a table that grows with learners. */
static void submission_queries_use_indexes(void **state)
{
    db *d = *state;
    const char *sql[] = {
        "SELECT completed_at IS NOT NULL FROM enrolment WHERE user_id = 1 AND course_id = 1",
        "SELECT answers, score, passed FROM quiz_attempt WHERE user_id = 1 AND quiz_id = 1 AND nonce = 'x'",
        "SELECT seq, kind, prompt, options, answer, explain FROM question WHERE quiz_id = 1 ORDER BY seq",
        "SELECT z.id, c.id, c.status, c.pass_mark FROM course c JOIN quiz z ON z.course_id = c.id WHERE c.slug = 'a' AND z.slug = 'b'",
        "SELECT (SELECT COUNT(*) FROM lesson l WHERE l.course_id = 1 AND NOT EXISTS (SELECT 1 FROM lesson_view v WHERE v.user_id = 2 "
        "AND v.lesson_id = l.id)) + (SELECT COUNT(*) FROM quiz z WHERE z.course_id = 1 AND NOT EXISTS (SELECT 1 FROM quiz_attempt a "
        "WHERE a.user_id = 2 AND a.quiz_id = z.id AND a.passed = 1))",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        char q[1200];
        snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql[i]);
        db_stmt *s = db_prepare(d, q);
        assert_non_null(s);
        while (db_step(s) == DB_ROW) {
            const char *detail = db_col_text(s, 3);
            if (strstr(detail, "SCAN") && !strstr(detail, "CONSTANT ROW")) fail_msg("full scan: %s\n  in %s", detail, sql[i]);
        }
        db_done(s);
    }
}

static void certificate_codes(void **state)
{
    (void)state;
    char a[27], b[27];
    certificate_code_new(a);
    certificate_code_new(b);
    assert_int_equal(strlen(a), 26);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 26);
    assert_string_not_equal(a, b);
}

static void phone_numbers(void **state)
{
    (void)state;
    const char *ok[][2] = { { "0912345678", "+84912345678" }, { "0912 345 678", "+84912345678" }, { "+84912345678", "+84912345678" },
                            { "84912345678", "+84912345678" }, { "+84 0912 345 678", "+84912345678" }, { "(+84) 912-345-678", "+84912345678" },
                            { "0388.123.456", "+84388123456" }, { "0706123456", "+84706123456" } };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[13];
        if (!phone_vn_normalise(ok[i][0], out)) fail_msg("'%s' refused", ok[i][0]);
        assert_string_equal(out, ok[i][1]);
    }
    const char *bad[] = { "091234567", "09123456789", "0212345678", "+1 912345678", "0912345678a", "912345678", "+8491234567",
                          "09+12345678", "", "02838123456", "0612345678" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[13];
        if (phone_vn_normalise(bad[i], out)) fail_msg("'%s' accepted as %s", bad[i], out);
    }
    assert_true(phone_vn_looks_like("0912 345 678"));
    assert_false(phone_vn_looks_like("an@x.vn"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(imports_a_valid_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_folders_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(nfd_is_stored_nfc, setup, teardown),
        cmocka_unit_test_setup_teardown(replace_keeps_progress, setup, teardown),
        cmocka_unit_test_setup_teardown(export_round_trip, setup, teardown),
        cmocka_unit_test(scoring_of_each_kind),
        cmocka_unit_test_setup_teardown(submissions_and_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(submission_queries_use_indexes, setup, teardown),
        cmocka_unit_test(certificate_codes),
        cmocka_unit_test(phone_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
