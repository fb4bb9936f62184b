/* Spreadsheets officials open in Excel: the task list in the layout they use (STT, Nhiệm vụ, Đơn vị chủ trì,
 * Đơn vị phối hợp, Thời hạn, Kết quả/sản phẩm, Tình trạng), as XLSX and as CSV. Must not read the store:
 * callers pass the rows (store_tasks_find's items). */
#ifndef DXDAY_XLSX_H
#define DXDAY_XLSX_H
#include <jansson.h>
#include <stddef.h>
#include <xlsxwriter.h>

struct buf;

/* An XLSX workbook in memory (malloc'd; *len its size), or NULL. title goes in the first row. */
char *xlsx_tasks(json_t *items, const char *title, size_t *len);
/* The same table as CSV (UTF-8 with BOM so Excel reads Vietnamese, CRLF lines). */
char *csv_tasks(json_t *items, size_t *len);
/* A cell value safe for a spreadsheet: text starting with = + - @ (or tab/CR) gets a leading apostrophe so it is
 * never run as a formula (CSV injection). malloc'd. */
char *sheet_safe(const char *s);
/* Shared by every spreadsheet export: runs fill on a fresh workbook and returns the file's bytes (malloc'd). */
char *xlsx_build(lxw_error (*fill)(lxw_workbook *wb, void *ctx), void *ctx, size_t *len);
/* A string cell through sheet_safe, cut to Excel's limit. */
lxw_error xlsx_put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *raw, lxw_format *f);
/* One CSV field through sheet_safe, quoted when needed. */
void csv_put_field(struct buf *b, const char *raw);

/* Any table: columns [{"title", "width" (Excel units, optional), "type": "text" | "number" | "percent"}], rows of
 * cells (strings, numbers or null; percent cells are 0..1). The first row is the title; the header row repeats on
 * printed pages. */
char *xlsx_table(const char *title, json_t *columns, json_t *rows, size_t *len);
char *csv_table(json_t *columns, json_t *rows, size_t *len);
#endif
