/* Unit tests for src/import/sheet*.c: CSV dialects and encodings, XLSX from libxlsxwriter and built by hand,
 * limits, broken and hostile files. Must not depend on anything but tests/fixtures/sheet and files it makes in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/buf.h"
#include "core/text.h"
#include "import/sheet.h"

#define FIX "tests/fixtures/sheet/"
#define SML "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define REL_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static char tmpdir[] = "/tmp/dxday-sheet-XXXXXX";

static int setup(void **state)
{
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd);
}

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

/* Reads bytes and checks the contract that holds for every result: a message exactly when it failed, a zeroed
 * sheet on failure, and on success cells that are never NULL, valid UTF-8, NFC and trimmed. */
static enum sheet_status read_bytes(const void *data, size_t len, struct sheet *s)
{
    const char *msg = "unset";
    enum sheet_status st = sheet_read(data, len, s, &msg);
    if (st != SHEET_OK) {
        assert_non_null(msg);
        assert_null(s->cells);
        assert_int_equal(s->nrows, 0);
        return st;
    }
    assert_null(msg);
    assert_true(s->nrows > 0 && s->ncols > 0);
    for (int i = 0; i < s->nrows * s->ncols; i++) {
        const char *c = s->cells[i];
        assert_non_null(c);
        assert_true(text_valid_utf8(c, strlen(c)));
        char *nfc = text_nfc(c);
        assert_string_equal(nfc, c);
        free(nfc);
        if (*c) {
            assert_false(c[0] == ' ' || c[strlen(c) - 1] == ' ' || c[strlen(c) - 1] == '\n');
        }
    }
    return st;
}

static enum sheet_status read_str(const char *text, struct sheet *s)
{
    return read_bytes(text, strlen(text), s);
}

static enum sheet_status read_file(const char *path, struct sheet *s)
{
    size_t len;
    unsigned char *d = slurp(path, &len);
    enum sheet_status st = read_bytes(d, len, s);
    free(d);
    return st;
}

/* Checks one row against the NULL-terminated list of expected cells, and that it is no wider. */
static void expect_row(const struct sheet *s, int row, ...)
{
    va_list ap;
    va_start(ap, row);
    int col = 0;
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; col++)
        assert_string_equal(sheet_cell(s, row, col), want);
    va_end(ap);
    assert_int_equal(s->ncols, col);
}

static const char *message(const void *data, size_t len)
{
    struct sheet s;
    const char *msg = NULL;
    sheet_read(data, len, &s, &msg);
    sheet_free(&s);
    return msg;
}

/* ---- CSV ---- */

static void test_csv_bom_semicolon(void **state)
{
    struct sheet s;
    assert_int_equal(read_file(FIX "units_semicolon.csv", &s), SHEET_OK);
    assert_int_equal(s.nrows, 3); /* the two ";;;;" rows Excel leaves at the end are dropped */
    expect_row(&s, 0, "Mã đơn vị", "Tên đơn vị", "Chỉ tiêu", "Giá trị", "Ghi chú", NULL);
    expect_row(&s, 1, "HNI", "Sở Thông tin và Truyền thông Hà Nội", "Tỷ lệ hồ sơ trực tuyến", "87,5", "", NULL);
    expect_row(&s, 2, "LCI", "UBND tỉnh Lào Cai", "Tỷ lệ hồ sơ trực tuyến", "64", "Số liệu quý III; chưa thẩm định",
               NULL);
    sheet_free(&s);
}

static void test_csv_quoting(void **state)
{
    struct sheet s;
    assert_int_equal(read_file(FIX "quoted.csv", &s), SHEET_OK);
    assert_int_equal(s.nrows, 4);
    expect_row(&s, 0, "Đơn vị", "Nội dung", "Số", NULL);
    expect_row(&s, 1, "Bộ TT&TT, Cục Chuyển đổi số", "Họp \"Ngày Chuyển đổi số\" lần 1", "3", NULL);
    expect_row(&s, 2, "Sở KH&CN", "Dòng một\nDòng hai", "", NULL); /* ragged: padded */
    expect_row(&s, 3, "Cần Thơ", "", "1,5", NULL);
    sheet_free(&s);
    /* A CRLF inside quotes becomes LF; text after a closing quote is kept, as Excel keeps it. */
    assert_int_equal(read_str("\"a\r\nb\",\"x\"y,\"\"\r\n", &s), SHEET_OK);
    expect_row(&s, 0, "a\nb", "xy", NULL);
    sheet_free(&s);
}

