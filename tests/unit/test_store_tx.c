/* Check-then-write in the submission store runs under the write lock: a second connection that checks while the first
 * holds the lock must see the first one's decision once it commits, never the state before it. Two connections to one
 * file, the second on its own thread, which blocks at the write lock until the first commits. The same for a form's
 * code, which must stay unique. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/date.h"
#include "core/rperiod.h"
#include "store/form.h"
#include "store/org.h"
#include "store/submission.h"

static char path[96];
static int dbs;

struct two { db *first, *second; };

static int setup(void **state)
{
    struct two *t = calloc(1, sizeof *t);
    t->first = fixture_db_open(path, sizeof path, "store-tx", ++dbs);
    t->second = t->first ? db_open(path, NULL) : NULL;
    *state = t;
    return t->second ? 0 : -1;
}

static int teardown(void **state)
{
    struct two *t = *state;
    db_close(t->second);
    db_close(t->first);
    fixture_db_unlink(path);
    free(t);
    return 0;
}

static int64_t scalar(db *d, const char *sql, int64_t a)
{
    db_stmt *s = db_prepare(d, sql);
    if (strchr(sql, '?')) db_bind_int(s, 1, a);
    return db_scalar_int(s, -1);
}

static struct rperiod period_of(json_t *form, const char *today)
{
    struct rform rf;
    struct rperiod p;
    struct ymd t;
    assert_true(form_rform(form, &rf));
    assert_true(date_parse_iso(today, &t));
    assert_true(rperiod_find(&rf, NULL, t, &p));
    return p;
}

/* Submits valid values for Nghệ An on the 2026 report. */
static int64_t submit(db *d, json_t *form, const char *action, const char *today, struct sub_refusal *why)
{
    struct rperiod p = period_of(form, today);
    json_t *in = json_pack("{s:s, s:s}", "so_hoat_dong", "4", "luot_tham_gia", "40"), *err = json_object();
    json_t *v = form_values_check(form, in, true, err);
    assert_int_equal(json_object_size(err), 0);
    struct sub_put sp = { .form = form, .period = &p, .org_id = store_org_id(d, "nghe-an"), .action = action, .values = v,
                          .today = today };
    int64_t id = store_submission_put(d, &sp, why);
    json_decref(in);
    json_decref(err);
    json_decref(v);
    return id;
}

struct job {
    db *d;
    json_t *form;
    int64_t sub, user;
    int64_t rc;
    struct sub_refusal why;
};

static void *approve_job(void *p)
{
    struct job *j = p;
    j->rc = store_submission_review(j->d, j->sub, j->user, true, NULL, &j->why);
    return NULL;
}

static void *resubmit_job(void *p)
{
    struct job *j = p;
    j->rc = submit(j->d, j->form, "submit", "2026-10-26", &j->why);
    return NULL;
}

/* The first connection approves inside a transaction it keeps open while job runs on the second, then commits. */
static void race(struct two *t, struct job *j, void *(*fn)(void *), int64_t sub, int64_t user)
{
    struct sub_refusal why;
    assert_int_equal(db_begin(t->first), 0);
    assert_int_equal(store_submission_review(t->first, sub, user, true, NULL, &why), 0);
    assert_string_equal(why.why, "");
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, fn, j), 0);
    usleep(300 * 1000);   /* the job has read what it reads and waits for the write lock */
    assert_int_equal(db_commit(t->first), 0);
    pthread_join(th, NULL);
}

static int64_t reviewer(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "INSERT INTO app_user (email, name, password_hash, created_at) VALUES (?, 'Người duyệt', 'x', "
                               "'2026-01-01T00:00:00Z') RETURNING id");
    db_bind_text(s, 1, email);
    return db_scalar_int(s, 0);
}

static void second_approval_sees_the_first(void **state)
{
    struct two *t = *state;
    json_t *form = store_form_get(t->first, "bao-cao-2026");
    assert_non_null(form);
    struct sub_refusal why;
    int64_t id = submit(t->first, form, "submit", "2026-10-25", &why);
    assert_true(id > 0);
    int64_t a = reviewer(t->first, "a@example.vn"), b = reviewer(t->first, "b@example.vn");
    struct job j = { .d = t->second, .sub = id, .user = b };
    race(t, &j, approve_job, id, a);
    assert_int_equal(j.rc, 0);
    assert_non_null(strstr(j.why.why, "phê duyệt trước đó"));
    assert_int_equal(scalar(t->first, "SELECT COUNT(*) FROM submission_history WHERE submission_id = ? AND action = 'approve'", id), 1);
    assert_int_equal(scalar(t->first, "SELECT version FROM submission WHERE id = ?", id), 2);
    json_decref(form);
}

static void resubmission_sees_the_approval(void **state)
{
    struct two *t = *state;
    json_t *form = store_form_get(t->first, "bao-cao-2026");
    assert_non_null(form);
    struct sub_refusal why;
    int64_t id = submit(t->first, form, "submit", "2026-10-25", &why);
    assert_true(id > 0);
    struct job j = { .d = t->second, .form = form, .sub = id };
    race(t, &j, resubmit_job, id, reviewer(t->first, "c@example.vn"));
    assert_int_equal(j.rc, 0);
    assert_non_null(strstr(j.why.why, "phê duyệt"));
    /* Still approved, the approved values untouched. */
    db_stmt *s = db_prepare(t->first, "SELECT status FROM submission WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "approved");
    json_decref(row);
    assert_int_equal(scalar(t->first, "SELECT COUNT(*) FROM submission_history WHERE submission_id = ?", id), 2);
    json_decref(form);
}

struct form_job { db *d; json_t *def; enum store_status st; struct store_result res; };

static void *form_job(void *p)
{
    struct form_job *j = p;
    int64_t id = 0;
    j->st = store_form_put(j->d, j->def, 0, &id, &j->res);
    return NULL;
}

/* Two new forms with one code: the second is refused as invalid input (the code is taken), not a store error. */
static void form_code_is_checked_under_the_lock(void **state)
{
    struct two *t = *state;
    json_error_t e;
    json_t *def = json_load_file("tests/fixtures/reporting/quarterly_form.json", 0, &e);
    assert_non_null(def);
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    assert_int_equal(db_begin(t->first), 0);
    assert_int_equal(store_form_put(t->first, def, 0, &id, &res), STORE_OK);
    struct form_job j = { .d = t->second, .def = def };
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, form_job, &j), 0);
    usleep(300 * 1000);
    assert_int_equal(db_commit(t->first), 0);
    pthread_join(th, NULL);
    assert_int_equal(j.st, STORE_INVALID);
    assert_non_null(json_object_get(j.res.fields, "code"));
    assert_int_equal(scalar(t->first, "SELECT COUNT(*) FROM form WHERE code = 'khao-sat-2026'", 0), 1);
    store_result_free(&j.res);
    json_decref(def);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(second_approval_sees_the_first, setup, teardown),
        cmocka_unit_test_setup_teardown(resubmission_sees_the_approval, setup, teardown),
        cmocka_unit_test_setup_teardown(form_code_is_checked_under_the_lock, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
