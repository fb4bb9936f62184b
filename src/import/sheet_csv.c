/* Reads CSV as Excel writes it (RFC 4180 quoting, ',' or the ';' of Vietnamese Excel, or TAB) into the grid.
 * Must refuse text that is not UTF-8 rather than guess a legacy code page: a wrong guess corrupts every name. */
#include <stdbool.h>
#include <string.h>

#include "core/text.h"
#include "import/sheet_internal.h"

static const struct sheet_err ERR_QUOTE = {
    SHEET_CORRUPT, "Tệp CSV có một ô mở dấu ngoặc kép (\") mà không đóng. Hãy kiểm tra lại nội dung tệp."};

static bool is_sep(char c)
{
    return c == ',' || c == ';' || c == '\t';
}

/* Excel's own hint: a first line "sep=;" names the delimiter and is not data. */
static char sep_line(const char *s, size_t n, size_t *i)
{
    if (n < 5 || memcmp(s, "sep=", 4) != 0 || !is_sep(s[4]))
        return 0;
    size_t k = 5;
    if (k < n && s[k] == '\r')
        k++;
    if (k < n && s[k] == '\n')
        k++;
    if (k < n && k == 5)
        return 0; /* "sep=;x…" is an ordinary first cell */
    *i = k;
    return s[4];
}

/* The delimiter that occurs most often outside quotes in the first record. On a tie ';' beats ',' because where
 * ';' separates, ',' is the decimal mark; TAB beats both because nobody types one into a header by hand. */
static char guess_sep(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted; /* a doubled quote toggles twice, which is right */
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ',')
            comma++;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
    }
    if (tab > 0 && tab >= semi && tab >= comma)
        return '\t';
    if (semi > 0 && semi >= comma)
        return ';';
    return ',';
}

/* Appends s[0..n) with every CRLF and lone CR turned into LF, so a line break inside a cell is the same whatever
 * system wrote the file. */
static void put_lf(struct buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\r')
            continue;
        buf_put(b, s + start, i - start);
        buf_put(b, "\n", 1);
        if (i + 1 < n && s[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    buf_put(b, s + start, n - start);
}

/* End of the unquoted text starting at i: the next delimiter or line break. */
static size_t plain_end(const char *s, size_t n, size_t i, char sep)
{
    while (i < n && s[i] != sep && s[i] != '\n' && s[i] != '\r')
        i++;
    return i;
}

/* Reads the quoted field whose opening quote is at *i into *field. Text after the closing quote up to the next
 * delimiter is kept, as Excel keeps it ("ab"c → abc); false when the quote never closes. */
static bool quoted_field(const char *s, size_t n, size_t *i, char sep, struct buf *field)
{
    size_t k = *i + 1;
    field->len = 0;
    for (;;) {
        const char *q = memchr(s + k, '"', n - k);
        if (!q)
            return false;
        size_t at = (size_t)(q - s);
        put_lf(field, s + k, at - k);
        k = at + 1;
        if (k < n && s[k] == '"') {
            buf_put(field, "\"", 1);
            k++;
            continue;
        }
        break;
    }
    size_t end = plain_end(s, n, k, sep);
    buf_put(field, s + k, end - k);
    *i = end;
    return true;
}

struct sheet_err sheet_read_csv(const unsigned char *data, size_t len, struct grid *g)
{
    const char *s = (const char *)data;
    size_t n = len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    /* Also refuses NUL bytes, which is how UTF-16 ("Unicode Text" in Excel) shows up. */
    if (!text_valid_utf8(s, n))
        return SHEET_ERR_ENCODING;
    size_t i = 0;
    char sep = sep_line(s, n, &i);
    if (!sep)
        sep = guess_sep(s + i, n - i);
    struct buf field = {0};
    struct sheet_err e = SHEET_ERR_OK;
    long row = 0, col = 0;
    while (i < n) {
        if (s[i] == '"') {
            if (!quoted_field(s, n, &i, sep, &field)) {
                e = ERR_QUOTE;
                break;
            }
            e = grid_put(g, row, col, field.p, field.len);
        } else {
            size_t end = plain_end(s, n, i, sep);
            e = grid_put(g, row, col, s + i, end - i);
            i = end;
        }
        if (e.status != SHEET_OK || i >= n)
            break;
        if (s[i] == sep) {
            col++;
        } else {
            if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
                i++;
            row++;
            col = 0;
        }
        i++;
    }
    buf_free(&field);
    return e;
}
