/* Writes and reads the audit log. An entry is only as durable as the transaction it is written in: that is the point,
 * since a change whose entry cannot be written must not be written either. Must not begin or commit on its own. */
#include "store/audit.h"
#include "core/date.h"
#include <stdlib.h>
#include <time.h>

enum store_status store_audit(db *d, int64_t user_id, const char *ip, const char *action, const char *entity,
                              int64_t entity_id, json_t *detail, struct store_result *res)
{
    char now[21], idbuf[24];
    date_utc_iso(time(NULL), now);
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(detail);
    /* entity_id is TEXT: some entities are named by a year or a slug, and tests compare it as written. */
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)entity_id);
    db_stmt *s = db_prepare(d, "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, ip) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_text(s, 1, now);
    if (user_id) db_bind_int(s, 2, user_id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, entity);
    db_bind_text(s, 5, entity_id ? idbuf : NULL);
    db_bind_text(s, 6, text);
    db_bind_text(s, 7, ip);
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
