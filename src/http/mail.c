/* Delivers reminders (in-app rows always) and notices to account owners, by e-mail through libcurl's SMTP when
 * configured. A failed send leaves the row unmarked so the next run tries again. Must not put anything but plain text
 * in a message. */
#include "http/mail.h"
#include "store/remind.h"
#include "store/signup.h"
#include "core/buf.h"
#include "core/date.h"
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <unistd.h>
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

/* Sends msg (headers and body, CRLF) to every address in rcpts. 0 when the server accepted it. */
static int smtp_send(const char *url, const char *from, json_t *rcpts, const struct buf *msg)
{
    CURL *c = curl_easy_init();
    if (!c) return -1;
    struct curl_slist *rcpt = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(rcpts, i, e) rcpt = curl_slist_append(rcpt, json_string_value(e));
    struct upload_ctx u = { msg->p, msg->len, 0 };
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
    return rc == CURLE_OK ? 0 : -1;
}

/* Subjects in Vietnamese need RFC 2047 encoding; fixed, pre-encoded ASCII subjects keep this small. */
static void headers(struct buf *msg, const char *from, const char *subject_b64)
{
    char date[64];
    time_t t = time(NULL);
    struct tm tm_utc;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", gmtime_r(&t, &tm_utc));
    buf_printf(msg, "Date: %s\r\nFrom: %s\r\nSubject: =?UTF-8?B?%s?=\r\n", date, from, subject_b64);
    buf_puts(msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
}

/* One message per reminder and recipient list: few enough for the volumes here, simple to retry. */
static int send_one(const char *url, const char *from, json_t *r)
{
    json_t *emails = json_object_get(r, "emails");
    if (!json_array_size(emails)) return 0;
    struct buf msg = { 0 };
    struct ymd due;
    char due_vn[11] = "";
    if (json_string_value(json_object_get(r, "due")) && date_parse_iso(json_string_value(json_object_get(r, "due")), &due))
        date_format_vn(due, due_vn);
    headers(&msg, from, "W2R4ZGF5XSBOaOG6r2Mgdmnhu4djIG5oaeG7h20gduG7pQ==");
    buf_printf(&msg, "%s: nhiệm vụ %s – %s\r\nĐơn vị: %s\r\nThời hạn: %s\r\n\r\nXem và cập nhật tiến độ tại mục Nhiệm vụ trên dxday (nhiệm vụ số %lld).\r\n",
               json_string_value(json_object_get(r, "kind_label")), json_string_value(json_object_get(r, "ref")),
               json_string_value(json_object_get(r, "title")), json_string_value(json_object_get(r, "org_name")),
               due_vn[0] ? due_vn : "không ghi", (long long)json_integer_value(json_object_get(r, "task_id")));
    int rc = smtp_send(url, from, emails, &msg);
    buf_free(&msg);
    return rc;
}

/* Tells an account's owner that someone tried to sign up with their e-mail address; it names no one and asks for
 * nothing, so a forged or repeated notice does no harm. */
static int send_notice(const char *url, const char *from, json_t *n)
{
    const char *email = json_string_value(json_object_get(n, "email"));
    const char *created = json_string_value(json_object_get(n, "created_at"));
    if (!email || strpbrk(email, "\r\n")) return -1;
    char name[256], day[11] = "";
    snprintf(name, sizeof name, "%s", json_string_value(json_object_get(n, "name")) ? json_string_value(json_object_get(n, "name")) : "");
    for (char *p = name; *p; p++)
        if (*p == '\r' || *p == '\n') *p = ' ';
    struct ymd d;
    if (created && strlen(created) >= 10) {
        char iso[11];
        snprintf(iso, sizeof iso, "%.10s", created);
        if (date_parse_iso(iso, &d)) date_format_vn(d, day);
    }
    struct buf msg = { 0 };
    headers(&msg, from, "W2R4ZGF5XSBDw7MgbmfGsOG7nWkgxJHEg25nIGvDvSBi4bqxbmcgZW1haWwgY+G7p2EgYuG6oW4=");
    buf_printf(&msg, "Xin chào %s,\r\n\r\nNgày %s có người dùng địa chỉ email này để đăng ký học trên dxday. Tài khoản của bạn "
                     "không thay đổi: mật khẩu vẫn giữ nguyên và lần đăng ký đó không mở được tài khoản.\r\n\r\n"
                     "Nếu đó là bạn, hãy đăng nhập bằng mật khẩu đã có. Nếu không phải bạn, bạn không cần làm gì.\r\n",
               name, day[0] ? day : "gần đây");
    json_t *to = json_pack("[s]", email);
    int rc = smtp_send(url, from, to, &msg);
    json_decref(to);
    buf_free(&msg);
    return rc;
}

static size_t send_notices(db *d, const char *url, const char *from)
{
    json_t *pending = store_account_notice_pending_mail(d, 500);
    size_t i, sent = 0;
    json_t *n;
    json_array_foreach(pending, i, n) {
        if (send_notice(url, from, n)) continue;
        char now[21];
        date_utc_iso(time(NULL), now);
        store_account_notice_mark_mailed(d, json_integer_value(json_object_get(n, "id")), now);
        sent++;
    }
    json_decref(pending);
    return sent;
}

int remind_run(db *d, bool verbose)
{
    char today[11];
    date_format_iso(date_today(), today);
    int n = store_remind_scan(d, today);
    if (verbose) fprintf(stderr, "remind: %d new reminder(s) for %s\n", n, today);
    const char *url = getenv("DXDAY_SMTP_URL");
    if (!url || !*url) return n;
    const char *from = getenv("DXDAY_MAIL_FROM") ? getenv("DXDAY_MAIL_FROM") : "dxday@localhost";
    size_t notices = send_notices(d, url, from);
    if (verbose) fprintf(stderr, "remind: e-mailed %zu notice(s) to account owners\n", notices);
    if (n < 0) return n;
    /* In batches of 500 until none is left: a day with more reminders than one batch (thousands of units) mails them
     * all in this run, not 500 an hour. A batch that sends nothing (the SMTP server refuses) ends the run. */
    size_t sent = 0, seen = 0, batch_sent;
    do {
        json_t *pending = store_remind_pending_mail(d, 500), *r;
        size_t i, got = json_array_size(pending);
        batch_sent = 0;
        json_array_foreach(pending, i, r) {
            if (send_one(url, from, r)) continue;
            char now[21];
            date_utc_iso(time(NULL), now);
            store_remind_mark_mailed(d, json_integer_value(json_object_get(r, "id")), now);
            batch_sent++;
        }
        json_decref(pending);
        sent += batch_sent;
        seen += got;
        if (got < 500) break;
    } while (batch_sent > 0);
    if (verbose) fprintf(stderr, "remind: e-mailed %zu of %zu\n", sent, seen);
    return n;
}

/* ---- One message to one person, off the request's thread (password reset links: issue 15) ---- */

struct later { char *to, *subject, *body; };

/* DXDAY_MAIL_DIR: each message is also written there as a file (a development mailbox, and how tests read links). */
static int to_dir(const char *dir, const struct buf *msg)
{
    static unsigned seq;
    char path[4096];
    snprintf(path, sizeof path, "%s/%lld-%d-%u.eml", dir, (long long)time(NULL), (int)getpid(), __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return -1;
    bool ok = fwrite(msg->p, 1, msg->len, f) == msg->len;
    if (fclose(f) || !ok) return -1;
    return rename(tmp, path);   /* a reader never sees half a message */
}

static void *send_later(void *arg)
{
    struct later *l = arg;
    const char *from = getenv("DXDAY_MAIL_FROM") ? getenv("DXDAY_MAIL_FROM") : "dxday@localhost";
    char b64[512];
    sodium_bin2base64(b64, sizeof b64, (const unsigned char *)l->subject, strlen(l->subject), sodium_base64_VARIANT_ORIGINAL);
    struct buf msg = { 0 };
    buf_printf(&msg, "To: %s\r\n", l->to);   /* before headers(), which ends the header block */
    headers(&msg, from, b64);
    buf_puts(&msg, l->body);
    const char *dir = getenv("DXDAY_MAIL_DIR"), *url = getenv("DXDAY_SMTP_URL");
    if (dir && *dir && to_dir(dir, &msg)) fprintf(stderr, "mail: could not write a message into DXDAY_MAIL_DIR\n");
    if (url && *url) {
        json_t *to = json_pack("[s]", l->to);
        if (smtp_send(url, from, to, &msg)) fprintf(stderr, "mail: SMTP refused or failed a message\n");
        json_decref(to);
    }
    buf_free(&msg);
    free(l->to);
    free(l->subject);
    free(l->body);
    free(l);
    return NULL;
}

bool mail_configured(void)
{
    return (getenv("DXDAY_SMTP_URL") && *getenv("DXDAY_SMTP_URL")) || (getenv("DXDAY_MAIL_DIR") && *getenv("DXDAY_MAIL_DIR"));
}

int mail_send_later(const char *to, const char *subject, const char *body)
{
    if (!to || strpbrk(to, "\r\n") || strlen(subject) > 300 || !mail_configured()) return -1;
    struct later *l = calloc(1, sizeof *l);
    if (!l) return -1;
    l->to = strdup(to);
    l->subject = strdup(subject);
    l->body = strdup(body);
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &a, send_later, l);
    pthread_attr_destroy(&a);
    if (rc) { send_later(l); return 0; }
    return 0;
}
