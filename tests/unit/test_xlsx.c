/* Unit tests for src/export/xlsx.c: the officials' column layout in CSV (exact bytes) and XLSX (read back with libzip).
 * Must not depend on a spreadsheet application, the store, or files outside /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "export/xlsx.h"

static json_t *load(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    if (!j) fail_msg("bad test JSON: %s (line %d)", err.text, err.line);
    return j;
}

/* Two tasks exercising every column: a title needing CSV quoting, a formula-like deliverable, a due date with an
 * in-progress percentage, and a window plus recurrence period. */
static const char *const TWO = "["
    "{\"id\": 12, \"ref\": \"1.3\", \"title\": \"Xây dựng \\\"Cổng\\\" dữ liệu, giai đoạn 1\\nvà 2\","
    " \"lead\": [{\"name\": \"Cục Tin học hóa\", \"org_id\": 5, \"org_code\": \"cuc-thh\"},"
    "            {\"name\": \"Cục Chuyển đổi số quốc gia\", \"org_id\": 6, \"org_code\": \"cuc-cds\"}],"
    " \"partners\": [{\"name\": \"Vụ Hợp tác quốc tế\", \"org_id\": 9, \"org_code\": \"vu-htqt\"}],"
    " \"due\": \"2022-06-16\", \"window_from\": null, \"window_to\": null, \"recurrence\": null, \"period\": null,"
    " \"deliverable\": \"=SUM(A1)\", \"status\": \"in_progress\", \"progress\": 40, \"bucket\": \"overdue\","
    " \"plan_number\": \"1092/QĐ-BTTTT\"},"
    "{\"id\": 13, \"ref\": \"2.1\", \"title\": \"Tổ chức Ngày Chuyển đổi số quốc gia\","
    " \"lead\": [{\"name\": \"Vụ Hợp tác quốc tế\", \"org_id\": 9, \"org_code\": \"vu-htqt\"}], \"partners\": [],"
    " \"due\": null, \"window_from\": \"2022-10-01\", \"window_to\": \"2022-10-10\", \"recurrence\": \"Hằng năm\","
    " \"period\": \"2023\", \"deliverable\": null, \"status\": \"done\", \"progress\": 100,"
    " \"bucket\": \"done_on_time\", \"plan_number\": \"1092/QĐ-BTTTT\"}"
    "]";

#define BOM "\xEF\xBB\xBF"
#define HEADER "STT,Số hiệu nhiệm vụ,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,Kết quả/sản phẩm,Tình trạng,Kế hoạch\r\n"

static void assert_csv(json_t *items, const char *want)
{
    size_t len = 0;
    char *got = csv_tasks(items, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(got, want, len);
    free(got);
}

static void test_sheet_safe(void **state)
{
    const char *risky[] = { "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")" };
    for (size_t i = 0; i < sizeof risky / sizeof risky[0]; i++) {
        char *s = sheet_safe(risky[i]);
        assert_non_null(s);
        assert_int_equal(s[0], '\'');
        assert_string_equal(s + 1, risky[i]);
        free(s);
    }
    const char *plain[] = { "", "Quá hạn", "1.3", " =1", "a=b", "'quoted" };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        char *s = sheet_safe(plain[i]);
        assert_string_equal(s, plain[i]);
        free(s);
    }
    char *s = sheet_safe(NULL);
    assert_string_equal(s, "");
    free(s);
}

static void test_csv_two_rows(void **state)
{
    json_t *items = load(TWO);
    assert_csv(items, BOM HEADER
        "1,1.3,\"Xây dựng \"\"Cổng\"\" dữ liệu, giai đoạn 1\nvà 2\","
        "Cục Tin học hóa; Cục Chuyển đổi số quốc gia,Vụ Hợp tác quốc tế,16/06/2022,'=SUM(A1),"
        "Quá hạn – 40%,1092/QĐ-BTTTT\r\n"
        "2,2.1,Tổ chức Ngày Chuyển đổi số quốc gia,Vụ Hợp tác quốc tế,,01/10/2022 – 10/10/2022 (kỳ 2023),,"
        "Hoàn thành đúng hạn,1092/QĐ-BTTTT\r\n");
    json_decref(items);
}

