/* Draws a course-completion certificate: one A4 landscape page with a frame, the learner and the course set in Noto
 * Serif/Sans, the date, the code and a QR code to the verification page. Must not read the store or keep state. */
#include "export/certificate.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/text.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MM (72.0 / 25.4)
#define PAGE_W (297 * MM)
#define PAGE_H (210 * MM)
#define LEFT (26 * MM)
#define TEXT_W (PAGE_W - 2 * LEFT)
/* The band between the title and the footer where the learner, the course and the date are centred. */
#define BAND_TOP (52 * MM)
#define BAND_BOTTOM (145 * MM)
#define QR_SIZE (36 * MM)
#define QR_TOP (147 * MM)
#define PU(v) ((double)(v) / PANGO_SCALE)
#define SERIF "Noto Serif"
#define SANS "Noto Sans"
/* Text longer than this is not a name or a title: refusing it keeps layout time bounded. */
#define MAX_TEXT 2000

struct rgb { double r, g, b; };
static const struct rgb BLUE = {0.043, 0.239, 0.569}, BLUE_D = {0.027, 0.165, 0.4}, RED = {0.784, 0.063, 0.18},
                        GOLD = {0.72, 0.56, 0.1}, INK = {0.106, 0.122, 0.141}, MUTED = {0.36, 0.39, 0.44},
                        PAPER = {1.0, 0.992, 0.965};

struct cert {
    PangoFontMap *fontmap; /* one per call: pango objects must not be shared between threads */
    PangoContext *ctx;
    char *err;
    size_t errlen;
};

static bool fail(struct cert *C, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct cert *C, const char *fmt, ...)
{
    if (C->err && C->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(C->err, C->errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

static PangoLayout *layout(struct cert *C, const char *s, const char *family, PangoWeight w, PangoStyle st,
                           double size, double width, PangoAlignment al)
{
    PangoLayout *l = pango_layout_new(C->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, family);
    pango_font_description_set_weight(fd, w);
    pango_font_description_set_style(fd, st);
    pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, al);
    pango_layout_set_text(l, s, -1);
    return l;
}

static double height(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return PU(h);
}

/* The largest size from max_pt down to min_pt at which s fits in max_lines lines and max_h points. Past the
 * smallest size the text is cut with an ellipsis: a name may be absurd, the page must still hold together. */
static PangoLayout *fit(struct cert *C, const char *s, const char *family, PangoWeight w, PangoStyle st,
                        double max_pt, double min_pt, int max_lines, double max_h)
{
    for (double pt = max_pt; pt >= min_pt; pt -= 1) {
        PangoLayout *l = layout(C, s, family, w, st, pt, TEXT_W, PANGO_ALIGN_CENTER);
        if (pango_layout_get_line_count(l) <= max_lines && height(l) <= max_h) return l;
        g_object_unref(l);
    }
    PangoLayout *l = layout(C, s, family, w, st, min_pt, TEXT_W, PANGO_ALIGN_CENTER);
    pango_layout_set_height(l, -max_lines);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    return l;
}

static void show(cairo_t *cr, PangoLayout *l, double x, double y, struct rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
}

/* Light modules are the paper; dark ones are drawn as one rectangle per horizontal run, so no hairline seams
 * show between neighbours in a viewer that anti-aliases each shape. */
static void draw_qr(cairo_t *cr, const QRcode *q, double x, double y, double size)
{
    const int quiet = 4;
    double m = size / (q->width + 2 * quiet);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < q->width; row++) {
        for (int col = 0; col < q->width;) {
            if (!(q->data[row * q->width + col] & 1)) {
                col++;
                continue;
            }
            int end = col;
            while (end < q->width && (q->data[row * q->width + end] & 1)) end++;
            cairo_rectangle(cr, x + (quiet + col) * m, y + (quiet + row) * m, (end - col) * m, m);
            col = end;
        }
    }
    cairo_fill(cr);
}

static void draw_frame(cairo_t *cr)
{
    cairo_set_source_rgb(cr, PAPER.r, PAPER.g, PAPER.b);
    cairo_rectangle(cr, 0, 0, PAGE_W, PAGE_H);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, BLUE.r, BLUE.g, BLUE.b);
    cairo_set_line_width(cr, 2.4 * MM);
    cairo_rectangle(cr, 8 * MM, 8 * MM, PAGE_W - 16 * MM, PAGE_H - 16 * MM);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, GOLD.r, GOLD.g, GOLD.b);
    cairo_set_line_width(cr, 0.8);
    cairo_rectangle(cr, 12 * MM, 12 * MM, PAGE_W - 24 * MM, PAGE_H - 24 * MM);
    cairo_stroke(cr);
    /* A red rule at the head, as on the portal's header. */
    cairo_set_source_rgb(cr, RED.r, RED.g, RED.b);
    cairo_rectangle(cr, 12 * MM, 12 * MM, PAGE_W - 24 * MM, 1.6 * MM);
    cairo_fill(cr);
}

