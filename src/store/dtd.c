/* Door-to-door campaigns: the centre's campaigns and targets, and a campaign's figures for any unit's subtree read
 * from the aggregates kept on write (guidance_day, guidance_day_service). Must not sum guidance_entry for figures: at
 * millions of entries that is what the aggregates are for; only "teams that logged nothing" probes it by index. */
#include "store/dtd.h"
#include "store/org_index.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

json_t *store_dtd_services(db *d)
{
    return db_rows(db_prepare(d, "SELECT code, name, active FROM guidance_service ORDER BY sort, code"));
}

/* The services column holds a JSON array of codes; anything else reads as none. */
static json_t *services_of(const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_array(a)) { json_decref(a); a = json_array(); }
    return a;
}

/* Nation-wide people and entries of a window. */
static void window_totals(db *d, const char *from, const char *to, json_int_t *people, json_int_t *entries)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(SUM(people), 0), COALESCE(SUM(entries), 0) FROM guidance_day WHERE day >= ? AND day <= ?");
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    *people = *entries = 0;
    if (db_step(s) == DB_ROW) { *people = db_col_int(s, 0); *entries = db_col_int(s, 1); }
    db_done(s);
}

static json_t *campaign_row(db *d, db_stmt *s, bool totals)
{
    json_t *c = json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
                          "starts_on", db_col_text(s, 2), "ends_on", db_col_text(s, 3), "services", services_of(db_col_text(s, 4)),
                          "public", db_col_int(s, 5) != 0);
    if (totals) {
        json_int_t p, e;
        window_totals(d, str(c, "starts_on"), str(c, "ends_on"), &p, &e);
        json_object_set_new(c, "people", json_integer(p));
        json_object_set_new(c, "entries", json_integer(e));
    }
    return c;
}

json_t *store_dtd_campaigns(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT id, name, starts_on, ends_on, services, is_public FROM dtd_campaign ORDER BY starts_on DESC, id DESC");
    json_t *rows = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)db_col_int(s, 0),
                                                                        "name", db_col_text(s, 1), "starts_on", db_col_text(s, 2),
                                                                        "ends_on", db_col_text(s, 3), "services", services_of(db_col_text(s, 4)),
                                                                        "public", db_col_int(s, 5) != 0));
    db_done(s);
    /* Totals after the listing statement is done: each is a statement of its own. */
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c) {
        json_int_t p, e;
        window_totals(d, str(c, "starts_on"), str(c, "ends_on"), &p, &e);
        json_object_set_new(c, "people", json_integer(p));
        json_object_set_new(c, "entries", json_integer(e));
    }
    return rows;
}

json_t *store_dtd_campaign(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, name, starts_on, ends_on, services, is_public FROM dtd_campaign WHERE id = ?");
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) { db_done(s); return NULL; }
    json_t *c = campaign_row(d, s, false);
    db_done(s);
    s = db_prepare(d, "SELECT t.org_id, o.code, o.name, t.people FROM dtd_target t JOIN org_unit o ON o.id = t.org_id "
                      "WHERE t.campaign_id = ? ORDER BY o.sort_key, o.id");
    db_bind_int(s, 1, id);
    json_object_set_new(c, "targets", db_rows(s));
    return c;
}

json_t *store_dtd_open(db *d, const char *today)
{
    db_stmt *s = db_prepare(d, "SELECT id, name, starts_on, ends_on, services, is_public FROM dtd_campaign WHERE starts_on <= ? AND ends_on >= ? AND is_public = 1 "
                               "ORDER BY starts_on DESC, id DESC LIMIT 1");
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    json_t *c = NULL;
    if (db_step(s) == DB_ROW) c = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(s, 0), "name", db_col_text(s, 1),
                                            "starts_on", db_col_text(s, 2), "ends_on", db_col_text(s, 3));
    db_done(s);
    if (!c) return NULL;
    json_int_t p, e;
    window_totals(d, str(c, "starts_on"), str(c, "ends_on"), &p, &e);
    json_object_set_new(c, "people", json_integer(p));
    json_object_set_new(c, "entries", json_integer(e));
    return c;
}

/* A province open today (or any unit of kind province when code names one) → its id, else 0. */
static int64_t province_id(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ? AND kind = 'province' AND (valid_to IS NULL OR valid_to >= ?)");
    char today[11];
    date_format_iso(date_today(), today);
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, today);
    return db_scalar_int(s, 0);
}

