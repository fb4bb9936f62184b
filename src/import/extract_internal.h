/* The format readers behind extract_text(): each returns raw UTF-8 (not yet NFC) for extract.c to finish.
 * Private to src/import/extract*.c. */
#ifndef DXDAY_EXTRACT_INTERNAL_H
#define DXDAY_EXTRACT_INTERNAL_H
#include "import/extract.h"

enum extract_status extract_docx_body(const unsigned char *data, size_t len, char **out, size_t *out_len);
enum extract_status extract_pdf_pages(const unsigned char *data, size_t len, char **out, size_t *out_len);
enum extract_status extract_plain(const unsigned char *data, size_t len, char **out, size_t *out_len);
#endif
