/* Unit tests for src/import/extract*.c: format detection, DOCX/PDF/text extraction, limits, encodings, NFC.
 * Must not depend on anything but the committed fixtures (run from the repository root) and files it makes in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "core/text.h"
#include "import/extract.h"

#define FIX "tests/fixtures/extract/"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *d = malloc((size_t)n + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return d;
}

static struct extract_result run_file(const char *name, const char *filename)
{
    size_t len;
    unsigned char *d = slurp(name, &len);
    struct extract_result r = extract_text(d, len, filename);
    free(d);
    return r;
}

static void expect_text(struct extract_result r, const char *kind, const char *want)
{
    assert_int_equal(r.status, EXTRACT_OK);
    assert_non_null(r.text);
    assert_string_equal(r.text, want);
    assert_int_equal(r.len, strlen(want));
    assert_string_equal(r.kind, kind);
    /* Whatever came in, the text handed on is valid UTF-8 already in NFC. */
    assert_true(text_valid_utf8(r.text, r.len));
    char *nfc = text_nfc(r.text);
    assert_non_null(nfc);
    assert_string_equal(nfc, r.text);
    free(nfc);
    extract_free(&r);
}

static void expect_status(struct extract_result r, enum extract_status st)
{
    assert_int_equal(r.status, st);
    assert_null(r.text);
    assert_int_equal(r.len, 0);
    extract_free(&r);
}

static void expect_mem(const char *data, size_t len, const char *filename, enum extract_status st, const char *want)
{
    struct extract_result r = extract_text((const unsigned char *)data, len, filename);
    if (st == EXTRACT_OK) {
        assert_int_equal(r.status, EXTRACT_OK);
        assert_string_equal(r.text, want);
        extract_free(&r);
    } else {
        expect_status(r, st);
    }
}

/* For string literals, which may hold NUL bytes: the length is the literal's, not strlen's. */
#define EXPECT_MEM(lit, filename, st, want) expect_mem(lit, sizeof(lit) - 1, filename, st, want)

/* ---- zip archives made at test time with libzip ---- */

struct entry {
    const char *name;
    const void *data;
    size_t len;
};

/* Writes the entries into a zip in /tmp and returns its bytes; the file is removed at once. */
static unsigned char *zip_build(const struct entry *e, int n, const char *password, size_t *len)
{
    char path[] = "/tmp/dxday-extract-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int err = 0;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, e[i].data, e[i].len, 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(za, e[i].name, s, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9), 0);
        if (password)
            assert_int_equal(zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_TRAD_PKWARE, password), 0);
    }
    assert_int_equal(zip_close(za), 0);
    unsigned char *d = slurp(path, len);
    unlink(path);
    return d;
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define DOC_OPEN "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
#define DOC_HEAD XML_DECL DOC_OPEN
#define DOC_TAIL "</w:body></w:document>"

static struct extract_result docx_of(const char *body, const char *numbering)
{
    size_t n = strlen(DOC_HEAD) + strlen(body) + strlen(DOC_TAIL) + 1;
    char *xml = malloc(n);
    assert_non_null(xml);
    snprintf(xml, n, "%s%s%s", DOC_HEAD, body, DOC_TAIL);
    struct entry e[2] = {{"word/document.xml", xml, strlen(xml)}, {"word/numbering.xml", numbering, 0}};
    if (numbering)
        e[1].len = strlen(numbering);
    size_t len;
    unsigned char *d = zip_build(e, numbering ? 2 : 1, NULL, &len);
    struct extract_result r = extract_text(d, len, "x.docx");
    free(d);
    free(xml);
    return r;
}

/* ---- DOCX fixtures ---- */

static void test_docx_paragraphs_and_table(void **state)
{
    expect_text(run_file(FIX "docx_basic.docx", "kehoach.docx"), "docx",
                "KẾ HOẠCH Tổ chức Ngày Chuyển đổi số quốc gia năm 2025\n"
                "Bộ Thông tin và Truyền thông ban hành kế hoạch.\n"
                "| STT | Nhiệm vụ | Thời hạn |\n"
                "|---|---|---|\n"
                "| 1 | Tổ chức hội thảo (cấp bộ) | 10/10/2025 |\n"
                "| 2 | Báo cáo kết quả | Quý IV/2025 |\n"
                "\n");
}

