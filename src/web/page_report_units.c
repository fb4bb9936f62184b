/* Reports a unit owes ("Báo cáo"): what each of my units must send and when, the form in the browser (a draft
 * kept on the phone survives a lost connection), submitting with an attachment, and the parent's approval. Must not
 * see SQL, nor write for a unit the user does not answer for. */
#include "web/report.h"
#include "store/form.h"
#include "store/submission.h"
#include "store/org_index.h"
#include "store/org.h"
#include "store/campaign.h"
#include "store/plan.h"
#include "store/guidance_report.h"
#include "store/training.h"
#include "import/plan_json.h"
#include "core/date.h"
#include "core/text.h"
#include "core/vnnum.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTACHMENT (20u * 1024 * 1024)

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static int campaign_year(struct req *r)
{
    int64_t y = req_int(r, "nam", 0);
    if (!y) y = req_int(r, "campaign", 0);
    if (y < 2000 || y > 2100) y = date_today().y;
    return (int)y;
}

/* One row of "what a unit owes": the form's default period for that unit with its state. */
static json_t *owed_row(struct req *r, json_t *form, const struct ounit *u, const char *today)
{
    struct rform rf;
    struct rperiod p;
    if (!form_rform(form, &rf) || !rperiod_find(&rf, NULL, date_today(), &p)) return NULL;
    if (!ounit_open_on(u, date_to_days(p.due))) return NULL;
    json_t *sub = store_submission_get(r->db, json_integer_value(json_object_get(form, "id")), u->id, p.key);
    const char *st = sub ? str(sub, "status") : "missing";
    struct ymd t;
    date_parse_iso(today, &t);
    bool overdue = (!strcmp(st, "missing") || !strcmp(st, "draft") || !strcmp(st, "returned")) && date_cmp(p.on_time_until, t) < 0;
    json_t *row = json_pack("{s:I, s:s, s:s, s:O, s:O, s:o, s:s, s:s, s:b}", "org_id", (json_int_t)u->id, "org_code", u->code,
                            "org_name", u->name, "form_id", json_object_get(form, "id"), "form_title", json_object_get(form, "title"),
                            "period", report_period_json(&p), "status", st, "status_label", report_status_label(st), "overdue", overdue);
    if (sub) json_object_set(row, "on_time", json_object_get(sub, "on_time"));
    /* Sent after its time: the list says so, as the form does ("Đã gửi muộn N ngày"). */
    if (sub && json_is_false(json_object_get(sub, "on_time")) && (!strcmp(st, "submitted") || !strcmp(st, "approved"))) {
        json_object_set_new(row, "status_label", json_string(!strcmp(st, "submitted") ? "Đã gửi (muộn)" : "Đã phê duyệt (gửi muộn)"));
        json_object_set_new(row, "sent_late", json_true());
    }
    json_decref(sub);
    return row;
}

/* Units the user answers for: each unit where they are officer or coordinator, and its direct children. */
static json_t *owed(struct req *r, json_t *forms, const char *today)
{
    json_t *rows = json_array();
    if (!r->user) return rows;
    json_t *roles = store_user_scope_units(r->db, r->user->id);
    struct org_index *x = org_index_get(r->db);
    size_t i, j;
    json_t *role, *fs, *full = json_array();
    json_array_foreach(forms, i, fs) {
        json_t *form = store_form_get(r->db, str(fs, "code"));
        if (form) json_array_append_new(full, form);
    }
    json_array_foreach(roles, i, role) {
        int root = org_index_find(x, json_integer_value(json_object_get(role, "org_id")));
        /* A unit's officers also send for the units right under it (a province for its wards); at the nation that
         * would be every ministry and province, which is the dashboard's job, not a to-do list. */
        bool with_children = root >= 0 && x->u[root].parent >= 0;
        for (int k = 0; root >= 0 && k < x->n && json_array_size(rows) < 200; k++) {
            if (k != root && !(with_children && x->u[k].parent == root)) continue;
            json_array_foreach(full, j, fs)
                if (org_index_assigned(x, json_object_get(fs, "assign"), k)) {
                    json_t *row = owed_row(r, fs, &x->u[k], today);
                    if (row) json_array_append_new(rows, row);
                }
        }
    }
    org_index_release(x);
    json_decref(full);
    json_decref(roles);
    return rows;
}

