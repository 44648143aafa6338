/*
 * test_sentiment_plugin.c - the plugin through its ABI: spans and layers
 * emitted, the empty document, one very long sentence, early stop, and the
 * config keys (a project lexicon, bad keys).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gloss/plugin.h>

#include "gl_test.h"

typedef struct {
	int sentences, actors, stop_after;
	size_t last_start, last_end;
	double last_score;
	char last_value[32];
	char actor_attrs[256];
	int bad;
} sink_t;

static int
collect(void *p, const gloss_span *sp)
{
	sink_t *k = p;
	if (sp->end <= sp->start)
		k->bad++;
	if (sp->layer && strcmp(sp->layer, "actor-tone") == 0) {
		k->actors++;
		snprintf(k->actor_attrs, sizeof(k->actor_attrs), "%s", sp->attrs_json ? sp->attrs_json : "");
	} else {
		k->sentences++;
		if (strcmp(sp->label, "sentence") != 0 || !sp->has_score || sp->score < -1 || sp->score > 1)
			k->bad++;
		k->last_start = sp->start;
		k->last_end = sp->end;
		k->last_score = sp->score;
		snprintf(k->last_value, sizeof(k->last_value), "%s", sp->value);
	}
	return k->stop_after && k->sentences >= k->stop_after;
}

static const gloss_plugin *pl;
static void *st;

static int
run(void *state, const char *text, sink_t *k)
{
	gloss_doc d = { "t", text, strlen(text), "", "en", "" };
	char err[256];
	return pl->analyze(state, &d, collect, k, err, sizeof(err));
}

GL_TEST(plugin_identity)
{
	pl = gloss_plugin_v1();
	CHECK_INT(pl->abi_version, GLOSS_PLUGIN_ABI_VERSION);
	CHECK_STR(pl->name, "sentiment");
	CHECK_STR(pl->layer, "sentiment");
	char err[256];
	CHECK_INT(pl->open("{}", SENT_TEST_DATA_DIR, &st, err, sizeof(err)), 0);
}

GL_TEST(plugin_document)
{
	sink_t k = { 0 };
	CHECK_INT(run(st, "Peace Talks\n\nThe US accused Pakistan of harboring militants. "
	    "Both sides signed an agreement.\n", &k), 0);
	CHECK_INT(k.sentences, 3);
	CHECK_INT(k.actors, 2);
	CHECK_STR(k.last_value, "positive");
	CHECK_INT(k.bad, 0);
	CHECK(strstr(k.actor_attrs, "\"actor\": \"PAK\"") != NULL);
	CHECK(strstr(k.actor_attrs, "\"tone\": -") != NULL);
}

GL_TEST(plugin_empty_document)
{
	sink_t k = { 0 };
	CHECK_INT(run(st, "", &k), 0);
	CHECK_INT(k.sentences + k.actors, 0);
	CHECK_INT(run(st, " \n\t\n", &k), 0);
	CHECK_INT(k.sentences + k.actors, 0);
}

GL_TEST(plugin_long_sentence)
{
	static const char piece[] = "the war and the peace agreement with the Taliban, ";
	size_t reps = 10000, pl_len = sizeof(piece) - 1;
	char *t = malloc(reps * pl_len + 2);
	CHECK(t != NULL);
	if (!t)
		return;
	for (size_t i = 0; i < reps; i++)
		memcpy(t + i * pl_len, piece, pl_len);
	t[reps * pl_len] = '.';
	t[reps * pl_len + 1] = '\0';
	sink_t k = { 0 };
	CHECK_INT(run(st, t, &k), 0);
	CHECK_INT(k.sentences, 1);
	CHECK_INT(k.actors, 10000);
	CHECK_INT(k.last_start, 0);
	CHECK_INT(k.last_end, reps * pl_len + 1);
	CHECK_INT(k.bad, 0);
	free(t);
}

/* Every span must be well-formed on arbitrary UTF-8: inside the text, on
 * character boundaries, non-empty, and sentence units must not overlap. */
typedef struct {
	const char *text;
	size_t len, last_end;
	int bad;
} fuzz_t;

static int
fuzz_check(void *p, const gloss_span *sp)
{
	fuzz_t *f = p;
	const unsigned char *t = (const unsigned char *)f->text;
	if (sp->start >= sp->end || sp->end > f->len)
		f->bad++;
	else if ((t[sp->start] & 0xC0) == 0x80 || (sp->end < f->len && (t[sp->end] & 0xC0) == 0x80))
		f->bad++;
	if (!sp->layer) {
		if (sp->start < f->last_end)
			f->bad++;
		f->last_end = sp->end;
	}
	return 0;
}

GL_TEST(plugin_fuzz_utf8)
{
	static const char *const pieces[] = { "a", "B", " ", "\n", ".", "!", "?", ",", "'", "-", "U.S.",
		"\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\xA2", "\xC2\xA0", "\xC3\xA9",
		"\xE2\x80\x94", "9", "Taliban", "not", "good", "safe haven", "Pakistan\xE2\x80\x99s", "..",
		"\xF0\x9F\x98\x80", "\xE2\x80\x83", "(", ")" };
	size_t np = sizeof(pieces) / sizeof(pieces[0]);
	unsigned seed = 7;
	char buf[4096];
	int bad = 0;
	for (int round = 0; round < 400; round++) {
		size_t n = 0;
		for (;;) {
			seed = seed * 1103515245u + 12345u;
			const char *pc = pieces[(seed >> 16) % np];
			size_t l = strlen(pc);
			if (n + l >= sizeof(buf) - 1 || (seed >> 8) % 97 == 0)
				break;
			memcpy(buf + n, pc, l);
			n += l;
		}
		buf[n] = '\0';
		fuzz_t f = { buf, n, 0, 0 };
		gloss_doc d = { "fuzz", buf, n, "", "en", "" };
		char err[256];
		CHECK_INT(pl->analyze(st, &d, fuzz_check, &f, err, sizeof(err)), 0);
		bad += f.bad;
	}
	CHECK_INT(bad, 0);
}

