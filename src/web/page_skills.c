/* The digital-skills self-assessment for citizens: the questionnaire (one long form, no JavaScript needed), the
 * private result with courses for the weak areas, and the methodology page. Must not store who answered: no
 * account, no IP, no cookie beyond CSRF; the result is shown once, in the response to the POST, never at a URL. */
#include "web/skills.h"
#include "store/skills.h"
#include "core/date.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBMITS_PER_MINUTE 120

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static json_t *choices(const struct skills_choice *set, const char *selected)
{
    json_t *out = json_array();
    for (; set->code; set++)
        json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", set->code, "label", set->label, "selected",
                                             selected && !strcmp(selected, set->code)));
    return out;
}

static bool nonce_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 16 || n > 64) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')) return false;
    return true;
}

static void new_nonce(char out[33])
{
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, 33, raw, sizeof raw);
}

/* The questionnaire context; answers ({id: "yes"|"no"}) and errors ({field: message}) refill it after a 422. */
static json_t *form_ctx(struct req *r, json_t *q, json_t *answers, json_t *errors, const char *nonce)
{
    char fresh[33];
    if (!nonce_ok(nonce)) { new_nonce(fresh); nonce = fresh; }
    int counts[DIGCOMP_AREAS], total = skills_question_counts(q, counts);
    json_t *areas = json_array();
    size_t i, j, k;
    json_t *a, *c, *qu;
    json_array_foreach(json_object_get(q, "areas"), i, a) {
        json_t *comps = json_array();
        json_array_foreach(json_object_get(a, "competences"), j, c) {
            json_t *qs = json_array();
            json_array_foreach(json_object_get(c, "questions"), k, qu) {
                const char *id = str(qu, "id"), *v = str(answers, id);
                char field[80];
                snprintf(field, sizeof field, "q_%s", id);
                json_t *item = json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", id, "field", field, "text", str(qu, "text"),
                                         "yes", v && !strcmp(v, "yes"), "no", v && !strcmp(v, "no"));
                if (str(errors, field)) json_object_set_new(item, "error", json_string(str(errors, field)));
                json_array_append_new(qs, item);
            }
            json_array_append_new(comps, json_pack("{s:O, s:O, s:o}", "id", json_object_get(c, "id"), "name", json_object_get(c, "name"), "questions", qs));
        }
        json_array_append_new(areas, json_pack("{s:I, s:O, s:O, s:i, s:o}", "n", (json_int_t)(i + 1), "name", json_object_get(a, "name"),
                                               "about", json_object_get(a, "about"), "count", counts[i], "competences", comps));
    }
    const char *prov = req_str(r, "province");
    json_t *provs = store_skills_provinces(r->db);
    json_array_foreach(provs, i, a) {
        json_object_del(a, "id");
        json_object_set_new(a, "selected", json_boolean(prov && !strcmp(prov, str(a, "code"))));
    }
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:i, s:o, s:o, s:o, s:o, s:o}", "title", "Tự đánh giá kỹ năng số", "_nav", "skills",
                            "csrf", csrf_token(r), "nonce", nonce, "framework", json_object_get(q, "framework"), "lead", json_object_get(q, "lead"),
                            "count", total, "areas", areas, "provinces", provs, "ages", choices(skills_ages, req_str(r, "age")),
                            "sexes", choices(skills_sexes, req_str(r, "sex")), "settings", choices(skills_settings, req_str(r, "setting")));
    json_object_set_new(ctx, "roles", choices(skills_roles, req_str(r, "role")));
    if (errors && json_object_size(errors)) {
        /* Question errors show beside their question; the rest (the respondent fields, a tampered form) on top. */
        json_t *others = json_array();
        const char *key;
        json_t *v;
        json_object_foreach(errors, key, v)
            if (strncmp(key, "q_", 2) || !skills_question_area(q, key + 2)) json_array_append_new(others, json_pack("{s:s, s:O}", "field", key, "message", v));
        json_object_set_new(ctx, "_err", json_incref(errors));
        json_object_set_new(ctx, "_err_list", others);
        json_object_set_new(ctx, "_err_count", json_integer((json_int_t)json_object_size(errors)));
    }
    return ctx;
}

static int questionnaire(struct req *r)
{
    json_t *q = skills_questionnaire();
    if (!q) return req_fail(r, 500, "Bảng hỏi đang bị lỗi; vui lòng quay lại sau.");
    json_t *ctx = form_ctx(r, q, NULL, NULL, NULL);
    json_decref(q);
    return render(r, ctx, "skills/index");
}

