/* Who does what in prose ("Cục X chủ trì, phối hợp với Y", "giao Sở X", "đề nghị các bộ"), and report deadlines.
 * Must not take a lead from a sentence that only reports a fact ("Bộ … vừa phê duyệt") nor read past its range. */
#include "core/plan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"
#include "core/text.h"

static bool is_word(const struct fview *v, const struct toks *ts, size_t k, const char *w, bool ci, size_t *kafter)
{
    size_t end;
    if (k >= ts->n || ts->t[k].c || !pp_fv_word(v, ts->t[k].s, w, ci, &end))
        return false;
    if (kafter)
        *kafter = pp_toks_at(ts, k, end);
    return true;
}

/* Predicates after a subject that do not make the subject the doer of a task: the subject asks someone else
 * ("đề nghị", "giao"), proposes, reports a fact, or receives. */
static bool denied_predicate(const struct fview *v, const struct toks *ts, size_t k)
{
    static const char *const deny[] = {"đề nghị", "giao", "yêu cầu", "đề xuất", "vừa", "đã", "được", "là",
                                       "phê duyệt", "ban hành", "thông báo", "nhận", "nhận được", "bảo trợ",
                                       "đang", "phân công", "trân trọng"};
    for (size_t i = 0; i < sizeof deny / sizeof deny[0]; i++)
        if (is_word(v, ts, k, deny[i], false, NULL))
            return true;
    return false;
}

static bool sentence_start(const struct fview *v, const struct toks *ts, size_t k)
{
    if (k == 0)
        return true;
    char c = ts->t[k - 1].c;
    if (c == ';' || c == ':' || c == '+')
        return true;
    if (c == '-' && (k == 1 || ts->t[k - 2].c == ':' || ts->t[k - 2].c == ';'))
        return true;
    return c == '.' && ts->t[k - 1].e < v->n && v->f[ts->t[k - 1].e] == ' ';
}

static void move_list(struct slist *dst, struct slist *src)
{
    for (int i = 0; i < src->n; i++) {
        if (dst->n < UNITS_MAX && !pp_sl_has(dst, src->v[i]))
            pp_sl_push(dst, src->v[i]);
        else
            free(src->v[i]);
    }
    free(src->v);
    src->v = NULL;
    src->n = src->cap = 0;
}

bool pp_prose_lead(const struct fview *v, size_t s, size_t e, int flags, struct slist *out)
{
    struct toks ts = {0};
    pp_toks_scan(&ts, v, s, e);
    bool found = false;
    int words_in_sentence = 0;
    for (size_t k = 0; k < ts.n && !found; k++) {
        if (sentence_start(v, &ts, k))
            words_in_sentence = 0;
        if (ts.t[k].c)
            continue;
        words_in_sentence++;
        size_t j = 0;
        struct slist tmp = {0};
        int why = 0;
        /* giao (cho) X …, đề nghị X …, yêu cầu X …, phân công X …; anchors start with g, đ, y or p, so most words
         * are dismissed by their first letter. */
        char c0 = fv_tolower(v->f[ts.t[k].s]);
        bool giao = c0 == 'g' &&
                    (is_word(v, &ts, k, "giao", false, &j) ||
                     (sentence_start(v, &ts, k) && is_word(v, &ts, k, "Giao", false, &j))) &&
                    !(k > 0 && (is_word(v, &ts, k - 1, "bàn", true, NULL) || is_word(v, &ts, k - 1, "được", true, NULL) ||
                                is_word(v, &ts, k - 1, "chuyển", true, NULL) ||
                                is_word(v, &ts, k - 1, "chuyên", true, NULL)));
        if (giao)
            is_word(v, &ts, j, "cho", false, &j); /* "giao cho X" */
        bool ask = !giao && (c0 == 'd' || c0 == 'y' || c0 == 'p') &&
                   (is_word(v, &ts, k, "đề nghị", true, &j) || is_word(v, &ts, k, "yêu cầu", true, &j) ||
                    is_word(v, &ts, k, "phân công", true, &j));
        if (ask && is_word(v, &ts, j, "của", false, NULL))
            ask = false; /* "theo đề nghị của Cục trưởng" names who asked, not who does */
        if ((giao || ask) && pp_units_starter(v, &ts, j, true)) {
            pp_units_parse(v, &ts, j, ts.n, UL_PROSE, &tmp, &why);
            if (tmp.n > 0) {
                move_list(out, &tmp);
                found = true;
            }
            pp_sl_free(&tmp);
            continue;
        }
        /* do X chủ trì */
        if ((flags & LEAD_ALLOW_DO) && c0 == 'd' && is_word(v, &ts, k, "do", false, &j) &&
            pp_units_starter(v, &ts, j, false)) {
            size_t stop = pp_units_parse(v, &ts, j, ts.n, UL_PROSE, &tmp, &why);
            if (why == 1 && is_word(v, &ts, stop, "chủ trì", false, NULL) && tmp.n > 0) {
                move_list(out, &tmp);
                found = true;
            }
            pp_sl_free(&tmp);
            continue;
        }
        /* X chủ trì / X phối hợp với / X tham mưu … at the start of a sentence or after a short opening
         * ("Cùng với đó, Cục X phối hợp …"). */
        bool start = sentence_start(v, &ts, k) ||
                     (words_in_sentence <= 6 && k > 0 && ts.t[k - 1].c == ',');
        if (start && pp_units_starter(v, &ts, k, true)) {
            size_t stop = pp_units_parse(v, &ts, k, ts.n, UL_PROSE, &tmp, &why);
            size_t p = stop;
            if (why == 1)
                is_word(v, &ts, p, "sẽ", false, &p); /* "Các địa phương sẽ phối hợp …": judge the verb after */
            if (why == 1 && tmp.n > 0 && !denied_predicate(v, &ts, p)) {
                move_list(out, &tmp);
                found = true;
            }
            pp_sl_free(&tmp);
        }
    }
    pp_toks_free(&ts);
    return found;
}

