/* The head of a plan: number ("Số: 1092/QĐ-BTTTT"), date, issuer, title, the year's theme and the cited documents.
 * Must only read the lines it is given and leave every string as written (NFC, no markdown), or NULL. */
#include "core/plan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"
#include "core/text.h"

#define HEAD_LINES 60

static void push_str(char ***arr, int *n, char *s)
{
    *arr = pp_xrealloc(*arr, (size_t)(*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = s;
}

static char *strip_spaces(char *s)
{
    size_t w = 0;
    for (size_t r = 0; s[r]; r++)
        if (s[r] != ' ')
            s[w++] = s[r];
    s[w] = '\0';
    return s;
}

/* A document number at folded index i: "505/QĐ-TTg", "17/2017/NĐ-CP", "565-KH/TWĐTN"; spaces: tolerate
 * "1948 /VP-KGVX" as header lines write it. Returns the end, or 0. */
static size_t docnum_at(const struct fview *v, size_t i, size_t e, bool spaces)
{
    const char *f = v->f;
    if (i >= e || !fv_digit(f[i]) || (i > 0 && (fv_alnum(f[i - 1]) || f[i - 1] == '/' || f[i - 1] == '.')))
        return 0;
    size_t j = i;
    while (j < e && fv_digit(f[j]) && j - i < 6)
        j++;
    if (j < e && fv_digit(f[j]))
        return 0;
    if (spaces)
        while (j < e && f[j] == ' ')
            j++;
    if (j < e && f[j] == '/') {
        j++;
        if (spaces)
            while (j < e && f[j] == ' ')
                j++;
        size_t y = j;
        while (y < e && fv_digit(f[y]) && y - j < 5)
            y++;
        if (y - j == 4 && y < e && f[y] == '/')
            j = y + 1;
    } else if (j < e && f[j] == '-') {
        j++;
        if (spaces)
            while (j < e && f[j] == ' ')
                j++;
    } else {
        return 0;
    }
    if (j >= e || !fv_upper(f[j]))
        return 0;
    size_t end = j;
    for (int seg = 0; seg < 8; seg++) {
        size_t q = end;
        while (q < e && (fv_alnum(f[q]) || f[q] == '&'))
            q++;
        end = q;
        size_t r = q;
        if (spaces)
            while (r < e && f[r] == ' ')
                r++;
        if (r + 1 < e && (f[r] == '-' || f[r] == '/')) {
            r++;
            if (spaces)
                while (r < e && f[r] == ' ')
                    r++;
            if (r < e && fv_upper(f[r])) {
                end = r;
                continue;
            }
        }
        break;
    }
    return end;
}

static bool same_number(const char *a, const char *b)
{
    char *fa = text_fold_compact(a), *fb = text_fold_compact(b);
    bool same = fa && fb && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

static void add_cites(const struct fview *v, size_t s, size_t e, struct plan_doc *doc)
{
    for (size_t i = s; i < e && doc->ncites < 100; i++) {
        if (!fv_digit(v->f[i]))
            continue;
        size_t end = docnum_at(v, i, e, false);
        if (!end)
            continue;
        char *num = strip_spaces(pp_fv_extract(v, i, end));
        bool dup = doc->number && same_number(doc->number, num);
        for (int k = 0; k < doc->ncites && !dup; k++)
            dup = same_number(doc->cites[k], num);
        if (dup)
            free(num);
        else
            push_str(&doc->cites, &doc->ncites, num);
        i = end;
    }
}

static void find_number(const struct fview *v, const struct pstruct *ps, int hz, struct plan_doc *doc)
{
    for (int l = 0; l < hz && !doc->number; l++) {
        size_t s = ps->ln[l].s, e = ps->ln[l].e;
        for (size_t i = s; i + 2 < e; i++) {
            size_t j;
            if (!(pp_fv_word(v, i, "Số", false, &j) || pp_fv_word(v, i, "SỐ", false, &j)))
                continue;
            while (j < e && (v->f[j] == ' ' || v->f[j] == ':'))
                j++;
            size_t end = docnum_at(v, j, e, true);
            if (end) {
                doc->number = strip_spaces(pp_fv_extract(v, j, end));
                break;
            }
        }
    }
}

static void find_issued(const struct fview *v, const struct pstruct *ps, int hz, struct plan_doc *doc)
{
    for (int l = 0; l < hz && !doc->has_issued; l++) {
        size_t s = ps->ln[l].s, e = ps->ln[l].e;
        for (size_t i = s; i < e && i < s + 48; i++) {
            /* "Hà Nội, ngày …": a short place name then the date, not a date inside a sentence. */
            if (!pp_fv_word(v, i, "ngày", true, NULL))
                continue;
            if (i > s && !(i >= s + 2 && v->f[i - 2] == ','))
                break;
            char *line = pp_fv_extract(v, i, e);
            struct ymd d;
            if (date_parse_vn(line, &d)) {
                doc->has_issued = true;
                doc->issued = d;
            }
            free(line);
            break;
        }
    }
}

static bool is_kind_line(const struct fview *v, size_t s, size_t e)
{
    static const char *const kinds[] = {"ke hoach", "quyet dinh", "chuong trinh", "thong bao", "huong dan",
                                        "cong van", "chi thi", "de an", "to trinh", "nghi quyet", "bao cao"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t end;
        if (pp_fv_key(v, s, kinds[k], &end) && end == e && fv_upper(v->f[s]) && fv_upper(v->f[e - 1]))
            return true;
    }
    return false;
}

/* Lines that end a title block. */
static bool title_stop(const struct fview *v, const struct pline *ln)
{
    size_t s = ln->s;
    return ln->kind != LK_TEXT || v->f[s] == '(' || pp_fv_key(v, s, "can cu", NULL) ||
           pp_fv_key(v, s, "thuc hien", NULL) || pp_fv_key(v, s, "kinh gui", NULL) || pp_fv_key(v, s, "so", NULL);
}

static char *collect(const struct fview *v, const struct pstruct *ps, int l, int max, struct plan_doc *doc)
{
    size_t cap = 256, n = 0;
    char *out = pp_xmalloc(cap);
    out[0] = '\0';
    for (int k = 0; k < max && l < ps->nln; k++, l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->s == ln->e || (k > 0 && title_stop(v, ln)))
            break;
        add_cites(v, ln->s, ln->e, doc);
        char *part = pp_fv_extract(v, ln->s, ln->e);
        size_t pl = strlen(part);
        if (n + pl + 2 > cap) {
            cap = (n + pl + 2) * 2;
            out = pp_xrealloc(out, cap);
        }
        if (n)
            out[n++] = ' ';
        memcpy(out + n, part, pl + 1);
        n += pl;
        free(part);
    }
    return out;
}

static void find_title(const struct fview *v, const struct pstruct *ps, int hz, struct plan_doc *doc, int *tline)
{
    *tline = -1;
    for (int l = 0; l < hz; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->s == ln->e)
            continue;
        const char *f = v->f + ln->s;
        if (ln->e - ln->s > 3 && (f[0] == 'V' || f[0] == 'v') && f[1] == '/' && (f[2] == 'v' || f[2] == 'V')) {
            doc->title = collect(v, ps, l, 4, doc);
            *tline = l;
            return;
        }
        if (ln->kind == LK_CAPS && is_kind_line(v, ln->s, ln->e)) {
            int t = l + 1;
            while (t < ps->nln && ps->ln[t].s == ps->ln[t].e)
                t++;
            if (t < ps->nln && ps->ln[t].kind == LK_TEXT && v->f[ps->ln[t].s] != '(') {
                doc->title = collect(v, ps, t, 4, doc);
                *tline = l;
                return;
            }
        }
    }
    /* A news article or a letter without a kind line: its first line of text. */
    for (int l = 0; l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind == LK_TEXT && !pp_fv_key(v, ln->s, "so", NULL)) {
            doc->title = pp_fv_extract(v, ln->s, ln->e);
            *tline = l;
            return;
        }
    }
}

