/* Saving a reviewed plan (one transaction with its tasks, units, instances, deadlines) and reading plans.
 * Must not parse documents or decide who may save: callers check roles and hand in reviewed JSON. */
#include "store/plan.h"
#include "store/search.h"
#include "store/org.h"
#include "store/plan_units.h"
#include "store/plan_target.h"
#include "core/date.h"
#include "core/period.h"
#include "core/text.h"
#include "core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TASKS 5000
#define MAX_TEXT 4000

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static bool opt_date(json_t *v, struct ymd *d)
{
    return json_is_null(v) || !v || (json_is_string(v) && date_parse_iso(json_string_value(v), d));
}

static void field_error(json_t *errors, int i, const char *field, const char *msg)
{
    char key[64];
    if (i < 0) snprintf(key, sizeof key, "%s", field);
    else snprintf(key, sizeof key, "tasks[%d].%s", i, field);
    if (!json_object_get(errors, key)) json_object_set_new(errors, key, json_string(msg));
}

/* Unit names as written: a document may name a group of bodies with a long parenthesis, so up to 1,000 bytes. */
static bool string_list(json_t *v, int max)
{
    if (!v || json_is_null(v)) return true;
    if (!json_is_array(v) || (int)json_array_size(v) > max) return false;
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s) if (!json_is_string(s) || json_string_length(s) > 1000) return false;
    return true;
}

static bool id_list(db *d, json_t *v)
{
    if (!v || json_is_null(v)) return true;
    if (!json_is_array(v)) return false;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        if (!json_is_integer(x)) return false;
        db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE id = ?");
        db_bind_int(s, 1, json_integer_value(x));
        if (!db_scalar_int(s, 0)) return false;
    }
    return true;
}

