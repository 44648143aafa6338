/*
 * test_actors_rules.c - one test per rule of the actors plugin (GUIDELINES
 * section 3), run through the real plugin entry points on the real data
 * files: demonyms, metonymy vs place for capitals, possessives and
 * determiners, hyphenated pairs, named bodies, surname follow-ups, titles,
 * Unicode punctuation, actors at the very start and end of the text, the
 * Soviet era, and a project dictionary added through the config.
 */
#include "gl_test.h"

#include "actors_test_util.h"

GL_TEST(demonyms_adjective_and_noun)
{
	at_result *r = at_run("American troops left. Afghans, Pakistanis and a Saudi watched the "
	    "North Vietnamese and Soviets. Chinese and Iranian officials agreed.");
	CHECK_SPAN(r, "American", 0, "state", "USA");
	CHECK_SPAN(r, "Afghans", 0, "state", "AFG");
	CHECK_SPAN(r, "Pakistanis", 0, "state", "PAK");
	CHECK_SPAN(r, "Saudi", 0, "state", "SAU");
	CHECK_SPAN(r, "North Vietnamese", 0, "state", "VDR");
	CHECK_SPAN(r, "Soviets", 0, "state", "SUN");
	CHECK_SPAN(r, "Chinese", 0, "state", "CHN");
	CHECK_SPAN(r, "Iranian", 0, "state", "IRN");
	CHECK_INT(r->n, 8);
}

GL_TEST(ethnic_and_regional_uses_are_not_actors)
{
	at_result *r = at_run("Ethnically Tajik fighters and ethnic Uzbek clans in Central Asia, "
	    "Latin American states and the Indian Ocean; Central Asian countries and the Cold War.");
	CHECK_INT(r->n, 0);
	if (r->n)
		at_dump(r);
}

GL_TEST(capital_as_government)
{
	at_result *r = at_run("Washington wants a deal. Tehran accuses Kabul, and Moscow is no longer "
	    "interested. Islamabad's statement warned Dushanbe. The ambassador to Washington "
	    "resigned and aid to Islamabad stopped.");
	CHECK_SPAN(r, "Washington", 0, "state", "USA");
	CHECK_SPAN(r, "Tehran", 0, "state", "IRN");
	CHECK_SPAN(r, "Kabul", 0, "state", "AFG");
	CHECK_SPAN(r, "Moscow", 0, "state", "RUS");
	CHECK_SPAN(r, "Islamabad", 0, "state", "PAK");
	CHECK_SPAN(r, "Dushanbe", 0, "state", "TJK");
	CHECK_SPAN(r, "Washington", 1, "state", "USA");
	CHECK_SPAN(r, "Islamabad", 1, "state", "PAK");
	CHECK_INT(r->n, 8);
}

GL_TEST(capital_as_place)
{
	at_result *r = at_run("KABUL: The Taliban took over Kabul. Talks in Moscow, leaders in "
	    "Washington and the embassy in Kabul. They met in Tashkent and will travel to Beijing. "
	    "The Washington Post and Kabul University reported it, and the capital Kabul fell.\n"
	    "New Delhi: officials left.");
	CHECK_SPAN(r, "Taliban", 0, "group", "TALIBAN");
	CHECK_INT(r->n, 1);
	r = at_run("KABUL, Aug 15 (Reuters) - Officials left.\nISLAMABAD, Pakistan \xE2\x80\x94 Talks "
	    "ended.\nBeijing, however, kept its embassy open.");
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_SPAN(r, "Beijing", 0, "state", "CHN");
	CHECK_INT(r->n, 2);
}

GL_TEST(determiners_and_possessives_outside)
{
	at_result *r = at_run("the United States and Pakistan's army met the Taliban\xE2\x80\x99s "
	    "envoys and the U.S.'s allies.");
	const at_span *s = at_find(r, "United States", 0);
	CHECK(s && s->start == 4);
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_SPAN(r, "Taliban", 0, "group", "TALIBAN");
	CHECK_SPAN(r, "U.S.", 0, "state", "USA");
	CHECK_INT(r->n, 4);
}

