/* Editing an award contest's definition: the contest's own columns and its parts matched by code (rounds by position),
 * refusing a change that entries, answers or scores already depend on. Must not know about HTTP nor about quiz rounds. */
#include "store/contest.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static int64_t num(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static bool step_ok(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc != DB_ERROR;
}

static int64_t count(db *d, const char *sql, int64_t a, const char *b)
{
    db_stmt *s = db_prepare(d, sql);
    db_bind_int(s, 1, a);
    if (b) db_bind_text(s, 2, b);
    return db_scalar_int(s, 0);
}

static json_t *by_code(json_t *list, const char *code)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (str(x, "code") && code && !strcmp(str(x, "code"), code)) return x;
    return NULL;
}

static bool same_str(const char *a, const char *b) { return !strcmp(a ? a : "", b ? b : ""); }

/* "organisation,youth" from the list, as the table keeps it. */
static void eligible_list(json_t *el, char *out, size_t n)
{
    size_t j;
    json_t *k;
    *out = 0;
    json_array_foreach(el, j, k) {
        if (strlen(out) + 16 >= n) break;
        if (*out) strcat(out, ",");
        strcat(out, json_string_value(k));
    }
}

/* Whether an entry of the contest (a draft included) holds a value for the field: then its meaning is fixed. */
static int answers(db *d, int64_t contest_id, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT fields FROM contest_entry WHERE contest_id = ?");
    db_bind_int(s, 1, contest_id);
    json_t *rows = db_rows(s);
    if (!rows) return -1;
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_t *v = json_loads(str(r, "fields") ? str(r, "fields") : "{}", 0, NULL);
        json_t *x = json_object_get(v, code);
        if (x && !json_is_null(x) && !(json_is_string(x) && !*json_string_value(x))) n++;
        json_decref(v);
    }
    json_decref(rows);
    return n;
}

static enum store_status categories(db *d, int64_t cid, json_t *cur, json_t *def, struct store_result *res)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cur, "categories"), i, x) {
        json_t *n = by_code(json_object_get(def, "categories"), str(x, "code"));
        int64_t entries = count(d, "SELECT COUNT(*) FROM contest_entry WHERE category_id = ?", num(x, "id"), NULL);
        if (db_failed(d)) return store_fail_db(res, d);
        if (entries && (!n || !json_equal(json_object_get(n, "eligible"), json_object_get(x, "eligible")))) {
            store_field(res, "categories", "Hạng mục đã có hồ sơ: không xóa được, không đổi được đối tượng tham gia.");
            return store_fail(res, STORE_CONFLICT, "Hạng mục \"%s\" đã có %lld hồ sơ nên không thể xóa hay đổi đối tượng tham gia.",
                              str(x, "name"), (long long)entries);
        }
        db_stmt *s = db_prepare(d, n ? "UPDATE contest_category SET name = ?, eligible = ?, sort = ? WHERE id = ?"
                                     : "DELETE FROM contest_category WHERE id = ?");
        if (n) {
            char list[128];
            eligible_list(json_object_get(n, "eligible"), list, sizeof list);
            size_t at = 0, k;
            json_t *y;
            json_array_foreach(json_object_get(def, "categories"), k, y) if (y == n) at = k;
            db_bind_text(s, 1, str(n, "name")), db_bind_text(s, 2, list), db_bind_int(s, 3, (int64_t)at), db_bind_int(s, 4, num(x, "id"));
        } else {
            db_bind_int(s, 1, num(x, "id"));
        }
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "categories"), i, x) {
        if (by_code(json_object_get(cur, "categories"), str(x, "code"))) continue;
        char list[128];
        eligible_list(json_object_get(x, "eligible"), list, sizeof list);
        db_stmt *s = db_prepare(d, "INSERT INTO contest_category (contest_id, code, name, eligible, sort) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code")), db_bind_text(s, 3, str(x, "name"));
        db_bind_text(s, 4, list), db_bind_int(s, 5, (int64_t)i);
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    return STORE_OK;
}