enum store_status store_dtd_campaign_save(db *d, int64_t id, json_t *in, int64_t user_id, int64_t *out_id, struct store_result *res)
{
    const char *name = str(in, "name"), *from = str(in, "starts_on"), *to = str(in, "ends_on");
    struct ymd a, b;
    bool ha = from && date_parse_iso(from, &a), hb = to && date_parse_iso(to, &b);
    if (!name || !*name) store_field(res, "name", "Hãy nhập tên chiến dịch.");
    else if (strlen(name) > 300) store_field(res, "name", "Tên chiến dịch quá dài (tối đa 300 ký tự).");
    if (!ha && !json_object_get(res->fields, "starts_on")) store_field(res, "starts_on", "Hãy nhập ngày bắt đầu (dd/mm/yyyy).");
    if (!hb && !json_object_get(res->fields, "ends_on")) store_field(res, "ends_on", "Hãy nhập ngày kết thúc (dd/mm/yyyy).");
    if (ha && hb && date_cmp(b, a) < 0) store_field(res, "ends_on", "Ngày kết thúc phải từ ngày bắt đầu trở đi.");
    else if (ha && hb && date_diff(a, b) >= DTD_MAX_DAYS) store_field(res, "ends_on", "Một chiến dịch dài tối đa 366 ngày.");
    json_t *svcs = json_object_get(in, "services");
    if (!json_is_array(svcs) || !json_array_size(svcs)) store_field(res, "services", "Hãy chọn ít nhất một nội dung hướng dẫn.");
    else {
        size_t i;
        json_t *v;
        json_array_foreach(svcs, i, v) {
            db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM guidance_service WHERE code = ?");
            db_bind_text(s, 1, json_string_value(v) ? json_string_value(v) : "");
            if (db_scalar_int(s, 0) <= 0) {
                char m[200];
                snprintf(m, sizeof m, "Không có nội dung hướng dẫn \"%.80s\".", json_string_value(v) ? json_string_value(v) : "?");
                store_field(res, "services", m);
                break;
            }
        }
    }
    json_t *pub = json_object_get(in, "public");
    if (pub && !json_is_boolean(pub)) store_field(res, "public", "\"public\" phải là true hoặc false.");
    json_t *targets = json_object_get(in, "targets"), *resolved = json_object();
    if (targets && !json_is_object(targets)) store_field(res, "targets", "Chỉ tiêu phải là {mã tỉnh: số người}.");
    const char *code;
    json_t *v;
    json_object_foreach(json_is_object(targets) ? targets : NULL, code, v) {
        char field[120];
        snprintf(field, sizeof field, "target_%.100s", code);
        int64_t org = province_id(d, code);
        if (!org) { store_field(res, field, "Không có tỉnh, thành phố này."); continue; }
        if (json_is_null(v)) continue;
        if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > 200000000) {
            store_field(res, field, "Chỉ tiêu phải là số nguyên dương (số người).");
            continue;
        }
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)org);
        json_object_set(resolved, key, v);
    }
    if (res->fields) { json_decref(resolved); return STORE_INVALID; }
    if (id) {
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM dtd_campaign WHERE id = ?");
        db_bind_int(s, 1, id);
        if (db_scalar_int(s, 0) <= 0) { json_decref(resolved); return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có chiến dịch này."); }
    }
    char *services = json_dumps(svcs, JSON_COMPACT), now[32];
    date_utc_iso(time(NULL), now);
    db_stmt *s;
    if (id) {
        /* Not sent: as it was. */
        s = db_prepare(d, "UPDATE dtd_campaign SET name = ?, starts_on = ?, ends_on = ?, services = ?, is_public = COALESCE(?, is_public) WHERE id = ?");
        if (json_is_boolean(pub)) db_bind_int(s, 5, json_is_true(pub)); else db_bind_null(s, 5);
        db_bind_int(s, 6, id);
    } else {
        s = db_prepare(d, "INSERT INTO dtd_campaign (name, starts_on, ends_on, services, is_public, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
        db_bind_int(s, 5, !json_is_false(pub));
        if (user_id) db_bind_int(s, 6, user_id); else db_bind_null(s, 6);
        db_bind_text(s, 7, now);
    }
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, to);
    db_bind_text(s, 4, services);
    free(services);
    int rc = 0;
    if (id) { rc = db_step(s) == DB_ERROR; db_done(s); }
    else { id = db_scalar_int(s, 0); rc = !id; }
    if (!rc) {
        s = db_prepare(d, "DELETE FROM dtd_target WHERE campaign_id = ?");
        db_bind_int(s, 1, id);
        rc = db_step(s) == DB_ERROR;
        db_done(s);
    }
    const char *key;
    json_object_foreach(resolved, key, v) {
        if (rc) break;
        s = db_prepare(d, "INSERT INTO dtd_target (campaign_id, org_id, people) VALUES (?, ?, ?)");
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, strtoll(key, NULL, 10));
        db_bind_int(s, 3, json_integer_value(v));
        rc = db_step(s) == DB_ERROR;
        db_done(s);
    }
    json_decref(resolved);
    if (rc) return store_fail_db(res, d);
    if (out_id) *out_id = id;
    return STORE_OK;
}

