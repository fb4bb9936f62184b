/* Contest definitions: the list of every contest (award and quiz), one award contest with its categories, entry form,
 * criteria and rounds, and a new award contest checked and saved. Must not know about HTTP nor about quiz rounds. */
#include "store/contest.h"
#include "core/text.h"
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

json_t *store_contests_list(db *d)
{
    return db_rows(db_prepare(d, "SELECT c.id, c.slug, c.kind, c.year, c.title, o.name AS org_name, c.opens_at, c.closes_at, "
                                 "c.results_at, c.status FROM contest c JOIN org_unit o ON o.id = c.org_id "
                                 "WHERE c.status <> 'draft' ORDER BY c.year DESC, c.opens_at DESC, c.id DESC"));
}

static json_t *parts(db *d, const char *sql, int64_t id)
{
    db_stmt *s = db_prepare(d, sql);
    db_bind_int(s, 1, id);
    json_t *rows = db_rows(s);
    return rows ? rows : json_array();
}

json_t *store_contest_get(db *d, const char *slug)
{
    db_stmt *s = db_prepare(d, "SELECT c.id, c.slug, c.kind, c.year, c.org_id, o.name AS org_name, c.title, c.rules_md, "
                               "c.opens_at, c.closes_at, c.results_at, c.status, c.score_min, c.score_max, c.blind "
                               "FROM contest c JOIN org_unit o ON o.id = c.org_id WHERE c.slug = ?");
    db_bind_text(s, 1, slug);
    json_t *c = db_row(s);
    if (!c || strcmp(str(c, "kind"), "award")) return c;
    int64_t id = json_integer_value(json_object_get(c, "id"));
    json_t *cats = parts(d, "SELECT id, code, name, eligible FROM contest_category WHERE contest_id = ? ORDER BY sort, id", id);
    size_t i;
    json_t *cat;
    /* "organisation,youth" → ["organisation", "youth"]: templates and clients want a list. */
    json_array_foreach(cats, i, cat) {
        json_t *list = json_array();
        char *copy = strdup(str(cat, "eligible") ? str(cat, "eligible") : ""), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) json_array_append_new(list, json_string(t));
        free(copy);
        json_object_set_new(cat, "eligible", list);
    }
    json_object_set_new(c, "categories", cats);
    json_t *fields = parts(d, "SELECT code, label, type, required, choices, max_bytes, help FROM contest_field "
                              "WHERE contest_id = ? ORDER BY sort, id", id);
    json_t *f;
    json_array_foreach(fields, i, f) {
        const char *ch = str(f, "choices");
        json_object_set_new(f, "choices", ch ? json_loads(ch, 0, NULL) : json_null());
        if (!json_object_get(f, "choices")) json_object_set_new(f, "choices", json_null());
    }
    json_object_set_new(c, "fields", fields);
    json_object_set_new(c, "criteria", parts(d, "SELECT id, code, name, weight FROM contest_criterion WHERE contest_id = ? "
                                                "ORDER BY sort, id", id));
    json_object_set_new(c, "rounds", parts(d, "SELECT id, seq, name, kind, status FROM contest_round WHERE contest_id = ? "
                                              "ORDER BY seq", id));
    return c;
}

static bool step_ok(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc != DB_ERROR;
}

static bool iso_ok(const char *s) { return s && strlen(s) >= 10 && s[4] == '-' && s[7] == '-'; }

static const char *const KINDS[] = { "organisation", "enterprise", "individual", "youth", NULL };
static const char *const TYPES[] = { "integer", "decimal", "bool", "text", "longtext", "choice", "file", NULL };
static const char *const ROUND_KINDS[] = { "eligibility", "shortlist", "final", NULL };

static bool among(const char *const *list, const char *v)
{
    for (int i = 0; v && list[i]; i++) if (!strcmp(list[i], v)) return true;
    return false;
}

/* Whether two items of a list share a code: the tables' UNIQUE would otherwise answer with a 500. */
static bool dup_codes(json_t *a)
{
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(a, i, x) json_array_foreach(a, j, y)
        if (j > i && str(x, "code") && str(y, "code") && !strcmp(str(x, "code"), str(y, "code"))) return true;
    return false;
}

