/* SVG charts drawn on the server so pages work without JavaScript and the same markup can go through librsvg
 * into PDFs. Must stay pure (no I/O, no store, no web) and emit only presentation attributes librsvg understands. */
#include "export/chart.h"
#include "core/buf.h"
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INK "#111111"
#define MUTED "#4a4a4a"
#define BAR_FILL "#2171b5"
#define GRID "#d5dbe3"
#define NODATA_INK "#404040"
#define NODATA_STROKE "#8c8c8c"
#define NO_DATA_TEXT "Chưa có dữ liệu"

/* ColorBrewer "Blues", re-spaced for roughly even lightness steps; readable by the common colour-vision
 * deficiencies because it varies in lightness only. Ink per step keeps WCAG contrast at 4.5:1 or better. */
static const struct step { const char *fill, *ink; } STEPS[5] = {
    { "#deebf7", INK }, { "#9ecae1", INK }, { "#4292c6", INK }, { "#08519c", "#ffffff" }, { "#08306b", "#ffffff" },
};

/* Several charts share one page, so title/desc ids need a per-instance prefix; atomic because request handlers
 * render on several threads. */
static atomic_uint next_id;

static unsigned new_id(void) { return atomic_fetch_add(&next_id, 1) + 1; }

/* ---- text ---------------------------------------------------------------------------------------------- */

/* Decodes one UTF-8 sequence; -1 for anything malformed (overlong, surrogate, truncated), consuming one byte so
 * the caller can substitute and carry on. */
static int32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
    *used = 1;
    unsigned c = s[0];
    if (c < 0x80) return (int32_t)c;
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (!len || c > 0xF4 || (size_t)len > n) return -1;
    uint32_t cp = c & (0x3F >> (len - 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *used = (size_t)len;
    return (int32_t)cp;
}

/* Combining marks take no column; decomposed Vietnamese tone marks would otherwise double the width estimate. */
static bool zero_width(int32_t cp) { return cp >= 0x300 && cp <= 0x36F; }

static int cols_n(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0, k; i < n; i += k)
        if (!zero_width(utf8_next((const unsigned char *)s + i, n - i, &k))) cols++;
    return cols;
}

static int cols(const char *s) { return s ? cols_n(s, strlen(s)) : 0; }

/* Byte length of the first `max` columns of s (keeping marks that belong to the last one). */
static size_t cut_at(const char *s, size_t n, int max)
{
    int c = 0;
    size_t i = 0, k;
    while (i < n) {
        int32_t cp = utf8_next((const unsigned char *)s + i, n - i, &k);
        if (!zero_width(cp) && ++c > max) break;
        i += k;
    }
    return i;
}

/* Escaped text that is always well-formed XML: labels come from imported documents and may hold control
 * characters or broken UTF-8, either of which would make the whole SVG unparseable. */
static void put_text_n(struct buf *b, const char *s, size_t n)
{
    size_t run = 0, i = 0, k;
    while (i < n) {
        int32_t cp = utf8_next((const unsigned char *)s + i, n - i, &k);
        bool ok = cp >= 0x20 && cp != 0x7F && !(cp >= 0xFFFE && cp <= 0xFFFF);
        if (!ok) {
            buf_put_html(b, s + run, i - run);
            buf_puts(b, cp < 0 ? "\xEF\xBF\xBD" : " ");
            run = i + k;
        }
        i += k;
    }
    buf_put_html(b, s + run, n - run);
}

static void put_text(struct buf *b, const char *s) { if (s) put_text_n(b, s, strlen(s)); }

/* One line of text that must fit: longer text is cut and ends with an ellipsis (the full text is in <title>). */
static void put_text_fit(struct buf *b, const char *s, int max)
{
    size_t n = strlen(s);
    if (cols_n(s, n) <= max) {
        put_text_n(b, s, n);
        return;
    }
    size_t keep = cut_at(s, n, max - 1);
    while (keep && s[keep - 1] == ' ') keep--;
    put_text_n(b, s, keep);
    buf_puts(b, "…");
}

