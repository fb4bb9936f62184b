/* Door-to-door campaigns ("Chiến dịch"): the list, the centre's form to open and edit one, and the live page of a
 * campaign for the centre and each province, with its tables as XLSX/CSV. Must not let anyone but the centre write
 * a campaign, nor show a unit's figures to someone without a role on it; reads the store only, never SQL. */
#include "web/report.h"
#include "web/dtd.h"
#include "store/dtd.h"
#include "store/org.h"
#include "export/chart.h"
#include "core/date.h"
#include "core/text.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* The centre: a coordinator (or an admin) of the root unit. */
static bool centre(struct req *r) { return r->user && authz(r, "coordinator", store_org_id(r->db, "vn")); }

static bool can_watch(struct req *r, int64_t node)
{
    return authz(r, "viewer", node) || authz(r, "officer", node) || authz(r, "coordinator", node);
}

static int64_t campaign_id(struct req *r)
{
    const char *s = req_str(r, "id");
    char *end;
    long long v = s && *s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 ? (int64_t)v : 0;
}

/* "Đang diễn ra", "Sắp diễn ra" or "Đã kết thúc" for a campaign's window, and whether it is open. */
void dtd_mark_state(json_t *c)
{
    char today[11];
    report_today(today);
    const char *a = str(c, "starts_on"), *b = str(c, "ends_on");
    int st = strcmp(today, a) < 0 ? 0 : strcmp(today, b) > 0 ? 2 : 1;
    static const char *const labels[] = { "Sắp diễn ra", "Đang diễn ra", "Đã kết thúc" }, *const keys[] = { "upcoming", "open", "closed" };
    json_object_set_new(c, "state", json_string(keys[st]));
    json_object_set_new(c, "state_label", json_string(labels[st]));
}

static int list(struct req *r)
{
    json_t *items = store_dtd_campaigns(r->db);
    size_t i;
    json_t *c;
    bool staff = r->user && r->user->staff;
    for (i = json_array_size(items); i-- > 0;) {
        c = json_array_get(items, i);
        if (!staff && !json_is_true(json_object_get(c, "public"))) json_array_remove(items, i);
        else dtd_mark_state(c);
    }
    json_t *ctx = json_pack("{s:s, s:s, s:o}", "title", "Chiến dịch đi từng ngõ, gõ từng nhà", "_nav", "dtd", "items", items);
    if (r->user && r->user->staff) json_object_set_new(ctx, "_staff_view", json_true());
    if (centre(r)) json_object_set_new(ctx, "_can_edit", json_true());
    return render(r, ctx, "dtd/index");
}

/* ---- the centre's form --------------------------------------------------------------------------------------------- */

/* A date as dd/mm/yyyy (the form) or YYYY-MM-DD (the API) → ISO in out; false when it is neither. */
static bool read_date(const char *s, char out[11])
{
    struct ymd d;
    if (!s || !(date_parse_vn(s, &d) || date_parse_iso(s, &d))) return false;
    date_format_iso(d, out);
    return true;
}

/* A target as sent: a JSON integer stays; a string of digits becomes one; anything else stays as sent for the store to
 * refuse with its field's message; an empty string means no target. */
static json_t *target_value(json_t *v)
{
    if (!json_is_string(v)) return json_incref(v);
    const char *s = json_string_value(v);
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return json_null();
    for (size_t i = 0; i < n; i++) if (!isdigit((unsigned char)s[i])) return json_incref(v);
    if (n > 12) return json_incref(v);
    char buf[16];
    memcpy(buf, s, n);
    buf[n] = 0;
    return json_integer(strtoll(buf, NULL, 10));
}

/* The campaign as sent, as JSON {name, starts_on, ends_on, services, targets} or as the form's fields (svc_<code>,
 * target_<province code>); dates that do not parse go into res as field messages. */
