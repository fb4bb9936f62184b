/* The grid both spreadsheet readers fill: cells arrive one by one in any order and sheet.c turns them into the
 * dense struct sheet. Private to src/import/sheet*.c. */
#ifndef DXDAY_SHEET_INTERNAL_H
#define DXDAY_SHEET_INTERNAL_H
#include <stdint.h>

#include "core/buf.h"
#include "import/sheet.h"

struct grid_cell {
    int32_t row, col;
    uint32_t off; /* into grid.pool */
};

struct grid {
    struct buf pool;        /* every text once, NUL-terminated, one after another; offset 0 is "" */
    struct grid_cell *v;
    size_t n, cap;
    int nrows, ncols;       /* extent of the non-empty cells */
};

/* Result of a reader: status plus the message that goes with it. */
struct sheet_err {
    enum sheet_status status;
    const char *msg;
};

extern const struct sheet_err SHEET_ERR_OK, SHEET_ERR_ROWS, SHEET_ERR_COLS, SHEET_ERR_XML, SHEET_ERR_RATIO,
    SHEET_ERR_ENCODING;

void grid_init(struct grid *g);
void grid_free(struct grid *g);

/* Trims and NFC-normalises s[0..len) (valid UTF-8) into the pool and gives its offset in *off (0 when the text
 * is empty after trimming). Shared strings go through here once and are then placed by offset. */
struct sheet_err grid_intern(struct grid *g, const char *s, size_t len, uint32_t *off);

/* Places interned text at (row, col), both from 0. Empty text is not stored: it changes nothing. */
struct sheet_err grid_place(struct grid *g, long row, long col, uint32_t off);

/* grid_intern then grid_place. */
struct sheet_err grid_put(struct grid *g, long row, long col, const char *s, size_t len);

struct sheet_err sheet_read_csv(const unsigned char *data, size_t len, struct grid *g);
struct sheet_err sheet_read_xlsx(const unsigned char *data, size_t len, struct grid *g);
#endif