/* A sent value as "yes"/"no"/other text; JSON booleans count as yes/no. */
static const char *answer_value(json_t *v)
{
    if (json_is_true(v)) return "yes";
    if (json_is_false(v)) return "no";
    return json_is_string(v) ? json_string_value(v) : "";
}

/* Reads every answer (form fields q_<id>, or a JSON object "answers": {id: "yes"|"no"|true|false}) into answers and
 * flags what is wrong in errors. Unanswered questions are errors, not "no": a missing answer would otherwise lower
 * the respondent's level without their knowing. */
static void read_answers(struct req *r, json_t *q, json_t *answers, json_t *errors)
{
    const char *k;
    json_t *v;
    char field[160];
    json_object_foreach(r->params, k, v)
        if (!strncmp(k, "q_", 2)) json_object_set_new(answers, k + 2, json_string(answer_value(v)));
    json_object_foreach(json_object_get(r->body_json, "answers"), k, v) json_object_set_new(answers, k, json_string(answer_value(v)));
    json_object_foreach(answers, k, v) {
        snprintf(field, sizeof field, "q_%.120s", k);
        const char *s = json_string_value(v);
        if (!skills_question_area(q, k)) json_object_set_new(errors, field, json_string("Không có câu hỏi này trong bảng hỏi."));
        else if (strcmp(s, "yes") && strcmp(s, "no")) json_object_set_new(errors, field, json_string("Chỉ chọn “Đã làm” hoặc “Chưa làm”."));
    }
    size_t i, j, n;
    json_t *a, *c, *qu;
    json_array_foreach(json_object_get(q, "areas"), i, a)
        json_array_foreach(json_object_get(a, "competences"), j, c)
            json_array_foreach(json_object_get(c, "questions"), n, qu)
                if (!json_object_get(answers, str(qu, "id"))) {
                    snprintf(field, sizeof field, "q_%s", str(qu, "id"));
                    json_object_set_new(errors, field, json_string("Bạn chưa trả lời câu này."));
                }
}

static const char *optional(struct req *r, const char *name)
{
    const char *v = req_str(r, name);
    return v && *v ? v : NULL;
}

static json_t *area_result(json_t *qa, int n, enum digcomp_level level, int done, int asked)
{
    json_t *o = json_pack("{s:i, s:O, s:s, s:s, s:b}", "n", n, "name", json_object_get(qa, "name"), "level", digcomp_level_code(level),
                          "label", digcomp_level_label(level), "weak", level != DIGCOMP_ABOVE_BASIC);
    if (done >= 0) {
        json_object_set_new(o, "done", json_integer(done));
        json_object_set_new(o, "asked", json_integer(asked));
    }
    int from = digcomp_above_basic_from(n);
    json_t *why = level == DIGCOMP_NONE ? json_string("Trong 3 tháng qua bạn chưa làm việc nào được hỏi trong lĩnh vực này.")
                : level == DIGCOMP_BASIC ? json_sprintf("Bạn đã làm %d việc được hỏi trong lĩnh vực này. Làm từ %d việc trở lên là đạt mức trên cơ bản.",
                                                        done > 0 ? done : 1, from)
                : done >= 0 ? json_sprintf("Bạn đã làm %d trong %d việc được hỏi trong lĩnh vực này.", done, asked)
                            : json_sprintf("Bạn đã làm từ %d việc trở lên trong lĩnh vực này.", from);
    json_object_set_new(o, "explain", why);
    return o;
}

static json_t *overall_result(const struct digcomp_result *s)
{
    json_t *why;
    switch (s->overall) {
    case DIGCOMP_OVERALL_ABOVE_BASIC: why = json_string("Bạn đạt mức trên cơ bản ở cả 5 lĩnh vực."); break;
    case DIGCOMP_OVERALL_BASIC: why = json_string("Bạn đạt ít nhất mức cơ bản ở cả 5 lĩnh vực: bạn có kỹ năng số cơ bản."); break;
    case DIGCOMP_BELOW_BASIC:
        why = json_sprintf("Bạn đạt ít nhất mức cơ bản ở %d/5 lĩnh vực. Cần đạt cả 5 lĩnh vực mới được tính là có kỹ năng số cơ bản.",
                           s->areas_at_least_basic);
        break;
    default: why = json_string("Bạn chưa đạt mức cơ bản ở lĩnh vực nào. Các khóa học bên dưới miễn phí và bắt đầu từ những việc đơn giản nhất."); break;
    }
    return json_pack("{s:s, s:s, s:i, s:b, s:o}", "level", digcomp_overall_code(s->overall), "label", digcomp_overall_label(s->overall),
                     "areas_at_least_basic", s->areas_at_least_basic, "at_least_basic", digcomp_at_least_basic(s->overall), "explain", why);
}

