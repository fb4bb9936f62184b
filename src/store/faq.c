/* The FAQ and the editors' inbox of questions the assistant could not answer; an answer turned into a FAQ entry is
 * indexed for search in the same transaction. Must not know about HTTP; who may answer is the page's to decide. */
#include "store/faq.h"
#include "store/search.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The rows of s, or NULL with res set when the engine failed. */
static json_t *rows_or_fail(db *d, db_stmt *s, struct store_result *res)
{
    json_t *rows = db_rows(s);
    if (!db_failed(d)) return rows;
    json_decref(rows);
    store_fail_db(res, d);
    return NULL;
}

json_t *store_faq_list(db *d, struct store_result *res)
{
    return rows_or_fail(d, db_prepare(d, "SELECT id, question, answer, source_url, updated_at FROM faq ORDER BY id DESC"), res);
}

enum store_status store_question_add(db *d, const char *question, const char *contact, double confidence, int64_t *id,
                                     struct store_result *res)
{
    char now[21], conf[16];
    date_utc_iso(time(NULL), now);
    snprintf(conf, sizeof conf, "%.2f", confidence);
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    db_stmt *s = db_prepare(d, "INSERT INTO asked_question (question, contact, confidence, asked_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, question);
    db_bind_text(s, 2, contact && *contact ? contact : NULL);
    db_bind_text(s, 3, conf);
    db_bind_text(s, 4, now);
    int64_t got = db_scalar_int(s, 0);
    if (!got) {
        enum store_status st = store_fail_db(res, d);
        db_rollback(d);
        return st;
    }
    if (db_commit(d)) return store_fail_db(res, d);
    if (id) *id = got;
    return STORE_OK;
}

json_t *store_questions_list(db *d, const char *status, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT id, question, contact, confidence, status, answer, faq_id, asked_at, answered_at FROM asked_question "
                               "WHERE status = ? ORDER BY asked_at DESC LIMIT 500");
    db_bind_text(s, 1, status);
    return rows_or_fail(d, s, res);
}

json_t *store_question_get(db *d, int64_t id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT question, status FROM asked_question WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    if (!row) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, "Không có câu hỏi này.");
    }
    return row;
}

/* The writes of store_question_answer, inside its transaction. */
static enum store_status answer_in_tx(db *d, const struct question_answer *in, const char *now, int64_t *faq_id,
                                      struct store_result *res)
{
    int64_t fid = 0;
    if (!in->dismiss && in->to_faq) {
        db_stmt *s = db_prepare(d, "INSERT INTO faq (question, answer, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
        db_bind_text(s, 1, in->question);
        db_bind_text(s, 2, in->answer);
        db_bind_int(s, 3, in->user_id);
        db_bind_text(s, 4, now);
        db_bind_text(s, 5, now);
        fid = db_scalar_int(s, 0);
        if (!fid) return store_fail_db(res, d);
        char url[64], *body = NULL;
        snprintf(url, sizeof url, "/hoi-dap#faq-%lld", (long long)fid);
        if (asprintf(&body, "%s\n\n%s", in->question, in->answer ? in->answer : "") < 0) return store_fail(res, STORE_ERROR, NULL);
        int rc = store_search_put(d, "faq", fid, in->question, body, url, now);
        free(body);
        if (rc) return store_fail_db(res, d);
    }
    db_stmt *s = db_prepare(d, "UPDATE asked_question SET status = ?, answer = ?, faq_id = ?, answered_by = ?, answered_at = ? WHERE id = ?");
    db_bind_text(s, 1, in->dismiss ? "dismissed" : "answered");
    db_bind_text(s, 2, in->answer);
    if (fid) db_bind_int(s, 3, fid);
    else db_bind_null(s, 3);
    db_bind_int(s, 4, in->user_id);
    db_bind_text(s, 5, now);
    db_bind_int(s, 6, in->id);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
    if (faq_id) *faq_id = fid;
    return STORE_OK;
}

enum store_status store_question_answer(db *d, const struct question_answer *in, int64_t *faq_id, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    enum store_status st = answer_in_tx(d, in, now, faq_id, res);
    if (st != STORE_OK) {
        db_rollback(d);
        return st;
    }
    return db_commit(d) ? store_fail_db(res, d) : STORE_OK;
}