static void test_csv_crlf_ragged_blank_rows(void **state)
{
    struct sheet s;
    assert_int_equal(read_str("a,b,c\r\n1\r\n\r\n2,3\r\n\r\n \r\n,,\r\n", &s), SHEET_OK);
    assert_int_equal(s.nrows, 4); /* the blank line inside stays: row numbers must match what the user sees */
    expect_row(&s, 0, "a", "b", "c", NULL);
    expect_row(&s, 1, "1", "", "", NULL);
    expect_row(&s, 2, "", "", "", NULL);
    expect_row(&s, 3, "2", "3", "", NULL);
    sheet_free(&s);
    /* Old Mac line ends, no final newline, and trailing empty columns dropped. */
    assert_int_equal(read_str("x;y;;\ry;z;;", &s), SHEET_OK);
    assert_int_equal(s.nrows, 2);
    expect_row(&s, 1, "y", "z", NULL);
    sheet_free(&s);
}

static void test_csv_delimiters(void **state)
{
    struct sheet s;
    /* ';' wins a tie with ',', which is then the decimal mark. */
    assert_int_equal(read_str("Đơn vị;Tỷ lệ, %\nA;1,5\n", &s), SHEET_OK);
    expect_row(&s, 1, "A", "1,5", NULL);
    sheet_free(&s);
    /* Separators inside quotes on the first line do not count. */
    assert_int_equal(read_str("\"a;b;c\",d\n1,2\n", &s), SHEET_OK);
    expect_row(&s, 0, "a;b;c", "d", NULL);
    sheet_free(&s);
    /* Excel's "sep=" line names the delimiter and is not data. */
    assert_int_equal(read_str("sep=,\r\na;b,c\r\n", &s), SHEET_OK);
    assert_int_equal(s.nrows, 1);
    expect_row(&s, 0, "a;b", "c", NULL);
    sheet_free(&s);
    assert_int_equal(read_file(FIX "nfd.tsv", &s), SHEET_OK);
    expect_row(&s, 0, "Tên", "Giá trị", NULL);
    sheet_free(&s);
}

static void test_csv_nfc_and_trim(void **state)
{
    struct sheet s;
    assert_int_equal(read_file(FIX "nfd.tsv", &s), SHEET_OK);
    expect_row(&s, 1, "Hà Nội", "5", NULL);
    assert_string_equal(sheet_cell(&s, 1, 0), "H\xc3\xa0 N\xe1\xbb\x99i"); /* precomposed à and ộ */
    sheet_free(&s);
    /* Spaces, tabs and the no-break spaces of text pasted from the web go; inner spaces stay. */
    assert_int_equal(read_str(" a b ;\xc2\xa0" "12\xc2\xa0;\t\xe2\x80\xaf x \n", &s), SHEET_OK);
    expect_row(&s, 0, "a b", "12", "x", NULL);
    sheet_free(&s);
}

static void test_csv_bad_encoding(void **state)
{
    struct sheet s;
    assert_int_equal(read_file(FIX "cp1258.csv", &s), SHEET_BAD_ENCODING);
    size_t len;
    unsigned char *d = slurp(FIX "cp1258.csv", &len);
    assert_non_null(strstr(message(d, len), "CSV UTF-8"));
    free(d);
    /* Latin-1 "Hà Nội" as old tools write it; UTF-16 ("Unicode Text") with its NULs. */
    assert_int_equal(read_str("T\xean,Gi\xe1\nH\xe0 N\xf4i,1\n", &s), SHEET_BAD_ENCODING);
    static const unsigned char utf16[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0, '\n', 0};
    assert_int_equal(read_bytes(utf16, sizeof utf16, &s), SHEET_BAD_ENCODING);
    sheet_free(&s);
}

static void test_csv_unclosed_quote(void **state)
{
    struct sheet s;
    assert_int_equal(read_str("a,b\n\"1,2\n3,4\n", &s), SHEET_CORRUPT);
}

