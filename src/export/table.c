/* Any report table (completeness, totals, overdue items) as XLSX and CSV for officials: numbers stay numbers,
 * text can never become a formula. Must not read the store. */
#include "export/xlsx.h"
#include "core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table_ctx { const char *title; json_t *columns, *rows; };

static const char *col_type(json_t *col)
{
    const char *t = json_string_value(json_object_get(col, "type"));
    return t ? t : "text";
}

static lxw_error fill_table(lxw_workbook *wb, void *ctx)
{
    struct table_ctx *t = ctx;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Bảng");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_format *ftitle = workbook_add_format(wb), *fhead = workbook_add_format(wb), *fcell = workbook_add_format(wb);
    lxw_format *fnum = workbook_add_format(wb), *fpct = workbook_add_format(wb);
    format_set_bold(ftitle);
    format_set_font_size(ftitle, 14);
    format_set_bold(fhead);
    format_set_bg_color(fhead, 0xDDEBF7);
    format_set_pattern(fhead, LXW_PATTERN_SOLID);
    format_set_text_wrap(fhead);
    lxw_format *all[] = { fhead, fcell, fnum, fpct };
    for (int i = 0; i < 4; i++) format_set_border(all[i], LXW_BORDER_THIN);
    format_set_text_wrap(fcell);
    format_set_num_format(fnum, "#,##0.##");
    format_set_num_format(fpct, "0.0%");
    lxw_col_t ncols = (lxw_col_t)json_array_size(t->columns);
    if (!ncols) return LXW_ERROR_PARAMETER_VALIDATION;
    lxw_error e = xlsx_put_text(ws, 0, 0, t->title ? t->title : "", ftitle);
    size_t i;
    json_t *col;
    json_array_foreach(t->columns, i, col) {
        json_t *w = json_object_get(col, "width");
        if (!e) e = worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, json_is_number(w) ? json_number_value(w) : 16, NULL);
        if (!e) e = xlsx_put_text(ws, 1, (lxw_col_t)i, json_string_value(json_object_get(col, "title")), fhead);
    }
    json_t *row;
    lxw_row_t r = 1;
    json_array_foreach(t->rows, i, row) {
        if (e) break;
        if (++r >= LXW_ROW_MAX) return LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE;
        for (lxw_col_t c = 0; c < ncols && !e; c++) {
            json_t *v = json_array_get(row, c);
            const char *type = col_type(json_array_get(t->columns, c));
            if (json_is_number(v)) e = worksheet_write_number(ws, r, c, json_number_value(v), !strcmp(type, "percent") ? fpct : fnum);
            else if (json_is_string(v)) e = xlsx_put_text(ws, r, c, json_string_value(v), fcell);
            else e = worksheet_write_blank(ws, r, c, fcell);
        }
    }
    if (e) return e;
    worksheet_freeze_panes(ws, 2, 0);
    e = worksheet_autofilter(ws, 1, 0, r, ncols - 1);
    if (!e) e = worksheet_repeat_rows(ws, 1, 1);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    return e;
}

char *xlsx_table(const char *title, json_t *columns, json_t *rows, size_t *len)
{
    if (!json_is_array(columns) || !json_is_array(rows)) return NULL;
    struct table_ctx t = { title, columns, rows };
    return xlsx_build(fill_table, &t, len);
}

char *csv_table(json_t *columns, json_t *rows, size_t *len)
{
    if (!json_is_array(columns) || !json_is_array(rows)) return NULL;
    struct buf b = { 0 };
    buf_puts(&b, "\xEF\xBB\xBF");
    size_t i, j;
    json_t *col, *row, *v;
    json_array_foreach(columns, i, col) {
        if (i) buf_puts(&b, ",");
        csv_put_field(&b, json_string_value(json_object_get(col, "title")));
    }
    buf_puts(&b, "\r\n");
    json_array_foreach(rows, i, row) {
        json_array_foreach(row, j, v) {
            if (j) buf_puts(&b, ",");
            /* Plain digits for numbers so Excel in any locale reads them; percent cells as 0..1 fractions. */
            if (json_is_integer(v)) buf_printf(&b, "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v)) buf_printf(&b, "%.6g", json_real_value(v));
            else csv_put_field(&b, json_string_value(v));
        }
        buf_puts(&b, "\r\n");
    }
    if (len) *len = b.len;
    return buf_take(&b);
}
