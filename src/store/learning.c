/* Enrolment, lesson views, quiz attempts (scored here, recorded once per nonce), progress and completion: when every
 * lesson is viewed and every quiz passed, the enrolment is completed and a certificate issued in the same transaction.
 * Must not know about HTTP, and must not scan a table on the submission path: every query goes through a key. */
#include "store/learning.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/text.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

int course_answer_valid(const char *kind, size_t nopt, json_t *given, const char **why)
{
    const char *dummy;
    if (!why) why = &dummy;
    *why = NULL;
    if (!given || json_is_null(given)) return 0;
    if (!strcmp(kind, "single")) {
        if (!json_is_integer(given)) return *why = "cần số thứ tự một lựa chọn", -1;
        if (json_integer_value(given) < 0 || json_integer_value(given) >= (json_int_t)nopt) return *why = "lựa chọn ngoài danh sách", -1;
        return 0;
    }
    if (!strcmp(kind, "multiple")) {
        if (!json_is_array(given)) return *why = "cần danh sách số thứ tự các lựa chọn", -1;
        unsigned long long seen = 0;
        for (size_t i = 0; i < json_array_size(given); i++) {
            json_t *v = json_array_get(given, i);
            if (!json_is_integer(v)) return *why = "cần danh sách số thứ tự các lựa chọn", -1;
            json_int_t k = json_integer_value(v);
            if (k < 0 || k >= (json_int_t)nopt || k >= 64) return *why = "lựa chọn ngoài danh sách", -1;
            if (seen & (1ULL << k)) return *why = "một lựa chọn được chọn hai lần", -1;
            seen |= 1ULL << k;
        }
        return 0;
    }
    if (!strcmp(kind, "truefalse")) return json_is_boolean(given) ? 0 : (*why = "cần true hoặc false", -1);
    if (!strcmp(kind, "short")) {
        if (!json_is_string(given)) return *why = "cần một câu trả lời dạng chữ", -1;
        if (json_string_length(given) > 300) return *why = "câu trả lời dài quá 300 ký tự", -1;
        return 0;
    }
    return *why = "loại câu hỏi không rõ", -1;
}

bool course_answer_right(const char *kind, json_t *key, json_t *given)
{
    if (!given || json_is_null(given) || !key) return false;
    if (!strcmp(kind, "single") || !strcmp(kind, "truefalse")) return json_equal(key, given);
    if (!strcmp(kind, "multiple")) {
        unsigned long long a = 0, b = 0;
        size_t i;
        json_t *v;
        json_array_foreach(key, i, v) if (json_integer_value(v) >= 0 && json_integer_value(v) < 64) a |= 1ULL << json_integer_value(v);
        json_array_foreach(given, i, v) if (json_integer_value(v) >= 0 && json_integer_value(v) < 64) b |= 1ULL << json_integer_value(v);
        return a == b;
    }
    if (strcmp(kind, "short")) return false;
    char *g = text_fold(json_string_value(given));
    bool ok = false;
    size_t i;
    json_t *v;
    json_array_foreach(key, i, v) {
        char *k = text_fold(json_string_value(v));
        ok = ok || (g && k && *g && !strcmp(g, k));
        free(k);
    }
    free(g);
    return ok;
}

void certificate_code_new(char out[27])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char raw[17];   /* 136 bits drawn, the first 130 used */
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < 26; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)raw[byte] << 8 | (byte + 1 < 17 ? raw[byte + 1] : 0)) >> (11 - shift);
        out[i] = alphabet[v & 31];
    }
    out[26] = 0;
}