/* ---- live figures -------------------------------------------------------------------------------------------------- */

/* Whether unit i lies at or below unit root, by the index's parents (as completeness walks the tree). */
static bool under(const struct org_index *x, int i, int root)
{
    for (int guard = 0; i >= 0 && guard < 64; i = x->u[i].parent, guard++) if (i == root) return true;
    return false;
}

/* The child of root that unit i lies under, or -1. */
static int child_of(const struct org_index *x, int i, int root)
{
    for (int guard = 0; i >= 0 && guard < 64; i = x->u[i].parent, guard++) if (x->u[i].parent == root) return i;
    return -1;
}

/* The province the unit works in (see org_index's area), or -1. */
static int province_of(const struct org_index *x, int i)
{
    return i >= 0 ? x->u[i].area : -1;
}

/* Whether unit i's work counts on node root's page: it lies under root, or it works in a province under root (a
 * Youth Union branch's teams count on their province's page as well as on the Youth Union's). */
static bool counts_in(const struct org_index *x, int i, int root)
{
    return under(x, i, root) || (x->u[i].area >= 0 && under(x, x->u[i].area, root));
}

/* The row of node root's children that unit i's work adds to: its province when that is a child of root (the nation's
 * map counts where the work was done), else the child it lies under, else the first unit of another hierarchy that
 * works in root (the province's page lists its Tỉnh đoàn as one more row). */
static int row_of(const struct org_index *x, int i, int root)
{
    int a = x->u[i].area;
    if (a >= 0 && x->u[a].parent == root) return a;
    int ch = child_of(x, i, root);
    if (ch >= 0) return ch;
    for (int guard = 0; i >= 0 && guard < 64; i = x->u[i].parent, guard++) {
        int p = x->u[i].parent;
        if (p >= 0 && x->u[p].area != root && x->u[i].area == root) return i;
    }
    return -1;
}

/* The subtree of another hierarchy that works in node ni (a province's Tỉnh đoàn), or -1: the SQL scope takes its path
 * too. One is all the data holds today; a second would be left out of the SQL and is not looked for. */
static int attached_root(const struct org_index *x, int ni)
{
    if (strcmp(x->u[ni].kind, "province")) return -1;
    for (int k = 0; k < x->n; k++)
        if (x->u[k].area == ni && !under(x, k, ni) && x->u[k].parent >= 0 && x->u[x->u[k].parent].area != ni) return k;
    return -1;
}

/* The subtree's condition on org_unit o: the path prefix of the node, bound as parameters 3 and 4 (after the window).
 * The nation needs none: every aggregate row is under it. */
#define SCOPE " AND (substr(o.path, 1, ?) = ? OR substr(o.path, 1, ?) = ?)"

/* SCOPE's four parameters from k: the node's path, then the attached subtree's ("path\n" + its path) or the node's again. */
static void bind_scope(db_stmt *s, int k, const char *path)
{
    const char *nl = strchr(path, '\n');
    size_t n1 = nl ? (size_t)(nl - path) : strlen(path);
    const char *p2 = nl ? nl + 1 : path;
    size_t n2 = nl ? strlen(p2) : n1;
    char *a = strndup(path, n1), *b = strndup(p2, n2);
    db_bind_int(s, k, (int64_t)n1);
    db_bind_text(s, k + 1, a);
    db_bind_int(s, k + 2, (int64_t)n2);
    db_bind_text(s, k + 3, b);
    free(a);
    free(b);
}

