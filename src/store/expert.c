/* Expert profiles in SQL: create, update, status, one profile with its fields, the filtered list, the field and
 * province lists. Must not begin or commit (the caller's transaction holds the write and its audit entry), nor decide
 * who may read or write, nor what of a profile is public (web/ does). */
#include "store/expert.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const expert_public_keys[] = { "title", "organisation", "bio", "languages", "email", "phone", NULL };
const char *const expert_activity_kinds[] = { "seminar", "consultation", "plan_review", "training", NULL };
const char *const expert_activity_kind_labels[] = { "Hội thảo, tọa đàm", "Tư vấn", "Góp ý kế hoạch của đơn vị", "Tập huấn", NULL };
const char *const expert_modes[] = { "online", "in_person", NULL };
const char *const expert_mode_labels[] = { "Trực tuyến", "Trực tiếp", NULL };

const char *expert_label(const char *const codes[], const char *const labels[], const char *code)
{
    for (int i = 0; code && codes[i]; i++)
        if (!strcmp(codes[i], code)) return labels[i];
    return NULL;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

static char *dump(json_t *a) { return json_dumps(a ? a : json_array(), JSON_COMPACT); }

static void bind_id(db_stmt *s, int i, int64_t v) { if (v) db_bind_int(s, i, v); else db_bind_null(s, i); }

bool store_expert_field_ok(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM expert_field WHERE code = ? AND active = 1");
    db_bind_text(s, 1, code);
    return db_scalar_int(s, 0) > 0;
}

/* The profile's fields replace what it had. */
static enum store_status set_fields(db *d, int64_t id, json_t *fields, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "DELETE FROM expert_expertise WHERE expert_id = ?");
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    db_done(s);
    if (rc == DB_ERROR) return store_fail_db(res, d);
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *code = json_string_value(f);
        if (!code || !store_expert_field_ok(d, code)) {
            if (db_failed(d)) return store_fail_db(res, d);
            store_field(res, "fields", "Lĩnh vực không có trong danh mục.");
            return store_fail(res, STORE_INVALID, "Lĩnh vực không có trong danh mục.");
        }
        s = db_prepare(d, "INSERT INTO expert_expertise (expert_id, field_code) VALUES (?, ?) ON CONFLICT DO NOTHING");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, code);
        rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return store_fail_db(res, d);
    }
    return STORE_OK;
}

enum store_status store_expert_create(db *d, const struct expert_in *in, int64_t by, const char *now, int64_t *id,
                                      struct store_result *res)
{
    *id = 0;
    if (in->user_id && store_expert_of_user(d, in->user_id))
        return store_fail(res, STORE_CONFLICT, "Tài khoản này đã có hồ sơ chuyên gia.");
    if (db_failed(d)) return store_fail_db(res, d);
    char *folded = text_fold(in->name), *langs = dump(in->languages), *pub = dump(in->public_fields);
    db_stmt *s = db_prepare(d, "INSERT INTO expert (user_id, name, name_folded, title, organisation, org_id, province_id, email, phone, "
                               "languages, bio, public_fields, accepts_requests, trained_on, status, nominated_by_org, created_by, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    bind_id(s, 1, in->user_id);
    db_bind_text(s, 2, in->name);
    db_bind_text(s, 3, folded ? folded : "");
    db_bind_text(s, 4, nz(in->title));
    db_bind_text(s, 5, nz(in->organisation));
    bind_id(s, 6, in->org_id);
    bind_id(s, 7, in->province_id);
    db_bind_text(s, 8, nz(in->email));
    db_bind_text(s, 9, nz(in->phone));
    db_bind_text(s, 10, langs);
    db_bind_text(s, 11, in->bio ? in->bio : "");
    db_bind_text(s, 12, pub);
    db_bind_int(s, 13, in->accepts_requests ? 1 : 0);
    db_bind_text(s, 14, nz(in->trained_on));
    db_bind_text(s, 15, in->status ? in->status : "pending");
    bind_id(s, 16, in->nominated_by_org);
    bind_id(s, 17, by);
    db_bind_text(s, 18, now);
    db_bind_text(s, 19, now);
    *id = db_scalar_int(s, 0);
    free(folded);
    free(langs);
    free(pub);
    if (!*id) return store_fail_db(res, d);
    return set_fields(d, *id, in->fields, res);
}

enum store_status store_expert_update(db *d, int64_t id, const struct expert_in *in, const char *now, struct store_result *res)
{
    char *folded = text_fold(in->name), *langs = dump(in->languages), *pub = dump(in->public_fields);
    db_stmt *s = db_prepare(d, "UPDATE expert SET name = ?, name_folded = ?, title = ?, organisation = ?, org_id = ?, province_id = ?, "
                               "email = ?, phone = ?, languages = ?, bio = ?, public_fields = ?, accepts_requests = ?, trained_on = ?, "
                               "updated_at = ? WHERE id = ? RETURNING id");
    db_bind_text(s, 1, in->name);
    db_bind_text(s, 2, folded ? folded : "");
    db_bind_text(s, 3, nz(in->title));
    db_bind_text(s, 4, nz(in->organisation));
    bind_id(s, 5, in->org_id);
    bind_id(s, 6, in->province_id);
    db_bind_text(s, 7, nz(in->email));
    db_bind_text(s, 8, nz(in->phone));
    db_bind_text(s, 9, langs);
    db_bind_text(s, 10, in->bio ? in->bio : "");
    db_bind_text(s, 11, pub);
    db_bind_int(s, 12, in->accepts_requests ? 1 : 0);
    db_bind_text(s, 13, nz(in->trained_on));
    db_bind_text(s, 14, now);
    db_bind_int(s, 15, id);
    int64_t got = db_scalar_int(s, 0);
    free(folded);
    free(langs);
    free(pub);
    if (!got) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy chuyên gia.");
    return set_fields(d, id, in->fields, res);
}

enum store_status store_expert_set_status(db *d, int64_t id, const char *status, const char *reason, const char *now,
                                          struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT status FROM expert WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    if (!row) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy chuyên gia.");
    bool same = !strcmp(json_string_value(json_object_get(row, "status")), status);
    json_decref(row);
    if (same) return store_fail(res, STORE_CONFLICT, "Chuyên gia đã ở trạng thái này.");
    s = db_prepare(d, "UPDATE expert SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?");
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, nz(reason));
    db_bind_text(s, 3, now);
    db_bind_int(s, 4, id);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? store_fail_db(res, d) : STORE_OK;
}

