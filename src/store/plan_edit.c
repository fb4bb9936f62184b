/* Duplicates refused before saving, and edits of a saved plan with one history row per changed field. Must not
 * rewrite history rows, nor change a task of another plan through this plan. */
#include "store/plan_edit.h"
#include "store/org.h"
#include "store/search.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

json_t *store_plan_duplicate(db *d, const char *number, const char *issuer, const char *sha)
{
    db_stmt *s;
    if (sha && *sha) {
        s = db_prepare(d, "SELECT id, number, title FROM plan WHERE source_sha256 = ? ORDER BY id LIMIT 1");
        db_bind_text(s, 1, sha);
        json_t *row = db_row(s);
        if (row) return row;
    }
    char *nf = number ? text_fold_compact(number) : NULL;
    if (!nf || !*nf) { free(nf); return NULL; }
    int64_t issuer_id = 0;
    char *ifold = issuer ? text_fold(issuer) : NULL;
    if (issuer && *issuer) {
        struct org_resolved r = org_resolve(d, issuer, NULL, 0);
        if (r.status == ORG_FOUND) issuer_id = r.id;
    }
    s = db_prepare(d, "SELECT id, number, title, issuer, issuer_id FROM plan WHERE number_folded = ? ORDER BY id");
    db_bind_text(s, 1, nf);
    json_t *rows = db_rows(s), *hit = NULL;
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p) {
        int64_t pid = json_integer_value(json_object_get(p, "issuer_id"));
        char *pf = jstr(p, "issuer") ? text_fold(jstr(p, "issuer")) : NULL;
        bool same = (issuer_id && pid == issuer_id) || (!issuer_id && !pid && ((!ifold && !pf) || (ifold && pf && !strcmp(ifold, pf))));
        free(pf);
        if (same) {
            hit = json_pack("{s:O, s:O, s:O}", "id", json_object_get(p, "id"), "number", json_object_get(p, "number"), "title",
                            json_object_get(p, "title"));
            break;
        }
    }
    json_decref(rows);
    free(nf);
    free(ifold);
    return hit;
}

json_t *store_plan_owner(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT id, created_by, issuer_id FROM plan WHERE id = ?");
    db_bind_int(s, 1, id);
    return db_row(s);
}

