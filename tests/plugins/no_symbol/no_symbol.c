/* no_symbol.c - a shared object without gloss_plugin_v1: not a plugin. */
#include "gloss/plugin.h"

static const gloss_plugin plugin = { .abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "no_symbol" };

/* Exported under another name, as an older or foreign .so might be. */
__attribute__((visibility("default"))) const gloss_plugin *
gloss_plugin_v0(void)
{
	return &plugin;
}
