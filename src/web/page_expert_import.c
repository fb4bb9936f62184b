/* The centre's import of experts from Excel or CSV: a template, an upload checked cell by cell and shown as a preview,
 * then the same person's confirmation of exactly the previewed file (sheet_upload.c), which adds every expert or none
 * and names the rows at fault. Must not see SQL, nor let anyone but the centre import. */
#include "web/expert.h"
#include "store/blob.h"
#include "web/sheet_upload.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHEET (5u * 1024 * 1024)
#define MAX_EXPERTS 2000

enum col { C_NAME, C_TITLE, C_ORG, C_PROV, C_FIELDS, C_EMAIL, C_PHONE, C_TRAINED, C_N };
static const char *const col_titles[C_N] = { "Họ và tên", "Chức danh", "Cơ quan", "Tỉnh/thành phố", "Lĩnh vực", "Email",
                                              "Số điện thoại", "Ngày hoàn thành bồi dưỡng" };
static const char *const col_fields[C_N] = { "name", "title", "organisation", "province", "fields", "email", "phone", "trained_on" };

static int col_of(const char *h)
{
    static const char *const names[C_N][5] = {
        { "ho va ten", "ho ten", "ten", "name", NULL },
        { "chuc danh", "hoc ham hoc vi", "title", NULL, NULL },
        { "co quan", "don vi cong tac", "co quan cong tac", "organisation", NULL },
        { "tinh thanh pho", "tinh", "tinh thanh", "province", NULL },
        { "linh vuc", "linh vuc chuyen mon", "fields", NULL, NULL },
        { "email", "e mail", "thu dien tu", NULL, NULL },
        { "so dien thoai", "dien thoai", "sdt", "phone", NULL },
        { "ngay hoan thanh boi duong", "ngay boi duong", "trained on", NULL, NULL },
    };
    char *f = text_fold(h);
    int found = -1;
    for (int c = 0; f && c < C_N && found < 0; c++)
        for (int k = 0; names[c][k] && found < 0; k++) if (!strcmp(f, names[c][k])) found = c;
    free(f);
    return found;
}

static bool centre_only(struct req *r)
{
    if (expert_is_centre(r)) return true;
    if (db_failed(r->db)) req_store_failed(r);
    else req_fail(r, 403, "Chỉ Trung tâm nhập danh sách chuyên gia.");
    return false;
}

static int page(struct req *r)
{
    if (!centre_only(r)) return r->status;
    json_t *cols = json_array();
    for (int c = 0; c < C_N; c++) json_array_append_new(cols, json_string(col_titles[c]));
    return render(r, json_pack("{s:s, s:s, s:o, s:s}", "title", "Nhập chuyên gia từ Excel", "_nav", "experts", "columns", cols,
                               "_csrf", csrf_token(r)), "expert_import");
}

static int template(struct req *r)
{
    if (!centre_only(r)) return r->status;
    const char *csv = "\xEF\xBB\xBFHọ và tên,Chức danh,Cơ quan,Tỉnh/thành phố,Lĩnh vực,Email,Số điện thoại,Ngày hoàn thành bồi dưỡng\r\n"
                      "Nguyễn Văn A (ví dụ: xóa dòng này),TS.,Trường Đại học X,Nghệ An,Dữ liệu; Kỹ năng số,nguyenvana@example.vn,0912 345 678,15/06/2026\r\n";
    req_header(r, "Content-Disposition", "attachment; filename=\"mau-danh-sach-chuyen-gia.csv\"");
    return req_send(r, 200, "text/csv; charset=utf-8", strdup(csv), strlen(csv));
}