GL_TEST(hyphenated_pairs_give_two_spans)
{
	at_result *r = at_run("US-Pakistan relations, the US-Taliban agreement, Tajik\xE2\x80\x93"
	    "Afghan trade, the 1947 India-Pakistan War, anti -American and post-Soviet views, "
	    "US-led and NATO-led forces in Taliban-ruled areas.");
	CHECK_SPAN(r, "US", 0, "state", "USA");
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_SPAN(r, "Taliban", 0, "group", "TALIBAN");
	CHECK_SPAN(r, "Tajik", 0, "state", "TJK");
	CHECK_SPAN(r, "Afghan", 0, "state", "AFG");
	CHECK_SPAN(r, "India", 0, "state", "IND");
	CHECK_SPAN(r, "Pakistan", 1, "state", "PAK");
	CHECK_SPAN(r, "American", 0, "state", "USA");
	CHECK_SPAN(r, "Soviet", 0, "state", "SUN");
	CHECK_SPAN(r, "US", 2, "state", "USA");
	CHECK_SPAN(r, "NATO", 0, "org", "NATO");
	CHECK_SPAN(r, "Taliban", 1, "group", "TALIBAN");
	CHECK_INT(r->n, 13);
}

GL_TEST(case_and_punctuation_forms_of_us)
{
	at_result *r = at_run("The U.S. and the US told us that u.s. policy and the USA matter.");
	CHECK_SPAN(r, "U.S.", 0, "state", "USA");
	CHECK_SPAN(r, "US", 0, "state", "USA");
	CHECK_SPAN(r, "u.s.", 0, "state", "USA");
	CHECK_SPAN(r, "USA", 0, "state", "USA");
	CHECK_NO_SPAN(r, "us");
	CHECK_INT(r->n, 4);
}

GL_TEST(named_bodies_are_one_span)
{
	at_result *r = at_run("The U.S. Senate, the Pakistan army, the US Army and the Russian Foreign "
	    "Ministry met the Embassy of India. Uzbekistan's senate and the U.S. government and the "
	    "Afghan defence ministry did not. The CIA and ISI did.");
	CHECK_SPAN(r, "U.S. Senate", 0, "state", "USA");
	CHECK_SPAN(r, "Pakistan army", 0, "state", "PAK");
	CHECK_SPAN(r, "US Army", 0, "state", "USA");
	CHECK_SPAN(r, "Russian Foreign Ministry", 0, "state", "RUS");
	CHECK_SPAN(r, "Embassy of India", 0, "state", "IND");
	CHECK_SPAN(r, "Uzbekistan", 0, "state", "UZB");
	CHECK_SPAN(r, "U.S.", 0, "state", "USA");
	CHECK_SPAN(r, "Afghan", 0, "state", "AFG");
	CHECK_SPAN(r, "CIA", 0, "state", "USA");
	CHECK_SPAN(r, "ISI", 0, "state", "PAK");
	CHECK_INT(r->n, 10);
	const at_span *s = at_find(r, "Pakistan army", 0);
	CHECK(s && strstr(s->attrs, "\"cameo\":\"PAKMIL\""));
}

GL_TEST(groups_and_longest_match)
{
	at_result *r = at_run("The Afghan Taliban, the Pakistani Taliban, al-Qaeda, al Qaida, the "
	    "Islamic State in Khorasan Province and ISIS-K, the Islamic Movement of Uzbekistan and "
	    "the Islamic Emirate of Afghanistan. Pakistan became an Islamic state.");
	CHECK_SPAN(r, "Afghan Taliban", 0, "group", "TALIBAN");
	CHECK_SPAN(r, "Pakistani Taliban", 0, "group", "TTP");
	CHECK_SPAN(r, "al-Qaeda", 0, "group", "ALQAEDA");
	CHECK_SPAN(r, "al Qaida", 0, "group", "ALQAEDA");
	CHECK_SPAN(r, "Islamic State in Khorasan Province", 0, "group", "ISKP");
	CHECK_SPAN(r, "ISIS-K", 0, "group", "ISKP");
	CHECK_SPAN(r, "Islamic Movement of Uzbekistan", 0, "group", "IMU");
	CHECK_SPAN(r, "Islamic Emirate of Afghanistan", 0, "group", "TALIBAN");
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_INT(r->n, 9);
}

GL_TEST(titles_outside_and_surname_follow_ups)
{
	at_result *r = at_run("U.S. President Joe Biden called Prime Minister Imran Khan. Biden said "
	    "Khan agreed. Mullah Mohammed Omar and Mr. Obama were mentioned; Obama smiled.");
	CHECK_SPAN(r, "Joe Biden", 0, "person", "PERSON:Joe Biden");
	CHECK_SPAN(r, "Imran Khan", 0, "person", "PERSON:Imran Khan");
	CHECK_SPAN(r, "Biden", 0, "person", "PERSON:Joe Biden");
	CHECK_SPAN(r, "Khan", 0, "person", "PERSON:Imran Khan");
	CHECK_SPAN(r, "Mohammed Omar", 0, "person", "PERSON:Mullah Omar");
	CHECK_SPAN(r, "Obama", 0, "person", "PERSON:Barack Obama");
	CHECK_SPAN(r, "Obama", 1, "person", "PERSON:Barack Obama");
	const at_span *o = at_find(r, "Obama", 0);
	CHECK(o && strstr(o->attrs, "\"role\":\"President\"")); /* "Mr." is no role */
	CHECK_NO_SPAN(r, "President Joe Biden");
	const at_span *s = at_find(r, "Joe Biden", 0);
	CHECK(s && strstr(s->attrs, "\"role\":\"President\"") && strstr(s->attrs, "\"country\":\"USA\""));
}

