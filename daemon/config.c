/* config.c - command line and INI file (see config.h). */
#include "daemon/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/log.h"

void
gl_config_usage(const char *argv0)
{
	printf(
	    "usage: %s [options]\n"
	    "\n"
	    "The gloss annotation server.\n"
	    "\n"
	    "  --data DIR             data folder (default ./gloss-data); the database is DIR/gloss.db\n"
	    "  --db PATH              database file (overrides --data's)\n"
	    "  --listen URL           listen on URL; repeatable (default tcp://127.0.0.1:7411)\n"
	    "                         tcp://H:P  ipc:///path  ws://H:P/rpc  tls+tcp://H:P  wss://H:P/rpc\n"
	    "  --tls-cert FILE        PEM certificate for tls+tcp:// and wss://\n"
	    "  --tls-key FILE         PEM private key for tls+tcp:// and wss://\n"
	    "  --plugins DIR          load NAME.so analyzer plugins from DIR and its subfolders;\n"
	    "                         repeatable; GLOSS_PLUGIN_PATH and the install dir follow\n"
	    "  --plugin-config N=JSON configuration object for plugin N; repeatable\n"
	    "  --max-message BYTES    largest request accepted (default 16777216)\n"
	    "  --workers N            analysis threads (default 2)\n"
	    "  --contexts N           nng contexts opened at start (default 16; more open on demand)\n"
	    "  --log-level LEVEL      debug, info, warn or error (default info)\n"
	    "  --config FILE          INI file: [glossd] with the keys above, [plugin.NAME] sections\n"
	    "  --help, --version\n"
	    "\n"
	    "Environment: GLOSS_ADMIN_TOKEN sets the admin token on first start;\n"
	    "GLOSS_PLUGIN_PATH adds plugin folders (colon-separated).\n",
	    argv0);
}

static int
gl_config_push(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	*v = nv;
	nv[*n] = strdup(s);
	if (nv[*n] == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
gl_config_set_plugin(gl_config *cfg, const char *name, const char *json,
    gl_err *err)
{
	char msg[200];
	if (gl_json_is_object(json, strlen(json), msg, sizeof(msg)) != 0)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "config of plugin %s is not a JSON object: %s", name, msg);
	for (size_t i = 0; i < cfg->nplugin_cfg; i++) {
		if (strcmp(cfg->plugin_cfg[i].name, name) == 0) {
			char *j = strdup(json);
			if (j == NULL)
				return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
			free(cfg->plugin_cfg[i].json);
			cfg->plugin_cfg[i].json = j;
			return 0;
		}
	}
	gl_config_kv *nv = realloc(cfg->plugin_cfg,
	    (cfg->nplugin_cfg + 1) * sizeof(*nv));
	if (nv == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	cfg->plugin_cfg = nv;
	nv[cfg->nplugin_cfg].name = strdup(name);
	nv[cfg->nplugin_cfg].json = strdup(json);
	cfg->nplugin_cfg++;
	return 0;
}

static int
gl_config_uint(const char *opt, const char *v, unsigned long long max,
    unsigned long long *out, gl_err *err)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno || end == v || *end != '\0' || x == 0 || x > max || v[0] == '-')
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "%s needs a whole number from 1 to %llu, not \"%s\"", opt, max, v);
	*out = x;
	return 0;
}

/* Applies one setting; from_file lists are appended to, not replaced. */
static int
gl_config_apply(gl_config *cfg, const char *key, const char *v, gl_err *err)
{
	unsigned long long x;
	int rc;
	char **dst = NULL;
	if (strcmp(key, "data") == 0)
		dst = &cfg->data_dir;
	else if (strcmp(key, "db") == 0)
		dst = &cfg->db_path;
	else if (strcmp(key, "tls-cert") == 0)
		dst = &cfg->tls_cert;
	else if (strcmp(key, "tls-key") == 0)
		dst = &cfg->tls_key;
	if (dst != NULL) {
		free(*dst);
		*dst = strdup(v);
		return *dst ? 0 : gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (strcmp(key, "listen") == 0)
		return gl_config_push(&cfg->listen, &cfg->nlisten, v) ? -GL_RESOURCE_EXHAUSTED : 0;
	if (strcmp(key, "plugins") == 0)
		return gl_config_push(&cfg->plugin_dirs, &cfg->nplugin_dirs, v) ? -GL_RESOURCE_EXHAUSTED : 0;
	if (strcmp(key, "plugin-config") == 0) {
		const char *eq = strchr(v, '=');
		if (eq == NULL || eq == v)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "--plugin-config needs NAME=JSON, not \"%s\"", v);
		char name[128];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - v), v);
		return gl_config_set_plugin(cfg, name, eq + 1, err);
	}
	if (strcmp(key, "max-message") == 0) {
		if ((rc = gl_config_uint("--max-message", v, 1ull << 30, &x, err)) != 0)
			return rc;
		cfg->max_message = (size_t)x;
		return 0;
	}
	if (strcmp(key, "workers") == 0) {
		if ((rc = gl_config_uint("--workers", v, 64, &x, err)) != 0)
			return rc;
		cfg->workers = (unsigned)x;
		return 0;
	}
	if (strcmp(key, "contexts") == 0) {
		if ((rc = gl_config_uint("--contexts", v, 4096, &x, err)) != 0)
			return rc;
		cfg->contexts = (unsigned)x;
		return 0;
	}
	if (strcmp(key, "log-level") == 0) {
		int l = gl_log_level_from_name(v);
		if (l < 0)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "--log-level is debug, info, warn or error, not \"%s\"", v);
		cfg->log_level = l;
		return 0;
	}
	return gl_err_set(err, GL_INVALID_ARGUMENT, "unknown option \"%s\"", key);
}

