/* The Community Digital Technology Teams a user may read: the list (search without diacritics, by unit, active or
 * not, in pages, with counts), a unit's teams with its subtree's, and one team with its members and what they have
 * learnt (team courses finished or under way). Must not see SQL, nor show a team outside the caller's scope (it
 * answers 404, as if there were none). */
#include "web/team.h"
#include "store/org.h"
#include "store/team_training.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int list_for(struct req *r, int64_t unit, json_t *unit_json)
{
    const char *q = req_str(r, "q"), *org_s = req_str(r, "org"), *active_s = req_str(r, "active");
    struct team_query tq = { .viewer = r->user->id, .within = unit, .active = -1 };
    if (!unit && org_s && *org_s && !(tq.within = store_org_id(r->db, org_s))) {
        json_decref(unit_json);
        return req_fail(r, 400, "Đơn vị không tồn tại.");
    }
    if (active_s && *active_s) {
        if (strcmp(active_s, "1") && strcmp(active_s, "0")) {
            json_decref(unit_json);
            return req_fail(r, 400, "Trạng thái phải là 1 (đang hoạt động) hoặc 0 (ngừng hoạt động).");
        }
        tq.active = active_s[0] - '0';
    }
    tq.limit = (int)req_int(r, "limit", 20);
    tq.offset = (int)req_int(r, "offset", 0);
    if (tq.limit < 1 || tq.limit > 500 || tq.offset < 0 || tq.offset > 10000000) {
        json_decref(unit_json);
        return req_fail(r, 400, "limit phải từ 1 đến 500, offset không âm.");
    }
    char *folded = q && *q ? text_fold(q) : NULL;
    tq.folded = folded;
    struct store_result res = STORE_RESULT_OK;
    json_t *out = NULL, *units = NULL, *writable = NULL;
    if (store_teams_find(r->db, &tq, &out, &res) || store_team_units(r->db, r->user->id, false, &units, &res) ||
        store_team_units(r->db, r->user->id, true, &writable, &res)) {
        free(folded);
        json_decref(out);
        json_decref(units);
        json_decref(unit_json);
        return req_result(r, &res);
    }
    free(folded);
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
        json_object_set_new(u, "selected", json_boolean(tq.within == json_integer_value(json_object_get(u, "id"))));
    json_int_t total = json_integer_value(json_object_get(out, "total"));
    json_object_set_new(out, "title", json_string("Tổ công nghệ số cộng đồng"));
    json_object_set_new(out, "_nav", json_string("teams"));
    json_object_set_new(out, "q", json_string(q ? q : ""));
    json_object_set_new(out, "org", json_string(!unit && org_s ? org_s : ""));
    json_object_set_new(out, "active_filter", json_string(active_s ? active_s : ""));
    json_object_set_new(out, "_active_1", json_boolean(tq.active == 1));
    json_object_set_new(out, "_active_0", json_boolean(tq.active == 0));
    json_object_set_new(out, "limit", json_integer(tq.limit));
    json_object_set_new(out, "offset", json_integer(tq.offset));
    json_object_set_new(out, "_from", json_integer(total ? tq.offset + 1 : 0));
    json_object_set_new(out, "_to", json_integer(tq.offset + (json_int_t)json_array_size(json_object_get(out, "items"))));
    if (tq.offset > 0) json_object_set_new(out, "_prev", json_integer(tq.offset > tq.limit ? tq.offset - tq.limit : 0));
    if (tq.offset + tq.limit < total) json_object_set_new(out, "_next", json_integer(tq.offset + tq.limit));
    /* A unit filter only where there is a choice: not on a unit's own page, not for one unit's officer or a member. */
    json_object_set_new(out, "_many_units", json_boolean(json_array_size(units) > 1 && !unit));
    json_object_set_new(out, "_units", units);
    json_object_set_new(out, "can_create", json_boolean(json_array_size(writable) > 0));
    json_decref(writable);
    if (unit_json) json_object_set_new(out, "unit", unit_json);
    return render(r, out, "team/index");
}

static int list(struct req *r) { return list_for(r, 0, NULL); }

static int unit_list(struct req *r)
{
    json_t *o = store_org_get(r->db, req_str(r, "unit"));
    if (!o) return req_missing(r, "Không tìm thấy đơn vị.");
    json_t *unit = json_pack("{s:O, s:O, s:O}", "id", json_object_get(o, "id"), "code", json_object_get(o, "code"), "name", json_object_get(o, "name"));
    int64_t id = json_integer_value(json_object_get(o, "id"));
    json_object_set_new(unit, "can_create", json_boolean(team_may_edit(r, id) && store_team_unit_ok(r->db, id)));
    json_decref(o);
    return list_for(r, id, unit);
}

static int show(struct req *r)
{
    json_t *t = team_load(r, false);
    if (!t) return r->status;
    /* Only after team_load: the members' learning is as private as the team itself. */
    struct store_result res = STORE_RESULT_OK;
    json_t *training = NULL;
    if (store_team_training(r->db, json_integer_value(json_object_get(t, "id")), &training, &res)) {
        json_decref(t);
        return req_result(r, &res);
    }
    json_object_set_new(t, "training", training);
    bool edit = json_is_true(json_object_get(t, "can_edit"));
    json_t *ctx = json_pack("{s:O, s:s, s:o}", "title", json_object_get(t, "name"), "_nav", "teams", "team", t);
    if (edit) {
        json_object_set_new(ctx, "_roles", team_choices(team_roles, team_role_labels, "member"));
        json_object_set_new(ctx, "_origins", team_choices(team_origins, team_origin_labels, "volunteer"));
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
    }
    return render(r, ctx, "team/show");
}

const struct route page_team_list_routes[] = {
    { "GET", "/to-cong-nghe-so", "/api/teams", list, STAFF, false, 0 },
    { "GET", "/don-vi/{unit}/to-cong-nghe-so", "/api/orgs/{unit}/teams", unit_list, STAFF, false, 0 },
    { "GET", "/to-cong-nghe-so/{id}", "/api/teams/{id}", show, STAFF, false, 0 },
    { 0 },
};
