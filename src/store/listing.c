/* Offers for citizens and activities for the Day, sent in by units and published after moderation: the catalogue
 * with its filters, one item, a submission, and the moderator's decision (which puts it in search). No HTTP here. */
#include "store/listing.h"
#include "store/search.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const offer_sectors[] = { "vien-thong", "ngan-hang", "thuong-mai-dien-tu", "giao-duc", "y-te", "dich-vu-cong", "khac", NULL };
const char *const offer_sector_labels[] = { "Viễn thông", "Ngân hàng, thanh toán", "Thương mại điện tử", "Giáo dục", "Y tế",
                                            "Dịch vụ công", "Khác", NULL };

const char *offer_sector_label(const char *s)
{
    for (int i = 0; s && offer_sectors[i]; i++) if (!strcmp(offer_sectors[i], s)) return offer_sector_labels[i];
    return NULL;
}

#define COLS "SELECT l.id, l.kind, l.org_id, o.name AS org_name, l.title, l.body, l.sector, l.province_id, p.name AS province, " \
             "l.starts_on, l.ends_on, l.url, l.status, l.moderation_note, l.created_at, l.updated_at FROM listing l " \
             "JOIN org_unit o ON o.id = l.org_id LEFT JOIN org_unit p ON p.id = l.province_id "

/* User `?` holds an editor's role on the unit `unit` or above it. */
#define EDITS(unit) "EXISTS (SELECT 1 FROM user_role ur JOIN org_unit sc ON sc.id = ur.org_id, org_unit t WHERE ur.user_id = ? " \
                    "AND ur.role IN ('moderator', 'coordinator', 'admin') AND t.id = " unit " AND t.path LIKE sc.path || '%')"

static void label(json_t *items)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *l = offer_sector_label(json_string_value(json_object_get(it, "sector")));
        if (l) json_object_set_new(it, "sector_label", json_string(l));
    }
}

json_t *store_listings(db *d, const struct listing_query *q, struct store_result *res)
{
    db_stmt *s = db_prepare(d, COLS "WHERE l.kind = ? AND l.status = ? AND (CAST(? AS TEXT) IS NULL OR l.sector = ?) "
                                    "AND (? = 0 OR l.province_id = ? OR l.province_id IS NULL) "
                                    "AND (CAST(? AS TEXT) IS NULL OR ((l.starts_on IS NULL OR l.starts_on <= ?) AND (l.ends_on IS NULL OR l.ends_on >= ?))) "
                                    "AND (? = 0 OR (" EDITS("l.org_id") " AND (l.province_id IS NULL OR " EDITS("l.province_id") "))) "
                                    "ORDER BY COALESCE(l.starts_on, l.created_at) DESC, l.id DESC LIMIT ? OFFSET ?");
    db_bind_text(s, 1, q->kind);
    db_bind_text(s, 2, q->status ? q->status : "approved");
    db_bind_text(s, 3, q->sector);
    db_bind_text(s, 4, q->sector);
    db_bind_int(s, 5, q->province);
    db_bind_int(s, 6, q->province);
    db_bind_text(s, 7, q->valid_on);
    db_bind_text(s, 8, q->valid_on);
    db_bind_text(s, 9, q->valid_on);
    db_bind_int(s, 10, q->editor);
    db_bind_int(s, 11, q->editor);
    db_bind_int(s, 12, q->editor);
    db_bind_int(s, 13, q->limit > 0 ? q->limit : 50);
    db_bind_int(s, 14, q->offset);
    json_t *items = db_rows(s);
    if (db_failed(d)) {
        json_decref(items);
        store_fail_db(res, d);
        return NULL;
    }
    label(items);
    return items;
}

json_t *store_listing_provinces(db *d, struct store_result *res)
{
    json_t *provs = db_rows(db_prepare(d, "SELECT code, name FROM org_unit WHERE kind = 'province' AND valid_to IS NULL ORDER BY sort_key, id"));
    if (!db_failed(d)) return provs;
    json_decref(provs);
    store_fail_db(res, d);
    return NULL;
}

