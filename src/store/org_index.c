/* One shared in-memory copy of the unit tree: a few hundred kilobytes for 10,000 units, so the dashboard walks
 * memory instead of asking SQLite for every unit on every request. Replaced whole when the units change. */
#include "store/org_index.h"
#include "core/date.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct org_index *shared;

static void drop(struct org_index *x)
{
    if (!x) return;
    free(x->u);
    free(x->slot);
    free(x->strings);
    free(x);
}

static void free_shared(void) { drop(shared); shared = NULL; }

static unsigned hash(int64_t id) { return (unsigned)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 32); }

int org_index_find(const struct org_index *x, int64_t id)
{
    for (unsigned h = hash(id) & (unsigned)(x->nslot - 1);; h = (h + 1) & (unsigned)(x->nslot - 1)) {
        int i = x->slot[h];
        if (i < 0) return -1;
        if (x->u[i].id == id) return i;
    }
}

static long day_of(const char *s, long dflt)
{
    struct ymd y;
    return s && date_parse_iso(s, &y) ? date_to_days(y) : dflt;
}

/* Rows come ordered by path, so a parent's area is known before its children's. The Youth Union's provincial branches
 * sit under Trung ương Đoàn, not under their province; their code is the province's code after "doan-" (data/orgs.tsv
 * keeps that rule), which is how work done by a branch's teams is counted where it was done. */
static void set_areas(struct org_index *x)
{
    for (int i = 0; i < x->n; i++) {
        struct ounit *u = &x->u[i];
        u->area = u->parent >= 0 ? x->u[u->parent].area : -1;
        if (!strcmp(u->kind, "province")) u->area = i;
        else if (!strcmp(u->level, "province") && !strncmp(u->code, "doan-", 5))
            for (int k = 0; k < x->n; k++)
                if (!strcmp(x->u[k].kind, "province") && !strcmp(x->u[k].code, u->code + 5)) { u->area = k; break; }
    }
}

static struct org_index *build(db *d, const char *version)
{
    struct org_index *x = calloc(1, sizeof *x);
    /* Bytes, not characters: LENGTH of TEXT counts characters and Vietnamese names take more bytes than that. UTF-8
     * spends at most 4 bytes on a character, so 4 * LENGTH bounds the bytes on every engine (PostgreSQL has no BLOB
     * to cast to, SQLite 3.40 no octet_length); the copy below also stops at the end of the buffer. */
    db_stmt *s = db_prepare(d, "SELECT COUNT(*), COALESCE(SUM(4 * (LENGTH(code) + LENGTH(name) + LENGTH(kind) + LENGTH(level) + "
                               "LENGTH(path)) + 5), 0) FROM org_unit");
    int n = 0;
    size_t bytes = 0;
    if (db_step(s) == DB_ROW) { n = (int)db_col_int(s, 0); bytes = (size_t)db_col_int(s, 1); }
    db_done(s);
    x->u = calloc((size_t)n + 1, sizeof *x->u);
    x->strings = malloc(bytes + 1);
    for (x->nslot = 16; x->nslot < 2 * n; x->nslot *= 2) {}
    x->slot = malloc(sizeof(int) * (size_t)x->nslot);
    memset(x->slot, 0xff, sizeof(int) * (size_t)x->nslot);
    int64_t *parent_ids = calloc((size_t)n + 1, sizeof *parent_ids);
    char *p = x->strings, *end = x->strings + bytes;
    s = db_prepare(d, "SELECT id, parent_id, valid_from, valid_to, code, name, kind, level, path FROM org_unit ORDER BY path");
    while (db_step(s) == DB_ROW && x->n < n) {
        struct ounit *u = &x->u[x->n];
        u->id = db_col_int(s, 0);
        parent_ids[x->n] = db_col_int(s, 1);
        u->from = day_of(db_col_text(s, 2), LONG_MIN);
        u->to = day_of(db_col_text(s, 3), LONG_MAX);
        const char **dst[] = { &u->code, &u->name, &u->kind, &u->level, &u->path };
        for (int k = 0; k < 5; k++) {
            const char *v = db_col_text(s, 4 + k);
            size_t len = v ? strlen(v) : 0;
            if (p + len + 1 > end) len = 0;
            memcpy(p, v ? v : "", len);
            p[len] = 0;
            *dst[k] = p;
            p += len + 1;
        }
        unsigned h = hash(u->id) & (unsigned)(x->nslot - 1);
        while (x->slot[h] >= 0) h = (h + 1) & (unsigned)(x->nslot - 1);
        x->slot[h] = x->n++;
    }
    db_done(s);
    for (int i = 0; i < x->n; i++) {
        x->u[i].parent = parent_ids[i] ? org_index_find(x, parent_ids[i]) : -1;
        x->u[i].succ = -1;
    }
    free(parent_ids);
    set_areas(x);
    s = db_prepare(d, "SELECT from_id, to_id FROM org_successor ORDER BY date, to_id");
    while (db_step(s) == DB_ROW) {
        int a = org_index_find(x, db_col_int(s, 0)), b = org_index_find(x, db_col_int(s, 1));
        if (a >= 0 && b >= 0 && x->u[a].succ < 0) x->u[a].succ = b;
    }
    db_done(s);
    snprintf(x->version, sizeof x->version, "%s", version);
    return x;
}

