/* Unit tests for the news store (store/article.c): slug numbering of titles already used, and that numbering holds
 * when two editors save the same title at once; refused saves write nothing. Runs on a real migrated SQLite file; must not touch HTTP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/article.h"
#include "export/markdown.h"

static char path[160];

static json_t *article(const char *title)
{
    return json_pack("{s:s, s:s, s:s}", "title", title, "body_md", "Nội dung **bài viết**.", "status", "published");
}

static int64_t save(db *d, const char *title)
{
    json_t *in = article(title);
    int64_t id = 0;
    struct store_result res = STORE_RESULT_OK;
    enum store_status st = store_article_save(d, in, 0, 0, &id, NULL, &res);
    json_decref(in);
    store_result_free(&res);
    return st == STORE_OK ? id : -1;
}

static const char *slug_of_id(db *d, int64_t id, json_t **keep)
{
    db_stmt *s = db_prepare(d, "SELECT slug FROM article WHERE id = ?");
    db_bind_int(s, 1, id);
    *keep = db_row(s);
    return json_string_value(json_object_get(*keep, "slug"));
}

static void numbered_when_used(void **state)
{
    (void)state;
    db *d = fixture_db_open(path, sizeof path, "article", 1);
    assert_non_null(d);
    int64_t a = save(d, "Lễ phát động"), b = save(d, "Lễ phát động");
    assert_true(a > 0 && b > 0 && a != b);
    json_t *ka, *kb;
    assert_string_equal(slug_of_id(d, a, &ka), "le-phat-dong");
    assert_string_equal(slug_of_id(d, b, &kb), "le-phat-dong-2");
    json_decref(ka);
    json_decref(kb);
    db_close(d);
    fixture_db_unlink(path);
}

static int64_t count(db *d)
{
    return db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM article"), -1);
}

/* Bad input and a missing renderer write nothing, and say why. */
static void refused_writes_nothing(void **state)
{
    (void)state;
    db *d = fixture_db_open(path, sizeof path, "article", 3);
    assert_non_null(d);
    struct store_result res = STORE_RESULT_OK;
    json_t *in = json_pack("{s:s, s:s}", "title", "", "body_md", "x");
    assert_int_equal(store_article_save(d, in, 0, 0, NULL, NULL, &res), STORE_INVALID);
    assert_non_null(json_object_get(res.fields, "title"));
    store_result_free(&res);
    json_decref(in);
    assert_true(save(d, "Bài một") > 0);
    in = json_pack("{s:s, s:s, s:s}", "title", "Bài hai", "body_md", "x", "slug", "bai-mot");
    res = STORE_RESULT_OK;
    assert_int_equal(store_article_save(d, in, 0, 0, NULL, NULL, &res), STORE_INVALID);
    assert_non_null(json_object_get(res.fields, "slug"));
    store_result_free(&res);
    store_article_set_renderer(NULL);
    res = STORE_RESULT_OK;
    json_object_set_new(in, "slug", json_string("bai-hai"));
    assert_int_equal(store_article_save(d, in, 0, 0, NULL, NULL, &res), STORE_ERROR);
    store_article_set_renderer(markdown_html);
    json_decref(in);
    assert_int_equal(count(d), 1);
    db_close(d);
    fixture_db_unlink(path);
}

struct other { int64_t id; };

static void *save_elsewhere(void *arg)
{
    struct other *o = arg;
    db *d = db_open(path, NULL);
    o->id = d ? save(d, "Ngày hội số") : -2;
    db_close(d);
    return NULL;
}

/* The second editor's numbering must see the first's article even when both started before either committed. */
static void numbered_under_concurrency(void **state)
{
    (void)state;
    db *d = fixture_db_open(path, sizeof path, "article", 2);
    assert_non_null(d);
    assert_int_equal(db_begin(d), 0);
    int64_t first = save(d, "Ngày hội số");
    assert_true(first > 0);
    struct other o = { 0 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, save_elsewhere, &o), 0);
    usleep(300 * 1000);   /* the other connection counts slugs (or waits for the write lock) while ours is open */
    assert_int_equal(db_commit(d), 0);
    pthread_join(t, NULL);
    assert_true(o.id > 0);
    json_t *k;
    assert_string_equal(slug_of_id(d, o.id, &k), "ngay-hoi-so-2");
    json_decref(k);
    db_close(d);
    fixture_db_unlink(path);
}

int main(void)
{
    store_article_set_renderer(markdown_html);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbered_when_used),
        cmocka_unit_test(numbered_under_concurrency),
        cmocka_unit_test(refused_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
