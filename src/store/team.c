/* Teams and members in SQL: who may read a team (a staff role on its unit or above, or being an active member with an
 * account), the list with its counts, one team, and the writes. Must not begin or commit (the caller's transaction
 * holds the write and its audit entry), nor decide who may write. */
#include "store/team.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const team_roles[] = { "leader", "deputy", "member", NULL };
const char *const team_role_labels[] = { "Tổ trưởng", "Tổ phó", "Thành viên", NULL };
const char *const team_origins[] = { "commune_official", "youth_union", "police", "post", "telecom", "volunteer", "other", NULL };
const char *const team_origin_labels[] = { "Cán bộ xã, phường", "Đoàn Thanh niên", "Công an", "Bưu điện", "Viễn thông",
                                           "Tình nguyện viên", "Khác", NULL };

static const char *label_of(const char *const codes[], const char *const labels[], const char *code)
{
    for (int i = 0; code && codes[i]; i++)
        if (!strcmp(codes[i], code)) return labels[i];
    return NULL;
}
const char *team_role_label(const char *code) { return label_of(team_roles, team_role_labels, code); }
const char *team_origin_label(const char *code) { return label_of(team_origins, team_origin_labels, code); }

/* Units that may hold a team: communes and wards, districts where the data still has them, Youth Union branches. */
#define TEAM_UNIT(o) "(" o ".kind IN ('commune', 'ward', 'district', 'youth_union') OR " o ".level IN ('commune', 'district'))"

/* Account `?` may read team t of unit o: a staff role on o or above it, or an active member's account. Two binds. */
#define READS "(EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id WHERE ur.user_id = ? " \
              "AND ur.role IN ('admin', 'coordinator', 'officer', 'viewer') AND o.path LIKE sc.path || '%') " \
              "OR EXISTS (SELECT 1 FROM cdt_member rm WHERE rm.team_id = t.id AND rm.user_id = ? AND rm.active = 1))"

#define FILTERS "FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE " READS " " \
                "AND (? = 0 OR o.path LIKE (SELECT w.path FROM org_unit w WHERE w.id = ?) || '%') " \
                "AND (CAST(? AS TEXT) IS NULL OR t.name_folded LIKE CAST(? AS TEXT)) AND (? < 0 OR t.active = ?) "

static void bind_filters(db_stmt *s, const struct team_query *q, const char *like)
{
    db_bind_int(s, 1, q->viewer);
    db_bind_int(s, 2, q->viewer);
    db_bind_int(s, 3, q->within);
    db_bind_int(s, 4, q->within);
    db_bind_text(s, 5, like);
    db_bind_text(s, 6, like);
    db_bind_int(s, 7, q->active);
    db_bind_int(s, 8, q->active);
}

static void label_members(json_t *members)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        json_object_set_new(m, "team_role_label", json_string(team_role_label(json_string_value(json_object_get(m, "team_role")))));
        json_object_set_new(m, "origin_label", json_string(team_origin_label(json_string_value(json_object_get(m, "origin")))));
    }
}

enum store_status store_teams_find(db *d, const struct team_query *q, json_t **out, struct store_result *res)
{
    *out = NULL;
    /* Words in order, anything between them: "to vinh" finds "to cong nghe so vinh". Folding leaves no % or _. */
    char *like = NULL;
    if (q->folded && *q->folded) {
        size_t n = strlen(q->folded);
        like = malloc(n + 3);
        if (!like) return store_fail(res, STORE_ERROR, NULL);
        like[0] = '%';
        for (size_t i = 0; i < n; i++) like[i + 1] = q->folded[i] == ' ' ? '%' : q->folded[i];
        memcpy(like + n + 1, "%", 2);
    }
    db_stmt *s = db_prepare(d, "SELECT t.id, t.name, t.org_id, o.code AS org_code, o.name AS org_name, t.leader_name, t.contact, "
                               "t.active, t.founded_on, (SELECT COUNT(*) FROM cdt_member m WHERE m.team_id = t.id AND m.active = 1) AS members "
                               FILTERS "ORDER BY o.sort_key, t.name_folded, t.id LIMIT ? OFFSET ?");
    bind_filters(s, q, like);
    db_bind_int(s, 9, q->limit > 0 ? q->limit : 50);
    db_bind_int(s, 10, q->offset > 0 ? q->offset : 0);
    json_t *items = db_rows(s);
    if (db_failed(d)) goto fail;
    s = db_prepare(d, "SELECT COUNT(*), COALESCE(SUM(x.active), 0), COALESCE(SUM(x.members), 0) FROM (SELECT t.active, "
                      "(SELECT COUNT(*) FROM cdt_member m WHERE m.team_id = t.id AND m.active = 1) AS members " FILTERS ") x");
    bind_filters(s, q, like);
    int rc = db_step(s);
    int64_t total = rc == DB_ROW ? db_col_int(s, 0) : 0, active = rc == DB_ROW ? db_col_int(s, 1) : 0,
            members = rc == DB_ROW ? db_col_int(s, 2) : 0;
    db_done(s);
    if (rc == DB_ERROR) goto fail;
    free(like);
    *out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "active", (json_int_t)active,
                     "members", (json_int_t)members);
    return STORE_OK;