void pp_prose_partners(const struct fview *v, size_t s, size_t e, struct slist *out)
{
    struct toks ts = {0};
    pp_toks_scan(&ts, v, s, e);
    for (size_t k = 0; k < ts.n; k++) {
        size_t j;
        int why;
        char c0 = fv_tolower(v->f[ts.t[k].s]);
        if (c0 != 'p' && c0 != 'c')
            continue; /* every anchor below starts with p or c */
        if (is_word(v, &ts, k, "phối hợp", true, &j)) {
            is_word(v, &ts, j, "chặt chẽ", false, &j);
            if (is_word(v, &ts, j, "với", false, &j)) {
                /* After "phối hợp với" anything is a partner, even without a unit word ("chính quyền địa phương"). */
                if (j < ts.n && !ts.t[j].c)
                    k = pp_units_parse(v, &ts, j, ts.n, UL_PROSE, out, &why);
                continue;
            }
        }
        if (is_word(v, &ts, k, "cùng với", true, &j) && pp_units_starter(v, &ts, j, false)) {
            k = pp_units_parse(v, &ts, j, ts.n, UL_PROSE, out, &why);
            continue;
        }
        /* "X chủ trì, Y phối hợp" */
        if (is_word(v, &ts, k, "chủ trì", true, &j) && j < ts.n && ts.t[j].c == ',' &&
            pp_units_starter(v, &ts, j + 1, false)) {
            struct slist tmp = {0};
            size_t stop = pp_units_parse(v, &ts, j + 1, ts.n, UL_PROSE, &tmp, &why);
            size_t after;
            if (why == 1 && is_word(v, &ts, stop, "phối hợp", false, &after) &&
                !is_word(v, &ts, after, "với", false, NULL))
                move_list(out, &tmp);
            pp_sl_free(&tmp);
        }
    }
    pp_toks_free(&ts);
}

/* Verbs that open a paragraph continuing the previous one's assignment (the lead is the same). */
bool pp_prose_continues(const struct fview *v, size_t s, size_t e)
{
    static const char *const open[] = {
        "phối hợp", "chủ trì", "tổng hợp", "tổ chức", "xây dựng", "triển khai", "hướng dẫn", "thực hiện",
        "tham mưu", "đăng tải", "cập nhật", "theo dõi", "hỗ trợ", "tuyên truyền", "rà soát", "báo cáo",
        "đôn đốc", "kiểm tra", "phát động", "chỉ đạo", "nghiên cứu", "cung cấp", "duy trì", "đẩy mạnh",
        "tăng cường", "biên soạn", "biên tập", "công bố", "tôn vinh", "khen thưởng", "vận hành", "đánh giá",
    };
    size_t i = s;
    while (i < e && (v->f[i] == ' ' || v->f[i] == '-' || v->f[i] == '+'))
        i++;
    for (size_t k = 0; k < sizeof open / sizeof open[0]; k++)
        if (pp_fv_word(v, i, open[k], true, NULL))
            return true;
    return false;
}

static bool has_key(const struct fview *v, size_t s, size_t e, const char *key, size_t *at)
{
    size_t n = strlen(key);
    for (size_t i = s; i + n <= e; i++)
        if (fv_tolower(v->f[i]) == key[0] && pp_fv_key(v, i, key, NULL)) {
            if (at)
                *at = i;
            return true;
        }
    return false;
}

