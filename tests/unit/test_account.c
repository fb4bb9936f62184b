/* Unit tests for the accounts aggregate's store (store/account.c, session.c, audit.c, signup.c, health.c) on a real
 * migrated database: the subtree a role covers, the list an admin sees, session expiry, and the audit entry that stands
 * or falls with its caller's transaction. Must not share state between tests: each gets a fresh database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fixture_db.h"
#include "store/account.h"
#include "store/audit.h"
#include "store/health.h"
#include "store/org.h"
#include "store/session.h"
#include "store/signup.h"

struct fixture { db *d; char path[160]; };

static int setup(void **state)
{
    static int n;
    struct fixture *f = calloc(1, sizeof *f);
    f->d = fixture_db_open(f->path, sizeof f->path, "account", n++);
    assert_non_null(f->d);
    /* A commune under each of two neighbouring provinces (the reference data stops at departments). */
    assert_int_equal(db_exec(f->d,
        "INSERT INTO org_unit (code, kind, level, parent_id, name, name_folded, path) "
        "SELECT 'xa-test-' || p.code, 'commune', 'commune', p.id, 'Xã thử ' || p.name, 'xa thu', '' FROM org_unit p "
        "WHERE p.code IN ('nghe-an', 'ha-tinh');"
        "UPDATE org_unit SET path = (SELECT p.path FROM org_unit p WHERE p.id = org_unit.parent_id) || id || '/' "
        "WHERE code LIKE 'xa-test-%';"), 0);
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

static db *D(void **state) { return ((struct fixture *)*state)->d; }

static int64_t org(db *d, const char *code)
{
    int64_t id = store_org_id(d, code);
    assert_true(id > 0);
    return id;
}

static int64_t account(db *d, const char *login)
{
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    assert_int_equal(store_account_create(d, login, "Người thử", "hash", "2026-01-01T00:00:00Z", &id, &res), STORE_OK);
    assert_true(id > 0);
    return id;
}

static void grant(db *d, int64_t uid, const char *role, const char *unit)
{
    struct store_result res = STORE_RESULT_OK;
    assert_int_equal(store_account_grant(d, uid, role, org(d, unit), &res), STORE_OK);
}

static void test_a_role_covers_its_units_subtree_and_nothing_else(void **state)
{
    db *d = D(state);
    int64_t officer = account(d, "officer@x.vn"), admin = account(d, "admin@x.vn"), coord = account(d, "coord@x.vn");
    int64_t ministry = account(d, "ministry@x.vn"), learner = account(d, "learner@x.vn");
    grant(d, officer, "officer", "nghe-an");
    grant(d, admin, "admin", "nghe-an");
    grant(d, coord, "coordinator", "vn");
    grant(d, ministry, "officer", "bo-ct");   /* path /1/12/, a prefix of Nghệ An's /1/120/ as text */

    /* A role on a province covers the province and its communes, not its neighbour's, nor the unit above it. */
    assert_true(store_account_holds(d, officer, "officer", org(d, "nghe-an")));
    assert_true(store_account_holds(d, officer, "officer", org(d, "xa-test-nghe-an")));
    assert_true(store_account_holds(d, officer, "officer", org(d, "so-tttt-nghe-an")));
    assert_false(store_account_holds(d, officer, "officer", org(d, "ha-tinh")));
    assert_false(store_account_holds(d, officer, "officer", org(d, "xa-test-ha-tinh")));
    assert_false(store_account_holds(d, officer, "officer", org(d, "vn")));
    /* Nor another role on the same unit. */
    assert_false(store_account_holds(d, officer, "coordinator", org(d, "nghe-an")));
    assert_false(store_account_holds(d, officer, "admin", org(d, "xa-test-nghe-an")));

    /* Admin covers every role, within its own subtree only. */
    for (const char *const *role = (const char *const[]){ "officer", "coordinator", "moderator", "admin", NULL }; *role; role++) {
        assert_true(store_account_holds(d, admin, *role, org(d, "xa-test-nghe-an")));
        assert_false(store_account_holds(d, admin, *role, org(d, "xa-test-ha-tinh")));
    }

    /* A role on 'vn' covers every unit, and still only that role. */
    assert_true(store_account_holds(d, coord, "coordinator", org(d, "vn")));
    assert_true(store_account_holds(d, coord, "coordinator", org(d, "xa-test-ha-tinh")));
    assert_true(store_account_holds(d, coord, "coordinator", org(d, "so-tttt-nghe-an")));
    assert_false(store_account_holds(d, coord, "officer", org(d, "xa-test-ha-tinh")));

    /* Paths compare by whole segments: /1/12/ is not above /1/120/. */
    assert_true(store_account_holds(d, ministry, "officer", org(d, "bo-ct")));
    assert_false(store_account_holds(d, ministry, "officer", org(d, "nghe-an")));

    /* Somewhere at all: admin counts as any role; a learner holds none. */
    assert_true(store_account_holds_any(d, officer, "officer"));
    assert_false(store_account_holds_any(d, officer, "admin"));
    assert_true(store_account_holds_any(d, admin, "juror"));
    assert_false(store_account_holds_any(d, learner, "officer"));
    assert_false(store_account_holds(d, learner, "officer", org(d, "vn")));
    assert_false(db_failed(d));
}