/* Rough advance width of Noto Sans; only used to keep labels inside the viewBox, so it errs wide. */
static double text_width(int ncols, double font_size) { return ncols * font_size * 0.6; }

/* Coordinates printed without printf's %f, whose decimal point follows the process locale. */
static void put_num(struct buf *b, double v)
{
    long long c = llround(v * 100);
    if (c < 0) {
        buf_puts(b, "-");
        c = -c;
    }
    buf_printf(b, "%lld", c / 100);
    int f = (int)(c % 100);
    if (f) buf_printf(b, f % 10 ? ".%02d" : ".%d", f % 10 ? f : f / 10);
}

/* Links are wrapped around user-visible marks, so only same-site paths and http(s) URLs get through; anything
 * else (javascript:, data:, protocol-relative) is dropped rather than escaped. */
static bool safe_href(const char *h)
{
    if (!h || !*h) return false;
    if (h[0] == '/') return h[1] != '/' && h[1] != '\\';
    if (h[0] == '#' || h[0] == '?') return true;
    return !strncasecmp(h, "https://", 8) || !strncasecmp(h, "http://", 7);
}

static const char *json_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static void open_link(struct buf *b, const char *href)
{
    if (safe_href(href)) {
        buf_puts(b, "<a href=\"");
        put_text(b, href);
        buf_puts(b, "\">");
    }
}

static void close_link(struct buf *b, const char *href)
{
    if (safe_href(href)) buf_puts(b, "</a>");
}

/* ---- numbers ------------------------------------------------------------------------------------------- */

static void group_thousands(char *dst, size_t cap, const char *digits)
{
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0) dst[o++] = '.';
        dst[o++] = digits[i];
    }
    dst[o] = 0;
}

void chart_format_number(double n, int decimals, char *out, size_t outlen)
{
    if (!out || !outlen) return;
    if (!isfinite(n)) {
        snprintf(out, outlen, "%s", "–");
        return;
    }
    if (decimals < 0) decimals = 0;
    if (decimals > 6) decimals = 6;
    unsigned long long scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    double a = fabs(n);
    char ip[400], fp[24] = "";
    /* Integer arithmetic keeps the output independent of the C locale's decimal point. */
    if (a * (double)scale < 9e18) {
        unsigned long long s = (unsigned long long)floor(a * (double)scale + 0.5);
        snprintf(ip, sizeof ip, "%llu", s / scale);
        if (decimals) {
            snprintf(fp, sizeof fp, "%0*llu", decimals, s % scale);
            for (int i = decimals - 1; i >= 0 && fp[i] == '0'; i--) fp[i] = 0;
        }
    } else {
        snprintf(ip, sizeof ip, "%.0f", a);
    }
    bool zero = !strcmp(ip, "0") && !fp[0];
    char grouped[560];
    group_thousands(grouped, sizeof grouped, ip);
    snprintf(out, outlen, "%s%s%s%s", n < 0 && !zero ? "-" : "", grouped, fp[0] ? "," : "", fp);
}

void chart_format_rate(double rate, char *out, size_t outlen)
{
    if (!out || !outlen) return;
    if (!isfinite(rate)) {
        snprintf(out, outlen, "%s", "–");
        return;
    }
    char num[64];
    chart_format_number(rate * 100, 1, num, sizeof num);
    snprintf(out, outlen, "%s %%", num);
}

/* ---- frame --------------------------------------------------------------------------------------------- */

/* desc is already escaped. aria-labelledby names both so screen readers announce the summary too. */
static void open_svg(struct buf *b, unsigned id, int w, int h, const char *title, const char *desc)
{
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
               "aria-labelledby=\"dxc%u-t dxc%u-d\" font-family=\"Noto Sans, sans-serif\">",
               w, h, id, id);
    buf_printf(b, "<title id=\"dxc%u-t\">", id);
    put_text(b, title && *title ? title : "Biểu đồ");
    buf_printf(b, "</title><desc id=\"dxc%u-d\">%s</desc>", id, desc);
}

