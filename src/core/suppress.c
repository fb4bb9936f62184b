/* Small-cell suppression, as statistics offices publish survey tables: a cell of fewer than min people is hidden,
 * and so are others until the hidden ones cannot be told apart by subtraction. Must not know what is counted. */
#include "core/suppress.h"

size_t suppress_cells(const long *n, size_t count, long min, bool *hidden)
{
    long total = 0, hidden_sum = 0;
    size_t nhidden = 0;
    for (size_t i = 0; i < count; i++) total += n[i] > 0 ? n[i] : 0;
    for (size_t i = 0; i < count; i++) {
        /* A table of fewer than min people hides even its empty cells: they would tell where the few are. */
        hidden[i] = total > 0 && total < min ? true : n[i] > 0 && n[i] < min;
        if (hidden[i]) { nhidden++; hidden_sum += n[i]; }
    }
    /* Hide the smallest shown cell until the hidden ones together cover min people: one hidden cell alone would
     * be total minus the rest, and two tiny ones would still describe a handful of people. */
    while (nhidden && hidden_sum < min) {
        size_t pick = count;
        for (size_t i = 0; i < count; i++)
            if (!hidden[i] && n[i] > 0 && (pick == count || n[i] < n[pick])) pick = i;
        if (pick == count) break;
        hidden[pick] = true;
        nhidden++;
        hidden_sum += n[pick];
    }
    return nhidden;
}

bool suppress_total(long n, long min) { return n > 0 && n < min; }
