/* Reads the body of a DOCX: paragraphs as lines (with Word's automatic list numbers), tables as markdown pipe
 * tables. Must not inflate past EXTRACT_MAX_EXPANDED, load DTDs or entities (XXE), or touch the network or disk. */
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/buf.h"
#include "import/extract.h"

#include "import/extract_internal.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define MAX_SPAN 64        /* Word allows 63 columns; a larger gridSpan is an attack on the output size */
#define MAX_LVL_TEXT 64    /* a level text like "%1.%2.%3." is short; a long one would repeat on every line */
#define MAX_LISTS 4096     /* list definitions kept from numbering.xml */
#define MAX_START 100000   /* list start values, so counters can never overflow an int */
#define NLVL 9             /* Word's list levels 0..8 */


enum ns { NS_OTHER, NS_W, NS_MC };

static enum ns node_ns(xmlTextReaderPtr r, const char **local)
{
    const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
    *local = (const char *)xmlTextReaderConstLocalName(r);
    if (!ns || !*local)
        return NS_OTHER;
    if (strcmp(ns, W_NS) == 0 || strcmp(ns, W_NS_STRICT) == 0)
        return NS_W;
    if (strcmp(ns, MC_NS) == 0)
        return NS_MC;
    return NS_OTHER;
}

/* w:val and friends are namespace-qualified in Word's output; some generators write them bare. */
static xmlChar *wattr(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST name, xmlTextReaderConstNamespaceUri(r));
    return v ? v : xmlTextReaderGetAttribute(r, BAD_CAST name);
}

static bool wattr_int(xmlTextReaderPtr r, const char *name, long lo, long hi, long *out)
{
    xmlChar *v = wattr(r, name);
    if (!v)
        return false;
    char *end;
    errno = 0;
    long x = strtol((const char *)v, &end, 10);
    bool ok = end != (char *)v && errno == 0;
    xmlFree(v);
    if (!ok)
        return false;
    *out = x < lo ? lo : x > hi ? hi : x;
    return true;
}

static void reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

/* ---- numbering.xml: enough of Word's list model to print "1.", "1.2.", "a)", "II." as the reader sees them ---- */

enum numfmt { FMT_DECIMAL, FMT_DECIMAL_ZERO, FMT_UPPER_ROMAN, FMT_LOWER_ROMAN, FMT_UPPER_LETTER, FMT_LOWER_LETTER,
              FMT_BULLET, FMT_NONE };

struct lvl {
    bool defined, legal;
    int start;
    enum numfmt fmt;
    char text[MAX_LVL_TEXT + 1];
};

struct abstract_num {
    long id;
    struct lvl lvl[NLVL];
    int count[NLVL];
    bool started[NLVL];
};

struct num {
    long id, abstract_id;
    int abs; /* index into numbering.abs, or -1 */
    bool has_override[NLVL], used[NLVL];
    int override[NLVL];
};

struct numbering {
    struct abstract_num *abs;
    int nabs, cap_abs;
    struct num *nums;
    int nnums, cap_nums;
};

/* Doubling growth: one realloc per list would copy the whole array thousands of times for a crafted file. */
static void *grow_array(void *p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return p;
    int c = *cap ? *cap * 2 : 16;
    p = realloc(p, (size_t)c * size);
    if (!p)
        abort(); /* as buf.c does: the sizes here are bounded, so running out means the machine is gone */
    *cap = c;
    return p;
}

static enum numfmt parse_fmt(const char *s)
{
    static const struct {
        const char *name;
        enum numfmt fmt;
    } fmts[] = {{"decimal", FMT_DECIMAL},         {"decimalZero", FMT_DECIMAL_ZERO}, {"upperRoman", FMT_UPPER_ROMAN},
                {"lowerRoman", FMT_LOWER_ROMAN},   {"upperLetter", FMT_UPPER_LETTER}, {"lowerLetter", FMT_LOWER_LETTER},
                {"bullet", FMT_BULLET},           {"none", FMT_NONE}};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
        if (strcmp(s, fmts[i].name) == 0)
            return fmts[i].fmt;
    return FMT_DECIMAL; /* ordinal, cardinalText, vietnameseCounting …: a number is closer than nothing */
}

/* Copies at most MAX_LVL_TEXT bytes without cutting a UTF-8 sequence in half. */
static void copy_lvl_text(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n > MAX_LVL_TEXT) {
        n = MAX_LVL_TEXT;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}