static enum store_status fields(db *d, int64_t cid, json_t *cur, json_t *def, struct store_result *res)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cur, "fields"), i, x) {
        json_t *n = by_code(json_object_get(def, "fields"), str(x, "code"));
        bool changed = !n || !same_str(str(n, "type"), str(x, "type")) ||
                       !json_equal(json_is_array(json_object_get(n, "choices")) ? json_object_get(n, "choices") : json_null(),
                                   json_object_get(x, "choices"));
        if (changed) {
            int used = answers(d, cid, str(x, "code"));
            if (used < 0) return store_fail_db(res, d);
            if (used) {
                store_field(res, "fields", "Trường đã có câu trả lời: không xóa được, không đổi được kiểu hay các lựa chọn.");
                return store_fail(res, STORE_CONFLICT, "Trường \"%s\" đã có %d hồ sơ trả lời nên không thể xóa hay đổi kiểu, lựa chọn.",
                                  str(x, "label"), used);
            }
        }
        if (n) continue;   /* updated below with the new ones */
        db_stmt *s = db_prepare(d, "DELETE FROM contest_field WHERE contest_id = ? AND code = ?");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code"));
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "fields"), i, x) {
        json_t *ch = json_object_get(x, "choices"), *mb = json_object_get(x, "max_bytes");
        char *chs = json_is_array(ch) ? json_dumps(ch, JSON_COMPACT) : NULL;
        bool old = by_code(json_object_get(cur, "fields"), str(x, "code")) != NULL;
        db_stmt *s = db_prepare(d, old ? "UPDATE contest_field SET label = ?, type = ?, required = ?, choices = ?, max_bytes = ?, "
                                         "help = ?, sort = ? WHERE contest_id = ? AND code = ?"
                                       : "INSERT INTO contest_field (label, type, required, choices, max_bytes, help, sort, "
                                         "contest_id, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_text(s, 1, str(x, "label")), db_bind_text(s, 2, str(x, "type"));
        db_bind_int(s, 3, json_is_true(json_object_get(x, "required"))), db_bind_text(s, 4, chs);
        if (json_is_integer(mb)) db_bind_int(s, 5, json_integer_value(mb)); else db_bind_null(s, 5);
        db_bind_text(s, 6, str(x, "help")), db_bind_int(s, 7, (int64_t)i), db_bind_int(s, 8, cid), db_bind_text(s, 9, str(x, "code"));
        bool ok = step_ok(s);
        free(chs);
        if (!ok) return store_fail_db(res, d);
    }
    return STORE_OK;
}

static enum store_status criteria(db *d, int64_t cid, json_t *cur, json_t *def, struct store_result *res)
{
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cur, "criteria"), i, x) {
        json_t *n = by_code(json_object_get(def, "criteria"), str(x, "code"));
        int64_t scores = count(d, "SELECT COUNT(*) FROM contest_score WHERE criterion_id = ?", num(x, "id"), NULL);
        if (db_failed(d)) return store_fail_db(res, d);
        if (scores && (!n || json_number_value(json_object_get(n, "weight")) != json_number_value(json_object_get(x, "weight")))) {
            store_field(res, "criteria", "Tiêu chí đã có điểm chấm: không xóa được, không đổi được trọng số.");
            return store_fail(res, STORE_CONFLICT, "Tiêu chí \"%s\" đã có %lld điểm chấm nên không thể xóa hay đổi trọng số.",
                              str(x, "name"), (long long)scores);
        }
        db_stmt *s = db_prepare(d, n ? "UPDATE contest_criterion SET name = ?, weight = ?, sort = ? WHERE id = ?"
                                     : "DELETE FROM contest_criterion WHERE id = ?");
        if (n) {
            size_t at = 0, k;
            json_t *y;
            json_array_foreach(json_object_get(def, "criteria"), k, y) if (y == n) at = k;
            db_bind_text(s, 1, str(n, "name")), db_bind_double(s, 2, json_number_value(json_object_get(n, "weight")));
            db_bind_int(s, 3, (int64_t)at), db_bind_int(s, 4, num(x, "id"));
        } else {
            db_bind_int(s, 1, num(x, "id"));
        }
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "criteria"), i, x) {
        if (by_code(json_object_get(cur, "criteria"), str(x, "code"))) continue;
        db_stmt *s = db_prepare(d, "INSERT INTO contest_criterion (contest_id, code, name, weight, sort) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code")), db_bind_text(s, 3, str(x, "name"));
        db_bind_double(s, 4, json_number_value(json_object_get(x, "weight"))), db_bind_int(s, 5, (int64_t)i);
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    return STORE_OK;
}