static size_t index_of(json_t *items, const char *email)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "email")), email)) return i;
    return (size_t)-1;
}

static void test_the_user_list_is_narrowed_to_the_admins_subtree(void **state)
{
    db *d = D(state);
    int64_t admin = account(d, "a-admin@x.vn"), near = account(d, "b-commune@x.vn"), far = account(d, "c-neighbour@x.vn");
    int64_t both = account(d, "d-both@x.vn"), learner = account(d, "e-learner@x.vn");
    grant(d, admin, "admin", "nghe-an");
    grant(d, near, "officer", "xa-test-nghe-an");
    grant(d, far, "officer", "ha-tinh");
    grant(d, both, "officer", "ha-tinh");
    grant(d, both, "moderator", "so-tttt-nghe-an");

    struct store_result res = STORE_RESULT_OK;
    json_t *items = NULL;
    assert_int_equal(store_accounts_visible(d, admin, false, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 3);   /* the admin, the commune's officer, the one with a role in both */
    assert_true(index_of(items, "a-admin@x.vn") == 0);
    assert_true(index_of(items, "b-commune@x.vn") == 1);
    assert_true(index_of(items, "d-both@x.vn") == 2);
    assert_true(index_of(items, "c-neighbour@x.vn") == (size_t)-1);
    assert_true(index_of(items, "e-learner@x.vn") == (size_t)-1);
    json_decref(items);

    assert_int_equal(store_accounts_visible(d, admin, true, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 5);
    json_decref(items);
    /* Someone who administers nothing sees nobody. */
    assert_int_equal(store_accounts_visible(d, near, false, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);

    assert_int_equal(store_account_visible(d, near, admin, false, &res), STORE_OK);
    assert_int_equal(store_account_visible(d, far, admin, false, &res), STORE_NOT_FOUND);
    assert_string_equal(res.message, "Không tìm thấy tài khoản.");
    assert_int_equal(store_account_visible(d, learner, admin, false, &res), STORE_NOT_FOUND);
    assert_int_equal(store_account_visible(d, far, admin, true, &res), STORE_OK);
    assert_int_equal(store_account_visible(d, 999999, admin, true, &res), STORE_NOT_FOUND);

    /* Of an account with roles in both provinces, the admin sees only the role in its own. */
    assert_int_equal(store_account_roles(d, both, admin, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "role")), "moderator");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "org_code")), "so-tttt-nghe-an");
    json_decref(items);
    assert_int_equal(store_account_roles(d, both, 0, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 2);
    json_decref(items);
}