static int cmp_abs(const void *a, const void *b)
{
    long x = ((const struct abstract_num *)a)->id, y = ((const struct abstract_num *)b)->id;
    return (x > y) - (x < y);
}

static int cmp_num(const void *a, const void *b)
{
    long x = ((const struct num *)a)->id, y = ((const struct num *)b)->id;
    return (x > y) - (x < y);
}

static void numbering_start(struct numbering *nb, xmlTextReaderPtr r, const char *local, int *cur_abs, int *cur_lvl,
                            int *cur_num, int *cur_ov)
{
    long v;
    if (strcmp(local, "abstractNum") == 0) {
        if (nb->nabs >= MAX_LISTS)
            return;
        nb->abs = grow_array(nb->abs, &nb->cap_abs, nb->nabs + 1, sizeof *nb->abs);
        struct abstract_num *a = &nb->abs[nb->nabs];
        memset(a, 0, sizeof *a);
        a->id = wattr_int(r, "abstractNumId", LONG_MIN, LONG_MAX, &v) ? v : -1;
        for (int i = 0; i < NLVL; i++)
            a->lvl[i].start = 1;
        *cur_abs = nb->nabs++;
    } else if (strcmp(local, "lvl") == 0 && *cur_abs >= 0) {
        *cur_lvl = wattr_int(r, "ilvl", -1, NLVL, &v) && v >= 0 && v < NLVL ? (int)v : -1;
        if (*cur_lvl >= 0)
            nb->abs[*cur_abs].lvl[*cur_lvl].defined = true;
    } else if (*cur_abs >= 0 && *cur_lvl >= 0) {
        struct lvl *l = &nb->abs[*cur_abs].lvl[*cur_lvl];
        if (strcmp(local, "start") == 0 && wattr_int(r, "val", 0, MAX_START, &v)) {
            l->start = (int)v;
        } else if (strcmp(local, "numFmt") == 0 || strcmp(local, "lvlText") == 0) {
            xmlChar *s = wattr(r, "val");
            if (s) {
                if (local[0] == 'n')
                    l->fmt = parse_fmt((const char *)s);
                else
                    copy_lvl_text(l->text, (const char *)s);
                xmlFree(s);
            }
        } else if (strcmp(local, "isLgl") == 0) {
            xmlChar *s = wattr(r, "val");
            l->legal = !s || (strcmp((const char *)s, "0") != 0 && strcmp((const char *)s, "false") != 0 &&
                              strcmp((const char *)s, "off") != 0);
            xmlFree(s);
        }
    } else if (strcmp(local, "num") == 0) {
        if (nb->nnums >= MAX_LISTS)
            return;
        nb->nums = grow_array(nb->nums, &nb->cap_nums, nb->nnums + 1, sizeof *nb->nums);
        struct num *n = &nb->nums[nb->nnums];
        memset(n, 0, sizeof *n);
        n->id = wattr_int(r, "numId", LONG_MIN, LONG_MAX, &v) ? v : -1;
        n->abstract_id = -1;
        n->abs = -1;
        *cur_num = nb->nnums++;
    } else if (*cur_num >= 0) {
        struct num *n = &nb->nums[*cur_num];
        if (strcmp(local, "abstractNumId") == 0 && wattr_int(r, "val", LONG_MIN, LONG_MAX, &v))
            n->abstract_id = v;
        else if (strcmp(local, "lvlOverride") == 0)
            *cur_ov = wattr_int(r, "ilvl", -1, NLVL, &v) && v >= 0 && v < NLVL ? (int)v : -1;
        else if (strcmp(local, "startOverride") == 0 && *cur_ov >= 0 && wattr_int(r, "val", 0, MAX_START, &v)) {
            n->has_override[*cur_ov] = true;
            n->override[*cur_ov] = (int)v;
        }
    }
}

static void numbering_end(const char *local, int *cur_abs, int *cur_lvl, int *cur_num, int *cur_ov)
{
    if (strcmp(local, "abstractNum") == 0)
        *cur_abs = *cur_lvl = -1;
    else if (strcmp(local, "lvl") == 0)
        *cur_lvl = -1;
    else if (strcmp(local, "num") == 0)
        *cur_num = *cur_ov = -1;
    else if (strcmp(local, "lvlOverride") == 0)
        *cur_ov = -1;
}

