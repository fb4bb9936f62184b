/* Trainees of a class from Excel or CSV: a template, then an upload checked row by row and shown as a preview, then the
 * same person's confirmation of the previewed file (sheet_upload.c), which nominates every row or none. Rows beyond the
 * capacity go to the waiting list, as the preview says. Must not see SQL, nor nominate for a unit outside the caller's
 * subtrees. */
#include "web/training.h"
#include "store/blob.h"
#include "store/org.h"
#include "web/sheet_upload.h"
#include "core/date.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHEET (5u * 1024 * 1024)
#define MAX_ROWS 2000

enum col { C_NAME, C_ORG, C_EMAIL, C_N };
static const char *const col_titles[C_N] = { "Họ và tên", "Mã đơn vị", "Email" };

static int col_of(const char *h)
{
    static const char *const names[C_N][5] = {
        { "ho va ten", "ho ten", "ten", "name", NULL },
        { "ma don vi", "don vi", "org", "ma dv", NULL },
        { "email", "e mail", "thu dien tu", NULL, NULL },
    };
    char *f = text_fold(h);
    int found = -1;
    for (int c = 0; f && c < C_N && found < 0; c++)
        for (int k = 0; names[c][k] && found < 0; k++) if (!strcmp(f, names[c][k])) found = c;
    free(f);
    return found;
}

/* One row read into a nomination: its unit in the caller's scope, an account by e-mail or a name. The error, or NULL. */
struct row_in { struct nominee_in in; char acc[256], lower[256]; char *nfc; };

static const char *read_row(struct req *r, const char *v[C_N], struct row_in *x)
{
    memset(x, 0, sizeof *x);
    x->in.waiting = true;
    x->in.org_id = *v[C_ORG] ? store_org_id(r->db, v[C_ORG]) : 0;
    if (!x->in.org_id) return *v[C_ORG] ? "Không tìm thấy đơn vị với mã này." : "Thiếu mã đơn vị.";
    if (!training_may_act(r, x->in.org_id)) return "Đơn vị ngoài phạm vi bạn phụ trách.";
    if (*v[C_EMAIL]) {
        for (size_t i = 0; v[C_EMAIL][i] && i + 1 < sizeof x->lower; i++) x->lower[i] = (char)tolower((unsigned char)v[C_EMAIL][i]);
        x->in.user_id = store_training_account(r->db, x->lower, x->acc);
        if (!x->in.user_id) return "Không có tài khoản với email này.";
        x->in.name = x->acc;
        return NULL;
    }
    x->nfc = text_nfc(v[C_NAME]);
    char *f = x->nfc ? text_fold(x->nfc) : NULL;
    bool ok = f && *f && strlen(x->nfc) <= 200;
    free(f);
    x->in.name = x->nfc;
    return ok ? NULL : "Cần họ và tên (tối đa 200 ký tự).";
}

static json_t *check(struct req *r, int64_t tid, const struct sheet *sh, int colmap[C_N], int64_t seats_left)
{
    json_t *out = json_pack("{s:[], s:i, s:i, s:i}", "rows", "errors", 0, "ok", 0, "waiting", 0), *rows = json_object_get(out, "rows");
    json_t *header = json_array();
    for (int c = 0; c < C_N; c++) colmap[c] = -1;
    for (int c = 0; c < sh->ncols; c++) {
        const char *h = sheet_cell(sh, 0, c);
        int k = *h ? col_of(h) : -1;
        if (*h && k < 0) json_array_append_new(header, json_sprintf("Cột \"%s\" không thuộc mẫu (Họ và tên, Mã đơn vị, Email).", h));
        else if (k >= 0 && colmap[k] >= 0) json_array_append_new(header, json_sprintf("Cột \"%s\" có hai lần.", col_titles[k]));
        else if (k >= 0) colmap[k] = c;
    }
    if (colmap[C_NAME] < 0 && colmap[C_EMAIL] < 0) json_array_append_new(header, json_string("Thiếu cột \"Họ và tên\" (hoặc \"Email\")."));
    if (colmap[C_ORG] < 0) json_array_append_new(header, json_string("Thiếu cột \"Mã đơn vị\"."));
    if (sh->nrows - 1 > MAX_ROWS) json_array_append_new(header, json_sprintf("Tối đa %d người một lần tải lên.", MAX_ROWS));
    if (json_array_size(header)) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:o, s:b}", "n", 1, "cells", "errors", header, "bad", 1));
        json_object_set_new(out, "errors", json_integer(1));
        return out;
    }
    json_decref(header);
    json_t *seen = json_object();
    int nerr = 0, nok = 0, nwait = 0;
    for (int row = 1; row < sh->nrows; row++) {
        bool blank = true;
        for (int c = 0; c < sh->ncols && blank; c++) blank = !*sheet_cell(sh, row, c);
        if (blank) continue;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, row, colmap[c]) : "";
        struct row_in x;
        const char *err = read_row(r, v, &x);
        char key[300] = "";
        if (!err) {
            char *f = text_fold(x.in.name);
            snprintf(key, sizeof key, "%lld|%lld|%s", (long long)x.in.user_id, (long long)(x.in.user_id ? 0 : x.in.org_id), f ? f : "");
            free(f);
            json_t *first = json_object_get(seen, key);
            if (first) err = "Trùng với một dòng trước.";
            else if (store_training_is_nominated(r->db, tid, &x.in)) err = "Người này đã được đề cử vào lớp.";
            else json_object_set_new(seen, key, json_integer(row + 1));
        }
        free(x.nfc);
        json_t *cells = json_array();
        for (int c = 0; c < C_N; c++) json_array_append_new(cells, json_pack("{s:s}", "value", v[c]));
        bool waits = !err && nok >= seats_left;
        err ? nerr++ : nok++;
        if (waits) nwait++;
        json_array_append_new(rows, json_pack("{s:i, s:o, s:o, s:b, s:b}", "n", row + 1, "cells", cells, "errors",
                                              err ? json_pack("[s]", err) : json_array(), "bad", err != NULL, "waiting", waits));
    }
    json_decref(seen);
    if (!nerr && !nok) {
        json_array_append_new(rows, json_pack("{s:i, s:[], s:[s], s:b}", "n", 2, "cells", "errors", "Tệp chưa có ai.", "bad", 1));
        nerr = 1;
    }
    json_object_set_new(out, "errors", json_integer(nerr));
    json_object_set_new(out, "ok", json_integer(nok));
    json_object_set_new(out, "waiting", json_integer(nwait));
    return out;
}

