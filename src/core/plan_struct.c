/* The outline of a plan: lines, numbering markers (I., II.1., 1.2., a), -, +, Điều 1.), labelled fields, item tree.
 * Must not recurse (depth comes from the input) nor trust a marker, a number or an index without checking it. */
#include "core/plan_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 48

int pp_pstruct_add_item(struct pstruct *ps, int kind, int rank, int parent)
{
    if (ps->nit == ps->capit) {
        ps->capit = ps->capit ? ps->capit * 2 : 64;
        ps->it = pp_xrealloc(ps->it, (size_t)ps->capit * sizeof *ps->it);
    }
    struct pitem *it = &ps->it[ps->nit];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->rank = rank;
    it->parent = parent;
    it->line0 = it->line1 = -1;
    if (parent >= 0)
        ps->it[parent].nchild++;
    return ps->nit++;
}

void pp_pstruct_add_field(struct pstruct *ps, int item, int kind, uint32_t s, uint32_t e, bool cont)
{
    if (ps->nfd == ps->capfd) {
        ps->capfd = ps->capfd ? ps->capfd * 2 : 64;
        ps->fd = pp_xrealloc(ps->fd, (size_t)ps->capfd * sizeof *ps->fd);
    }
    ps->fd[ps->nfd++] = (struct pfield){item, kind, s, e, cont};
}

void pp_pstruct_free(struct pstruct *ps)
{
    for (int i = 0; i < ps->nit; i++)
        free(ps->it[i].warn);
    free(ps->it);
    free(ps->ln);
    free(ps->fd);
    memset(ps, 0, sizeof *ps);
}

/* Lower-case words of a folded range joined by single spaces, for label lookups; false when too long. */
static bool label_words(const struct fview *v, size_t s, size_t e, char *out, size_t cap, int *nwords)
{
    size_t n = 0;
    int words = 0;
    bool in = false;
    for (size_t i = s; i < e; i++) {
        char c = v->f[i];
        if (fv_alnum(c)) {
            if (!in) {
                if (n > 0) {
                    if (n + 1 >= cap)
                        return false;
                    out[n++] = ' ';
                }
                words++;
                in = true;
            }
            if (n + 1 >= cap)
                return false;
            out[n++] = fv_tolower(c);
        } else {
            in = false;
        }
    }
    out[n] = '\0';
    *nwords = words;
    return true;
}

