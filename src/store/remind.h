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
/* The hourly run of the reminder job across nodes. Claims the UTC hour of `now` for `node` (host:pid, for the
 * operator) unless a node has run it or a run is still under way (started within two hours: an older one died);
 * writes the hour ("YYYY-MM-DDTHH") into period[14]. 1 when the caller should run the job, 0 when another node has
 * it, -1 on an error. SQLite: always 1, nothing recorded (one process, which runs every scan it starts). */
int store_remind_claim(db *d, const char *node, int64_t now, char period[14]);
/* Marks the claimed hour's run finished, so that the next hour's claim need not wait for it. 0 or -1. */
int store_remind_finished(db *d, const char *period, int64_t now);
/* Reminders for the units a user holds a role over, newest first. */
json_t *store_remind_for_user(db *d, int64_t user_id, int limit);
#endif