static char *empty_svg(const char *title)
{
    struct buf b = { 0 };
    open_svg(&b, new_id(), 320, 64, title, NO_DATA_TEXT);
    buf_puts(&b, "<rect x=\"0.5\" y=\"0.5\" width=\"319\" height=\"63\" rx=\"6\" fill=\"#fafafa\" stroke=\"#d0d0d0\"/>"
                 "<text x=\"160\" y=\"37\" text-anchor=\"middle\" font-size=\"15\" fill=\"" MUTED "\">"
                 NO_DATA_TEXT "</text></svg>");
    return buf_take(&b);
}

/* ---- bars ---------------------------------------------------------------------------------------------- */

enum {
    BAR_W = 480,      /* narrow viewBox so 15px labels stay legible when scaled to a phone */
    BAR_PAD = 12,
    BAR_ROW = 48,
    BAR_H = 16,
    BAR_LABEL_COLS = 50,
    BAR_VALUE_COLS = 24,
};

static bool item_value(json_t *it, double *v)
{
    json_t *j = json_object_get(it, "value");
    if (!json_is_number(j)) return false;
    *v = json_number_value(j);
    return isfinite(*v);
}

static void value_text(char *out, size_t len, double v, bool has, const char *unit, bool as_rate)
{
    if (!has) {
        snprintf(out, len, "%s", "chưa có dữ liệu");
    } else if (as_rate) {
        chart_format_rate(v, out, len);
    } else {
        char num[64];
        chart_format_number(v, 2, num, sizeof num);
        snprintf(out, len, "%s%s%s", num, unit && *unit ? " " : "", unit && *unit ? unit : "");
    }
}