/* One row's cells as a profile: its errors per field. The fields cell is split at ';' or ','. */
static void check_row(const char *v[C_N], json_t *provinces, json_t *fields, struct expert_in *in, struct expert_bufs *b, json_t *errors)
{
    json_t *fl = json_array();
    char *copy = strdup(v[C_FIELDS]), *save = NULL;
    for (char *t = strtok_r(copy, ";,", &save); t; t = strtok_r(NULL, ";,", &save)) {
        while (*t == ' ') t++;
        size_t n = strlen(t);
        while (n && t[n - 1] == ' ') t[--n] = 0;
        if (*t) json_array_append_new(fl, json_string(t));
    }
    free(copy);
    struct expert_raw raw = { .name = v[C_NAME], .title = v[C_TITLE], .organisation = v[C_ORG], .province = v[C_PROV], .email = v[C_EMAIL],
                              .phone = v[C_PHONE], .trained_on = v[C_TRAINED], .fields = fl };
    expert_check(&raw, NULL, provinces, fields, in, b, errors);
    json_decref(fl);
}

static json_t *check(const struct sheet *sh, json_t *provinces, json_t *fields, int colmap[C_N])
{
    json_t *out = json_pack("{s:[], s:i, s:i}", "rows", "errors", 0, "ok", 0), *rows = json_object_get(out, "rows");
    json_t *header = json_array();
    for (int c = 0; c < C_N; c++) colmap[c] = -1;
    for (int c = 0; c < sh->ncols; c++) {
        const char *h = sheet_cell(sh, 0, c);
        int k = *h ? col_of(h) : -1;
        if (*h && k < 0) json_array_append_new(header, json_sprintf("Cột \"%s\" không thuộc mẫu danh sách chuyên gia.", h));
        else if (k >= 0 && colmap[k] >= 0) json_array_append_new(header, json_sprintf("Cột \"%s\" có hai lần.", col_titles[k]));
        else if (k >= 0) colmap[k] = c;
    }
    const int needed[] = { C_NAME, C_PROV, C_FIELDS };
    for (int i = 0; i < 3; i++)
        if (colmap[needed[i]] < 0) json_array_append_new(header, json_sprintf("Thiếu cột \"%s\".", col_titles[needed[i]]));
    if (sh->nrows - 1 > MAX_EXPERTS) json_array_append_new(header, json_sprintf("Tối đa %d chuyên gia một lần nhập.", MAX_EXPERTS));
    if (json_array_size(header)) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:o, s:b}", "n", 1, "cells", "errors", header, "bad", 1));
        json_object_set_new(out, "errors", json_integer(1));
        return out;
    }
    json_decref(header);
    json_t *emails = json_object();
    int nerr = 0, nok = 0;
    for (int row = 1; row < sh->nrows; row++) {
        bool blank = true;
        for (int c = 0; c < sh->ncols && blank; c++) blank = !*sheet_cell(sh, row, c);
        if (blank) continue;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, row, colmap[c]) : "";
        json_t *errors = json_object();
        struct expert_in in;
        struct expert_bufs b;
        check_row(v, provinces, fields, &in, &b, errors);
        if (in.email && *in.email && !json_object_get(errors, "email")) {
            char *low = strdup(in.email);
            for (char *p = low; *p; p++) if (*p >= 'A' && *p <= 'Z') *p += 32;
            json_t *first = json_object_get(emails, low);
            if (first) json_object_set_new(errors, "email", json_sprintf("Trùng email với dòng %d.", (int)json_integer_value(first)));
            else json_object_set_new(emails, low, json_integer(row + 1));
            free(low);
        }
        expert_bufs_free(&b);
        json_t *cells = json_array();
        for (int c = 0; c < C_N; c++)
            json_array_append_new(cells, json_pack("{s:s, s:O?}", "value", v[c], "error", json_object_get(errors, col_fields[c])));
        bool bad = json_object_size(errors) > 0;
        bad ? nerr++ : nok++;
        json_array_append_new(rows, json_pack("{s:i, s:o, s:[], s:b}", "n", row + 1, "cells", cells, "errors", "bad", bad));
        json_decref(errors);
    }
    json_decref(emails);
    if (!nerr && !nok) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:[s], s:b}", "n", 2, "cells", "errors", "Tệp chưa có chuyên gia nào.", "bad", 1));
        nerr = 1;
    }
    json_object_set_new(out, "errors", json_integer(nerr));
    json_object_set_new(out, "ok", json_integer(nok));
    return out;
}

