/* One indexed passage's text, as the search index holds it (the plan page shows the same text at #p-SEQ).
 * Read only: the index is written by store/search_index.c. */
#ifndef DXDAY_STORE_SEARCH_PASSAGE_H
#define DXDAY_STORE_SEARCH_PASSAGE_H
#include "store/db.h"
#include <stdint.h>

/* The text of passage seq of (kind, ref_id); NULL when there is no such passage or the read failed. malloc'd. */
char *store_search_passage_text(db *d, const char *kind, int64_t ref_id, int64_t seq);
#endif