static int hub(struct req *r)
{
    int year = campaign_year(r);
    char today[11], title[96];
    report_today(today);
    json_t *forms = store_forms_list(r->db, year);
    snprintf(title, sizeof title, "Báo cáo năm %d", year);
    json_t *years = report_years(r, year);
    json_t *ctx = json_pack("{s:s, s:s, s:i, s:o, s:o}", "title", title, "_nav", "reports", "year", year, "years", years,
                            "owed", owed(r, forms, today));
    json_object_set_new(ctx, "forms", forms);
    if (authz(r, "coordinator", store_org_id(r->db, "vn"))) json_object_set_new(ctx, "_centre", json_true());
    return render(r, ctx, "reports/index");
}

static bool may_write(struct req *r, int64_t org) { return authz(r, "officer", org) || authz(r, "coordinator", org); }

/* The indicator the guidance log can fill in: people guided by Community Digital Technology Teams (data/forms.json). */
#define GUIDED_CODE "nguoi_dan_duoc_huong_dan"
/* The indicators the trainings fill in: classes held and people trained (data/forms.json). */
#define TRAINED_CLASSES "so_lop_tap_huan"
#define TRAINED_PEOPLE "so_hoc_vien"

/* {code: {value, entries, teams, from, to}} the log suggests for indicators of the form, for the unit's subtree and the
 * period; empty when the log has nothing there. Only read: the officer decides what is sent. */
static json_t *suggestions(struct req *r, json_t *form, const struct rperiod *p, int64_t org)
{
    json_t *out = json_object();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind) {
        char from[11], to[11];
        date_format_iso(p->start, from);
        date_format_iso(p->end, to);
        /* Trainings held and people trained, from the classes' attendance (issue 18), as the guidance log does. */
        bool classes = !strcmp(str(ind, "code"), TRAINED_CLASSES), people = !strcmp(str(ind, "code"), TRAINED_PEOPLE);
        if ((classes || people) && !strcmp(str(ind, "type"), "integer")) {
            json_t *t = store_training_report(r->db, org, from, to);
            if (t && json_integer_value(json_object_get(t, "classes")) > 0)
                json_object_set_new(out, str(ind, "code"), json_pack("{s:O, s:O, s:O, s:O, s:O, s:b}", "value", json_object_get(t, classes ? "classes" : "people"),
                                                                     "classes", json_object_get(t, "classes"), "people", json_object_get(t, "people"),
                                                                     "from", json_object_get(t, "from"), "to", json_object_get(t, "to"), "training", 1));
            json_decref(t);
            continue;
        }
        if (strcmp(str(ind, "code"), GUIDED_CODE) || strcmp(str(ind, "type"), "integer")) continue;
        json_t *g = store_guidance_report(r->db, org, from, to);
        if (g && json_integer_value(json_object_get(g, "entries")) > 0) json_object_set(out, GUIDED_CODE, g);
        json_decref(g);
    }
    return out;
}

/* The indicators with what the page shows in each field: the saved value, or what was just typed, or else what the
 * log suggests (the field stays the officer's to change). */
static json_t *fields(json_t *form, json_t *saved, json_t *typed, json_t *errors, json_t *suggested)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind) {
        const char *code = str(ind, "code"), *type = str(ind, "type");
        json_t *f = json_deep_copy(ind);
        char val[VNNUM_MAX] = "";
        const char *shown = typed ? str(typed, code) : NULL;
        json_t *v = saved ? json_object_get(saved, code) : NULL;
        /* Written back as it would be typed ("12.500", "250,5"), so saving again reads the same number. */
        if (!shown && json_is_number(v)) shown = vnnum_format(json_number_value(v), val);
        else if (!shown && json_is_boolean(v)) shown = json_is_true(v) ? "1" : "0";
        else if (!shown && json_is_string(v)) shown = json_string_value(v);
        json_t *sug = suggested ? json_object_get(suggested, code) : NULL;
        if (sug) {
            json_object_set(f, "suggestion", sug);
            if (!shown) {
                snprintf(val, sizeof val, "%lld", (long long)json_integer_value(json_object_get(sug, "value")));
                shown = val;
                json_object_set_new(f, "prefilled", json_true());
            }
        }
        json_object_set_new(f, "value", json_string(shown ? shown : ""));
        json_object_set_new(f, !strcmp(type, "integer") || !strcmp(type, "decimal") ? "t_num" : !strcmp(type, "bool") ? "t_bool"
                               : !strcmp(type, "choice") ? "t_choice" : "t_text", json_true());
        if (!strcmp(type, "bool")) {
            json_object_set_new(f, "yes", json_boolean(shown && !strcmp(shown, "1")));
            json_object_set_new(f, "no", json_boolean(shown && !strcmp(shown, "0")));
        }
        json_t *opts = json_array();
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(ind, "choices"), k, c)
            json_array_append_new(opts, json_pack("{s:O, s:b}", "value", c, "selected", shown && !strcmp(shown, json_string_value(c))));
        json_object_set_new(f, "options", opts);
        if (errors && str(errors, code)) json_object_set(f, "error", json_object_get(errors, code));
        json_array_append_new(out, f);
    }
    return out;
}

