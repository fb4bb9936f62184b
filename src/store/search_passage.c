/* Reading one passage of the search index by its item and place (store/search_passage.h). Must not write: the index
 * has one writer, store/search_index.c. */
#include "store/search_passage.h"
#include <stdlib.h>
#include <string.h>

char *store_search_passage_text(db *d, const char *kind, int64_t ref_id, int64_t seq)
{
    db_stmt *s = db_prepare(d, "SELECT body FROM search_passage WHERE kind = ? AND ref_id = ? AND seq = ?");
    db_bind_text(s, 1, kind);
    db_bind_int(s, 2, ref_id);
    db_bind_int(s, 3, seq);
    char *text = NULL;
    if (db_step(s) == DB_ROW && db_col_text(s, 0)) text = strdup(db_col_text(s, 0));
    db_done(s);
    return text;
}
