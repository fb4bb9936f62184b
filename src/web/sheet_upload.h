/* The two steps of a spreadsheet upload (report figures, team rosters): a preview of the file posted now, then a
 * confirmation naming by hash the file this same user previewed. Must not read back a file another user stored. */
#ifndef DXDAY_WEB_SHEET_UPLOAD_H
#define DXDAY_WEB_SHEET_UPLOAD_H
#include "http/app.h"
#include "import/sheet.h"

/* Reads the sheet of either step: with `sha` in the request the stored file (confirm true, sha set), else the posted
 * field `file` (*file set; sha stays empty until the caller saves it). 0 with *sh read, which the caller frees with
 * sheet_free; or -1 with the refusal already answered (404 unknown preview, 400 no file, 413/415/422 unreadable). */
int sheet_upload_read(struct req *r, struct sheet *sh, const struct upload **file, char sha[65], bool *confirm);
/* A checked sheet with bad rows, refused: 422 naming the first ten rows by number ("Tệp có lỗi ở dòng 3, 5; chưa có gì
 * được lưu."), so a phone's client can say which to fix without reading the whole preview; checked is the context. */
int sheet_upload_refuse_rows(struct req *r, json_t *checked);
#endif
