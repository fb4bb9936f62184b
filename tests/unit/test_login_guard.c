/* Unit tests for the sign-in guard (src/store/login_guard.c) on a real migrated database, with the clock and the
 * addresses in the test's hands: the account's slowing grows and stops at its cap, a device keeps its word until it
 * fails itself, one address is slowed only by failures over many logins and then by seconds, never locked; and for
 * safe_next (src/http/safe_next.c), which only lets plain local paths through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture_db.h"
#include "store/login_guard.h"
#include "http/safe_next.h"

static const struct login_policy P = { .free_failures = 5, .delay_s = 30, .delay_max_s = 300, .window_s = 86400,
                                       .address_logins = 30, .address_window_s = 900, .address_gap_s = 5 };

struct fixture { db *d; char path[160]; };

static int setup(void **state)
{
    static int n;
    struct fixture *f = calloc(1, sizeof *f);
    f->d = fixture_db_open(f->path, sizeof f->path, "login-guard", n++);
    assert_non_null(f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->d);
    fixture_db_unlink(f->path);
    free(f);
    return 0;
}

/* One attempt that turns out wrong: the wait it was refused with, or 0 when it was checked (and stays a failure). */
static int wrong(db *d, const char *login, const char *ip, const char *device, int64_t now)
{
    struct login_try t = { login, ip, device, now };
    struct login_verdict v;
    assert_int_equal(store_login_admit(d, &P, &t, &v), 0);
    return v.wait;
}

static void test_account_slows_down_to_a_cap_and_forgets_after_success(void **state)
{
    db *d = ((struct fixture *)*state)->d;
    int64_t t = 1700000000;
    for (int i = 0; i < 5; i++) assert_int_equal(wrong(d, "a@x.vn", "10.0.0.1", NULL, t), 0);
    /* From any address: the account's own limit does not care where the guesses come from. */
    assert_int_equal(wrong(d, "a@x.vn", "10.9.9.9", NULL, t + 1), 29);
    int expect[] = { 30, 60, 120, 240, 300, 300, 300 };
    for (int i = 0; i < 7; i++) {
        t += expect[i] - 1;
        assert_int_equal(wrong(d, "a@x.vn", "10.0.0.1", NULL, t), 1);   /* one second early */
        t += 1;
        assert_int_equal(wrong(d, "a@x.vn", "10.0.0.1", NULL, t), 0);   /* on time: checked */
    }
    assert_int_equal(wrong(d, "a@x.vn", "10.0.0.1", NULL, t), 300);
    /* The right password after the wait clears the slate. */
    struct login_try ok = { "a@x.vn", "10.0.0.2", NULL, t + 300 };
    struct login_verdict v;
    assert_int_equal(store_login_admit(d, &P, &ok, &v), 0);
    assert_int_equal(v.wait, 0);
    assert_int_equal(store_login_succeeded(d, &ok, v.trusted), 0);
    assert_int_equal(wrong(d, "a@x.vn", "10.0.0.1", NULL, t + 301), 0);
    /* A day later old failures are forgotten. */
    for (int i = 0; i < 5; i++) wrong(d, "b@x.vn", "10.0.0.1", NULL, t);
    assert_true(wrong(d, "b@x.vn", "10.0.0.1", NULL, t) > 0);
    assert_int_equal(wrong(d, "b@x.vn", "10.0.0.1", NULL, t + 86400), 0);
}

static void test_a_device_keeps_its_word_until_it_fails_itself(void **state)
{
    db *d = ((struct fixture *)*state)->d;
    int64_t t = 1700000000;
    for (int i = 0; i < 20; i++) wrong(d, "c@x.vn", "10.0.0.3", NULL, t + i);
    assert_true(wrong(d, "c@x.vn", "10.0.0.3", NULL, t + 20) > 0);
    struct login_try dev = { "c@x.vn", "10.0.0.3", "hash-of-device", t + 20 };
    struct login_verdict v;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(store_login_admit(d, &P, &dev, &v), 0);
        assert_int_equal(v.wait, 0);
        assert_true(v.trusted);
    }
    /* Five failures of its own: the device is one more untrusted client, under the account's slowing. */
    assert_int_equal(store_login_admit(d, &P, &dev, &v), 0);
    assert_false(v.trusted);
    assert_true(v.wait > 0);
    /* The device's success forgets only the device's failures, not the guesses made elsewhere. */
    struct login_try dev2 = { "c@x.vn", "10.0.0.3", "hash-of-device-2", t + 21 };
    assert_int_equal(store_login_admit(d, &P, &dev2, &v), 0);
    assert_true(v.trusted);
    assert_int_equal(store_login_succeeded(d, &dev2, true), 0);
    assert_true(wrong(d, "c@x.vn", "10.0.0.4", NULL, t + 22) > 0);
}

