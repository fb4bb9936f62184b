/* Importing a plan: upload or paste → what dxday read, next to the source, with unknown units and dates flagged →
 * corrections → one transaction. Drafts live in the store until confirmed. Must not save a plan that fails
 * store_plan_check, and never half a plan. */
#include "http/app.h"
#include "import/plan_json.h"
#include "store/plan.h"
#include "store/plan_draft.h"
#include "store/plan_edit.h"
#include "store/plan_units.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_UPLOAD (20u * 1024 * 1024)
#define MAX_PASTE (2u * 1024 * 1024)

static bool may_import(struct req *r) { return authz_any(r, "coordinator") || authz_any(r, "officer"); }

static json_t *plan_choices(struct req *r) { return store_plan_choices(r->db, 500); }

static int form(struct req *r)
{
    if (!may_import(r)) return req_fail(r, 403, "Chỉ điều phối viên hoặc cán bộ đầu mối được nhập kế hoạch.");
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:o}", "title", "Nhập kế hoạch", "_nav", "plans", "_csrf", csrf_token(r),
                            "plans", plan_choices(r));
    return render(r, ctx, "plans/import");
}

static void sha_hex(const unsigned char *d, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, d, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int submit(struct req *r)
{
    if (!may_import(r)) return req_fail(r, 403, "Chỉ điều phối viên hoặc cán bộ đầu mối được nhập kế hoạch.");
    const unsigned char *data = NULL;
    size_t len = 0;
    const char *name = "van-ban.txt";
    for (int i = 0; i < r->nfiles; i++)
        if (!strcmp(r->files[i].field, "file") && r->files[i].len) {
            data = r->files[i].data;
            len = r->files[i].len;
            name = r->files[i].filename[0] ? r->files[i].filename : "tep-tai-len";
        }
    /* The importer reads PDF, DOCX and text by their bytes; libmagic first turns away what is none of them (a renamed
     * executable, an image) with the type it found. */
    for (int i = 0; data && i < r->nfiles; i++)
        if (!strcmp(r->files[i].field, "file") && r->files[i].len && blob_refuse(r, &r->files[i])) return r->status;
    const char *text = req_str(r, "text");
    if (!data && text && *text) {
        if (strlen(text) > MAX_PASTE) return req_fail(r, 413, "Văn bản dán vào quá dài (tối đa 2 MB).");
        data = (const unsigned char *)text;
        len = strlen(text);
        name = "van-ban-dan.txt";
    }
    if (!data) return req_fail(r, 400, "Hãy chọn tệp kế hoạch (.docx, .pdf, .txt, .md) hoặc dán nội dung văn bản.");
    int status = 0;
    const char *message = NULL;
    char *source = NULL;
    json_t *plan = plan_import_bytes(r->db, data, len, name, &status, &message, &source);
    if (!plan) return req_fail(r, status, message);
    char sha[65];
    sha_hex(data, len, sha);
    struct plan_draft_in in = { r->user->id, plan, source, json_string_value(json_object_get(plan, "source_kind")), name, sha };
    struct store_result res = STORE_RESULT_OK;
    int64_t draft = 0;
    enum store_status st = store_plan_draft_add(r->db, &in, &draft, &res);
    free(source);
    if (st != STORE_OK) { json_decref(plan); return req_result(r, &res); }
    if (r->want_json) {
        r->status = 201;
        return render(r, json_pack("{s:I, s:o}", "draft", (json_int_t)draft, "plan", plan), NULL);
    }
    json_decref(plan);
    char loc[64];
    snprintf(loc, sizeof loc, "/ke-hoach/nhap/%lld", (long long)draft);
    return req_redirect(r, loc);
}

/* The request's draft when it is the user's: its plan, and the source's text, kind, name and hash (malloc'd, NULL when
 * absent). NULL with the answer sent (404, or 500 when the store failed) otherwise. */
static json_t *load_draft(struct req *r, char **source, char **kind, char **name, char **sha)
{
    json_t *row = store_plan_draft_get(r->db, req_int(r, "draft", 0), r->user->id);
    if (!row) {
        req_missing(r, "Không tìm thấy bản nháp (đã lưu hoặc không phải của bạn).");
        return NULL;
    }
    json_t *plan = json_incref(json_object_get(row, "plan"));
    const char *keys[] = { "source_text", "source_kind", "source_name", "source_sha" };
    char **out[] = { source, kind, name, sha };
    for (int i = 0; i < 4; i++)
        if (out[i]) *out[i] = json_string_value(json_object_get(row, keys[i])) ? strdup(json_string_value(json_object_get(row, keys[i]))) : NULL;
    json_decref(row);
    return plan;
}

/* Names joined with "; " for one input box; the reviewer edits them as text. */
static json_t *joined(json_t *list)
{
    struct buf b = { 0 };
    size_t i;
    json_t *n;
    json_array_foreach(list, i, n) {
        if (i) buf_puts(&b, "; ");
        buf_puts(&b, json_string_value(n) ? json_string_value(n) : "");
    }
    json_t *s = json_string(b.p ? b.p : "");
    buf_free(&b);
    return s;
}

static json_t *vn_date(json_t *iso)
{
    struct ymd d;
    char out[11];
    if (!json_is_string(iso) || !date_parse_iso(json_string_value(iso), &d)) return json_string("");
    date_format_vn(d, out);
    return json_string(out);
}

/* The issuer's unit (0 when the plan names none or it cannot be placed) and the day names resolve on. */
static int64_t plan_within(struct req *r, json_t *plan, char on[11])
{
    struct ymd dd;
    const char *issued = json_string_value(json_object_get(plan, "issued"));
    on[0] = 0;
    if (issued && date_parse_iso(issued, &dd)) date_format_iso(dd, on);
    const char *issuer = json_string_value(json_object_get(plan, "issuer"));
    if (!issuer || !*issuer) return 0;
    struct org_resolved res = store_plan_resolve_unit(r->db, issuer, on[0] ? on : NULL, 0);
    return res.status == ORG_FOUND ? res.id : 0;
}

/* What each written name resolves to now (after the reviewer's corrections), with an ambiguous name's candidates. */
static json_t *units_review(struct req *r, json_t *names, const char *on, int64_t within, int ti, const char *role)
{
    json_t *a = json_array();
    size_t k;
    json_t *n;
    json_array_foreach(names, k, n) {
        json_t *u = store_plan_unit_review(r->db, json_string_value(n), on[0] ? on : NULL, within);
        char key[48];
        snprintf(key, sizeof key, "t%d_%s_pick%zu", ti, role, k);
        json_object_set_new(u, "pick", json_string(key));
        json_object_set_new(u, "ok", json_boolean(!strcmp(json_string_value(json_object_get(u, "status")), "found")));
        json_object_set_new(u, "ambiguous", json_boolean(!strcmp(json_string_value(json_object_get(u, "status")), "ambiguous")));
        json_object_set_new(u, "ncandidates", json_integer((json_int_t)json_array_size(json_object_get(u, "candidates"))));
        json_array_append_new(a, u);
    }
    return a;
}

/* Warnings about unit names, which the review recomputes: the importer's own words about them may be stale. */
static bool unit_warning(const char *w)
{
    return !strncmp(w, "Tên đơn vị", strlen("Tên đơn vị")) || !strncmp(w, "Không nhận ra đơn vị", strlen("Không nhận ra đơn vị")) ||
           !strncmp(w, "Kế hoạch không ghi cơ quan ban hành", strlen("Kế hoạch không ghi cơ quan ban hành"));
}

/* What is still open before saving: missing number, date or issuer, unresolved or ambiguous units, tasks' and targets'
 * warnings, the document's. Saving with any of these asks first. */
static json_t *open_issues(struct req *r, json_t *plan)
{
    json_t *open = json_array();
    if (!json_string_value(json_object_get(plan, "number"))) json_array_append_new(open, json_string("Chưa có số hiệu văn bản."));
    if (!json_string_value(json_object_get(plan, "issued"))) json_array_append_new(open, json_string("Chưa có ngày ban hành."));
    if (!json_string_value(json_object_get(plan, "issuer"))) json_array_append_new(open, json_string("Chưa có cơ quan ban hành."));
    char on[11];
    int64_t within = plan_within(r, plan, on);
    if (json_string_value(json_object_get(plan, "issuer")) && !within)
        json_array_append_new(open, json_sprintf("Chưa xác định được cơ quan ban hành \"%s\".", json_string_value(json_object_get(plan, "issuer"))));
    size_t i, k;
    json_t *t, *w;
    json_array_foreach(json_object_get(plan, "warnings"), i, w) json_array_append(open, w);
    json_array_foreach(json_object_get(plan, "tasks"), i, t) {
        const char *ref = json_string_value(json_object_get(t, "ref"));
        json_array_foreach(json_object_get(t, "warnings"), k, w)
            if (json_string_value(w) && !unit_warning(json_string_value(w)))
                json_array_append_new(open, json_sprintf("Nhiệm vụ %s: %s", ref ? ref : "?", json_string_value(w)));
        const char *keys[] = { "lead", "partners" };
        for (int q = 0; q < 2; q++) {
            json_t *n;
            json_array_foreach(json_object_get(t, keys[q]), k, n) {
                if (json_array_size(json_object_get(t, q ? "partner_ids" : "lead_ids")) == json_array_size(json_object_get(t, keys[q])))
                    break; /* ids given by the reviewer (or the API) for every name */
                struct org_resolved res = store_plan_resolve_unit(r->db, json_string_value(n), on[0] ? on : NULL, within);
                if (res.status == ORG_AMBIGUOUS)
                    json_array_append_new(open, json_sprintf("Nhiệm vụ %s: \"%s\" chưa rõ là đơn vị nào.", ref ? ref : "?", json_string_value(n)));
                else if (res.status != ORG_FOUND)
                    json_array_append_new(open, json_sprintf("Nhiệm vụ %s: không nhận ra đơn vị \"%s\".", ref ? ref : "?", json_string_value(n)));
            }
        }
    }
    json_array_foreach(json_object_get(plan, "targets"), i, t) {
        const char *ref = json_string_value(json_object_get(t, "ref"));
        json_array_foreach(json_object_get(t, "warnings"), k, w)
            if (json_string_value(w))
                json_array_append_new(open, json_sprintf("Chỉ tiêu %s: %s", ref && *ref ? ref : "(câu mục tiêu)", json_string_value(w)));
    }
    return open;
}

/* Adds the fields the review form shows: index, joined names, dd/mm/yyyy dates, what resolved. */
static void decorate(struct req *r, json_t *plan)
{
    size_t i;
    json_t *t;
    char on[11];
    int64_t within = plan_within(r, plan, on);
    json_array_foreach(json_object_get(plan, "tasks"), i, t) {
        json_object_set_new(t, "lead_units", units_review(r, json_object_get(t, "lead"), on, within, (int)i, "lead"));
        json_object_set_new(t, "partner_units", units_review(r, json_object_get(t, "partners"), on, within, (int)i, "partners"));
        json_object_set_new(t, "i", json_integer((json_int_t)i));
        json_object_set_new(t, "lead_text", joined(json_object_get(t, "lead")));
        json_object_set_new(t, "partners_text", joined(json_object_get(t, "partners")));
        json_object_set_new(t, "due_vn", vn_date(json_object_get(t, "due")));
        json_t *w = json_object_get(t, "window");
        json_object_set_new(t, "from_vn", vn_date(json_array_get(w, 0)));
        json_object_set_new(t, "to_vn", vn_date(json_array_get(w, 1)));
        json_object_set_new(t, "unresolved",
                            json_boolean(json_array_size(json_object_get(t, "lead")) != json_array_size(json_object_get(t, "lead_ids")) ||
                                         json_array_size(json_object_get(t, "partners")) != json_array_size(json_object_get(t, "partner_ids"))));
        json_object_set_new(t, "no_lead", json_boolean(json_array_size(json_object_get(t, "lead")) == 0));
    }
    json_object_set_new(plan, "issued_vn", vn_date(json_object_get(plan, "issued")));
    if (json_string_value(json_object_get(plan, "issuer")))
        json_object_set_new(plan, "issuer_unit", store_plan_unit_review(r->db, json_string_value(json_object_get(plan, "issuer")), on[0] ? on : NULL, 0));
    json_object_set_new(plan, "ntargets", json_integer((json_int_t)json_array_size(json_object_get(plan, "targets"))));
    json_array_foreach(json_object_get(plan, "targets"), i, t) {
        json_object_set_new(t, "i", json_integer((json_int_t)i));
        json_object_set_new(t, "flagged", json_boolean(json_array_size(json_object_get(t, "warnings")) > 0));
    }
}

static int review_page(struct req *r, json_t *plan, char *source, json_t *errors, int status)
{
    decorate(r, plan);
    json_t *orgs = store_plan_unit_choices(r->db);
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:o, s:s, s:I, s:o, s:o, s:I}", "title", "Kiểm tra kế hoạch trước khi lưu", "_nav",
                            "plans", "_csrf", csrf_token(r), "plan", plan, "source", source ? source : "", "draft",
                            (json_int_t)req_int(r, "draft", 0), "_orgs", orgs, "plans", plan_choices(r), "ntasks",
                            (json_int_t)json_array_size(json_object_get(plan, "tasks")));
    if (errors) {
        json_t *list = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(errors, k, v) json_array_append_new(list, json_pack("{s:s, s:O}", "field", k, "message", v));
        json_object_set_new(ctx, "errors", list);
        json_object_set_new(ctx, "fields", errors);
    }
    /* "Tìm đơn vị": units whose names match what was typed, with or without diacritics. */
    const char *q = req_str(r, "tim");
    if (q && *q) {
        json_object_set_new(ctx, "found", store_plan_unit_search(r->db, q, 30));
        json_object_set_new(ctx, "tim", json_string(q));
        json_object_set_new(ctx, "searched", json_true());
    }
    json_t *open = open_issues(r, plan);
    json_object_set_new(ctx, "nopen", json_integer((json_int_t)json_array_size(open)));
    json_object_set_new(ctx, "open", open);
    r->status = status;
    return render(r, ctx, "plans/review");
}

