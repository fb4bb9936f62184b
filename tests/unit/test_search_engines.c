/* Search and the assistant give the same answers on SQLite and on PostgreSQL (DXDAY_TEST_PG; skipped when unset): the
 * same passages indexed on both, then the same results, order, scores, snippets and answers. Must not mock an engine. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include "store/assistant.h"
#include "store/migrate.h"
#include "store/search.h"

struct env {
    db *sq, *pg;
    char path[160], admin[512], target[700], dbname[64];
};
static struct env env;

/* The same text with its letters decomposed (NFD), as some keyboards and copied PDFs send it. */
static char *nfd(const char *s) { return (char *)utf8proc_NFD((const utf8proc_uint8_t *)s); }

struct doc { const char *kind; int64_t ref; const char *title, *body; bool decompose; };

/* Written for this test: diacritics, no diacritics, NFD, a title alone, long bodies cut into several passages and into
 * snippet windows, sentences ended by '.' and ':', and twins that tie on score. */
static const struct doc docs[] = {
    { "article", 1, "Ngày Chuyển đổi số quốc gia 10/10",
      "Ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia. Năm nay chủ đề là đưa dịch vụ công trực tuyến đến mọi "
      "người dân. Các tỉnh tổ chức tuần lễ hưởng ứng: tuyên truyền, hướng dẫn cài đặt ứng dụng, đổi thẻ căn cước và "
      "mở tài khoản thanh toán. Tổ công nghệ số cộng đồng đến từng thôn, bản để giúp người cao tuổi. Mỗi xã báo cáo "
      "kết quả trước ngày 15/10 cho Sở Khoa học và Công nghệ.", false },
    { "article", 2, "Xã Ea Tu chuyển đổi số từ thôn bản",
      "Ở Đắk Lắk, xã Ea Tu thành lập tổ công nghệ số cộng đồng. Thanh niên hướng dẫn bà con đổi mật khẩu, dùng "
      "VNeID và nộp hồ sơ trực tuyến. Chủ tịch xã nói: chuyển đổi số bắt đầu từ thói quen nhỏ.", true },
    { "faq", 3, "Cach doi mat khau VNeID",
      "Nguoi dan mo ung dung VNeID, chon Cai dat, roi chon Doi mat khau. Nhap mat khau cu va mat khau moi hai lan. "
      "Neu quen mat khau, den cong an xa de duoc ho tro.", false },
    { "task", 4, "Đổi mới cung cấp dịch vụ công trực tuyến toàn trình",
      "Đơn vị chủ trì: Văn phòng UBND tỉnh. Phối hợp: các sở, ban, ngành. Thời hạn: 31/12/2026. Sản phẩm: tỷ lệ hồ "
      "sơ trực tuyến toàn trình đạt 80 %.", false },
    { "offer", 5, "Ưu đãi đổi điện thoại thông minh cho hộ nghèo", "", false },
    { "offer", 6, "Ưu đãi đổi điện thoại thông minh cho hộ nghèo", "", false }, /* a twin: the tie goes to the lower id */
    { "faq", 7, "An toàn thông tin khi dùng mạng xã hội",
      "Không chia sẻ mã OTP cho bất kỳ ai. Cảnh giác với tin nhắn giả danh ngân hàng hay cơ quan công an: họ không "
      "bao giờ yêu cầu chuyển tiền qua điện thoại. Khi nghi ngờ, gọi đường dây nóng của tỉnh.", true },
    { "activity", 8, "Hội thi tìm hiểu chuyển đổi số",
      "Đoàn thanh niên tổ chức hội thi cho học sinh: mỗi đội trả lời câu hỏi về kỹ năng số, an toàn thông tin và "
      "dịch vụ công. Đội thắng được đổi quà là máy tính bảng.", false },
};

/* A long course, cut into several passages, each longer than a snippet. */
static void put_course(db *d)
{
    static const char *const s[] = {
        "Bài một giới thiệu kỹ năng số cơ bản cho người dân.",
        "Học viên biết cách tìm kiếm thông tin, đổi mật khẩu và giữ an toàn tài khoản.",
        "Bài hai hướng dẫn nộp hồ sơ dịch vụ công trực tuyến trên Cổng Dịch vụ công quốc gia.",
        "Cuối mỗi bài có câu hỏi ôn tập: trả lời đúng tám câu là đạt.",
        "Bài ba nói về thanh toán không dùng tiền mặt và cách nhận biết lừa đảo qua mạng.",
    };
    char body[4096];
    size_t n = 0;
    for (int p = 0; p < 4; p++) {
        for (int k = 0; k < 5; k++)
            n += (size_t)snprintf(body + n, sizeof body - n, "%s ", s[(k + p) % 5]);
        n += (size_t)snprintf(body + n, sizeof body - n, "\n\n");
    }
    assert_int_equal(store_search_put(d, "course", 9, "Khóa học kỹ năng số cho mọi người", body, "/khoa-hoc/9", NULL), 0);
}

