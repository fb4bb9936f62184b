/* Plans: the cascade of plans as a tree (505/QĐ-TTg → 1092/QĐ-BTTTT → 565-KH/TWĐTN → a province's plan) and one
 * plan with its tasks and their buckets. Reads the store; writes nothing.
 * Must not show a task unit's proposal before that unit accepts it. */
#include "http/app.h"
#include "store/plan.h"
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

static int show(struct req *r)
{
    char today[11];
    today_iso(today);
    int64_t id = req_int(r, "id", 0);
    json_t *p = id > 0 ? store_plan_get(r->db, id, today) : NULL;
    if (!p) return id > 0 ? req_missing(r, "Không tìm thấy kế hoạch.") : req_fail(r, 404, "Không tìm thấy kế hoạch.");
    task_labels(json_object_get(p, "tasks"));
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:s}", "title", json_object_get(p, "title"), "_nav", "plans", "plan", p,
                            "today", today);
    /* The plan's text as the assistant indexed it, one anchored passage each (#p-SEQ): where its answers link. */
    json_t *text = store_search_item_passages(r->db, "plan", id);
    if (text && json_array_size(text)) json_object_set_new(ctx, "passages", text);
    else json_decref(text);
    return render(r, ctx, "plans/show");
}

const struct route page_plans_routes[] = {
    { "GET", "/ke-hoach", "/api/plans", list, PUBLIC, true, 0 },
    { "GET", "/ke-hoach/{id}", "/api/plans/{id}", show, PUBLIC, true, 0 },
    { 0 },
};
