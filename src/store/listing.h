/* Offers for citizens (ưu đãi) and activities for the Day (hoạt động) that units send in, public once a moderator
 * approves them. Must not know about HTTP. */
#ifndef DXDAY_STORE_LISTING_H
#define DXDAY_STORE_LISTING_H
#include "store/db.h"
#include "store/result.h"

extern const char *const offer_sectors[], *const offer_sector_labels[];
const char *offer_sector_label(const char *sector);   /* NULL for an unknown sector */

struct listing_query {
    const char *kind;      /* offer | activity */
    const char *status;    /* NULL: approved */
    const char *sector;    /* NULL: any */
    int64_t province;      /* 0: any; else that province's and nationwide items */
    const char *valid_on;  /* ISO day, or NULL: any time */
    int limit, offset;
    int64_t editor;        /* 0: anyone's; else only items this user may moderate (the rule of authz_editor(): a
                              moderator, coordinator or admin role on the item's unit and on its province, or above) */
};
/* The items q asks for; NULL on a database error (res says which). */
json_t *store_listings(db *d, const struct listing_query *q, struct store_result *res);
/* One item, whatever its status; NULL with res STORE_NOT_FOUND ("Không tìm thấy mục này.") or STORE_ERROR. */
json_t *store_listing_get(db *d, int64_t id, struct store_result *res);
/* The provinces an item may name and the catalogue filters by (today's, by name): [{code, name}]; NULL on an error. */
json_t *store_listing_provinces(db *d, struct store_result *res);

struct listing_in {
    const char *kind, *title, *body, *sector, *starts_on, *ends_on, *url;
    int64_t org_id, province_id, user_id;
};
/* Saves a checked submission as pending; *id set on STORE_OK. Joins the caller's transaction when one is open. */
enum store_status store_listing_add(db *d, const struct listing_in *in, int64_t *id, struct store_result *res);
/* Approves (and indexes for search) or rejects with a note, in one transaction (joining the caller's). */
enum store_status store_listing_moderate(db *d, int64_t id, bool approve, const char *note, int64_t user_id,
                                         struct store_result *res);
#endif
