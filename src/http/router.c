/* Route matching over the page tables: "/don-vi/{id}" patterns, one table per page area, pages and their
 * /api/ twins served by one handler. Must not touch the request beyond the params it is given. */
#include "http/app.h"
#include <string.h>

extern const struct route page_team_edit_routes[], page_team_roster_routes[], page_team_list_routes[];
extern const struct route page_dtd_routes[], page_dtd_public_routes[];  /* door-to-door campaigns */
extern const struct route page_training_list_routes[], page_training_show_routes[], page_training_attendance_routes[],
    page_training_import_routes[], page_training_edit_routes[];   /* trainings for officials: the list (and /tap-huan/moi) before /tap-huan/{id} */
extern const struct route page_quiz_contest_routes[];  /* knowledge contests' rounds (issue 17) */
extern const struct route page_expert_requests_routes[], page_expert_activities_routes[], page_expert_import_routes[], page_expert_profile_routes[], page_expert_account_routes[], page_expert_directory_routes[];  /* the expert network: /chuyen-gia/{id} last */
extern const struct route page_team_log_routes[];   /* first: /to-cong-nghe-so/ghi-nhan before any /to-cong-nghe-so/{id} */
extern const struct route page_contest_public_routes[], page_contest_entry_routes[], page_contest_judge_routes[];  /* award contests */
extern const struct route page_contest_edit_routes[], page_contest_files_routes[], page_quiz_contest_admin_routes[];  /* before /cuoc-thi/{slug} */
extern const struct route page_account_self_routes[], page_account_reset_routes[], page_account_privacy_routes[],
    page_account_audit_routes[];   /* account basics (issue 15) */
static const struct route *const tables[] = {
    page_team_log_routes, page_home_routes, page_orgs_routes, page_campaigns_routes, page_login_routes, page_users_routes,
    page_system_routes, page_plan_import_routes, page_plans_routes, page_tasks_routes, page_files_routes, page_notices_routes,
    page_forms_routes, page_report_upload_routes, page_completeness_routes, page_reports_routes, page_dashboard_routes, page_assistant_routes, page_search_routes, page_news_routes, page_calendar_routes, page_listings_routes, page_identity_routes, page_courses_routes, page_certificates_routes, page_course_editor_routes, page_skills_routes, page_signup_routes,
    page_dtd_public_routes, page_dtd_routes,
    page_team_edit_routes, page_team_roster_routes, page_team_list_routes,
    page_contest_edit_routes, page_contest_files_routes, page_quiz_contest_admin_routes,
    page_contest_public_routes, page_contest_entry_routes, page_contest_judge_routes,
    page_training_list_routes, page_training_edit_routes, page_training_show_routes, page_training_attendance_routes, page_training_import_routes,
    page_account_self_routes, page_account_reset_routes, page_account_privacy_routes, page_account_audit_routes,
    page_quiz_contest_routes,
    page_expert_requests_routes, page_expert_activities_routes, page_expert_import_routes, page_expert_profile_routes, page_expert_account_routes, page_expert_directory_routes,
    NULL,
};

const struct route *const *router_tables(void) { return tables; }

/* Matches path against pattern segment by segment; {name} captures one non-empty segment. */
static bool match(const char *pattern, const char *path, json_t *params)
{
    const char *p = pattern, *s = path;
    json_t *captured = json_object();
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *end = strchr(s, '/');
            size_t vlen = end ? (size_t)(end - s) : strlen(s);
            if (!close || vlen == 0) break;
            char name[64];
            size_t nlen = close - p - 1;
            if (nlen >= sizeof name) break;
            memcpy(name, p + 1, nlen);
            name[nlen] = 0;
            json_object_set_new(captured, name, json_stringn(s, vlen));
            p = close + 1;
            s += vlen;
        } else if (*p == *s) {
            p++, s++;
        } else {
            break;
        }
    }
    /* A trailing slash is the same page: "/don-vi/" is "/don-vi". */
    bool ok = !*p && (!*s || (s[0] == '/' && !s[1] && s != path));
    if (ok && params) json_object_update(params, captured);
    json_decref(captured);
    return ok;
}

const struct route *router_match(const char *method, const char *path, json_t *params, const char **pattern,
                                 bool *is_api, bool *method_mismatch)
{
    bool head = strcmp(method, "HEAD") == 0;
    *method_mismatch = false;
    for (int t = 0; tables[t]; t++)
        for (const struct route *r = tables[t]; r->fn; r++)
            for (int k = 0; k < 2; k++) {
                const char *pat = k ? r->api : r->page;
                if (!pat || !match(pat, path, NULL)) continue;
                if (strcmp(r->method, method) && !(head && strcmp(r->method, "GET") == 0)) {
                    *method_mismatch = true;
                    continue;
                }
                match(pat, path, params);
                *pattern = pat;
                *is_api = k == 1;
                return r;
            }
    return NULL;
}