static void test_accounts_roles_grant_and_revoke(void **state)
{
    db *d = D(state);
    int64_t a = account(d, "same@x.vn"), b = account(d, "other@x.vn");
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    /* A taken login is a conflict on the e-mail field, and writes nothing. */
    assert_int_equal(store_account_create(d, "same@x.vn", "Ai đó", "h", "2026-01-02T00:00:00Z", &id, &res), STORE_CONFLICT);
    assert_int_equal(id, 0);
    assert_non_null(json_object_get(res.fields, "email"));
    store_result_free(&res);
    res = STORE_RESULT_OK;
    assert_int_equal(db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM app_user WHERE email = 'same@x.vn'"), 0), 1);

    /* Granting twice is one role. */
    grant(d, a, "officer", "nghe-an");
    grant(d, a, "officer", "nghe-an");
    json_t *roles;
    assert_int_equal(store_account_roles(d, a, 0, &roles, &res), STORE_OK);
    assert_int_equal(json_array_size(roles), 1);
    int64_t rid = json_integer_value(json_object_get(json_array_get(roles, 0), "id"));
    json_decref(roles);

    /* A role is found only with its own account. */
    char role[32];
    int64_t unit = 0;
    assert_int_equal(store_account_role(d, rid, b, role, sizeof role, &unit, &res), STORE_NOT_FOUND);
    assert_int_equal(store_account_role(d, rid, a, role, sizeof role, &unit, &res), STORE_OK);
    assert_string_equal(role, "officer");
    assert_int_equal(unit, org(d, "nghe-an"));
    assert_int_equal(store_account_revoke(d, rid, &res), STORE_OK);
    assert_int_equal(store_account_role(d, rid, a, role, sizeof role, &unit, &res), STORE_NOT_FOUND);
    assert_false(store_account_holds_any(d, a, "officer"));
}

static void test_a_session_loads_until_it_expires_and_not_after_destroy(void **state)
{
    db *d = D(state);
    int64_t uid = account(d, "s@x.vn"), t = 1790000000;
    struct store_result res = STORE_RESULT_OK;
    struct store_session s;
    assert_int_equal(store_session_create(d, "hash-1", uid, "csrf-1", t, t + 100, &res), STORE_OK);
    assert_int_equal(store_session_load(d, "hash-1", t + 99, &s, &res), STORE_OK);
    assert_int_equal(s.user_id, uid);
    assert_string_equal(s.email, "s@x.vn");
    assert_string_equal(s.csrf, "csrf-1");
    assert_false(s.staff);
    /* Expired at its expiry time, and later. */
    assert_int_equal(store_session_load(d, "hash-1", t + 100, &s, &res), STORE_NOT_FOUND);
    assert_int_equal(store_session_load(d, "hash-1", t + 86400, &s, &res), STORE_NOT_FOUND);
    /* Nothing but the exact hash opens it. */
    assert_int_equal(store_session_load(d, "hash-", t, &s, &res), STORE_NOT_FOUND);
    assert_int_equal(store_session_load(d, "HASH-1", t, &s, &res), STORE_NOT_FOUND);

    /* A role makes its holder staff. */
    grant(d, uid, "officer", "nghe-an");
    assert_int_equal(store_session_load(d, "hash-1", t, &s, &res), STORE_OK);
    assert_true(s.staff);

    /* Destroyed: gone before its expiry; destroying again is no error; other sessions stay. */
    assert_int_equal(store_session_create(d, "hash-2", uid, "csrf-2", t, t + 100, &res), STORE_OK);
    assert_int_equal(store_session_destroy(d, "hash-1", &res), STORE_OK);
    assert_int_equal(store_session_load(d, "hash-1", t + 1, &s, &res), STORE_NOT_FOUND);
    assert_int_equal(store_session_destroy(d, "hash-1", &res), STORE_OK);
    assert_int_equal(store_session_load(d, "hash-2", t + 1, &s, &res), STORE_OK);

    /* A deactivated account's sessions open nothing. */
    assert_int_equal(db_exec(d, "UPDATE app_user SET active = 0 WHERE email = 's@x.vn'"), 0);
    assert_int_equal(store_session_load(d, "hash-2", t + 1, &s, &res), STORE_NOT_FOUND);
    /* Two sessions cannot share a token hash. */
    assert_int_equal(store_session_create(d, "hash-2", uid, "csrf-3", t, t + 100, &res), STORE_ERROR);
}

static int64_t audits(db *d, const char *action)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE action = ?");
    db_bind_text(s, 1, action);
    return db_scalar_int(s, -1);
}

