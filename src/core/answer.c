/* The assistant's answer picking: splits the retrieved passages into sentences, scores each against the question
 * (its words weighted by rarity, the pairs it keeps together, what the question asks for) and says how sure it is.
 * Must not retrieve anything (search is the store's) nor rephrase: an answer is sentences of the passages, verbatim. */
#include "core/answer.h"
#include "core/answer_internal.h"
#include "core/lexicon.h"
#include "core/text.h"
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Sentences of a passage: split after . ; ? ! and at line breaks, keeping list items whole. */
static int sentences(const char *text, char **out, int max)
{
    int n = 0;
    const char *start = text;
    for (const char *p = text;; p++) {
        /* Not at "; ": in plans it joins the parts of one item ("… Tháng tiêu dùng số; có các chương trình …"). */
        bool end = !*p || *p == '\n' || ((*p == '.' || *p == '?' || *p == '!') && (p[1] == ' ' || p[1] == '\n' || !p[1]));
        /* "22/4/2022." ends a sentence; "Quyết định số 505/QĐ-TTg." too; numbered items "1." at a line start do not. */
        if (end && *p == '.' && p - start < 4) end = false;
        if (end) {
            const char *a = start, *b = *p && *p != '\n' ? p + 1 : p;
            /* List marks and Markdown's ("## ", "**", "> ") are not words of the sentence. */
            while (a < b && (*a == ' ' || *a == '-' || *a == '*' || *a == '\t' || *a == '#' || *a == '>')) a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\r' || b[-1] == '*')) b--;
            if (b - a > 12 && n < max) {
                /* A heading ("2. Sở Giáo dục và Đào tạo", "1. Thời gian:") says what the next sentence is about:
                 * keep the two together rather than answer with a heading. */
                if (n && strlen(out[n - 1]) < 60 && !strchr(".;?!", out[n - 1][strlen(out[n - 1]) - 1])) {
                    char *joined = NULL;
                    if (asprintf(&joined, "%s %.*s", out[n - 1], (int)(b - a), a) >= 0) { free(out[n - 1]); out[n - 1] = joined; }
                } else {
                    out[n++] = strndup(a, (size_t)(b - a));
                }
            }
            if (!*p) break;
            start = p + 1;
        }
    }
    return n;
}

static double phrase_bonus(const char *phrase, bool counted, const char *f, double bonus)
{
    if (!phrase[0]) return 0;
    size_t n = strlen(phrase);
    for (const char *p = strstr(f, phrase); p; p = strstr(p + 1, phrase)) {
        bool word = (p == f || p[-1] == ' ') && (p[n] == ' ' || !p[n]);
        bool after_number = p - f >= 2 && isdigit((unsigned char)p[-2]);
        if (word && (!counted || after_number)) return bonus;
    }
    return 0;
}

static double asked_bonus(const struct asked *a, const char *f)
{
    double b = phrase_bonus(a->phrase, a->counted, f, 0.15);
    return b ? b : phrase_bonus(a->head, a->counted, f, 0.12);
}

/* "X là gì": a sentence of the form "… X … là …" defines X; the more of the question's words stand before its "là",
 * the more it reads as the definition. */
static double defines(const struct words *q, const char *f)
{
    const char *la = strstr(f, " la ");
    if (!la || !q->n) return 0;
    char *before_la = strndup(f, (size_t)(la - f));
    int before = 0;
    for (int i = 0; before_la && i < q->n; i++) if (text_folded_contains_word(before_la, q->w[i])) before++;
    free(before_la);
    return 0.2 * before / q->n;
}

/* A sentence's score: its own words (topic words discounted, W_TOPIC), its context's (title, section, the sentence
 * before), the passage's rank in search, and a place named in the question (its passages up, the others down). Set
 * on the tuned part of `make eval`. */
#define W_SENT 0.5
#define W_CTX 0.25
#define W_RANK 0.2
#define W_TOPIC 0.3
#define W_PLACE 0.2
#define W_NOPLACE 0.1
#define W_NEAR 1.5
struct answer_cand { char *text; int passage, k; double score, coverage; };