json_t *store_listing_get(db *d, int64_t id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, COLS "WHERE l.id = ?");
    db_bind_int(s, 1, id);
    json_t *it = db_row(s);
    if (!it) {
        if (db_failed(d)) store_fail_db(res, d);
        else store_fail(res, STORE_NOT_FOUND, "Không tìm thấy mục này.");
    } else {
        json_t *one = json_pack("[O]", it);
        label(one);
        json_decref(one);
    }
    return it;
}

enum store_status store_listing_add(db *d, const struct listing_in *in, int64_t *id, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO listing (kind, org_id, title, body, sector, province_id, starts_on, ends_on, url, submitted_by, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, in->kind);
    db_bind_int(s, 2, in->org_id);
    db_bind_text(s, 3, in->title);
    db_bind_text(s, 4, in->body);
    db_bind_text(s, 5, in->sector);
    if (in->province_id) db_bind_int(s, 6, in->province_id);
    else db_bind_null(s, 6);
    db_bind_text(s, 7, in->starts_on);
    db_bind_text(s, 8, in->ends_on);
    db_bind_text(s, 9, in->url);
    if (in->user_id) db_bind_int(s, 10, in->user_id);
    else db_bind_null(s, 10);
    db_bind_text(s, 11, now);
    db_bind_text(s, 12, now);
    int64_t got = db_scalar_int(s, 0);
    if (!got) return store_fail_db(res, d);
    if (id) *id = got;
    return STORE_OK;
}

/* The writes of store_listing_moderate, inside its transaction. */
static enum store_status moderate_in_tx(db *d, int64_t id, bool approve, const char *note, int64_t user_id, struct store_result *res)
{
    json_t *it = store_listing_get(d, id, res);
    if (!it) return res ? res->status : STORE_NOT_FOUND;
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "UPDATE listing SET status = ?, moderation_note = ?, moderated_by = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, approve ? "approved" : "rejected");
    db_bind_text(s, 2, note && *note ? note : NULL);
    if (user_id) db_bind_int(s, 3, user_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, id);
    int rc = db_step(s) == DB_ERROR ? -1 : 0;
    db_done(s);
    const char *kind = json_string_value(json_object_get(it, "kind"));
    char url[64], *text = NULL;
    snprintf(url, sizeof url, "/%s/%lld", strcmp(kind, "offer") ? "hoat-dong" : "uu-dai", (long long)id);
    if (asprintf(&text, "%s\n\nĐơn vị: %s.%s%s", json_string_value(json_object_get(it, "body")), json_string_value(json_object_get(it, "org_name")),
                 json_string_value(json_object_get(it, "province")) ? " Địa bàn: " : "",
                 json_string_value(json_object_get(it, "province")) ? json_string_value(json_object_get(it, "province")) : "") < 0)
        text = NULL;
    if (!rc) rc = approve ? store_search_put(d, kind, id, json_string_value(json_object_get(it, "title")), text ? text : "", url,
                                             json_string_value(json_object_get(it, "starts_on")))
                          : store_search_delete(d, kind, id);
    free(text);
    json_decref(it);
    return rc ? store_fail_db(res, d) : STORE_OK;
}

enum store_status store_listing_moderate(db *d, int64_t id, bool approve, const char *note, int64_t user_id,
                                         struct store_result *res)
{
    struct store_result mine = STORE_RESULT_OK;
    if (!res) res = &mine;
    /* Begin before reading the item: the decision and the search entry are made from the row as it is written. */
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    enum store_status st = moderate_in_tx(d, id, approve, note, user_id, res);
    if (st != STORE_OK) {
        db_rollback(d);
        return st;
    }
    return db_commit(d) ? store_fail_db(res, d) : STORE_OK;
}