static void add_deadline(struct plan_doc *doc, char *what, char *to, struct ymd due)
{
    if (doc->ndeadlines >= 500) { /* bounded: each new one is compared with all before it */
        free(what);
        free(to);
        return;
    }
    for (int i = 0; i < doc->ndeadlines; i++) {
        struct plan_deadline *d = &doc->deadlines[i];
        bool same_to = (!d->to && !to) || (d->to && to && strcmp(d->to, to) == 0);
        if (same_to && date_cmp(d->due, due) == 0 && strcmp(d->what, what) == 0) {
            free(what);
            free(to);
            return;
        }
    }
    doc->deadlines = pp_xrealloc(doc->deadlines, (size_t)(doc->ndeadlines + 1) * sizeof *doc->deadlines);
    doc->deadlines[doc->ndeadlines++] = (struct plan_deadline){what, to, due};
}

/* One sentence [s,e): "… báo cáo kết quả … gửi UBND tỉnh trước ngày 25/10/2023", "Kế hoạch cụ thể đề nghị gửi
 * về Bộ … trước ngày 15/9/2022", "báo cáo … về Trung ương Đoàn (qua Ban …) trước ngày …". */
static void sentence_deadline(const struct fview *v, size_t s, size_t e, int year, struct plan_doc *doc)
{
    size_t p;
    if (!has_key(v, s, e, "bao cao", &p) && !has_key(v, s, e, "ke hoach", &p))
        return;
    struct when_hit h;
    pp_when_scan(v, p, e, true, year, &h);
    if (!h.has_due)
        return;
    struct toks ts = {0};
    pp_toks_scan(&ts, v, p, e);
    size_t what_end = 0, to_start = 0;
    for (size_t k = 1; k < ts.n && !to_start; k++) {
        size_t j;
        if (is_word(v, &ts, k, "gửi", true, &j)) {
            what_end = k;
            if (!is_word(v, &ts, j, "về", false, &j) && !is_word(v, &ts, j, "đến", false, &j) &&
                !is_word(v, &ts, j, "cho", false, &j))
                is_word(v, &ts, j, "lên", false, &j);
            to_start = j < ts.n ? j : 0;
        } else if (is_word(v, &ts, k, "về", false, &j) && pp_units_starter(v, &ts, j, false)) {
            what_end = k;
            to_start = j;
        }
    }
    if (to_start && what_end > 0) {
        /* Drop "đề nghị" / "," between the thing and the verb. */
        size_t we = what_end;
        while (we > 0 && (ts.t[we - 1].c == ',' || is_word(v, &ts, we - 1, "đề", false, NULL) ||
                          is_word(v, &ts, we - 1, "nghị", false, NULL)))
            we--;
        struct slist tmp = {0};
        int why;
        size_t stop = pp_units_parse(v, &ts, to_start, ts.n, UL_PROSE, &tmp, &why);
        pp_sl_free(&tmp);
        if (we > 0 && stop > to_start) {
            char *what = pp_fv_extract(v, ts.t[0].s, ts.t[we - 1].e);
            char *to = pp_fv_extract(v, ts.t[to_start].s, ts.t[stop - 1].e);
            size_t tl = strlen(to);
            while (tl > 0 && (to[tl - 1] == ',' || to[tl - 1] == ' '))
                to[--tl] = '\0';
            if (*what)
                add_deadline(doc, what, *to ? to : (free(to), NULL), h.due);
            else {
                free(what);
                free(to);
            }
        }
    }
    pp_toks_free(&ts);
}

void pp_prose_deadlines(const struct fview *v, size_t s, size_t e, int year, struct plan_doc *doc)
{
    /* Cheap filter first: most lines mention neither a report nor a plan next to a date. */
    bool digit = false;
    for (size_t i = s; i < e && !digit; i++)
        digit = fv_digit(v->f[i]);
    if (!digit || (!has_key(v, s, e, "bao cao", NULL) && !has_key(v, s, e, "ke hoach", NULL)))
        return;
    size_t a = s;
    for (size_t i = s; i <= e; i++) {
        /* Sentences end at ';' and at '.' followed by a capital; "TP. Hồ Chí Minh" is rare enough here. */
        bool cut = i == e || v->f[i] == ';' ||
                   (v->f[i] == '.' && i + 2 < e && v->f[i + 1] == ' ' && fv_upper(v->f[i + 2]));
        if (cut) {
            if (i > a)
                sentence_deadline(v, a, i, year, doc);
            a = i + 1;
        }
    }
}