static void test_docx_pipe_in_cell_is_escaped(void **state)
{
    expect_text(run_file(FIX "docx_pipe.docx", NULL), "docx",
                "| Cột A\\|B | Ghi chú |\n"
                "|---|---|\n"
                "| a \\| b | dòng 1 dòng 2 |\n"
                "|  | \\| |\n"
                "\n");
}

static void test_docx_numbering_changes_fields_textbox_nfd(void **state)
{
    expect_text(run_file(FIX "docx_features.docx", NULL), "docx",
                "I. Mục tiêu\n"
                "I.1. Nâng cao nhận thức\n" /* the old numbering in w:pPrChange is ignored */
                "I.2. Phát triển hạ tầng số\n"
                "a) Mạng 5G\n"
                "b) Cáp quang\n"
                "II. Nhiệm vụ\n"
                "II.1. Tuyên truyền\n"
                "- Gạch đầu dòng\n" /* a Symbol-font bullet () means nothing outside Word */
                "V. Bắt đầu lại từ V\n" /* w:startOverride restarts the shared list at 5 */
                "Bỏ đánh số\n"
                "1.2. Văn bản tự đánh số\n"
                "Số: 1092\tNgày\ndòng hai\n" /* deleted "cũ" dropped, inserted "1092" kept */
                "Trang 3\n"                  /* field result kept, instruction " PAGE " dropped */
                "Đoạn có hộp chữ\n"
                "Hộp chữ\n" /* once: the mc:Fallback copy is skipped */
                "Ngày chuyển đổi số\n"
                "| Gộp |  | C |\n"
                "|---|---|---|\n"
                "| 1 | x y | - 3 |\n"
                "\n");
}

static void test_docx_xxe_refused(void **state)
{
    struct extract_result r = run_file(FIX "docx_xxe.docx", NULL);
    assert_string_equal(r.kind, "docx");
    expect_status(r, EXTRACT_CORRUPT);
}

static void test_zip_without_document_is_unsupported(void **state)
{
    struct extract_result r = run_file(FIX "plain.zip", "plan.docx");
    assert_null(r.kind);
    expect_status(r, EXTRACT_UNSUPPORTED);
}

static void test_truncated_docx_is_corrupt(void **state)
{
    expect_status(run_file(FIX "docx_truncated.docx", NULL), EXTRACT_CORRUPT);
}

/* ---- DOCX made in the test ---- */

static void test_docx_bomb_declared_size(void **state)
{
    /* 101 MB of spaces deflates to about 100 KB: the declared size alone must stop it. */
    size_t big = EXTRACT_MAX_EXPANDED + 1024 * 1024;
    char *xml = malloc(big);
    assert_non_null(xml);
    memset(xml, ' ', big);
    memcpy(xml, DOC_HEAD, strlen(DOC_HEAD));
    memcpy(xml + big - strlen(DOC_TAIL), DOC_TAIL, strlen(DOC_TAIL));
    struct entry e = {"word/document.xml", xml, big};
    size_t len;
    unsigned char *d = zip_build(&e, 1, NULL, &len);
    free(xml);
    assert_true(len < 200 * 1024);
    struct extract_result r = extract_text(d, len, "bomb.docx");
    assert_string_equal(r.kind, "docx");
    expect_status(r, EXTRACT_BOMB);

    /* Now the zip lies: both the local header and the central directory claim 1000 bytes. libzip inflates past
     * the claim, so only counting the bytes actually inflated stops it. */
    assert_memory_equal(d, "PK\x03\x04", 4);
    const unsigned char small[4] = {0xE8, 0x03, 0, 0};
    memcpy(d + 22, small, 4);
    int patched = 0;
    for (size_t i = 0; i + 46 < len; i++)
        if (memcmp(d + i, "PK\x01\x02", 4) == 0) {
            memcpy(d + i + 24, small, 4);
            patched++;
        }
    assert_int_equal(patched, 1);
    expect_status(extract_text(d, len, "bomb.docx"), EXTRACT_BOMB);
    free(d);
}

