/* The self-assessment in the store: the compiled-in questionnaire, anonymous responses (one row each, deduplicated
 * by the form's nonce), the per-group counts behind the yearly measurement, and courses for an area.
 * Must not know about HTTP, and must not store or return anything that could identify a respondent. */
#include "store/skills.h"
#include "core/date.h"
#include "core/files.h"
#include <stdio.h>
#include <string.h>

/* A count of the rows where cond holds. Not SUM(cond): PostgreSQL's comparisons are boolean, which SUM does not take. */
#define ONE_IF(cond) "SUM(CASE WHEN " cond " THEN 1 ELSE 0 END)"

const struct skills_choice skills_ages[] = {
    { "15-24", "15–24 tuổi" }, { "25-34", "25–34 tuổi" }, { "35-44", "35–44 tuổi" },
    { "45-54", "45–54 tuổi" }, { "55-64", "55–64 tuổi" }, { "65+", "Từ 65 tuổi" }, { 0 },
};
const struct skills_choice skills_sexes[] = {
    { "nam", "Nam" }, { "nu", "Nữ" }, { "khac", "Khác" }, { "khong-noi", "Không muốn nói" }, { 0 },
};
const struct skills_choice skills_settings[] = { { "thanh-thi", "Thành thị" }, { "nong-thon", "Nông thôn" }, { 0 } };
/* Who answers, for the courses recommended only (not stored): the MOOC's audiences a respondent may be. */
const struct skills_choice skills_roles[] = { { "citizen", "Người dân" }, { "official", "Cán bộ, công chức, viên chức" },
                                              { "enterprise", "Doanh nghiệp, hộ kinh doanh" }, { "youth", "Học sinh, sinh viên, thanh niên" },
                                              { 0 } };

const char *skills_choice_label(const struct skills_choice *set, const char *code)
{
    for (; code && set->code; set++)
        if (!strcmp(set->code, code)) return set->label;
    return NULL;
}

json_t *skills_questionnaire(void)
{
    const struct embedded_file *f = files_get("data/digcomp.json");
    if (!f) return NULL;
    json_error_t err;
    json_t *q = json_loadb((const char *)f->data, f->size, 0, &err);
    if (!q || json_array_size(json_object_get(q, "areas")) != DIGCOMP_AREAS) {
        fprintf(stderr, "skills: data/digcomp.json: %s\n", q ? "needs 5 areas" : err.text);
        json_decref(q);
        return NULL;
    }
    return q;
}

int skills_question_area(json_t *q, const char *id)
{
    size_t i, j, k;
    json_t *a, *c, *qu;
    json_array_foreach(json_object_get(q, "areas"), i, a)
        json_array_foreach(json_object_get(a, "competences"), j, c)
            json_array_foreach(json_object_get(c, "questions"), k, qu)
                if (id && !strcmp(json_string_value(json_object_get(qu, "id")), id)) return (int)i + 1;
    return 0;
}

int skills_question_counts(json_t *q, int count[DIGCOMP_AREAS])
{
    int total = 0;
    size_t i, j;
    json_t *a, *c;
    memset(count, 0, sizeof(int) * DIGCOMP_AREAS);
    json_array_foreach(json_object_get(q, "areas"), i, a) {
        if (i >= DIGCOMP_AREAS) break;
        json_array_foreach(json_object_get(a, "competences"), j, c) {
            int n = (int)json_array_size(json_object_get(c, "questions"));
            count[i] += n;
            total += n;
        }
    }
    return total;
}

