/*
 * test_sentiment_split.c - sentence units: abbreviations, initials,
 * decimals, line breaks, bullets, glued footnotes and paragraph marks.
 */
#include <stdio.h>
#include <string.h>

#include "gl_test.h"
#include "sent_lex.h"
#include "sent_split.h"

static sent_lex split_lex;

/* Split text and write the units joined by "|" into out. */
static int
split_join(const char *text, char *out, size_t cap)
{
	size_t pos = 0, s, e, n = 0;
	int units = 0;
	out[0] = '\0';
	while (sent_split_next(&split_lex, text, strlen(text), &pos, &s, &e)) {
		n += (size_t)snprintf(out + n, cap - n, "%s%.*s", units ? "|" : "", (int)(e - s),
		    text + s);
		units++;
	}
	return units;
}

GL_TEST(split_abbreviations)
{
	char out[1024];
	CHECK_INT(split_join("Gen. Smith met Dr. Jones in the U.S. on Jan. 5. They talked.", out,
	    sizeof(out)), 2);
	CHECK_STR(out, "Gen. Smith met Dr. Jones in the U.S. on Jan. 5.|They talked.");
	CHECK_INT(split_join("Relations between Pakistan and the U.S. Seem to be dwindling.", out,
	    sizeof(out)), 1);
	CHECK_INT(split_join("It fell in Sept. Prices rose.", out, sizeof(out)), 1);
	CHECK_INT(split_join("George W. Bush spoke. Clement C. Moore wrote.", out, sizeof(out)), 2);
	CHECK_STR(out, "George W. Bush spoke.|Clement C. Moore wrote.");
	CHECK_INT(split_join("See No. 5 below. It is short.", out, sizeof(out)), 2);
	CHECK_INT(split_join("He said no. Then he left.", out, sizeof(out)), 2);
	CHECK_INT(split_join("A haven for ISIS-K. Some analysts disagree.", out, sizeof(out)), 2);
	CHECK_INT(split_join("He cited \xE2\x80\x9CU.S. policy\xE2\x80\x9D and Gen. Lee.", out, sizeof(out)), 1);
}

GL_TEST(split_decimals_and_numbers)
{
	char out[1024];
	CHECK_INT(split_join("Growth was 3.5 percent in 2001. The next year was worse.", out,
	    sizeof(out)), 2);
	CHECK_STR(out, "Growth was 3.5 percent in 2001.|The next year was worse.");
	CHECK_INT(split_join("Q.8 Discuss the issues. 2022", out, sizeof(out)), 2);
	CHECK_STR(out, "Q.8 Discuss the issues.|2022");
}

GL_TEST(split_line_breaks_and_bullets)
{
	char out[1024];
	CHECK_INT(split_join("Title without dot\n\n  \xE2\x80\xA2 First item\n  \xE2\x80\xA2 Second item  \n",
	    out, sizeof(out)), 3);
	CHECK_STR(out, "Title without dot|First item|Second item");
	CHECK_INT(split_join("1. Counterterrorism: the US acted.\n2. Afghanistan", out, sizeof(out)), 2);
	CHECK_STR(out, "1. Counterterrorism: the US acted.|2. Afghanistan");
	CHECK_INT(split_join("ends with abbreviation the U.S.\nNext line", out, sizeof(out)), 2);
}

GL_TEST(split_quotes_and_glued_marks)
{
	char out[1024];
	CHECK_INT(split_join("He called it an \xE2\x80\x9C" "ally\xE2\x80\x9D. Thus, it ended.", out,
	    sizeof(out)), 2);
	CHECK_STR(out, "He called it an \xE2\x80\x9C" "ally\xE2\x80\x9D.|Thus, it ended.");
	CHECK_INT(split_join("close ties..Chinese firms came.", out, sizeof(out)), 2);
	CHECK_STR(out, "close ties..|Chinese firms came.");
	CHECK_INT(split_join("the project (BRI).\".Karimi said so.", out, sizeof(out)), 2);
	CHECK_STR(out, "the project (BRI).\".|Karimi said so.");
	CHECK_INT(split_join("partition in 1948.27 Cawthorne wrote.", out, sizeof(out)), 2);
	CHECK_STR(out, "partition in 1948.27|Cawthorne wrote.");
	CHECK_INT(split_join("into the regional economy.1 One of the first.", out, sizeof(out)), 2);
	CHECK_STR(out, "into the regional economy.1|One of the first.");
	CHECK_INT(split_join("Why such mistrust? Nobody knows! Really.", out, sizeof(out)), 3);
	CHECK_INT(split_join("Is it? yes it is.", out, sizeof(out)), 1);
}

GL_TEST(split_empty_and_blank)
{
	char out[64];
	CHECK_INT(split_join("", out, sizeof(out)), 0);
	CHECK_INT(split_join("   \n\n \t \n", out, sizeof(out)), 0);
	CHECK_INT(split_join("\xC2\xA0word\xC2\xA0", out, sizeof(out)), 1);
	CHECK_STR(out, "word");
}

GL_TEST(split_long_sentence)
{
	/* one sentence of ~2 MB: a single unit, found in linear time */
	size_t n = 2u << 20;
	char *t = malloc(n + 2);
	CHECK(t != NULL);
	if (!t)
		return;
	for (size_t i = 0; i < n; i++)
		t[i] = (i % 7 == 6) ? ' ' : (char)('a' + i % 7);
	t[n] = '.';
	t[n + 1] = '\0';
	size_t pos = 0, s = 9, e = 9;
	CHECK_INT(sent_split_next(&split_lex, t, n + 1, &pos, &s, &e), 1);
	CHECK_INT(s, 0);
	CHECK_INT(e, n + 1);
	CHECK_INT(sent_split_next(&split_lex, t, n + 1, &pos, &s, &e), 0);
	free(t);
}

static int
setup(void)
{
	char err[256];
	if (sent_lex_init(&split_lex) < 0)
		return -1;
	return sent_lex_load_abbrev(&split_lex, SENT_TEST_DATA_DIR "/abbreviations.txt", err,
	    sizeof(err));
}

static void
split_setup_ok(void)
{
	CHECK_INT(setup(), 0);
}

static void
split_teardown(void)
{
	sent_lex_free(&split_lex);
}

GL_TEST_MAIN(GL_TEST_ENTRY(split_setup_ok), GL_TEST_ENTRY(split_abbreviations),
    GL_TEST_ENTRY(split_decimals_and_numbers), GL_TEST_ENTRY(split_line_breaks_and_bullets),
    GL_TEST_ENTRY(split_quotes_and_glued_marks), GL_TEST_ENTRY(split_empty_and_blank),
    GL_TEST_ENTRY(split_long_sentence), GL_TEST_ENTRY(split_teardown))
