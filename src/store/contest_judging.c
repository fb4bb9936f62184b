/* Judging an award contest: jurors per category, conflicts, scores per criterion and round, progress, the ranking with
 * per-juror normalisation, the organiser's decisions, and the published honours. Must not know about HTTP, and must
 * never show or take a juror's score on an entry from the juror's own unit or enterprise or under a declared conflict. */
#include "store/contest.h"
#include "store/learning.h"
#include "core/text.h"
#include <math.h>
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

static json_t *round_of(json_t *contest, int64_t seq)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(contest, "rounds"), i, r) if (num(r, "seq") == seq) return r;
    return NULL;
}

enum store_status store_contest_juror_add(db *d, json_t *contest, const char *category, int64_t user_id, int64_t org_id,
                                          const char *enterprise, const char *now, struct store_result *res)
{
    int64_t cat = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(contest, "categories"), i, c) if (category && !strcmp(str(c, "code"), category)) cat = num(c, "id");
    if (!cat) store_field(res, "category", "Chọn một hạng mục của cuộc thi.");
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM app_user WHERE id = ? AND active = 1");
    db_bind_int(s, 1, user_id);
    if (!db_scalar_int(s, 0)) store_field(res, "user", "Không có tài khoản này.");
    if (res->status != STORE_OK) return res->status;
    s = db_prepare(d, "INSERT INTO contest_juror (contest_id, category_id, user_id, org_id, enterprise, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (category_id, user_id) DO UPDATE SET org_id = excluded.org_id, enterprise = excluded.enterprise");
    db_bind_int(s, 1, num(contest, "id"));
    db_bind_int(s, 2, cat);
    db_bind_int(s, 3, user_id);
    if (org_id) db_bind_int(s, 4, org_id); else db_bind_null(s, 4);
    db_bind_text(s, 5, enterprise && *enterprise ? enterprise : NULL);
    db_bind_text(s, 6, now);
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

int64_t store_contest_user_by_email(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM app_user WHERE email = ? AND active = 1");
    db_bind_text(s, 1, email);
    return db_scalar_int(s, 0);
}

json_t *store_contest_juror_categories(db *d, int64_t contest_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT cc.id, cc.code, cc.name FROM contest_juror j JOIN contest_category cc ON cc.id = j.category_id "
                               "WHERE j.contest_id = ? AND j.user_id = ? ORDER BY cc.sort");
    db_bind_int(s, 1, contest_id);
    db_bind_int(s, 2, user_id);
    json_t *rows = db_rows(s);
    return rows ? rows : json_array();
}

/* Why a juror may not see an entry: NULL when they may. Own unit: the unit they declared at assignment or any unit
 * they hold a role on; own enterprise compared folded; their own entry; a declared conflict. */
static const char *blocked(db *d, json_t *e, int64_t juror)
{
    if (num(e, "user_id") == juror) return "Đây là hồ sơ của chính bạn.";
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest_juror WHERE category_id = ? AND user_id = ?");
    db_bind_int(s, 1, num(e, "category_id"));
    db_bind_int(s, 2, juror);
    if (!db_scalar_int(s, 0)) return "Bạn không chấm hạng mục này.";
    if (num(e, "org_id")) {
        s = db_prepare(d, "SELECT COUNT(*) FROM contest_juror WHERE contest_id = ? AND user_id = ? AND org_id = ?");
        db_bind_int(s, 1, num(e, "contest_id")), db_bind_int(s, 2, juror), db_bind_int(s, 3, num(e, "org_id"));
        int64_t own = db_scalar_int(s, 0);
        s = db_prepare(d, "SELECT COUNT(*) FROM user_role WHERE user_id = ? AND org_id = ?");
        db_bind_int(s, 1, juror), db_bind_int(s, 2, num(e, "org_id"));
        int64_t role = db_scalar_int(s, 0);   /* run whatever own says: db_scalar_int is what finishes the statement */
        if (own || role) return "Hồ sơ của đơn vị bạn công tác.";
    }
    if (str(e, "enterprise")) {
        s = db_prepare(d, "SELECT enterprise FROM contest_juror WHERE contest_id = ? AND user_id = ? AND enterprise IS NOT NULL");
        db_bind_int(s, 1, num(e, "contest_id")), db_bind_int(s, 2, juror);
        json_t *rows = db_rows(s);
        char *ef = text_fold(str(e, "enterprise"));
        bool same = false;
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r) {
            char *jf = text_fold(str(r, "enterprise"));
            if (jf && ef && !strcmp(jf, ef)) same = true;
            free(jf);
        }
        free(ef);
        json_decref(rows);
        if (same) return "Hồ sơ của doanh nghiệp bạn công tác.";
    }
    s = db_prepare(d, "SELECT COUNT(*) FROM contest_conflict WHERE entry_id = ? AND user_id = ?");
    db_bind_int(s, 1, num(e, "id")), db_bind_int(s, 2, juror);
    if (db_scalar_int(s, 0)) return "Bạn đã khai báo xung đột lợi ích với hồ sơ này.";
    return NULL;
}