static db_stmt *scoped(db *d, const char *sql_nation, const char *sql_scoped, bool nation, const char *from, const char *to,
                       const char *path)
{
    db_stmt *s = db_prepare(d, nation ? sql_nation : sql_scoped);
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    if (!nation) bind_scope(s, 3, path);
    return s;
}

struct unit_sum { int idx; json_int_t people, entries; };

static int by_people_desc(const void *a, const void *b)
{
    const struct unit_sum *x = a, *y = b;
    return x->people < y->people ? 1 : x->people > y->people ? -1 : x->idx - y->idx;
}

static int by_people_then_name(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t p = json_integer_value(json_object_get(x, "people")), q = json_integer_value(json_object_get(y, "people"));
    if (p != q) return p < q ? 1 : -1;
    return text_collate(str(x, "name"), str(y, "name"));
}

static json_t *unit_json(const struct org_index *x, int i)
{
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)x->u[i].id, "code", x->u[i].code, "name", x->u[i].name, "kind", x->u[i].kind);
}

static json_t *idle_teams(db *d, bool nation, const char *from, const char *to, const char *path, int limit)
{
    /* NOT EXISTS is the anti-join "cdt_team LEFT JOIN guidance_entry … IS NULL" that stops at a team's first entry in
     * the window (the (team_id, day) index), where the join would visit all of them. */
    const char *base = "FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE t.active = 1 AND t.founded_on <= ? "
                       "AND NOT EXISTS (SELECT 1 FROM guidance_entry e WHERE e.team_id = t.id AND e.day >= ? AND e.day <= ?)";
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) %s%s", base, nation ? "" : SCOPE);
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, to);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, to);
    if (!nation) bind_scope(s, 4, path);
    json_int_t count = db_scalar_int(s, 0);
    snprintf(sql, sizeof sql, "SELECT t.id, t.name, t.leader_name AS leader, t.contact, o.id AS org_id, o.name AS unit %s%s "
                              "ORDER BY o.sort_key, t.name_folded, t.id LIMIT ?", base, nation ? "" : SCOPE);
    s = db_prepare(d, sql);
    db_bind_text(s, 1, to);
    db_bind_text(s, 2, from);
    db_bind_text(s, 3, to);
    int k = 4;
    if (!nation) { bind_scope(s, k, path); k += 4; }
    db_bind_int(s, k, limit);
    json_t *items = db_rows(s);
    return json_pack("{s:I, s:o}", "count", count, "items", items ? items : json_array());
}

