/* The events calendar ("Lịch sự kiện"): the key dates of every campaign and the deadlines of the forms units report
 * on, as a page and as an iCalendar feed a phone can subscribe to; and sitemap.xml for search engines. Reads the store
 * through store/calendar.h and store/sitemap.h; must not write, and must not list a page the public cannot open. */
#include "http/app.h"
#include "store/calendar.h"
#include "store/result.h"
#include "store/sitemap.h"
#include "core/buf.h"
#include "core/date.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int page(struct req *r)
{
    int year = (int)req_int(r, "nam", 0);
    if (year && (year < 2000 || year > 2100)) return req_fail(r, 400, "Năm không hợp lệ.");
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_calendar_events(r->db, year, &res);
    if (!items) return req_result(r, &res);
    char today[11];
    date_format_iso(date_today(), today);
    /* On a phone the list is long: what is still to come leads, oldest first; the past follows by year, newest
     * first, so the dates people look for sit at the top. items keeps every date oldest first for API readers. */
    json_t *upcoming = json_array(), *past = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        const char *d = json_string_value(json_object_get(e, "date"));
        bool gone = strcmp(d ? d : "", today) < 0;
        json_object_set_new(e, "past", json_boolean(gone));
        if (!gone) json_array_append(upcoming, e);
    }
    for (size_t k = json_array_size(items); k-- > 0;) {
        e = json_array_get(items, k);
        if (!json_is_true(json_object_get(e, "past"))) continue;
        int y = atoi(json_string_value(json_object_get(e, "date")));
        json_t *last = json_array_get(past, json_array_size(past) - 1);
        if (!last || json_integer_value(json_object_get(last, "year")) != y) {
            /* Only the latest past year starts unfolded: older years are a heading each on a phone. */
            last = json_pack("{s:i, s:b, s:[]}", "year", y, "open", json_array_size(past) == 0, "items");
            json_array_append_new(past, last);
        }
        json_array_append(json_object_get(last, "items"), e);
    }
    return render(r, json_pack("{s:s, s:s, s:o, s:o, s:o}", "title", "Lịch sự kiện", "_nav", "calendar", "items", items,
                               "upcoming", upcoming, "past", past), "calendar/index");
}

/* RFC 5545 text: backslash, semicolon and comma escaped, lines folded at 75 octets without splitting a character. */
static void ics_text(struct buf *b, const char *name, const char *v)
{
    struct buf line = { 0 };
    buf_printf(&line, "%s:", name);
    for (const char *p = v; *p; p++) {
        if (*p == '\\' || *p == ';' || *p == ',') buf_printf(&line, "\\%c", *p);
        else if (*p == '\n') buf_puts(&line, "\\n");
        else buf_put(&line, p, 1);
    }
    size_t col = 0;
    for (size_t i = 0; i < line.len;) {
        size_t n = 1;
        unsigned char c = (unsigned char)line.p[i];
        if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
        if (col + n > 74) { buf_puts(b, "\r\n "); col = 1; }
        buf_put(b, line.p + i, n);
        col += n;
        i += n;
    }
    buf_puts(b, "\r\n");
    buf_free(&line);
}

static int ics(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *items = store_calendar_events(r->db, 0, &res);
    if (!items) return req_result(r, &res);
    struct buf b = { 0 };
    char stamp[21];
    date_utc_iso(time(NULL), stamp);
    char dt[17];
    snprintf(dt, sizeof dt, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", stamp, stamp + 5, stamp + 8, stamp + 11, stamp + 14, stamp + 17);
    buf_puts(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dxday//Lich su kien//VI\r\nCALSCALE:GREGORIAN\r\n");
    ics_text(&b, "X-WR-CALNAME", "Ngày Chuyển đổi số quốc gia");
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) {
        const char *d = json_string_value(json_object_get(e, "date"));
        struct ymd y, next;
        if (!d || !date_parse_iso(d, &y)) continue;
        next = date_from_days(date_to_days(y) + 1);
        buf_printf(&b, "BEGIN:VEVENT\r\nUID:%s-%zu@dxday\r\nDTSTAMP:%s\r\nDTSTART;VALUE=DATE:%04d%02d%02d\r\nDTEND;VALUE=DATE:%04d%02d%02d\r\n",
                   d, i, dt, y.y, y.m, y.d, next.y, next.m, next.d);
        ics_text(&b, "SUMMARY", json_string_value(json_object_get(e, "label")));
        buf_puts(&b, "END:VEVENT\r\n");
    }
    buf_puts(&b, "END:VCALENDAR\r\n");
    json_decref(items);
    req_header(r, "Content-Disposition", "inline; filename=\"ngay-chuyen-doi-so.ics\"");
    size_t len = b.len;
    return req_send(r, 200, "text/calendar; charset=utf-8", buf_take(&b), len);
}

/* Every public page worth indexing: the fixed ones, each year, each plan, each published article, course and lesson. */
static int sitemap(struct req *r)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *paths = store_sitemap_paths(r->db, &res);
    if (!paths) return req_result(r, &res);
    struct buf b = { 0 };
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    const char *fixed[] = { "/", "/nam", "/ke-hoach", "/don-vi", "/tin-tuc", "/hoi-dap", "/lich", "/tro-ly", "/tim-kiem",
                            "/khoa-hoc", "/danh-gia-ky-nang", "/danh-gia-ky-nang/phuong-phap", "/ky-nang-so", NULL };
    /* Search engines want absolute addresses: DXDAY_PUBLIC_URL is the portal's public origin (https://…). */
    const char *origin = getenv("DXDAY_PUBLIC_URL") ? getenv("DXDAY_PUBLIC_URL") : "";
    for (int i = 0; fixed[i]; i++) {
        buf_puts(&b, "<url><loc>");
        buf_put_html(&b, origin, strlen(origin));
        buf_printf(&b, "%s</loc></url>\n", fixed[i]);
    }
    size_t i;
    json_t *p;
    json_array_foreach(paths, i, p) {
        const char *u = json_string_value(p);
        buf_puts(&b, "<url><loc>");
        buf_put_html(&b, origin, strlen(origin));
        buf_put_html(&b, u, strlen(u));
        buf_puts(&b, "</loc></url>\n");
    }
    json_decref(paths);
    buf_puts(&b, "</urlset>\n");
    size_t len = b.len;
    return req_send(r, 200, "application/xml; charset=utf-8", buf_take(&b), len);
}

const struct route page_calendar_routes[] = {
    { "GET", "/lich", "/api/events", page, PUBLIC, true, 0 },
    { "GET", "/lich.ics", NULL, ics, PUBLIC, true, 0 },
    { "GET", "/sitemap.xml", NULL, sitemap, PUBLIC, true, 0 },
    { 0 },
};