/* Adds every row in the caller's transaction, each checked again: approved, as the centre's own list. */
static enum store_status save(struct req *r, const struct sheet *sh, json_t *checked, json_t *provinces, json_t *fields,
                              const int colmap[C_N], struct store_result *res)
{
    char now[21];
    expert_now(now);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(checked, "rows"), i, row) {
        int n = (int)json_integer_value(json_object_get(row, "n")) - 1;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, n, colmap[c]) : "";
        json_t *errors = json_object();
        struct expert_in in;
        struct expert_bufs b;
        check_row(v, provinces, fields, &in, &b, errors);
        int64_t id = 0;
        in.status = "approved";
        if (json_object_size(errors)) store_fail(res, STORE_INVALID, "Dòng %d có lỗi; chưa có gì được lưu.", n + 1);
        else store_expert_create(r->db, &in, r->user->id, now, &id, res);
        expert_bufs_free(&b);
        json_decref(errors);
        if (res->status != STORE_OK) return res->status;
    }
    return STORE_OK;
}

static int upload(struct req *r)
{
    if (!centre_only(r)) return r->status;
    const struct upload *file;
    char sha[65];
    bool confirm;
    struct sheet sh;
    if (sheet_upload_read(r, &sh, &file, sha, &confirm)) return r->status;
    struct store_result res = STORE_RESULT_OK;
    json_t *fields = NULL, *provinces = NULL;
    if (store_expert_fields(r->db, &fields, &res) || store_expert_provinces(r->db, &provinces, &res)) {
        sheet_free(&sh);
        json_decref(fields);
        return req_result(r, &res);
    }
    int colmap[C_N];
    json_t *checked = check(&sh, provinces, fields, colmap);
    int status = json_integer_value(json_object_get(checked, "errors")) ? 422 : 200;
    if (status == 200) {
        if (db_begin(r->db)) store_fail_db(&res, r->db);
        else if (!confirm && blob_save(r, file, sha)) store_fail_db(&res, r->db);
        else if (confirm && save(r, &sh, checked, provinces, fields, colmap, &res) == STORE_OK &&
                 audit(r, "expert.import", "expert", 0, json_pack("{s:s, s:O}", "sha256", sha, "experts", json_object_get(checked, "ok"))))
            store_fail_db(&res, r->db);
        if (res.status != STORE_OK) db_rollback(r->db);
        else if (db_commit(r->db)) store_fail_db(&res, r->db);
    }
    sheet_free(&sh);
    json_decref(fields), json_decref(provinces);
    if (res.status != STORE_OK) {
        json_decref(checked);
        return req_result(r, &res);
    }
    if (r->want_json && status == 422) {
        return sheet_upload_refuse_rows(r, checked);
    }
    json_t *cols = json_array();
    for (int c = 0; c < C_N; c++) json_array_append_new(cols, json_string(col_titles[c]));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:s}", "title", "Nhập chuyên gia từ Excel", "_nav", "experts", "columns", cols,
                            "check", checked, "_csrf", csrf_token(r), "saved", confirm && status == 200, "sha", sha);
    r->status = confirm && status == 200 ? 201 : status;
    return render(r, ctx, "expert_import");
}

const struct route page_expert_import_routes[] = {
    { "GET", "/chuyen-gia/nhap", NULL, page, STAFF, false, 0 },
    { "GET", "/chuyen-gia/nhap/mau", NULL, template, STAFF, false, 0 },
    { "POST", "/chuyen-gia/nhap", "/api/experts/import", upload, STAFF, false, MAX_SHEET + 256 * 1024 },
    { 0 },
};
