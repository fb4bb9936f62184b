/* Judging an award contest: the juror's list and score form, conflicts, and the organiser's page (entries, jurors'
 * progress, ranking per category with the normalisation said), assigning jurors, decisions, closing rounds, and a new
 * contest. Must not show a juror an entry of their own unit or under a conflict, nor let anyone but the organiser decide. */
#include "web/contest.h"
#include "store/org.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t cid(json_t *c) { return json_integer_value(json_object_get(c, "id")); }
static const char *in_str(struct req *r, const char *k) { return req_str(r, k) ? req_str(r, k) : str(r->body_json, k); }

static const char *const METHOD = "Điểm chuẩn hóa theo từng giám khảo: tổng điểm có trọng số của mỗi giám khảo được đổi thành "
                                  "điểm z (trừ trung bình, chia độ lệch chuẩn các hồ sơ giám khảo đó chấm trong hạng mục), lấy "
                                  "trung bình các giám khảo của hồ sơ rồi quy về thang 50 + 10·z. Giám khảo khắt khe và dễ tính "
                                  "vì thế có trọng lượng như nhau. Hồ sơ chênh nhau dưới 0,01 điểm được đánh dấu bằng điểm.";

/* The entry's files as links to the route that checks who may download them (the same rule as these lists). */
static void entry_files(json_t *c, json_t *e)
{
    json_t *files = json_array(), *f;
    size_t j;
    json_array_foreach(json_object_get(c, "fields"), j, f) {
        json_t *v = json_object_get(json_object_get(e, "fields"), str(f, "code"));
        if (!json_is_object(v) || !str(v, "sha")) continue;
        json_t *x = json_pack("{s:s, s:s?}", "label", str(f, "label"), "name", str(v, "name"));
        json_object_set_new(x, "url", json_sprintf("/cuoc-thi/%s/ho-so/%lld/tep/%s", str(c, "slug"),
                                                   (long long)json_integer_value(json_object_get(e, "id")), str(f, "code")));
        json_array_append_new(files, x);
    }
    json_object_set_new(e, "files", files);
}

static int judging(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    json_t *cats = store_contest_juror_categories(r->db, cid(c), r->user->id);
    if (!json_array_size(cats)) {
        json_decref(cats), json_decref(c);
        return req_fail(r, 403, "Bạn không phải giám khảo của cuộc thi này.");
    }
    json_t *entries = store_contest_juror_entries(r->db, c, r->user->id);
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        json_t *crit = json_deep_copy(json_object_get(c, "criteria")), *k;
        size_t j;
        json_array_foreach(crit, j, k) {
            json_t *mine = json_object_get(json_object_get(e, "my_scores"), str(k, "code"));
            if (mine) json_object_set(k, "score", json_object_get(mine, "score")), json_object_set(k, "comment", json_object_get(mine, "comment"));
        }
        json_object_set_new(e, "criteria", crit);
        entry_files(c, e);
    }
    json_t *ctx = json_pack("{s:s, s:O, s:o, s:o, s:s, s:s}", "title", str(c, "title"), "contest", c, "categories", cats,
                            "entries", entries, "_nav", "contests", "_csrf", csrf_token(r));
    json_decref(c);
    return render(r, ctx, "contest_judge");
}

static int score(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    int64_t id = contest_param_id(r, "id");
    json_t *scores = json_object_get(r->body_json, "scores");
    if (scores) json_incref(scores);
    else {
        scores = json_object();
        size_t i;
        json_t *k;
        json_array_foreach(json_object_get(c, "criteria"), i, k) {
            char key[80], ckey[80];
            snprintf(key, sizeof key, "s_%s", str(k, "code"));
            snprintf(ckey, sizeof ckey, "c_%s", str(k, "code"));
            if (req_str(r, key) && *req_str(r, key))
                json_object_set_new(scores, str(k, "code"), json_pack("{s:s, s:s}", "score", req_str(r, key), "comment", req_str(r, ckey) ? req_str(r, ckey) : ""));
        }
    }
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_score(r->db, c, id, r->user->id, scores, now, &res);
        if (res.status == STORE_OK && audit(r, "contest.score", "contest_entry", id, json_pack("{s:s, s:O}", "contest", str(c, "slug"), "scores", scores)))
            store_fail_db(&res, r->db);
    }
    json_decref(scores);
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/cham-diem", str(c, "slug"));
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:b}", "id", (json_int_t)id, "scored", 1), NULL);
}