static void test_empty(void **state)
{
    struct sheet s;
    assert_int_equal(read_bytes("", 0, &s), SHEET_EMPTY);
    assert_int_equal(read_str("\xEF\xBB\xBF", &s), SHEET_EMPTY);
    assert_int_equal(read_str(" ; ;\r\n\r\n\"  \";\t\r\n", &s), SHEET_EMPTY);
    sheet_free(&s);
    sheet_free(&s); /* twice is harmless */
}

static void test_cell_out_of_range(void **state)
{
    struct sheet s;
    assert_int_equal(read_str("a,b\n", &s), SHEET_OK);
    assert_string_equal(sheet_cell(&s, 0, 1), "b");
    assert_string_equal(sheet_cell(&s, -1, 0), "");
    assert_string_equal(sheet_cell(&s, 0, 2), "");
    assert_string_equal(sheet_cell(&s, 1, 0), "");
    assert_string_equal(sheet_cell(NULL, 0, 0), "");
    sheet_free(&s);
    assert_string_equal(sheet_cell(&s, 0, 0), "");
}

static void test_csv_limits(void **state)
{
    struct sheet s;
    struct buf_s { char *p; size_t n; } b = {malloc(2 * 100001 + 1), 0};
    for (int i = 0; i < 100000; i++)
        b.p[b.n++] = 'x', b.p[b.n++] = '\n';
    assert_int_equal(read_bytes(b.p, b.n, &s), SHEET_OK);
    assert_int_equal(s.nrows, 100000);
    sheet_free(&s);
    b.p[b.n++] = 'y';
    assert_int_equal(read_bytes(b.p, b.n, &s), SHEET_TOO_LARGE);
    assert_non_null(strstr(message(b.p, b.n), "100.000"));
    /* 200 columns pass, 201 do not; empty columns past the last value do not count. */
    b.n = 0;
    for (int i = 0; i < 200; i++)
        b.p[b.n++] = 'c', b.p[b.n++] = ';';
    memcpy(b.p + b.n, ";;;;\n", 5);
    assert_int_equal(read_bytes(b.p, b.n + 5, &s), SHEET_OK);
    assert_int_equal(s.ncols, 200);
    sheet_free(&s);
    b.p[b.n++] = 'c';
    assert_int_equal(read_bytes(b.p, b.n, &s), SHEET_TOO_LARGE);
    assert_non_null(strstr(message(b.p, b.n), "200 cột"));
    free(b.p);
    /* Over 20 MB is refused before anything is read. */
    size_t big = 20u * 1024 * 1024 + 1;
    char *p = malloc(big);
    memset(p, 'a', big);
    assert_int_equal(read_bytes(p, big, &s), SHEET_TOO_LARGE);
    assert_non_null(strstr(message(p, big), "20 MB"));
    free(p);
}

static void test_other_formats(void **state)
{
    struct sheet s;
    static const unsigned char ole2[64] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    assert_int_equal(read_bytes(ole2, sizeof ole2, &s), SHEET_UNSUPPORTED);
    assert_non_null(strstr(message(ole2, sizeof ole2), ".xls"));
    assert_int_equal(read_str("%PDF-1.7\n", &s), SHEET_UNSUPPORTED);
}

/* ---- XLSX written by libxlsxwriter ---- */

static unsigned char *finish_workbook(lxw_workbook *wb, const char *path, size_t *len)
{
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return slurp(path, len);
}

