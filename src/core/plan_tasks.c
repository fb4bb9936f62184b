/* Tasks from the outline and from prose: lead, partners, deadline or window, recurrence, deliverable, ref, warnings.
 * Must not walk the tree recursively, rescan a parent's text per child, nor invent a lead the text does not name. */
#include "core/plan_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_parse.h"
#include "core/text.h"

struct rngs {
    struct {
        uint32_t s, e;
    } *r;
    int n, cap;
};

static void rng_add(struct rngs *a, uint32_t s, uint32_t e)
{
    if (e <= s)
        return;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->r = pp_xrealloc(a->r, (size_t)a->cap * sizeof *a->r);
    }
    a->r[a->n].s = s;
    a->r[a->n].e = e;
    a->n++;
}

struct iinfo {
    struct slist lead_first, lead_later;
    const struct slist *eff; /* lead handed down to sub-items */
    bool uh;                 /* the title is a unit heading ("1. Sở Tài chính") */
    uint32_t rest_s, rest_e; /* duty written after "Unit:" on the heading line */
    bool fields, absorbed, task, body, body_colon;
    int f0, nf;              /* fields of the item: fidx[f0 .. f0+nf) */
    /* what the item itself says about time, computed once: sub-items without dates of their own read it */
    bool when_done, wf_got;
    struct plan_task wf;     /* only has_due/due/has_window/window_* are used */
    const char *wf_rec;
    struct when_hit wp;
};

struct tctx {
    const struct fview *v;
    const struct pstruct *ps;
    struct iinfo *ii;
    int *fidx;
    int year;
    bool articles;
    struct toks ts;
};

struct tmp_task {
    struct plan_task t;
    int item;        /* item index, or -1 for a prose paragraph */
    int owner, seq;  /* prose: the section it belongs to and its rank there */
    size_t order;
};

