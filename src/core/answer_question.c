/* Reading a question for the assistant: its folded words, the content words to retrieve with (stop words out, the
 * lexicon's equivalents in), the words next to the question word, the years, provinces and communes it names, its
 * language and the kind of thing it asks for. Pure: must not look at any passage. */
#include "core/answer.h"
#include "core/answer_internal.h"
#include "core/lexicon.h"
#include "core/text.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Words that carry the question's form, not its subject ("là gì", "khi nào", "tôi có thể … không"): folded, and as
 * written with their marks, for a question typed with diacritics tells "có" (a stop) from "cơ" (in "cơ quan"). */
static const char *const stop[][2] = {
    { "la", "là" }, { "gi", "gì" }, { "khi", "khi" }, { "nao", "nào" }, { "bao", "bao" }, { "gio", "giờ" }, { "o", "ở" },
    { "dau", "đâu" }, { "nhu", "như" }, { "the", "thế" }, { "co", "có" }, { "khong", "không" }, { "duoc", "được" },
    { "cua", "của" }, { "va", "và" }, { "cho", "cho" }, { "toi", "tôi" }, { "minh", "mình" }, { "ban", "bạn" },
    { "lam", "làm" }, { "sao", "sao" }, { "ai", "ai" }, { "nhung", "những" }, { "cac", "các" }, { "mot", "một" },
    { "nay", "này" }, { "do", "đó" }, { "thi", "thì" }, { "se", "sẽ" }, { "da", "đã" }, { "dang", "đang" }, { "can", "cần" },
    { "phai", "phải" }, { "voi", "với" }, { "tu", "từ" }, { "den", "đến" }, { "trong", "trong" }, { "ve", "về" },
    { "tai", "tại" }, { "hay", "hay" }, { "hoac", "hoặc" }, { "vay", "vậy" }, { "a", "à" }, { "oi", "ơi" }, { "nhe", "nhé" },
    { "nhi", "nhỉ" }, { "u", "ư" }, { "ra", "ra" }, { "vao", "vào" }, { "len", "lên" }, { "muon", "muốn" }, { "biet", "biết" },
    { "hoi", "hỏi" }, { "xin", "xin" }, { "giup", "giúp" }, { "em", "em" }, { "anh", "anh" }, { "chi", "chị" },
    { "thong", "thông" }, { "tin", "tin" }, { "nguoi", "người" }, { "viec", "việc" }, { "nhieu", "nhiều" }, { "it", "ít" },
    { NULL, NULL } };

/* lower is the question in lower case (NULL when typed without marks: then every folded stop word is one). */
static bool is_stop(const char *w, const char *lower)
{
    for (int i = 0; stop[i][0]; i++) {
        if (strcmp(stop[i][0], w)) continue;
        if (!lower) return true;
        size_t n = strlen(stop[i][1]);
        for (const char *p = strstr(lower, stop[i][1]); p; p = strstr(p + 1, stop[i][1]))
            if ((p == lower || (unsigned char)p[-1] < 0x80) && !isalnum((unsigned char)(p == lower ? ' ' : p[-1])) &&
                ((unsigned char)p[n] < 0x80 && !isalnum((unsigned char)p[n])))
                return true;
        return false;
    }
    return false;
}

/* Splits folded text into words (text_fold leaves single spaces between them). */
void answer_split(const char *folded, struct words *out)
{
    out->buf = strdup(folded ? folded : "");
    out->n = 0;
    char *save = NULL;
    for (char *t = strtok_r(out->buf, " ", &save); t && out->n < MAXW; t = strtok_r(NULL, " ", &save)) out->w[out->n++] = t;
}


static struct asked asked_of(const struct words *all)
{
    struct asked a = { "", "", false };
    for (int i = 0; i < all->n; i++) {
        int from = -1, to = -1;
        if (!strcmp(all->w[i], "nao") && i >= 1) { from = i >= 2 ? i - 2 : i - 1; to = i - 1; }
        else if (!strcmp(all->w[i], "bao") && i + 2 < all->n && !strcmp(all->w[i + 1], "nhieu")) { from = i + 2; to = i + 3 < all->n ? i + 3 : i + 2; a.counted = true; }
        else if (!strcmp(all->w[i], "may") && i + 1 < all->n) { from = i + 1; to = i + 2 < all->n ? i + 2 : i + 1; a.counted = true; }
        if (from < 0) continue;
        size_t n = 0;
        for (int k = from; k <= to; k++) n += (size_t)snprintf(a.phrase + n, sizeof a.phrase - n, "%s%s", k > from ? " " : "", all->w[k]);
        /* "bao nhiêu tuổi thì …": the phrase may run past the thing asked; its first word alone is the fallback. */
        if (a.counted && to > from) snprintf(a.head, sizeof a.head, "%s", all->w[from]);
        break;
    }
    return a;
}

