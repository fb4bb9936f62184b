/* The campaign years as passages the assistant can answer from: the Day itself (its date, the decision that made it),
 * each year's theme and key dates, from the campaign tables (data/campaigns.tsv and the centre's edits).
 * Must not invent a fact: every sentence written here is a row of campaign or campaign_date, or derived from them. */
#include "store/search.h"
#include "core/buf.h"
#include "core/date.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vn_date(struct buf *b, const char *iso)
{
    struct ymd d;
    char vn[16];
    if (iso && date_parse_iso(iso, &d)) {
        date_format_vn(d, vn);
        buf_puts(b, vn);
    }
}

static int index_year(db *d, int64_t year, const char *theme, const char *day)
{
    struct buf b = {0};
    /* The year's Day itself is one of its key dates below: a sentence "… năm 2023 là ngày 10/10/2023" would outrank
     * the general one for "ngày chuyển đổi số quốc gia là ngày nào", which no year answers better. */
    if (theme && *theme)
        buf_printf(&b, "Chủ đề của Ngày Chuyển đổi số quốc gia năm %lld là \"%s\".\n\n", (long long)year, theme);
    db_stmt *s = db_prepare(d, "SELECT date, label FROM campaign_date WHERE year = ? ORDER BY date, label");
    if (!s) {
        buf_free(&b);
        return -1;
    }
    db_bind_int(s, 1, year);
    /* Each key date its own line, date first as officials write it: "15/09/2024: Bắt đầu đợt hưởng ứng …". */
    while (db_step(s) == DB_ROW) {
        vn_date(&b, db_col_text(s, 0));
        buf_printf(&b, ": %s (năm %lld).\n", db_col_text(s, 1), (long long)year);
    }
    db_done(s);
    char title[96], url[32];
    snprintf(title, sizeof title, "Ngày Chuyển đổi số quốc gia năm %lld", (long long)year);
    snprintf(url, sizeof url, "/nam/%lld", (long long)year);
    int rc = store_search_put(d, "campaign", year, title, b.p ? b.p : "", url, day);
    buf_free(&b);
    return rc;
}

/* The Day in general: the day and month every year shares (10/10 since Decision 505/QĐ-TTg), read from the years. */
static int index_day(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT MIN(day) AS lo, MAX(day) AS hi FROM campaign");
    json_t *r = s ? db_row(s) : NULL;
    const char *lo = json_string_value(json_object_get(r, "lo")), *hi = json_string_value(json_object_get(r, "hi"));
    int rc = 0;
    if (lo && hi && strlen(lo) == 10 && !strcmp(lo + 4, hi + 4)) {
        int m = atoi(lo + 5), dd = atoi(lo + 8);
        struct buf b = {0};
        buf_printf(&b, "Ngày Chuyển đổi số quốc gia là ngày %d tháng %d hằng năm (%02d/%02d).\n", dd, m, dd, m);
        /* The decision that set the Day, when the reference data names it. */
        s = db_prepare(d, "SELECT date, label FROM campaign_date WHERE label LIKE '%Ngày Chuyển đổi số quốc gia%' AND label LIKE '%Quyết định%' "
                          "ORDER BY date LIMIT 1");
        json_t *dec = s ? db_row(s) : NULL;
        const char *label = json_string_value(json_object_get(dec, "label"));
        if (label) {
            buf_puts(&b, "Ngày ");
            vn_date(&b, json_string_value(json_object_get(dec, "date")));
            buf_printf(&b, ", %s.\n", label);
        }
        json_decref(dec);
        rc = store_search_put(d, "campaign", 0, "Ngày Chuyển đổi số quốc gia", b.p, "/nam", NULL);
        buf_free(&b);
    }
    json_decref(r);
    return rc;
}

int store_search_index_campaigns(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT year, theme, day FROM campaign ORDER BY year");
    json_t *rows = s ? db_rows(s) : NULL;
    if (!rows) return -1;
    int rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        if (rc) break;
        rc = index_year(d, json_integer_value(json_object_get(row, "year")), json_string_value(json_object_get(row, "theme")),
                        json_string_value(json_object_get(row, "day")));
    }
    json_decref(rows);
    return rc ? rc : index_day(d);
}