char *chart_bars(json_t *items, const char *title, const char *unit, bool as_rate)
{
    size_t n = 0;
    json_t *it;
    size_t idx;
    json_array_foreach(items, idx, it) if (json_is_object(it)) n++;
    if (!n) return empty_svg(title);

    /* The value column is sized to the widest value label so the largest bar can use all the rest. */
    double max = 0, reserve = 0;
    const char *top = NULL;
    bool found = false;
    char top_val[160] = "";
    json_array_foreach(items, idx, it) {
        if (!json_is_object(it)) continue;
        double v = 0;
        bool has = item_value(it, &v);
        char vt[160];
        value_text(vt, sizeof vt, v, has, unit, as_rate);
        int c = cols(vt);
        double w = text_width(c < BAR_VALUE_COLS ? c : BAR_VALUE_COLS, 14) + 8;
        /* A row without a value has no bar, so its note starts at the axis and needs no room at the end. */
        if (has && w > reserve) reserve = w;
        if (has && (!found || v > max)) {
            found = true;
            max = v;
            top = json_str(it, "label");
            snprintf(top_val, sizeof top_val, "%s", vt);
        }
    }
    if (as_rate && reserve < text_width(5, 12) / 2) reserve = text_width(5, 12) / 2;
    if (reserve > BAR_W * 0.45) reserve = BAR_W * 0.45;
    const double x0 = BAR_PAD, full = BAR_W - 2 * BAR_PAD - reserve;
    const double scale_max = as_rate ? 1.0 : max;
    const int rows_top = BAR_PAD, rows_bottom = rows_top + (int)n * BAR_ROW;
    const int height = rows_bottom + (as_rate ? 22 : 0) + BAR_PAD / 2;

    struct buf desc = { 0 };
    buf_printf(&desc, "Biểu đồ thanh ngang gồm %zu mục%s.", n, as_rate ? ", thang 0–100 %" : "");
    if (found) {
        buf_puts(&desc, " Cao nhất: ");
        put_text(&desc, top ? top : "—");
        buf_puts(&desc, " (");
        put_text(&desc, top_val);
        buf_puts(&desc, ").");
    }
    struct buf b = { 0 };
    open_svg(&b, new_id(), BAR_W, height, title, desc.p);
    buf_free(&desc);

    if (as_rate) {
        /* Gridlines run only through the bar bands so they never cross the labels above the bars. */
        static const char *const ticks[5] = { "0 %", "25 %", "50 %", "75 %", "100 %" };
        for (int k = 0; k <= 4; k++) {
            double x = x0 + full * k / 4;
            buf_puts(&b, "<path d=\"");
            for (size_t r = 0; r < n; r++) {
                buf_puts(&b, r ? " M" : "M");
                put_num(&b, x);
                buf_printf(&b, " %d V%d", rows_top + (int)r * BAR_ROW + 19, rows_top + (int)r * BAR_ROW + 43);
            }
            buf_puts(&b, "\" fill=\"none\" stroke=\"" GRID "\" stroke-width=\"1\"/><text x=\"");
            put_num(&b, x);
            buf_printf(&b, "\" y=\"%d\" font-size=\"12\" fill=\"" MUTED "\" text-anchor=\"%s\">%s</text>",
                       rows_bottom + 14, k == 0 ? "start" : k == 4 ? "end" : "middle", ticks[k]);
        }
    }

    int y = rows_top;
    json_array_foreach(items, idx, it) {
        if (!json_is_object(it)) continue;
        const char *label = json_str(it, "label");
        const char *href = json_str(it, "href");
        double v = 0;
        bool has = item_value(it, &v);
        char vt[160];
        value_text(vt, sizeof vt, v, has, unit, as_rate);

        open_link(&b, href);
        buf_puts(&b, "<g><title>");
        put_text(&b, label ? label : "—");
        buf_puts(&b, ": ");
        put_text(&b, vt);
        buf_printf(&b, "</title><text x=\"%d\" y=\"%d\" font-size=\"15\" fill=\"" INK "\">", BAR_PAD, y + 16);
        put_text_fit(&b, label ? label : "—", BAR_LABEL_COLS);
        buf_puts(&b, "</text>");

        double w = 0;
        if (has) {
            double r = scale_max > 0 ? v / scale_max : 0;
            if (r < 0) r = 0;
            if (r > 1) r = 1;
            w = full * r;
            /* A non-zero value must stay visible next to a very large one. */
            if (v > 0 && w < 1.5) w = 1.5;
            buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"", BAR_PAD, y + 23);
            put_num(&b, w);
            buf_printf(&b, "\" height=\"%d\" fill=\"" BAR_FILL "\"/>", BAR_H);
        }
        buf_puts(&b, "<text x=\"");
        put_num(&b, x0 + w + 6);
        buf_printf(&b, "\" y=\"%d\" font-size=\"14\" fill=\"%s\">", y + 36, has ? INK : MUTED);
        put_text_fit(&b, vt, BAR_VALUE_COLS);
        buf_puts(&b, "</text></g>");
        close_link(&b, href);
        y += BAR_ROW;
    }
    buf_puts(&b, "</svg>");
    return buf_take(&b);
}

/* ---- tile map ------------------------------------------------------------------------------------------ */

/* The 34 provincial units after the 1/7/2025 merger, on a 6 × 15 grid: the northern uplands across the top,
 * the Red River delta under them, the central strip running down columns 1–3 and the Mekong delta bottom-left. */
