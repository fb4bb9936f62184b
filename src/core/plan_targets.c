/* Targets (chỉ tiêu) of a plan: rows of a targets table and target sentences ("đến năm 2030, kinh tế số chiếm trên
 * 30 % GDP"), with the value's operator and bounds where they can be read. Must not make tasks of them, nor invent a
 * value, year or agency the text does not give: what a row lacks becomes a warning for the reviewer. */
#include "core/plan_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"
#include "core/text.h"

#define TCELLS 32

enum { TC_NONE, TC_REF, TC_IND, TC_MEASURE, TC_VALUE, TC_AGENCY, TC_TASK };

/* The folded cell as lower-case words separated by single spaces. */
static void label(const struct fview *v, size_t s, size_t e, char *w, size_t cap)
{
    size_t n = 0;
    bool sp = true;
    for (size_t k = s; k < e && n + 1 < cap; k++) {
        char c = fv_tolower(v->f[k]);
        if (fv_alnum(c)) {
            w[n++] = c;
            sp = false;
        } else if (!sp) {
            w[n++] = ' ';
            sp = true;
        }
    }
    while (n && w[n - 1] == ' ')
        n--;
    w[n] = '\0';
}

static bool starts(const char *w, const char *p) { return strncmp(w, p, strlen(p)) == 0; }

static bool has_words(const char *w, const char *p)
{
    size_t n = strlen(p);
    for (const char *q = strstr(w, p); q; q = strstr(q + 1, p))
        if ((q == w || q[-1] == ' ') && (q[n] == '\0' || q[n] == ' '))
            return true;
    return false;
}

/* A year 1990..2100 written as a word of w ("năm 2030", "2025"), preferring one after "nam"; 0 when none. */
static int find_year(const char *w)
{
    int any = 0;
    for (const char *p = w; *p; p++) {
        if ((p != w && p[-1] != ' ') || !(fv_digit(p[0]) && fv_digit(p[1]) && fv_digit(p[2]) && fv_digit(p[3])) ||
            (p[4] && p[4] != ' '))
            continue;
        int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        if (y < 1990 || y > 2100)
            continue;
        if (p - w >= 4 && strncmp(p - 4, "nam ", 4) == 0)
            return y;
        if (!any)
            any = y;
    }
    return any;
}

static int col_kind(const char *w, bool have_ind, int *year)
{
    *year = 0;
    if (!*w)
        return TC_NONE;
    if (!strcmp(w, "tt") || !strcmp(w, "stt") || !strcmp(w, "so tt") || !strcmp(w, "so thu tu"))
        return TC_REF;
    if (has_words(w, "nhiem vu") || has_words(w, "cong viec") || has_words(w, "hoat dong"))
        return TC_TASK;
    if (has_words(w, "theo doi") || has_words(w, "chu tri") || starts(w, "co quan") || has_words(w, "dau moi") ||
        has_words(w, "thuc hien") || starts(w, "don vi phu trach"))
        return TC_AGENCY;
    if (starts(w, "don vi tinh") || !strcmp(w, "dvt") || !strcmp(w, "don vi") || starts(w, "don vi do"))
        return TC_MEASURE;
    int y = find_year(w);
    if (!have_ind && !y && (starts(w, "chi tieu") || starts(w, "ten chi tieu") || starts(w, "tieu chi") ||
                            starts(w, "noi dung chi tieu") || starts(w, "ten tieu chi")))
        return TC_IND;
    if (y) {
        *year = y;
        return TC_VALUE;
    }
    if (starts(w, "ket qua") || starts(w, "muc tieu") || starts(w, "gia tri") || starts(w, "ke hoach") ||
        starts(w, "chi tieu") || starts(w, "muc phan dau") || starts(w, "muc dat"))
        return TC_VALUE;
    return TC_NONE;
}

struct tcols {
    int kind[TCELLS], year[TCELLS];
    int n, ind, ref, measure, agency, nvalue;
    bool task;
};

static void classify(const struct fview *v, size_t s, size_t e, struct tcols *tc)
{
    uint32_t c[TCELLS][2];
    memset(tc, 0, sizeof *tc);
    tc->ind = tc->ref = tc->measure = tc->agency = -1;
    tc->n = pp_table_cells(v, s, e, c, TCELLS);
    for (int i = 0; i < tc->n; i++) {
        char w[160];
        label(v, c[i][0], c[i][1], w, sizeof w);
        int k = col_kind(w, tc->ind >= 0, &tc->year[i]);
        tc->kind[i] = k;
        if (k == TC_IND && tc->ind < 0)
            tc->ind = i;
        else if (k == TC_REF && tc->ref < 0)
            tc->ref = i;
        else if (k == TC_MEASURE && tc->measure < 0)
            tc->measure = i;
        else if (k == TC_AGENCY && tc->agency < 0)
            tc->agency = i;
        else if (k == TC_VALUE)
            tc->nvalue++;
        else if (k == TC_TASK)
            tc->task = true;
    }
}

