/* Loads the org-unit reference data (data/orgs.tsv, data/org_successors.tsv) into the store, idempotently.
 * Must not delete or rewrite history: units missing from the file stay; validity comes from the file. */
#include "store/org.h"
#include "core/files.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS 9

static uint64_t fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

/* Splits one TSV line in place into at most max fields; returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') { *p = 0; f[n++] = p + 1; }
    return n;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

static int add_alias(db *d, int64_t id, const char *alias, int is_name)
{
    char *f = text_fold(alias), *c = text_fold_compact(alias), *nfc = text_nfc(alias);
    int rc = -1;
    if (f && c && nfc && *f) {
        db_stmt *s = db_prepare(d, "INSERT INTO org_alias (org_id, alias, alias_folded, alias_compact, is_name) "
                                   "VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, alias) DO NOTHING");
        db_bind_int(s, 1, id);
        db_bind_text(s, 2, nfc);
        db_bind_text(s, 3, f);
        db_bind_text(s, 4, c);
        db_bind_int(s, 5, is_name);
        rc = db_step(s) == DB_ERROR ? -1 : 0;
        db_done(s);
    } else if (f && !*f) {
        rc = 0;
    }
    free(f); free(c); free(nfc);
    return rc;
}

static int load_units(db *d, char *text)
{
    char *save = NULL;
    int lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (lineno++ == 0) continue;
        char *f[ORG_COLS];
        if (split_tabs(line, f, ORG_COLS) != ORG_COLS) {
            fprintf(stderr, "data/orgs.tsv:%d: expected %d columns\n", lineno, ORG_COLS);
            return -1;
        }
        char *folded = text_fold(f[4]);
        db_stmt *s = db_prepare(d,
            "INSERT INTO org_unit (code, kind, level, name, short_name, name_folded, valid_from, valid_to, path) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '/') ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, "
            "level = excluded.level, name = excluded.name, short_name = excluded.short_name, "
            "name_folded = excluded.name_folded, valid_from = excluded.valid_from, valid_to = excluded.valid_to "
            "RETURNING id");
        db_bind_text(s, 1, f[0]);
        db_bind_text(s, 2, f[1]);
        db_bind_text(s, 3, f[2]);
        db_bind_text(s, 4, f[4]);
        db_bind_text(s, 5, nz(f[5]));
        db_bind_text(s, 6, folded ? folded : "");
        db_bind_text(s, 7, nz(f[6]));
        db_bind_text(s, 8, nz(f[7]));
        int64_t id = db_scalar_int(s, 0);
        free(folded);
        if (!id) {
            fprintf(stderr, "data/orgs.tsv:%d: %s\n", lineno, db_errmsg(d));
            return -1;
        }
        s = db_prepare(d, "DELETE FROM org_alias WHERE org_id = ?");
        db_bind_int(s, 1, id);
        db_step(s);
        db_done(s);
        if (add_alias(d, id, f[4], 1)) return -1;
        if (nz(f[5]) && add_alias(d, id, f[5], 0)) return -1;
        char *asave = NULL;
        for (char *a = strtok_r(f[8], "|", &asave); a; a = strtok_r(NULL, "|", &asave))
            if (add_alias(d, id, a, 0)) {
                fprintf(stderr, "data/orgs.tsv:%d: bad alias '%s'\n", lineno, a);
                return -1;
            }
    }
    return 0;
}

static int link_parents(db *d, char *text)
{
    char *save = NULL;
    int lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (lineno++ == 0) continue;
        char *f[ORG_COLS];
        split_tabs(line, f, ORG_COLS);
        db_stmt *s = db_prepare(d, "UPDATE org_unit SET parent_id = (SELECT id FROM org_unit WHERE code = ?) "
                                   "WHERE code = ?");
        db_bind_text(s, 1, nz(f[3]));
        db_bind_text(s, 2, f[0]);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) return -1;
    }
    return 0;
}

/* Materialised paths ("/1/7/42/") make subtree checks one indexed prefix comparison in any SQL engine. */
static int compute_paths(db *d)
{
    json_t *all = db_rows(db_prepare(d, "SELECT id, parent_id FROM org_unit ORDER BY id"));
    size_t n = json_array_size(all);
    int64_t maxid = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t id = json_integer_value(json_object_get(json_array_get(all, i), "id"));
        if (id > maxid) maxid = id;
    }
    int64_t *parent = calloc(maxid + 1, sizeof *parent);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(all, i);
        parent[json_integer_value(json_object_get(r, "id"))] = json_integer_value(json_object_get(r, "parent_id"));
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        int64_t id = json_integer_value(json_object_get(json_array_get(all, i), "id"));
        int64_t chain[64];
        int depth = 0;
        for (int64_t x = id; x && depth < 64; x = parent[x]) chain[depth++] = x;
        if (depth == 64) { fprintf(stderr, "orgs: cycle at id %lld\n", (long long)id); rc = -1; break; }
        char path[64 * 21 + 2] = "/";
        size_t len = 1;
        for (int k = depth - 1; k >= 0; k--) len += snprintf(path + len, sizeof path - len, "%lld/", (long long)chain[k]);
        db_stmt *s = db_prepare(d, "UPDATE org_unit SET path = ? WHERE id = ?");
        db_bind_text(s, 1, path);
        db_bind_int(s, 2, id);
        if (db_step(s) == DB_ERROR) rc = -1;
        db_done(s);
    }
    free(parent);
    json_decref(all);
    return rc;
}

