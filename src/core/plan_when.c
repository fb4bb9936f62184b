/* Deadlines, windows and recurrences as plans write them ("trước ngày 15/9/2022", "từ ngày 01-10/10/2022",
 * "Quý II/2025", "6/2025", "Hằng năm"). Works on the folded view only; must not allocate per token or recurse. */
#include "core/plan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"
#include "core/text.h"

struct wctx {
    const struct fview *v;
    const struct tok *t;
    size_t n;
};

/* Token k is the word w (lower-case ASCII), ignoring case. */
static bool tw(const struct wctx *c, size_t k, const char *w)
{
    if (k >= c->n || c->t[k].c)
        return false;
    const char *f = c->v->f + c->t[k].s;
    size_t len = c->t[k].e - c->t[k].s, i = 0;
    for (; i < len && w[i]; i++)
        if (fv_tolower(f[i]) != w[i])
            return false;
    return i == len && !w[i];
}

static bool tp(const struct wctx *c, size_t k, char p)
{
    return k < c->n && c->t[k].c == p;
}

/* Token k is a number of 1..maxd digits; its value in *val. */
static bool tnum(const struct wctx *c, size_t k, int maxd, int *val)
{
    if (k >= c->n || c->t[k].c)
        return false;
    size_t len = c->t[k].e - c->t[k].s;
    if (len == 0 || len > (size_t)maxd)
        return false;
    int x = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = c->v->f[c->t[k].s + i];
        if (!fv_digit(ch))
            return false;
        x = x * 10 + (ch - '0');
    }
    *val = x;
    return true;
}

static bool tyear(const struct wctx *c, size_t k, int *y)
{
    return k < c->n && c->t[k].e - c->t[k].s == 4 && tnum(c, k, 4, y) && *y >= 1900 && *y <= 2200;
}

static bool is_sep(char p)
{
    return p == '/' || p == '-' || p == '.';
}

/* Roman or arabic quarter number at token k. */
static int quarter(const struct wctx *c, size_t k)
{
    static const char *const r[4] = {"i", "ii", "iii", "iv"};
    for (int q = 0; q < 4; q++)
        if (tw(c, k, r[q]))
            return q + 1;
    int x;
    if (tnum(c, k, 1, &x) && x >= 1 && x <= 4)
        return x;
    return 0;
}

/* D sep M sep YYYY or "ngày D tháng M năm YYYY" at k. *shape: the text looked like a date (even an impossible
 * one). Returns the token after it, or 0. */
static size_t full_date(const struct wctx *c, size_t k, struct ymd *d, bool *shape)
{
    int a, b, y;
    *shape = false;
    size_t j = k;
    if (tw(c, j, "ngay"))
        j++;
    if (tnum(c, j, 2, &a) && j + 1 < c->n && is_sep(c->t[j + 1].c) && tnum(c, j + 2, 2, &b) &&
        j + 3 < c->n && c->t[j + 3].c == c->t[j + 1].c && tnum(c, j + 4, 4, &y) && c->t[j + 4].e - c->t[j + 4].s == 4) {
        *shape = true;
        *d = (struct ymd){y, b, a};
        return date_valid(*d) ? j + 5 : 0;
    }
    if (tnum(c, j, 2, &a) && tw(c, j + 1, "thang") && tnum(c, j + 2, 2, &b) && tw(c, j + 3, "nam") &&
        tnum(c, j + 4, 4, &y)) {
        *shape = true;
        *d = (struct ymd){y, b, a};
        return date_valid(*d) ? j + 5 : 0;
    }
    return 0;
}

/* D/M with no year (the year comes from the context). */
static size_t day_month(const struct wctx *c, size_t k, int *dd, int *mm)
{
    size_t j = k;
    if (tw(c, j, "ngay"))
        j++;
    int y;
    if (tnum(c, j, 2, dd) && (tp(c, j + 1, '/') || tp(c, j + 1, '.')) && tnum(c, j + 2, 2, mm) && *dd >= 1 &&
        *dd <= 31 && *mm >= 1 && *mm <= 12 && !(j + 3 < c->n && is_sep(c->t[j + 3].c) && tyear(c, j + 4, &y)))
        return j + 3;
    return 0;
}

