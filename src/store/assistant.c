/* The virtual assistant (trợ lý ảo): retrieves the passages that may answer a question from everything indexed for
 * search (plans, tasks, FAQ, articles, offers, lessons) and hands them to core/answer.c, which picks the sentence that
 * answers; cites where it came from. Must not pick or score sentences here: only retrieval and the JSON it answers. */
#include "store/assistant.h"
#include "store/search.h"
#include "core/answer.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

json_t *store_ask(db *d, const char *question)
{
    struct answer_question *q = answer_question_new(question);
    if (!q) return NULL;
    const char *terms = answer_question_terms(q);
    json_t *passages = *terms ? store_search_passages(d, terms, 24) : json_array();
    size_t np = json_array_size(passages);
    struct answer_passage *p = calloc(np ? np : 1, sizeof *p);
    for (size_t i = 0; i < np; i++) {
        json_t *o = json_array_get(passages, i);
        /* A plan's passage is cited at its place in the plan's text (the plan page anchors each one: #p-SEQ). */
        const char *kind = str(o, "kind");
        if (kind && !strcmp(kind, "plan") && str(o, "url") && !strchr(str(o, "url"), '#')) {
            char url[96];
            snprintf(url, sizeof url, "%s#p-%lld", str(o, "url"), (long long)json_integer_value(json_object_get(o, "seq")));
            json_object_set_new(o, "url", json_string(url));
        }
        p[i] = (struct answer_passage){ str(o, "title"), str(o, "text"), kind, str(o, "url"),
                                        json_number_value(json_object_get(o, "score")), str(o, "heading") };
    }
    struct answer a;
    answer_pick(q, p, np, &a);
    json_t *sources = json_array();
    for (size_t i = 0; i < a.nsources; i++) {
        json_t *o = json_array_get(passages, a.sources[i].passage);
        json_t *src = json_pack("{s:O, s:O, s:s, s:f, s:O}", "title", json_object_get(o, "title"), "url",
                                json_object_get(o, "url"), "snippet", a.sources[i].snippet, "score",
                                round(a.sources[i].score * 1000) / 1000, "kind", json_object_get(o, "kind"));
        /* Where the sentence sits: its section and its neighbours. */
        if (str(o, "heading")) json_object_set(src, "heading", json_object_get(o, "heading"));
        if (a.sources[i].before) json_object_set_new(src, "before", json_string(a.sources[i].before));
        if (a.sources[i].after) json_object_set_new(src, "after", json_string(a.sources[i].after));
        json_array_append_new(sources, src);
    }
    json_t *out = json_pack("{s:s, s:f, s:o, s:b}", "answer", a.text, "confidence", a.confidence, "sources", sources,
                            "uncertain", a.uncertain);
    answer_free(&a);
    free(p);
    json_decref(passages);
    answer_question_free(q);
    return out;
}
