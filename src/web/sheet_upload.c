/* The two steps of a spreadsheet upload, shared by the report figures and the team rosters (see sheet_upload.h).
 * Must not read back a file another user stored. */
#include "web/sheet_upload.h"
#include "store/blob.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sheet_upload_read(struct req *r, struct sheet *sh, const struct upload **file, char sha[65], bool *confirm)
{
    *file = NULL;
    sha[0] = 0;
    for (int k = 0; k < r->nfiles; k++)
        if (!strcmp(r->files[k].field, "file")) *file = &r->files[k];
    const char *sha_in = req_str(r, "sha");
    *confirm = sha_in && *sha_in;
    unsigned char *stored = NULL;
    size_t len = 0;
    if (*confirm) {
        /* Only the sheet this user previewed: any other stored file would be read back to them cell by cell. */
        stored = store_blob_uploaded_by(r->db, sha_in, r->user->id) ? blob_load(r, sha_in, &len, NULL) : NULL;
        if (!stored) { req_fail(r, 404, "Không tìm thấy tệp đã xem trước; hãy tải lên lại."); return -1; }
        snprintf(sha, 65, "%s", sha_in);
    } else if (!*file || !(*file)->len) {
        req_fail(r, 400, "Chưa chọn tệp CSV hoặc XLSX.");
        return -1;
    }
    const char *msg = NULL;
    enum sheet_status st = *confirm ? sheet_read(stored, len, sh, &msg) : sheet_read((*file)->data, (*file)->len, sh, &msg);
    free(stored);
    if (st == SHEET_OK) return 0;
    req_fail(r, st == SHEET_TOO_LARGE ? 413 : st == SHEET_UNSUPPORTED ? 415 : 422, msg ? msg : "Không đọc được tệp.");
    return -1;
}

int sheet_upload_refuse_rows(struct req *r, json_t *checked)
{
    char msg[256] = "Tệp có lỗi ở dòng";
    size_t i, shown = 0;
    json_t *row;
    json_array_foreach(json_object_get(checked, "rows"), i, row)
        if (json_is_true(json_object_get(row, "bad")) && shown++ < 10)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s %d", shown > 1 ? "," : "", (int)json_integer_value(json_object_get(row, "n")));
    snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s; chưa có gì được lưu.", shown > 10 ? "…" : "");
    return req_fail_ctx(r, 422, msg, checked);
}
