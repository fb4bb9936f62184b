/* Demo door-to-door campaign: "Chiến dịch 10 ngày đi từng ngõ, gõ từng nhà" (01/10–10/10/2026) with targets for a few
 * provinces, and guidance entries for every team that exists, with the aggregates kept as the log keeps them. Must not
 * invent teams nor run twice: without teams it adds the campaign only, and an existing campaign of that name stops it. */
#include "store/seed/seed.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CAMPAIGN "Chiến dịch 10 ngày đi từng ngõ, gõ từng nhà"
#define FROM "2026-10-01"
#define DAYS 10

static const char *const SERVICES[] = { "vneid", "dvc", "cashless", "ecommerce", "health", "signature", "safe_internet" };
#define NSERVICES 7

static const struct { const char *code; int people; } TARGETS[] = {
    { "nghe-an", 60000 }, { "ha-noi", 150000 }, { "thanh-hoa", 80000 }, { "ha-tinh", 40000 }, { "ho-chi-minh-2025", 180000 },
};

static int step_ok(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

/* One entry and its share of the aggregates, as the guidance log writes them in one transaction. */
static int add_entry(db *d, int64_t team, int64_t org, int64_t user, const char *day, int k, const char *now)
{
    int people = 3 + (int)((team * 7 + k * 13) % 18);
    int male = people / 2, female = people - male;
    int u18 = people / 6, a18 = people / 4, a60 = people / 5, a36 = people - u18 - a18 - a60;
    /* Two to four services per visit, VNeID in most: what teams report most. */
    const char *svc[4];
    int ns = 0;
    if ((team + k) % 5) svc[ns++] = SERVICES[0];
    for (int j = 1; j < NSERVICES && ns < 2 + (int)((team + k) % 3); j++) if ((team * 3 + k + j) % 3 == 0) svc[ns++] = SERVICES[j];
    if (!ns) svc[ns++] = SERVICES[1];
    char list[200] = "[", cid[64];
    for (int j = 0; j < ns; j++) snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"%s\"", j ? "," : "", svc[j]);
    strcat(list, "]");
    snprintf(cid, sizeof cid, "seed-dtd-%lld-%s-%d", (long long)team, day, k);
    db_stmt *s = db_prepare(d, "INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, place, people, male, female, age_u18, "
                               "age_18_35, age_36_59, age_60p, services, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, cid);
    db_bind_int(s, 2, team);
    db_bind_int(s, 3, org);
    db_bind_int(s, 4, user);
    db_bind_text(s, 5, day);
    char place[32];
    snprintf(place, sizeof place, "Tổ dân phố %d", 1 + (int)((team + k) % 12));
    db_bind_text(s, 6, place);
    int vals[] = { people, male, female, u18, a18, a36, a60 };
    for (int j = 0; j < 7; j++) db_bind_int(s, 7 + j, vals[j]);
    db_bind_text(s, 14, list);
    db_bind_text(s, 15, now);
    int64_t id = db_scalar_int(s, 0);
    if (!id) return -1;
    for (int j = 0; j < ns; j++) {
        s = db_prepare(d, "INSERT INTO guidance_entry_service (entry_id, service) VALUES (?, ?)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, svc[j]);
        if (step_ok(s)) return -1;
        s = db_prepare(d, "INSERT INTO guidance_day_service (org_id, day, service, people) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (org_id, day, service) DO UPDATE SET people = guidance_day_service.people + excluded.people");
        db_bind_int(s, 1, org);
        db_bind_text(s, 2, day);
        db_bind_text(s, 3, svc[j]);
        db_bind_int(s, 4, people);
        if (step_ok(s)) return -1;
    }
    s = db_prepare(d, "INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p) "
                      "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, day) DO UPDATE SET entries = guidance_day.entries + 1, "
                      "people = guidance_day.people + excluded.people, male = guidance_day.male + excluded.male, "
                      "female = guidance_day.female + excluded.female, age_u18 = guidance_day.age_u18 + excluded.age_u18, "
                      "age_18_35 = guidance_day.age_18_35 + excluded.age_18_35, age_36_59 = guidance_day.age_36_59 + excluded.age_36_59, "
                      "age_60p = guidance_day.age_60p + excluded.age_60p");
    db_bind_int(s, 1, org);
    db_bind_text(s, 2, day);
    for (int j = 0; j < 7; j++) db_bind_int(s, 3 + j, vals[j]);
    return step_ok(s);
}

int store_seed_demo_dtd(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM dtd_campaign WHERE name = ?");
    db_bind_text(s, 1, CAMPAIGN);
    if (db_scalar_int(s, 0)) return 0;
    char now[32];
    date_utc_iso(time(NULL), now);
    struct ymd first;
    date_parse_iso(FROM, &first);
    char last[11];
    date_format_iso(date_from_days(date_to_days(first) + DAYS - 1), last);
    if (db_begin(d)) return -1;
    s = db_prepare(d, "INSERT INTO dtd_campaign (name, starts_on, ends_on, services, created_by, created_at) "
                      "VALUES (?, ?, ?, ?, (SELECT MIN(u.id) FROM app_user u JOIN user_role r ON r.user_id = u.id AND r.role = 'coordinator'), ?) RETURNING id");
    db_bind_text(s, 1, CAMPAIGN);
    db_bind_text(s, 2, FROM);
    db_bind_text(s, 3, last);
    db_bind_text(s, 4, "[\"vneid\",\"dvc\",\"cashless\",\"ecommerce\",\"health\",\"signature\",\"safe_internet\"]");
    db_bind_text(s, 5, now);
    int64_t cid = db_scalar_int(s, 0);
    if (!cid) goto fail;
    for (size_t i = 0; i < sizeof TARGETS / sizeof *TARGETS; i++) {
        s = db_prepare(d, "INSERT INTO dtd_target (campaign_id, org_id, people) SELECT ?, id, ? FROM org_unit WHERE code = ? AND kind = 'province'");
        db_bind_int(s, 1, cid);
        db_bind_int(s, 2, TARGETS[i].people);
        db_bind_text(s, 3, TARGETS[i].code);
        if (step_ok(s)) goto fail;
    }
    /* Every team that exists, each day of the window from its founding on; the entry's author is a member with an
     * account, else the demo coordinator. */
    s = db_prepare(d, "SELECT t.id, t.org_id, t.founded_on, COALESCE((SELECT MIN(m.user_id) FROM cdt_member m WHERE m.team_id = t.id), "
                      "(SELECT MIN(r.user_id) FROM user_role r WHERE r.role IN ('coordinator', 'admin'))) AS author FROM cdt_team t WHERE t.active = 1 ORDER BY t.id");
    json_t *teams = db_rows(s);
    if (!teams) goto fail;
    size_t i;
    json_t *t;
    json_array_foreach(teams, i, t) {
        int64_t team = json_integer_value(json_object_get(t, "id")), org = json_integer_value(json_object_get(t, "org_id"));
        const char *founded = json_string_value(json_object_get(t, "founded_on"));
        int64_t user = json_integer_value(json_object_get(t, "author"));
        if (!user) continue;
        for (int dd = 0; dd < DAYS; dd++) {
            char day[11];
            date_format_iso(date_from_days(date_to_days(first) + dd), day);
            if (founded && strcmp(founded, day) > 0) continue;
            /* Not every team goes out every day: one to three visits on most days. */
            int visits = (int)((team + dd) % 4);
            for (int k2 = 0; k2 < visits; k2++) if (add_entry(d, team, org, user, day, dd * 10 + k2, now)) goto fail_teams;
        }
    }
    json_decref(teams);
    return db_commit(d);
fail_teams:
    json_decref(teams);
fail:
    fprintf(stderr, "seed-demo (door-to-door): %s\n", db_errmsg(d));
    db_rollback(d);
    return -1;
}
