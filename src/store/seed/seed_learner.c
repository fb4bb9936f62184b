/* The demo learner for `make run`: an account with no role that has finished one course (so a certificate exists to
 * verify) and is half-way through another. Must go through the learners' own store calls, never write their rows. */
#include "store/seed/seed.h"
#include "store/learning.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define LEARNER_EMAIL "hocvien@dxday.vn"

static int64_t course_id(db *d, const char *slug)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM course WHERE slug = ?");
    db_bind_text(s, 1, slug);
    return db_scalar_int(s, 0);
}

int seed_view_lessons(db *d, int64_t uid, int64_t cid, int lessons)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM lesson WHERE course_id = ? ORDER BY seq");
    db_bind_int(s, 1, cid);
    int64_t ids[64];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 64) ids[n++] = db_col_int(s, 0);
    db_done(s);
    for (int i = 0; i < n && (lessons < 0 || i < lessons); i++)
        if (store_lesson_view(d, uid, cid, ids[i]) < 0) return -1;
    return 0;
}

int seed_pass_quizzes(db *d, int64_t uid, const char *slug, int64_t cid)
{
    db_stmt *s = db_prepare(d, "SELECT q.slug, k.seq, k.kind, k.answer FROM quiz q JOIN question k ON k.quiz_id = q.id "
                               "WHERE q.course_id = ? ORDER BY q.id, k.seq");
    db_bind_int(s, 1, cid);
    json_t *by_quiz = json_object();
    while (db_step(s) == DB_ROW) {
        const char *quiz = db_col_text(s, 0), *kind = db_col_text(s, 2);
        json_t *answers = json_object_get(by_quiz, quiz);
        if (!answers) json_object_set_new(by_quiz, quiz, answers = json_object());
        json_t *key = json_loads(db_col_text(s, 3), JSON_DECODE_ANY, NULL);
        if (!strcmp(kind, "short") && json_is_array(key)) {
            json_t *first = json_incref(json_array_get(key, 0));
            json_decref(key);
            key = first;
        }
        char seq[16];
        snprintf(seq, sizeof seq, "%lld", (long long)db_col_int(s, 1));
        if (key) json_object_set_new(answers, seq, key);
    }
    db_done(s);
    const char *quiz;
    json_t *answers;
    int rc = 0;
    json_object_foreach(by_quiz, quiz, answers) {
        char nonce[80], err[256];
        snprintf(nonce, sizeof nonce, "demo-seed-%s", quiz);
        struct quiz_submission in = { uid, slug, quiz, nonce, answers };
        json_t *result = NULL;
        enum quiz_outcome o = store_quiz_submit(d, &in, &result, err, sizeof err);
        json_decref(result);
        if (o != QUIZ_OK && o != QUIZ_DUPLICATE) {
            fprintf(stderr, "seed-demo: %s/%s: %s\n", slug, quiz, err);
            rc = -1;
            break;
        }
    }
    json_decref(by_quiz);
    return rc;
}

int store_seed_demo_learner(db *d, int (*hash)(const char *pw, char out[160]))
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user WHERE email = ?");
    db_bind_text(s, 1, LEARNER_EMAIL);
    if (db_scalar_int(s, 0)) return 0;
    int64_t done = course_id(d, "thanh-toan-ma-qr"), half = course_id(d, "nhan-biet-lua-dao-truc-tuyen");
    if (!done || !half) return 0; /* the demo courses are not there: nothing to show */
    char h[160], now[21];
    if (hash("dxday-demo-2026", h)) return -1;
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm_utc));
    db_begin(d);
    s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, LEARNER_EMAIL);
    db_bind_text(s, 2, "Lê Thị Thu Hà");
    db_bind_text(s, 3, h);
    db_bind_text(s, 4, now);
    int64_t uid = db_scalar_int(s, 0);
    int rc = uid ? 0 : -1;
    if (!rc) rc = store_enrol(d, uid, done) || seed_view_lessons(d, uid, done, -1) || seed_pass_quizzes(d, uid, "thanh-toan-ma-qr", done);
    if (!rc) rc = store_enrol(d, uid, half) || seed_view_lessons(d, uid, half, 2);
    if (rc) {
        fprintf(stderr, "seed-demo: the demo learner: %s\n", db_errmsg(d));
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}