/* Many short passages drawn from a small vocabulary (a fixed seed): enough that common syllables fall in half of them
 * and leave the query, and that equal scores happen. */
static const char *const words[] = {
    "chuyển", "đổi", "số", "dịch", "vụ", "công", "trực", "tuyến", "người", "dân", "kỹ", "năng", "an", "toàn",
    "thông", "tin", "thanh", "toán", "hồ", "sơ", "tỉnh", "xã", "thôn", "bản", "học", "sinh", "doanh", "nghiệp",
    "ứng", "dụng", "mật", "khẩu", "đổi", "số", "của", "và", "cho", "các", "những", "là",
};

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) { return rnd_state = rnd_state * 1103515245u + 12345u, (rnd_state >> 8) & 0xFFFFFF; }

static void phrase(char *out, size_t len, int nwords, const char *stop)
{
    size_t n = 0;
    for (int k = 0; k < nwords; k++)
        n += (size_t)snprintf(out + n, len - n, "%s%s%s", k ? " " : "", words[rnd() % (sizeof words / sizeof *words)],
                              stop && k % 9 == 8 ? stop : "");
}

static void put_all(db *d)
{
    assert_int_equal(db_begin(d), 0);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char *t = docs[i].decompose ? nfd(docs[i].title) : strdup(docs[i].title);
        char *b = docs[i].decompose ? nfd(docs[i].body) : strdup(docs[i].body);
        char url[64];
        snprintf(url, sizeof url, "/%s/%lld", docs[i].kind, (long long)docs[i].ref);
        assert_int_equal(store_search_put(d, docs[i].kind, docs[i].ref, t, b, url, NULL), 0);
        free(t);
        free(b);
    }
    put_course(d);
    rnd_state = 12345;
    for (int i = 0; i < 150; i++) {
        char title[256], body[2048], url[32];
        phrase(title, sizeof title, 2 + (int)(rnd() % 4), NULL);
        phrase(body, sizeof body, 10 + (int)(rnd() % 50), i % 3 ? ". " : ": ");
        snprintf(url, sizeof url, "/tin/%d", 100 + i);
        assert_int_equal(store_search_put(d, i % 2 ? "article" : "faq", 100 + i, title, body, url, NULL), 0);
    }
    assert_int_equal(db_commit(d), 0);
}

static int group_setup(void **state)
{
    env.sq = fixture_db_open(env.path, sizeof env.path, "search-engines", 0);
    if (!env.sq) return -1;
    const char *url = getenv("DXDAY_TEST_PG");
    if (url && *url) {
        snprintf(env.admin, sizeof env.admin, "%s", url);
        snprintf(env.dbname, sizeof env.dbname, "dxday_search_engines_%d", (int)getpid());
        snprintf(env.target, sizeof env.target, "%s%cdbname=%s", url, strchr(url, '?') ? '&' : '?', env.dbname);
        char *err = NULL, sql[160];
        db *a = db_open(env.admin, &err);
        if (!a) {
            fprintf(stderr, "cannot open DXDAY_TEST_PG (%s): %s\n", url, err);
            free(err);
            return -1;
        }
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", env.dbname);
        int rc = db_exec(a, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", env.dbname);
        if (!rc) rc = db_exec(a, sql);
        db_close(a);
        if (rc || !(env.pg = db_open(env.target, NULL)) || store_migrate(env.pg)) {
            fprintf(stderr, "cannot create and migrate %s\n", env.dbname);
            return -1;
        }
    }
    *state = &env;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close(env.sq);
    fixture_db_unlink(env.path);
    if (env.pg) {
        db_close(env.pg);
        db *a = db_open(env.admin, NULL);
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", env.dbname);
        if (a) db_exec(a, sql);
        db_close(a);
    }
    return 0;
}

static void need_pg(void)
{
    if (!env.pg) {
        print_message("DXDAY_TEST_PG is not set: PostgreSQL skipped\n");
        skip();
    }
}

static char *dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17)) : strdup("(null)");
    json_decref(j);
    return s;
}

static int64_t total(json_t *r) { return json_integer_value(json_object_get(r, "total")); }