static int load_successors(db *d, char *text)
{
    char *save = NULL;
    int lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (lineno++ == 0) continue;
        char *f[4];
        if (split_tabs(line, f, 4) != 4) {
            fprintf(stderr, "data/org_successors.tsv:%d: expected 4 columns\n", lineno);
            return -1;
        }
        db_stmt *s = db_prepare(d, "INSERT INTO org_successor (from_id, to_id, date, kind) "
                                   "SELECT a.id, b.id, ?, ? FROM org_unit a, org_unit b WHERE a.code = ? AND b.code = ? "
                                   "ON CONFLICT (from_id, to_id) DO UPDATE SET date = excluded.date, kind = excluded.kind");
        db_bind_text(s, 1, f[2]);
        db_bind_text(s, 2, f[3]);
        db_bind_text(s, 3, f[0]);
        db_bind_text(s, 4, f[1]);
        int rc = db_step(s);
        db_done(s);
        if (rc == DB_ERROR) {
            fprintf(stderr, "data/org_successors.tsv:%d: %s\n", lineno, db_errmsg(d));
            return -1;
        }
    }
    return 0;
}

int store_orgs_sort_keys(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT id, name FROM org_unit WHERE sort_key IS NULL ORDER BY id");
    json_t *rows = db_rows(s);
    if (!rows) return -1;
    if (!json_array_size(rows)) { json_decref(rows); return 0; }
    int rc = db_begin(d);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (rc) break;
        char *key = text_sort_key(json_string_value(json_object_get(r, "name")));
        s = db_prepare(d, "UPDATE org_unit SET sort_key = ? WHERE id = ?");
        db_bind_text(s, 1, key ? key : "");
        db_bind_int(s, 2, json_integer_value(json_object_get(r, "id")));
        rc = db_step(s) == DB_ERROR;
        db_done(s);
        free(key);
    }
    json_decref(rows);
    if (rc) { db_rollback(d); return -1; }
    return db_commit(d);
}

int store_orgs_load(db *d)
{
    const struct embedded_file *units = files_get("data/orgs.tsv");
    const struct embedded_file *succ = files_get("data/org_successors.tsv");
    if (!units || !succ) return 0;
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx",
             (unsigned long long)fnv1a(succ->data, succ->size, fnv1a(units->data, units->size, 14695981039346656037ULL)));
    db_stmt *s = db_prepare(d, "SELECT value FROM meta WHERE key = 'orgs_hash'");
    json_t *row = db_row(s);
    int same = row && strcmp(json_string_value(json_object_get(row, "value")), hash) == 0;
    json_decref(row);
    if (same) return 0;

    char *t1 = strndup((const char *)units->data, units->size), *t2 = strndup((const char *)units->data, units->size);
    char *t3 = strndup((const char *)succ->data, succ->size);
    db_begin(d);
    int rc = load_units(d, t1);
    if (!rc) rc = link_parents(d, t2);
    if (!rc) rc = compute_paths(d);
    if (!rc) rc = load_successors(d, t3);
    if (!rc) {
        s = db_prepare(d, "INSERT INTO meta (key, value) VALUES ('orgs_hash', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        db_bind_text(s, 1, hash);
        rc = db_step(s) == DB_ERROR ? -1 : 0;
        db_done(s);
    }
    free(t1); free(t2); free(t3);
    if (rc) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}
