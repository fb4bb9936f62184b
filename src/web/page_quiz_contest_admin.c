/* Knowledge contests by their organisers: a new quiz contest, its rounds (window, time limit, prizes) and their
 * questions in the MOOC's kinds (read by the MOOC editor's reader). Must not change a round that has opened, nor let
 * anyone but the organising unit's officers or coordinators (or the centre) see an answer key. */
#include "web/contest.h"
#include "web/mooc_editor.h"
#include "store/quiz_contest.h"
#include "store/org.h"
#include "core/buf.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static const char *in(struct req *r, const char *k) { return req_str(r, k) ? req_str(r, k) : str(r->body_json, k); }

static const char *const FORBIDDEN = "Chỉ ban tổ chức cuộc thi (cán bộ, điều phối của đơn vị tổ chức) làm được việc này.";

/* "2026-10-03T08:00" (Vietnam) or a UTC ISO instant as UTC ISO; false when neither. */
static bool instant(const char *s, char out[21])
{
    struct tm tm = {0};
    int n = 0;
    if (!s) return false;
    if (strlen(s) == 20 && s[19] == 'Z') { snprintf(out, 21, "%s", s); return true; }
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &n) != 5 || n != 16) return false;
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    time_t t = timegm(&tm) - 7 * 3600;
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    return true;
}

static json_t *local(const char *iso)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5) return json_string("");
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    time_t t = timegm(&tm) + 7 * 3600;
    char b[20];
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M", gmtime_r(&t, &tm));
    return json_string(b);
}

static int finish(struct req *r, struct store_result *res, json_t *ctx, const char *tmpl, const char *loc, json_t *ok)
{
    if (res->status == STORE_OK && db_commit(r->db)) store_fail_db(res, r->db);
    else if (res->status != STORE_OK) db_rollback(r->db);
    if (res->status == STORE_OK) {
        json_decref(ctx);
        if (!r->want_json) { json_decref(ok); return req_redirect(r, loc); }
        return render(r, ok, NULL);
    }
    json_decref(ok);
    if ((res->status == STORE_INVALID || res->status == STORE_CONFLICT) && ctx && !r->want_json) {
        json_object_set_new(ctx, "errors", res->fields ? json_incref(res->fields) : json_object());
        json_object_set_new(ctx, "error", json_string(res->message[0] ? res->message : "Chưa lưu được; xem các ô cần sửa."));
        r->status = res->status == STORE_CONFLICT ? 409 : 422;
        store_result_free(res);
        return render(r, ctx, tmpl);
    }
    json_decref(ctx);
    return req_result(r, res);
}

/* ---- a new quiz contest ------------------------------------------------------------------------------------------ */

static json_t *new_ctx(struct req *r, json_t *v)
{
    json_t *units = store_contest_organiser_units(r->db, r->user->id), *u;
    size_t i;
    json_array_foreach(units, i, u) json_object_set_new(u, "selected", json_boolean(str(v, "org") && !strcmp(str(v, "org"), str(u, "code"))));
    return json_pack("{s:s, s:o, s:o, s:s, s:s}", "title", "Tạo cuộc thi tìm hiểu", "v", v, "units", units, "_nav", "contests",
                     "_csrf", csrf_token(r));
}

static int new_form(struct req *r)
{
    char now[21];
    contest_now(now);
    json_t *v = json_pack("{s:i}", "year", atoi(now));
    if (r->is_api) return render(r, json_pack("{s:o, s:o}", "defaults", v, "units", store_contest_organiser_units(r->db, r->user->id)), NULL);
    return render(r, new_ctx(r, v), "quiz_contest/new");
}

