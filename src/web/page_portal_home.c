/* The home page: this year's Ngày Chuyển đổi số quốc gia — theme, countdown to 10/10, key dates as a
 * timeline, earlier years. Reads the store; writes nothing.
 * Must not hold anything of one visitor's: it is served from the shared page cache. */
#include "http/app.h"
#include "store/campaign.h"
#include "store/dtd.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>

/* Marks each key date past, today or upcoming so the timeline can show where we are. */
static void mark_dates(json_t *dates, struct ymd today)
{
    size_t i;
    json_t *d;
    bool next_marked = false;
    json_array_foreach(dates, i, d) {
        struct ymd ymd;
        if (!date_parse_iso(json_string_value(json_object_get(d, "date")), &ymd)) continue;
        int c = date_cmp(ymd, today);
        const char *state = c < 0 ? "past" : c == 0 ? "today" : "upcoming";
        json_object_set_new(d, "state", json_string(state));
        if (c >= 0 && !next_marked) { json_object_set_new(d, "next", json_true()); next_marked = true; }
    }
}

static int home(struct req *r)
{
    struct ymd today = date_today();
    json_t *c = store_campaign_get(r->db, today.y);
    if (!c) return req_fail(r, 404, "Chưa có thông tin Ngày Chuyển đổi số quốc gia năm nay.");
    struct ymd day = { today.y, 10, 10 };
    long left = date_diff(today, day);
    json_t *countdown = json_pack("{s:I, s:b, s:b}", "days", (json_int_t)(left > 0 ? left : 0), "is_today", left == 0,
                                  "passed", left < 0);
    if (left < 0) {
        struct ymd next = { today.y + 1, 10, 10 };
        json_object_set_new(countdown, "days_since", json_integer(-left));
        json_object_set_new(countdown, "next_year", json_integer(next.y));
        json_object_set_new(countdown, "days_to_next", json_integer(date_diff(today, next)));
    }
    mark_dates(json_object_get(c, "dates"), today);
    char iso[11];
    date_format_iso(today, iso);
    json_t *years = store_campaigns_list(r->db);
    json_t *earlier = json_array();
    size_t i;
    json_t *y;
    json_array_foreach(years, i, y)
        if (json_integer_value(json_object_get(y, "year")) < today.y) json_array_append(earlier, y);
    json_decref(years);
    json_t *ctx = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "title", "Trang chủ", "_nav", "home",
                            "campaign", c, "countdown", countdown, "earlier", earlier, "today", iso);
    /* The door-to-door counter: read from the store on every render, which the page cache makes once per write. */
    json_t *dtd = store_dtd_open(r->db, iso);
    if (dtd) json_object_set_new(ctx, "dtd", dtd);
    return render(r, ctx, "home");
}

const struct route page_home_routes[] = {
    { "GET", "/", "/api/home", home, PUBLIC, true, 0 },
    { 0 },
};
