/*
 * dates_cal.h - pure calendar arithmetic for the dates plugin.
 *
 * Proleptic Gregorian calendar, no time zones, no I/O, no allocation: every
 * function here is a pure function of its arguments so the unit tests can
 * pin each rule (leap years, ISO weeks, month overflow) on its own.
 * Weekdays are ISO numbered: 1 = Monday ... 7 = Sunday.
 */
#ifndef DATES_CAL_H
#define DATES_CAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct dc_date {
	int y, m, d; /* a valid calendar date */
} dc_date;

int dc_is_leap(int y);
int dc_days_in_month(int y, int m);              /* 0 for m outside 1..12 */
int dc_valid(int y, int m, int d);               /* 1 when y-m-d exists */
int64_t dc_to_days(dc_date t);                   /* days since 1970-01-01 */
dc_date dc_from_days(int64_t days);
int dc_weekday(dc_date t);                       /* 1 = Monday .. 7 = Sunday */
void dc_iso_week(dc_date t, int *wyear, int *week);
dc_date dc_add_days(dc_date t, int64_t n);
/* Adds months; the day is clamped to the target month (Jan 31 + 1 = Feb 28/29). */
dc_date dc_add_months(dc_date t, int n);
dc_date dc_add_years(dc_date t, int n);
/* The n-th weekday wd of y-m (n = 1..5; n = -1: the last one). 0 if none. */
int dc_nth_weekday(int y, int m, int wd, int n, dc_date *out);
/* Easter Sunday (Gregorian computus). */
dc_date dc_easter(int y);
/* The Monday of ISO week (wyear, week). */
dc_date dc_iso_week_monday(int wyear, int week);
/* A two-digit year read against a reference year: the century that puts the
 * year at most 20 years after ref (ref <= 0: pivot 50, 00-49 -> 20xx). */
int dc_expand_year2(int yy, int ref_year);
/* Parses "YYYY-MM-DD" (the rest of the string is ignored); 0 when valid. */
int dc_parse_iso(const char *s, dc_date *out);

/* TIMEX3 value writers; each returns the length written (buf >= 32 bytes). */
int dc_fmt_day(char *buf, size_t n, dc_date t);            /* 2021-03-10 */
int dc_fmt_month(char *buf, size_t n, int y, int m);       /* 2021-03 */
int dc_fmt_year(char *buf, size_t n, int y);               /* 2021 */
int dc_fmt_week(char *buf, size_t n, dc_date t);           /* 2021-W10, 2000-W7 */

#endif /* DATES_CAL_H */
