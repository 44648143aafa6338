/* bad_abi.c - a test plugin built for an ABI the host does not speak. */
#include "gloss/plugin.h"

static int
bad_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	(void)config_json, (void)data_dir, (void)errbuf, (void)errlen;
	*state = 0;
	return 0;
}

static int
bad_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	(void)state, (void)doc, (void)emit, (void)sink, (void)errbuf, (void)errlen;
	return 0;
}

static const gloss_plugin plugin = {
	.abi_version = 7,
	.name = "bad_abi",
	.version = "0.0.1",
	.layer = "test",
	.open = bad_open,
	.analyze = bad_analyze,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &plugin;
}
