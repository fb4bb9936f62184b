/* The SQLite FTS5 extension dxday's search index uses: the tokenizer "vi" and the ranking function "vi_rank".
 * Must not be called by anything but the SQLite backend: no other layer sees the engine. */
#ifndef DXDAY_STORE_FTS5_H
#define DXDAY_STORE_FTS5_H

struct sqlite3;

/* Registers the tokenizer "vi" (core/tokenizer.h's search_tokenize) and the ranking function "vi_rank" (BM25 with
 * column weights, no length normalisation; see fts5.c) with FTS5 on the connection h. 0 on success, else an SQLite
 * error code. */
int search_fts5_register(struct sqlite3 *h);

#endif
