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
/* Whether a message can go anywhere: DXDAY_SMTP_URL, or DXDAY_MAIL_DIR (each message written there as a .eml file,
 * for development and tests). */
bool mail_configured(void);
/* Sends one plain-text message (body: CRLF lines) to one address from a detached thread, so a request never waits for
 * SMTP and answers in the same time whether or not a message was sent. 0 when handed over, -1 when it cannot go. */
int mail_send_later(const char *to, const char *subject, const char *body);
#endif