static bool starts(const char *s, const char *p)
{
    size_t n = strlen(p);
    return strncmp(s, p, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

static bool has_words(const char *s, const char *p)
{
    size_t n = strlen(p);
    for (const char *q = s; (q = strstr(q, p)) != NULL; q++)
        if ((q == s || q[-1] == ' ') && (q[n] == '\0' || q[n] == ' '))
            return true;
    return false;
}

int pp_field_label_kind(const struct fview *v, size_t s, size_t e)
{
    char w[96];
    int nw;
    if (!label_words(v, s, e, w, sizeof w, &nw) || nw == 0 || nw > 8)
        return 0;
    if (has_words(w, "chu tri"))
        return FK_LEAD;
    if (has_words(w, "phoi hop"))
        return FK_PARTNER;
    static const char *const lead[] = {"don vi thuc hien", "co quan thuc hien", "don vi dau moi", "co quan dau moi",
                                       "dau moi", "trach nhiem thuc hien", "don vi trien khai"};
    for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
        if (starts(w, lead[i]))
            return FK_LEAD;
    static const char *const due[] = {"thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian",
                                      "thoi diem", "han chot"};
    for (size_t i = 0; i < sizeof due / sizeof due[0]; i++)
        if (starts(w, due[i]))
            return FK_DUE;
    if (has_words(w, "san pham") || starts(w, "ket qua"))
        return FK_DELIV;
    if (!strcmp(w, "tt") || !strcmp(w, "stt") || !strcmp(w, "so tt") || !strcmp(w, "so thu tu"))
        return FK_REF;
    static const char *const title[] = {"ten nhiem vu", "nhiem vu", "noi dung", "cong viec", "hoat dong",
                                        "ten hoat dong", "ten de an", "ten cong viec", "ten du an", "du an"};
    for (size_t i = 0; i < sizeof title / sizeof title[0]; i++)
        if (starts(w, title[i]))
            return FK_TITLE;
    return 0;
}

bool pp_title_excluded(const struct fview *v, size_t s, size_t e)
{
    char w[96];
    int nw;
    size_t lim = e - s > 80 ? s + 80 : e;
    if (!label_words(v, s, lim, w, sizeof w, &nw))
        return false;
    static const char *const ex[] = {"muc dich", "muc tieu", "yeu cau", "y nghia", "tinh than", "chu de",
                                     "kinh phi", "thoi gian", "hinh thuc", "quan diem", "can cu", "pham vi",
                                     "doi tuong", "dieu khoan thi hanh", "hieu luc", "noi nhan", "co so phap ly",
                                     "su can thiet", "boi canh", "thuc trang", "nguon kinh phi", "du toan"};
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        if (starts(w, ex[i]))
            return true;
    return false;
}

/* Top-level parts that look back ("ĐÁNH GIÁ KẾT QUẢ NĂM 2024") tell what was done, not what is assigned. A task
 * titled "Đánh giá kết quả …" is still a task, so this applies to parts only. */
static bool part_retrospective(const struct fview *v, size_t s, size_t e)
{
    char w[96];
    int nw;
    size_t lim = e - s > 80 ? s + 80 : e;
    if (!label_words(v, s, lim, w, sizeof w, &nw))
        return false;
    static const char *const ex[] = {"danh gia ket qua", "ket qua thuc hien", "tinh hinh thuc hien",
                                     "danh gia tinh hinh", "tong quan"};
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++)
        if (starts(w, ex[i]))
            return true;
    return false;
}

/* ---- markers ---- */

struct marker {
    int kind, rank, depth;
    char num[24];
    uint32_t cs; /* content start (folded) */
    int val;     /* value compared with the previous sibling */
};

static int roman_value(const char *s, size_t n)
{
    static const char *const r[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
                                    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"};
    for (int i = 0; i < 20; i++)
        if (strlen(r[i]) == n && strncmp(r[i], s, n) == 0)
            return i + 1;
    return 0;
}

/* Letters of a Vietnamese list, in order (no f, j, w, z). */
static int letter_index(int32_t cp)
{
    static const int32_t seq[] = {'a', 'b', 'c', 'd', 0x111, 'e', 'g', 'h', 'i', 'k', 'l', 'm',
                                  'n', 'o', 'p', 'q', 'r',   's', 't', 'u', 'v', 'x', 'y'};
    for (int i = 0; i < (int)(sizeof seq / sizeof seq[0]); i++)
        if (seq[i] == cp)
            return i + 1;
    return 0;
}

static bool caps_rest(const struct fview *v, size_t s, size_t e)
{
    int letters = 0;
    for (size_t i = s; i < e; i++) {
        if (fv_lower(v->f[i]))
            return false;
        letters += fv_upper(v->f[i]);
    }
    return letters >= 3;
}

static bool parse_marker(const struct fview *v, size_t s, size_t e, struct marker *m)
{
    const char *f = v->f;
    memset(m, 0, sizeof *m);
    if (s >= e)
        return false;
    size_t i = s;
    /* bullets: "- x", "+ x", "- + x", "-x" */
    if (f[i] == '-' || f[i] == '+') {
        bool plus = f[i] == '+';
        i++;
        while (i < e && f[i] == ' ')
            i++;
        if (!plus && i + 1 < e && f[i] == '+' && f[i + 1] == ' ') {
            plus = true;
            i += 2;
        }
        if (i >= e || (i == s + 1 && !fv_alnum(f[i]) && f[i] != '"' && f[i] != '('))
            return false;
        if (i == s + 1 && fv_digit(f[i]))
            return false; /* "-10%" */
        m->kind = plus ? IK_PLUS : IK_DASH;
        m->rank = plus ? 31 : 30;
        m->cs = (uint32_t)i;
        return true;
    }
    /* Điều 3. */
    size_t end;
    if (pp_fv_word(v, i, "Điều", false, &end) && end + 1 < e && f[end] == ' ' && fv_digit(f[end + 1])) {
        size_t j = end + 1;
        int x = 0;
        while (j < e && fv_digit(f[j]) && x < 1000)
            x = x * 10 + (f[j++] - '0');
        if (j < e && (f[j] == '.' || f[j] == ':' || f[j] == ' ')) {
            m->kind = IK_ARTICLE;
            m->rank = 0;
            m->val = x;
            snprintf(m->num, sizeof m->num, "%d", x);
            j++;
            while (j < e && f[j] == ' ')
                j++;
            m->cs = (uint32_t)j;
            return true;
        }
    }
    /* "PHẦN I.", "Phần II:", "CHƯƠNG 1." open parts at the level of Roman sections. */
    if (pp_fv_key(v, i, "phan", &end) || pp_fv_key(v, i, "chuong", &end)) {
        size_t j = end;
        while (j < e && v->f[j] == ' ')
            j++;
        size_t k = j;
        while (k < e && (fv_digit(f[k]) || f[k] == 'I' || f[k] == 'V' || f[k] == 'X') && k - j < 6)
            k++;
        if (k > j && (k == e || f[k] == '.' || f[k] == ':' || f[k] == ' ') && fv_upper(f[i])) {
            m->kind = IK_ROMAN;
            m->rank = 0;
            m->val = 0; /* parts are not checked for gaps */
            snprintf(m->num, sizeof m->num, "%.*s", (int)(k - j), f + j);
            while (k < e && (f[k] == '.' || f[k] == ':' || f[k] == ' '))
                k++;
            m->cs = (uint32_t)k;
            return true;
        }
    }
    /* Parts lettered in capitals with a heading in capitals: "A. MỤC TIÊU", "B. NHIỆM VỤ CỤ THỂ". */
    if (f[i] >= 'A' && f[i] <= 'H' && i + 2 < e && f[i + 1] == '.' && f[i + 2] == ' ' && caps_rest(v, i + 3, e)) {
        m->kind = IK_ROMAN;
        m->rank = 0;
        m->val = f[i] - 'A' + 1;
        m->num[0] = f[i];
        m->cs = (uint32_t)(i + 3);
        return true;
    }
    /* Roman: "II.", "IV ", "II.1." */
    size_t j = i;
    while (j < e && j - i < 6 && (f[j] == 'I' || f[j] == 'V' || f[j] == 'X'))
        j++;
    int rv = j > i ? roman_value(f + i, j - i) : 0;
    if (rv && j < e) {
        if ((f[j] == '.' || f[j] == ')') && (j + 1 == e || f[j + 1] == ' ')) {
            m->kind = IK_ROMAN;
            m->rank = 0;
            m->val = rv;
            snprintf(m->num, sizeof m->num, "%.*s", (int)(j - i), f + i);
            m->cs = (uint32_t)(j + 1 < e ? j + 2 : e);
            return true;
        }
        if (f[j] == '.' && j + 1 < e && fv_digit(f[j + 1])) {
            size_t q = j + 1;
            int x = 0;
            while (q < e && fv_digit(f[q]) && q - j <= 3)
                x = x * 10 + (f[q++] - '0');
            if (q < e && f[q] == '.')
                q++;
            if (q >= e || f[q] == ' ') {
                m->kind = IK_ROMAN_SUB;
                m->rank = 1;
                m->val = x;
                snprintf(m->num, sizeof m->num, "%.*s", (int)(q - i), f + i);
                size_t nl = strlen(m->num);
                if (nl && m->num[nl - 1] == '.')
                    m->num[nl - 1] = '\0';
                m->cs = (uint32_t)(q < e ? q + 1 : e);
                return true;
            }
        }
        if (f[j] == ' ' && caps_rest(v, j, e)) {
            m->kind = IK_ROMAN;
            m->rank = 0;
            m->val = rv;
            snprintf(m->num, sizeof m->num, "%.*s", (int)(j - i), f + i);
            m->cs = (uint32_t)(j + 1);
            return true;
        }
    }
    /* Arabic: "1.", "1)", "2.1.", "2.1 ", "(1)" */
    bool paren = f[i] == '(';
    j = paren ? i + 1 : i;
    int comps = 0, last = 0;
    size_t numstart = j;
    while (j < e && fv_digit(f[j]) && comps < 6) {
        size_t d0 = j;
        int x = 0;
        while (j < e && fv_digit(f[j]) && j - d0 < 3)
            x = x * 10 + (f[j++] - '0');
        if (j < e && fv_digit(f[j]))
            return false; /* 4+ digits: a year or an amount */
        if (comps > 0 && j - d0 > 1 && f[d0] == '0')
            return false; /* "1.000 chuyên gia" */
        comps++;
        last = x;
        if (j + 1 < e && f[j] == '.' && fv_digit(f[j + 1]))
            j++;
        else
            break;
    }
    if (comps > 0 && j <= e) {
        size_t numend = j;
        bool closer = j < e && (f[j] == '.' || f[j] == ')');
        if (paren && !(j < e && f[j] == ')'))
            return false;
        if (closer)
            j++;
        if ((closer || comps >= 2) && (j == e || f[j] == ' ') && !(j + 1 < e && f[j + 1] == '%')) {
            if (paren) {
                m->kind = IK_PAREN;
                m->rank = 25;
            } else {
                m->kind = IK_ARABIC;
                m->rank = 1 + comps;
            }
            m->depth = comps;
            m->val = last;
            snprintf(m->num, sizeof m->num, "%.*s", (int)(numend - numstart), f + numstart);
            m->cs = (uint32_t)(j < e ? j + 1 : e);
            return true;
        }
        return false;
    }
    /* Letter: "a)", "đ)", "b." */
    if (fv_lower(f[i]) && i + 1 < e && (f[i + 1] == ')' || f[i + 1] == '.') && (i + 2 == e || f[i + 2] == ' ')) {
        int32_t cp = pp_fv_cp(v, i);
        int li = letter_index(cp);
        if (li || cp == 'f' || cp == 'j' || cp == 'w' || cp == 'z') {
            m->kind = IK_LETTER;
            m->rank = 20;
            m->val = li;
            size_t bl = v->off[i + 1] - v->off[i];
            if (bl < sizeof m->num)
                memcpy(m->num, v->text + v->off[i], bl);
            m->cs = (uint32_t)(i + 2 < e ? i + 3 : e);
            return true;
        }
    }
    return false;
}

/* ---- lines ---- */

static bool line_is_caps(const struct fview *v, size_t s, size_t e)
{
    return caps_rest(v, s, e);
}

/* Joins lines broken inside a sentence (page breaks in converted PDFs: "… các cơ sở\n\nđào tạo tại …"): a line
 * that starts in lower case, or with a number that is not a marker, continues the previous line unless that one
 * ended a sentence. Works in place on the folded view; positions keep mapping to the original text. */
static void join_lines(struct fview *v)
{
    char *f = v->f;
    size_t n = v->n, prev_s = 0, prev_e = 0;
    bool have_prev = false;
    size_t i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && f[i] != '\n')
            i++;
        size_t e = i;
        if (i < n)
            i++;
        if (s == e)
            continue;
        if (have_prev && f[s] != '|' && f[prev_s] != '|') {
            char last = f[prev_e - 1];
            bool ended = last == '.' || last == ':' || last == ';' || last == '!' || last == '?';
            struct marker m;
            bool lower = fv_lower(f[s]) || (fv_digit(f[s]) && !parse_marker(v, s, e, &m));
            /* A line ending on a comma or a word that needs what follows ("phối hợp với", "và") is cut too,
             * whatever the next line starts with. */
            static const char *const dangling[] = {"với", "và", "của", "cho", "các", "tại", "theo", "về", "gồm",
                                                   "hoặc", "là", "đến", "trong", "thuộc", "nghị", "giao"};
            size_t w0 = prev_e;
            while (w0 > prev_s && fv_alnum(f[w0 - 1]))
                w0--;
            bool dangle = last == ',';
            for (size_t k = 0; k < sizeof dangling / sizeof dangling[0] && !dangle && w0 < prev_e; k++) {
                size_t end;
                dangle = pp_fv_word(v, w0, dangling[k], false, &end) && end == prev_e;
            }
            if (dangle && !parse_marker(v, s, e, &m) && !line_is_caps(v, s, e))
                lower = true, ended = false;
            if (lower && !ended && !(fv_lower(f[s]) && parse_marker(v, s, e, &m))) {
                /* Every newline between the two lines becomes one space: the first turns into ' ', the rest are
                 * marked for removal below. */
                bool first = true;
                for (size_t k = prev_e; k < s; k++)
                    if (f[k] == '\n') {
                        f[k] = first ? ' ' : '\x01';
                        first = false;
                    }
            }
        }
        prev_s = s;
        prev_e = e;
        have_prev = true;
    }
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        if (f[r] == '\x01')
            continue;
        f[w] = f[r];
        v->off[w] = v->off[r];
        w++;
    }
    v->off[w] = v->off[n];
    f[w] = '\0';
    v->n = w;
}

