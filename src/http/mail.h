/* E-mail reminders and account notices over SMTP (libcurl) when DXDAY_SMTP_URL is set, e.g. smtp://mail.example.vn:587 with
 * DXDAY_SMTP_USER, DXDAY_SMTP_PASSWORD and DXDAY_MAIL_FROM. Must not block a request: called from the
 * reminder thread or the remind command only. */
#ifndef DXDAY_MAIL_H
#define DXDAY_MAIL_H
#include "store/db.h"

/* Scans for reminders due today, then e-mails the pending ones, and the pending notices to account owners (someone
 * tried to sign up with their address: store/signup.h), if SMTP is configured. Prints a summary to stderr when verbose.
 * Returns the number of new reminders, or -1. */
int remind_run(db *d, bool verbose);
#endif
