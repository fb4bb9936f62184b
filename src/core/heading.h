/* Section headings of a document's text (a plan, an article): which lines name the section the text under them is in.
 * Pure: no I/O, no SQL; it decides nothing about passages' boundaries. */
#ifndef DXDAY_HEADING_H
#define DXDAY_HEADING_H
#include <stddef.h>

/* One heading: the byte offset of its line in the text and its length, trailing blanks left out. */
struct heading {
    size_t at, len;
};

/* The section headings of text, in order; *n says how many. malloc'd (NULL when there are none). */
struct heading *headings_find(const char *text, size_t *n);

/* The heading in force at byte offset at: the last of h[0..n) whose line starts before at, or NULL. */
const struct heading *heading_in_force(const struct heading *h, size_t n, size_t at);
#endif