/* Empty paragraphs padded with blanks, len bytes (libxml2 rightly refuses one text node of many MB). */
static char *blank_document(size_t len)
{
    char *xml = malloc(len);
    assert_non_null(xml);
    memset(xml, ' ', len);
    for (size_t i = 4096; i + 4096 < len; i += 4096)
        memcpy(xml + i, "<w:p/>", 6);
    memcpy(xml, DOC_HEAD, strlen(DOC_HEAD));
    memcpy(xml + len - strlen(DOC_TAIL), DOC_TAIL, strlen(DOC_TAIL));
    return xml;
}

/* Bytes that do not compress, as a document's pictures are: a larger upload that inflates no further. */
static char *noise(size_t len)
{
    char *x = malloc(len);
    assert_non_null(x);
    uint32_t v = 2463534242u;
    for (size_t i = 0; i < len; i++) {
        v ^= v << 13, v ^= v >> 17, v ^= v << 5;
        x[i] = (char)(v >> 24);
    }
    return x;
}

static void test_docx_budget_is_shared_between_entries(void **state)
{
    /* document.xml and numbering.xml of 60 MB each: each under the limit, together over it. A picture of 1 MB
     * keeps the compression ratio cap out of the way. */
    size_t big = 60u * 1024 * 1024;
    char *xml = blank_document(big), *pic = noise(1u << 20);
    struct entry e[3] = {{"word/document.xml", xml, big}, {"word/media/image1.png", pic, 1u << 20},
                         {"word/numbering.xml", xml, big}};
    size_t len;
    unsigned char *d = zip_build(e, 3, NULL, &len);
    expect_status(extract_text(d, len, NULL), EXTRACT_BOMB);
    /* The same document alone is fine (and blank, so EMPTY): the 60 MB were read and walked. */
    free(d);
    d = zip_build(e, 2, NULL, &len);
    expect_status(extract_text(d, len, NULL), EXTRACT_EMPTY);
    free(d);
    free(xml);
    free(pic);
}

/* A document may inflate to at most 100 times the upload: 10 MB of blank paragraphs deflate to about 10 KB, so
 * they are refused though under 100 MB; a small one keeps a floor of 1 MB. */
static void test_docx_bomb_by_ratio(void **state)
{
    size_t big = 10u * 1024 * 1024;
    char *xml = blank_document(big);
    struct entry e = {"word/document.xml", xml, big};
    size_t len;
    unsigned char *d = zip_build(&e, 1, NULL, &len);
    assert_true(len * 100 < big);
    expect_status(extract_text(d, len, NULL), EXTRACT_BOMB);
    assert_non_null(strstr(extract_message(EXTRACT_BOMB), "100 lần"));
    free(d);
    free(xml);
    xml = blank_document(900 * 1024);
    e.data = xml, e.len = 900 * 1024;
    d = zip_build(&e, 1, NULL, &len);
    assert_true(len * 100 < 900 * 1024);
    expect_status(extract_text(d, len, NULL), EXTRACT_EMPTY);
    free(d);
    free(xml);
}

static void test_docx_encrypted_entry_is_corrupt(void **state)
{
    if (!zip_encryption_method_supported(ZIP_EM_TRAD_PKWARE, 1))
        skip();
    const char *xml = DOC_HEAD "<w:p><w:r><w:t>bí mật</w:t></w:r></w:p>" DOC_TAIL;
    struct entry e = {"word/document.xml", xml, strlen(xml)};
    size_t len;
    unsigned char *d = zip_build(&e, 1, "matkhau", &len);
    expect_status(extract_text(d, len, NULL), EXTRACT_CORRUPT);
    free(d);
}

static void test_docx_not_well_formed_is_corrupt(void **state)
{
    expect_status(docx_of("<w:p><w:r><w:t>mở mà không đóng</w:r></w:p>", NULL), EXTRACT_CORRUPT);
    expect_status(docx_of("<w:p><w:r><w:t>&undefined;</w:t></w:r></w:p>", NULL), EXTRACT_CORRUPT);
}