static void test_an_address_is_slowed_by_spraying_only_and_by_seconds(void **state)
{
    db *d = ((struct fixture *)*state)->d;
    int64_t t = 1700000000;
    char login[32];
    /* Many failures on one login do not slow the address for other logins. */
    for (int i = 0; i < 40; i++) wrong(d, "victim@x.vn", "10.0.0.5", NULL, t);
    assert_int_equal(wrong(d, "neighbour@x.vn", "10.0.0.5", NULL, t), 0);
    /* 30 logins, one try each, are spraying: the next untrusted try from there waits a few seconds. */
    for (int i = 0; i < 28; i++) {
        snprintf(login, sizeof login, "u%d@x.vn", i);
        assert_int_equal(wrong(d, login, "10.0.0.5", NULL, t), 0);
    }
    assert_int_equal(wrong(d, "someone@x.vn", "10.0.0.5", NULL, t + 2), 3);
    assert_int_equal(wrong(d, "someone@x.vn", "10.0.0.5", NULL, t + 5), 0);
    assert_int_equal(wrong(d, "other@x.vn", "10.0.0.5", NULL, t + 6), 4);
    /* Other addresses, and devices that signed in before at this one, are untouched. */
    assert_int_equal(wrong(d, "other@x.vn", "10.0.0.6", NULL, t + 6), 0);
    struct login_try dev = { "u1@x.vn", "10.0.0.5", "device-of-u1", t + 6 };
    struct login_verdict v;
    assert_int_equal(store_login_admit(d, &P, &dev, &v), 0);
    assert_int_equal(v.wait, 0);
    assert_true(v.trusted);
    /* A quarter of an hour later the address is forgotten. */
    assert_int_equal(wrong(d, "late@x.vn", "10.0.0.5", NULL, t + 5 + 901), 0);
}

static void test_device_cookies_belong_to_one_account_and_expire(void **state)
{
    db *d = ((struct fixture *)*state)->d;
    assert_int_equal(db_exec(d, "INSERT INTO app_user (id, email, name, password_hash, created_at) VALUES "
                                "(7, 'd@x.vn', 'D', 'x', '2026-01-01T00:00:00Z'), (8, 'e@x.vn', 'E', 'x', '2026-01-01T00:00:00Z')"), 0);
    int64_t t = 1700000000;
    assert_int_equal(db_begin(d), 0);
    assert_int_equal(store_login_device_issue(d, 7, "h1", NULL, t, t + 100), 0);
    assert_int_equal(db_commit(d), 0);
    assert_int_equal(store_login_device_user(d, "h1", t + 99), 7);
    assert_int_equal(store_login_device_user(d, "h1", t + 100), 0);
    assert_int_equal(store_login_device_user(d, "nope", t), 0);
    /* A new cookie replaces the one the browser sent, whoever it was for. */
    assert_int_equal(store_login_device_issue(d, 8, "h2", "h1", t + 1, t + 100), 0);
    assert_int_equal(store_login_device_user(d, "h1", t + 2), 0);
    assert_int_equal(store_login_device_user(d, "h2", t + 2), 8);
    /* At most 20 per account: the oldest go. */
    char h[16];
    for (int i = 0; i < 25; i++) {
        snprintf(h, sizeof h, "k%02d", i);
        assert_int_equal(store_login_device_issue(d, 7, h, NULL, t + 10 + i, t + 1000), 0);
    }
    assert_int_equal(store_login_device_user(d, "k04", t + 50), 0);
    assert_int_equal(store_login_device_user(d, "k05", t + 50), 7);
    assert_int_equal(store_login_device_user(d, "k24", t + 50), 7);
}

static void test_safe_next_lets_only_local_paths_through(void **state)
{
    const char *ok[] = { "/", "/tai-khoan", "/khoa-hoc/an-toan-so?tab=bai-hoc", "/a/%2F/b", "/x#y", NULL };
    const char *bad[] = { NULL, "", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
                          "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " /evil", "/ /evil", "/\v/evil",
                          "/\f/evil", "/x\\y", "/\xc2\xa0/evil", "https://evil.example", "javascript:alert(1)",
                          "evil.example", "/x\x7f", "/x\x01" };
    for (const char **p = ok; *p; p++) assert_true(safe_next(*p));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) assert_false(safe_next(bad[i]));
    assert_string_equal(safe_next_or("/\t/evil", "/tai-khoan"), "/tai-khoan");
    assert_string_equal(safe_next_or("/ke-hoach", "/tai-khoan"), "/ke-hoach");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_account_slows_down_to_a_cap_and_forgets_after_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_device_keeps_its_word_until_it_fails_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_address_is_slowed_by_spraying_only_and_by_seconds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_cookies_belong_to_one_account_and_expire, setup, teardown),
        cmocka_unit_test(test_safe_next_lets_only_local_paths_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
