/*
 * bad_spans.c - emits every kind of span the host must drop, between good
 * ones that it must keep:
 *   good  [0, first space)          label "good", value "first", attrs { "k" : 1 }
 *   good  the last character        label "good", value "last", score 0.5,
 *                                   layer "other"
 *   bad   end past the text; start past the text; start == end; start > end;
 *         start inside a multi-byte character; end inside one; NULL label;
 *         "" label; attrs that are not JSON; attrs that are a JSON array;
 *         label that is not UTF-8; infinite score
 * So on a text with a multi-byte character it yields 2 kept and 12 dropped
 * spans (10 without one: no mid-character spans then).
 */
#include <math.h>
#include <string.h>

#include "gloss/plugin.h"

static int
bs_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	(void)config_json, (void)data_dir, (void)errbuf, (void)errlen;
	*state = 0;
	return 0;
}

static int
bs_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	(void)state, (void)errbuf, (void)errlen;
	size_t len = doc->len;
	if (len == 0)
		return 0;
	const char *sp = memchr(doc->text, ' ', len);
	size_t first_end = sp ? (size_t)(sp - doc->text) : len;
	size_t last = len - 1;
	while (last > 0 && ((unsigned char)doc->text[last] & 0xC0) == 0x80)
		last--;
	size_t multi = len; /* first byte of the first multi-byte character */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)doc->text[i] >= 0xC0) {
			multi = i;
			break;
		}

	gloss_span s;
#define EMIT(...) do { s = (gloss_span){ __VA_ARGS__ }; emit(sink, &s); } while (0)
	EMIT(.start = 0, .end = len + 5, .label = "bad");
	EMIT(.start = len + 1, .end = len + 2, .label = "bad");
	if (first_end > 0)
		EMIT(.start = 0, .end = first_end, .label = "good", .value = "first",
		    .attrs_json = "{ \"k\" : 1 }");
	EMIT(.start = 2, .end = 2, .label = "bad");
	EMIT(.start = 3, .end = 1, .label = "bad");
	if (multi < len) {
		EMIT(.start = multi + 1, .end = len, .label = "bad");
		EMIT(.start = 0, .end = multi + 1, .label = "bad");
	}
	EMIT(.start = 0, .end = 1, .label = NULL);
	EMIT(.start = 0, .end = 1, .label = "");
	EMIT(.start = 0, .end = 1, .label = "bad", .attrs_json = "{not json");
	EMIT(.start = 0, .end = 1, .label = "bad", .attrs_json = "[1,2]");
	EMIT(.start = 0, .end = 1, .label = "bad\xff");
	EMIT(.start = 0, .end = 1, .label = "bad", .has_score = 1,
	    .score = INFINITY);
	EMIT(.start = last, .end = len, .label = "good", .value = "last",
	    .has_score = 1, .score = 0.5, .layer = "other");
#undef EMIT
	return 0;
}

static const char *const labels[] = { "good", "bad", NULL };

static const gloss_plugin plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "bad_spans",
	.version = "0.0.1",
	.layer = "test",
	.labels = labels,
	.description = "emits bad spans among good ones",
	.open = bs_open,
	.analyze = bs_analyze,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &plugin;
}
