/* The MOOC for learners: the catalogue, a course with the learner's progress, lessons (readable by anyone, offline once
 * opened), quizzes and their submission, enrolment, "my learning". Must not write course content: that is import's. */
#include "http/app.h"
#include "store/course.h"
#include "store/learning.h"
#include "web/quiz_form.h"
#include "core/files.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static const char *param(struct req *r, const char *vi, const char *en)
{
    const char *v = req_str(r, vi);
    if (!v || !*v) v = req_str(r, en);
    return v && *v ? v : NULL;
}

/* Course, lesson and quiz slugs are [a-z0-9-]: anything else is no page of ours, and never reaches a Location header. */
static bool slugs_ok(struct req *r)
{
    const char *keys[] = { "slug", "lesson", "quiz" };
    for (int i = 0; i < 3; i++) {
        const char *s = req_str(r, keys[i]);
        if (!s) continue;
        if (!*s || strlen(s) > 80) return false;
        for (; *s; s++) if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    }
    return true;
}

/* Drafts exist only for the portal's (national) editors (A2's editor previews them). */
static bool visible(struct req *r, json_t *course)
{
    return course && slugs_ok(r) && (strcmp(str(course, "status"), "draft") || authz_national_editor(r));
}

/* The anonymous visitor is sent to sign in (HTML) or told to (API). */
static int need_login(struct req *r, const char *back)
{
    if (r->want_json) return req_fail(r, 401, "Bạn cần đăng nhập hoặc đăng ký để học.");
    char loc[400];
    snprintf(loc, sizeof loc, "/dang-nhap?next=%s", back);
    return req_redirect(r, loc);
}

static int service_worker(struct req *r)
{
    const struct embedded_file *f = files_get("static/sw.js");
    if (!f) return req_fail(r, 404, "Không tìm thấy trang bạn yêu cầu.");
    char *body = malloc(f->size + 1);
    memcpy(body, f->data, f->size);
    body[f->size] = 0;
    req_header(r, "Service-Worker-Allowed", "/khoa-hoc/");
    req_header(r, "Cache-Control", "no-cache");
    return req_send(r, 200, "text/javascript; charset=utf-8", body, f->size);
}

static int catalogue(struct req *r)
{
    const char *aud = param(r, "doi-tuong", "audience"), *area_s = param(r, "linh-vuc", "area"), *q = param(r, "q", "text");
    if (aud && !course_audience_label(aud)) return req_fail(r, 400, "Đối tượng không hợp lệ (citizen, official, enterprise, youth, team).");
    int area = 0;
    if (area_s) {
        area = area_s[0] >= '1' && area_s[0] <= '5' && !area_s[1] ? area_s[0] - '0' : -1;
        if (area < 0) return req_fail(r, 400, "Lĩnh vực phải từ 1 đến 5.");
    }
    if (q && strlen(q) > 200) return req_fail(r, 400, "Từ khóa dài quá 200 ký tự.");
    struct course_query cq = { .audience = aud, .area = area, .text = q };
    json_t *items = store_courses_list(r->db, &cq), *groups = json_array(), *auds = json_array(), *areas = json_array();
    for (int i = 0; course_audiences[i]; i++) {
        json_t *g = json_array(), *c;
        size_t k;
        json_array_foreach(items, k, c) if (!strcmp(str(c, "audience"), course_audiences[i])) json_array_append(g, c);
        const char *label = course_audience_label(course_audiences[i]);
        if (json_array_size(g)) json_array_append_new(groups, json_pack("{s:s, s:o}", "label", label, "items", g));
        else json_decref(g);
        json_array_append_new(auds, json_pack("{s:s, s:s, s:b}", "code", course_audiences[i], "label", label,
                                              "selected", aud && !strcmp(aud, course_audiences[i])));
    }
    for (int a = 1; a <= 5; a++)
        json_array_append_new(areas, json_pack("{s:i, s:s, s:b}", "n", a, "label", course_area_label(a), "selected", a == area));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:s?, s:s}", "title", "Khóa học kỹ năng số", "_nav", "courses",
                            "items", items, "_groups", groups, "_audiences", auds, "_areas", areas, "q", q,
                            "og_description", "Khóa học kỹ năng số miễn phí cho người dân, cán bộ, doanh nghiệp và thanh niên: "
                            "học trên điện thoại, đọc được cả khi không có mạng, nhận chứng chỉ khi hoàn thành.");
    if (authz_national_editor(r)) json_object_set_new(ctx, "_editor", json_true());
    return render(r, ctx, "courses/index");
}

