/* The unit tree in memory for reports that touch every unit (completeness, the dashboard): built once from the
 * store, shared read-only by all threads, and rebuilt when the units change. Must not know about HTTP. */
#ifndef DXDAY_STORE_ORG_INDEX_H
#define DXDAY_STORE_ORG_INDEX_H
#include "store/db.h"

struct ounit {
    int64_t id;
    int parent, succ;        /* indexes into the array, -1 when none; succ: the first successor */
    int area;                /* the province the unit works in, -1 when none: its own province, or for a branch of
                              * another hierarchy at province level (Tỉnh đoàn "doan-X") the province "X" */
    long from, to;           /* days since 1970 of valid_from / valid_to; LONG_MIN / LONG_MAX when open-ended */
    const char *code, *name, *kind, *level, *path;
};

struct org_index {
    int n;
    struct ounit *u;
    int *slot;               /* open-addressing table id → index */
    int nslot;
    char *strings;
    int refs;
    char version[96];
};

/* A reference to the current index (rebuilt first when the store's units changed); release it when done. */
struct org_index *org_index_get(db *d);
void org_index_release(struct org_index *x);
int org_index_find(const struct org_index *x, int64_t id);   /* -1 when unknown */
static inline int ounit_open_on(const struct ounit *u, long day) { return u->from <= day && day <= u->to; }
/* A form's assignment row made ready for matching thousands of units: strings point into the form's JSON. */
struct assign_rule { const char *kind, *level, *path; size_t plen; bool dead; };
#define ASSIGN_MAX 32
/* Compiles up to ASSIGN_MAX rows of [{kind, level, org_id}]; returns how many. */
int org_index_rules(const struct org_index *x, json_t *assign, struct assign_rule *out);
/* Whether unit i matches any rule (all of that rule's set fields). */
bool org_index_matches(const struct org_index *x, const struct assign_rule *rules, int n, int i);
/* The same for one unit straight from the JSON rows. */
bool org_index_assigned(const struct org_index *x, json_t *assign, int i);
#endif
