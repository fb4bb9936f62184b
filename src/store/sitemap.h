/* The public pages search engines may index, beyond the fixed ones: each year, plan, published article, course
 * and lesson. Must not know about HTTP or XML, and must never list a draft. */
#ifndef DXDAY_STORE_SITEMAP_H
#define DXDAY_STORE_SITEMAP_H
#include "store/db.h"
#include "store/result.h"

/* Their paths ("/nam/2025", "/tin-tuc/slug", …) as a JSON array of strings; NULL on a database error. */
json_t *store_sitemap_paths(db *d, struct store_result *res);
#endif