static int by_score(const void *a, const void *b)
{
    double x = ((const struct answer_cand *)a)->score, y = ((const struct answer_cand *)b)->score;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Which of the question's words (bit i) and word pairs (bit i: words i and i+1) a folded text holds, the lexicon's
 * equivalents counting as the word ("hạn chót" held by "thời hạn"). Read once per text: a sentence's context is the
 * union of its parts' (title, section, the sentence before, itself). */
struct held { uint64_t words, pairs; };

static struct held held_in(const struct words *q, const char *const (*alt)[ALTS], const char *f)
{
    struct held h = { 0, 0 };
    if (!f) return h;
    for (int i = 0; i < q->n; i++) {
        bool has = lexicon_has_phrase(f, q->w[i]);
        for (int a = 0; !has && alt && a < ALTS && alt[i][a]; a++) has = lexicon_has_phrase(f, alt[i][a]);
        if (has) h.words |= (uint64_t)1 << i;
    }
    for (int i = 0; i + 1 < q->n; i++) {
        if (!(h.words >> i & 1) || !(h.words >> (i + 1) & 1)) continue;
        char pair[160];
        snprintf(pair, sizeof pair, "%s %s", q->w[i], q->w[i + 1]);
        if (lexicon_has_phrase(f, pair)) h.pairs |= (uint64_t)1 << i;
    }
    return h;
}

static struct held held_or(struct held a, struct held b) { return (struct held){ a.words | b.words, a.pairs | b.pairs }; }

/* Share of the question's weight held: its words (weighted by rarity among the candidates) and the pairs it keeps
 * together. */
static double coverage(const struct words *q, const double *weight, struct held h)
{
    double got = 0, total = 0;
    for (int i = 0; i < q->n; i++) {
        total += weight[i];
        if (h.words >> i & 1) got += weight[i];
    }
    for (int i = 0; i + 1 < q->n; i++) {
        double w = (weight[i] + weight[i + 1]) / 2;
        total += w;
        if (h.pairs >> i & 1) got += w;
    }
    return total > 0 ? got / total : 0;
}

/* Adds the source of candidate c unless a source of the same url and title is already cited: one document once. */
static void cite(struct answer *out, const struct answer_passage *p, const struct answer_cand *c, char seen[][600])
{
    const struct answer_passage *ps = &p[c->passage];
    char key[600];
    snprintf(key, sizeof key, "%s#%s", ps->url ? ps->url : "", ps->title ? ps->title : "");
    for (size_t i = 0; i < out->nsources; i++)
        if (!strcmp(seen[i], key)) return;
    memcpy(seen[out->nsources], key, sizeof key);
    out->sources[out->nsources++] = (struct answer_source){ (size_t)c->passage, c->text, c->score, NULL, NULL };
}

/* The value of the line "label…" of a task's metadata (index_task in store/search_index.c writes them one a line). */
static bool task_line(const char *text, const char *label, char *out, size_t n)
{
    const char *p = text ? strstr(text, label) : NULL;
    if (!p) return false;
    p += strlen(label);
    size_t len = strcspn(p, "\n");
    while (len && (p[len - 1] == '.' || p[len - 1] == ' ')) len--;
    snprintf(out, n, "%.*s", (int)len, p);
    return len > 0;
}

static bool task_field(enum intent in, const struct answer_passage *p, char *out, size_t n)
{
    static const struct { enum intent in; const char *label, *say; } fields[] = {
        { ASK_WHO, "Đơn vị chủ trì: ", "Đơn vị chủ trì" }, { ASK_PARTNER, "Đơn vị phối hợp: ", "Đơn vị phối hợp" },
        { ASK_WHEN, "Thời hạn: ", "Thời hạn" }, { ASK_WHEN, "Thời gian: ", "Thời gian thực hiện" },
        { ASK_DEADLINE, "Thời hạn: ", "Thời hạn" }, { ASK_DEADLINE, "Thời gian: ", "Thời gian thực hiện" },
        { ASK_PRODUCT, "Kết quả, sản phẩm: ", "Sản phẩm" },
    };
    char value[600], plan[160] = "";
    const char *say = NULL;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !say; i++)
        if (fields[i].in == in && task_line(p->text, fields[i].label, value, sizeof value)) say = fields[i].say;
    if (!say) return false;
    const char *k = p->text ? strstr(p->text, " của kế hoạch ") : NULL;
    if (k && !strncmp(p->text, "Nhiệm vụ ", 12)) {
        k += strlen(" của kế hoạch ");
        int pl = (int)strcspn(k, ":\n");
        while (pl && (k[pl - 1] == '.' || k[pl - 1] == ' ')) pl--;
        snprintf(plan, sizeof plan, " (kế hoạch %.*s)", pl, k);
    }
    size_t tl = p->title ? strlen(p->title) : 0;
    while (tl && strchr(". ", p->title[tl - 1])) tl--;
    snprintf(out, n, "%s: %s. Nhiệm vụ: %.*s%s.", say, value, (int)tl, p->title ? p->title : "", plan);
    return true;
}

