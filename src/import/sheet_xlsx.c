/* Reads the first visible worksheet of an XLSX into the grid: workbook and its rels to find it, shared strings,
 * then the cells. Must not inflate past SHEET_MAX_XML (nor 100 times the file), load DTDs or entities (XXE), or touch the network or disk. */
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "import/extract_internal.h"
#include "import/sheet_internal.h"

#define SML_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define SML_NS_STRICT "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

#define MAX_SHEETS 1024     /* sheets and relationships kept from the workbook: Excel files have a handful */
#define MAX_RELS 2048
#define XL_MAX_ROW 1048576  /* Excel's own grid, beyond which a reference is not a cell */
#define XL_MAX_COL 16384

static const struct sheet_err ERR_CORRUPT = {
    SHEET_CORRUPT, "Tệp Excel bị hỏng hoặc không đọc được. Hãy mở tệp bằng Excel rồi lưu lại dưới dạng "
                   "Excel Workbook (.xlsx)."};
static const struct sheet_err ERR_NOT_XLSX = {SHEET_CORRUPT, "Tệp nén này không phải bảng tính Excel (.xlsx)."};
static const struct sheet_err ERR_ODS = {
    SHEET_UNSUPPORTED, "Tệp OpenDocument (.ods) chưa được hỗ trợ. Hãy lưu lại dưới dạng Excel Workbook (.xlsx) "
                       "hoặc CSV UTF-8."};
static const struct sheet_err ERR_XLSB = {
    SHEET_UNSUPPORTED, "Tệp Excel nhị phân (.xlsb) chưa được hỗ trợ. Hãy lưu lại dưới dạng Excel Workbook (.xlsx) "
                       "hoặc CSV UTF-8."};

enum walk_next { WALK_ON, WALK_SKIP, WALK_STOP };
typedef enum walk_next (*walk_fn)(void *ctx, xmlTextReaderPtr r, int type);

/* Runs fn on every node of xml. No XML_PARSE_NOENT (entities are not substituted), no DTDLOAD, NONET, and any
 * DOCTYPE refused (Excel never writes one; one here can only be there to declare entities): that is what keeps
 * XXE and billion laughs out. No XML_PARSE_HUGE: keep libxml2's depth and text-node limits. Encoding errors go to
 * the per-thread generic handler, which prints to stderr, so it is swapped for the parse and put back after. */
static struct sheet_err walk(const struct buf *xml, walk_fn fn, void *ctx)
{
    if (xml->len > INT_MAX)
        return SHEET_ERR_XML;
    struct xml_quiet_saved q = xml_quiet_begin();
    struct sheet_err e = ERR_CORRUPT;
    bool doctype = false;
    xmlTextReaderPtr r = xml_open_reader(xml->p ? xml->p : "", xml->len);
    if (r) {
        int ret = xmlTextReaderRead(r);
        while (ret == 1) {
            int type = xmlTextReaderNodeType(r);
            if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
                doctype = true;
                break;
            }
            enum walk_next next = fn(ctx, r, type);
            if (next == WALK_STOP)
                break;
            ret = next == WALK_SKIP ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
        }
        if (ret >= 0 && !doctype)
            e = SHEET_ERR_OK;
        xmlFreeTextReader(r);
    }
    xml_quiet_end(q);
    return e;
}

/* Local name of a SpreadsheetML element (transitional, strict, or written without a namespace), else NULL. */
static const char *sml_name(xmlTextReaderPtr r)
{
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    if (ns && strcmp(ns, SML_NS) != 0 && strcmp(ns, SML_NS_STRICT) != 0)
        return NULL;
    return (const char *)xmlTextReaderConstLocalName(r);
}

static bool is(const char *local, const char *name)
{
    return local && strcmp(local, name) == 0;
}

static bool is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA || type == XML_READER_TYPE_WHITESPACE ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, BAD_CAST name);
}

static struct sheet_err read_part(zip_t *za, zip_int64_t idx, size_t *budget, struct buf *dst)
{
    switch (extract_zip_entry(za, idx, budget, dst)) {
    case EXTRACT_OK:
        return SHEET_ERR_OK;
    case EXTRACT_BOMB:
        return SHEET_ERR_XML;
    default:
        return ERR_CORRUPT;
    }
}

/* ---- workbook.xml and its rels: which part is the first sheet ---- */

struct ref {
    char *id, *target;
    bool hidden, worksheet, shared_strings;
};

struct refs {
    struct ref v[MAX_SHEETS > MAX_RELS ? MAX_SHEETS : MAX_RELS];
    int n, max;
};

