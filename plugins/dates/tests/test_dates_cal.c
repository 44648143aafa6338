/*
 * test_dates_cal.c - the pure calendar module: leap years, validity, day
 * counts, weekdays, ISO weeks, month arithmetic, holidays' rules, two-digit
 * years and value formatting.
 */
#include "gl_test.h"

#include "dates_cal.h"

static dc_date
D(int y, int m, int d)
{
	dc_date t = { y, m, d };
	return t;
}

static int
same(dc_date a, dc_date b)
{
	return a.y == b.y && a.m == b.m && a.d == b.d;
}

GL_TEST(leap_years)
{
	CHECK(dc_is_leap(2024));
	CHECK(dc_is_leap(2000));
	CHECK(!dc_is_leap(1900));
	CHECK(!dc_is_leap(2023));
	CHECK(!dc_is_leap(2100));
	CHECK_INT(dc_days_in_month(2024, 2), 29);
	CHECK_INT(dc_days_in_month(2023, 2), 28);
	CHECK_INT(dc_days_in_month(1900, 2), 28);
	CHECK_INT(dc_days_in_month(2000, 2), 29);
	CHECK_INT(dc_days_in_month(2021, 4), 30);
	CHECK_INT(dc_days_in_month(2021, 13), 0);
}

GL_TEST(validity)
{
	CHECK(dc_valid(2024, 2, 29));
	CHECK(!dc_valid(2023, 2, 29));
	CHECK(!dc_valid(2024, 2, 31)); /* 31.02.2024 is not a date */
	CHECK(!dc_valid(2024, 4, 31));
	CHECK(!dc_valid(2024, 0, 10));
	CHECK(!dc_valid(2024, 12, 0));
	CHECK(dc_valid(2024, 12, 31));
}

GL_TEST(day_numbers_round_trip)
{
	CHECK_INT(dc_to_days(D(1970, 1, 1)), 0);
	CHECK_INT(dc_to_days(D(2000, 3, 1)), 11017);
	CHECK_INT(dc_to_days(D(1969, 12, 31)), -1);
	for (int64_t z = -600000; z < 800000; z += 997) {
		dc_date t = dc_from_days(z);
		CHECK(dc_valid(t.y, t.m, t.d));
		CHECK_INT(dc_to_days(t), z);
	}
}

GL_TEST(weekdays)
{
	CHECK_INT(dc_weekday(D(2021, 3, 10)), 3);  /* Wed, Mar 10 2021 */
	CHECK_INT(dc_weekday(D(2025, 7, 4)), 5);   /* Friday, 4 July 2025 */
	CHECK_INT(dc_weekday(D(2020, 2, 29)), 6);  /* Saturday, Feb. 29, 2020 */
	CHECK_INT(dc_weekday(D(1998, 8, 7)), 5);
	CHECK_INT(dc_weekday(D(1970, 1, 1)), 4);
	CHECK_INT(dc_weekday(D(1969, 12, 28)), 7);
}

GL_TEST(iso_weeks)
{
	int wy, wk;
	dc_iso_week(D(2021, 3, 10), &wy, &wk);
	CHECK_INT(wy, 2021);
	CHECK_INT(wk, 10);
	dc_iso_week(D(2021, 1, 1), &wy, &wk); /* belongs to 2020-W53 */
	CHECK_INT(wy, 2020);
	CHECK_INT(wk, 53);
	dc_iso_week(D(2024, 12, 30), &wy, &wk); /* belongs to 2025-W01 */
	CHECK_INT(wy, 2025);
	CHECK_INT(wk, 1);
	dc_iso_week(D(2017, 12, 31), &wy, &wk);
	CHECK_INT(wy, 2017);
	CHECK_INT(wk, 52);
	CHECK(same(dc_iso_week_monday(2021, 10), D(2021, 3, 8)));
	CHECK(same(dc_iso_week_monday(2020, 53), D(2020, 12, 28)));
	char b[32];
	dc_fmt_week(b, sizeof b, D(2000, 2, 10));
	CHECK_STR(b, "2000-W6");
	dc_fmt_week(b, sizeof b, D(2021, 9, 22));
	CHECK_STR(b, "2021-W38");
}