static struct extract_result docx_raw(const char *xml)
{
    struct entry e = {"word/document.xml", xml, strlen(xml)};
    size_t len;
    unsigned char *d = zip_build(&e, 1, NULL, &len);
    struct extract_result r = extract_text(d, len, NULL);
    free(d);
    return r;
}

static void test_docx_doctype_refused(void **state)
{
    /* Any DOCTYPE is refused, even one that declares nothing; billion laughs never gets to expand. */
    expect_status(docx_raw(XML_DECL "<!DOCTYPE w:document []>" DOC_OPEN "<w:p><w:r><w:t>a</w:t></w:r></w:p>" DOC_TAIL),
                  EXTRACT_CORRUPT);
    expect_status(docx_raw(XML_DECL "<!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">"
                                    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                                    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>" DOC_OPEN
                                    "<w:p><w:r><w:t>&e;</w:t></w:r></w:p>" DOC_TAIL),
                  EXTRACT_CORRUPT);
    /* Without the DOCTYPE the same kind of body reads fine, so the refusal above is the DOCTYPE's doing. */
    expect_text(docx_raw(DOC_HEAD "<w:p><w:r><w:t>a &amp;e;</w:t></w:r></w:p>" DOC_TAIL), "docx", "a &e;\n");
}

static void test_docx_without_text_is_empty(void **state)
{
    expect_status(docx_of("<w:p/><w:p><w:r><w:t xml:space=\"preserve\">  </w:t></w:r></w:p>", NULL),
                  EXTRACT_EMPTY);
}

static void test_docx_huge_grid_span_is_capped(void **state)
{
    struct extract_result r =
        docx_of("<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2000000000\"/></w:tcPr><w:p><w:r><w:t>a</w:t>"
                "</w:r></w:p></w:tc></w:tr></w:tbl>",
                NULL);
    assert_int_equal(r.status, EXTRACT_OK);
    size_t cols = 0;
    for (const char *p = strchr(r.text, '\n') + 1; *p && *p != '\n'; p++)
        cols += *p == '-' && p[1] == '|';
    assert_int_equal(cols, 64);
    assert_memory_equal(r.text, "| a |  |", 8);
    extract_free(&r);
}

static void test_docx_numbering_edge_cases(void **state)
{
    static const char numbering[] =
        "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
        "<w:abstractNum w:abstractNumId=\"7\">"
        "<w:lvl w:ilvl=\"0\"><w:start w:val=\"2147483647\"/><w:numFmt w:val=\"lowerRoman\"/>"
        "<w:lvlText w:val=\"(%1)\"/></w:lvl>"
        "<w:lvl w:ilvl=\"1\"><w:start w:val=\"26\"/><w:numFmt w:val=\"upperLetter\"/><w:lvlText w:val=\"%2.\"/>"
        "</w:lvl>"
        "<w:lvl w:ilvl=\"2\"><w:start w:val=\"9\"/><w:numFmt w:val=\"decimalZero\"/><w:isLgl/>"
        "<w:lvlText w:val=\"%1.%2.%3\"/></w:lvl>"
        "</w:abstractNum>"
        "<w:num w:numId=\"4\"><w:abstractNumId w:val=\"7\"/></w:num>"
        "<w:num w:numId=\"5\"><w:abstractNumId w:val=\"99\"/></w:num>"
        "</w:numbering>";
#define NP(l, n, t)                                                                                               \
    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"" #l "\"/><w:numId w:val=\"" #n "\"/></w:numPr></w:pPr><w:r><w:t>" t \
    "</w:t></w:r></w:p>"
    struct extract_result r = docx_of(NP(0, 4, "a") NP(1, 4, "b") NP(1, 4, "c") NP(2, 4, "d") NP(2, 4, "e")
                                          NP(0, 4, "f") NP(5, 4, "undefined level") NP(0, 5, "no abstract")
                                              NP(0, 6, "no num") NP(99, 4, "big level"),
                                      numbering);
    /* start is capped at 100000 (past Roman numerals, so decimal), 26 → Z then AA, isLgl prints all decimal. */
    expect_text(r, "docx",
                "(100000) a\n"
                "Z. b\n"
                "AA. c\n"
                "100000.27.9 d\n"
                "100000.27.10 e\n"
                "(100001) f\n"
                "undefined level\n"
                "no abstract\n"
                "no num\n"
                "big level\n");
#undef NP
}