static void refs_free(struct refs *rs)
{
    for (int i = 0; i < rs->n; i++) {
        xmlFree(rs->v[i].id);
        xmlFree(rs->v[i].target);
    }
    rs->n = 0;
}

static enum walk_next on_workbook(void *ctx, xmlTextReaderPtr r, int type)
{
    struct refs *sheets = ctx;
    if (type != XML_READER_TYPE_ELEMENT || !is(sml_name(r), "sheet"))
        return WALK_ON;
    if (sheets->n >= sheets->max)
        return WALK_STOP;
    char *id = (char *)xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST REL_NS);
    if (!id)
        id = (char *)xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST REL_NS_STRICT);
    if (!id)
        return WALK_ON;
    char *state = attr(r, "state");
    bool hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
    xmlFree(state);
    sheets->v[sheets->n++] = (struct ref){.id = id, .hidden = hidden};
    return WALK_ON;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static enum walk_next on_rels(void *ctx, xmlTextReaderPtr r, int type)
{
    struct refs *rels = ctx;
    if (type != XML_READER_TYPE_ELEMENT || !is((const char *)xmlTextReaderConstLocalName(r), "Relationship"))
        return WALK_ON;
    if (rels->n >= rels->max)
        return WALK_STOP;
    char *id = attr(r, "Id"), *target = attr(r, "Target"), *kind = attr(r, "Type"), *mode = attr(r, "TargetMode");
    if (id && target && kind && !(mode && strcmp(mode, "External") == 0)) {
        rels->v[rels->n++] = (struct ref){.id = id, .target = target, .worksheet = ends_with(kind, "/worksheet"),
                                          .shared_strings = ends_with(kind, "/sharedStrings")};
        id = target = NULL;
    }
    xmlFree(id), xmlFree(target), xmlFree(kind), xmlFree(mode);
    return WALK_ON;
}

/* The zip entry name of a target relative to xl/ (or absolute from the package root), with . and .. resolved. */
static char *part_path(const char *target)
{
    struct buf in = {0}, out = {0};
    if (target[0] == '/')
        buf_puts(&in, target + 1);
    else
        buf_printf(&in, "xl/%s", target);
    for (const char *p = in.p; *p;) {
        const char *end = strchrnul(p, '/');
        size_t n = (size_t)(end - p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = out.len ? memrchr(out.p, '/', out.len) : NULL;
            out.len = slash ? (size_t)(slash - out.p) : 0;
            if (out.p)
                out.p[out.len] = 0;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (out.len)
                buf_put(&out, "/", 1);
            buf_put(&out, p, n);
        }
        p = *end ? end + 1 : end;
    }
    buf_free(&in);
    return buf_take(&out);
}

/* Finds the first visible worksheet (a hidden first sheet is usually a lookup list) and the shared strings.
 * Leaves the paths NULL when the workbook does not say; the caller falls back to the usual names. */
static struct sheet_err find_parts(zip_t *za, zip_int64_t wb, size_t *budget, char **sheet_path, char **sst_path)
{
    zip_int64_t ri = zip_name_locate(za, "xl/_rels/workbook.xml.rels", ZIP_FL_NOCASE);
    if (ri < 0)
        return SHEET_ERR_OK;
    struct refs *sheets = calloc(1, sizeof *sheets), *rels = calloc(1, sizeof *rels);
    if (!sheets || !rels)
        abort();
    sheets->max = MAX_SHEETS;
    rels->max = MAX_RELS;
    struct buf xml = {0};
    struct sheet_err e = read_part(za, wb, budget, &xml);
    if (e.status == SHEET_OK)
        e = walk(&xml, on_workbook, sheets);
    xml.len = 0;
    if (e.status == SHEET_OK)
        e = read_part(za, ri, budget, &xml);
    if (e.status == SHEET_OK)
        e = walk(&xml, on_rels, rels);
    buf_free(&xml);
    for (int i = 0; e.status == SHEET_OK && i < rels->n && !*sst_path; i++)
        if (rels->v[i].shared_strings)
            *sst_path = part_path(rels->v[i].target);
    for (int pass = 0; pass < 2 && e.status == SHEET_OK && !*sheet_path; pass++)
        for (int i = 0; i < sheets->n && !*sheet_path; i++) {
            if (pass == 0 && sheets->v[i].hidden)
                continue;
            for (int k = 0; k < rels->n; k++)
                if (rels->v[k].worksheet && strcmp(rels->v[k].id, sheets->v[i].id) == 0) {
                    *sheet_path = part_path(rels->v[k].target);
                    break;
                }
        }
    refs_free(sheets);
    refs_free(rels);
    free(sheets);
    free(rels);
    return e;
}

