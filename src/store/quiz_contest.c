/* Knowledge contests in the store: contests of kind 'quiz', their rounds, participants' profiles, starting an attempt
 * (the server's clock, a random order) and scoring it once with the MOOC's scoring. Must not know about HTTP, and must
 * never return a question of a round that is not open, nor any answer key. */
#include "store/quiz_contest.h"
#include "store/audit.h"
#include "store/course.h"
#include "store/learning.h"
#include "core/date.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct qc_choice qc_age_bands[] = {
    { "duoi-15", "Dưới 15 tuổi" }, { "15-24", "15–24 tuổi" }, { "25-34", "25–34 tuổi" }, { "35-44", "35–44 tuổi" },
    { "45-54", "45–54 tuổi" }, { "55-64", "55–64 tuổi" }, { "65+", "Từ 65 tuổi" }, { 0 },
};

const char *qc_age_label(const char *code)
{
    for (int i = 0; code && qc_age_bands[i].code; i++) if (!strcmp(code, qc_age_bands[i].code)) return qc_age_bands[i].label;
    return NULL;
}

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(const json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Seconds since the epoch of a stored UTC timestamp ("2026-10-01T00:00:00Z"); 0 when it is not one. */
static time_t iso_time(const char *iso)
{
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

json_t *store_qc_contest(db *d, const char *slug)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.slug, c.title, c.rules_md, c.status, c.year, c.org_id, o.name AS org_name, "
                               "c.opens_at, c.closes_at FROM contest c JOIN org_unit o ON o.id = c.org_id "
                               "WHERE c.slug = ? AND c.kind = 'quiz'");
    db_bind_text(s, 1, slug);
    return db_row(s);
}

/* Adds what a reader needs to a round row: prizes parsed, its state now, whether its results are settled. */
static void round_state(json_t *r, const char *now_iso)
{
    json_t *prizes = json_loads(str(r, "prizes") ? str(r, "prizes") : "[]", 0, NULL);
    int64_t winners = 0;
    size_t i;
    json_t *p;
    json_array_foreach(prizes, i, p) winners += num(p, "count");
    json_object_set_new(r, "prizes", prizes ? prizes : json_array());
    json_object_set_new(r, "winners_total", json_integer(winners));
    const char *st = strcmp(now_iso, str(r, "opens_at")) < 0 ? "upcoming" : strcmp(now_iso, str(r, "closes_at")) < 0 ? "open" : "closed";
    json_object_set_new(r, "state", json_string(st));
    char flag[24];
    snprintf(flag, sizeof flag, "is_%s", st);
    json_object_set_new(r, flag, json_true());
    /* An attempt started a moment before the close may still be submitted until its limit and grace are over. */
    time_t settled = iso_time(str(r, "closes_at")) + num(r, "time_limit_s") + QC_GRACE_S;
    json_object_set_new(r, "results_final", json_boolean(iso_time(now_iso) >= settled));
    json_object_set_new(r, "time_limit_min", json_integer((num(r, "time_limit_s") + 59) / 60));
}

#define ROUND_COLS "SELECT r.id, r.n, r.title, r.opens_at, r.closes_at, r.time_limit_s, r.prizes, " \
                   "(SELECT COUNT(*) FROM contest_question q WHERE q.round_id = r.id) AS questions FROM quiz_round r "

json_t *store_qc_rounds(db *d, int64_t contest_id, const char *now_iso)
{
    db_stmt *s = db_prepare(d, ROUND_COLS "WHERE r.contest_id = ? ORDER BY r.n");
    db_bind_int(s, 1, contest_id);
    json_t *rows = db_rows(s), *r;
    size_t i;
    json_array_foreach(rows, i, r) round_state(r, now_iso);
    return rows;
}

json_t *store_qc_round(db *d, int64_t contest_id, int64_t n, const char *now_iso)
{
    db_stmt *s = db_prepare(d, ROUND_COLS "WHERE r.contest_id = ? AND r.n = ?");
    db_bind_int(s, 1, contest_id);
    db_bind_int(s, 2, n);
    json_t *r = db_row(s);
    if (r) round_state(r, now_iso);
    return r;
}

json_t *store_qc_participant(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT p.name, p.province_id, o.code AS province_code, o.name AS province, p.age_band "
                               "FROM contest_participant p JOIN org_unit o ON o.id = p.province_id WHERE p.user_id = ?");
    db_bind_int(s, 1, user_id);
    json_t *p = db_row(s);
    if (p) json_object_set_new(p, "age_label", json_string(qc_age_label(str(p, "age_band")) ? qc_age_label(str(p, "age_band")) : ""));
    return p;
}

