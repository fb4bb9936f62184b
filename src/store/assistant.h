/* The virtual assistant: answers a question from what is indexed for search, with the sentence that answers and
 * its sources, best first (the picking is core/answer.h's). Must not know about HTTP. */
#ifndef DXDAY_STORE_ASSISTANT_H
#define DXDAY_STORE_ASSISTANT_H
#include "store/db.h"

/* {"answer": "...", "confidence": 0..1, "sources": [{"title", "url", "snippet", "score", "kind"}], "uncertain": bool}; below
 * ANSWER_CONFIDENT (core/answer.h) the answer says the assistant is not sure and uncertain is true;
 * NULL when the question is not valid UTF-8. */
json_t *store_ask(db *d, const char *question);
#endif
