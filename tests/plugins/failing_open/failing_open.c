/* failing_open.c - a test plugin whose open() always fails. */
#include <errno.h>
#include <stdio.h>

#include "gloss/plugin.h"

static int
fo_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	(void)config_json;
	*state = 0;
	snprintf(errbuf, errlen, "cannot find %s/model.bin", data_dir);
	return -ENOENT;
}

static int
fo_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	(void)state, (void)doc, (void)emit, (void)sink, (void)errbuf, (void)errlen;
	return 0;
}

static const gloss_plugin plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "failing_open",
	.version = "0.0.1",
	.layer = "test",
	.open = fo_open,
	.analyze = fo_analyze,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &plugin;
}