void pp_add_warning(char ***arr, int *n, const char *msg)
{
    /* A reviewer reads the first hundred; the cap also keeps the duplicate check cheap. */
    if (*n >= 100)
        return;
    for (int i = 0; i < *n; i++)
        if (strcmp((*arr)[i], msg) == 0)
            return;
    *arr = pp_xrealloc(*arr, (size_t)(*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = pp_xstrdup(msg);
}

/* An excerpt of the source for a message, cut at a character boundary. */
static char *excerpt(const struct fview *v, size_t s, size_t e)
{
    char *x = pp_fv_extract(v, s, e);
    size_t n = strlen(x);
    if (n > 80) {
        n = 80;
        while (n > 0 && ((unsigned char)x[n] & 0xC0) == 0x80)
            n--;
        x[n] = '\0';
    }
    return x;
}

static void warn_excerpt(struct plan_task *t, const char *fmt, const struct fview *v, size_t s, size_t e)
{
    char *x = excerpt(v, s, e);
    size_t n = strlen(fmt) + strlen(x) + 1;
    char *msg = pp_xmalloc(n);
    snprintf(msg, n, fmt, x);
    pp_add_warning(&t->warnings, &t->nwarnings, msg);
    free(msg);
    free(x);
}

static bool is_desc(const struct pstruct *ps, int y, int x)
{
    for (int p = ps->it[y].parent, guard = 0; p >= 0 && guard < 64; p = ps->it[p].parent, guard++)
        if (p == x)
            return true;
    return false;
}

/* The item's own prose: its title (or the duty after a unit heading), its paragraphs, and with kids the text of
 * the bullets it absorbs. */
static void own_text(const struct tctx *c, int x, bool title, bool kids, struct rngs *out)
{
    const struct pstruct *ps = c->ps;
    const struct pitem *it = &ps->it[x];
    if (title) {
        if (c->ii[x].uh)
            rng_add(out, c->ii[x].rest_s, c->ii[x].rest_e);
        else
            rng_add(out, it->ts, it->te);
    }
    for (int l = it->line0 + 1; it->line0 >= 0 && l < it->line1 && l < ps->nln; l++)
        if (ps->ln[l].item == x && ps->ln[l].kind == LK_TEXT)
            rng_add(out, ps->ln[l].s, ps->ln[l].e);
    if (kids)
        for (int y = x + 1; y < ps->nit && is_desc(ps, y, x); y++)
            if (ps->it[y].kind == IK_DASH || ps->it[y].kind == IK_PLUS)
                own_text(c, y, true, false, out);
}

static void fields_units(struct tctx *c, int x, int kind, struct slist *out)
{
    for (int i = 0; i < c->ii[x].nf; i++) {
        const struct pfield *f = &c->ps->fd[c->fidx[c->ii[x].f0 + i]];
        if (f->kind != kind || f->e <= f->s)
            continue;
        pp_toks_scan(&c->ts, c->v, f->s, f->e);
        int why;
        pp_units_parse(c->v, &c->ts, 0, c->ts.n, UL_FIELD, out, &why);
    }
}

static bool unit_heading(struct tctx *c, int x)
{
    const struct pitem *it = &c->ps->it[x];
    struct iinfo *ii = &c->ii[x];
    if (it->kind != IK_ARABIC && it->kind != IK_LETTER && it->kind != IK_PAREN && it->kind != IK_DASH &&
        it->kind != IK_PLUS)
        return false;
    pp_toks_scan(&c->ts, c->v, it->ts, it->te);
    if (c->ts.n == 0 || c->ts.n > 48)
        return false;
    size_t k0 = 0, end;
    if (pp_fv_word(c->v, c->ts.t[0].s, "Đề nghị", true, &end))
        k0 = pp_toks_at(&c->ts, 0, end); /* "3. Đề nghị Bộ Thông tin và Truyền thông" */
    if (!pp_units_starter(c->v, &c->ts, k0, true))
        return false;
    struct slist tmp = {0};
    int why;
    size_t stop = pp_units_parse(c->v, &c->ts, k0, c->ts.n, UL_HEADING, &tmp, &why);
    bool ok = false;
    if (stop >= c->ts.n) {
        ok = true;
        ii->rest_s = ii->rest_e = 0;
    } else if (c->ts.t[stop].c == ':') {
        ok = true;
        ii->rest_s = c->ts.t[stop].e;
        ii->rest_e = it->te;
    } else if (c->ts.t[stop].c == '.' && stop + 1 == c->ts.n) {
        ok = true;
    }
    if (ok && tmp.n > 0) {
        ii->lead_first = tmp;
        return true;
    }
    pp_sl_free(&tmp);
    return false;
}

static void analyse_items(struct tctx *c)
{
    const struct pstruct *ps = c->ps;
    for (int x = 1; x < ps->nit; x++) {
        const struct pitem *it = &ps->it[x];
        struct iinfo *ii = &c->ii[x];
        for (int i = 0; i < ii->nf; i++) {
            int k = ps->fd[c->fidx[ii->f0 + i]].kind;
            if (k == FK_LEAD || k == FK_PARTNER || k == FK_DUE || k == FK_DELIV)
                ii->fields = true;
        }
        for (int l = it->line0 + 1; it->line0 >= 0 && l < it->line1 && l < ps->nln; l++)
            if (ps->ln[l].item == x && ps->ln[l].kind == LK_TEXT) {
                ii->body = true;
                ii->body_colon = c->v->f[ps->ln[l].e - 1] == ':';
            }
        fields_units(c, x, FK_LEAD, &ii->lead_first);
        if (ii->lead_first.n == 0)
            ii->uh = unit_heading(c, x);
        if (ii->lead_first.n == 0 && it->kind != IK_TROW && it->kind != IK_TGROUP) {
            pp_prose_lead(c->v, it->ts, it->te, LEAD_ALLOW_DO, &ii->lead_first);
            /* A heading-like title ("a) Khảo sát trực tuyến") leaves the first sentence to the paragraph under it. */
            for (int l = it->line0 + 1; ii->lead_first.n == 0 && !ii->uh && l < it->line1 && l < ps->nln; l++)
                if (ps->ln[l].item == x && ps->ln[l].kind == LK_TEXT) {
                    pp_prose_lead(c->v, ps->ln[l].s, ps->ln[l].e, LEAD_ALLOW_DO, &ii->lead_first);
                    break;
                }
        }
        const struct slist *peff = c->ii[it->parent].eff;
        if (ii->lead_first.n)
            ii->eff = &ii->lead_first;
        else if (peff && peff->n)
            ii->eff = peff;
        else {
            struct rngs r = {0};
            own_text(c, x, false, false, &r);
            for (int i = 0; i < r.n && ii->lead_later.n == 0; i++)
                pp_prose_lead(c->v, r.r[i].s, r.r[i].e, LEAD_ALLOW_DO, &ii->lead_later);
            free(r.r);
            ii->eff = ii->lead_later.n ? &ii->lead_later : NULL;
        }
    }
}

static void prose_when(const struct tctx *c, const struct rngs *r, struct when_hit *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < r->n; i++) {
        struct when_hit h;
        pp_when_scan(c->v, r->r[i].s, r->r[i].e, true, c->year, &h);
        if (!out->has_due && h.has_due) {
            out->has_due = true;
            out->due = h.due;
        }
        if (!out->has_win && h.has_win) {
            out->has_win = true;
            out->from = h.from;
            out->to = h.to;
        }
        if (!out->bad && h.bad) {
            out->bad = true;
            out->bad_s = h.bad_s;
            out->bad_e = h.bad_e;
        }
    }
}

/* Deadline fields of item x, segment by segment ("+ Năm 2022: …" lines): the first date wins. */
static bool field_when(struct tctx *c, int x, struct plan_task *t, const char **rec, bool warn)
{
    bool any = false, got = false;
    for (int i = 0; i < c->ii[x].nf; i++) {
        const struct pfield *f = &c->ps->fd[c->fidx[c->ii[x].f0 + i]];
        if (f->kind != FK_DUE || f->e <= f->s)
            continue;
        any = true;
        struct when_hit h;
        pp_when_scan(c->v, f->s, f->e, false, c->year, &h);
        if (h.bad && warn && t)
            warn_excerpt(t, "Ngày không hợp lệ: «%s».", c->v, h.bad_s, h.bad_e);
        if (t && !t->has_due && h.has_due) {
            t->has_due = true;
            t->due = h.due;
        }
        if (t && !t->has_window && h.has_win) {
            t->has_window = true;
            t->window_from = h.from;
            t->window_to = h.to;
        }
        if (rec && !*rec && h.rec)
            *rec = h.rec;
        got |= h.has_due || h.has_win || h.rec;
    }
    if (any && !got && warn && t) {
        for (int i = 0; i < c->ii[x].nf; i++) {
            const struct pfield *f = &c->ps->fd[c->fidx[c->ii[x].f0 + i]];
            if (f->kind == FK_DUE && f->e > f->s) {
                warn_excerpt(t, "Không đọc được thời hạn: «%s».", c->v, f->s, f->e);
                break;
            }
        }
    }
    return got;
}

static char **copy_list(const struct slist *l, int *n)
{
    *n = l ? l->n : 0;
    if (!*n)
        return NULL;
    char **v = pp_xmalloc((size_t)*n * sizeof *v);
    for (int i = 0; i < *n; i++)
        v[i] = pp_xstrdup(l->v[i]);
    return v;
}

static char **take_list(struct slist *l, int *n)
{
    *n = l->n;
    char **v = l->n ? l->v : NULL;
    if (!l->n)
        free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
    return v;
}

static char *join_fields(struct tctx *c, int x, int kind)
{
    char *out = NULL;
    size_t n = 0;
    for (int i = 0; i < c->ii[x].nf; i++) {
        const struct pfield *f = &c->ps->fd[c->fidx[c->ii[x].f0 + i]];
        if (f->kind != kind || f->e <= f->s)
            continue;
        char *part = pp_fv_extract(c->v, f->s, f->e);
        size_t pl = strlen(part);
        out = pp_xrealloc(out, n + pl + 2);
        if (n)
            out[n++] = ' ';
        memcpy(out + n, part, pl + 1);
        n += pl;
        free(part);
    }
    while (out && n > 0 && (out[n - 1] == '.' || out[n - 1] == ' ' || out[n - 1] == ';'))
        out[--n] = '\0';
    if (out && !*out) {
        free(out);
        out = NULL;
    }
    return out;
}

static const struct iinfo *item_when(struct tctx *c, int x)
{
    struct iinfo *ii = &c->ii[x];
    if (!ii->when_done) {
        ii->when_done = true;
        ii->wf_got = field_when(c, x, &ii->wf, &ii->wf_rec, false);
        struct rngs r = {0};
        own_text(c, x, true, false, &r);
        prose_when(c, &r, &ii->wp);
        free(r.r);
    }
    return ii;
}

static bool is_task(struct tctx *c, int x)
{
    const struct pitem *it = &c->ps->it[x];
    struct iinfo *ii = &c->ii[x];
    const struct iinfo *pi = &c->ii[it->parent];
    ii->absorbed = (it->kind == IK_DASH || it->kind == IK_PLUS) && (pi->absorbed || (pi->task && pi->fields));
    if (ii->absorbed || it->excluded || (it->article && !c->articles))
        return false;
    switch (it->kind) {
    case IK_ARABIC: case IK_LETTER: case IK_PAREN: case IK_DASH: case IK_PLUS: case IK_TROW: case IK_ROMAN:
    case IK_ROMAN_SUB: case IK_ARTICLE:
        break;
    default:
        return false;
    }
    if (ii->fields)
        return true;
    if (it->kind == IK_TROW)
        return it->te > it->ts;
    if (it->nchild > 0)
        return ii->uh && ii->body && !ii->body_colon;
    if (ii->uh)
        return ii->rest_e > ii->rest_s || ii->body;
    /* A section heading is not a task; the paragraphs under it are read as prose (prose_tasks). An article of
     * a decision carries its text on its own line, so it is a task when that line assigns work. */
    if (it->kind == IK_ROMAN || it->kind == IK_ROMAN_SUB)
        return false;
    if (it->kind == IK_ARTICLE)
        return ii->lead_first.n > 0;
    if (ii->eff && ii->eff->n)
        return true;
    const struct iinfo *w = item_when(c, x);
    return w->wp.has_due || w->wp.has_win;
}

static void make_item_task(struct tctx *c, int x, struct tmp_task *tt)
{
    const struct pitem *it = &c->ps->it[x];
    struct iinfo *ii = &c->ii[x];
    struct plan_task *t = &tt->t;
    memset(tt, 0, sizeof *tt);
    tt->item = x;
    /* title */
    if (ii->uh && ii->rest_e > ii->rest_s)
        t->title = pp_fv_extract(c->v, ii->rest_s, ii->rest_e);
    else if (ii->uh && ii->body) {
        for (int l = it->line0 + 1; l < it->line1 && l < c->ps->nln && !t->title; l++)
            if (c->ps->ln[l].item == x && c->ps->ln[l].kind == LK_TEXT)
                t->title = pp_fv_extract(c->v, c->ps->ln[l].s, c->ps->ln[l].e);
    }
    if (!t->title)
        t->title = pp_fv_extract(c->v, it->ts, it->te);
    /* lead: field, heading or first sentence; else what the parent hands down; else a later sentence */
    const struct slist *lead = ii->eff;
    t->lead = copy_list(lead, &t->nlead);
    if (!t->nlead)
        pp_add_warning(&t->warnings, &t->nwarnings, "Chưa xác định được đơn vị chủ trì.");
    /* partners */
    struct slist partners = {0};
    fields_units(c, x, FK_PARTNER, &partners);
    struct rngs r = {0};
    own_text(c, x, true, ii->fields, &r);
    if (partners.n == 0)
        for (int i = 0; i < r.n; i++)
            pp_prose_partners(c->v, r.r[i].s, r.r[i].e, &partners);
    t->partners = take_list(&partners, &t->npartners);
    /* when */
    const char *rec = NULL;
    bool got = field_when(c, x, t, &rec, true);
    if (!got && it->kind != IK_TROW) {
        struct when_hit h;
        prose_when(c, &r, &h);
        if (h.bad)
            warn_excerpt(t, "Ngày không hợp lệ: «%s».", c->v, h.bad_s, h.bad_e);
        t->has_due = h.has_due;
        t->due = h.due;
        t->has_window = h.has_win;
        t->window_from = h.from;
        t->window_to = h.to;
    }
    free(r.r);
    /* Nothing of its own: the time frame of the nearest enclosing item that states one. */
    for (int p = it->parent; !t->has_due && !t->has_window && !rec && p > 0; p = c->ps->it[p].parent) {
        const struct iinfo *pw = item_when(c, p);
        if (pw->wf_got) {
            t->has_due = pw->wf.has_due;
            t->due = pw->wf.due;
            t->has_window = pw->wf.has_window;
            t->window_from = pw->wf.window_from;
            t->window_to = pw->wf.window_to;
            rec = pw->wf_rec;
            break;
        }
        if (pw->wp.has_due || pw->wp.has_win) {
            t->has_due = pw->wp.has_due;
            t->due = pw->wp.due;
            t->has_window = pw->wp.has_win;
            t->window_from = pw->wp.from;
            t->window_to = pw->wp.to;
        }
    }
    t->recurrence = rec ? pp_xstrdup(rec) : NULL;
    t->deliverable = join_fields(c, x, FK_DELIV);
    if (it->warn)
        pp_add_warning(&t->warnings, &t->nwarnings, it->warn);
    t->src_start = c->v->off[it->src_s];
    t->src_end = c->v->off[it->src_e < c->v->n ? it->src_e : c->v->n];
}

/* Paragraphs outside numbered items that assign work ("Giao Sở X …", "Cục X phối hợp với …"), and the ones
 * that continue them ("Phối hợp với …", "Tổng hợp, …" after such a paragraph). */
static void prose_tasks(struct tctx *c, struct tmp_task **arr, int *n, int *cap)
{
    const struct pstruct *ps = c->ps;
    int chain = -1;
    int *seq = calloc((size_t)ps->nit, sizeof *seq);
    if (!seq)
        abort();
    for (int l = 0; l < ps->nln; l++) {
        const struct pline *ln = &ps->ln[l];
        if (ln->kind == LK_BLANK)
            continue;
        const struct pitem *o = &ps->it[ln->item];
        bool ok = ln->kind == LK_TEXT &&
                  (o->kind == IK_ROOT || o->kind == IK_ROMAN || o->kind == IK_ROMAN_SUB) && !o->excluded &&
                  (!o->article || c->articles);
        if (!ok || c->v->f[ln->e - 1] == ':') {
            chain = -1;
            continue;
        }
        struct slist lead = {0};
        bool assign = pp_prose_lead(c->v, ln->s, ln->e, 0, &lead);
        if (!assign && chain >= 0 && pp_prose_continues(c->v, ln->s, ln->e)) {
            for (int i = 0; i < (*arr)[chain].t.nlead; i++)
                pp_sl_push(&lead, pp_xstrdup((*arr)[chain].t.lead[i]));
            assign = true;
        }
        if (!assign && chain >= 0 && pp_fv_word(c->v, ln->s, "theo đó", true, NULL)) {
            /* "Theo đó, … trong thời gian …" details the task above. */
            struct plan_task *t = &(*arr)[chain].t;
            struct rngs r = {0};
            rng_add(&r, ln->s, ln->e);
            struct when_hit h;
            prose_when(c, &r, &h);
            free(r.r);
            if (!t->has_due && h.has_due) {
                t->has_due = true;
                t->due = h.due;
            }
            if (!t->has_window && h.has_win) {
                t->has_window = true;
                t->window_from = h.from;
                t->window_to = h.to;
            }
            t->src_end = c->v->off[ln->e];
            pp_sl_free(&lead);
            continue;
        }
        if (!assign) {
            pp_sl_free(&lead);
            chain = -1;
            continue;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *arr = pp_xrealloc(*arr, (size_t)*cap * sizeof **arr);
        }
        struct tmp_task *tt = &(*arr)[*n];
        memset(tt, 0, sizeof *tt);
        tt->item = -1;
        tt->owner = ln->item;
        tt->seq = ++seq[ln->item];
        struct plan_task *t = &tt->t;
        t->title = pp_fv_extract(c->v, ln->s, ln->e);
        t->lead = take_list(&lead, &t->nlead);
        struct slist partners = {0};
        pp_prose_partners(c->v, ln->s, ln->e, &partners);
        t->partners = take_list(&partners, &t->npartners);
        struct rngs r = {0};
        rng_add(&r, ln->s, ln->e);
        struct when_hit h;
        prose_when(c, &r, &h);
        free(r.r);
        if (h.bad)
            warn_excerpt(t, "Ngày không hợp lệ: «%s».", c->v, h.bad_s, h.bad_e);
        t->has_due = h.has_due;
        t->due = h.due;
        t->has_window = h.has_win;
        t->window_from = h.from;
        t->window_to = h.to;
        t->src_start = c->v->off[ln->s];
        t->src_end = c->v->off[ln->e];
        chain = (*n)++;
    }
    free(seq);
}

/* ---- refs ---- */

static char *cat3(const char *a, const char *sep, const char *b)
{
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *s = pp_xmalloc(n);
    snprintf(s, n, "%s%s%s", a, *a ? sep : "", b);
    return s;
}

static bool roman_like(const struct pitem *it)
{
    return it->kind == IK_ROMAN || it->kind == IK_ROMAN_SUB || it->kind == IK_ARTICLE ||
           (it->kind == IK_TGROUP && it->num[0]);
}

static char **base_refs(const struct pstruct *ps)
{
    char **b = pp_xmalloc((size_t)ps->nit * sizeof *b);
    b[0] = pp_xstrdup("");
    for (int x = 1; x < ps->nit; x++) {
        const struct pitem *it = &ps->it[x];
        const char *pb = b[it->parent];
        char num[32];
        switch (it->kind) {
        case IK_LETTER:
            b[x] = cat3(pb, ".", it->num);
            break;
        case IK_PAREN:
            snprintf(num, sizeof num, "(%s)", it->num);
            b[x] = cat3(pb, ".", num);
            break;
        case IK_DASH: case IK_PLUS:
            snprintf(num, sizeof num, "%d", it->seq);
            b[x] = cat3(pb, ".", num);
            break;
        case IK_TROW:
            if (it->num[0])
                b[x] = pp_xstrdup(it->num);
            else {
                snprintf(num, sizeof num, "%d", it->seq);
                b[x] = cat3(pb, ".", num);
            }
            break;
        default:
            b[x] = pp_xstrdup(it->num);
        }
    }
    return b;
}

static int cmp_order(const void *a, const void *b)
{
    const struct tmp_task *x = a, *y = b;
    if (x->t.src_start != y->t.src_start)
        return x->t.src_start < y->t.src_start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_ref(const void *a, const void *b)
{
    const struct tmp_task *const *x = a, *const *y = b;
    int c = strcmp((*x)->t.ref, (*y)->t.ref);
    return c ? c : ((*x)->order < (*y)->order ? -1 : 1);
}

/* Marks refs that occur more than once (sorting, not pairwise comparison: plans can have thousands of rows).
 * Returns whether any did; with warn, the later copies get a warning. */
static bool duplicate_refs(struct tmp_task *tt, int n, bool warn)
{
    if (n < 2)
        return false;
    struct tmp_task **ix = pp_xmalloc((size_t)n * sizeof *ix);
    for (int i = 0; i < n; i++)
        ix[i] = &tt[i];
    qsort(ix, (size_t)n, sizeof *ix, cmp_ref);
    bool dup = false;
    for (int i = 1; i < n; i++)
        if (strcmp(ix[i - 1]->t.ref, ix[i]->t.ref) == 0) {
            dup = true;
            if (warn)
                pp_add_warning(&ix[i]->t.warnings, &ix[i]->t.nwarnings, "Số hiệu nhiệm vụ bị trùng.");
        }
    free(ix);
    return dup;
}

static void assign_refs(const struct pstruct *ps, struct tmp_task *tt, int n)
{
    char **b = base_refs(ps);
    for (int i = 0; i < n; i++) {
        if (tt[i].item >= 0) {
            tt[i].t.ref = pp_xstrdup(b[tt[i].item]);
        } else {
            char num[16];
            snprintf(num, sizeof num, "%d", tt[i].seq);
            tt[i].t.ref = cat3(b[tt[i].owner], ".", num);
        }
    }
    if (duplicate_refs(tt, n, false)) {
        /* Numbering restarts in each part ("II.1. … 1.", "II.3. … 1."): qualify refs with the part's number. */
        for (int i = 0; i < n; i++) {
            int x = tt[i].item >= 0 ? ps->it[tt[i].item].parent : -1;
            if (tt[i].item < 0)
                continue;
            while (x > 0 && !roman_like(&ps->it[x]))
                x = ps->it[x].parent;
            if (x <= 0)
                continue;
            const char *pre = ps->it[x].num;
            size_t pl = strlen(pre);
            if (strncmp(tt[i].t.ref, pre, pl) == 0 && tt[i].t.ref[pl] == '.')
                continue;
            char *q = cat3(pre, ".", tt[i].t.ref);
            free(tt[i].t.ref);
            tt[i].t.ref = q;
        }
        duplicate_refs(tt, n, true);
    }
    for (int x = 0; x < ps->nit; x++)
        free(b[x]);
    free(b);
}

void pp_tasks_collect(const struct fview *v, const struct pstruct *ps, struct plan_doc *doc, int year, bool articles)
{
    struct tctx c = {v, ps, NULL, NULL, year, articles, {0}};
    c.ii = calloc((size_t)ps->nit, sizeof *c.ii);
    c.fidx = malloc(((size_t)ps->nfd + 1) * sizeof *c.fidx);
    if (!c.ii || !c.fidx)
        abort();
    /* fields grouped by item, in document order */
    for (int i = 0; i < ps->nfd; i++)
        c.ii[ps->fd[i].item].nf++;
    for (int x = 0, acc = 0; x < ps->nit; x++) {
        c.ii[x].f0 = acc;
        acc += c.ii[x].nf;
        c.ii[x].nf = 0;
    }
    for (int i = 0; i < ps->nfd; i++) {
        struct iinfo *ii = &c.ii[ps->fd[i].item];
        c.fidx[ii->f0 + ii->nf++] = i;
    }
    analyse_items(&c);
    struct tmp_task *tt = NULL;
    int n = 0, cap = 0;
    for (int x = 1; x < ps->nit; x++) {
        c.ii[x].task = is_task(&c, x);
        if (!c.ii[x].task)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            tt = pp_xrealloc(tt, (size_t)cap * sizeof *tt);
        }
        make_item_task(&c, x, &tt[n++]);
    }
    prose_tasks(&c, &tt, &n, &cap);
    for (int i = 0; i < n; i++)
        tt[i].order = (size_t)i;
    if (n > 1)
        qsort(tt, (size_t)n, sizeof *tt, cmp_order);
    assign_refs(ps, tt, n);
    /* Numbering problems on items that are not tasks still concern the reviewer. */
    for (int x = 1; x < ps->nit; x++)
        if (ps->it[x].warn && !c.ii[x].task && !ps->it[x].excluded) {
            char msg[256];
            snprintf(msg, sizeof msg, "Mục %s: %s", ps->it[x].num, ps->it[x].warn);
            pp_add_warning(&doc->warnings, &doc->nwarnings, msg);
        }
    doc->tasks = pp_xrealloc(doc->tasks, (size_t)(doc->ntasks + n + 1) * sizeof *doc->tasks);
    for (int i = 0; i < n; i++)
        doc->tasks[doc->ntasks++] = tt[i].t;
    free(tt);
    for (int x = 0; x < ps->nit; x++) {
        pp_sl_free(&c.ii[x].lead_first);
        pp_sl_free(&c.ii[x].lead_later);
    }
    free(c.ii);
    free(c.fidx);
    pp_toks_free(&c.ts);
}
