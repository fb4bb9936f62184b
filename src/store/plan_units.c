/* What a plan's unit names resolve to, for the import review and the save alike, and the candidates of a name that
 * matches several units. Must not write anything, nor guess a province the plan does not name. */
#include "store/plan_units.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The unit's name and, when its parent is a province, the province's name folded; false when there is no such unit. */
static bool unit_and_province(db *d, int64_t id, json_t **row)
{
    db_stmt *s = db_prepare(d, "SELECT u.name, p.name AS parent_name, p.kind AS parent_kind FROM org_unit u "
                               "LEFT JOIN org_unit p ON p.id = u.parent_id WHERE u.id = ?");
    db_bind_int(s, 1, id);
    *row = db_row(s);
    return *row != NULL;
}

/* "Sở Nội vụ" names a department of some province; "Sở Nội vụ tỉnh Nghệ An" or "Sở Nội vụ Nghệ An" says which. */
static bool names_its_province(const char *name, const char *province)
{
    char *a = text_fold(name), *b = text_fold(province);
    bool yes = a && b && *b && strstr(a, b) != NULL;
    if (!yes && a && b) {
        /* "Tỉnh Nghệ An" → "nghe an" */
        const char *p = strncmp(b, "tinh ", 5) == 0 ? b + 5 : strncmp(b, "thanh pho ", 10) == 0 ? b + 10 : b;
        yes = *p && strstr(a, p) != NULL;
    }
    free(a);
    free(b);
    return yes;
}

struct org_resolved store_plan_resolve_unit(db *d, const char *name, const char *on, int64_t within)
{
    struct org_resolved r = org_resolve(d, name, on, within);
    if (r.status != ORG_FOUND || within) return r;
    json_t *row = NULL;
    if (unit_and_province(d, r.id, &row)) {
        const char *pk = json_string_value(json_object_get(row, "parent_kind"));
        const char *pn = json_string_value(json_object_get(row, "parent_name"));
        if (pk && !strcmp(pk, "province") && pn && !names_its_province(name, pn)) {
            r.status = ORG_AMBIGUOUS;
            r.candidates[0] = r.id;
            r.ncandidates = 1;
            r.id = 0;
        }
    }
    json_decref(row);
    return r;
}

static json_t *unit_brief(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, name FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

json_t *store_plan_unit_review(db *d, const char *name, const char *on, int64_t within)
{
    struct org_resolved r = store_plan_resolve_unit(d, name, on, within);
    json_t *o = json_pack("{s:s}", "name", name ? name : "");
    if (r.status == ORG_FOUND) {
        json_t *u = unit_brief(d, r.id);
        json_object_set_new(o, "status", json_string("found"));
        json_object_set_new(o, "id", json_integer(r.id));
        json_object_set(o, "unit", u ? json_object_get(u, "name") : json_null());
        json_decref(u);
        return o;
    }
    json_object_set_new(o, "status", json_string(r.status == ORG_AMBIGUOUS ? "ambiguous" : "unknown"));
    json_t *cands = json_array();
    if (r.status == ORG_AMBIGUOUS && r.ncandidates > 1) {
        /* every unit the name matches, not only the resolver's first eight: "Sở Khoa học và Công nghệ" is 34 */
        struct org_query q = { name, NULL, 0, on, 80, 0 };
        json_t *found = store_orgs_find(d, &q);
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(found, "items"), i, it)
            json_array_append_new(cands, json_pack("{s:O, s:O}", "id", json_object_get(it, "id"), "name", json_object_get(it, "name")));
        json_decref(found);
    }
    if (json_array_size(cands) == 0)
        for (int i = 0; i < r.ncandidates; i++) {
            json_t *u = unit_brief(d, r.candidates[i]);
            if (u) json_array_append_new(cands, u);
        }
    json_object_set_new(o, "candidates", cands);
    if (r.status == ORG_AMBIGUOUS && r.ncandidates == 1)
        json_object_set_new(o, "hint", json_string("Kế hoạch không ghi rõ cơ quan ban hành nên chưa biết đơn vị này thuộc tỉnh nào."));
    return o;
}

json_t *store_plan_unit_search(db *d, const char *q, int limit)
{
    char *f = q ? text_fold(q) : NULL;
    json_t *out = NULL;
    if (!f || !*f) { free(f); return json_array(); }
    /* every word of the query somewhere in one name or alias, in any order: "so khcn kien giang" */
    char sql[1400] = "SELECT u.id, u.name, p.name AS parent_name FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id "
                     "WHERE u.id IN (SELECT a.org_id FROM org_alias a WHERE 1 = 1";
    char *words[8];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(f, " ", &save); w && n < 8; w = strtok_r(NULL, " ", &save)) {
        words[n++] = w;
        strcat(sql, " AND (' ' || a.alias_folded || ' ') LIKE ?");
    }
    strcat(sql, ") ORDER BY u.name_folded LIMIT ?");
    db_stmt *s = db_prepare(d, sql);
    for (int i = 0; i < n; i++) {
        char like[200];
        snprintf(like, sizeof like, "%% %.180s %%", words[i]);
        db_bind_text(s, i + 1, like);
    }
    db_bind_int(s, n + 1, limit);
    out = db_rows(s);
    free(f);
    return out ? out : json_array();
}