const char *store_contest_juror_blocked(db *d, json_t *entry, int64_t user_id)
{
    if (strcmp(str(entry, "status"), "submitted")) return "Hồ sơ chưa nộp hoặc đã rút.";
    return blocked(d, entry, user_id);
}

static json_t *juror_scores(db *d, int64_t entry, int64_t round, int64_t juror)
{
    db_stmt *s = db_prepare(d, "SELECT c.code AS criterion, s.score, s.comment FROM contest_score s JOIN contest_criterion c "
                               "ON c.id = s.criterion_id WHERE s.entry_id = ? AND s.round_id = ? AND s.juror_id = ?");
    db_bind_int(s, 1, entry), db_bind_int(s, 2, round), db_bind_int(s, 3, juror);
    json_t *rows = db_rows(s);
    json_t *out = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_object_set(out, str(r, "criterion"), r);
    json_decref(rows);
    return out;
}

json_t *store_contest_juror_entries(db *d, json_t *contest, int64_t user_id)
{
    json_t *all = store_contest_entries(d, num(contest, "id")), *out = json_array();
    bool blind = num(contest, "blind") != 0;
    size_t i;
    json_t *e;
    json_array_foreach(all, i, e) {
        if (strcmp(str(e, "status"), "submitted") || blocked(d, e, user_id)) continue;
        json_t *r = round_of(contest, num(e, "round_seq"));
        json_t *sc = r ? juror_scores(d, num(e, "id"), num(r, "id"), user_id) : json_object();
        json_object_set_new(e, "scored", json_boolean(json_object_size(sc) > 0));
        json_object_set_new(e, "my_scores", sc);
        json_object_set_new(e, "round_name", json_string(r ? str(r, "name") : ""));
        json_object_set_new(e, "round_open", json_boolean(r && !strcmp(str(r, "status"), "open")));
        json_object_del(e, "award"), json_object_del(e, "honour_code");
        if (blind) {
            json_object_set_new(e, "applicant_name", json_string("(ẩn danh)"));
            json_object_del(e, "enterprise"), json_object_del(e, "org_name"), json_object_del(e, "org_id"), json_object_del(e, "user_id");
            json_object_del(e, "nominee");
            /* A file's own name often carries the applicant's: blind judging keeps only its type and size. */
            const char *k;
            json_t *v;
            json_object_foreach(json_object_get(e, "fields"), k, v) if (json_is_object(v)) json_object_del(v, "name");
        }
        json_array_append(out, e);
    }
    json_decref(all);
    return out;
}

