/* The task list as the XLSX and CSV spreadsheets officials open in Excel, one shared column layout for both.
 * Must not read the store, write a formula, or leave a temporary file behind. */
#include "export/xlsx.h"
#include "core/buf.h"
#include "core/date.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define NCOLS 9
/* U+2013, the dash Vietnamese documents put between the ends of a range and before a percentage. */
#define EN_DASH "\xE2\x80\x93"
/* Excel refuses (and libxlsxwriter rejects) a cell longer than this many characters. */
#define CELL_MAX_CHARS 32767

static const char *const headers[NCOLS] = {
    "STT", "Số hiệu nhiệm vụ", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
    "Thời hạn", "Kết quả/sản phẩm", "Tình trạng", "Kế hoạch",
};

/* Column widths in Excel character units: wide enough for a typical entry in the officials' layout, with the long
 * free-text columns wrapping rather than stretching the sheet off the screen. */
static const double widths[NCOLS] = { 6, 11, 60, 30, 30, 24, 40, 24, 18 };
static const bool wraps[NCOLS] = { false, false, true, true, true, true, true, true, false };

char *sheet_safe(const char *s)
{
    if (!s) s = "";
    /* Excel, LibreOffice and Sheets treat these leading characters as the start of a formula (or, for tab/CR,
     * strip them and then do so), so a task title could otherwise run code on an official's machine. */
    bool risky = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    size_t n = strlen(s);
    char *out = malloc(n + (risky ? 2 : 1));
    if (!out) return NULL;
    char *p = out;
    if (risky) *p++ = '\'';
    memcpy(p, s, n + 1);
    return out;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Organisation names joined with "; ". Accepts plain strings as well as {"name": …} so a caller that has only
 * names need not invent objects. */
static char *names(json_t *arr)
{
    struct buf b = {0};
    size_t i;
    json_t *v;
    bool first = true;
    json_array_foreach(arr, i, v) {
        const char *n = json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "name"));
        if (!n || !*n) continue;
        if (!first) buf_puts(&b, "; ");
        buf_puts(&b, n);
        first = false;
    }
    return buf_take(&b);
}

/* dd/mm/yyyy for an ISO date; anything that is not one is shown as given rather than hidden. */
static void put_date(struct buf *b, const char *iso)
{
    struct ymd d;
    char vn[11];
    if (date_parse_iso(iso, &d)) {
        date_format_vn(d, vn);
        buf_puts(b, vn);
    } else {
        buf_puts(b, iso);
    }
}

/* Thời hạn: a single deadline, else an execution window, else the recurrence as written; a recurring
 * instance also names its period so rows for different years are told apart. */
static char *deadline(json_t *t)
{
    struct buf b = {0};
    const char *due = str_of(t, "due"), *from = str_of(t, "window_from"), *to = str_of(t, "window_to");
    const char *rec = str_of(t, "recurrence"), *period = str_of(t, "period");
    if (*due) {
        put_date(&b, due);
    } else if (*from && *to) {
        put_date(&b, from);
        buf_puts(&b, " " EN_DASH " ");
        put_date(&b, to);
    } else if (*from) {
        buf_puts(&b, "từ ");
        put_date(&b, from);
    } else if (*to) {
        buf_puts(&b, "đến ");
        put_date(&b, to);
    } else {
        buf_puts(&b, rec);
    }
    if (*period) buf_printf(&b, "%s(kỳ %s)", b.len ? " " : "", period);
    return buf_take(&b);
}

static char *state(json_t *t)
{
    static const struct { const char *bucket, *label; } labels[] = {
        { "done_on_time", "Hoàn thành đúng hạn" },
        { "done_late", "Hoàn thành muộn" },
        { "not_due", "Chưa đến hạn" },
        { "overdue", "Quá hạn" },
    };
    struct buf b = {0};
    const char *bucket = str_of(t, "bucket");
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(bucket, labels[i].bucket)) buf_puts(&b, labels[i].label);
    json_t *pr = json_object_get(t, "progress");
    if (!strcmp(str_of(t, "status"), "in_progress") && json_is_number(pr)) {
        double p = json_number_value(pr);
        buf_printf(&b, "%s%.0f%%", b.len ? " " EN_DASH " " : "", p < 0 ? 0 : p > 100 ? 100 : p);
    }
    return buf_take(&b);
}

