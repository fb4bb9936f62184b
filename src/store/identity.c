/* The identity kit's records and the year's message, as the national editors leave them. Must not know about HTTP
 * and must not judge a file's type: the page checks the bytes and stores them before a record names them here. */
#include "store/identity.h"
#include "core/date.h"
#include <time.h>

enum store_status store_identity_year(db *d, int64_t year, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM campaign WHERE year = ?");
    db_bind_int(s, 1, year);
    int64_t n = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    return n ? STORE_OK : store_fail(res, STORE_NOT_FOUND, "Chưa có thông tin năm này.");
}

json_t *store_identity_kit(db *d, int64_t year, struct store_result *res)
{
    if (store_identity_year(d, year, res) != STORE_OK) return NULL;
    db_stmt *s = db_prepare(d, "SELECT id, title, sha256, name, mime, size FROM identity_item WHERE year = ? ORDER BY id");
    db_bind_int(s, 1, year);
    json_t *items = db_rows(s);
    if (db_failed(d)) {
        json_decref(items);
        store_fail_db(res, d);
        return NULL;
    }
    s = db_prepare(d, "SELECT text, signed_by, updated_at FROM campaign_message WHERE year = ?");
    db_bind_int(s, 1, year);
    json_t *msg = db_row(s);
    if (db_failed(d)) {
        json_decref(items);
        store_fail_db(res, d);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "items", items, "message", msg ? msg : json_null());
}

json_t *store_identity_file(db *d, const char *sha256, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT name, mime FROM identity_item WHERE sha256 = ? LIMIT 1");
    db_bind_text(s, 1, sha256);
    json_t *it = db_row(s);
    if (!it) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, "Không tìm thấy tệp.");
    }
    return it;
}

enum store_status store_identity_add(db *d, const struct identity_item_in *in, int64_t *id, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO identity_item (year, title, sha256, name, mime, size, created_by, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, in->year);
    db_bind_text(s, 2, in->title);
    db_bind_text(s, 3, in->sha256);
    db_bind_text(s, 4, in->name);
    db_bind_text(s, 5, in->mime);
    db_bind_int(s, 6, in->size);
    if (in->user_id) db_bind_int(s, 7, in->user_id);
    else db_bind_null(s, 7);
    db_bind_text(s, 8, now);
    int64_t got = db_scalar_int(s, 0);
    if (!got) return store_fail_db(res, d);
    if (id) *id = got;
    return STORE_OK;
}

enum store_status store_identity_message_save(db *d, int64_t year, const char *text, const char *signed_by,
                                              struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO campaign_message (year, text, signed_by, updated_at) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (year) DO UPDATE SET text = excluded.text, signed_by = excluded.signed_by, "
                               "updated_at = excluded.updated_at");
    db_bind_int(s, 1, year);
    db_bind_text(s, 2, text);
    db_bind_text(s, 3, signed_by);
    db_bind_text(s, 4, now);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}
