/* Unit tests for the targets reader (src/core/plan_targets.c): a plan with a task table and a 40-row targets table,
 * target sentences, the value forms, a document of neither. Must run from the repository root and write nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"

static struct plan_doc *parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s (tests run from the repository root)", path);
    static char b[1 << 20];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    return plan_parse(b, n);
}

static const struct plan_target *target(const struct plan_doc *d, const char *ref)
{
    for (int i = 0; i < d->ntargets; i++)
        if (!strcmp(d->targets[i].ref, ref))
            return &d->targets[i];
    fail_msg("no target %s among %d", ref, d->ntargets);
    return NULL;
}

static void test_targets_table_is_data_not_tasks(void **state)
{
    (void)state;
    struct plan_doc *d = parse_file("tests/fixtures/plans/tasks_and_targets.md");
    assert_non_null(d);
    for (int i = 0; i < d->ntasks; i++)
        assert_true(d->tasks[i].title && d->tasks[i].title[0]);
    assert_int_equal(d->ntasks, 7); /* six rows of the task table and the closing report sentence */
    int table = 0;
    for (int i = 0; i < d->ntargets; i++)
        table += d->targets[i].ref[0] != '\0';
    assert_int_equal(table, 41); /* 40 numbered rows and one without an indicator; group rows are not targets */
    const struct plan_target *t = target(d, "1");
    assert_string_equal(t->measure, "%");
    assert_string_equal(t->value, "≥ 80 %");
    assert_string_equal(t->v.op, "ge");
    assert_true(t->v.lo == 80);
    assert_int_equal(t->year, 2026);
    assert_string_equal(t->agency, "Văn phòng UBND tỉnh");
    assert_int_equal(t->nwarnings, 0);
    t = target(d, "11");
    assert_string_equal(t->v.op, "range");
    assert_true(t->v.lo == 20 && t->v.hi == 25);
    t = target(d, "32");
    assert_string_equal(t->v.op, "le");
    assert_true(t->v.hi == 3);
    t = target(d, "40");
    assert_true(t->v.lo == 500000);
    /* rows the reader cannot complete are flagged, not dropped and not made tasks */
    assert_null(target(d, "29")->value);
    assert_true(target(d, "29")->nwarnings > 0);
    assert_null(target(d, "30")->agency);
    assert_true(target(d, "30")->nwarnings > 0);
    assert_string_equal(target(d, "41")->indicator, "");
    assert_true(target(d, "41")->nwarnings > 0);
    plan_free(d);
}

static void test_target_sentences(void **state)
{
    (void)state;
    struct plan_doc *d = parse_file("tests/fixtures/plans/tasks_and_targets.md");
    const struct plan_target *gdp = NULL, *pay = NULL;
    for (int i = 0; i < d->ntargets; i++) {
        if (strstr(d->targets[i].indicator, "Kinh tế số chiếm"))
            gdp = &d->targets[i];
        if (strstr(d->targets[i].indicator, "cơ sở y tế"))
            pay = &d->targets[i];
    }
    assert_non_null(gdp);
    assert_int_equal(gdp->year, 2030);
    assert_string_equal(gdp->v.op, "gt");
    assert_true(gdp->v.lo == 30);
    assert_non_null(pay); /* a bullet under "Mục tiêu cụ thể đến năm 2026:" takes the lead-in's year */
    assert_int_equal(pay->year, 2026);
    plan_free(d);
}

static void test_value_forms(void **state)
{
    (void)state;
    struct plan_value v;
    struct {
        const char *in, *op;
        double lo, hi;
    } cases[] = {
        {"≥ 30 %", "ge", 30, 0},  {"≤ 3", "le", 0, 3},          {"20–50 %", "range", 20, 50},
        {"trên 30%", "gt", 30, 0}, {"dưới 5 %", "lt", 0, 5},     {"100%", "eq", 100, 0},
        {"Top 30", "le", 0, 30},   {"không quá 3", "le", 0, 3}, {"tối thiểu 2,5 %", "ge", 2.5, 0},
        {"12.500", "eq", 12500, 0}, {"từ 20 đến 50", "range", 20, 50}, {"không dưới 80%", "ge", 80, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(plan_parse_value(cases[i].in, &v));
        if (strcmp(v.op, cases[i].op))
            fail_msg("%s: op %s, expected %s", cases[i].in, v.op, cases[i].op);
        assert_true(v.lo == cases[i].lo);
        assert_true(v.hi == cases[i].hi);
    }
    assert_false(plan_parse_value("Hoàn thành", &v));
    assert_false(plan_parse_value("", &v));
}

static void test_neither_tasks_nor_targets(void **state)
{
    (void)state;
    const char *text = "THÔNG BÁO\nVề việc nghỉ lễ\n\n| Ngày | Nội dung ghi chú |\n|---|---|\n| Thứ hai | Nghỉ |\n| Thứ ba | Làm bù |\n\n"
                       "Tỷ lệ tham gia năm trước khoảng 40 %.\n";
    struct plan_doc *d = plan_parse(text, strlen(text));
    assert_non_null(d);
    assert_int_equal(d->ntasks, 0);
    assert_int_equal(d->ntargets, 0);
    plan_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets_table_is_data_not_tasks),
        cmocka_unit_test(test_target_sentences),
        cmocka_unit_test(test_value_forms),
        cmocka_unit_test(test_neither_tasks_nor_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