GL_TEST(plugin_stop_early)
{
	sink_t k = { 0 };
	k.stop_after = 1;
	CHECK_INT(run(st, "One. Two. Three.", &k), 0);
	CHECK_INT(k.sentences, 1);
}

GL_TEST(plugin_project_lexicon)
{
	char path[] = "/tmp/sentiment-test-lexXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	const char *lex = "# a project's own words\nzorblat\t3.0\nsafe haven\t2.0\n";
	CHECK(write(fd, lex, strlen(lex)) == (ssize_t)strlen(lex));
	close(fd);
	char cfg[512], err[256];
	snprintf(cfg, sizeof(cfg), "{\"lexicon\": \"%s\", \"pos_threshold\": 0.5}", path);
	void *st2 = NULL;
	CHECK_INT(pl->open(cfg, SENT_TEST_DATA_DIR, &st2, err, sizeof(err)), 0);
	if (st2) {
		sink_t k = { 0 };
		CHECK_INT(run(st2, "The zorblat arrived.", &k), 0);
		CHECK(k.last_score > 0.3);
		CHECK_STR(k.last_value, "positive");
		CHECK_INT(run(st2, "It became a safe haven.", &k), 0);
		CHECK(k.last_score > 0);
		CHECK_INT(run(st2, "It was good.", &k), 0);
		CHECK_STR(k.last_value, "neutral"); /* under the raised threshold */
		pl->close(st2);
	}
	unlink(path);
	sink_t k = { 0 };
	CHECK_INT(run(st, "The zorblat arrived.", &k), 0);
	CHECK_STR(k.last_value, "neutral");
}

/* The default calibration: word valences are raised to valence_power around
 * valence_pivot before summing, so one clear word outweighs two mild ones,
 * and the default (balanced) profile labels one mild word neutral, one
 * clear word positive and any net negative evidence negative. */
GL_TEST(plugin_calibration)
{
	char path[] = "/tmp/sentiment-test-calXXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	const char *lex = "zmild\t1.0\nzclear\t2.0\nzsour\t-1.0\n";
	CHECK(write(fd, lex, strlen(lex)) == (ssize_t)strlen(lex));
	close(fd);
	char cfg[512], err[256];
	snprintf(cfg, sizeof(cfg), "{\"lexicon\": \"%s\"}", path);
	void *st2 = NULL;
	CHECK_INT(pl->open(cfg, SENT_TEST_DATA_DIR, &st2, err, sizeof(err)), 0);
	snprintf(cfg, sizeof(cfg), "{\"lexicon\": \"%s\", \"valence_power\": 1}", path);
	void *lin = NULL;
	CHECK_INT(pl->open(cfg, SENT_TEST_DATA_DIR, &lin, err, sizeof(err)), 0);
	if (st2 && lin) {
		sink_t k = { 0 };
		CHECK_INT(run(st2, "The zmild and zmild report.", &k), 0);
		double two_mild = k.last_score;
		CHECK_INT(run(st2, "The zclear report.", &k), 0);
		double clear = k.last_score;
		CHECK(clear > two_mild + 0.1);
		CHECK_STR(k.last_value, "positive");
		/* 2 * (1/2)^2 = 0.5 squashed with alpha 15 */
		CHECK_INT(run(st2, "The zmild report.", &k), 0);
		CHECK_NEAR(k.last_score, 0.5 / sqrt(0.25 + 15), 1e-9);
		CHECK_STR(k.last_value, "neutral");
		CHECK_INT(run(st2, "The zsour report.", &k), 0);
		CHECK_STR(k.last_value, "negative");
		/* without the power both readings sum to 2 */
		CHECK_INT(run(lin, "The zmild and zmild report.", &k), 0);
		two_mild = k.last_score;
		CHECK_INT(run(lin, "The zclear report.", &k), 0);
		CHECK_NEAR(k.last_score, two_mild, 1e-9);
	}
	if (st2)
		pl->close(st2);
	if (lin)
		pl->close(lin);
	unlink(path);
}

GL_TEST(plugin_bad_config)
{
	char err[256] = "";
	void *st2 = NULL;
	CHECK(pl->open("{\"alpah\": 3}", SENT_TEST_DATA_DIR, &st2, err, sizeof(err)) < 0);
	CHECK(strstr(err, "alpah") != NULL);
	CHECK(st2 == NULL);
	CHECK(pl->open("{\"lexicon\": \"/nonexistent/x.tsv\"}", SENT_TEST_DATA_DIR, &st2, err,
	    sizeof(err)) < 0);
	CHECK(pl->open("{}", "/nonexistent", &st2, err, sizeof(err)) < 0);
	CHECK(pl->open("[1]", SENT_TEST_DATA_DIR, &st2, err, sizeof(err)) < 0);
}

GL_TEST(plugin_close)
{
	pl->close(st);
}

GL_TEST_MAIN(GL_TEST_ENTRY(plugin_identity), GL_TEST_ENTRY(plugin_document),
    GL_TEST_ENTRY(plugin_empty_document), GL_TEST_ENTRY(plugin_long_sentence),
    GL_TEST_ENTRY(plugin_fuzz_utf8), GL_TEST_ENTRY(plugin_stop_early), GL_TEST_ENTRY(plugin_project_lexicon),
    GL_TEST_ENTRY(plugin_calibration),
    GL_TEST_ENTRY(plugin_bad_config), GL_TEST_ENTRY(plugin_close))
