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
/* The inflation budget of an upload of len bytes: at most max, and at most EXTRACT_ZIP_RATIO times len (but never
 * under EXTRACT_ZIP_FLOOR, since a few kilobytes of XML may well deflate 100 times). Office XML deflates 5 to 20
 * times; a bomb, nearly 1000. */
#define EXTRACT_ZIP_RATIO 100u
#define EXTRACT_ZIP_FLOOR (1u << 20)
size_t extract_zip_budget(size_t len, size_t max);
/* xml_safe.c. Encoding errors reach libxml2's per-thread generic handler, which prints to stderr; begin swaps in
 * a silent one for a parse and end puts the old one back. */
#include <libxml/xmlreader.h>
struct xml_quiet_saved { xmlGenericErrorFunc func; void *ctx; };
struct xml_quiet_saved xml_quiet_begin(void);
void xml_quiet_end(struct xml_quiet_saved s);
/* A reader over untrusted XML (NONET, no entity substitution, errors silenced); NULL when it cannot be made. */
xmlTextReaderPtr xml_open_reader(const char *xml, size_t len);
#endif