static json_t *read_input(struct req *r, struct store_result *res)
{
    json_t *in = json_object();
    const char *name = req_str(r, "name");
    if (name) {
        char *t = text_nfc(name), *p = t;
        while (isspace((unsigned char)*p)) p++;
        size_t n = strlen(p);
        while (n && isspace((unsigned char)p[n - 1])) p[--n] = 0;
        json_object_set_new(in, "name", json_string(p));
        free(t);
    }
    const char *fields[] = { "starts_on", "ends_on" };
    for (int k = 0; k < 2; k++) {
        const char *v = req_str(r, fields[k]);
        char iso[11];
        if (v && *v && !read_date(v, iso)) store_field(res, fields[k], "Ngày không hợp lệ: viết dd/mm/yyyy.");
        else if (v && *v) json_object_set_new(in, fields[k], json_string(iso));
    }
    json_t *svcs = json_object_get(r->body_json, "services"), *targets = json_object_get(r->body_json, "targets");
    if (svcs) json_object_set(in, "services", svcs);
    else {
        svcs = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(r->params, k, v) if (!strncmp(k, "svc_", 4) && k[4]) json_array_append_new(svcs, json_string(k + 4));
        json_object_set_new(in, "services", svcs);
    }
    json_t *t = json_object();
    const char *k;
    json_t *v;
    if (json_is_object(targets)) json_object_foreach(targets, k, v) json_object_set_new(t, k, target_value(v));
    else if (targets) json_object_set(in, "targets", targets);
    if (!targets) json_object_foreach(r->params, k, v) if (!strncmp(k, "target_", 7) && k[7]) json_object_set_new(t, k + 7, target_value(v));
    if (!json_object_get(in, "targets")) json_object_set(in, "targets", t);
    json_decref(t);
    /* A form leaves an unticked box out, so the form's "sent" marker says the box was there to tick. */
    json_t *pub = json_object_get(r->body_json, "public");
    if (pub) json_object_set(in, "public", pub);
    else if (req_str(r, "public_sent")) json_object_set_new(in, "public", json_boolean(req_str(r, "is_public") != NULL));
    return in;
}

/* The form's context: every service (checked when the campaign counts it) and every province with its target. */
static json_t *form_ctx(struct req *r, json_t *c, json_t *errors)
{
    json_t *svcs = store_dtd_services(r->db), *provs = store_dtd_provinces(r->db);
    size_t i, k;
    json_t *s, *v;
    json_array_foreach(svcs, i, s) {
        bool on = !c;   /* a new campaign counts every service unless the centre unticks some */
        json_array_foreach(json_object_get(c, "services"), k, v) if (json_string_value(v) && !strcmp(json_string_value(v), str(s, "code"))) on = true;
        json_object_set_new(s, "checked", json_boolean(on));
        if (!on && !json_integer_value(json_object_get(s, "active"))) json_object_set_new(s, "hidden", json_true());
    }
    json_t *tg = json_object_get(c, "targets");
    json_array_foreach(provs, i, s) {
        json_t *val = NULL;
        if (json_is_object(tg)) val = json_object_get(tg, str(s, "code"));
        else json_array_foreach(tg, k, v) if (!strcmp(str(v, "code"), str(s, "code"))) val = json_object_get(v, "people");
        if (val && !json_is_null(val)) json_object_set_new(s, "target", json_is_string(val) ? json_incref(val) : json_sprintf("%lld", (long long)json_integer_value(val)));
        char f[120];
        snprintf(f, sizeof f, "target_%s", str(s, "code"));
        if (json_object_get(errors, f)) json_object_set(s, "error", json_object_get(errors, f));
    }
    json_t *form = json_object();
    if (c) {
        struct ymd d;
        char vn[11];
        json_object_set(form, "id", json_object_get(c, "id"));
        json_object_set(form, "name", json_object_get(c, "name"));
        json_object_set(form, "public", json_object_get(c, "public"));
        const char *keys[] = { "starts_on", "ends_on" };
        for (int j = 0; j < 2; j++)
            if (str(c, keys[j]) && date_parse_iso(str(c, keys[j]), &d)) { date_format_vn(d, vn); json_object_set_new(form, keys[j], json_string(vn)); }
    }
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "title", c && json_object_get(c, "id") ? "Sửa chiến dịch" : "Mở chiến dịch",
                            "_nav", "dtd", "form", form, "services", svcs, "provinces", provs, "_csrf", csrf_token(r));
    if (errors) json_object_set(ctx, "errors", errors);
    return ctx;
}