static char *
gl_config_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* An INI value: JSON if it parses as JSON, else a string. */
static int
gl_config_json_value(gl_buf *b, const char *v)
{
	gl_json *j = NULL;
	char e[8];
	if (gl_json_parse(v, strlen(v), &j, e, sizeof(e)) == 0) {
		gl_json_free(j);
		return gl_buf_puts(b, v);
	}
	return gl_json_write_cstr(b, v);
}

static int
gl_config_file(gl_config *cfg, const char *path, gl_err *err)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return gl_err_set(err, GL_INVALID_ARGUMENT, "cannot read config %s: %s",
		    path, strerror(errno));
	char line[4096], section[128] = "glossd";
	gl_buf pj = GL_BUF_INIT; /* JSON of the current [plugin.X] section */
	int lineno = 0, rc = 0;
	char plugin[128] = "";
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		char *s = gl_config_trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (plugin[0]) {
				gl_buf_putc(&pj, '}');
				rc = gl_config_set_plugin(cfg, plugin, pj.data, err);
				plugin[0] = '\0';
			}
			char *e = strchr(s, ']');
			if (e == NULL) {
				rc = gl_err_set(err, GL_INVALID_ARGUMENT,
				    "%s:%d: section header without ']'", path, lineno);
				break;
			}
			*e = '\0';
			snprintf(section, sizeof(section), "%s", gl_config_trim(s + 1));
			if (strncmp(section, "plugin.", 7) == 0) {
				snprintf(plugin, sizeof(plugin), "%s", section + 7);
				gl_buf_reset(&pj);
				gl_buf_putc(&pj, '{');
			} else if (strcmp(section, "glossd") != 0) {
				rc = gl_err_set(err, GL_INVALID_ARGUMENT,
				    "%s:%d: unknown section [%s]", path, lineno, section);
			}
			continue;
		}
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			rc = gl_err_set(err, GL_INVALID_ARGUMENT,
			    "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		char *k = gl_config_trim(s), *v = gl_config_trim(eq + 1);
		if (plugin[0]) {
			if (pj.len > 1)
				gl_buf_putc(&pj, ',');
			gl_json_write_cstr(&pj, k);
			gl_buf_putc(&pj, ':');
			gl_config_json_value(&pj, v);
		} else if ((rc = gl_config_apply(cfg, k, v, err)) != 0) {
			char m[sizeof(err->msg)];
			snprintf(m, sizeof(m), "%s", err->msg);
			gl_err_set(err, -rc, "%s:%d: %s", path, lineno, m);
		}
	}
	if (rc == 0 && plugin[0]) {
		gl_buf_putc(&pj, '}');
		rc = gl_config_set_plugin(cfg, plugin, pj.data, err);
	}
	gl_buf_free(&pj);
	fclose(f);
	return rc;
}

int
gl_config_parse(gl_config *cfg, int argc, char **argv, gl_err *err)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_message = 16u << 20;
	cfg->workers = 2;
	cfg->contexts = 16;
	cfg->log_level = GL_LOG_INFO;
	int rc;
	/* The file first, so that the command line can override it. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc)
				return gl_err_set(err, GL_INVALID_ARGUMENT, "--config needs a file");
			if ((rc = gl_config_file(cfg, argv[i + 1], err)) != 0)
				return rc;
		}
	}
	/* Lists given on the command line replace the file's. */
	int cli_listen = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cfg->help = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			cfg->version = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "unexpected argument \"%s\" (see --help)", a);
		const char *key = a + 2, *val;
		char kbuf[64];
		const char *eq = strchr(key, '=');
		if (eq != NULL) {
			snprintf(kbuf, sizeof(kbuf), "%.*s", (int)(eq - key), key);
			key = kbuf;
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "%s needs a value (see --help)", a);
			val = argv[++i];
		}
		if (strcmp(key, "config") == 0)
			continue;
		if (strcmp(key, "listen") == 0 && !cli_listen) {
			for (size_t k = 0; k < cfg->nlisten; k++)
				free(cfg->listen[k]);
			cfg->nlisten = 0;
			cli_listen = 1;
		}
		if ((rc = gl_config_apply(cfg, key, val, err)) != 0)
			return rc;
	}
	if (cfg->nlisten == 0 &&
	    gl_config_push(&cfg->listen, &cfg->nlisten, "tcp://127.0.0.1:7411") != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (cfg->data_dir == NULL && (cfg->data_dir = strdup("gloss-data")) == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (cfg->db_path == NULL) {
		size_t n = strlen(cfg->data_dir) + 16;
		if ((cfg->db_path = malloc(n)) == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		snprintf(cfg->db_path, n, "%s/gloss.db", cfg->data_dir);
	}
	return 0;
}

const char *
gl_config_plugin(const gl_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->nplugin_cfg; i++)
		if (strcmp(cfg->plugin_cfg[i].name, name) == 0)
			return cfg->plugin_cfg[i].json;
	return NULL;
}

void
gl_config_free(gl_config *cfg)
{
	free(cfg->data_dir);
	free(cfg->db_path);
	free(cfg->tls_cert);
	free(cfg->tls_key);
	for (size_t i = 0; i < cfg->nlisten; i++)
		free(cfg->listen[i]);
	free(cfg->listen);
	for (size_t i = 0; i < cfg->nplugin_dirs; i++)
		free(cfg->plugin_dirs[i]);
	free(cfg->plugin_dirs);
	for (size_t i = 0; i < cfg->nplugin_cfg; i++) {
		free(cfg->plugin_cfg[i].name);
		free(cfg->plugin_cfg[i].json);
	}
	free(cfg->plugin_cfg);
	memset(cfg, 0, sizeof(*cfg));
}