int store_skills_add(db *d, const struct skills_response *r)
{
    db_stmt *s = db_prepare(d, "INSERT INTO skill_response (nonce, year, province_id, age_band, sex, setting, lvl1, lvl2, lvl3, lvl4, lvl5, "
                               "overall, answers, demo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (nonce) DO NOTHING RETURNING id");
    if (!s) return -1;
    db_bind_text(s, 1, r->nonce);
    db_bind_int(s, 2, r->year);
    if (r->province_id) db_bind_int(s, 3, r->province_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, r->age_band);
    db_bind_text(s, 5, r->sex);
    db_bind_text(s, 6, r->setting);
    for (int i = 0; i < DIGCOMP_AREAS; i++) db_bind_int(s, 7 + i, r->score.area[i]);
    db_bind_text(s, 12, digcomp_overall_code(r->score.overall));
    db_bind_text(s, 13, r->answers);
    db_bind_int(s, 14, r->demo);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

json_t *store_skills_get(db *d, const char *nonce)
{
    db_stmt *s = db_prepare(d, "SELECT year, lvl1, lvl2, lvl3, lvl4, lvl5, overall FROM skill_response WHERE nonce = ?");
    db_bind_text(s, 1, nonce);
    json_t *out = NULL;
    if (db_step(s) == DB_ROW) {
        json_t *levels = json_array();
        for (int i = 0; i < DIGCOMP_AREAS; i++) json_array_append_new(levels, json_string(digcomp_level_code((enum digcomp_level)db_col_int(s, 1 + i))));
        out = json_pack("{s:I, s:o, s:s}", "year", (json_int_t)db_col_int(s, 0), "levels", levels, "overall", db_col_text(s, 6));
    }
    db_done(s);
    return out;
}

json_t *store_skills_courses(db *d, int area, const char *audience)
{
    /* The respondent's own audience first, then the courses for everyone (citizens), then the rest; the teams' courses
     * teach members to guide others: not a path for the person who took the self-assessment. */
    db_stmt *s = db_prepare(d, "SELECT slug, title, summary, audience, minutes, CASE WHEN audience = ? THEN 1 ELSE 0 END AS for_you "
                               "FROM course WHERE status = 'open' AND area = ? AND audience <> 'team' "
                               "ORDER BY CASE WHEN audience = ? THEN 0 WHEN audience = 'citizen' THEN 1 ELSE 2 END, title, id");
    const char *a = audience && *audience ? audience : "citizen";
    db_bind_text(s, 1, a);
    db_bind_int(s, 2, area);
    db_bind_text(s, 3, a);
    json_t *rows = db_rows(s);
    size_t i;
    json_t *c;
    json_array_foreach(rows, i, c) json_object_set_new(c, "for_you", json_boolean(json_integer_value(json_object_get(c, "for_you"))));
    return rows;
}

json_t *store_skills_provinces(db *d)
{
    char today[11];
    date_format_iso(date_today(), today);
    db_stmt *s = db_prepare(d, "SELECT id, code, name FROM org_unit WHERE kind = 'province' AND (valid_from IS NULL OR valid_from <= ?) "
                               "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY sort_key, id");
    db_bind_text(s, 1, today);
    db_bind_text(s, 2, today);
    return db_rows(s);
}

/* The grouping expression of each breakdown; "not given" is NULL, and so is sex "khong-noi". */
static const char *group_expr(const char *by)
{
    if (!by) return "NULL";
    if (!strcmp(by, "province")) return "(SELECT code FROM org_unit o WHERE o.id = r.province_id)";
    if (!strcmp(by, "age")) return "age_band";
    if (!strcmp(by, "sex")) return "CASE WHEN sex = 'khong-noi' THEN NULL ELSE sex END";
    if (!strcmp(by, "setting")) return "setting";
    return NULL;
}

json_t *store_skills_counts(db *d, int year, int64_t province_id, const char *by)
{
    const char *expr = group_expr(by);
    if (!expr) return NULL;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT %s AS k, COUNT(*), " ONE_IF("overall IN ('basic', 'above_basic')") ", " ONE_IF("lvl1 > 0") ", " ONE_IF("lvl2 > 0") ", "
             ONE_IF("lvl3 > 0") ", " ONE_IF("lvl4 > 0") ", " ONE_IF("lvl5 > 0") ", " ONE_IF("overall = 'no_skills'") ", "
             ONE_IF("overall = 'below_basic'") ", " ONE_IF("overall = 'basic'") ", " ONE_IF("overall = 'above_basic'") ", "
             "SUM(demo), %s FROM skill_response r WHERE year = ? AND (? = 0 OR province_id = ?)%s",
             expr, by && !strcmp(by, "province") ? "(SELECT name FROM org_unit o WHERE o.id = r.province_id)" : "NULL",
             /* Grouped by the id too, so that the label's subquery reads a grouped column (PostgreSQL insists); a code
              * names one unit, so the groups are those of k alone. Ordered by k as SQLite's grouping returned them. */
             !by ? "" : !strcmp(by, "province") ? " GROUP BY k, r.province_id ORDER BY k NULLS FIRST" : " GROUP BY k ORDER BY k NULLS FIRST");
    db_stmt *s = db_prepare(d, sql);
    if (!s) return NULL;
    db_bind_int(s, 1, year);
    db_bind_int(s, 2, province_id);
    db_bind_int(s, 3, province_id);
    json_t *rows = json_array();
    while (db_step(s) == DB_ROW) {
        if (!db_col_int(s, 1)) continue;   /* the totals of an empty year */
        json_t *areas = json_array(), *levels = json_array();
        for (int i = 0; i < DIGCOMP_AREAS; i++) json_array_append_new(areas, json_integer(db_col_int(s, 3 + i)));
        for (int i = 0; i < 4; i++) json_array_append_new(levels, json_integer(db_col_int(s, 8 + i)));
        json_t *row = json_pack("{s:s?, s:I, s:I, s:o, s:o, s:I}", "key", db_col_text(s, 0), "n", (json_int_t)db_col_int(s, 1),
                                "ok", (json_int_t)db_col_int(s, 2), "areas", areas, "levels", levels, "demo", (json_int_t)db_col_int(s, 12));
        if (!db_col_is_null(s, 13)) json_object_set_new(row, "label", json_string(db_col_text(s, 13)));
        json_array_append_new(rows, row);
    }
    db_done(s);
    return rows;
}

json_t *store_skills_years(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT year FROM skill_response ORDER BY year DESC");
    json_t *years = json_array();
    while (db_step(s) == DB_ROW) json_array_append_new(years, json_integer(db_col_int(s, 0)));
    db_done(s);
    return years;
}
