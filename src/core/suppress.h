/* Small-cell suppression of published tables (statistical disclosure control): which counts may be shown so that no
 * group of fewer than min people can be read or recovered by subtraction. Pure: must not know what is counted. */
#ifndef DXDAY_CORE_SUPPRESS_H
#define DXDAY_CORE_SUPPRESS_H
#include <stdbool.h>
#include <stddef.h>

/* Which cells of one table to hide. n[0..count) are the people in each group of a partition of the table's total
 * (every person in exactly one group, "not given" included as a group). hidden[i] is set for every cell with 1..min-1
 * people (primary suppression) and then, while the hidden cells together hold fewer than min people, for the smallest
 * non-empty cell still shown (complementary suppression): a hidden cell can then never be recovered by subtracting
 * the shown cells from the total, and the hidden cells' sum always describes at least min people. Empty cells stay
 * shown: they describe no one. When the total itself is 1..min-1 every cell, empty ones too, is hidden. Returns the
 * number of hidden cells. */
size_t suppress_cells(const long *n, size_t count, long min, bool *hidden);

/* Whether a table's own total of n people is hidden: when it is 1..min-1 (0 is shown: it describes no one). Every
 * figure drawn from such a table (shares, the spread of levels) is hidden with it. */
bool suppress_total(long n, long min);

#endif