static unsigned char *xlsxwriter_book(bool constant_memory, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "%s/book%d.xlsx", tmpdir, constant_memory);
    lxw_workbook_options opt = {.constant_memory = constant_memory};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Báo cáo");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    const char *head[] = {"STT", "Đơn vị", NULL, "Giá trị", "Đạt"};
    for (int c = 0; c < 5; c++) /* column C is left empty: a gap */
        if (head[c])
            worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
    worksheet_write_number(ws, 1, 0, 1, NULL);
    worksheet_write_string(ws, 1, 1, "Sở Thông tin và Truyền thông Hà Nội", NULL);
    worksheet_write_number(ws, 1, 3, 12.5, NULL);
    worksheet_write_boolean(ws, 1, 4, 1, NULL);
    worksheet_write_number(ws, 2, 0, 2, NULL);
    worksheet_write_string(ws, 2, 1, "UBND tinh La\xcc\x80o Cai", NULL); /* NFD: comes back NFC */
    worksheet_write_formula_num(ws, 2, 3, "=D2*2", NULL, 25);
    worksheet_write_boolean(ws, 2, 4, 0, NULL);
    worksheet_write_number(ws, 3, 0, 1e15, NULL);
    lxw_rich_string_tuple t1 = {.format = NULL, .string = "Bộ "}, t2 = {.format = bold, .string = "TT&TT"};
    lxw_rich_string_tuple *rich[] = {&t1, &t2, NULL};
    worksheet_write_rich_string(ws, 3, 1, rich, NULL);
    worksheet_write_formula_num(ws, 3, 3, "=0.1+0.2", NULL, 0.1 + 0.2);
    worksheet_write_number(ws, 4, 0, -0.25, NULL);
    worksheet_write_string(ws, 4, 1, "  Ghi chú  ", NULL);
    worksheet_write_number(ws, 4, 3, 3.0, NULL);
    worksheet_write_formula_str(ws, 4, 4, "=\"Có\"", NULL, "Có");
    worksheet_write_blank(ws, 9, 7, bold); /* formatted but empty: must not widen the sheet */
    lxw_worksheet *other = workbook_add_worksheet(wb, "Khác");
    worksheet_write_string(other, 0, 0, "không đọc", NULL);
    return finish_workbook(wb, path, len);
}

static void expect_xlsxwriter_book(const struct sheet *s)
{
    assert_int_equal(s->nrows, 5);
    expect_row(s, 0, "STT", "Đơn vị", "", "Giá trị", "Đạt", NULL);
    expect_row(s, 1, "1", "Sở Thông tin và Truyền thông Hà Nội", "", "12.5", "TRUE", NULL);
    expect_row(s, 2, "2", "UBND tinh Lào Cai", "", "25", "FALSE", NULL);
    expect_row(s, 3, "1000000000000000", "Bộ TT&TT", "", "0.3", "", NULL);
    expect_row(s, 4, "-0.25", "Ghi chú", "", "3", "Có", NULL);
}

static void test_xlsx_xlsxwriter(void **state)
{
    for (int cm = 0; cm < 2; cm++) { /* shared strings, then inline strings (constant_memory mode) */
        size_t len;
        unsigned char *d = xlsxwriter_book(cm, &len);
        struct sheet s;
        assert_int_equal(read_bytes(d, len, &s), SHEET_OK);
        expect_xlsxwriter_book(&s);
        sheet_free(&s);
        /* Truncated: the central directory at the end is gone. */
        assert_int_equal(read_bytes(d, len / 2, &s), SHEET_CORRUPT);
        assert_int_equal(read_bytes(d, len - 1, &s), SHEET_CORRUPT);
        free(d);
    }
}

static void test_xlsx_201_columns(void **state)
{
    char path[64];
    snprintf(path, sizeof path, "%s/wide.xlsx", tmpdir);
    for (int ncols = 200; ncols <= 201; ncols++) {
        lxw_workbook *wb = workbook_new(path);
        lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
        for (int c = 0; c < ncols; c++)
            worksheet_write_number(ws, 1, (lxw_col_t)c, c, NULL);
        size_t len;
        unsigned char *d = finish_workbook(wb, path, &len);
        struct sheet s;
        assert_int_equal(read_bytes(d, len, &s), ncols == 200 ? SHEET_OK : SHEET_TOO_LARGE);
        if (ncols == 200) {
            assert_int_equal(s.ncols, 200);
            assert_string_equal(sheet_cell(&s, 1, 199), "199");
        } else {
            assert_non_null(strstr(message(d, len), "200 cột"));
        }
        sheet_free(&s);
        free(d);
    }
}

/* ---- XLSX built by hand with libzip ---- */

struct part {
    const char *name, *text;
    size_t len; /* 0: strlen(text) */
};

static unsigned char *make_zip(const struct part *parts, int n, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "%s/hand.zip", tmpdir);
    unlink(path);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].text);
        zip_source_t *src = zip_source_buffer(za, parts[i].text, l, 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1), 0); /* fastest */
    }
    assert_int_equal(zip_close(za), 0);
    return slurp(path, len);
}

static enum sheet_status read_zip(const struct part *parts, int n, struct sheet *s)
{
    size_t len;
    unsigned char *d = make_zip(parts, n, &len);
    enum sheet_status st = read_bytes(d, len, s);
    free(d);
    return st;
}