fail:
    free(like);
    json_decref(items);
    return store_fail_db(res, d);
}

bool store_team_readable(db *d, int64_t team_id, int64_t uid)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE t.id = ? AND " READS);
    db_bind_int(s, 1, team_id);
    db_bind_int(s, 2, uid);
    db_bind_int(s, 3, uid);
    return db_scalar_int(s, 0) > 0;
}

#define MEMBER_COLS "SELECT m.id, m.team_id, m.name, m.team_role, m.origin, m.phone, m.email, m.user_id, u.email AS user_email, " \
                    "m.active, m.created_at FROM cdt_member m LEFT JOIN app_user u ON u.id = m.user_id "

enum store_status store_team_get(db *d, int64_t id, json_t **out, struct store_result *res)
{
    *out = NULL;
    db_stmt *s = db_prepare(d, "SELECT t.id, t.name, t.org_id, o.code AS org_code, o.name AS org_name, o.kind AS org_kind, "
                               "t.leader_name, t.contact, t.active, t.founded_on, t.created_at FROM cdt_team t "
                               "JOIN org_unit o ON o.id = t.org_id WHERE t.id = ?");
    db_bind_int(s, 1, id);
    json_t *team = db_row(s);
    if (!team) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tổ công nghệ số.");
    /* Leaders first, then deputies, then members; the active before the inactive. */
    s = db_prepare(d, MEMBER_COLS "WHERE m.team_id = ? ORDER BY m.active DESC, "
                   "CASE m.team_role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, m.name, m.id");
    db_bind_int(s, 1, id);
    json_t *members = db_rows(s);
    if (db_failed(d)) {
        json_decref(members);
        json_decref(team);
        return store_fail_db(res, d);
    }
    label_members(members);
    json_object_set_new(team, "members", members);
    *out = team;
    return STORE_OK;
}

enum store_status store_member_get(db *d, int64_t team_id, int64_t mid, json_t **out, struct store_result *res)
{
    db_stmt *s = db_prepare(d, MEMBER_COLS "WHERE m.team_id = ? AND m.id = ?");
    db_bind_int(s, 1, team_id);
    db_bind_int(s, 2, mid);
    *out = db_row(s);
    if (!*out) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy thành viên.");
    json_t *one = json_pack("[O]", *out);
    label_members(one);
    json_decref(one);
    return STORE_OK;
}

bool store_team_unit_ok(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit o WHERE o.id = ? AND " TEAM_UNIT("o"));
    db_bind_int(s, 1, org_id);
    return db_scalar_int(s, 0) > 0;
}

enum store_status store_team_units(db *d, int64_t uid, bool write, json_t **out, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT o.id, o.code, o.name FROM org_unit o WHERE " TEAM_UNIT("o") " AND o.valid_to IS NULL "
                               "AND EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id WHERE ur.user_id = ? "
                               "AND (ur.role IN ('admin', 'coordinator', 'officer') OR (? = 0 AND ur.role = 'viewer')) "
                               "AND o.path LIKE sc.path || '%') ORDER BY o.sort_key, o.id LIMIT 1000");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, write);
    *out = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*out);
    *out = NULL;
    return store_fail_db(res, d);
}

