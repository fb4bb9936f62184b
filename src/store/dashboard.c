/* The national dashboard of one campaign in one JSON document: plan and report rates for the nation and each of
 * the 34 provinces (today's tree, closed units counted under their successors), indicator totals by province
 * and by kind of unit, task buckets and the most overdue tasks. Pages, the API and the PDF all read this. Must not
 * write nor know about HTTP. */
#include "store/dashboard.h"
#include "store/completeness.h"
#include "store/form.h"
#include "store/plan.h"
#include "store/campaign.h"
#include "core/text.h"
#include "core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Provinces in the Vietnamese order of their names (core/collate.c), as every list of units. */
static int by_sort_key(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "_sort")), json_string_value(json_object_get(*(json_t *const *)b, "_sort")));
}

static json_t *sorted_by_name(json_t *arr)
{
    size_t n = json_array_size(arr), i;
    json_t **items = malloc(sizeof *items * (n + 1)), *out = json_array(), *it;
    json_array_foreach(arr, i, it) {
        char *f = text_sort_key(str(it, "name"));
        json_object_set_new(it, "_sort", json_string(f ? f : ""));
        free(f);
        items[i] = it;
    }
    qsort(items, n, sizeof *items, by_sort_key);
    for (i = 0; i < n; i++) {
        json_object_del(items[i], "_sort");
        json_array_append(out, items[i]);
    }
    free(items);
    json_decref(arr);
    return out;
}

static json_t *counts(struct comp_counts k)
{
    json_t *o = json_pack("{s:i, s:i, s:i}", "expected", k.expected, "received", k.received, "on_time", k.on_time);
    json_object_set_new(o, "rate", k.expected ? json_real((double)k.received / k.expected) : json_null());
    json_object_set_new(o, "on_time_rate", k.expected ? json_real((double)k.on_time / k.expected) : json_null());
    return o;
}

/* One form's completeness: the nation, each province open today, and the central bodies together. */
static json_t *form_block(db *d, json_t *form, struct ymd today, struct comp **cp, struct rperiod *p)
{
    struct rform rf;
    if (!form_rform(form, &rf) || !rperiod_find(&rf, NULL, today, p)) return NULL;
    struct comp *c = comp_compute(d, form, p, true, today);
    const struct org_index *x = comp_index(c);
    int nation = -1;
    for (int i = 0; i < x->n && nation < 0; i++) if (x->u[i].parent < 0) nation = i;
    json_t *provinces = json_array();
    struct comp_counts central = { 0 };
    long now = date_to_days(today);
    for (int i = 0; nation >= 0 && i < x->n; i++) {
        if (x->u[i].parent != nation || comp_place(c, i) != i) continue;
        struct comp_counts k = comp_node(c, x->u[i].id);
        if (!strcmp(x->u[i].kind, "province") && ounit_open_on(&x->u[i], now)) {
            json_t *o = counts(k);
            json_object_set_new(o, "id", json_integer(x->u[i].id));
            json_object_set_new(o, "code", json_string(x->u[i].code));
            json_object_set_new(o, "name", json_string(x->u[i].name));
            json_array_append_new(provinces, o);
        } else {
            central.expected += k.expected;
            central.received += k.received;
            central.on_time += k.on_time;
        }
    }
    char due[11];
    date_format_iso(p->due, due);
    json_t *b = json_pack("{s:O, s:O, s:O, s:O, s:s, s:s, s:s, s:o, s:o, s:o}", "id", json_object_get(form, "id"), "code", json_object_get(form, "code"),
                          "kind", json_object_get(form, "kind"), "title", json_object_get(form, "title"), "period", p->key, "period_label", p->label,
                          "due", due, "nation", counts(nation >= 0 ? comp_node(c, x->u[nation].id) : (struct comp_counts){ 0 }),
                          "central", counts(central), "provinces", sorted_by_name(provinces));
    *cp = c;
    return b;
}

