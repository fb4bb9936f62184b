/* Plans: the cascade of plans as a tree (505/QĐ-TTg → 1092/QĐ-BTTTT → 565-KH/TWĐTN → a province's plan) and one
 * plan with its tasks and their buckets. Reads the store; writes nothing.
 * Must not show a task unit's proposal before that unit accepts it. */
#include "http/app.h"
#include "store/plan.h"
#include "store/plan_edit.h"
#include "store/plan_target.h"
#include "store/org.h"
#include "core/plan_parse.h"
#include "core/text.h"
#include "store/search.h"
#include "web/labels.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void today_iso(char *out) { date_format_iso(date_today(), out); }

/* 404, unless the lookup that came back empty stopped at a store error: a failing database never reads as "not found". */
/* Nests the flat list by parent_id; plans whose parent is unknown are roots. */
static json_t *tree(json_t *flat)
{
    json_t *by_id = json_object(), *roots = json_array();
    size_t i;
    json_t *p;
    char key[24];
    json_array_foreach(flat, i, p) {
        json_object_set_new(p, "children", json_array());
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(p, "id")));
        json_object_set(by_id, key, p);
    }
    json_array_foreach(flat, i, p) {
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(p, "parent_id")));
        json_t *parent = json_object_get(by_id, key);
        if (parent && parent != p) {
            json_array_append(json_object_get(parent, "children"), p);
            /* A flag, not "children.0": inside that section "children" would name the first child's own list. */
            json_object_set_new(parent, "has_children", json_true());
        }
        else json_array_append(roots, p);
    }
    json_decref(by_id);
    return roots;
}

static int list(struct req *r)
{
    json_t *flat = store_plans_list(r->db);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:I}", "title", "Kế hoạch", "_nav", "plans", "items", tree(flat), "total",
                            (json_int_t)json_array_size(flat));
    json_decref(flat);
    if (r->user && (authz_any(r, "coordinator") || authz_any(r, "officer"))) json_object_set_new(ctx, "_can_import", json_true());
    return render(r, ctx, "plans/index");
}

/* Officers and coordinators of the monitoring agency (or above it) report its actual values. */
static bool may_report(struct req *r, int64_t org) { return authz(r, "officer", org) || authz(r, "coordinator", org); }

/* The plan's owner: who saved it, or a coordinator over its issuer. */
static bool owns(struct req *r, int64_t plan_id)
{
    if (!r->user) return false;
    json_t *o = store_plan_owner(r->db, plan_id);
    if (!o) return false;
    int64_t by = json_integer_value(json_object_get(o, "created_by")), issuer = json_integer_value(json_object_get(o, "issuer_id"));
    bool yes = (by && by == r->user->id) || (issuer && authz(r, "coordinator", issuer)) || authz_national_editor(r);
    json_decref(o);
    return yes;
}

static int show(struct req *r)
{
    char today[11];
    today_iso(today);
    int64_t id = req_int(r, "id", 0);
    json_t *p = id > 0 ? store_plan_get(r->db, id, today) : NULL;
    if (!p) return id > 0 ? req_missing(r, "Không tìm thấy kế hoạch.") : req_fail(r, 404, "Không tìm thấy kế hoạch.");
    task_labels(json_object_get(p, "tasks"));
    json_t *targets = store_plan_targets(r->db, id);
    int64_t issuer = json_integer_value(json_object_get(p, "issuer_id"));
    size_t i;
    json_t *t;
    json_array_foreach(targets, i, t) {
        int64_t org = json_integer_value(json_object_get(t, "agency_id"));
        if (!org) org = issuer;
        json_object_set_new(t, "can_report", json_boolean(r->user && org && may_report(r, org)));
        json_object_set_new(t, "flagged", json_boolean(json_array_size(json_object_get(t, "warnings")) > 0));
    }
    json_object_set_new(p, "targets", targets ? targets : json_array());
    json_object_set_new(p, "history", store_plan_history(r->db, id));
    json_t *notes = store_plan_review_notes(r->db, id);
    json_object_set_new(p, "review_notes", notes ? notes : json_array());
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:s, s:i, s:s}", "title", json_object_get(p, "title"), "_nav", "plans", "plan", p,
                            "today", today, "year", date_today().y, "_csrf", r->user ? csrf_token(r) : "");
    if (r->user && owns(r, id)) json_object_set_new(ctx, "_can_edit", json_true());
    /* The plan's text as the assistant indexed it, one anchored passage each (#p-SEQ): where its answers link. */
    json_t *text = store_search_item_passages(r->db, "plan", id);
    if (text && json_array_size(text)) json_object_set_new(ctx, "passages", text);
    else json_decref(text);
    return render(r, ctx, "plans/show");
}