/* Another team of the unit with the same name, diacritics and case aside ("Tổ CNS Vinh" and "TỔ CNS VINH" are one). */
static enum store_status name_free(db *d, const struct team_in *in, const char *folded, int64_t except, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM cdt_team WHERE org_id = ? AND (name = ? OR name_folded = ?) AND id <> ?");
    db_bind_int(s, 1, in->org_id);
    db_bind_text(s, 2, in->name);
    db_bind_text(s, 3, folded);
    db_bind_int(s, 4, except);
    int64_t n = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (!n) return STORE_OK;
    store_field(res, "name", "Đơn vị này đã có một tổ cùng tên.");
    return store_fail(res, STORE_CONFLICT, "Đơn vị này đã có một tổ cùng tên.");
}

static const char *or_null(const char *s) { return s && *s ? s : NULL; }

enum store_status store_team_create(db *d, const struct team_in *in, int64_t by, const char *now, int64_t *id,
                                    struct store_result *res)
{
    char *folded = text_fold(in->name);
    if (!folded) return store_fail(res, STORE_INVALID, "Tên tổ không hợp lệ.");
    enum store_status st = name_free(d, in, folded, 0, res);
    if (st == STORE_OK) {
        /* ON CONFLICT: the exact name raced in by another writer reads as the same conflict, not an engine error. */
        db_stmt *s = db_prepare(d, "INSERT INTO cdt_team (org_id, name, name_folded, leader_name, contact, active, founded_on, created_at, created_by) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, name) DO NOTHING RETURNING id");
        db_bind_int(s, 1, in->org_id);
        db_bind_text(s, 2, in->name);
        db_bind_text(s, 3, folded);
        db_bind_text(s, 4, or_null(in->leader_name));
        db_bind_text(s, 5, or_null(in->contact));
        db_bind_int(s, 6, in->active ? 1 : 0);
        db_bind_text(s, 7, in->founded_on);
        db_bind_text(s, 8, now);
        if (by) db_bind_int(s, 9, by); else db_bind_null(s, 9);
        *id = db_scalar_int(s, 0);
        if (db_failed(d)) st = store_fail_db(res, d);
        else if (!*id) {
            store_field(res, "name", "Đơn vị này đã có một tổ cùng tên.");
            st = store_fail(res, STORE_CONFLICT, "Đơn vị này đã có một tổ cùng tên.");
        }
    }
    free(folded);
    return st;
}

enum store_status store_team_update(db *d, int64_t id, const struct team_in *in, struct store_result *res)
{
    char *folded = text_fold(in->name);
    if (!folded) return store_fail(res, STORE_INVALID, "Tên tổ không hợp lệ.");
    enum store_status st = name_free(d, in, folded, id, res);
    if (st == STORE_OK) {
        db_stmt *s = db_prepare(d, "UPDATE cdt_team SET org_id = ?, name = ?, name_folded = ?, leader_name = ?, contact = ?, active = ?, "
                                   "founded_on = ? WHERE id = ? RETURNING id");
        db_bind_int(s, 1, in->org_id);
        db_bind_text(s, 2, in->name);
        db_bind_text(s, 3, folded);
        db_bind_text(s, 4, or_null(in->leader_name));
        db_bind_text(s, 5, or_null(in->contact));
        db_bind_int(s, 6, in->active ? 1 : 0);
        db_bind_text(s, 7, in->founded_on);
        db_bind_int(s, 8, id);
        int64_t got = db_scalar_int(s, 0);
        if (db_failed(d)) st = store_fail_db(res, d);
        else if (!got) st = store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tổ công nghệ số.");
        else if (store_team_sync_roles(d, id)) st = store_fail_db(res, d);
    }
    free(folded);
    return st;
}

enum store_status store_member_add(db *d, int64_t team_id, const struct member_in *in, const char *now, int64_t *id,
                                   struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO cdt_member (team_id, name, team_role, origin, phone, email, active, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, team_id);
    db_bind_text(s, 2, in->name);
    db_bind_text(s, 3, in->team_role);
    db_bind_text(s, 4, in->origin);
    db_bind_text(s, 5, or_null(in->phone));
    db_bind_text(s, 6, or_null(in->email));
    db_bind_int(s, 7, in->active ? 1 : 0);
    db_bind_text(s, 8, now);
    *id = db_scalar_int(s, 0);
    if (db_failed(d) || !*id) return store_fail_db(res, d);
    return STORE_OK;
}

