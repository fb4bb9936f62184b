/* What the reporting pages share: the form and period named in the request, labels for statuses, a period as
 * JSON, and sending any table as XLSX or CSV. Private to src/web/page_report*.c and page_dashboard*.c. */
#ifndef DXDAY_WEB_REPORT_H
#define DXDAY_WEB_REPORT_H
#include "http/app.h"
#include "core/rperiod.h"

/* The form named by the {form} path part (id or code); NULL with a 404 sent when there is none. */
json_t *report_form(struct req *r);
/* The period named by ?ky= (or the default one); false with a 400 sent when the form has no such period. */
bool report_period(struct req *r, json_t *form, struct rperiod *p);
/* Every period of the form as [{key, label, selected}] for a picker; NULL when the form has only one. */
json_t *report_periods(json_t *form, const char *selected);
/* {key, label, start, end, due, on_time_until, lock, locked} in ISO dates. */
json_t *report_period_json(const struct rperiod *p);
/* The Vietnamese label of a submission status (draft, submitted, returned, approved, missing). */
const char *report_status_label(const char *status);
/* ?view=historical → false; anything else (the default) → true: today's tree. */
bool report_view_current(struct req *r);
/* When ?format=xlsx|csv is asked for, sends the table and returns true; 400 for any other format. */
bool report_send_table(struct req *r, const char *file_stem, const char *title, json_t *columns, json_t *rows);
/* The campaign years [{year, selected}] for a year picker. */
json_t *report_years(struct req *r, int selected);
/* "Label (unit)" for a column header; malloc'd. */
char *report_indicator_title(json_t *ind);
/* Today in Asia/Ho_Chi_Minh, ISO. */
void report_today(char out[11]);
#endif