int64_t store_expert_of_user(db *d, int64_t uid)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM expert WHERE user_id = ?");
    db_bind_int(s, 1, uid);
    return db_scalar_int(s, 0);
}

#define EXPERT_COLS "SELECT e.id, e.user_id, e.name, e.title, e.organisation, e.org_id, ou.name AS org_name, e.province_id, " \
                    "p.name AS province_name, e.email, e.phone, e.languages, e.bio, e.public_fields, e.accepts_requests, " \
                    "e.trained_on, e.status, e.status_reason, e.nominated_by_org, nb.name AS nominated_by_name, e.created_at, " \
                    "e.updated_at FROM expert e LEFT JOIN org_unit ou ON ou.id = e.org_id LEFT JOIN org_unit p ON p.id = e.province_id " \
                    "LEFT JOIN org_unit nb ON nb.id = e.nominated_by_org "

/* The JSON text columns become arrays, and the fields are attached. */
static enum store_status dress(db *d, json_t *e, struct store_result *res)
{
    const char *keys[] = { "languages", "public_fields" };
    for (int k = 0; k < 2; k++) {
        json_t *a = json_loads(json_string_value(json_object_get(e, keys[k])) ? json_string_value(json_object_get(e, keys[k])) : "[]", 0, NULL);
        json_object_set_new(e, keys[k], json_is_array(a) ? a : json_array());
        if (a && !json_is_array(a)) json_decref(a);
    }
    db_stmt *s = db_prepare(d, "SELECT f.code, f.name FROM expert_expertise x JOIN expert_field f ON f.code = x.field_code "
                               "WHERE x.expert_id = ? ORDER BY f.sort");
    db_bind_int(s, 1, json_integer_value(json_object_get(e, "id")));
    json_t *fields = db_rows(s);
    if (db_failed(d)) { json_decref(fields); return store_fail_db(res, d); }
    json_object_set_new(e, "fields", fields);
    return STORE_OK;
}

enum store_status store_expert_get(db *d, int64_t id, json_t **out, struct store_result *res)
{
    *out = NULL;
    db_stmt *s = db_prepare(d, EXPERT_COLS "WHERE e.id = ?");
    db_bind_int(s, 1, id);
    json_t *e = db_row(s);
    if (!e) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy chuyên gia.");
    if (dress(d, e, res)) { json_decref(e); return res->status; }
    *out = e;
    return STORE_OK;
}

#define FILTERS "WHERE (CAST(? AS TEXT) IS NULL OR e.status = CAST(? AS TEXT)) " \
                "AND (CAST(? AS TEXT) IS NULL OR e.name_folded LIKE CAST(? AS TEXT)) " \
                "AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM expert_expertise x WHERE x.expert_id = e.id AND x.field_code = CAST(? AS TEXT))) " \
                "AND (? = 0 OR e.province_id = ?) " \
                "AND (? = 0 OR EXISTS (SELECT 1 FROM org_unit w, org_unit n WHERE w.id = ? AND n.id = e.nominated_by_org AND n.path LIKE w.path || '%')) "

