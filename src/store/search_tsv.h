/* Our tokenizer's tokens as a PostgreSQL tsvector literal, so the engine indexes exactly the folded syllables and
 * syllable pairs SQLite's FTS5 indexes (to_tsvector would split "chuyen_doi"). Must not know any other engine. */
#ifndef DXDAY_STORE_SEARCH_TSV_H
#define DXDAY_STORE_SEARCH_TSV_H

/* 'lexeme':pos[A|D],… for title (weight A) then body (weight D, positions after the title's); malloc'd. Positions
 * count syllables as the tokenizer does (a pair sits at its first syllable), capped at PostgreSQL's 16383. */
char *search_tsvector(const char *title, const char *body);
#endif