GL_TEST(unknown_names_after_a_title)
{
	at_result *r = at_run("Former U.S. Ambassador to Afghanistan Ryan Crocker disagreed, and "
	    "Taliban spokesman Qari Yusuf Ahmadi denied it. Crocker said Gen. Farid Zalmai agreed. "
	    "Later, Ahmadi repeated the denial.");
	CHECK_SPAN(r, "Ryan Crocker", 0, "person", "PERSON:Ryan Crocker");
	CHECK_SPAN(r, "Crocker", 0, "person", "PERSON:Ryan Crocker");
	CHECK_SPAN(r, "Farid Zalmai", 0, "person", "PERSON:Farid Zalmai");
	CHECK_SPAN(r, "Yusuf Ahmadi", 0, "person", "PERSON:Yusuf Ahmadi");
	CHECK_SPAN(r, "Ahmadi", 0, "person", "PERSON:Yusuf Ahmadi");
	CHECK_SPAN(r, "Afghanistan", 0, "state", "AFG");
	const at_span *s = at_find(r, "Ryan Crocker", 0);
	CHECK(s && strstr(s->attrs, "\"country\":\"USA\""));
	/* a surname with no title and not seen before is not a person */
	r = at_run("Crocker said the Senate would vote.");
	CHECK_INT(r->n, 0);
}

GL_TEST(title_case_heading_does_not_invent_people)
{
	at_result *r = at_run("Chinese President Calls For Calm Over Border\nThe talks went on.");
	CHECK_SPAN(r, "Chinese", 0, "state", "CHN");
	CHECK_INT(r->n, 1);
}

GL_TEST(unicode_punctuation)
{
	at_result *r = at_run("\xE2\x80\x9CPakistan\xE2\x80\x99s army\xE2\x80\x9D met "
	    "\xE2\x80\x98Russia\xE2\x80\x99 \xE2\x80\x93 and Uzbekistan\xE2\x80\x94Kazakhstan\xE2\x80\xA6 "
	    "US\xE2\x80\x93Pakistan ties\xC2\xA0with\xC2\xA0Iran.");
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_SPAN(r, "Russia", 0, "state", "RUS");
	CHECK_SPAN(r, "Uzbekistan", 0, "state", "UZB");
	CHECK_SPAN(r, "Kazakhstan", 0, "state", "KAZ");
	CHECK_SPAN(r, "US", 0, "state", "USA");
	CHECK_SPAN(r, "Pakistan", 1, "state", "PAK");
	CHECK_SPAN(r, "Iran", 0, "state", "IRN");
	CHECK_INT(r->n, 7);
	const at_span *s = at_find(r, "Pakistan", 0);
	CHECK(s && s->start == 3); /* after the 3-byte “ */
}

GL_TEST(actor_at_start_and_end_of_text)
{
	at_result *r = at_run("Pakistan");
	CHECK_SPAN(r, "Pakistan", 0, "state", "PAK");
	CHECK_INT(r->n, 1);
	r = at_run("NATO met the U.S.");
	CHECK_SPAN(r, "NATO", 0, "org", "NATO");
	CHECK_SPAN(r, "U.S.", 0, "state", "USA");
	const at_span *s = at_find(r, "U.S.", 0);
	CHECK(s && s->end == strlen("NATO met the U.S."));
	r = at_run("Relations with Moscow");
	CHECK_SPAN(r, "Moscow", 0, "state", "RUS");
	r = at_run("");
	CHECK_INT(r->n, 0);
}

GL_TEST(soviet_era_referent)
{
	at_result *r = at_run("In 1979 Moscow sent troops into Afghanistan and the Russians left in "
	    "1989. Today Russia hosts Taliban delegations and the Kremlin wants trade.");
	CHECK_SPAN(r, "Moscow", 0, "state", "SUN");
	CHECK_SPAN(r, "Russians", 0, "state", "SUN");
	CHECK_SPAN(r, "Russia", 0, "state", "RUS");
	CHECK_SPAN(r, "Kremlin", 0, "state", "RUS");
}

