/* Spreadsheets officials open in Excel: the task list in the layout they use (STT, Nhiệm vụ, Đơn vị chủ trì,
 * Đơn vị phối hợp, Thời hạn, Kết quả/sản phẩm, Tình trạng), as XLSX and as CSV. Must not read the store:
 * callers pass the rows (store_tasks_find's items). */
#ifndef DXDAY_XLSX_H
#define DXDAY_XLSX_H
#include <jansson.h>
#include <stddef.h>

/* An XLSX workbook in memory (malloc'd; *len its size), or NULL. title goes in the first row. */
char *xlsx_tasks(json_t *items, const char *title, size_t *len);
/* The same table as CSV (UTF-8 with BOM so Excel reads Vietnamese, CRLF lines). */
char *csv_tasks(json_t *items, size_t *len);
/* A cell value safe for a spreadsheet: text starting with = + - @ (or tab/CR) gets a leading apostrophe so it is
 * never run as a formula (CSV injection). malloc'd. */
char *sheet_safe(const char *s);
#endif
