/* Reporting form definitions ("Biểu mẫu"): the list, one definition, and the centre's editor — indicators, period
 * type, assigned units, due, grace and lock dates with per-unit exceptions. The API takes the same JSON it returns.
 * Must not see SQL, nor let anyone but the centre's coordinators change a form. */
#include "web/report.h"
#include "web/labels.h"
#include "store/form.h"
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static bool is_centre(struct req *r) { return authz(r, "coordinator", store_org_id(r->db, "vn")); }

static int list(struct req *r)
{
    int year = (int)req_int(r, "nam", 0);
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Biểu mẫu báo cáo", "_nav", "reports", "items", store_forms_list(r->db, year));
    return render(r, ctx, "reports/forms");
}

/* Page context for the editor: the definition plus the choices its selects offer. */
static json_t *editor_ctx(struct req *r, json_t *def, json_t *errors)
{
    json_t *kinds = json_array();
    for (int i = 0; org_kinds[i]; i++) {
        bool on = false;
        size_t k;
        json_t *a;
        json_array_foreach(json_object_get(def, "assign"), k, a)
            if (str(a, "kind") && !strcmp(str(a, "kind"), org_kinds[i]) && !str(a, "level") && !json_is_integer(json_object_get(a, "org_id"))) on = true;
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "kind", org_kinds[i], "label", org_kind_labels[i], "on", on));
    }
    json_t *inds = json_deep_copy(json_object_get(def, "indicators"));
    if (!inds) inds = json_array();
    for (int i = 0; i < 3; i++) json_array_append_new(inds, json_object());
    const char *types[] = { "integer", "decimal", "bool", "text", "choice" };
    const char *tl[] = { "Số nguyên", "Số thập phân", "Có/Không", "Văn bản", "Lựa chọn" };
    size_t i;
    json_t *ind;
    json_array_foreach(inds, i, ind) {
        json_t *opts = json_array();
        for (int t = 0; t < 5; t++)
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "v", types[t], "l", tl[t], "sel", str(ind, "type") && !strcmp(str(ind, "type"), types[t])));
        json_object_set_new(ind, "types", opts);
        json_object_set_new(ind, "n", json_integer((json_int_t)i));
        /* Plain digits in the editor: "200000000", not the "2e+08" a double prints as. */
        const char *lim[] = { "min", "max" };
        for (int l = 0; l < 2; l++) {
            json_t *v = json_object_get(ind, lim[l]);
            if (json_is_number(v)) {
                char b[40];
                snprintf(b, sizeof b, "%.15g", json_number_value(v));
                if (strchr(b, 'e')) snprintf(b, sizeof b, "%.0f", json_number_value(v));
                json_object_set_new(ind, lim[l], json_string(b));
            }
        }
        struct buf b = { 0 };
        size_t k;
        json_t *c;
        json_array_foreach(json_object_get(ind, "choices"), k, c) buf_printf(&b, "%s%s", k ? "; " : "", json_string_value(c));
        char *joined = buf_take(&b);
        json_object_set_new(ind, "choices_text", json_string(joined));
        free(joined);
    }
    struct buf rules = { 0 }, ex = { 0 };
    json_t *x;
    json_array_foreach(json_object_get(def, "rules"), i, x)
        buf_printf(&rules, "%s %s %s | %s\n", str(x, "left"), str(x, "op"), str(x, "right"), str(x, "message"));
    json_array_foreach(json_object_get(def, "exceptions"), i, x) {
        struct ymd d;
        char vn[11] = "";
        if (date_parse_iso(str(x, "until"), &d)) date_format_vn(d, vn);
        char idb[24];
        snprintf(idb, sizeof idb, "%lld", (long long)json_integer_value(json_object_get(x, "org_id")));
        json_t *o = store_org_get(r->db, idb);
        buf_printf(&ex, "%s | %s | %s\n", o ? str(o, "code") : idb, vn, str(x, "reason") ? str(x, "reason") : "");
        json_decref(o);
    }
    char *rt = buf_take(&rules), *et = buf_take(&ex);
    const char *pt = str(def, "period_type");
    json_t *ctx = json_pack("{s:s, s:s, s:O, s:o, s:o, s:s, s:s, s:s}", "title", json_integer_value(json_object_get(def, "id")) ? "Sửa biểu mẫu" : "Biểu mẫu mới",
                            "_nav", "reports", "form", def, "kinds", kinds, "indicators", inds, "rules_text", rt, "exceptions_text", et,
                            "_csrf", csrf_token(r));
    free(rt);
    free(et);
    const char *pts[] = { "campaign", "quarter", "month", "custom" };
    for (int k = 0; k < 4; k++)
        if (pt && !strcmp(pt, pts[k])) json_object_set_new(ctx, pts[k], json_true());
    char kk[24];
    snprintf(kk, sizeof kk, "k_%s", str(def, "kind") ? str(def, "kind") : "report");
    json_object_set_new(ctx, kk, json_true());
    json_t *subtree = NULL;
    json_array_foreach(json_object_get(def, "assign"), i, x)
        if (json_is_integer(json_object_get(x, "org_id"))) subtree = x;
    if (subtree) json_object_set(ctx, "subtree_code", json_object_get(subtree, "org_code"));
    if (errors) json_object_set_new(ctx, "errors", errors);
    return ctx;
}

