/* Many units' values at once from CSV or XLSX ("Tải lên nhiều đơn vị"): a template to fill, a preview with an
 * error per cell, then one transaction that saves every row or none. The file is kept by its hash between the
 * preview and the confirmation, so what is saved is exactly what was previewed. Must not see SQL, nor read back a file
 * someone else uploaded. */
#include "web/report.h"
#include "store/form.h"
#include "store/org.h"
#include "store/submission.h"
#include "store/blob.h"
#include "store/org_index.h"
#include "web/sheet_upload.h"
#include "export/xlsx.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHEET (20u * 1024 * 1024)

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The column header officials see: the label with the code in brackets, which is what is matched first. */
static char *header_of(json_t *ind)
{
    char *h = NULL;
    if (asprintf(&h, "%s [%s]", str(ind, "label"), str(ind, "code")) < 0) abort();
    return h;
}

/* Which indicator a header names: "[code]" inside it, else its label or code without diacritics; NULL if none. */
static json_t *match_header(json_t *form, const char *h)
{
    const char *open = strrchr(h, '['), *close = open ? strchr(open, ']') : NULL;
    char *f = text_fold(h);
    json_t *found = NULL;
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind) {
        const char *code = str(ind, "code");
        char *lf = text_fold(str(ind, "label"));
        if ((open && close && (size_t)(close - open - 1) == strlen(code) && !strncmp(open + 1, code, strlen(code))) || !strcmp(f, lf) ||
            !strcmp(h, code))
            found = ind;
        free(lf);
        if (found) break;
    }
    free(f);
    return found;
}

static int template(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    json_t *cols = json_pack("[{s:s, s:i}, {s:s, s:i}]", "title", "Mã đơn vị", "width", 18, "title", "Tên đơn vị", "width", 36);
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind) {
        char *h = header_of(ind);
        json_array_append_new(cols, json_pack("{s:s, s:i}", "title", h, "width", 20));
        free(h);
    }
    /* One example row per unit the user answers for would need a tree walk; an empty sheet with headers is what
     * officials copy their Excel data into. */
    json_t *rows = json_array();
    if (!req_str(r, "format")) json_object_set_new(r->params, "format", json_string("xlsx"));
    report_send_table(r, "mau-tai-len", str(form, "title"), cols, rows);
    json_decref(cols);
    json_decref(rows);
    json_decref(form);
    return r->status;
}

static int page(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    if (!report_period(r, form, &p)) { json_decref(form); return r->status; }
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:o, s:s}", "title", json_object_get(form, "title"), "_nav", "reports", "form", form,
                            "period", report_period_json(&p), "_csrf", csrf_token(r));
    return render(r, ctx, "reports/upload");
}

/* Checks every row of the sheet; returns {rows: [{n, org_id, org_name, cells: [{value, error}], errors: [...]}],
 * columns: [...], errors: count, ok: count}. Header problems come back as rows with n = 1. */