static int new_form(struct req *r)
{
    if (!centre(r)) return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được mở chiến dịch.");
    return render(r, form_ctx(r, NULL, NULL), "dtd/form");
}

static int edit_form(struct req *r)
{
    int64_t id = campaign_id(r);
    if (!centre(r)) return req_fail(r, 403, "Chỉ điều phối viên cấp trung ương được sửa chiến dịch.");
    json_t *c = id ? store_dtd_campaign(r->db, id) : NULL;
    if (!c) return req_missing(r, "Không có chiến dịch này.");
    json_t *ctx = form_ctx(r, c, NULL);
    json_decref(c);
    return render(r, ctx, "dtd/form");
}

static int save(struct req *r, int64_t id)
{
    if (!centre(r)) return req_fail(r, 403, id ? "Chỉ điều phối viên cấp trung ương được sửa chiến dịch." : "Chỉ điều phối viên cấp trung ương được mở chiến dịch.");
    struct store_result res = STORE_RESULT_OK;
    json_t *in = read_input(r, &res);
    if (db_begin(r->db)) { json_decref(in); store_result_free(&res); return req_store_failed(r); }
    int64_t out = 0;
    enum store_status st = store_dtd_campaign_save(r->db, id, in, r->user->id, &out, &res);
    if (st == STORE_OK && audit(r, id ? "dtd.campaign.edit" : "dtd.campaign.open", "dtd_campaign", out, json_incref(in))) st = STORE_ERROR;
    if (st != STORE_OK) {
        db_rollback(r->db);
        if (st == STORE_INVALID && !r->want_json) {
            /* The form again with what was typed and a message beside each field. */
            json_t *shown = json_deep_copy(in);
            if (id) json_object_set_new(shown, "id", json_integer(id));
            const char *keys[] = { "starts_on", "ends_on" };
            for (int j = 0; j < 2; j++) if (req_str(r, keys[j])) json_object_set_new(shown, keys[j], json_string(req_str(r, keys[j])));
            json_t *ctx = form_ctx(r, shown, res.fields);
            json_object_set(json_object_get(ctx, "form"), "name", json_object_get(in, "name"));
            for (int j = 0; j < 2; j++) if (req_str(r, keys[j])) json_object_set_new(json_object_get(ctx, "form"), keys[j], json_string(req_str(r, keys[j])));
            json_decref(shown);
            json_decref(in);
            store_result_free(&res);
            r->status = 422;
            return render(r, ctx, "dtd/form");
        }
        json_decref(in);
        if (st == STORE_ERROR && !res.detail[0]) return req_store_failed(r);
        return req_result(r, &res);
    }
    json_decref(in);
    if (db_commit(r->db)) return req_store_failed(r);
    if (r->want_json) {
        json_t *c = store_dtd_campaign(r->db, out);
        r->status = id ? 200 : 201;
        return render(r, c, NULL);
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/chien-dich/%lld", (long long)out);
    return req_redirect(r, loc);
}

static int create(struct req *r) { return save(r, 0); }

static int update(struct req *r)
{
    int64_t id = campaign_id(r);
    if (!id) return req_fail(r, 404, "Không có chiến dịch này.");
    return save(r, id);
}

/* ---- the live page ------------------------------------------------------------------------------------------------- */

/* A campaign's figures are kept until the next write the server sees (an entry logged, a campaign edited): every write
 * moves the cache's generation on. The age limit only bounds what the command line writes behind the server's back. */
#define KEPT_MS 10000
/* How far the live figures may trail the log while entries arrive: one recomputation per LAG_MS however fast they come. */
#define LAG_MS 2000
#define TOP_UNITS 10
#define IDLE_SHOWN 20

static json_t *svg(char *s)
{
    json_t *v = json_string(s ? s : "");
    free(s);
    return v;
}

json_t *dtd_charts(json_t *c, json_t *live, bool link)
{
    json_t *days = json_array(), *svcs = json_array(), *out = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(live, "by_day"), i, row) {
        struct ymd d;
        char label[8] = "";
        if (date_parse_iso(str(row, "day"), &d)) snprintf(label, sizeof label, "%02d/%02d", d.d, d.m);
        json_array_append_new(days, json_pack("{s:s, s:O}", "label", label, "value", json_object_get(row, "people")));
    }
    json_array_foreach(json_object_get(live, "by_service"), i, row)
        json_array_append_new(svcs, json_pack("{s:O, s:O}", "label", json_object_get(row, "name"), "value", json_object_get(row, "people")));
    json_object_set_new(out, "by_day", svg(chart_bars(days, "Số người được hướng dẫn theo ngày", "người", false)));
    json_object_set_new(out, "by_service", svg(chart_bars(svcs, "Số người được hướng dẫn theo nội dung", "người", false)));
    json_decref(days);
    json_decref(svcs);
    /* The map only where the children are the provinces: each tile as a share of the leading province. */
    if (!json_array_size(json_object_get(live, "crumbs"))) {
        json_int_t max = 0;
        json_array_foreach(json_object_get(live, "children"), i, row) if (json_integer_value(json_object_get(row, "people")) > max) max = json_integer_value(json_object_get(row, "people"));
        json_t *rates = json_object();
        json_array_foreach(json_object_get(live, "children"), i, row) {
            json_int_t p = json_integer_value(json_object_get(row, "people"));
            json_t *e = json_pack("{s:O, s:o}", "name", json_object_get(row, "name"), "rate", p && max ? json_real((double)p / (double)max) : json_null());
            if (link) json_object_set_new(e, "href", json_sprintf("/chien-dich/%lld?org=%s", (long long)json_integer_value(json_object_get(c, "id")), str(row, "code")));
            json_object_set_new(rates, str(row, "code"), e);
        }
        json_object_set_new(out, "map", svg(chart_tile_map(rates, "Số người được hướng dẫn theo tỉnh, thành phố, so với tỉnh dẫn đầu")));
        json_decref(rates);
    }
    return out;
}