static int history(db *d, int64_t plan_id, int64_t task_id, const char *field, const char *old, const char *new_,
                   int64_t user_id, const char *now)
{
    db_stmt *s = db_prepare(d, "INSERT INTO plan_history (plan_id, task_id, field, old_value, new_value, user_id, at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, plan_id);
    if (task_id) db_bind_int(s, 2, task_id);
    else db_bind_null(s, 2);
    db_bind_text(s, 3, field);
    db_bind_text(s, 4, old);
    db_bind_text(s, 5, new_);
    if (user_id) db_bind_int(s, 6, user_id);
    else db_bind_null(s, 6);
    db_bind_text(s, 7, now);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static bool same(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* A changed text value: NULL for "" (cleared), NFC otherwise. */
static char *norm(json_t *v) { return json_is_string(v) && *json_string_value(v) ? text_nfc(json_string_value(v)) : NULL; }

enum store_status store_plan_edit(db *d, int64_t plan_id, json_t *ch, int64_t user_id, int *changed, struct store_result *res)
{
    *changed = 0;
    char now[21];
    date_utc_iso(time(NULL), now);
    db_stmt *s = db_prepare(d, "SELECT id, number, issued, issuer, title FROM plan WHERE id = ?");
    db_bind_int(s, 1, plan_id);
    json_t *p = db_row(s);
    if (!p) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không tìm thấy kế hoạch.");
    json_t *errors = json_object();
    static const char *const fields[] = { "title", "number", "issued", "issuer" };
    for (int f = 0; f < 4; f++) {
        json_t *v = json_object_get(ch, fields[f]);
        if (!v) continue;
        char *nv = norm(v);
        struct ymd dd;
        if (!json_is_string(v) && !json_is_null(v)) json_object_set_new(errors, fields[f], json_string("Giá trị không hợp lệ."));
        else if (f == 0 && (!nv || strlen(nv) > 4000)) json_object_set_new(errors, "title", json_string("Cần tên kế hoạch (tối đa 4.000 ký tự)."));
        else if (f == 1 && nv && strlen(nv) > 100) json_object_set_new(errors, "number", json_string("Số hiệu quá dài."));
        else if (f == 2 && nv && !date_parse_iso(nv, &dd)) json_object_set_new(errors, "issued", json_string("Ngày ban hành không hợp lệ (YYYY-MM-DD)."));
        else if (f == 3 && nv && strlen(nv) > 1000) json_object_set_new(errors, "issuer", json_string("Tên cơ quan ban hành quá dài."));
        else if (!same(jstr(p, fields[f]), nv)) {
            char sql[160];
            snprintf(sql, sizeof sql, "UPDATE plan SET %s = ? WHERE id = ?", fields[f]); /* fields[] is our own list */
            s = db_prepare(d, sql);
            db_bind_text(s, 1, nv);
            db_bind_int(s, 2, plan_id);
            int rc = db_step(s);
            db_done(s);
            if (rc == DB_ERROR || history(d, plan_id, 0, fields[f], jstr(p, fields[f]), nv, user_id, now)) {
                free(nv);
                json_decref(p);
                json_decref(errors);
                return store_fail_db(res, d);
            }
            if (f == 1) {
                char *nf = nv ? text_fold_compact(nv) : NULL;
                s = db_prepare(d, "UPDATE plan SET number_folded = ? WHERE id = ?");
                db_bind_text(s, 1, nf && *nf ? nf : NULL);
                db_bind_int(s, 2, plan_id);
                db_step(s);
                db_done(s);
                free(nf);
            } else if (f == 3) {
                struct org_resolved r = nv ? org_resolve(d, nv, NULL, 0) : (struct org_resolved){ 0 };
                s = db_prepare(d, "UPDATE plan SET issuer_id = ? WHERE id = ?");
                if (r.status == ORG_FOUND) db_bind_int(s, 1, r.id);
                else db_bind_null(s, 1);
                db_bind_int(s, 2, plan_id);
                db_step(s);
                db_done(s);
            }
            (*changed)++;
        }
        free(nv);
    }
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(ch, "tasks"), i, t) {
        int64_t tid = json_integer_value(json_object_get(t, "id"));
        s = db_prepare(d, "SELECT id, title, due, deliverable FROM task WHERE id = ? AND plan_id = ?");
        db_bind_int(s, 1, tid);
        db_bind_int(s, 2, plan_id);
        json_t *old = db_row(s);
        char key[64];
        if (!old) {
            snprintf(key, sizeof key, "tasks[%zu].id", i);
            json_object_set_new(errors, key, json_string("Nhiệm vụ không thuộc kế hoạch này."));
            continue;
        }
        static const char *const tf[] = { "title", "due", "deliverable" };
        for (int f = 0; f < 3; f++) {
            json_t *v = json_object_get(t, tf[f]);
            if (!v) continue;
            char *nv = norm(v);
            struct ymd dd;
            snprintf(key, sizeof key, "tasks[%zu].%s", i, tf[f]);
            if (f == 0 && (!nv || strlen(nv) > 4000)) json_object_set_new(errors, key, json_string("Cần nội dung nhiệm vụ."));
            else if (f == 1 && nv && !date_parse_iso(nv, &dd)) json_object_set_new(errors, key, json_string("Thời hạn không hợp lệ (YYYY-MM-DD)."));
            else if (f == 2 && nv && strlen(nv) > 4000) json_object_set_new(errors, key, json_string("Kết quả, sản phẩm quá dài."));
            else if (!same(jstr(old, tf[f]), nv)) {
                char sql[160];
                snprintf(sql, sizeof sql, "UPDATE task SET %s = ? WHERE id = ?", tf[f]); /* tf[] is our own list */
                s = db_prepare(d, sql);
                db_bind_text(s, 1, nv);
                db_bind_int(s, 2, tid);
                int rc = db_step(s);
                db_done(s);
                if (rc == DB_ERROR || history(d, plan_id, tid, tf[f], jstr(old, tf[f]), nv, user_id, now)) {
                    free(nv);
                    json_decref(old);
                    json_decref(p);
                    json_decref(errors);
                    return store_fail_db(res, d);
                }
                (*changed)++;
            }
            free(nv);
        }
        json_decref(old);
    }
    json_decref(p);
    if (json_object_size(errors)) {
        store_fail(res, STORE_INVALID, "Sửa kế hoạch chưa hợp lệ; chưa có gì được lưu.");
        if (res) { json_decref(res->fields); res->fields = errors; }
        else json_decref(errors);
        return STORE_INVALID;
    }
    json_decref(errors);
    if (*changed && store_search_index_plan(d, plan_id)) return store_fail_db(res, d);
    return STORE_OK;
}

json_t *store_plan_history(db *d, int64_t plan_id)
{
    db_stmt *s = db_prepare(d, "SELECT h.field, h.task_id, t.ref AS task_ref, h.old_value, h.new_value, u.name AS user_name, h.at "
                               "FROM plan_history h LEFT JOIN task t ON t.id = h.task_id LEFT JOIN app_user u ON u.id = h.user_id "
                               "WHERE h.plan_id = ? ORDER BY h.id DESC");
    db_bind_int(s, 1, plan_id);
    return db_rows(s);
}

json_t *store_plan_review_notes(db *d, int64_t plan_id)
{
    db_stmt *s = db_prepare(d, "SELECT review_notes FROM plan WHERE id = ?");
    db_bind_int(s, 1, plan_id);
    json_t *row = db_row(s);
    const char *j = row ? json_string_value(json_object_get(row, "review_notes")) : NULL;
    json_t *notes = j ? json_loads(j, 0, NULL) : NULL;
    json_decref(row);
    return json_is_array(notes) ? notes : (json_decref(notes), json_array());
}