/* "(tháng) M/YYYY", "tháng M năm YYYY". */
static size_t month_year(const struct wctx *c, size_t k, int *m, int *y)
{
    size_t j = k;
    bool word = tw(c, j, "thang");
    if (word)
        j++;
    if (!tnum(c, j, 2, m) || *m < 1 || *m > 12)
        return 0;
    if ((tp(c, j + 1, '/') || tp(c, j + 1, '-') || tp(c, j + 1, '.')) && tyear(c, j + 2, y))
        return j + 3;
    if (word && tw(c, j + 1, "nam") && tyear(c, j + 2, y))
        return j + 3;
    return 0;
}

/* "Quý II/2025", "quý 2 năm 2025"; *y stays 0 when no year is written. */
static size_t quarter_expr(const struct wctx *c, size_t k, int *q, int *y)
{
    if (!tw(c, k, "quy") || !(*q = quarter(c, k + 1)))
        return 0;
    *y = 0;
    size_t j = k + 2;
    if ((tp(c, j, '/') || tp(c, j, '-')) && tyear(c, j + 1, y))
        return j + 2;
    if (tw(c, j, "nam") && tyear(c, j + 1, y))
        return j + 2;
    return j;
}

/* Cue words before token k that make a bare date in prose a deadline. */
static bool due_cue(const struct wctx *c, size_t k)
{
    size_t j = k;
    for (int steps = 0; steps < 3 && j > 0; steps++) {
        j--;
        if (c->t[j].c == ':' || tw(c, j, "ngay") || tw(c, j, "la") || tw(c, j, "thang") || tw(c, j, "het"))
            continue;
        if (tw(c, j, "truoc") || tw(c, j, "han") || tw(c, j, "vao") || tw(c, j, "trong") || tw(c, j, "den") ||
            tw(c, j, "toi") || tw(c, j, "xong") || tw(c, j, "chot"))
            return true;
        if (j > 0 && ((tw(c, j - 1, "hoan") && tw(c, j, "thanh")) || (tw(c, j - 1, "cham") && tw(c, j, "nhat")) ||
                      (tw(c, j - 1, "ket") && tw(c, j, "thuc")) || (tw(c, j - 1, "thoi") && tw(c, j, "gian"))))
            return true;
        return false;
    }
    return false;
}

/* A number glued to a document code ("1/2022/TT-BTTTT", "số 17/2017") is not a date. */
static bool doc_number_around(const struct wctx *c, size_t k, size_t end)
{
    if (k > 0 && (c->t[k - 1].c == '/' || tw(c, k - 1, "so")))
        return true;
    if (end < c->n && (c->t[end].c == '/' || c->t[end].c == '-') && end + 1 < c->n && !c->t[end + 1].c &&
        fv_upper(c->v->f[c->t[end + 1].s]))
        return true;
    return false;
}

static void set_due(struct when_hit *h, struct ymd d)
{
    if (!h->has_due) {
        h->has_due = true;
        h->due = d;
    }
}

static void set_win(struct when_hit *h, struct ymd a, struct ymd b)
{
    if (!h->has_win && date_valid(a) && date_valid(b) && date_cmp(a, b) <= 0) {
        h->has_win = true;
        h->from = a;
        h->to = b;
    }
}