struct frame {
    int item;
    int last[IK_PROSE + 1]; /* value of the previous child of each kind */
    int count[IK_PROSE + 1];
    char lastnum[IK_PROSE + 1][24];
};

static void set_warn(struct pitem *it, const char *msg)
{
    if (!it->warn)
        it->warn = pp_xstrdup(msg);
}

/* Checks a new child's number against its previous sibling of the same kind. */
static void check_sequence(struct pstruct *ps, struct frame *fr, int item, const struct marker *m)
{
    int k = m->kind;
    ps->it[item].seq = ++fr->count[k];
    if (k == IK_DASH || k == IK_PLUS)
        return;
    int prev = fr->last[k];
    char prevnum[24];
    memcpy(prevnum, fr->lastnum[k], sizeof prevnum);
    fr->last[k] = m->val;
    memcpy(fr->lastnum[k], m->num, sizeof fr->lastnum[k]);
    if (fr->count[k] == 1 || m->val == 0 || prev == 0)
        return;
    char msg[160];
    if (m->val > prev + 1) {
        snprintf(msg, sizeof msg, "Số thứ tự nhảy: mục %s đứng ngay sau mục %s (thiếu mục ở giữa).", m->num,
                 prevnum);
        set_warn(&ps->it[item], msg);
    } else if (m->val <= prev) {
        snprintf(msg, sizeof msg, "Số thứ tự lặp hoặc lùi: mục %s đứng sau mục %s.", m->num, prevnum);
        set_warn(&ps->it[item], msg);
    }
}

