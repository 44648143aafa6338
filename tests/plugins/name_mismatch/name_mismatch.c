/* name_mismatch.c - a plugin whose name is not its file name. */
#include "gloss/plugin.h"

static int
nm_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	(void)config_json, (void)data_dir, (void)errbuf, (void)errlen;
	*state = 0;
	return 0;
}

static int
nm_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	(void)state, (void)doc, (void)emit, (void)sink, (void)errbuf, (void)errlen;
	return 0;
}

static const gloss_plugin plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "somebody_else",
	.version = "0.0.1",
	.layer = "test",
	.open = nm_open,
	.analyze = nm_analyze,
};

__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v1(void)
{
	return &plugin;
}