static void test_docx_many_lists_are_capped(void **state)
{
    /* 5000 w:num entries: the first 4096 are kept (sorted, searched by halving), the rest ignored. */
    size_t cap = 5000 * 80 + 1024, n = 0;
    char *numbering = malloc(cap);
    assert_non_null(numbering);
    n += (size_t)snprintf(numbering + n, cap - n,
                          "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
                          "<w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"decimal\"/>"
                          "<w:lvlText w:val=\"%%1.\"/></w:lvl></w:abstractNum>");
    for (int i = 5000; i >= 1; i--) /* written in reverse so that sorting matters */
        n += (size_t)snprintf(numbering + n, cap - n, "<w:num w:numId=\"%d\"><w:abstractNumId w:val=\"0\"/></w:num>", i);
    snprintf(numbering + n, cap - n, "</w:numbering>");
    struct extract_result r = docx_of("<w:p><w:pPr><w:numPr><w:numId w:val=\"4999\"/></w:numPr></w:pPr><w:r><w:t>a"
                                      "</w:t></w:r></w:p>"
                                      "<w:p><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>b"
                                      "</w:t></w:r></w:p>",
                                      numbering);
    /* Numbers 5000..905 were read first and kept; 904..1 fell past the cap. */
    expect_text(r, "docx", "1. a\nb\n");
    free(numbering);
}

/* ---- PDF ---- */

static void test_pdf_text_layer(void **state)
{
    /* The PDF maps one glyph to NFD "ố"; pages are separated by a newline. */
    expect_text(run_file(FIX "pdf_text.pdf", "kehoach.pdf"), "pdf", "Kế hoạch chuyển đổi số\nNăm 2025");
}

static void test_pdf_without_text_layer(void **state)
{
    struct extract_result r = run_file(FIX "pdf_image.pdf", NULL);
    assert_string_equal(r.kind, "pdf");
    expect_status(r, EXTRACT_NO_TEXT);
    assert_string_equal(extract_message(EXTRACT_NO_TEXT),
                        "Tệp PDF không có lớp chữ (là ảnh quét): cần nhận dạng ký tự (OCR) trước khi nhập.");
}

static void test_pdf_corrupt(void **state)
{
    expect_status(run_file(FIX "pdf_corrupt.pdf", NULL), EXTRACT_CORRUPT);
    /* Detection is by content: a real PDF named .txt is still a PDF, a text named .pdf is still text. */
    struct extract_result r = run_file(FIX "pdf_text.pdf", "notes.txt");
    assert_string_equal(r.kind, "pdf");
    extract_free(&r);
    EXPECT_MEM("Không phải PDF", "x.pdf", EXTRACT_OK, "Không phải PDF");
}

/* ---- text ---- */

static void test_utf16_with_bom(void **state)
{
    expect_text(run_file(FIX "utf16le.txt", "a.txt"), "txt",
                "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\nnăm 2025\n");
    expect_text(run_file(FIX "utf16be.txt", "a.txt"), "txt",
                "Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\nnăm 2025\n");
    /* An emoji as a surrogate pair, then broken ones. */
    EXPECT_MEM("\xFF\xFE\x3D\xD8\x00\xDE\x21\x00", NULL, EXTRACT_OK, "\xF0\x9F\x98\x80!");
    EXPECT_MEM("\xFF\xFE\x3D\xD8\x21\x00", NULL, EXTRACT_BAD_ENCODING, NULL);
    EXPECT_MEM("\xFF\xFE\x00\xDE\x21\x00", NULL, EXTRACT_BAD_ENCODING, NULL);
    EXPECT_MEM("\xFE\xFF\x00\x41\x00", NULL, EXTRACT_BAD_ENCODING, NULL);
    /* UTF-32 LE has a BOM that starts like UTF-16 LE's: it decodes to U+0000s and is refused as binary. */
    EXPECT_MEM("\xFF\xFE\x00\x00\x41\x00\x00\x00", NULL, EXTRACT_UNSUPPORTED, NULL);
}