static json_t *check_sheet(struct req *r, json_t *form, const struct rperiod *p, const struct sheet *sh, const char *today)
{
    json_t *out = json_pack("{s:[], s:[], s:i, s:i}", "rows", "columns", "errors", 0, "ok", 0);
    json_t *rows = json_object_get(out, "rows"), *columns = json_object_get(out, "columns");
    int unit_col = -1, nerr = 0, nok = 0;
    json_t **col_ind = calloc((size_t)sh->ncols + 1, sizeof *col_ind);
    json_t *header_errors = json_array();
    for (int c = 0; c < sh->ncols; c++) {
        const char *h = sheet_cell(sh, 0, c);
        char *f = text_fold(h);
        if (unit_col < 0 && (!strcmp(f, "ma don vi") || !strcmp(f, "ma") || !strcmp(f, "code"))) unit_col = c;
        else if (*h && strcmp(f, "ten don vi") && strcmp(f, "don vi") && !(col_ind[c] = match_header(form, h)))
            json_array_append_new(header_errors, json_sprintf("Cột \"%s\" không khớp chỉ tiêu nào của biểu mẫu.", h));
        if (col_ind[c]) json_array_append_new(columns, json_pack("{s:O, s:O}", "code", json_object_get(col_ind[c], "code"), "label", json_object_get(col_ind[c], "label")));
        free(f);
    }
    if (unit_col < 0) json_array_append_new(header_errors, json_string("Thiếu cột \"Mã đơn vị\"."));
    if (json_array_size(header_errors)) {
        json_array_append_new(rows, json_pack("{s:i, s:o}", "n", 1, "errors", header_errors));
        json_object_set_new(out, "errors", json_integer(1));
        free(col_ind);
        return out;
    }
    json_decref(header_errors);
    json_t *seen = json_object();
    struct org_index *x = org_index_get(r->db);
    for (int row = 1; row < sh->nrows; row++) {
        bool blank = true;
        for (int c = 0; c < sh->ncols && blank; c++) blank = !*sheet_cell(sh, row, c);
        if (blank) continue;
        json_t *errs = json_array(), *values = json_object(), *cells = json_array();
        const char *code = sheet_cell(sh, row, unit_col);
        int64_t org = *code ? store_org_id(r->db, code) : 0;
        struct store_result why = STORE_RESULT_OK;
        if (!org) json_array_append_new(errs, json_sprintf("Không tìm thấy đơn vị có mã \"%s\".", code));
        else if (!(authz(r, "officer", org) || authz(r, "coordinator", org)))
            json_array_append_new(errs, json_sprintf("Đơn vị \"%s\" ngoài phạm vi bạn phụ trách.", code));
        else if (store_submission_check(r->db, form, p, org, "upload", today, &why) != STORE_OK)
            json_array_append_new(errs, json_string(why.message[0] ? why.message : "Chưa kiểm tra được đơn vị này; vui lòng thử lại."));
        store_result_free(&why);
        if (org && json_object_get(seen, code)) json_array_append_new(errs, json_sprintf("Đơn vị \"%s\" xuất hiện hai lần trong tệp.", code));
        json_object_set_new(seen, code, json_true());
        for (int c = 0; c < sh->ncols; c++)
            if (col_ind[c]) json_object_set_new(values, str(col_ind[c], "code"), json_string(sheet_cell(sh, row, c)));
        json_t *cell_err = json_object();
        json_decref(form_values_check(form, values, true, cell_err));
        for (int c = 0; c < sh->ncols; c++) {
            if (!col_ind[c]) continue;
            json_t *e = json_object_get(cell_err, str(col_ind[c], "code"));
            json_array_append_new(cells, json_pack("{s:s, s:O?}", "value", sheet_cell(sh, row, c), "error", e));
        }
        /* Required indicators without a column count against the row too. */
        const char *k;
        json_t *e;
        json_object_foreach(cell_err, k, e) {
            bool has_col = false;
            for (int c = 0; c < sh->ncols; c++) if (col_ind[c] && !strcmp(str(col_ind[c], "code"), k)) has_col = true;
            if (!has_col) json_array_append(errs, e);
        }
        bool bad = json_array_size(errs) || json_object_size(cell_err);
        bad ? nerr++ : nok++;
        int at = org && x ? org_index_find(x, org) : -1;
        const char *name = at >= 0 ? x->u[at].name : "";
        json_array_append_new(rows, json_pack("{s:i, s:I, s:s, s:s, s:o, s:o, s:b}", "n", row + 1, "org_id", (json_int_t)org, "org_code", code,
                                              "org_name", name, "cells", cells, "errors", errs, "bad", bad));
        json_decref(values);
        json_decref(cell_err);
    }
    if (x) org_index_release(x);
    json_decref(seen);
    free(col_ind);
    json_object_set_new(out, "errors", json_integer(nerr));
    json_object_set_new(out, "ok", json_integer(nok));
    return out;
}