static void indexes_the_same_passages(void **state)
{
    (void)state;
    put_all(env.sq);
    if (env.pg) put_all(env.pg);
    const char *sql = "SELECT id, kind, ref_id, seq, title, body FROM search_passage ORDER BY id";
    char *a = dump(db_rows(db_prepare(env.sq, sql)));
    assert_true(strlen(a) > 1000);
    if (env.pg) {
        char *b = dump(db_rows(db_prepare(env.pg, sql)));
        assert_string_equal(a, b);
        free(b);
    }
    free(a);
}

/* Folded, accented and decomposed spellings are one query on each engine. */
static void spellings_find_the_same(void **state)
{
    (void)state;
    char *doi_nfd = nfd("đổi"), *cds_nfd = nfd("Chuyển đổi số");
    const char *const sets[][3] = { { "doi", "đổi", doi_nfd }, { "chuyen doi so", "CHUYỂN ĐỔI SỐ", cds_nfd },
                                    { "dak lak", "Đắk Lắk", "ĐẮK LẮK" } };
    for (db *const *d = (db *const[]){ env.sq, env.pg, NULL }; *d; d++) {
        for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
            json_t *r = store_search(*d, sets[i][0], NULL, 50);
            assert_true(total(r) >= 1);
            json_object_del(r, "query");
            char *want = dump(r);
            for (int k = 1; k < 3; k++) {
                json_t *o = store_search(*d, sets[i][k], NULL, 50);
                json_object_del(o, "query");
                char *got = dump(o);
                if (strcmp(want, got)) fail_msg("%s: '%s' and '%s' differ\n%s\n%s", db_engine(*d), sets[i][0], sets[i][k], want, got);
                free(got);
            }
            free(want);
        }
        /* "doi" finds the NFD article, the FAQ without diacritics and the title alone (among the many passages of
         * the drawn vocabulary that hold it too). */
        json_t *r = store_search(*d, "doi", NULL, 200);
        char *s = dump(r);
        for (const char *const *u = (const char *const[]){ "/article/2", "/faq/3", "/offer/5", NULL }; *u; u++)
            if (!strstr(s, *u)) fail_msg("%s: 'doi' does not find %s: %s", db_engine(*d), *u, s);
        free(s);
    }
    free(doi_nfd);
    free(cds_nfd);
}

/* a and b (freed) must be the same JSON; both are printed in full when they are not. */
static void compare(const char *what, const char *q, json_t *a, json_t *b)
{
    char *x = dump(a), *y = dump(b);
    if (strcmp(x, y)) {
        fprintf(stderr, "%s('%s')\n  first:  %s\n  second: %s\n", what, q, x, y);
        fail_msg("%s('%s') differs", what, q);
    }
    free(x);
    free(y);
}

static const char *const queries[] = {
    "doi", "đổi", "chuyển đổi số", "Ngày chuyển đổi số là ngày nào", "dịch vụ công trực tuyến", "kỹ năng số",
    "Đắk Lắk", "mật khẩu VNeID", "an toàn thông tin", "ưu đãi điện thoại", "thanh toan", "hồ sơ", "tổ công nghệ số",
    "10/10", "31/12/2026", "không có gì zzqx", "của và cho", "số", "\"chuyen\" OR doi*", "NEAR(đổi số)", "'; DROP",
    "a\\b", "chuyen_doi", "",
};

/* The portal's grouped results: the same items in the same order, the same scores to the last bit, the same snippets,
 * the same totals, with and without a kind, at several page sizes. */
static void search_is_the_same_on_both(void **state)
{
    (void)state;
    need_pg();
    char q[512];
    for (int i = 0; i < 120; i++) {
        const char *text = q;
        if (i < (int)(sizeof queries / sizeof *queries))
            text = queries[i];
        else
            phrase(q, sizeof q, 1 + (int)(rnd() % 5), NULL);
        static const char *const kinds[] = { NULL, "faq", "article", "offer", "no-such-kind" };
        const char *kind = kinds[i % 5 == 4 ? 0 : i % 5];
        int limit = (int[]){ 20, 1, 3, 200, 0 }[i % 5];
        compare("store_search", text, store_search(env.sq, text, kind, limit), store_search(env.pg, text, kind, limit));
        compare("store_search_passages", text, store_search_passages(env.sq, text, 24),
                store_search_passages(env.pg, text, 24));
    }
    /* Not merely empty on both: the main queries find several items, and the twins tie with the lower id first. */
    json_t *r = store_search(env.pg, "ưu đãi điện thoại", "offer", 20);
    assert_int_equal(total(r), 2);
    json_t *items = json_object_get(json_array_get(json_object_get(r, "groups"), 0), "items");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "ref_id")), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "ref_id")), 6);
    json_decref(r);
    r = store_search(env.pg, "chuyển đổi số", NULL, 20);
    assert_true(total(r) >= 5);
    const char *snip = json_string_value(json_object_get(json_array_get(json_object_get(
        json_array_get(json_object_get(r, "groups"), 0), "items"), 0), "snippet"));
    assert_non_null(strstr(snip, "<mark>"));
    json_decref(r);
}

