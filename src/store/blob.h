/* Uploaded files as records: what each stored file is (name, type, size under its SHA-256), who uploaded it, and who
 * may download it. Must not know about HTTP or touch the files on disk: web/blob.c writes and reads the bytes. */
#ifndef DXDAY_STORE_BLOB_H
#define DXDAY_STORE_BLOB_H
#include "store/db.h"
#include "store/result.h"

/* Records a file whose bytes are already on disk under its hash (the first name and type stay when the same bytes come
 * again) and, with a user, that they uploaded it; in the caller's transaction. STORE_OK, or BUSY/ERROR. */
enum store_status store_blob_record(db *d, const char *sha, const char *name, const char *mime, int64_t size,
                                    int64_t user_id, struct store_result *res);
/* {name, mime, size} of a recorded file, or NULL (db_failed tells an error from "no such file"). */
json_t *store_blob_get(db *d, const char *sha);

/* True when user_id may see at least one record that references the file with this SHA-256 (hex). */
bool store_blob_visible(db *d, const char *sha, int64_t user_id);
/* Records that user_id uploaded the file (a preview kept by its hash until confirmed belongs to its uploader); 0 or -1. */
int store_blob_uploaded(db *d, const char *sha, int64_t user_id);
/* True when user_id uploaded the file. */
bool store_blob_uploaded_by(db *d, const char *sha, int64_t user_id);
#endif