json_t *store_dtd_live(db *d, json_t *c, int64_t node, const struct dtd_live_opts *opts)
{
    struct org_index *x = org_index_get(d);
    int ni = x ? org_index_find(x, node) : -1;
    if (ni < 0) { if (x) org_index_release(x); return NULL; }
    const char *from = str(c, "starts_on"), *to = str(c, "ends_on");
    bool nation = x->u[ni].parent < 0;
    int extra = nation ? -1 : attached_root(x, ni);
    char path[1024];
    snprintf(path, sizeof path, "%s%s%s", x->u[ni].path, extra >= 0 ? "\n" : "", extra >= 0 ? x->u[extra].path : "");
    struct ymd a, b;
    if (!date_parse_iso(from, &a) || !date_parse_iso(to, &b)) { org_index_release(x); return NULL; }

    /* By day: every day of the window, zeros included, so the chart's axis is the window. */
    json_t *by_day = json_array(), *day_at = json_object();
    for (long k = date_to_days(a), e = date_to_days(b); k <= e && k - date_to_days(a) < DTD_MAX_DAYS; k++) {
        char iso[11];
        date_format_iso(date_from_days(k), iso);
        json_t *row = json_pack("{s:s, s:i, s:i}", "day", iso, "people", 0, "entries", 0);
        json_array_append_new(by_day, row);
        json_object_set(day_at, iso, row);
    }
    db_stmt *s = scoped(d, "SELECT day, SUM(people), SUM(entries) FROM guidance_day WHERE day >= ? AND day <= ? GROUP BY day",
                        "SELECT g.day, SUM(g.people), SUM(g.entries) FROM guidance_day g JOIN org_unit o ON o.id = g.org_id "
                        "WHERE g.day >= ? AND g.day <= ?" SCOPE " GROUP BY g.day", nation, from, to, path);
    json_int_t people = 0, entries = 0;
    while (db_step(s) == DB_ROW) {
        json_t *row = json_object_get(day_at, db_col_text(s, 0));
        people += db_col_int(s, 1);
        entries += db_col_int(s, 2);
        if (!row) continue;
        json_object_set_new(row, "people", json_integer(db_col_int(s, 1)));
        json_object_set_new(row, "entries", json_integer(db_col_int(s, 2)));
    }
    db_done(s);
    json_decref(day_at);

    /* By service: the campaign's services in the centre's order. One entry may count under several services. */
    json_t *all = store_dtd_services(d), *by_service = json_array(), *svc_at = json_object(), *svc;
    size_t i;
    json_array_foreach(all, i, svc) {
        bool counted = false;
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(c, "services"), k, v) if (json_string_value(v) && !strcmp(json_string_value(v), str(svc, "code"))) counted = true;
        if (!counted) continue;
        json_t *row = json_pack("{s:O, s:O, s:i}", "code", json_object_get(svc, "code"), "name", json_object_get(svc, "name"), "people", 0);
        json_array_append_new(by_service, row);
        json_object_set(svc_at, str(svc, "code"), row);
    }
    json_decref(all);
    s = scoped(d, "SELECT service, SUM(people) FROM guidance_day_service WHERE day >= ? AND day <= ? GROUP BY service",
               "SELECT g.service, SUM(g.people) FROM guidance_day_service g JOIN org_unit o ON o.id = g.org_id "
               "WHERE g.day >= ? AND g.day <= ?" SCOPE " GROUP BY g.service", nation, from, to, path);
    while (db_step(s) == DB_ROW) {
        json_t *row = json_object_get(svc_at, db_col_text(s, 0));
        if (row) json_object_set_new(row, "people", json_integer(db_col_int(s, 1)));
    }
    db_done(s);
    json_decref(svc_at);

    /* By unit: each unit's window in one row, rolled up to the node's children here (the tree in memory). */
    s = scoped(d, "SELECT org_id, SUM(people), SUM(entries) FROM guidance_day WHERE day >= ? AND day <= ? GROUP BY org_id",
               "SELECT g.org_id, SUM(g.people), SUM(g.entries) FROM guidance_day g JOIN org_unit o ON o.id = g.org_id "
               "WHERE g.day >= ? AND g.day <= ?" SCOPE " GROUP BY g.org_id", nation, from, to, path);
    size_t cap = 256, n = 0;
    struct unit_sum *units = malloc(cap * sizeof *units);
    json_int_t *child_people = calloc((size_t)x->n + 1, sizeof *child_people), *child_entries = calloc((size_t)x->n + 1, sizeof *child_entries);
    while (db_step(s) == DB_ROW) {
        int u = org_index_find(x, db_col_int(s, 0));
        if (u < 0 || !counts_in(x, u, ni)) continue;
        if (n == cap) units = realloc(units, (cap *= 2) * sizeof *units);
        units[n++] = (struct unit_sum){ u, db_col_int(s, 1), db_col_int(s, 2) };
        int ch = row_of(x, u, ni);
        if (ch >= 0) { child_people[ch] += db_col_int(s, 1); child_entries[ch] += db_col_int(s, 2); }
    }
    db_done(s);
    long today = date_to_days(date_today());
    json_t *children = json_array();
    size_t nch = 0;
    json_t **items = malloc(sizeof *items * ((size_t)x->n + 1));
    for (int k = 0; k < x->n; k++) {
        if (x->u[k].parent != ni && k != extra) continue;
        bool open_province = nation && !strcmp(x->u[k].kind, "province") && ounit_open_on(&x->u[k], today);
        if (!child_people[k] && !open_province) continue;
        json_t *o = unit_json(x, k);
        json_object_set_new(o, "people", json_integer(child_people[k]));
        json_object_set_new(o, "entries", json_integer(child_entries[k]));
        items[nch++] = o;
    }
    qsort(items, nch, sizeof *items, by_people_then_name);
    for (i = 0; i < nch; i++) json_array_append_new(children, items[i]);
    free(items);

    /* Targets of provinces at or below the node (or the node's own province above it), with what they reached. */
    json_t *targets = json_array(), *t;
    json_array_foreach(json_object_get(c, "targets"), i, t) {
        int ti = org_index_find(x, json_integer_value(json_object_get(t, "org_id")));
        if (ti < 0 || !(under(x, ti, ni) || under(x, ni, ti))) continue;
        json_int_t reached = 0;
        if (ti == ni) reached = people;
        else if (under(x, ti, ni)) {
            for (size_t k = 0; k < n; k++) if (counts_in(x, units[k].idx, ti)) reached += units[k].people;
        } else continue;   /* a target above the node (a province's commune): shown on the province's page */
        json_int_t goal = json_integer_value(json_object_get(t, "people"));
        json_array_append_new(targets, json_pack("{s:I, s:s, s:s, s:I, s:I, s:f}", "org_id", (json_int_t)x->u[ti].id, "code", x->u[ti].code,
                                                 "name", x->u[ti].name, "target", goal, "people", reached,
                                                 "rate", goal > 0 ? (double)reached / (double)goal : 0.0));
    }

    json_t *crumbs = json_array();
    for (int k = x->u[ni].parent, guard = 0; k >= 0 && guard < 16; k = x->u[k].parent, guard++)
        json_array_insert_new(crumbs, 0, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)x->u[k].id, "code", x->u[k].code, "name", x->u[k].name));

    json_t *out = json_pack("{s:o, s:o, s:{s:I, s:I}, s:o, s:o, s:o, s:o}", "node", unit_json(x, ni), "crumbs", crumbs,
                            "total", "people", people, "entries", entries, "by_service", by_service, "by_day", by_day,
                            "children", children, "targets", targets);
    if (opts && opts->top_units > 0) {
        qsort(units, n, sizeof *units, by_people_desc);
        json_t *top = json_array();
        for (size_t k = 0; k < n && (int)k < opts->top_units; k++) {
            json_t *o = unit_json(x, units[k].idx);
            int p = province_of(x, units[k].idx);
            json_object_set_new(o, "province", json_string(p >= 0 ? x->u[p].name : ""));
            json_object_set_new(o, "people", json_integer(units[k].people));
            json_object_set_new(o, "entries", json_integer(units[k].entries));
            json_array_append_new(top, o);
        }
        json_object_set_new(out, "top_units", top);
    }
    if (opts && opts->idle_teams > 0) json_object_set_new(out, "idle_teams", idle_teams(d, nation, from, to, path, opts->idle_teams));
    free(units);
    free(child_people);
    free(child_entries);
    org_index_release(x);
    return out;
}