static int create(struct req *r)
{
    json_t *v = json_object();
    const char *keys[] = { "slug", "title", "year", "org", "rules_md", "opens_on", "closes_on", NULL };
    for (int i = 0; keys[i]; i++) if (in(r, keys[i])) json_object_set_new(v, keys[i], json_string(in(r, keys[i])));
    const char *org = in(r, "org");
    int64_t org_id = org && *org ? store_org_id(r->db, org) : 0;
    json_t *probe = json_pack("{s:I}", "org_id", (json_int_t)org_id);
    bool may = org_id && contest_organiser(r, probe);
    json_decref(probe);
    if (!may) {
        json_decref(v);
        return org_id ? req_fail(r, 403, FORBIDDEN) : req_fail_ctx(r, 422, "Cần đơn vị tổ chức.", json_pack("{s:s}", "org", "Không có đơn vị này."));
    }
    char op[21] = "", cl[21] = "", now[21];
    contest_now(now);
    const char *o = in(r, "opens_at") ? in(r, "opens_at") : in(r, "opens_on"), *c = in(r, "closes_at") ? in(r, "closes_at") : in(r, "closes_on");
    if (o && strlen(o) == 10) { char t[17]; snprintf(t, sizeof t, "%sT00:00", o); instant(t, op); } else instant(o, op);
    if (c && strlen(c) == 10) { char t[17]; snprintf(t, sizeof t, "%sT23:59", c); instant(t, cl); } else instant(c, cl);
    json_t *y = json_object_get(r->body_json, "year");
    char *title = text_nfc(in(r, "title") ? in(r, "title") : "");
    json_t *def = json_pack("{s:s?, s:s, s:s?, s:s, s:s, s:I, s:I}", "slug", in(r, "slug"), "title", title ? title : "", "rules_md",
                            in(r, "rules_md"), "opens_at", op, "closes_at", cl, "org_id", (json_int_t)org_id, "year",
                            (json_int_t)(json_is_integer(y) ? json_integer_value(y) : in(r, "year") ? atoi(in(r, "year")) : atoi(now)));
    free(title);
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_qc_create(r->db, def, r->user->id, now, &id, &res);
        if (res.status == STORE_OK && audit(r, "quiz_contest.create", "contest", id, json_pack("{s:O}", "slug", json_object_get(def, "slug"))))
            store_fail_db(&res, r->db);
    }
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/vong/quan-ly", str(def, "slug") ? str(def, "slug") : "");
    json_t *ok = json_pack("{s:I, s:O}", "id", (json_int_t)id, "slug", json_object_get(def, "slug"));
    json_decref(def);
    if (res.status == STORE_OK) r->status = 201;
    return finish(r, &res, new_ctx(r, v), "quiz_contest/new", loc, ok);
}

/* ---- rounds and questions ---------------------------------------------------------------------------------------- */

/* The quiz contest of {slug} when the caller organises it; NULL after answering. */
static json_t *organised(struct req *r)
{
    const char *slug = req_str(r, "slug");
    json_t *c = slug && strlen(slug) <= 80 ? store_qc_contest(r->db, slug) : NULL;
    if (!c) { req_missing(r, "Không tìm thấy cuộc thi này."); return NULL; }
    if (contest_organiser(r, c)) return c;
    json_decref(c);
    req_fail(r, 403, FORBIDDEN);
    return NULL;
}

static json_t *manage_ctx(struct req *r, json_t *c, json_t *v)
{
    char now[21];
    contest_now(now);
    json_t *rounds = store_qc_rounds(r->db, num(c, "id"), now), *x;
    size_t i;
    json_array_foreach(rounds, i, x) {
        const char *st = str(x, "state");
        json_object_set_new(x, "editable", json_boolean(!strcmp(st, "upcoming")));
        json_object_set_new(x, "state_label", json_string(!strcmp(st, "upcoming") ? "Sắp mở" : !strcmp(st, "open") ? "Đang mở" : "Đã đóng"));
    }
    return json_pack("{s:O, s:O, s:o, s:o, s:s, s:s}", "title", json_object_get(c, "title"), "contest", c, "rounds", rounds ? rounds : json_array(),
                     "v", v ? v : json_pack("{s:i}", "limit_min", 10), "_nav", "contests", "_csrf", csrf_token(r));
}

static int manage(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    json_t *ctx = manage_ctx(r, c, NULL);
    json_decref(c);
    return render(r, ctx, "quiz_contest/admin");
}

