/* Tasks: lists by plan, unit and bucket (the unit's inbox "Nhiệm vụ của đơn vị"), one task with its history,
 * progress updates by the officers of the units it names, and the list as XLSX/CSV. Must not see SQL, nor let anyone
 * update a task for a unit outside their scope. */
#include "http/app.h"
#include "store/org.h"
#include "store/plan.h"
#include "export/xlsx.h"
#include "web/labels.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#define MAX_EVIDENCE (20u * 1024 * 1024)

/* 404, unless the lookup that came back empty stopped at a store error: a failing database never reads as "not found". */
static json_t *bucket_summary(json_t *counts, struct req *r)
{
    json_t *a = json_array();
    for (int i = 0; task_buckets[i]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:O, s:b}", "bucket", task_buckets[i], "label", task_bucket_labels[i], "count",
                                           json_object_get(counts, task_buckets[i]),
                                           "selected", req_str(r, "bucket") && !strcmp(req_str(r, "bucket"), task_buckets[i])));
    return a;
}

/* Reads the filters shared by the list, the inbox and the export; false (and a 400 sent) on bad input. */
static bool read_query(struct req *r, struct task_query *q, char *today, int64_t org)
{
    date_format_iso(date_today(), today);
    q->today = today;
    q->plan_id = req_int(r, "plan", 0);
    q->org_id = org;
    const char *o = req_str(r, "org");
    if (!org && o && *o && !(q->org_id = store_org_id(r->db, o))) { req_fail(r, 400, "Đơn vị không tồn tại."); return false; }
    const char *role = req_str(r, "role");
    if (role && *role) {
        if (strcmp(role, "lead") && strcmp(role, "partner")) { req_fail(r, 400, "Vai trò phải là lead hoặc partner."); return false; }
        q->role = role;
    }
    const char *b = req_str(r, "bucket");
    if (b && *b) {
        if (label_index(task_buckets, b) < 0) { req_fail(r, 400, "Nhóm tình trạng không hợp lệ."); return false; }
        q->bucket = b;
    }
    int64_t year = req_int(r, "nam", 0);
    if (year && (year < 2000 || year > 2100)) { req_fail(r, 400, "Năm phải từ 2000 đến 2100."); return false; }
    q->year = (int)year;
    q->limit = (int)req_int(r, "limit", 200);
    q->offset = (int)req_int(r, "offset", 0);
    if (q->limit < 1 || q->limit > 10000 || q->offset < 0) { req_fail(r, 400, "limit phải từ 1 đến 10.000."); return false; }
    return true;
}

/* How long a kept list may serve when no write came in between: see page_dashboard.c. */
#define KEPT_MS 1000

/* store_tasks_find, kept in the server's result cache until the next write: a unit's inbox over thousands of tasks
 * costs milliseconds of bucket counting, and its officers reload it all day. The same for every reader of the unit. */
static json_t *tasks_kept(struct req *r, const struct task_query *q)
{
    char key[200];
    snprintf(key, sizeof key, "tasks\n%lld\n%lld\n%s\n%s\n%s\n%d\n%d\n%d", (long long)q->plan_id, (long long)q->org_id,
             q->role ? q->role : "", q->bucket ? q->bucket : "", q->today, q->year, q->limit, q->offset);
    json_t *res = results_get(r, key, KEPT_MS);
    if (!res && (res = store_tasks_find(r->db, q))) results_put(r, key, res);
    return res;
}

static int list_for(struct req *r, int64_t org, const char *tmpl)
{
    struct task_query q = { 0 };
    char today[11];
    if (!read_query(r, &q, today, org)) return r->status;
    json_t *res = tasks_kept(r, &q);
    task_labels(json_object_get(res, "items"));
    json_object_set_new(res, "summary", bucket_summary(json_object_get(res, "buckets"), r));
    json_object_set_new(res, "_nav", json_string("tasks"));
    json_object_set_new(res, "title", json_string("Nhiệm vụ"));
    /* The export link repeats the filters as typed. */
    struct buf qs = { 0 };
    const char *k;
    json_t *v;
    json_object_foreach(r->params, k, v)
        if (strcmp(k, "id") && json_is_string(v)) {
            buf_printf(&qs, "%s%s=", qs.len ? "&" : "", k);
            for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++)
                buf_printf(&qs, (isalnum(*p) || strchr("-_.", *p)) ? "%c" : "%%%02X", *p);
        }
    if (org) buf_printf(&qs, "%sorg=%lld", qs.len ? "&" : "", (long long)org);
    json_object_set_new(res, "query", json_string(qs.p ? qs.p : ""));
    buf_free(&qs);
    if (org) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)org);
        json_t *o = store_org_get(r->db, id);
        json_object_set_new(res, "org", json_pack("{s:O, s:O, s:O}", "id", json_object_get(o, "id"), "name",
                                                  json_object_get(o, "name"), "code", json_object_get(o, "code")));
        json_object_set_new(res, "title", json_sprintf("Nhiệm vụ của đơn vị: %s", json_string_value(json_object_get(o, "name"))));
        json_decref(o);
    }
    if (q.plan_id) json_object_set_new(res, "plan_id", json_integer(q.plan_id));
    else json_object_set_new(res, "_show_plan", json_true());
    if (q.role) json_object_set_new(res, strcmp(q.role, "lead") ? "_role_partner" : "_role_lead", json_true());
    return render(r, res, tmpl);
}