/* A unit's actual value of a target for a year, audited in the same transaction. */
static int report_value(struct req *r)
{
    int64_t plan_id = req_int(r, "id", 0), target_id = req_int(r, "target", 0);
    json_t *t = store_plan_target_get(r->db, target_id);
    if (!t || json_integer_value(json_object_get(t, "plan_id")) != plan_id) {
        json_decref(t);
        return req_missing(r, "Không tìm thấy chỉ tiêu của kế hoạch này.");
    }
    int64_t agency = json_integer_value(json_object_get(t, "agency_id"));
    if (!agency) agency = json_integer_value(json_object_get(t, "issuer_id"));
    const char *org_s = req_str(r, "org");
    int64_t org = org_s && *org_s ? store_org_id(r->db, org_s) : agency;
    json_decref(t);
    if (!agency) return req_fail(r, 422, "Chỉ tiêu chưa có cơ quan theo dõi; cần bổ sung trước khi báo cáo.");
    if (!org || !store_org_within(r->db, org, agency))
        return req_fail(r, 403, "Chỉ cơ quan chủ trì theo dõi chỉ tiêu (hoặc đơn vị trực thuộc) được báo cáo kết quả.");
    if (!may_report(r, org))
        return req_fail(r, 403, "Bạn không phụ trách cơ quan theo dõi chỉ tiêu này nên không báo cáo được kết quả.");
    json_t *errors = json_object();
    int year = (int)req_int(r, "year", 0);
    if (year < 2000 || year > date_today().y + 1) json_object_set_new(errors, "year", json_string("Năm báo cáo không hợp lệ."));
    const char *vs = req_str(r, "value");
    struct plan_value v;
    if (!vs || !plan_parse_value(vs, &v) || strcmp(v.op, "eq") || strlen(vs) > 60)
        json_object_set_new(errors, "value", json_string("Cần một số (ví dụ 72,5 hoặc 12.500)."));
    const char *note = req_str(r, "note");
    if (note && strlen(note) > 2000) json_object_set_new(errors, "note", json_string("Ghi chú quá dài (tối đa 2.000 ký tự)."));
    if (json_object_size(errors)) return req_fail_ctx(r, 422, "Kết quả chưa hợp lệ; chưa có gì được lưu.", errors);
    json_decref(errors);
    char *vt = text_nfc(vs), *nt = note && *note ? text_nfc(note) : NULL;
    struct target_report in = { target_id, org, r->user->id, year, v.lo, vt, nt };
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db)) store_fail_db(&res, r->db);
    else if (store_plan_target_report(r->db, &in, &res) == STORE_OK &&
             audit(r, "plan.target.report", "plan_target", target_id, json_pack("{s:i, s:I, s:s}", "year", year, "org_id", (json_int_t)org, "value", vt)))
        store_fail_db(&res, r->db);
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    free(vt);
    free(nt);
    if (res.status != STORE_OK) {
        int rc = req_result(r, &res);
        store_result_free(&res);
        return rc;
    }
    if (r->want_json) {
        json_t *all = store_plan_targets(r->db, plan_id), *mine = NULL;
        size_t i;
        json_t *x;
        json_array_foreach(all, i, x) if (json_integer_value(json_object_get(x, "id")) == target_id) mine = json_incref(x);
        json_decref(all);
        r->status = 201;
        return render(r, json_pack("{s:o}", "target", mine ? mine : json_null()), NULL);
    }
    char loc[80];
    snprintf(loc, sizeof loc, "/ke-hoach/%lld#chi-tieu-%lld", (long long)plan_id, (long long)target_id);
    return req_redirect(r, loc);
}