static int exec_ok(db_stmt *s)
{
    if (!s) return -1;
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

int store_enrol(db *d, int64_t user_id, int64_t course_id)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO enrolment (user_id, course_id, enrolled_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (user_id, course_id) DO NOTHING");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    db_bind_text(s, 3, now);
    return exec_ok(s);
}

/* 1 enrolled and complete, 0 enrolled, -1 not enrolled. */
static int enrolment_state(db *d, int64_t user_id, int64_t course_id)
{
    db_stmt *s = db_prepare(d, "SELECT completed_at IS NOT NULL FROM enrolment WHERE user_id = ? AND course_id = ?");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    return (int)db_scalar_int(s, -1);
}

bool store_is_enrolled(db *d, int64_t user_id, int64_t course_id) { return enrolment_state(d, user_id, course_id) >= 0; }

/* In the caller's transaction: completes the enrolment and issues the certificate when nothing is missing any more.
 * 1 completed now, 0 not yet, -1 on error. */
static int complete_if_done(db *d, int64_t user_id, int64_t course_id)
{
    /* Plain '?' bound twice each, not ?1/?2: numbered parameters are SQLite's spelling ($1 in PostgreSQL). */
    db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM lesson l WHERE l.course_id = ? AND NOT EXISTS "
                               "(SELECT 1 FROM lesson_view v WHERE v.user_id = ? AND v.lesson_id = l.id)) + "
                               "(SELECT COUNT(*) FROM quiz z WHERE z.course_id = ? AND NOT EXISTS "
                               "(SELECT 1 FROM quiz_attempt a WHERE a.user_id = ? AND a.quiz_id = z.id AND a.passed = 1))");
    if (!s) return -1;
    db_bind_int(s, 1, course_id);
    db_bind_int(s, 2, user_id);
    db_bind_int(s, 3, course_id);
    db_bind_int(s, 4, user_id);
    int64_t missing = db_scalar_int(s, -1);
    if (missing) return missing < 0 ? -1 : 0;
    char now[21], code[27];
    date_utc_iso(time(NULL), now);
    s = db_prepare(d, "UPDATE enrolment SET completed_at = ? WHERE user_id = ? AND course_id = ? AND completed_at IS NULL");
    if (s) {
        db_bind_text(s, 1, now);
        db_bind_int(s, 2, user_id);
        db_bind_int(s, 3, course_id);
    }
    if (exec_ok(s)) return -1;
    certificate_code_new(code);
    s = db_prepare(d, "INSERT INTO certificate (code, user_id, course_id, learner_name, course_title, issued_at) "
                      "SELECT ?, u.id, c.id, u.name, c.title, ? FROM app_user u, course c WHERE u.id = ? AND c.id = ? "
                      "ON CONFLICT (user_id, course_id) DO NOTHING");
    if (s) {
        db_bind_text(s, 1, code);
        db_bind_text(s, 2, now);
        db_bind_int(s, 3, user_id);
        db_bind_int(s, 4, course_id);
    }
    return exec_ok(s) ? -1 : 1;
}

int store_lesson_view(db *d, int64_t user_id, int64_t course_id, int64_t lesson_id)
{
    int state = enrolment_state(d, user_id, course_id);
    if (state < 0) return 0;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM lesson_view WHERE user_id = ? AND lesson_id = ?");
    if (!s) return -1;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, lesson_id);
    if (db_scalar_int(s, 0)) return 1;   /* a second view writes nothing: lesson pages stay read-only after the first */
    char now[21];
    date_utc_iso(time(NULL), now);
    if (db_begin_for(d, user_id)) { db_rollback(d); return -1; }   /* one learner's rows, as a quiz submission */
    s = db_prepare(d, "INSERT INTO lesson_view (user_id, lesson_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    if (s) {
        db_bind_int(s, 1, user_id);
        db_bind_int(s, 2, lesson_id);
        db_bind_text(s, 3, now);
    }
    int rc = exec_ok(s);
    if (!rc && state == 0) rc = complete_if_done(d, user_id, course_id) < 0 ? -1 : 0;
    if (rc) { db_rollback(d); return -1; }
    return db_commit(d) ? -1 : 1;
}

/* The Vietnamese calendar date (UTC+7) of a stored UTC timestamp, dd/mm/yyyy, as the certificate's own page prints it. */
static json_t *vn_date(const char *iso)
{
    struct tm tm = {0};
    char out[11];
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                       &tm.tm_sec) != 6)
        return json_null();
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    date_format_vn(date_today_at(timegm(&tm)), out);
    return json_string(out);
}