/* Days from a due date to a day, both ISO (or a struct); 0 when a date is missing. */
static long days_after(struct ymd due, const char *iso)
{
    struct ymd d;
    return iso && date_parse_iso(iso, &d) ? date_diff(due, d) : 0;
}

/* What the page says about lateness: "late" {days, due} for a report still owed after its time, "sent_late" {days}
 * for one sent after it (the store's on_time, fixed at the first sending). */
static void late_notes(json_t *ctx, const struct rperiod *p, json_t *sub, bool owed, const char *today)
{
    char due[11];
    date_format_iso(p->due, due);
    struct ymd t;
    if (owed && date_parse_iso(today, &t) && date_cmp(p->on_time_until, t) < 0) {
        long n = days_after(p->due, today);
        json_object_set_new(ctx, "late", json_pack("{s:I, s:s}", "days", (json_int_t)(n > 0 ? n : 1), "due", due));
    }
    if (sub && json_is_false(json_object_get(sub, "on_time"))) {
        long n = days_after(p->due, str(sub, "submitted_on"));
        json_object_set_new(ctx, "sent_late", json_pack("{s:I, s:s}", "days", (json_int_t)(n > 0 ? n : 1), "due", due));
    }
}

/* The fields the errors name, in the form's order, for a summary with links to them: [{code, label}]. */
static json_t *error_fields(json_t *form, json_t *errors)
{
    json_t *out = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind)
        if (json_object_get(errors, str(ind, "code")))
            json_array_append_new(out, json_pack("{s:O, s:O}", "code", json_object_get(ind, "code"), "label", json_object_get(ind, "label")));
    if (json_object_get(errors, "comment")) json_array_append_new(out, json_pack("{s:s, s:s}", "code", "comment", "label", "Ghi chú gửi kèm"));
    json_t *last = json_array_get(out, json_array_size(out) - 1);
    if (last) json_object_set_new(last, "last", json_true());
    return out;
}

