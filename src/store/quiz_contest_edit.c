/* Knowledge contests by their organisers: a new quiz contest, its rounds (window, time limit, prizes) and their
 * questions. Must not know about HTTP, and must refuse any change to a round that has opened (its attempts stand). */
#include "store/quiz_contest.h"
#include "store/learning.h"
#include "core/text.h"
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }
static bool iso_ok(const char *s) { return s && strlen(s) == 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[19] == 'Z'; }

static bool step_ok(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc != DB_ERROR;
}

enum store_status store_qc_create(db *d, json_t *def, int64_t user_id, const char *now, int64_t *id, struct store_result *res)
{
    const char *slug = str(def, "slug");
    bool ok = slug && *slug && strlen(slug) <= 80;
    for (const char *p = slug; ok && *p; p++) ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!ok) store_field(res, "slug", "Địa chỉ ngắn chỉ gồm chữ thường không dấu, số và dấu gạch ngang.");
    if (!str(def, "title") || !*str(def, "title") || strlen(str(def, "title")) > 300) store_field(res, "title", "Cần tên cuộc thi.");
    if (!iso_ok(str(def, "opens_at"))) store_field(res, "opens_on", "Chọn một ngày hợp lệ.");
    if (!iso_ok(str(def, "closes_at"))) store_field(res, "closes_on", "Chọn một ngày hợp lệ.");
    else if (iso_ok(str(def, "opens_at")) && strcmp(str(def, "opens_at"), str(def, "closes_at")) >= 0)
        store_field(res, "closes_on", "Ngày kết thúc phải sau ngày bắt đầu.");
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM campaign WHERE year = ?");
    db_bind_int(s, 1, num(def, "year"));
    if (!db_scalar_int(s, 0)) store_field(res, "year", "Chưa có đợt Ngày Chuyển đổi số của năm này.");
    if (res->status != STORE_OK) return res->status;
    s = db_prepare(d, "SELECT COUNT(*) FROM contest WHERE slug = ?");
    db_bind_text(s, 1, slug);
    if (db_scalar_int(s, 0)) {
        store_field(res, "slug", "Địa chỉ ngắn này đã có cuộc thi khác dùng.");
        return store_fail(res, STORE_CONFLICT, "Địa chỉ ngắn %s đã được dùng.", slug);
    }
    if (db_failed(d)) return store_fail_db(res, d);
    char *folded = text_fold(str(def, "title"));
    s = db_prepare(d, "INSERT INTO contest (slug, kind, year, org_id, title, title_folded, rules_md, opens_at, closes_at, status, "
                      "created_by, created_at) VALUES (?, 'quiz', ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id");
    db_bind_text(s, 1, slug), db_bind_int(s, 2, num(def, "year")), db_bind_int(s, 3, num(def, "org_id"));
    db_bind_text(s, 4, str(def, "title")), db_bind_text(s, 5, folded ? folded : ""), db_bind_text(s, 6, str(def, "rules_md") ? str(def, "rules_md") : "");
    db_bind_text(s, 7, str(def, "opens_at")), db_bind_text(s, 8, str(def, "closes_at"));
    if (user_id) db_bind_int(s, 9, user_id); else db_bind_null(s, 9);
    db_bind_text(s, 10, now);
    free(folded);
    *id = db_scalar_int(s, 0);
    return *id ? STORE_OK : store_fail_db(res, d);
}

/* The round n of the contest when it has not opened yet; else res says why (404, or 409 once opened). */
static json_t *unopened(db *d, int64_t contest_id, int64_t n, const char *now, struct store_result *res)
{
    json_t *r = store_qc_round(d, contest_id, n, now);
    if (!r) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, "Không có vòng thi này.");
        return NULL;
    }
    if (strcmp(str(r, "opens_at"), now) <= 0) {
        store_fail(res, STORE_CONFLICT, "Vòng %lld đã mở từ %s: không sửa được vòng thi và câu hỏi của nó nữa.", (long long)n, str(r, "opens_at"));
        json_decref(r);
        return NULL;
    }
    return r;
}

