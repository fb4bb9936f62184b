/* Writes and reads the audit log. An entry is only as durable as the transaction it is written in: that is the point,
 * since a change whose entry cannot be written must not be written either. Must not begin or commit on its own. */
#include "store/audit.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum store_status store_audit(db *d, int64_t user_id, const char *ip, const char *action, const char *entity,
                              int64_t entity_id, json_t *detail, struct store_result *res)
{
    char now[21], idbuf[24];
    date_utc_iso(time(NULL), now);
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    /* The unit an entry is about, in a column of its own: the log is filtered by unit and subtree. */
    json_t *org = json_object_get(detail, "org_id");
    int64_t org_id = json_is_integer(org) ? json_integer_value(org) : 0;
    if (!org_id && entity && !strcmp(entity, "org") && entity_id) org_id = entity_id;
    json_decref(detail);
    /* entity_id is TEXT: some entities are named by a year or a slug, and tests compare it as written. */
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)entity_id);
    db_stmt *s = db_prepare(d, "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, ip, org_id) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, now);
    if (user_id) db_bind_int(s, 2, user_id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, entity);
    db_bind_text(s, 5, entity_id ? idbuf : NULL);
    db_bind_text(s, 6, text);
    db_bind_text(s, 7, ip);
    if (org_id) db_bind_int(s, 8, org_id);
    else db_bind_null(s, 8);
    int rc = db_step(s);
    db_done(s);
    free(text);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_audit_recent(db *d, int limit, json_t **items, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT a.id, a.at, a.action, a.entity, a.entity_id, a.detail, a.ip, u.email "
                               "FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?");
    db_bind_int(s, 1, limit);
    *items = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*items);
    *items = NULL;
    return store_fail_db(res, d);
}

enum store_status store_audit_find(db *d, const struct audit_filter *f, json_t **items, int64_t *total,
                                   struct store_result *res)
{
    /* One WHERE for the page and its count; every filter is optional ('' or 0 turns it off). The unit filter takes the
     * unit's whole subtree, by the materialised path. */
    static const char *const where =
        "FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id LEFT JOIN org_unit o ON o.id = a.org_id "
        /* The account an entry is about; entity_id is text (slugs, years), so the id is compared as text. */
        "LEFT JOIN app_user t ON a.entity = 'user' AND CAST(t.id AS TEXT) = a.entity_id "
        "WHERE (? = 0 OR a.user_id = ?) AND (? = '' OR a.action = ? OR a.action LIKE ?) "
        "AND (? = '' OR a.at >= ?) AND (? = '' OR a.at < ?) "
        "AND (? = 0 OR o.path LIKE (SELECT p.path FROM org_unit p WHERE p.id = ?) || '%') ";
    char like[80], sql[1400];
    snprintf(like, sizeof like, "%s.%%", f->action ? f->action : "");
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0) snprintf(sql, sizeof sql, "SELECT COUNT(*) %s", where);
        else snprintf(sql, sizeof sql, "SELECT a.id, a.at, a.user_id, a.action, a.entity, a.entity_id, a.detail, a.ip, a.org_id, "
                                       "u.email, u.name, o.name AS org_name, t.name AS target_name, t.email AS target_email %s ORDER BY a.id DESC LIMIT ? OFFSET ?", where);
        db_stmt *s = db_prepare(d, sql);
        int k = 1;
        db_bind_int(s, k++, f->user_id);
        db_bind_int(s, k++, f->user_id);
        db_bind_text(s, k++, f->action ? f->action : "");
        db_bind_text(s, k++, f->action ? f->action : "");
        db_bind_text(s, k++, like);
        db_bind_text(s, k++, f->from ? f->from : "");
        db_bind_text(s, k++, f->from ? f->from : "");
        db_bind_text(s, k++, f->until ? f->until : "");
        db_bind_text(s, k++, f->until ? f->until : "");
        db_bind_int(s, k++, f->org_id);
        db_bind_int(s, k++, f->org_id);
        if (pass == 0) {
            *total = db_scalar_int(s, 0);
            if (db_failed(d)) return store_fail_db(res, d);
            continue;
        }
        db_bind_int(s, k++, f->limit);
        db_bind_int(s, k++, f->offset);
        *items = db_rows(s);
        if (db_failed(d)) {
            json_decref(*items);
            *items = NULL;
            return store_fail_db(res, d);
        }
    }
    return STORE_OK;
}

enum store_status store_audit_actors(db *d, json_t **items, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT u.id, u.email, u.name FROM app_user u WHERE EXISTS "
                               "(SELECT 1 FROM audit_log a WHERE a.user_id = u.id) AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id) "
                               "ORDER BY u.email LIMIT 500");
    *items = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*items);
    *items = NULL;
    return store_fail_db(res, d);
}

int64_t store_audit_user_id(db *d, const char *login)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    db_bind_text(s, 1, login);
    return db_scalar_int(s, 0);
}
