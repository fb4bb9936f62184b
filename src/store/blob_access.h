/* Who may download a stored file by its hash (store/blob_access.c). Must not know about HTTP or the files on disk. */
#ifndef DXDAY_STORE_BLOB_ACCESS_H
#define DXDAY_STORE_BLOB_ACCESS_H
#include "store/db.h"

/* True when user_id may see at least one record that references the file with this SHA-256 (hex). */
bool store_blob_visible(db *d, const char *sha, int64_t user_id);
/* Records that user_id uploaded the file (a preview kept by its hash until confirmed belongs to its uploader); 0 or -1. */
int store_blob_uploaded(db *d, const char *sha, int64_t user_id);
/* True when user_id uploaded the file. */
bool store_blob_uploaded_by(db *d, const char *sha, int64_t user_id);
#endif