static int show(struct req *r)
{
    json_t *f = store_form_get(r->db, req_str(r, "id"));
    if (!f) return req_missing(r, "Không tìm thấy biểu mẫu.");
    if (r->want_json) return render(r, f, NULL);
    if (!is_centre(r)) {
        json_t *ctx = json_pack("{s:O, s:s, s:o}", "title", json_object_get(f, "title"), "_nav", "reports", "form", f);
        return render(r, ctx, "reports/form_view");
    }
    return render(r, editor_ctx(r, f, NULL), "reports/form_edit");
}

static int new_form(struct req *r)
{
    if (!is_centre(r)) return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được tạo biểu mẫu.");
    int year = (int)req_int(r, "nam", date_today().y);
    json_t *def = json_pack("{s:i, s:s, s:s, s:[{s:s}], s:[], s:[]}", "campaign_year", year, "kind", "report", "period_type", "campaign",
                            "assign", "kind", "province", "indicators", "rules");
    return render(r, editor_ctx(r, def, NULL), "reports/form_edit");
}

/* Lines "left op right | message". */
static json_t *parse_rules(const char *text)
{
    json_t *out = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char left[64], op[4], right[64];
        char *bar = strchr(l, '|');
        if (strspn(l, " \r\t") == strlen(l)) continue;
        if (!bar || sscanf(l, "%63s %3s %63s", left, op, right) != 3) {
            json_array_append_new(out, json_pack("{s:s}", "message", ""));
            continue;
        }
        char *msg = bar + 1;
        while (*msg == ' ') msg++;
        msg[strcspn(msg, "\r")] = 0;
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "left", left, "op", op, "right", right, "message", msg));
    }
    free(copy);
    return out;
}

/* Lines "unit code | dd/mm/yyyy | reason". */
static json_t *parse_exceptions(struct req *r, const char *text, json_t *errors)
{
    json_t *out = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    int line = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        line++;
        if (strspn(l, " \r\t") == strlen(l)) continue;
        char *parts[3] = { l, NULL, NULL };
        for (int k = 1; k < 3 && parts[k - 1]; k++) {
            char *bar = strchr(parts[k - 1], '|');
            if (bar) { *bar = 0; parts[k] = bar + 1; }
        }
        for (int k = 0; k < 3; k++)
            if (parts[k]) {
                while (*parts[k] == ' ') parts[k]++;
                for (size_t n = strlen(parts[k]); n && strchr(" \r\t", parts[k][n - 1]); n--) parts[k][n - 1] = 0;
            }
        struct ymd d;
        int64_t org = store_org_id(r->db, parts[0]);
        if (!org || !parts[1] || !date_parse_vn(parts[1], &d)) {
            json_object_set_new(errors, "exceptions", json_sprintf("Ngoại lệ dòng %d: viết \"mã đơn vị | dd/mm/yyyy | lý do\".", line));
            break;
        }
        char iso[11];
        date_format_iso(d, iso);
        json_array_append_new(out, json_pack("{s:I, s:s, s:s?}", "org_id", (json_int_t)org, "until", iso, "reason", parts[2]));
    }
    free(copy);
    return out;
}