void answer_pick(const struct answer_question *aq, const struct answer_passage *passages, size_t np, struct answer *out)
{
    memset(out, 0, sizeof *out);
    out->uncertain = true;
    const struct words *q = &aq->q;
    if (!q->n || !np) {
        out->text = "Xin lỗi, tôi chưa tìm thấy thông tin về câu hỏi này. Bạn có thể gửi câu hỏi để biên tập viên trả lời.";
        return;
    }
    /* Word weights: rarer among the retrieved passages counts more (a local IDF). */
    double weight[MAXW];
    /* Each passage read once: its sentences, each folded once, and the folded title and section; the passage's folded
     * text is its folded sentences joined (what the rarity of a word and the years and places named are read from). */
    struct pre { char *sent[64], *fsent[64], *ftitle, *fhead; int ns; } *pre = calloc(np, sizeof *pre);
    char **ptext = calloc(np, sizeof *ptext);
    for (size_t i = 0; i < np; i++) {
        struct pre *r = &pre[i];
        r->ns = sentences(passages[i].text ? passages[i].text : "", r->sent, 64);
        struct buf_big { char *p; size_t n, cap; } j = { NULL, 0, 0 };
        for (int k = 0; k < r->ns; k++) {
            r->fsent[k] = text_fold(r->sent[k]);
            size_t l = r->fsent[k] ? strlen(r->fsent[k]) : 0;
            if (j.n + l + 2 > j.cap && !(j.p = realloc(j.p, j.cap = (j.n + l + 2) * 2))) abort();
            if (l) { memcpy(j.p + j.n, r->fsent[k], l); j.n += l; j.p[j.n++] = ' '; }
            j.p[j.n] = 0;
        }
        ptext[i] = j.p ? j.p : strdup("");
        r->ftitle = text_fold(passages[i].title ? passages[i].title : "");
        r->fhead = passages[i].heading ? text_fold(passages[i].heading) : NULL;
        /* A task's passage is its metadata; its title is the task itself. Answer with both: what, who, when. */
        const char *title = passages[i].title;
        if (passages[i].kind && !strcmp(passages[i].kind, "task") && r->ns < 64) {
            struct buf_q t = { "", 0 };
            size_t tl = title ? strlen(title) : 0;
            while (tl && strchr(". ", title[tl - 1])) tl--;
            t.n = (size_t)snprintf(t.s, sizeof t.s, "%.*s.", (int)tl, title ? title : "");
            for (int k = 0; k < r->ns; k++) {
                if (!strncmp(r->sent[k], "Nhiệm vụ ", 12) && strstr(r->sent[k], " của kế hoạch ")) continue;
                if (t.n < sizeof t.s) t.n += (size_t)snprintf(t.s + t.n, sizeof t.s - t.n, " %s", r->sent[k]);
            }
            for (int k = 0; k < r->ns; k++) { free(r->sent[k]); free(r->fsent[k]); }
            r->sent[0] = strdup(t.s);
            r->fsent[0] = text_fold(t.s);
            r->ns = 1;
        }
    }
    for (int i = 0; i < q->n; i++) {
        int df = 0;
        for (size_t k = 0; k < np; k++) if (ptext[k] && text_folded_contains_word(ptext[k], q->w[i])) df++;
        weight[i] = log(1.0 + (double)(np + 1) / (double)(df + 1)) + 0.2;
        if (aq->near[i]) weight[i] *= W_NEAR;
    }
    /* Passages that name other years and none of the question's. */
    bool *year_off = calloc(np, sizeof *year_off), *place_on = calloc(np, sizeof *place_on);
    for (size_t i = 0; i < np && (aq->nyears || aq->nplaces); i++) {
        if (!aq->nyears) break;
        const char *ft = pre[i].ftitle;
        bool ours = false, other = false;
        for (int pass = 0; pass < 2; pass++) {
            const char *f = pass ? ptext[i] : ft;
            for (const char *x = f; x && *x; x++) {
                if ((x != f && x[-1] != ' ') || !isdigit((unsigned char)x[0]) || strspn(x, "0123456789") != 4) continue;
                if (strncmp(x, "19", 2) && strncmp(x, "20", 2)) continue;
                bool mine = false;
                for (int y = 0; y < aq->nyears; y++) mine |= !strncmp(x, aq->years[y], 4);
                if (mine) ours = true; else other = true;
            }
        }
        year_off[i] = other && !ours;
    }
    /* A commune, ward or district the question names ("xã Phú Mỹ"): its passages (title, section or text) first. */
    for (size_t i = 0; i < np && aq->nlocal; i++) {
        const char *ft = pre[i].ftitle, *fh = pre[i].fhead;
        for (int y = 0; y < aq->nlocal; y++)
            place_on[i] |= (ft && lexicon_has_phrase(ft, aq->local[y])) || (fh && lexicon_has_phrase(fh, aq->local[y])) ||
                           (ptext[i] && lexicon_has_phrase(ptext[i], aq->local[y]));
    }
    /* The same for provinces: a passage that names other provinces and not the one asked about. */
    for (size_t i = 0; i < np && aq->nplaces; i++) {
        const char *ft = pre[i].ftitle;
        const char *found[8];
        int nf = lexicon_places(ft ? ft : "", found, 8);
        if (ptext[i]) nf += lexicon_places(ptext[i], found + nf, 8 - nf);
        bool ours = false;
        for (int k = 0; k < nf; k++)
            for (int y = 0; y < aq->nplaces; y++) ours |= found[k] == aq->places[y];
        if (nf && !ours) year_off[i] = true;
        place_on[i] |= ours;
    }
    bool any_place = false;
    for (size_t i = 0; i < np; i++) any_place |= place_on[i];
    double best_passage = passages[0].score;
    struct answer_cand *c = NULL;
    size_t nc = 0, cap = 0;
    for (size_t i = 0; i < np; i++) {
        const struct answer_passage *p = &passages[i];
        char **sent = pre[i].sent, **fsent = pre[i].fsent, *ftitle = pre[i].ftitle, *fhead = pre[i].fhead;
        int ns = pre[i].ns;
        double ps = best_passage > 0 ? p->score / best_passage : 0;
        /* The question's words the passage's title already holds name the document it is about, not the sentence
         * that answers: inside the passage they count less, so "giải Ba … 7 triệu đồng" beats the opening line
         * that repeats the title ("Thông báo Cuộc thi …"). A task's title is the task itself: not discounted. */
        double focus[MAXW];
        bool is_task = p->kind && !strcmp(p->kind, "task");
        for (int w = 0; w < q->n; w++)
            focus[w] = !is_task && ftitle && text_folded_contains_word(ftitle, q->w[w]) ? weight[w] * W_TOPIC : weight[w];
        const char *const (*alt)[ALTS] = (const char *const (*)[ALTS])aq->alt;
        struct held hsent[64], hframe = held_or(held_in(q, alt, ftitle), held_in(q, alt, fhead));
        for (int k = 0; k < ns; k++) hsent[k] = held_in(q, alt, fsent[k] ? fsent[k] : "");
        for (int k = 0; k < ns; k++) {
            if (nc == cap) c = realloc(c, (cap = cap ? cap * 2 : 64) * sizeof *c);
            const char *f = fsent[k] ? fsent[k] : "";
            double cov = coverage(q, weight, hsent[k]), cov_focus = coverage(q, focus, hsent[k]);
            /* The sentence after a question in the text ("… có phải đóng học phí không?") is its answer: it takes
             * the question's words as its own. */
            if (k && sent[k - 1][strlen(sent[k - 1]) - 1] == '?') {
                double qc = coverage(q, weight, hsent[k - 1]), qf = coverage(q, focus, hsent[k - 1]);
                if (qc > cov) cov = qc;
                if (qf > cov_focus) cov_focus = qf;
            }
            /* What the sentence is about often sits just before it (a heading, "2. Sở Giáo dục và Đào tạo") or in
             * the document's title: count those words too, at a lower weight than the sentence's own. */
            double cov_ctx = coverage(q, weight, held_or(held_or(hframe, k ? hsent[k - 1] : (struct held){ 0, 0 }), hsent[k]));
            double score = W_SENT * cov_focus + W_CTX * cov_ctx + W_RANK * ps + answer_intent_bonus(aq->intent, sent[k]);
            if (strlen(sent[k]) > 700) score -= 0.1;
            /* A bare heading or title line (no full stop, no figures) names a subject; it does not answer. */
            size_t len = strlen(sent[k]);
            if (len < 120 && !strchr(".;:?!", sent[k][len - 1]) && !has_figure(sent[k])) score -= 0.15;
            /* A letter's subject line ("V/v đề nghị báo cáo …") names what the letter is about, like its title. */
            else if (!strncmp(sent[k], "V/v", 3) || !strncmp(sent[k], "Về việc", strlen("Về việc"))) score -= 0.15;
            /* A question in the text ("Học viên có phải trả phí không?") asks, the sentence after it answers: that
             * one reads it as its context (cov_ctx), this one steps aside. */
            if (sent[k][len - 1] == '?') score -= 0.3;
            if (aq->asks_what_is) score += defines(q, f);
            score += asked_bonus(&aq->want, f);
            /* "Ai …": in a plan's "Tổ chức thực hiện" the unit is the section's heading ("2. Công an xã") and its
             * duties the lines below it ("- Chủ trì hướng dẫn …"). */
            if ((aq->intent == ASK_WHO || aq->intent == ASK_PARTNER) && p->heading && !has_unit(sent[k]) && has_unit(p->heading))
                score += 0.1;
            if (aq->asks_percent && strchr(sent[k], '%')) score += 0.1;
            /* "Căn cứ …", "Thực hiện …" name the document this one follows, not what it says: unless asked for. */
            if (!strncmp(sent[k], "Căn cứ", strlen("Căn cứ")) || !strncmp(sent[k], "Thực hiện", strlen("Thực hiện")))
                score += aq->asks_basis ? 0.2 : -0.12;
            /* "Những … gì", "gồm những": a list is asked for, and a lead-in ("… gồm:") opens one. */
            if (aq->asks_list && (strstr(sent[k], "gồm:") || sent[k][strlen(sent[k]) - 1] == ':')) score += 0.12;
            /* The index's own header of a task ("Nhiệm vụ 1.9 của kế hoạch …") names the item; it answers nothing. */
            if (!strncmp(sent[k], "Nhiệm vụ ", 12) && strstr(sent[k], " của kế hoạch ")) score -= 0.25;
            double conf = cov > cov_ctx ? cov : (cov + cov_ctx) / 2;
            /* Another year's passage is not an answer: a year asked for must be the passage's (title or text). */
            if (year_off[i]) { score -= 0.35; conf *= 0.5; }
            /* A passage of the place asked about (its title, section or text names it) over one that names none. */
            if (place_on[i]) score += W_PLACE;
            else if (any_place) score -= W_NOPLACE;
            c[nc++] = (struct answer_cand){ sent[k], (int)i, k, score, conf };
        }
        for (int k = 0; k < ns; k++) free(fsent[k]);
        free(ftitle);
        free(fhead);
    }
    for (size_t i = 0; i < np; i++) free(ptext[i]);
    free(ptext);
    free(pre);
    if (nc) qsort(c, nc, sizeof *c, by_score);
    out->cand = c;
    out->ncand = nc;
    if (!nc) {
        free(year_off);
        free(place_on);
        out->text = "Xin lỗi, tôi chưa tìm thấy câu trả lời phù hợp.";
        return;
    }
    /* Sources: the answering passage first, then the others in the order of their best sentence. */
    char seen[ANSWER_SOURCES][600];
    /* A passage of another year or place than the question names is no source either, while any other is at hand. */
    for (size_t i = 0; i < nc && out->nsources < ANSWER_SOURCES; i++) if (!year_off[c[i].passage]) cite(out, passages, &c[i], seen);
    if (!out->nsources)
        for (size_t i = 0; i < nc && out->nsources < ANSWER_SOURCES; i++) cite(out, passages, &c[i], seen);
    free(year_off);
    free(place_on);
    year_off = NULL;
    /* Each cited sentence with its neighbours, so the page can show it in place. */
    for (size_t si = 0; si < out->nsources; si++) {
        const struct answer_cand *me = NULL;
        for (size_t i = 0; i < nc && !me; i++) if (c[i].text == out->sources[si].snippet) me = &c[i];
        for (size_t i = 0; me && i < nc; i++) {
            if (c[i].passage != me->passage) continue;
            if (c[i].k == me->k - 1) out->sources[si].before = c[i].text;
            if (c[i].k == me->k + 1) out->sources[si].after = c[i].text;
        }
    }
    /* Confidence: how much of the question the answering sentence covers, with a floor for a lone word. */
    double conf = c[0].coverage * (q->n >= 2 ? 1.0 : 0.7);
    /* A sentence without the kind of thing asked for (a date, a figure) answers less surely, whatever its words. */
    if (((aq->intent == ASK_WHEN || aq->intent == ASK_ISSUED || aq->intent == ASK_DEADLINE) && !has_date(c[0].text) &&
         !has_digit(c[0].text)) ||
        (aq->intent == ASK_MONEY && !has_money(c[0].text)) ||
        (aq->intent == ASK_HOW_MANY && !has_digit(c[0].text)))
        conf *= 0.75;
    /* A close runner-up elsewhere (another passage, or a sentence not next to it) says the words fit several places:
     * less sure. */
    {
        double second = 0;
        for (size_t i = 1; i < nc; i++)
            if (c[i].passage != c[0].passage || abs(c[i].k - c[0].k) > 1) { second = c[i].score; break; }
        double margin = c[0].score - second, m = 0.1;
        if (margin < m) conf *= 1 - 0.3 * (m - margin) / m;
    }
    if (conf > 1) conf = 1;
    out->confidence = round(conf * 100) / 100;
    if (out->confidence < ANSWER_CONFIDENT) {
        out->text = "Tôi chưa chắc chắn về câu trả lời. Các nguồn dưới đây có thể liên quan; bạn cũng có thể gửi câu hỏi để biên tập viên trả lời.";
        return;
    }
    /* A question in another language: nothing we hold answers it, whatever its words happened to match. */
    if (aq->foreign) {
        out->confidence = 0.1;
        out->text = "Tôi chưa chắc chắn về câu trả lời. Các nguồn dưới đây có thể liên quan; bạn cũng có thể gửi câu hỏi để biên tập viên trả lời.";
        return;
    }
    out->uncertain = false;
    /* A task asked for one of its fields (who leads, partners, deadline, deliverable): that field, citing the task. */
    const struct answer_passage *bp = &passages[c[0].passage];
    if (bp->kind && !strcmp(bp->kind, "task") && task_field(aq->intent, bp, out->buf, sizeof out->buf)) {
        out->text = out->buf;
        return;
    }
    /* A list's lead-in ("Số liệu gồm:") answers with its items: the sentences after it in the passage. */
    size_t l0 = strlen(c[0].text);
    if (l0 && (c[0].text[l0 - 1] == ':' || strstr(c[0].text, "gồm:"))) {
        snprintf(out->buf, sizeof out->buf, "%s", c[0].text);
        for (int k = c[0].k + 1, added = 0; added < 6; k++, added++) {
            size_t i = 0;
            while (i < nc && !(c[i].passage == c[0].passage && c[i].k == k)) i++;
            if (i == nc) break;
            size_t l = strlen(out->buf);
            if (l + strlen(c[i].text) + 4 >= sizeof out->buf) break;
            snprintf(out->buf + l, sizeof out->buf - l, " %s", c[i].text);
            /* Items end with ";" but the last, which closes the list with a full stop. */
            if (c[i].text[strlen(c[i].text) - 1] == '.') break;
        }
        out->text = out->buf;
        return;
    }
    /* A duty listed under its unit ("2. Công an xã" / "- Chủ trì …") is answered with the unit: the heading leads. */
    size_t at = 0;
    if ((aq->intent == ASK_WHO || aq->intent == ASK_PARTNER) && bp->heading && has_unit(bp->heading) && !has_unit(c[0].text) &&
        !strstr(c[0].text, bp->heading))
        at = (size_t)snprintf(out->buf, sizeof out->buf, "%s: ", bp->heading);
    if (at >= sizeof out->buf) at = 0;
    /* A short sentence alone rarely answers: add the passage's next best sentence (often the one after it). */
    snprintf(out->buf + at, sizeof out->buf - at, "%s", c[0].text);
    if (strlen(c[0].text) < 60)
        for (size_t i = 1; i < nc; i++)
            if (c[i].passage == c[0].passage && c[i].text != c[0].text) {
                size_t l = strlen(out->buf);
                snprintf(out->buf + l, sizeof out->buf - l, " %s", c[i].text);
                break;
            }
    out->text = out->buf;
}

void answer_free(struct answer *a)
{
    for (size_t i = 0; i < a->ncand; i++) free(a->cand[i].text);
    free(a->cand);
    a->cand = NULL;
    a->ncand = a->nsources = 0;
}