static int list(struct req *r) { return list_for(r, 0, "tasks/index"); }

static int inbox(struct req *r)
{
    int64_t org = store_org_id(r->db, req_str(r, "id"));
    if (!org) return req_missing(r, "Không tìm thấy đơn vị.");
    return list_for(r, org, "tasks/index");
}

static int export(struct req *r)
{
    struct task_query q = { 0 };
    char today[11];
    if (!read_query(r, &q, today, 0)) return r->status;
    if (!req_str(r, "limit")) q.limit = 10000;
    const char *format = req_str(r, "format");
    if (!format) format = "xlsx";
    if (strcmp(format, "xlsx") && strcmp(format, "csv")) return req_fail(r, 400, "Định dạng phải là xlsx hoặc csv.");
    json_t *res = store_tasks_find(r->db, &q);
    json_t *items = json_object_get(res, "items");
    char title[200] = "Danh sách nhiệm vụ";
    if (q.plan_id) {
        json_t *p = store_plan_brief(r->db, q.plan_id);
        if (p && json_string_value(json_object_get(p, "number")))
            snprintf(title, sizeof title, "Danh sách nhiệm vụ – Kế hoạch %s", json_string_value(json_object_get(p, "number")));
        json_decref(p);
    }
    size_t len = 0;
    bool xlsx = !strcmp(format, "xlsx");
    char *data = xlsx ? xlsx_tasks(items, title, &len) : csv_tasks(items, &len);
    json_decref(res);
    if (!data) return req_fail(r, 500, "Không tạo được tệp.");
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"nhiem-vu-%s.%s\"", today, format);
    req_header(r, "Content-Disposition", cd);
    return req_send(r, 200, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
                    data, len);
}

/* Units named in the task that the user may report for (officer or coordinator over them). */
static json_t *reportable_units(struct req *r, json_t *task)
{
    json_t *out = json_array();
    if (!r->user) return out;
    const char *roles[] = { "lead", "partners" };
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *u;
        json_array_foreach(json_object_get(task, roles[k]), i, u) {
            int64_t org = json_integer_value(json_object_get(u, "org_id"));
            if (org && (authz(r, "officer", org) || authz(r, "coordinator", org)))
                json_array_append_new(out, json_pack("{s:I, s:O}", "id", (json_int_t)org, "name", json_object_get(u, "name")));
        }
    }
    return out;
}