static void test_csv_empty(void **state)
{
    json_t *items = json_array();
    assert_csv(items, BOM HEADER);
    json_decref(items);
    size_t len = 123;
    assert_null(csv_tasks(NULL, &len));
    json_t *obj = json_object();
    assert_null(csv_tasks(obj, &len));
    json_decref(obj);
}

static void test_csv_deadline_and_state_forms(void **state)
{
    json_t *items = load("["
        "{\"ref\": \"3\", \"title\": \"A\", \"recurrence\": \"Hằng năm\", \"period\": \"2023\", \"bucket\": \"not_due\","
        " \"status\": \"not_started\", \"progress\": 0},"
        "{\"ref\": \"4\", \"title\": \"B\", \"due\": \"2023-12-31\", \"period\": \"2023\", \"bucket\": \"done_late\","
        " \"status\": \"done\", \"progress\": 100},"
        "{\"ref\": \"5\", \"title\": \"C\", \"recurrence\": \"Hằng quý\", \"bucket\": \"not_due\","
        " \"status\": \"in_progress\", \"progress\": 25},"
        "{\"ref\": \"-1\", \"title\": \"@cmd\", \"lead\": [\"Sở TT&TT Hà Nội\"], \"due\": \"15/9/2022\"}"
        "]");
    assert_csv(items, BOM HEADER
        "1,3,A,,,Hằng năm (kỳ 2023),,Chưa đến hạn,\r\n"
        "2,4,B,,,31/12/2023 (kỳ 2023),,Hoàn thành muộn,\r\n"
        "3,5,C,,,Hằng quý,,Chưa đến hạn – 25%,\r\n"
        "4,'-1,'@cmd,Sở TT&TT Hà Nội,,15/9/2022,,,\r\n");
    json_decref(items);
}

/* The named member of an XLSX held in memory, NUL-terminated, or NULL when absent. */
static char *zip_member(const char *data, size_t len, const char *name)
{
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!z) {
        zip_source_free(src);
        fail_msg("not a zip: %s", zip_error_strerror(&zerr));
    }
    char *out = NULL;
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        assert_non_null(f);
        out = malloc(st.size + 1);
        assert_non_null(out);
        assert_int_equal(zip_fread(f, out, st.size), (zip_int64_t)st.size);
        out[st.size] = '\0';
        zip_fclose(f);
    }
    zip_close(z);
    zip_error_fini(&zerr);
    return out;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("missing %s", needle);
}