int64_t store_dtd_home_unit(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT o.id FROM user_role r JOIN org_unit o ON o.id = r.org_id WHERE r.user_id = ? "
                               "AND r.role IN ('viewer', 'officer', 'coordinator', 'admin') ORDER BY length(o.path), o.id LIMIT 1");
    db_bind_int(s, 1, user_id);
    return db_scalar_int(s, 0);
}

/* ---- honours ------------------------------------------------------------------------------------------------------- */

json_t *store_dtd_honours(db *d, int64_t campaign_id)
{
    db_stmt *s = db_prepare(d, "SELECT h.id, CASE WHEN h.member_id IS NULL THEN 'team' ELSE 'member' END AS kind, t.name AS team, m.name AS member, "
                               "m.team_role, o.name AS unit, o.id AS org_id, h.citation, h.created_at "
                               "FROM cdt_honour h LEFT JOIN cdt_member m ON m.id = h.member_id "
                               "JOIN cdt_team t ON t.id = COALESCE(h.team_id, m.team_id) JOIN org_unit o ON o.id = t.org_id "
                               "WHERE h.campaign_id = ? ORDER BY h.id");
    db_bind_int(s, 1, campaign_id);
    json_t *rows = db_rows(s);
    if (!rows) return json_array();
    struct org_index *x = org_index_get(d);
    size_t i;
    json_t *h;
    json_array_foreach(rows, i, h) {
        int u = x ? org_index_find(x, json_integer_value(json_object_get(h, "org_id"))) : -1;
        int p = u >= 0 ? province_of(x, u) : -1;
        json_object_set_new(h, "province", json_string(p >= 0 ? x->u[p].name : ""));
        json_object_del(h, "org_id");
    }
    if (x) org_index_release(x);
    return rows;
}