static int review(struct req *r)
{
    char *source = NULL;
    json_t *plan = load_draft(r, &source, NULL, NULL, NULL);
    if (!plan) return r->status;
    int rc = review_page(r, plan, source, NULL, 200);
    free(source);
    return rc;
}

/* "a; b; c" → ["a", "b", "c"], NFC, blanks dropped. */
static json_t *split_names(const char *s)
{
    json_t *a = json_array();
    if (!s) return a;
    char *copy = text_nfc(s), *save = NULL;
    for (char *p = copy ? strtok_r(copy, ";\n", &save) : NULL; p; p = strtok_r(NULL, ";\n", &save)) {
        while (*p == ' ') p++;
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\r')) p[--n] = 0;
        if (*p) json_array_append_new(a, json_string(p));
    }
    free(copy);
    return a;
}

/* A date field as typed: dd/mm/yyyy, ISO, or empty (null). Sets *bad on anything else. */
static json_t *form_date(const char *s, bool *bad)
{
    struct ymd d;
    char iso[11];
    if (!s || !*s || strspn(s, " ") == strlen(s)) return json_null();
    if (date_parse_iso(s, &d) || date_parse_vn(s, &d)) {
        date_format_iso(d, iso);
        return json_string(iso);
    }
    *bad = true;
    return json_string(s);
}