static int conflict(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return r->status;
    int64_t id = contest_param_id(r, "id");
    char now[21];
    contest_now(now);
    char *reason = in_str(r, "reason") ? text_nfc(in_str(r, "reason")) : NULL;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_conflict(r->db, c, id, r->user->id, reason, now, &res);
        if (res.status == STORE_OK && audit(r, "contest.conflict", "contest_entry", id, json_pack("{s:s, s:s}", "contest", str(c, "slug"), "reason", reason)))
            store_fail_db(&res, r->db);
    }
    free(reason);
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/cham-diem", str(c, "slug"));
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:b}", "id", (json_int_t)id, "conflict", 1), NULL);
}

/* ---- the organiser ------------------------------------------------------------------------------------------------ */

static json_t *organised(struct req *r)
{
    json_t *c = contest_load(r);
    if (!c) return NULL;
    if (contest_organiser(r, c)) return c;
    json_decref(c);
    req_fail(r, 403, "Chỉ ban tổ chức cuộc thi (cán bộ, điều phối của đơn vị tổ chức) làm được việc này.");
    return NULL;
}

static int manage(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    char now[21];
    contest_now(now);
    json_t *entries = store_contest_entries(r->db, cid(c));
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) contest_entry_label(e, c, true), entry_files(c, e);
    int seq = (int)req_int(r, "vong", 0);
    json_t *rounds = json_deep_copy(json_object_get(c, "rounds")), *rd;
    /* The ranking of the latest open round by default: that is where decisions are made. */
    json_array_foreach(rounds, i, rd) if (!seq && !strcmp(str(rd, "status"), "open") && strcmp(str(rd, "kind"), "eligibility"))
        seq = (int)json_integer_value(json_object_get(rd, "seq"));
    if (!seq) seq = (int)json_array_size(rounds);
    json_array_foreach(rounds, i, rd) {
        json_object_set_new(rd, "current", json_boolean(json_integer_value(json_object_get(rd, "seq")) == seq));
        json_object_set_new(rd, "is_open", json_boolean(!strcmp(str(rd, "status"), "open")));
    }
    json_t *ctx = json_pack("{s:s, s:O, s:o, s:o, s:o, s:o, s:i, s:s, s:s, s:s}", "title", str(c, "title"), "contest", c,
                            "entries", entries, "progress", store_contest_progress(r->db, c), "ranking",
                            store_contest_ranking(r->db, c, seq), "rounds", rounds, "round_seq", seq, "method", METHOD,
                            "_nav", "contests", "_csrf", csrf_token(r));
    json_decref(c);
    return render(r, ctx, "contest_admin");
}

static int add_juror(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    const char *email = in_str(r, "email"), *org = in_str(r, "org");
    char *low = email ? strdup(email) : NULL;
    for (char *p = low; p && *p; p++) *p = (char)tolower((unsigned char)*p);
    int64_t uid = low ? store_contest_user_by_email(r->db, low) : 0;
    free(low);
    int64_t org_id = org && *org ? store_org_id(r->db, org) : 0;
    if (!uid || (org && *org && !org_id)) {
        json_decref(c);
        return req_fail_ctx(r, 422, "Chưa giao được giám khảo.", uid ? json_pack("{s:s}", "org", "Không có đơn vị này.")
                                                                     : json_pack("{s:s}", "email", "Không có tài khoản với e-mail này."));
    }
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_juror_add(r->db, c, in_str(r, "category"), uid, org_id, in_str(r, "enterprise"), now, &res);
        if (res.status == STORE_OK && audit(r, "contest.juror_add", "contest", cid(c),
                                             json_pack("{s:I, s:s}", "user_id", (json_int_t)uid, "category", in_str(r, "category") ? in_str(r, "category") : "")))
            store_fail_db(&res, r->db);
    }
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/quan-ly", str(c, "slug"));
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    r->status = 201;
    return render(r, json_pack("{s:I}", "user_id", (json_int_t)uid), NULL);
}

static int decide(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    int64_t id = contest_param_id(r, "id");
    const char *decision = in_str(r, "decision");
    char *reason = in_str(r, "reason") ? text_nfc(in_str(r, "reason")) : NULL, *award = in_str(r, "award") ? text_nfc(in_str(r, "award")) : NULL;
    char now[21];
    contest_now(now);
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_decide(r->db, c, id, decision, reason, award, r->user->id, now, &res);
        if (res.status == STORE_OK && audit(r, "contest.decision", "contest_entry", id,
                                             json_pack("{s:s, s:s, s:s?, s:s?}", "contest", str(c, "slug"), "decision", decision,
                                                       "reason", reason, "award", award)))
            store_fail_db(&res, r->db);
    }
    free(reason), free(award);
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/quan-ly", str(c, "slug"));
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "decision", decision), NULL);
}