/* What a certificate card shows, added to a row holding code and issued_at: the date in words and both addresses. */
static json_t *card_links(json_t *c)
{
    json_object_set_new(c, "issued_date", vn_date(str(c, "issued_at")));
    json_object_set_new(c, "url", json_sprintf("/chung-chi/%s", str(c, "code")));
    json_object_set_new(c, "pdf_url", json_sprintf("/chung-chi/%s/pdf", str(c, "code")));
    return c;
}

json_t *store_certificate_of(db *d, int64_t user_id, int64_t course_id)
{
    db_stmt *s = db_prepare(d, "SELECT code, issued_at, learner_name, course_title FROM certificate WHERE user_id = ? AND course_id = ?");
    if (!s) return json_null();
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    json_t *c = db_row(s);
    return c ? card_links(c) : json_null();
}

static bool nonce_ok(const char *n)
{
    size_t len = n ? strlen(n) : 0;
    if (len < 8 || len > 64) return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') || *n == '-' || *n == '_')) return false;
    return true;
}

/* The question whose seq is written in key ("3"), or NULL. */
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

/* An answer of a question as the learner reads it: option labels (not indices), "Đúng"/"Sai", the typed text, or for
 * a short question's key its first accepted form. NULL when there is none. Labels of a multiple choice are joined
 * with "; " in the options' order, so the chosen and the right answer read alike. */
static json_t *answer_words(const char *kind, json_t *opts, json_t *a, bool is_key)
{
    if (!a || json_is_null(a)) return json_null();
    if (!strcmp(kind, "truefalse")) return json_is_boolean(a) ? json_string(json_is_true(a) ? "Đúng" : "Sai") : json_null();
    if (!strcmp(kind, "short")) {
        json_t *v = is_key ? json_array_get(a, 0) : a;
        return json_is_string(v) ? json_string(json_string_value(v)) : json_null();
    }
    if (!strcmp(kind, "single")) {
        json_t *o = json_is_integer(a) ? json_array_get(opts, (size_t)json_integer_value(a)) : NULL;
        return json_is_string(o) ? json_string(json_string_value(o)) : json_null();
    }
    if (strcmp(kind, "multiple") || !json_is_array(a)) return json_null();
    struct buf b = {0};
    size_t i, k;
    json_t *o, *v;
    json_array_foreach(opts, k, o) json_array_foreach(a, i, v) if (json_integer_value(v) == (json_int_t)k && json_is_string(o)) {
        if (b.len) buf_puts(&b, "; ");
        buf_puts(&b, json_string_value(o));
        break;
    }
    char *text = buf_take(&b);
    json_t *out = json_string(text);
    free(text);
    return out;
}

/* Per-question marks of answers against the quiz's keys: the questions array of the result, and the count right.
 * Each mark carries the chosen and the right answer in words: the result page shows both, whatever the outcome. */
static json_t *mark(json_t *qs, json_t *answers, int *right)
{
    json_t *out = json_array();
    *right = 0;
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)num(q, "seq"));
        json_t *given = json_object_get(answers, k);
        json_t *key = json_loads(str(q, "answer"), JSON_DECODE_ANY, NULL);
        json_t *opts = json_loads(str(q, "options"), 0, NULL);
        const char *kind = str(q, "kind");
        bool ok = course_answer_right(kind, key, given);
        bool answered = given && !json_is_null(given) && !(json_is_array(given) && !json_array_size(given));
        json_t *chosen = answered ? answer_words(kind, opts, given, false) : json_null();
        json_t *expected = answer_words(kind, opts, key, true);
        json_decref(key);
        json_decref(opts);
        *right += ok;
        json_array_append_new(out, json_pack("{s:I, s:s, s:b, s:b, s:s, s:o, s:o}", "seq", (json_int_t)num(q, "seq"),
                                             "prompt", str(q, "prompt"), "answered", answered, "right", ok,
                                             "explain", str(q, "explain"), "chosen", chosen, "expected", expected));
    }
    return out;
}

static enum quiz_outcome bad(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    snprintf(err, errlen, fmt, a, b);
    return QUIZ_BAD_INPUT;
}

