/* The search store: passages of public items indexed with the Vietnamese FTS5 tokenizer, and BM25 queries over them
 * for the portal's search page and the virtual assistant. Must not know about HTTP or render anything but a snippet. */
#ifndef DXDAY_STORE_SEARCH_H
#define DXDAY_STORE_SEARCH_H
#include "store/db.h"

/* Passage sizes, in characters (code points): a chunk grows to at most SEARCH_CHUNK_MAX and stops at a paragraph
 * end once it has SEARCH_CHUNK_MIN; a sentence longer than the maximum is cut at a space. */
#define SEARCH_CHUNK_MIN 200
#define SEARCH_CHUNK_MAX 600

/* A passage's id names its item and kind, so a query can group passages into items, count items and filter by kind
 * from FTS5's rowids alone, without reading search_passage for every hit:
 * id = search_kind.id << 40 | the item's number within its kind << 16 | seq. */
#define SEARCH_ID_KIND_SHIFT 40
#define SEARCH_ID_ITEM_SHIFT 16

/* Replaces everything indexed for (kind, ref_id) with one passage per paragraph-sized chunk of body (split at blank
 * lines / sentence ends into chunks of roughly 200–600 characters; the title is kept on every chunk). In the caller's
 * transaction. kind: "plan", "task", "article", "faq", "offer", "activity", "course"... url: where the item lives.
 * Text is stored in NFC with control characters other than tab and line breaks turned into spaces. body and date
 * may be NULL. Returns 0, or -1 on invalid UTF-8, a missing kind/title/url, or a database error. */
int store_search_put(db *d, const char *kind, int64_t ref_id, const char *title, const char *body, const char *url,
                     const char *date);
/* Removes every passage of (kind, ref_id); 0 or -1. */
int store_search_delete(db *d, const char *kind, int64_t ref_id);

/* Public search: {"query": q, "total": n, "groups": [{"kind": k, "items": [{"kind","ref_id","title","url","date",
 * "snippet","score"}]}]}, one item per (kind, ref_id) (its best passage), groups ordered by their best score, snippet
 * is HTML-escaped text with the matching words wrapped in <mark>…</mark>, score is BM25-based (higher is better; the
 * function is vi_rank, src/store/sqlite/fts5.c). limit: 1–200, 20 when 0. total counts every matching item, not only
 * the first limit. A word found in half the passages or more weighs nothing in BM25 and is searched only when the
 * query has nothing rarer (see store_search_match), so total is the number of items holding one of the words that
 * rank. kind may be NULL (all); an unknown kind finds nothing. An empty or punctuation-only query gives total 0 and no
 * groups. NULL only on a database error. */
json_t *store_search(db *d, const char *q, const char *kind, int limit);
/* For the virtual assistant: the best passages (not grouped) [{kind, ref_id, seq, title, url, text, score, heading?}], best
 * first, ranked as store_search ranks them; limit: 1–200, 10 when 0. [] for an empty query, NULL on a database error. */
json_t *store_search_passages(db *d, const char *q, int limit);
/* The passages of one item in order, [{seq, heading, text}] (heading absent when none): what a page shows to anchor
 * the assistant's links (#p-SEQ). NULL on a database error. */
json_t *store_search_item_passages(db *d, const char *kind, int64_t ref_id);

/* Indexes every saved plan (title + its source text or its tasks) and every task (title, deliverable, units, deadline
 * written dd/mm/yyyy) from the plan tables; used by `migrate` for existing data and by tests. Returns 0/-1. */
int store_search_reindex_plans(db *d);

/* Indexes one saved plan and its tasks (as store_search_reindex_plans does for all), in the caller's transaction. */
int store_search_index_plan(db *d, int64_t plan_id);

/* Indexes the campaign years (kind "campaign": the Day itself, each year's theme and key dates) from the campaign
 * tables, replacing what was indexed for them. 0 or -1. */
int store_search_index_campaigns(db *d);

/* The FTS5 MATCH expression for what a person typed: each folded syllable and each adjacent pair's bigram, quoted and
 * ORed, so partial matches are found and BM25 ranks adjacent words higher. Nothing of the input's own syntax survives.
 * The queries above run it less the terms that are in no passage or in half of them or more (unless none is left), and
 * mark every term of it in snippets. malloc'd; NULL when the text has no letter or digit. */
char *store_search_match(const char *q);

#endif