static json_t *num_or_null(const char *s)
{
    if (!s || !*s) return json_null();
    char *end;
    double v = strtod(s, &end);
    return *end ? json_string(s) : json_real(v);
}

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

/* The definition from the HTML editor's fields (the API sends the JSON itself). */
static json_t *def_from_fields(struct req *r, json_t *errors)
{
    json_t *def = json_object();
    const char *texts[] = { "code", "title", "description", "kind", "period_type" };
    for (int i = 0; i < 5; i++) {
        char *nfc = text_nfc(req_str(r, texts[i]) ? req_str(r, texts[i]) : "");
        json_object_set_new(def, texts[i], json_string(nfc));
        free(nfc);
    }
    json_object_set_new(def, "campaign_year", json_integer(req_int(r, "campaign_year", 0)));
    const char *dates[] = { "due", "lock_on", "window_from", "window_to" };
    for (int i = 0; i < 4; i++) {
        const char *v = req_str(r, dates[i]);
        struct ymd d;
        char iso[11];
        if (v && *v && date_parse_vn(v, &d)) { date_format_iso(d, iso); json_object_set_new(def, dates[i], json_string(iso)); }
        else json_object_set_new(def, dates[i], str_or_null(v));
    }
    const char *ints[] = { "due_days", "late_days", "lock_days" };
    for (int i = 0; i < 3; i++) {
        const char *v = req_str(r, ints[i]);
        if (v && *v) json_object_set_new(def, ints[i], json_integer(req_int(r, ints[i], -1)));
    }
    json_object_set_new(def, "needs_approval", json_boolean(req_str(r, "needs_approval") != NULL));
    json_object_set_new(def, "allows_plan", json_boolean(req_str(r, "allows_plan") != NULL));
    json_t *inds = json_array();
    for (int i = 0; i < 200; i++) {
        char k[48];
        snprintf(k, sizeof k, "ind%d.code", i);
        const char *code = req_str(r, k);
        if (!code) break;
        if (!*code) continue;
        json_t *ind = json_pack("{s:s}", "code", code);
        const char *fields[] = { "label", "type", "unit" };
        for (int f = 0; f < 3; f++) {
            snprintf(k, sizeof k, "ind%d.%s", i, fields[f]);
            char *nfc = text_nfc(req_str(r, k) ? req_str(r, k) : "");
            json_object_set_new(ind, fields[f], str_or_null(nfc));
            free(nfc);
        }
        snprintf(k, sizeof k, "ind%d.min", i);
        json_object_set_new(ind, "min", num_or_null(req_str(r, k)));
        snprintf(k, sizeof k, "ind%d.max", i);
        json_object_set_new(ind, "max", num_or_null(req_str(r, k)));
        snprintf(k, sizeof k, "ind%d.required", i);
        json_object_set_new(ind, "required", json_boolean(req_str(r, k) != NULL));
        snprintf(k, sizeof k, "ind%d.choices", i);
        json_t *ch = json_array();
        char *copy = text_nfc(req_str(r, k) ? req_str(r, k) : ""), *save = NULL;
        for (char *c = strtok_r(copy, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
            while (*c == ' ') c++;
            for (size_t n = strlen(c); n && c[n - 1] == ' '; n--) c[n - 1] = 0;
            if (*c) json_array_append_new(ch, json_string(c));
        }
        free(copy);
        json_object_set_new(ind, "choices", ch);
        json_array_append_new(inds, ind);
    }
    json_object_set_new(def, "indicators", inds);
    json_object_set_new(def, "rules", parse_rules(req_str(r, "rules")));
    json_t *assign = json_array();
    for (int i = 0; org_kinds[i]; i++) {
        char k[48];
        snprintf(k, sizeof k, "assign.%s", org_kinds[i]);
        if (req_str(r, k)) json_array_append_new(assign, json_pack("{s:s}", "kind", org_kinds[i]));
    }
    const char *sub = req_str(r, "subtree");
    if (sub && *sub) {
        int64_t org = store_org_id(r->db, sub);
        if (!org) json_object_set_new(errors, "assign", json_string("Không tìm thấy đơn vị gốc đã nhập."));
        else json_array_append_new(assign, json_pack("{s:I}", "org_id", (json_int_t)org));
    }
    json_object_set_new(def, "assign", assign);
    json_object_set_new(def, "exceptions", parse_exceptions(r, req_str(r, "exceptions"), errors));
    return def;
}

static int save(struct req *r)
{
    if (!is_centre(r)) return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được sửa biểu mẫu.");
    int64_t id = 0;
    const char *ids = req_str(r, "id");
    if (ids) {
        json_t *cur = store_form_get(r->db, ids);
        if (!cur) return req_missing(r, "Không tìm thấy biểu mẫu.");
        id = json_integer_value(json_object_get(cur, "id"));
        json_decref(cur);
    }
    json_t *errors = json_object();
    json_t *def = r->body_json ? json_incref(r->body_json) : def_from_fields(r, errors);
    struct store_result res = STORE_RESULT_OK;
    int64_t got = 0;
    if (json_object_size(errors)) {
        /* Fields the editor could not read, shown with whatever else the check finds, so one round fixes all. */
        json_t *more = store_form_check(r->db, def, id);
        if (more) { json_object_update(errors, more); json_decref(more); }
        store_fail(&res, STORE_INVALID, "Biểu mẫu chưa hợp lệ; chưa có gì được lưu.");
        res.fields = json_incref(errors);
    } else {
        /* The check runs again inside the save's transaction (a code taken meanwhile is refused, not a 500). */
        if (db_begin(r->db)) store_fail_db(&res, r->db);
        else if (store_form_put(r->db, def, id, &got, &res) == STORE_OK &&
                 audit(r, id ? "form.update" : "form.create", "form", got, json_pack("{s:O}", "code", json_object_get(def, "code"))))
            store_fail_db(&res, r->db);
        if (res.status != STORE_OK) db_rollback(r->db);
        else if (db_commit(r->db)) store_fail_db(&res, r->db);
    }
    json_decref(errors);
    if (res.status == STORE_INVALID && !r->want_json) {
        json_object_set_new(def, "id", json_integer(id));
        r->status = 422;
        int rc = render(r, editor_ctx(r, def, res.fields), "reports/form_edit");
        res.fields = NULL;
        json_decref(def);
        return rc;
    }
    json_decref(def);
    if (res.status != STORE_OK) {
        int rc = req_result(r, &res);
        store_result_free(&res);
        return rc;
    }
    char idb[24];
    snprintf(idb, sizeof idb, "%lld", (long long)got);
    if (r->want_json) { r->status = id ? 200 : 201; return render(r, store_form_get(r->db, idb), NULL); }
    char loc[64];
    snprintf(loc, sizeof loc, "/bao-cao/bieu-mau/%lld", (long long)got);
    return req_redirect(r, loc);
}

const struct route page_forms_routes[] = {
    { "GET", "/bao-cao/bieu-mau", "/api/forms", list, STAFF, false, 0 },
    { "GET", "/bao-cao/bieu-mau/moi", NULL, new_form, STAFF, false, 0 },
    { "POST", "/bao-cao/bieu-mau", "/api/forms", save, STAFF, false, 0 },
    { "GET", "/bao-cao/bieu-mau/{id}", "/api/forms/{id}", show, STAFF, false, 0 },
    { "POST", "/bao-cao/bieu-mau/{id}", "/api/forms/{id}", save, STAFF, false, 0 },
    { 0 },
};
