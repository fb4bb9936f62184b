/* Reporting periods: the campaign year, quarters, months or a custom window of one form, each with due, on-time
 * and lock days. DHIS2 muddles timeliness with locking; here they are separate fields on purpose. */
#include "core/rperiod.h"
#include <stdio.h>
#include <string.h>

static const char *names[] = { "campaign", "quarter", "month", "custom" };

enum rperiod_type rperiod_type_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, names[i])) return (enum rperiod_type)i;
    return RP_INVALID;
}

const char *rperiod_type_name(enum rperiod_type t) { return t >= 0 && t < 4 ? names[t] : "?"; }

static struct ymd add_days(struct ymd d, long n) { return date_from_days(date_to_days(d) + n); }

/* Fills due, on-time and lock days of a period once its start and end are known. */
static void finish(const struct rform *f, struct rperiod *p, bool single)
{
    if (single) p->due = f->has_due ? f->due : p->end;
    else p->due = add_days(p->end, f->due_days);
    p->on_time_until = add_days(p->due, f->late_days > 0 ? f->late_days : 0);
    p->has_lock = single ? f->has_lock : f->has_lock_days;
    if (p->has_lock) p->lock = single ? f->lock_on : add_days(p->end, f->lock_days);
}

static const char *roman[] = { "I", "II", "III", "IV" };

int rperiod_list(const struct rform *f, struct rperiod *out, int max)
{
    int n = 0;
    if (max <= 0) return 0;
    switch (f->type) {
    case RP_CAMPAIGN: {
        struct rperiod *p = &out[n++];
        memset(p, 0, sizeof *p);
        snprintf(p->key, sizeof p->key, "%04d", f->year);
        snprintf(p->label, sizeof p->label, "Năm %d", f->year);
        p->start = (struct ymd){ f->year, 1, 1 };
        p->end = (struct ymd){ f->year, 12, 31 };
        finish(f, p, true);
        break;
    }
    case RP_CUSTOM: {
        struct rperiod *p = &out[n++];
        memset(p, 0, sizeof *p);
        char a[11], b[11];
        date_format_vn(f->window_from, a);
        date_format_vn(f->window_to, b);
        snprintf(p->key, sizeof p->key, "custom");
        snprintf(p->label, sizeof p->label, "%s – %s", a, b);
        p->start = f->window_from;
        p->end = f->window_to;
        finish(f, p, true);
        break;
    }
    case RP_QUARTER:
        for (int q = 0; q < 4 && n < max; q++) {
            struct rperiod *p = &out[n++];
            memset(p, 0, sizeof *p);
            snprintf(p->key, sizeof p->key, "%04dQ%d", f->year, q + 1);
            snprintf(p->label, sizeof p->label, "Quý %s/%d", roman[q], f->year);
            p->start = (struct ymd){ f->year, q * 3 + 1, 1 };
            p->end = (struct ymd){ f->year, q * 3 + 3, date_days_in_month(f->year, q * 3 + 3) };
            finish(f, p, false);
        }
        break;
    case RP_MONTH:
        for (int m = 1; m <= 12 && n < max; m++) {
            struct rperiod *p = &out[n++];
            memset(p, 0, sizeof *p);
            snprintf(p->key, sizeof p->key, "%04d-%02d", f->year, m);
            snprintf(p->label, sizeof p->label, "Tháng %d/%d", m, f->year);
            p->start = (struct ymd){ f->year, m, 1 };
            p->end = (struct ymd){ f->year, m, date_days_in_month(f->year, m) };
            finish(f, p, false);
        }
        break;
    default:
        return 0;
    }
    return n;
}

bool rperiod_find(const struct rform *f, const char *key, struct ymd today, struct rperiod *out)
{
    struct rperiod all[12];
    int n = rperiod_list(f, all, 12);
    if (!n) return false;
    for (int i = 0; i < n; i++)
        if (key && *key ? !strcmp(all[i].key, key)
                        : (n == 1 || (date_cmp(all[i].start, today) <= 0 && date_cmp(today, all[i].end) <= 0))) {
            *out = all[i];
            return true;
        }
    if (key && *key) return false;
    *out = all[n - 1];
    return true;
}

bool rperiod_on_time(const struct rperiod *p, struct ymd day) { return date_cmp(day, p->on_time_until) <= 0; }

bool rperiod_locked(const struct rperiod *p, struct ymd today, bool has_exception, struct ymd exception)
{
    if (!p->has_lock || date_cmp(today, p->lock) <= 0) return false;
    return !(has_exception && date_cmp(today, exception) <= 0);
}