json_t *store_dtd_honour_candidates(db *d, json_t *c, const char *q_folded, int limit)
{
    db_stmt *s;
    if (q_folded && *q_folded) {
        char *like = malloc(strlen(q_folded) + 3);
        sprintf(like, "%%%s%%", q_folded);
        s = db_prepare(d, "SELECT t.id, t.name, o.id AS org_id, o.name AS unit, (SELECT COALESCE(SUM(e.people), 0) FROM guidance_entry e "
                          "WHERE e.team_id = t.id AND e.day >= ? AND e.day <= ?) AS people FROM cdt_team t JOIN org_unit o ON o.id = t.org_id "
                          "WHERE t.name_folded LIKE ? ORDER BY people DESC, t.name, t.id LIMIT ?");
        db_bind_text(s, 3, like);
        free(like);
    } else {
        s = db_prepare(d, "SELECT t.id, t.name, o.id AS org_id, o.name AS unit, SUM(e.people) AS people FROM guidance_entry e "
                          "JOIN cdt_team t ON t.id = e.team_id JOIN org_unit o ON o.id = t.org_id WHERE e.day >= ? AND e.day <= ? "
                          "GROUP BY t.id, t.name, o.id, o.name ORDER BY people DESC, t.name, t.id LIMIT ?");
    }
    db_bind_text(s, 1, str(c, "starts_on"));
    db_bind_text(s, 2, str(c, "ends_on"));
    db_bind_int(s, q_folded && *q_folded ? 4 : 3, limit);
    json_t *rows = db_rows(s);
    if (!rows) return json_array();
    struct org_index *x = org_index_get(d);
    size_t i;
    json_t *t;
    json_array_foreach(rows, i, t) {
        int u = x ? org_index_find(x, json_integer_value(json_object_get(t, "org_id"))) : -1;
        int p = u >= 0 ? province_of(x, u) : -1;
        json_object_set_new(t, "province", json_string(p >= 0 ? x->u[p].name : ""));
        json_object_del(t, "org_id");
        s = db_prepare(d, "SELECT id, name, team_role FROM cdt_member WHERE team_id = ? AND active = 1 ORDER BY CASE team_role "
                          "WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, name, id");
        db_bind_int(s, 1, json_integer_value(json_object_get(t, "id")));
        json_t *m = db_rows(s);
        json_object_set_new(t, "members", m ? m : json_array());
    }
    if (x) org_index_release(x);
    return rows;
}

enum store_status store_dtd_honour_add(db *d, int64_t campaign_id, int64_t team_id, int64_t member_id, const char *citation,
                                       int64_t user_id, int64_t *out_id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM dtd_campaign WHERE id = ?");
    db_bind_int(s, 1, campaign_id);
    if (db_scalar_int(s, 0) <= 0) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có chiến dịch này.");
    if (!team_id == !member_id) store_field(res, "team_id", "Hãy chọn một tổ hoặc một thành viên.");
    if (team_id) {
        s = db_prepare(d, "SELECT COUNT(*) FROM cdt_team WHERE id = ?");
        db_bind_int(s, 1, team_id);
        if (db_scalar_int(s, 0) <= 0) store_field(res, "team_id", "Không có tổ công nghệ số này.");
    }
    if (member_id) {
        s = db_prepare(d, "SELECT COUNT(*) FROM cdt_member WHERE id = ?");
        db_bind_int(s, 1, member_id);
        if (db_scalar_int(s, 0) <= 0) store_field(res, "member_id", "Không có thành viên này.");
    }
    if (!citation || !*citation) store_field(res, "citation", "Hãy nhập lý do vinh danh.");
    else if (strlen(citation) > 1000) store_field(res, "citation", "Lý do vinh danh quá dài (tối đa 1.000 ký tự).");
    if (res->fields) return STORE_INVALID;
    char now[32];
    date_utc_iso(time(NULL), now);
    s = db_prepare(d, "INSERT INTO cdt_honour (campaign_id, team_id, member_id, citation, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, campaign_id);
    if (team_id) db_bind_int(s, 2, team_id); else db_bind_null(s, 2);
    if (member_id) db_bind_int(s, 3, member_id); else db_bind_null(s, 3);
    db_bind_text(s, 4, citation);
    if (user_id) db_bind_int(s, 5, user_id); else db_bind_null(s, 5);
    db_bind_text(s, 6, now);
    int64_t id = db_scalar_int(s, 0);
    if (!id) return store_fail_db(res, d);
    if (out_id) *out_id = id;
    return STORE_OK;
}

json_t *store_dtd_provinces(db *d)
{
    char today[11];
    date_format_iso(date_today(), today);
    db_stmt *s = db_prepare(d, "SELECT id, code, name FROM org_unit WHERE kind = 'province' AND (valid_from IS NULL OR valid_from <= ?) "
                               "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY sort_key, id");
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    json_t *rows = db_rows(s);
    return rows ? rows : json_array();
}