json_t *store_qc_attempt(db *d, int64_t round_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT a.id, a.qorder, a.started_ms, a.started_at, a.finished_at, a.score, a.time_ms, a.late, "
                               "r.time_limit_s, (SELECT COUNT(*) FROM contest_question q WHERE q.round_id = a.round_id) AS total "
                               "FROM contest_attempt a JOIN quiz_round r ON r.id = a.round_id WHERE a.round_id = ? AND a.user_id = ?");
    db_bind_int(s, 1, round_id);
    db_bind_int(s, 2, user_id);
    json_t *a = db_row(s);
    if (!a) return NULL;
    json_object_set_new(a, "deadline_ms", json_integer(num(a, "started_ms") + num(a, "time_limit_s") * 1000));
    json_object_set_new(a, "finished", json_boolean(!json_is_null(json_object_get(a, "score"))));
    json_object_del(a, "time_limit_s");
    return a;
}

/* The round's questions for a participant, in the attempt's order and numbered in it; never the keys. */
static json_t *served_questions(db *d, int64_t round_id, json_t *order)
{
    db_stmt *s = db_prepare(d, "SELECT seq, kind, prompt, options FROM contest_question WHERE round_id = ?");
    db_bind_int(s, 1, round_id);
    json_t *rows = db_rows(s), *out = json_array(), *v, *q;
    size_t i, k;
    json_array_foreach(order, i, v) json_array_foreach(rows, k, q) if (num(q, "seq") == json_integer_value(v)) {
        json_t *shown = json_deep_copy(q);
        course_question_display(shown, (int64_t)i + 1);
        json_array_append_new(out, shown);
        break;
    }
    json_decref(rows);
    return out;
}

/* A random order of the round's question seqs (Fisher–Yates with libsodium's uniform draws). */
static json_t *shuffled_seqs(db *d, int64_t round_id)
{
    db_stmt *s = db_prepare(d, "SELECT seq FROM contest_question WHERE round_id = ? ORDER BY seq");
    db_bind_int(s, 1, round_id);
    int64_t seqs[256];
    size_t n = 0;
    while (db_step(s) == DB_ROW && n < 256) seqs[n++] = db_col_int(s, 0);
    db_done(s);
    for (size_t i = n; i > 1; i--) {
        size_t j = randombytes_uniform((uint32_t)i);
        int64_t t = seqs[i - 1];
        seqs[i - 1] = seqs[j];
        seqs[j] = t;
    }
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(out, json_integer(seqs[i]));
    return out;
}

/* In the caller's transaction: the profile asked once. STORE_OK when it exists or was made now. */
static enum store_status ensure_profile(db *d, const struct qc_start *in, int64_t *province_id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT province_id FROM contest_participant WHERE user_id = ?");
    db_bind_int(s, 1, in->user_id);
    *province_id = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (*province_id) return STORE_OK;
    size_t nlen = in->name ? strlen(in->name) : 0;
    if (nlen < 2 || nlen > 120) store_field(res, "name", "Nhập họ và tên (2–120 ký tự).");
    if (!qc_age_label(in->age_band)) store_field(res, "age_band", "Chọn nhóm tuổi trong danh sách.");
    char today[11];
    date_format_iso(date_today(), today);
    s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ? AND kind = 'province' AND (valid_from IS NULL OR valid_from <= ?) "
                      "AND (valid_to IS NULL OR valid_to >= ?)");
    db_bind_text(s, 1, in->province ? in->province : "");
    db_bind_text(s, 2, today);
    db_bind_text(s, 3, today);
    *province_id = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (!*province_id) store_field(res, "province", "Chọn tỉnh, thành phố trong danh sách.");
    if (res && res->status == STORE_INVALID)
        return store_fail(res, STORE_INVALID, "Cho biết họ tên, tỉnh, thành phố và nhóm tuổi của bạn (chỉ hỏi một lần).");
    char now[21];
    date_utc_iso(time(NULL), now);
    s = db_prepare(d, "INSERT INTO contest_participant (user_id, name, province_id, age_band, created_at) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT (user_id) DO NOTHING");
    db_bind_int(s, 1, in->user_id);
    db_bind_text(s, 2, in->name);
    db_bind_int(s, 3, *province_id);
    db_bind_text(s, 4, in->age_band);
    db_bind_text(s, 5, now);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
    return store_audit(d, in->user_id, in->ip, "quiz_contest.profile", "app_user", in->user_id,
                       json_pack("{s:s, s:I, s:s}", "name", in->name, "province_id", (json_int_t)*province_id, "age_band", in->age_band), res);
}

