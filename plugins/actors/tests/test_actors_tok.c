/*
 * test_actors_tok.c - the tokenizer the dictionary and the matcher share:
 * dotted abbreviations, possessives, Unicode apostrophes and dashes, and
 * the separator classes that decide what may join inside a name.
 */
#include "gl_test.h"

#include "act_tok.h"

typedef struct {
	act_tok t[64];
	int n;
} tv;

static int
push(void *ctx, const act_tok *t)
{
	tv *v = ctx;
	if (v->n < 64)
		v->t[v->n++] = *t;
	return 0;
}

static tv
toks(const char *s)
{
	tv v;
	v.n = 0;
	act_tok_scan(s, strlen(s), push, &v);
	return v;
}

static int
is(const char *s, const act_tok *t, const char *want)
{
	return strlen(want) == t->end - t->start && memcmp(s + t->start, want, t->end - t->start) == 0;
}

GL_TEST(dotted_abbreviations_are_one_token)
{
	const char *s = "the U.S. and u.s. and US";
	tv v = toks(s);
	CHECK_INT(v.n, 6);
	CHECK(is(s, &v.t[1], "U.S."));
	CHECK(v.t[1].flags & ACT_TF_DOTTED);
	CHECK(v.t[1].key == v.t[3].key);
	CHECK(v.t[1].key == v.t[5].key);
	CHECK(v.t[5].flags & ACT_TF_ALLCAPS);
	CHECK(!(v.t[3].flags & ACT_TF_ALLCAPS));
}

GL_TEST(initial_is_not_an_abbreviation)
{
	const char *s = "George W. Bush";
	tv v = toks(s);
	CHECK_INT(v.n, 3);
	CHECK(is(s, &v.t[1], "W"));
	CHECK_INT(v.t[2].sep, ACT_SEP_DOT);
}

GL_TEST(possessive_is_its_own_token)
{
	const char *s = "Pakistan's army and Pakistan\xE2\x80\x99s army, O'Brien";
	tv v = toks(s);
	CHECK(is(s, &v.t[0], "Pakistan"));
	CHECK(v.t[1].flags & ACT_TF_POSS);
	CHECK_INT(v.t[1].sep, ACT_SEP_NONE);
	CHECK(is(s, &v.t[4], "Pakistan"));
	CHECK(v.t[5].flags & ACT_TF_POSS);
	CHECK(v.t[1].key == v.t[5].key); /* ’s folds to 's */
	CHECK(is(s, &v.t[7], "O'Brien"));
}

GL_TEST(hyphens_and_dashes)
{
	const char *s = "US-Pakistan US\xE2\x80\x93Pakistan anti -American a \xE2\x80\x94 b";
	tv v = toks(s);
	CHECK_INT(v.n, 8);
	CHECK_INT(v.t[1].sep, ACT_SEP_HY);
	CHECK_INT(v.t[3].sep, ACT_SEP_HY); /* en dash */
	CHECK_INT(v.t[5].sep, ACT_SEP_HYS);
	CHECK_INT(v.t[7].sep, ACT_SEP_PUNCT); /* em dash with spaces is punctuation */
}

GL_TEST(unicode_quotes_and_lines)
{
	const char *s = "\xE2\x80\x9C" "China\xE2\x80\x9D said\nKabul:\n\nIran";
	tv v = toks(s);
	CHECK_INT(v.n, 4);
	CHECK(is(s, &v.t[0], "China"));
	CHECK_INT(v.t[0].sep, ACT_SEP_START);
	CHECK_INT(v.t[1].sep, ACT_SEP_PUNCT);
	CHECK_INT(v.t[2].sep, ACT_SEP_NL);
	CHECK_INT(v.t[3].sep, ACT_SEP_PUNCT);
	CHECK_INT(v.t[3].sepch, ':');
}

GL_TEST(case_flags_and_keys)
{
	const char *s = "Taliban TALIBAN taliban \xC3\x89lys\xC3\xA9" "e";
	tv v = toks(s);
	CHECK_INT(v.n, 4);
	CHECK(v.t[0].key == v.t[1].key && v.t[1].key == v.t[2].key);
	CHECK(v.t[0].flags & ACT_TF_CAP);
	CHECK(v.t[1].flags & ACT_TF_ALLCAPS);
	CHECK(v.t[2].flags & ACT_TF_LOWER);
	CHECK(v.t[3].flags & ACT_TF_CAP);
	CHECK(v.t[0].key == act_tok_key_of("taliban"));
}

GL_TEST(empty_and_punctuation_only)
{
	tv v = toks("");
	CHECK_INT(v.n, 0);
	v = toks(" ,.;\xE2\x80\x99 \xC2\xA0");
	CHECK_INT(v.n, 0);
}

GL_TEST_MAIN(GL_TEST_ENTRY(dotted_abbreviations_are_one_token),
    GL_TEST_ENTRY(initial_is_not_an_abbreviation), GL_TEST_ENTRY(possessive_is_its_own_token),
    GL_TEST_ENTRY(hyphens_and_dashes), GL_TEST_ENTRY(unicode_quotes_and_lines),
    GL_TEST_ENTRY(case_flags_and_keys), GL_TEST_ENTRY(empty_and_punctuation_only))