static size_t tmp_leftovers(void)
{
    glob_t g;
    size_t n = glob("/tmp/dxday-xlsx-*", 0, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    return n;
}

static void test_xlsx_workbook(void **state)
{
    json_t *items = load(TWO);
    json_t *formula = load("{\"ref\": \"9\", \"title\": \"=1+1\", \"deliverable\": \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\","
                           " \"bucket\": \"overdue\", \"status\": \"not_started\"}");
    json_array_append_new(items, formula);
    size_t before = tmp_leftovers(), len = 0;
    char *x = xlsx_tasks(items, "Danh sách nhiệm vụ Ngày Chuyển đổi số quốc gia năm 2022", &len);
    assert_non_null(x);
    assert_true(len > 2);
    assert_memory_equal(x, "PK", 2);
    assert_int_equal(tmp_leftovers(), before);

    char *ss = zip_member(x, len, "xl/sharedStrings.xml");
    assert_non_null(ss);
    const char *want[] = {
        "STT", "Số hiệu nhiệm vụ", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả/sản phẩm",
        "Tình trạng", "Kế hoạch", "Danh sách nhiệm vụ Ngày Chuyển đổi số quốc gia năm 2022",
        "Tổ chức Ngày Chuyển đổi số quốc gia", "Cục Tin học hóa; Cục Chuyển đổi số quốc gia", "16/06/2022",
        "01/10/2022 – 10/10/2022 (kỳ 2023)", "Quá hạn", "Quá hạn – 40%", "Hoàn thành đúng hạn", "1092/QĐ-BTTTT",
        "'=1+1", "'=SUM(A1)", "'=HYPERLINK(\"http://x\",\"y\")",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) assert_contains(ss, want[i]);
    /* A quote, a comma and a newline survive inside one cell. */
    assert_contains(ss, "Xây dựng \"Cổng\" dữ liệu, giai đoạn 1\nvà 2");

    char *sheet = zip_member(x, len, "xl/worksheets/sheet1.xml");
    assert_non_null(sheet);
    assert_null(strstr(sheet, "<f>"));
    assert_null(strstr(sheet, "<f "));
    assert_contains(sheet, "<mergeCell ref=\"A1:I1\"/>");
    assert_contains(sheet, "<autoFilter ref=\"A2:I5\"/>");
    assert_contains(sheet, "ySplit=\"2\" topLeftCell=\"A3\"");
    assert_contains(sheet, "state=\"frozen\"");
    /* STT is a number cell counting 1, 2, 3 down column A. */
    assert_contains(sheet, "<c r=\"A3\" s=\"");
    assert_contains(sheet, "<v>3</v>");

    char *wbx = zip_member(x, len, "xl/workbook.xml");
    assert_non_null(wbx);
    assert_contains(wbx, "<sheet name=\"Nhiệm vụ\"");

    free(wbx);
    free(sheet);
    free(ss);
    free(x);
    json_decref(items);
}

static void test_xlsx_empty(void **state)
{
    json_t *items = json_array();
    size_t len = 0;
    char *x = xlsx_tasks(items, NULL, &len);
    assert_non_null(x);
    assert_memory_equal(x, "PK", 2);
    char *ss = zip_member(x, len, "xl/sharedStrings.xml");
    assert_non_null(ss);
    assert_contains(ss, "Số hiệu nhiệm vụ");
    assert_contains(ss, "Danh sách nhiệm vụ"); /* the default title */
    char *sheet = zip_member(x, len, "xl/worksheets/sheet1.xml");
    assert_contains(sheet, "<autoFilter ref=\"A2:I2\"/>");
    assert_null(strstr(sheet, "<row r=\"3\""));
    free(sheet);
    free(ss);
    free(x);
    json_decref(items);

    assert_null(xlsx_tasks(NULL, "x", &len));
}

/* A cell over Excel's 32767-character limit is cut, not allowed to fail the export. */
static void test_xlsx_long_cell(void **state)
{
    size_t n = 40000;
    char *big = malloc(n * 2 + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++) memcpy(big + 2 * i, "\xC3\xA2", 2); /* "â", two bytes, one character */
    big[n * 2] = '\0';
    json_t *items = json_pack("[{s:s, s:s}]", "ref", "1", "title", big);
    assert_non_null(items);
    size_t len = 0;
    char *x = xlsx_tasks(items, "t", &len);
    assert_non_null(x);
    char *ss = zip_member(x, len, "xl/sharedStrings.xml");
    assert_non_null(ss);
    char *t = strstr(ss, "<t>\xC3\xA2");
    assert_non_null(t);
    t += 3;
    assert_int_equal(strstr(t, "</t>") - t, 32767 * 2);
    free(ss);
    free(x);
    json_decref(items);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_safe),
        cmocka_unit_test(test_csv_two_rows),
        cmocka_unit_test(test_csv_empty),
        cmocka_unit_test(test_csv_deadline_and_state_forms),
        cmocka_unit_test(test_xlsx_workbook),
        cmocka_unit_test(test_xlsx_empty),
        cmocka_unit_test(test_xlsx_long_cell),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
