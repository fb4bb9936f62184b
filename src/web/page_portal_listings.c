/* Offers for citizens ("Ưu đãi") and activities for the Day ("Hoạt động"): the public catalogue a citizen filters by
 * sector, province and "valid today"; a unit's officers send items in; moderators approve or reject them, each only
 * the items of units (and provinces) within their own subtree. Must not see SQL: store/listing.h holds the items. */
#include "http/app.h"
#include "store/listing.h"
#include "store/org.h"
#include "store/result.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kind_def { const char *kind, *path, *title, *one; };
static const struct kind_def kinds[] = {
    { "offer", "uu-dai", "Ưu đãi cho người dân", "ưu đãi" },
    { "activity", "hoat-dong", "Hoạt động hưởng ứng", "hoạt động" },
};

static const struct kind_def *kind_of(struct req *r)
{
    const char *p = r->path ? r->path : "";
    if (!strncmp(p, "/api/", 5)) p += 4;
    return strstr(p, "/hoat-dong") == p || strstr(p, "/activities") == p ? &kinds[1] : &kinds[0];
}

/* An item belongs to the unit that sent it and, when it names one, to its province: its editor must cover both. */
static bool may_moderate(struct req *r, json_t *it)
{
    int64_t org = json_integer_value(json_object_get(it, "org_id")), prov = json_integer_value(json_object_get(it, "province_id"));
    return r->user && authz_editor(r, org) && (!prov || authz_editor(r, prov));
}

static int list(struct req *r)
{
    const struct kind_def *k = kind_of(r);
    const char *sector = req_str(r, "linh-vuc"), *prov = req_str(r, "tinh"), *today = req_str(r, "con-hieu-luc");
    if (sector && *sector && !offer_sector_label(sector)) return req_fail(r, 400, "Lĩnh vực không hợp lệ.");
    int64_t province = prov && *prov ? store_org_id(r->db, prov) : 0;
    if (prov && *prov && !province) return req_fail(r, 400, "Không tìm thấy tỉnh, thành phố.");
    char iso[11];
    date_format_iso(date_today(), iso);
    struct listing_query q = { k->kind, NULL, sector && *sector ? sector : NULL, province, today && *today ? iso : NULL, 100, 0, 0 };
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_listings(r->db, &q, &res), *provs = items ? store_listing_provinces(r->db, &res) : NULL;
    if (!provs) {
        json_decref(items);
        return req_result(r, &res);
    }
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:o}", "title", k->title, "_nav", k->path, "path", k->path, "items", items);
    json_t *secs = json_array();
    for (int i = 0; offer_sectors[i]; i++)
        json_array_append_new(secs, json_pack("{s:s, s:s, s:b}", "code", offer_sectors[i], "label", offer_sector_labels[i], "selected",
                                              sector && !strcmp(sector, offer_sectors[i])));
    json_object_set_new(ctx, "sectors", secs);
    size_t i;
    json_t *p;
    json_array_foreach(provs, i, p) json_object_set_new(p, "selected", json_boolean(prov && !strcmp(prov, json_string_value(json_object_get(p, "code")))));
    json_object_set_new(ctx, "provinces", provs);
    if (!strcmp(k->kind, "offer")) json_object_set_new(ctx, "is_offer", json_true());
    if (today && *today) json_object_set_new(ctx, "valid_today", json_true());
    if (r->user) json_object_set_new(ctx, "_can_send", json_true());
    return render(r, ctx, "listings/index");
}

static int show(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *it = store_listing_get(r->db, req_int(r, "id", 0), &res);
    if (!it && res.status != STORE_NOT_FOUND) return req_result(r, &res);
    const struct kind_def *k = kind_of(r);
    if (!it || strcmp(json_string_value(json_object_get(it, "kind")), k->kind) ||
        (strcmp(json_string_value(json_object_get(it, "status")), "approved") && !may_moderate(r, it))) {
        json_decref(it);
        return req_fail(r, 404, "Không tìm thấy mục này.");
    }
    json_t *ctx = json_pack("{s:O, s:s, s:s, s:o}", "title", json_object_get(it, "title"), "_nav", k->path, "path", k->path, "item", it);
    json_object_set_new(ctx, "og_description", json_sprintf("%s – %s", k->title, json_string_value(json_object_get(it, "org_name"))));
    return render(r, ctx, "listings/show");
}