static bool starts_upper_word(const struct fview *v, size_t s, const char *w, size_t *end)
{
    return pp_fv_word(v, s, w, false, end);
}

static void find_issuer(const struct fview *v, const struct pstruct *ps, int hz, int tline, struct plan_doc *doc)
{
    /* Capital lines above the title (the issuing body), stopping at the national motto or the number. */
    size_t cap = 0, n = 0;
    char *out = NULL;
    int lim = tline >= 0 ? tline : hz;
    for (int l = 0; l < lim && l < 15; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->s == ln->e)
            continue;
        if (pp_fv_word(v, ln->s, "Số", false, NULL) || pp_fv_key(v, ln->s, "doc lap", NULL))
            break;
        if (ln->kind != LK_CAPS || is_kind_line(v, ln->s, ln->e))
            continue;
        size_t e = ln->e;
        for (size_t i = ln->s; i < e; i++)
            if (pp_fv_key(v, i, "cong hoa", NULL)) {
                e = i;
                break;
            }
        char *part = pp_fv_extract(v, ln->s, e);
        if (*part) {
            size_t pl = strlen(part);
            out = pp_xrealloc(out, cap = n + pl + 4);
            bool place = pp_fv_key(v, ln->s, "tinh", NULL) || pp_fv_key(v, ln->s, "thanh pho", NULL) ||
                         pp_fv_key(v, ln->s, "huyen", NULL) || pp_fv_key(v, ln->s, "xa", NULL);
            if (n) {
                memcpy(out + n, place ? " " : " - ", place ? 1 : 3);
                n += place ? 1 : 3;
            }
            memcpy(out + n, part, pl + 1);
            n += pl;
        }
        free(part);
    }
    (void)cap;
    if (out) {
        doc->issuer = out;
        return;
    }
    /* "BỘ TRƯỞNG BỘ …" under the title, or the signature block "TM. ỦY BAN NHÂN DÂN". */
    for (int l = 0; l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind != LK_CAPS)
            continue;
        size_t end = 0;
        if (l < hz && (starts_upper_word(v, ln->s, "BỘ TRƯỞNG", &end) || starts_upper_word(v, ln->s, "CHỦ TỊCH", &end) ||
                       starts_upper_word(v, ln->s, "GIÁM ĐỐC", &end)) &&
            end < ln->e) {
            doc->issuer = pp_fv_extract(v, end, ln->e);
            return;
        }
    }
    for (int l = 0; l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        size_t end;
        if ((pp_fv_key(v, ln->s, "tm", &end) || pp_fv_key(v, ln->s, "kt", &end)) && end < ln->e && v->f[end] == '.' &&
            ln->kind == LK_CAPS) {
            doc->issuer = pp_fv_extract(v, end + 1, ln->e);
            return;
        }
    }
}

