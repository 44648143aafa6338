/*
 * config.h - glossd's settings from the command line and an optional INI
 * file (--config FILE).  The file takes the long option names as keys in a
 * [glossd] section; [plugin.NAME] sections become that plugin's JSON
 * config.  The command line wins over the file.
 */
#ifndef GL_CONFIG_H
#define GL_CONFIG_H

#include <stddef.h>

#include "common/status.h"

typedef struct gl_config_kv {
	char *name; /* plugin name */
	char *json; /* its config as a JSON object text */
} gl_config_kv;

typedef struct gl_config {
	char *data_dir;       /* default "./gloss-data" */
	char *db_path;        /* default data_dir + "/gloss.db" */
	char **listen;        /* default tcp://127.0.0.1:7411 */
	size_t nlisten;
	char **plugin_dirs;
	size_t nplugin_dirs;
	gl_config_kv *plugin_cfg;
	size_t nplugin_cfg;
	size_t max_message;   /* default 16 MiB */
	char *tls_cert, *tls_key;
	unsigned workers;     /* default 2 */
	unsigned contexts;    /* default 16 */
	int log_level;
	int help, version;
} gl_config;

/*
 * Fills cfg from argv (and the --config file it names).  Returns 0, or
 * -GL_INVALID_ARGUMENT with a message for a person in err.
 */
int gl_config_parse(gl_config *cfg, int argc, char **argv, gl_err *err);
void gl_config_free(gl_config *cfg);
/* The JSON config of plugin name, or NULL. */
const char *gl_config_plugin(const gl_config *cfg, const char *name);
void gl_config_usage(const char *argv0);

#endif /* GL_CONFIG_H */
