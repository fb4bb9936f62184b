/* A growable byte buffer for building responses and strings. Pure: no I/O, aborts only when out of memory. */
#ifndef DXDAY_BUF_H
#define DXDAY_BUF_H
#include <stddef.h>

struct buf { char *p; size_t len, cap; };

void buf_put(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void buf_put_html(struct buf *b, const char *s, size_t n);
/* Takes the NUL-terminated contents (the buffer is left empty); never NULL. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);
#endif
