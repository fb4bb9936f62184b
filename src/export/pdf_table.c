/* Tables in PDF reports: weighted column widths, wrapped cells, a shaded header repeated on every page the table
 * runs onto, and a bold total row. Rows are never split, so a row always reads as one line of the table. */
#include "export/pdf_internal.h"

#include <stdio.h>
#include <string.h>

#define MAX_COLS 32
#define PAD_X (1.8 * MM)
#define PAD_Y (1.2 * MM)
#define GAP_AFTER (5 * MM)

struct col {
    double x, w;
    PangoAlignment al;
};

static bool parse_columns(struct pdf *P, json_t *cols, struct col *c, json_t **titles, size_t *ncol, size_t bi)
{
    if (!json_is_array(cols) || json_array_size(cols) == 0)
        return pdf_fail(P, "Khối thứ %zu (bảng): \"columns\" phải là một mảng có ít nhất một cột", bi);
    if (json_array_size(cols) > MAX_COLS)
        return pdf_fail(P, "Khối thứ %zu (bảng): có quá %d cột", bi, MAX_COLS);
    *ncol = json_array_size(cols);
    double weight[MAX_COLS], sum = 0;
    for (size_t i = 0; i < *ncol; i++) {
        json_t *col = json_array_get(cols, i);
        if (!json_is_object(col))
            return pdf_fail(P, "Khối thứ %zu (bảng): cột thứ %zu phải là một đối tượng", bi, i + 1);
        titles[i] = json_object_get(col, "title");
        if (!json_is_string(titles[i]))
            return pdf_fail(P, "Khối thứ %zu (bảng): cột thứ %zu thiếu tiêu đề (\"title\")", bi, i + 1);
        json_t *al = json_object_get(col, "align");
        const char *a = al ? json_string_value(al) : "left";
        if (!a)
            return pdf_fail(P, "Khối thứ %zu (bảng): \"align\" của cột thứ %zu phải là chuỗi", bi, i + 1);
        if (!strcmp(a, "left")) c[i].al = PANGO_ALIGN_LEFT;
        else if (!strcmp(a, "right")) c[i].al = PANGO_ALIGN_RIGHT;
        else if (!strcmp(a, "center")) c[i].al = PANGO_ALIGN_CENTER;
        else
            return pdf_fail(P, "Khối thứ %zu (bảng): cột thứ %zu có \"align\" không hợp lệ "
                               "(chỉ dùng left, right, center)", bi, i + 1);
        json_t *w = json_object_get(col, "width");
        weight[i] = w ? json_number_value(w) : 1;
        /* The upper bound keeps one absurd weight from shrinking every other column to nothing. */
        if ((w && !json_is_number(w)) || !(weight[i] > 0) || weight[i] > 1000)
            return pdf_fail(P, "Khối thứ %zu (bảng): \"width\" của cột thứ %zu phải là số dương", bi, i + 1);
        sum += weight[i];
    }
    double x = MARGIN;
    for (size_t i = 0; i < *ncol; i++) {
        c[i].x = x;
        c[i].w = CONTENT_W * weight[i] / sum;
        x += c[i].w;
    }
    return true;
}

/* Lays out one row's cells; returns the row height, or a negative value after an error. Takes the values as a
 * plain array: the caller's document may be shared with other threads, so not even a refcount may change. */
static double row_layouts(struct pdf *P, json_t *const *vals, const struct col *c, size_t ncol, enum pdf_font f,
                          double max_h, PangoLayout **out, const char *what, size_t bi)
{
    double h = 0;
    for (size_t i = 0; i < ncol; i++) {
        json_t *v = vals[i];
        char num[64], where[96];
        const char *s = "";
        size_t n = 0;
        if (json_is_integer(v)) {
            n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            s = num;
        } else if (json_is_real(v)) {
            n = (size_t)snprintf(num, sizeof num, "%g", json_real_value(v));
            s = num;
        } else if (json_is_string(v)) {
            snprintf(where, sizeof where, "Khối thứ %zu (bảng), %s, ô thứ %zu", bi, what, i + 1);
            if (!pdf_str(P, v, &s, &n, where)) return -1;
        } else if (!json_is_null(v)) {
            pdf_fail(P, "Khối thứ %zu (bảng): %s, ô thứ %zu phải là chuỗi hoặc số", bi, what, i + 1);
            return -1;
        }
        out[i] = pdf_layout(P, s, n, f, c[i].w - 2 * PAD_X, c[i].al);
        /* Rows are not split, so a cell longer than a page is cut short, visibly, with an ellipsis. */
        pango_layout_set_height(out[i], (int)((max_h - 2 * PAD_Y) * PANGO_SCALE));
        pango_layout_set_ellipsize(out[i], PANGO_ELLIPSIZE_END);
        double ch = pdf_layout_h(out[i]);
        if (ch > h) h = ch;
    }
    return h + 2 * PAD_Y;
}