/* A one-sheet XLSX with no workbook (the reader falls back to sheet1.xml) around the given sheetData rows. */
static enum sheet_status read_rows(const char *rows, const char *sst, struct sheet *s)
{
    char *xml;
    assert_true(asprintf(&xml, "<worksheet " SML "><sheetData>%s</sheetData></worksheet>", rows) > 0);
    struct part parts[] = {{"xl/worksheets/sheet1.xml", xml, 0}, {"xl/sharedStrings.xml", sst ? sst : "", 0}};
    enum sheet_status st = read_zip(parts, sst ? 2 : 1, s);
    free(xml);
    return st;
}

static void test_xlsx_by_hand(void **state)
{
    const char *workbook = "<workbook " SML " " REL_NS "><sheets>"
                           "<sheet name=\"Danh mục\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
                           "<sheet name=\"Số liệu\" sheetId=\"2\" r:id=\"rId7\"/></sheets></workbook>";
    const char *rels = "<Relationships " RELS ">"
                       "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                       "<Relationship Id=\"rId7\" Type=\"" REL_TYPE "worksheet\" Target=\"./worksheets/../data/so-lieu.xml\"/>"
                       "<Relationship Id=\"rId9\" Type=\"" REL_TYPE "sharedStrings\" Target=\"chuoi.xml\"/>"
                       "</Relationships>";
    const char *sst = "<sst " SML "><si><t>Đơn vị</t></si>"
                      "<si><r><rPr><b/></rPr><t>Sở </t></r><r><t xml:space=\"preserve\">Tài chính</t></r>"
                      "<rPh sb=\"0\" eb=\"1\"><t>ふりがな</t></rPh></si><si/></sst>";
    const char *data = "<worksheet " SML "><dimension ref=\"A1:E4\"/><sheetData>"
                       "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>Số </t>"
                       "<r><t>liệu</t></r></is></c></row>"
                       "<row><c t=\"s\"><v>1</v></c><c t=\"b\"><v>1</v></c><c><v>3.50</v></c></row>"
                       "<row r=\"4\"><c r=\"A4\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c t=\"str\"><f>A1</f>"
                       "<v>Đơn vị</v></c><c r=\"E4\"><f>1+1</f><v>2</v></c><c r=\"F4\" s=\"3\"/>"
                       "<c r=\"G4\" t=\"s\"><v>2</v></c></row>"
                       "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";
    struct part parts[] = {{"xl/workbook.xml", workbook, 0}, {"xl/_rels/workbook.xml.rels", rels, 0},
                           {"xl/chuoi.xml", sst, 0}, {"xl/data/so-lieu.xml", data, 0},
                           {"xl/worksheets/sheet1.xml", "<worksheet " SML "><sheetData><row><c t=\"inlineStr\">"
                                                        "<is><t>ẩn</t></is></c></row></sheetData></worksheet>", 0}};
    struct sheet s;
    assert_int_equal(read_zip(parts, 5, &s), SHEET_OK);
    assert_int_equal(s.nrows, 4);
    expect_row(&s, 0, "Đơn vị", "", "Số liệu", "", "", NULL);
    expect_row(&s, 1, "Sở Tài chính", "TRUE", "3.5", "", "", NULL); /* row and cells without r follow on */
    expect_row(&s, 2, "", "", "", "", "", NULL);
    expect_row(&s, 3, "#DIV/0!", "Đơn vị", "", "", "2", NULL);
    sheet_free(&s);
    /* Without the workbook the same package is read from xl/worksheets/sheet1.xml. */
    assert_int_equal(read_zip(parts + 4, 1, &s), SHEET_OK);
    expect_row(&s, 0, "ẩn", NULL);
    sheet_free(&s);
}

