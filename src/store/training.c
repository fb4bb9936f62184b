/* Training classes in SQL: creating one with its sessions, trainers and materials, the list and one class. Must not
 * begin or commit (the caller's transaction holds the write and its audit entry), nor decide who may write. */
#include "store/training.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const training_audiences[] = { "leaders", "officials", "team_members", "youth_officers", "experts", NULL };
const char *const training_audience_labels[] = { "Lãnh đạo", "Cán bộ, công chức", "Thành viên tổ công nghệ số",
                                                 "Cán bộ Đoàn", "Chuyên gia", NULL };

const char *training_audience_label(const char *code)
{
    for (int i = 0; code && training_audiences[i]; i++)
        if (!strcmp(code, training_audiences[i])) return training_audience_labels[i];
    return NULL;
}

const char *training_status_label(const char *code)
{
    static const char *const codes[] = { "nominated", "waiting", "confirmed", "declined", NULL };
    static const char *const labels[] = { "Đã đề cử", "Danh sách chờ", "Đã xác nhận", "Không tham gia", NULL };
    for (int i = 0; code && codes[i]; i++)
        if (!strcmp(code, codes[i])) return labels[i];
    return NULL;
}

static const char *or_null(const char *s) { return s && *s ? s : NULL; }

enum store_status store_training_create(db *d, const struct training_in *in, int64_t by, const char *now, int64_t *id,
                                        struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO training (title, audience, org_id, starts_on, ends_on, place, online_url, capacity, "
                               "min_sessions, description, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, in->title);
    db_bind_text(s, 2, in->audience);
    db_bind_int(s, 3, in->org_id);
    db_bind_text(s, 4, in->starts_on);
    db_bind_text(s, 5, in->ends_on);
    db_bind_text(s, 6, or_null(in->place));
    db_bind_text(s, 7, or_null(in->online_url));
    db_bind_int(s, 8, in->capacity);
    db_bind_int(s, 9, in->min_sessions);
    db_bind_text(s, 10, in->description ? in->description : "");
    if (by) db_bind_int(s, 11, by); else db_bind_null(s, 11);
    db_bind_text(s, 12, now);
    *id = db_scalar_int(s, 0);
    if (db_failed(d) || !*id) return store_fail_db(res, d);
    for (int i = 0; i < in->nsessions; i++) {
        s = db_prepare(d, "INSERT INTO training_session (training_id, seq, starts_at, topic) VALUES (?, ?, ?, ?)");
        db_bind_int(s, 1, *id);
        db_bind_int(s, 2, i + 1);
        db_bind_text(s, 3, in->sessions[i].starts_at);
        db_bind_text(s, 4, in->sessions[i].topic ? in->sessions[i].topic : "");
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return store_fail_db(res, d);
    }
    for (int i = 0; i < in->ntrainers; i++) {
        /* Only an approved expert teaches: a paused or removed one is refused, whatever the form offered earlier. */
        s = db_prepare(d, "INSERT INTO training_trainer (training_id, expert_id) SELECT ?, e.id FROM expert e "
                          "WHERE e.id = ? AND e.status = 'approved' ON CONFLICT (training_id, expert_id) DO NOTHING RETURNING expert_id");
        db_bind_int(s, 1, *id);
        db_bind_int(s, 2, in->trainers[i]);
        int64_t got = db_scalar_int(s, 0);
        if (db_failed(d)) return store_fail_db(res, d);
        if (!got) {
            bool dup = false;
            for (int k = 0; k < i; k++) dup = dup || in->trainers[k] == in->trainers[i];
            if (dup) continue;
            char msg[128];
            snprintf(msg, sizeof msg, "Giảng viên số %lld không phải chuyên gia đã được duyệt trong mạng lưới.", (long long)in->trainers[i]);
            store_field(res, "trainers", msg);
            return store_fail(res, STORE_INVALID, "%s", msg);
        }
    }
    for (int i = 0; i < in->ncourses; i++) {
        s = db_prepare(d, "INSERT INTO training_material (training_id, kind, title, course_slug, created_at) "
                          "SELECT ?, 'course', c.title, c.slug, ? FROM course c WHERE c.slug = ? RETURNING id");
        db_bind_int(s, 1, *id);
        db_bind_text(s, 2, now);
        db_bind_text(s, 3, in->courses[i]);
        int64_t got = db_scalar_int(s, 0);
        if (db_failed(d)) return store_fail_db(res, d);
        if (!got) {
            char msg[200];
            snprintf(msg, sizeof msg, "Không có khóa học \"%.100s\".", in->courses[i]);
            store_field(res, "courses", msg);
            return store_fail(res, STORE_INVALID, "%s", msg);
        }
    }
    return STORE_OK;
}

enum store_status store_training_material_file(db *d, int64_t training_id, const char *title, const char *sha,
                                               const char *now, int64_t *id, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "INSERT INTO training_material (training_id, kind, title, file_sha256, created_at) "
                               "VALUES (?, 'file', ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, training_id);
    db_bind_text(s, 2, title);
    db_bind_text(s, 3, sha);
    db_bind_text(s, 4, now);
    *id = db_scalar_int(s, 0);
    if (db_failed(d) || !*id) return store_fail_db(res, d);
    return STORE_OK;
}

json_t *store_training_material_get(db *d, int64_t training_id, int64_t material_id)
{
    db_stmt *s = db_prepare(d, "SELECT title, file_sha256 FROM training_material WHERE training_id = ? AND id = ? AND kind = 'file'");
    db_bind_int(s, 1, training_id);
    db_bind_int(s, 2, material_id);
    return db_row(s);
}

#define LIST_COLS "SELECT t.id, t.title, t.audience, t.org_id, o.code AS org_code, o.name AS org_name, o.path AS org_path, " \
    "t.starts_on, t.ends_on, t.place, t.online_url, t.capacity, t.min_sessions, t.cancelled_at, t.cancel_reason, " \
    "(SELECT COUNT(*) FROM training_nominee n WHERE n.training_id = t.id AND n.status IN ('nominated', 'confirmed')) AS seats_taken, " \
    "(SELECT COUNT(*) FROM training_nominee n WHERE n.training_id = t.id AND n.status = 'waiting') AS waiting, " \
    "(SELECT COUNT(*) FROM training_session x WHERE x.training_id = t.id) AS sessions " \
    "FROM training t JOIN org_unit o ON o.id = t.org_id "

static void label(json_t *rows)
{
    size_t i;
    json_t *t;
    json_array_foreach(rows, i, t) {
        const char *a = training_audience_label(json_string_value(json_object_get(t, "audience")));
        json_object_set_new(t, "audience_label", json_string(a ? a : ""));
    }
}

json_t *store_trainings_find(db *d, int64_t within, const char *upcoming_from, int limit)
{
    db_stmt *s = db_prepare(d, LIST_COLS "WHERE (? = 0 OR o.path LIKE (SELECT w.path FROM org_unit w WHERE w.id = ?) || '%') "
                               "AND (CAST(? AS TEXT) IS NULL OR t.ends_on >= CAST(? AS TEXT)) ORDER BY t.starts_on DESC, t.id DESC LIMIT ?");
    db_bind_int(s, 1, within);
    db_bind_int(s, 2, within);
    db_bind_text(s, 3, upcoming_from);
    db_bind_text(s, 4, upcoming_from);
    db_bind_int(s, 5, limit > 0 ? limit : 100);
    json_t *rows = db_rows(s);
    if (db_failed(d)) { json_decref(rows); return NULL; }
    label(rows);
    return rows;
}

enum store_status store_training_get(db *d, int64_t id, json_t **out, struct store_result *res)
{
    *out = NULL;
    db_stmt *s = db_prepare(d, LIST_COLS "WHERE t.id = ?");
    db_bind_int(s, 1, id);
    json_t *t = db_row(s);
    if (!t) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy lớp tập huấn.");
    s = db_prepare(d, "SELECT description, created_at FROM training WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *more = db_row(s);
    if (more) json_object_update(t, more);
    json_decref(more);
    s = db_prepare(d, "SELECT x.id, x.seq, x.starts_at, x.topic, (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = x.id "
                      "AND a.present = 1) AS present, (SELECT COUNT(*) FROM training_attendance a WHERE a.session_id = x.id) AS recorded "
                      "FROM training_session x WHERE x.training_id = ? ORDER BY x.seq");
    db_bind_int(s, 1, id);
    json_object_set_new(t, "session_list", db_rows(s));
    s = db_prepare(d, "SELECT e.id, e.name, e.title, e.organisation FROM training_trainer tt JOIN expert e ON e.id = tt.expert_id "
                      "WHERE tt.training_id = ? ORDER BY e.name, e.id");
    db_bind_int(s, 1, id);
    json_object_set_new(t, "trainers", db_rows(s));
    s = db_prepare(d, "SELECT m.id, m.kind, m.title, m.file_sha256, m.course_slug FROM training_material m WHERE m.training_id = ? ORDER BY m.id");
    db_bind_int(s, 1, id);
    json_object_set_new(t, "materials", db_rows(s));
    if (db_failed(d)) { json_decref(t); return store_fail_db(res, d); }
    json_t *one = json_pack("[O]", t);
    label(one);
    json_decref(one);
    *out = t;
    return STORE_OK;
}

json_t *store_training_session(db *d, int64_t training_id, int64_t session_id)
{
    db_stmt *s = db_prepare(d, "SELECT id, seq, starts_at, topic FROM training_session WHERE training_id = ? AND id = ?");
    db_bind_int(s, 1, training_id);
    db_bind_int(s, 2, session_id);
    return db_row(s);
}

json_t *store_training_experts(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT id, name, title, organisation FROM expert WHERE status = 'approved' ORDER BY name, id LIMIT 500");
    return db_rows(s);
}

int64_t store_training_account(db *d, const char *email, char name[256])
{
    db_stmt *s = db_prepare(d, "SELECT id, name FROM app_user WHERE email = ?");
    db_bind_text(s, 1, email);
    json_t *u = db_row(s);
    if (!u) return 0;
    snprintf(name, 256, "%s", json_string_value(json_object_get(u, "name")) ? json_string_value(json_object_get(u, "name")) : email);
    int64_t id = json_integer_value(json_object_get(u, "id"));
    json_decref(u);
    return id;
}

json_t *store_training_my_units(db *d, int64_t uid)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT o.id, o.code, o.name FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
                               "WHERE ur.user_id = ? AND ur.role IN ('officer', 'coordinator', 'admin') ORDER BY o.name, o.id");
    db_bind_int(s, 1, uid);
    return db_rows(s);
}