/* One computation at a time: when the figures are not kept (the first view, or after a write), the readers arriving
 * meanwhile wait for it and take its result, rather than each summing the aggregates again on the same cores. */
static pthread_mutex_t computing = PTHREAD_MUTEX_INITIALIZER;

json_t *dtd_figures(struct req *r, json_t *c, int64_t node, bool staff)
{
    char key[128], today[11];
    report_today(today);
    snprintf(key, sizeof key, "dtd\n%lld\n%lld\n%d\n%s", (long long)json_integer_value(json_object_get(c, "id")), (long long)node, staff, today);
    json_t *live = results_get_live(r, key, KEPT_MS, LAG_MS);
    if (live) return live;
    pthread_mutex_lock(&computing);
    live = results_get_live(r, key, LAG_MS, LAG_MS);
    if (!live) {
        struct dtd_live_opts o = { staff ? TOP_UNITS : 0, staff ? IDLE_SHOWN : 0 };
        live = store_dtd_live(r->db, c, node, staff ? &o : NULL);
        /* The charts are kept with the figures they draw (never in JSON: '_' keys are the page's). */
        if (live) json_object_set_new(live, "_charts", dtd_charts(c, live, staff));
        if (live) results_put(r, key, live);
    }
    pthread_mutex_unlock(&computing);
    return live;
}