static enum store_status rollback_with(db *d, enum store_status st)
{
    db_rollback(d);
    return st;
}

enum store_status store_qc_start(db *d, const json_t *round, const struct qc_start *in, json_t **out, struct store_result *res)
{
    *out = NULL;
    const char *state = str(round, "state");
    int64_t round_id = num(round, "id");
    if (!strcmp(state, "upcoming")) return store_fail(res, STORE_CONFLICT, "Vòng thi chưa mở: câu hỏi chỉ có khi vòng thi bắt đầu.");
    json_t *a = store_qc_attempt(d, round_id, in->user_id);
    if (!a && db_failed(d)) return store_fail_db(res, d);
    if (a && json_is_true(json_object_get(a, "finished"))) {
        json_decref(a);
        return store_fail(res, STORE_CONFLICT, "Bạn đã làm vòng thi này: mỗi người chỉ được làm một lần mỗi vòng.");
    }
    if (!a) {
        if (strcmp(state, "open")) return store_fail(res, STORE_CONFLICT, "Vòng thi đã kết thúc: không nhận lượt làm bài mới.");
        /* Only this participant's rows are read and written: participants start side by side on PostgreSQL. */
        if (db_begin_for(d, in->user_id)) { db_rollback(d); return store_fail_db(res, d); }
        int64_t province_id = 0;
        enum store_status st = ensure_profile(d, in, &province_id, res);
        if (st) return rollback_with(d, st);
        json_t *order = shuffled_seqs(d, round_id);
        char *text = json_dumps(order, JSON_COMPACT);
        json_decref(order);
        char now[21];
        date_utc_iso((time_t)(in->now_ms / 1000), now);
        db_stmt *s = db_prepare(d, "INSERT INTO contest_attempt (round_id, user_id, province_id, qorder, started_ms, started_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, user_id) DO NOTHING RETURNING id");
        db_bind_int(s, 1, round_id);
        db_bind_int(s, 2, in->user_id);
        db_bind_int(s, 3, province_id);
        db_bind_text(s, 4, text);
        db_bind_int(s, 5, in->now_ms);
        db_bind_text(s, 6, now);
        int64_t id = db_scalar_int(s, 0);
        free(text);
        if (db_failed(d)) return rollback_with(d, store_fail_db(res, d));
        /* No row: a second tab started it a moment ago; its order is served below. */
        if (id && store_audit(d, in->user_id, in->ip, "quiz_contest.start", "contest_attempt", id,
                              json_pack("{s:I}", "round_id", (json_int_t)round_id), res))
            return rollback_with(d, res ? res->status : STORE_ERROR);
        if (db_commit(d)) return store_fail_db(res, d);
        a = store_qc_attempt(d, round_id, in->user_id);
        if (!a) return store_fail_db(res, d);
    }
    json_t *order = json_loads(str(a, "qorder"), 0, NULL);
    json_t *qs = served_questions(d, round_id, order);
    json_decref(order);
    json_object_del(a, "qorder");
    int64_t left = (num(a, "deadline_ms") - in->now_ms + 999) / 1000;
    *out = json_pack("{s:o, s:o, s:I}", "attempt", a, "questions", qs, "seconds_left", (json_int_t)(left > 0 ? left : 0));
    return STORE_OK;
}

/* The question of the round whose seq key names ("3"), or NULL. */
static json_t *question_at(json_t *qs, const char *key)
{
    char *end;
    long seq = strtol(key, &end, 10);
    if (!*key || *end || key[0] == '0' || key[0] == '+' || key[0] == '-' || key[0] == ' ') return NULL;
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) if (num(q, "seq") == seq) return q;
    return NULL;
}