/* ---- sharedStrings.xml ---- */

struct sst {
    struct grid *g;
    uint32_t *off;
    size_t n, cap;
    struct buf text;
    bool in_si, in_t;
    struct sheet_err err;
};

static enum walk_next sst_end_si(struct sst *s)
{
    s->in_si = s->in_t = false;
    uint32_t off;
    s->err = grid_intern(s->g, s->text.p ? s->text.p : "", s->text.len, &off);
    if (s->err.status != SHEET_OK)
        return WALK_STOP;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->off = realloc(s->off, s->cap * sizeof *s->off);
        if (!s->off)
            abort();
    }
    s->off[s->n++] = off;
    s->text.len = 0;
    return WALK_ON;
}

/* Each <si> is one string: plain <t>, or rich-text runs <r><t> to join. <rPh> holds phonetic guides for East
 * Asian text, which are not part of the string. */
static enum walk_next on_sst(void *ctx, xmlTextReaderPtr r, int type)
{
    struct sst *s = ctx;
    if (type == XML_READER_TYPE_ELEMENT) {
        const char *local = sml_name(r);
        bool empty = xmlTextReaderIsEmptyElement(r) == 1;
        if (is(local, "si")) {
            s->in_si = true;
            s->text.len = 0;
            if (empty)
                return sst_end_si(s);
        } else if (s->in_si && is(local, "rPh")) {
            return WALK_SKIP;
        } else if (s->in_si && is(local, "t")) {
            s->in_t = !empty;
        }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        const char *local = sml_name(r);
        if (is(local, "t"))
            s->in_t = false;
        else if (is(local, "si") && s->in_si)
            return sst_end_si(s);
    } else if (is_text(type) && s->in_t) {
        const char *v = (const char *)xmlTextReaderConstValue(r);
        if (v)
            buf_puts(&s->text, v);
    }
    return WALK_ON;
}

/* ---- the worksheet ---- */

enum ctype { T_NUMBER, T_SHARED, T_BOOL, T_TEXT };

struct ws {
    struct grid *g;
    const uint32_t *sst;
    size_t nsst;
    bool in_data, in_c, in_v, in_is, in_t, has_value;
    long row, col; /* position of the last row and cell seen, from 0; -1 before the first */
    enum ctype type;
    struct buf val;
    struct sheet_err err;
};

/* "12" → 12 when it is all digits and in [lo, hi]. */
static bool parse_uint(const char *s, size_t n, long lo, long hi, long *out)
{
    long v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > hi)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* "B7" → row 6, column 1. */
static bool parse_ref(const char *s, long *row, long *col)
{
    long c = 0;
    size_t i = 0;
    for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
        if (i == 3)
            return false;
        c = c * 26 + ((s[i] | 0x20) - 'a' + 1);
    }
    long r;
    if (i == 0 || c > XL_MAX_COL || !parse_uint(s + i, strlen(s + i), 1, XL_MAX_ROW, &r))
        return false;
    *row = r - 1;
    *col = c - 1;
    return true;
}

/* Writes a number as Excel's General format shows it: rounded to the 15 significant digits Excel keeps (so a
 * cached 0.30000000000000004 reads "0.3", as on screen), no trailing zeros, positional from 1E-7 to below 1E+21.
 * False when s is not a plain decimal number, which is then kept as text. */
static bool format_number(const char *s, size_t n, char out[64])
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t exp_digits = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            exp_digits++;
        if (exp_digits == 0)
            return false;
    }
    if (i != n)
        return false;
    double x = strtod(s, NULL); /* s is NUL-terminated right after the number: the caller sees to it */
    if (!isfinite(x))
        return false;
    if (x == 0) {
        strcpy(out, "0"); /* also for -0 */
        return true;
    }
    char e[40], d[16];
    snprintf(e, sizeof e, "%.14e", x); /* "-1.23450000000000e+03" */
    const char *p = e;
    bool neg = *p == '-';
    p += neg;
    size_t nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            d[nd++] = *p;
    int ex = atoi(p + 1);
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    char *o = out;
    if (neg)
        *o++ = '-';
    if (ex >= 21 || ex < -7) {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, nd - 1);
            o += nd - 1;
        }
        snprintf(o, 16, "E%c%02d", ex < 0 ? '-' : '+', abs(ex));
        return true;
    }
    if (ex < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int k = 0; k < -ex - 1; k++)
            *o++ = '0';
        memcpy(o, d, nd);
        o += nd;
    } else {
        for (size_t k = 0; k <= (size_t)ex; k++)
            *o++ = k < nd ? d[k] : '0';
        if (nd > (size_t)ex + 1) {
            *o++ = '.';
            memcpy(o, d + ex + 1, nd - (size_t)ex - 1);
            o += nd - (size_t)ex - 1;
        }
    }
    *o = 0;
    return true;
}