/* Numbering is a nicety: a numbering.xml that does not parse leaves whatever was read, and the text stays. */
static void parse_numbering(const char *xml, size_t len, struct numbering *nb)
{
    struct xml_quiet_saved q = xml_quiet_begin();
    xmlTextReaderPtr r = xml_open_reader(xml, len);
    if (!r) {
        xml_quiet_end(q);
        return;
    }
    int cur_abs = -1, cur_lvl = -1, cur_num = -1, cur_ov = -1;
    while (xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        const char *local;
        if (type == XML_READER_TYPE_ELEMENT && node_ns(r, &local) == NS_W) {
            numbering_start(nb, r, local, &cur_abs, &cur_lvl, &cur_num, &cur_ov);
            if (xmlTextReaderIsEmptyElement(r) == 1)
                numbering_end(local, &cur_abs, &cur_lvl, &cur_num, &cur_ov);
        } else if (type == XML_READER_TYPE_END_ELEMENT && node_ns(r, &local) == NS_W) {
            numbering_end(local, &cur_abs, &cur_lvl, &cur_num, &cur_ov);
        }
    }
    xmlFreeTextReader(r);
    xml_quiet_end(q);
    if (nb->nabs)
        qsort(nb->abs, (size_t)nb->nabs, sizeof *nb->abs, cmp_abs);
    if (nb->nnums)
        qsort(nb->nums, (size_t)nb->nnums, sizeof *nb->nums, cmp_num);
    for (int i = 0; i < nb->nnums; i++) {
        struct abstract_num key = {.id = nb->nums[i].abstract_id};
        struct abstract_num *a =
            nb->nabs ? bsearch(&key, nb->abs, (size_t)nb->nabs, sizeof *nb->abs, cmp_abs) : NULL;
        nb->nums[i].abs = a ? (int)(a - nb->abs) : -1;
    }
}

static void put_roman(struct buf *b, int n, bool upper)
{
    static const struct {
        int v;
        const char *s;
    } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (; n >= r[i].v; n -= r[i].v)
            for (const char *p = r[i].s; *p; p++) {
                char c = upper ? (char)(*p - 'a' + 'A') : *p;
                buf_put(b, &c, 1);
            }
}

static void put_counter(struct buf *b, int n, enum numfmt fmt)
{
    switch (fmt) {
    case FMT_NONE:
    case FMT_BULLET:
        return;
    case FMT_UPPER_ROMAN:
    case FMT_LOWER_ROMAN:
        if (n >= 1 && n < 4000) {
            put_roman(b, n, fmt == FMT_UPPER_ROMAN);
            return;
        }
        break;
    case FMT_UPPER_LETTER:
    case FMT_LOWER_LETTER:
        /* Word goes a … z, aa … zz, aaa …; past a few rounds a number is more useful than a long run. */
        if (n >= 1 && n <= 26 * 8) {
            char c = (char)((fmt == FMT_UPPER_LETTER ? 'A' : 'a') + (n - 1) % 26);
            for (int i = 0; i <= (n - 1) / 26; i++)
                buf_put(b, &c, 1);
            return;
        }
        break;
    case FMT_DECIMAL_ZERO:
        if (n >= 0 && n < 10)
            buf_put(b, "0", 1);
        break;
    case FMT_DECIMAL:
        break;
    }
    buf_printf(b, "%d", n);
}

/* True when s holds a private-use character: Symbol and Wingdings bullets, which mean nothing outside Word. */
static bool has_private_use(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (p[0] == 0xEE || (p[0] == 0xEF && p[1] >= 0x80 && p[1] <= 0xA3))
            return true; /* U+E000..U+F8FF */
    return false;
}

/* Advances the list counters for one paragraph and writes its number ("2.1.", "b)", "-") into *b. */
static void number_paragraph(struct numbering *nb, long num_id, long ilvl, struct buf *b)
{
    struct num key = {.id = num_id};
    struct num *n = nb->nnums ? bsearch(&key, nb->nums, (size_t)nb->nnums, sizeof *nb->nums, cmp_num) : NULL;
    if (!n || n->abs < 0)
        return;
    struct abstract_num *a = &nb->abs[n->abs];
    int L = (int)ilvl;
    if (!a->lvl[L].defined)
        return;
    /* Lists that share one abstract definition share its counters, as in Word; a w:num that says
     * startOverride restarts the level the first time it is used ("Restart numbering" in Word). */
    if (n->has_override[L] && !n->used[L])
        a->count[L] = n->override[L];
    else if (a->started[L])
        a->count[L]++;
    else
        a->count[L] = a->lvl[L].start;
    a->started[L] = true;
    n->used[L] = true;
    for (int k = L + 1; k < NLVL; k++)
        a->started[k] = false;
    const struct lvl *lv = &a->lvl[L];
    if (lv->fmt == FMT_BULLET) {
        if (has_private_use(lv->text))
            buf_put(b, "-", 1);
        else
            buf_puts(b, lv->text);
        return;
    }
    for (const char *p = lv->text; *p; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int k = p[1] - '1';
            int v = a->started[k] ? a->count[k] : a->lvl[k].start;
            put_counter(b, v, lv->legal ? FMT_DECIMAL : a->lvl[k].fmt);
            p++;
        } else {
            buf_put(b, p, 1);
        }
    }
}

