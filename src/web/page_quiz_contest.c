/* Knowledge contests' rounds for participants: the rounds of a contest, one round (take it on a phone, its ranking
 * overall and by province, its winners), starting an attempt and submitting it. Must not show a round's questions
 * before it opens, nor to anyone but a participant whose attempt the server has started; never an answer key. */
#include "http/app.h"
#include "store/quiz_contest.h"
#include "store/skills.h"
#include "core/date.h"
#include "web/quiz_form.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RANKING_ROWS 20

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool slug_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 80) return false;
    for (; *s; s++) if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

/* The contest of the path, when this caller may see it (drafts and cancelled ones: its organisers only). */
static json_t *contest_of(struct req *r)
{
    const char *slug = req_str(r, "slug");
    if (!slug_ok(slug)) return NULL;
    json_t *c = store_qc_contest(r->db, slug);
    if (c && (!strcmp(str(c, "status"), "draft") || !strcmp(str(c, "status"), "cancelled")) && !authz_editor(r, num(c, "org_id"))) {
        json_decref(c);
        return NULL;
    }
    return c;
}

/* The round of the path's {n} (1–999), with the contest in "contest". */
static json_t *round_of(struct req *r, json_t *c, const char *now)
{
    const char *ns = req_str(r, "n");
    char *end = NULL;
    long n = ns ? strtol(ns, &end, 10) : 0;
    if (!ns || !*ns || *end || n < 1 || n > 999 || ns[0] == '0') return NULL;
    json_t *round = store_qc_round(r->db, num(c, "id"), n, now);
    if (round) json_object_set(round, "contest", c);
    return round;
}

static void now_iso(char out[21]) { date_utc_iso(time(NULL), out); }

static int rounds(struct req *r)
{
    json_t *c = contest_of(r);
    if (!c) return req_missing(r, "Không tìm thấy cuộc thi này.");
    char now[21];
    now_iso(now);
    json_t *list = store_qc_rounds(r->db, num(c, "id"), now);
    json_t *ctx = json_pack("{s:O, s:s, s:O, s:o, s:s}", "title", json_object_get(c, "title"), "_nav", "contests",
                            "contest", c, "rounds", list, "og_description",
                            "Cuộc thi tìm hiểu về chuyển đổi số: các vòng thi hằng tuần, làm bài trên điện thoại, xếp hạng theo tỉnh.");
    /* Its organisers are led to the rounds' editor (page_quiz_contest_admin.c). */
    if (r->user && (authz(r, "officer", num(c, "org_id")) || authz(r, "coordinator", num(c, "org_id")) || authz_national_editor(r)))
        json_object_set_new(ctx, "_organiser", json_true());
    json_decref(c);
    return render(r, ctx, "quiz_contest/rounds");
}

/* "12:34,5" for a time in milliseconds, as the ranking prints it. */
static json_t *time_text(int64_t ms)
{
    return json_sprintf("%lld:%02lld,%lld", (long long)(ms / 60000), (long long)(ms / 1000 % 60), (long long)(ms / 100 % 10));
}

static json_t *choices_ages(void)
{
    json_t *out = json_array();
    for (int i = 0; qc_age_bands[i].code; i++)
        json_array_append_new(out, json_pack("{s:s, s:s}", "code", qc_age_bands[i].code, "label", qc_age_bands[i].label));
    return out;
}

static int round_page(struct req *r)
{
    json_t *c = contest_of(r);
    if (!c) return req_missing(r, "Không tìm thấy cuộc thi này.");
    char now[21];
    now_iso(now);
    json_t *round = round_of(r, c, now);
    json_decref(c);
    if (!round) return req_missing(r, "Không tìm thấy vòng thi này.");
    int64_t round_id = num(round, "id");
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:b, s:I}", "title", json_object_get(round, "title"), "_nav", "contests",
                            "round", round, "_signed_in", r->user != NULL, "grace_s", (json_int_t)QC_GRACE_S);
    /* A ranking in one province: ?tinh=<code> (or ?province=). */
    const char *pcode = req_str(r, "tinh");
    if (!pcode || !*pcode) pcode = req_str(r, "province");
    int64_t province_id = 0;
    json_t *provinces = store_skills_provinces(r->db), *p;
    size_t i;
    json_array_foreach(provinces, i, p) {
        bool sel = pcode && !strcmp(pcode, str(p, "code"));
        if (sel) {
            province_id = num(p, "id");
            json_object_set(ctx, "province", p);
        }
        json_object_set_new(p, "selected", json_boolean(sel));
    }
    if (pcode && *pcode && !province_id) {
        json_decref(provinces);
        json_decref(ctx);
        return req_fail(r, 400, "Tỉnh, thành phố không có trong danh sách (dùng mã tỉnh, ví dụ nghe-an).");
    }
    json_object_set_new(ctx, "_provinces", provinces);
    if (r->user) {
        json_object_set_new(ctx, "_csrf", json_string(r->user->csrf));
        json_t *me = store_qc_participant(r->db, r->user->id);
        json_object_set_new(ctx, "participant", me ? me : json_null());
        if (!me) json_object_set_new(ctx, "_ages", choices_ages());
        json_t *a = store_qc_attempt(r->db, round_id, r->user->id);
        if (a && json_is_true(json_object_get(a, "finished"))) {
            json_object_del(a, "qorder");
            int64_t score = num(a, "score"), t = num(a, "time_ms"), id = num(a, "id");
            json_object_set_new(a, "time_text", time_text(t));
            json_object_set_new(a, "rank", json_integer(store_qc_rank_of(r->db, round_id, 0, score, t, id)));
            if (me) json_object_set_new(a, "province_rank", json_integer(store_qc_rank_of(r->db, round_id, num(me, "province_id"), score, t, id)));
            json_object_set_new(ctx, "attempt", a);
        } else if (a) {
            /* Started and not submitted: the same questions in the same order again (a reload writes nothing). */
            json_decref(a);
            struct qc_start in = { .user_id = r->user->id, .ip = r->ip, .now_ms = now_ms() };
            struct store_result res = STORE_RESULT_OK;
            json_t *out = NULL;
            if (store_qc_start(r->db, round, &in, &out, &res)) {
                json_decref(ctx);
                return req_result(r, &res);
            }
            json_object_set_new(ctx, "taking", out);
        }
    }
    json_object_set_new(ctx, "ranking", store_qc_ranking(r->db, round_id, province_id, RANKING_ROWS, 0));
    if (json_is_true(json_object_get(round, "results_final"))) json_object_set_new(ctx, "winners", store_qc_winners(r->db, round));
    return render(r, ctx, "quiz_contest/round");
}