/* Windows at k; returns the token after the window or 0. */
static size_t window_at(const struct wctx *c, size_t k, bool strict, struct when_hit *h)
{
    int d1, d2, m1, y;
    bool shape;
    struct ymd a, b;
    bool from = k > 0 && (tw(c, k - 1, "tu") || (k > 1 && tw(c, k - 1, "ngay") && tw(c, k - 2, "tu")));
    size_t j = tw(c, k, "ngay") ? k + 1 : k;
    /* 01-10/10/2022 */
    if (tnum(c, j, 2, &d1) && tp(c, j + 1, '-') && tnum(c, j + 2, 2, &d2) && tp(c, j + 3, '/') &&
        tnum(c, j + 4, 2, &m1) && tp(c, j + 5, '/') && tyear(c, j + 6, &y)) {
        set_win(h, (struct ymd){y, m1, d1}, (struct ymd){y, m1, d2});
        return j + 7;
    }
    /* từ ngày 01 đến ngày 10/10/2022 */
    if (from && tnum(c, j, 2, &d1) && tw(c, j + 1, "den")) {
        size_t q = j + 2;
        while (q < c->n && (tw(c, q, "het") || tw(c, q, "ngay")) && q < j + 4)
            q++;
        size_t e = full_date(c, q, &b, &shape);
        if (e) {
            set_win(h, (struct ymd){b.y, b.m, d1}, b);
            return e;
        }
    }
    /* 15/9 - 15/10/2023, 15/9 đến 15/10/2023 */
    size_t e1 = day_month(c, j, &d1, &m1);
    if (e1 && (tp(c, e1, '-') || tw(c, e1, "den"))) {
        size_t q = e1 + 1;
        while (q < c->n && (tw(c, q, "het") || tw(c, q, "ngay")) && q < e1 + 3)
            q++;
        size_t e = full_date(c, q, &b, &shape);
        if (e) {
            set_win(h, (struct ymd){b.y, m1, d1}, b);
            return e;
        }
    }
    /* 01/10/2024 – 10/10/2024, từ 1/10/2024 đến 10/10/2024 */
    size_t e = full_date(c, k, &a, &shape);
    if (e && (tp(c, e, '-') || tw(c, e, "den") || tw(c, e, "toi"))) {
        size_t q = e + 1;
        while (q < c->n && (tw(c, q, "het") || tw(c, q, "ngay")) && q < e + 3)
            q++;
        size_t e2 = full_date(c, q, &b, &shape);
        if (e2) {
            set_win(h, a, b);
            return e2;
        }
    }
    /* tháng 6 - tháng 9/2025, (từ) tháng 3/2025 đến tháng 6/2025, 6/2025 - 9/2025 */
    {
        size_t q = k;
        bool word = tw(c, q, "thang");
        int ma, mb, ya = 0, yb;
        if (word)
            q++;
        if (tnum(c, q, 2, &ma) && ma >= 1 && ma <= 12) {
            q++;
            if ((tp(c, q, '/') || tp(c, q, '-')) && tyear(c, q + 1, &ya))
                q += 2;
            else if (!word)
                q = 0; /* a bare number is only a month when a year follows it */
            if (q && (tp(c, q, '-') || tw(c, q, "den"))) {
                size_t r = q + 1;
                if (tw(c, r, "het"))
                    r++;
                int my;
                size_t em = month_year(c, r, &mb, &my);
                if (em && (word || tw(c, r, "thang") || ya)) {
                    yb = my;
                    if (!ya)
                        ya = yb;
                    set_win(h, (struct ymd){ya, ma, 1}, (struct ymd){yb, mb, date_days_in_month(yb, mb)});
                    return em;
                }
            }
        }
    }
    /* trong (toàn bộ) tháng 10/2022 */
    if (tw(c, k, "thang")) {
        size_t p = k;
        bool in = false;
        if (p > 0 && tw(c, p - 1, "trong"))
            in = true;
        else if (p > 2 && tw(c, p - 1, "bo") && tw(c, p - 2, "toan") && tw(c, p - 3, "trong"))
            in = true;
        else if (p > 1 && tw(c, p - 1, "ca") && tw(c, p - 2, "trong"))
            in = true;
        int m, yy;
        size_t em = month_year(c, k, &m, &yy);
        if (in && em) {
            set_win(h, (struct ymd){yy, m, 1}, (struct ymd){yy, m, date_days_in_month(yy, m)});
            return em;
        }
    }
    (void)strict;
    return 0;
}

static const struct {
    const char *a, *b;
    const char *name;
    int rank;
} recs[] = {
    {"hang", "quy", "Hằng quý", 5},     {"moi", "quy", "Hằng quý", 5},     {"hang", "thang", "Hằng tháng", 4},
    {"moi", "thang", "Hằng tháng", 4},  {"hang", "tuan", "Hằng tuần", 3},  {"moi", "tuan", "Hằng tuần", 3},
    {"hang", "nam", "Hằng năm", 2},     {"moi", "nam", "Hằng năm", 2},     {"thuong", "nien", "Hằng năm", 2},
    {"thuong", "xuyen", "Thường xuyên", 1},
};
static const char *const quarter_rec[4] = {"Quý I hằng năm", "Quý II hằng năm", "Quý III hằng năm",
                                           "Quý IV hằng năm"};

static void recurrence(const struct wctx *c, struct when_hit *h)
{
    int best = 0;
    for (size_t k = 0; k + 1 < c->n; k++) {
        int q;
        if (tw(c, k, "quy") && (q = quarter(c, k + 1)) && (tw(c, k + 2, "hang") || tw(c, k + 2, "moi")) &&
            tw(c, k + 3, "nam")) {
            if (best < 6) {
                best = 6;
                h->rec = quarter_rec[q - 1];
            }
            continue;
        }
        for (size_t r = 0; r < sizeof recs / sizeof recs[0]; r++)
            if (recs[r].rank > best && tw(c, k, recs[r].a) && tw(c, k + 1, recs[r].b)) {
                best = recs[r].rank;
                h->rec = recs[r].name;
            }
    }
}

