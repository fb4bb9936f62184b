/* The guidance log's SQL: teams a caller may log for, entries recorded once per client_id with their aggregates, and
 * the author's own list. Must not decide roles (the caller does) nor keep any citizen's name or number. */
#include "store/guidance.h"
#include "core/date.h"
#include "core/text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

bool guidance_client_id_ok(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s);
    if (n < 8 || n > 64) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

json_t *store_guidance_team(db *d, int64_t team_id)
{
    db_stmt *s = db_prepare(d, "SELECT t.id, t.org_id, o.name AS org_name, t.name, t.active, t.founded_on "
                               "FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE t.id = ?");
    db_bind_int(s, 1, team_id);
    return db_row(s);
}

int store_guidance_membership(db *d, int64_t user_id, int64_t team_id)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(active), -1) FROM cdt_member WHERE team_id = ? AND user_id = ?");
    db_bind_int(s, 1, team_id);
    db_bind_int(s, 2, user_id);
    int64_t v = db_scalar_int(s, -1);
    return v > 0 ? 1 : v == 0 ? 0 : -1;
}

/* The places a team wrote most recently first: the form offers them so the same village is spelt the same way. */
static json_t *places_of(db *d, int64_t team_id)
{
    db_stmt *s = db_prepare(d, "SELECT place FROM guidance_entry WHERE team_id = ? AND place IS NOT NULL "
                               "GROUP BY place ORDER BY MAX(id) DESC LIMIT 30");
    db_bind_int(s, 1, team_id);
    json_t *rows = db_rows(s), *out = json_array(), *row;
    size_t i;
    json_array_foreach(rows, i, row) json_array_append(out, json_object_get(row, "place"));
    json_decref(rows);
    return out;
}

json_t *store_guidance_teams_for(db *d, int64_t user_id, int limit)
{
    /* A member logs for their own team only while they hold team_member on its unit (or above); officers,
     * coordinators and admins log on behalf of any team of their subtree. */
    db_stmt *s = db_prepare(d,
        "SELECT t.id, t.name, o.name AS org_name, t.founded_on, "
        "  CASE WHEN EXISTS (SELECT 1 FROM cdt_member m WHERE m.team_id = t.id AND m.user_id = ?1 AND m.active = 1) "
        "  THEN 1 ELSE 0 END AS member "
        "FROM cdt_team t JOIN org_unit o ON o.id = t.org_id "
        "WHERE t.active = 1 AND ("
        "  (EXISTS (SELECT 1 FROM cdt_member m WHERE m.team_id = t.id AND m.user_id = ?1 AND m.active = 1) "
        "   AND EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id WHERE ur.user_id = ?1 "
        "               AND ur.role IN ('team_member', 'admin') AND o.path LIKE sc.path || '%')) "
        "  OR EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id WHERE ur.user_id = ?1 "
        "             AND ur.role IN ('officer', 'coordinator', 'admin') AND o.path LIKE sc.path || '%')) "
        "ORDER BY member DESC, t.name, t.id LIMIT ?2");
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, limit);
    json_t *teams = db_rows(s), *t;
    if (db_failed(d)) { json_decref(teams); return NULL; }
    size_t i;
    json_array_foreach(teams, i, t) {
        /* An officer may see hundreds of teams: the datalist of places is for the first ones only. */
        json_object_set_new(t, "places", i < 50 ? places_of(d, num(t, "id")) : json_array());
    }
    return teams;
}

json_t *store_guidance_services(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT code, name FROM guidance_service WHERE active = 1 ORDER BY sort, code");
    return db_rows(s);
}

#define ENTRY_COLS "e.id, e.client_id, e.team_id, t.name AS team_name, e.user_id, e.day, e.place, e.people, e.male, " \
                   "e.female, e.age_u18, e.age_18_35, e.age_36_59, e.age_60p, e.services, e.created_at"

/* services is stored as JSON text: the answer carries it as an array. */
static void services_as_array(json_t *e)
{
    json_t *a = json_loads(str(e, "services") ? str(e, "services") : "[]", 0, NULL);
    json_object_set_new(e, "services", a && json_is_array(a) ? a : json_array());
    if (a && !json_is_array(a)) json_decref(a);
}