static void test_xlsx_numbers(void **state)
{
    static const char *const cases[][2] = {
        {"12", "12"},          {"12.000000", "12"}, {"3.5", "3.5"},       {"-0", "0"},
        {"1.2E-3", "0.0012"},  {"1e-7", "0.0000001"}, {"1e-8", "1E-08"}, {"1e20", "100000000000000000000"},
        {"1E+21", "1E+21"},    {"-2.5e300", "-2.5E+300"}, {"0.30000000000000004", "0.3"},
        {"64.000000000000014", "64"}, {"123456789012345678", "123456789012346000"}, {" 7 ", "7"},
        {"1,5", "1,5"},        {"abc", "abc"},      {"1e999", "1e999"},   {"0x10", "0x10"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *rows;
        assert_true(asprintf(&rows, "<row><c><v>%s</v></c></row>", cases[i][0]) > 0);
        struct sheet s;
        assert_int_equal(read_rows(rows, NULL, &s), SHEET_OK);
        assert_string_equal(sheet_cell(&s, 0, 0), cases[i][1]);
        sheet_free(&s);
        free(rows);
    }
}

static void test_xlsx_fixture(void **state)
{
    struct sheet s;
    /* Excel's shape: the hidden first sheet is skipped, styled empty cells do not widen, cached values win. */
    assert_int_equal(read_file(FIX "report.xlsx", &s), SHEET_OK);
    assert_int_equal(s.nrows, 5);
    expect_row(&s, 0, "Mã đơn vị", "Tên đơn vị", "", "Giá trị", "Đạt", NULL);
    expect_row(&s, 1, "HNI", "Sở Thông tin và Truyền thông", "", "87.5", "TRUE", NULL);
    expect_row(&s, 2, "LCI", "UBND tỉnh Lào Cai", "", "64", "FALSE", NULL);
    expect_row(&s, 3, "", "", "", "", "", NULL);
    expect_row(&s, 4, "Tổng", "Lào Cai", "", "#DIV/0!", "", NULL);
    sheet_free(&s);
}

static void test_xlsx_limits_and_refs(void **state)
{
    struct sheet s;
    assert_int_equal(read_rows("<row r=\"100000\"><c r=\"A100000\"><v>1</v></c></row>", NULL, &s), SHEET_OK);
    assert_int_equal(s.nrows, 100000);
    assert_string_equal(sheet_cell(&s, 99999, 0), "1");
    sheet_free(&s);
    assert_int_equal(read_rows("<row><c r=\"A100001\"><v>1</v></c></row>", NULL, &s), SHEET_TOO_LARGE);
    assert_int_equal(read_rows("<row><c r=\"GS1\"><v>1</v></c></row>", NULL, &s), SHEET_TOO_LARGE);
    assert_int_equal(read_rows("<row><c r=\"GR1\"><v>1</v></c></row>", NULL, &s), SHEET_OK);
    assert_int_equal(s.ncols, 200);
    sheet_free(&s);
    /* Nonsense positions and shared-string indexes past the table are corruption, not guesses. */
    assert_int_equal(read_rows("<row><c r=\"1A\"><v>1</v></c></row>", NULL, &s), SHEET_CORRUPT);
    assert_int_equal(read_rows("<row><c r=\"XFE1\"><v>1</v></c></row>", NULL, &s), SHEET_CORRUPT);
    assert_int_equal(read_rows("<row r=\"0\"><c><v>1</v></c></row>", NULL, &s), SHEET_CORRUPT);
    assert_int_equal(read_rows("<row><c t=\"s\"><v>1</v></c></row>", "<sst " SML "><si><t>a</t></si></sst>", &s),
                     SHEET_CORRUPT);
    assert_int_equal(read_rows("<row><c><v>1</v></c>", NULL, &s), SHEET_CORRUPT); /* unclosed XML */
    assert_int_equal(read_rows("<row><c r=\"B2\"/></row>", NULL, &s), SHEET_EMPTY);
}

/* A sparse sheet: few bytes, but rows x columns past SHEET_MAX_CELLS must be refused before the grid is made. */
static void test_sparse_cells_limit(void **state)
{
    (void)state;
    struct sheet s;
    char ref[96];
    snprintf(ref, sizeof ref, "<c r=\"GR%d\" t=\"inlineStr\"><is><t>x</t></is></c>", 20000);
    char rows[256];
    snprintf(rows, sizeof rows, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row><row r=\"20000\">%s</row>", ref);
    assert_int_equal(read_rows(rows, NULL, &s), SHEET_TOO_LARGE);
    snprintf(rows, sizeof rows, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row><row r=\"9000\">%s</row>",
             "<c r=\"GR9000\" t=\"inlineStr\"><is><t>x</t></is></c>");
    assert_int_equal(read_rows(rows, NULL, &s), SHEET_OK);
    assert_string_equal(sheet_cell(&s, 8999, 199), "x");
    sheet_free(&s);
}

static void test_not_xlsx(void **state)
{
    struct sheet s;
    struct part docx[] = {{"word/document.xml", "<w:document/>", 0}};
    assert_int_equal(read_zip(docx, 1, &s), SHEET_CORRUPT);
    size_t len;
    unsigned char *d = make_zip(docx, 1, &len);
    assert_non_null(strstr(message(d, len), ".xlsx"));
    free(d);
    struct part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
                         {"content.xml", "<office:document-content/>", 0}};
    assert_int_equal(read_zip(ods, 2, &s), SHEET_UNSUPPORTED);
    /* The workbook names a sheet that is not in the package. */
    struct part lost[] = {{"xl/workbook.xml", "<workbook " SML "/>", 0}};
    assert_int_equal(read_zip(lost, 1, &s), SHEET_CORRUPT);
}

