/* Task tables in markdown pipe syntax (DOCX tables arrive converted): header cells matched by folded name, any order.
 * Must not assume that a column exists nor that a row has as many cells as the header. */
#include "core/plan_internal.h"

#include <stdio.h>
#include <string.h>

#define MAX_CELLS 32

struct cell {
    uint32_t s, e;
};

/* Splits one row into trimmed cells; the outer pipes do not make cells. */
static int split_row(const struct fview *v, size_t s, size_t e, struct cell *c)
{
    int n = 0;
    size_t a = s;
    if (a < e && v->f[a] == '|')
        a++;
    for (size_t i = a; i <= e && n < MAX_CELLS; i++) {
        bool bar = i < e && v->f[i] == '|' && !(v->off[i] > 0 && v->text[v->off[i] - 1] == '\\');
        if (i == e || bar) {
            size_t cs = a, ce = i;
            while (cs < ce && v->f[cs] == ' ')
                cs++;
            while (ce > cs && v->f[ce - 1] == ' ')
                ce--;
            if (!(i == e && cs == ce && n > 0)) /* nothing after the closing pipe */
                c[n++] = (struct cell){(uint32_t)cs, (uint32_t)ce};
            a = i + 1;
        }
    }
    return n;
}

int pp_table_cells(const struct fview *v, size_t s, size_t e, uint32_t (*cells)[2], int max)
{
    struct cell c[MAX_CELLS];
    int n = split_row(v, s, e, c);
    if (n > max)
        n = max;
    for (int i = 0; i < n; i++) {
        cells[i][0] = c[i].s;
        cells[i][1] = c[i].e;
    }
    return n;
}

static bool separator_row(const struct fview *v, const struct cell *c, int n)
{
    if (n == 0)
        return false;
    for (int i = 0; i < n; i++) {
        if (c[i].e == c[i].s)
            continue;
        for (size_t k = c[i].s; k < c[i].e; k++)
            if (v->f[k] != '-' && v->f[k] != ':' && v->f[k] != ' ')
                return false;
    }
    return true;
}


/* "(1) | (2) | (3)" under the header numbers the columns; it is not a task. */
static bool column_numbers(const struct fview *v, const struct cell *c, int n)
{
    int seen = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].e == c[i].s)
            continue;
        for (size_t k = c[i].s; k < c[i].e; k++)
            if (!fv_digit(v->f[k]) && v->f[k] != '(' && v->f[k] != ')')
                return false;
        seen++;
    }
    return seen >= 3;
}

static bool roman_or_capital(const struct fview *v, struct cell c)
{
    size_t n = c.e - c.s;
    if (n == 0)
        return false;
    size_t e = c.e;
    if (v->f[e - 1] == '.')
        e--;
    if (e == c.s)
        return false;
    if (e - c.s == 1 && fv_upper(v->f[c.s]))
        return true;
    for (size_t k = c.s; k < e; k++)
        if (v->f[k] != 'I' && v->f[k] != 'V' && v->f[k] != 'X')
            return false;
    return true;
}

static bool all_caps(const struct fview *v, struct cell c)
{
    int letters = 0;
    for (size_t k = c.s; k < c.e; k++) {
        if (fv_lower(v->f[k]))
            return false;
        letters += fv_upper(v->f[k]);
    }
    return letters >= 3;
}

static void copy_num(const struct fview *v, struct cell c, char *out, size_t cap)
{
    /* The number as printed, without a trailing dot; numbers are ASCII, anything else is cut. */
    size_t n = 0;
    size_t e = c.e;
    while (e > c.s && (v->f[e - 1] == '.' || v->f[e - 1] == ' '))
        e--;
    for (size_t k = c.s; k < e && n + 1 < cap; k++) {
        size_t bl = v->off[k + 1] - v->off[k];
        if (bl != 1)
            break;
        out[n++] = v->text[v->off[k]];
    }
    out[n] = '\0';
}

/* One table row as an item of the document structure: its number, title cells and source line. */
static int add_row_item(struct pstruct *ps, const struct fview *v, int kind, int rank, int owner, struct cell ref,
                        struct cell title, int l)
{
    int x = pp_pstruct_add_item(ps, kind, rank, owner);
    struct pitem *it = &ps->it[x];
    struct pline *ln = &ps->ln[l];
    copy_num(v, ref, it->num, sizeof it->num);
    it->ts = title.s;
    it->te = title.e;
    it->line0 = l;
    it->line1 = l + 1;
    it->src_s = ln->s;
    it->src_e = ln->e;
    ln->item = x;
    return x;
}

static int int_value(const char *s)
{
    int x = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (!fv_digit(*s) || x > 100000)
            return 0;
        x = x * 10 + (*s - '0');
    }
    return x;
}