static int show_form(struct req *r, json_t *form, const struct rperiod *p, int64_t org, json_t *typed, json_t *errors, int status,
                     const char *refusal)
{
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)org);
    json_t *o = store_org_get(r->db, idbuf);
    json_t *sub = store_submission_get(r->db, json_integer_value(json_object_get(form, "id")), org, p->key);
    char today[11];
    report_today(today);
    struct store_result why = STORE_RESULT_OK;
    bool writable = store_submission_check(r->db, form, p, org, "submit", today, &why) == STORE_OK;
    const char *st = sub ? str(sub, "status") : "missing";
    bool is_draftable = !strcmp(st, "missing") || !strcmp(st, "draft") || !strcmp(st, "returned");
    /* Offered only to whoever may still send it: once sent, the stored figure is the report's, whatever the log says. */
    json_t *suggested = may_write(r, org) && writable && is_draftable ? suggestions(r, form, p, org) : json_object();
    json_t *ctx = json_pack("{s:O, s:s, s:O, s:o, s:o}", "title", json_object_get(form, "title"), "_nav", "reports", "form", form,
                            "period", report_period_json(p), "fields",
                            fields(form, sub ? json_object_get(sub, "values") : NULL, typed, errors, suggested));
    json_object_set_new(ctx, "suggestions", suggested);
    json_object_set_new(ctx, "org", json_pack("{s:O, s:O, s:O}", "id", json_object_get(o, "id"), "name", json_object_get(o, "name"),
                                              "code", json_object_get(o, "code")));
    json_object_set_new(ctx, "status", json_string(st));
    json_object_set_new(ctx, "status_label", json_string(report_status_label(st)));
    if (sub) {
        json_t *h;
        size_t i;
        json_array_foreach(json_object_get(sub, "history"), i, h) json_object_set_new(h, "status_label", json_string(report_status_label(str(h, "status"))));
        json_object_set_new(ctx, "submission", sub);
    }
    if (may_write(r, org) && writable) json_object_set_new(ctx, "_can_edit", json_true());
    if (!writable) json_object_set_new(ctx, "locked_reason", json_string(why.message));
    store_result_free(&why);
    if (refusal) json_object_set_new(ctx, "refusal", json_string(refusal));
    json_t *periods = report_periods(form, p->key);
    if (periods) json_object_set_new(ctx, "periods", periods);
    json_object_set_new(ctx, "_can_draft", json_boolean(is_draftable));
    json_t *parent = json_object_get(o, "parent");
    if (json_is_true(json_object_get(form, "needs_approval")) && !strcmp(st, "submitted") && parent &&
        (authz(r, "officer", json_integer_value(json_object_get(parent, "id"))) || authz(r, "coordinator", json_integer_value(json_object_get(parent, "id")))) &&
        store_submission_submitter(r->db, json_integer_value(json_object_get(sub, "id"))) != r->user->id)
        json_object_set_new(ctx, "_can_review", json_true());
    json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    late_notes(ctx, p, sub, is_draftable, today);
    if (errors) json_object_set_new(ctx, "error_fields", error_fields(form, errors));
    if (errors) json_object_set_new(ctx, "errors", errors);
    /* A draft kept and a report sent are different events; the page must not say the same words for both. */
    if (req_str(r, "saved")) json_object_set_new(ctx, "saved", json_true());
    if (req_str(r, "sent")) json_object_set_new(ctx, "sent", json_true());
    json_decref(o);
    r->status = status;
    return render(r, ctx, "reports/form");
}

static int64_t org_param(struct req *r)
{
    int64_t org = store_org_id(r->db, req_str(r, "org"));
    if (!org) req_missing(r, "Không tìm thấy đơn vị.");
    return org;
}

static int view(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    int64_t org = 0;
    int rc;
    if (!report_period(r, form, &p) || !(org = org_param(r))) rc = r->status;
    else if (!may_write(r, org) && !authz(r, "viewer", org)) rc = req_fail(r, 403, "Bạn không phụ trách đơn vị này.");
    else rc = show_form(r, form, &p, org, NULL, NULL, 200, NULL);
    json_decref(form);
    return rc;
}

/* Values from a JSON body ({"values": {...}}) or from form fields named "v.CODE". */
static json_t *typed_values(struct req *r, json_t *form)
{
    json_t *v = json_object_get(r->body_json, "values");
    if (json_is_object(v)) return json_incref(v);
    json_t *out = json_object();
    const char *k;
    json_t *x;
    json_object_foreach(r->params, k, x)
        if (!strncmp(k, "v.", 2) && json_is_string(x)) json_object_set(out, k + 2, x);
    return out;
}

/* Reads an attached plan document with the plan importer and saves it as a plan of the unit; 0 when there is
 * none or it cannot be read (the submission still goes through, with a note). */
static int64_t read_plan(struct req *r, const struct upload *u, const char *sha, json_t *notes)
{
    int status = 0;
    const char *message = NULL;
    char *text = NULL;
    json_t *plan = plan_import_bytes(r->db, u->data, u->len, u->filename, &status, &message, &text);
    int64_t id = 0;
    if (!plan) {
        json_array_append_new(notes, json_sprintf("Chưa đọc được văn bản kế hoạch: %s", message ? message : "định dạng không hỗ trợ."));
    } else if (!json_array_size(json_object_get(plan, "tasks"))) {
        json_array_append_new(notes, json_string("Văn bản kế hoạch không có nhiệm vụ nào đọc được; tệp vẫn được lưu kèm báo cáo."));
    } else {
        json_t *bad = store_plan_check(r->db, plan);
        if (bad) {
            json_array_append_new(notes, json_string("Kế hoạch đọc được nhưng còn chỗ chưa hợp lệ; mời nhập lại tại trang Nhập kế hoạch để soát."));
            json_decref(bad);
        } else {
            const char *dot = strrchr(u->filename, '.');
            struct plan_meta meta = { dot ? dot + 1 : "txt", u->filename, sha, text ? text : "", r->user->id, 0 };
            /* Checked before anything is written: this runs inside the submission's transaction, which goes on. */
            json_t *out = store_plan_scope_check(r->db, plan, &meta);
            if (out) {
                json_array_append_new(notes, json_string("Kế hoạch đọc được nêu đơn vị ngoài phạm vi của bạn (cơ quan ban hành hoặc "
                                                         "đơn vị chủ trì) nên chưa được lưu; tệp vẫn được lưu kèm báo cáo."));
                json_decref(out);
            } else {
                id = store_plan_save(r->db, plan, &meta);
            }
        }
    }
    json_decref(plan);
    free(text);
    return id;
}