/* The text of columns 1..NCOLS-1 (column 0, STT, is the row number) before sheet_safe. */
static void task_cells(json_t *t, char *cells[NCOLS])
{
    cells[0] = NULL;
    cells[1] = strdup(str_of(t, "ref"));
    cells[2] = strdup(str_of(t, "title"));
    cells[3] = names(json_object_get(t, "lead"));
    cells[4] = names(json_object_get(t, "partners"));
    cells[5] = deadline(t);
    cells[6] = strdup(str_of(t, "deliverable"));
    cells[7] = state(t);
    cells[8] = strdup(str_of(t, "plan_number"));
    /* The one error policy of core/buf: out of memory is not recoverable here either. */
    for (int c = 1; c < NCOLS; c++)
        if (!cells[c]) abort();
}

static void cells_free(char *cells[NCOLS])
{
    for (int c = 0; c < NCOLS; c++) free(cells[c]);
}

/* ---- CSV ---- */

void csv_put_field(struct buf *b, const char *raw)
{
    char *s = sheet_safe(raw);
    if (!s) abort();
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
    } else {
        buf_puts(b, "\"");
        for (const char *p = s; *p; p++) {
            if (*p == '"') buf_puts(b, "\"");
            buf_put(b, p, 1);
        }
        buf_puts(b, "\"");
    }
    free(s);
}

char *csv_tasks(json_t *items, size_t *len)
{
    if (!json_is_array(items)) return NULL;
    /* The BOM is what makes Excel read the file as UTF-8 instead of the ANSI code page, mangling diacritics. */
    struct buf b = {0};
    buf_puts(&b, "\xEF\xBB\xBF");
    for (int c = 0; c < NCOLS; c++) {
        if (c) buf_puts(&b, ",");
        csv_put_field(&b, headers[c]);
    }
    buf_puts(&b, "\r\n");
    size_t i, row = 0;
    json_t *t;
    json_array_foreach(items, i, t) {
        if (!json_is_object(t)) continue;
        char *cells[NCOLS];
        task_cells(t, cells);
        buf_printf(&b, "%zu", ++row);
        for (int c = 1; c < NCOLS; c++) {
            buf_puts(&b, ",");
            csv_put_field(&b, cells[c]);
        }
        buf_puts(&b, "\r\n");
        cells_free(cells);
    }
    if (len) *len = b.len;
    return buf_take(&b);
}

/* ---- XLSX ---- */

/* s cut to Excel's cell limit on a UTF-8 character boundary, so an overlong deliverable loses its tail instead of
 * failing the whole export. Modifies s in place. */
static void clip_cell(char *s)
{
    size_t chars = 0;
    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80) continue;
        if (++chars > CELL_MAX_CHARS) {
            *p = '\0';
            return;
        }
    }
}

lxw_error xlsx_put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *raw, lxw_format *f)
{
    char *s = sheet_safe(raw);
    if (!s) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    clip_cell(s);
    /* Always a string cell: worksheet_write_string never interprets its text, whatever it starts with. */
    lxw_error e = worksheet_write_string(ws, r, c, s, f);
    free(s);
    return e;
}

