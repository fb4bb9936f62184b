/* Numbers as Vietnamese write them ("12.500" is twelve thousand five hundred, "250,5" is 250.5): reading what an
 * official typed and writing a figure back the same way. Must not know about forms, JSON or the store. */
#ifndef DXDAY_CORE_VNNUM_H
#define DXDAY_CORE_VNNUM_H
#include <stdbool.h>
#include <stddef.h>

enum vnnum_status { VNNUM_OK = 0, VNNUM_BAD, VNNUM_AMBIGUOUS };

/* Reads "1.234.567", "1 234", "12,5", "1.234,5", "-3". A single dot followed by exactly three digits groups
 * thousands (1.500 = 1500; "0.500" is a half). With strict (what a person typed), a single dot followed by anything
 * else ("1.5") is VNNUM_AMBIGUOUS: the writer may have meant 15 or 1,5. Without strict (cells of a spreadsheet, which
 * machines write), "1.5" is one and a half. Anything else odd (dates, "1..5", "1,2,5") is VNNUM_BAD. */
enum vnnum_status vnnum_parse(const char *in, bool strict, double *out);

/* How to write a number, for an error message: the same sentence wherever a number is refused. */
#define VNNUM_HINT "viết dấu chấm ngăn cách hàng nghìn và dấu phẩy trước phần thập phân, ví dụ 12.500 hoặc 250,5"

#define VNNUM_MAX 48
/* x the Vietnamese way: thousands grouped with dots, at most 4 decimals after a comma, no trailing zeros
 * (12500 → "12.500", 250.5 → "250,5", -0.25 → "-0,25"). Returns out. */
char *vnnum_format(double x, char out[VNNUM_MAX]);
#endif