static void find_theme(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc)
{
    for (int l = 0; l < ps->nln && !doc->theme; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind == LK_SKIP || ln->e - ln->s < 8)
            continue;
        for (size_t i = ln->s; i + 6 < ln->e && !doc->theme; i++) {
            if ((v->f[i] | 0x20) != 'c' || !pp_fv_key(v, i, "chu de", NULL))
                continue;
            /* The quoted phrase that follows in the same paragraph, before the sentence ends. */
            size_t q = i + 6, lim = i + 400 < ln->e ? i + 400 : ln->e;
            while (q < lim && v->f[q] != '"' && !(v->f[q] == '.' && q + 1 < ln->e && v->f[q + 1] == ' '))
                q++;
            if (q >= lim || v->f[q] != '"')
                continue;
            size_t c = q + 1;
            while (c < ln->e && v->f[c] != '"')
                c++;
            if (c >= ln->e || c - q < 4)
                continue;
            char *t = pp_fv_extract(v, q + 1, c);
            if (strchr(t, ' '))
                doc->theme = t;
            else
                free(t);
        }
    }
}

void pp_header_parse(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc)
{
    int hz = ps->first_mark_line < HEAD_LINES ? ps->first_mark_line : HEAD_LINES;
    if (hz > ps->nln)
        hz = ps->nln;
    find_number(v, ps, hz, doc);
    find_issued(v, ps, hz, doc);
    int tline;
    find_title(v, ps, ps->first_mark_line, doc, &tline);
    if (!doc->title)
        doc->title = pp_xstrdup("");
    find_issuer(v, ps, hz, tline, doc);
    find_theme(v, ps, doc);
    /* Cited documents: the preamble ("Căn cứ …", "Thực hiện …") before the first numbered part. */
    for (int l = 0; l < ps->first_mark_line && l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind != LK_TEXT || pp_fv_word(v, ln->s, "Số", false, NULL) || pp_fv_key(v, ln->s, "kinh gui", NULL))
            continue;
        add_cites(v, ln->s, ln->e, doc);
    }
}
