/* Text fragments (the URL's "#id:~:text=…" directive): the one that makes a browser scroll to a cited sentence of a
 * passage and highlight it. Pure: it reads the passage and the sentence it is given, nothing else. */
#ifndef DXDAY_TEXTFRAG_H
#define DXDAY_TEXTFRAG_H

/* The directive ("text=prefix-,start,end,-suffix", percent-encoded) that finds sentence in passage, or NULL when the
 * sentence is not in it. The sentence may join lines of the passage with one space, as the assistant's do; each term
 * of the directive stays within one line, since browsers match a term only within unbroken text. malloc'd. */
char *textfrag_directive(const char *passage, const char *sentence);
#endif
