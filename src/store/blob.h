/* Uploaded files as records: what each stored file is (name, type, size under its SHA-256), who uploaded it, and who
 * may download it. Must not know about HTTP or touch the files on disk: http/blob.c writes and reads those. */
#ifndef DXDAY_STORE_BLOB_H
#define DXDAY_STORE_BLOB_H
#include "store/db.h"
#include "store/result.h"

/* Records a file (the first name and type stay when the same bytes come again) and, with a user, that they uploaded it;
 * with data, keeps its bytes in the database too (file_content), else they are on disk under its hash already; in the
 * caller's transaction. STORE_OK, or BUSY/ERROR. */
enum store_status store_blob_record(db *d, const char *sha, const char *name, const char *mime, int64_t size,
                                    const void *data, int64_t user_id, struct store_result *res);
/* A copy of the bytes kept in the database for the file (the caller frees), or NULL: not kept there, or an error. */
unsigned char *store_blob_bytes(db *d, const char *sha, size_t *len);
/* {name, mime, size} of a recorded file, or NULL (db_failed tells an error from "no such file"). */
json_t *store_blob_get(db *d, const char *sha);

/* True when user_id may see at least one record that references the file with this SHA-256 (hex). */
bool store_blob_visible(db *d, const char *sha, int64_t user_id);
/* Records that user_id uploaded the file (a preview kept by its hash until confirmed belongs to its uploader); 0 or -1. */
int store_blob_uploaded(db *d, const char *sha, int64_t user_id);
/* True when user_id uploaded the file. */
bool store_blob_uploaded_by(db *d, const char *sha, int64_t user_id);
#endif