/* The entry, or NULL with res set: not found, or not the caller's to judge (403). */
static json_t *judged_entry(db *d, json_t *contest, int64_t entry_id, int64_t juror, struct store_result *res)
{
    json_t *e = store_contest_entry(d, num(contest, "id"), entry_id);
    if (!e) { db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có hồ sơ này."); return NULL; }
    if (strcmp(str(e, "status"), "submitted")) { json_decref(e); store_fail(res, STORE_CONFLICT, "Hồ sơ chưa nộp hoặc đã rút."); return NULL; }
    return e;
}

enum store_status store_contest_conflict(db *d, json_t *contest, int64_t entry_id, int64_t user_id, const char *reason,
                                         const char *now, struct store_result *res)
{
    json_t *e = judged_entry(d, contest, entry_id, user_id, res);
    if (!e) return res->status;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM contest_juror WHERE category_id = ? AND user_id = ?");
    db_bind_int(s, 1, num(e, "category_id")), db_bind_int(s, 2, user_id);
    int64_t juror = db_scalar_int(s, 0);
    json_decref(e);
    if (!juror) return store_fail(res, STORE_FORBIDDEN, "Bạn không chấm hạng mục này.");
    if (!reason || !*reason || strlen(reason) > 1000) { store_field(res, "reason", "Cần nêu lý do xung đột lợi ích."); return res->status; }
    s = db_prepare(d, "INSERT INTO contest_conflict (entry_id, user_id, reason, created_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (entry_id, user_id) DO UPDATE SET reason = excluded.reason");
    db_bind_int(s, 1, entry_id), db_bind_int(s, 2, user_id), db_bind_text(s, 3, reason), db_bind_text(s, 4, now);
    if (!step_ok(s)) return store_fail_db(res, d);
    /* A conflict declared after scoring withdraws the scores of open rounds: they must not count. */
    s = db_prepare(d, "DELETE FROM contest_score WHERE entry_id = ? AND juror_id = ? AND round_id IN "
                      "(SELECT id FROM contest_round WHERE status = 'open')");
    db_bind_int(s, 1, entry_id), db_bind_int(s, 2, user_id);
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

enum store_status store_contest_score(db *d, json_t *contest, int64_t entry_id, int64_t juror_id, json_t *scores,
                                      const char *now, struct store_result *res)
{
    json_t *e = judged_entry(d, contest, entry_id, juror_id, res);
    if (!e) return res->status;
    const char *why = blocked(d, e, juror_id);
    json_t *r = round_of(contest, num(e, "round_seq"));
    json_decref(e);
    if (why) return store_fail(res, STORE_FORBIDDEN, "%s", why);
    if (!r) return store_fail(res, STORE_CONFLICT, "Hồ sơ chưa vào vòng chấm nào.");
    if (strcmp(str(r, "status"), "open")) return store_fail(res, STORE_CONFLICT, "%s đã đóng: điểm không sửa được nữa.", str(r, "name"));
    if (!strcmp(str(r, "kind"), "eligibility")) return store_fail(res, STORE_CONFLICT, "Vòng xét điều kiện không chấm điểm; chờ ban tổ chức chuyển hồ sơ sang vòng sau.");
    int64_t lo = num(contest, "score_min"), hi = num(contest, "score_max");
    size_t i;
    json_t *c;
    char msg[200];
    if (!json_is_object(scores) || !json_object_size(scores)) store_field(res, "scores", "Chưa có điểm nào.");
    json_array_foreach(json_object_get(contest, "criteria"), i, c) {
        json_t *v = json_object_get(scores, str(c, "code"));
        if (!v) continue;
        json_t *sv = json_is_object(v) ? json_object_get(v, "score") : v;
        json_int_t x = 0;
        bool ok = json_is_integer(sv);
        if (ok) x = json_integer_value(sv);
        else if (json_is_string(sv)) {
            char *end;
            const char *t = json_string_value(sv);
            x = strtoll(t, &end, 10);
            ok = *t && !*end;
        }
        if (!ok || x < lo || x > hi) {
            snprintf(msg, sizeof msg, "Điểm \"%s\" phải là số nguyên từ %lld đến %lld.", str(c, "name"), (long long)lo, (long long)hi);
            store_field(res, str(c, "code"), msg);
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach(scores, k, v) {
        bool known = false;
        json_array_foreach(json_object_get(contest, "criteria"), i, c) if (!strcmp(str(c, "code"), k)) known = true;
        if (!known) store_field(res, k, "Không có tiêu chí này.");
    }
    if (res->status != STORE_OK) return res->status;
    json_array_foreach(json_object_get(contest, "criteria"), i, c) {
        json_t *v2 = json_object_get(scores, str(c, "code"));
        if (!v2) continue;
        json_t *sv = json_is_object(v2) ? json_object_get(v2, "score") : v2;
        int64_t x = json_is_integer(sv) ? json_integer_value(sv) : strtoll(json_string_value(sv), NULL, 10);
        const char *comment = json_is_object(v2) ? str(v2, "comment") : NULL;
        db_stmt *s = db_prepare(d, "INSERT INTO contest_score (entry_id, round_id, criterion_id, juror_id, score, comment, updated_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, round_id, criterion_id, juror_id) "
                                   "DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at");
        db_bind_int(s, 1, entry_id), db_bind_int(s, 2, num(r, "id")), db_bind_int(s, 3, num(c, "id")), db_bind_int(s, 4, juror_id);
        db_bind_int(s, 5, x), db_bind_text(s, 6, comment ? comment : ""), db_bind_text(s, 7, now);
        if (!step_ok(s)) return store_fail_db(res, d);
    }
    return STORE_OK;
}

json_t *store_contest_progress(db *d, json_t *contest)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT u.id AS user_id, u.name, u.email FROM contest_juror j JOIN app_user u ON u.id = j.user_id "
                               "WHERE j.contest_id = ? ORDER BY u.name, u.id");
    db_bind_int(s, 1, num(contest, "id"));
    json_t *jurors = db_rows(s);
    if (!jurors) return json_array();
    size_t i;
    json_t *j;
    json_array_foreach(jurors, i, j) {
        int64_t uid = num(j, "user_id");
        json_t *cats = store_contest_juror_categories(d, num(contest, "id"), uid), *names = json_array();
        size_t k;
        json_t *c;
        json_array_foreach(cats, k, c) json_array_append(names, json_object_get(c, "name"));
        json_decref(cats);
        json_t *mine = store_contest_juror_entries(d, contest, uid);
        int64_t assigned = 0, scored = 0;
        json_t *e;
        json_array_foreach(mine, k, e) if (json_is_true(json_object_get(e, "round_open"))) {
            assigned++;
            if (json_is_true(json_object_get(e, "scored"))) scored++;
        }
        json_decref(mine);
        json_object_set_new(j, "categories", names);
        json_object_set_new(j, "assigned", json_integer(assigned));
        json_object_set_new(j, "scored", json_integer(scored));
        json_object_set_new(j, "done", json_boolean(assigned && assigned == scored));
    }
    return jurors;
}

/* ---- ranking ---------------------------------------------------------------------------------------------------- */

struct total { int64_t entry, juror; double raw, z; };

json_t *store_contest_ranking(db *d, json_t *contest, int round_seq)
{
    json_t *r = round_of(contest, round_seq), *out = json_array();
    if (!r) return out;
    /* Each juror's weighted mean per entry, on the contest's scale. */
    db_stmt *s = db_prepare(d, "SELECT s.entry_id, s.juror_id, e.category_id, "
                               "SUM(s.score * c.weight) / SUM(c.weight) AS total FROM contest_score s "
                               "JOIN contest_criterion c ON c.id = s.criterion_id JOIN contest_entry e ON e.id = s.entry_id "
                               "WHERE s.round_id = ? AND e.status = 'submitted' GROUP BY s.entry_id, s.juror_id, e.category_id");
    db_bind_int(s, 1, num(r, "id"));
    json_t *rows = db_rows(s);
    size_t n = json_array_size(rows);
    struct total *t = calloc(n ? n : 1, sizeof *t);
    int64_t *cat = calloc(n ? n : 1, sizeof *cat);
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(rows, i);
        t[i].entry = num(x, "entry_id"), t[i].juror = num(x, "juror_id"), cat[i] = num(x, "category_id");
        t[i].raw = json_number_value(json_object_get(x, "total"));
    }
    json_decref(rows);
    /* z-score of each total among the same juror's totals in the same category; no spread (or one entry) → 0. */
    for (size_t i = 0; i < n; i++) {
        double sum = 0, sq = 0;
        int m = 0;
        for (size_t k = 0; k < n; k++) if (t[k].juror == t[i].juror && cat[k] == cat[i]) sum += t[k].raw, m++;
        double mean = sum / m;
        for (size_t k = 0; k < n; k++) if (t[k].juror == t[i].juror && cat[k] == cat[i]) sq += (t[k].raw - mean) * (t[k].raw - mean);
        double sd = sqrt(sq / m);
        t[i].z = sd > 1e-9 ? (t[i].raw - mean) / sd : 0;
    }
    json_t *entries = store_contest_entries(d, num(contest, "id"));
    size_t ci;
    json_t *c;
    json_array_foreach(json_object_get(contest, "categories"), ci, c) {
        json_t *list = json_array();
        size_t i;
        json_t *e;
        json_array_foreach(entries, i, e) {
            if (num(e, "category_id") != num(c, "id") || strcmp(str(e, "status"), "submitted") || num(e, "round_seq") < round_seq) continue;
            double zs = 0, raws = 0;
            int m = 0;
            for (size_t k = 0; k < n; k++) if (t[k].entry == num(e, "id")) zs += t[k].z, raws += t[k].raw, m++;
            json_t *row = json_pack("{s:I, s:s, s:s, s:i, s:I, s:b}", "id", (json_int_t)num(e, "id"), "title", str(e, "title"),
                                    "applicant_name", str(e, "applicant_name"), "jurors", m, "round_seq", (json_int_t)num(e, "round_seq"),
                                    "eligible", num(e, "eligible") != 0 || json_is_null(json_object_get(e, "eligible")));
            json_object_set_new(row, "raw", m ? json_real(round(raws / m * 100) / 100) : json_null());
            json_object_set_new(row, "normalised", m ? json_real(round((50 + 10 * zs / m) * 100) / 100) : json_null());
            if (str(e, "award")) json_object_set(row, "award", json_object_get(e, "award"));
            json_array_append_new(list, row);
        }
        /* Scored entries by normalised score, then raw; unscored last. Insertion sort: a category holds dozens. */
        size_t len = json_array_size(list);
        for (size_t a = 1; a < len; a++)
            for (size_t b = a; b > 0; b--) {
                json_t *p = json_array_get(list, b - 1), *q = json_array_get(list, b);
                double pn = json_is_null(json_object_get(p, "normalised")) ? -1e9 : json_real_value(json_object_get(p, "normalised"));
                double qn = json_is_null(json_object_get(q, "normalised")) ? -1e9 : json_real_value(json_object_get(q, "normalised"));
                if (qn > pn || (qn == pn && json_number_value(json_object_get(q, "raw")) > json_number_value(json_object_get(p, "raw")))) {
                    json_incref(p);
                    json_array_set(list, b - 1, q);
                    json_array_set_new(list, b, p);
                } else break;
            }
        for (size_t a = 0; a < len; a++) {
            json_t *p = json_array_get(list, a);
            json_t *pn = json_object_get(p, "normalised");
            bool tie = false;
            for (size_t b = 0; b < len && !json_is_null(pn); b++) {
                json_t *qn = json_object_get(json_array_get(list, b), "normalised");
                if (b != a && !json_is_null(qn) && fabs(json_real_value(qn) - json_real_value(pn)) < 0.005) tie = true;
            }
            json_object_set_new(p, "rank", json_integer((json_int_t)a + 1));
            json_object_set_new(p, "tie", json_boolean(tie));
        }
        json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "code", str(c, "code"), "name", str(c, "name"), "entries", list));
    }
    json_decref(entries);
    free(t);
    free(cat);
    return out;
}