static void trim_ascii(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || (**s >= '\t' && **s <= '\r')))
        (*s)++, (*n)--;
    while (*n > 0 && ((*s)[*n - 1] == ' ' || ((*s)[*n - 1] >= '\t' && (*s)[*n - 1] <= '\r')))
        (*n)--;
}

static struct sheet_err end_cell(struct ws *w)
{
    w->in_c = w->in_v = w->in_is = w->in_t = false;
    if (!w->has_value)
        return SHEET_ERR_OK;
    if (!w->val.p)
        buf_put(&w->val, "", 0);
    const char *v = w->val.p;
    size_t n = w->val.len;
    trim_ascii(&v, &n);
    w->val.p[(size_t)(v - w->val.p) + n] = 0; /* the value is read once, so it can be cut in place */
    char num[64];
    long idx;
    switch (w->type) {
    case T_SHARED:
        if (!parse_uint(v, n, 0, LONG_MAX / 16, &idx) || (size_t)idx >= w->nsst)
            return ERR_CORRUPT;
        return grid_place(w->g, w->row, w->col, w->sst[idx]);
    case T_BOOL:
        if (n == 1 && (v[0] == '0' || v[0] == '1'))
            return grid_put(w->g, w->row, w->col, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5);
        break;
    case T_NUMBER:
        if (format_number(v, n, num))
            return grid_put(w->g, w->row, w->col, num, strlen(num));
        break;
    case T_TEXT:
        break;
    }
    return grid_put(w->g, w->row, w->col, v, n);
}

static enum ctype cell_type(xmlTextReaderPtr r)
{
    char *t = attr(r, "t");
    enum ctype c = !t || strcmp(t, "n") == 0 ? T_NUMBER
                   : strcmp(t, "s") == 0     ? T_SHARED
                   : strcmp(t, "b") == 0     ? T_BOOL
                                             : T_TEXT; /* inlineStr, str (formula text), e (#N/A), d (ISO date) */
    xmlFree(t);
    return c;
}

static struct sheet_err start_row(struct ws *w, xmlTextReaderPtr r)
{
    char *rs = attr(r, "r");
    long n = w->row + 2;
    bool ok = !rs || parse_uint(rs, strlen(rs), 1, XL_MAX_ROW, &n);
    xmlFree(rs);
    if (!ok)
        return ERR_CORRUPT;
    w->row = n - 1; /* rows without r follow on from the one before */
    w->col = -1;
    return SHEET_ERR_OK;
}

static struct sheet_err start_cell(struct ws *w, xmlTextReaderPtr r)
{
    char *rs = attr(r, "r");
    long row = w->row < 0 ? 0 : w->row, col = w->col + 1;
    bool ok = !rs || parse_ref(rs, &row, &col);
    xmlFree(rs);
    if (!ok || col >= XL_MAX_COL)
        return ERR_CORRUPT;
    w->row = row;
    w->col = col;
    w->type = cell_type(r);
    w->in_c = true;
    w->has_value = false;
    w->val.len = 0;
    return SHEET_ERR_OK;
}

static enum walk_next on_sheet(void *ctx, xmlTextReaderPtr r, int type)
{
    struct ws *w = ctx;
    if (type == XML_READER_TYPE_ELEMENT) {
        const char *local = sml_name(r);
        bool empty = xmlTextReaderIsEmptyElement(r) == 1;
        if (!w->in_data) {
            /* Only cells matter: column widths, merges, conditional formats and the rest are skipped whole. */
            if (is(local, "sheetData"))
                w->in_data = !empty;
            return is(local, "worksheet") || is(local, "sheetData") ? WALK_ON : WALK_SKIP;
        }
        if (is(local, "row")) {
            w->err = start_row(w, r);
        } else if (is(local, "c")) {
            w->err = start_cell(w, r);
            if (w->err.status == SHEET_OK && empty)
                w->err = end_cell(w);
        } else if (w->in_c && is(local, "v")) {
            w->has_value = true;
            w->in_v = !empty;
        } else if (w->in_c && is(local, "is")) {
            w->has_value = true;
            w->in_is = !empty;
        } else if (w->in_is && is(local, "t")) {
            w->in_t = !empty;
        } else if (w->in_c && !(w->in_is && is(local, "r"))) {
            return WALK_SKIP; /* <f> (the formula: its cached <v> is what counts), <rPr>, <rPh>, <extLst> */
        }
        return w->err.status == SHEET_OK ? WALK_ON : WALK_STOP;
    }
    if (type == XML_READER_TYPE_END_ELEMENT && w->in_data) {
        const char *local = sml_name(r);
        if (is(local, "sheetData"))
            w->in_data = false;
        else if (is(local, "v"))
            w->in_v = false;
        else if (is(local, "t"))
            w->in_t = false;
        else if (is(local, "is"))
            w->in_is = false;
        else if (is(local, "c") && w->in_c)
            w->err = end_cell(w);
        return w->err.status == SHEET_OK ? WALK_ON : WALK_STOP;
    }
    if (is_text(type) && (w->in_v || w->in_t)) {
        const char *v = (const char *)xmlTextReaderConstValue(r);
        if (v)
            buf_puts(&w->val, v);
    }
    return WALK_ON;
}