struct org_index *org_index_get(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM org_unit) || ':' || COALESCE((SELECT MAX(id) FROM org_unit), 0) || ':' || "
                               "(SELECT COUNT(*) FROM org_successor) || ':' || "
                               "COALESCE((SELECT value FROM meta WHERE key = 'orgs_hash'), '') || ':' || "
                               "COALESCE((SELECT value FROM meta WHERE key = 'orgs_edited'), '')");
    char version[96] = "";
    if (db_step(s) == DB_ROW && db_col_text(s, 0)) snprintf(version, sizeof version, "%s", db_col_text(s, 0));
    db_done(s);
    pthread_mutex_lock(&lock);
    static bool registered;
    if (!registered) { atexit(free_shared); registered = true; }
    if (!shared || strcmp(shared->version, version)) {
        pthread_mutex_unlock(&lock);
        /* Built outside the lock: two threads may both build after a change; the later one wins. */
        struct org_index *fresh = build(d, version);
        pthread_mutex_lock(&lock);
        if (shared && shared->refs == 0) drop(shared);
        else if (shared) shared->refs = -shared->refs;   /* orphaned: the last release frees it */
        shared = fresh;
    }
    struct org_index *x = shared;
    x->refs++;
    pthread_mutex_unlock(&lock);
    return x;
}

void org_index_release(struct org_index *x)
{
    if (!x) return;
    pthread_mutex_lock(&lock);
    if (x->refs > 0) x->refs--;
    else if (++x->refs == 0) drop(x);   /* an orphan counts its references negatively */
    pthread_mutex_unlock(&lock);
}

int org_index_rules(const struct org_index *x, json_t *assign, struct assign_rule *out)
{
    int n = 0;
    size_t k;
    json_t *a;
    json_array_foreach(assign, k, a) {
        if (n == ASSIGN_MAX) break;
        struct assign_rule *r = &out[n++];
        r->kind = json_string_value(json_object_get(a, "kind"));
        r->level = json_string_value(json_object_get(a, "level"));
        r->path = NULL;
        r->plen = 0;
        r->dead = false;
        json_t *org = json_object_get(a, "org_id");
        if (json_is_integer(org)) {
            int i = org_index_find(x, json_integer_value(org));
            if (i < 0) r->dead = true;
            else { r->path = x->u[i].path; r->plen = strlen(r->path); }
        }
    }
    return n;
}

bool org_index_matches(const struct org_index *x, const struct assign_rule *rules, int n, int i)
{
    const struct ounit *u = &x->u[i];
    for (int k = 0; k < n; k++) {
        const struct assign_rule *r = &rules[k];
        if (r->dead || (r->kind && strcmp(r->kind, u->kind)) || (r->level && strcmp(r->level, u->level))) continue;
        if (r->path && strncmp(u->path, r->path, r->plen)) continue;
        return true;
    }
    return false;
}

bool org_index_assigned(const struct org_index *x, json_t *assign, int i)
{
    struct assign_rule rules[ASSIGN_MAX];
    return org_index_matches(x, rules, org_index_rules(x, assign, rules), i);
}
