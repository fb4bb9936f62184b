/* Reading plans: the list, one plan with its cascade (ancestors, children) and tasks with buckets.
 * Must not write. */
#include "store/plan.h"
#include <stdio.h>
#include <string.h>

/* Plans without a date of issue sort as SQLite sorts NULL (first ascending, last descending); spelled out because
 * PostgreSQL's default is the opposite. */
json_t *store_plans_list(db *d)
{
    return db_rows(db_prepare(d,
        "SELECT p.id, p.number, p.issued, p.issuer, p.title, p.campaign_year, p.parent_id, pp.number AS parent_number, "
        "(SELECT COUNT(*) FROM task t WHERE t.plan_id = p.id AND t.instance_of IS NULL) AS tasks "
        "FROM plan p LEFT JOIN plan pp ON pp.id = p.parent_id ORDER BY p.issued DESC NULLS LAST, p.id DESC"));
}

json_t *store_plan_choices(db *d, int limit)
{
    db_stmt *s = db_prepare(d, "SELECT id, number, title FROM plan ORDER BY issued DESC NULLS LAST, id DESC LIMIT ?");
    db_bind_int(s, 1, limit);
    return db_rows(s);
}

json_t *store_plan_unit_choices(db *d)
{
    return db_rows(db_prepare(d, "SELECT name FROM org_unit WHERE valid_to IS NULL OR valid_to >= '2022-01-01' ORDER BY sort_key, id"));
}

int64_t store_plans_count(db *d) { return db_scalar_int(db_prepare(d, "SELECT COUNT(*) FROM plan"), 0); }

json_t *store_plan_brief(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, number, title FROM plan WHERE id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

static json_t *plan_row(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, number, issued, issuer, issuer_id, title, theme, campaign_year, parent_id, "
                               "source_kind, source_name, created_at FROM plan WHERE id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

json_t *store_plan_get(db *d, int64_t id, const char *today)
{
    json_t *p = plan_row(d, id);
    if (!p) return NULL;
    /* The cascade above this plan, root first: 505/QĐ-TTg → 1092/QĐ-BTTTT → … */
    json_t *anc = json_array();
    int64_t up = json_integer_value(json_object_get(p, "parent_id"));
    for (int depth = 0; up && depth < 32; depth++) {
        json_t *a = plan_row(d, up);
        if (!a) break;
        up = json_integer_value(json_object_get(a, "parent_id"));
        json_array_insert_new(anc, 0, json_pack("{s:O, s:O, s:O}", "id", json_object_get(a, "id"), "number",
                                                json_object_get(a, "number"), "title", json_object_get(a, "title")));
        json_decref(a);
    }
    json_object_set_new(p, "ancestors", anc);
    db_stmt *s = db_prepare(d, "SELECT id, number, issued, issuer, title FROM plan WHERE parent_id = ? ORDER BY issued NULLS FIRST, id");
    db_bind_int(s, 1, id);
    json_object_set_new(p, "children", db_rows(s));
    s = db_prepare(d, "SELECT c.number, c.cited_plan_id FROM plan_cite c WHERE c.plan_id = ? ORDER BY c.number");
    db_bind_int(s, 1, id);
    json_object_set_new(p, "cites", db_rows(s));
    s = db_prepare(d, "SELECT what, to_text, to_id, due FROM report_deadline WHERE plan_id = ? ORDER BY due");
    db_bind_int(s, 1, id);
    json_object_set_new(p, "report_deadlines", db_rows(s));
    struct task_query q = { .plan_id = id, .today = today, .limit = 5000 };
    json_t *tasks = store_tasks_find(d, &q);
    json_object_set(p, "tasks", json_object_get(tasks, "items"));
    json_object_set(p, "buckets", json_object_get(tasks, "buckets"));
    json_decref(tasks);
    return p;
}
