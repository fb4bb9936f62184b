/* libFuzzer harness for src/import/sheet*.c: any bytes must give a status, never a crash, leak, hang or a sheet
 * that breaks the contract. Must not write files or keep state between inputs; it only calls the sheet API. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "stored_zip.h"
#include "import/sheet.h"

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