/* The Vietnamese calendar date (UTC+7) of a UTC timestamp, or of a bare "yyyy-mm-dd"; false when unreadable. */
static bool issued_date(const char *iso, char out[11])
{
    struct ymd d;
    struct tm tm = {0};
    int n = 0;
    if (!iso) return false;
    if (strlen(iso) == 10) {
        if (!date_parse_iso(iso, &d)) return false;
    } else if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                      &tm.tm_sec, &n) == 6 && n >= 19) {
        struct ymd check = {tm.tm_year, tm.tm_mon, tm.tm_mday};
        if (!date_valid(check)) return false;
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        d = date_today_at(timegm(&tm));
    } else {
        return false;
    }
    date_format_vn(d, out);
    return true;
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
    buf_put(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* Checks one input string and returns its NFC form (malloc'd), or NULL after recording why. */
static char *nfc(struct cert *C, const char *s, const char *what, bool may_be_empty)
{
    if (!s || (!*s && !may_be_empty)) {
        fail(C, "Chứng chỉ thiếu %s", what);
        return NULL;
    }
    if (strlen(s) > MAX_TEXT) {
        fail(C, "%s quá dài", what);
        return NULL;
    }
    char *out = text_nfc(s);
    if (!out) fail(C, "%s không phải UTF-8 hợp lệ", what);
    return out;
}

static void draw(struct cert *C, cairo_t *cr, const struct certificate *c, const char *name, const char *title,
                 const char *date, const char *code, const char *url, const QRcode *q)
{
    draw_frame(cr);
    PangoLayout *issuer = layout(C, "Cổng thông tin Ngày Chuyển đổi số quốc gia", SANS, PANGO_WEIGHT_SEMIBOLD,
                                 PANGO_STYLE_NORMAL, 12, TEXT_W, PANGO_ALIGN_CENTER);
    show(cr, issuer, LEFT, 21 * MM, BLUE);
    PangoLayout *head = layout(C, c->heading ? c->heading : "CHỨNG CHỈ HOÀN THÀNH KHÓA HỌC", SERIF, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 28,
                               TEXT_W, PANGO_ALIGN_CENTER);
    show(cr, head, LEFT, 30 * MM, RED);
    cairo_set_source_rgb(cr, GOLD.r, GOLD.g, GOLD.b);
    cairo_set_line_width(cr, 1.2);
    cairo_move_to(cr, PAGE_W / 2 - 35 * MM, 30 * MM + height(head) + 3 * MM);
    cairo_line_to(cr, PAGE_W / 2 + 35 * MM, 30 * MM + height(head) + 3 * MM);
    cairo_stroke(cr);

    /* The middle block: measured first, then centred in its band. */
    PangoLayout *part[6];
    struct rgb color[6] = {MUTED, BLUE_D, MUTED, INK, INK, MUTED};
    double gap[6] = {0, 2 * MM, 4 * MM, 2 * MM, 6 * MM, 0};
    part[0] = layout(C, "Chứng nhận", SERIF, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, 14, TEXT_W, PANGO_ALIGN_CENTER);
    part[1] = fit(C, *name ? name : "—", SERIF, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 36, 16, 2, 32 * MM);
    part[2] = layout(C, c->verb ? c->verb : "đã hoàn thành khóa học", SERIF, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC, 14, TEXT_W,
                     PANGO_ALIGN_CENTER);
    part[3] = fit(C, title, SANS, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 20, 11, 3, 26 * MM);
    char line[64];
    snprintf(line, sizeof line, "%s: %s", c->date_label ? c->date_label : "Ngày hoàn thành", date);
    part[4] = layout(C, line, SANS, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 12.5, TEXT_W, PANGO_ALIGN_CENTER);
    double total = 0;
    for (int i = 0; i < 5; i++) total += gap[i] + height(part[i]);
    double y = BAND_TOP + (BAND_BOTTOM - BAND_TOP - total) / 2;
    if (y < BAND_TOP) y = BAND_TOP;
    for (int i = 0; i < 5; i++) {
        y += gap[i];
        show(cr, part[i], LEFT, y, color[i]);
        y += height(part[i]);
    }

    /* Footer: the code and how to check it on the left, the QR code and its address on the right. */
    double foot_w = PAGE_W - 2 * LEFT - QR_SIZE - 12 * MM;
    PangoLayout *lab = layout(C, "Mã chứng chỉ", SANS, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 9.5, foot_w,
                              PANGO_ALIGN_LEFT);
    PangoLayout *cl = layout(C, code, SANS, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL, 14, foot_w, PANGO_ALIGN_LEFT);
    PangoAttrList *at = pango_attr_list_new();
    pango_attr_list_insert(at, pango_attr_letter_spacing_new((int)(1.2 * PANGO_SCALE)));
    pango_layout_set_attributes(cl, at);
    pango_attr_list_unref(at);
    PangoLayout *how = layout(C, "Quét mã QR hoặc mở địa chỉ in dưới mã để kiểm tra chứng chỉ này trên Cổng thông "
                                 "tin; không cần tài khoản.", SANS, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 9.5,
                              foot_w * 0.8, PANGO_ALIGN_LEFT);
    double fy = QR_TOP + 6 * MM;
    show(cr, lab, LEFT, fy, MUTED);
    fy += height(lab) + 1 * MM;
    show(cr, cl, LEFT, fy, INK);
    fy += height(cl) + 3 * MM;
    show(cr, how, LEFT, fy, MUTED);

    double qx = PAGE_W - LEFT - QR_SIZE;
    draw_qr(cr, q, qx, QR_TOP, QR_SIZE);
    /* The address can be long (a public origin of any length): it wraps anywhere and stops at two lines. */
    double uw = 100 * MM;
    PangoLayout *ul = layout(C, url, SANS, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL, 7.5, uw, PANGO_ALIGN_RIGHT);
    pango_layout_set_wrap(ul, PANGO_WRAP_CHAR);
    pango_layout_set_height(ul, -2);
    pango_layout_set_ellipsize(ul, PANGO_ELLIPSIZE_MIDDLE);
    show(cr, ul, PAGE_W - LEFT - uw, QR_TOP + QR_SIZE + 1 * MM, INK);

    PangoLayout *all[] = {issuer, head, part[0], part[1], part[2], part[3], part[4], lab, cl, how, ul};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) g_object_unref(all[i]);
}

char *certificate_pdf(const struct certificate *c, size_t *len, char *err, size_t errlen)
{
    struct cert C = {.err = err, .errlen = errlen};
    if (err && errlen) err[0] = 0;
    *len = 0;
    char date[11];
    if (!issued_date(c->issued_at, date)) {
        fail(&C, "Ngày cấp chứng chỉ không hợp lệ");
        return NULL;
    }
    char *name = nfc(&C, c->learner_name, "tên người học", true);
    char *title = name ? nfc(&C, c->course_title, "tên khóa học", false) : NULL;
    char *code = title ? nfc(&C, c->code, "mã chứng chỉ", false) : NULL;
    char *url = code ? nfc(&C, c->verify_url, "địa chỉ kiểm tra", false) : NULL;
    QRcode *q = url ? QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
    if (url && !q) fail(&C, "Địa chỉ kiểm tra quá dài để đưa vào mã QR");
    char *out = NULL;
    if (q) {
        C.fontmap = pango_cairo_font_map_new();
        C.ctx = pango_font_map_create_context(C.fontmap);
        /* 72 dpi makes a pango point a PDF unit; unhinted metrics make layout independent of any screen. */
        pango_cairo_context_set_resolution(C.ctx, 72);
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        pango_cairo_context_set_font_options(C.ctx, fo);
        cairo_font_options_destroy(fo);
        pango_context_set_round_glyph_positions(C.ctx, FALSE);
        pango_context_set_language(C.ctx, pango_language_from_string("vi"));

        struct buf b = {0};
        cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, &b, PAGE_W, PAGE_H);
        struct buf meta = {0};
        /* The document's title names what it certifies: the heading of a certificate of honour or of a training, else a course's. */
        buf_printf(&meta, "%s – %s", c->heading ? c->heading : "Chứng chỉ hoàn thành khóa học", title);
        char *mt = buf_take(&meta);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, mt);
        free(mt);
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, "Cổng thông tin Ngày Chuyển đổi số quốc gia");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dxday");
        cairo_t *cr = cairo_create(s);
        draw(&C, cr, c, name, title, date, code, url, q);
        cairo_show_page(cr);
        cairo_status_t st = cairo_status(cr);
        cairo_destroy(cr);
        cairo_surface_finish(s);
        if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(s);
        cairo_surface_destroy(s);
        g_object_unref(C.ctx);
        g_object_unref(C.fontmap);
        if (st == CAIRO_STATUS_SUCCESS) {
            *len = b.len;
            out = buf_take(&b);
        } else {
            fail(&C, "Không tạo được tệp PDF (%s)", cairo_status_to_string(st));
            buf_free(&b);
        }
        QRcode_free(q);
    }
    free(name);
    free(title);
    free(code);
    free(url);
    return out;
}