static const struct province {
    const char *code, *name, *abbr;
    int col, row;
} PROVINCES[] = {
    { "lai-chau", "Lai Châu", "LCh", 1, 0 },
    { "lao-cai-2025", "Lào Cai", "LCa", 2, 0 },
    { "tuyen-quang-2025", "Tuyên Quang", "TQ", 3, 0 },
    { "cao-bang", "Cao Bằng", "CB", 4, 0 },
    { "dien-bien", "Điện Biên", "ĐB", 0, 1 },
    { "son-la", "Sơn La", "SL", 1, 1 },
    { "phu-tho-2025", "Phú Thọ", "PT", 2, 1 },
    { "thai-nguyen-2025", "Thái Nguyên", "TN", 3, 1 },
    { "lang-son", "Lạng Sơn", "LS", 4, 1 },
    { "quang-ninh", "Quảng Ninh", "QN", 5, 1 },
    { "ha-noi", "Hà Nội", "HN", 2, 2 },
    { "bac-ninh-2025", "Bắc Ninh", "BN", 3, 2 },
    { "hai-phong-2025", "Hải Phòng", "HP", 4, 2 },
    { "ninh-binh-2025", "Ninh Bình", "NB", 2, 3 },
    { "hung-yen-2025", "Hưng Yên", "HY", 3, 3 },
    { "thanh-hoa", "Thanh Hóa", "TH", 1, 4 },
    { "nghe-an", "Nghệ An", "NA", 1, 5 },
    { "ha-tinh", "Hà Tĩnh", "HT", 2, 5 },
    { "quang-tri-2025", "Quảng Trị", "QT", 2, 6 },
    { "hue", "Thành phố Huế", "Huế", 2, 7 },
    { "da-nang-2025", "Đà Nẵng", "ĐN", 3, 7 },
    { "quang-ngai-2025", "Quảng Ngãi", "QNg", 3, 8 },
    { "gia-lai-2025", "Gia Lai", "GL", 3, 9 },
    { "dak-lak-2025", "Đắk Lắk", "ĐL", 3, 10 },
    { "dong-nai-2025", "Đồng Nai", "ĐNa", 1, 11 },
    { "lam-dong-2025", "Lâm Đồng", "LĐ", 2, 11 },
    { "khanh-hoa-2025", "Khánh Hòa", "KH", 3, 11 },
    { "tay-ninh-2025", "Tây Ninh", "TNi", 0, 12 },
    { "ho-chi-minh-2025", "Thành phố Hồ Chí Minh", "HCM", 1, 12 },
    { "an-giang-2025", "An Giang", "AG", 0, 13 },
    { "dong-thap-2025", "Đồng Tháp", "ĐT", 1, 13 },
    { "vinh-long-2025", "Vĩnh Long", "VL", 2, 13 },
    { "ca-mau-2025", "Cà Mau", "CM", 0, 14 },
    { "can-tho-2025", "Cần Thơ", "CT", 1, 14 },
};
#define NPROV (sizeof PROVINCES / sizeof PROVINCES[0])

size_t chart_province_count(void) { return NPROV; }

bool chart_province(size_t i, const char **code, const char **name, int *col, int *row)
{
    if (i >= NPROV) return false;
    if (code) *code = PROVINCES[i].code;
    if (name) *name = PROVINCES[i].name;
    if (col) *col = PROVINCES[i].col;
    if (row) *row = PROVINCES[i].row;
    return true;
}

enum {
    TILE = 56,
    TILE_PITCH = 60,
    MAP_COLS = 6,
    MAP_ROWS = 15,
    MAP_PAD = 12,
    MAP_W = 2 * MAP_PAD + MAP_COLS * TILE_PITCH - (TILE_PITCH - TILE),
    LEGEND_STEP = 64,
};

/* Bucketed on the value as displayed (one decimal of a percent), so "80 %" never shows in the 60–80 colour. */
static int bucket(double rate)
{
    double pct = floor(rate * 1000 + 0.5) / 10;
    return pct < 20 ? 0 : pct < 40 ? 1 : pct < 60 ? 2 : pct < 80 ? 3 : 4;
}

static bool tile_rate(json_t *entry, double *rate)
{
    json_t *r = json_object_get(entry, "rate");
    if (!json_is_number(r)) return false;
    *rate = json_number_value(r);
    return isfinite(*rate);
}

static void map_legend(struct buf *b, int y)
{
    static const char *const marks[6] = { "0", "20", "40", "60", "80", "100 %" };
    const int x0 = (MAP_W - 5 * LEGEND_STEP) / 2;
    buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"" MUTED "\">Tỷ lệ</text>", x0, y);
    y += 8;
    for (int k = 0; k < 5; k++)
        buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"%s\"/>", x0 + k * LEGEND_STEP, y,
                   LEGEND_STEP, STEPS[k].fill);
    /* An outline so the palest step does not vanish into a white page. */
    buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"14\" fill=\"none\" stroke=\"#9aa5b1\"/>", x0, y,
               5 * LEGEND_STEP);
    for (int k = 0; k <= 5; k++)
        buf_printf(b,
                   "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"" MUTED "\" stroke-width=\"1\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"" MUTED "\" text-anchor=\"middle\">%s</text>",
                   x0 + k * LEGEND_STEP, x0 + k * LEGEND_STEP, y + 14, y + 18, x0 + k * LEGEND_STEP, y + 31,
                   marks[k]);
    y += 44;
    buf_printf(b,
               "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"14\" fill=\"" CHART_NODATA_FILL
               "\" stroke=\"" NODATA_STROKE "\" stroke-dasharray=\"3 2\"/>"
               "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"" MUTED "\">" NO_DATA_TEXT "</text>",
               x0, y, x0 + 32, y + 12);
}

