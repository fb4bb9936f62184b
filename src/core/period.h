/* Periods of recurring tasks ("Hằng năm", "Hằng quý", "Hằng tháng", "Quý I hằng năm"): one instance per
 * period with its label and due date. Pure: no I/O, no globals. */
#ifndef DXDAY_PERIOD_H
#define DXDAY_PERIOD_H
#include "core/date.h"

struct period { char label[16]; struct ymd due; };

/* Fills out[] (at most max) with the periods of `recurrence` from `from` to `to` inclusive and returns the
 * count; 0 for recurrences with no dates ("Thường xuyên") or text it does not know. A yearly task with a
 * known day (anchor, has_anchor) falls due on that day and month each year. */
int period_expand(const char *recurrence, struct ymd from, struct ymd to, bool has_anchor, struct ymd anchor,
                  struct period *out, int max);
#endif
