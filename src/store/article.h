/* News and special sections (chuyên mục): markdown articles by editors, published and searchable.
 * Must not know about HTTP. */
#ifndef DXDAY_STORE_ARTICLE_H
#define DXDAY_STORE_ARTICLE_H
#include "store/db.h"

extern const char *const article_sections[], *const article_section_labels[];
const char *article_section_label(const char *section);   /* NULL for an unknown section */

/* [{id, slug, section, section_label, title, summary, status, published_at, updated_at}], newest first. */
json_t *store_articles_list(db *d, const char *section, bool published_only, int limit, int offset);
/* The whole article by slug (body_md, body_html, author…), or NULL. */
json_t *store_article_get(db *d, const char *slug);
/* NULL when {title, body_md, summary?, section?, status?, slug?} can be saved, else {field: message}. */
json_t *store_article_check(db *d, json_t *in, int64_t id);
/* Renders the markdown, saves (new when id is 0), indexes it for search while published. The id, or -1. */
int64_t store_article_save(db *d, json_t *in, int64_t id, int64_t author);
#endif