void pp_when_scan(const struct fview *v, size_t s, size_t e, bool strict, int year, struct when_hit *h)
{
    memset(h, 0, sizeof *h);
    if (strict) {
        /* Every form prose can use has a number in it. */
        bool digit = false;
        for (size_t i = s; i < e && i < v->n && !digit; i++)
            digit = fv_digit(v->f[i]);
        if (!digit)
            return;
    }
    struct toks ts = {0};
    pp_toks_scan(&ts, v, s, e);
    struct wctx c = {v, ts.t, ts.n};
    int label_year = 0, bare_year = 0;
    size_t k = 0;
    while (k < c.n) {
        if (c.t[k].c) {
            k++;
            continue;
        }
        size_t end = window_at(&c, k, strict, h);
        if (end) {
            k = end;
            continue;
        }
        bool shape;
        struct ymd d;
        int dd, mm, yy, q;
        if ((end = full_date(&c, k, &d, &shape))) {
            if (!doc_number_around(&c, k, end) && (!strict || due_cue(&c, k)))
                set_due(h, d);
            k = end;
            continue;
        }
        if (shape) {
            /* Looks like a date but is not one (31/02/2023): the reviewer must see it. */
            size_t j = tw(&c, k, "ngay") ? k + 1 : k;
            if (!h->bad && (!strict || due_cue(&c, k))) {
                h->bad = true;
                h->bad_s = c.t[j].s;
                h->bad_e = c.t[j + 4 < c.n ? j + 4 : c.n - 1].e;
            }
            k = j + 5;
            continue;
        }
        if ((end = month_year(&c, k, &mm, &yy))) {
            if (!doc_number_around(&c, k, end) && (!strict || due_cue(&c, k)))
                set_due(h, (struct ymd){yy, mm, date_days_in_month(yy, mm)});
            k = end;
            continue;
        }
        if ((end = quarter_expr(&c, k, &q, &yy))) {
            bool recurring = tw(&c, end, "hang") || tw(&c, end, "moi");
            if (!yy && !strict)
                yy = label_year;
            if (yy && !recurring && (!strict || due_cue(&c, k)))
                set_due(h, (struct ymd){yy, q * 3, date_days_in_month(yy, q * 3)});
            k = end;
            continue;
        }
        if (tw(&c, k, "nam") && tyear(&c, k + 1, &yy)) {
            if (tp(&c, k + 2, ':')) {
                label_year = yy; /* "+ Năm 2022: …" introduces what is due that year */
            } else if (!strict || due_cue(&c, k)) {
                if (!strict)
                    bare_year = bare_year ? bare_year : yy;
                else
                    set_due(h, (struct ymd){yy, 12, 31});
            }
            k += 2;
            continue;
        }
        if ((end = day_month(&c, k, &dd, &mm))) {
            int y = label_year ? label_year : year;
            if (y && (!strict || due_cue(&c, k)) && !doc_number_around(&c, k, end) &&
                date_valid((struct ymd){y, mm, dd}))
                set_due(h, (struct ymd){y, mm, dd});
            k = end;
            continue;
        }
        if (!strict && tyear(&c, k, &yy) && !doc_number_around(&c, k, k + 1) && !bare_year)
            bare_year = yy; /* a table cell that only says "2025" */
        k++;
    }
    /* A year alone is the coarsest reading: use it only when nothing finer was written. */
    if (!h->has_due && !h->has_win && (bare_year || label_year))
        set_due(h, (struct ymd){bare_year ? bare_year : label_year, 12, 31});
    if (!strict)
        recurrence(&c, h);
    pp_toks_free(&ts);
}

bool plan_parse_when(const char *text, struct plan_when *out)
{
    struct plan_when w = {0};
    if (out)
        *out = w;
    if (!text || !text_valid_utf8(text, strlen(text)))
        return false;
    unsigned char memo[0x2000];
    memset(memo, 0, sizeof memo);
    struct fview v = {.memo = memo};
    if (!pp_fv_build(&v, text, strlen(text)))
        return false;
    struct when_hit h;
    pp_when_scan(&v, 0, v.n, false, 0, &h);
    pp_fv_free(&v);
    w.has_due = h.has_due;
    w.due = h.due;
    w.has_window = h.has_win;
    w.from = h.from;
    w.to = h.to;
    w.recurrence = h.rec;
    if (out)
        *out = w;
    return h.has_due || h.has_win || h.rec;
}