static void set_text(json_t *o, const char *key, const char *v)
{
    char *nfc = v ? text_nfc(v) : NULL;
    json_object_set_new(o, key, nfc && *nfc ? json_string(nfc) : json_null());
    free(nfc);
}

/* Applies the review form's fields to the draft's JSON. Date fields that are not dates become errors. */
static void apply_form(struct req *r, json_t *plan, json_t *errors)
{
    char key[48];
    bool bad = false;
    if (req_str(r, "title")) set_text(plan, "title", req_str(r, "title"));
    if (!json_string_value(json_object_get(plan, "title"))) json_object_set_new(plan, "title", json_string(""));
    if (req_str(r, "number")) set_text(plan, "number", req_str(r, "number"));
    if (req_str(r, "issuer")) set_text(plan, "issuer", req_str(r, "issuer"));
    if (req_str(r, "theme")) set_text(plan, "theme", req_str(r, "theme"));
    if (req_str(r, "issued")) {
        json_object_set_new(plan, "issued", form_date(req_str(r, "issued"), &bad));
        if (bad) json_object_set_new(errors, "issued", json_string("Ngày ban hành không hợp lệ (dd/mm/yyyy)."));
    }
    json_t *tasks = json_object_get(plan, "tasks"), *kept = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        snprintf(key, sizeof key, "t%zu_skip", i);
        if (req_str(r, key)) continue;
        static const char *const text_fields[] = { "ref", "title", "deliverable", "recurrence", "parent_ref" };
        for (int f = 0; f < 5; f++) {
            snprintf(key, sizeof key, "t%zu_%s", i, text_fields[f]);
            if (req_str(r, key)) set_text(t, text_fields[f], req_str(r, key));
        }
        if (!json_string_value(json_object_get(t, "ref"))) json_object_set_new(t, "ref", json_string(""));
        if (!json_string_value(json_object_get(t, "title"))) json_object_set_new(t, "title", json_string(""));
        snprintf(key, sizeof key, "t%zu_lead", i);
        if (req_str(r, key)) {
            json_object_set_new(t, "lead", split_names(req_str(r, key)));
            json_object_set_new(t, "lead_ids", json_array());  /* names may have changed: resolve again */
        }
        snprintf(key, sizeof key, "t%zu_partners", i);
        if (req_str(r, key)) {
            json_object_set_new(t, "partners", split_names(req_str(r, key)));
            json_object_set_new(t, "partner_ids", json_array());
        }
        /* A candidate picked for an ambiguous name replaces it by the unit's own name, which resolves to that unit. */
        const char *roles[] = { "lead", "partners" };
        for (int q = 0; q < 2; q++) {
            json_t *names = json_object_get(t, roles[q]);
            for (size_t k = 0; k < json_array_size(names); k++) {
                snprintf(key, sizeof key, "t%zu_%s_pick%zu", i, roles[q], k);
                const char *pick = req_str(r, key);
                if (pick && *pick) json_array_set_new(names, k, json_string(pick));
            }
        }
        snprintf(key, sizeof key, "t%zu_due", i);
        if (req_str(r, key)) {
            bad = false;
            json_object_set_new(t, "due", form_date(req_str(r, key), &bad));
            if (bad) json_object_set_new(errors, key, json_string("Thời hạn không hợp lệ (dd/mm/yyyy)."));
        }
        char kf[48], kt[48];
        snprintf(kf, sizeof kf, "t%zu_from", i);
        snprintf(kt, sizeof kt, "t%zu_to", i);
        if (req_str(r, kf) || req_str(r, kt)) {
            bool b1 = false, b2 = false;
            json_t *a = form_date(req_str(r, kf), &b1), *b = form_date(req_str(r, kt), &b2);
            if (b1 || b2 || json_is_null(a) != json_is_null(b)) {
                json_object_set_new(errors, kf, json_string("Khoảng thời gian cần cả từ ngày và đến ngày (dd/mm/yyyy)."));
                json_decref(a);
                json_decref(b);
            } else if (json_is_null(a)) {
                json_object_set_new(t, "window", json_null());
                json_decref(a);
                json_decref(b);
            } else {
                json_object_set_new(t, "window", json_pack("[o, o]", a, b));
            }
        }
        json_array_append(kept, t);
    }
    json_object_set_new(plan, "tasks", kept);
}