static void round_url(char *out, size_t len, struct req *r)
{
    snprintf(out, len, "/cuoc-thi/%s/vong/%s", req_str(r, "slug"), req_str(r, "n"));
}

static int start(struct req *r)
{
    json_t *c = contest_of(r);
    if (!c) return req_missing(r, "Không tìm thấy cuộc thi này.");
    char now[21];
    now_iso(now);
    json_t *round = round_of(r, c, now);
    json_decref(c);
    if (!round) return req_missing(r, "Không tìm thấy vòng thi này.");
    struct qc_start in = { .user_id = r->user->id, .ip = r->ip, .now_ms = now_ms(), .name = req_str(r, "name"),
                           .province = req_str(r, "province"), .age_band = req_str(r, "age_band") };
    struct store_result res = STORE_RESULT_OK;
    json_t *out = NULL;
    enum store_status st = store_qc_start(r->db, round, &in, &out, &res);
    json_decref(round);
    if (st) return req_result(r, &res);
    if (!r->want_json) {
        json_decref(out);
        char loc[200];
        round_url(loc, sizeof loc, r);
        return req_redirect(r, loc);
    }
    return render(r, out, "quiz_contest/round");
}

static int submit(struct req *r)
{
    json_t *c = contest_of(r);
    if (!c) return req_missing(r, "Không tìm thấy cuộc thi này.");
    char now[21];
    now_iso(now);
    json_t *round = round_of(r, c, now);
    json_decref(c);
    if (!round) return req_missing(r, "Không tìm thấy vòng thi này.");
    int64_t at = now_ms();   /* the moment the answers arrived: read before anything else is done with them */
    json_t *answers = json_object_get(r->body_json, "answers");
    if (answers) json_incref(answers);
    else if (r->body_json) answers = json_null();   /* an API body without "answers": the store says what is missing */
    else {
        /* The HTML form: its fields read against the questions this attempt was served (nothing is written). */
        json_t *served = NULL;
        struct qc_start in = { .user_id = r->user->id, .ip = r->ip, .now_ms = at };
        struct store_result res = STORE_RESULT_OK;
        json_t *a = store_qc_attempt(r->db, num(round, "id"), r->user->id);
        if (a && !json_is_true(json_object_get(a, "finished")) && !store_qc_start(r->db, round, &in, &served, &res))
            answers = quiz_form_answers(r, json_object_get(served, "questions"));
        else answers = json_object();
        store_result_free(&res);
        json_decref(served);
        json_decref(a);
    }
    struct qc_submit in = { .user_id = r->user->id, .ip = r->ip, .now_ms = at, .answers = answers };
    struct store_result res = STORE_RESULT_OK;
    json_t *out = NULL;
    enum store_status st = store_qc_submit(r->db, round, &in, &out, &res);
    json_decref(answers);
    json_decref(round);
    if (st) return req_result(r, &res);
    json_object_set_new(out, "time_text", time_text(num(out, "time_ms")));
    json_object_set_new(out, "message", json_string(json_is_true(json_object_get(out, "late"))
        ? "Bài nộp đến sau khi hết giờ quá thời gian chờ: lượt làm bài được ghi 0 điểm."
        : "Đã ghi nhận bài làm của bạn."));
    if (!r->want_json) {
        json_decref(out);
        char loc[200];
        round_url(loc, sizeof loc, r);
        return req_redirect(r, loc);
    }
    return render(r, out, "quiz_contest/round");
}

const struct route page_quiz_contest_routes[] = {
    { "GET", "/cuoc-thi/{slug}/vong", "/api/contests/{slug}/rounds", rounds, PUBLIC, false, 0 },
    { "GET", "/cuoc-thi/{slug}/vong/{n}", "/api/contests/{slug}/rounds/{n}", round_page, PUBLIC, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/bat-dau", "/api/contests/{slug}/rounds/{n}/start", start, ACCOUNT, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/nop-bai", "/api/contests/{slug}/rounds/{n}/answers", submit, ACCOUNT, false, 0 },
    { 0 },
};
