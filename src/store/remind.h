/* Reminders: which units must hear about which tasks (due within 7 days, due tomorrow, overdue), recorded once
 * per unit, task and kind, and who should get them by e-mail. Must not send anything: web/mail.c does. */
#ifndef DXDAY_STORE_REMIND_H
#define DXDAY_STORE_REMIND_H
#include "store/db.h"

/* Records the reminders due on `today` (ISO) in one transaction; returns how many are new, or -1. */
int store_remind_scan(db *d, const char *today);
/* Reminders not yet e-mailed with the addresses of the officers and coordinators over their unit:
 * [{id, kind, task_id, ref, title, due, org_name, emails: [...]}] */
json_t *store_remind_pending_mail(db *d, int limit);
int store_remind_mark_mailed(db *d, int64_t id, const char *at);
/* Reminders for the units a user holds a role over, newest first. */
json_t *store_remind_for_user(db *d, int64_t user_id, int limit);
#endif