/* A round's definition from the form (times in Vietnam, the limit in minutes, prizes "name | count" per line) or JSON. */
static json_t *round_def(struct req *r, json_t **v)
{
    *v = json_object();
    const char *keys[] = { "title", "opens_at", "closes_at", "limit_min", "prizes", NULL };
    for (int i = 0; keys[i]; i++) if (req_str(r, keys[i])) json_object_set_new(*v, keys[i], json_string(req_str(r, keys[i])));
    char op[21] = "", cl[21] = "";
    instant(in(r, "opens_at"), op), instant(in(r, "closes_at"), cl);
    json_t *def = json_pack("{s:s, s:s, s:s}", "title", in(r, "title") ? in(r, "title") : "", "opens_at", op, "closes_at", cl);
    json_t *lim = json_object_get(r->body_json, "time_limit_s");
    json_object_set_new(def, "time_limit_s", json_integer(json_is_integer(lim) ? json_integer_value(lim)
                                                          : req_str(r, "limit_min") ? (json_int_t)(atof(req_str(r, "limit_min")) * 60) : 0));
    json_t *pz = json_object_get(r->body_json, "prizes");
    if (pz) json_object_set(def, "prizes", pz);
    else {
        json_t *list = json_array();
        char *copy = strdup(req_str(r, "prizes") ? req_str(r, "prizes") : ""), *save = NULL;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            char *bar = strchr(l, '|');
            if (bar) *bar = 0;
            char *name = l;
            while (*name == ' ') name++;
            size_t n = strlen(name);
            while (n && strchr(" \r\t", name[n - 1])) name[--n] = 0;
            if (!*name) continue;
            json_array_append_new(list, json_pack("{s:s, s:I}", "name", name, "count", (json_int_t)(bar ? atoi(bar + 1) : 0)));
        }
        free(copy);
        json_object_set_new(def, "prizes", list);
    }
    return def;
}

static int64_t param(struct req *r, const char *k) { return contest_param_id(r, k); }

static int round_save(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    int64_t n = req_str(r, "n") ? param(r, "n") : 0, out = 0;
    if (req_str(r, "n") && !n) { json_decref(c); return req_missing(r, "Không có vòng thi này."); }
    json_t *v;
    json_t *def = round_def(r, &v);
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_qc_round_save(r->db, num(c, "id"), n, def, now, &out, &res);
        if (res.status == STORE_OK && audit(r, n ? "quiz_contest.round_update" : "quiz_contest.round_create", "contest", num(c, "id"),
                                             json_pack("{s:I, s:O}", "round", (json_int_t)out, "title", json_object_get(def, "title"))))
            store_fail_db(&res, r->db);
    }
    json_decref(def);
    char loc[200];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/vong/%lld/sua", str(c, "slug"), (long long)out);
    if (res.status == STORE_OK && !n) r->status = 201;
    json_t *ctx = manage_ctx(r, c, v);
    json_decref(c);
    return finish(r, &res, ctx, "quiz_contest/admin", loc, json_pack("{s:I}", "n", (json_int_t)out));
}

static json_t *round_ctx(struct req *r, json_t *c, int64_t n, json_t *v, json_t *q)
{
    char now[21];
    contest_now(now);
    json_t *round = store_qc_round(r->db, num(c, "id"), n, now);
    if (!round) return NULL;
    json_t *qs = store_qc_questions_admin(r->db, num(round, "id")), *x;
    size_t i;
    json_array_foreach(qs, i, x) {
        json_object_set_new(x, "is_choice", json_boolean(json_array_size(json_object_get(x, "options")) > 0));
        /* The key as the organiser typed it: option numbers from 1, Đúng/Sai, accepted texts. */
        json_t *a = json_object_get(x, "answer"), *e;
        char buf[1024] = "";
        size_t j, k = 0;
        if (json_is_integer(a)) snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(a) + 1);
        else if (json_is_boolean(a)) snprintf(buf, sizeof buf, "%s", json_is_true(a) ? "Đúng" : "Sai");
        else json_array_foreach(a, j, e) if (k + 8 < sizeof buf) {
            if (json_is_integer(e)) k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", j ? ", " : "", (long long)json_integer_value(e) + 1);
            else if (json_is_string(e)) k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s", j ? "; " : "", json_string_value(e));
            if (k >= sizeof buf) k = sizeof buf - 1;
        }
        json_object_set_new(x, "answer_text", json_string(buf));
    }
    if (!v) {
        v = json_pack("{s:O, s:o, s:o, s:I}", "title", json_object_get(round, "title"), "opens_at", local(str(round, "opens_at")),
                      "closes_at", local(str(round, "closes_at")), "limit_min", (json_int_t)(num(round, "time_limit_s") / 60));
        char *p = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&p, &len);
        json_array_foreach(json_object_get(round, "prizes"), i, x) fprintf(f, "%s | %lld\n", str(x, "name"), (long long)num(x, "count"));
        fclose(f);
        json_object_set_new(v, "prizes", json_string(p ? p : ""));
        free(p);
    }
    json_t *kinds = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "code", "single", "label", "Chọn một đáp án", "code", "multiple",
                              "label", "Chọn nhiều đáp án", "code", "truefalse", "label", "Đúng / Sai", "code", "short", "label", "Trả lời ngắn");
    return json_pack("{s:O, s:O, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:s}", "title", json_object_get(round, "title"), "contest", c, "round", round,
                     "questions", qs, "v", v, "q", q ? q : json_object(), "kinds", kinds, "editable", !strcmp(str(round, "state"), "upcoming"),
                     "_nav", "contests", "_csrf", csrf_token(r));
}