/* The campaign year a contest belongs to must exist (a foreign key): said as a field, not a 500. */
bool store_contest_year_ok(db *d, json_t *def, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM campaign WHERE year = ?");
    db_bind_int(s, 1, json_integer_value(json_object_get(def, "year")));
    int64_t n = db_scalar_int(s, 0);
    if (db_failed(d)) { store_fail_db(res, d); return false; }
    if (!n) { store_field(res, "year", "Chưa có đợt Ngày Chuyển đổi số của năm này."); return false; }
    return true;
}

void store_contest_check(json_t *def, struct store_result *res)
{
    const char *slug = str(def, "slug");
    bool slug_ok = slug && *slug && strlen(slug) <= 80;
    for (const char *p = slug; slug_ok && *p; p++) slug_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!slug_ok) store_field(res, "slug", "Địa chỉ ngắn chỉ gồm chữ thường không dấu, số và dấu gạch ngang.");
    if (!str(def, "title") || !*str(def, "title")) store_field(res, "title", "Cần tên cuộc thi.");
    if (!iso_ok(str(def, "opens_at"))) store_field(res, "opens_at", "Ngày mở nhận hồ sơ không hợp lệ.");
    if (!iso_ok(str(def, "closes_at"))) store_field(res, "closes_at", "Hạn nộp hồ sơ không hợp lệ.");
    if (str(def, "results_at") && !iso_ok(str(def, "results_at"))) store_field(res, "results_at", "Ngày công bố kết quả không hợp lệ.");
    json_int_t lo = json_integer_value(json_object_get(def, "score_min")), hi = json_integer_value(json_object_get(def, "score_max"));
    if (json_object_get(def, "score_max") && hi <= lo) store_field(res, "score_max", "Thang điểm: điểm cao nhất phải lớn hơn điểm thấp nhất.");
    json_t *a = json_object_get(def, "categories"), *x;
    size_t i;
    if (!json_array_size(a)) store_field(res, "categories", "Cần ít nhất một hạng mục.");
    json_array_foreach(a, i, x) {
        json_t *el = json_object_get(x, "eligible"), *k;
        size_t j;
        if (!str(x, "code") || !str(x, "name") || !json_array_size(el)) store_field(res, "categories", "Mỗi hạng mục cần mã, tên và đối tượng tham gia.");
        json_array_foreach(el, j, k) if (!among(KINDS, json_string_value(k)))
            store_field(res, "categories", "Đối tượng tham gia là organisation, enterprise, individual hoặc youth.");
    }
    json_array_foreach(json_object_get(def, "fields"), i, x)
        if (!str(x, "code") || !str(x, "label") || !among(TYPES, str(x, "type")))
            store_field(res, "fields", "Mỗi trường cần mã, nhãn và kiểu (integer, decimal, bool, text, longtext, choice, file).");
    a = json_object_get(def, "criteria");
    if (!json_array_size(a)) store_field(res, "criteria", "Cần ít nhất một tiêu chí chấm.");
    json_array_foreach(a, i, x)
        if (!str(x, "code") || !str(x, "name") || json_number_value(json_object_get(x, "weight")) <= 0)
            store_field(res, "criteria", "Mỗi tiêu chí cần mã, tên và trọng số dương.");
    if (dup_codes(json_object_get(def, "categories"))) store_field(res, "categories", "Hai hạng mục trùng mã.");
    if (dup_codes(json_object_get(def, "fields"))) store_field(res, "fields", "Hai trường trùng mã.");
    if (dup_codes(json_object_get(def, "criteria"))) store_field(res, "criteria", "Hai tiêu chí trùng mã.");
    if (str(def, "opens_at") && str(def, "closes_at") && strcmp(str(def, "opens_at"), str(def, "closes_at")) >= 0)
        store_field(res, "closes_at", "Hạn nộp phải sau ngày mở nhận hồ sơ.");
    a = json_object_get(def, "rounds");
    if (!json_array_size(a)) store_field(res, "rounds", "Cần ít nhất một vòng.");
    json_array_foreach(a, i, x)
        if (!str(x, "name") || !among(ROUND_KINDS, str(x, "kind")))
            store_field(res, "rounds", "Mỗi vòng cần tên và loại (eligibility, shortlist, final).");
}