GL_TEST(orgs_and_non_actors)
{
	at_result *r = at_run("The UN Security Council, the U.N., the European Union, the SCO and the "
	    "Gulf Cooperation Council-Central Asia Summit. Reuters, the Washington Post and the "
	    "Hudson Institute reported; Republicans and Democrats argued.");
	CHECK_SPAN(r, "UN Security Council", 0, "org", "UN");
	CHECK_SPAN(r, "U.N.", 0, "org", "UN");
	CHECK_SPAN(r, "European Union", 0, "org", "EU");
	CHECK_SPAN(r, "SCO", 0, "org", "SCO");
	CHECK_SPAN(r, "Gulf Cooperation Council", 0, "org", "GCC");
	CHECK_INT(r->n, 5);
}

GL_TEST(project_dictionary_from_config)
{
	const char *path = "/tmp/actors_test_extra.tsv";
	FILE *fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("# extra\nWidget Liberation Front|WLF\tgroup\tWLF\t-\tXXXREB\n"
	      "Zorbia\tstate\tZRB\n", fp);
	fclose(fp);
	const gloss_plugin *p = gloss_plugin_v1();
	void *st = NULL;
	char err[512] = "";
	int rc = p->open("{\"dictionary\": [\"/tmp/actors_test_extra.tsv\"]}", at_data_dir(), &st, err,
	    sizeof(err));
	CHECK_INT(rc, 0);
	if (rc)
		return;
	at_result r;
	memset(&r, 0, sizeof(r));
	r.text = "The WLF and Zorbia met the Widget Liberation Front in Pakistan.";
	gloss_doc doc = { "t", r.text, strlen(r.text), "", "en", "" };
	CHECK_INT(p->analyze(st, &doc, at_sink, &r, err, sizeof(err)), 0);
	at_sort(&r);
	CHECK_SPAN(&r, "WLF", 0, "group", "WLF");
	CHECK_SPAN(&r, "Zorbia", 0, "state", "ZRB");
	CHECK_SPAN(&r, "Widget Liberation Front", 0, "group", "WLF");
	CHECK_SPAN(&r, "Pakistan", 0, "state", "PAK");
	p->close(st);
	/* a missing file and bad JSON fail open() with a reason */
	st = NULL;
	CHECK(p->open("{\"dictionary\": \"/nonexistent/x.tsv\"}", at_data_dir(), &st, err,
	    sizeof(err)) < 0);
	CHECK(strstr(err, "/nonexistent/x.tsv") != NULL);
	CHECK(p->open("{\"dictionary\": ", at_data_dir(), &st, err, sizeof(err)) < 0);
	CHECK(p->open("{}", "/nonexistent-dir", &st, err, sizeof(err)) < 0);
	remove(path);
}

static int stop_count;

static int
stop_after_one(void *sink, const gloss_span *sp)
{
	(void)sink;
	(void)sp;
	stop_count++;
	return 1;
}

GL_TEST(emit_stop_is_honoured)
{
	at_open();
	char err[64];
	static const char *text = "Pakistan, India, China and Iran.";
	gloss_doc doc = { "t", text, strlen(text), "", "en", "" };
	stop_count = 0;
	CHECK_INT(at_plugin->analyze(at_state, &doc, stop_after_one, NULL, err, sizeof(err)), 0);
	CHECK_INT(stop_count, 1);
}

GL_TEST_MAIN(GL_TEST_ENTRY(demonyms_adjective_and_noun),
    GL_TEST_ENTRY(ethnic_and_regional_uses_are_not_actors), GL_TEST_ENTRY(capital_as_government),
    GL_TEST_ENTRY(capital_as_place), GL_TEST_ENTRY(determiners_and_possessives_outside),
    GL_TEST_ENTRY(hyphenated_pairs_give_two_spans), GL_TEST_ENTRY(case_and_punctuation_forms_of_us),
    GL_TEST_ENTRY(named_bodies_are_one_span), GL_TEST_ENTRY(groups_and_longest_match),
    GL_TEST_ENTRY(titles_outside_and_surname_follow_ups), GL_TEST_ENTRY(unknown_names_after_a_title),
    GL_TEST_ENTRY(title_case_heading_does_not_invent_people), GL_TEST_ENTRY(unicode_punctuation),
    GL_TEST_ENTRY(actor_at_start_and_end_of_text), GL_TEST_ENTRY(soviet_era_referent),
    GL_TEST_ENTRY(orgs_and_non_actors), GL_TEST_ENTRY(project_dictionary_from_config),
    GL_TEST_ENTRY(emit_stop_is_honoured))