json_t *store_guidance_by_client(db *d, const char *client_id)
{
    db_stmt *s = db_prepare(d, "SELECT " ENTRY_COLS " FROM guidance_entry e JOIN cdt_team t ON t.id = e.team_id "
                               "WHERE e.client_id = ?");
    db_bind_text(s, 1, client_id);
    json_t *e = db_row(s);
    if (e) services_as_array(e);
    return e;
}

json_t *store_guidance_mine(db *d, int64_t user_id, int page, int per_page)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM guidance_entry WHERE user_id = ?");
    db_bind_int(s, 1, user_id);
    int64_t total = db_scalar_int(s, 0);
    if (db_failed(d)) return NULL;
    int64_t pages = total ? (total + per_page - 1) / per_page : 1;
    if (page < 1) page = 1;
    s = db_prepare(d, "SELECT " ENTRY_COLS " FROM guidance_entry e JOIN cdt_team t ON t.id = e.team_id "
                      "WHERE e.user_id = ? ORDER BY e.id DESC LIMIT ? OFFSET ?");
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, per_page);
    db_bind_int(s, 3, (int64_t)(page - 1) * per_page);
    json_t *items = db_rows(s), *e;
    if (db_failed(d)) { json_decref(items); return NULL; }
    size_t i;
    json_array_foreach(items, i, e) services_as_array(e);
    return json_pack("{s:o, s:i, s:I, s:I}", "items", items, "page", page, "pages", (json_int_t)pages, "total", (json_int_t)total);
}

/* ---- validation ---------------------------------------------------------------------------------------------------- */

/* A count as sent: a JSON integer, a whole real (12.0) or a string of digits. 0 absent (missing, null, ""), 1 read,
 * -1 not a whole number. */
static int count_of(json_t *v, int64_t *out)
{
    if (!v || json_is_null(v)) return 0;
    if (json_is_integer(v)) { *out = json_integer_value(v); return 1; }
    if (json_is_real(v)) {
        double x = json_real_value(v);
        if (!isfinite(x) || x != floor(x) || fabs(x) > 1e9) return -1;
        *out = (int64_t)x;
        return 1;
    }
    if (!json_is_string(v)) return -1;
    const char *s = json_string_value(v);
    while (*s == ' ') s++;
    if (!*s) return 0;
    int64_t n = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 9) return -1;
        n = n * 10 + (*s - '0');
    }
    while (*s == ' ') s++;
    if (*s || !digits) return -1;
    *out = n;
    return 1;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

struct entry_values {
    char day[11];
    char *place;          /* NFC, trimmed; NULL when none */
    int64_t people;
    int64_t split[6];     /* male, female, age_u18, age_18_35, age_36_59, age_60p; -1 when not given */
    json_t *services;     /* codes, deduplicated, in the services' order */
};

static const char *const split_names[6] = { "male", "female", "age_u18", "age_18_35", "age_36_59", "age_60p" };

/* Fills v from body, or adds a Vietnamese message per wrong field to res. team gives founded_on; active the services
 * that may be chosen. */
