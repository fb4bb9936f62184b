/* Org units: loading the reference data, the directory query, one unit with its neighbours, and the
 * resolver that maps a written name to a unit. Must not know about HTTP. */
#ifndef DXDAY_STORE_ORG_H
#define DXDAY_STORE_ORG_H
#include "store/db.h"

/* Loads data/orgs.tsv and data/org_successors.tsv (compiled in) when they changed since the last load:
 * upserts by code in one transaction, never deletes a unit. 0 or -1. */
int store_orgs_load(db *d);
/* Fills org_unit.sort_key (the Vietnamese order of the name) where it is missing: after the reference data and after
 * anything else that inserts units (the demo's wards). 0 or -1. */
int store_orgs_sort_keys(db *d);

struct org_query {
    const char *text;      /* free text, folded before matching names and aliases */
    const char *kind;
    int64_t parent;        /* 0: any */
    const char *valid_on;  /* ISO date or NULL: units open on that day */
    int limit, offset;
};
/* {"items": [...], "total": N} */
json_t *store_orgs_find(db *d, const struct org_query *q);

/* One unit by numeric id or code with parent, ancestors, children, aliases, predecessors and successors;
 * NULL when there is no such unit. */
json_t *store_org_get(db *d, const char *id_or_code);

/* Just the id for an id or code, 0 when none. */
int64_t store_org_id(db *d, const char *id_or_code);

/* True when unit `inner` is `outer` or lies below it. */
bool store_org_within(db *d, int64_t inner, int64_t outer);

enum org_resolution { ORG_NOT_FOUND = 0, ORG_FOUND = 1, ORG_AMBIGUOUS = 2 };
struct org_resolved {
    enum org_resolution status;
    int64_t id;             /* when FOUND */
    int64_t candidates[8];  /* when AMBIGUOUS: up to 8 ids */
    int ncandidates;
};
/* Maps a written unit name (any spelling, NFC or NFD, with or without diacritics, abbreviations, "UBND
 * tỉnh X") to a unit open on `on_date` (ISO; NULL = today). `within` (0 = none) prefers units in that
 * subtree when several match, e.g. the province that issued a plan naming "Sở Nội vụ". */
struct org_resolved org_resolve(db *d, const char *text, const char *on_date, int64_t within);
#endif