/* The attempt this learner already made with the nonce: 1 found (its answers, score and pass), 0 none, -1 error. */
static int earlier_attempt(db *d, const struct quiz_submission *in, int64_t quiz_id, json_t **answers, int64_t *score,
                           int64_t *passed)
{
    db_stmt *s = db_prepare(d, "SELECT answers, score, passed FROM quiz_attempt WHERE user_id = ? AND quiz_id = ? AND nonce = ?");
    db_bind_int(s, 1, in->user_id);
    db_bind_int(s, 2, quiz_id);
    db_bind_text(s, 3, in->nonce);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *answers = json_loads(db_col_text(s, 0), 0, NULL);
        *score = db_col_int(s, 1);
        *passed = db_col_int(s, 2);
    }
    db_done(s);
    return rc == DB_ROW ? (*answers ? 1 : -1) : rc == DB_DONE ? 0 : -1;
}

enum quiz_outcome store_quiz_submit(db *d, const struct quiz_submission *in, json_t **result, char *err, size_t errlen)
{
    *result = NULL;
    if (errlen) err[0] = 0;
    /* The learner's enrolment comes with the quiz: one round trip fewer on every submission. */
    db_stmt *s = db_prepare(d, "SELECT z.id, c.id, c.status, c.pass_mark, "
                               "(SELECT CASE WHEN e.completed_at IS NULL THEN 0 ELSE 1 END FROM enrolment e "
                               "  WHERE e.user_id = ? AND e.course_id = c.id) "
                               "FROM course c JOIN quiz z ON z.course_id = c.id WHERE c.slug = ? AND z.slug = ?");
    if (!s) return QUIZ_ERROR;
    db_bind_int(s, 1, in->user_id);
    db_bind_text(s, 2, in->course_slug);
    db_bind_text(s, 3, in->quiz_slug);
    if (db_step(s) != DB_ROW) { db_done(s); return QUIZ_NOT_FOUND; }
    int64_t quiz_id = db_col_int(s, 0), course_id = db_col_int(s, 1), pass_mark = db_col_int(s, 3);
    int state = db_col_is_null(s, 4) ? -1 : (int)db_col_int(s, 4);
    char status[16];
    snprintf(status, sizeof status, "%s", db_col_text(s, 2));
    db_done(s);
    if (!strcmp(status, "draft")) return QUIZ_NOT_FOUND;
    if (!strcmp(status, "closed")) return QUIZ_CLOSED;
    if (state < 0) return QUIZ_NOT_ENROLLED;
    if (!nonce_ok(in->nonce)) return bad(err, errlen, "Thiếu mã lượt nộp (nonce) hợp lệ: 8–64 ký tự chữ, số, '-' hoặc '_'.%s%s", "", "");
    if (!json_is_object(in->answers)) return bad(err, errlen, "Cần \"answers\": một đối tượng {\"số câu\": câu trả lời}.%s%s", "", "");
    s = db_prepare(d, "SELECT seq, kind, prompt, options, answer, explain FROM question WHERE quiz_id = ? ORDER BY seq");
    if (!s) return QUIZ_ERROR;
    db_bind_int(s, 1, quiz_id);
    json_t *qs = db_rows(s);
    int total = (int)json_array_size(qs);

