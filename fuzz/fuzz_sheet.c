/* libFuzzer harness for src/import/sheet*.c: any bytes must give a status, never a crash, leak, hang or a sheet
 * that breaks the contract. Must not write files or keep state between inputs; it only calls the sheet API. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/text.h"
#include "import/sheet.h"

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

struct part {
    const char *name;
    const uint8_t *data;
    size_t len;
};

#define NPARTS 4

/* A stored (uncompressed) zip of the parts, with correct CRCs, so that mutations of the XML reach the reader
 * instead of dying on the zip's CRC check. */
static unsigned char *stored_zip(const struct part *parts, int n, size_t *out_len)
{
    size_t total = 22;
    for (int i = 0; i < n; i++)
        total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].len;
    unsigned char *z = calloc(1, total);
    if (!z)
        return NULL;
    uint32_t crc[NPARTS], off[NPARTS];
    size_t pos = 0;
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name), len = parts[i].len;
        unsigned char *p = z + pos;
        crc[i] = (uint32_t)crc32(0L, parts[i].data, (uInt)len);
        off[i] = (uint32_t)pos;
        put32(p, 0x04034b50), put16(p + 4, 20), put32(p + 14, crc[i]), put32(p + 18, (uint32_t)len);
        put32(p + 22, (uint32_t)len), put16(p + 26, (unsigned)nl);
        memcpy(p + 30, parts[i].name, nl);
        if (len)
            memcpy(p + 30 + nl, parts[i].data, len);
        pos += 30 + nl + len;
    }
    size_t cd = pos;
    for (int i = 0; i < n; i++) {
        size_t nl = strlen(parts[i].name), len = parts[i].len;
        unsigned char *p = z + pos;
        put32(p, 0x02014b50), put16(p + 4, 20), put16(p + 6, 20), put32(p + 16, crc[i]);
        put32(p + 20, (uint32_t)len), put32(p + 24, (uint32_t)len), put16(p + 28, (unsigned)nl);
        put32(p + 42, off[i]);
        memcpy(p + 46, parts[i].name, nl);
        pos += 46 + nl;
    }
    unsigned char *p = z + pos;
    put32(p, 0x06054b50), put16(p + 8, (unsigned)n), put16(p + 10, (unsigned)n);
    put32(p + 12, (uint32_t)(pos - cd)), put32(p + 16, (uint32_t)cd);
    *out_len = pos + 22;
    return z;
}

static void check(const uint8_t *data, size_t size)
{
    struct sheet s;
    const char *msg = "unset";
    enum sheet_status st = sheet_read(data, size, &s, &msg);
    if (st != SHEET_OK) {
        if (!msg || s.cells || s.text || s.nrows || s.ncols)
            __builtin_trap();
        sheet_free(&s);
        return;
    }
    /* The contract: within the limits, no NULL cell, every cell valid NFC UTF-8 without surrounding spaces,
     * and the last row and the last column each hold something (trailing empties are dropped). */
    if (msg || !s.cells || s.nrows < 1 || s.ncols < 1 || s.nrows > SHEET_MAX_ROWS || s.ncols > SHEET_MAX_COLS)
        __builtin_trap();
    int last_row = 0, last_col = 0;
    for (int r = 0; r < s.nrows; r++)
        for (int c = 0; c < s.ncols; c++) {
            const char *v = s.cells[(size_t)r * (size_t)s.ncols + (size_t)c];
            if (!v)
                __builtin_trap();
            if (!*v)
                continue;
            size_t n = strlen(v);
            if (!text_valid_utf8(v, n) || v[0] == ' ' || v[n - 1] == ' ' || v[n - 1] == '\n')
                __builtin_trap();
            char *nfc = text_nfc(v);
            if (!nfc || strcmp(nfc, v) != 0)
                __builtin_trap();
            free(nfc);
            if (sheet_cell(&s, r, c) != v)
                __builtin_trap();
            last_row = r + 1 > last_row ? r + 1 : last_row;
            last_col = c + 1 > last_col ? c + 1 : last_col;
        }
    if (last_row != s.nrows || last_col != s.ncols || *sheet_cell(&s, s.nrows, 0) || *sheet_cell(&s, 0, -1))
        __builtin_trap();
    sheet_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || data[0] != '<') {
        check(data, size); /* CSV, or a zip as it is */
        return 0;
    }
    /* "<worksheet…<sst…<workbook…<Relationships…", in any order, becomes the parts of an XLSX: the first piece
     * is the sheet, each marker starts the part it names. */
    static const struct {
        const char *mark, *name;
    } marks[] = {{"<sst", "xl/sharedStrings.xml"},
                 {"<workbook", "xl/workbook.xml"},
                 {"<Relationships", "xl/_rels/workbook.xml.rels"}};
    struct part parts[NPARTS] = {{"xl/worksheets/sheet1.xml", data, size}};
    int n = 1;
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        const uint8_t *at = memmem(data + 1, size - 1, marks[m].mark, strlen(marks[m].mark));
        if (at)
            parts[n++] = (struct part){marks[m].name, at, 0};
    }
    /* Each part runs up to the next marker or the end. */
    for (int i = 0; i < n; i++) {
        const uint8_t *end = data + size;
        for (int k = 0; k < n; k++)
            if (parts[k].data > parts[i].data && parts[k].data < end)
                end = parts[k].data;
        parts[i].len = (size_t)(end - parts[i].data);
    }
    size_t zl;
    unsigned char *z = stored_zip(parts, n, &zl);
    if (z) {
        check(z, zl);
        free(z);
    }
    return 0;
}