static void validate(json_t *body, json_t *team, json_t *active, struct entry_values *v, struct store_result *res)
{
    /* The day: ISO from the API, or dd/mm/yyyy as people write it; never after today in Vietnam, never before the team. */
    const char *day = str(body, "day");
    struct ymd ymd, founded;
    if (!day || !*day) store_field(res, "day", "Chọn ngày hướng dẫn.");
    else if (!date_parse_iso(day, &ymd) && !(strlen(day) <= 40 && date_parse_vn(day, &ymd)))
        store_field(res, "day", "Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy.");
    else if (date_cmp(ymd, date_today()) > 0)
        store_field(res, "day", "Ngày hướng dẫn không thể ở sau hôm nay.");
    else if (date_parse_iso(str(team, "founded_on") ? str(team, "founded_on") : "", &founded) && date_cmp(ymd, founded) < 0) {
        char f[11], m[160];
        date_format_vn(founded, f);
        snprintf(m, sizeof m, "Ngày hướng dẫn trước ngày tổ được thành lập (%s).", f);
        store_field(res, "day", m);
    } else date_format_iso(ymd, v->day);

    json_t *pv = json_object_get(body, "people");
    int rc = count_of(pv, &v->people);
    if (rc == 0) store_field(res, "people", "Nhập số người được hướng dẫn (từ 1 đến 500).");
    else if (rc < 0 || v->people < 1 || v->people > GUIDANCE_MAX_PEOPLE)
        store_field(res, "people", "Số người được hướng dẫn phải là số nguyên từ 1 đến 500.");
    bool people_ok = rc > 0 && v->people >= 1 && v->people <= GUIDANCE_MAX_PEOPLE;

    bool splits_ok = true;
    for (int i = 0; i < 6; i++) {
        v->split[i] = -1;
        int64_t x;
        int r = count_of(json_object_get(body, split_names[i]), &x);
        if (r < 0 || (r > 0 && (x < 0 || x > GUIDANCE_MAX_PEOPLE))) {
            store_field(res, split_names[i], "Phải là số nguyên từ 0 đến 500.");
            splits_ok = false;
        } else if (r > 0) v->split[i] = x;
    }
    /* Each split describes the same people: by sex, and by age band, neither may count more than the total. */
    if (people_ok && splits_ok) {
        int64_t sex = (v->split[0] > 0 ? v->split[0] : 0) + (v->split[1] > 0 ? v->split[1] : 0);
        int64_t age = 0;
        for (int i = 2; i < 6; i++) age += v->split[i] > 0 ? v->split[i] : 0;
        char m[200];
        if (sex > v->people) {
            snprintf(m, sizeof m, "Số nam và nữ cộng lại (%lld) nhiều hơn số người được hướng dẫn (%lld).", (long long)sex, (long long)v->people);
            for (int i = 0; i < 2; i++) if (v->split[i] >= 0) store_field(res, split_names[i], m);
        }
        if (age > v->people) {
            snprintf(m, sizeof m, "Các nhóm tuổi cộng lại (%lld) nhiều hơn số người được hướng dẫn (%lld).", (long long)age, (long long)v->people);
            for (int i = 2; i < 6; i++) if (v->split[i] >= 0) store_field(res, split_names[i], m);
        }
    }

    json_t *place = json_object_get(body, "place");
    v->place = NULL;
    if (place && !json_is_null(place)) {
        char *p = json_is_string(place) ? text_nfc(json_string_value(place)) : NULL;
        if (!p) store_field(res, "place", "Tên thôn, tổ dân phố phải là chữ.");
        else {
            /* Trimmed, and spaces collapsed: "Thôn  3 " and "Thôn 3" are one place in the list the form offers. */
            char *w = p;
            for (const char *r = p; *r; r++) {
                bool sp = *r == ' ' || *r == '\t' || *r == '\n' || *r == '\r';
                if (sp && (w == p || w[-1] == ' ')) continue;
                *w++ = sp ? ' ' : *r;
            }
            while (w > p && w[-1] == ' ') w--;
            *w = 0;
            if (utf8_chars(p) > GUIDANCE_MAX_PLACE) { store_field(res, "place", "Tên thôn, tổ dân phố dài quá 200 ký tự."); free(p); }
            else if (!*p) free(p);
            else v->place = p;
        }
    }

    json_t *svc = json_object_get(body, "services");
    v->services = json_array();
    if (!svc || json_is_null(svc) || (json_is_array(svc) && json_array_size(svc) == 0))
        store_field(res, "services", "Chọn ít nhất một nội dung đã hướng dẫn.");
    else if (!json_is_array(svc) || json_array_size(svc) > 50)
        store_field(res, "services", "Nội dung hướng dẫn phải là danh sách mã dịch vụ.");
    else {
        size_t i, k;
        json_t *x, *a;
        for (i = 0; i < json_array_size(svc); i++) {
            x = json_array_get(svc, i);
            const char *code = json_string_value(x);
            bool known = false;
            json_array_foreach(active, k, a) if (code && !strcmp(code, str(a, "code"))) known = true;
            if (!known) {
                char m[200];
                snprintf(m, sizeof m, "Không có nội dung hướng dẫn “%.60s” hoặc nội dung này đã ngừng dùng.", code ? code : "?");
                store_field(res, "services", m);
                break;
            }
        }
        /* The services' own order, each once: a double tap on the phone is one service. */
        if (!res->fields || !json_object_get(res->fields, "services"))
            json_array_foreach(active, k, a) {
                json_array_foreach(svc, i, x) if (!strcmp(json_string_value(x), str(a, "code"))) {
                    json_array_append(v->services, json_object_get(a, "code"));
                    break;
                }
            }
    }
}