struct lex_ctx { struct answer_question *aq; };

static bool wh_word(const struct words *all, int i)
{
    const char *w = all->w[i];
    return !strcmp(w, "gi") || !strcmp(w, "nao") || !strcmp(w, "dau") || !strcmp(w, "may") ||
           (!strcmp(w, "bao") && i + 1 < all->n && !strcmp(all->w[i + 1], "nhieu"));
}

/* Word i sits just before a question word (one or two words, skipping "được", "là", "ở", "tại" between) or just after a
 * question-opening "ai". */
static bool near_question_word(const struct words *all, int i)
{
    for (int k = i + 1; k <= i + 3 && k < all->n; k++) {
        if (wh_word(all, k)) return true;
        const char *w = all->w[k];
        if (strcmp(w, "duoc") && strcmp(w, "la") && strcmp(w, "o") && strcmp(w, "tai") && strcmp(w, "vao") && k > i + 1) break;
    }
    return i >= 1 && i <= 2 && !strcmp(all->w[i - 1], "ai");
}

/* Each content word inside a matched phrase takes the documents' phrase as its equivalent; the phrase joins the
 * retrieval terms. */
static void lex_add(const char *from, const char *to, void *ctx)
{
    struct answer_question *aq = ((struct lex_ctx *)ctx)->aq;
    struct words fw;
    answer_split(from, &fw);
    for (int i = 0; i < aq->q.n; i++)
        for (int k = 0; k < fw.n; k++)
            if (!strcmp(aq->q.w[i], fw.w[k]))
                for (int a = 0; a < ALTS; a++)
                    if (!aq->alt[i][a] || !strcmp(aq->alt[i][a], to)) { aq->alt[i][a] = to; break; }
    free(fw.buf);
    aq->content.n += (size_t)snprintf(aq->content.s + aq->content.n, sizeof aq->content.s - aq->content.n, "%s%s",
                                      aq->content.n ? " " : "", to);
}

/* "xã Phú Mỹ", "phường Tân An", "huyện Bình Liêu": the kind of unit and the two words after it (the usual length of a
 * local name). Typed with marks, "xã" must be written "xã" ("xa" is "far"); typed without, "xa" is taken as "xã". */
static void local_places(struct answer_question *aq, const char *lower)
{
    /* The kind as typed without marks (one or two words), and as written with them. */
    static const struct { const char *w1, *w2, *marked; } kinds[] = {
        { "xa", NULL, "xã" }, { "phuong", NULL, "phường" }, { "huyen", NULL, "huyện" }, { "thi", "tran", "thị trấn" } };
    const struct words *all = &aq->all;
    for (int i = 0; i < all->n && aq->nlocal < 2; i++)
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            if (strcmp(all->w[i], kinds[k].w1) || (kinds[k].w2 && (i + 1 >= all->n || strcmp(all->w[i + 1], kinds[k].w2))))
                continue;
            if (lower && !strstr(lower, kinds[k].marked)) continue;
            int from = i + (kinds[k].w2 ? 2 : 1);
            /* Two words of a name, not a question word ("xã nào", "huyện có …"). */
            if (from + 1 >= all->n || is_stop(all->w[from], lower) || is_stop(all->w[from + 1], lower)) continue;
            snprintf(aq->local[aq->nlocal++], sizeof aq->local[0], "%s%s%s %s %s", kinds[k].w1, kinds[k].w2 ? " " : "",
                     kinds[k].w2 ? kinds[k].w2 : "", all->w[from], all->w[from + 1]);
            break;
        }
}

/* Another language: no Vietnamese letter with a diacritic and two or more of the function words of English or
 * French, which Vietnamese never writes. */