    /* Checked before anything is written; a failing check is still answered with the first attempt's result when the
     * nonce was used already (a retry must not be refused for answers its first try sent). */
    enum quiz_outcome out = QUIZ_OK;
    const char *k;
    json_t *v;
    json_object_foreach(in->answers, k, v) {
        json_t *q = question_at(qs, k);
        const char *why = NULL;
        if (!q) { out = bad(err, errlen, "Câu %s không có trong bài kiểm tra này.%s", k, ""); break; }
        json_t *opts = json_loads(str(q, "options"), 0, NULL);
        int rc = course_answer_valid(str(q, "kind"), json_array_size(opts), v, &why);
        json_decref(opts);
        if (rc) { out = bad(err, errlen, "Câu %s: câu trả lời không hợp lệ (%s).", k, why); break; }
    }
    json_t *answers = NULL, *marks = NULL;
    int right = 0;
    int64_t score = -1, passed = 0;
    bool duplicate = false;
    int completed = state;   /* 1 when the course is (or becomes) completed: only then is there a certificate to read */
    if (out != QUIZ_OK) {
        if (earlier_attempt(d, in, quiz_id, &answers, &score, &passed) <= 0) { json_decref(qs); return out; }
        duplicate = true;
        if (errlen) err[0] = 0;
    } else {
        answers = json_incref(in->answers);
        marks = mark(qs, answers, &right);
        score = total ? right * 100 / total : 0;   /* rounded down: a pass is never a rounding */
        passed = score >= pass_mark;
        char now[21], *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
        date_utc_iso(time(NULL), now);
        /* Thousands of learners submit at once near a deadline: their transactions only read and write their own
         * attempts, enrolment and certificate, so they need not wait for each other (db_begin_for). */
        int rc = db_begin_for(d, in->user_id);
        s = rc ? NULL : db_prepare(d, "INSERT INTO quiz_attempt (user_id, quiz_id, nonce, answers, score, passed, at) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, quiz_id, nonce) DO NOTHING RETURNING id");
        if (s) {
            db_bind_int(s, 1, in->user_id);
            db_bind_int(s, 2, quiz_id);
            db_bind_text(s, 3, in->nonce);
            db_bind_text(s, 4, text);
            db_bind_int(s, 5, score);
            db_bind_int(s, 6, passed);
            db_bind_text(s, 7, now);
            /* No row back: the nonce was used before (a retry, or a race a moment ago); answer with that attempt. */
            if (!db_scalar_int(s, 0)) {
                duplicate = true;
                json_decref(answers);
                json_decref(marks);
                answers = marks = NULL;
                if (db_failed(d) || earlier_attempt(d, in, quiz_id, &answers, &score, &passed) <= 0) rc = -1;
            }
        } else {
            rc = -1;
        }
        if (!rc && passed && !duplicate && state == 0) {
            int now_done = complete_if_done(d, in->user_id, course_id);
            if (now_done < 0) rc = -1;
            else completed = now_done;
        }
        free(text);
        if (rc) db_rollback(d);
        else rc = db_commit(d);
        if (rc) { json_decref(answers); json_decref(marks); json_decref(qs); return QUIZ_ERROR; }
        if (duplicate) completed = 1;   /* the first attempt may have completed the course: look */
    }
    if (!marks) marks = mark(qs, answers, &right);
    json_decref(qs);
    json_decref(answers);
    json_t *cert = completed ? store_certificate_of(d, in->user_id, course_id) : json_null();
    *result = json_pack("{s:I, s:b, s:I, s:i, s:i, s:b, s:o, s:b, s:o}", "score", (json_int_t)score, "passed", (int)passed,
                        "pass_mark", (json_int_t)pass_mark, "correct", right, "total", total, "duplicate", duplicate,
                        "questions", marks, "completed", !json_is_null(cert), "certificate", cert);
    return duplicate ? QUIZ_DUPLICATE : QUIZ_OK;
}

static void merge_quiz(json_t *z, json_t *best)
{
    json_t *b = json_object_get(best, str(z, "slug"));
    json_object_set_new(z, "best", b ? json_incref(json_object_get(b, "best")) : json_null());
    json_object_set_new(z, "passed", json_boolean(b && num(b, "passed")));
    json_object_set_new(z, "attempts", json_integer(b ? num(b, "attempts") : 0));
}