static int round_page(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    json_t *ctx = round_ctx(r, c, param(r, "n"), NULL, NULL);
    json_decref(c);
    if (!ctx) return req_missing(r, "Không có vòng thi này.");
    return render(r, ctx, "quiz_contest/round_edit");
}

/* One question of the round's list (as round_ctx gives them), or NULL. */
static json_t *question_of(json_t *ctx, int64_t seq)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(ctx, "questions"), i, x) if (num(x, "seq") == seq) return x;
    return NULL;
}

/* The stored question in the form's words: options and a short answer's accepted texts one a line, the key as typed. */
static json_t *question_typed(json_t *x)
{
    json_t *t = json_pack("{s:O, s:O, s:s}", "kind", json_object_get(x, "kind"), "prompt", json_object_get(x, "prompt"),
                          "explain", str(x, "explain") ? str(x, "explain") : "");
    struct buf b = { 0 };
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(x, "options"), i, e) buf_printf(&b, "%s%s", i ? "\n" : "", json_string_value(e));
    json_object_set_new(t, "options", json_string(b.p ? b.p : ""));
    buf_free(&b);
    if (str(x, "kind") && !strcmp(str(x, "kind"), "short")) {
        json_array_foreach(json_object_get(x, "answer"), i, e)
            if (json_is_string(e)) buf_printf(&b, "%s%s", i ? "\n" : "", json_string_value(e));
        json_object_set_new(t, "answer", json_string(b.p ? b.p : ""));
        buf_free(&b);
    } else {
        json_object_set(t, "answer", json_object_get(x, "answer_text"));
    }
    return t;
}

/* The edit form of question seq: the round's context with the question (typed over it after a refusal), or NULL with
 * the answer sent (404 for no such round or question; 409 once the round has opened, as every change of it). */
static json_t *question_ctx(struct req *r, json_t *c, int64_t n, int64_t seq, json_t *typed)
{
    json_t *ctx = round_ctx(r, c, n, NULL, NULL);
    json_t *x = ctx ? question_of(ctx, seq) : NULL;
    if (!x) {
        json_decref(ctx), json_decref(typed);
        req_missing(r, ctx ? "Không có câu hỏi này." : "Không có vòng thi này.");
        return NULL;
    }
    if (!json_is_true(json_object_get(ctx, "editable"))) {
        json_decref(ctx), json_decref(typed);
        req_fail(r, 409, "Vòng này đã mở: câu hỏi không sửa được nữa (bài đã làm giữ nguyên giá trị).");
        return NULL;
    }
    json_t *q = question_typed(x);
    if (typed) json_object_update(q, typed), json_decref(typed);
    const char *kind = str(q, "kind");
    json_t *k;
    size_t i;
    json_array_foreach(json_object_get(ctx, "kinds"), i, k) json_object_set_new(k, "selected", json_boolean(kind && !strcmp(kind, str(k, "code"))));
    json_object_set_new(ctx, "q", q);
    json_object_set_new(ctx, "seq", json_integer(seq));
    json_object_set_new(ctx, "title", json_sprintf("Sửa câu hỏi %lld", (long long)seq));
    return ctx;
}

