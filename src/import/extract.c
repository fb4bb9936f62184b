/* Turns an uploaded plan file into NFC UTF-8 text: tells DOCX, PDF and text apart by their bytes, then cleans
 * whatever the format readers give (line ends, control characters, NFC). Must not write files or keep state. */
#include "import/extract.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "core/text.h"

/* The format readers live in extract_docx.c, extract_pdf.c and extract_text.c. Their prototypes are repeated
 * there word for word: src/import may only gain .c files, so there is no private header to share them. Each
 * gives raw UTF-8 (possibly with CR, stray controls, NFD) in a malloc'd NUL-terminated *out. */
#include "import/extract_internal.h"

static bool starts_with(const unsigned char *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* Only the name tells markdown from plain text: both are just text, and plan_parse reads either. */
static const char *text_kind(const char *filename)
{
    if (filename) {
        const char *dot = strrchr(filename, '.');
        if (dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0))
            return "md";
    }
    return "txt";
}

/* In place: CRLF and lone CR (old Mac) and form feed (page break) become LF; other C0 controls, DEL and C1
 * controls are dropped, because plan_parse and the browser would show them as garbage or cut at a NUL.
 * Only bytes that can never be inside a UTF-8 sequence are touched, except C1 (C2 80..C2 9F), taken as a pair. */
static size_t clean_controls(char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            if (i + 1 < len && s[i + 1] == '\n')
                continue;
            s[w++] = '\n';
        } else if (c == '\f' || c == '\v') {
            s[w++] = '\n';
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            continue;
        } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F) {
            i++;
        } else {
            s[w++] = (char)c;
        }
    }
    s[w] = 0;
    return w;
}

/* Blank means nothing a person could read: ASCII and Unicode spaces, separators, zero-width space and BOM. */
static bool is_blank(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return false;
        i += (size_t)n;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x200B || cp == 0xFEFF)
            continue;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP)
            continue;
        return false;
    }
    return true;
}

struct extract_result extract_text(const unsigned char *data, size_t len, const char *filename)
{
    struct extract_result r = {.status = EXTRACT_OK};
    /* The size check comes before any parsing so that an oversized upload costs nothing. */
    if (len > EXTRACT_MAX_INPUT) {
        r.status = EXTRACT_TOO_LARGE;
        return r;
    }
    if (!data || len == 0) {
        r.status = EXTRACT_EMPTY;
        r.kind = text_kind(filename);
        return r;
    }
    char *raw = NULL;
    size_t raw_len = 0;
    enum extract_status st;
    if (starts_with(data, len, "PK\x03\x04", 4)) {
        r.kind = "docx";
        st = extract_docx_body(data, len, &raw, &raw_len);
    } else if (starts_with(data, len, "%PDF-", 5)) {
        r.kind = "pdf";
        st = extract_pdf_pages(data, len, &raw, &raw_len);
    } else {
        r.kind = text_kind(filename);
        st = extract_plain(data, len, &raw, &raw_len);
    }
    if (st != EXTRACT_OK) {
        free(raw);
        r.status = st;
        if (st == EXTRACT_UNSUPPORTED)
            r.kind = NULL; /* a zip that is not a DOCX, or binary data: none of the four kinds */
        return r;
    }
    raw_len = clean_controls(raw, raw_len);
    /* The text reader has validated already; DOCX and PDF text comes from libraries, so check rather than trust. */
    if (!text_valid_utf8(raw, raw_len)) {
        free(raw);
        r.status = strcmp(r.kind, "docx") == 0 || strcmp(r.kind, "pdf") == 0 ? EXTRACT_CORRUPT : EXTRACT_BAD_ENCODING;
        return r;
    }
    if (is_blank(raw, raw_len)) {
        free(raw);
        r.status = strcmp(r.kind, "pdf") == 0 ? EXTRACT_NO_TEXT : EXTRACT_EMPTY;
        return r;
    }
    char *nfc = text_nfc(raw);
    free(raw);
    if (!nfc) {
        r.status = EXTRACT_CORRUPT;
        return r;
    }
    r.text = nfc;
    r.len = strlen(nfc);
    return r;
}

const char *extract_message(enum extract_status s)
{
    switch (s) {
    case EXTRACT_OK:
        return "Đã đọc được nội dung tệp.";
    case EXTRACT_EMPTY:
        return "Tệp rỗng.";
    case EXTRACT_TOO_LARGE:
        return "Tệp quá lớn: chỉ nhận tệp tối đa 20 MB.";
    case EXTRACT_BOMB:
        return "Nội dung tệp khi giải nén vượt quá 100 MB hoặc lớn gấp hơn 100 lần kích thước tệp nên không được "
               "đọc: tệp có thể bị hỏng hoặc cố ý gây quá tải.";
    case EXTRACT_UNSUPPORTED:
        return "Định dạng tệp không được hỗ trợ: chỉ nhận DOCX, PDF có lớp chữ, TXT hoặc MD (tệp .doc cũ cần "
               "mở bằng Word và lưu lại thành .docx).";
    case EXTRACT_CORRUPT:
        return "Tệp bị hỏng, có mật khẩu hoặc không đọc được: hãy mở tệp, bỏ mật khẩu, lưu lại rồi thử lại.";
    case EXTRACT_NO_TEXT:
        return "Tệp PDF không có lớp chữ (là ảnh quét): cần nhận dạng ký tự (OCR) trước khi nhập.";
    case EXTRACT_BAD_ENCODING:
        return "Tệp văn bản không dùng bảng mã Unicode (UTF-8) hay Windows-1258: hãy lưu lại tệp với bảng mã "
               "UTF-8 rồi thử lại.";
    }
    return "Không đọc được tệp.";
}

void extract_free(struct extract_result *r)
{
    if (!r)
        return;
    free(r->text);
    r->text = NULL;
    r->len = 0;
}