enum store_status store_contest_create(db *d, json_t *def, int64_t user_id, const char *now, int64_t *id,
                                       struct store_result *res)
{
    store_contest_check(def, res);
    if (res->status != STORE_OK) return res->status;
    if (!store_contest_year_ok(d, def, res)) return res->status;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest WHERE slug = ?");
    db_bind_text(s, 1, str(def, "slug"));
    int64_t taken = db_scalar_int(s, 0);
    if (db_failed(d)) return store_fail_db(res, d);
    if (taken) {
        store_field(res, "slug", "Địa chỉ ngắn này đã có cuộc thi khác dùng.");
        return store_fail(res, STORE_CONFLICT, "Địa chỉ ngắn %s đã được dùng.", str(def, "slug"));
    }
    char *folded = text_fold(str(def, "title"));
    json_t *mn = json_object_get(def, "score_min"), *mx = json_object_get(def, "score_max");
    s = db_prepare(d, "INSERT INTO contest (slug, kind, year, org_id, title, title_folded, rules_md, opens_at, closes_at, "
                      "results_at, status, created_by, created_at, score_min, score_max, blind) "
                      "VALUES (?, 'award', ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, str(def, "slug"));
    db_bind_int(s, 2, json_integer_value(json_object_get(def, "year")));
    db_bind_int(s, 3, json_integer_value(json_object_get(def, "org_id")));
    db_bind_text(s, 4, str(def, "title"));
    db_bind_text(s, 5, folded ? folded : "");
    db_bind_text(s, 6, str(def, "rules_md") ? str(def, "rules_md") : "");
    db_bind_text(s, 7, str(def, "opens_at"));
    db_bind_text(s, 8, str(def, "closes_at"));
    db_bind_text(s, 9, str(def, "results_at"));
    if (user_id) db_bind_int(s, 10, user_id); else db_bind_null(s, 10);
    db_bind_text(s, 11, now);
    db_bind_int(s, 12, mn ? json_integer_value(mn) : 1);
    db_bind_int(s, 13, mx ? json_integer_value(mx) : 10);
    db_bind_int(s, 14, json_is_true(json_object_get(def, "blind")));
    free(folded);
    int64_t cid = db_scalar_int(s, 0);
    if (!cid) return store_fail_db(res, d);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(def, "categories"), i, x) {
        char list[128] = "";
        size_t j;
        json_t *k;
        json_array_foreach(json_object_get(x, "eligible"), j, k) {
            if (strlen(list) + 16 >= sizeof list) break;
            if (*list) strcat(list, ",");
            strcat(list, json_string_value(k));
        }
        s = db_prepare(d, "INSERT INTO contest_category (contest_id, code, name, eligible, sort) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code")), db_bind_text(s, 3, str(x, "name"));
        db_bind_text(s, 4, list), db_bind_int(s, 5, (int64_t)i);
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "fields"), i, x) {
        json_t *ch = json_object_get(x, "choices");
        char *chs = json_is_array(ch) ? json_dumps(ch, JSON_COMPACT) : NULL;
        s = db_prepare(d, "INSERT INTO contest_field (contest_id, code, label, type, required, choices, max_bytes, help, sort) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code")), db_bind_text(s, 3, str(x, "label"));
        db_bind_text(s, 4, str(x, "type")), db_bind_int(s, 5, json_is_true(json_object_get(x, "required")));
        db_bind_text(s, 6, chs);
        json_t *mb = json_object_get(x, "max_bytes");
        if (json_is_integer(mb)) db_bind_int(s, 7, json_integer_value(mb)); else db_bind_null(s, 7);
        db_bind_text(s, 8, str(x, "help")), db_bind_int(s, 9, (int64_t)i);
        bool ok = step_ok(s);
        free(chs);
        if (!ok) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "criteria"), i, x) {
        s = db_prepare(d, "INSERT INTO contest_criterion (contest_id, code, name, weight, sort) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, cid), db_bind_text(s, 2, str(x, "code")), db_bind_text(s, 3, str(x, "name"));
        db_bind_double(s, 4, json_number_value(json_object_get(x, "weight"))), db_bind_int(s, 5, (int64_t)i);
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    json_array_foreach(json_object_get(def, "rounds"), i, x) {
        s = db_prepare(d, "INSERT INTO contest_round (contest_id, seq, name, kind, status) VALUES (?, ?, ?, ?, 'open')");
        db_bind_int(s, 1, cid), db_bind_int(s, 2, (int64_t)i + 1), db_bind_text(s, 3, str(x, "name")), db_bind_text(s, 4, str(x, "kind"));
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    *id = cid;
    return STORE_OK;
}