static int question_page(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    int64_t n = param(r, "n"), seq = param(r, "seq");
    json_t *ctx = n && seq ? question_ctx(r, c, n, seq, NULL) : NULL;
    json_decref(c);
    if (!ctx) return r->status >= 400 ? r->status : req_missing(r, "Không có câu hỏi này.");
    return render(r, ctx, "quiz_contest/question_edit");
}

static int question_save(struct req *r, bool del)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    int64_t n = param(r, "n"), seq = req_str(r, "seq") ? param(r, "seq") : 0, out = 0;
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    json_t *q = NULL;
    if (!del) {
        const char *field = NULL, *msg = NULL;
        q = ce_question_from(r, &field, &msg);
        if (!q) store_field(&res, field ? field : "kind", msg ? msg : "Câu hỏi chưa hợp lệ.");
    }
    if (res.status == STORE_OK && store_begin(r->db, &res) == STORE_OK) {
        if (del) store_qc_question_delete(r->db, num(c, "id"), n, seq, now, &res);
        else store_qc_question_save(r->db, num(c, "id"), n, seq, q, now, &out, &res);
        if (res.status == STORE_OK && audit(r, del ? "quiz_contest.question_delete" : seq ? "quiz_contest.question_update" : "quiz_contest.question_create",
                                             "contest", num(c, "id"), json_pack("{s:I, s:I}", "round", (json_int_t)n, "seq", (json_int_t)(del ? seq : out))))
            store_fail_db(&res, r->db);
    } else if (res.status != STORE_OK) {
        db_begin(r->db);   /* finish() rolls back what it did not commit */
    }
    json_decref(q);
    char loc[200];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/vong/%lld/sua", str(c, "slug"), (long long)n);
    json_t *typed = json_object();
    const char *keys[] = { "kind", "prompt", "options", "answer", "explain", NULL };
    for (int i = 0; keys[i]; i++) if (req_str(r, keys[i])) json_object_set_new(typed, keys[i], json_string(req_str(r, keys[i])));
    json_t *ctx = NULL;
    if (r->want_json) json_decref(typed);
    else if (seq && !del && (res.status == STORE_INVALID || res.status == STORE_CONFLICT)) {
        /* A refused edit: its own form again, as typed; a round opened meanwhile answers 409 as the form would. */
        ctx = question_ctx(r, c, n, seq, typed);
        if (!ctx) {
            db_rollback(r->db);
            store_result_free(&res);
            json_decref(c);
            return r->status;
        }
    } else ctx = round_ctx(r, c, n, NULL, typed);
    json_decref(c);
    if (res.status == STORE_OK && !seq && !del) r->status = 201;
    return finish(r, &res, ctx, seq && !del ? "quiz_contest/question_edit" : "quiz_contest/round_edit", loc,
                  json_pack("{s:I, s:I}", "round", (json_int_t)n, "seq", (json_int_t)(del ? seq : out)));
}

static int question_add(struct req *r) { return question_save(r, false); }
static int question_delete(struct req *r) { return question_save(r, true); }

const struct route page_quiz_contest_admin_routes[] = {
    { "GET", "/cuoc-thi/tim-hieu/moi", "/api/quiz-contests/new", new_form, STAFF, false, 0 },
    { "POST", "/cuoc-thi/tim-hieu/moi", "/api/quiz-contests/new", create, STAFF, false, 0 },
    { "GET", "/cuoc-thi/{slug}/vong/quan-ly", "/api/quiz-contests/{slug}/rounds", manage, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/quan-ly", "/api/quiz-contests/{slug}/rounds", round_save, STAFF, false, 0 },
    { "GET", "/cuoc-thi/{slug}/vong/{n}/sua", "/api/quiz-contests/{slug}/rounds/{n}", round_page, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/sua", "/api/quiz-contests/{slug}/rounds/{n}", round_save, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/cau-hoi", "/api/quiz-contests/{slug}/rounds/{n}/questions", question_add, STAFF, false, 0 },
    { "GET", "/cuoc-thi/{slug}/vong/{n}/cau-hoi/{seq}/sua", NULL, question_page, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/cau-hoi/{seq}", "/api/quiz-contests/{slug}/rounds/{n}/questions/{seq}", question_add, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/vong/{n}/cau-hoi/{seq}/xoa", "/api/quiz-contests/{slug}/rounds/{n}/questions/{seq}/delete", question_delete, STAFF, false, 0 },
    { 0 },
};