enum store_status store_member_update(db *d, int64_t team_id, int64_t mid, const struct member_in *in,
                                      struct store_result *res)
{
    db_stmt *s = db_prepare(d, "UPDATE cdt_member SET name = ?, team_role = ?, origin = ?, phone = ?, email = ?, active = ? "
                               "WHERE id = ? AND team_id = ? RETURNING id");
    db_bind_text(s, 1, in->name);
    db_bind_text(s, 2, in->team_role);
    db_bind_text(s, 3, in->origin);
    db_bind_text(s, 4, or_null(in->phone));
    db_bind_text(s, 5, or_null(in->email));
    db_bind_int(s, 6, in->active ? 1 : 0);
    db_bind_int(s, 7, mid);
    db_bind_int(s, 8, team_id);
    int64_t got = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (!got) return store_fail(res, STORE_NOT_FOUND, "Không tìm thấy thành viên.");
    return store_team_sync_roles(d, team_id) ? store_fail_db(res, d) : STORE_OK;
}

/* The team_member role follows membership: an account holds it on a unit while it is an active member of an active team
 * of that unit, no longer. Run after any change to a team's members or to the team (deactivated, moved to another
 * unit), for the accounts linked to its members; a role granted by hand to an account that is no member is left. */
int store_team_sync_roles(db *d, int64_t team_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM user_role WHERE role = 'team_member' "
                               "AND user_id IN (SELECT user_id FROM cdt_member WHERE team_id = ? AND user_id IS NOT NULL) "
                               "AND NOT EXISTS (SELECT 1 FROM cdt_member m JOIN cdt_team t ON t.id = m.team_id WHERE m.user_id = user_role.user_id "
                               "AND m.active = 1 AND t.active = 1 AND t.org_id = user_role.org_id)");
    db_bind_int(s, 1, team_id);
    int rc = db_step(s) == DB_ERROR;
    db_done(s);
    if (rc) return -1;
    s = db_prepare(d, "INSERT INTO user_role (user_id, role, org_id) SELECT DISTINCT m.user_id, 'team_member', t.org_id FROM cdt_member m "
                      "JOIN cdt_team t ON t.id = m.team_id WHERE m.team_id = ? AND m.user_id IS NOT NULL AND m.active = 1 AND t.active = 1 "
                      "ON CONFLICT (user_id, role, org_id) DO NOTHING");
    db_bind_int(s, 1, team_id);
    rc = db_step(s) == DB_ERROR;
    db_done(s);
    return rc ? -1 : 0;
}

bool store_member_phone_taken(db *d, int64_t team_id, const char *phone, int64_t except)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM cdt_member WHERE team_id = ? AND phone = ? AND active = 1 AND id <> ?");
    db_bind_int(s, 1, team_id);
    db_bind_text(s, 2, phone);
    db_bind_int(s, 3, except);
    return db_scalar_int(s, 0) > 0;
}

enum store_status store_member_link(db *d, int64_t team_id, int64_t mid, int64_t uid, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM cdt_member WHERE team_id = ? AND user_id = ? AND id <> ?");
    db_bind_int(s, 1, team_id);
    db_bind_int(s, 2, uid);
    db_bind_int(s, 3, mid);
    int64_t other = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (other) {
        store_field(res, "email", "Tài khoản này đã gắn với một thành viên khác của tổ.");
        return store_fail(res, STORE_CONFLICT, "Tài khoản này đã gắn với một thành viên khác của tổ.");
    }
    s = db_prepare(d, "UPDATE cdt_member SET user_id = ? WHERE id = ? AND team_id = ? AND user_id IS NULL RETURNING id");
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, mid);
    db_bind_int(s, 3, team_id);
    int64_t got = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    return got ? STORE_OK : store_fail(res, STORE_CONFLICT, "Thành viên này đã có tài khoản.");
}

int64_t store_team_account_by_email(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    db_bind_text(s, 1, email);
    return db_scalar_int(s, 0);
}
