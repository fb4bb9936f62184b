/* Expands a recurrence into dated instances so each period's work is tracked, late or on time, on its own.
 * Must not guess: a recurrence it does not recognise yields no instances. */
#include "core/period.h"
#include "core/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roman[] = { "i", "ii", "iii", "iv" };

/* Which quarter a folded text like "quy ii hang nam" names, or 0. */
static int quarter_of(const char *f)
{
    const char *q = strstr(f, "quy ");
    if (!q) return 0;
    q += 4;
    for (int i = 3; i >= 0; i--) {
        size_t n = strlen(roman[i]);
        if (!strncmp(q, roman[i], n) && (q[n] == ' ' || !q[n])) return i + 1;
    }
    if (q[0] >= '1' && q[0] <= '4' && (q[1] == ' ' || !q[1])) return q[0] - '0';
    return 0;
}

static struct ymd last_day(int y, int m) { return (struct ymd){ y, m, date_days_in_month(y, m) }; }

int period_expand(const char *recurrence, struct ymd from, struct ymd to, bool has_anchor, struct ymd anchor,
                  struct period *out, int max)
{
    if (!recurrence || date_cmp(from, to) > 0) return 0;
    char *f = text_fold(recurrence);
    if (!f) return 0;
    int n = 0;
    int quarter = quarter_of(f);
    bool yearly = strstr(f, "hang nam") || strstr(f, "hangnam") || strstr(f, "moi nam");
    bool quarterly = strstr(f, "hang quy") || strstr(f, "moi quy");
    bool monthly = strstr(f, "hang thang") || strstr(f, "moi thang");
    for (int y = from.y; y <= to.y && n < max; y++) {
        if (quarterly || monthly) {
            int step = quarterly ? 3 : 1;
            for (int m = step; m <= 12 && n < max; m += step) {
                struct ymd due = last_day(y, m);
                if (date_cmp(due, from) < 0 || date_cmp(due, to) > 0) continue;
                if (quarterly) snprintf(out[n].label, sizeof out[n].label, "Q%d/%d", m / 3, y);
                else snprintf(out[n].label, sizeof out[n].label, "%02d/%d", m, y);
                out[n++].due = due;
            }
        } else if (yearly) {
            struct ymd due = quarter ? last_day(y, quarter * 3)
                           : has_anchor ? (struct ymd){ y, anchor.m, anchor.m == 2 && anchor.d == 29 ? date_days_in_month(y, 2) : anchor.d }
                           : (struct ymd){ y, 12, 31 };
            if (date_cmp(due, from) < 0) continue;
            snprintf(out[n].label, sizeof out[n].label, "%d", y);
            out[n++].due = due;
        }
    }
    free(f);
    return n;
}
