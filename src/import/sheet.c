/* Front of the spreadsheet reader: tells XLSX from CSV by content, and builds the dense grid both readers fill.
 * Must not trust sizes or positions from the file: every limit is checked before the memory it guards is spent. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "import/sheet_internal.h"

const struct sheet_err SHEET_ERR_OK = {SHEET_OK, NULL};
const struct sheet_err SHEET_ERR_ROWS = {SHEET_TOO_LARGE,
                                         "Bảng tính có quá nhiều dòng: tối đa 100.000 dòng. Hãy chia thành nhiều tệp."};
const struct sheet_err SHEET_ERR_COLS = {SHEET_TOO_LARGE, "Bảng tính có quá nhiều cột: tối đa 200 cột."};
const struct sheet_err SHEET_ERR_XML = {
    SHEET_TOO_LARGE, "Tệp Excel khi giải nén lớn hơn 64 MB, vượt quá giới hạn cho phép. Hãy chia thành nhiều tệp."};
const struct sheet_err SHEET_ERR_RATIO = {
    SHEET_TOO_LARGE, "Tệp Excel khi giải nén lớn gấp hơn 100 lần kích thước tệp nên không được đọc: tệp có thể bị "
                     "hỏng hoặc cố ý gây quá tải. Hãy mở tệp bằng Excel, lưu lại rồi tải lên lại."};
const struct sheet_err SHEET_ERR_ENCODING = {
    SHEET_BAD_ENCODING,
    "Tệp CSV không dùng bảng mã UTF-8 (có thể là Windows-1258 hoặc TCVN3) nên chữ tiếng Việt sẽ bị lỗi. "
    "Trong Excel, chọn Save As (Lưu thành), kiểu tệp \"CSV UTF-8 (Comma delimited) (*.csv)\", rồi tải lên lại."};

static const struct sheet_err ERR_INPUT = {SHEET_TOO_LARGE, "Tệp quá lớn: tối đa 20 MB."};
static const struct sheet_err ERR_NO_BYTES = {SHEET_EMPTY, "Tệp rỗng."};
static const struct sheet_err ERR_CELLS = {SHEET_TOO_LARGE, "Bảng tính quá lớn (tối đa 2.000.000 ô tính theo số dòng nhân số cột)."};
static const struct sheet_err ERR_NO_CELLS = {SHEET_EMPTY, "Bảng tính không có ô nào có dữ liệu."};
/* A password-protected .xlsx is an OLE2 container too, so the message has to cover both. */
static const struct sheet_err ERR_OLE2 = {
    SHEET_UNSUPPORTED,
    "Tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu chưa được hỗ trợ. Hãy mở tệp bằng Excel, bỏ mật khẩu "
    "nếu có, rồi lưu lại dưới dạng Excel Workbook (.xlsx) hoặc CSV UTF-8."};
static const struct sheet_err ERR_PDF = {
    SHEET_UNSUPPORTED, "Tệp PDF không phải bảng tính. Hãy tải lên tệp Excel (.xlsx) hoặc CSV UTF-8."};

/* ---- the grid ---- */

void grid_init(struct grid *g)
{
    *g = (struct grid){0};
    buf_put(&g->pool, "", 1); /* offset 0 is the empty string every blank cell shares */
}

void grid_free(struct grid *g)
{
    buf_free(&g->pool);
    free(g->v);
    *g = (struct grid){0};
}

/* Length of the whitespace character starting at p, 0 when there is none. Beyond ASCII: the no-break and
 * fixed-width spaces that text pasted from the web or Word brings into Excel cells, and a stray BOM. */
static size_t space_at(const unsigned char *p, size_t n)
{
    if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')))
        return 1;
    if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2; /* U+00A0 */
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8B || p[2] == 0xAF))
        return 3; /* U+2000..U+200B, U+202F */
    if (n >= 3 && ((p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) || (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)))
        return 3; /* U+3000, U+FEFF */
    return 0;
}

/* Length of the whitespace character ending at p + n, 0 when there is none. */
static size_t space_before(const unsigned char *p, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        /* Only a lead byte can start a character; a continuation byte means look one further back. */
        if (k < 3 && (p[n - k] & 0xC0) == 0x80)
            continue;
        return space_at(p + n - k, k) == k ? k : 0;
    }
    return 0;
}

