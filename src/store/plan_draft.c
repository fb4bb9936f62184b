/* Plan drafts between upload and confirmation, and the confirmation's one transaction: every check is made again
 * under the write lock, so what was checked is what is saved. Must not parse documents nor decide who may import. */
#include "store/plan_draft.h"
#include "store/plan_edit.h"
#include "core/date.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum store_status store_plan_draft_add(db *d, const struct plan_draft_in *in, int64_t *id, struct store_result *res)
{
    char now[21];
    date_utc_iso(time(NULL), now);
    char *json = json_dumps(in->plan, JSON_COMPACT);
    db_stmt *s = db_prepare(d, "INSERT INTO plan_draft (user_id, json, source_text, source_kind, source_name, source_sha, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, in->user_id);
    db_bind_text(s, 2, json);
    db_bind_text(s, 3, in->source_text);
    db_bind_text(s, 4, in->source_kind);
    db_bind_text(s, 5, in->source_name);
    db_bind_text(s, 6, in->source_sha256);
    db_bind_text(s, 7, now);
    *id = db_scalar_int(s, 0);
    free(json);
    if (!*id) return store_fail_db(res, d);
    return STORE_OK;
}

json_t *store_plan_draft_get(db *d, int64_t id, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT json, source_text, source_kind, source_name, source_sha FROM plan_draft "
                               "WHERE id = ? AND user_id = ?");
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, user_id);
    json_t *row = db_row(s);
    if (!row) return NULL;
    json_t *plan = json_loads(json_string_value(json_object_get(row, "json")), 0, NULL);
    json_object_set_new(row, "plan", plan ? plan : json_object());
    json_object_del(row, "json");
    return row;
}

/* Drops the saver's draft; false when it is no longer there (saved by a confirmation that came first). */
static bool drop_draft(db *d, int64_t draft, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM plan_draft WHERE id = ? AND user_id = ? RETURNING id");
    db_bind_int(s, 1, draft);
    db_bind_int(s, 2, user_id);
    return db_scalar_int(s, 0) == draft;
}

static enum store_status refuse(db *d, struct store_result *res, enum store_status st, const char *message, json_t *fields)
{
    db_rollback(d);
    store_fail(res, st, "%s", message);
    if (res) {
        json_decref(res->fields);
        res->fields = fields;
    } else {
        json_decref(fields);
    }
    return st;
}

enum store_status store_plan_import(db *d, json_t *plan, const struct plan_meta *meta, int64_t draft, int64_t *id,
                                    struct store_result *res)
{
    *id = 0;
    if (db_begin(d)) {
        db_rollback(d);
        return store_fail_db(res, d);
    }
    json_t *errors = store_plan_check(d, plan);
    if (errors) return refuse(d, res, STORE_INVALID, "Kế hoạch chưa hợp lệ; chưa có gì được lưu.", errors);
    if ((errors = store_plan_scope_check(d, plan, meta)))
        return refuse(d, res, STORE_FORBIDDEN, "Kế hoạch nêu đơn vị hoặc kế hoạch cấp trên ngoài phạm vi của bạn; chưa có gì "
                      "được lưu.", errors);
    if (draft && !drop_draft(d, draft, meta->created_by)) {
        if (db_failed(d)) {
            enum store_status st = store_fail_db(res, d);
            db_rollback(d);
            return st;
        }
        return refuse(d, res, STORE_NOT_FOUND, "Không tìm thấy bản nháp (đã lưu hoặc không phải của bạn).", NULL);
    }
    /* The same number from the same issuer, or the same text, is a plan already saved: asked under the write lock, so two
     * saves of one text at once keep one (after the draft: a draft confirmed twice is simply gone). */
    json_t *dup = store_plan_duplicate(d, json_string_value(json_object_get(plan, "number")),
                                       json_string_value(json_object_get(plan, "issuer")), meta ? meta->source_sha256 : NULL);
    if (dup) {
        char msg[200];
        snprintf(msg, sizeof msg, "Kế hoạch này đã được lưu (kế hoạch số %lld); chưa có gì được lưu thêm.",
                 (long long)json_integer_value(json_object_get(dup, "id")));
        return refuse(d, res, STORE_CONFLICT, msg, json_pack("{s:o}", "existing", dup));
    }
    int64_t got = store_plan_save(d, plan, meta);
    if (!got) {
        enum store_status st = store_fail_db(res, d);
        db_rollback(d);
        return st;
    }
    if (db_commit(d)) return store_fail_db(res, d);
    *id = got;
    return STORE_OK;
}
