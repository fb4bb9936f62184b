/* Importer glue: extracted text → plan_parse → JSON with unit ids from the resolver.
 * Must not write to the store; one plan's JSON is the unit of review, correction and saving. */
#include "import/plan_json.h"
#include "import/extract.h"
#include "store/org.h"
#include "store/plan_units.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *date_or_null(bool has, struct ymd d)
{
    if (!has) return json_null();
    char iso[11];
    date_format_iso(d, iso);
    return json_string(iso);
}

/* Names and their resolved ids; an unresolved or ambiguous name adds a warning the reviewer will see. */
static void units(db *d, char **names, int n, const char *on, int64_t within, json_t *task, const char *key,
                  const char *ids_key, json_t *warnings)
{
    json_t *list = json_array(), *ids = json_array(), *review = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(list, json_string(names[i]));
        if (!d) continue;
        /* What the name resolved to, shown in the review; an ambiguous name carries its candidates. */
        json_t *u = store_plan_unit_review(d, names[i], on, within);
        const char *st = json_string_value(json_object_get(u, "status"));
        if (!strcmp(st, "found")) json_array_append(ids, json_object_get(u, "id"));
        else if (!strcmp(st, "ambiguous") && json_object_get(u, "hint"))
            json_array_append_new(warnings, json_sprintf("Kế hoạch không ghi cơ quan ban hành nên chưa biết \"%s\" là đơn vị của "
                                                         "tỉnh nào: cần chọn đúng đơn vị.", names[i]));
        else if (!strcmp(st, "ambiguous"))
            json_array_append_new(warnings, json_sprintf("Tên đơn vị \"%s\" khớp %zu đơn vị: cần chọn đúng đơn vị.", names[i],
                                                         json_array_size(json_object_get(u, "candidates"))));
        else
            json_array_append_new(warnings, json_sprintf("Không nhận ra đơn vị \"%s\".", names[i]));
        json_array_append_new(review, u);
    }
    json_object_set_new(task, key, list);
    json_object_set_new(task, ids_key, ids);
    char rk[32];
    snprintf(rk, sizeof rk, "%s_units", key);
    json_object_set_new(task, rk, review);
}

static json_t *num_or_null(bool has, double x) { return has ? json_real(x) : json_null(); }

/* Targets as data: a row lacking its value, agency or year carries warnings, and counts among the rows to look at. */
static json_t *targets_json(db *d, const struct plan_doc *doc, const char *on, int64_t within, int *need_look)
{
    json_t *a = json_array();
    for (int i = 0; i < doc->ntargets; i++) {
        const struct plan_target *t = &doc->targets[i];
        json_t *w = json_array();
        for (int k = 0; k < t->nwarnings; k++) json_array_append_new(w, json_string(t->warnings[k]));
        json_t *agency_id = json_null();
        if (d && t->agency) {
            struct org_resolved r = store_plan_resolve_unit(d, t->agency, on, within);
            if (r.status == ORG_FOUND) agency_id = json_integer(r.id);
            else json_array_append_new(w, json_sprintf("Chưa xác định được cơ quan theo dõi \"%s\": cần chọn đúng đơn vị.", t->agency));
        }
        const char *op = t->v.op;
        bool lo = !strcmp(op, "ge") || !strcmp(op, "gt") || !strcmp(op, "eq") || !strcmp(op, "range");
        bool hi = !strcmp(op, "le") || !strcmp(op, "lt") || !strcmp(op, "range");
        json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:[I, I]}", "ref", t->ref ? t->ref : "",
                              "indicator", t->indicator ? t->indicator : "", "measure", str_or_null(t->measure), "value",
                              str_or_null(t->value), "op", str_or_null(op), "lo", num_or_null(lo, t->v.lo), "hi",
                              num_or_null(hi, t->v.hi), "year", t->year ? json_integer(t->year) : json_null(), "agency",
                              str_or_null(t->agency), "agency_id", agency_id, "warnings", w, "src",
                              (json_int_t)t->src_start, (json_int_t)t->src_end);
        if (json_array_size(w)) (*need_look)++;
        json_array_append_new(a, o);
    }
    return a;
}

