/* The directory of units: search without diacritics, filters by kind, parent and validity date, one unit with
 * its parent, children, predecessors and successors, and the resolver as an API. Reads the store only.
 * Must not write anything. */
#include "http/app.h"
#include "store/org.h"
#include "core/date.h"
#include "web/labels.h"
#include <stdio.h>
#include <string.h>

static void label_kinds(json_t *items)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *l = org_kind_label(json_string_value(json_object_get(it, "kind")));
        if (l) json_object_set_new(it, "kind_label", json_string(l));
    }
}

/* valid=today|YYYY-MM-DD; false when it is neither. */
static bool read_valid(struct req *r, char *iso)
{
    const char *v = req_str(r, "valid");
    struct ymd d;
    if (!v || !*v) { iso[0] = 0; return true; }
    if (!strcmp(v, "today")) { date_format_iso(date_today(), iso); return true; }
    if (!date_parse_iso(v, &d)) return false;
    date_format_iso(d, iso);
    return true;
}

static int index_(struct req *r)
{
    char valid[11];
    if (!read_valid(r, valid)) return req_fail(r, 400, "Ngày không hợp lệ: dùng YYYY-MM-DD hoặc today.");
    const char *kind = req_str(r, "kind");
    if (kind && *kind && !org_kind_label(kind)) return req_fail(r, 400, "Loại đơn vị không hợp lệ.");
    const char *parent_s = req_str(r, "parent");
    int64_t parent = 0;
    if (parent_s && *parent_s && !(parent = store_org_id(r->db, parent_s)))
        return req_fail(r, 400, "Đơn vị cấp trên không tồn tại.");
    const char *text = req_str(r, "q");
    if (text && strlen(text) > 200) return req_fail(r, 400, "Từ khóa quá dài (tối đa 200 ký tự).");
    int64_t limit = req_int(r, "limit", 50), offset = req_int(r, "offset", 0);
    if (limit < 1 || limit > 500 || offset < 0 || offset > 1000000000) return req_fail(r, 400, "limit phải từ 1 đến 500, offset từ 0 đến 1.000.000.000.");
    bool browsing = !(text && *text) && !(kind && *kind) && !parent && !r->want_json;
    /* A browser with no filter starts at the top of the tree: today's units under "Cả nước". */
    if (browsing) {
        parent = store_org_id(r->db, "vn");
        if (!valid[0]) date_format_iso(date_today(), valid);
    }
    struct org_query q = { text, kind && *kind ? kind : NULL, parent, valid[0] ? valid : NULL, (int)limit, (int)offset };
    json_t *res = store_orgs_find(r->db, &q);
    label_kinds(json_object_get(res, "items"));
    json_t *kl = json_array();
    for (int i = 0; org_kinds[i]; i++)
        json_array_append_new(kl, json_pack("{s:s, s:s, s:b}", "kind", org_kinds[i], "label", org_kind_labels[i],
                                            "selected", kind && !strcmp(kind, org_kinds[i])));
    json_object_set_new(res, "title", json_string("Danh bạ đơn vị"));
    json_object_set_new(res, "_nav", json_string("orgs"));
    json_object_set_new(res, "q", json_string(text ? text : ""));
    json_object_set_new(res, "valid", json_string(valid));
    json_object_set_new(res, "_kinds", kl);
    json_object_set_new(res, "_browsing", json_boolean(browsing));
    json_int_t total = json_integer_value(json_object_get(res, "total"));
    if (offset + limit < total) {
        json_object_set_new(res, "_next_offset", json_integer(offset + limit));
    }
    return render(r, res, "orgs/index");
}

static int show(struct req *r)
{
    json_t *o = store_org_get(r->db, req_str(r, "id"));
    if (!o) return req_fail(r, 404, "Không tìm thấy đơn vị.");
    const char *l = org_kind_label(json_string_value(json_object_get(o, "kind")));
    if (l) json_object_set_new(o, "kind_label", json_string(l));
    label_kinds(json_object_get(o, "children"));
    json_object_del(o, "path");
    json_t *ctx = json_pack("{s:O, s:s, s:o}", "title", json_object_get(o, "name"), "_nav", "orgs", "org", o);
    return render(r, ctx, "orgs/show");
}

static int resolve(struct req *r)
{
    const char *text = req_str(r, "q");
    if (!text || !*text) return req_fail(r, 400, "Thiếu tên đơn vị (q).");
    if (strlen(text) > 300) return req_fail(r, 400, "Tên đơn vị quá dài.");
    char valid[11];
    const char *date = req_str(r, "date");
    struct ymd d;
    if (date && *date) {
        if (!date_parse_iso(date, &d)) return req_fail(r, 400, "Ngày không hợp lệ: dùng YYYY-MM-DD.");
        date_format_iso(d, valid);
    }
    int64_t within = 0;
    const char *w = req_str(r, "within");
    if (w && *w && !(within = store_org_id(r->db, w))) return req_fail(r, 400, "Đơn vị phạm vi không tồn tại.");
    struct org_resolved res = org_resolve(r->db, text, date && *date ? valid : NULL, within);
    static const char *const names[] = { "not_found", "found", "ambiguous" };
    json_t *ctx = json_pack("{s:s, s:s}", "q", text, "status", names[res.status]);
    if (res.status == ORG_FOUND) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)res.id);
        json_t *o = store_org_get(r->db, id);
        json_object_set_new(ctx, "org", json_pack("{s:O, s:O, s:O}", "id", json_object_get(o, "id"), "code",
                                                  json_object_get(o, "code"), "name", json_object_get(o, "name")));
        json_decref(o);
    }
    json_t *cands = json_array();
    for (int i = 0; i < res.ncandidates; i++) json_array_append_new(cands, json_integer(res.candidates[i]));
    json_object_set_new(ctx, "candidates", cands);
    r->want_json = true;
    return render(r, ctx, NULL);
}

const struct route page_orgs_routes[] = {
    { "GET", "/don-vi", "/api/orgs", index_, PUBLIC, true, 0 },
    { "GET", NULL, "/api/orgs/resolve", resolve, PUBLIC, false, 0 },
    { "GET", "/don-vi/{id}", "/api/orgs/{id}", show, PUBLIC, true, 0 },
    { 0 },
};