/* Billion laughs in sharedStrings and an external entity in the sheet: a DOCTYPE is refused outright, so nothing
 * is expanded or fetched, and it is quick. */
static void test_xlsx_entities(void **state)
{
    const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"lollollollollollollollollollol\">"
                         "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                         "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                         "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
                         "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">]>"
                         "<sst " SML "><si><t>&i;</t></si></sst>";
    struct sheet s;
    clock_t t0 = clock();
    assert_int_equal(read_rows("<row><c t=\"s\"><v>0</v></c></row>", laughs, &s), SHEET_CORRUPT);
    assert_true(clock() - t0 < CLOCKS_PER_SEC);
    char *xxe;
    assert_true(asprintf(&xxe, "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                               "<worksheet " SML "><sheetData><row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row>"
                               "</sheetData></worksheet>") > 0);
    struct part parts[] = {{"xl/worksheets/sheet1.xml", xxe, 0}};
    assert_int_equal(read_zip(parts, 1, &s), SHEET_CORRUPT);
    free(xxe);
}

/* Padding that deflates to almost nothing: XML of `len` bytes that starts with `head` and is blanks after it. */
static char *padded(const char *head, size_t len)
{
    char *x = malloc(len);
    assert_non_null(x);
    memset(x, ' ', len);
    memcpy(x, head, strlen(head));
    return x;
}

/* Bytes that do not compress, as a workbook's pictures are: they make the upload larger without inflating. */
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

#define ONE_CELL_SHEET "<worksheet " SML "><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>"

/* The inflation budget is shared by all parts and is 64 MB: a workbook of 40 MB and a sheet of 40 MB together are
 * too much, though each alone is under it. A megabyte of picture keeps the compression ratio out of the way. */
static void test_xlsx_bomb(void **state)
{
    const char *wb_head = "<workbook " SML "><sheets/></workbook>";
    size_t part_len = 40u << 20;
    char *wb = padded(wb_head, part_len), *sh = padded(ONE_CELL_SHEET, part_len), *pic = noise(1u << 20);
    struct part parts[] = {{"xl/workbook.xml", wb, part_len}, {"xl/_rels/workbook.xml.rels", "<Relationships/>", 0},
                           {"xl/worksheets/sheet1.xml", sh, part_len}, {"xl/media/image1.png", pic, 1u << 20}};
    size_t len;
    unsigned char *d = make_zip(parts, 4, &len);
    struct sheet s;
    assert_true(len < SHEET_MAX_INPUT);
    assert_int_equal(read_bytes(d, len, &s), SHEET_TOO_LARGE);
    assert_non_null(strstr(message(d, len), "64 MB"));
    free(d);
    /* The same sheet with its workbook cut to a few bytes is within both limits and reads. */
    parts[0] = (struct part){"xl/workbook.xml", wb, strlen(wb_head)};
    d = make_zip(parts, 4, &len);
    assert_int_equal(read_bytes(d, len, &s), SHEET_OK);
    assert_string_equal(sheet_cell(&s, 0, 0), "1");
    sheet_free(&s);
    free(d);
    free(wb);
    free(sh);
    free(pic);
}

/* The audit's bomb: a workbook of a few hundred KB whose sheet inflates to 100 MB (under the old 200 MB limit, so it
 * was read whole). A workbook may inflate to at most 100 times its size: this one stops long before 100 MB. The zip
 * also lies about the sizes, which must change nothing since the bytes inflated are what is counted. */