static int show_task(struct req *r, json_t *errors, int status)
{
    char today[11];
    date_format_iso(date_today(), today);
    int64_t id = req_int(r, "id", 0);
    json_t *t = id > 0 ? store_task_get(r->db, id, today) : NULL;
    if (!t) { json_decref(errors); return req_missing(r, "Không tìm thấy nhiệm vụ."); }
    json_t *one = json_pack("[O]", t);
    task_labels(one);
    task_labels(json_object_get(t, "instances"));
    task_labels(json_object_get(t, "updates"));
    json_decref(one);
    json_t *units = reportable_units(r, t);
    /* The form starts from the reporting unit's own state (the one just saved for, else the first the user answers
     * for), not the task's: a shared task's 50 % is not this unit's. */
    int64_t saved = req_int(r, "da-luu", 0), mine = errors ? req_int(r, "org", 0) : saved;
    if (!mine && json_array_size(units)) mine = json_integer_value(json_object_get(json_array_get(units, 0), "id"));
    const char *my_status = json_string_value(json_object_get(t, "status"));
    json_int_t my_progress = json_integer_value(json_object_get(t, "progress"));
    json_t *saved_unit = NULL;
    const char *roles[] = { "lead", "partners" };
    for (int k = 0; k < 2 && mine; k++) {
        size_t i;
        json_t *u;
        json_array_foreach(json_object_get(t, roles[k]), i, u)
            if (json_integer_value(json_object_get(u, "org_id")) == mine && !saved_unit) {
                saved_unit = u;
                my_status = json_string_value(json_object_get(u, "status"));
                my_progress = json_integer_value(json_object_get(u, "progress"));
            }
    }
    if (errors) {
        /* A refused update comes back as typed. */
        const char *ts = req_str(r, "status"), *tp = req_str(r, "progress");
        if (ts) my_status = ts;
        if (tp && *tp) my_progress = strtol(tp, NULL, 10);
    }
    size_t ui;
    json_t *uu;
    json_array_foreach(units, ui, uu)
        if (json_integer_value(json_object_get(uu, "id")) == mine) json_object_set_new(uu, "selected", json_true());
    json_object_set_new(t, "proposed", store_proposals_of_task(r->db, id));
    json_t *ctx = json_pack("{s:O, s:s, s:O, s:I}", "title", json_object_get(t, "title"), "_nav", "tasks", "task", t,
                            "_my_progress", my_progress);
    /* After the redirect of a saved update: say what was saved, for which unit. */
    if (saved && saved_unit && !errors)
        json_object_set_new(ctx, "_saved", json_pack("{s:O, s:O, s:O}", "name", json_object_get(saved_unit, "name"), "status_label",
                                                     json_object_get(saved_unit, "status_label"), "progress",
                                                     json_object_get(saved_unit, "progress")));
    if (json_array_size(units)) {
        json_object_set_new(ctx, "_units", units);
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
        json_t *st = json_array();
        for (int i = 0; task_statuses[i]; i++)
            json_array_append_new(st, json_pack("{s:s, s:s, s:b}", "status", task_statuses[i], "label", task_status_labels[i], "selected",
                                                my_status && !strcmp(task_statuses[i], my_status)));
        json_object_set_new(ctx, "_statuses", st);
    } else {
        json_decref(units);
    }
    if (errors) json_object_set_new(ctx, "errors", errors);
    json_decref(t);
    r->status = status;
    return render(r, ctx, "tasks/show");
}

static int show(struct req *r) { return show_task(r, NULL, 200); }

static bool is_url(const char *s) { return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7); }

static int update(struct req *r)
{
    char today[11];
    date_format_iso(date_today(), today);
    int64_t id = req_int(r, "id", 0);
    json_t *t = id > 0 ? store_task_get(r->db, id, today) : NULL;
    if (!t) return req_missing(r, "Không tìm thấy nhiệm vụ.");
    json_t *units = reportable_units(r, t);
    json_decref(t);
    int64_t org = req_int(r, "org", 0);
    bool allowed = false;
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u) {
        int64_t uid = json_integer_value(json_object_get(u, "id"));
        if (!org || org == uid) { allowed = true; org = uid; break; }
    }
    json_decref(units);
    if (!allowed) return req_fail(r, 403, "Bạn chỉ cập nhật được nhiệm vụ của đơn vị mình phụ trách.");

    json_t *errors = json_object();
    const char *status = req_str(r, "status");
    if (label_index(task_statuses, status) < 0) json_object_set_new(errors, "status", json_string("Tình trạng không hợp lệ."));
    const char *ps = req_str(r, "progress");
    char *end = NULL;
    long progress = ps && *ps ? strtol(ps, &end, 10) : 0;
    if (ps && *ps && (*end || progress < 0 || progress > 100))
        json_object_set_new(errors, "progress", json_string("Tiến độ là số nguyên từ 0 đến 100."));
    /* A unit's status and progress must agree: "done" at 50 % is asked again, never silently made 100 %. Done with no
     * progress typed means 100 %. */
    bool typed = ps && *ps;
    if (status && !strcmp(status, "done") && !typed) progress = 100;
    else if (status && !strcmp(status, "done") && progress != 100 && !json_object_get(errors, "progress"))
        json_object_set_new(errors, "progress", json_string("Đã hoàn thành thì tiến độ phải là 100%; nếu chưa xong, chọn \"Đang thực hiện\"."));
    else if (status && !strcmp(status, "not_started") && progress > 0 && !json_object_get(errors, "progress"))
        json_object_set_new(errors, "progress", json_string("Chưa bắt đầu thì tiến độ phải là 0%; nếu đã làm, chọn \"Đang thực hiện\"."));
    const char *note = req_str(r, "note"), *url = req_str(r, "evidence_url"), *obst = req_str(r, "obstacles");
    if (note && strlen(note) > 4000) json_object_set_new(errors, "note", json_string("Ghi chú quá dài (tối đa 4.000 ký tự)."));
    if (obst && strlen(obst) > 4000) json_object_set_new(errors, "obstacles", json_string("Vướng mắc quá dài (tối đa 4.000 ký tự)."));
    if (url && *url && (!is_url(url) || strlen(url) > 1000))
        json_object_set_new(errors, "evidence_url", json_string("Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://."));
    const struct upload *file = NULL;
    for (int k = 0; k < r->nfiles; k++)
        if (!strcmp(r->files[k].field, "evidence") && r->files[k].len) file = &r->files[k];
    if (file && file->len > MAX_EVIDENCE) json_object_set_new(errors, "evidence", json_string("Tệp minh chứng quá lớn (tối đa 20 MB)."));
    if (json_object_size(errors)) {
        if (r->want_json) return req_fail_ctx(r, 422, "Cập nhật chưa hợp lệ; chưa có gì được lưu.", errors);
        return show_task(r, errors, 422);
    }
    json_decref(errors);
    if (file && blob_refuse(r, file)) return r->status;
    char sha[65] = "";
    char *nnote = note && *note ? text_nfc(note) : NULL, *nobst = obst && *obst ? text_nfc(obst) : NULL;
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db) || (file && blob_save(r, file, sha))) {
        store_fail_db(&res, r->db);
    } else {
        struct task_update_in in = { id, org, r->user->id, status, (int)progress, nnote, url && *url ? url : NULL,
                                     sha[0] ? sha : NULL, nobst, today };
        if (store_task_update(r->db, &in, &res) == STORE_OK &&
            audit(r, "task.update", "task", id, json_pack("{s:s, s:i, s:I}", "status", status, "progress", (int)progress,
                                                          "org_id", (json_int_t)org)))
            store_fail_db(&res, r->db);
    }
    free(nnote);
    free(nobst);
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    if (res.status != STORE_OK) return req_result(r, &res);
    if (r->want_json) {
        r->status = 201;
        json_t *task = store_task_get(r->db, id, today);
        json_t *one = json_pack("[O]", task);
        task_labels(one);
        json_decref(one);
        return render(r, json_pack("{s:o}", "task", task), NULL);
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/nhiem-vu/%lld?da-luu=%lld#cap-nhat", (long long)id, (long long)org);
    return req_redirect(r, loc);
}

