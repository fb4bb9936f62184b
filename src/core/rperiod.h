/* Reporting periods of a form (the campaign year, quarters, months, a custom window) with the day each is due,
 * the last day it counts as on time and the day it locks. Pure: no I/O, no globals. */
#ifndef DXDAY_RPERIOD_H
#define DXDAY_RPERIOD_H
#include <stdbool.h>
#include "core/date.h"

enum rperiod_type { RP_CAMPAIGN = 0, RP_QUARTER, RP_MONTH, RP_CUSTOM, RP_INVALID = -1 };

struct rform {
    enum rperiod_type type;
    int year;                       /* the campaign year */
    struct ymd window_from, window_to; /* RP_CUSTOM */
    bool has_due;  struct ymd due;  /* single-period forms */
    int due_days;                   /* recurring forms: due this many days after the period ends */
    int late_days;                  /* grace after due */
    bool has_lock; struct ymd lock_on; /* single-period forms */
    bool has_lock_days; int lock_days; /* recurring forms */
};

struct rperiod {
    char key[24];     /* "2026", "2026Q3", "2026-09", "custom" */
    char label[48];   /* "Năm 2026", "Quý III/2026", "Tháng 9/2026", "01/09/2026 – 30/09/2026" */
    struct ymd start, end, due, on_time_until;
    bool has_lock; struct ymd lock;
};

enum rperiod_type rperiod_type_parse(const char *s);
const char *rperiod_type_name(enum rperiod_type t);
/* All periods of the form, in order; returns the count (at most max). */
int rperiod_list(const struct rform *f, struct rperiod *out, int max);
/* The period with this key; false when the form has none. NULL or "" picks the only period of single-period
 * forms, or the period containing `today` (else the last one) of recurring forms. */
bool rperiod_find(const struct rform *f, const char *key, struct ymd today, struct rperiod *out);
/* Whether a submission first made on `day` is on time for p. */
bool rperiod_on_time(const struct rperiod *p, struct ymd day);
/* Whether p is locked on `today`, given a per-unit exception until `exception` (pass has_exception false when
 * none). Timeliness and locking are separate: a late submission is accepted until the lock. */
bool rperiod_locked(const struct rperiod *p, struct ymd today, bool has_exception, struct ymd exception);
#endif