static bool foreign(const char *fq, const char *raw)
{
    static const char *const fw[] = { "what", "is", "the", "how", "where", "when", "who", "which", "are", "does", "of",
                                      "quel", "quelle", "est", "les", "des", "une", "journee", "combien", "where", "why", NULL };
    struct words w;
    answer_split(fq, &w);
    int n = 0;
    for (int i = 0; i < w.n; i++)
        for (int k = 0; fw[k]; k++) if (!strcmp(w.w[i], fw[k])) { n++; break; }
    bool vn = false;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
        if (p[0] == 0xE1 && (p[1] == 0xBA || p[1] == 0xBB)) vn = true;   /* U+1EA0–U+1EFF: Vietnamese letters */
        else if (p[0] == 0xC4 && (p[1] == 0x91 || p[1] == 0x90)) vn = true; /* đ Đ */
        else if (p[0] == 0xC6 && (p[1] == 0xA1 || p[1] == 0xB0 || p[1] == 0xA0 || p[1] == 0xAF)) vn = true; /* ơ ư */
    free(w.buf);
    return !vn && n >= 2;
}

static bool in_place(const char *w, const char **pl, int n)
{
    for (int i = 0; i < n; i++) if (lexicon_has_phrase(pl[i], w)) return true;
    return false;
}

struct answer_question *answer_question_new(const char *question)
{
    char *fq = text_fold(question);
    if (!fq) return NULL;
    struct answer_question *aq = calloc(1, sizeof *aq);
    if (!aq) { free(fq); return NULL; }
    aq->folded = fq;
    answer_split(fq, &aq->all);
    /* Typed with marks: the question in lower case, so that only the stop words as written are dropped. */
    char *lower = NULL;
    for (const unsigned char *p = (const unsigned char *)question; *p && !lower; p++)
        if (*p >= 0x80) utf8proc_map((const utf8proc_uint8_t *)question, 0, (utf8proc_uint8_t **)&lower,
                                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    /* A place's name is content even where its syllables are stop words ("lam dong", "ha noi"). */
    const char *pl[4];
    int npl = lexicon_places(fq, pl, 4);
    /* The content words, kept in order so their pairs mean something. */
    for (int i = 0; i < aq->all.n; i++)
        if (!is_stop(aq->all.w[i], lower) || aq->all.n <= 2 || in_place(aq->all.w[i], pl, npl)) {
            /* The predicate next to the question word is what is asked about ("được tặng gì", "chung kết hôm nào",
             * "ai ký"): up to two content words before "gì/nào/đâu/bao nhiêu/mấy", or after a leading "ai". */
            aq->near[aq->q.n] = near_question_word(&aq->all, i);
            aq->q.w[aq->q.n++] = aq->all.w[i];
            aq->content.n += (size_t)snprintf(aq->content.s + aq->content.n, sizeof aq->content.s - aq->content.n, "%s%s",
                                              aq->content.n ? " " : "", aq->all.w[i]);
        }
    /* The lexicon: documents' words for the question's, searched with too and counted as the question's own. */
    struct lex_ctx lc = { aq };
    lexicon_match(fq, lex_add, &lc);
    for (int i = 0; i < aq->all.n && aq->nyears < 4; i++) {
        const char *w = aq->all.w[i];
        if (strlen(w) == 4 && (!strncmp(w, "19", 2) || !strncmp(w, "20", 2)) && isdigit((unsigned char)w[2]) && isdigit((unsigned char)w[3]))
            memcpy(aq->years[aq->nyears++], w, 5);
    }
    aq->foreign = foreign(aq->folded, question);
    aq->nplaces = lexicon_places(fq, aq->places, 4);
    local_places(aq, lower);
    free(lower);
    aq->intent = answer_intent_of(fq);
    aq->asks_what_is = strstr(fq, " la ") || !strncmp(fq, "la ", 3);
    aq->asks_basis = strstr(fq, "can cu") || strstr(fq, "thuc hien van ban") || strstr(fq, "thuc hien quyet dinh") ||
                     strstr(fq, "thuc hien ke hoach");
    aq->asks_percent = strstr(fq, "phan tram") || strstr(fq, "ty le");
    aq->asks_list = (strstr(fq, "nhung ") && strstr(fq, " gi")) || strstr(fq, " gom ") || strstr(fq, "nhung gi");
    aq->want = asked_of(&aq->all);
    return aq;
}

void answer_question_free(struct answer_question *q)
{
    if (!q) return;
    free(q->all.buf);
    free(q->folded);
    free(q);
}

const char *answer_question_terms(const struct answer_question *q) { return q->q.n ? q->content.s : ""; }

