/* Completeness rolled up the tree in one pass over the units. A unit is expected when the form is assigned to it
 * and it is open on the due date, so closed units never push a rate past 100 % (DHIS2's known fault). Must not
 * write: the mapping of closed units is made at read time. */
#include "store/completeness.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct comp {
    struct org_index *x;
    bool current;
    unsigned char *expected;   /* per unit */
    unsigned char *state;      /* 0 none, 1 draft or returned, 2 submitted, 3 approved */
    unsigned char *on_time;
    int *place;                /* current view: the unit's successor (or itself); historical: itself */
    int *vparent;              /* the parent in this view, -1 at the root or for units not placed */
    struct comp_counts *sum;   /* per node, rolled up */
};

static int follow(const struct org_index *x, int i, long today)
{
    for (int depth = 0; depth < 16 && !ounit_open_on(&x->u[i], today) && x->u[i].succ >= 0; depth++) i = x->u[i].succ;
    return i;
}

struct comp *comp_compute(db *d, json_t *form, const struct rperiod *p, bool current, struct ymd today)
{
    struct comp *c = calloc(1, sizeof *c);
    c->x = org_index_get(d);
    c->current = current;
    int n = c->x->n;
    c->expected = calloc((size_t)n + 1, 1);
    c->state = calloc((size_t)n + 1, 1);
    c->on_time = calloc((size_t)n + 1, 1);
    c->place = malloc(sizeof(int) * ((size_t)n + 1));
    c->vparent = malloc(sizeof(int) * ((size_t)n + 1));
    c->sum = calloc((size_t)n + 1, sizeof *c->sum);
    long due = date_to_days(p->due), now = date_to_days(today);
    struct assign_rule rules[ASSIGN_MAX];
    int nrules = org_index_rules(c->x, json_object_get(form, "assign"), rules);
    for (int i = 0; i < n; i++) {
        c->expected[i] = ounit_open_on(&c->x->u[i], due) && org_index_matches(c->x, rules, nrules, i);
        c->place[i] = current ? follow(c->x, i, now) : i;
    }
    for (int i = 0; i < n; i++) {
        int par = c->x->u[i].parent;
        c->vparent[i] = c->place[i] != i ? -1 : par < 0 ? -1 : c->place[par];
    }
    db_stmt *s = db_prepare(d, "SELECT org_id, status, on_time FROM submission WHERE form_id = ? AND period = ?");
    db_bind_int(s, 1, json_integer_value(json_object_get(form, "id")));
    db_bind_text(s, 2, p->key);
    while (db_step(s) == DB_ROW) {
        int i = org_index_find(c->x, db_col_int(s, 0));
        if (i < 0) continue;
        const char *st = db_col_text(s, 1);
        c->state[i] = !strcmp(st, "approved") ? 3 : !strcmp(st, "submitted") ? 2 : 1;
        c->on_time[i] = c->state[i] >= 2 && db_col_int(s, 2);
    }
    db_done(s);
    for (int i = 0; i < n; i++) {
        bool exp = c->expected[i], rec = c->state[i] >= 2;
        if (!exp && !rec) continue;
        for (int node = c->place[i], guard = 0; node >= 0 && guard < 64; node = c->vparent[node], guard++) {
            struct comp_counts *k = &c->sum[node];
            if (exp) { k->expected++; k->received += rec; k->on_time += rec && c->on_time[i]; }
            else k->extra++;
        }
    }
    return c;
}

void comp_free(struct comp *c)
{
    if (!c) return;
    org_index_release(c->x);
    free(c->expected);
    free(c->state);
    free(c->on_time);
    free(c->place);
    free(c->vparent);
    free(c->sum);
    free(c);
}

const struct org_index *comp_index(const struct comp *c) { return c->x; }

struct comp_counts comp_node(const struct comp *c, int64_t node)
{
    int i = org_index_find(c->x, node);
    struct comp_counts z = { 0 };
    return i < 0 ? z : c->sum[i];
}

int comp_place(const struct comp *c, int i) { return i < 0 ? -1 : c->place[i]; }

bool comp_expected(const struct comp *c, int64_t org)
{
    int i = org_index_find(c->x, org);
    return i >= 0 && c->expected[i];
}

static double rate(int a, int b) { return b ? (double)a / b : 0; }

json_t *comp_counts_json(const struct comp *c, int i)
{
    const struct ounit *u = &c->x->u[i];
    const struct comp_counts *k = &c->sum[i];
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "id", (json_int_t)u->id, "code", u->code, "name", u->name,
                          "kind", u->kind, "level", u->level, "expected", k->expected, "received", k->received, "on_time", k->on_time,
                          "extra", k->extra);
    json_object_set_new(o, "rate", k->expected ? json_real(rate(k->received, k->expected)) : json_null());
    json_object_set_new(o, "on_time_rate", k->expected ? json_real(rate(k->on_time, k->expected)) : json_null());
    return o;
}

static int by_name(const void *a, const void *b)
{
    return text_collate(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                        json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

static json_t *sorted(json_t **items, size_t n)
{
    qsort(items, n, sizeof *items, by_name);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, items[i]);
    free(items);
    return a;
}

json_t *comp_children(const struct comp *c, int64_t node)
{
    int root = org_index_find(c->x, node);
    json_t **items = malloc(sizeof *items * ((size_t)c->x->n + 1));
    size_t n = 0;
    for (int i = 0; root >= 0 && i < c->x->n; i++)
        if (c->vparent[i] == root && (c->sum[i].expected || c->sum[i].extra)) items[n++] = comp_counts_json(c, i);
    return sorted(items, n);
}

static const char *state_name(unsigned char s) { return s == 3 ? "approved" : s == 2 ? "submitted" : s == 1 ? "draft" : "missing"; }

json_t *comp_units(const struct comp *c, int64_t node, int limit)
{
    int root = org_index_find(c->x, node);
    json_t *missing = json_array(), *got = json_array();
    for (int i = 0; root >= 0 && i < c->x->n; i++) {
        if (!c->expected[i] && c->state[i] < 2) continue;
        bool under = false;
        for (int k = c->place[i], guard = 0; k >= 0 && guard < 64; k = c->vparent[k], guard++)
            if (k == root) { under = true; break; }
        if (!under) continue;
        const struct ounit *u = &c->x->u[i];
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)u->id, "code", u->code, "name", u->name,
                              "kind", u->kind, "status", state_name(c->state[i]), "expected", c->expected[i], "on_time", c->on_time[i]);
        if (c->place[i] != i) json_object_set_new(o, "now_part_of", json_string(c->x->u[c->place[i]].name));
        json_array_append_new(c->state[i] >= 2 ? got : missing, o);
    }
    json_array_extend(missing, got);
    json_decref(got);
    while (limit > 0 && json_array_size(missing) > (size_t)limit) json_array_remove(missing, json_array_size(missing) - 1);
    return missing;
}