enum store_status store_qc_round_save(db *d, int64_t contest_id, int64_t n, json_t *def, const char *now, int64_t *n_out,
                                      struct store_result *res)
{
    const char *title = str(def, "title"), *op = str(def, "opens_at"), *cl = str(def, "closes_at");
    json_int_t limit = num(def, "time_limit_s");
    if (!title || !*title || strlen(title) > 300) store_field(res, "title", "Cần tên vòng thi.");
    if (!iso_ok(op)) store_field(res, "opens_at", "Thời điểm mở vòng không hợp lệ.");
    else if (strcmp(op, now) <= 0) store_field(res, "opens_at", "Vòng thi phải mở sau thời điểm hiện tại.");
    if (!iso_ok(cl)) store_field(res, "closes_at", "Thời điểm đóng vòng không hợp lệ.");
    else if (iso_ok(op) && strcmp(op, cl) >= 0) store_field(res, "closes_at", "Vòng phải đóng sau khi mở.");
    if (limit < 30 || limit > 7200) store_field(res, "time_limit_s", "Thời gian làm bài từ 30 giây đến 120 phút.");
    json_t *prizes = json_object_get(def, "prizes"), *p;
    size_t i;
    if (prizes && !json_is_array(prizes)) store_field(res, "prizes", "Giải thưởng là danh sách {tên, số lượng}.");
    json_array_foreach(prizes, i, p)
        if (!str(p, "name") || !*str(p, "name") || num(p, "count") < 1 || num(p, "count") > 10000)
            store_field(res, "prizes", "Mỗi giải cần tên và số lượng từ 1 trở lên.");
    if (res->status != STORE_OK) return res->status;
    json_t *cur = n ? unopened(d, contest_id, n, now, res) : NULL;
    if (n && !cur) return res->status;
    json_decref(cur);
    char *pz = json_dumps(prizes ? prizes : json_array(), JSON_COMPACT);
    db_stmt *s;
    if (n) {
        s = db_prepare(d, "UPDATE quiz_round SET title = ?, opens_at = ?, closes_at = ?, time_limit_s = ?, prizes = ? "
                          "WHERE contest_id = ? AND n = ?");
        db_bind_text(s, 1, title), db_bind_text(s, 2, op), db_bind_text(s, 3, cl), db_bind_int(s, 4, limit), db_bind_text(s, 5, pz);
        db_bind_int(s, 6, contest_id), db_bind_int(s, 7, n);
        *n_out = n;
    } else {
        s = db_prepare(d, "SELECT COALESCE(MAX(n), 0) FROM quiz_round WHERE contest_id = ?");
        db_bind_int(s, 1, contest_id);
        *n_out = db_scalar_int(s, 0) + 1;
        s = db_prepare(d, "INSERT INTO quiz_round (contest_id, n, title, opens_at, closes_at, time_limit_s, prizes) VALUES (?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, contest_id), db_bind_int(s, 2, *n_out), db_bind_text(s, 3, title), db_bind_text(s, 4, op), db_bind_text(s, 5, cl);
        db_bind_int(s, 6, limit), db_bind_text(s, 7, pz);
    }
    bool ok = step_ok(s);
    free(pz);
    if (!ok) return store_fail_db(res, d);
    /* The contest ends with its last round. */
    s = db_prepare(d, "UPDATE contest SET closes_at = ? WHERE id = ? AND closes_at < ?");
    db_bind_text(s, 1, cl), db_bind_int(s, 2, contest_id), db_bind_text(s, 3, cl);
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

enum store_status store_qc_question_save(db *d, int64_t contest_id, int64_t n, int64_t seq, json_t *q, const char *now,
                                         int64_t *seq_out, struct store_result *res)
{
    const char *kind = str(q, "kind"), *prompt = str(q, "prompt"), *why = NULL;
    json_t *opts = json_object_get(q, "options");
    if (!prompt || !*prompt || strlen(prompt) > 4000) store_field(res, "prompt", "Cần nội dung câu hỏi.");
    bool choice = kind && (!strcmp(kind, "single") || !strcmp(kind, "multiple"));
    if (choice && json_array_size(opts) < 2) store_field(res, "options", "Câu chọn đáp án cần ít nhất hai phương án, mỗi dòng một phương án.");
    json_t *key = json_object_get(q, "answer");
    if (kind && !strcmp(kind, "short")) {
        /* A short answer's key is the list of accepted texts, not one given answer. */
        if (!json_array_size(key) || !json_is_string(json_array_get(key, 0))) store_field(res, "answer", "Nhập các câu trả lời được chấp nhận, mỗi dòng một câu.");
    } else if (!kind || course_answer_valid(kind, json_array_size(opts), key, &why) || json_is_null(key)) {
        store_field(res, "answer", why ? why : "Đáp án không hợp lệ.");
    }
    if (res->status != STORE_OK) return res->status;
    json_t *r = unopened(d, contest_id, n, now, res);
    if (!r) return res->status;
    int64_t round_id = num(r, "id");
    json_decref(r);
    db_stmt *s;
    if (!seq) {
        s = db_prepare(d, "SELECT COALESCE(MAX(seq), 0) FROM contest_question WHERE round_id = ?");
        db_bind_int(s, 1, round_id);
        seq = db_scalar_int(s, 0) + 1;
        s = db_prepare(d, "INSERT INTO contest_question (kind, prompt, options, answer, explain, round_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)");
    } else {
        s = db_prepare(d, "SELECT COUNT(*) FROM contest_question WHERE round_id = ? AND seq = ?");
        db_bind_int(s, 1, round_id), db_bind_int(s, 2, seq);
        if (!db_scalar_int(s, 0)) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có câu hỏi này.");
        s = db_prepare(d, "UPDATE contest_question SET kind = ?, prompt = ?, options = ?, answer = ?, explain = ? WHERE round_id = ? AND seq = ?");
    }
    char *o = choice ? json_dumps(opts, JSON_COMPACT) : strdup("[]"), *a = json_dumps(json_object_get(q, "answer"), JSON_COMPACT | JSON_ENCODE_ANY);
    db_bind_text(s, 1, kind), db_bind_text(s, 2, prompt), db_bind_text(s, 3, o), db_bind_text(s, 4, a);
    db_bind_text(s, 5, str(q, "explain") ? str(q, "explain") : ""), db_bind_int(s, 6, round_id), db_bind_int(s, 7, seq);
    bool ok = step_ok(s);
    free(o), free(a);
    if (!ok) return store_fail_db(res, d);
    *seq_out = seq;
    return STORE_OK;
}

enum store_status store_qc_question_delete(db *d, int64_t contest_id, int64_t n, int64_t seq, const char *now, struct store_result *res)
{
    json_t *r = unopened(d, contest_id, n, now, res);
    if (!r) return res->status;
    db_stmt *s = db_prepare(d, "DELETE FROM contest_question WHERE round_id = ? AND seq = ?");
    db_bind_int(s, 1, num(r, "id")), db_bind_int(s, 2, seq);
    json_decref(r);
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

json_t *store_qc_questions_admin(db *d, int64_t round_id)
{
    db_stmt *s = db_prepare(d, "SELECT seq, kind, prompt, options, answer, explain FROM contest_question WHERE round_id = ? ORDER BY seq");
    db_bind_int(s, 1, round_id);
    json_t *rows = db_rows(s), *q;
    size_t i;
    json_array_foreach(rows, i, q) {
        json_object_set_new(q, "options", json_loads(str(q, "options") ? str(q, "options") : "[]", 0, NULL));
        json_object_set_new(q, "answer", json_loads(str(q, "answer") ? str(q, "answer") : "null", JSON_DECODE_ANY, NULL));
        if (!json_object_get(q, "options")) json_object_set_new(q, "options", json_array());
    }
    return rows ? rows : json_array();
}