/* ---- document.xml ---- */

struct walk {
    struct buf out;      /* finished lines */
    struct buf para;     /* the open top-level paragraph */
    struct buf inner;    /* a paragraph inside it (a text box) */
    struct buf deferred; /* finished text-box paragraphs, one per line, printed after their anchor paragraph */
    struct buf cell;     /* the open cell of the outermost table, paragraphs joined with spaces, '|' escaped */
    struct buf row;      /* finished cells of the open row: "| a | b " */
    struct buf prefix;
    int p_depth, r_depth, t_depth, ppr_depth, tbl_depth;
    bool in_cell, header_done, has_num;
    int row_cells, span;
    long num_id, ilvl;
    struct numbering *nb;
};

static struct buf *cur_text(struct walk *w)
{
    return w->p_depth >= 2 ? &w->inner : &w->para;
}

static void flush_inner(struct walk *w)
{
    if (w->inner.len) {
        buf_put(&w->deferred, w->inner.p, w->inner.len);
        buf_put(&w->deferred, "\n", 1);
        reset(&w->inner);
    }
}

/* Adds one piece of text to the open cell: trimmed, space-separated, on one line, with '|' escaped so that the
 * pipe table keeps its columns. */
static void cell_add(struct walk *w, const char *s, size_t n)
{
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
        n--;
    if (!n)
        return;
    if (w->cell.len)
        buf_put(&w->cell, " ", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|')
            buf_put(&w->cell, "\\|", 2);
        else if (s[i] == '\n' || s[i] == '\t')
            buf_put(&w->cell, " ", 1);
        else
            buf_put(&w->cell, &s[i], 1);
    }
}

static void close_cell(struct walk *w)
{
    buf_put(&w->row, "| ", 2);
    buf_put(&w->row, w->cell.p ? w->cell.p : "", w->cell.len);
    buf_put(&w->row, " ", 1);
    /* A merged cell still takes its columns, so later cells stay under their headers. */
    for (int i = 1; i < w->span; i++)
        buf_put(&w->row, "|  ", 3);
    w->row_cells += w->span;
    w->in_cell = false;
    reset(&w->cell);
}

static void end_row(struct walk *w)
{
    if (w->in_cell)
        close_cell(w);
    if (w->row_cells > 0) {
        buf_put(&w->out, w->row.p, w->row.len);
        buf_put(&w->out, "|\n", 2);
        if (!w->header_done) {
            buf_put(&w->out, "|", 1);
            for (int i = 0; i < w->row_cells; i++)
                buf_put(&w->out, "---|", 4);
            buf_put(&w->out, "\n", 1);
            w->header_done = true;
        }
    }
    reset(&w->row);
    w->row_cells = 0;
}

static void end_paragraph(struct walk *w)
{
    if (w->p_depth == 0)
        return;
    if (w->p_depth >= 2) {
        flush_inner(w);
        w->p_depth--;
        return;
    }
    w->p_depth = 0;
    reset(&w->prefix);
    if (w->has_num && w->num_id > 0)
        number_paragraph(w->nb, w->num_id, w->ilvl, &w->prefix);
    if (w->prefix.len)
        buf_put(&w->prefix, " ", 1);
    if (w->tbl_depth > 0 && w->in_cell) {
        /* Paragraphs of a cell, and of any table nested in it, become one line of that cell. */
        buf_put(&w->prefix, w->para.p ? w->para.p : "", w->para.len);
        cell_add(w, w->prefix.p, w->prefix.len);
        cell_add(w, w->deferred.p, w->deferred.len);
    } else {
        buf_put(&w->out, w->prefix.p ? w->prefix.p : "", w->prefix.len);
        buf_put(&w->out, w->para.p ? w->para.p : "", w->para.len);
        buf_put(&w->out, "\n", 1);
        buf_put(&w->out, w->deferred.p ? w->deferred.p : "", w->deferred.len);
    }
    reset(&w->para);
    reset(&w->deferred);
}

static bool is_one_of(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}