/* The result of one response: levels per area and overall, and open courses for every area not above basic. */
static json_t *result_ctx(struct req *r, json_t *q, const struct digcomp_result *s, const int *done, int year, bool duplicate,
                          const char *role)
{
    int asked[DIGCOMP_AREAS];
    skills_question_counts(q, asked);
    json_t *areas = json_array(), *recs = json_array();
    for (int i = 0; i < DIGCOMP_AREAS; i++) {
        json_t *qa = json_array_get(json_object_get(q, "areas"), (size_t)i);
        json_array_append_new(areas, area_result(qa, i + 1, s->area[i], done ? done[i] : -1, asked[i]));
        if (s->area[i] == DIGCOMP_ABOVE_BASIC) continue;
        json_t *courses = store_skills_courses(r->db, i + 1, role);
        size_t k;
        json_t *c;
        json_array_foreach(courses, k, c) json_object_set_new(c, "url", json_sprintf("/khoa-hoc/%s", str(c, "slug")));
        json_array_append_new(recs, json_pack("{s:i, s:O, s:s, s:o}", "n", i + 1, "name", json_object_get(qa, "name"), "label",
                                              digcomp_level_label(s->area[i]), "courses", courses));
    }
    return json_pack("{s:s, s:s, s:i, s:b, s:o, s:o, s:o, s:b}", "title", "Kết quả tự đánh giá kỹ năng số", "_nav", "skills", "year", year,
                     "duplicate", duplicate, "overall", overall_result(s), "areas", areas, "recommended", recs, "all_strong",
                     json_array_size(recs) == 0);
}