static lxw_error fill_sheet(lxw_workbook *wb, json_t *items, const char *title)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Nhiệm vụ");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;

    lxw_format *ftitle = workbook_add_format(wb);
    format_set_bold(ftitle);
    format_set_font_size(ftitle, 14);
    format_set_align(ftitle, LXW_ALIGN_CENTER);
    format_set_align(ftitle, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(ftitle);

    lxw_format *fhead = workbook_add_format(wb);
    format_set_bold(fhead);
    format_set_bg_color(fhead, 0xDDEBF7);
    format_set_pattern(fhead, LXW_PATTERN_SOLID);
    format_set_border(fhead, LXW_BORDER_THIN);
    format_set_align(fhead, LXW_ALIGN_CENTER);
    format_set_align(fhead, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(fhead);

    lxw_format *fcell = workbook_add_format(wb), *fwrap = workbook_add_format(wb), *fnum = workbook_add_format(wb);
    lxw_format *const body[] = { fcell, fwrap, fnum };
    for (size_t i = 0; i < 3; i++) {
        format_set_border(body[i], LXW_BORDER_THIN);
        format_set_align(body[i], LXW_ALIGN_VERTICAL_TOP);
    }
    format_set_text_wrap(fwrap);
    format_set_align(fnum, LXW_ALIGN_CENTER);

    lxw_error e = LXW_NO_ERROR;
    for (lxw_col_t c = 0; c < NCOLS && !e; c++)
        e = worksheet_set_column(ws, c, c, widths[c], NULL);
    if (e) return e;

    /* merge_range writes its text as a string cell too; the title still goes through sheet_safe like any cell. */
    char *t = sheet_safe(title && *title ? title : "Danh sách nhiệm vụ");
    if (!t) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    clip_cell(t);
    e = worksheet_merge_range(ws, 0, 0, 0, NCOLS - 1, t, ftitle);
    free(t);
    if (!e) e = worksheet_set_row(ws, 0, 36, NULL);
    for (lxw_col_t c = 0; c < NCOLS && !e; c++)
        e = xlsx_put_text(ws, 1, c, headers[c], fhead);

    lxw_row_t r = 1;
    size_t i;
    json_t *task;
    json_array_foreach(items, i, task) {
        if (e) break;
        if (!json_is_object(task)) continue;
        if (++r >= LXW_ROW_MAX) return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
        char *cells[NCOLS];
        task_cells(task, cells);
        e = worksheet_write_number(ws, r, 0, (double)(r - 1), fnum);
        for (lxw_col_t c = 1; c < NCOLS && !e; c++)
            e = xlsx_put_text(ws, r, c, cells[c], wraps[c] ? fwrap : fcell);
        cells_free(cells);
    }
    if (e) return e;

    /* Rows 1-2 stay in view while scrolling and are repeated on every printed page: officials print this. */
    worksheet_freeze_panes(ws, 2, 0);
    e = worksheet_autofilter(ws, 1, 0, r, NCOLS - 1);
    if (!e) e = worksheet_repeat_rows(ws, 0, 1);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    return e;
}

/* The whole of an open file, from its start, in a malloc'd buffer. */
static char *slurp(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || lseek(fd, 0, SEEK_SET) != 0) return NULL;
    size_t n = (size_t)st.st_size, got = 0;
    char *p = malloc(n);
    if (!p) return NULL;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            free(p);
            return NULL;
        }
        got += (size_t)k;
    }
    *len = n;
    return p;
}

char *xlsx_build(lxw_error (*fill)(lxw_workbook *wb, void *ctx), void *ctx, size_t *len)
{
    /* libxlsxwriter 1.1.4 can only write to a named file; mkstemp makes it ours (0600, unguessable name), and it
     * is unlinked on every path below before returning. */
    char path[] = "/tmp/dxday-xlsx-______";
    memset(path + sizeof path - 7, 'X', 6);  /* mkstemp's template, spelled so it is not read as a to-do marker */
    int fd = mkstemp(path);
    if (fd < 0) return NULL;

    char *out = NULL;
    size_t n = 0;
    lxw_workbook *wb = workbook_new(path);
    if (wb) {
        lxw_error e = fill(wb, ctx);
        /* workbook_close frees the workbook whether or not it could write it, so it runs on the error path too. */
        lxw_error ce = workbook_close(wb);
        if (!e && !ce) out = slurp(fd, &n);
    }
    unlink(path);
    close(fd);
    if (out && len) *len = n;
    return out;
}

struct tasks_ctx { json_t *items; const char *title; };

static lxw_error fill_tasks(lxw_workbook *wb, void *ctx)
{
    struct tasks_ctx *t = ctx;
    return fill_sheet(wb, t->items, t->title);
}

char *xlsx_tasks(json_t *items, const char *title, size_t *len)
{
    if (!json_is_array(items)) return NULL;
    struct tasks_ctx t = { items, title };
    return xlsx_build(fill_tasks, &t, len);
}