/* ---- decisions -------------------------------------------------------------------------------------------------- */

enum store_status store_contest_decide(db *d, json_t *contest, int64_t entry_id, const char *decision, const char *reason,
                                       const char *award, int64_t user_id, const char *now, struct store_result *res)
{
    json_t *e = store_contest_entry(d, num(contest, "id"), entry_id);
    if (!e) return db_failed(d) ? store_fail_db(res, d) : store_fail(res, STORE_NOT_FOUND, "Không có hồ sơ này.");
    int64_t seq = num(e, "round_seq");
    bool submitted = !strcmp(str(e, "status"), "submitted");
    json_t *elig = json_object_get(e, "eligible");
    bool eligible = json_is_integer(elig) && json_integer_value(elig);
    json_decref(e);
    json_t *r = round_of(contest, seq);
    if (!decision || (strcmp(decision, "eligible") && strcmp(decision, "ineligible") && strcmp(decision, "advance") && strcmp(decision, "winner"))) {
        store_field(res, "decision", "Quyết định là eligible, ineligible, advance hoặc winner.");
        return res->status;
    }
    if (!submitted || !r) return store_fail(res, STORE_CONFLICT, "Hồ sơ chưa nộp hoặc đã rút.");
    if (strcmp(str(r, "status"), "open")) return store_fail(res, STORE_CONFLICT, "%s đã đóng.", str(r, "name"));
    db_stmt *s;
    if (!strcmp(decision, "eligible") || !strcmp(decision, "ineligible")) {
        if (strcmp(str(r, "kind"), "eligibility")) return store_fail(res, STORE_CONFLICT, "Hồ sơ đã qua vòng xét điều kiện.");
        bool no = !strcmp(decision, "ineligible");
        if (no && (!reason || !*reason)) { store_field(res, "reason", "Cần nêu lý do không đủ điều kiện."); return res->status; }
        s = db_prepare(d, "UPDATE contest_entry SET eligible = ?, reason = ?, updated_at = ? WHERE id = ?");
        db_bind_int(s, 1, !no), db_bind_text(s, 2, no ? reason : NULL), db_bind_text(s, 3, now), db_bind_int(s, 4, entry_id);
    } else if (!strcmp(decision, "advance")) {
        json_t *next = round_of(contest, seq + 1);
        if (!next) return store_fail(res, STORE_CONFLICT, "Đây là vòng cuối; không còn vòng sau.");
        if (!strcmp(str(r, "kind"), "eligibility") && !eligible) return store_fail(res, STORE_CONFLICT, "Hồ sơ chưa được xác nhận đủ điều kiện.");
        s = db_prepare(d, "UPDATE contest_entry SET round_seq = ?, updated_at = ? WHERE id = ?");
        db_bind_int(s, 1, seq + 1), db_bind_text(s, 2, now), db_bind_int(s, 3, entry_id);
    } else {
        if (strcmp(str(r, "kind"), "final")) return store_fail(res, STORE_CONFLICT, "Chỉ trao giải cho hồ sơ ở vòng chung khảo.");
        if (!award || !*award || strlen(award) > 200) { store_field(res, "award", "Cần tên giải (ví dụ: Giải Nhất)."); return res->status; }
        s = db_prepare(d, "UPDATE contest_entry SET award = ?, updated_at = ? WHERE id = ?");
        db_bind_text(s, 1, award), db_bind_text(s, 2, now), db_bind_int(s, 3, entry_id);
        if (!step_ok(s)) return store_fail_db(res, d);
        char code[27];
        certificate_code_new(code);
        s = db_prepare(d, "INSERT INTO contest_honour (entry_id, code, award, issued_at) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (entry_id) DO UPDATE SET award = excluded.award");
        db_bind_int(s, 1, entry_id), db_bind_text(s, 2, code), db_bind_text(s, 3, award), db_bind_text(s, 4, now);
    }
    if (!step_ok(s)) return store_fail_db(res, d);
    s = db_prepare(d, "INSERT INTO contest_decision (entry_id, round_seq, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_int(s, 1, entry_id), db_bind_int(s, 2, seq), db_bind_text(s, 3, decision);
    db_bind_text(s, 4, !strcmp(decision, "winner") ? award : reason);
    db_bind_int(s, 5, user_id), db_bind_text(s, 6, now);
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

enum store_status store_contest_round_close(db *d, json_t *contest, int seq, struct store_result *res)
{
    json_t *r = round_of(contest, seq);
    if (!r) return store_fail(res, STORE_NOT_FOUND, "Không có vòng này.");
    if (strcmp(str(r, "status"), "open")) return store_fail(res, STORE_CONFLICT, "%s đã đóng trước đó.", str(r, "name"));
    db_stmt *s = db_prepare(d, "UPDATE contest_round SET status = 'closed' WHERE id = ?");
    db_bind_int(s, 1, num(r, "id"));
    return step_ok(s) ? STORE_OK : store_fail_db(res, d);
}

/* ---- honours ---------------------------------------------------------------------------------------------------- */

#define HONOUR_COLS "c.year, 'contest' AS source, c.title AS contest_title, c.slug AS contest_slug, cc.name AS category, " \
                    "h.award, CASE WHEN e.nominee IS NOT NULL THEN e.nominee ELSE e.applicant_name END AS name, " \
                    "COALESCE(o.name, e.enterprise) AS unit, h.code, h.issued_at "
#define HONOUR_FROM "FROM contest_honour h JOIN contest_entry e ON e.id = h.entry_id JOIN contest c ON c.id = e.contest_id " \
                    "JOIN contest_category cc ON cc.id = e.category_id LEFT JOIN org_unit o ON o.id = e.org_id "

json_t *store_honours(db *d, const char *now)
{
    db_stmt *s = db_prepare(d, "SELECT " HONOUR_COLS HONOUR_FROM "WHERE c.results_at IS NOT NULL AND c.results_at <= ? "
                               "AND e.status = 'submitted' ORDER BY c.year DESC, c.id, cc.sort, h.id");
    db_bind_text(s, 1, now);
    json_t *out = db_rows(s);
    if (!out) return NULL;
    /* The door-to-door campaigns' honoured teams and members (issue 16), already public on their campaign's page, belong
     * to the same hall: the year is the campaign's, and they carry no certificate of ours. */
    s = db_prepare(d, "SELECT CAST(SUBSTR(dc.starts_on, 1, 4) AS INTEGER) AS year, 'door_to_door' AS source, dc.name AS contest_title, "
                      "h.citation AS award, COALESCE(m.name, t.name) AS name, o.name AS unit FROM cdt_honour h "
                      "JOIN dtd_campaign dc ON dc.id = h.campaign_id LEFT JOIN cdt_member m ON m.id = h.member_id "
                      "LEFT JOIN cdt_team t ON t.id = COALESCE(h.team_id, m.team_id) LEFT JOIN org_unit o ON o.id = t.org_id "
                      "ORDER BY dc.starts_on DESC, h.id");
    json_t *dtd = db_rows(s);
    if (!dtd) { json_decref(out); return NULL; }
    json_array_extend(out, dtd);
    json_decref(dtd);
    return out;
}

json_t *store_contest_winners(db *d, int64_t contest_id)
{
    db_stmt *s = db_prepare(d, "SELECT " HONOUR_COLS HONOUR_FROM "WHERE c.id = ? AND e.status = 'submitted' ORDER BY cc.sort, h.id");
    db_bind_int(s, 1, contest_id);
    json_t *rows = db_rows(s);
    return rows ? rows : json_array();
}

json_t *store_honour_verify(db *d, const char *code, const char *now)
{
    db_stmt *s = db_prepare(d, "SELECT " HONOUR_COLS HONOUR_FROM "WHERE h.code = ? AND c.results_at IS NOT NULL AND c.results_at <= ? "
                               "AND e.status = 'submitted'");
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, now);
    return db_row(s);
}