/* ---- writing ------------------------------------------------------------------------------------------------------- */

static void bind_split(db_stmt *s, int i, int64_t v)
{
    if (v >= 0) db_bind_int(s, i, v);
    else db_bind_null(s, i);
}

/* The entry, its services and the unit's aggregates; 1 written, 0 the client_id was there already, -1 an error. */
static int write_entry(db *d, const struct guidance_author *who, int64_t org_id, const char *client_id,
                       const struct entry_values *v)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    char *services = json_dumps(v->services, JSON_COMPACT);
    db_stmt *s = db_prepare(d, "INSERT INTO guidance_entry (client_id, team_id, org_id, user_id, day, place, people, male, "
                               "female, age_u18, age_18_35, age_36_59, age_60p, services, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (client_id) DO NOTHING RETURNING id");
    db_bind_text(s, 1, client_id);
    db_bind_int(s, 2, who->team_id);
    db_bind_int(s, 3, org_id);
    db_bind_int(s, 4, who->user_id);
    db_bind_text(s, 5, v->day);
    db_bind_text(s, 6, v->place);
    db_bind_int(s, 7, v->people);
    for (int i = 0; i < 6; i++) bind_split(s, 8 + i, v->split[i]);
    db_bind_text(s, 14, services);
    db_bind_text(s, 15, now);
    int64_t id = db_scalar_int(s, 0);
    free(services);
    if (db_failed(d)) return -1;
    if (!id) return 0;

    size_t i;
    json_t *c;
    json_array_foreach(v->services, i, c) {
        s = db_prepare(d, "INSERT INTO guidance_entry_service (entry_id, service) VALUES (?, ?)");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, json_string_value(c));
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return -1;
    }
    /* Increments only, never read then written: two teams of one unit logging at once (db_begin_for lets them, on
     * PostgreSQL) each add their own, the row lock ordering them. The day's row first, then the services in one order,
     * so two such transactions always lock in the same order and cannot deadlock. */
    s = db_prepare(d, "INSERT INTO guidance_day (org_id, day, entries, people, male, female, age_u18, age_18_35, age_36_59, age_60p) "
                      "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, day) DO UPDATE SET "
                      "entries = guidance_day.entries + 1, people = guidance_day.people + excluded.people, "
                      "male = guidance_day.male + excluded.male, female = guidance_day.female + excluded.female, "
                      "age_u18 = guidance_day.age_u18 + excluded.age_u18, age_18_35 = guidance_day.age_18_35 + excluded.age_18_35, "
                      "age_36_59 = guidance_day.age_36_59 + excluded.age_36_59, age_60p = guidance_day.age_60p + excluded.age_60p");
    db_bind_int(s, 1, org_id);
    db_bind_text(s, 2, v->day);
    db_bind_int(s, 3, v->people);
    for (int k = 0; k < 6; k++) db_bind_int(s, 4 + k, v->split[k] > 0 ? v->split[k] : 0);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return -1;
    json_array_foreach(v->services, i, c) {
        s = db_prepare(d, "INSERT INTO guidance_day_service (org_id, day, service, people) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (org_id, day, service) DO UPDATE SET people = guidance_day_service.people + excluded.people");
        db_bind_int(s, 1, org_id);
        db_bind_text(s, 2, v->day);
        db_bind_text(s, 3, json_string_value(c));
        db_bind_int(s, 4, v->people);
        rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return -1;
    }
    return 1;
}