struct sheet_err grid_intern(struct grid *g, const char *s, size_t len, uint32_t *off)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k;
    while (len > 0 && (k = space_at(p, len)) > 0)
        p += k, len -= k;
    while (len > 0 && (k = space_before(p, len)) > 0)
        len -= k;
    *off = 0;
    if (len == 0)
        return SHEET_ERR_OK;
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = p[i] < 0x80;
    char *nfc = NULL;
    if (!ascii) {
        /* NFC never changes spaces, so trimming before it is the same as after, and is cheaper. */
        char *tmp = strndup((const char *)p, len);
        if (!tmp)
            abort(); /* as buf.c does: the sizes are bounded, so out of memory means the machine is gone */
        nfc = text_nfc(tmp);
        free(tmp);
        if (!nfc)
            return SHEET_ERR_ENCODING;
        p = (const unsigned char *)nfc;
        len = strlen(nfc);
    }
    struct sheet_err e = SHEET_ERR_OK;
    /* Unreachable within the input limits (600 MB of text at most after NFC), but offsets are 32 bits. */
    if (g->pool.len + len + 1 > UINT32_MAX) {
        e = SHEET_ERR_XML;
    } else {
        *off = (uint32_t)g->pool.len;
        buf_put(&g->pool, (const char *)p, len);
        buf_put(&g->pool, "", 1);
    }
    free(nfc);
    return e;
}

struct sheet_err grid_place(struct grid *g, long row, long col, uint32_t off)
{
    if (off == 0)
        return SHEET_ERR_OK;
    if (row >= SHEET_MAX_ROWS)
        return SHEET_ERR_ROWS;
    if (col >= SHEET_MAX_COLS)
        return SHEET_ERR_COLS;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        struct grid_cell *v = realloc(g->v, cap * sizeof *v);
        if (!v)
            abort();
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n++] = (struct grid_cell){(int32_t)row, (int32_t)col, off};
    if (row + 1 > g->nrows)
        g->nrows = (int)row + 1;
    if (col + 1 > g->ncols)
        g->ncols = (int)col + 1;
    return SHEET_ERR_OK;
}

struct sheet_err grid_put(struct grid *g, long row, long col, const char *s, size_t len)
{
    uint32_t off;
    struct sheet_err e = grid_intern(g, s, len, &off);
    return e.status == SHEET_OK ? grid_place(g, row, col, off) : e;
}

/* Spreads the cells over nrows*ncols pointers. A cell written twice keeps the later text, as Excel would. */
static struct sheet_err grid_finish(struct grid *g, struct sheet *out)
{
    if (g->n == 0)
        return ERR_NO_CELLS;
    size_t total = (size_t)g->nrows * (size_t)g->ncols;
    if (total > SHEET_MAX_CELLS)
        return ERR_CELLS;
    char **cells = malloc(total * sizeof *cells);
    if (!cells)
        abort();
    char *text = buf_take(&g->pool);
    for (size_t i = 0; i < total; i++)
        cells[i] = text;
    for (size_t i = 0; i < g->n; i++)
        cells[(size_t)g->v[i].row * (size_t)g->ncols + (size_t)g->v[i].col] = text + g->v[i].off;
    *out = (struct sheet){.nrows = g->nrows, .ncols = g->ncols, .cells = cells, .text = text};
    return SHEET_ERR_OK;
}

/* ---- the API ---- */

static bool starts_with(const unsigned char *data, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(data, magic, n) == 0;
}

static struct sheet_err read_any(const unsigned char *data, size_t len, struct sheet *out)
{
    if (len == 0)
        return ERR_NO_BYTES;
    if (len > SHEET_MAX_INPUT)
        return ERR_INPUT;
    if (starts_with(data, len, "\xD0\xCF\x11\xE0", 4))
        return ERR_OLE2;
    if (starts_with(data, len, "%PDF-", 5))
        return ERR_PDF;
    struct grid g;
    grid_init(&g);
    /* Local file header, or the end record of an archive with no entries: both are zips, neither is text. */
    bool zip = starts_with(data, len, "PK\x03\x04", 4) || starts_with(data, len, "PK\x05\x06", 4);
    struct sheet_err e = zip ? sheet_read_xlsx(data, len, &g) : sheet_read_csv(data, len, &g);
    if (e.status == SHEET_OK)
        e = grid_finish(&g, out);
    grid_free(&g);
    return e;
}

enum sheet_status sheet_read(const unsigned char *data, size_t len, struct sheet *out, const char **msg)
{
    *out = (struct sheet){0};
    struct sheet_err e = read_any(data, len, out);
    if (e.status != SHEET_OK)
        sheet_free(out);
    if (msg)
        *msg = e.msg;
    return e.status;
}

const char *sheet_cell(const struct sheet *s, int row, int col)
{
    if (!s || !s->cells || row < 0 || col < 0 || row >= s->nrows || col >= s->ncols)
        return "";
    return s->cells[(size_t)row * (size_t)s->ncols + (size_t)col];
}

void sheet_free(struct sheet *s)
{
    if (!s)
        return;
    free(s->cells);
    free(s->text);
    *s = (struct sheet){0};
}