/* Partners proposed by plans saved outside their subtree, waiting for this user's units to accept or decline. */
static int proposals(struct req *r)
{
    json_t *items = store_proposals_pending(r->db, r->user->id);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:s}", "title", "Đề nghị phối hợp", "_nav", "tasks", "items", items, "_csrf",
                            csrf_token(r));
    return render(r, ctx, "tasks/proposals");
}

/* The proposed unit's own officers or coordinators (or those above it) decide; nobody else, the proposer included. */
static int decide(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    json_t *p = id > 0 ? store_proposal_get(r->db, id) : NULL;
    if (!p) return req_missing(r, "Không tìm thấy đề nghị phối hợp.");
    int64_t org = json_integer_value(json_object_get(p, "org_id")), task = json_integer_value(json_object_get(p, "task_id"));
    json_decref(p);
    if (!(authz(r, "officer", org) || authz(r, "coordinator", org)))
        return req_fail(r, 403, "Chỉ cán bộ của đơn vị được đề nghị phối hợp mới nhận hoặc từ chối được.");
    const char *decision = req_str(r, "decision");
    if (!decision || (strcmp(decision, "accept") && strcmp(decision, "decline")))
        return req_fail(r, 400, "Quyết định phải là accept hoặc decline.");
    bool accept = !strcmp(decision, "accept");
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db)) store_fail_db(&res, r->db);
    else if (store_proposal_decide(r->db, id, r->user->id, accept, &res) == STORE_OK &&
             audit(r, accept ? "task.proposal.accept" : "task.proposal.decline", "task", task,
                   json_pack("{s:I, s:I}", "proposal", (json_int_t)id, "org_id", (json_int_t)org)))
        store_fail_db(&res, r->db);
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    if (res.status != STORE_OK) return req_result(r, &res);
    if (r->want_json) return render(r, json_pack("{s:o}", "proposal", store_proposal_get(r->db, id)), NULL);
    return req_redirect(r, "/nhiem-vu/de-xuat");
}

const struct route page_tasks_routes[] = {
    { "GET", "/nhiem-vu/de-xuat", "/api/tasks/proposals", proposals, STAFF, false, 0 },
    { "POST", "/nhiem-vu/de-xuat/{id}", "/api/tasks/proposals/{id}", decide, STAFF, false, 0 },
    { "GET", "/nhiem-vu", "/api/tasks", list, STAFF, false, 0 },
    { "GET", "/nhiem-vu/xuat", "/api/tasks/export", export, STAFF, false, 0 },
    { "GET", "/nhiem-vu/{id}", "/api/tasks/{id}", show, STAFF, false, 0 },
    { "POST", "/nhiem-vu/{id}/cap-nhat", "/api/tasks/{id}/updates", update, STAFF, false, MAX_EVIDENCE + 64 * 1024 },
    { "GET", "/don-vi/{id}/nhiem-vu", "/api/orgs/{id}/tasks", inbox, STAFF, false, 0 },
    { 0 },
};
