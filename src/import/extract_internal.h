/* The format readers behind extract_text(): each returns raw UTF-8 (not yet NFC) for extract.c to finish.
 * Private to src/import/extract*.c. */
#ifndef DXDAY_EXTRACT_INTERNAL_H
#define DXDAY_EXTRACT_INTERNAL_H
#include <zip.h>
#include "import/extract.h"

enum extract_status extract_docx_body(const unsigned char *data, size_t len, char **out, size_t *out_len);
enum extract_status extract_pdf_pages(const unsigned char *data, size_t len, char **out, size_t *out_len);
enum extract_status extract_plain(const unsigned char *data, size_t len, char **out, size_t *out_len);

struct buf;
/* Appends entry idx of za to *dst, spending *budget; EXTRACT_BOMB past it, EXTRACT_CORRUPT when unreadable. */
enum extract_status extract_zip_entry(zip_t *za, zip_int64_t idx, size_t *budget, struct buf *dst);
#endif
