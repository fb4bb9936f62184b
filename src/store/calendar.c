/* The calendar's events, read from the campaigns' dates and the forms' deadlines. Must not know about HTTP and must
 * not write: the dates belong to the campaigns and the forms. */
#include "store/calendar.h"

json_t *store_calendar_events(db *d, int year, struct store_result *res)
{
    db_stmt *s = db_prepare(d, "SELECT date, label, year, 'moc' AS kind FROM campaign_date WHERE (? = 0 OR year = ?) "
                               "UNION ALL SELECT due, 'Hạn gửi: ' || title, campaign_year, 'han' FROM form "
                               "WHERE due IS NOT NULL AND (? = 0 OR campaign_year = ?) ORDER BY 1, 2");
    for (int i = 1; i <= 4; i++) db_bind_int(s, i, year);
    json_t *items = db_rows(s);
    if (!db_failed(d)) return items;
    json_decref(items);
    store_fail_db(res, d);
    return NULL;
}