int pp_ptable_read(const struct fview *v, struct pstruct *ps, int l0, int parent)
{
    int l1 = l0;
    while (l1 < ps->nln && ps->ln[l1].e > ps->ln[l1].s && v->f[ps->ln[l1].s] == '|') {
        ps->ln[l1].kind = LK_TABLE;
        ps->ln[l1].item = parent;
        l1++;
    }
    /* A targets table (TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi) holds data, not tasks: its rows
     * would read as tasks without a title. plan_targets.c reads it. */
    if (pp_targets_header(v, ps->ln[l0].s, ps->ln[l0].e)) {
        if (ps->nttab < (int)(sizeof ps->ttab / sizeof ps->ttab[0])) {
            ps->ttab[ps->nttab][0] = l0;
            ps->ttab[ps->nttab][1] = l1;
            ps->nttab++;
        }
        return l1;
    }
    struct cell c[MAX_CELLS];
    int n = split_row(v, ps->ln[l0].s, ps->ln[l0].e, c);
    int col[FK_OTHER + 1];
    for (int k = 0; k <= FK_OTHER; k++)
        col[k] = -1;
    int known = 0;
    for (int i = 0; i < n; i++) {
        int k = pp_field_label_kind(v, c[i].s, c[i].e);
        if (k && col[k] < 0) {
            col[k] = i;
            known++;
        }
    }
    /* A merged header cell ("Đơn vị" over "Chủ trì | Phối hợp") leaves the second header row as the first row
     * of data: take the kinds it names for the columns the first row left open. */
    int first = l0 + 1;
    for (int l = l0 + 1; l < l1 && l <= l0 + 2; l++) {
        int m = split_row(v, ps->ln[l].s, ps->ln[l].e, c);
        if (separator_row(v, c, m))
            continue;
        int added = 0;
        for (int i = 0; i < m; i++) {
            int k = c[i].e > c[i].s ? pp_field_label_kind(v, c[i].s, c[i].e) : 0;
            if (k && col[k] < 0) {
                bool open = true;
                for (int q = 0; q <= FK_OTHER; q++)
                    open = open && col[q] != i;
                if (open) {
                    col[k] = i;
                    added++;
                }
            }
        }
        if (added)
            first = l + 1;
        known += added;
        break;
    }
    if (known < 2 || (col[FK_TITLE] < 0 && col[FK_LEAD] < 0))
        return l1; /* not a task table (or no header we understand) */
    int group = -1, prev_num = 0, rows = 0;
    for (int l = first; l < l1; l++) {
        struct pline *ln = &ps->ln[l];
        int m = split_row(v, ln->s, ln->e, c);
        if (separator_row(v, c, m) || column_numbers(v, c, m))
            continue;
        struct cell ref = {0, 0}, title = {0, 0};
        if (col[FK_REF] >= 0 && col[FK_REF] < m)
            ref = c[col[FK_REF]];
        if (col[FK_TITLE] >= 0 && col[FK_TITLE] < m)
            title = c[col[FK_TITLE]];
        bool other = false;
        for (int k = FK_LEAD; k <= FK_DELIV; k++)
            if (col[k] >= 0 && col[k] < m && c[col[k]].e > c[col[k]].s)
                other = true;
        if (title.e == title.s && !other)
            continue;
        /* A group row: "I", "A", a title in capitals, or a number whose next row is numbered under it
         * ("1 | Nhóm nhiệm vụ …" then "1.1 | …"). */
        bool parent_of_next = false;
        if (!other && ref.e > ref.s && l + 1 < l1) {
            struct cell nc[MAX_CELLS];
            int nm = split_row(v, ps->ln[l + 1].s, ps->ln[l + 1].e, nc);
            if (col[FK_REF] < nm) {
                struct cell r2 = nc[col[FK_REF]];
                size_t rl = ref.e - ref.s;
                while (rl > 0 && v->f[ref.s + rl - 1] == '.')
                    rl--;
                parent_of_next = r2.e - r2.s > rl + 1 && memcmp(v->f + r2.s, v->f + ref.s, rl) == 0 &&
                                 v->f[r2.s + rl] == '.';
            }
        }
        if (roman_or_capital(v, ref) || parent_of_next || (!other && title.e > title.s && all_caps(v, title))) {
            int g = add_row_item(ps, v, IK_TGROUP, 40, parent, ref, title, l);
            group = g;
            prev_num = 0;
            continue;
        }
        int owner = group >= 0 ? group : parent;
        int x = add_row_item(ps, v, IK_TROW, 41, owner, ref, title, l);
        struct pitem *it = &ps->it[x];
        it->seq = ++rows;
        int val = int_value(it->num);
        if (val && prev_num && val != prev_num + 1) {
            char msg[120];
            snprintf(msg, sizeof msg, "Số thứ tự trong bảng nhảy hoặc lặp: %d đứng sau %d.", val, prev_num);
            it->warn = pp_xstrdup(msg);
        }
        if (val)
            prev_num = val;
        for (int k = FK_LEAD; k <= FK_DELIV; k++)
            if (col[k] >= 0 && col[k] < m && c[col[k]].e > c[col[k]].s)
                pp_pstruct_add_field(ps, x, k, c[col[k]].s, c[col[k]].e, false);
        for (int p = owner; p >= 0; p = ps->it[p].parent)
            if (ps->it[p].src_e < ln->e)
                ps->it[p].src_e = ln->e;
    }
    return l1;
}
