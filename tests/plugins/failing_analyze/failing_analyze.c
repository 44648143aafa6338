/*
 * failing_analyze.c - fails on every document whose text contains "FAIL";
 * on the others it emits one span over the first character.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gloss/plugin.h"

static int
fa_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	(void)config_json, (void)data_dir, (void)errbuf, (void)errlen;
	*state = 0;
	return 0;
}

static int
fa_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	(void)state;
	if (strstr(doc->text, "FAIL") != NULL) {
		snprintf(errbuf, errlen, "document %s says FAIL", doc->id);
		return -EIO;
	}
	if (doc->len == 0)
		return 0;
	/* The first character, whatever its UTF-8 length. */
	size_t end = 1;
	while (end < doc->len && ((unsigned char)doc->text[end] & 0xC0) == 0x80)
		end++;
	gloss_span s = { .start = 0, .end = end, .label = "first",
		.value = "ok" };
	emit(sink, &s);
	return 0;
}

static const char *const labels[] = { "first", NULL };

static const gloss_plugin plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "failing_analyze",
	.version = "0.0.1",
	.layer = "test",
	.labels = labels,
	.description = "fails on documents that contain FAIL",
	.open = fa_open,
	.analyze = fa_analyze,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &plugin;
}
