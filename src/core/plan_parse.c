/* Entry point of the plan importer's reader: validates and normalises the text, then runs the outline, header,
 * task and report-deadline readers of src/core/plan_*.c and owns the result. Pure: no I/O, no globals, no store. */
#include "core/plan_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_internal.h"
#include "core/text.h"

static void free_list(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void plan_free(struct plan_doc *doc)
{
    if (!doc)
        return;
    for (int i = 0; i < doc->ntasks; i++) {
        struct plan_task *t = &doc->tasks[i];
        free(t->ref);
        free(t->title);
        free_list(t->lead, t->nlead);
        free_list(t->partners, t->npartners);
        free(t->recurrence);
        free(t->deliverable);
        free_list(t->warnings, t->nwarnings);
    }
    free(doc->tasks);
    for (int i = 0; i < doc->ntargets; i++) {
        struct plan_target *t = &doc->targets[i];
        free(t->ref);
        free(t->indicator);
        free(t->measure);
        free(t->value);
        free(t->agency);
        free_list(t->warnings, t->nwarnings);
    }
    free(doc->targets);
    for (int i = 0; i < doc->ndeadlines; i++) {
        free(doc->deadlines[i].what);
        free(doc->deadlines[i].to);
    }
    free(doc->deadlines);
    free_list(doc->cites, doc->ncites);
    free_list(doc->warnings, doc->nwarnings);
    free(doc->text);
    free(doc->number);
    free(doc->issuer);
    free(doc->title);
    free(doc->theme);
    free(doc);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
            return false;
    return true;
}

/* True when text is certainly NFC already: only code points below U+0300 (no combining marks), precomposed
 * Vietnamese letters (U+1E00..U+1EFF) and common punctuation, none of which NFC changes. Saves a full
 * normalisation pass on the usual input; anything else takes the exact path. */
static bool plainly_nfc(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        if (c < 0xE0) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (p[i + 1] & 0x3F);
            i += 2;
        } else if (c < 0xF0) {
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
        } else {
            return false;
        }
        if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x2027) ||
              (cp >= 0x2030 && cp <= 0x205E) || cp == 0x20AB || cp == 0x2122 || (cp >= 0x25A0 && cp <= 0x27BF)))
            return false;
    }
    return true;
}

/* A row the reader could not complete (a table row with units but no task named) is not a task: an empty task
 * would be refused at saving, with the whole document. It becomes a warning the reviewer sees, and is counted. */
static void drop_empty_tasks(struct plan_doc *doc)
{
    int k = 0;
    for (int i = 0; i < doc->ntasks; i++) {
        struct plan_task *t = &doc->tasks[i];
        if (t->title && !blank(t->title)) {
            doc->tasks[k++] = *t;
            continue;
        }
        char msg[200];
        snprintf(msg, sizeof msg, "Dòng %s không ghi nội dung nhiệm vụ: chưa tạo nhiệm vụ, cần xem lại văn bản gốc.",
                 t->ref && *t->ref ? t->ref : "?");
        pp_add_warning(&doc->warnings, &doc->nwarnings, msg);
        doc->nleft_out++;
        free(t->ref);
        free(t->title);
        free_list(t->lead, t->nlead);
        free_list(t->partners, t->npartners);
        free(t->recurrence);
        free(t->deliverable);
        free_list(t->warnings, t->nwarnings);
    }
    doc->ntasks = k;
}

struct plan_doc *plan_parse(const char *text, size_t len)
{
    if (!text && len)
        return NULL;
    if (len && !text_valid_utf8(text, len))
        return NULL;
    char *nfc = pp_xstrndup(text ? text : "", len);
    if (!plainly_nfc((const unsigned char *)nfc, len)) {
        char *n = text_nfc(nfc);
        free(nfc);
        if (!n)
            return NULL;
        nfc = n;
    }
    struct plan_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        abort();
    doc->text = nfc;
    if (blank(nfc)) {
        doc->title = pp_xstrdup("");
        pp_add_warning(&doc->warnings, &doc->nwarnings, "Văn bản rỗng: không có nội dung để đọc.");
        return doc;
    }
    unsigned char *memo = calloc(0x2000, 1);
    if (!memo)
        abort();
    struct fview v = {.memo = memo};
    if (!pp_fv_build(&v, nfc, strlen(nfc))) {
        free(memo);
        doc->title = pp_xstrdup("");
        pp_add_warning(&doc->warnings, &doc->nwarnings, "Văn bản quá lớn để đọc.");
        return doc;
    }
    pp_units_index(&v);
    struct pstruct ps;
    pp_pstruct_build(&v, &ps);
    pp_header_parse(&v, &ps, doc);
    /* The year that dates without one ("trước ngày 30/6") belong to: the issue date's, else the title's. */
    int year = doc->has_issued ? doc->issued.y : 0;
    for (const char *p = doc->title; !year && *p; p++)
        if ((p[0] == '1' || p[0] == '2') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
            p[3] >= '0' && p[3] <= '9' && !(p[4] >= '0' && p[4] <= '9') && (p == doc->title || p[-1] == ' ')) {
            int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            if (y >= 1990 && y <= 2100)
                year = y;
        }
    pp_tasks_collect(&v, &ps, doc, year, false);
    if (doc->ntasks == 0) {
        bool articles = false;
        for (int x = 0; x < ps.nit && !articles; x++)
            articles = ps.it[x].kind == IK_ARTICLE;
        if (articles) /* a decision that carries its tasks in its articles, with no plan attached */
            pp_tasks_collect(&v, &ps, doc, year, true);
    }
    drop_empty_tasks(doc);
    pp_targets_collect(&v, &ps, doc, year);
    for (int l = 0; l < ps.nln; l++) {
        const struct pline *ln = &ps.ln[l];
        if (ln->kind != LK_BLANK && ln->kind != LK_SKIP && ln->kind != LK_CAPS)
            pp_prose_deadlines(&v, ln->s, ln->e, year, doc);
    }
    if (doc->ntasks == 0)
        pp_add_warning(&doc->warnings, &doc->nwarnings,
                         "Không tìm thấy nhiệm vụ nào (mục đánh số có đơn vị chủ trì, bảng nhiệm vụ hoặc câu giao "
                         "việc).");
    pp_pstruct_free(&ps);
    pp_fv_free(&v);
    free(memo);
    return doc;
}
