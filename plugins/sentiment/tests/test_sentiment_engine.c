/*
 * test_sentiment_engine.c - the scoring rules on the real data files:
 * negation, contrast, intensifiers and dampeners, hedges, multi-word
 * expressions, and the squashing of the sum into [-1, 1].
 */
#include <gloss/plugin.h>

#include "gl_test.h"
#include "sent_score.h"

static sent_engine *eng;
static sent_scratch scr;

/* Score a text taken as one sentence. */
static double
sc(const char *text)
{
	double s = 99;
	CHECK_INT(sent_score_sentence(eng, text, 0, strlen(text), &scr, &s), 0);
	CHECK(s >= -1 && s <= 1);
	return s;
}

GL_TEST(engine_open)
{
	char err[256] = "";
	void *st = NULL;
	int rc = gloss_plugin_v1()->open("{}", SENT_TEST_DATA_DIR, &st, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "open: %s\n", err);
	CHECK_INT(rc, 0);
	eng = st;
}

GL_TEST(engine_polarity)
{
	if (!eng)
		return;
	CHECK(sc("The two countries signed a peace agreement.") > 0.25);
	CHECK(sc("Militants killed twelve civilians in a bombing.") < -0.5);
	CHECK_NEAR(sc("The minister travelled to the capital on Monday."), 0, 1e-9);
	CHECK_NEAR(sc("The United States and the United Nations met."), 0, 1e-9);
}

GL_TEST(engine_negation)
{
	if (!eng)
		return;
	double pos = sc("The talks were successful.");
	double neg = sc("The talks were not successful.");
	CHECK(pos > 0);
	CHECK(neg < 0);
	CHECK(sc("The talks were never successful.") < 0);
	CHECK(sc("The talks were no longer successful.") < 0);
	CHECK(sc("The talks weren't successful.") < 0);
	CHECK(sc("The talks weren\xE2\x80\x99t successful.") < 0);
	/* the scope is short: a valence far after the negator keeps its sign */
	CHECK(sc("Not everyone came to the meeting on the first day, which was a great success.") > 0);
	/* and ends at a clause boundary */
	CHECK(sc("It was not planned, but the summit was a success.") > 0);
	/* "not only" is no negation */
	CHECK(sc("It brought not only peace but also prosperity.") > 0.3);
}

GL_TEST(engine_bare_negation)
{
	if (!eng)
		return;
	/* a negator that reaches no valence word still leans negative */
	CHECK(sc("The ministers did not attend the meeting.") < 0);
	CHECK(sc("There was no answer from the embassy.") < 0);
	/* but not on top of the valence it flips */
	CHECK(sc("The talks were not bad.") > 0);
	CHECK_NEAR(sc("The ministers attended the meeting."), 0, 1e-9);
	/* and the weight is configuration */
	char err[256] = "";
	void *st = NULL;
	CHECK_INT(gloss_plugin_v1()->open("{\"bare_negation\": 0}", SENT_TEST_DATA_DIR, &st, err,
	    sizeof(err)), 0);
	if (st) {
		const char *t = "The ministers did not attend the meeting.";
		double s = 99;
		CHECK_INT(sent_score_sentence(st, t, 0, strlen(t), &scr, &s), 0);
		CHECK_NEAR(s, 0, 1e-9);
		gloss_plugin_v1()->close(st);
	}
}

GL_TEST(engine_contrast)
{
	if (!eng)
		return;
	/* the clause after "but" decides */
	CHECK(sc("The plan is good, but the results are terrible.") < 0);
	CHECK(sc("The results are terrible, but the plan is good.") > 0);
	double plain = sc("Relations were tense and the talks were fruitful.");
	double after = sc("Relations were tense, however the talks were fruitful.");
	CHECK(after > plain);
	/* "although" clause weighs less */
	CHECK(sc("Although the war was brutal, the peace agreement brought prosperity.") > 0);
	CHECK(sc("Although the agreement brought prosperity, the war was brutal and deadly.") < 0);
	/* a sentence-initial "But" is not a contrast inside the sentence */
	CHECK_NEAR(sc("But the talks were fruitful."), sc("The talks were fruitful."), 1e-9);
}

GL_TEST(engine_intensifiers)
{
	if (!eng)
		return;
	double base = sc("The situation is bad.");
	CHECK(base < 0);
	CHECK(sc("The situation is very bad.") < base);
	CHECK(sc("The situation is extremely bad.") < sc("The situation is very bad."));
	CHECK(sc("The situation is slightly bad.") > base);
	CHECK(sc("The situation is slightly bad.") < 0);
	/* hedges soften */
	CHECK(sc("The deal may collapse.") > sc("The deal will collapse."));
	CHECK(sc("The deal may collapse.") < 0);
}

GL_TEST(engine_multiword)
{
	if (!eng)
		return;
	CHECK(sc("It is safe.") > 0);
	CHECK(sc("The region became a safe haven.") < 0);
	CHECK(sc("The region became one of the safe havens.") < 0);
	CHECK(sc("Both sides must avoid a “safe-haven” label.") < 0);
	CHECK(sc("There is trust.") > 0);
	CHECK(sc("There is a trust deficit.") < 0);
	CHECK(sc("They keep playing the blame game.") < 0);
	CHECK(sc("Washington told Islamabad to do more.") < 0);
	CHECK_NEAR(sc("Washington told Islamabad to do it."), 0, 1e-9);
}

GL_TEST(engine_actors)
{
	if (!eng)
		return;
	sc("Russia praised the agreement, but the US-led coalition condemned the deadly attack.");
	CHECK_INT(scr.nmentions, 2);
	if (scr.nmentions == 2) {
		CHECK_STR(scr.mentions[0].id, "RUS");
		CHECK_STR(scr.mentions[1].id, "USA");
		CHECK(scr.mentions[0].tone > scr.mentions[1].tone);
		CHECK(scr.mentions[1].tone < 0);
	}
	sc("Pakistan\xE2\x80\x99s army met the Haqqani Network and us.");
	CHECK_INT(scr.nmentions, 2);
	if (scr.nmentions == 2) {
		CHECK_STR(scr.mentions[0].id, "PAK");
		CHECK_INT(scr.mentions[0].end - scr.mentions[0].start, 8);
		CHECK_STR(scr.mentions[1].id, "HAQQANI");
	}
}

GL_TEST(engine_close)
{
	gloss_plugin_v1()->close(eng);
	sent_scratch_free(&scr);
	eng = NULL;
}

GL_TEST_MAIN(GL_TEST_ENTRY(engine_open), GL_TEST_ENTRY(engine_polarity),
    GL_TEST_ENTRY(engine_negation), GL_TEST_ENTRY(engine_bare_negation), GL_TEST_ENTRY(engine_contrast),
    GL_TEST_ENTRY(engine_intensifiers), GL_TEST_ENTRY(engine_multiword),
    GL_TEST_ENTRY(engine_actors), GL_TEST_ENTRY(engine_close))
