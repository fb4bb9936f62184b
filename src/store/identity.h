/* The year's identity kit ("Bộ nhận diện": files editors upload, recorded by their bytes' hash) and its message
 * ("Thông điệp"). Must not know about HTTP or read file bytes: the caller checks types and stores the blob. */
#ifndef DXDAY_STORE_IDENTITY_H
#define DXDAY_STORE_IDENTITY_H
#include "store/db.h"
#include "store/result.h"

/* STORE_OK when a campaign of that year exists, STORE_NOT_FOUND ("Chưa có thông tin năm này.") when not, or
 * STORE_ERROR. */
enum store_status store_identity_year(db *d, int64_t year, struct store_result *res);

/* The year's kit: {"items": [{id, title, sha256, name, mime, size}] in upload order, "message": {text, signed_by,
 * updated_at} or null}; NULL with res STORE_NOT_FOUND (no such year) or STORE_ERROR. */
json_t *store_identity_kit(db *d, int64_t year, struct store_result *res);

/* A kit file by its bytes' hash: {name, mime}; NULL with res STORE_NOT_FOUND or STORE_ERROR. Only kit files: other
 * blobs with the same hash are not found here. */
json_t *store_identity_file(db *d, const char *sha256, struct store_result *res);

struct identity_item_in {
    int64_t year;
    const char *title, *sha256, *name, *mime;
    int64_t size, user_id;
};
/* Records an uploaded file in the year's kit; *id set on STORE_OK. Joins the caller's transaction when one is open. */
enum store_status store_identity_add(db *d, const struct identity_item_in *in, int64_t *id, struct store_result *res);

/* Writes (or replaces) the year's message; signed_by may be NULL. Joins the caller's transaction when one is open. */
enum store_status store_identity_message_save(db *d, int64_t year, const char *text, const char *signed_by,
                                              struct store_result *res);
#endif