/* Rounds are their position: round k of def is seq k. A round is in use once scored, decided, closed or reached. */
static enum store_status rounds(db *d, int64_t cid, json_t *cur, json_t *def, struct store_result *res)
{
    json_t *nr = json_object_get(def, "rounds");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(cur, "rounds"), i, x) {
        int64_t seq = num(x, "seq");
        json_t *n = seq >= 1 && (size_t)seq <= json_array_size(nr) ? json_array_get(nr, (size_t)seq - 1) : NULL;
        int64_t used = count(d, "SELECT COUNT(*) FROM contest_score WHERE round_id = ?", num(x, "id"), NULL);
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest_entry WHERE contest_id = ? AND round_seq >= ?");
        db_bind_int(s, 1, cid), db_bind_int(s, 2, seq);
        used += db_scalar_int(s, 0);
        if (db_failed(d)) return store_fail_db(res, d);
        if (!strcmp(str(x, "status"), "closed")) used++;
        if (used && (!n || !same_str(str(n, "kind"), str(x, "kind")))) {
            store_field(res, "rounds", "Vòng đã có hồ sơ, điểm chấm hoặc đã đóng: không xóa được, không đổi được loại vòng.");
            return store_fail(res, STORE_CONFLICT, "Vòng %lld \"%s\" đã có hồ sơ, điểm chấm hoặc đã đóng nên không thể xóa hay đổi loại.",
                              (long long)seq, str(x, "name"));
        }
        s = db_prepare(d, n ? "UPDATE contest_round SET name = ?, kind = ? WHERE id = ?" : "DELETE FROM contest_round WHERE id = ?");
        if (n) db_bind_text(s, 1, str(n, "name")), db_bind_text(s, 2, str(n, "kind")), db_bind_int(s, 3, num(x, "id"));
        else db_bind_int(s, 1, num(x, "id"));
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(nr, i, x) {
        if (i < json_array_size(json_object_get(cur, "rounds"))) continue;
        db_stmt *s = db_prepare(d, "INSERT INTO contest_round (contest_id, seq, name, kind, status) VALUES (?, ?, ?, ?, 'open')");
        db_bind_int(s, 1, cid), db_bind_int(s, 2, (int64_t)i + 1), db_bind_text(s, 3, str(x, "name")), db_bind_text(s, 4, str(x, "kind"));
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    return STORE_OK;
}

enum store_status store_contest_update(db *d, json_t *cur, json_t *def, struct store_result *res)
{
    json_object_set_new(def, "slug", json_string(str(cur, "slug")));
    store_contest_check(def, res);
    if (res->status != STORE_OK) return res->status;
    if (!store_contest_year_ok(d, def, res)) return res->status;
    int64_t cid = num(cur, "id");
    json_t *mn = json_object_get(def, "score_min"), *mx = json_object_get(def, "score_max");
    int64_t lo = mn ? json_integer_value(mn) : num(cur, "score_min"), hi = mx ? json_integer_value(mx) : num(cur, "score_max");
    if (lo != num(cur, "score_min") || hi != num(cur, "score_max")) {
        int64_t scores = count(d, "SELECT COUNT(*) FROM contest_score s JOIN contest_entry e ON e.id = s.entry_id WHERE e.contest_id = ?", cid, NULL);
        if (db_failed(d)) return store_fail_db(res, d);
        if (scores) {
            store_field(res, "score_max", "Đã có điểm chấm theo thang cũ: không đổi được thang điểm.");
            return store_fail(res, STORE_CONFLICT, "Đã có %lld điểm chấm theo thang %lld–%lld nên không thể đổi thang điểm.",
                              (long long)scores, (long long)num(cur, "score_min"), (long long)num(cur, "score_max"));
        }
    }
    char *folded = text_fold(str(def, "title"));
    db_stmt *s = db_prepare(d, "UPDATE contest SET year = ?, org_id = ?, title = ?, title_folded = ?, rules_md = ?, opens_at = ?, "
                               "closes_at = ?, results_at = ?, score_min = ?, score_max = ?, blind = ? WHERE id = ?");
    db_bind_int(s, 1, num(def, "year")), db_bind_int(s, 2, num(def, "org_id")), db_bind_text(s, 3, str(def, "title"));
    db_bind_text(s, 4, folded ? folded : ""), db_bind_text(s, 5, str(def, "rules_md") ? str(def, "rules_md") : "");
    db_bind_text(s, 6, str(def, "opens_at")), db_bind_text(s, 7, str(def, "closes_at")), db_bind_text(s, 8, str(def, "results_at"));
    db_bind_int(s, 9, lo), db_bind_int(s, 10, hi), db_bind_int(s, 11, json_is_true(json_object_get(def, "blind"))), db_bind_int(s, 12, cid);
    free(folded);
    if (!step_ok(s)) return store_fail_db(res, d);
    if (categories(d, cid, cur, def, res) || fields(d, cid, cur, def, res) || criteria(d, cid, cur, def, res) ||
        rounds(d, cid, cur, def, res))
        return res->status;
    return STORE_OK;
}

json_t *store_contest_organiser_units(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT o.code, o.name FROM user_role ur JOIN org_unit o ON o.id = ur.org_id "
                               "WHERE ur.user_id = ? AND ur.role IN ('officer', 'coordinator', 'admin') ORDER BY o.name");
    db_bind_int(s, 1, user_id);
    json_t *rows = db_rows(s);
    return rows ? rows : json_array();
}
