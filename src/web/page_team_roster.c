/* A team's roster from Excel or CSV: a template, then an upload checked cell by cell and shown as a preview, then the
 * same person's confirmation of exactly the previewed file (kept by its hash), which adds every member or none. The
 * pattern of the reports upload (page_report_upload.c). Must not see SQL, nor read back a file someone else uploaded. */
#include "web/team.h"
#include "store/blob.h"
#include "web/sheet_upload.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROSTER (5u * 1024 * 1024)
#define MAX_MEMBERS 1000

enum col { C_NAME, C_ROLE, C_ORIGIN, C_PHONE, C_EMAIL, C_N };
static const char *const col_titles[C_N] = { "Họ và tên", "Vai trò trong tổ", "Xuất thân/đơn vị", "Số điện thoại", "Email" };
static const char *const col_fields[C_N] = { "name", "team_role", "origin", "phone", "email" };

/* Which column a header names, diacritics and case aside; -1 when none. */
static int col_of(const char *h)
{
    static const char *const names[C_N][6] = {
        { "ho va ten", "ho ten", "ten", "ho va ten thanh vien", "name", NULL },
        { "vai tro trong to", "vai tro", "chuc vu", "chuc vu trong to", "team role", NULL },
        { "xuat than don vi", "xuat than", "don vi", "don vi cong tac", "origin", NULL },
        { "so dien thoai", "dien thoai", "sdt", "so dt", "phone", NULL },
        { "email", "e mail", "thu dien tu", "dia chi email", NULL, NULL },
    };
    char *f = text_fold(h);
    int found = -1;
    for (int c = 0; f && c < C_N && found < 0; c++)
        for (int k = 0; names[c][k] && found < 0; k++) if (!strcmp(f, names[c][k])) found = c;
    free(f);
    return found;
}

static int page(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    json_t *cols = json_array();
    for (int c = 0; c < C_N; c++) json_array_append_new(cols, json_string(col_titles[c]));
    return render(r, json_pack("{s:s, s:s, s:o, s:o, s:s}", "title", "Tải danh sách thành viên", "_nav", "teams", "team", t,
                               "columns", cols, "_csrf", csrf_token(r)), "team/roster");
}

/* A CSV officials open in Excel: the headers and one example row (the BOM tells Excel it is UTF-8). */
static int template(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    json_decref(t);
    const char *csv = "\xEF\xBB\xBFHọ và tên,Vai trò trong tổ,Xuất thân/đơn vị,Số điện thoại,Email\r\n"
                      "Nguyễn Văn A (ví dụ: xóa dòng này),Tổ trưởng,Cán bộ xã,0912 345 678,nguyenvana@example.vn\r\n";
    req_header(r, "Content-Disposition", "attachment; filename=\"mau-danh-sach-to-cns.csv\"");
    return req_send(r, 200, "text/csv; charset=utf-8", strdup(csv), strlen(csv));
}

/* Checks every row; {rows: [{n, cells: [{value, error}], errors: [...], bad}], errors, ok}. Header problems come back as
 * one row n = 1. A row's cells follow col_titles. */
static json_t *check(struct req *r, int64_t team_id, const struct sheet *sh, int colmap[C_N])
{
    json_t *out = json_pack("{s:[], s:i, s:i}", "rows", "errors", 0, "ok", 0), *rows = json_object_get(out, "rows");
    json_t *header = json_array();
    for (int c = 0; c < C_N; c++) colmap[c] = -1;
    for (int c = 0; c < sh->ncols; c++) {
        const char *h = sheet_cell(sh, 0, c);
        int k = *h ? col_of(h) : -1;
        if (*h && k < 0) json_array_append_new(header, json_sprintf("Cột \"%s\" không thuộc mẫu danh sách (Họ và tên, Vai trò trong tổ, "
                                                                    "Xuất thân/đơn vị, Số điện thoại, Email).", h));
        else if (k >= 0 && colmap[k] >= 0) json_array_append_new(header, json_sprintf("Cột \"%s\" có hai lần.", col_titles[k]));
        else if (k >= 0) colmap[k] = c;
    }
    if (colmap[C_NAME] < 0) json_array_append_new(header, json_string("Thiếu cột \"Họ và tên\"."));
    if (sh->nrows - 1 > MAX_MEMBERS) json_array_append_new(header, json_sprintf("Tối đa %d thành viên một lần tải lên.", MAX_MEMBERS));
    if (json_array_size(header)) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:o, s:b}", "n", 1, "cells", "errors", header, "bad", 1));
        json_object_set_new(out, "errors", json_integer(1));
        return out;
    }
    json_decref(header);
    json_t *phones = json_object();
    int nerr = 0, nok = 0;
    for (int row = 1; row < sh->nrows; row++) {
        bool blank = true;
        for (int c = 0; c < sh->ncols && blank; c++) blank = !*sheet_cell(sh, row, c);
        if (blank) continue;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, row, colmap[c]) : "";
        json_t *errors = json_object(), *row_errors = json_array();
        struct member_in in;
        struct member_bufs b;
        team_member_check(v[C_NAME], v[C_ROLE], v[C_ORIGIN], v[C_PHONE], v[C_EMAIL], &in, &b, errors);
        if (in.phone && !json_object_get(errors, "phone")) {
            json_t *first = json_object_get(phones, in.phone);
            if (first) json_object_set_new(errors, "phone", json_sprintf("Trùng số điện thoại với dòng %d.", (int)json_integer_value(first)));
            else if (store_member_phone_taken(r->db, team_id, in.phone, 0))
                json_object_set_new(errors, "phone", json_string("Tổ đã có thành viên dùng số điện thoại này."));
            else json_object_set_new(phones, in.phone, json_integer(row + 1));
        }
        team_member_bufs_free(&b);
        json_t *cells = json_array();
        for (int c = 0; c < C_N; c++)
            json_array_append_new(cells, json_pack("{s:s, s:O?}", "value", v[c], "error", json_object_get(errors, col_fields[c])));
        bool bad = json_object_size(errors) > 0;
        bad ? nerr++ : nok++;
        json_array_append_new(rows, json_pack("{s:i, s:o, s:o, s:b}", "n", row + 1, "cells", cells, "errors", row_errors, "bad", bad));
        json_decref(errors);
    }
    json_decref(phones);
    if (!nerr && !nok) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:[s], s:b}", "n", 2, "cells", "errors", "Tệp chưa có thành viên nào.", "bad", 1));
        nerr = 1;
    }
    json_object_set_new(out, "errors", json_integer(nerr));
    json_object_set_new(out, "ok", json_integer(nok));
    return out;
}

