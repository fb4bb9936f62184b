/* A door-to-door campaign for everyone: its figures by service, day and province (no team, no unit below a province,
 * no person), and its honours; the centre marks the honoured teams and members here. Must not show anything but
 * counts on the public figures, nor let anyone but the centre mark an honour. */
#include "web/report.h"
#include "web/dtd.h"
#include "store/dtd.h"
#include "store/org.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t campaign_id(struct req *r)
{
    const char *s = req_str(r, "id");
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 ? (int64_t)v : 0;
}

static bool centre(struct req *r) { return r->user && authz(r, "coordinator", store_org_id(r->db, "vn")); }

/* The campaign, or NULL when there is none or it is not public and the caller is not staff (who may look first). */
static json_t *shown_campaign(struct req *r, int64_t id)
{
    json_t *c = id ? store_dtd_campaign(r->db, id) : NULL;
    if (c && !json_is_true(json_object_get(c, "public")) && !(r->user && r->user->staff)) { json_decref(c); return NULL; }
    return c;
}

static int public_page(struct req *r)
{
    int64_t id = campaign_id(r);
    json_t *c = shown_campaign(r, id);
    if (!c) return req_missing(r, "Không có chiến dịch này.");
    json_object_del(c, "targets");
    json_t *live = dtd_figures(r, c, store_org_id(r->db, "vn"), false);
    if (!live) { json_decref(c); return req_store_failed(r); }
    /* Counts only: no crumbs, no targets (a province's own business), the units directly under the nation. */
    json_object_del(live, "targets");
    json_object_del(live, "crumbs");
    json_object_set_new(live, "crumbs", json_array());
    dtd_mark_state(c);
    if (r->want_json) {
        json_object_del(live, "crumbs");
        json_object_set_new(live, "campaign", c);
        return render(r, live, NULL);
    }
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:O, s:O}", "title", json_object_get(c, "name"), "_nav", "dtd", "campaign", c, "live", live,
                            "charts", json_object_get(live, "_charts"));
    json_decref(live);
    return render(r, ctx, "dtd/public");
}

static int honours(struct req *r)
{
    int64_t id = campaign_id(r);
    json_t *c = shown_campaign(r, id);
    if (!c) return req_missing(r, "Không có chiến dịch này.");
    json_object_del(c, "targets");
    dtd_mark_state(c);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o}", "title", "Vinh danh tổ, thành viên tiêu biểu", "_nav", "dtd", "campaign", c,
                            "items", store_dtd_honours(r->db, id));
    if (centre(r)) {
        const char *q = req_str(r, "q");
        char *fq = q && *q ? text_fold(q) : NULL;
        json_object_set_new(ctx, "_can_edit", json_true());
        json_object_set_new(ctx, "_csrf", json_string(csrf_token(r)));
        json_object_set_new(ctx, "candidates", store_dtd_honour_candidates(r->db, c, fq, 20));
        json_object_set_new(ctx, "q", json_string(q ? q : ""));
        free(fq);
    }
    return render(r, ctx, "dtd/honours");
}

static int honour_add(struct req *r)
{
    int64_t id = campaign_id(r);
    if (!id) return req_fail(r, 404, "Không có chiến dịch này.");
    if (!centre(r)) return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được vinh danh tổ, thành viên.");
    int64_t team = req_int(r, "team_id", 0), member = req_int(r, "member_id", 0);
    /* The form's one choice: "t<id>" a team, "m<id>" one of its members. */
    const char *pick = req_str(r, "pick");
    if (pick && (pick[0] == 't' || pick[0] == 'm') && pick[1]) {
        char *end;
        long long v = strtoll(pick + 1, &end, 10);
        if (!*end && v > 0) { if (pick[0] == 't') team = v; else member = v; }
    }
    const char *cit = req_str(r, "citation");
    char *nfc = cit ? text_nfc(cit) : NULL;
    struct store_result res = STORE_RESULT_OK;
    if (db_begin(r->db)) { free(nfc); return req_store_failed(r); }
    int64_t out = 0;
    enum store_status st = store_dtd_honour_add(r->db, id, team > 0 ? team : 0, member > 0 ? member : 0, nfc, r->user->id, &out, &res);
    if (st == STORE_OK && audit(r, "dtd.honour", "cdt_honour", out, json_pack("{s:I, s:I, s:I, s:s?}", "campaign_id", (json_int_t)id,
                                                                              "team_id", (json_int_t)team, "member_id", (json_int_t)member, "citation", nfc)))
        st = STORE_ERROR;
    free(nfc);
    if (st != STORE_OK) {
        db_rollback(r->db);
        if (st == STORE_ERROR && !res.detail[0]) return req_store_failed(r);
        return req_result(r, &res);
    }
    if (db_commit(r->db)) return req_store_failed(r);
    char loc[64];
    snprintf(loc, sizeof loc, "/chien-dich/%lld/vinh-danh", (long long)id);
    if (r->want_json) {
        r->status = 201;
        return render(r, json_pack("{s:I}", "id", (json_int_t)out), NULL);
    }
    return req_redirect(r, loc);
}

const struct route page_dtd_public_routes[] = {
    { "GET", "/chien-dich/{id}/cong-khai", "/api/door-to-door/{id}/public", public_page, PUBLIC, CACHE_PAGE, 0 },
    { "GET", "/chien-dich/{id}/vinh-danh", "/api/door-to-door/{id}/honours", honours, PUBLIC, true, 0 },
    { "POST", "/chien-dich/{id}/vinh-danh", "/api/door-to-door/{id}/honours", honour_add, STAFF, false, 0 },
    { 0 },
};
