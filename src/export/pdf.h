/* Printable A4 reports (PDF, Noto Sans, Vietnamese text, tables and SVG charts) built from a JSON description.
 * Pure and thread-safe: no files, no store, nothing shared between calls, so HTTP workers may render at once. */
#ifndef DXDAY_PDF_H
#define DXDAY_PDF_H
#include <jansson.h>
#include <stddef.h>

/* Renders a report to an A4 PDF. doc:
 * {"title": "...", "subtitle": "...", "meta": ["Ngày lập: 23/11/2026", ...],
 *  "blocks": [ {"type":"h2","text":"..."}, {"type":"p","text":"..."},
 *              {"type":"table","columns":[{"title":"Tỉnh","align":"left","width":3},{"title":"Tỷ lệ","align":"right","width":1}],
 *               "rows":[["Nghệ An","87,5 %"], ...], "total":["Cả nước","80 %"] (optional, bold)},
 *              {"type":"svg","svg":"<svg ...>","width_mm":170, "caption":"..."},
 *              {"type":"pagebreak"} ],
 *  "footer": "dxday – Ngày Chuyển đổi số quốc gia"}
 * title, subtitle, meta and footer are optional; blocks is required (it may be empty). align is left (default),
 * right or center; width is a relative column weight (default 1). Cells are strings, numbers or null; every row
 * (and total) has exactly one cell per column. width_mm defaults to the full text width (170 mm). Text must be NFC
 * UTF-8; it is shown as is (no markup). An SVG may not load external files: it has no base location.
 * Returns malloc'd bytes (*len set; free() them), or NULL with a Vietnamese message in err. */
char *pdf_report(json_t *doc, size_t *len, char *err, size_t errlen);
#endif
