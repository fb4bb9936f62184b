/* Unit tests of the org-unit store on a real SQLite file: the reference data loads, validity on a date,
 * and org_resolve() on the spellings officials write (abbreviations, NFD, no diacritics, "UBND tỉnh"). */
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
#include "store/migrate.h"
#include "store/org.h"

static char path[96];

static int setup(void **state)
{
    db *d = fixture_db_open(path, sizeof path, "resolver", 0);
    *state = d;
    return d ? 0 : -1;
}

static int teardown(void **state)
{
    db_close(*state);
    fixture_db_unlink(path);
    return 0;
}

static const char *code_of(db *d, int64_t id)
{
    static char code[64];
    db_stmt *s = db_prepare(d, "SELECT code FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, id);
    code[0] = 0;
    if (db_step(s) == DB_ROW) snprintf(code, sizeof code, "%s", db_col_text(s, 0));
    db_done(s);
    return code;
}

static void expect(db *d, const char *text, const char *date, const char *within, const char *want)
{
    struct org_resolved r = org_resolve(d, text, date, within ? store_org_id(d, within) : 0);
    if (r.status != ORG_FOUND) fail_msg("'%s' not resolved (status %d, %d candidates)", text, r.status, r.ncandidates);
    if (strcmp(code_of(d, r.id), want)) fail_msg("'%s' resolved to %s, want %s", text, code_of(d, r.id), want);
}

static void spellings_of_the_ministry(void **state)
{
    db *d = *state;
    expect(d, "Bộ Thông tin và Truyền thông", "2022-06-16", NULL, "bo-tttt");
    expect(d, "Bộ TT&TT", "2022-06-16", NULL, "bo-tttt");
    expect(d, "BTTTT", "2022-06-16", NULL, "bo-tttt");
    expect(d, "bo thong tin va truyen thong", "2022-06-16", NULL, "bo-tttt");
    expect(d, "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "2022-06-16", NULL, "bo-tttt");
    expect(d, "Bo\xcc\xa3\xcc\x82 TT-TT", "2022-06-16", NULL, "bo-tttt");
}

static void nfd_and_abbreviations(void **state)
{
    db *d = *state;
    /* "Hà Nội" in NFD: a + U+0300, o + U+0323 + U+0302 */
    expect(d, "Ha\xcc\x80 No\xcc\xa3\xcc\x82i", NULL, NULL, "ha-noi");
    expect(d, "Cục THH", "2022-06-16", NULL, "cuc-thh");
    expect(d, "Cục Tin học hoá", "2022-06-16", NULL, "cuc-thh");
    expect(d, "TP.HCM", "2024-10-10", NULL, "ho-chi-minh");
    expect(d, "UBND tỉnh Nghệ An", NULL, NULL, "nghe-an");
    expect(d, "Ủy ban nhân dân tỉnh Nghệ An", NULL, NULL, "nghe-an");
}

static void the_date_picks_the_unit_open_then(void **state)
{
    db *d = *state;
    expect(d, "Tuyên Quang", "2024-10-10", NULL, "tuyen-quang");
    expect(d, "Tuyên Quang", "2025-07-01", NULL, "tuyen-quang-2025");
    /* A unit that closed is still found by its name: plans of 2022 name it. */
    expect(d, "Hà Giang", "2026-01-01", NULL, "ha-giang");
}

static void context_separates_provincial_namesakes(void **state)
{
    db *d = *state;
    struct org_resolved r = org_resolve(d, "Sở Thông tin và Truyền thông", "2023-06-01", 0);
    assert_int_equal(r.status, ORG_AMBIGUOUS);
    assert_true(r.ncandidates >= 2);
    r = org_resolve(d, "Sở Thông tin và Truyền thông", "2023-06-01", store_org_id(d, "nghe-an"));
    assert_int_equal(r.status, ORG_FOUND);
    assert_true(store_org_within(d, r.id, store_org_id(d, "nghe-an")));
}

static void unknown_names_are_not_guessed(void **state)
{
    db *d = *state;
    assert_int_equal(org_resolve(d, "Bộ Phép thuật", NULL, 0).status, ORG_NOT_FOUND);
    assert_int_equal(org_resolve(d, "", NULL, 0).status, ORG_NOT_FOUND);
    assert_int_equal(org_resolve(d, "   ", NULL, 0).status, ORG_NOT_FOUND);
    assert_int_equal(org_resolve(d, "\xff\xfe", NULL, 0).status, ORG_NOT_FOUND);
    assert_int_equal(org_resolve(d, NULL, NULL, 0).status, ORG_NOT_FOUND);
}

static void reference_data_counts(void **state)
{
    db *d = *state;
    struct org_query q = { .kind = "province", .valid_on = "2024-10-10", .limit = 500 };
    json_t *r = store_orgs_find(d, &q);
    assert_int_equal(json_integer_value(json_object_get(r, "total")), 63);
    json_decref(r);
    q.valid_on = "2025-07-01";
    r = store_orgs_find(d, &q);
    assert_int_equal(json_integer_value(json_object_get(r, "total")), 34);
    json_decref(r);
    q.kind = "youth_union";
    r = store_orgs_find(d, &q);
    assert_true(json_integer_value(json_object_get(r, "total")) >= 34);
    json_decref(r);
    /* Loading twice changes nothing. */
    assert_int_equal(store_migrate(d), 0);
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE code = 'ha-noi'");
    assert_int_equal(db_scalar_int(s, 0), 1);
    assert_true(store_org_within(d, store_org_id(d, "cuc-thh"), store_org_id(d, "vn")));
    assert_false(store_org_within(d, store_org_id(d, "ha-noi"), store_org_id(d, "nghe-an")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spellings_of_the_ministry),
        cmocka_unit_test(nfd_and_abbreviations),
        cmocka_unit_test(the_date_picks_the_unit_open_then),
        cmocka_unit_test(context_separates_provincial_namesakes),
        cmocka_unit_test(unknown_names_are_not_guessed),
        cmocka_unit_test(reference_data_counts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