enum store_status store_qc_submit(db *d, const json_t *round, const struct qc_submit *in, json_t **out, struct store_result *res)
{
    *out = NULL;
    int64_t round_id = num(round, "id"), limit_ms = num(round, "time_limit_s") * 1000;
    if (!json_is_object(in->answers))
        return store_fail(res, STORE_INVALID, "Cần \"answers\": một đối tượng {\"số câu\": câu trả lời}.");
    db_stmt *s = db_prepare(d, "SELECT id, started_ms, score, province_id FROM contest_attempt WHERE round_id = ? AND user_id = ?");
    db_bind_int(s, 1, round_id);
    db_bind_int(s, 2, in->user_id);
    json_t *a = db_row(s);
    if (!a) return db_failed(d) ? store_fail_db(res, d)
                                : store_fail(res, STORE_CONFLICT, "Bạn chưa bắt đầu vòng thi này: hãy bấm “Bắt đầu làm bài” để nhận câu hỏi.");
    int64_t attempt_id = num(a, "id"), started = num(a, "started_ms"), province_id = num(a, "province_id");
    bool done = !json_is_null(json_object_get(a, "score"));
    json_decref(a);
    if (done) return store_fail(res, STORE_CONFLICT, "Bạn đã nộp bài vòng thi này: mỗi người chỉ được làm một lần mỗi vòng.");

    s = db_prepare(d, "SELECT seq, kind, options, answer FROM contest_question WHERE round_id = ?");
    db_bind_int(s, 1, round_id);
    json_t *qs = db_rows(s);
    if (db_failed(d)) { json_decref(qs); return store_fail_db(res, d); }
    const char *k;
    json_t *v;
    json_object_foreach(in->answers, k, v) {
        json_t *q = question_at(qs, k);
        const char *why = NULL;
        if (!q) { json_decref(qs); return store_fail(res, STORE_INVALID, "Câu %.20s không có trong vòng thi này.", k); }
        json_t *opts = json_loads(str(q, "options"), 0, NULL);
        int rc = course_answer_valid(str(q, "kind"), json_array_size(opts), v, &why);
        json_decref(opts);
        if (rc) { json_decref(qs); return store_fail(res, STORE_INVALID, "Câu %.20s: câu trả lời không hợp lệ (%s).", k, why); }
    }
    int64_t elapsed = in->now_ms - started;
    bool late = elapsed > limit_ms + QC_GRACE_S * 1000;
    int64_t time_ms = elapsed < 0 ? 0 : elapsed > limit_ms ? limit_ms : elapsed;
    int right = 0, total = (int)json_array_size(qs);
    size_t i;
    json_t *q;
    if (!late) json_array_foreach(qs, i, q) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)num(q, "seq"));
        json_t *given = json_object_get(in->answers, key);
        json_t *ans = json_loads(str(q, "answer"), JSON_DECODE_ANY, NULL);
        right += course_answer_right(str(q, "kind"), ans, given);
        json_decref(ans);
    }
    json_decref(qs);
    char now[21], *text = json_dumps(in->answers, JSON_COMPACT | JSON_SORT_KEYS);
    date_utc_iso((time_t)(in->now_ms / 1000), now);
    if (db_begin_for(d, in->user_id)) { free(text); db_rollback(d); return store_fail_db(res, d); }
    /* score IS NULL: of two submissions racing, one scores and the other finds nothing left to score. */
    s = db_prepare(d, "UPDATE contest_attempt SET score = ?, time_ms = ?, late = ?, answers = ?, finished_at = ? "
                      "WHERE id = ? AND score IS NULL RETURNING id");
    db_bind_int(s, 1, right);
    db_bind_int(s, 2, time_ms);
    db_bind_int(s, 3, late);
    db_bind_text(s, 4, text);
    db_bind_text(s, 5, now);
    db_bind_int(s, 6, attempt_id);
    int64_t got = db_scalar_int(s, 0);
    free(text);
    if (db_failed(d)) return rollback_with(d, store_fail_db(res, d));
    if (!got) return rollback_with(d, store_fail(res, STORE_CONFLICT, "Bạn đã nộp bài vòng thi này: mỗi người chỉ được làm một lần mỗi vòng."));
    if (store_qc_slice_add(d, round_id, province_id, right, time_ms)) return rollback_with(d, store_fail_db(res, d));
    if (store_audit(d, in->user_id, in->ip, "quiz_contest.submit", "contest_attempt", attempt_id,
                    json_pack("{s:I, s:i, s:I, s:b}", "round_id", (json_int_t)round_id, "score", right, "time_ms",
                              (json_int_t)time_ms, "late", late), res))
        return rollback_with(d, res ? res->status : STORE_ERROR);
    if (db_commit(d)) return store_fail_db(res, d);
    int64_t rank = store_qc_rank_of(d, round_id, 0, right, time_ms, attempt_id);
    *out = json_pack("{s:i, s:i, s:I, s:b, s:I}", "score", right, "total", total, "time_ms", (json_int_t)time_ms, "late", late,
                     "rank", (json_int_t)rank);
    return STORE_OK;
}
