/* The sitemap's paths, read from the campaigns, plans, articles and courses. Must not know about HTTP and must not
 * list what the public cannot open (drafts of articles and courses). */
#include "store/sitemap.h"

json_t *store_sitemap_paths(db *d, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT '/nam/' || year FROM campaign UNION ALL SELECT '/ke-hoach/' || id FROM plan "
                               "UNION ALL SELECT '/tin-tuc/' || slug FROM article WHERE status = 'published' "
                               "UNION ALL SELECT '/khoa-hoc/' || slug FROM course WHERE status <> 'draft' "
                               "UNION ALL SELECT '/khoa-hoc/' || c.slug || '/' || l.slug FROM lesson l JOIN course c ON c.id = l.course_id "
                               "WHERE c.status <> 'draft'");
    json_t *paths = json_array();
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *u = db_col_text(s, 0);
        if (u) json_array_append_new(paths, json_string(u));
    }
    db_done(s);
    if (rc != DB_ERROR) return paths;
    json_decref(paths);
    store_fail_db(res, d);
    return NULL;
}