static void test_the_audit_entry_stands_or_falls_with_the_callers_transaction(void **state)
{
    db *d = D(state);
    int64_t uid = account(d, "au@x.vn");
    struct store_result res = STORE_RESULT_OK;

    /* Rolled back with the change it records. */
    assert_int_equal(db_begin(d), 0);
    grant(d, uid, "officer", "nghe-an");
    assert_int_equal(store_audit(d, uid, "10.0.0.1", "role.grant", "user", uid, json_pack("{s:s}", "role", "officer"), &res), STORE_OK);
    assert_int_equal(audits(d, "role.grant"), 1);   /* visible inside the transaction */
    db_rollback(d);
    assert_int_equal(audits(d, "role.grant"), 0);
    assert_false(store_account_holds_any(d, uid, "officer"));

    /* Committed with it: who, where, what, about which entity, and the detail as compact JSON with sorted keys. */
    assert_int_equal(db_begin(d), 0);
    assert_int_equal(store_audit(d, uid, "10.0.0.1", "role.grant", "user", uid,
                                 json_pack("{s:s, s:i}", "role", "officer", "org_id", 120), &res), STORE_OK);
    assert_int_equal(store_audit(d, 0, "10.0.0.2", "login.fail", "user", 0, NULL, &res), STORE_OK);
    assert_int_equal(db_commit(d), 0);
    json_t *items = NULL;
    assert_int_equal(store_audit_recent(d, 10, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 2);
    json_t *fail = json_array_get(items, 0), *g = json_array_get(items, 1);   /* newest first */
    assert_string_equal(json_string_value(json_object_get(fail, "action")), "login.fail");
    assert_true(json_is_null(json_object_get(fail, "email")));       /* nobody signed in */
    assert_true(json_is_null(json_object_get(fail, "entity_id")));
    assert_true(json_is_null(json_object_get(fail, "detail")));
    assert_string_equal(json_string_value(json_object_get(g, "email")), "au@x.vn");
    assert_string_equal(json_string_value(json_object_get(g, "ip")), "10.0.0.1");
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)uid);
    assert_string_equal(json_string_value(json_object_get(g, "entity_id")), idbuf);
    assert_string_equal(json_string_value(json_object_get(g, "detail")), "{\"org_id\":120,\"role\":\"officer\"}");
    json_decref(items);
    assert_int_equal(store_audit_recent(d, 1, &items, &res), STORE_OK);
    assert_int_equal(json_array_size(items), 1);
    json_decref(items);

    /* An entry the log refuses is an error the caller sees, with the engine's reason for the operator. */
    assert_int_equal(db_exec(d, "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'log full'); END;"), 0);
    assert_int_equal(db_begin(d), 0);
    assert_int_equal(store_audit(d, uid, "10.0.0.1", "user.create", "user", uid, NULL, &res), STORE_ERROR);
    assert_non_null(strstr(res.detail, "log full"));
    db_rollback(d);
    assert_int_equal(audits(d, "user.create"), 0);
}

static void test_signup_makes_a_learner_or_a_notice_for_the_owner(void **state)
{
    db *d = D(state);
    struct store_result res = STORE_RESULT_OK;
    int64_t uid = -1, owner = -1;
    assert_int_equal(store_signup(d, "+84912345678", "Học viên", "h", "2026-02-01T00:00:00Z", "2026-01-31T00:00:00Z",
                                  &uid, &owner, &res), STORE_OK);
    assert_true(uid > 0);
    assert_int_equal(owner, 0);
    assert_false(store_account_holds_any(d, uid, "officer"));   /* no role */
    int64_t first = uid;
    /* Taken: no account, the owner named, one notice a day however often it is tried. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_signup(d, "+84912345678", "Kẻ dò", "h2", "2026-02-01T01:00:00Z", "2026-01-31T01:00:00Z",
                                      &uid, &owner, &res), STORE_OK);
        assert_int_equal(uid, 0);
        assert_int_equal(owner, first);
    }
    assert_int_equal(db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM app_user"), 0), 1);
    assert_int_equal(db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM account_notice"), 0), 1);
    assert_int_equal(store_signup(d, "+84912345678", "Kẻ dò", "h2", "2026-02-02T02:00:00Z", "2026-02-01T02:00:00Z",
                                  &uid, &owner, &res), STORE_OK);
    assert_int_equal(db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM account_notice"), 0), 2);
}

static void test_health_counts_the_applied_migrations(void **state)
{
    db *d = D(state);
    assert_true(store_health_migrations(d) > 0);
    assert_int_equal(db_exec(d, "DROP TABLE schema_migration"), 0);
    assert_int_equal(store_health_migrations(d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_role_covers_its_units_subtree_and_nothing_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_user_list_is_narrowed_to_the_admins_subtree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accounts_roles_grant_and_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_session_loads_until_it_expires_and_not_after_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_audit_entry_stands_or_falls_with_the_callers_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signup_makes_a_learner_or_a_notice_for_the_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_health_counts_the_applied_migrations, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
