/* Reads an uploaded spreadsheet (XLSX or CSV) into a grid of trimmed NFC UTF-8 cells, for bulk upload of units'
 * report values. Pure: no I/O, no database; every limit below is checked before the memory it guards is spent. */
#ifndef DXDAY_SHEET_H
#define DXDAY_SHEET_H
#include <stddef.h>

#define SHEET_MAX_INPUT (20u * 1024 * 1024)  /* bytes of the uploaded file */
#define SHEET_MAX_ROWS 100000                /* rows up to the last non-empty one */
#define SHEET_MAX_COLS 200                   /* columns up to the last non-empty one */
#define SHEET_MAX_XML (64u * 1024 * 1024)    /* bytes an XLSX may inflate to, all parts read together, and at most
                                                100 times the file's own size (src/import/extract_internal.h) */
#define SHEET_MAX_CELLS 2000000              /* rows x columns: a one-cell file at GR100000 must not cost 160 MB */

enum sheet_status {
    SHEET_OK = 0,
    SHEET_EMPTY,        /* no bytes, or no cell with anything in it */
    SHEET_CORRUPT,      /* a zip that is not a readable XLSX, broken XML, an unclosed CSV quote */
    SHEET_TOO_LARGE,    /* past one of the limits above */
    SHEET_UNSUPPORTED,  /* .xls (or a password-protected .xlsx), .ods, .xlsb, PDF */
    SHEET_BAD_ENCODING, /* CSV text that is not UTF-8 */
};

struct sheet {
    int nrows, ncols;
    char **cells;  /* nrows*ncols, row-major, never NULL entries ("" when empty); owned by the sheet */
    char *text;    /* the bytes every cell points into: keep a copy of a cell that must outlive sheet_free */
};

/* Reads the first visible worksheet of an XLSX file or a CSV file, told apart by content (zip magic vs text).
 * Cells come out as NFC UTF-8 with surrounding whitespace trimmed; trailing empty rows and columns are dropped,
 * gaps inside stay as empty cells. XLSX numbers come out as Excel shows them in General format, to 15 significant
 * digits ("12", "3.5", "0.3"), booleans as "TRUE"/"FALSE", errors as "#DIV/0!", formulas as their cached value;
 * dates stay serial numbers (styles are not read). CSV: UTF-8 with or without BOM, RFC 4180 quoting, ',' ';' or
 * TAB guessed from the first line (or Excel's "sep=;" line), CRLF, LF or CR.
 * On failure *out is zeroed and *msg (when msg is not NULL) points to a Vietnamese message (static string);
 * on success *msg is NULL. */
enum sheet_status sheet_read(const unsigned char *data, size_t len, struct sheet *out, const char **msg);

/* The text of a cell; "" when out of range or s is NULL. Rows and columns count from 0. */
const char *sheet_cell(const struct sheet *s, int row, int col);

/* Frees what sheet_read gave and zeroes *s; safe on a zeroed or already freed sheet. */
void sheet_free(struct sheet *s);
#endif