bool pp_targets_header(const struct fview *v, size_t s, size_t e)
{
    struct tcols tc;
    classify(v, s, e, &tc);
    return tc.ind >= 0 && !tc.task && (tc.nvalue > 0 || tc.agency >= 0 || tc.measure >= 0);
}

/* ---- values ---- */

/* Vietnamese number: "12.500" is twelve thousand five hundred, "2,5" two and a half, "2.5" too. */
static bool read_number(const char *p, double *out, const char **end)
{
    if (!fv_digit(*p))
        return false;
    double x = 0, frac = 0, scale = 1;
    bool in_frac = false;
    const char *q = p;
    for (;;) {
        if (fv_digit(*q)) {
            if (in_frac) {
                scale /= 10;
                frac += (*q - '0') * scale;
            } else {
                x = x * 10 + (*q - '0');
            }
            q++;
        } else if ((*q == '.' || *q == ',') && fv_digit(q[1]) && !in_frac) {
            int run = 0;
            while (fv_digit(q[1 + run]))
                run++;
            if (*q == '.' && run == 3)
                q++; /* a thousands separator */
            else {
                in_frac = true;
                q++;
            }
        } else {
            break;
        }
    }
    *out = x + frac;
    *end = q;
    return true;
}

/* ASCII view of a value: lower-case letters without marks, "≥"/"≤" as ">="/"<=", dashes as '-'. */
static char *ascii_view(const char *s)
{
    size_t n = strlen(s);
    char *out = pp_xmalloc(n * 2 + 1), *w = out;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int l;
        if (*p < 0x80) {
            cp = *p;
            l = 1;
        } else if ((*p & 0xE0) == 0xC0 && p[1]) {
            cp = ((uint32_t)(*p & 0x1F) << 6) | (p[1] & 0x3F);
            l = 2;
        } else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = ((uint32_t)(*p & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            l = 3;
        } else {
            cp = ' ';
            l = 1;
            while (p[l] && (p[l] & 0xC0) == 0x80)
                l++;
        }
        p += l;
        if (cp == 0x2265) {
            memcpy(w, " >=", 3);
            w += 3;
        } else if (cp == 0x2264) {
            memcpy(w, " <=", 3);
            w += 3;
        } else if (cp == 0x2013 || cp == 0x2014 || cp == 0x2212 || cp == 0x2010) {
            *w++ = '-';
        } else if (cp < 0x80) {
            *w++ = fv_tolower((char)cp);
        } else {
            char c = text_fold_char(cp);
            *w++ = c ? fv_tolower(c) : ' ';
        }
    }
    *w = '\0';
    return out;
}

static bool word_at(const char *s, const char *p, const char *w)
{
    size_t n = strlen(w);
    for (const char *q = strstr(s, w); q && q < p; q = strstr(q + 1, w))
        if ((q == s || !fv_alnum(q[-1])) && !fv_alnum(q[n]))
            return true;
    return false;
}

bool plan_parse_value(const char *text, struct plan_value *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return false;
    char *a = ascii_view(text);
    out->percent = strchr(a, '%') != NULL;
    const char *p = a;
    while (*p && !fv_digit(*p))
        p++;
    double x, y;
    const char *e;
    if (!read_number(p, &x, &e)) {
        free(a);
        return false;
    }
    /* a second number joined by '-' or "đến": a range */
    const char *q = e;
    while (*q == ' ' || *q == '%')
        q++;
    bool range = false;
    if (*q == '-') {
        q++;
        while (*q == ' ')
            q++;
        range = read_number(q, &y, &e);
    } else if (strncmp(q, "den ", 4) == 0) {
        q += 4;
        range = read_number(q, &y, &e);
    }
    const char *op = "eq";
    /* Negated forms first: "không dưới" is at least, "không quá" at most. */
    if (range && y >= x)
        op = "range";
    else if (strstr(a, ">=") && strstr(a, ">=") < p)
        op = "ge";
    else if (strstr(a, "<=") && strstr(a, "<=") < p)
        op = "le";
    else if (word_at(a, p, "khong duoi") || word_at(a, p, "khong thap hon") || word_at(a, p, "it nhat") ||
             word_at(a, p, "toi thieu") || strstr(e, "tro len"))
        op = "ge";
    else if (word_at(a, p, "khong qua") || word_at(a, p, "khong vuot qua") || word_at(a, p, "toi da") ||
             word_at(a, p, "khong cao hon") || word_at(a, p, "top") || word_at(a, p, "nhom") ||
             word_at(a, p, "trong so") || strstr(e, "tro xuong"))
        op = "le";
    else if ((strchr(a, '>') && strchr(a, '>') < p) || word_at(a, p, "tren") || word_at(a, p, "hon") ||
             word_at(a, p, "vuot"))
        op = "gt";
    else if ((strchr(a, '<') && strchr(a, '<') < p) || word_at(a, p, "duoi") || word_at(a, p, "it hon") ||
             word_at(a, p, "thap hon"))
        op = "lt";
    snprintf(out->op, sizeof out->op, "%s", op);
    if (!strcmp(op, "range")) {
        out->lo = x;
        out->hi = y;
    } else if (!strcmp(op, "le") || !strcmp(op, "lt")) {
        out->hi = x;
    } else {
        out->lo = x;
    }
    free(a);
    return true;
}

