/* Turns an uploaded plan file (DOCX, PDF with a text layer, TXT, MD) into UTF-8 text for plan_parse():
 * paragraphs as lines, tables as markdown pipe tables. Must not write anything; every limit is checked. */
#ifndef DXDAY_EXTRACT_H
#define DXDAY_EXTRACT_H
#include <stddef.h>

#define EXTRACT_MAX_INPUT (20u * 1024 * 1024)     /* bytes of the uploaded file */
#define EXTRACT_MAX_EXPANDED (100u * 1024 * 1024) /* bytes a DOCX may inflate to, and at most 100 times its size */

enum extract_status {
    EXTRACT_OK = 0,
    EXTRACT_EMPTY,          /* "Tệp rỗng." */
    EXTRACT_TOO_LARGE,      /* over EXTRACT_MAX_INPUT */
    EXTRACT_BOMB,           /* DOCX expands past EXTRACT_MAX_EXPANDED, or past 100 times its size */
    EXTRACT_UNSUPPORTED,    /* not DOCX/PDF/text: binary garbage, images … */
    EXTRACT_CORRUPT,        /* looks like DOCX/PDF but cannot be read */
    EXTRACT_NO_TEXT,        /* PDF without a text layer: needs OCR */
    EXTRACT_BAD_ENCODING,   /* text that is not UTF-8 (nor UTF-16 with BOM, nor Windows-1258) */
};

struct extract_result {
    enum extract_status status;
    char *text;             /* malloc'd UTF-8, NFC, on EXTRACT_OK */
    size_t len;
    const char *kind;       /* "docx", "pdf", "txt", "md" */
};

/* Detects the format from the bytes (not the name; the name only breaks ties between txt and md). */
struct extract_result extract_text(const unsigned char *data, size_t len, const char *filename);
/* A Vietnamese message for a status, for the user. */
const char *extract_message(enum extract_status s);
void extract_free(struct extract_result *r);
#endif