char *chart_tile_map(json_t *rates, const char *title)
{
    if (!json_is_object(rates) || !json_object_size(rates)) return empty_svg(title);

    int with_data = 0;
    double hi = -INFINITY, lo = INFINITY;
    const char *hi_name = NULL, *lo_name = NULL;
    for (size_t i = 0; i < NPROV; i++) {
        json_t *e = json_object_get(rates, PROVINCES[i].code);
        const char *name = json_str(e, "name");
        double r;
        if (!tile_rate(e, &r)) continue;
        with_data++;
        if (r > hi) hi = r, hi_name = name ? name : PROVINCES[i].name;
        if (r < lo) lo = r, lo_name = name ? name : PROVINCES[i].name;
    }
    struct buf desc = { 0 };
    buf_printf(&desc, "Bản đồ ô %zu tỉnh, thành phố tô màu theo tỷ lệ. Có dữ liệu: %d/%zu.", NPROV, with_data,
               NPROV);
    if (with_data) {
        char t[64];
        chart_format_rate(hi, t, sizeof t);
        buf_puts(&desc, " Cao nhất: ");
        put_text(&desc, hi_name);
        buf_printf(&desc, " (%s). Thấp nhất: ", t);
        chart_format_rate(lo, t, sizeof t);
        put_text(&desc, lo_name);
        buf_printf(&desc, " (%s).", t);
    }

    const int grid_h = MAP_ROWS * TILE_PITCH - (TILE_PITCH - TILE);
    const int legend_y = MAP_PAD + grid_h + 24;
    struct buf b = { 0 };
    open_svg(&b, new_id(), MAP_W, legend_y + 78, title, desc.p);
    buf_free(&desc);

    for (size_t i = 0; i < NPROV; i++) {
        const struct province *p = &PROVINCES[i];
        json_t *e = json_object_get(rates, p->code);
        const char *name = json_str(e, "name");
        const char *href = json_str(e, "href");
        double r = 0;
        bool has = tile_rate(e, &r);
        char pct[64];
        chart_format_rate(r, pct, sizeof pct);
        int x = MAP_PAD + p->col * TILE_PITCH, y = MAP_PAD + p->row * TILE_PITCH, cx = x + TILE / 2;

        open_link(&b, href);
        buf_puts(&b, "<g><title>");
        put_text(&b, name ? name : p->name);
        buf_puts(&b, ": ");
        buf_puts(&b, has ? pct : "chưa có dữ liệu");
        buf_printf(&b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" ", x, y, TILE, TILE);
        if (has) {
            const struct step *s = &STEPS[bucket(r)];
            buf_printf(&b,
                       "fill=\"%s\"/>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"17\" font-weight=\"bold\" fill=\"%s\" "
                       "text-anchor=\"middle\">%s</text>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\" text-anchor=\"middle\">%s</text>",
                       s->fill, cx, y + 26, s->ink, p->abbr, cx, y + 44, s->ink, pct);
        } else {
            /* The dashed edge tells "no data" apart from the palest blue in greyscale print too. */
            buf_printf(&b,
                       "fill=\"" CHART_NODATA_FILL "\" stroke=\"" NODATA_STROKE "\" stroke-dasharray=\"3 2\"/>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"17\" font-weight=\"bold\" fill=\"" NODATA_INK "\" "
                       "text-anchor=\"middle\">%s</text>",
                       cx, y + 34, p->abbr);
        }
        buf_puts(&b, "</g>");
        close_link(&b, href);
    }
    map_legend(&b, legend_y);
    buf_puts(&b, "</svg>");
    return buf_take(&b);
}

