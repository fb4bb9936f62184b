/* Editors' markdown to HTML. CMARK_OPT_UNSAFE is never set: raw HTML and dangerous URLs (javascript:, vbscript:,
 * file:, most data:) are dropped by cmark-gfm itself, so a pasted <script> can never reach a reader. */
#include "export/markdown.h"
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void register_extensions(void) { cmark_gfm_core_extensions_ensure_registered(); }

/* Images load when scrolled to, so a lesson's first load stays light on a slow phone connection. With raw HTML off,
 * every "<img " in the output is one cmark wrote (a user's own would be escaped to "&lt;img "). */
static char *lazy_images(char *html)
{
    static const char from[] = "<img ", to[] = "<img loading=\"lazy\" decoding=\"async\" ";
    size_t n = 0;
    for (const char *q = html; (q = strstr(q, from)); q += sizeof from - 1) n++;
    if (!n) return html;
    char *out = malloc(strlen(html) + n * (sizeof to - sizeof from) + 1), *w = out;
    if (!out) { free(html); return NULL; }
    for (const char *q = html, *hit; ; q = hit + sizeof from - 1) {
        hit = strstr(q, from);
        size_t k = hit ? (size_t)(hit - q) : strlen(q);
        memcpy(w, q, k);
        w += k;
        if (!hit) break;
        memcpy(w, to, sizeof to - 1);
        w += sizeof to - 1;
    }
    *w = 0;
    free(html);
    return out;
}

char *markdown_html(const char *md, size_t len)
{
    pthread_once(&once, register_extensions);
    int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
    cmark_parser *p = cmark_parser_new(opts);
    if (!p) return NULL;
    const char *exts[] = { "table", "autolink", "strikethrough" };
    for (int i = 0; i < 3; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e) cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, md, len);
    cmark_node *doc = cmark_parser_finish(p);
    char *html = doc ? cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p)) : NULL;
    if (doc) cmark_node_free(doc);
    cmark_parser_free(p);
    return html ? lazy_images(html) : NULL;
}
