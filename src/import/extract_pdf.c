/* Reads the text layer of a PDF with poppler-glib, page by page, pages separated by a newline.
 * Must not render, run OCR, ask for a password or let shared content streams blow the text up without bound. */
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "import/extract.h"

#include "import/extract_internal.h"

enum extract_status extract_pdf_pages(const unsigned char *data, size_t len, char **out, size_t *out_len)
{
    /* Static bytes: poppler reads straight from the upload; the document is gone before this function returns. */
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *err = NULL;
    /* No password: a file that needs one to open is reported as unreadable. Files with only an owner password
     * (copy/print restrictions) open, and their text is the plan the user means to import. */
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (!doc) {
        g_clear_error(&err);
        return EXTRACT_CORRUPT;
    }
    int n = poppler_document_get_n_pages(doc);
    if (n <= 0) {
        g_object_unref(doc);
        return EXTRACT_CORRUPT;
    }
    struct buf b = {0};
    enum extract_status st = EXTRACT_OK;
    for (int i = 0; i < n; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *t = poppler_page_get_text(page);
        g_object_unref(page);
        if (i > 0)
            buf_put(&b, "\n", 1);
        if (t) {
            size_t tl = strlen(t);
            /* Pages may all draw the same content stream or form, so a 20 MB file can hold far more text than
             * its size: the same cap as a DOCX's inflated size keeps memory bounded. */
            if (b.len > EXTRACT_MAX_EXPANDED || tl > EXTRACT_MAX_EXPANDED - b.len) {
                g_free(t);
                st = EXTRACT_BOMB;
                break;
            }
            buf_put(&b, t, tl);
            g_free(t);
        }
    }
    g_object_unref(doc);
    if (st != EXTRACT_OK) {
        buf_free(&b);
        return st;
    }
    *out_len = b.len;
    *out = buf_take(&b);
    return EXTRACT_OK;
}
