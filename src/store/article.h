/* News and special sections (chuyên mục): markdown articles by editors, published and searchable.
 * Must not know about HTTP, and must not include export/: markdown is rendered through the renderer set at startup. */
#ifndef DXDAY_STORE_ARTICLE_H
#define DXDAY_STORE_ARTICLE_H
#include <stddef.h>
#include "store/db.h"
#include "store/result.h"

extern const char *const article_sections[], *const article_section_labels[];
const char *article_section_label(const char *section);   /* NULL for an unknown section */

/* Markdown → HTML (malloc'd, raw HTML dropped), NULL on failure. Set once at startup, before any thread runs (main.c
 * passes export/markdown.h's markdown_html); until then store_article_save refuses with STORE_ERROR. */
typedef char *(*article_render_fn)(const char *md, size_t len);
void store_article_set_renderer(article_render_fn fn);

/* [{id, slug, section, section_label, title, summary, status, published_at, updated_at}], newest first; NULL on a
 * database error (res says which). */
json_t *store_articles_list(db *d, const char *section, bool published_only, int limit, int offset, struct store_result *res);
/* The whole article by slug (body_md, body_html, author…); NULL with res STORE_NOT_FOUND, or STORE_ERROR. */
json_t *store_article_get(db *d, const char *slug, struct store_result *res);

/* Checks {title, body_md, summary?, section?, status?, slug?} (STORE_INVALID with a message per field, a slug used by
 * another article among them), renders the markdown, numbers a slug made from a title already used ("le-phat-dong-2"),
 * saves (new when id is 0) and indexes the article for search while published — all in one transaction, so the slug
 * check and the write see no other writer in between. The caller may hold an outer transaction (its audit entry).
 * On STORE_OK, *saved_id and *saved_slug (malloc'd) name the article when the pointers are not NULL. */
enum store_status store_article_save(db *d, json_t *in, int64_t id, int64_t author, int64_t *saved_id, char **saved_slug,
                                     struct store_result *res);
#endif