static int submit(struct req *r)
{
    int wait = ratelimit_take(r->db, "skills", r->ip, SUBMITS_PER_MINUTE);
    if (wait) {
        char w[16];
        snprintf(w, sizeof w, "%d", wait);
        req_header(r, "Retry-After", w);
        return req_fail(r, 429, "Có quá nhiều bài gửi từ địa chỉ này; vui lòng thử lại sau ít phút.");
    }
    json_t *q = skills_questionnaire();
    if (!q) return req_fail(r, 500, "Bảng hỏi đang bị lỗi; vui lòng quay lại sau.");
    json_t *answers = json_object(), *errors = json_object();
    read_answers(r, q, answers, errors);
    const char *nonce = req_str(r, "nonce"), *prov = optional(r, "province");
    const char *age = optional(r, "age"), *sex = optional(r, "sex"), *setting = optional(r, "setting");
    if (!nonce_ok(nonce)) json_object_set_new(errors, "nonce", json_string("Thiếu mã lần gửi của biểu mẫu; hãy tải lại trang rồi gửi lại."));
    int64_t province_id = 0;
    if (prov) {
        json_t *provs = store_skills_provinces(r->db);
        size_t i;
        json_t *p;
        json_array_foreach(provs, i, p) if (!strcmp(str(p, "code"), prov)) province_id = json_integer_value(json_object_get(p, "id"));
        json_decref(provs);
        if (!province_id) json_object_set_new(errors, "province", json_string("Không có tỉnh, thành phố này; hãy chọn trong danh sách 34 tỉnh, thành phố."));
    }
    if (age && !skills_choice_label(skills_ages, age)) json_object_set_new(errors, "age", json_string("Nhóm tuổi không hợp lệ."));
    if (sex && !skills_choice_label(skills_sexes, sex)) json_object_set_new(errors, "sex", json_string("Giới tính không hợp lệ."));
    if (setting && !skills_choice_label(skills_settings, setting)) json_object_set_new(errors, "setting", json_string("Nơi ở phải là thành thị hoặc nông thôn."));
    const char *role = optional(r, "role");
    if (role && !skills_choice_label(skills_roles, role)) json_object_set_new(errors, "role", json_string("Hãy chọn bạn là ai trong danh sách (hoặc để trống)."));
    if (json_object_size(errors)) {
        json_t *ctx = r->want_json ? NULL : form_ctx(r, q, answers, errors, nonce);
        json_decref(q);
        json_decref(answers);
        if (!ctx) return req_fail_ctx(r, 422, "Chưa gửi được; xem các câu cần sửa.", errors);
        json_decref(errors);
        r->status = 422;
        return render(r, ctx, "skills/index");
    }
    int done[DIGCOMP_AREAS] = { 0 };
    const char *k;
    json_t *v;
    json_t *stored = json_object();
    json_object_foreach(answers, k, v) {
        bool yes = !strcmp(json_string_value(v), "yes");
        done[skills_question_area(q, k) - 1] += yes;
        json_object_set_new(stored, k, json_integer(yes));
    }
    char *answers_json = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(stored);
    struct digcomp_result score = digcomp_score(done);
    struct skills_response resp = { nonce, date_today().y, province_id, age, sex, setting, score, answers_json, false };
    int rc = store_skills_add(r->db, &resp);
    free(answers_json);
    json_decref(answers);
    json_decref(errors);
    if (rc < 0) { json_decref(q); return req_fail(r, 500, "Không lưu được bài gửi; không có gì được ghi."); }
    json_t *ctx;
    if (rc == 0) {
        /* Sent twice (a double tap, a reload): counted once, and the first answers stand. */
        json_t *first = store_skills_get(r->db, nonce);
        struct digcomp_result s = score;
        for (int i = 0; i < DIGCOMP_AREAS; i++) s.area[i] = (enum digcomp_level)digcomp_level_from_code(json_string_value(json_array_get(json_object_get(first, "levels"), (size_t)i)));
        s.overall = (enum digcomp_overall)digcomp_overall_from_code(str(first, "overall"));
        s.areas_at_least_basic = 0;
        for (int i = 0; i < DIGCOMP_AREAS; i++) s.areas_at_least_basic += s.area[i] >= DIGCOMP_BASIC;
        ctx = result_ctx(r, q, &s, NULL, (int)json_integer_value(json_object_get(first, "year")), true, role);
        json_decref(first);
        r->status = 200;
    } else {
        ctx = result_ctx(r, q, &score, done, resp.year, false, role);
        r->status = 201;
    }
    json_decref(q);
    /* The result is private: never cached or kept by a shared browser's history of pages. */
    req_header(r, "Cache-Control", "no-store");
    return render(r, ctx, "skills/result");
}

static int method(struct req *r)
{
    json_t *q = skills_questionnaire();
    if (!q) return req_fail(r, 500, "Bảng hỏi đang bị lỗi; vui lòng quay lại sau.");
    int counts[DIGCOMP_AREAS], total = skills_question_counts(q, counts);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(q, "areas"), i, a) {
        json_object_set_new(a, "count", json_integer(counts[i]));
        json_object_set_new(a, "n", json_integer((json_int_t)i + 1));
    }
    json_t *ctx = json_pack("{s:s, s:s, s:O, s:O, s:i, s:i, s:i}", "title", "Phương pháp đánh giá kỹ năng số", "_nav", "skills",
                            "framework", json_object_get(q, "framework"), "areas", json_object_get(q, "areas"), "count", total,
                            "min_cell", DIGCOMP_MIN_CELL, "year", date_today().y);
    json_decref(q);
    return render(r, ctx, "skills/method");
}

const struct route page_skills_routes[] = {
    { "GET", "/danh-gia-ky-nang", "/api/skills/questionnaire", questionnaire, PUBLIC, false, 0 },
    { "POST", "/danh-gia-ky-nang", "/api/skills/responses", submit, PUBLIC, false, 16 * 1024 },
    { "GET", "/danh-gia-ky-nang/phuong-phap", "/api/skills/method", method, PUBLIC, true, 0 },
    { "GET", "/ky-nang-so", "/api/skills/measurement", skills_measure_page, PUBLIC, true, 0 },
    { "GET", "/ky-nang-so/bang.xlsx", "/api/skills/measurement.xlsx", skills_measure_xlsx, PUBLIC, CACHE_DOC, 0 },
    { "GET", "/ky-nang-so/bao-cao.pdf", "/api/skills/report.pdf", skills_measure_pdf, PUBLIC, CACHE_DOC, 0 },
    { 0 },
};