static json_t *table_of(json_t *c, json_t *live, const char *which, char *title, size_t tlen)
{
    json_t *cols, *rows = json_array();
    size_t i;
    json_t *row;
    const char *node = str(json_object_get(live, "node"), "name");
    if (!strcmp(which, "dich-vu")) {
        snprintf(title, tlen, "Số người được hướng dẫn theo nội dung – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s, s:i}, {s:s, s:s}]", "title", "Nội dung hướng dẫn", "width", 40, "title", "Số người", "type", "number");
        json_array_foreach(json_object_get(live, "by_service"), i, row)
            json_array_append_new(rows, json_pack("[O, O]", json_object_get(row, "name"), json_object_get(row, "people")));
    } else if (!strcmp(which, "ngay")) {
        snprintf(title, tlen, "Số người được hướng dẫn theo ngày – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s}, {s:s, s:s}, {s:s, s:s}]", "title", "Ngày", "title", "Số người", "type", "number", "title", "Số lượt ghi nhận", "type", "number");
        json_array_foreach(json_object_get(live, "by_day"), i, row) {
            struct ymd d;
            char vn[11] = "";
            if (date_parse_iso(str(row, "day"), &d)) date_format_vn(d, vn);
            json_array_append_new(rows, json_pack("[s, O, O]", vn, json_object_get(row, "people"), json_object_get(row, "entries")));
        }
    } else if (!strcmp(which, "hoat-dong")) {
        snprintf(title, tlen, "Đơn vị hướng dẫn nhiều người nhất – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:s}, {s:s, s:s}]", "title", "Đơn vị", "width", 36, "title", "Tỉnh, thành phố", "width", 24,
                         "title", "Số người", "type", "number", "title", "Số lượt ghi nhận", "type", "number");
        json_array_foreach(json_object_get(live, "top_units"), i, row)
            json_array_append_new(rows, json_pack("[O, O, O, O]", json_object_get(row, "name"), json_object_get(row, "province"),
                                                  json_object_get(row, "people"), json_object_get(row, "entries")));
    } else if (!strcmp(which, "chua-ghi-nhan")) {
        snprintf(title, tlen, "Tổ chưa ghi nhận lượt hướng dẫn nào – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]", "title", "Tổ công nghệ số", "width", 36, "title", "Đơn vị", "width", 30,
                         "title", "Tổ trưởng", "width", 24, "title", "Liên hệ", "width", 20);
        json_array_foreach(json_object_get(json_object_get(live, "idle_teams"), "items"), i, row)
            json_array_append_new(rows, json_pack("[O, O, s, s]", json_object_get(row, "name"), json_object_get(row, "unit"),
                                                  str(row, "leader") ? str(row, "leader") : "", str(row, "contact") ? str(row, "contact") : ""));
    } else if (!strcmp(which, "chi-tieu")) {
        snprintf(title, tlen, "Tiến độ so với chỉ tiêu – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s, s:i}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "title", "Tỉnh, thành phố", "width", 28, "title", "Chỉ tiêu (người)", "type", "number",
                         "title", "Đã hướng dẫn", "type", "number", "title", "Tỷ lệ", "type", "percent");
        json_array_foreach(json_object_get(live, "targets"), i, row)
            json_array_append_new(rows, json_pack("[O, O, O, O]", json_object_get(row, "name"), json_object_get(row, "target"),
                                                  json_object_get(row, "people"), json_object_get(row, "rate")));
    } else {
        snprintf(title, tlen, "Số người được hướng dẫn theo đơn vị – %s – %s", str(c, "name"), node);
        cols = json_pack("[{s:s, s:i}, {s:s}, {s:s, s:s}, {s:s, s:s}]", "title", "Đơn vị", "width", 36, "title", "Mã", "title", "Số người", "type", "number",
                         "title", "Số lượt ghi nhận", "type", "number");
        json_array_foreach(json_object_get(live, "children"), i, row)
            json_array_append_new(rows, json_pack("[O, O, O, O]", json_object_get(row, "name"), json_object_get(row, "code"),
                                                  json_object_get(row, "people"), json_object_get(row, "entries")));
    }
    return json_pack("{s:o, s:o}", "columns", cols, "rows", rows);
}