/* A write the store refused: its reason on the form (HTML) or as the answer (JSON); a failed store as itself. */
static int refused(struct req *r, json_t *form, const struct rperiod *p, int64_t org, struct store_result *res)
{
    int rc = r->want_json || res->status != STORE_CONFLICT ? req_result(r, res)
                                                             : show_form(r, form, p, org, NULL, NULL, 409, res->message);
    store_result_free(res);
    return rc;
}

/* The unit right above org, or 0. */
static int64_t parent_of(struct req *r, int64_t org)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)org);
    json_t *o = store_org_get(r->db, id);
    int64_t parent = json_integer_value(json_object_get(o, "parent_id"));
    json_decref(o);
    return parent;
}

static int submit(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    int64_t org = 0;
    if (!report_period(r, form, &p) || !(org = org_param(r))) { json_decref(form); return r->status; }
    if (!may_write(r, org)) { json_decref(form); return req_fail(r, 403, "Bạn chỉ gửi được báo cáo của đơn vị mình phụ trách."); }
    const char *action = req_str(r, "action");
    if (!action) action = "submit";
    if (strcmp(action, "save") && strcmp(action, "submit")) { json_decref(form); return req_fail(r, 400, "Thao tác phải là save hoặc submit."); }
    char today[11];
    report_today(today);
    struct store_result res = STORE_RESULT_OK;
    if (store_submission_check(r->db, form, &p, org, action, today, &res) != STORE_OK) {
        int rc = refused(r, form, &p, org, &res);
        json_decref(form);
        return rc;
    }
    json_t *typed = typed_values(r, form), *errors = json_object();
    json_t *values = form_values_check_typed(form, typed, !strcmp(action, "submit"), errors);
    const char *comment = req_str(r, "comment");
    if (comment && strlen(comment) > 4000) json_object_set_new(errors, "comment", json_string("Ghi chú tối đa 4.000 ký tự."));
    const struct upload *file = NULL;
    for (int k = 0; k < r->nfiles; k++)
        if (!strcmp(r->files[k].field, "file") && r->files[k].len) file = &r->files[k];
    if (json_object_size(errors)) {
        json_decref(values);
        int rc = r->want_json ? req_fail_ctx(r, 422, "Số liệu chưa hợp lệ; chưa có gì được lưu.", errors)
                              : show_form(r, form, &p, org, typed, errors, 422, NULL);
        json_decref(typed);
        json_decref(form);
        return rc;
    }
    json_decref(errors);
    json_decref(typed);
    if (file && blob_refuse(r, file)) {
        json_decref(values);
        json_decref(form);
        return r->status;
    }
    char sha[65] = "";
    json_t *notes = json_array();
    char *nfc = comment && *comment ? text_nfc(comment) : NULL;
    int64_t id = 0;
    if (db_begin(r->db) || (file && blob_save(r, file, sha))) {
        store_fail_db(&res, r->db);
    } else {
        int64_t plan_id = file && json_is_true(json_object_get(form, "allows_plan")) ? read_plan(r, file, sha, notes) : 0;
        struct sub_put in = { form, &p, org, r->user->id, action, values, nfc, sha[0] ? sha : NULL, file ? file->filename : NULL,
                              plan_id, today };
        if (store_submission_save(r->db, &in, &id, &res) == STORE_OK &&
            audit(r, !strcmp(action, "save") ? "submission.save" : "submission.submit", "submission", id,
                  json_pack("{s:O, s:I, s:s}", "form", json_object_get(form, "code"), "org_id", (json_int_t)org, "period", p.key)))
            store_fail_db(&res, r->db);
    }
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    free(nfc);
    json_decref(values);
    if (res.status != STORE_OK) {
        json_decref(notes);
        int status = refused(r, form, &p, org, &res);
        json_decref(form);
        return status;
    }
    json_decref(form);
    if (r->want_json) {
        r->status = !strcmp(action, "save") ? 200 : 201;
        json_t *sub = store_submission_by_id(r->db, id);
        json_object_set_new(sub, "notes", notes);
        return render(r, json_pack("{s:o}", "submission", sub), NULL);
    }
    json_decref(notes);
    char loc[200];
    snprintf(loc, sizeof loc, "/bao-cao/%s/don-vi/%lld?ky=%s&%s=1", req_str(r, "form"), (long long)org, p.key,
             !strcmp(action, "save") ? "saved" : "sent");
    return req_redirect(r, loc);
}