json_t *plan_to_json(db *d, const struct plan_doc *doc)
{
    char on[11] = "";
    if (doc->has_issued) date_format_iso(doc->issued, on);
    int64_t within = 0;
    if (d && doc->issuer) {
        struct org_resolved r = store_plan_resolve_unit(d, doc->issuer, on[0] ? on : NULL, 0);
        /* A plan from a province names its own departments without the province: look there first. */
        if (r.status == ORG_FOUND) within = r.id;
    }
    json_t *cites = json_array();
    for (int i = 0; i < doc->ncites; i++) json_array_append_new(cites, json_string(doc->cites[i]));
    json_t *tasks = json_array();
    for (int i = 0; i < doc->ntasks; i++) {
        const struct plan_task *t = &doc->tasks[i];
        json_t *warnings = json_array();
        for (int k = 0; k < t->nwarnings; k++) json_array_append_new(warnings, json_string(t->warnings[k]));
        json_t *o = json_pack("{s:s, s:s}", "ref", t->ref ? t->ref : "", "title", t->title ? t->title : "");
        units(d, t->lead, t->nlead, on[0] ? on : NULL, within, o, "lead", "lead_ids", warnings);
        units(d, t->partners, t->npartners, on[0] ? on : NULL, within, o, "partners", "partner_ids", warnings);
        json_object_set_new(o, "due", date_or_null(t->has_due, t->due));
        if (t->has_window) {
            char a[11], b[11];
            date_format_iso(t->window_from, a);
            date_format_iso(t->window_to, b);
            json_object_set_new(o, "window", json_pack("[s, s]", a, b));
        } else {
            json_object_set_new(o, "window", json_null());
        }
        json_object_set_new(o, "recurrence", str_or_null(t->recurrence));
        json_object_set_new(o, "deliverable", str_or_null(t->deliverable));
        json_object_set_new(o, "warnings", warnings);
        json_object_set_new(o, "src", json_pack("[I, I]", (json_int_t)t->src_start, (json_int_t)t->src_end));
        json_array_append_new(tasks, o);
    }
    json_t *deadlines = json_array();
    for (int i = 0; i < doc->ndeadlines; i++) {
        const struct plan_deadline *dl = &doc->deadlines[i];
        json_array_append_new(deadlines, json_pack("{s:s, s:o, s:o}", "what", dl->what ? dl->what : "", "to",
                                                   str_or_null(dl->to), "due", date_or_null(true, dl->due)));
    }
    json_t *warnings = json_array();
    for (int i = 0; i < doc->nwarnings; i++) json_array_append_new(warnings, json_string(doc->warnings[i]));
    int need_look = doc->nleft_out;
    size_t ti;
    json_t *tj;
    json_array_foreach(tasks, ti, tj) need_look += json_array_size(json_object_get(tj, "warnings")) > 0;
    json_t *targets = targets_json(d, doc, on[0] ? on : NULL, within, &need_look);
    json_t *out = json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "number", str_or_null(doc->number), "issued",
                     date_or_null(doc->has_issued, doc->issued), "issuer", str_or_null(doc->issuer), "title",
                     doc->title ? doc->title : "", "theme", str_or_null(doc->theme), "cites", cites, "tasks", tasks,
                     "report_deadlines", deadlines, "warnings", warnings);
    json_object_set_new(out, "targets", targets);
    json_object_set_new(out, "need_review", json_integer(need_look));
    json_object_set_new(out, "left_out", json_integer(doc->nleft_out));
    if (d && doc->issuer) json_object_set_new(out, "issuer_unit", store_plan_unit_review(d, doc->issuer, on[0] ? on : NULL, 0));
    return out;
}

json_t *plan_import_bytes(db *d, const unsigned char *data, size_t len, const char *filename, int *status,
                          const char **message, char **text_out)
{
    struct extract_result ex = extract_text(data, len, filename);
    if (ex.status != EXTRACT_OK) {
        *status = ex.status == EXTRACT_TOO_LARGE ? 413 : ex.status == EXTRACT_UNSUPPORTED ? 415 : 422;
        *message = extract_message(ex.status);
        extract_free(&ex);
        return NULL;
    }
    struct plan_doc *doc = plan_parse(ex.text, ex.len);
    if (!doc) {
        *status = 422;
        *message = "Văn bản không phải UTF-8 hợp lệ.";
        extract_free(&ex);
        return NULL;
    }
    json_t *j = plan_to_json(d, doc);
    json_object_set_new(j, "source_kind", json_string(ex.kind ? ex.kind : "txt"));
    if (text_out) *text_out = strdup(doc->text ? doc->text : ex.text);
    plan_free(doc);
    extract_free(&ex);
    return j;
}
