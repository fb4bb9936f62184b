/* Org-unit queries: the directory, one unit with its neighbours, subtree membership and the name resolver.
 * Must not write: loading lives in org_load.c. All SQL here is portable (no engine-specific functions). */
#include "store/org.h"
#include "core/date.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS_SQL "u.id, u.code, u.kind, u.level, u.name, u.short_name, u.valid_from, u.valid_to, u.parent_id"

static void today_iso(char *out) { date_format_iso(date_today(), out); }

json_t *store_orgs_find(db *d, const struct org_query *q)
{
    char *folded = q->text && *q->text ? text_fold(q->text) : NULL;
    char *compact = folded ? text_fold_compact(q->text) : NULL;
    if (folded && !*folded) { free(folded); free(compact); folded = compact = NULL; }
    char where[1024] = "WHERE 1 = 1";
    if (q->kind) strcat(where, " AND u.kind = ?");
    if (q->parent) strcat(where, " AND u.parent_id = ?");
    if (q->valid_on) strcat(where, " AND (u.valid_from IS NULL OR u.valid_from <= ?) AND (u.valid_to IS NULL OR u.valid_to >= ?)");
    if (folded) strcat(where, " AND u.id IN (SELECT org_id FROM org_alias WHERE (' ' || alias_folded) LIKE ? OR alias_compact LIKE ?)");

    char like1[600], like2[600], prefix[600];
    if (folded) {
        snprintf(like1, sizeof like1, "%% %s%%", folded);
        snprintf(like2, sizeof like2, "%%%s%%", compact);
        snprintf(prefix, sizeof prefix, "%s%%", folded);
    }
#define BIND_WHERE(s, k)                                                  \
    do {                                                                  \
        if (q->kind) db_bind_text(s, k++, q->kind);                       \
        if (q->parent) db_bind_int(s, k++, q->parent);                    \
        if (q->valid_on) { db_bind_text(s, k++, q->valid_on); db_bind_text(s, k++, q->valid_on); } \
        if (folded) { db_bind_text(s, k++, like1); db_bind_text(s, k++, like2); } \
    } while (0)

    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM org_unit u %s", where);
    db_stmt *s = db_prepare(d, sql);
    int k = 1;
    BIND_WHERE(s, k);
    int64_t total = db_scalar_int(s, 0);

    /* Exact name first, then names starting with the words typed, then the rest, in the Vietnamese order of
     * the names (sort_key: Đà Nẵng after every D-, before E-). */
    snprintf(sql, sizeof sql,
             "SELECT " ORG_COLS_SQL ", p.name AS parent_name, "
             "(SELECT COUNT(*) FROM org_unit c WHERE c.parent_id = u.id) AS children "
             "FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id %s ORDER BY %s u.sort_key, u.id LIMIT ? OFFSET ?",
             where, folded ? "CASE WHEN u.name_folded = ? THEN 0 WHEN u.name_folded LIKE ? THEN 1 ELSE 2 END," : "");
    s = db_prepare(d, sql);
    k = 1;
    BIND_WHERE(s, k);
    if (folded) { db_bind_text(s, k++, folded); db_bind_text(s, k++, prefix); }
    db_bind_int(s, k++, q->limit > 0 ? q->limit : 50);
    db_bind_int(s, k++, q->offset > 0 ? q->offset : 0);
    json_t *items = db_rows(s);
#undef BIND_WHERE
    free(folded);
    free(compact);
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total);
}

int64_t store_org_id(db *d, const char *id_or_code)
{
    if (!id_or_code || !*id_or_code) return 0;
    db_stmt *s = db_prepare(d, "SELECT id FROM org_unit WHERE code = ? OR (id = ? AND ? <> '')");
    char *end;
    long long n = strtoll(id_or_code, &end, 10);
    db_bind_text(s, 1, id_or_code);
    db_bind_int(s, 2, *end ? -1 : n);
    db_bind_text(s, 3, id_or_code);
    return db_scalar_int(s, 0);
}

static json_t *list_by_id(db *d, const char *sql, int64_t id)
{
    db_stmt *s = db_prepare(d, sql);
    db_bind_int(s, 1, id);
    return db_rows(s);
}

