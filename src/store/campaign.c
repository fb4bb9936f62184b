/* Campaigns (Ngày Chuyển đổi số quốc gia năm YYYY): reference data, reading, and the centre's edits.
 * Must not overwrite an existing year from the data file: after the first load the store is the truth. */
#include "store/campaign.h"
#include "store/search.h"
#include "core/date.h"
#include "core/files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void now_iso(char *out) { date_utc_iso(time(NULL), out); }

static bool exists(db *d, int year)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM campaign WHERE year = ?");
    db_bind_int(s, 1, year);
    return db_scalar_int(s, 0) > 0;
}

static int insert_date(db *d, int year, const char *date, const char *label)
{
    db_stmt *s = db_prepare(d, "INSERT INTO campaign_date (year, date, label) VALUES (?, ?, ?)");
    db_bind_int(s, 1, year);
    db_bind_text(s, 2, date);
    db_bind_text(s, 3, label);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static int upsert(db *d, int year, const char *theme)
{
    char day[11], now[21];
    snprintf(day, sizeof day, "%04d-10-10", year);
    now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO campaign (year, theme, day, updated_at) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (year) DO UPDATE SET theme = excluded.theme, updated_at = excluded.updated_at");
    db_bind_int(s, 1, year);
    db_bind_text(s, 2, theme && *theme ? theme : NULL);
    db_bind_text(s, 3, day);
    db_bind_text(s, 4, now);
    int rc = db_step(s);
    db_done(s);
    return rc == DB_ERROR ? -1 : 0;
}

static int load_row(db *d, char *line)
{
    char *year_s = line, *theme = strchr(line, '\t'), *dates = theme ? strchr(theme + 1, '\t') : NULL;
    if (!theme || !dates) return -1;
    *theme++ = 0;
    *dates++ = 0;
    int year = atoi(year_s);
    if (year < 2000 || exists(d, year)) return 0;
    if (upsert(d, year, theme)) return -1;
    char *save = NULL;
    for (char *item = strtok_r(dates, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char *bar = strchr(item, '|');
        struct ymd ymd;
        if (!bar) return -1;
        *bar = 0;
        if (!date_parse_iso(item, &ymd) || insert_date(d, year, item, bar + 1)) return -1;
    }
    return 0;
}

int store_campaigns_load(db *d)
{
    const struct embedded_file *f = files_get("data/campaigns.tsv");
    db_begin(d);
    int rc = 0, lineno = 0;
    if (f) {
        char *text = strndup((const char *)f->data, f->size), *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save))
            if (lineno++ > 0 && (rc = load_row(d, line)))
                fprintf(stderr, "data/campaigns.tsv:%d: bad row\n", lineno);
        free(text);
    }
    int year = date_today().y;
    if (!rc && !exists(d, year)) {
        char day[11];
        snprintf(day, sizeof day, "%04d-10-10", year);
        rc = upsert(d, year, NULL) || insert_date(d, year, day, "Ngày Chuyển đổi số quốc gia");
    }
    if (rc) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}

json_t *store_campaigns_list(db *d)
{
    return db_rows(db_prepare(d, "SELECT year, theme, day FROM campaign ORDER BY year DESC"));
}

json_t *store_campaign_get(db *d, int year)
{
    db_stmt *s = db_prepare(d, "SELECT year, theme, day, updated_at FROM campaign WHERE year = ?");
    db_bind_int(s, 1, year);
    json_t *c = db_row(s);
    if (!c) return NULL;
    s = db_prepare(d, "SELECT date, label FROM campaign_date WHERE year = ? ORDER BY date, id");
    db_bind_int(s, 1, year);
    json_object_set_new(c, "dates", db_rows(s));
    return c;
}

int store_campaign_save(db *d, int year, const char *theme, json_t *dates)
{
    db_begin(d);
    int rc = upsert(d, year, theme);
    db_stmt *s = db_prepare(d, "DELETE FROM campaign_date WHERE year = ?");
    db_bind_int(s, 1, year);
    if (db_step(s) == DB_ERROR) rc = -1;
    db_done(s);
    size_t i;
    json_t *it;
    json_array_foreach(dates, i, it)
        if (!rc) rc = insert_date(d, year, json_string_value(json_object_get(it, "date")),
                                  json_string_value(json_object_get(it, "label")));
    if (!rc) rc = store_search_index_campaigns(d);   /* what the assistant says about the year follows the edit */
    if (rc) {
        db_rollback(d);
        return -1;
    }
    return db_commit(d);
}