/* Saves every checked row in the caller's transaction; the caller has checked there is no error, and the store checks
 * each row again under the write lock. */
static enum store_status save_rows(struct req *r, json_t *form, const struct rperiod *p, const struct sheet *sh, json_t *checked,
                                   const char *today, struct store_result *res)
{
    enum store_status rc = STORE_OK;
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(checked, "rows"), i, row) {
        int n = (int)json_integer_value(json_object_get(row, "n")) - 1;
        json_t *values = json_object(), *errors = json_object();
        for (int c = 0; c < sh->ncols; c++) {
            json_t *ind = match_header(form, sheet_cell(sh, 0, c));
            if (ind && *sheet_cell(sh, n, c)) json_object_set_new(values, str(ind, "code"), json_string(sheet_cell(sh, n, c)));
        }
        json_t *clean = form_values_check(form, values, true, errors);
        struct sub_put in = { form, p, json_integer_value(json_object_get(row, "org_id")), r->user->id, "upload", clean, NULL, NULL, NULL, 0, today };
        int64_t id = 0;
        if (json_object_size(errors)) rc = store_fail(res, STORE_INVALID, "Tệp có lỗi; chưa có gì được lưu.");
        else rc = store_submission_save(r->db, &in, &id, res);
        json_decref(values);
        json_decref(errors);
        json_decref(clean);
        if (rc) break;
    }
    return rc;
}

static int upload(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    if (!report_period(r, form, &p)) { json_decref(form); return r->status; }
    const struct upload *file;
    char sha[65];
    bool confirm;
    struct sheet sh;
    if (sheet_upload_read(r, &sh, &file, sha, &confirm)) {
        json_decref(form);
        return r->status;
    }
    char today[11];
    report_today(today);
    json_t *checked = check_sheet(r, form, &p, &sh, today);
    int status = json_integer_value(json_object_get(checked, "errors")) ? 422 : 200;
    struct store_result res = STORE_RESULT_OK;
    if (status == 200) {
        if (db_begin(r->db)) store_fail_db(&res, r->db);
        else if (!confirm && blob_save(r, file, sha)) store_fail_db(&res, r->db);
        else if (confirm && save_rows(r, form, &p, &sh, checked, today, &res) == STORE_OK &&
                 audit(r, "submission.upload", "form", json_integer_value(json_object_get(form, "id")),
                       json_pack("{s:s, s:s, s:O}", "sha256", sha, "period", p.key, "rows", json_object_get(checked, "ok"))))
            store_fail_db(&res, r->db);
        if (res.status != STORE_OK) db_rollback(r->db);
        else if (db_commit(r->db)) store_fail_db(&res, r->db);
    }
    sheet_free(&sh);
    if (res.status != STORE_OK) {
        json_decref(checked);
        json_decref(form);
        int rc = req_result(r, &res);
        store_result_free(&res);
        return rc;
    }
    if (r->want_json && status == 422) {
        json_decref(form);
        return req_fail_ctx(r, 422, "Tệp có lỗi; chưa có gì được lưu.", checked);
    }
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:o, s:o, s:s, s:b, s:s}", "title", json_object_get(form, "title"), "_nav", "reports", "form", form,
                            "period", report_period_json(&p), "check", checked, "_csrf", csrf_token(r), "saved", confirm && status == 200, "sha", sha);
    r->status = confirm && status == 200 ? 201 : status;
    return render(r, ctx, "reports/upload");
}

const struct route page_report_upload_routes[] = {
    { "GET", "/bao-cao/{form}/tai-len", NULL, page, STAFF, false, 0 },
    { "GET", "/bao-cao/{form}/tai-len/mau", "/api/forms/{form}/upload-template", template, STAFF, false, 0 },
    { "POST", "/bao-cao/{form}/tai-len", "/api/forms/{form}/upload", upload, STAFF, false, MAX_SHEET + 256 * 1024 },
    { 0 },
};
