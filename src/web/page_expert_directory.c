/* The public directory of the expert network: approved experts only, searched without diacritics, filtered by field and
 * province, and one expert's page with their activities. Must not show anything of a profile the expert did not make
 * public (every item goes through expert_public), nor any expert who is not approved. */
#include "web/expert.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int list(struct req *r)
{
    const char *q = req_str(r, "q"), *field = req_str(r, "field"), *prov = req_str(r, "province");
    struct store_result res = STORE_RESULT_OK;
    json_t *fields = NULL, *provinces = NULL;
    if (store_expert_fields(r->db, &fields, &res) || store_expert_provinces(r->db, &provinces, &res)) {
        json_decref(fields);
        return req_result(r, &res);
    }
    struct expert_query eq = { .status = "approved", .field = field && *field ? field : NULL };
    if (eq.field && !store_expert_field_ok(r->db, eq.field)) {
        json_decref(fields), json_decref(provinces);
        return req_fail(r, 400, "Lĩnh vực không có trong danh mục.");
    }
    if (prov && *prov) {
        size_t i;
        json_t *p;
        json_array_foreach(provinces, i, p) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(p, "id")));
            if (!strcmp(prov, json_string_value(json_object_get(p, "code"))) || !strcmp(prov, id))
                eq.province_id = json_integer_value(json_object_get(p, "id"));
        }
        if (!eq.province_id) {
            json_decref(fields), json_decref(provinces);
            return req_fail(r, 400, "Không tìm thấy tỉnh, thành phố.");
        }
    }
    eq.limit = (int)req_int(r, "limit", 24);
    eq.offset = (int)req_int(r, "offset", 0);
    if (eq.limit < 1 || eq.limit > 200 || eq.offset < 0 || eq.offset > 1000000) {
        json_decref(fields), json_decref(provinces);
        return req_fail(r, 400, "limit phải từ 1 đến 200, offset không âm.");
    }
    char *folded = q && *q ? text_fold(q) : NULL;
    eq.folded = folded;
    json_t *found = NULL;
    enum store_status st = store_experts_find(r->db, &eq, &found, &res);
    free(folded);
    if (st) {
        json_decref(fields), json_decref(provinces);
        return req_result(r, &res);
    }
    json_t *items = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(found, "items"), i, e) json_array_append_new(items, expert_public(e));
    json_int_t total = json_integer_value(json_object_get(found, "total"));
    json_decref(found);
    json_t *fsel = json_string(eq.field ? eq.field : "");
    expert_select(fields, "code", fsel);
    json_decref(fsel);
    json_t *psel = json_integer(eq.province_id);
    expert_select(provinces, "id", psel);
    json_decref(psel);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:I, s:s, s:s, s:s, s:i, s:i, s:o, s:o}", "title", "Mạng lưới chuyên gia chuyển đổi số",
                            "_nav", "experts", "items", items, "total", total, "q", q ? q : "", "field", eq.field ? eq.field : "",
                            "province", prov ? prov : "", "limit", eq.limit, "offset", eq.offset, "_fields", fields, "_provinces", provinces);
    if (r->user && r->user->staff) json_object_set_new(ctx, "_staff", json_true());
    if (eq.offset + eq.limit < total) json_object_set_new(ctx, "_next", json_integer(eq.offset + eq.limit));
    if (eq.offset > 0) json_object_set_new(ctx, "_prev", json_integer(eq.offset > eq.limit ? eq.offset - eq.limit : 0));
    return render(r, ctx, "expert_list");
}

static int show(struct req *r)
{
    const char *ids = req_str(r, "id");
    char *end = NULL;
    long long id = ids ? strtoll(ids, &end, 10) : 0;
    if (id <= 0 || !end || *end) return req_fail(r, 404, "Không tìm thấy chuyên gia.");
    struct store_result res = STORE_RESULT_OK;
    json_t *full = NULL, *acts = NULL;
    if (store_expert_get(r->db, id, &full, &res) == STORE_NOT_FOUND) {
        store_result_free(&res);
        return req_fail(r, 404, "Không tìm thấy chuyên gia.");
    }
    if (res.status) return req_result(r, &res);
    /* Only approved experts are in the directory; a paused or removed one reads as none at all. */
    if (strcmp(json_string_value(json_object_get(full, "status")), "approved")) {
        json_decref(full);
        return req_fail(r, 404, "Không tìm thấy chuyên gia.");
    }
    if (store_expert_activities(r->db, id, &acts, &res)) {
        json_decref(full);
        return req_result(r, &res);
    }
    size_t i;
    json_t *a;
    json_array_foreach(acts, i, a)
        json_object_set_new(a, "kind_label", json_string(expert_label(expert_activity_kinds, expert_activity_kind_labels,
                                                                      json_string_value(json_object_get(a, "kind")))));
    json_t *pub = expert_public(full);
    json_decref(full);
    json_object_set_new(pub, "activities", acts);
    return render(r, json_pack("{s:O, s:s, s:o}", "title", json_object_get(pub, "name"), "_nav", "experts", "expert", pub), "expert_show");
}

const struct route page_expert_directory_routes[] = {
    { "GET", "/chuyen-gia", "/api/experts", list, PUBLIC, CACHE_PAGE, 0 },
    { "GET", "/chuyen-gia/{id}", "/api/experts/{id}", show, PUBLIC, CACHE_PAGE, 0 },
    { 0 },
};