/* ---- collecting ---- */

static struct plan_target *push(struct plan_doc *doc)
{
    doc->targets = pp_xrealloc(doc->targets, (size_t)(doc->ntargets + 1) * sizeof *doc->targets);
    struct plan_target *t = &doc->targets[doc->ntargets++];
    memset(t, 0, sizeof *t);
    return t;
}

static char *cell_text(const struct fview *v, uint32_t (*c)[2], int n, int i)
{
    if (i < 0 || i >= n || c[i][1] <= c[i][0])
        return NULL;
    char *s = pp_fv_extract(v, c[i][0], c[i][1]);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

static bool roman_or_letter(const char *s)
{
    if (!s || !*s)
        return false;
    size_t n = strlen(s);
    if (s[n - 1] == '.')
        n--;
    if (n == 1 && s[0] >= 'A' && s[0] <= 'Z')
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] != 'I' && s[i] != 'V' && s[i] != 'X')
            return false;
    return n > 0;
}

/* A heading in capitals: no lower-case ASCII letter, and letters at all (Vietnamese capitals are multi-byte). */
static bool upper_only(const char *s)
{
    int letters = 0;
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z')
            return false;
        letters += *s >= 'A' && *s <= 'Z';
    }
    return letters >= 3;
}

/* The year a table's context gives: the header row's, else one of the few lines above it ("Chỉ tiêu đến năm 2025"). */
static int context_year(const struct fview *v, const struct pstruct *ps, int l0)
{
    for (int l = l0 - 1, seen = 0; l >= 0 && seen < 3; l--) {
        if (ps->ln[l].kind == LK_BLANK)
            continue;
        seen++;
        char w[400];
        label(v, ps->ln[l].s, ps->ln[l].e, w, sizeof w);
        int y = find_year(w);
        if (y)
            return y;
    }
    return 0;
}