/* Saves the reviewed plan and its audit entry in one transaction: store_plan_import checks everything again under the
 * write lock and drops the draft, so what is saved is what was checked, once. */
static enum store_status save_plan(struct req *r, json_t *plan, const struct plan_meta *meta, int64_t draft, int64_t *id,
                                   struct store_result *res)
{
    if (db_begin(r->db)) store_fail_db(res, r->db);
    else if (store_plan_import(r->db, plan, meta, draft, id, res) == STORE_OK &&
             audit(r, "plan.import", "plan", *id, json_pack("{s:O, s:I}", "number", json_object_get(plan, "number"), "tasks",
                                                            (json_int_t)json_array_size(json_object_get(plan, "tasks")))))
        store_fail_db(res, r->db);
    if (res->status != STORE_OK) db_rollback(r->db);
    else if (db_commit(r->db)) store_fail_db(res, r->db);
    return res->status;
}

static int saved(struct req *r, int64_t id)
{
    if (r->want_json) {
        r->status = 201;
        /* Partners outside the saver's subtree, waiting for their own units to accept. */
        return render(r, json_pack("{s:I, s:o}", "id", (json_int_t)id, "proposed", store_proposals_of_plan(r->db, id)), NULL);
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/ke-hoach/%lld", (long long)id);
    return req_redirect(r, loc);
}

/* Whether the plan passes the checks that refuse outright (422, 403): those answer first, confirmation or not. */
static bool may_save(struct req *r, json_t *plan)
{
    json_t *e = store_plan_check(r->db, plan);
    if (!e) {
        struct plan_meta m = { NULL, NULL, NULL, NULL, r->user->id, req_int(r, "parent_id", 0) };
        e = store_plan_scope_check(r->db, plan, &m);
    }
    json_decref(e);
    return e == NULL;
}

/* The reviewer's "save anyway": confirm=1 in the form, or "confirm": true in the JSON body. */
static bool confirmed(struct req *r)
{
    if (r->body_json && json_is_true(json_object_get(r->body_json, "confirm"))) return true;
    const char *c = req_str(r, "confirm");
    return c && (!strcmp(c, "1") || !strcmp(c, "true"));
}

/* 409 with a link to the plan already saved (same number and issuer, or the same text). Takes plan when it renders. */
static int duplicate(struct req *r, struct store_result *res, json_t *plan, char *source)
{
    json_t *ex = json_object_get(res->fields, "existing");
    char url[48];
    snprintf(url, sizeof url, "/ke-hoach/%lld", (long long)json_integer_value(json_object_get(ex, "id")));
    json_object_set_new(ex, "url", json_string(url));
    if (r->want_json) {
        r->status = 409;
        return render(r, json_pack("{s:s, s:i, s:O}", "error", res->message, "status", 409, "existing", ex), NULL);
    }
    json_object_set(plan, "_existing", ex);
    return review_page(r, plan, source, NULL, 409);
}

static int confirm(struct req *r)
{
    char *source = NULL, *kind = NULL, *name = NULL, *sha = NULL;
    json_t *plan = load_draft(r, &source, &kind, &name, &sha);
    if (!plan) return r->status;
    json_t *errors = json_object(), *open = NULL;
    if (r->body_json && json_is_object(json_object_get(r->body_json, "plan"))) {
        json_decref(plan);
        plan = json_deep_copy(json_object_get(r->body_json, "plan"));
    } else {
        apply_form(r, plan, errors);
    }
    int rc;
    if (json_object_size(errors)) {
        /* Dates the form could not read: shown with whatever else the check finds, so one round fixes all. */
        json_t *check = store_plan_check(r->db, plan);
        if (check) { json_object_update(errors, check); json_decref(check); }
        const char *why = "Kế hoạch chưa hợp lệ; chưa có gì được lưu.";
        rc = r->want_json ? req_fail_ctx(r, 422, why, json_incref(errors)) : review_page(r, plan, source, json_incref(errors), 422);
        if (!r->want_json) plan = NULL;
    } else if (!confirmed(r) && may_save(r, plan) && json_array_size(open = open_issues(r, plan))) {
        /* "Lưu kế hoạch" with warnings open, or without number, date or issuer, asks first: the reviewer confirms. */
        const char *why = "Kế hoạch còn điểm cần xem lại; hãy xem danh sách và xác nhận nếu vẫn muốn lưu.";
        if (r->want_json) {
            r->status = 409;
            rc = render(r, json_pack("{s:s, s:i, s:O, s:b}", "error", why, "status", 409, "open", open, "need_confirm", 1), NULL);
        } else {
            rc = review_page(r, plan, source, NULL, 409);
            plan = NULL;
        }
    } else {
        struct plan_meta m = { kind, name, sha, source, r->user->id, req_int(r, "parent_id", 0) };
        struct store_result res = STORE_RESULT_OK;
        int64_t id = 0;
        enum store_status st = save_plan(r, plan, &m, req_int(r, "draft", 0), &id, &res);
        if (st == STORE_OK) {
            rc = saved(r, id);
        } else if (st == STORE_CONFLICT && res.fields) {
            rc = duplicate(r, &res, plan, source);
            if (!r->want_json) plan = NULL;
        } else if (!r->want_json && (st == STORE_INVALID || st == STORE_FORBIDDEN)) {
            rc = review_page(r, plan, source, res.fields, st == STORE_INVALID ? 422 : 403);
            res.fields = NULL;
            plan = NULL;
        } else {
            rc = req_result(r, &res);
        }
        store_result_free(&res);
    }
    json_decref(errors);
    json_decref(open);
    json_decref(plan);
    free(source); free(kind); free(name); free(sha);
    return rc;
}

/* The API's one-step save: a full plan JSON (as import-plan --json prints, corrected) in the body. */
static int save_json(struct req *r)
{
    if (!may_import(r)) return req_fail(r, 403, "Chỉ điều phối viên hoặc cán bộ đầu mối được nhập kế hoạch.");
    json_t *plan = r->body_json ? json_object_get(r->body_json, "plan") : NULL;
    if (!plan) plan = r->body_json;
    if (!plan) return req_fail(r, 400, "Cần nội dung JSON của kế hoạch.");
    const char *src = json_string_value(json_object_get(r->body_json, "source_text"));
    struct plan_meta m = { "json", NULL, NULL, src ? src : "", r->user->id, req_int(r, "parent_id", 0) };
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    enum store_status st = save_plan(r, plan, &m, 0, &id, &res);
    int rc;
    if (st == STORE_OK) rc = saved(r, id);
    else if (st == STORE_CONFLICT && res.fields) {
        json_t *ex = json_object_get(res.fields, "existing");
        char url[48];
        snprintf(url, sizeof url, "/ke-hoach/%lld", (long long)json_integer_value(json_object_get(ex, "id")));
        json_object_set_new(ex, "url", json_string(url));
        r->status = 409;
        rc = render(r, json_pack("{s:s, s:i, s:O}", "error", res.message, "status", 409, "existing", ex), NULL);
    } else rc = req_result(r, &res);
    store_result_free(&res);
    return rc;
}

const struct route page_plan_import_routes[] = {
    { "GET", "/ke-hoach/nhap", NULL, form, STAFF, false, 0 },
    { "POST", "/ke-hoach/nhap", "/api/plans/import", submit, STAFF, false, MAX_UPLOAD + 64 * 1024 },
    { "GET", "/ke-hoach/nhap/{draft}", "/api/plans/drafts/{draft}", review, STAFF, false, 0 },
    { "POST", "/ke-hoach/nhap/{draft}", "/api/plans/drafts/{draft}", confirm, STAFF, false, 8u * 1024 * 1024 },
    { "POST", NULL, "/api/plans", save_json, STAFF, false, 8u * 1024 * 1024 },
    { 0 },
};