json_t *store_org_get(db *d, const char *id_or_code)
{
    int64_t id = store_org_id(d, id_or_code);
    if (!id) return NULL;
    db_stmt *s = db_prepare(d, "SELECT " ORG_COLS_SQL ", u.path FROM org_unit u WHERE u.id = ?");
    db_bind_int(s, 1, id);
    json_t *o = db_row(s);
    if (!o) return NULL;
    json_object_set_new(o, "parent", json_null());
    json_int_t pid = json_integer_value(json_object_get(o, "parent_id"));
    if (pid) {
        json_t *p = db_row((s = db_prepare(d, "SELECT id, code, name, kind FROM org_unit WHERE id = ?"), db_bind_int(s, 1, pid), s));
        if (p) json_object_set_new(o, "parent", p);
    }
    /* Ancestors from the root down, for breadcrumbs: every id in the path except the unit itself. */
    json_t *anc = json_array();
    const char *path = json_string_value(json_object_get(o, "path"));
    for (const char *p = path + 1; *p;) {
        long long aid = strtoll(p, (char **)&p, 10);
        if (*p == '/') p++;
        if (aid == id) break;
        s = db_prepare(d, "SELECT id, code, name FROM org_unit WHERE id = ?");
        db_bind_int(s, 1, aid);
        json_t *a = db_row(s);
        if (a) json_array_append_new(anc, a);
    }
    json_object_set_new(o, "ancestors", anc);
    json_object_set_new(o, "children", list_by_id(d,
        "SELECT u.id, u.code, u.kind, u.level, u.name, u.valid_from, u.valid_to, "
        "(SELECT COUNT(*) FROM org_unit c WHERE c.parent_id = u.id) AS children "
        "FROM org_unit u WHERE u.parent_id = ? ORDER BY u.sort_key, u.id", id));
    json_object_set_new(o, "aliases", list_by_id(d,
        "SELECT alias FROM org_alias WHERE org_id = ? AND is_name = 0 ORDER BY alias", id));
    json_t *flat = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(o, "aliases"), i, a) json_array_append(flat, json_object_get(a, "alias"));
    json_object_set_new(o, "aliases", flat);
    json_object_set_new(o, "predecessors", list_by_id(d,
        "SELECT u.id, u.code, u.name, u.valid_from, u.valid_to, s.date, s.kind AS change FROM org_successor s "
        "JOIN org_unit u ON u.id = s.from_id WHERE s.to_id = ? ORDER BY u.sort_key, u.id", id));
    json_object_set_new(o, "successors", list_by_id(d,
        "SELECT u.id, u.code, u.name, u.valid_from, u.valid_to, s.date, s.kind AS change FROM org_successor s "
        "JOIN org_unit u ON u.id = s.to_id WHERE s.from_id = ? ORDER BY u.sort_key, u.id", id));
    return o;
}

bool store_org_within(db *d, int64_t inner, int64_t outer)
{
    if (inner == outer) return inner != 0;
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit i, org_unit o WHERE i.id = ? AND o.id = ? "
                               "AND i.path LIKE o.path || '%'");
    db_bind_int(s, 1, inner);
    db_bind_int(s, 2, outer);
    return db_scalar_int(s, 0) > 0;
}

/* Words officials put before a unit's name that the aliases need not repeat. Longest first. */
static const char *const generic_prefixes[] = {
    "uy ban nhan dan tinh ", "uy ban nhan dan thanh pho ", "uy ban nhan dan ", "ubnd tinh ", "ubnd thanh pho ",
    "ubnd tp ", "ubnd ", "tinh ", "thanh pho ", "tp ", "cac ", NULL,
};

/* Candidates whose folded or compact alias equals the text, de-duplicated, at most max. */
static int candidates(db *d, const char *folded, const char *compact, int64_t *out, int max)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT org_id FROM org_alias WHERE alias_folded = ? OR alias_compact = ? "
                               "ORDER BY org_id");
    db_bind_text(s, 1, folded);
    db_bind_text(s, 2, compact);
    int n = 0;
    while (db_step(s) == DB_ROW && n < max) out[n++] = db_col_int(s, 0);
    db_done(s);
    return n;
}

static bool open_on(db *d, int64_t id, const char *date)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM org_unit WHERE id = ? AND (valid_from IS NULL OR valid_from <= ?) "
                               "AND (valid_to IS NULL OR valid_to >= ?)");
    db_bind_int(s, 1, id);
    db_bind_text(s, 2, date);
    db_bind_text(s, 3, date);
    return db_scalar_int(s, 0) > 0;
}

/* Keeps the entries of ids[] for which keep() holds, unless none does (then the list is left alone). */
static int narrow(db *d, int64_t *ids, int n, bool (*keep)(db *, int64_t, const void *), const void *arg)
{
    int64_t kept[32];
    int k = 0;
    for (int i = 0; i < n; i++)
        if (keep(d, ids[i], arg)) kept[k++] = ids[i];
    if (k == 0) return n;
    memcpy(ids, kept, k * sizeof *ids);
    return k;
}
static bool keep_open(db *d, int64_t id, const void *date) { return open_on(d, id, date); }
static bool keep_within(db *d, int64_t id, const void *outer) { return store_org_within(d, id, *(const int64_t *)outer); }

struct org_resolved org_resolve(db *d, const char *text, const char *on_date, int64_t within)
{
    struct org_resolved r = { ORG_NOT_FOUND, 0, {0}, 0 };
    char *folded = text ? text_fold(text) : NULL;
    if (!folded || !*folded) { free(folded); return r; }
    char *compact = text_fold_compact(text);
    int64_t ids[32];
    int n = candidates(d, folded, compact, ids, 32);
    for (int i = 0; !n && generic_prefixes[i]; i++) {
        size_t len = strlen(generic_prefixes[i]);
        if (strncmp(folded, generic_prefixes[i], len) || !folded[len]) continue;
        char *rest = folded + len, *rc = strdup(rest), *w = rc;
        for (char *p = rest; *p; p++) if (*p != ' ') *w++ = *p;
        *w = 0;
        n = candidates(d, rest, rc, ids, 32);
        free(rc);
    }
    free(folded);
    free(compact);
    if (n > 1) {
        char today[11];
        if (!on_date) today_iso(today);
        n = narrow(d, ids, n, keep_open, on_date ? on_date : today);
    }
    if (n > 1 && within) n = narrow(d, ids, n, keep_within, &within);
    if (n == 1) {
        r.status = ORG_FOUND;
        r.id = ids[0];
    } else if (n > 1) {
        r.status = ORG_AMBIGUOUS;
        r.ncandidates = n < 8 ? n : 8;
        memcpy(r.candidates, ids, r.ncandidates * sizeof *ids);
    }
    return r;
}