static bool prefix_of(const char *parent, const char *child)
{
    size_t n = strlen(parent);
    return strncmp(parent, child, n) == 0 && child[n] == '.';
}

void pp_pstruct_build(const struct fview *cv, struct pstruct *ps)
{
    struct fview *v = (struct fview *)cv; /* join_lines edits only the folded copy this parser owns */
    join_lines(v);
    memset(ps, 0, sizeof *ps);
    /* lines */
    int cap = 64;
    ps->ln = pp_xmalloc((size_t)cap * sizeof *ps->ln);
    for (size_t i = 0; i <= v->n;) {
        size_t s = i;
        while (i < v->n && v->f[i] != '\n')
            i++;
        if (ps->nln == cap) {
            cap *= 2;
            ps->ln = pp_xrealloc(ps->ln, (size_t)cap * sizeof *ps->ln);
        }
        ps->ln[ps->nln++] = (struct pline){(uint32_t)s, (uint32_t)i, 0, LK_BLANK};
        if (i >= v->n)
            break;
        i++;
    }
    ps->first_mark_line = ps->nln;
    int root = pp_pstruct_add_item(ps, IK_ROOT, -1, -1);
    ps->it[root].src_s = 0;
    ps->it[root].src_e = (uint32_t)v->n;
    struct frame stack[MAX_DEPTH];
    int sp = 0;
    memset(&stack[0], 0, sizeof stack[0]);
    stack[0].item = root;
    bool skip = false, field_open = false, field_empty = false;
    int field_item = -1, field_kind = 0;
    for (int l = 0; l < ps->nln; l++) {
        struct pline *ln = &ps->ln[l];
        size_t s = ln->s, e = ln->e;
        ln->item = stack[sp].item;
        if (s == e) {
            ln->kind = LK_BLANK;
            continue;
        }
        struct marker m;
        bool mark = parse_marker(v, s, e, &m);
        bool caps = !mark && line_is_caps(v, s, e);
        if (skip) {
            if (!(caps || (mark && (m.kind == IK_ROMAN || m.kind == IK_ARTICLE)) || v->f[s] == '|')) {
                ln->kind = LK_SKIP;
                continue;
            }
            skip = false;
        }
        size_t end;
        if (pp_fv_key(v, s, "noi nhan", &end) || (pp_fv_word(v, s, "Trên đây là", true, &end))) {
            /* Recipients list or the closing formula: nothing below belongs to a task until a new part starts. */
            ln->kind = LK_SKIP;
            skip = pp_fv_key(v, s, "noi nhan", NULL);
            sp = 0;
            field_open = false;
            continue;
        }
        if (v->f[s] == '|') {
            /* A table belongs to the section it stands in, unless the line before introduces it ("… sau:"). */
            int pl = l - 1;
            while (pl >= 0 && ps->ln[pl].s == ps->ln[pl].e)
                pl--;
            bool intro = pl >= 0 && v->f[ps->ln[pl].e - 1] == ':';
            while (sp > 0 && !intro && ps->it[stack[sp].item].kind != IK_ROMAN &&
                   ps->it[stack[sp].item].kind != IK_ROMAN_SUB && ps->it[stack[sp].item].kind != IK_ARTICLE)
                sp--;
            int next = pp_ptable_read(v, ps, l, stack[sp].item);
            field_open = false;
            l = next - 1;
            continue;
        }
        /* Labelled field: "- Đơn vị chủ trì: …", "Thời gian hoàn thành: …" */
        bool bullet = mark && (m.kind == IK_DASH || m.kind == IK_PLUS);
        /* "a) Đơn vị chủ trì: …" lists the fields of the item above, it is not a sub-item. */
        bool lettered = mark && (m.kind == IK_LETTER || m.kind == IK_PAREN);
        size_t cs = bullet || lettered ? m.cs : s;
        int fk = 0;
        size_t colon = 0;
        if (!mark || bullet || lettered) {
            for (size_t k = cs; k < e && k < cs + 64; k++)
                if (v->f[k] == ':') {
                    colon = k;
                    break;
                }
            if (colon > cs) {
                fk = pp_field_label_kind(v, cs, colon);
                if (fk == FK_TITLE || fk == FK_REF)
                    fk = FK_OTHER;
                if (lettered && fk == FK_OTHER)
                    fk = 0;
                if (!fk && bullet && m.kind == IK_DASH && fv_upper(v->f[cs])) {
                    char w[96];
                    int nw;
                    struct toks ts = {0};
                    pp_toks_scan(&ts, v, cs, colon);
                    bool unit = pp_units_starter(v, &ts, 0, true);
                    pp_toks_free(&ts);
                    if (label_words(v, cs, colon, w, sizeof w, &nw) && nw <= 4 && !unit && !fv_digit(w[0]))
                        fk = FK_OTHER; /* "- Hoạt động chính: …" describes the item above */
                }
            }
        }
        if (field_open && (m.kind == IK_PLUS || (!mark && !fk && field_empty))) {
            size_t vs = m.kind == IK_PLUS ? m.cs : s;
            ln->kind = LK_FIELD;
            ln->item = field_item;
            pp_pstruct_add_field(ps, field_item, field_kind, (uint32_t)vs, (uint32_t)e, true);
            continue;
        }
        field_open = false;
        if (fk) {
            while (sp > 0 && (ps->it[stack[sp].item].kind == IK_DASH || ps->it[stack[sp].item].kind == IK_PLUS) &&
                   bullet)
                sp--;
            while (sp > 0 && lettered && ps->it[stack[sp].item].rank >= m.rank)
                sp--;
            int target = stack[sp].item;
            size_t vs = colon + 1;
            while (vs < e && v->f[vs] == ' ')
                vs++;
            ln->kind = LK_FIELD;
            ln->item = target;
            pp_pstruct_add_field(ps, target, fk, (uint32_t)vs, (uint32_t)e, false);
            field_open = true;
            field_empty = vs >= e;
            field_item = target;
            field_kind = fk;
            for (int q = 0; q <= sp; q++)
                if (ps->it[stack[q].item].src_e < e)
                    ps->it[stack[q].item].src_e = (uint32_t)e;
            ps->it[target].line1 = l + 1;
            continue;
        }
        if (caps) {
            sp = 0; /* a heading, title or signature in capitals closes every open item */
            for (int k = 0; k <= IK_PROSE; k++)
                stack[0].last[k] = stack[0].count[k] = 0, stack[0].lastnum[k][0] = '\0';
            ln->kind = LK_CAPS;
            ln->item = stack[0].item;
            continue;
        }
        if (mark) {
            if (l < ps->first_mark_line && !bullet)
                ps->first_mark_line = l;
            while (sp > 0 && ps->it[stack[sp].item].rank >= m.rank)
                sp--;
            if (m.kind == IK_ARABIC && m.depth >= 2)
                while (sp > 0 && ps->it[stack[sp].item].kind == IK_ARABIC &&
                       !prefix_of(ps->it[stack[sp].item].num, m.num))
                    sp--;
            int parent = stack[sp].item;
            int x = pp_pstruct_add_item(ps, m.kind, m.rank, parent);
            struct pitem *it = &ps->it[x];
            memcpy(it->num, m.num, sizeof it->num);
            it->ts = m.cs;
            it->te = (uint32_t)e;
            it->line0 = l;
            it->line1 = l + 1;
            it->src_s = (uint32_t)s;
            it->src_e = (uint32_t)e;
            check_sequence(ps, &stack[sp], x, &m);
            if (m.kind == IK_ARABIC && m.depth >= 2 && ps->it[parent].kind == IK_ARABIC &&
                !prefix_of(ps->it[parent].num, m.num) && !it->warn) {
                char msg[120];
                snprintf(msg, sizeof msg, "Mục %s không nằm trong mục %s.", m.num, ps->it[parent].num);
                it->warn = pp_xstrdup(msg);
            }
            if (sp + 1 < MAX_DEPTH) {
                sp++;
                memset(&stack[sp], 0, sizeof stack[sp]);
                stack[sp].item = x;
            }
            ln->kind = LK_MARK;
            ln->item = x;
            for (int q = 0; q < sp; q++)
                if (ps->it[stack[q].item].src_e < e)
                    ps->it[stack[q].item].src_e = (uint32_t)e;
            continue;
        }
        ln->kind = LK_TEXT;
        int owner = stack[sp].item;
        ln->item = owner;
        ps->it[owner].line1 = l + 1;
        for (int q = 0; q <= sp; q++)
            if (ps->it[stack[q].item].src_e < e)
                ps->it[stack[q].item].src_e = (uint32_t)e;
    }
    /* Flags that follow the tree: excluded sections, decision articles. */
    for (int x = 1; x < ps->nit; x++) {
        struct pitem *it = &ps->it[x];
        struct pitem *p = &ps->it[it->parent];
        /* Only headings name sections; a duty bullet starting "Căn cứ chức năng, …" is still a duty. */
        bool heading = it->kind == IK_ROMAN || it->kind == IK_ROMAN_SUB || it->kind == IK_ARABIC ||
                       it->kind == IK_LETTER || it->kind == IK_TGROUP;
        it->excluded = p->excluded || (heading && it->te > it->ts && pp_title_excluded(v, it->ts, it->te)) ||
                       (it->kind == IK_ROMAN && it->te > it->ts && part_retrospective(v, it->ts, it->te));
        it->article = p->article || it->kind == IK_ARTICLE;
    }
}
