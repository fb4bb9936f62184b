/* Builds the tsvector literal of a passage from core/tokenizer.c (see search_tsv.h). One lexeme per distinct token,
 * its positions listed with the column's weight. Must not fold text itself: the tokenizer is the only folding. */
#include "store/search_tsv.h"
#include "core/buf.h"
#include "core/tokenizer.h"
#include <stdlib.h>
#include <string.h>

#define MAX_POS 16383

struct lex { char *tok; struct buf pos; };
struct acc { struct lex *v; size_t n, cap; int pos; char weight; };

static struct lex *find(struct acc *a, const char *tok, int ntok)
{
    for (size_t i = 0; i < a->n; i++)
        if ((int)strlen(a->v[i].tok) == ntok && !memcmp(a->v[i].tok, tok, (size_t)ntok)) return &a->v[i];
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        if (!a->v) abort();
    }
    struct lex *l = &a->v[a->n++];
    l->tok = strndup(tok, (size_t)ntok);
    memset(&l->pos, 0, sizeof l->pos);
    return l;
}

static int on_token(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    struct acc *a = ctx;
    if (!(tflags & SEARCH_TOKEN_COLOCATED) && a->pos < MAX_POS) a->pos++;
    struct lex *l = find(a, tok, ntok);
    buf_printf(&l->pos, "%s%d%c", l->pos.len ? "," : "", a->pos < 1 ? 1 : a->pos, a->weight);
    return 0;
}

char *search_tsvector(const char *title, const char *body)
{
    struct acc a = { 0 };
    a.weight = 'A';
    if (title) search_tokenize(title, (int)strlen(title), false, on_token, &a);
    a.weight = 'D';
    if (body) search_tokenize(body, (int)strlen(body), false, on_token, &a);
    struct buf out = { 0 };
    for (size_t i = 0; i < a.n; i++) {
        /* Lexemes are quoted: a quote or backslash inside one is doubled or escaped (tokens are letters, digits
         * and '_', but the literal must not depend on that). */
        buf_puts(&out, i ? " '" : "'");
        for (const char *p = a.v[i].tok; *p; p++) {
            if (*p == '\'') buf_puts(&out, "''");
            else if (*p == '\\') buf_puts(&out, "\\\\");
            else buf_put(&out, p, 1);
        }
        buf_printf(&out, "':%s", a.v[i].pos.p);
        free(a.v[i].tok);
        buf_free(&a.v[i].pos);
    }
    free(a.v);
    if (!out.p) buf_puts(&out, "");
    return buf_take(&out);
}