/* Places a laid-out row at the cursor; the op list takes its own references, the caller keeps its layouts. */
static void place_row(struct pdf *P, PangoLayout **cells, const struct col *c, size_t ncol, double h, double shade)
{
    for (size_t i = 0; i < ncol; i++) {
        if (shade < 1) pdf_push(P, OP_FILL, c[i].x, P->y, c[i].w, h)->gray = shade;
        pdf_push_text(P, cells[i], c[i].x + PAD_X, P->y + PAD_Y, INK);
    }
    /* The grid goes last so the fills of neighbouring cells cannot paint over half of a shared line. */
    for (size_t i = 0; i < ncol; i++) pdf_push(P, OP_FRAME, c[i].x, P->y, c[i].w, h);
    P->y += h;
    P->page_used = true;
}

static void unref_all(PangoLayout **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i]) g_object_unref(l[i]);
    memset(l, 0, n * sizeof *l);
}

bool pdf_table(struct pdf *P, json_t *block, size_t bi)
{
    struct col c[MAX_COLS];
    json_t *titles[MAX_COLS];
    size_t ncol = 0;
    if (!parse_columns(P, json_object_get(block, "columns"), c, titles, &ncol, bi)) return false;
    json_t *rows = json_object_get(block, "rows");
    json_t *total = json_object_get(block, "total");
    if (!json_is_array(rows)) return pdf_fail(P, "Khối thứ %zu (bảng): \"rows\" phải là một mảng", bi);
    if (total && !json_is_null(total) && !json_is_array(total))
        return pdf_fail(P, "Khối thứ %zu (bảng): \"total\" phải là một mảng", bi);

    PangoLayout *head[MAX_COLS] = {0}, *cells[MAX_COLS] = {0};
    double hh = row_layouts(P, titles, c, ncol, F_CELL_BOLD, (BOTTOM - TOP) / 4, head, "dòng tiêu đề", bi);
    bool ok = hh >= 0;

    size_t nrows = json_array_size(rows);
    size_t last = nrows + (json_is_array(total) ? 1 : 0);
    bool started = false;
    for (size_t r = 0; ok && r < last; r++) {
        bool is_total = r == nrows;
        char what[48];
        if (is_total) snprintf(what, sizeof what, "dòng tổng");
        else snprintf(what, sizeof what, "dòng thứ %zu", r + 1);
        json_t *row = is_total ? total : json_array_get(rows, r), *vals[MAX_COLS];
        if (!json_is_array(row) || json_array_size(row) != ncol) {
            ok = pdf_fail(P, "Khối thứ %zu (bảng): %s phải là một mảng đúng %zu ô", bi, what, ncol);
            break;
        }
        for (size_t i = 0; i < ncol; i++) vals[i] = json_array_get(row, i);
        double h = row_layouts(P, vals, c, ncol, is_total ? F_CELL_BOLD : F_CELL, BOTTOM - TOP - hh, cells, what,
                               bi);
        if (h < 0) {
            ok = false;
            break;
        }
        if (!started) {
            /* A header alone at the foot of a page is useless: it moves with the first row. */
            pdf_ensure(P, hh + h);
            place_row(P, head, c, ncol, hh, SHADE_HEAD);
            started = true;
        } else if (P->y + h > BOTTOM) {
            pdf_new_page(P);
            place_row(P, head, c, ncol, hh, SHADE_HEAD);
        }
        place_row(P, cells, c, ncol, h, is_total ? SHADE_TOTAL : 1);
        unref_all(cells, ncol);
    }
    if (ok && !started) {
        pdf_ensure(P, hh);
        place_row(P, head, c, ncol, hh, SHADE_HEAD);
    }
    unref_all(cells, ncol);
    unref_all(head, ncol);
    if (ok) P->y += GAP_AFTER;
    return ok;
}