/* The client_id is taken: the first entry when it is this author's for this team, else a conflict. */
static enum store_status repeated(db *d, const struct guidance_author *who, const char *client_id, json_t **entry,
                                  struct store_result *res)
{
    json_t *e = store_guidance_by_client(d, client_id);
    if (!e) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_ERROR, NULL);
    if (num(e, "user_id") != who->user_id || num(e, "team_id") != who->team_id) {
        json_decref(e);
        return store_fail(res, STORE_CONFLICT, "Mã ghi nhận này đã được dùng cho một ghi nhận khác; hãy tạo ghi nhận mới.");
    }
    *entry = e;
    return STORE_OK;
}

enum store_status store_guidance_record(db *d, const struct guidance_author *who, json_t *body, json_t **entry,
                                        bool *created, struct store_result *res)
{
    *entry = NULL;
    *created = false;
    const char *client_id = str(body, "client_id");
    if (!guidance_client_id_ok(client_id)) {
        store_field(res, "client_id", "Mã ghi nhận (client_id) phải gồm 8–64 ký tự chữ, số hoặc dấu gạch ngang.");
        return STORE_INVALID;
    }
    json_t *team = store_guidance_team(d, who->team_id);
    if (!team) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tổ công nghệ số này.");
    json_t *active = store_guidance_services(d);
    if (db_failed(d)) { json_decref(team); json_decref(active); return store_fail_db(res, d); }
    int64_t org_id = num(team, "org_id");

    struct entry_values v = { 0 };
    validate(body, team, active, &v, res);
    json_decref(team);
    json_decref(active);
    if (res->status == STORE_INVALID) { free(v.place); json_decref(v.services); return STORE_INVALID; }

    /* Entries of different teams touch no row another team's checks read (team, membership), and their only shared rows
     * are the unit's aggregates, which they increment: on PostgreSQL they commit side by side (db_begin_for). */
    enum store_status st = STORE_OK;
    if (db_begin_for(d, who->team_id)) { st = store_fail_db(res, d); goto done; }
    db_stmt *s = db_prepare(d, "SELECT active FROM cdt_team WHERE id = ?");
    db_bind_int(s, 1, who->team_id);
    int64_t team_active = db_scalar_int(s, -1);
    if (db_failed(d)) { st = store_fail_db(res, d); goto done; }
    if (team_active != 1) { st = store_fail(res, STORE_FORBIDDEN, "Tổ này đã ngừng hoạt động nên không ghi nhận thêm được."); goto done; }
    if (who->as_member) {
        s = db_prepare(d, "SELECT COUNT(*) FROM cdt_member WHERE team_id = ? AND user_id = ? AND active = 1");
        db_bind_int(s, 1, who->team_id);
        db_bind_int(s, 2, who->user_id);
        int64_t n = db_scalar_int(s, -1);
        if (db_failed(d)) { st = store_fail_db(res, d); goto done; }
        if (n < 1) { st = store_fail(res, STORE_FORBIDDEN, "Bạn không còn là thành viên đang hoạt động của tổ này."); goto done; }
    }
    int w = write_entry(d, who, org_id, client_id, &v);
    if (w < 0) { st = store_fail_db(res, d); goto done; }
    if (w == 0) {
        /* Sent twice at once (a retry while the first was still on its way): the first one won; answer with it. */
        db_rollback(d);
        st = repeated(d, who, client_id, entry, res);
        goto out;
    }
    if (db_commit(d)) { st = store_fail_db(res, d); goto out; }
    *created = true;
    *entry = store_guidance_by_client(d, client_id);
    if (!*entry) st = store_fail_db(res, d);   /* committed, but could not be read back: the phone sends it again */
    goto out;
done:
    db_rollback(d);
out:
    free(v.place);
    json_decref(v.services);
    return st;
}
