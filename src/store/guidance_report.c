/* The guidance log summed for a report: a unit's subtree (org_unit.path prefix, as the campaign pages scope) over the
 * report's days. Must not read the entries to count people (guidance_day is kept on write for that), nor write. */
#include "store/guidance_report.h"
#include <string.h>

json_t *store_guidance_report(db *d, int64_t org_id, const char *from, const char *to)
{
    db_stmt *s = db_prepare(d, "SELECT path FROM org_unit WHERE id = ?");
    db_bind_int(s, 1, org_id);
    json_t *unit = db_row(s);
    const char *path = json_string_value(json_object_get(unit, "path"));
    if (!path) { json_decref(unit); return NULL; }
    /* CAST: PostgreSQL sums BIGINT into NUMERIC. */
    s = db_prepare(d, "SELECT CAST(COALESCE(SUM(g.people), 0) AS BIGINT) AS value, CAST(COALESCE(SUM(g.entries), 0) AS BIGINT) AS entries, "
                      "MIN(g.day) AS \"from\", MAX(g.day) AS \"to\" FROM guidance_day g JOIN org_unit o ON o.id = g.org_id "
                      "WHERE g.day >= ? AND g.day <= ? AND substr(o.path, 1, ?) = ?");
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    db_bind_int(s, 3, (int64_t)strlen(path));
    db_bind_text(s, 4, path);
    json_t *out = db_row(s);
    if (!out) { json_decref(unit); return NULL; }
    /* Teams are counted by the unit they belong to now; EXISTS stops at a team's first entry in the span through the
     * (team_id, day) index rather than visiting every entry of the subtree. */
    s = db_prepare(d, "SELECT COUNT(*) FROM cdt_team t JOIN org_unit o ON o.id = t.org_id WHERE substr(o.path, 1, ?) = ? "
                      "AND EXISTS (SELECT 1 FROM guidance_entry e WHERE e.team_id = t.id AND e.day >= ? AND e.day <= ?)");
    db_bind_int(s, 1, (int64_t)strlen(path));
    db_bind_text(s, 2, path);
    db_bind_text(s, 3, from);
    db_bind_text(s, 4, to);
    json_int_t teams = db_scalar_int(s, 0);
    json_decref(unit);
    if (db_failed(d)) { json_decref(out); return NULL; }
    json_object_set_new(out, "teams", json_integer(teams));
    return out;
}