/* Snippets of long passages: cut with "…" at the same words on both engines. */
static void long_snippets_are_cut_alike(void **state)
{
    (void)state;
    need_pg();
    const char *const qs[] = { "báo cáo kết quả", "người cao tuổi", "mật khẩu", "lừa đảo", "ôn tập", NULL };
    int cut = 0;
    for (int i = 0; qs[i]; i++) {
        json_t *a = store_search(env.sq, qs[i], NULL, 5), *b = store_search(env.pg, qs[i], NULL, 5);
        char *x = dump(json_incref(a));
        cut += strstr(x, "…") != NULL;
        free(x);
        compare("store_search", qs[i], a, b);
    }
    assert_true(cut >= 3);
}

/* The assistant's reply, confidence and sources are the same. */
static void the_assistant_answers_alike(void **state)
{
    (void)state;
    need_pg();
    const char *const qs[] = {
        "Ngày chuyển đổi số quốc gia là ngày nào?", "Làm sao đổi mật khẩu VNeID?", "Ai chủ trì dịch vụ công trực tuyến toàn trình?",
        "Thời hạn báo cáo kết quả là khi nào?", "Có được chia sẻ mã OTP không?", "doi mat khau", "là gì", NULL,
    };
    int confident = 0;
    for (int i = 0; qs[i]; i++) {
        json_t *a = store_ask(env.sq, qs[i]);
        confident += !json_is_true(json_object_get(a, "uncertain"));
        compare("store_ask", qs[i], a, store_ask(env.pg, qs[i]));
    }
    assert_true(confident >= 3);
}

/* Counts of terms are kept per connection: a passage another connection writes must still be found and counted at
 * once, as a connection opened afterwards finds and counts it, on both engines alike. Runs last: it adds passages. */
static void writes_through_another_connection_are_seen(void **state)
{
    (void)state;
    db *const mine[2] = { env.sq, env.pg };
    const char *const target[2] = { env.path, env.target };
    char *seen[2] = { NULL, NULL };
    for (int e = 0; e < 2 && mine[e]; e++) {
        json_decref(store_search(mine[e], "đổi mới sáng tạo", NULL, 20)); /* counts "doi", "moi"... kept */
        json_decref(store_search_passages(mine[e], "đổi mới sáng tạo", 24));
        db *other = db_open(target[e], NULL);
        assert_non_null(other);
        assert_int_equal(store_search_put(other, "article", 500, "Đổi mới sáng tạo ở xã",
                                          "Xã phát động phong trào đổi mới sáng tạo trong chuyển đổi số.", "/a/500", NULL), 0);
        assert_int_equal(db_begin(other), 0);
        for (int i = 0; i < 3; i++) {
            char url[32];
            snprintf(url, sizeof url, "/a/%d", 501 + i);
            assert_int_equal(store_search_put(other, "article", 501 + i, "Tin ngắn", "Đổi mới sáng tạo.", url, NULL), 0);
        }
        assert_int_equal(db_commit(other), 0);
        json_t *r = store_search(mine[e], "đổi mới sáng tạo", NULL, 20);
        char *got = dump(json_incref(r));
        if (!strstr(got, "/a/500")) fail_msg("%s: a passage written elsewhere is not found: %s", db_engine(mine[e]), got);
        db *fresh = db_open(target[e], NULL);
        assert_non_null(fresh);
        compare("store_search after another connection's write", db_engine(mine[e]), r,
                store_search(fresh, "đổi mới sáng tạo", NULL, 20));
        compare("store_search_passages after another connection's write", db_engine(mine[e]),
                store_search_passages(mine[e], "đổi mới sáng tạo", 24), store_search_passages(fresh, "đổi mới sáng tạo", 24));
        db_close(fresh);
        db_close(other);
        seen[e] = got;
    }
    if (seen[1] && strcmp(seen[0], seen[1])) fail_msg("the engines differ after the writes\n%s\n%s", seen[0], seen[1]);
    free(seen[0]);
    free(seen[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(indexes_the_same_passages),
        cmocka_unit_test(spellings_find_the_same),
        cmocka_unit_test(search_is_the_same_on_both),
        cmocka_unit_test(long_snippets_are_cut_alike),
        cmocka_unit_test(the_assistant_answers_alike),
        cmocka_unit_test(writes_through_another_connection_are_seen),
    };
    return cmocka_run_group_tests_name("search on sqlite and postgresql", tests, group_setup, group_teardown);
}