static void test_utf8_bom_markdown(void **state)
{
    expect_text(run_file(FIX "utf8_bom.md", "KeHoach.MD"), "md",
                "# Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\n\n- năm 2025\n");
    expect_text(run_file(FIX "utf8_bom.md", "kehoach.markdown"), "md",
                "# Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\n\n- năm 2025\n");
    expect_text(run_file(FIX "utf8_bom.md", "kehoach.txt"), "txt",
                "# Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\n\n- năm 2025\n");
    expect_text(run_file(FIX "utf8_bom.md", NULL), "txt",
                "# Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia\n\n- năm 2025\n");
}

static void test_nfd_becomes_nfc(void **state)
{
    size_t len;
    unsigned char *raw = slurp(FIX "nfd.txt", &len);
    struct extract_result r = extract_text(raw, len, "nfd.txt");
    assert_int_equal(r.status, EXTRACT_OK);
    assert_true(r.len < len); /* combining marks were composed */
    assert_memory_not_equal(r.text, raw, r.len);
    free(raw);
    expect_text(r, "txt", "Ngày chuyển đổi số\n");
}

static void test_windows_1258_and_other_8bit(void **state)
{
    expect_text(run_file(FIX "cp1258.txt", NULL), "txt", "Kế hoạch năm 2025\n");
    expect_status(run_file(FIX "tcvn3.txt", NULL), EXTRACT_BAD_ENCODING);
    EXPECT_MEM("Gr\xF6\xDF" "e", NULL, EXTRACT_BAD_ENCODING, NULL);      /* Latin-1 German */
    EXPECT_MEM("\xCC" "abc", NULL, EXTRACT_BAD_ENCODING, NULL);         /* tone mark with nothing before */
    EXPECT_MEM("x\x81y", NULL, EXTRACT_BAD_ENCODING, NULL);             /* undefined in Windows-1258 */
    EXPECT_MEM("\xEF\xBB\xBF\xE0 la", NULL, EXTRACT_BAD_ENCODING, NULL); /* BOM says UTF-8, bytes say not */
    EXPECT_MEM("\x93Tr\xEA\xECn\x94 \x96 5\xFE", NULL, EXTRACT_OK, "“Trến” – 5₫");
}

static void test_empty_and_blank(void **state)
{
    struct extract_result r = run_file(FIX "empty.txt", "a.md");
    assert_string_equal(r.kind, "md");
    expect_status(r, EXTRACT_EMPTY);
    expect_status(run_file(FIX "blank.txt", NULL), EXTRACT_EMPTY);
    expect_status(extract_text(NULL, 0, NULL), EXTRACT_EMPTY);
    EXPECT_MEM("\xEF\xBB\xBF", NULL, EXTRACT_EMPTY, NULL);
    EXPECT_MEM("\xFF\xFE", NULL, EXTRACT_EMPTY, NULL);
    EXPECT_MEM("\xE2\x80\x8B\xE3\x80\x80\n", NULL, EXTRACT_EMPTY, NULL); /* zero-width and ideographic spaces */
}

static void test_binary_is_unsupported(void **state)
{
    struct extract_result r = run_file(FIX "binary.bin", "plan.txt");
    assert_null(r.kind);
    expect_status(r, EXTRACT_UNSUPPORTED);
    EXPECT_MEM("ab\0cd", NULL, EXTRACT_UNSUPPORTED, NULL);
    EXPECT_MEM("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", "old.doc", EXTRACT_UNSUPPORTED, NULL);
    EXPECT_MEM("a\x01\x02\x03\x04 b", NULL, EXTRACT_UNSUPPORTED, NULL);
}

