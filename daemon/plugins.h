/*
 * plugins.h - the host side of include/gloss/plugin.h: finds, dlopens and
 * checks analyzer plugins, and runs one plugin over one document, turning
 * its byte-offset spans into checked code-point spans.
 *
 * Shared by glossd (analysis jobs) and `gloss analyze --local`, so nothing
 * here touches the store, the loop or the network.  gl_plugin_run() is safe
 * to call from several threads at once (the plugin ABI requires analyze()
 * to be re-entrant).
 */
#ifndef GL_PLUGINS_H
#define GL_PLUGINS_H

#include <stddef.h>
#include <stdint.h>

#include "gloss/plugin.h"

typedef struct gl_plugin gl_plugin;
typedef struct gl_plugins gl_plugins;

/* Returns the JSON config text for a plugin name, or NULL for "{}". */
typedef const char *(*gl_plugins_config_fn)(const char *name, void *arg);

int gl_plugins_new(gl_plugins **out); /* 0 or -ENOMEM */
void gl_plugins_free(gl_plugins *ps); /* closes and dlcloses every plugin */

/*
 * Loads every NAME.so found in each dir and in its direct subfolders.  The
 * first plugin of a given name wins; later ones are skipped with a log line.
 * A file that fails (dlopen error, missing symbol, other abi_version, name
 * not equal to the file's basename, failed open()) is refused with one WARN
 * log line naming the file and the reason, and the rest still load.
 * Returns the number loaded, or a negative error for a fatal condition.
 */
int gl_plugins_load_dirs(gl_plugins *ps, const char *const *dirs, size_t ndirs,
    gl_plugins_config_fn config, void *arg);

/*
 * Loads one file.  Returns 0, or a negative error with the reason in err
 * (e.g. "tests/plugins/bad_abi.so: abi_version 7, expected 1").
 */
int gl_plugins_load_file(gl_plugins *ps, const char *path,
    const char *config_json, char *err, size_t errlen);

/*
 * The directories to search by default: each GLOSS_PLUGIN_PATH entry
 * (colon-separated), then the install dir.  *out is a NULL-terminated
 * array the caller frees with gl_plugins_free_path().
 */
int gl_plugins_default_path(char ***out, size_t *n);
void gl_plugins_free_path(char **dirs);

size_t gl_plugins_count(const gl_plugins *ps);
gl_plugin *gl_plugins_at(const gl_plugins *ps, size_t i);
gl_plugin *gl_plugins_find(const gl_plugins *ps, const char *name);

const gloss_plugin *gl_plugin_desc(const gl_plugin *p);
const char *gl_plugin_path(const gl_plugin *p);
/* "plugin:<name>@<version>", the author of its suggestions. */
const char *gl_plugin_author(const gl_plugin *p);

/* One checked span, offsets in code points. */
typedef struct gl_plugin_span {
	int64_t start, end;
	char *layer;      /* the plugin's layer unless the span named another */
	char *label;
	char *value;      /* "" when the plugin gave none */
	char *attrs_json; /* "{}" when none; always a valid JSON object */
	int has_score;
	double score;
} gl_plugin_span;

typedef struct gl_plugin_result {
	gl_plugin_span *spans;
	size_t nspans;
	size_t dropped;       /* spans refused: bad offsets, mid-character, no label, bad attrs */
	int failed;           /* analyze() returned an error */
	char error[256];      /* analyze()'s reason when failed; the first drop reason otherwise */
} gl_plugin_result;

/*
 * Runs p on doc (doc->text must be valid UTF-8).  Fills res (which the
 * caller frees with gl_plugin_result_free) and returns 0; spans the plugin
 * got wrong are dropped and counted, each with a WARN log line naming the
 * plugin, the document and the offsets.  Returns a negative error only for
 * ENOMEM.  A plugin failure is reported in res->failed, not as an error.
 */
int gl_plugin_run(const gl_plugin *p, const gloss_doc *doc,
    gl_plugin_result *res);
void gl_plugin_result_free(gl_plugin_result *res);

#endif /* GL_PLUGINS_H */
