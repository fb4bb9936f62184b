/* Calendar dates as Vietnamese officials write and read them; "today" in Asia/Ho_Chi_Minh (UTC+7, no DST).
 * Pure functions: no I/O beyond reading the clock in date_today(), no globals. */
#ifndef DXDAY_DATE_H
#define DXDAY_DATE_H
#include <stdbool.h>
#include <time.h>

struct ymd { int y, m, d; };

bool date_valid(struct ymd d);
int  date_days_in_month(int y, int m);
/* Days since 1970-01-01 (proleptic Gregorian) and back. */
long date_to_days(struct ymd d);
struct ymd date_from_days(long days);
/* b - a in days. */
long date_diff(struct ymd a, struct ymd b);
int  date_cmp(struct ymd a, struct ymd b);

/* "2022-06-16" exactly (zero-padded); false on anything else, including impossible dates. */
bool date_parse_iso(const char *s, struct ymd *out);
/* out must hold 11 bytes: "2022-06-16". */
void date_format_iso(struct ymd d, char *out);
/* out must hold 11 bytes: "16/06/2022". */
void date_format_vn(struct ymd d, char *out);
/* A single date as written in Vietnamese documents: "16/6/2022", "16-6-2022", "16.6.2022",
 * "ngày 16 tháng 6 năm 2022", "ngày 16/6/2022" (NFC or NFD, any case). Returns false when no full date. */
bool date_parse_vn(const char *s, struct ymd *out);

/* Today's calendar date in Asia/Ho_Chi_Minh for the instant t (pass time(NULL)). */
struct ymd date_today_at(time_t t);
struct ymd date_today(void);
/* UTC ISO-8601 timestamp "2026-11-23T19:50:01Z" for t; out must hold 21 bytes. */
void date_utc_iso(time_t t, char *out);
/* Vietnamese weekday name of d: "Thứ Hai" … "Chủ nhật". */
const char *date_weekday_vn(struct ymd d);

#endif