static enum store_status save(struct req *r, int64_t tid, const struct sheet *sh, json_t *checked, const int colmap[C_N],
                              struct store_result *res)
{
    char now[21];
    training_utc_now(now);
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(checked, "rows"), i, row) {
        int n = (int)json_integer_value(json_object_get(row, "n")) - 1;
        const char *v[C_N];
        for (int c = 0; c < C_N; c++) v[c] = colmap[c] >= 0 ? sheet_cell(sh, n, colmap[c]) : "";
        struct row_in x;
        const char *err = read_row(r, v, &x);
        int64_t nid;
        const char *st;
        if (err) store_fail(res, STORE_INVALID, "Dòng %d: %s Chưa có gì được lưu.", n + 1, err);
        else if (store_training_nominate(r->db, tid, &x.in, r->user->id, now, &nid, &st, res) == STORE_CONFLICT) {
            char why[256];
            snprintf(why, sizeof why, "%s", res->message);
            store_fail(res, STORE_CONFLICT, "Dòng %d: %s Chưa có gì được lưu.", n + 1, why);
        }
        free(x.nfc);
        if (res->status != STORE_OK) return res->status;
    }
    return STORE_OK;
}

static int template(struct req *r)
{
    json_t *t = training_load(r, false);
    if (!t) return r->status;
    json_decref(t);
    const char *csv = "\xEF\xBB\xBFHọ và tên,Mã đơn vị,Email\r\n"
                      "Nguyễn Văn A (ví dụ: xóa dòng này),nghe-an,\r\n";
    req_header(r, "Content-Disposition", "attachment; filename=\"mau-danh-sach-hoc-vien.csv\"");
    return req_send(r, 200, "text/csv; charset=utf-8", strdup(csv), strlen(csv));
}

static int upload(struct req *r)
{
    json_t *t = training_load(r, false);
    if (!t) return r->status;
    int64_t tid = json_integer_value(json_object_get(t, "id"));
    if (!authz_any(r, "officer") && !authz_any(r, "coordinator")) {
        json_decref(t);
        return req_fail(r, 403, "Chỉ cán bộ của đơn vị mới đề cử được học viên.");
    }
    char today[11];
    date_format_iso(date_today(), today);
    if (strcmp(json_string_value(json_object_get(t, "ends_on")), today) < 0) {
        json_decref(t);
        return req_fail(r, 422, "Lớp tập huấn đã kết thúc; không nhận đề cử nữa.");
    }
    const struct upload *file;
    char sha[65];
    bool confirm;
    struct sheet sh;
    if (sheet_upload_read(r, &sh, &file, sha, &confirm)) { json_decref(t); return r->status; }
    int colmap[C_N];
    json_t *checked = check(r, tid, &sh, colmap, json_integer_value(json_object_get(t, "seats_left")));
    int status = json_integer_value(json_object_get(checked, "errors")) ? 422 : 200;
    struct store_result res = STORE_RESULT_OK;
    if (status == 200) {
        if (db_begin(r->db)) store_fail_db(&res, r->db);
        else if (!confirm && blob_save(r, file, sha)) store_fail_db(&res, r->db);
        else if (confirm && save(r, tid, &sh, checked, colmap, &res) == STORE_OK &&
                 audit(r, "training.import", "training", tid, json_pack("{s:s, s:O}", "sha256", sha, "people", json_object_get(checked, "ok"))))
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
    json_t *ctx = json_pack("{s:s, s:o, s:o, s:o, s:s, s:b, s:s}", "title", "Tải danh sách học viên", "training", t, "columns", cols,
                            "check", checked, "_csrf", csrf_token(r), "saved", confirm && status == 200, "sha", sha);
    r->status = confirm && status == 200 ? 201 : status;
    json_object_set_new(ctx, "_nav", json_string("trainings"));
    return render(r, ctx, "training_import");
}

const struct route page_training_import_routes[] = {
    { "GET", "/tap-huan/{id}/nhap-danh-sach/mau", NULL, template, STAFF, false, 0 },
    { "POST", "/tap-huan/{id}/nhap-danh-sach", "/api/trainings/{id}/import", upload, STAFF, false, MAX_SHEET + 256 * 1024 },
    { 0 },
};