static int form(struct req *r)
{
    const struct kind_def *k = kind_of(r);
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", strcmp(k->kind, "offer") ? "Gửi hoạt động hưởng ứng" : "Gửi ưu đãi cho người dân",
                            "_nav", k->path, "path", k->path, "one", k->one, "_csrf", csrf_token(r));
    json_t *secs = json_array();
    for (int i = 0; offer_sectors[i]; i++) json_array_append_new(secs, json_pack("{s:s, s:s}", "code", offer_sectors[i], "label", offer_sector_labels[i]));
    json_object_set_new(ctx, "sectors", secs);
    if (!strcmp(k->kind, "offer")) json_object_set_new(ctx, "is_offer", json_true());
    return render(r, ctx, "listings/form");
}

static const char *field(struct req *r, const char *k)
{
    const char *v = req_str(r, k);
    return v ? v : json_string_value(json_object_get(r->body_json, k));
}

static bool iso_or_vn(const char *in, char out[11])
{
    struct ymd d;
    if (!in || !*in) { out[0] = 0; return true; }
    if (!date_parse_iso(in, &d) && !date_parse_vn(in, &d)) return false;
    date_format_iso(d, out);
    return true;
}

static int submit(struct req *r)
{
    const struct kind_def *k = kind_of(r);
    const char *org_s = field(r, "org"), *title = field(r, "title"), *body = field(r, "body"), *sector = field(r, "sector");
    const char *prov_s = field(r, "province"), *url = field(r, "url");
    int64_t org = org_s ? store_org_id(r->db, org_s) : 0;
    json_t *err = json_object();
    if (!org) json_object_set_new(err, "org", json_string("Chọn đơn vị gửi (mã đơn vị)."));
    else if (!authz(r, "officer", org) && !authz(r, "coordinator", org))
        { json_decref(err); return req_fail(r, 403, "Bạn chỉ gửi được thay cho đơn vị mình phụ trách."); }
    if (!title || !*title || strlen(title) > 300) json_object_set_new(err, "title", json_string("Cần tên (tối đa 300 ký tự)."));
    if (!body || !*body || strlen(body) > 8000) json_object_set_new(err, "body", json_string("Cần nội dung (tối đa 8.000 ký tự)."));
    if (!strcmp(k->kind, "offer") && (!sector || !offer_sector_label(sector))) json_object_set_new(err, "sector", json_string("Chọn lĩnh vực."));
    int64_t province = prov_s && *prov_s ? store_org_id(r->db, prov_s) : 0;
    if (prov_s && *prov_s && !province) json_object_set_new(err, "province", json_string("Không tìm thấy tỉnh, thành phố."));
    char from[11], to[11];
    if (!iso_or_vn(field(r, "starts_on"), from)) json_object_set_new(err, "starts_on", json_string("Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."));
    if (!iso_or_vn(field(r, "ends_on"), to)) json_object_set_new(err, "ends_on", json_string("Ngày kết thúc không hợp lệ (dd/mm/yyyy)."));
    if (from[0] && to[0] && strcmp(from, to) > 0) json_object_set_new(err, "ends_on", json_string("Ngày kết thúc trước ngày bắt đầu."));
    if (url && *url && (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))) json_object_set_new(err, "url", json_string("Đường dẫn phải bắt đầu bằng http:// hoặc https://."));
    if (json_object_size(err)) return req_fail_ctx(r, 422, "Chưa gửi được; xem các ô cần sửa.", err);
    json_decref(err);
    char *t = text_nfc(title), *b = text_nfc(body);
    struct listing_in in = { k->kind, t, b, strcmp(k->kind, "offer") ? NULL : sector, from[0] ? from : NULL, to[0] ? to : NULL,
                             url && *url ? url : NULL, org, province, r->user->id };
    if (db_begin(r->db)) {
        free(t);
        free(b);
        db_rollback(r->db);
        return req_store_failed(r);
    }
    struct store_result res = STORE_RESULT_OK;
    int64_t id = 0;
    enum store_status st = store_listing_add(r->db, &in, &id, &res);
    if (st == STORE_OK && audit(r, "listing.submit", "listing", id, json_pack("{s:s}", "kind", k->kind))) st = STORE_ERROR;
    free(t);
    free(b);
    if (st != STORE_OK) {
        db_rollback(r->db);
        /* The store's busy stays a 503; anything else (the record, the audit entry) is a 500. */
        if (st != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được; không có gì được ghi.");
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    r->status = 201;
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:I, s:b, s:s}", "title", "Đã gửi, chờ kiểm duyệt", "_nav", k->path, "path", k->path, "id", (json_int_t)id,
                            "sent", 1, "status", "pending");
    return render(r, ctx, "listings/form");
}

