/*
 * dates_cal.c - calendar arithmetic (see dates_cal.h).
 *
 * Day counting uses the days-from-civil algorithm (H. Hinnant), which is
 * exact over the whole int range we care about and needs no tables.
 */
#include "dates_cal.h"

#include <stdio.h>

int
dc_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
dc_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return dim[m - 1] + (m == 2 && dc_is_leap(y));
}

int
dc_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && d >= 1 && d <= dc_days_in_month(y, m);
}

int64_t
dc_to_days(dc_date t)
{
	int64_t y = t.y - (t.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (t.m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + t.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

dc_date
dc_from_days(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	dc_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int
dc_weekday(dc_date t)
{
	int64_t z = dc_to_days(t); /* 1970-01-01 was a Thursday (4) */
	int64_t w = (z + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

void
dc_iso_week(dc_date t, int *wyear, int *week)
{
	/* The ISO week belongs to the year of its Thursday. */
	dc_date thu = dc_add_days(t, 4 - dc_weekday(t));
	dc_date jan1 = { thu.y, 1, 1 };
	*wyear = thu.y;
	*week = (int)((dc_to_days(thu) - dc_to_days(jan1)) / 7) + 1;
}

dc_date
dc_iso_week_monday(int wyear, int week)
{
	dc_date jan4 = { wyear, 1, 4 };
	dc_date mon1 = dc_add_days(jan4, 1 - dc_weekday(jan4));
	return dc_add_days(mon1, (int64_t)(week - 1) * 7);
}

dc_date
dc_add_days(dc_date t, int64_t n)
{
	return dc_from_days(dc_to_days(t) + n);
}

dc_date
dc_add_months(dc_date t, int n)
{
	int64_t mi = (int64_t)t.y * 12 + (t.m - 1) + n;
	dc_date r;
	r.y = (int)(mi >= 0 ? mi / 12 : (mi - 11) / 12);
	r.m = (int)(mi - (int64_t)r.y * 12) + 1;
	int dim = dc_days_in_month(r.y, r.m);
	r.d = t.d > dim ? dim : t.d;
	return r;
}

dc_date
dc_add_years(dc_date t, int n)
{
	return dc_add_months(t, n * 12);
}

int
dc_nth_weekday(int y, int m, int wd, int n, dc_date *out)
{
	if (m < 1 || m > 12 || wd < 1 || wd > 7 || n == 0 || n > 5 || n < -1)
		return 0;
	if (n > 0) {
		dc_date first = { y, m, 1 };
		int off = (wd - dc_weekday(first) + 7) % 7;
		int d = 1 + off + (n - 1) * 7;
		if (d > dc_days_in_month(y, m))
			return 0;
		out->y = y, out->m = m, out->d = d;
		return 1;
	}
	dc_date last = { y, m, dc_days_in_month(y, m) };
	int off = (dc_weekday(last) - wd + 7) % 7;
	*out = dc_add_days(last, -off);
	return 1;
}

dc_date
dc_easter(int y)
{
	/* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	dc_date r;
	r.y = y;
	r.m = (h + l - 7 * m + 114) / 31;
	r.d = (h + l - 7 * m + 114) % 31 + 1;
	return r;
}

int
dc_expand_year2(int yy, int ref_year)
{
	if (yy < 0 || yy > 99)
		return -1;
	if (ref_year <= 0)
		return yy < 50 ? 2000 + yy : 1900 + yy;
	int c = (ref_year / 100) * 100;
	int y = c + yy;
	if (y > ref_year + 20)
		y -= 100;
	else if (y < ref_year - 79)
		y += 100;
	return y;
}

static int
dc_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
dc_parse_iso(const char *s, dc_date *out)
{
	int y, m, d;
	if (!s || dc_digits(s, 4, &y) || s[4] != '-' || dc_digits(s + 5, 2, &m) ||
	    s[7] != '-' || dc_digits(s + 8, 2, &d))
		return -1;
	if (!dc_valid(y, m, d))
		return -1;
	out->y = y, out->m = m, out->d = d;
	return 0;
}

int
dc_fmt_day(char *buf, size_t n, dc_date t)
{
	return snprintf(buf, n, "%04d-%02d-%02d", t.y, t.m, t.d);
}

int
dc_fmt_month(char *buf, size_t n, int y, int m)
{
	return snprintf(buf, n, "%04d-%02d", y, m);
}

int
dc_fmt_year(char *buf, size_t n, int y)
{
	return snprintf(buf, n, "%04d", y);
}

int
dc_fmt_week(char *buf, size_t n, dc_date t)
{
	int wy, wk;
	dc_iso_week(t, &wy, &wk);
	/* TimeML corpora write the week unpadded (2000-W7), so do we. */
	return snprintf(buf, n, "%04d-W%d", wy, wk);
}