static void bind_filters(db_stmt *s, const struct expert_query *q, const char *like)
{
    db_bind_text(s, 1, q->status);
    db_bind_text(s, 2, q->status);
    db_bind_text(s, 3, like);
    db_bind_text(s, 4, like);
    db_bind_text(s, 5, q->field);
    db_bind_text(s, 6, q->field);
    db_bind_int(s, 7, q->province_id);
    db_bind_int(s, 8, q->province_id);
    db_bind_int(s, 9, q->nominated_within);
    db_bind_int(s, 10, q->nominated_within);
}

enum store_status store_experts_find(db *d, const struct expert_query *q, json_t **out, struct store_result *res)
{
    *out = NULL;
    /* Words in order, anything between them; folding leaves no % or _. */
    char *like = NULL;
    if (q->folded && *q->folded) {
        size_t n = strlen(q->folded);
        like = malloc(n + 3);
        if (!like) return store_fail(res, STORE_ERROR, NULL);
        like[0] = '%';
        for (size_t i = 0; i < n; i++) like[i + 1] = q->folded[i] == ' ' ? '%' : q->folded[i];
        memcpy(like + n + 1, "%", 2);
    }
    db_stmt *s = db_prepare(d, EXPERT_COLS FILTERS "ORDER BY e.name_folded, e.id LIMIT ? OFFSET ?");
    bind_filters(s, q, like);
    db_bind_int(s, 11, q->limit > 0 ? q->limit : 50);
    db_bind_int(s, 12, q->offset > 0 ? q->offset : 0);
    json_t *items = db_rows(s);
    if (db_failed(d)) goto fail;
    s = db_prepare(d, "SELECT COUNT(*) FROM expert e " FILTERS);
    bind_filters(s, q, like);
    int64_t total = db_scalar_int(s, 0);
    if (db_failed(d)) goto fail;
    free(like);
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e)
        if (dress(d, e, res)) { json_decref(items); return res->status; }
    *out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
    return STORE_OK;
fail:
    free(like);
    json_decref(items);
    return store_fail_db(res, d);
}

static enum store_status rows(db *d, db_stmt *s, json_t **out, struct store_result *res)
{
    *out = db_rows(s);
    if (!db_failed(d)) return STORE_OK;
    json_decref(*out);
    *out = NULL;
    return store_fail_db(res, d);
}

enum store_status store_expert_fields(db *d, json_t **out, struct store_result *res)
{
    return rows(d, db_prepare(d, "SELECT code, name FROM expert_field WHERE active = 1 ORDER BY sort"), out, res);
}

enum store_status store_expert_provinces(db *d, json_t **out, struct store_result *res)
{
    return rows(d, db_prepare(d, "SELECT id, code, name FROM org_unit WHERE kind = 'province' AND valid_to IS NULL ORDER BY name_folded"),
                out, res);
}

int64_t store_expert_province_of(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT p.id FROM org_unit o, org_unit p WHERE o.id = ? AND p.kind = 'province' "
                               "AND o.path LIKE p.path || '%' ORDER BY LENGTH(p.path) DESC LIMIT 1");
    db_bind_int(s, 1, org_id);
    return db_scalar_int(s, 0);
}

enum store_status store_expert_link_user(db *d, int64_t id, int64_t uid, const char *now, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(user_id, 0) AS uid FROM expert WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    if (!row) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy chuyên gia.");
    int64_t had = json_integer_value(json_object_get(row, "uid"));
    json_decref(row);
    if (had) return store_fail(res, STORE_CONFLICT, "Chuyên gia này đã có tài khoản.");
    int64_t other = store_expert_of_user(d, uid);
    if (db_failed(d)) return store_fail_db(res, d);
    if (other) {
        store_field(res, "email", "Tài khoản này đã gắn với một chuyên gia khác.");
        return store_fail(res, STORE_CONFLICT, "Tài khoản có email này đã gắn với một hồ sơ chuyên gia khác; mỗi tài khoản là một chuyên gia.");
    }
    /* user_id IS NULL again under the write: two links racing leave one, the other finds nothing to change. */
    s = db_prepare(d, "UPDATE expert SET user_id = ?, updated_at = ? WHERE id = ? AND user_id IS NULL RETURNING id");
    db_bind_int(s, 1, uid);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    if (db_scalar_int(s, 0)) return STORE_OK;
    return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_CONFLICT, "Chuyên gia này đã có tài khoản.");
}

int64_t store_expert_account_by_email(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ?");
    db_bind_text(s, 1, email);
    return db_scalar_int(s, 0);
}