/* Handles a w: start tag; returns true when its whole subtree is to be skipped. */
static bool on_start(struct walk *w, xmlTextReaderPtr r, const char *local)
{
    /* Properties, deleted text (tracked changes), field instructions ("PAGE", "TOC \o"), section settings and the
     * old state of changed properties: none of it is text the reader sees, and pPrChange holds stale numbering. */
    static const char *const skipped[] = {"rPr",     "pPrChange",    "rPrChange",     "sectPr",   "del",
                                          "moveFrom", "instrText",   "delText",       "delInstrText",
                                          "tblPr",   "tblGrid",      "trPr",          "tcPrChange", "tblPrEx",
                                          "fldData", "tblPrChange",  "tblGridChange", "trPrChange", NULL};
    long v;
    if (strcmp(local, "p") == 0) {
        w->p_depth++;
        if (w->p_depth == 1) {
            reset(&w->para);
            reset(&w->deferred);
            w->has_num = false;
            w->num_id = 0;
            w->ilvl = 0;
        } else {
            flush_inner(w);
        }
    } else if (strcmp(local, "r") == 0) {
        w->r_depth++;
    } else if (strcmp(local, "t") == 0) {
        w->t_depth++;
    } else if (strcmp(local, "pPr") == 0) {
        w->ppr_depth++;
    } else if (strcmp(local, "tab") == 0 || strcmp(local, "ptab") == 0) {
        /* Only a tab inside a run is a character; w:tabs/w:tab in paragraph properties is a tab stop. */
        if (w->r_depth > 0 && w->ppr_depth == 0 && w->p_depth > 0)
            buf_put(cur_text(w), "\t", 1);
    } else if (strcmp(local, "br") == 0 || strcmp(local, "cr") == 0) {
        if (w->r_depth > 0 && w->ppr_depth == 0 && w->p_depth > 0)
            buf_put(cur_text(w), "\n", 1);
    } else if (strcmp(local, "noBreakHyphen") == 0) {
        if (w->r_depth > 0 && w->p_depth > 0)
            buf_put(cur_text(w), "-", 1);
    } else if (strcmp(local, "numId") == 0) {
        if (w->ppr_depth > 0 && w->p_depth == 1 && wattr_int(r, "val", -1, LONG_MAX, &v)) {
            w->num_id = v;
            w->has_num = true;
        }
    } else if (strcmp(local, "ilvl") == 0) {
        if (w->ppr_depth > 0 && w->p_depth == 1 && wattr_int(r, "val", 0, NLVL - 1, &v))
            w->ilvl = v;
    } else if (strcmp(local, "tbl") == 0) {
        /* A table inside a text box is flattened to its paragraphs: only body and cell tables get pipes. */
        if (w->p_depth == 0 && ++w->tbl_depth == 1) {
            w->header_done = false;
            w->in_cell = false;
            w->row_cells = 0;
            reset(&w->row);
        }
    } else if (strcmp(local, "tr") == 0) {
        if (w->p_depth == 0 && w->tbl_depth == 1) {
            reset(&w->row);
            w->row_cells = 0;
            w->in_cell = false;
        }
    } else if (strcmp(local, "tc") == 0) {
        if (w->p_depth == 0 && w->tbl_depth == 1) {
            if (w->in_cell)
                close_cell(w);
            w->in_cell = true;
            w->span = 1;
            reset(&w->cell);
        }
    } else if (strcmp(local, "gridSpan") == 0) {
        if (w->p_depth == 0 && w->tbl_depth == 1 && w->in_cell && wattr_int(r, "val", 1, MAX_SPAN, &v))
            w->span = (int)v;
    } else if (is_one_of(local, skipped)) {
        return true;
    }
    return false;
}

static void on_end(struct walk *w, const char *local)
{
    if (strcmp(local, "p") == 0) {
        end_paragraph(w);
    } else if (strcmp(local, "r") == 0) {
        if (w->r_depth > 0)
            w->r_depth--;
    } else if (strcmp(local, "t") == 0) {
        if (w->t_depth > 0)
            w->t_depth--;
    } else if (strcmp(local, "pPr") == 0) {
        if (w->ppr_depth > 0)
            w->ppr_depth--;
    } else if (strcmp(local, "tc") == 0) {
        if (w->p_depth == 0 && w->tbl_depth == 1 && w->in_cell)
            close_cell(w);
    } else if (strcmp(local, "tr") == 0) {
        if (w->p_depth == 0 && w->tbl_depth == 1)
            end_row(w);
    } else if (strcmp(local, "tbl") == 0) {
        if (w->p_depth == 0 && w->tbl_depth > 0) {
            if (w->tbl_depth == 1 && (w->in_cell || w->row_cells))
                end_row(w);
            w->tbl_depth--;
        }
    }
}

