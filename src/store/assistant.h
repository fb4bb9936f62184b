/* The virtual assistant: answers a question from what is indexed for search, with the sentence that answers and
 * its sources, best first. Must not know about HTTP. */
#ifndef DXDAY_STORE_ASSISTANT_H
#define DXDAY_STORE_ASSISTANT_H
#include "store/db.h"

/* Below this the assistant says it is not sure and offers to send the question to the editors. */
#define ASSIST_CONFIDENT 0.45

/* {"answer": "...", "confidence": 0..1, "sources": [{"title", "url", "snippet", "score", "kind"}], "uncertain": bool};
 * NULL when the question is not valid UTF-8. */
json_t *store_ask(db *d, const char *question);
#endif
