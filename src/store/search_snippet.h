/* Snippets and highlights of a passage for an engine with no FTS5 (PostgreSQL): the words of the query marked in the
 * way FTS5's snippet() and highlight() mark them on SQLite, so both engines answer alike. Must not touch a database. */
#ifndef DXDAY_STORE_SEARCH_SNIPPET_H
#define DXDAY_STORE_SEARCH_SNIPPET_H

/* text with every token of ours that is one of terms[0..nterms) (folded syllables and "a_b" pairs; a pair marks its
 * first syllable, as FTS5 places it) between \x01 and \x02. ntokens > 0: FTS5's snippet() of that many tokens, the
 * window with the most distinct terms (sentence starts preferred), "…" where text is cut; ntokens <= 0: the whole
 * text, as highlight(). malloc'd; NULL when out of memory. */
char *search_snippet(const char *text, const char *const *terms, int nterms, int ntokens);

#endif