/* Adds every checked row in the caller's transaction; each is checked again, and the phones against the team as it is
 * now, under the write lock. */
static enum store_status save(struct req *r, int64_t team_id, const struct sheet *sh, json_t *checked, const int colmap[C_N],
                              struct store_result *res)
{
    char now[21];
    team_now(now);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(checked, "rows"), i, row) {
        int n = (int)json_integer_value(json_object_get(row, "n")) - 1;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, n, colmap[c]) : "";
        json_t *errors = json_object();
        struct member_in in;
        struct member_bufs b;
        team_member_check(v[C_NAME], v[C_ROLE], v[C_ORIGIN], v[C_PHONE], v[C_EMAIL], &in, &b, errors);
        int64_t mid = 0;
        if (json_object_size(errors) || (in.phone && store_member_phone_taken(r->db, team_id, in.phone, 0)))
            store_fail(res, STORE_INVALID, "Dòng %d có lỗi; chưa có gì được lưu.", n + 1);
        else store_member_add(r->db, team_id, &in, now, &mid, res);
        team_member_bufs_free(&b);
        json_decref(errors);
        if (res->status != STORE_OK) return res->status;
    }
    return STORE_OK;
}

static int upload(struct req *r)
{
    json_t *t = team_load(r, true);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id"));
    const struct upload *file;
    char sha[65];
    bool confirm;
    struct sheet sh;
    if (sheet_upload_read(r, &sh, &file, sha, &confirm)) {
        json_decref(t);
        return r->status;
    }
    int colmap[C_N];
    json_t *checked = check(r, tid, &sh, colmap);
    int status = json_integer_value(json_object_get(checked, "errors")) ? 422 : 200;
    struct store_result res = STORE_RESULT_OK;
    if (status == 200) {
        if (db_begin(r->db)) store_fail_db(&res, r->db);
        else if (!confirm && blob_save(r, file, sha)) store_fail_db(&res, r->db);
        else if (confirm && save(r, tid, &sh, checked, colmap, &res) == STORE_OK &&
                 audit(r, "team.roster", "team", tid, json_pack("{s:s, s:O}", "sha256", sha, "members", json_object_get(checked, "ok"))))
            store_fail_db(&res, r->db);
        if (res.status != STORE_OK) db_rollback(r->db);
        else if (db_commit(r->db)) store_fail_db(&res, r->db);
    }
    sheet_free(&sh);
    if (res.status != STORE_OK) {
        json_decref(checked);
        json_decref(t);
        return req_result(r, &res);
    }
    if (r->want_json && status == 422) {
        json_decref(t);
        return sheet_upload_refuse_rows(r, checked);
    }
    json_t *cols = json_array();
    for (int c = 0; c < C_N; c++) json_array_append_new(cols, json_string(col_titles[c]));
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:b, s:s}", "title", "Tải danh sách thành viên", "_nav", "teams", "team", t,
                            "columns", cols, "check", checked, "_csrf", csrf_token(r), "saved", confirm && status == 200, "sha", sha);
    r->status = confirm && status == 200 ? 201 : status;
    return render(r, ctx, "team/roster");
}

const struct route page_team_roster_routes[] = {
    { "GET", "/to-cong-nghe-so/{id}/danh-sach", NULL, page, STAFF, false, 0 },
    { "GET", "/to-cong-nghe-so/{id}/danh-sach/mau", NULL, template, STAFF, false, 0 },
    { "POST", "/to-cong-nghe-so/{id}/danh-sach", "/api/teams/{id}/roster", upload, STAFF, false, MAX_ROSTER + 256 * 1024 },
    { 0 },
};
