/* Markdown written by editors, rendered to HTML with raw HTML disabled (cmark-gfm: tables, autolinks,
 * strikethrough). Pure: no store, no HTTP. */
#ifndef DXDAY_MARKDOWN_H
#define DXDAY_MARKDOWN_H
#include <stddef.h>

/* malloc'd HTML; raw HTML in the input is left out, and javascript: links are not made links. NULL on failure. */
char *markdown_html(const char *md, size_t len);
#endif
