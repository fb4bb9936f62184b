/* Indicator totals under one node of the completeness tree, by child. The nation is served from form_total (a
 * few hundred rows); a province or commune reads only the submissions of its own top unit and its predecessors. */
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

static void add(json_t *bucket, const char *code, double v)
{
    json_t *cur = json_object_get(bucket, code);
    json_object_set_new(bucket, code, json_real((cur ? json_number_value(cur) : 0) + v));
}

static void add_row(json_t *out, const struct org_index *x, int node, int child, const char *code, double v)
{
    add(json_object_get(out, "node"), code, v);
    if (child == node) return;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)x->u[child].id);
    json_t *b = json_object_get(json_object_get(out, "children"), key);
    if (!b) json_object_set_new(json_object_get(out, "children"), key, b = json_object());
    add(b, code, v);
}

json_t *comp_totals(db *d, const struct comp *c, json_t *form, const char *period, int64_t node_id)
{
    const struct org_index *x = comp_index(c);
    json_t *out = json_pack("{s:{}, s:{}}", "node", "children");
    int node = org_index_find(x, node_id);
    if (node < 0) return out;
    int64_t form_id = json_integer_value(json_object_get(form, "id"));
    if (x->u[node].parent < 0) {
        db_stmt *s = db_prepare(d, "SELECT t.top_id, i.code, SUM(t.total) FROM form_total t JOIN indicator i ON i.id = t.indicator_id "
                                   "WHERE t.form_id = ? AND t.period = ? GROUP BY t.top_id, i.code");
        db_bind_int(s, 1, form_id);
        db_bind_text(s, 2, period);
        while (db_step(s) == DB_ROW) {
            int t = org_index_find(x, db_col_int(s, 0));
            if (t < 0) continue;
            int child = child_under(c, node, t, x);
            if (child >= 0) add_row(out, x, node, child, db_col_text(s, 1), db_col_double(s, 2));
        }
        db_done(s);
        return out;
    }
    /* The node's top unit in this view, then every top unit that now sits there (itself and its predecessors). */
    int top = node;
    while (x->u[top].parent >= 0 && x->u[x->u[top].parent].parent >= 0) top = comp_place(c, x->u[top].parent);
    int nat = x->u[top].parent;
    for (int t = 0; t < x->n; t++) {
        if (x->u[t].parent != nat || comp_place(c, t) != top) continue;
        db_stmt *s = db_prepare(d, "SELECT s.org_id, i.code, v.num FROM submission s JOIN submission_value v ON v.submission_id = s.id "
                                   "JOIN indicator i ON i.id = v.indicator_id WHERE s.form_id = ? AND s.period = ? AND s.top_id = ? "
                                   "AND s.status IN ('submitted', 'approved') AND v.num IS NOT NULL");
        db_bind_int(s, 1, form_id);
        db_bind_text(s, 2, period);
        db_bind_int(s, 3, x->u[t].id);
        while (db_step(s) == DB_ROW) {
            int i = org_index_find(x, db_col_int(s, 0));
            int child = i < 0 ? -1 : child_under(c, node, i, x);
            if (child >= 0) add_row(out, x, node, child, db_col_text(s, 1), db_col_double(s, 2));
        }
        db_done(s);
    }
    return out;
}
