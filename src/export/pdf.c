/* A4 PDF reports from a JSON description: title block, headings, flowing paragraphs, tables, SVG charts, and a
 * footer with "Trang X/Y" on every page. Pure and thread-safe: each call owns its font map, nothing is static. */
#include "export/pdf.h"
#include "core/buf.h"
#include "export/pdf_internal.h"

#include <cairo-pdf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT_FAMILY "Noto Sans"
#define GAP_PARA (3 * MM)
#define GAP_H2_BEFORE (4 * MM)
#define GAP_H2_AFTER (1.5 * MM)
#define GAP_FIGURE (5 * MM)
#define FOOTER_RULE (BOTTOM + 6 * MM)
/* A heading needs this much room for the text after it, or it would sit orphaned at the foot of a page. */
#define KEEP_WITH_HEADING (14 * MM)

static const struct {
    double size;
    PangoWeight weight;
    PangoStyle style;
} font_spec[F_COUNT] = {
    [F_BODY] = {10.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
    [F_TITLE] = {18, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
    [F_SUBTITLE] = {12.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
    [F_META] = {9.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
    [F_H2] = {13, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
    [F_CELL] = {9.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
    [F_CELL_BOLD] = {9.5, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL},
    [F_CAPTION] = {9, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC},
    [F_FOOTER] = {8, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL},
};

bool pdf_fail(struct pdf *P, const char *fmt, ...)
{
    if (P->failed) return false;
    P->failed = true;
    if (P->err && P->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(P->err, P->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

bool pdf_str(struct pdf *P, json_t *v, const char **s, size_t *n, const char *where)
{
    *s = json_string_value(v);
    *n = json_string_length(v);
    if (!*s) return pdf_fail(P, "%s: phải là chuỗi", where);
    if (*n > INT_MAX / 2) return pdf_fail(P, "%s: văn bản quá dài", where);
    /* jansson accepts NUL bytes and, through its _nocheck calls, invalid UTF-8; pango would mangle either. */
    if (!g_utf8_validate(*s, (gssize)*n, NULL)) return pdf_fail(P, "%s: văn bản không phải UTF-8 hợp lệ", where);
    return true;
}

/* An optional string member: absent or null gives an empty string. */
static bool opt_str(struct pdf *P, json_t *obj, const char *key, const char **s, size_t *n, const char *where)
{
    json_t *v = json_object_get(obj, key);
    *s = "";
    *n = 0;
    if (!v || json_is_null(v)) return true;
    char w[128];
    snprintf(w, sizeof w, "%s, trường \"%s\"", where, key);
    return pdf_str(P, v, s, n, w);
}

PangoLayout *pdf_layout(struct pdf *P, const char *s, size_t n, enum pdf_font f, double width, PangoAlignment al)
{
    PangoLayout *l = pango_layout_new(P->ctx);
    pango_layout_set_font_description(l, P->font[f]);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, al);
    pango_layout_set_text(l, s, (int)n);
    return l;
}

double pdf_layout_h(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return PU(h);
}

struct op *pdf_push(struct pdf *P, enum op_kind k, double x, double y, double w, double h)
{
    if (P->nops == P->cap) {
        P->cap = P->cap ? P->cap * 2 : 256;
        P->ops = g_renew(struct op, P->ops, P->cap);
    }
    struct op *o = &P->ops[P->nops++];
    *o = (struct op){.kind = k, .page = P->page, .x = x, .y = y, .w = w, .h = h, .gray = INK, .line1 = -1};
    return o;
}

void pdf_push_text(struct pdf *P, PangoLayout *l, double x, double y, double gray)
{
    struct op *o = pdf_push(P, OP_TEXT, x, y, 0, pdf_layout_h(l));
    o->layout = g_object_ref(l);
    o->gray = gray;
}

void pdf_new_page(struct pdf *P)
{
    P->page++;
    P->y = TOP;
    P->page_used = false;
}

void pdf_ensure(struct pdf *P, double h)
{
    if (P->page_used && P->y + h > BOTTOM) pdf_new_page(P);
}

/* Space between blocks, dropped at the top of a page where it would only push the text down. */
static void gap(struct pdf *P, double h)
{
    if (P->page_used) P->y += h;
}

/* Shows lines [line0, line1) of l at the cursor; skip and h are their top in the layout and their height. */
static void push_part(struct pdf *P, PangoLayout *l, double x, int line0, int line1, double skip, double h,
                      double gray)
{
    struct op *o = pdf_push(P, OP_TEXT, x, P->y, 0, h);
    o->layout = g_object_ref(l);
    o->line0 = line0;
    o->line1 = line1;
    o->skip = skip;
    o->gray = gray;
}

/* Places a layout at the cursor, breaking it between lines where a page ends. Takes over l's reference. */
static void flow(struct pdf *P, PangoLayout *l, double x, double gray)
{
    double total = pdf_layout_h(l), start = 0;
    int first = 0, line = 0;
    if (P->y + total > BOTTOM) {
        PangoLayoutIter *it = pango_layout_get_iter(l);
        do {
            int y0, y1;
            pango_layout_iter_get_line_yrange(it, &y0, &y1);
            if (P->y + (PU(y1) - start) > BOTTOM) {
                if (line > first) {
                    push_part(P, l, x, first, line, start, PU(y0) - start, gray);
                    pdf_new_page(P);
                    first = line;
                    start = PU(y0);
                } else if (P->page_used) {
                    pdf_new_page(P);
                }
                /* Otherwise one line is taller than a page: nothing better than letting it overflow. */
            }
            line++;
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
    }
    push_part(P, l, x, first, first ? INT_MAX : -1, start, total - start, gray);
    g_object_unref(l);
    P->y += total - start;
    P->page_used = true;
}

static bool head_block(struct pdf *P, json_t *doc)
{
    const char *s;
    size_t n;
    if (!opt_str(P, doc, "title", &s, &n, "Tài liệu")) return false;
    if (n) {
        flow(P, pdf_layout(P, s, n, F_TITLE, CONTENT_W, PANGO_ALIGN_LEFT), MARGIN, INK);
        P->y += 1.5 * MM;
    }
    if (!opt_str(P, doc, "subtitle", &s, &n, "Tài liệu")) return false;
    if (n) {
        flow(P, pdf_layout(P, s, n, F_SUBTITLE, CONTENT_W, PANGO_ALIGN_LEFT), MARGIN, INK_SOFT);
        P->y += 1.5 * MM;
    }
    json_t *meta = json_object_get(doc, "meta");
    if (meta && !json_is_null(meta) && !json_is_array(meta))
        return pdf_fail(P, "Tài liệu: trường \"meta\" phải là một mảng chuỗi");
    for (size_t i = 0; i < json_array_size(meta); i++) {
        char where[64];
        snprintf(where, sizeof where, "Tài liệu, dòng thứ %zu của \"meta\"", i + 1);
        if (!pdf_str(P, json_array_get(meta, i), &s, &n, where)) return false;
        flow(P, pdf_layout(P, s, n, F_META, CONTENT_W, PANGO_ALIGN_LEFT), MARGIN, INK_SOFT);
    }
    if (P->page_used) {
        P->y += 2.5 * MM;
        pdf_push(P, OP_LINE, MARGIN, P->y, CONTENT_W, 0)->gray = INK_SOFT;
        P->y += 5 * MM;
    }
    return true;
}

static bool svg_block(struct pdf *P, json_t *b, size_t bi)
{
    char where[64];
    snprintf(where, sizeof where, "Khối thứ %zu (svg)", bi);
    json_t *v = json_object_get(b, "svg");
    const char *s, *cap;
    size_t n, capn;
    if (!json_is_string(v)) return pdf_fail(P, "%s: thiếu nội dung hình (\"svg\")", where);
    if (!pdf_str(P, v, &s, &n, where) || !opt_str(P, b, "caption", &cap, &capn, where)) return false;
    json_t *wv = json_object_get(b, "width_mm");
    double w = CONTENT_W;
    if (wv) {
        if (!json_is_number(wv) || !(json_number_value(wv) > 0))
            return pdf_fail(P, "%s: \"width_mm\" phải là số dương", where);
        if (json_number_value(wv) * MM < w) w = json_number_value(wv) * MM;
    }

    GError *ge = NULL;
    RsvgHandle *h = rsvg_handle_new_from_data((const guint8 *)s, n, &ge);
    if (!h) {
        pdf_fail(P, "%s: không đọc được hình SVG (%s)", where, ge ? ge->message : "không rõ lỗi");
        if (ge) g_error_free(ge);
        return false;
    }
    double iw = 0, ih = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &iw, &ih)) {
        gboolean has_vb = FALSE;
        RsvgRectangle vb = {0};
        rsvg_handle_get_intrinsic_dimensions(h, NULL, NULL, NULL, NULL, &has_vb, &vb);
        iw = has_vb ? vb.width : 0;
        ih = has_vb ? vb.height : 0;
    }
    if (!(iw > 0 && ih > 0)) {
        g_object_unref(h);
        return pdf_fail(P, "%s: hình SVG cần có width/height hoặc viewBox để biết tỉ lệ", where);
    }

    PangoLayout *cl = capn ? pdf_layout(P, cap, capn, F_CAPTION, CONTENT_W, PANGO_ALIGN_CENTER) : NULL;
    double caph = cl ? 1.5 * MM + pdf_layout_h(cl) : 0;
    double fh = w * ih / iw;
    /* A chart taller than a page shrinks to fit one, keeping its aspect ratio. */
    if (fh + caph > BOTTOM - TOP) {
        fh = BOTTOM - TOP - caph;
        w = fh * iw / ih;
    }
    pdf_ensure(P, fh + caph);
    struct op *o = pdf_push(P, OP_SVG, MARGIN + (CONTENT_W - w) / 2, P->y, w, fh);
    o->svg = h;
    P->y += fh;
    P->page_used = true;
    if (cl) {
        P->y += 1.5 * MM;
        flow(P, cl, MARGIN, INK_SOFT);
    }
    P->y += GAP_FIGURE;
    return true;
}

static bool block(struct pdf *P, json_t *b, size_t bi)
{
    if (!json_is_object(b)) return pdf_fail(P, "Khối thứ %zu phải là một đối tượng JSON", bi);
    const char *type = json_string_value(json_object_get(b, "type"));
    if (!type) return pdf_fail(P, "Khối thứ %zu thiếu kiểu (\"type\")", bi);
    if (!strcmp(type, "h2") || !strcmp(type, "p")) {
        char where[64];
        snprintf(where, sizeof where, "Khối thứ %zu (%s)", bi, type);
        json_t *t = json_object_get(b, "text");
        const char *s;
        size_t n;
        if (!json_is_string(t)) return pdf_fail(P, "%s: thiếu nội dung (\"text\")", where);
        if (!pdf_str(P, t, &s, &n, where)) return false;
        bool h2 = type[0] == 'h';
        PangoLayout *l = pdf_layout(P, s, n, h2 ? F_H2 : F_BODY, CONTENT_W, PANGO_ALIGN_LEFT);
        if (h2) {
            gap(P, GAP_H2_BEFORE);
            pdf_ensure(P, pdf_layout_h(l) + KEEP_WITH_HEADING);
        }
        flow(P, l, MARGIN, INK);
        P->y += h2 ? GAP_H2_AFTER : GAP_PARA;
        return true;
    }
    if (!strcmp(type, "table")) return pdf_table(P, b, bi);
    if (!strcmp(type, "svg")) return svg_block(P, b, bi);
    if (!strcmp(type, "pagebreak")) {
        if (P->page_used) pdf_new_page(P);
        return true;
    }
    return pdf_fail(P, "Khối thứ %zu có kiểu \"%s\" không được hỗ trợ (chỉ dùng h2, p, table, svg, pagebreak)", bi,
                    g_utf8_validate(type, -1, NULL) ? type : "?");
}

static void show_lines(cairo_t *cr, const struct op *o)
{
    PangoLayoutIter *it = pango_layout_get_iter(o->layout);
    int i = 0;
    do {
        if (i >= o->line0 && i < o->line1) {
            PangoLayoutLine *ln = pango_layout_iter_get_line_readonly(it);
            PangoRectangle in_layout, in_line;
            pango_layout_iter_get_line_extents(it, NULL, &in_layout);
            pango_layout_line_get_extents(ln, NULL, &in_line);
            /* The difference is the alignment offset, which the line itself does not know. */
            cairo_move_to(cr, o->x + PU(in_layout.x - in_line.x),
                          o->y - o->skip + PU(pango_layout_iter_get_baseline(it)));
            pango_cairo_show_layout_line(cr, ln);
        }
        i++;
    } while (i < o->line1 && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void draw_op(struct pdf *P, cairo_t *cr, const struct op *o)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, o->gray, o->gray, o->gray);
    switch (o->kind) {
    case OP_TEXT:
        if (o->line1 < 0) {
            cairo_move_to(cr, o->x, o->y);
            pango_cairo_show_layout(cr, o->layout);
        } else {
            show_lines(cr, o);
        }
        break;
    case OP_FILL:
        cairo_rectangle(cr, o->x, o->y, o->w, o->h);
        cairo_fill(cr);
        break;
    case OP_FRAME:
        cairo_set_source_rgb(cr, INK_SOFT, INK_SOFT, INK_SOFT);
        cairo_set_line_width(cr, 0.4);
        cairo_rectangle(cr, o->x, o->y, o->w, o->h);
        cairo_stroke(cr);
        break;
    case OP_LINE:
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, o->x, o->y);
        cairo_line_to(cr, o->x + o->w, o->y + o->h);
        cairo_stroke(cr);
        break;
    case OP_SVG: {
        RsvgRectangle vp = {o->x, o->y, o->w, o->h};
        GError *ge = NULL;
        if (!rsvg_handle_render_document(o->svg, cr, &vp, &ge)) {
            pdf_fail(P, "Không vẽ được hình SVG (%s)", ge ? ge->message : "không rõ lỗi");
            if (ge) g_error_free(ge);
        }
        break;
    }
    }
    cairo_restore(cr);
}

static void draw_footer(struct pdf *P, cairo_t *cr, PangoLayout *foot, int page, int pages)
{
    cairo_save(cr);
    cairo_set_source_rgb(cr, INK_SOFT, INK_SOFT, INK_SOFT);
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, MARGIN, FOOTER_RULE);
    cairo_line_to(cr, MARGIN + CONTENT_W, FOOTER_RULE);
    cairo_stroke(cr);
    if (foot) {
        cairo_move_to(cr, MARGIN, FOOTER_RULE + 1.5 * MM);
        pango_cairo_show_layout(cr, foot);
    }
    char num[48];
    int n = snprintf(num, sizeof num, "Trang %d/%d", page, pages);
    PangoLayout *l = pdf_layout(P, num, (size_t)n, F_FOOTER, CONTENT_W, PANGO_ALIGN_RIGHT);
    cairo_move_to(cr, MARGIN, FOOTER_RULE + 1.5 * MM);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
    cairo_restore(cr);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    buf_put(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Draws every page from the op list; NULL after an error. */
static char *render(struct pdf *P, json_t *doc, size_t *len)
{
    const char *foot, *title, *subtitle;
    size_t footn, titlen, subn;
    if (!opt_str(P, doc, "footer", &foot, &footn, "Tài liệu")) return NULL;
    opt_str(P, doc, "title", &title, &titlen, "Tài liệu");
    opt_str(P, doc, "subtitle", &subtitle, &subn, "Tài liệu");
    PangoLayout *fl = NULL;
    if (footn) {
        /* Room is left for "Trang X/Y" on the right; a longer footer ends in an ellipsis instead of overprinting. */
        fl = pdf_layout(P, foot, footn, F_FOOTER, CONTENT_W * 0.78, PANGO_ALIGN_LEFT);
        pango_layout_set_ellipsize(fl, PANGO_ELLIPSIZE_END);
    }

    struct buf out = {0};
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, &out, PAGE_W, PAGE_H);
    /* Metadata wants C strings: an embedded title with NUL was already refused, so these are whole. */
    if (titlen) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    if (subn) cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, subtitle);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dxday");
    cairo_t *cr = cairo_create(s);
    /* librsvg sets SVG text with the thread's default font map, which would otherwise live (with its caches) as
     * long as the worker thread does. Lending it ours keeps one font map per call; NULL afterwards drops it. */
    pango_cairo_font_map_set_default(PANGO_CAIRO_FONT_MAP(P->fontmap));
    int pages = P->page + 1;
    size_t i = 0;
    for (int p = 0; p < pages && !P->failed; p++) {
        for (; i < P->nops && P->ops[i].page == p; i++) draw_op(P, cr, &P->ops[i]);
        draw_footer(P, cr, fl, p + 1, pages);
        cairo_show_page(cr);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    pango_cairo_font_map_set_default(NULL);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (fl) g_object_unref(fl);
    if (st != CAIRO_STATUS_SUCCESS) pdf_fail(P, "Không tạo được tệp PDF (%s)", cairo_status_to_string(st));
    if (P->failed) {
        buf_free(&out);
        return NULL;
    }
    *len = out.len;
    return buf_take(&out);
}

static void setup(struct pdf *P)
{
    P->fontmap = pango_cairo_font_map_new();
    P->ctx = pango_font_map_create_context(P->fontmap);
    /* 72 dpi makes a pango point a PDF unit; unhinted metrics make layout independent of any screen. */
    pango_cairo_context_set_resolution(P->ctx, 72);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(P->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(P->ctx, FALSE);
    pango_context_set_language(P->ctx, pango_language_from_string("vi"));
    for (int f = 0; f < F_COUNT; f++) {
        P->font[f] = pango_font_description_new();
        pango_font_description_set_family_static(P->font[f], FONT_FAMILY);
        pango_font_description_set_size(P->font[f], (gint)(font_spec[f].size * PANGO_SCALE));
        pango_font_description_set_weight(P->font[f], font_spec[f].weight);
        pango_font_description_set_style(P->font[f], font_spec[f].style);
    }
    P->y = TOP;
}

static void teardown(struct pdf *P)
{
    for (size_t i = 0; i < P->nops; i++) {
        if (P->ops[i].layout) g_object_unref(P->ops[i].layout);
        if (P->ops[i].svg) g_object_unref(P->ops[i].svg);
    }
    g_free(P->ops);
    for (int f = 0; f < F_COUNT; f++) pango_font_description_free(P->font[f]);
    g_object_unref(P->ctx);
    g_object_unref(P->fontmap);
}

char *pdf_report(json_t *doc, size_t *len, char *err, size_t errlen)
{
    struct pdf P = {.err = err, .errlen = errlen};
    if (err && errlen) err[0] = 0;
    *len = 0;
    if (!json_is_object(doc)) {
        pdf_fail(&P, "Tài liệu báo cáo phải là một đối tượng JSON");
        return NULL;
    }
    json_t *blocks = json_object_get(doc, "blocks");
    if (!json_is_array(blocks)) {
        pdf_fail(&P, "Tài liệu: trường \"blocks\" phải là một mảng");
        return NULL;
    }
    setup(&P);
    char *pdf = NULL;
    bool ok = head_block(&P, doc);
    for (size_t i = 0; ok && i < json_array_size(blocks); i++) ok = block(&P, json_array_get(blocks, i), i + 1);
    if (ok) pdf = render(&P, doc, len);
    teardown(&P);
    return pdf;
}