static int queue(struct req *r)
{
    if (!authz_any(r, "moderator") && !authz_any(r, "coordinator")) return req_fail(r, 403, "Chỉ kiểm duyệt viên xem được mục này.");
    /* Each editor's queue holds what that editor may decide, and nothing of another unit. */
    struct listing_query qo = { "offer", "pending", NULL, 0, NULL, 200, 0, r->user->id },
                         qa = { "activity", "pending", NULL, 0, NULL, 200, 0, r->user->id };
    struct store_result res = STORE_RESULT_OK;
    json_t *offers = store_listings(r->db, &qo, &res), *acts = offers ? store_listings(r->db, &qa, &res) : NULL;
    if (!acts) {
        json_decref(offers);
        return req_result(r, &res);
    }
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:s}", "title", "Kiểm duyệt ưu đãi và hoạt động", "_nav", "moderation",
                            "offers", offers, "activities", acts, "_csrf", csrf_token(r));
    return render(r, ctx, "listings/queue");
}

static int moderate(struct req *r)
{
    int64_t id = req_int(r, "id", 0);
    const char *d = field(r, "decision"), *note = field(r, "note");
    struct store_result res = STORE_RESULT_OK;
    json_t *it = store_listing_get(r->db, id, &res);
    if (!it && res.status != STORE_NOT_FOUND) return req_result(r, &res);
    bool may = it && may_moderate(r, it);
    json_decref(it);
    if (!may) {
        if (!authz_any(r, "moderator") && !authz_any(r, "coordinator")) return req_fail(r, 403, "Chỉ kiểm duyệt viên được duyệt.");
        if (!it) return req_fail(r, 404, "Không tìm thấy mục này.");
        return req_fail(r, 403, "Mục này thuộc đơn vị ngoài phạm vi bạn kiểm duyệt.");
    }
    if (!d || (strcmp(d, "approve") && strcmp(d, "reject"))) return req_fail(r, 400, "Quyết định phải là approve hoặc reject.");
    if (db_begin(r->db)) {
        db_rollback(r->db);
        return req_store_failed(r);
    }
    char *n = note && *note ? text_nfc(note) : NULL;
    enum store_status st = store_listing_moderate(r->db, id, !strcmp(d, "approve"), n, r->user->id, &res);
    if (st == STORE_OK && audit(r, !strcmp(d, "approve") ? "listing.approve" : "listing.reject", "listing", id, NULL)) st = STORE_ERROR;
    free(n);
    if (st != STORE_OK) {
        db_rollback(r->db);
        /* The store's busy stays a 503; anything else (the record, the index, the audit entry) is a 500. */
        if (st != STORE_BUSY) store_fail(&res, STORE_ERROR, "Không lưu được; không có gì được ghi.");
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    if (r->want_json) {
        json_t *it2 = store_listing_get(r->db, id, &res);
        return it2 ? render(r, json_pack("{s:o}", "item", it2), NULL) : req_result(r, &res);
    }
    return req_redirect(r, "/quan-tri/kiem-duyet");
}

const struct route page_listings_routes[] = {
    { "GET", "/uu-dai", "/api/offers", list, PUBLIC, true, 0 },
    { "GET", "/hoat-dong", "/api/activities", list, PUBLIC, true, 0 },
    { "GET", "/uu-dai/gui", NULL, form, STAFF, false, 0 },
    { "GET", "/hoat-dong/gui", NULL, form, STAFF, false, 0 },
    { "POST", "/uu-dai", "/api/offers", submit, STAFF, false, 64 * 1024 },
    { "POST", "/hoat-dong", "/api/activities", submit, STAFF, false, 64 * 1024 },
    { "GET", "/uu-dai/{id}", "/api/offers/{id}", show, PUBLIC, true, 0 },
    { "GET", "/hoat-dong/{id}", "/api/activities/{id}", show, PUBLIC, true, 0 },
    { "GET", "/quan-tri/kiem-duyet", "/api/moderation", queue, STAFF, false, 0 },
    { "POST", "/quan-tri/kiem-duyet/{id}", "/api/moderation/{id}", moderate, STAFF, false, 0 },
    { 0 },
};