static int course(struct req *r)
{
    json_t *c = store_course_get(r->db, req_str(r, "slug"));
    if (!visible(r, c)) { json_decref(c); return req_fail(r, 404, "Không tìm thấy khóa học này."); }
    if (r->user) store_progress_merge(r->db, r->user->id, c);
    json_t *ctx = json_pack("{s:O, s:s, s:O, s:o, s:b}", "title", json_object_get(c, "title"), "_nav", "courses",
                            "og_description", json_object_get(c, "summary"), "course", c, "_signed_in", r->user != NULL);
    if (r->user) json_object_set_new(ctx, "_csrf", json_string(r->user->csrf));
    return render(r, ctx, "courses/show");
}

static int lesson(struct req *r)
{
    json_t *l = store_lesson_get(r->db, req_str(r, "slug"), req_str(r, "lesson"));
    json_t *c = l ? json_object_get(l, "course") : NULL;
    if (!visible(r, c)) { json_decref(l); return req_fail(r, 404, "Không tìm thấy bài học này."); }
    json_t *ctx = json_pack("{s:O, s:s, s:O, s:b}", "title", json_object_get(l, "title"), "_nav", "courses",
                            "og_description", json_object_get(c, "title"), "_signed_in", r->user != NULL);
    if (r->user) {
        int rc = store_lesson_view(r->db, r->user->id, num(c, "id"), num(l, "id"));
        json_object_set_new(ctx, "enrolled", json_boolean(rc == 1));
        if (rc == 1) json_object_set_new(ctx, "certificate", store_certificate_of(r->db, r->user->id, num(c, "id")));
    }
    /* The last lesson leads on to the course's final quiz (one tied to no lesson), not back to the course page. */
    if (json_is_null(json_object_get(l, "next"))) {
        json_t *whole = store_course_get(r->db, str(c, "slug"));
        json_t *fin = json_array_get(json_object_get(whole, "final_quizzes"), 0);
        json_object_set_new(l, "final_quiz", fin ? json_pack("{s:O, s:O}", "slug", json_object_get(fin, "slug"), "title",
                                                            json_object_get(fin, "title"))
                                                 : json_null());
        json_decref(whole);
    }
    json_object_set_new(ctx, "lesson", l);
    return render(r, ctx, "courses/lesson");
}