void store_progress_merge(db *d, int64_t user_id, json_t *c)
{
    int64_t course_id = num(c, "id");
    db_stmt *s = db_prepare(d, "SELECT enrolled_at, completed_at FROM enrolment WHERE user_id = ? AND course_id = ?");
    if (!s) return;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    json_t *e = db_row(s);
    json_object_set_new(c, "enrolled", json_boolean(e != NULL));
    json_object_set(c, "enrolled_at", e ? json_object_get(e, "enrolled_at") : json_null());
    json_object_set(c, "completed_at", e ? json_object_get(e, "completed_at") : json_null());
    json_decref(e);
    s = db_prepare(d, "SELECT l.slug FROM lesson_view v JOIN lesson l ON l.id = v.lesson_id WHERE v.user_id = ? AND l.course_id = ?");
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    json_t *viewed = json_object();
    while (db_step(s) == DB_ROW) json_object_set_new(viewed, db_col_text(s, 0), json_true());
    db_done(s);
    s = db_prepare(d, "SELECT z.slug, MAX(a.score) AS best, MAX(a.passed) AS passed, COUNT(*) AS attempts FROM quiz z "
                      "JOIN quiz_attempt a ON a.quiz_id = z.id AND a.user_id = ? WHERE z.course_id = ? GROUP BY z.id");
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, course_id);
    json_t *rows = db_rows(s), *best = json_object(), *x;
    size_t i, k;
    int done = 0, all = 0;
    json_array_foreach(rows, i, x) json_object_set(best, str(x, "slug"), x);
    json_decref(rows);
    json_array_foreach(json_object_get(c, "lessons"), i, x) {
        bool v = json_object_get(viewed, str(x, "slug")) != NULL;
        json_object_set_new(x, "viewed", json_boolean(v));
        done += v, all++;
        json_t *z;
        json_array_foreach(json_object_get(x, "quizzes"), k, z) merge_quiz(z, best);
    }
    json_array_foreach(json_object_get(c, "quizzes"), i, x) {
        merge_quiz(x, best);
        done += json_is_true(json_object_get(x, "passed")), all++;
    }
    json_array_foreach(json_object_get(c, "final_quizzes"), i, x) merge_quiz(x, best);
    json_decref(viewed);
    json_decref(best);
    json_object_set_new(c, "percent", json_integer(all ? done * 100 / all : 0));
    json_object_set_new(c, "certificate", store_certificate_of(d, user_id, course_id));
}

json_t *store_my_learning(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT c.slug, c.title, c.status, e.enrolled_at, e.completed_at, cert.code AS certificate, cert.issued_at AS cert_issued_at, "
        "cert.learner_name AS cert_learner, cert.course_title AS cert_course, "
        "(SELECT COUNT(*) FROM lesson l JOIN lesson_view v ON v.lesson_id = l.id AND v.user_id = e.user_id WHERE l.course_id = c.id) + "
        "(SELECT COUNT(*) FROM quiz z WHERE z.course_id = c.id AND EXISTS (SELECT 1 FROM quiz_attempt a WHERE a.user_id = e.user_id "
        "AND a.quiz_id = z.id AND a.passed = 1)) AS done, "
        "(SELECT COUNT(*) FROM lesson l WHERE l.course_id = c.id) + (SELECT COUNT(*) FROM quiz z WHERE z.course_id = c.id) AS steps "
        "FROM enrolment e JOIN course c ON c.id = e.course_id LEFT JOIN certificate cert ON cert.user_id = e.user_id "
        "AND cert.course_id = e.course_id WHERE e.user_id = ? ORDER BY e.enrolled_at DESC, c.title");
    if (!s) return json_array();
    db_bind_int(s, 1, user_id);
    json_t *rows = db_rows(s), *x;
    size_t i;
    json_array_foreach(rows, i, x) {
        int64_t steps = num(x, "steps");
        json_object_set_new(x, "percent", json_integer(steps ? num(x, "done") * 100 / steps : 0));
        json_object_del(x, "done");
        json_object_del(x, "steps");
        /* "certificate" stays the bare code (API clients read it); the card beside it is what the page shows. */
        json_t *card = json_null();
        if (str(x, "certificate"))
            card = card_links(json_pack("{s:O, s:O, s:O, s:O}", "code", json_object_get(x, "certificate"), "issued_at",
                                        json_object_get(x, "cert_issued_at"), "learner_name", json_object_get(x, "cert_learner"),
                                        "course_title", json_object_get(x, "cert_course")));
        json_object_set_new(x, "certificate_card", card);
        json_object_del(x, "cert_issued_at");
        json_object_del(x, "cert_learner");
        json_object_del(x, "cert_course");
    }
    return rows;
}