GL_TEST(adding_days_and_months)
{
	CHECK(same(dc_add_days(D(2024, 2, 28), 1), D(2024, 2, 29)));
	CHECK(same(dc_add_days(D(2023, 2, 28), 1), D(2023, 3, 1)));
	CHECK(same(dc_add_days(D(2024, 1, 1), -1), D(2023, 12, 31)));
	CHECK(same(dc_add_days(D(2018, 1, 1), -7), D(2017, 12, 25)));
	CHECK(same(dc_add_months(D(2024, 1, 31), 1), D(2024, 2, 29)));
	CHECK(same(dc_add_months(D(2023, 1, 31), 1), D(2023, 2, 28)));
	CHECK(same(dc_add_months(D(2024, 3, 15), -3), D(2023, 12, 15)));
	CHECK(same(dc_add_months(D(2024, 12, 1), 1), D(2025, 1, 1)));
	CHECK(same(dc_add_months(D(2024, 1, 10), -25), D(2021, 12, 10)));
	CHECK(same(dc_add_years(D(2024, 2, 29), 1), D(2025, 2, 28)));
	CHECK(same(dc_add_years(D(2024, 2, 29), 4), D(2028, 2, 29)));
}

GL_TEST(holiday_rules)
{
	dc_date t;
	CHECK(dc_nth_weekday(1999, 11, 4, 4, &t)); /* Thanksgiving 1999 */
	CHECK(same(t, D(1999, 11, 25)));
	CHECK(dc_nth_weekday(2024, 5, 1, -1, &t)); /* Memorial Day 2024 */
	CHECK(same(t, D(2024, 5, 27)));
	CHECK(!dc_nth_weekday(2023, 2, 4, 5, &t)); /* no fifth Thursday in Feb 2023 */
	CHECK(dc_nth_weekday(2024, 2, 4, 5, &t)); /* but a leap February has one */
	CHECK(same(t, D(2024, 2, 29)));
	CHECK(same(dc_easter(2000), D(2000, 4, 23)));
	CHECK(same(dc_easter(2024), D(2024, 3, 31)));
	CHECK(same(dc_easter(2025), D(2025, 4, 20)));
	CHECK(same(dc_easter(1998), D(1998, 4, 12)));
}

GL_TEST(two_digit_years)
{
	CHECK_INT(dc_expand_year2(98, 1999), 1998);
	CHECK_INT(dc_expand_year2(5, 1999), 2005);
	CHECK_INT(dc_expand_year2(24, 2024), 2024);
	CHECK_INT(dc_expand_year2(44, 2024), 2044);
	CHECK_INT(dc_expand_year2(45, 2024), 1945);
	CHECK_INT(dc_expand_year2(49, 0), 2049);
	CHECK_INT(dc_expand_year2(50, 0), 1950);
	CHECK_INT(dc_expand_year2(100, 0), -1);
}

GL_TEST(parse_and_format)
{
	dc_date t;
	CHECK_INT(dc_parse_iso("2021-03-10", &t), 0);
	CHECK(same(t, D(2021, 3, 10)));
	CHECK_INT(dc_parse_iso("2024-02-30", &t), -1);
	CHECK_INT(dc_parse_iso("2024-2-3", &t), -1);
	CHECK_INT(dc_parse_iso("", &t), -1);
	CHECK_INT(dc_parse_iso(NULL, &t), -1);
	char b[32];
	dc_fmt_day(b, sizeof b, D(2025, 7, 4));
	CHECK_STR(b, "2025-07-04");
	dc_fmt_month(b, sizeof b, 2021, 3);
	CHECK_STR(b, "2021-03");
	dc_fmt_year(b, sizeof b, 199);
	CHECK_STR(b, "0199");
	dc_fmt_year(b, sizeof b, 2001);
	CHECK_STR(b, "2001");
}

GL_TEST_MAIN(GL_TEST_ENTRY(leap_years), GL_TEST_ENTRY(validity),
    GL_TEST_ENTRY(day_numbers_round_trip), GL_TEST_ENTRY(weekdays),
    GL_TEST_ENTRY(iso_weeks), GL_TEST_ENTRY(adding_days_and_months),
    GL_TEST_ENTRY(holiday_rules), GL_TEST_ENTRY(two_digit_years),
    GL_TEST_ENTRY(parse_and_format))