static void test_line_ends_and_controls(void **state)
{
    EXPECT_MEM("a\r\nb\rc\n", NULL, EXTRACT_OK, "a\nb\nc\n");
    /* A stray DOS end-of-file mark and a C1 control are dropped, not a reason to refuse the file. */
    EXPECT_MEM("Kế hoạch\x1A", NULL, EXTRACT_OK, "Kế hoạch");
    EXPECT_MEM("a\xC2\x85" "b\tc\fd", NULL, EXTRACT_OK, "ab\tc\nd");
}

static void test_too_large(void **state)
{
    unsigned char *big = calloc(1, EXTRACT_MAX_INPUT + 1);
    assert_non_null(big);
    memcpy(big, "%PDF-", 5);
    struct extract_result r = extract_text(big, EXTRACT_MAX_INPUT + 1, "big.pdf");
    assert_null(r.kind);
    expect_status(r, EXTRACT_TOO_LARGE);
    /* At exactly the limit the size is fine; these bytes are just not a PDF. */
    expect_status(extract_text(big, EXTRACT_MAX_INPUT, "big.pdf"), EXTRACT_CORRUPT);
    free(big);
}

static void test_messages(void **state)
{
    const enum extract_status all[] = {EXTRACT_OK,          EXTRACT_EMPTY,   EXTRACT_TOO_LARGE,
                                       EXTRACT_BOMB,        EXTRACT_UNSUPPORTED, EXTRACT_CORRUPT,
                                       EXTRACT_NO_TEXT,     EXTRACT_BAD_ENCODING};
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *m = extract_message(all[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 5);
        assert_true(text_valid_utf8(m, strlen(m)));
        char *nfc = text_nfc(m);
        assert_string_equal(nfc, m);
        free(nfc);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, extract_message(all[j]));
    }
    assert_string_equal(extract_message(EXTRACT_EMPTY), "Tệp rỗng.");
    assert_non_null(strstr(extract_message(EXTRACT_TOO_LARGE), "20 MB"));
    assert_non_null(strstr(extract_message(EXTRACT_BAD_ENCODING), "UTF-8"));
    assert_non_null(extract_message((enum extract_status)99));
}

static void test_extract_free(void **state)
{
    struct extract_result r = extract_text((const unsigned char *)"x", 1, NULL);
    assert_int_equal(r.status, EXTRACT_OK);
    extract_free(&r);
    assert_null(r.text);
    assert_int_equal(r.len, 0);
    extract_free(&r); /* twice is harmless */
    extract_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx_paragraphs_and_table),
        cmocka_unit_test(test_docx_pipe_in_cell_is_escaped),
        cmocka_unit_test(test_docx_numbering_changes_fields_textbox_nfd),
        cmocka_unit_test(test_docx_xxe_refused),
        cmocka_unit_test(test_zip_without_document_is_unsupported),
        cmocka_unit_test(test_truncated_docx_is_corrupt),
        cmocka_unit_test(test_docx_bomb_declared_size),
        cmocka_unit_test(test_docx_budget_is_shared_between_entries),
        cmocka_unit_test(test_docx_bomb_by_ratio),
        cmocka_unit_test(test_docx_encrypted_entry_is_corrupt),
        cmocka_unit_test(test_docx_not_well_formed_is_corrupt),
        cmocka_unit_test(test_docx_doctype_refused),
        cmocka_unit_test(test_docx_without_text_is_empty),
        cmocka_unit_test(test_docx_huge_grid_span_is_capped),
        cmocka_unit_test(test_docx_numbering_edge_cases),
        cmocka_unit_test(test_docx_many_lists_are_capped),
        cmocka_unit_test(test_pdf_text_layer),
        cmocka_unit_test(test_pdf_without_text_layer),
        cmocka_unit_test(test_pdf_corrupt),
        cmocka_unit_test(test_utf16_with_bom),
        cmocka_unit_test(test_utf8_bom_markdown),
        cmocka_unit_test(test_nfd_becomes_nfc),
        cmocka_unit_test(test_windows_1258_and_other_8bit),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_binary_is_unsupported),
        cmocka_unit_test(test_line_ends_and_controls),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_extract_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
