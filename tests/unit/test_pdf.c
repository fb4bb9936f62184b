/* Unit tests for src/export/pdf*.c: renders a Vietnamese report and reads it back with poppler (text, pages, repeated
 * table header, page numbers, metadata), checks bad input is refused, and renders from several threads at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_pdf.h"

#include <poppler.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/pdf.h"

#define TITLE "Báo cáo kết quả Ngày Chuyển đổi số quốc gia năm 2026"
#define HEAD_UNIT "Đơn vị thực hiện"
#define HEAD_RATE "Tỷ lệ hoàn thành"
#define ROWS 120

static const char *const provinces[] = {
    "Tuyên Quang", "Đắk Lắk", "Thừa Thiên Huế", "Nghệ An", "Cà Mau", "Quảng Ngãi", "Hà Tĩnh", "Bắc Kạn",
};

/* A bar chart with a label, so the text extracted from the PDF proves the SVG was drawn. */
static const char chart[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='200' viewBox='0 0 400 200'>"
    "<rect x='0' y='0' width='400' height='200' fill='#f4f6fa'/>"
    "<rect x='40' y='60' width='60' height='120' fill='#c0392b'/>"
    "<rect x='140' y='30' width='60' height='150' fill='#2e86c1'/>"
    "<rect x='240' y='90' width='60' height='90' fill='#27ae60'/>"
    "<text x='200' y='22' font-family='Noto Sans' font-size='16' text-anchor='middle'>Biểu đồ tỉ lệ</text>"
    "</svg>";

static json_t *report_doc(void)
{
    json_t *rows = json_array();
    for (int i = 1; i <= ROWS; i++) {
        char unit[96], rate[32];
        snprintf(unit, sizeof unit, "%s (mã %03d)", provinces[(i - 1) % 8], i);
        snprintf(rate, sizeof rate, "%d,%d %%", 50 + i % 50, i % 10);
        json_array_append_new(rows, json_pack("[ss]", unit, rate));
    }
    /* One long cell so a wrapped row is part of the flow too. */
    json_array_set_new(rows, 3, json_pack("[ss]", "Thừa Thiên Huế (mã 004), gồm các sở, ban, ngành và ủy ban nhân "
                                                  "dân các huyện, thị xã, thành phố trực thuộc tỉnh", "91,0 %"));
    const char *para = "Ngày Chuyển đổi số quốc gia là dịp để các bộ, ngành, địa phương nhìn lại kết quả, chia sẻ "
                       "cách làm hay và thống nhất nhiệm vụ trọng tâm cho năm tới. Các tỉnh Tuyên Quang, Đắk Lắk và "
                       "Thừa Thiên Huế có tỷ lệ hồ sơ trực tuyến toàn trình tăng mạnh so với cùng kỳ.";
    return json_pack(
        "{s:s, s:s, s:[s,s], s:s, s:[{s:s,s:s}, {s:s,s:s}, {s:s,s:s,s:i,s:s}, {s:s,s:s}, "
        "{s:s,s:[{s:s,s:s,s:i},{s:s,s:s,s:i}],s:o,s:[s,s]}, {s:s}, {s:s,s:s}, {s:s,s:s}]}",
        "title", TITLE, "subtitle", "Tổng hợp từ báo cáo của các bộ, ngành, địa phương",
        "meta", "Ngày lập: 23/11/2026", "Đơn vị lập: Bộ Khoa học và Công nghệ",
        "footer", "dxday – Ngày Chuyển đổi số quốc gia",
        "blocks",
        "type", "h2", "text", "1. Tổng quan",
        "type", "p", "text", para,
        "type", "svg", "svg", chart, "width_mm", 120, "caption", "Hình 1. Kết quả theo nhóm nhiệm vụ",
        "type", "h2", "text", "2. Kết quả theo địa phương",
        "type", "table", "columns", "title", HEAD_UNIT, "align", "left", "width", 3,
        "title", HEAD_RATE, "align", "right", "width", 1, "rows", rows, "total", "Cả nước", "80 %",
        "type", "pagebreak",
        "type", "h2", "text", "3. Kết luận",
        "type", "p", "text", para);
}

/* A page's text with each run of white space turned into one space: wrapping is layout, not content. */
static char *page_text(PopplerDocument *d, int i)
{
    PopplerPage *p = poppler_document_get_page(d, i);
    assert_non_null(p);
    char *t = poppler_page_get_text(p);
    g_object_unref(p);
    assert_non_null(t);
    char *o = t;
    for (const char *c = t; *c; c++) {
        bool space = *c == '\n' || *c == '\r' || *c == ' ';
        if (space && (o == t || o[-1] == ' ')) continue;
        *o++ = space ? ' ' : *c;
    }
    *o = 0;
    return t;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static void test_report(void **state)
{
    json_t *doc = report_doc();
    assert_non_null(doc);
    char err[256] = "";
    size_t len = 0;
    char *pdf = pdf_report(doc, &len, err, sizeof err);
    json_decref(doc);
    if (!pdf) fail_msg("pdf_report failed: %s", err);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF", 4);
    const char *out = getenv("PDF_TEST_OUT");
    if (out) {
        FILE *f = fopen(out, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(pdf, 1, len, f), len);
        fclose(f);
    }

    PopplerDocument *d = open_pdf(pdf, len);
    int pages = poppler_document_get_n_pages(d);
    assert_true(pages > 1);
    char *title = poppler_document_get_title(d);
    assert_non_null(title);
    assert_string_equal(title, TITLE);
    g_free(title);

    GString *all = g_string_new("");
    int first_row = -1, last_row = -1;
    for (int i = 0; i < pages; i++) {
        char *t = page_text(d, i);
        g_string_append(all, t);
        g_string_append_c(all, ' ');
        char want[32];
        snprintf(want, sizeof want, "Trang %d/%d", i + 1, pages);
        if (!strstr(t, want)) fail_msg("page %d lacks \"%s\": %s", i + 1, want, t);
        assert_int_equal(count(t, "dxday – Ngày Chuyển đổi số quốc gia"), 1);
        if (strstr(t, "(mã 001)")) first_row = i;
        if (strstr(t, "(mã 120)")) last_row = i;
        /* Every page holding part of the table shows its header exactly once. */
        if (strstr(t, "(mã ")) {
            if (count(t, HEAD_UNIT) != 1 || count(t, HEAD_RATE) != 1)
                fail_msg("page %d has the table without exactly one header: %s", i + 1, t);
        }
        g_free(t);
    }
    assert_true(first_row >= 0);
    assert_true(last_row > first_row);
    for (size_t i = 0; i < sizeof provinces / sizeof *provinces; i++)
        if (!strstr(all->str, provinces[i])) fail_msg("\"%s\" is missing from the text", provinces[i]);
    for (int i = 1; i <= ROWS; i++) {
        char code[32];
        snprintf(code, sizeof code, "(mã %03d)", i);
        if (count(all->str, code) != 1) fail_msg("row %s appears %d times", code, count(all->str, code));
    }
    assert_non_null(strstr(all->str, TITLE));
    assert_non_null(strstr(all->str, "Biểu đồ tỉ lệ"));
    assert_non_null(strstr(all->str, "Hình 1. Kết quả theo nhóm nhiệm vụ"));
    assert_non_null(strstr(all->str, "Cả nước"));
    /* The paragraph appears twice; the second copy follows the page break, after the table. */
    assert_int_equal(count(all->str, "có tỷ lệ hồ sơ trực tuyến toàn trình tăng mạnh"), 2);
    assert_non_null(strstr(all->str, "Trang 1/"));
    g_string_free(all, TRUE);
    g_object_unref(d);
    free(pdf);
}

/* A long paragraph must continue on the next page without losing or repeating a line. */
static void test_paragraph_flow(void **state)
{
    GString *s = g_string_new("");
    for (int i = 1; i <= 400; i++) g_string_append_printf(s, "Câu số %d về chuyển đổi số. ", i);
    json_t *doc = json_pack("{s:[{s:s,s:s}]}", "blocks", "type", "p", "text", s->str);
    g_string_free(s, TRUE);
    char err[256];
    size_t len;
    char *pdf = pdf_report(doc, &len, err, sizeof err);
    json_decref(doc);
    if (!pdf) fail_msg("pdf_report failed: %s", err);
    PopplerDocument *d = open_pdf(pdf, len);
    int pages = poppler_document_get_n_pages(d);
    assert_true(pages >= 2);
    GString *all = g_string_new("");
    for (int i = 0; i < pages; i++) {
        char *t = page_text(d, i);
        /* The page number is drawn after the text, so it sits between one page's words and the next's. */
        char num[32];
        snprintf(num, sizeof num, " Trang %d/%d", i + 1, pages);
        char *at = strstr(t, num);
        assert_non_null(at);
        memmove(at, at + strlen(num), strlen(at + strlen(num)) + 1);
        g_string_append(all, t);
        g_string_append_c(all, ' ');
        g_free(t);
    }
    for (int i = 1; i <= 400; i++) {
        char want[32];
        snprintf(want, sizeof want, "Câu số %d ", i);
        if (count(all->str, want) != 1) fail_msg("\"%s\" appears %d times", want, count(all->str, want));
    }
    g_string_free(all, TRUE);
    g_object_unref(d);
    free(pdf);
}

static void expect_error(json_t *doc, const char *fragment)
{
    char err[256] = "";
    size_t len = 7;
    char *pdf = pdf_report(doc, &len, err, sizeof err);
    json_decref(doc);
    if (pdf) fail_msg("expected an error mentioning \"%s\", got a PDF", fragment);
    assert_int_equal(len, 0);
    if (!strstr(err, fragment)) fail_msg("error \"%s\" does not mention \"%s\"", err, fragment);
}

static void test_errors(void **state)
{
    expect_error(json_array(), "đối tượng");
    expect_error(json_string("báo cáo"), "đối tượng");
    expect_error(json_pack("{s:s}", "title", "Không có khối"), "\"blocks\"");
    expect_error(json_pack("{s:{}}", "blocks"), "\"blocks\"");
    expect_error(json_pack("{s:[{s:s,s:s}]}", "blocks", "type", "h1", "text", "x"), "\"h1\" không được hỗ trợ");
    expect_error(json_pack("{s:[{s:s,s:s}, {s:s,s:s}]}", "blocks", "type", "p", "text", "ổn", "type", "svg", "svg",
                           "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect"),
                 "Khối thứ 2 (svg): không đọc được hình SVG");
    expect_error(json_pack("{s:[{s:s,s:s}]}", "blocks", "type", "svg", "svg", "đây không phải SVG"), "SVG");
    expect_error(json_pack("{s:[{s:s}]}", "blocks", "type", "p"), "\"text\"");
    json_t *bad = json_object();
    json_object_set_new(bad, "blocks", json_pack("[{s:s,s:o}]", "type", "p", "text",
                                                 json_stringn_nocheck("Ng\xc3y", 4)));
    expect_error(bad, "UTF-8");
    static const char nul_title[] = "Tiêu\0đề";
    bad = json_pack("{s:[]}", "blocks");
    json_object_set_new(bad, "title", json_stringn(nul_title, sizeof nul_title - 1));
    expect_error(bad, "UTF-8");
    expect_error(json_pack("{s:[{s:s,s:[{s:s}],s:[[s,s]]}]}", "blocks", "type", "table", "columns", "title", "A",
                           "rows", "x", "y"),
                 "đúng 1 ô");
    expect_error(json_pack("{s:[{s:s,s:[{s:s,s:s}],s:[]}]}", "blocks", "type", "table", "columns", "title", "A",
                           "align", "justify", "rows"),
                 "\"align\"");
    /* NULL err must be tolerated: callers that only want the bytes may not ask why. */
    size_t len;
    json_t *doc = json_array();
    assert_null(pdf_report(doc, &len, NULL, 0));
    json_decref(doc);
}

struct job {
    json_t *doc;
    char *pdf;
    size_t len;
};

static void *render_job(void *arg)
{
    struct job *j = arg;
    char err[256];
    j->pdf = pdf_report(j->doc, &j->len, err, sizeof err);
    return NULL;
}

/* HTTP workers render at the same time; under the sanitizers this also catches shared state between calls. */
static void test_threads(void **state)
{
    enum { N = 4 };
    json_t *doc = report_doc();
    struct job jobs[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct job){.doc = doc};
        assert_int_equal(pthread_create(&th[i], NULL, render_job, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    json_decref(doc);
    int pages = -1;
    for (int i = 0; i < N; i++) {
        assert_non_null(jobs[i].pdf);
        PopplerDocument *d = open_pdf(jobs[i].pdf, jobs[i].len);
        int n = poppler_document_get_n_pages(d);
        if (pages < 0) pages = n;
        assert_int_equal(n, pages);
        char *t = page_text(d, n - 1);
        char want[32];
        snprintf(want, sizeof want, "Trang %d/%d", n, n);
        assert_non_null(strstr(t, want));
        g_free(t);
        g_object_unref(d);
        free(jobs[i].pdf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_paragraph_flow),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
