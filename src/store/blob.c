/* Uploaded files' records (file_blob, file_upload) and who may download a stored file: someone who may see a record
 * that references its hash (task evidence, a report's attachment, a plan's source document, the identity kit). Must not
 * say whether a file exists to anyone else, nor touch the bytes on disk. */
#include "store/blob.h"
#include "core/date.h"
#include <time.h>

enum store_status store_blob_record(db *d, const char *sha, const char *name, const char *mime, int64_t size,
                                    const void *data, int64_t user_id, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO file_blob (sha256, name, mime, size, created_at) VALUES (?, ?, ?, ?, ?) "
                               "ON CONFLICT (sha256) DO NOTHING");
    db_bind_text(s, 1, sha);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, mime);
    db_bind_int(s, 4, size);
    db_bind_text(s, 5, now);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR || (user_id && store_blob_uploaded(d, sha, user_id))) return store_fail_db(res, d);
    if (data) {
        s = db_prepare(d, "INSERT INTO file_content (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING");
        db_bind_text(s, 1, sha);
        db_bind_blob(s, 2, data, (size_t)size);
        rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return store_fail_db(res, d);
    }
    return STORE_OK;
}

unsigned char *store_blob_bytes(db *d, const char *sha, size_t *len)
{
    db_stmt *s = db_prepare(d, "SELECT data FROM file_content WHERE sha256 = ?");
    db_bind_text(s, 1, sha);
    unsigned char *out = db_step(s) == DB_ROW ? db_col_blob(s, 0, len) : NULL;
    db_done(s);
    return out;
}

json_t *store_blob_get(db *d, const char *sha)
{
    db_stmt *s = db_prepare(d, "SELECT name, mime, size FROM file_blob WHERE sha256 = ?");
    db_bind_text(s, 1, sha);
    return db_row(s);
}

/* A role that lets its holder see a unit's records, on that unit or one above it. */
#define COVERS(org)                                                                                                \
    "EXISTS (SELECT 1 FROM org_unit x, mine m WHERE x.id = " org " AND substr(x.path, 1, length(m.path)) = m.path)"

bool store_blob_visible(db *d, const char *sha, int64_t user_id)
{
    if (!sha || !user_id) return false;
    db_stmt *s = db_prepare(d,
        "WITH mine AS (SELECT o.path FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
        "  WHERE ur.user_id = ? AND ur.role IN ('officer', 'coordinator', 'viewer', 'admin')) "
        "SELECT "
        /* The identity kit is public on the portal already. */
        " EXISTS (SELECT 1 FROM identity_item WHERE sha256 = ?)"
        /* Evidence: its uploader, the unit that reported it and those above, the units the task names, the issuer. */
        " OR EXISTS (SELECT 1 FROM task_update u JOIN task t ON t.id = u.task_id JOIN plan p ON p.id = t.plan_id "
        "   WHERE u.evidence_sha = ? AND (u.user_id = ? OR " COVERS("u.org_id") " OR " COVERS("p.issuer_id")
        "   OR EXISTS (SELECT 1 FROM task_unit tu WHERE tu.task_id = t.id AND " COVERS("tu.org_id") ")))"
        /* A report's attachment: whoever wrote that report, the unit and those above it (who approve it). */
        " OR EXISTS (SELECT 1 FROM submission sb WHERE sb.file_sha256 = ? AND (" COVERS("sb.org_id")
        "   OR EXISTS (SELECT 1 FROM submission_history h WHERE h.submission_id = sb.id AND h.user_id = ?)))"
        /* A plan's source document: who saved it, the issuer's units and those of the units its tasks name. */
        " OR EXISTS (SELECT 1 FROM plan p WHERE p.source_sha256 = ? AND (p.created_by = ? OR " COVERS("p.issuer_id")
        "   OR EXISTS (SELECT 1 FROM task t JOIN task_unit tu ON tu.task_id = t.id WHERE t.plan_id = p.id AND "
        COVERS("tu.org_id") ")))");
    db_bind_int(s, 1, user_id);
    db_bind_text(s, 2, sha);
    db_bind_text(s, 3, sha);
    db_bind_int(s, 4, user_id);
    db_bind_text(s, 5, sha);
    db_bind_int(s, 6, user_id);
    db_bind_text(s, 7, sha);
    db_bind_int(s, 8, user_id);
    return db_scalar_int(s, 0) > 0;
}

int store_blob_uploaded(db *d, const char *sha, int64_t user_id)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "INSERT INTO file_upload (sha256, user_id, at) VALUES (?, ?, ?) "
                               "ON CONFLICT (sha256, user_id) DO NOTHING");
    db_bind_text(s, 1, sha);
    db_bind_int(s, 2, user_id);
    db_bind_text(s, 3, now);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

bool store_blob_uploaded_by(db *d, const char *sha, int64_t user_id)
{
    if (!sha || !user_id) return false;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM file_upload WHERE sha256 = ? AND user_id = ?");
    db_bind_text(s, 1, sha);
    db_bind_int(s, 2, user_id);
    return db_scalar_int(s, 0) > 0;
}