/* Totals of the report form's numeric indicators by province (today's tree) and by kind of unit. */
static json_t *totals(db *d, json_t *form, const struct rperiod *p, struct comp *c)
{
    json_t *inds = json_array();
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(form, "indicators"), i, ind)
        if (!strcmp(str(ind, "type"), "integer") || !strcmp(str(ind, "type"), "decimal"))
            json_array_append_new(inds, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(ind, "id"), "code", json_object_get(ind, "code"),
                                                  "label", json_object_get(ind, "label"), "unit", json_object_get(ind, "unit")));
    const struct org_index *x = comp_index(c);
    json_t *by_top = json_object(), *by_kind = json_object(), *nation = json_object();
    /* Indicator ids to codes once, so the running totals are read as stored: one row per key, no join. */
    json_t *codes = json_object();
    json_array_foreach(inds, i, ind) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(ind, "id")));
        json_object_set(codes, k, json_object_get(ind, "code"));
    }
    db_stmt *s = db_prepare(d, "SELECT top_id, org_kind, indicator_id, total FROM form_total WHERE form_id = ? AND period = ?");
    db_bind_int(s, 1, json_integer_value(json_object_get(form, "id")));
    db_bind_text(s, 2, p->key);
    while (db_step(s) == DB_ROW) {
        char k[24];
        snprintf(k, sizeof k, "%lld", (long long)db_col_int(s, 2));
        const char *code = json_string_value(json_object_get(codes, k));
        if (!code) continue;
        int t = org_index_find(x, db_col_int(s, 0));
        double v = db_col_double(s, 3);
        const char *kind = db_col_text(s, 1);
        json_t *buckets[3] = { NULL, NULL, nation };
        if (t >= 0) {
            const char *place = x->u[comp_place(c, t)].code;
            if (!json_object_get(by_top, place)) json_object_set_new(by_top, place, json_object());
            buckets[0] = json_object_get(by_top, place);
        }
        if (!json_object_get(by_kind, kind)) json_object_set_new(by_kind, kind, json_object());
        buckets[1] = json_object_get(by_kind, kind);
        for (int k = 0; k < 3; k++) {
            if (!buckets[k]) continue;
            json_t *cur = json_object_get(buckets[k], code);
            json_object_set_new(buckets[k], code, json_real((cur ? json_number_value(cur) : 0) + v));
        }
    }
    db_done(s);
    json_decref(codes);
    return json_pack("{s:O, s:s, s:o, s:o, s:o, s:o}", "form_id", json_object_get(form, "id"), "period", p->key, "indicators", inds,
                     "by_province", by_top, "by_kind", by_kind, "nation", nation);
}

/* The lead units of a task as the list gives them, joined by "; " (null when it has none). */
static json_t *leads(json_t *lead)
{
    struct buf b = {0};
    size_t i;
    json_t *u;
    json_array_foreach(lead, i, u) buf_printf(&b, "%s%s", b.len ? "; " : "", str(u, "name"));
    json_t *v = b.len ? json_string(b.p) : json_null();
    buf_free(&b);
    return v;
}

/* The year's task buckets and its ten most overdue tasks, counted as the task list counts them (store_task_buckets:
 * recurring instances included, each once), so the two pages never disagree. */
static json_t *tasks(db *d, int year, const char *today)
{
    struct task_query q = { .today = today, .year = year };
    json_t *buckets = store_task_buckets(d, &q);
    q.bucket = "overdue";
    q.limit = 10;
    json_t *found = store_tasks_find(d, &q), *overdue = json_array();
    struct ymd t0;
    date_parse_iso(today, &t0);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(found, "items"), i, t) {
        json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(t, "id"), "ref", json_object_get(t, "ref"),
                              "title", json_object_get(t, "title"), "due",
                              json_is_string(json_object_get(t, "due")) ? json_object_get(t, "due") : json_object_get(t, "window_to"),
                              "progress", json_object_get(t, "progress"), "plan_number", json_object_get(t, "plan_number"));
        json_object_set_new(o, "lead", leads(json_object_get(t, "lead")));
        struct ymd due;
        if (date_parse_iso(str(o, "due"), &due)) json_object_set_new(o, "days_late", json_integer(date_diff(due, t0)));
        json_array_append_new(overdue, o);
    }
    json_decref(found);
    return json_pack("{s:o, s:o}", "buckets", buckets, "overdue", overdue);
}

json_t *store_dashboard(db *d, int year, struct ymd today)
{
    json_t *camp = store_campaign_get(d, year);
    if (!camp) return NULL;
    char today_iso[11];
    date_format_iso(today, today_iso);
    struct ymd day;
    if (!date_parse_iso(str(camp, "day"), &day)) day = (struct ymd){ year, 10, 10 };
    json_object_set_new(camp, "days_to_day", json_integer(date_diff(today, day)));
    json_object_del(camp, "dates");
    json_t *forms = store_forms_list(d, year), *blocks = json_array(), *tot = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(forms, i, f) {
        json_t *form = store_form_get(d, str(f, "code"));
        struct rperiod p;
        struct comp *c = NULL;
        json_t *b = form ? form_block(d, form, today, &c, &p) : NULL;
        if (b) {
            json_array_append_new(blocks, b);
            if (!tot && !strcmp(str(form, "kind"), "report")) tot = totals(d, form, &p, c);
        }
        comp_free(c);
        json_decref(form);
    }
    json_decref(forms);
    return json_pack("{s:o, s:s, s:o, s:o, s:o}", "campaign", camp, "today", today_iso, "forms", blocks,
                     "totals", tot ? tot : json_null(), "tasks", tasks(d, year, today_iso));
}