/* ---- the archive ---- */

static bool has(zip_t *za, const char *name)
{
    return zip_name_locate(za, name, ZIP_FL_NOCASE) >= 0;
}

/* Reads the shared strings (when there are any) and then the sheet, all under one inflation budget. */
static struct sheet_err read_sheet(zip_t *za, const char *sheet_path, const char *sst_path, size_t *budget,
                                   struct grid *g)
{
    zip_int64_t si = zip_name_locate(za, sheet_path, ZIP_FL_NOCASE);
    if (si < 0)
        return ERR_CORRUPT;
    struct sst sst = {.g = g, .err = SHEET_ERR_OK};
    struct buf xml = {0};
    struct sheet_err e = SHEET_ERR_OK;
    zip_int64_t ti = zip_name_locate(za, sst_path, ZIP_FL_NOCASE);
    if (ti >= 0) {
        e = read_part(za, ti, budget, &xml);
        if (e.status == SHEET_OK)
            e = walk(&xml, on_sst, &sst);
        if (e.status == SHEET_OK)
            e = sst.err;
        xml.len = 0;
    }
    if (e.status == SHEET_OK)
        e = read_part(za, si, budget, &xml);
    if (e.status == SHEET_OK) {
        struct ws w = {.g = g, .sst = sst.off, .nsst = sst.n, .row = -1, .col = -1, .err = SHEET_ERR_OK};
        e = walk(&xml, on_sheet, &w);
        /* A limit hit on the way stops the walk early, which must not read as a parse error. */
        if (w.err.status != SHEET_OK)
            e = w.err;
        buf_free(&w.val);
    }
    buf_free(&xml);
    buf_free(&sst.text);
    free(sst.off);
    return e;
}

struct sheet_err sheet_read_xlsx(const unsigned char *data, size_t len, struct grid *g)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return ERR_CORRUPT;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    zip_error_fini(&ze);
    if (!za) {
        zip_source_free(src);
        return ERR_CORRUPT; /* truncated: the central directory at the end is gone */
    }
    struct sheet_err e = SHEET_ERR_OK;
    char *sheet_path = NULL, *sst_path = NULL;
    /* One budget for every part, so two parts of 40 MB do not pass; and small for a small file, so a bomb stops
     * after a hundred times its size rather than after 64 MB. */
    size_t budget = extract_zip_budget(len, SHEET_MAX_XML);
    bool by_ratio = budget < SHEET_MAX_XML;
    zip_int64_t wb = zip_name_locate(za, "xl/workbook.xml", ZIP_FL_NOCASE);
    if (wb >= 0)
        e = find_parts(za, wb, &budget, &sheet_path, &sst_path);
    else if (has(za, "xl/workbook.bin"))
        e = ERR_XLSB;
    else if (has(za, "mimetype") && has(za, "content.xml"))
        e = ERR_ODS;
    else if (!has(za, "xl/worksheets/sheet1.xml"))
        e = ERR_NOT_XLSX; /* a DOCX, a zip of scans: nothing here is a spreadsheet */
    if (e.status == SHEET_OK)
        e = read_sheet(za, sheet_path ? sheet_path : "xl/worksheets/sheet1.xml",
                       sst_path ? sst_path : "xl/sharedStrings.xml", &budget, g);
    free(sheet_path);
    free(sst_path);
    zip_discard(za); /* also frees src */
    if (by_ratio && e.msg == SHEET_ERR_XML.msg)
        e = SHEET_ERR_RATIO;
    return e;
}