static const char *const TABLES[] = { "don-vi", "dich-vu", "ngay", "hoat-dong", "chua-ghi-nhan", "chi-tieu", NULL };

static int export_table(struct req *r, json_t *c, int64_t node)
{
    const char *which = req_str(r, "bang");
    if (!which) which = "don-vi";
    bool known = false;
    for (int i = 0; TABLES[i]; i++) known = known || !strcmp(TABLES[i], which);
    if (!known) return req_fail(r, 400, "Bảng phải là don-vi, dich-vu, ngay, hoat-dong, chua-ghi-nhan hoặc chi-tieu.");
    /* Downloads carry every row: the most active units and the idle teams without the page's limits. */
    struct dtd_live_opts o = { 1000, 100000 };
    json_t *live = store_dtd_live(r->db, c, node, &o);
    if (!live) return req_store_failed(r);
    char title[600], stem[64];
    json_t *t = table_of(c, live, which, title, sizeof title);
    snprintf(stem, sizeof stem, "chien-dich-%lld-%s", (long long)json_integer_value(json_object_get(c, "id")), which);
    report_send_table(r, stem, title, json_object_get(t, "columns"), json_object_get(t, "rows"));
    json_decref(t);
    json_decref(live);
    return r->status;
}

static int live_page(struct req *r)
{
    int64_t id = campaign_id(r);
    json_t *c = id ? store_dtd_campaign(r->db, id) : NULL;
    if (!c) return req_missing(r, "Không có chiến dịch này.");
    const char *o = req_str(r, "org");
    int64_t node = o && *o ? store_org_id(r->db, o) : 0;
    if (o && *o && !node) { json_decref(c); return req_missing(r, "Không tìm thấy đơn vị."); }
    bool watch = false;
    if (!node) {
        int64_t vn = store_org_id(r->db, "vn");
        node = (watch = can_watch(r, vn)) ? vn : store_dtd_home_unit(r->db, r->user->id);
    }
    if (!node || !(watch || can_watch(r, node))) {
        json_decref(c);
        return req_fail(r, 403, "Bạn chỉ xem được chiến dịch ở đơn vị mình phụ trách và cấp dưới.");
    }
    if (req_str(r, "format")) {
        int rc = export_table(r, c, node);
        json_decref(c);
        return rc;
    }
    json_t *live = dtd_figures(r, c, node, true);
    if (!live) { json_decref(c); return req_store_failed(r); }
    dtd_mark_state(c);
    if (r->want_json) {
        json_object_set_new(live, "campaign", c);
        return render(r, live, NULL);
    }
    json_t *ctx = json_pack("{s:O, s:s, s:o, s:O, s:O}", "title", json_object_get(c, "name"), "_nav", "dtd", "campaign", c, "live", live,
                            "charts", json_object_get(live, "_charts"));
    json_object_set_new(ctx, "_query", json_sprintf("org=%s", str(json_object_get(live, "node"), "code")));
    if (centre(r)) json_object_set_new(ctx, "_can_edit", json_true());
    json_decref(live);
    return render(r, ctx, "dtd/live");
}

const struct route page_dtd_routes[] = {
    { "GET", "/chien-dich", "/api/door-to-door", list, PUBLIC, true, 0 },
    { "POST", "/chien-dich", "/api/door-to-door", create, STAFF, false, 0 },
    { "GET", "/chien-dich/moi", NULL, new_form, STAFF, false, 0 },
    { "GET", "/chien-dich/{id}/sua", NULL, edit_form, STAFF, false, 0 },
    { "GET", "/chien-dich/{id}", "/api/door-to-door/{id}", live_page, STAFF, false, 0 },
    { "POST", "/chien-dich/{id}", "/api/door-to-door/{id}", update, STAFF, false, 0 },
    { 0 },
};