static int close_round(struct req *r)
{
    json_t *c = organised(r);
    if (!c) return r->status;
    int seq = (int)contest_param_id(r, "seq");
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_round_close(r->db, c, seq, &res);
        if (res.status == STORE_OK && audit(r, "contest.round_close", "contest", cid(c), json_pack("{s:i}", "round", seq)))
            store_fail_db(&res, r->db);
    }
    char loc[160];
    snprintf(loc, sizeof loc, "/cuoc-thi/%s/quan-ly", str(c, "slug"));
    json_decref(c);
    if (contest_commit(r, &res)) return r->status;
    if (!r->want_json) return req_redirect(r, loc);
    return render(r, json_pack("{s:i, s:s}", "round", seq, "status", "closed"), NULL);
}

/* A new award contest from its JSON definition; the organising unit is given by code or id ("org"). */
static int create(struct req *r)
{
    json_t *def = r->body_json ? json_deep_copy(r->body_json) : NULL;
    if (!json_is_object(def)) {
        json_decref(def);
        return req_fail(r, 400, "Gửi định nghĩa cuộc thi dạng JSON.");
    }
    const char *org = str(def, "org");
    int64_t org_id = org ? store_org_id(r->db, org) : 0;
    if (!org_id) {
        json_decref(def);
        return req_fail_ctx(r, 422, "Cần đơn vị tổ chức.", json_pack("{s:s}", "org", "Không có đơn vị này."));
    }
    json_object_set_new(def, "org_id", json_integer(org_id));
    json_t *probe = json_pack("{s:I}", "org_id", (json_int_t)org_id);
    bool ok = contest_organiser(r, probe);
    json_decref(probe);
    if (!ok) {
        json_decref(def);
        return req_fail(r, 403, "Bạn không có vai trò cán bộ hay điều phối ở đơn vị tổ chức.");
    }
    if (!json_is_integer(json_object_get(def, "year"))) {
        char now[21];
        contest_now(now);
        json_object_set_new(def, "year", json_integer(atoi(now)));
    }
    char now[21];
    contest_now(now);
    int64_t id = 0;
    struct store_result res = STORE_RESULT_OK;
    if (store_begin(r->db, &res) == STORE_OK) {
        store_contest_create(r->db, def, r->user->id, now, &id, &res);
        if (res.status == STORE_OK && audit(r, "contest.create", "contest", id, json_pack("{s:O}", "slug", json_object_get(def, "slug"))))
            store_fail_db(&res, r->db);
    }
    char slug[100];
    snprintf(slug, sizeof slug, "%s", str(def, "slug") ? str(def, "slug") : "");
    json_decref(def);
    if (contest_commit(r, &res)) return r->status;
    r->status = 201;
    return render(r, json_pack("{s:I, s:s}", "id", (json_int_t)id, "slug", slug), NULL);
}

const struct route page_contest_judge_routes[] = {
    { "POST", NULL, "/api/contests", create, STAFF, false, 0 },
    { "GET", "/cuoc-thi/{slug}/cham-diem", "/api/contests/{slug}/judging", judging, ACCOUNT, false, 0 },
    { "POST", "/cuoc-thi/{slug}/cham-diem/{id}", "/api/contests/{slug}/judging/{id}", score, ACCOUNT, false, 0 },
    { "POST", "/cuoc-thi/{slug}/cham-diem/{id}/xung-dot", "/api/contests/{slug}/judging/{id}/conflict", conflict, ACCOUNT, false, 0 },
    { "GET", "/cuoc-thi/{slug}/quan-ly", "/api/contests/{slug}/manage", manage, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/quan-ly/giam-khao", "/api/contests/{slug}/jurors", add_juror, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/quan-ly/ho-so/{id}", "/api/contests/{slug}/entries/{id}/decision", decide, STAFF, false, 0 },
    { "POST", "/cuoc-thi/{slug}/quan-ly/vong/{seq}/dong", "/api/contests/{slug}/judging-rounds/{seq}/close", close_round, STAFF, false, 0 },
    { 0 },
};
