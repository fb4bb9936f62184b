/* The events calendar: every campaign's key dates and the deadlines of the forms units report on, in date order.
 * Must not know about HTTP or iCalendar: the page formats them. */
#ifndef DXDAY_STORE_CALENDAR_H
#define DXDAY_STORE_CALENDAR_H
#include "store/db.h"
#include "store/result.h"

/* [{date, label, year, kind: "moc" (a campaign's date) | "han" (a form's deadline, label "Hạn gửi: …")}] of year, or
 * of every year when year is 0, by date then label; NULL on a database error. */
json_t *store_calendar_events(db *d, int year, struct store_result *res);
#endif
