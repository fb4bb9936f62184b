/* What the PDF report's parts share: the per-call layout state, the page geometry and the list of placed items.
 * Private to src/export/pdf*.c; everything here lives for one pdf_report call and is touched by one thread. */
#ifndef DXDAY_PDF_INTERNAL_H
#define DXDAY_PDF_INTERNAL_H
#include <jansson.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

/* Cairo's PDF unit is the PostScript point. */
#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define MARGIN (20 * MM)
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define TOP MARGIN
#define BOTTOM (PAGE_H - MARGIN)
#define PU(v) ((double)(v) / PANGO_SCALE)

/* Grey levels: text is not pure black so the shaded header and the grid stay readable on cheap office printers. */
#define INK 0.1
#define INK_SOFT 0.35
#define SHADE_HEAD 0.86
#define SHADE_TOTAL 0.94

enum pdf_font { F_BODY, F_TITLE, F_SUBTITLE, F_META, F_H2, F_CELL, F_CELL_BOLD, F_CAPTION, F_FOOTER, F_COUNT };

enum op_kind { OP_TEXT, OP_FILL, OP_FRAME, OP_LINE, OP_SVG };

/* One thing placed on a page. Layout runs over the whole document before any drawing, because every footer needs
 * the total page count. */
struct op {
    enum op_kind kind;
    int page;
    double x, y, w, h; /* OP_LINE runs from (x, y) to (x + w, y + h) */
    double gray;
    /* OP_TEXT: the lines [line0, line1) shown here, line1 < 0 meaning all; skip is the layout height above line0.
     * A paragraph split across pages draws each part's lines only: clipping would hide the rest from the eye but
     * not from text extraction, search or copy. */
    int line0, line1;
    double skip;
    PangoLayout *layout; /* OP_TEXT, a reference owned by the op */
    RsvgHandle *svg;     /* OP_SVG, a reference owned by the op */
};

struct pdf {
    PangoFontMap *fontmap; /* one per call: pango objects must not be shared between threads */
    PangoContext *ctx;
    PangoFontDescription *font[F_COUNT];
    struct op *ops;
    size_t nops, cap;
    int page;       /* 0-based page under the cursor */
    double y;       /* top of the free space on that page */
    bool page_used; /* something is on this page already, so a break here would not leave it blank */
    char *err;
    size_t errlen;
    bool failed;
};

/* Records the first error (later ones are consequences); always returns false. */
bool pdf_fail(struct pdf *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A string value's text and length after checking it is UTF-8 without NUL bytes; where names it in errors. */
bool pdf_str(struct pdf *P, json_t *v, const char **s, size_t *n, const char *where);
PangoLayout *pdf_layout(struct pdf *P, const char *s, size_t n, enum pdf_font f, double width, PangoAlignment al);
double pdf_layout_h(PangoLayout *l);
struct op *pdf_push(struct pdf *P, enum op_kind k, double x, double y, double w, double h);
void pdf_push_text(struct pdf *P, PangoLayout *l, double x, double y, double gray);
void pdf_new_page(struct pdf *P);
/* Moves to a fresh page when h does not fit below the cursor; something taller than a page goes on one alone. */
void pdf_ensure(struct pdf *P, double h);

bool pdf_table(struct pdf *P, json_t *block, size_t bi);
#endif