/* ---- gauge --------------------------------------------------------------------------------------------- */

enum { G_W = 240, G_CX = 120, G_CY = 92, G_R = 68, G_STROKE = 18, G_COLS = 24, G_LINES = 3 };

struct seg { const char *s; size_t n; };

/* Greedy word wrap by columns; a word longer than a line is split. Sets *more when text was left over. */
static int wrap(const char *s, int max, struct seg *out, int max_lines, bool *more)
{
    int lines = 0;
    const char *p = s;
    while (lines < max_lines) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *line = p, *end = p, *q = p;
        int used = 0;
        while (*q) {
            const char *w = q;
            while (*q && *q != ' ') q++;
            int need = (end == line ? 0 : 1) + cols_n(w, (size_t)(q - w));
            if (used + need > max) {
                if (end == line) end = w + cut_at(w, (size_t)(q - w), max);
                break;
            }
            used += need;
            end = q;
            while (*q == ' ') q++;
        }
        out[lines++] = (struct seg){ line, (size_t)(end - line) };
        p = end;
    }
    while (*p == ' ') p++;
    *more = *p != 0;
    return lines;
}

char *chart_gauge(double rate, const char *label)
{
    bool has = isfinite(rate);
    double r = has ? (rate < 0 ? 0 : rate > 1 ? 1 : rate) : 0;
    char pct[64];
    chart_format_rate(rate, pct, sizeof pct);

    struct seg lines[G_LINES];
    bool more = false;
    int nl = label ? wrap(label, G_COLS, lines, G_LINES, &more) : 0;
    const int label_y = G_CY + G_R + G_STROKE / 2 + 24;
    const int height = label_y + (nl ? (nl - 1) * 20 : 0) + 14;

    struct buf desc = { 0 };
    put_text(&desc, label);
    buf_puts(&desc, label && *label ? ": " : "");
    buf_puts(&desc, has ? pct : "chưa có dữ liệu");
    struct buf b = { 0 };
    open_svg(&b, new_id(), G_W, height, label && *label ? label : "Tỷ lệ", desc.p);
    buf_free(&desc);

    buf_printf(&b,
               "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"none\" stroke=\"#e3e8ef\" stroke-width=\"%d\"/>",
               G_CX, G_CY, G_R, G_STROKE);
    if (has && r > 0) {
        /* A dashed circle rotated to start at 12 o'clock: simpler than arc paths and exact at 100 %. */
        double circ = 2 * M_PI * G_R, len = circ * r;
        buf_printf(&b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"none\" stroke=\"" BAR_FILL
                       "\" stroke-width=\"%d\" stroke-dasharray=\"", G_CX, G_CY, G_R, G_STROKE);
        put_num(&b, len);
        buf_puts(&b, " ");
        put_num(&b, circ);
        buf_printf(&b, "\" transform=\"rotate(-90 %d %d)\"/>", G_CX, G_CY);
    }
    if (has)
        buf_printf(&b,
                   "<text x=\"%d\" y=\"%d\" font-size=\"28\" font-weight=\"bold\" fill=\"" INK
                   "\" text-anchor=\"middle\">%s</text>",
                   G_CX, G_CY + 10, pct);
    else
        buf_printf(&b,
                   "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"" MUTED "\" text-anchor=\"middle\">"
                   NO_DATA_TEXT "</text>",
                   G_CX, G_CY + 5);
    for (int i = 0; i < nl; i++) {
        buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"15\" fill=\"" INK "\" text-anchor=\"middle\">", G_CX,
                   label_y + i * 20);
        put_text_n(&b, lines[i].s, lines[i].n);
        if (more && i == nl - 1) buf_puts(&b, "…");
        buf_puts(&b, "</text>");
    }
    buf_puts(&b, "</svg>");
    return buf_take(&b);
}