static void read_table(const struct fview *v, const struct pstruct *ps, int l0, int l1, struct plan_doc *doc, int year)
{
    struct tcols tc;
    classify(v, ps->ln[l0].s, ps->ln[l0].e, &tc);
    int cy = context_year(v, ps, l0);
    for (int l = l0 + 1; l < l1; l++) {
        uint32_t c[TCELLS][2];
        int m = pp_table_cells(v, ps->ln[l].s, ps->ln[l].e, c, TCELLS);
        bool sep = true, nums = true, any = false;
        for (int i = 0; i < m; i++)
            for (uint32_t k = c[i][0]; k < c[i][1]; k++) {
                char ch = v->f[k];
                any = true;
                if (ch != '-' && ch != ':' && ch != ' ')
                    sep = false;
                if (!fv_digit(ch) && ch != '(' && ch != ')')
                    nums = false;
            }
        if (!any || sep || (nums && m >= 3))
            continue;
        char *ref = cell_text(v, c, m, tc.ref), *ind = cell_text(v, c, m, tc.ind);
        char *measure = cell_text(v, c, m, tc.measure), *agency = cell_text(v, c, m, tc.agency);
        int nvals = 0;
        for (int i = 0; i < m && i < tc.n; i++)
            if (tc.kind[i] == TC_VALUE && c[i][1] > c[i][0])
                nvals++;
        /* A group row ("I | CHỈ TIÊU VỀ CHÍNH QUYỀN SỐ |  |") names a part of the table, not a target. */
        if (!nvals && !measure && !agency && (roman_or_letter(ref) || !ind || upper_only(ind))) {
            free(ref);
            free(ind);
            free(measure);
            free(agency);
            continue;
        }
        char w[400];
        label(v, ps->ln[l].s, ps->ln[l].e, w, sizeof w);
        int row_year = find_year(w);
        for (int i = 0; i < m && i < tc.n; i++) {
            bool has_value = tc.kind[i] == TC_VALUE && c[i][1] > c[i][0];
            if (!has_value && !(nvals == 0 && i == 0))
                continue;
            struct plan_target *t = push(doc);
            t->ref = pp_xstrdup(ref ? ref : "");
            t->indicator = pp_xstrdup(ind ? ind : "");
            t->measure = measure ? pp_xstrdup(measure) : NULL;
            t->agency = agency ? pp_xstrdup(agency) : NULL;
            t->src_start = v->off[ps->ln[l].s];
            t->src_end = v->off[ps->ln[l].e];
            if (has_value) {
                t->value = pp_fv_extract(v, c[i][0], c[i][1]);
                plan_parse_value(t->value, &t->v);
                if (!t->measure && t->v.percent)
                    t->measure = pp_xstrdup("%");
            }
            t->year = has_value && tc.year[i] ? tc.year[i] : row_year ? row_year : cy ? cy : year;
            if (!*t->indicator)
                pp_add_warning(&t->warnings, &t->nwarnings, "Dòng chỉ tiêu không ghi tên chỉ tiêu: cần xem lại.");
            if (!has_value)
                pp_add_warning(&t->warnings, &t->nwarnings, "Chưa có giá trị chỉ tiêu (kết quả, mục tiêu): cần điền.");
            if (tc.agency >= 0 && !t->agency)
                pp_add_warning(&t->warnings, &t->nwarnings, "Chưa rõ cơ quan chủ trì theo dõi: cần điền.");
            if (!t->year)
                pp_add_warning(&t->warnings, &t->nwarnings, "Chưa rõ năm đạt chỉ tiêu.");
        }
        free(ref);
        free(ind);
        free(measure);
        free(agency);
    }
}

static bool inside_task(const struct plan_doc *doc, size_t off)
{
    for (int i = 0; i < doc->ntasks; i++)
        if (off >= doc->tasks[i].src_start && off < doc->tasks[i].src_end)
            return true;
    return false;
}

static bool in_goal_section(const struct fview *v, const struct pstruct *ps, int item)
{
    for (int x = item, guard = 0; x > 0 && guard < 64; x = ps->it[x].parent, guard++)
        if (ps->it[x].excluded) {
            char w[64];
            label(v, ps->it[x].ts, ps->it[x].te < ps->it[x].ts + 40 ? ps->it[x].te : ps->it[x].ts + 40, w, sizeof w);
            return starts(w, "muc tieu") || starts(w, "chi tieu");
        }
    return false;
}

/* Start of the comparator words before the number that ends at folded index k ("trên", "ít nhất", "tối thiểu"). */
static size_t value_start(const struct fview *v, size_t s, size_t k)
{
    size_t j = k;
    while (j > s && (v->f[j - 1] == ' '))
        j--;
    while (j > s && (fv_digit(v->f[j - 1]) || v->f[j - 1] == '.' || v->f[j - 1] == ','))
        j--;
    /* "20 - 50 %" */
    size_t r = j;
    while (r > s && v->f[r - 1] == ' ')
        r--;
    if (r > s && v->f[r - 1] == '-') {
        size_t q = r - 1;
        while (q > s && v->f[q - 1] == ' ')
            q--;
        if (q > s && fv_digit(v->f[q - 1])) {
            while (q > s && (fv_digit(v->f[q - 1]) || v->f[q - 1] == '.' || v->f[q - 1] == ','))
                q--;
            j = q;
        }
    }
    static const char *const cmp[] = {"khong duoi ", "khong qua ", "khong vuot qua ", "it nhat ", "toi thieu ",
                                      "toi da ", "tren ", "duoi ", "hon ", "khoang ", "dat ", "dat tren ", "dat it nhat "};
    size_t best = j;
    for (size_t c = 0; c < sizeof cmp / sizeof cmp[0]; c++) {
        size_t n = strlen(cmp[c]);
        if (j >= s + n) {
            size_t a = j - n;
            bool ok = a == s || !fv_alnum(v->f[a - 1]);
            for (size_t i = 0; ok && i < n; i++)
                ok = fv_tolower(v->f[a + i]) == cmp[c][i];
            if (ok && a < best)
                best = a;
        }
    }
    return best;
}

