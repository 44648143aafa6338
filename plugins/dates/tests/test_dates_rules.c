/*
 * test_dates_rules.c - the recognizer end to end on short texts, one test
 * per rule family and per normalisation, with the real data/ tables.
 */
#include "gl_test.h"

#include <stdint.h>

#include "dates_lex.h"
#include "dates_rules.h"

#define MAXS 64

typedef struct {
	const char *text;
	int n;
	dr_span s[MAXS];
} got_t;

static dl_lexicon lx;
static int lx_ready;

static int
collect(void *ctx, const dr_span *sp)
{
	got_t *g = ctx;
	if (g->n < MAXS)
		g->s[g->n++] = *sp;
	return 0;
}

static int timeml_values; /* dr_opts.timeml_values for the next runs */

static got_t
run_opts(const char *text, const char *dct, const char *lang, int slash, int from_text)
{
	got_t g;
	memset(&g, 0, sizeof g);
	g.text = text;
	if (!lx_ready) {
		char err[256];
		if (dl_load(&lx, DATES_DATA_DIR, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			exit(2);
		}
		lx_ready = 1;
	}
	dr_opts o = { slash, from_text, timeml_values };
	CHECK_INT(dr_analyze(&lx, &o, text, strlen(text), dct, lang, collect, &g), 0);
	/* every run: spans in order, inside the text, never overlapping */
	size_t prev = 0;
	for (int i = 0; i < g.n; i++) {
		CHECK(g.s[i].start < g.s[i].end);
		CHECK(g.s[i].end <= strlen(text));
		CHECK(g.s[i].start >= prev);
		prev = g.s[i].end;
	}
	return g;
}

static got_t
run(const char *text, const char *dct)
{
	return run_opts(text, dct, "en", 0, 1);
}

/* The span covering exactly the first occurrence of surf, or NULL. */
static const dr_span *
span_of(const got_t *g, const char *surf)
{
	const char *p = strstr(g->text, surf);
	if (!p)
		return NULL;
	size_t s = (size_t)(p - g->text), e = s + strlen(surf);
	for (int i = 0; i < g->n; i++)
		if (g->s[i].start == s && g->s[i].end == e)
			return &g->s[i];
	return NULL;
}

static int
overlaps(const got_t *g, const char *surf)
{
	const char *p = strstr(g->text, surf);
	size_t s = (size_t)(p - g->text), e = s + strlen(surf);
	for (int i = 0; i < g->n; i++)
		if (g->s[i].start < e && s < g->s[i].end)
			return 1;
	return 0;
}

#define EXPECT(text, dct, surf, ty_, val_)                                     \
	do {                                                                     \
		got_t g_ = run((text), (dct));                                   \
		const dr_span *sp_ = span_of(&g_, (surf));                       \
		if (!sp_) {                                                      \
			fprintf(stderr, "%s:%d: no span \"%s\" in \"%s\" (%d spans:", \
			    __FILE__, __LINE__, (surf), (text), g_.n);           \
			for (int k_ = 0; k_ < g_.n; k_++)                        \
				fprintf(stderr, " [%.*s]=%s", (int)(g_.s[k_].end - g_.s[k_].start), \
				    (text) + g_.s[k_].start, g_.s[k_].value);    \
			fprintf(stderr, ")\n");                                  \
			gl_test_failed_checks++;                                 \
		} else {                                                         \
			CHECK_STR(sp_->type, (ty_));                             \
			CHECK_STR(sp_->value, (val_));                           \
		}                                                                \
	} while (0)

#define EXPECT_MOD(text, dct, surf, mod_)                                         \
	do {                                                                     \
		got_t g_ = run((text), (dct));                                   \
		const dr_span *sp_ = span_of(&g_, (surf));                       \
		CHECK(sp_ != NULL);                                              \
		if (sp_)                                                         \
			CHECK_STR(sp_->mod, (mod_));                             \
	} while (0)

#define EXPECT_NONE(text, dct, surf)                                             \
	do {                                                                     \
		got_t g_ = run((text), (dct));                                   \
		if (overlaps(&g_, (surf))) {                                     \
			fprintf(stderr, "%s:%d: unexpected span over \"%s\"\n",  \
			    __FILE__, __LINE__, (surf));                         \
			gl_test_failed_checks++;                                 \
		}                                                                \
	} while (0)

GL_TEST(explicit_dates)
{
	EXPECT("Wed, Mar 10 2021 2:55 PM", "", "Wed, Mar 10 2021 2:55 PM", "TIME", "2021-03-10T14:55");
	EXPECT("On 29 December 2023, Kazakhstan announced", "", "29 December 2023", "DATE", "2023-12-29");
	EXPECT("Published 19.02.2024 in Almaty", "", "19.02.2024", "DATE", "2024-02-19");
	EXPECT("Friday, 4 July 2025\n\nUnderstanding", "", "Friday, 4 July 2025", "DATE", "2025-07-04");
	EXPECT("The report of 2021-03-10 says", "", "2021-03-10", "DATE", "2021-03-10");
	EXPECT("It began in March 2021 in Kabul.", "", "March 2021", "DATE", "2021-03");
	EXPECT("He was born on March 5, 1946, in Fulton.", "", "March 5, 1946", "DATE", "1946-03-05");
	EXPECT("The Aug. 7, 1998, bombings killed 224.", "", "Aug. 7, 1998", "DATE", "1998-08-07");
	EXPECT("Posted Saturday, Feb. 29, 2020 by staff", "", "Saturday, Feb. 29, 2020", "DATE", "2020-02-29");
	EXPECT("Posted Tuesday, 01/16/2024 by staff", "", "Tuesday, 01/16/2024", "DATE", "2024-01-16");
	EXPECT("Updated 10:34 AM, Jan 01, 2018 by staff", "", "10:34 AM, Jan 01, 2018", "TIME", "2018-01-01T10:34");
	EXPECT("Updated 03-07-2025 | 14:48 by staff", "", "03-07-2025 | 14:48", "TIME", "2025-07-03T14:48");
	EXPECT("the 4th of July 2020 parade", "", "4th of July 2020", "DATE", "2020-07-04");
	EXPECT("Updated: 14-Oct-2023 10:15 IST", "", "14-Oct-2023 10:15 IST", "TIME", "2023-10-14T10:15");
	EXPECT("at the summit on April 24 and 25 in Washington", "1999-02-10", "April 24", "DATE", "1999-04-24");
	EXPECT("at the summit on April 24 and 25 in Washington", "1999-02-10", "25", "DATE", "1999-04-25");
	EXPECT("on Jan 1st and 2nd March 2023 we met", "", "2nd March 2023", "DATE", "2023-03-02");
}

GL_TEST(invalid_dates)
{
	EXPECT_NONE("The form said 31.02.2024 which is wrong.", "", "31.02.2024");
	EXPECT_NONE("The form said 29.02.2023 which is wrong.", "", "29.02.2023");
	EXPECT_NONE("The form said 2023-13-01 which is wrong.", "", "2023-13-01");
	EXPECT_NONE("He claimed February 30, 2024 was a holiday.", "", "February 30");
	EXPECT_NONE("Server 192.168.1.12 went down.", "", "192.168.1.12");
	EXPECT_NONE("Version 1.2.2024 is out.", "", "1.2.2024.");
}

GL_TEST(leap_days)
{
	EXPECT("Filed 29.02.2024 in Bonn", "", "29.02.2024", "DATE", "2024-02-29");
	EXPECT("Saturday, Feb. 29, 2020", "", "Saturday, Feb. 29, 2020", "DATE", "2020-02-29");
	EXPECT("2024-02-29 was a Thursday", "", "2024-02-29", "DATE", "2024-02-29");
	/* a year-less February 29 goes to a leap year */
	EXPECT("The vote was held on February 29, officials said.", "2021-03-10", "February 29", "DATE", "2020-02-29");
	EXPECT("The vote was held on February 29, officials said.", "2024-03-10", "February 29", "DATE", "2024-02-29");
}

GL_TEST(two_digit_years)
{
	EXPECT("The memo dated 10/12/98 was lost.", "1999-01-01", "10/12/98", "DATE", "1998-10-12");
	EXPECT("The memo dated 5.3.24 was lost.", "2024-06-01", "5.3.24", "DATE", "2024-03-05");
	EXPECT("The memo dated 5.3.24 was lost.", "", "5.3.24", "DATE", "2024-03-05");
	EXPECT("The memo dated 5.3.61 was lost.", "", "5.3.61", "DATE", "1961-03-05");
	EXPECT("In Dec. '98 the class met.", "1999-05-01", "Dec. '98", "DATE", "1998-12");
}

GL_TEST(day_month_order)
{
	/* dots: always day first */
	EXPECT("Filed 03.04.2024 in Bonn", "", "03.04.2024", "DATE", "2024-04-03");
	/* slashes in US text: month first */
	EXPECT("Filed 03/04/2024 in Ohio", "", "03/04/2024", "DATE", "2024-03-04");
	/* slashes under a day-first locale */
	{
		got_t g = run_opts("Filed 03/04/2024 in Leeds", "", "en-GB", 0, 1);
		const dr_span *sp = span_of(&g, "03/04/2024");
		CHECK(sp != NULL);
		if (sp)
			CHECK_STR(sp->value, "2024-04-03");
	}
	/* the document shows its order: 25/12 can only be day first */
	EXPECT("Filed 25/12/2023 and 03/04/2024 in Lahore", "", "03/04/2024", "DATE", "2024-04-03");
	/* a first number above 12 decides even in US text */
	EXPECT("Filed 13/04/2024 in Ohio", "", "13/04/2024", "DATE", "2024-04-13");
	/* forced by configuration */
	{
		got_t g = run_opts("Filed 03/04/2024 in Ohio", "", "en", 2, 1);
		const dr_span *sp = span_of(&g, "03/04/2024");
		CHECK(sp != NULL);
		if (sp)
			CHECK_STR(sp->value, "2024-04-03");
	}
}

GL_TEST(years_decades_centuries)
{
	EXPECT("It existed before 2001 and after.", "", "2001", "DATE", "2001");
	EXPECT("After the 2021 withdrawal, the US", "", "2021", "DATE", "2021");
	EXPECT("In the 1990s, the regional countries", "", "1990s", "DATE", "199");
	EXPECT("In the 20th century wars", "", "20th century", "DATE", "19");
	EXPECT("the Soviet invasion (1979–1989), where", "", "1979", "DATE", "1979");
	EXPECT("the Soviet invasion (1979–1989), where", "", "1989", "DATE", "1989");
	EXPECT("between 1977-1988 the war", "", "1988", "DATE", "1988");
	EXPECT("in 1948, 1965, and 1971 wars", "", "1965", "DATE", "1965");
	EXPECT("in 1948, 1965, and 1971 wars", "", "1971", "DATE", "1971");
	EXPECT("the late 1970s saw", "", "late 1970s", "DATE", "197");
	EXPECT_MOD("the late 1970s saw", "", "late 1970s", "END");
	EXPECT("by mid-2022 the troops", "", "mid-2022", "DATE", "2022");
	EXPECT_MOD("by mid-2022 the troops", "", "mid-2022", "MID");
	EXPECT("in the early 1990s", "", "early 1990s", "DATE", "199");
	EXPECT("since the end of 1979 the", "", "end of 1979", "DATE", "1979");
	EXPECT_MOD("since the end of 1979 the", "", "end of 1979", "END");
	EXPECT("around 2018 the talks", "", "around 2018", "DATE", "2018");
	EXPECT("in the second half of 1979 the", "", "second half of 1979", "DATE", "1979-H2");
	EXPECT("in the first quarter of 2021 the", "", "first quarter of 2021", "DATE", "2021-Q1");
	EXPECT("budget for fiscal 2021 was", "", "fiscal 2021", "DATE", "FY2021");
	EXPECT_NONE("They sent 2000 troops and 1,700 people.", "", "2000");
	EXPECT_NONE("They sent 2000 troops and 1,700 people.", "", "1,700");
	EXPECT_NONE("He was in his 30s then.", "", "30s");
}

GL_TEST(relative_with_dct)
{
	const char *dct = "2021-03-10"; /* a Wednesday */
	EXPECT("Prices rose last year.", dct, "last year", "DATE", "2020");
	EXPECT("Talks resume next month.", dct, "next month", "DATE", "2021-04");
	EXPECT("Talks were held this week.", dct, "this week", "DATE", "2021-W10");
	EXPECT("He left two weeks ago.", dct, "two weeks ago", "DATE", "2021-W8");
	EXPECT("He left five years ago.", dct, "five years ago", "DATE", "2016");
	EXPECT("Ties grew over the past two decades.", dct, "the past two decades", "DURATION", "P2DE");
	EXPECT("The US is now in talks.", dct, "now", "DATE", "PRESENT_REF");
	EXPECT("The focal point right now.", dct, "right now", "DATE", "PRESENT_REF");
	EXPECT("The US is currently in talks.", dct, "currently", "DATE", "PRESENT_REF");
	EXPECT("Ties will grow in the coming years.", dct, "the coming years", "DURATION", "PXY");
	EXPECT("Ties grew in recent years.", dct, "recent years", "DURATION", "PXY");
	EXPECT("Ties have grown since 2021.", dct, "2021", "DATE", "2021");
	EXPECT("The minister said on Tuesday that", dct, "Tuesday", "DATE", "2021-03-09");
	EXPECT("The minister will arrive on Tuesday and", dct, "Tuesday", "DATE", "2021-03-16");
	EXPECT("The minister spoke on Wednesday.", dct, "Wednesday", "DATE", "2021-03-10");
	EXPECT("The minister spoke yesterday.", dct, "yesterday", "DATE", "2021-03-09");
	EXPECT("The minister speaks today.", dct, "today", "DATE", "2021-03-10");
	EXPECT("He flies out tomorrow morning.", dct, "tomorrow morning", "TIME", "2021-03-11TMO");
	EXPECT("Troops attacked Saturday morning.", dct, "Saturday morning", "TIME", "2021-03-06TMO");
	EXPECT("Troops attacked last Friday.", dct, "last Friday", "DATE", "2021-03-05");
	EXPECT("He met officials last week.", "2018-01-01", "last week", "DATE", "2017-W52");
	EXPECT("They met next week.", "2023-10-10", "next week", "DATE", "2023-W42");
	EXPECT("They met this week.", "2021-09-22", "this week", "DATE", "2021-W38");
	EXPECT("Exports fell in November, the ministry said.", "2018-01-01", "November", "DATE", "2017-11");
	EXPECT("Prices have risen since March.", "2024-12-25", "March", "DATE", "2024-03");
	EXPECT("The summit will be held in April.", "1998-12-05", "April", "DATE", "1999-04");
	EXPECT("The bombing on Aug. 7 killed 258 people.", "1998-09-11", "Aug. 7", "DATE", "1998-08-07");
	EXPECT("He must leave by Jan. 14, officials said.", "2000-01-05", "Jan. 14", "DATE", "2000-01-14");
	EXPECT("He was found Nov. 25 off Florida.", "2000-01-15", "Nov. 25", "DATE", "1999-11-25");
	EXPECT("The bombing of last fall shocked", "1999-04-10", "last fall", "DATE", "1998-FA");
	EXPECT("Sales rose this quarter.", dct, "this quarter", "DATE", "2021-Q1");
	EXPECT("Wars of this century.", "2021-03-10", "this century", "DATE", "20");
	EXPECT("It shows the last decade was hard.", dct, "the last decade", "DURATION", "P1DE");
}

GL_TEST(relative_without_dct)
{
	EXPECT("On July 18 the talks began.", "", "July 18", "DATE", "XXXX-07-18");
	EXPECT("By August 31 all troops left.", "", "August 31", "DATE", "XXXX-08-31");
	EXPECT("The minister said Monday that", "", "Monday", "DATE", "XXXX-WXX-1");
	EXPECT("It happened just over four years ago in Doha.", "", "just over four years ago", "DATE", "XXXX");
	EXPECT("Prices rose last year.", "", "last year", "DATE", "XXXX");
	EXPECT("Prices rose in November.", "", "November", "DATE", "XXXX-11");
	EXPECT("The US is now in talks.", "", "now", "DATE", "PRESENT_REF");
	EXPECT("Leaving the past behind, they met.", "", "the past", "DATE", "PAST_REF");
	EXPECT("Afghanistan today is poorer.", "", "today", "DATE", "PRESENT_REF");
}

GL_TEST(named_dates_and_holidays)
{
	EXPECT("After September 11 attacks on the American soil", "2021-03-10", "September 11", "DATE", "2001-09-11");
	EXPECT("for over two decades after 9/11, viewing them", "2025-07-04", "9/11", "DATE", "2001-09-11");
	EXPECT("for over two decades after 9/11, viewing them", "", "9/11", "DATE", "2001-09-11");
	EXPECT("since 11 September 2001 the US", "2021-03-10", "11 September 2001", "DATE", "2001-09-11");
	EXPECT("after the 11 \xe2\x80\x93 September attacks", "2021-03-10", "11 \xe2\x80\x93 September", "DATE", "2001-09-11");
	/* before 2001 it is just a day of the year */
	EXPECT("The vote is set for September 11 in Oslo.", "1998-08-10", "September 11", "DATE", "1998-09-11");
	EXPECT("The boy was found on Thanksgiving Day off Florida.", "2000-01-07", "Thanksgiving Day", "DATE", "1999-11-25");
	EXPECT("He was found last Thanksgiving off Florida.", "2000-02-10", "last Thanksgiving", "DATE", "1999-11-25");
	EXPECT("Troops will be home by Christmas, he said.", "2020-12-01", "Christmas", "DATE", "2020-12-25");
	EXPECT("The truce held over Christmas 2019 in Kabul.", "", "Christmas 2019", "DATE", "2019-12-25");
	EXPECT("The truce held over Christmas in Kabul.", "", "Christmas", "DATE", "XXXX-12-25");
	EXPECT("Protests grew as Easter week began.", "2000-04-17", "Easter week", "DATE", "2000-W16");
	EXPECT("Voters went to the polls on Election Day in Ohio.", "2020-11-20", "Election Day", "DATE", "2020-11-03");
}

GL_TEST(durations)
{
	EXPECT("after 20 years of fighting", "", "20 years", "DURATION", "P20Y");
	EXPECT("for two decades the war", "", "two decades", "DURATION", "P2DE");
	EXPECT("for a decade the war", "", "a decade", "DURATION", "P1DE");
	EXPECT("within 48 hours of", "", "48 hours", "DURATION", "PT48H");
	EXPECT("for 135 days the siege", "", "135 days", "DURATION", "P135D");
	EXPECT("after 14 months of talks", "", "14 months", "DURATION", "P14M");
	EXPECT("the two-decade-long war", "", "two-decade-long", "DURATION", "P2DE");
	EXPECT("a 25-year plan", "", "25-year", "DURATION", "P25Y");
	EXPECT("a year-long siege", "", "year-long", "DURATION", "P1Y");
	EXPECT("about 5 1/2 hours in Nairobi", "", "5 1/2 hours", "DURATION", "PT5H30M");
	EXPECT("ties for over two years to shield", "", "over two years", "DURATION", "P2Y");
	EXPECT_MOD("ties for over two years to shield", "", "over two years", "MORE_THAN");
	EXPECT("in less than a year the", "", "less than a year", "DURATION", "P1Y");
	EXPECT("the Taliban for decades until", "", "decades", "DURATION", "PXDE");
	EXPECT("Twenty years later the war ended", "", "Twenty years", "DURATION", "P20Y");
	EXPECT("at least 72 hours after", "", "at least 72 hours", "DURATION", "PT72H");
	EXPECT("in the coming weeks", "", "the coming weeks", "DURATION", "PXW");
	EXPECT_NONE("a 44-year-old man was held", "", "44-year-old");
	EXPECT_NONE("the boy, five years old, was found", "", "five years");
}

GL_TEST(sets_and_refs)
{
	EXPECT("$1 billion per year in aid", "", "per year", "SET", "P1Y");
	EXPECT("held annually since", "", "annually", "SET", "P1Y");
	EXPECT("rallies almost every day in", "", "every day", "SET", "P1D");
	EXPECT("rallies held daily in", "", "daily", "SET", "P1D");
	EXPECT("the visions for the future of Afghanistan", "", "the future", "DATE", "FUTURE_REF");
	EXPECT("in the foreseeable future, he said", "", "the foreseeable future", "DATE", "FUTURE_REF");
	EXPECT_NONE("a future Afghan government will", "", "future");
	EXPECT("the current war there helped", "2021-03-10", "current", "DATE", "PRESENT_REF");
	EXPECT("Few people read papers these days.", "", "these days", "DATE", "PRESENT_REF");
	EXPECT_NONE("In those days few people read papers.", "", "days");
	/* now in a past narrative is not the time of writing (GUIDELINES 4.4) */
	EXPECT_NONE("Now trouble arrived at the border.", "2021-03-10", "Now");
	EXPECT_NONE("By then he was now the chief.", "2021-03-10", "now");
	EXPECT("Now the talks are stalled.", "2021-03-10", "Now", "DATE", "PRESENT_REF");
}

GL_TEST(text_edges)
{
	EXPECT("2021", "", "2021", "DATE", "2021");
	EXPECT("19.02.2024", "", "19.02.2024", "DATE", "2024-02-19");
	EXPECT("March 2021 was cold", "", "March 2021", "DATE", "2021-03");
	EXPECT("The talks ended on 5 May 2020", "", "5 May 2020", "DATE", "2020-05-05");
	EXPECT("They are in talks now", "", "now", "DATE", "PRESENT_REF");
	EXPECT("It lasted for decades", "", "decades", "DURATION", "PXDE");
	EXPECT_NONE("", "", "");
}

GL_TEST(dct_candidate)
{
	const char *t = "The Relationships of the US and Central Asian Countries\n\n"
	    "Wed, Mar 10 2021 2:55 PM\n\n\nWashington wants, as it did on 5 May 2020, "
	    "to act. It spoke yesterday.";
	got_t g = run(t, "");
	const dr_span *a = span_of(&g, "Wed, Mar 10 2021 2:55 PM");
	const dr_span *b = span_of(&g, "5 May 2020");
	const dr_span *y = span_of(&g, "yesterday");
	CHECK(a && a->dct_candidate);
	CHECK(b && !b->dct_candidate);
	/* the date line anchors relative expressions when there is no dct */
	CHECK(y != NULL);
	if (y)
		CHECK_STR(y->value, "2021-03-09");
	got_t h = run_opts(t, "", "en", 0, 0);
	y = span_of(&h, "yesterday");
	CHECK(y != NULL);
	if (y)
		CHECK_STR(y->value, "XXXX-XX-XX");
}

/* TimeML newswire forms: business calendar, position in a period, rates. */
GL_TEST(timeml_news_forms)
{
	const char *dct = "2011-05-18"; /* a Wednesday in Q2 */
	EXPECT("Orders fell from the year-earlier quarter, it said.", dct, "year-earlier", "DATE", "2010");
	EXPECT("Costs rose 4% from the year-ago period.", dct, "year-ago", "DATE", "2010");
	EXPECT("The lease runs out at the end of the month.", dct, "end of the month", "DATE", "2011-05");
	EXPECT_MOD("The lease runs out at the end of the month.", dct, "end of the month", "END");
	EXPECT("Hiring resumes at the beginning of next year.", dct, "beginning of next year", "DATE", "2012");
	EXPECT_MOD("Hiring resumes at the beginning of next year.", dct, "beginning of next year", "START");
	EXPECT("Debt peaked at the end of the second quarter.", dct, "end of the second quarter", "DATE", "2011-Q2");
	EXPECT_MOD("Debt peaked at the end of the second quarter.", dct, "end of the second quarter", "END");
	EXPECT("Jobs vanished by the middle of the 1990s.", dct, "middle of the 1990s", "DATE", "199");
	EXPECT("The merger should close by year end.", dct, "year end", "DATE", "2011");
	EXPECT("Its year-end bonus pool shrank.", dct, "year-end", "DATE", "2011");
	EXPECT("Margins slipped in the latest quarter, the bank said.", dct, "the latest quarter", "DATE", "2011-Q1");
	EXPECT("Output was flat in the previous quarter.", dct, "the previous quarter", "DATE", "2011-Q1");
	EXPECT("Exports beat the prior year by far.", dct, "the prior year", "DATE", "2010");
	EXPECT_NONE("It was worse than in any previous year.", dct, "previous year");
	EXPECT("Spending is capped in the current fiscal year.", dct, "the current fiscal year", "DATE", "FY2011");
	EXPECT("Deficits grew in the first half of 2009.", dct, "first half of 2009", "DATE", "2009-H1");
	EXPECT("Revenue fell in Q3 2010 and in H1 2011.", dct, "Q3 2010", "DATE", "2010-Q3");
	EXPECT("Revenue fell in Q3 2010 and in H1 2011.", dct, "H1 2011", "DATE", "2011-H1");
	EXPECT("The FY12 budget and the FY 2011-12 plan.", dct, "FY12", "DATE", "FY2012");
	EXPECT("The FY12 budget and the FY 2011-12 plan.", dct, "FY 2011-12", "DATE", "FY2011");
	EXPECT("The deficit in fiscal year 2010-11 rose.", dct, "fiscal year 2010-11", "DATE", "FY2010");
	EXPECT_NONE("The H1N1 virus and the MQ9 drone.", dct, "H1");
	EXPECT_NONE("The H1N1 virus and the MQ9 drone.", dct, "Q9");
	EXPECT("In the first half, exports grew 3%.", dct, "first half", "DATE", "2011-H1");
	EXPECT("Sales slowed in the second half of last year.", dct, "second half of last year", "DATE", "2010-H2");
	EXPECT_NONE("He scored twice in the second half of the match.", dct, "second half");
	/* a quarter or half not yet begun at the dct is last year's in a report */
	EXPECT("Fourth-quarter sales rose 9%, the firm said.", "2012-02-02", "Fourth-quarter", "DATE", "2011-Q4");
	EXPECT("Sales slipped in the second half, it said.", "2012-02-02", "second half", "DATE", "2011-H2");
	EXPECT("It expects a loss in the third quarter.", "2012-02-02", "third quarter", "DATE", "2012-Q3");
	/* a position word before a weekday stays outside the span (TimeML practice) */
	EXPECT("The vote came late Tuesday in Rome.", dct, "Tuesday", "DATE", "2011-05-17");
}

GL_TEST(rates_and_fractions)
{
	EXPECT_NONE("Rates rose a quarter-point on the news.", "", "quarter");
	EXPECT_NONE("Only one-quarter of a cent goes to parks.", "", "quarter");
	EXPECT_NONE("Nearly three quarters of the voters agreed.", "", "quarters");
	EXPECT_NONE("The truck went 55 miles an hour downhill.", "", "an hour");
	EXPECT("Farmers sell 200 crates a week in June.", "", "a week", "SET", "P1W");
	EXPECT("Nurses work 60 hours a week there.", "", "a week", "SET", "P1W");
	EXPECT("She eats an orange a day for health.", "", "a day", "SET", "P1D");
	EXPECT("The board meets twice a year in Geneva.", "", "twice a year", "SET", "P1Y");
	EXPECT("Buses run four times a day from here.", "", "four times a day", "SET", "P1D");
	/* an anchor word makes it a duration again (GUIDELINES: only the duration is marked) */
	EXPECT("Profit was $4 million a year earlier.", "", "a year", "DURATION", "P1Y");
	EXPECT("The drug may last three days in the blood.", "", "three days", "DURATION", "P3D");
	EXPECT_NONE("The drug may last three days in the blood.", "", "last");
}

GL_TEST(names_that_are_not_months)
{
	EXPECT_NONE("Volunteers for the March of Dimes met.", "2011-05-18", "March");
	EXPECT("The fund closed in June.", "2011-05-18", "June", "DATE", "2011-06");
	EXPECT_NONE("The fund closed in June.", "2011-05-18", ".");
	EXPECT_NONE("It happens every now and then in Ohio.", "", "now");
	EXPECT_NONE("The judges gave her three perfect 10's today.", "", "10's");
	EXPECT("Parades mark the Fourth of July in Boston.", "2011-05-18", "Fourth of July", "DATE", "2011-07-04");
	EXPECT("The club meets on Thursday evenings downtown.", "", "Thursday evenings", "SET", "XXXX-WXX-4TEV");
}

GL_TEST(clock_time_anchor)
{
	const char *dct = "2011-05-18";
	/* a bare clock time takes the day its sentence names */
	EXPECT("On May 2, at 9 p.m., the polls closed.", dct, "9 p.m.", "TIME", "2011-05-02T21:00");
	/* a clock time with a deictic day is one TIME */
	EXPECT("Voting ended at 8 p.m. yesterday in Lagos.", dct, "8 p.m. yesterday", "TIME", "2011-05-17T20:00");
	EXPECT("Yesterday at 8 p.m., voting ended.", dct, "Yesterday at 8 p.m.", "TIME", "2011-05-17T20:00");
	EXPECT("The blast hit at 10:15 this morning.", dct, "10:15 this morning", "TIME", "2011-05-18T10:15");
	EXPECT("The talks resume at noon tomorrow.", dct, "noon tomorrow", "TIME", "2011-05-19T12:00");
	/* ... but not across a sentence end */
	EXPECT("Polls closed on May 2. At 9 p.m. the count began.", dct, "9 p.m.", "TIME", "2011-05-18T21:00");
}

GL_TEST(durations_more)
{
	const char *dct = "2011-05-18";
	EXPECT("Rents rose over the last couple of weeks.", dct, "the last couple of weeks", "DURATION", "P2W");
	EXPECT("Costs will climb over the next decade.", dct, "the next decade", "DURATION", "P1DE");
	EXPECT("He has worked there for the last year.", dct, "the last year", "DURATION", "P1Y");
	EXPECT("The vote took half an hour.", dct, "half an hour", "DURATION", "PT30M");
	EXPECT("The crossing takes an hour and a half by ferry.", dct, "an hour and a half", "DURATION", "PT1H30M");
	EXPECT("The siege lasted one and a half years.", dct, "one and a half years", "DURATION", "P18M");
	EXPECT("It stood for half a century.", dct, "half a century", "DURATION", "P50Y");
	EXPECT("Bids are due in the first week of June.", dct, "first week of June", "DATE", "2011-W22");
	EXPECT("Bids were due in the last week of March 2010.", dct, "last week of March 2010", "DATE", "2010-W12");
}

GL_TEST(attribution_tail)
{
	const char *dct = "2011-05-18"; /* Wednesday */
	/* the report's tense after a comma does not date the event before it */
	EXPECT("The aid will be paid on Friday, a spokesman said Wednesday.", dct, "Friday", "DATE", "2011-05-20");
	EXPECT("Troops left the town on Friday, a spokesman said.", dct, "Friday", "DATE", "2011-05-13");
	/* a reporting verb with its own clause still counts */
	EXPECT("In December, the firm said it would close the mill.", dct, "December", "DATE", "2010-12");
}

GL_TEST(anchored_days_and_copula)
{
	const char *dct = "2011-05-18"; /* Wednesday */
	EXPECT("The day after Christmas 2010, the ferry sank.", dct, "day after Christmas 2010", "DATE", "2010-12-26");
	EXPECT("The day before last Monday's vote, he resigned.", dct, "day before last Monday", "DATE", "2011-05-15");
	/* with a count only the duration is marked (GUIDELINES 4.1) */
	EXPECT("One day after the vote, he resigned.", dct, "One day", "DURATION", "P1D");
	EXPECT("Markets fell this past week, traders said.", dct, "this past week", "DATE", "2011-W19");
	EXPECT("Output rose in 2009's second quarter.", dct, "second quarter", "DATE", "2009-Q2");
	EXPECT("The school reopens in the fall, officials said.", dct, "fall", "DATE", "2011-FA");
	EXPECT_NONE("After the fall of the regime, people fled.", dct, "fall");
	/* a present copula before the date announces it */
	EXPECT("The runoff is on Sunday in most districts.", dct, "Sunday", "DATE", "2011-05-22");
	EXPECT("The next hearings are in July.", "2011-08-18", "July", "DATE", "2012-07");
}

GL_TEST(anaphoric_year_and_numbering)
{
	const char *dct = "2023-06-10";
	/* "that year" takes the year the text spoke of last (GUIDELINES 4.3) */
	EXPECT("The mine opened in 2016. In March that year it flooded.", dct, "March that year", "DATE", "2016-03");
	EXPECT("The mine opened in 2016 and flooded later that year.", dct, "that year", "DATE", "2016");
	EXPECT("The mine opened in 2016 and closed the following year.", dct, "the following year", "DATE", "2017");
	EXPECT_NONE("It flooded that year, the miners said.", dct, "that year");
	/* numbers in a series are not years */
	EXPECT_NONE("See chapter 2001 of the code.", dct, "2001");
	EXPECT_NONE("Passengers on Flight 1549 survived.", dct, "1549");
	/* short first words of holidays */
	EXPECT("The May Day march was calm.", dct, "May Day", "DATE", "2023-05-01");
	EXPECT("Shops will close on New Year's Day.", dct, "New Year's Day", "DATE", "2024-01-01");
}

GL_TEST(timeml_value_style)
{
	const char *dct = "2011-05-18";
	timeml_values = 1;
	EXPECT("Rebels attacked Sunday night near Homs.", dct, "Sunday night", "DATE", "2011-05-15");
	EXPECT("Rebels attacked last night near Homs.", dct, "last night", "DATE", "2011-05-17");
	EXPECT("Unrest grew in the 1990s in Homs.", dct, "1990s", "DATE", "199X");
	EXPECT("It lasted two decades in Homs.", dct, "two decades", "DURATION", "P20Y");
	EXPECT("It lasted for decades in Homs.", dct, "decades", "DURATION", "PXY");
	EXPECT("It began at 9 p.m. Sunday.", dct, "9 p.m. Sunday", "TIME", "2011-05-15T21:00");
	EXPECT("It ended in the 20th century.", dct, "20th century", "DATE", "19");
	timeml_values = 0;
	EXPECT("Rebels attacked Sunday night near Homs.", dct, "Sunday night", "TIME", "2011-05-15TNI");
}

GL_TEST(garbage_is_safe)
{
	/* random mixes of temporal and other tokens must never break the invariants */
	static const char *const parts[] = { "1998", "-", "/", ".", ":", "31", "02", "2024",
		"Friday", "May", "the", "past", "two", "decades", "ago", "late", "mid-", "9/11",
		"\xe2\x80\x93", "(", ")", "a.m.", "12", "Q", "'", "s", "century", "\xc3\xa9t\xc3\xa9",
		" ", "\n", ",", "last", "week", "Christmas", "every", "hours", "\xe2\x80\x99" };
	char buf[512];
	uint32_t seed = 12345;
	for (int round = 0; round < 3000; round++) {
		size_t n = 0;
		int k = (int)(seed % 40) + 1;
		for (int i = 0; i < k; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = parts[(seed >> 8) % (sizeof parts / sizeof parts[0])];
			size_t l = strlen(p);
			if (n + l + 2 >= sizeof buf)
				break;
			memcpy(buf + n, p, l);
			n += l;
			if ((seed >> 20) & 1)
				buf[n++] = ' ';
		}
		buf[n] = 0;
		run(buf, (round & 1) ? "2021-03-10" : "");
	}
}

GL_TEST_MAIN(GL_TEST_ENTRY(explicit_dates), GL_TEST_ENTRY(invalid_dates),
    GL_TEST_ENTRY(leap_days), GL_TEST_ENTRY(two_digit_years),
    GL_TEST_ENTRY(day_month_order), GL_TEST_ENTRY(years_decades_centuries),
    GL_TEST_ENTRY(relative_with_dct), GL_TEST_ENTRY(relative_without_dct),
    GL_TEST_ENTRY(named_dates_and_holidays), GL_TEST_ENTRY(durations),
    GL_TEST_ENTRY(sets_and_refs), GL_TEST_ENTRY(text_edges),
    GL_TEST_ENTRY(dct_candidate), GL_TEST_ENTRY(timeml_news_forms),
    GL_TEST_ENTRY(rates_and_fractions), GL_TEST_ENTRY(names_that_are_not_months),
    GL_TEST_ENTRY(clock_time_anchor), GL_TEST_ENTRY(durations_more),
    GL_TEST_ENTRY(attribution_tail), GL_TEST_ENTRY(anchored_days_and_copula),
    GL_TEST_ENTRY(anaphoric_year_and_numbering), GL_TEST_ENTRY(timeml_value_style),
    GL_TEST_ENTRY(garbage_is_safe))