static size_t walk_size(const struct walk *w)
{
    return w->out.len + w->para.len + w->inner.len + w->deferred.len + w->cell.len + w->row.len;
}

static void walk_free(struct walk *w)
{
    buf_free(&w->out);
    buf_free(&w->para);
    buf_free(&w->inner);
    buf_free(&w->deferred);
    buf_free(&w->cell);
    buf_free(&w->row);
    buf_free(&w->prefix);
}

static enum extract_status walk_document(const char *xml, size_t len, struct numbering *nb, char **out,
                                         size_t *out_len)
{
    struct xml_quiet_saved q = xml_quiet_begin();
    xmlTextReaderPtr r = xml_open_reader(xml, len);
    if (!r) {
        xml_quiet_end(q);
        return EXTRACT_CORRUPT;
    }
    struct walk w = {.nb = nb};
    enum extract_status st = EXTRACT_OK;
    int ret = xmlTextReaderRead(r);
    while (ret == 1) {
        int type = xmlTextReaderNodeType(r);
        bool skip = false;
        const char *local;
        if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
            /* Word never writes a DOCTYPE; one here can only be there to declare entities. */
            st = EXTRACT_CORRUPT;
            break;
        } else if (type == XML_READER_TYPE_ELEMENT) {
            enum ns ns = node_ns(r, &local);
            if (ns == NS_W) {
                skip = on_start(&w, r, local);
                if (!skip && xmlTextReaderIsEmptyElement(r) == 1)
                    on_end(&w, local);
            } else if (ns == NS_MC && strcmp(local, "Fallback") == 0) {
                skip = true; /* the same text box again, for old Word versions: keep only mc:Choice */
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (node_ns(r, &local) == NS_W)
                on_end(&w, local);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (w.t_depth > 0 && w.p_depth > 0) {
                const char *v = (const char *)xmlTextReaderConstValue(r);
                if (v)
                    buf_puts(cur_text(&w), v);
            }
        }
        /* Numbering prefixes and merged cells can make the text larger than the XML: same cap as inflation. */
        if (walk_size(&w) > EXTRACT_MAX_EXPANDED) {
            st = EXTRACT_BOMB;
            break;
        }
        ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
    }
    if (st == EXTRACT_OK && ret < 0)
        st = EXTRACT_CORRUPT;
    xmlFreeTextReader(r);
    xml_quiet_end(q);
    if (st == EXTRACT_OK) {
        *out_len = w.out.len;
        *out = buf_take(&w.out);
    }
    walk_free(&w);
    return st;
}

enum extract_status extract_docx_body(const unsigned char *data, size_t len, char **out, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return EXTRACT_CORRUPT;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    zip_error_fini(&ze);
    if (!za) {
        zip_source_free(src);
        return EXTRACT_CORRUPT;
    }
    zip_int64_t doc = zip_name_locate(za, "word/document.xml", ZIP_FL_NOCASE);
    if (doc < 0) {
        zip_discard(za);
        return EXTRACT_UNSUPPORTED; /* XLSX, ODT, a plain zip: not a Word document */
    }
    /* One budget for every entry read, so two entries of 99 MB do not pass a 100 MB limit; and at most 100 times
     * the file, so a small bomb stops early. */
    size_t budget = extract_zip_budget(len, EXTRACT_MAX_EXPANDED);
    struct buf xml = {0};
    struct numbering nb = {0};
    enum extract_status st = extract_zip_entry(za, doc, &budget, &xml);
    zip_int64_t numx = zip_name_locate(za, "word/numbering.xml", ZIP_FL_NOCASE);
    if (st == EXTRACT_OK && numx >= 0) {
        struct buf nx = {0};
        enum extract_status nst = extract_zip_entry(za, numx, &budget, &nx);
        if (nst == EXTRACT_OK)
            parse_numbering(nx.p ? nx.p : "", nx.len, &nb);
        else if (nst == EXTRACT_BOMB)
            st = nst;
        buf_free(&nx);
    }
    zip_discard(za); /* also frees src */
    if (st == EXTRACT_OK)
        st = walk_document(xml.p ? xml.p : "", xml.len, &nb, out, out_len);
    buf_free(&xml);
    free(nb.abs);
    free(nb.nums);
    return st;
}
