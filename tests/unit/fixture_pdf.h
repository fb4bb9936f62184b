/* What the unit tests that read back our PDFs share: opening the bytes with poppler, failing the test when it cannot.
 * Must stay test-only: static functions, no state of its own; include after cmocka.h. */
#ifndef DXDAY_TEST_FIXTURE_PDF_H
#define DXDAY_TEST_FIXTURE_PDF_H
#include <poppler.h>

static PopplerDocument *open_pdf(const char *pdf, size_t len)
{
    GBytes *b = g_bytes_new(pdf, len);
    GError *ge = NULL;
    PopplerDocument *d = poppler_document_new_from_bytes(b, NULL, &ge);
    g_bytes_unref(b);
    if (!d) fail_msg("poppler could not open the PDF: %s", ge ? ge->message : "?");
    return d;
}
#endif