json_t *store_plan_check(db *d, json_t *plan)
{
    json_t *errors = json_object();
    struct ymd tmp;
    if (!json_is_object(plan)) {
        field_error(errors, -1, "plan", "Cần một đối tượng JSON.");
        return errors;
    }
    const char *title = jstr(plan, "title");
    if (!title || !*title || strlen(title) > MAX_TEXT) field_error(errors, -1, "title", "Cần tên kế hoạch (tối đa 4.000 ký tự).");
    if (!opt_date(json_object_get(plan, "issued"), &tmp)) field_error(errors, -1, "issued", "Ngày ban hành không hợp lệ (YYYY-MM-DD).");
    const char *number = jstr(plan, "number");
    if (number && strlen(number) > 100) field_error(errors, -1, "number", "Số hiệu quá dài.");
    json_t *tasks = json_object_get(plan, "tasks");
    if (!json_is_array(tasks) || json_array_size(tasks) > MAX_TASKS) {
        field_error(errors, -1, "tasks", "Cần danh sách nhiệm vụ (tối đa 5.000).");
        return errors;
    }
    size_t i;
    json_t *t;
    json_array_foreach(tasks, i, t) {
        int k = (int)i;
        if (!json_is_object(t)) { field_error(errors, k, "task", "Nhiệm vụ không hợp lệ."); continue; }
        const char *ref = jstr(t, "ref"), *tt = jstr(t, "title");
        if (!ref || !*ref || strlen(ref) > 40) field_error(errors, k, "ref", "Cần số thứ tự (tối đa 40 ký tự).");
        if (!tt || !*tt || strlen(tt) > MAX_TEXT) field_error(errors, k, "title", "Cần nội dung nhiệm vụ.");
        if (!opt_date(json_object_get(t, "due"), &tmp)) field_error(errors, k, "due", "Thời hạn không hợp lệ (YYYY-MM-DD).");
        json_t *w = json_object_get(t, "window");
        struct ymd a, b;
        if (w && !json_is_null(w) &&
            !(json_is_array(w) && json_array_size(w) == 2 && json_is_string(json_array_get(w, 0)) &&
              json_is_string(json_array_get(w, 1)) && date_parse_iso(json_string_value(json_array_get(w, 0)), &a) &&
              date_parse_iso(json_string_value(json_array_get(w, 1)), &b) && date_cmp(a, b) <= 0))
            field_error(errors, k, "window", "Khoảng thời gian không hợp lệ (từ ngày phải trước đến ngày).");
        if (!string_list(json_object_get(t, "lead"), 50)) field_error(errors, k, "lead", "Đơn vị chủ trì không hợp lệ.");
        if (!string_list(json_object_get(t, "partners"), 200)) field_error(errors, k, "partners", "Đơn vị phối hợp không hợp lệ.");
        if (!id_list(d, json_object_get(t, "lead_ids"))) field_error(errors, k, "lead_ids", "Mã đơn vị chủ trì không tồn tại.");
        if (!id_list(d, json_object_get(t, "partner_ids"))) field_error(errors, k, "partner_ids", "Mã đơn vị phối hợp không tồn tại.");
        const char *del = jstr(t, "deliverable"), *rec = jstr(t, "recurrence");
        if (del && strlen(del) > MAX_TEXT) field_error(errors, k, "deliverable", "Kết quả, sản phẩm quá dài.");
        if (rec && strlen(rec) > 100) field_error(errors, k, "recurrence", "Tần suất quá dài.");
    }
    store_plan_targets_check(plan, errors);
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

static void now_iso(char *out) { date_utc_iso(time(NULL), out); }

static int exec1(db_stmt *s)
{
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

/* Called for each unit a task names under one role, as it is saved: the name as written (NFC) or, for an id picked
 * without a name, the unit's own name; and the unit it stands for (0: the resolver could not tell). */
typedef int (*unit_fn)(void *ctx, const char *name, int64_t org_id);

/* Names as written; ids from the reviewed JSON where given (by position), else the resolver; then ids given without
 * names (picked in the review form). The one reading of a task's units, shared by the scope check and the save. */
static int each_unit(db *d, json_t *t, const char *names_key, const char *ids_key, const char *on, int64_t within,
                     unit_fn fn, void *ctx)
{
    json_t *names = json_object_get(t, names_key), *ids = json_object_get(t, ids_key);
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        const char *name = json_string_value(n);
        if (!name || !*name) continue;
        int64_t id = 0;
        if (json_array_size(ids) == json_array_size(names)) id = json_integer_value(json_array_get(ids, i));
        if (!id) {
            /* The review's reading: a province's department named without its province, in a plan whose issuer is
             * unknown, stays unresolved rather than becoming one province's. */
            struct org_resolved r = store_plan_resolve_unit(d, name, on, within);
            if (r.status == ORG_FOUND) id = r.id;
        }
        char *nfc = text_nfc(name);
        int rc = fn(ctx, nfc ? nfc : name, id);
        free(nfc);
        if (rc) return -1;
    }
    if (json_array_size(ids) > json_array_size(names)) {
        json_array_foreach(ids, i, n) {
            db_stmt *s = db_prepare(d, "SELECT name FROM org_unit WHERE id = ?");
            db_bind_int(s, 1, json_integer_value(n));
            json_t *row = db_row(s);
            int rc = row ? fn(ctx, json_string_value(json_object_get(row, "name")), json_integer_value(n)) : 0;
            json_decref(row);
            if (rc) return -1;
        }
    }
    return 0;
}

struct unit_save { db *d; int64_t task_id, user_id; const char *role; };

/* A partner outside the saver's subtree waits as a proposal; a lead there never reaches here (scope check), and is
 * refused again should it. */
static int save_unit(void *ctx, const char *name, int64_t id)
{
    struct unit_save *u = ctx;
    if (u->user_id && id && !store_org_in_scope(u->d, u->user_id, id)) {
        if (strcmp(u->role, "partner")) return -1;
        return store_task_propose(u->d, u->task_id, u->role, name, id, u->user_id);
    }
    db_stmt *s = db_prepare(u->d, "INSERT INTO task_unit (task_id, role, name, org_id) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (task_id, role, name) DO NOTHING");
    db_bind_int(s, 1, u->task_id);
    db_bind_text(s, 2, u->role);
    db_bind_text(s, 3, name);
    if (id) db_bind_int(s, 4, id);
    else db_bind_null(s, 4);
    return exec1(s);
}

static int save_units(db *d, int64_t task_id, json_t *t, const char *role, const char *names_key, const char *ids_key,
                      const char *on, int64_t within, int64_t user_id)
{
    struct unit_save u = { d, task_id, user_id, role };
    return each_unit(d, t, names_key, ids_key, on, within, save_unit, &u);
}

static int64_t insert_task(db *d, int64_t plan_id, json_t *t, int sort, int64_t instance_of, const char *period,
                           const char *due, int64_t parent_task)
{
    json_t *w = json_object_get(t, "window"), *warn = json_object_get(t, "warnings");
    char *warnings = json_array_size(warn) ? json_dumps(warn, JSON_COMPACT) : NULL;
    json_t *src = json_object_get(t, "src");
    db_stmt *s = db_prepare(d,
        "INSERT INTO task (plan_id, ref, sort, title, deliverable, due, window_from, window_to, recurrence, instance_of, "
        "period, parent_task_id, warnings, src_start, src_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int(s, 1, plan_id);
    db_bind_text(s, 2, jstr(t, "ref"));
    db_bind_int(s, 3, sort);
    db_bind_text(s, 4, jstr(t, "title"));
    db_bind_text(s, 5, jstr(t, "deliverable"));
    db_bind_text(s, 6, due);
    db_bind_text(s, 7, json_string_value(json_array_get(w, 0)));
    db_bind_text(s, 8, json_string_value(json_array_get(w, 1)));
    db_bind_text(s, 9, instance_of ? NULL : jstr(t, "recurrence"));
    if (instance_of) db_bind_int(s, 10, instance_of);
    else db_bind_null(s, 10);
    db_bind_text(s, 11, period);
    if (parent_task) db_bind_int(s, 12, parent_task);
    else db_bind_null(s, 12);
    db_bind_text(s, 13, warnings);
    if (json_array_size(src) == 2) {
        db_bind_int(s, 14, json_integer_value(json_array_get(src, 0)));
        db_bind_int(s, 15, json_integer_value(json_array_get(src, 1)));
    }
    int64_t id = db_scalar_int(s, 0);
    free(warnings);
    return id;
}

static char *fold_number(const char *n) { return n ? text_fold_compact(n) : NULL; }

static int64_t find_plan_by_number(db *d, const char *number)
{
    char *f = fold_number(number);
    if (!f || !*f) { free(f); return 0; }
    db_stmt *s = db_prepare(d, "SELECT id FROM plan WHERE number_folded = ? ORDER BY id DESC LIMIT 1");
    db_bind_text(s, 1, f);
    int64_t id = db_scalar_int(s, 0);
    free(f);
    return id;
}

static int64_t parent_task_of(db *d, int64_t parent_plan, const char *ref)
{
    if (!parent_plan || !ref || !*ref) return 0;
    db_stmt *s = db_prepare(d, "SELECT id FROM task WHERE plan_id = ? AND ref = ? AND instance_of IS NULL LIMIT 1");
    db_bind_int(s, 1, parent_plan);
    db_bind_text(s, 2, ref);
    return db_scalar_int(s, 0);
}

/* The day units are resolved on: the issue date when there is one (units open then), else none (open today). */
static const char *units_on(json_t *plan, char on[11])
{
    struct ymd iss;
    const char *issued = jstr(plan, "issued");
    if (!issued || !date_parse_iso(issued, &iss)) return NULL;
    date_format_iso(iss, on);
    return on;
}

static int64_t issuer_of(db *d, json_t *plan)
{
    if (!jstr(plan, "issuer")) return 0;
    struct org_resolved r = org_resolve(d, jstr(plan, "issuer"), jstr(plan, "issued"), 0);
    return r.status == ORG_FOUND ? r.id : 0;
}

/* The parent given, else the nearest cited plan (usually cited last: "Thực hiện 505/QĐ-TTg …; Kế hoạch 1092/QĐ-BTTTT
 * …") that the saver may hang a plan under; a cited plan outside that stays a citation only. */
static int64_t parent_of(db *d, json_t *plan, const struct plan_meta *m)
{
    if (m->parent_id) return m->parent_id;
    json_t *cites = json_object_get(plan, "cites");
    for (size_t k = json_array_size(cites); k-- > 0;) {
        int64_t p = find_plan_by_number(d, json_string_value(json_array_get(cites, k)));
        if (p && (!m->created_by || store_plan_parent_allowed(d, m->created_by, p))) return p;
    }
    return 0;
}

struct lead_check { db *d; int64_t user_id; struct buf names; };

/* Collects a task's lead units outside the saver's subtree, by the unit's own name ("BCA" reads "Bộ Công an"). */
static int lead_out_of_scope(void *ctx, const char *name, int64_t id)
{
    struct lead_check *c = ctx;
    if (!id || store_org_in_scope(c->d, c->user_id, id)) return 0;
    db_stmt *s = db_prepare(c->d, "SELECT name FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, id);
    json_t *row = db_row(s);
    const char *unit = row ? json_string_value(json_object_get(row, "name")) : NULL;
    buf_printf(&c->names, "%s%s", c->names.len ? ", " : "", unit ? unit : name);
    json_decref(row);
    return 0;
}

json_t *store_plan_scope_check(db *d, json_t *plan, const struct plan_meta *m)
{
    if (!m || !m->created_by || !json_is_object(plan)) return NULL;
    int64_t user = m->created_by;
    json_t *errors = json_object();
    char msg[1200], on_buf[11];
    const char *issuer = jstr(plan, "issuer");
    if (issuer && *issuer) {
        int64_t id = issuer_of(d, plan);
        if (!id && !store_user_national(d, user)) {
            snprintf(msg, sizeof msg, "Không xác định được cơ quan ban hành \"%.300s\"; hãy ghi đúng tên đơn vị bạn phụ trách "
                     "(hoặc đơn vị cấp dưới).", issuer);
            json_object_set_new(errors, "issuer", json_string(msg));
        } else if (id && !store_org_in_scope(d, user, id)) {
            snprintf(msg, sizeof msg, "Cơ quan ban hành \"%.300s\" ngoài phạm vi của bạn: bạn chỉ ban hành được kế hoạch của "
                     "đơn vị mình phụ trách hoặc đơn vị cấp dưới.", issuer);
            json_object_set_new(errors, "issuer", json_string(msg));
        }
    }
    if (m->parent_id && !store_plan_parent_allowed(d, user, m->parent_id)) {
        db_stmt *s = db_prepare(d, "SELECT COALESCE(number, title) AS name FROM plan WHERE id = ?");
        db_bind_int(s, 1, m->parent_id);
        json_t *row = db_row(s);
        const char *name = row ? json_string_value(json_object_get(row, "name")) : NULL;
        if (!name) snprintf(msg, sizeof msg, "Không có kế hoạch cấp trên này.");
        else snprintf(msg, sizeof msg, "Kế hoạch cấp trên \"%.300s\" ngoài phạm vi của bạn: chỉ chọn được kế hoạch của đơn vị "
                      "mình, của cấp trên, của Chính phủ hoặc kế hoạch giao việc cho đơn vị mình.", name);
        json_decref(row);
        json_object_set_new(errors, "parent_id", json_string(msg));
    }
    const char *on = units_on(plan, on_buf);
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(plan, "tasks"), i, t) {
        struct lead_check c = { d, user, { 0 } };
        each_unit(d, t, "lead", "lead_ids", on, issuer_of(d, plan), lead_out_of_scope, &c);
        if (c.names.len) {
            char key[48];
            snprintf(key, sizeof key, "tasks[%zu].lead", i);
            snprintf(msg, sizeof msg, "Đơn vị chủ trì ngoài phạm vi của bạn: %.900s. Chỉ giao chủ trì được cho đơn vị mình phụ trách "
                     "hoặc đơn vị cấp dưới; đơn vị khác có thể được đề nghị phối hợp.", c.names.p);
            json_object_set_new(errors, key, json_string(msg));
        }
        buf_free(&c.names);
    }
    if (json_object_size(errors)) return errors;
    json_decref(errors);
    return NULL;
}

int64_t store_plan_save(db *d, json_t *plan, const struct plan_meta *m)
{
    char now[21];
    now_iso(now);
    const char *issued = jstr(plan, "issued"), *number = jstr(plan, "number");
    struct ymd today = date_today(), iss;
    int year = issued && date_parse_iso(issued, &iss) ? iss.y : today.y;
    /* Checked here too, before any write, so no caller can save past the saver's scope by forgetting to ask. */
    json_t *refused = store_plan_scope_check(d, plan, m);
    if (refused) {
        json_decref(refused);
        return 0;
    }
    int64_t parent = parent_of(d, plan, m);
    json_t *cites = json_object_get(plan, "cites");
    size_t i;
    json_t *c;
    int64_t issuer_id = issuer_of(d, plan);
    char *nf = fold_number(number);
    db_stmt *s = db_prepare(d,
        "INSERT INTO plan (number, number_folded, issued, issuer, issuer_id, title, theme, campaign_year, parent_id, "
        "source_kind, source_name, source_sha256, source_text, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_text(s, 1, number);
    db_bind_text(s, 2, nf && *nf ? nf : NULL);
    db_bind_text(s, 3, issued);
    db_bind_text(s, 4, jstr(plan, "issuer"));
    if (issuer_id) db_bind_int(s, 5, issuer_id);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, jstr(plan, "title"));
    db_bind_text(s, 7, jstr(plan, "theme"));
    db_bind_int(s, 8, year);
    if (parent) db_bind_int(s, 9, parent);
    else db_bind_null(s, 9);
    db_bind_text(s, 10, m->source_kind ? m->source_kind : "paste");
    db_bind_text(s, 11, m->source_name);
    db_bind_text(s, 12, m->source_sha256);
    db_bind_text(s, 13, m->source_text ? m->source_text : "");
    if (m->created_by) db_bind_int(s, 14, m->created_by);
    else db_bind_null(s, 14);
    db_bind_text(s, 15, now);
    int64_t plan_id = db_scalar_int(s, 0);
    free(nf);
    if (!plan_id) return 0;

    json_array_foreach(cites, i, c) {
        const char *num = json_string_value(c);
        if (!num || !*num) continue;
        int64_t cited = find_plan_by_number(d, num);
        s = db_prepare(d, "INSERT INTO plan_cite (plan_id, number, cited_plan_id) VALUES (?, ?, ?) ON CONFLICT (plan_id, number) DO NOTHING");
        db_bind_int(s, 1, plan_id);
        db_bind_text(s, 2, num);
        if (cited && cited != plan_id) db_bind_int(s, 3, cited);
        else db_bind_null(s, 3);
        if (exec1(s)) return 0;
    }

    char on_buf[11];
    const char *on = units_on(plan, on_buf);
    json_t *t;
    int sort = 0;
    struct ymd end = { today.y, 12, 31 }, start = issued ? iss : today;
    json_array_foreach(json_object_get(plan, "tasks"), i, t) {
        int64_t ptask = parent_task_of(d, parent, jstr(t, "parent_ref"));
        int64_t tid = insert_task(d, plan_id, t, sort++, 0, NULL, jstr(t, "due"), ptask);
        if (!tid || save_units(d, tid, t, "lead", "lead", "lead_ids", on, issuer_id, m->created_by) ||
            save_units(d, tid, t, "partner", "partners", "partner_ids", on, issuer_id, m->created_by))
            return 0;
        struct ymd anchor;
        bool has_anchor = jstr(t, "due") && date_parse_iso(jstr(t, "due"), &anchor);
        struct period per[64];
        int n = period_expand(jstr(t, "recurrence"), start, end, has_anchor, anchor, per, 64);
        for (int k = 0; k < n; k++) {
            char due[11];
            date_format_iso(per[k].due, due);
            int64_t iid = insert_task(d, plan_id, t, sort++, tid, per[k].label, due, ptask);
            if (!iid) return 0;
            s = db_prepare(d, "INSERT INTO task_unit (task_id, role, name, org_id) SELECT ?, role, name, org_id FROM task_unit WHERE task_id = ?");
            db_bind_int(s, 1, iid);
            db_bind_int(s, 2, tid);
            if (exec1(s)) return 0;
        }
    }
    json_array_foreach(json_object_get(plan, "report_deadlines"), i, t) {
        const char *due = jstr(t, "due"), *what = jstr(t, "what");
        struct ymd dd;
        if (!due || !date_parse_iso(due, &dd) || !what) continue;
        int64_t to_id = 0;
        if (jstr(t, "to")) {
            struct org_resolved r = org_resolve(d, jstr(t, "to"), due, 0);
            if (r.status == ORG_FOUND) to_id = r.id;
        }
        s = db_prepare(d, "INSERT INTO report_deadline (plan_id, what, to_text, to_id, due) VALUES (?, ?, ?, ?, ?)");
        db_bind_int(s, 1, plan_id);
        db_bind_text(s, 2, what);
        db_bind_text(s, 3, jstr(t, "to"));
        if (to_id) db_bind_int(s, 4, to_id);
        else db_bind_null(s, 4);
        db_bind_text(s, 5, due);
        if (exec1(s)) return 0;
    }
    if (store_plan_targets_save(d, plan_id, plan, on, issuer_id)) return 0;
    json_t *notes = json_object_get(plan, "warnings");
    if (json_array_size(notes)) {
        char *js = json_dumps(notes, JSON_COMPACT);
        s = db_prepare(d, "UPDATE plan SET review_notes = ? WHERE id = ?");
        db_bind_text(s, 1, js);
        db_bind_int(s, 2, plan_id);
        free(js);
        if (exec1(s)) return 0;
    }
    /* Searchable (and known to the assistant) from the moment it is saved, in the same transaction. */
    if (store_search_index_plan(d, plan_id)) return 0;
    return plan_id;
}