static void test_xlsx_ratio(void **state)
{
    size_t big = 100u << 20;
    char *sh = padded(ONE_CELL_SHEET, big);
    struct part parts[] = {{"xl/worksheets/sheet1.xml", sh, big}};
    size_t len;
    unsigned char *d = make_zip(parts, 1, &len);
    free(sh);
    assert_true(len * 100 < big / 2);
    struct sheet s;
    clock_t t0 = clock();
    assert_int_equal(read_bytes(d, len, &s), SHEET_TOO_LARGE);
    assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
    const char *msg = message(d, len);
    assert_non_null(strstr(msg, "100 lần"));
    assert_null(strstr(msg, "200 MB"));
    const unsigned char small[4] = {0xE8, 0x03, 0, 0}; /* 1000 bytes, in the local header and the directory */
    memcpy(d + 22, small, 4);
    for (size_t i = 0; i + 46 < len; i++)
        if (memcmp(d + i, "PK\x01\x02", 4) == 0)
            memcpy(d + i + 24, small, 4);
    assert_int_equal(read_bytes(d, len, &s), SHEET_TOO_LARGE);
    free(d);
    /* Small files keep a floor of 1 MB: a tiny workbook that inflates 500 times still reads. */
    size_t half = 512u * 1024;
    sh = padded(ONE_CELL_SHEET, half);
    parts[0].text = sh, parts[0].len = half;
    d = make_zip(parts, 1, &len);
    assert_true(len * 100 < half);
    assert_int_equal(read_bytes(d, len, &s), SHEET_OK);
    sheet_free(&s);
    free(d);
    free(sh);
}

/* An ordinary large workbook: 30,000 rows of ten varied numbers and a shared string, over 10 MB of XML that
 * deflates about tenfold, reads whole under both limits. */
static void test_xlsx_large_normal(void **state)
{
    struct buf xml = {0};
    buf_puts(&xml, "<worksheet " SML "><sheetData>");
    uint32_t v = 88172645u;
    for (int r = 1; r <= 30000; r++) {
        buf_printf(&xml, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>%d</v></c>", r, r, r % 2);
        for (int c = 1; c <= 10; c++) {
            v ^= v << 13, v ^= v >> 17, v ^= v << 5;
            buf_printf(&xml, "<c r=\"%c%d\" s=\"1\"><v>%u.%u</v></c>", 'A' + c, r, v % 100000, v % 97);
        }
        buf_puts(&xml, "</row>");
    }
    buf_puts(&xml, "</sheetData></worksheet>");
    const char *sst = "<sst " SML "><si><t>Xã Đông Hưng</t></si><si><t>Phường Bến Nghé</t></si></sst>";
    struct part parts[] = {{"xl/worksheets/sheet1.xml", xml.p, xml.len}, {"xl/sharedStrings.xml", sst, 0}};
    size_t len;
    unsigned char *d = make_zip(parts, 2, &len);
    assert_true(xml.len > 10u << 20);
    struct sheet s;
    assert_int_equal(read_bytes(d, len, &s), SHEET_OK);
    assert_int_equal(s.nrows, 30000);
    assert_int_equal(s.ncols, 11);
    assert_string_equal(sheet_cell(&s, 29999, 0), "Xã Đông Hưng");
    sheet_free(&s);
    free(d);
    buf_free(&xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_bom_semicolon),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_crlf_ragged_blank_rows),
        cmocka_unit_test(test_csv_delimiters),
        cmocka_unit_test(test_csv_nfc_and_trim),
        cmocka_unit_test(test_csv_bad_encoding),
        cmocka_unit_test(test_csv_unclosed_quote),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_cell_out_of_range),
        cmocka_unit_test(test_csv_limits),
        cmocka_unit_test(test_sparse_cells_limit),
        cmocka_unit_test(test_other_formats),
        cmocka_unit_test(test_xlsx_xlsxwriter),
        cmocka_unit_test(test_xlsx_201_columns),
        cmocka_unit_test(test_xlsx_by_hand),
        cmocka_unit_test(test_xlsx_numbers),
        cmocka_unit_test(test_xlsx_fixture),
        cmocka_unit_test(test_xlsx_limits_and_refs),
        cmocka_unit_test(test_not_xlsx),
        cmocka_unit_test(test_xlsx_entities),
        cmocka_unit_test(test_xlsx_bomb),
        cmocka_unit_test(test_xlsx_ratio),
        cmocka_unit_test(test_xlsx_large_normal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
