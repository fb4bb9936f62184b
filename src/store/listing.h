/* Offers for citizens (ưu đãi) and activities for the Day (hoạt động) that units send in, public once a moderator
 * approves them. Must not know about HTTP. */
#ifndef DXDAY_STORE_LISTING_H
#define DXDAY_STORE_LISTING_H
#include "store/db.h"

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
json_t *store_listings(db *d, const struct listing_query *q);
json_t *store_listing_get(db *d, int64_t id);

struct listing_in {
    const char *kind, *title, *body, *sector, *starts_on, *ends_on, *url;
    int64_t org_id, province_id, user_id;
};
/* Saves a checked submission as pending; its id, or 0. */
int64_t store_listing_add(db *d, const struct listing_in *in);
/* Approves (and indexes for search) or rejects with a note; 0 or -1. */
int store_listing_moderate(db *d, int64_t id, bool approve, const char *note, int64_t user_id);
#endif
