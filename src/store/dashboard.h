/* The national dashboard of a campaign as one JSON document, shared by the page, the API and the PDF report.
 * Must not know about HTTP. */
#ifndef DXDAY_STORE_DASHBOARD_H
#define DXDAY_STORE_DASHBOARD_H
#include "store/db.h"
#include "core/date.h"

/* {campaign: {year, theme, day, days_to_day}, today, forms: [{id, code, kind, title, period, due, nation: {expected,
 * received, on_time, rate, on_time_rate}, central: {...}, provinces: [{id, code, name, ...}]}], totals: {indicators,
 * by_province: {code: {indicator: total}}, by_kind, nation} or null, tasks: {buckets, overdue}}; NULL when the
 * campaign does not exist. */
json_t *store_dashboard(db *d, int year, struct ymd today);
#endif
