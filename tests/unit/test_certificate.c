/* Unit tests for src/export/certificate.c: a certificate with a long NFD name is a one-page landscape PDF whose text
 * (read back by pdftotext) holds the name in NFC, the course, the date and the code; absurd text stays on the page. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "fixture_pdf.h"

#include <poppler.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "export/certificate.h"

#define NAME "Tôn Nữ Hoàng Phương Thảo Nguyên Bích Ngọc Khánh Huyền Đặng Trần Minh Châu"
#define TITLE "Sử dụng dịch vụ công trực tuyến an toàn: tài khoản định danh điện tử, thanh toán và bảo vệ dữ liệu cá nhân"
#define CODE "K7QW3NZP5XJ2M4RT6VYBACDE2F"
#define URL "https://chuyendoiso.example.vn/chung-chi/" CODE

static char *nfd(const char *s)
{
    char *d = (char *)utf8proc_NFD((const utf8proc_uint8_t *)s);
    assert_non_null(d);
    return d;
}

/* Each run of white space becomes one space: wrapping is layout, not content. */
static void squeeze(char *t)
{
    char *o = t;
    for (const char *c = t; *c; c++) {
        bool space = *c == '\n' || *c == '\r' || *c == ' ' || *c == '\f';
        if (space && (o == t || o[-1] == ' ')) continue;
        *o++ = space ? ' ' : *c;
    }
    *o = 0;
}

static char *render(const char *name, const char *title, size_t *len)
{
    struct certificate c = {.code = CODE, .learner_name = name, .course_title = title,
                            .issued_at = "2026-10-09T18:30:00Z", .verify_url = URL};
    char err[256] = "";
    char *pdf = certificate_pdf(&c, len, err, sizeof err);
    if (!pdf) fail_msg("certificate_pdf failed: %s", err);
    assert_true(*len > 1000);
    assert_memory_equal(pdf, "%PDF", 4);
    return pdf;
}

/* The text pdftotext (poppler-utils, as a person would use) reads from the PDF. */
static char *pdftotext(const char *pdf, size_t len, const char *keep)
{
    char path[] = "/tmp/test_certificate_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    GString *s = g_string_new("");
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) g_string_append_len(s, chunk, (gssize)n);
    if (pclose(p) != 0) fail_msg("pdftotext failed (is poppler-utils installed?)");
    if (keep) rename(path, keep);
    else unlink(path);
    char *t = g_string_free(s, FALSE);
    squeeze(t);
    return t;
}

/* Every glyph lies inside the inner frame (12 mm from each edge) of the one landscape page. */
static void assert_inside(const char *pdf, size_t len)
{
    PopplerDocument *d = open_pdf(pdf, len);
    assert_int_equal(poppler_document_get_n_pages(d), 1);
    PopplerPage *p = poppler_document_get_page(d, 0);
    double w, h;
    poppler_page_get_size(p, &w, &h);
    assert_true(w > h); /* landscape */
    assert_true(w > 840 && w < 844 && h > 593 && h < 597);
    PopplerRectangle *rects = NULL;
    guint n = 0;
    assert_true(poppler_page_get_text_layout(p, &rects, &n));
    assert_true(n > 50);
    double edge = 12 * 72 / 25.4;
    for (guint i = 0; i < n; i++) {
        if (rects[i].x1 < edge || rects[i].y1 < edge || rects[i].x2 > w - edge || rects[i].y2 > h - edge)
            fail_msg("glyph %u at (%.1f,%.1f)-(%.1f,%.1f) leaves the frame", i, rects[i].x1, rects[i].y1, rects[i].x2,
                     rects[i].y2);
    }
    g_free(rects);
    g_object_unref(p);
    g_object_unref(d);
}

static void test_certificate(void **state)
{
    char *name = nfd(NAME);
    assert_string_not_equal(name, NAME); /* the input really is decomposed */
    size_t len;
    char *pdf = render(name, TITLE, &len);
    free(name);
    const char *keep = getenv("CERT_TEST_OUT");
    char *t = pdftotext(pdf, len, keep);
    if (!strstr(t, NAME)) fail_msg("the NFC name is not in the text: %s", t);
    if (!strstr(t, TITLE)) fail_msg("the course title is not in the text: %s", t);
    if (!strstr(t, CODE)) fail_msg("the code is not in the text: %s", t);
    /* 18:30 UTC on 9 October is 10 October in Viet Nam. */
    if (!strstr(t, "Ngày hoàn thành: 10/10/2026")) fail_msg("the date is not in the text: %s", t);
    assert_non_null(strstr(t, "CHỨNG CHỈ HOÀN THÀNH KHÓA HỌC"));
    assert_non_null(strstr(t, "Cổng thông tin Ngày Chuyển đổi số quốc gia"));
    /* The address under the QR code may wrap anywhere: compare it without spaces. */
    char *nospace = g_strdup(t);
    char *o = nospace;
    for (const char *c = t; *c; c++) if (*c != ' ') *o++ = *c;
    *o = 0;
    if (!strstr(nospace, URL)) fail_msg("the verification address is not in the text: %s", t);
    g_free(nospace);
    free(t);
    assert_inside(pdf, len);
    free(pdf);
}

/* A name and a title far longer than any real one shrink and are cut, never drawn off the page. */
static void test_absurd_text_stays_inside(void **state)
{
    GString *n = g_string_new(""), *ti = g_string_new("");
    for (int i = 0; i < 30; i++) g_string_append(n, "Nguyễn Thị Phương Thảo ");
    for (int i = 0; i < 30; i++) g_string_append(ti, "Kỹ năng số cho người dân và doanh nghiệp ");
    g_string_append(n, "Supercalifragilisticexpialidociouswithoutanyspacesatalltotestwrappinginsidewords");
    size_t len;
    char *pdf = render(n->str, ti->str, &len);
    assert_inside(pdf, len);
    free(pdf);
    g_string_free(n, TRUE);
    g_string_free(ti, TRUE);
}

static void test_bad_input(void **state)
{
    char err[256];
    size_t len = 99;
    struct certificate c = {.code = CODE, .learner_name = "An", .course_title = "Khóa học",
                            .issued_at = "hôm qua", .verify_url = URL};
    assert_null(certificate_pdf(&c, &len, err, sizeof err));
    assert_int_equal(len, 0);
    assert_non_null(strstr(err, "Ngày cấp"));
    c.issued_at = "2026-02-30T00:00:00Z";
    assert_null(certificate_pdf(&c, &len, err, sizeof err));
    c.issued_at = "2026-10-10";
    c.learner_name = "An \xff";
    assert_null(certificate_pdf(&c, &len, err, sizeof err));
    assert_non_null(strstr(err, "UTF-8"));
    c.learner_name = "An";
    c.course_title = "";
    assert_null(certificate_pdf(&c, &len, err, sizeof err));
    assert_non_null(strstr(err, "tên khóa học"));
    c.course_title = "Khóa học";
    /* Past what a QR code can hold. */
    GString *u = g_string_new("https://x.vn/");
    for (int i = 0; i < 800; i++) g_string_append(u, "abcd");
    c.verify_url = u->str;
    err[0] = 0;
    assert_null(certificate_pdf(&c, &len, err, sizeof err));
    assert_true(err[0] != 0);
    g_string_free(u, TRUE);
    c.verify_url = URL;
    char *pdf = certificate_pdf(&c, &len, err, sizeof err);
    assert_non_null(pdf);
    free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate),
        cmocka_unit_test(test_absurd_text_stays_inside),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
