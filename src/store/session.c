/* Sessions in the store: looked up by token hash, only while unexpired and while their account is active. Must not
 * trust a session past its expires_at, nor keep anything that would open a session if the database leaked. */
#include "store/session.h"
#include "core/date.h"
#include <stdio.h>
#include <time.h>

enum store_status store_session_load(db *d, const char *token_hash, int64_t now, struct store_session *out,
                                     struct store_result *res)
{
    char at[21];
    date_utc_iso((time_t)now, at);
    db_stmt *s = db_prepare(d, "SELECT u.id, u.email, u.name, s.csrf, EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id), "
                               /* The centre works across every unit, so its menu keeps the whole task list. */
                               "CASE WHEN EXISTS (SELECT 1 FROM user_role r JOIN org_unit o ON o.id = r.org_id "
                               "                  WHERE r.user_id = u.id AND o.parent_id IS NULL) THEN 0 "
                               "ELSE COALESCE((SELECT r.org_id FROM user_role r WHERE r.user_id = u.id "
                               "               AND r.role IN ('officer', 'coordinator') ORDER BY r.id LIMIT 1), 0) END "
                               "FROM session s JOIN app_user u ON u.id = s.user_id "
                               "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1");
    db_bind_text(s, 1, token_hash);
    db_bind_text(s, 2, at);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->user_id = db_col_int(s, 0);
        snprintf(out->email, sizeof out->email, "%s", db_col_text(s, 1));
        snprintf(out->name, sizeof out->name, "%s", db_col_text(s, 2));
        snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(s, 3));
        out->staff = db_col_int(s, 4) != 0;
        out->inbox_org = db_col_int(s, 5);
    }
    db_done(s);
    if (rc == DB_ROW) return STORE_OK;
    if (rc == DB_ERROR) return store_fail_db(res, d);
    return store_fail(res, STORE_NOT_FOUND, NULL);
}

enum store_status store_session_create(db *d, const char *token_hash, int64_t user_id, const char *csrf, int64_t now,
                                       int64_t expires, struct store_result *res)
{
    char created[21], until[21];
    date_utc_iso((time_t)now, created);
    date_utc_iso((time_t)expires, until);
    db_stmt *s = db_prepare(d, "INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
    db_bind_text(s, 1, token_hash);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, csrf);
    db_bind_text(s, 4, created);
    db_bind_text(s, 5, until);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_session_destroy(db *d, const char *token_hash, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "DELETE FROM session WHERE token_hash = ?");
    db_bind_text(s, 1, token_hash);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
