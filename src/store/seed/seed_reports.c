/* Demo reporting data for `make run`: wards of Vinh under Nghệ An and submissions for the 2026 plan and report
 * forms and the 2024 report (before the province merger), so the dashboard and the drill-down have something to
 * show. Values are made up and deterministic; only the seed-demo command calls this. */
#include "store/seed/seed.h"
#include "store/org.h"
#include "store/form.h"
#include "store/submission.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const wards[] = { "Phường Trường Vinh", "Phường Thành Vinh", "Phường Vinh Hưng", "Phường Vinh Phú",
                                     "Phường Vinh Lộc", "Phường Cửa Lò", NULL };

static int add_wards(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT id, path FROM org_unit WHERE code = 'nghe-an'");
    json_t *parent = db_row(s);
    if (!parent) return 0;
    int rc = 0;
    for (int i = 0; wards[i] && !rc; i++) {
        char code[32];
        snprintf(code, sizeof code, "demo-vinh-%d", i + 1);
        s = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE code = ?");
        db_bind_text(s, 1, code);
        if (db_scalar_int(s, 0)) continue;
        char *folded = text_fold(wards[i]), *compact = text_fold_compact(wards[i]);
        s = db_prepare(d, "INSERT INTO org_unit (code, kind, level, parent_id, name, name_folded, valid_from, path) "
                          "VALUES (?, 'commune', 'commune', ?, ?, ?, '2025-07-01', '') RETURNING id");
        db_bind_text(s, 1, code);
        db_bind_int(s, 2, json_integer_value(json_object_get(parent, "id")));
        db_bind_text(s, 3, wards[i]);
        db_bind_text(s, 4, folded);
        int64_t id = db_scalar_int(s, 0);
        char path[128];
        snprintf(path, sizeof path, "%s%lld/", json_string_value(json_object_get(parent, "path")), (long long)id);
        s = db_prepare(d, "UPDATE org_unit SET path = ? WHERE id = ?");
        db_bind_text(s, 1, path);
        db_bind_int(s, 2, id);
        if (!id || db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
        s = db_prepare(d, "INSERT INTO org_alias (org_id, alias, alias_folded, alias_compact, is_name) VALUES (?, ?, ?, ?, 1)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, wards[i]);
        db_bind_text(s, 3, folded);
        db_bind_text(s, 4, compact);
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
        free(folded);
        free(compact);
    }
    json_decref(parent);
    s = db_prepare(d, "INSERT INTO meta (key, value) VALUES ('orgs_edited', 'demo-wards') "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (db_step(s) == DB_ERROR) rc = -1;
    db_done(s);
    return rc;
}

/* One submission through the same path a person takes: values checked, then saved with history and totals. */
static int submit(db *d, json_t *form, const char *period_key, int64_t org, json_t *values, const char *day)
{
    struct rform rf;
    struct rperiod p;
    struct ymd today;
    date_parse_iso(day, &today);
    if (!form_rform(form, &rf) || !rperiod_find(&rf, period_key, today, &p)) return -1;
    json_t *errors = json_object(), *clean = form_values_check(form, values, true, errors);
    int rc = json_object_size(errors) ? -1 : 0;
    if (rc) {
        char *m = json_dumps(errors, JSON_COMPACT);
        fprintf(stderr, "seed-demo: report values refused: %s\n", m);
        free(m);
    }
    struct sub_refusal why;
    struct sub_put in = { form, &p, org, 0, "submit", clean, NULL, NULL, NULL, 0, day };
    if (!rc && store_submission_put(d, &in, &why) <= 0) rc = -1;
    json_decref(errors);
    json_decref(clean);
    return rc;
}

static json_t *units(db *d, const char *where, const char *on)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT id, code FROM org_unit WHERE %s AND (valid_from IS NULL OR valid_from <= ?) "
                              "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY id", where);
    db_stmt *s = db_prepare(d, sql);
    db_bind_text(s, 1, on);
    db_bind_text(s, 2, on);
    return db_rows(s);
}

static json_t *report_values(int i)
{
    static const char *levels[] = { "Hoàn thành tốt", "Hoàn thành", "Hoàn thành tốt" };
    int act = 8 + (i * 7) % 40, classes = 2 + i % 9;
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s}", "so_hoat_dong", act, "luot_tham_gia", 1500 + (i * 7919) % 60000,
                     "so_lop_tap_huan", classes, "so_hoc_vien", classes * (25 + i % 30), "nguoi_dan_duoc_huong_dan", 800 + (i * 3571) % 25000,
                     "bang_ron_pano", 20 + (i * 13) % 300, "tin_bai", 5 + (i * 11) % 120, "uu_dai", i % 6, "co_le_phat_dong", i % 4 != 3,
                     "muc_do", levels[i % 3]);
}

static int seed_year(db *d, int year, bool plans)
{
    char code[32], due_ok[11], due_late[11], on[11];
    int rc = 0;
    snprintf(on, sizeof on, "%04d-10-25", year);
    json_t *all = units(d, "kind IN ('province', 'association', 'youth_union', 'commune')", on);
    if (plans) {
        json_t *planners = units(d, "kind IN ('province', 'association', 'youth_union')", on);
        snprintf(code, sizeof code, "ke-hoach-%d", year);
        json_t *form = store_form_get(d, code);
        snprintf(due_ok, sizeof due_ok, "%04d-09-10", year);
        snprintf(due_late, sizeof due_late, "%04d-09-22", year);
        size_t i;
        json_t *u;
        json_array_foreach(planners, i, u) {
            if (i % 5 == 4 || !form) continue;
            char num[32];
            snprintf(num, sizeof num, "%zu/KH-UBND", 100 + i);
            json_t *v = json_pack("{s:b, s:s, s:i, s:f, s:s}", "da_ban_hanh", 1, "so_ky_hieu", num, "so_hoat_dong_du_kien", 10 + (int)i % 25,
                                  "kinh_phi", 50.0 + (double)(i % 40) * 12.5, "hinh_thuc", i % 2 ? "Trực tiếp" : "Kết hợp trực tiếp và trực tuyến");
            if (!rc) rc = submit(d, form, NULL, json_integer_value(json_object_get(u, "id")), v, i % 7 == 3 ? due_late : due_ok);
            json_decref(v);
        }
        json_decref(form);
        json_decref(planners);
    }
    snprintf(code, sizeof code, "bao-cao-%d", year);
    json_t *form = store_form_get(d, code);
    snprintf(due_ok, sizeof due_ok, "%04d-10-20", year);
    snprintf(due_late, sizeof due_late, "%04d-10-30", year);
    size_t i;
    json_t *u;
    json_array_foreach(all, i, u) {
        /* Nghệ An's 2026 report is left for the demo officer to send (and the browser test to watch arrive). */
        if (i % 3 == 2 || !form || (year == 2026 && !strcmp(json_string_value(json_object_get(u, "code")), "nghe-an"))) continue;
        json_t *v = report_values((int)i + year);
        if (!rc) rc = submit(d, form, NULL, json_integer_value(json_object_get(u, "id")), v, i % 6 == 1 ? due_late : due_ok);
        json_decref(v);
    }
    json_decref(form);
    json_decref(all);
    return rc;
}

int store_seed_demo_reports(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM submission");
    if (db_scalar_int(s, 0) > 0) return 0;
    db_begin(d);
    int rc = add_wards(d);
    if (!rc) rc = seed_year(d, 2026, true);
    if (!rc) rc = seed_year(d, 2024, false);
    if (rc) { db_rollback(d); return -1; }
    return db_commit(d) || store_orgs_sort_keys(d);
}
