/* Indicator totals under one node of the completeness tree, by child. The nation is served from form_total (a
 * few hundred rows); a province or commune reads only the submissions of its own top unit and its predecessors.
 * Must not write. */
#include "store/completeness.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The view's child of node on the way up from unit i; node itself when i sits at node; -1 when not under it. */
static int child_under(const struct comp *c, int node, int i, const struct org_index *x)
{
    int prev = -1;
    for (int k = comp_place(c, i), guard = 0; k >= 0 && guard < 64; guard++) {
        if (k == node) return prev < 0 ? node : prev;
        prev = k;
        int par = x->u[k].parent;
        k = par < 0 ? -1 : comp_place(c, par);
    }
    return -1;
}

/* Sums by (slot, indicator) in one flat array: slot 0 is the node itself, slot k the k-th child met. Building JSON
 * per value cost more than the query on a province of 300 communes. */
struct sums {
    const struct org_index *x;
    int node, nind, nslots;
    int *slot_of;        /* unit index → slot, -1 unset */
    int *unit_of;        /* slot → unit index */
    int64_t *ind_id;     /* indicator ids, in the form's order */
    double *v;           /* nslots x nind */
};

static int ind_index(const struct sums *m, int64_t id)
{
    for (int i = 0; i < m->nind; i++) if (m->ind_id[i] == id) return i;
    return -1;
}

static void add(struct sums *m, int child, int64_t indicator, double v)
{
    int k = ind_index(m, indicator);
    if (k < 0) return;
    m->v[k] += v;  /* slot 0: the node's own total */
    if (child == m->node) return;
    if (m->slot_of[child] < 0) {
        m->slot_of[child] = m->nslots;
        m->unit_of[m->nslots++] = child;
    }
    m->v[(size_t)m->slot_of[child] * (size_t)m->nind + (size_t)k] += v;
}

static json_t *to_json(struct sums *m, json_t *form)
{
    json_t *out = json_pack("{s:{}, s:{}}", "node", "children"), *inds = json_object_get(form, "indicators");
    for (int s = 0; s < m->nslots; s++) {
        json_t *o = s ? json_object() : json_object_get(out, "node");
        for (int k = 0; k < m->nind; k++)
            json_object_set_new(o, json_string_value(json_object_get(json_array_get(inds, (size_t)k), "code")), json_real(m->v[(size_t)s * (size_t)m->nind + (size_t)k]));
        if (s) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)m->x->u[m->unit_of[s]].id);
            json_object_set_new(json_object_get(out, "children"), key, o);
        }
    }
    return out;
}

json_t *comp_totals(db *d, const struct comp *c, json_t *form, const char *period, int64_t node_id)
{
    const struct org_index *x = comp_index(c);
    int node = org_index_find(x, node_id);
    if (node < 0) return json_pack("{s:{}, s:{}}", "node", "children");
    struct sums m = { x, node, (int)json_array_size(json_object_get(form, "indicators")), 1, NULL, NULL, NULL, NULL };
    m.slot_of = malloc(sizeof(int) * ((size_t)x->n + 1));
    memset(m.slot_of, 0xff, sizeof(int) * ((size_t)x->n + 1));
    m.unit_of = calloc((size_t)x->n + 2, sizeof(int));
    m.ind_id = calloc((size_t)m.nind + 1, sizeof(int64_t));
    m.v = calloc(((size_t)x->n + 2) * ((size_t)m.nind + 1), sizeof(double));
    for (int k = 0; k < m.nind; k++) m.ind_id[k] = json_integer_value(json_object_get(json_array_get(json_object_get(form, "indicators"), (size_t)k), "id"));
    int64_t form_id = json_integer_value(json_object_get(form, "id"));
    if (x->u[node].parent < 0) {
        db_stmt *s = db_prepare(d, "SELECT top_id, indicator_id, total FROM form_total WHERE form_id = ? AND period = ?");
        db_bind_int(s, 1, form_id);
        db_bind_text(s, 2, period);
        while (db_step(s) == DB_ROW) {
            int t = org_index_find(x, db_col_int(s, 0));
            int child = t < 0 ? -1 : child_under(c, node, t, x);
            if (child >= 0) add(&m, child, db_col_int(s, 1), db_col_double(s, 2));
        }
        db_done(s);
    } else {
        /* The node's top unit in this view, then every top unit that now sits there (itself and its predecessors). */
        int top = node;
        while (x->u[top].parent >= 0 && x->u[x->u[top].parent].parent >= 0) top = comp_place(c, x->u[top].parent);
        int nat = x->u[top].parent;
        for (int t = 0; t < x->n; t++) {
            if (x->u[t].parent != nat || comp_place(c, t) != top) continue;
            db_stmt *s = db_prepare(d, "SELECT s.org_id, v.indicator_id, v.num FROM submission s JOIN submission_value v ON v.submission_id = s.id "
                                       "WHERE s.form_id = ? AND s.period = ? AND s.top_id = ? "
                                       "AND s.status IN ('submitted', 'approved') AND v.num IS NOT NULL");
            db_bind_int(s, 1, form_id);
            db_bind_text(s, 2, period);
            db_bind_int(s, 3, x->u[t].id);
            int last_org = -2, child = -1;
            int64_t last_id = 0;
            while (db_step(s) == DB_ROW) {
                int64_t org = db_col_int(s, 0);
                if (org != last_id || last_org == -2) {
                    last_id = org;
                    last_org = org_index_find(x, org);
                    child = last_org < 0 ? -1 : child_under(c, node, last_org, x);
                }
                if (child >= 0) add(&m, child, db_col_int(s, 1), db_col_double(s, 2));
            }
            db_done(s);
        }
    }
    json_t *out = to_json(&m, form);
    free(m.slot_of);
    free(m.unit_of);
    free(m.ind_id);
    free(m.v);
    return out;
}
