/* The home page: this year's Ngày Chuyển đổi số quốc gia — theme, countdown to 10/10, key dates as a
 * timeline, earlier years. Reads the store; writes nothing.
 * Must not hold anything of one visitor's: it is served from the shared page cache. */
#include "http/app.h"
#include "store/campaign.h"
#include "store/dtd.h"
#include "store/article.h"
#include "store/listing.h"
#include "store/contest.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* What is going on, for a first visit: the latest news, the activities not yet over (soonest first) and the contests
 * taking entries now. The same for every visitor (the page is cached): published and approved items only. */
static void add_living(struct req *r, json_t *ctx, const char *today)
{
    struct store_result res = STORE_RESULT_OK;
    json_t *news = store_articles_list(r->db, "tin-tuc", true, 3, 0, &res);
    if (news && json_array_size(news)) json_object_set_new(ctx, "news", news);
    else json_decref(news);
    struct listing_query q = { "activity", NULL, NULL, 0, NULL, 50, 0, 0 };
    json_t *all = store_listings(r->db, &q, &res), *soon = json_array(), *it;
    size_t i;
    /* The list comes newest start first: walk it backwards for the soonest, keeping those not over. */
    for (i = json_array_size(all); i-- > 0 && json_array_size(soon) < 3;) {
        it = json_array_get(all, i);
        const char *end = json_string_value(json_object_get(it, "ends_on"));
        if (!end) end = json_string_value(json_object_get(it, "starts_on"));
        if (end && strcmp(end, today) >= 0) json_array_append(soon, it);
    }
    json_decref(all);
    if (json_array_size(soon)) json_object_set_new(ctx, "activities", soon);
    else json_decref(soon);
    char now[21];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    json_t *contests = store_contests_list(r->db), *open = json_array(), *c;
    json_array_foreach(contests, i, c) {
        const char *a = json_string_value(json_object_get(c, "opens_at")), *b = json_string_value(json_object_get(c, "closes_at"));
        if (a && b && strcmp(a, now) <= 0 && strcmp(now, b) < 0 && json_array_size(open) < 3) json_array_append(open, c);
    }
    json_decref(contests);
    if (json_array_size(open)) json_object_set_new(ctx, "contests", open);
    else json_decref(open);
}

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
    add_living(r, ctx, iso);
    return render(r, ctx, "home");
}

const struct route page_home_routes[] = {
    { "GET", "/", "/api/home", home, PUBLIC, true, 0 },
    { 0 },
};