/* "Đến năm 2030, …" opening a clause: skipped, its year kept. */
static size_t skip_year_lead(const struct fview *v, size_t s, size_t e)
{
    char w[80];
    label(v, s, e < s + 60 ? e : s + 60, w, sizeof w);
    static const char *const leads[] = {"phan dau den het nam ", "phan dau den nam ", "den het nam ", "den nam ",
                                        "trong nam ", "nam "};
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
        size_t n = strlen(leads[i]);
        if (strncmp(w, leads[i], n) || !fv_digit(w[n]))
            continue;
        /* walk the folded text past the same words and the year */
        size_t k = s, words = 0, want = 0;
        for (const char *p = leads[i]; *p; p++)
            want += *p == ' ';
        want++; /* the year */
        while (k < e && words < want) {
            while (k < e && !fv_alnum(v->f[k]))
                k++;
            while (k < e && fv_alnum(v->f[k]))
                k++;
            words++;
        }
        while (k < e && (v->f[k] == ',' || v->f[k] == ' ' || v->f[k] == ':'))
            k++;
        return k;
    }
    return s;
}

static void sentence_targets(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc, int year)
{
    int leadin = 0;
    for (int l = 0; l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind == LK_TABLE || ln->kind == LK_SKIP || ln->kind == LK_BLANK)
            continue;
        int ik = ps->it[ln->item].kind;
        bool bullet = ln->kind == LK_MARK && (ik == IK_DASH || ik == IK_PLUS || ik == IK_LETTER || ik == IK_PAREN);
        if (!bullet && ln->kind != LK_TEXT)
            leadin = 0;
        char w[600];
        label(v, ln->s, ln->e, w, sizeof w);
        bool colon = ln->e > ln->s && v->f[ln->e - 1] == ':';
        bool pct = memchr(v->f + ln->s, '%', ln->e - ln->s) != NULL;
        if (colon && !pct) {
            leadin = strstr(w, "den nam ") || strstr(w, "den het nam ") ? find_year(w) : 0;
            continue;
        }
        if (!pct || inside_task(doc, v->off[ln->s]))
            continue;
        bool goal = in_goal_section(v, ps, ln->item);
        /* clauses: split at ';' and at ". " */
        size_t cs = ln->s;
        for (size_t k = ln->s; k <= ln->e; k++) {
            bool cut = k == ln->e || v->f[k] == ';' || (v->f[k] == '.' && k + 1 < ln->e && v->f[k + 1] == ' ');
            if (!cut)
                continue;
            size_t ce = k;
            size_t a = cs;
            cs = k + 1;
            while (a < ce && (v->f[a] == ' ' || v->f[a] == '-' || v->f[a] == '+' || v->f[a] == '*'))
                a++;
            const char *pc = memchr(v->f + a, '%', ce - a);
            if (!pc)
                continue;
            size_t pk = (size_t)(pc - v->f);
            char cw[600];
            label(v, a, ce, cw, sizeof cw);
            int y = strstr(cw, "nam ") ? find_year(cw) : 0;
            if (!y)
                y = leadin;
            if (!y && goal)
                y = year;
            if (!y)
                continue; /* a percentage in passing, no target */
            size_t is = skip_year_lead(v, a, ce);
            size_t vs = value_start(v, a, pk);
            if (vs >= pk || is >= ce)
                continue;
            struct plan_target *t = push(doc);
            t->ref = pp_xstrdup("");
            t->indicator = pp_fv_extract(v, is, ce);
            size_t il = strlen(t->indicator);
            while (il && (t->indicator[il - 1] == '.' || t->indicator[il - 1] == ',' || t->indicator[il - 1] == ' '))
                t->indicator[--il] = '\0';
            if (t->indicator[0] >= 'a' && t->indicator[0] <= 'z')
                t->indicator[0] = (char)(t->indicator[0] - 32);
            t->value = pp_fv_extract(v, vs, pk + 1);
            plan_parse_value(t->value, &t->v);
            t->measure = pp_xstrdup("%");
            t->year = y;
            t->src_start = v->off[a];
            t->src_end = v->off[ce];
            for (int i = 0; i < doc->ntargets - 1; i++)
                if (!strcmp(doc->targets[i].indicator, t->indicator)) {
                    free(t->ref);
                    free(t->indicator);
                    free(t->value);
                    free(t->measure);
                    doc->ntargets--;
                    break;
                }
        }
    }
}

void pp_targets_collect(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc, int year)
{
    for (int i = 0; i < ps->nttab; i++)
        read_table(v, ps, ps->ttab[i][0], ps->ttab[i][1], doc, year);
    sentence_targets(v, ps, doc, year);
}