static void new_nonce(char out[32])
{
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, 32, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int quiz(struct req *r)
{
    json_t *z = store_quiz_get(r->db, req_str(r, "slug"), req_str(r, "quiz"));
    json_t *c = z ? json_object_get(z, "course") : NULL;
    if (!visible(r, c)) { json_decref(z); return req_fail(r, 404, "Không tìm thấy bài kiểm tra này."); }
    char nonce[32];
    new_nonce(nonce);
    json_t *ctx = json_pack("{s:O, s:s, s:s, s:b}", "title", json_object_get(z, "title"), "_nav", "courses", "nonce", nonce,
                            "_signed_in", r->user != NULL);
    if (r->user) {
        json_object_set_new(ctx, "enrolled", json_boolean(store_is_enrolled(r->db, r->user->id, num(c, "id"))));
        json_object_set_new(ctx, "_csrf", json_string(r->user->csrf));
    }
    json_object_set_new(ctx, "quiz", z);
    return render(r, ctx, "courses/quiz");
}

json_t *quiz_form_answers(struct req *r, json_t *questions)
{
    json_t *answers = json_object(), *q;
    size_t i;
    json_array_foreach(questions, i, q) {
        char key[32], seq[24];
        snprintf(key, sizeof key, "q%lld", (long long)num(q, "seq"));
        snprintf(seq, sizeof seq, "%lld", (long long)num(q, "seq"));
        const char *kind = str(q, "kind"), *v = req_str(r, key);
        if (!strcmp(kind, "multiple")) {
            json_t *picked = json_array();
            for (size_t k = 0; k < json_array_size(json_object_get(q, "options")); k++) {
                snprintf(key, sizeof key, "q%lld_%zu", (long long)num(q, "seq"), k);
                if (req_str(r, key)) json_array_append_new(picked, json_integer((json_int_t)k));
            }
            json_object_set_new(answers, seq, picked);
        } else if (v && *v) {
            char *end;
            long n = strtol(v, &end, 10);
            json_t *a = !strcmp(kind, "single") && !*end ? json_integer(n)
                      : !strcmp(kind, "truefalse") && (!strcmp(v, "true") || !strcmp(v, "false")) ? json_boolean(!strcmp(v, "true"))
                      : json_string(v);
            json_object_set_new(answers, seq, a);
        }
    }
    return answers;
}

static int submit(struct req *r)
{
    const char *slug = req_str(r, "slug"), *qslug = req_str(r, "quiz");
    char back[300];
    snprintf(back, sizeof back, "/khoa-hoc/%s/kiem-tra/%s", slug, qslug);
    if (!slugs_ok(r)) return req_fail(r, 404, "Không tìm thấy bài kiểm tra này.");
    if (!r->user) return need_login(r, back);
    /* The API path skips reading the quiz twice: the store checks the answers against it anyway. */
    json_t *z = NULL, *answers = json_object_get(r->body_json, "answers");
    if (answers) json_incref(answers);
    else {
        z = store_quiz_get(r->db, slug, qslug);
        if (!z) return req_fail(r, 404, "Không tìm thấy bài kiểm tra này.");
        answers = quiz_form_answers(r, json_object_get(z, "questions"));
    }
    const char *nonce = req_str(r, "nonce");
    struct quiz_submission in = { r->user->id, slug, qslug, nonce, answers };
    json_t *res = NULL;
    char err[300];
    enum quiz_outcome out = store_quiz_submit(r->db, &in, &res, err, sizeof err);
    json_decref(answers);
    if (out != QUIZ_OK && out != QUIZ_DUPLICATE) {
        json_decref(z);
        switch (out) {
        case QUIZ_NOT_FOUND: return req_fail(r, 404, "Không tìm thấy bài kiểm tra này.");
        case QUIZ_CLOSED: return req_fail(r, 409, "Khóa học đã đóng: không nhận bài làm nữa.");
        case QUIZ_NOT_ENROLLED: return req_fail(r, 403, "Bạn cần đăng ký học khóa này trước khi làm bài kiểm tra.");
        case QUIZ_BAD_INPUT: return req_fail(r, 422, err);
        default: return req_fail(r, 500, "Không ghi được bài làm, vui lòng nộp lại.");
        }
    }
    json_object_set_new(res, "title", json_string(z ? str(z, "title") : "Kết quả bài kiểm tra"));
    json_object_set_new(res, "_nav", json_string("courses"));
    json_object_set_new(res, "course_slug", json_string(slug));
    json_object_set_new(res, "quiz_slug", json_string(qslug));
    if (z) json_object_set_new(res, "_quiz", z);
    return render(r, res, "courses/result");
}

static int enrol(struct req *r)
{
    const char *slug = req_str(r, "slug");
    char back[200];
    snprintf(back, sizeof back, "/khoa-hoc/%s", slug);
    if (!slugs_ok(r)) return req_fail(r, 404, "Không tìm thấy khóa học này.");
    if (!r->user) return need_login(r, back);
    json_t *c = store_course_get(r->db, slug);
    if (!visible(r, c)) { json_decref(c); return req_fail(r, 404, "Không tìm thấy khóa học này."); }
    bool closed = !strcmp(str(c, "status"), "closed");
    int64_t id = num(c, "id");
    json_decref(c);
    if (closed && !store_is_enrolled(r->db, r->user->id, id)) return req_fail(r, 409, "Khóa học đã đóng: không nhận học viên mới.");
    if (store_enrol(r->db, r->user->id, id)) return req_fail(r, 500, "Không đăng ký học được, vui lòng thử lại.");
    if (!r->want_json) return req_redirect(r, back);
    return render(r, json_pack("{s:b, s:s}", "enrolled", 1, "course", slug), "courses/show");
}

static int mine(struct req *r)
{
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Học tập của tôi", "_nav", "learning", "items",
                            store_my_learning(r->db, r->user->id));
    return render(r, ctx, "courses/mine");
}

const struct route page_courses_routes[] = {
    { "GET", "/khoa-hoc/sw.js", NULL, service_worker, PUBLIC, false, 0 },
    { "GET", "/tai-khoan/hoc-tap", "/api/me/courses", mine, ACCOUNT, false, 0 },
    { "GET", "/khoa-hoc", "/api/courses", catalogue, PUBLIC, true, 0 },
    { "GET", "/khoa-hoc/{slug}", "/api/courses/{slug}", course, PUBLIC, true, 0 },
    { "POST", "/khoa-hoc/{slug}/dang-ky-hoc", "/api/courses/{slug}/enrol", enrol, PUBLIC, false, 0 },
    { "GET", "/khoa-hoc/{slug}/kiem-tra/{quiz}", "/api/courses/{slug}/quizzes/{quiz}", quiz, PUBLIC, false, 0 },
    { "POST", "/khoa-hoc/{slug}/kiem-tra/{quiz}", "/api/courses/{slug}/quizzes/{quiz}/attempts", submit, PUBLIC, false, 0 },
    { "GET", "/khoa-hoc/{slug}/{lesson}", "/api/courses/{slug}/lessons/{lesson}", lesson, PUBLIC, true, 0 },
    { 0 },
};