/* The owner's corrections to a saved plan: title, number, date, issuer and tasks' title, deadline, deliverable. */
static int edit_form(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    if (!owns(r, id)) return req_fail(r, 403, "Chỉ người lưu kế hoạch (hoặc điều phối viên của cơ quan ban hành) được sửa kế hoạch.");
    char today[11];
    today_iso(today);
    json_t *p = store_plan_get(r->db, id, today);
    if (!p) return req_missing(r, "Không tìm thấy kế hoạch.");
    json_t *kept = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(p, "tasks"), i, t) {
        /* a recurring task's instances are edited through their template, which is not listed: keep plain tasks */
        if (!json_is_null(json_object_get(t, "period")) && json_object_get(t, "period")) continue;
        json_object_set_new(t, "k", json_integer((json_int_t)json_array_size(kept)));
        json_array_append(kept, t);
    }
    json_object_set_new(p, "tasks", kept);
    json_object_set_new(p, "history", store_plan_history(r->db, id));
    return render(r, json_pack("{s:s, s:s, s:o, s:s}", "title", "Sửa kế hoạch", "_nav", "plans", "plan", p, "_csrf", csrf_token(r)),
                  "plans/edit");
}

static json_t *form_value(struct req *r, const char *key, bool date, json_t *errors)
{
    const char *v = req_str(r, key);
    if (!v) return NULL;
    if (!date || !*v) return json_string(v);
    struct ymd d;
    char iso[11];
    if (date_parse_iso(v, &d) || date_parse_vn(v, &d)) {
        date_format_iso(d, iso);
        return json_string(iso);
    }
    json_object_set_new(errors, key, json_string("Ngày không hợp lệ (dd/mm/yyyy)."));
    return NULL;
}

static int edit(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    if (!owns(r, id)) return req_fail(r, 403, "Chỉ người lưu kế hoạch (hoặc điều phối viên của cơ quan ban hành) được sửa kế hoạch.");
    json_t *ch, *errors = json_object();
    if (r->body_json) ch = json_incref(r->body_json);
    else {
        ch = json_object();
        static const char *const f[] = { "title", "number", "issued", "issuer" };
        for (int k = 0; k < 4; k++) {
            json_t *v = form_value(r, f[k], k == 2, errors);
            if (v) json_object_set_new(ch, f[k], v);
        }
        json_t *tasks = json_array();
        for (int k = 0; k < 5000; k++) {
            char key[48];
            snprintf(key, sizeof key, "task%d", k);
            int64_t tid = req_int(r, key, 0);
            if (!tid) break;
            json_t *o = json_pack("{s:I}", "id", (json_int_t)tid);
            const char *tf[] = { "title", "due", "deliverable" };
            for (int q = 0; q < 3; q++) {
                snprintf(key, sizeof key, "task%d_%s", k, tf[q]);
                json_t *v = form_value(r, key, q == 1, errors);
                if (v) json_object_set_new(o, tf[q], v);
            }
            json_array_append_new(tasks, o);
        }
        json_object_set_new(ch, "tasks", tasks);
    }
    if (json_object_size(errors)) {
        json_decref(ch);
        return req_fail_ctx(r, 422, "Sửa kế hoạch chưa hợp lệ; chưa có gì được lưu.", errors);
    }
    json_decref(errors);
    struct store_result res = STORE_RESULT_OK;
    int changed = 0;
    if (db_begin(r->db)) store_fail_db(&res, r->db);
    else if (store_plan_edit(r->db, id, ch, r->user->id, &changed, &res) == STORE_OK && changed &&
             audit(r, "plan.edit", "plan", id, json_pack("{s:i}", "changed", changed)))
        store_fail_db(&res, r->db);
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    json_decref(ch);
    if (res.status != STORE_OK) {
        int rc = req_result(r, &res);
        store_result_free(&res);
        return rc;
    }
    if (r->want_json) return render(r, json_pack("{s:I, s:i, s:o}", "id", (json_int_t)id, "changed", changed, "history", store_plan_history(r->db, id)), NULL);
    char loc[64];
    snprintf(loc, sizeof loc, "/ke-hoach/%lld#lich-su", (long long)id);
    return req_redirect(r, loc);
}

const struct route page_plans_routes[] = {
    { "GET", "/ke-hoach", "/api/plans", list, PUBLIC, true, 0 },
    { "GET", "/ke-hoach/{id}", "/api/plans/{id}", show, PUBLIC, true, 0 },
    { "POST", "/ke-hoach/{id}/chi-tieu/{target}", "/api/plans/{id}/targets/{target}/values", report_value, STAFF, false, 64 * 1024 },
    { "GET", "/ke-hoach/{id}/sua", NULL, edit_form, STAFF, false, 0 },
    { "POST", "/ke-hoach/{id}/sua", "/api/plans/{id}/edit", edit, STAFF, false, 4u * 1024 * 1024 },
    { 0 },
};
