/*
 * sentiment.c - the gloss "sentiment" analyzer plugin.
 *
 * One span per sentence unit on layer "sentiment" (label "sentence", value
 * positive/negative/neutral, score in [-1, 1]), and one span per actor
 * mention on layer "actor-tone" (label = the tone's class, value = the
 * mention text, attrs {"tone": score, "actor": id}).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gloss/plugin.h>

#include "sent_config.h"
#include "sent_lex.h"
#include "sent_score.h"
#include "sent_split.h"

#define SENT_VERSION "1.0.0"

static int
sentiment_open(const char *config_json, const char *data_dir, void **state, char *errbuf,
    size_t errlen)
{
	*state = NULL;
	if (errlen)
		errbuf[0] = '\0';
	sent_engine *eng = calloc(1, sizeof(*eng));
	if (!eng) {
		snprintf(errbuf, errlen, "sentiment: out of memory");
		return -ENOMEM;
	}
	int rc = sent_lex_init(&eng->lex);
	char path[4096];
	char *defaults = NULL;
	if (rc < 0) {
		snprintf(errbuf, errlen, "sentiment: out of memory");
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/config.json", data_dir ? data_dir : ".");
	defaults = sent_read_file(path, NULL);
	if (!defaults) {
		snprintf(errbuf, errlen, "sentiment: cannot read %s", path);
		rc = -ENOENT;
		goto fail;
	}
	eng->prm.data_dir = strdup(data_dir ? data_dir : ".");
	if (!eng->prm.data_dir) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = sent_config_apply(&eng->prm, defaults, data_dir, errbuf, errlen)) < 0)
		goto fail;
	/* the operator's paths are taken as given (relative to the host's cwd) */
	if (config_json && *config_json &&
	    (rc = sent_config_apply(&eng->prm, config_json, "", errbuf, errlen)) < 0)
		goto fail;
	for (int i = 0; i < eng->prm.nfiles; i++)
		if ((rc = sent_lex_load(&eng->lex, eng->prm.files[i], errbuf, errlen)) < 0)
			goto fail;
	if (eng->prm.abbrev_file &&
	    (rc = sent_lex_load_abbrev(&eng->lex, eng->prm.abbrev_file, errbuf, errlen)) < 0)
		goto fail;
	for (int i = 0; i < eng->prm.nactor_files; i++)
		if ((rc = sent_lex_load_actors(&eng->lex, eng->prm.actor_files[i], errbuf, errlen)) < 0)
			goto fail;
	free(defaults);
	*state = eng;
	return 0;
fail:
	free(defaults);
	sent_config_free(&eng->prm);
	sent_lex_free(&eng->lex);
	free(eng);
	return rc < 0 ? rc : -EINVAL;
}

/* Append s to a JSON string body, escaping what JSON requires. */
static size_t
json_escape(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	for (; *s && n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return n;
}

/* {"tone": -0.1234, "actor": "ID"}; hand-formatted because snprintf's
 * floating point is a large share of the plugin's time on actor-dense text */
static void
fmt_attrs(char *out, size_t cap, double tone, const char *id)
{
	long v = lround(tone * 10000.0);
	const char *sign = v < 0 ? "-" : "";
	if (v < 0)
		v = -v;
	size_t n = (size_t)snprintf(out, cap, "{\"tone\": %s%ld.%04ld, \"actor\": \"", sign, v / 10000,
	    v % 10000);
	size_t il = strlen(id);
	if (n + il + 3 > cap)
		il = cap > n + 3 ? cap - n - 3 : 0;
	memcpy(out + n, id, il);
	memcpy(out + n + il, "\"}", 3);
}

static int
sentiment_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	const sent_engine *eng = state;
	sent_scratch scr = { 0 };
	size_t pos = 0, s, e;
	int rc = 0;
	char *mention = NULL;
	size_t mention_cap = 0;
	while (sent_split_next(&eng->lex, doc->text, doc->len, &pos, &s, &e)) {
		double score;
		if (sent_score_sentence(eng, doc->text, s, e, &scr, &score) < 0) {
			snprintf(errbuf, errlen, "sentiment: out of memory");
			rc = -ENOMEM;
			break;
		}
		gloss_span sp = { 0 };
		sp.start = s;
		sp.end = e;
		sp.label = "sentence";
		sp.value = sent_label(&eng->prm, score);
		sp.has_score = 1;
		sp.score = score;
		if (emit(sink, &sp) != 0)
			break;
		int stop = 0;
		for (size_t m = 0; m < scr.nmentions && !stop; m++) {
			const sent_mention *mn = &scr.mentions[m];
			size_t ml = mn->end - mn->start;
			if (ml + 1 > mention_cap) {
				char *b = realloc(mention, ml + 1);
				if (!b) {
					rc = -ENOMEM;
					snprintf(errbuf, errlen, "sentiment: out of memory");
					stop = 1;
					break;
				}
				mention = b;
				mention_cap = ml + 1;
			}
			memcpy(mention, doc->text + mn->start, ml);
			mention[ml] = '\0';
			char id[256], attrs[400];
			json_escape(id, sizeof(id), mn->id);
			fmt_attrs(attrs, sizeof(attrs), mn->tone, id);
			gloss_span as = { 0 };
			as.start = mn->start;
			as.end = mn->end;
			as.label = sent_label(&eng->prm, mn->tone);
			as.value = mention;
			as.has_score = 1;
			as.score = mn->tone;
			as.attrs_json = attrs;
			as.layer = "actor-tone";
			if (emit(sink, &as) != 0)
				stop = 1;
		}
		if (stop)
			break;
	}
	free(mention);
	sent_scratch_free(&scr);
	return rc;
}

static void
sentiment_close(void *state)
{
	sent_engine *eng = state;
	if (!eng)
		return;
	sent_config_free(&eng->prm);
	sent_lex_free(&eng->lex);
	free(eng);
}

static const char *const sentiment_labels[] = { "sentence", "positive", "negative", "neutral",
	NULL };

static const gloss_plugin sentiment_plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "sentiment",
	.version = SENT_VERSION,
	.layer = "sentiment",
	.labels = sentiment_labels,
	.description = "tone per sentence (lexicon with negation, intensifiers, contrast) and toward each actor",
	.open = sentiment_open,
	.analyze = sentiment_analyze,
	.close = sentiment_close,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &sentiment_plugin;
}