static int review(struct req *r)
{
    json_t *form = report_form(r);
    if (!form) return r->status;
    struct rperiod p;
    int64_t org = 0;
    if (!report_period(r, form, &p) || !(org = org_param(r))) { json_decref(form); return r->status; }
    int64_t form_id = json_integer_value(json_object_get(form, "id"));
    bool needs = json_is_true(json_object_get(form, "needs_approval"));
    json_decref(form);
    if (!needs) return req_fail(r, 409, "Biểu mẫu này không cần phê duyệt.");
    int64_t parent = parent_of(r, org);
    if (!parent || !(authz(r, "officer", parent) || authz(r, "coordinator", parent)))
        return req_fail(r, 403, "Chỉ đơn vị cấp trên được phê duyệt hoặc trả lại báo cáo.");
    const char *decision = req_str(r, "decision"), *note = req_str(r, "note");
    if (!decision || (strcmp(decision, "approve") && strcmp(decision, "return")))
        return req_fail(r, 400, "Quyết định phải là approve hoặc return.");
    bool approve = !strcmp(decision, "approve");
    if (!approve && (!note || !*note)) return req_fail_ctx(r, 422, "Cần ghi lý do trả lại.", json_pack("{s:s}", "note", "Cần ghi lý do trả lại."));
    if (note && strlen(note) > 4000) return req_fail(r, 422, "Ý kiến tối đa 4.000 ký tự.");
    json_t *sub = store_submission_get(r->db, form_id, org, p.key);
    int64_t sub_id = sub ? json_integer_value(json_object_get(sub, "id")) : 0;
    json_decref(sub);
    if (!sub_id) return req_missing(r, "Đơn vị chưa gửi báo cáo kỳ này.");
    char *nfc = note && *note ? text_nfc(note) : NULL;
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db)) store_fail_db(&res, r->db);
    else if (store_submission_decide(r->db, sub_id, r->user->id, approve, nfc, &res) == STORE_OK &&
             audit(r, approve ? "submission.approve" : "submission.return", "submission", sub_id, json_pack("{s:s?}", "note", nfc)))
        store_fail_db(&res, r->db);
    free(nfc);
    if (res.status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(&res, r->db);
    if (res.status != STORE_OK) return req_result(r, &res);
    if (r->want_json) return render(r, json_pack("{s:o}", "submission", store_submission_by_id(r->db, sub_id)), NULL);
    char loc[200];
    snprintf(loc, sizeof loc, "/bao-cao/%s/don-vi/%lld?ky=%s", req_str(r, "form"), (long long)org, p.key);
    return req_redirect(r, loc);
}

const struct route page_reports_routes[] = {
    { "GET", "/bao-cao", "/api/reports", hub, STAFF, false, 0 },
    { "GET", "/bao-cao/{form}/don-vi/{org}", "/api/forms/{form}/submissions/{org}", view, STAFF, false, 0 },
    { "POST", "/bao-cao/{form}/don-vi/{org}", "/api/forms/{form}/submissions/{org}", submit, STAFF, false, MAX_ATTACHMENT + 256 * 1024 },
    { "POST", "/bao-cao/{form}/don-vi/{org}/duyet", "/api/forms/{form}/submissions/{org}/review", review, STAFF, false, 0 },
    { 0 },
};
