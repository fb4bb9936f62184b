/* Delivers reminders: in-app rows always, e-mail through libcurl's SMTP when configured. A failed send leaves
 * the row unmarked so the next run tries again. Must not put anything but plain text in a message. */
#include "web/mail.h"
#include "store/remind.h"
#include "core/buf.h"
#include "core/date.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct upload_ctx { const char *data; size_t len, off; };

static size_t feed(char *ptr, size_t size, size_t nmemb, void *userp)
{
    struct upload_ctx *u = userp;
    size_t n = size * nmemb, left = u->len - u->off;
    if (n > left) n = left;
    memcpy(ptr, u->data + u->off, n);
    u->off += n;
    return n;
}

/* One message per reminder and recipient list: few enough for the volumes here, simple to retry. */
static int send_one(const char *url, const char *from, json_t *r)
{
    json_t *emails = json_object_get(r, "emails");
    if (!json_array_size(emails)) return 0;
    struct buf msg = { 0 };
    char date[64];
    time_t t = time(NULL);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", gmtime(&t));
    struct ymd due;
    char due_vn[11] = "";
    if (json_string_value(json_object_get(r, "due")) && date_parse_iso(json_string_value(json_object_get(r, "due")), &due))
        date_format_vn(due, due_vn);
    buf_printf(&msg, "Date: %s\r\nFrom: %s\r\nSubject: =?UTF-8?B?", date, from);
    /* Subject in Vietnamese needs RFC 2047 encoding; a fixed, pre-encoded ASCII subject keeps this small. */
    buf_puts(&msg, "W2R4ZGF5XSBOaOG6r2Mgdmnhu4djIG5oaeG7h20gduG7pQ==?=\r\n");
    buf_puts(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
    buf_printf(&msg, "%s: nhiệm vụ %s – %s\r\nĐơn vị: %s\r\nThời hạn: %s\r\n\r\nXem và cập nhật tiến độ tại mục Nhiệm vụ trên dxday (nhiệm vụ số %lld).\r\n",
               json_string_value(json_object_get(r, "kind_label")), json_string_value(json_object_get(r, "ref")),
               json_string_value(json_object_get(r, "title")), json_string_value(json_object_get(r, "org_name")),
               due_vn[0] ? due_vn : "không ghi", (long long)json_integer_value(json_object_get(r, "task_id")));
    CURL *c = curl_easy_init();
    struct curl_slist *rcpt = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(emails, i, e) rcpt = curl_slist_append(rcpt, json_string_value(e));
    struct upload_ctx u = { msg.p, msg.len, 0 };
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (getenv("DXDAY_SMTP_USER")) curl_easy_setopt(c, CURLOPT_USERNAME, getenv("DXDAY_SMTP_USER"));
    if (getenv("DXDAY_SMTP_PASSWORD")) curl_easy_setopt(c, CURLOPT_PASSWORD, getenv("DXDAY_SMTP_PASSWORD"));
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    buf_free(&msg);
    return rc == CURLE_OK ? 0 : -1;
}

int remind_run(db *d, bool verbose)
{
    char today[11];
    date_format_iso(date_today(), today);
    int n = store_remind_scan(d, today);
    if (verbose) fprintf(stderr, "remind: %d new reminder(s) for %s\n", n, today);
    const char *url = getenv("DXDAY_SMTP_URL");
    if (!url || !*url || n < 0) return n;
    const char *from = getenv("DXDAY_MAIL_FROM") ? getenv("DXDAY_MAIL_FROM") : "dxday@localhost";
    json_t *pending = store_remind_pending_mail(d, 500);
    size_t i, sent = 0;
    json_t *r;
    json_array_foreach(pending, i, r) {
        if (send_one(url, from, r)) continue;
        char now[21];
        date_utc_iso(time(NULL), now);
        store_remind_mark_mailed(d, json_integer_value(json_object_get(r, "id")), now);
        sent++;
    }
    if (verbose) fprintf(stderr, "remind: e-mailed %zu of %zu\n", sent, json_array_size(pending));
    json_decref(pending);
    return n;
}
