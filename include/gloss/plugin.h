/*
 * gloss/plugin.h - the one ABI between glossd (or `gloss analyze --local`)
 * and an analyzer plugin.
 *
 * A plugin is a shared object NAME.so that exports one C symbol:
 *
 *     const gloss_plugin *gloss_plugin_v1(void);
 *
 * The host dlopen()s the file, calls gloss_plugin_v1(), checks that
 * abi_version == GLOSS_PLUGIN_ABI_VERSION, then calls open() once, analyze()
 * any number of times (possibly from several threads at once), and close()
 * once.  Plugins run inside the host process: a plugin that crashes takes
 * the host down with it, so plugins must treat every document as untrusted
 * input.
 *
 * Offsets.  Plugins work in UTF-8 byte offsets, end-exclusive, into
 * doc->text.  The host converts them to Unicode code points for the wire and
 * for every export.  A span whose offsets fall outside the text, are not on a
 * UTF-8 character boundary, or have start >= end is dropped by the host and
 * counted as an error of the run; it never reaches the store.
 *
 * Data files.  The host passes data_dir = "<directory of NAME.so>/data".  The
 * build copies each plugin's data/ folder next to its .so and `meson install`
 * installs it the same way, so one rule serves the build tree and an
 * installed tree.  A plugin must not look anywhere else for its own data
 * (a user-supplied file named in config_json is of course fine).
 *
 * Strings passed to the plugin are valid, NUL-terminated UTF-8 and live for
 * the duration of the call.  Strings the plugin passes back through a
 * gloss_span need only live until emit() returns: the host copies them.
 */
#ifndef GLOSS_PLUGIN_H
#define GLOSS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GLOSS_PLUGIN_ABI_VERSION 1u

/* Name of the symbol the host looks up with dlsym(). */
#define GLOSS_PLUGIN_SYMBOL "gloss_plugin_v1"

/* One document handed to analyze().  Read-only for the plugin. */
typedef struct gloss_doc {
	const char *id;    /* host's id for the document, for log lines */
	const char *text;  /* NFC UTF-8, "\n" line ends, NUL-terminated */
	size_t len;        /* byte length of text, without the NUL */
	const char *title; /* "" when unknown */
	const char *lang;  /* BCP 47 tag such as "en"; "" when unknown */
	const char *dct;   /* publication date "YYYY-MM-DD"; "" when unknown */
} gloss_doc;

/* One suggestion.  label is required; everything else is optional. */
typedef struct gloss_span {
	size_t start;           /* byte offset into doc->text, inclusive */
	size_t end;             /* byte offset, exclusive; end > start */
	const char *label;      /* e.g. "state", "DATE", "sentence" */
	const char *value;      /* e.g. "USA", "2021-03-10", "positive"; may be NULL */
	int has_score;          /* non-zero when score is meaningful */
	double score;           /* e.g. tone in [-1, 1], or a confidence */
	const char *attrs_json; /* a JSON object as text, e.g. {"mod":"APPROX"}; may be NULL */
	const char *layer;      /* NULL: the plugin's layer.  A plugin that also writes a
	                           second layer (sentiment's "actor-tone") names it here. */
} gloss_span;

/*
 * The host's callback for one span.  Returns 0 to go on; a non-zero return
 * asks the plugin to stop early (for instance the run was cancelled) and
 * analyze() should then return promptly, with 0.
 */
typedef int (*gloss_emit_fn)(void *sink, const gloss_span *span);

typedef struct gloss_plugin {
	uint32_t abi_version;       /* GLOSS_PLUGIN_ABI_VERSION */
	const char *name;           /* "actors"; must equal the file's basename */
	const char *version;        /* "1.0.0"; becomes part of the author "plugin:actors@1.0.0" */
	const char *layer;          /* the annotation layer every span goes to: "actor" */
	const char *const *labels;  /* NULL-terminated list of the labels it emits */
	const char *description;    /* one line for `gloss analyzers` */

	/*
	 * Prepare a state.  config_json is a JSON object as text ("{}" when the
	 * operator gave none).  On success store the state in *state and return
	 * 0.  On failure return a negative number and write a one-line reason
	 * into errbuf (errlen bytes, always NUL-terminate).
	 */
	int (*open)(const char *config_json, const char *data_dir, void **state,
	    char *errbuf, size_t errlen);

	/*
	 * Analyze one document and call emit() for each span, in any order.
	 * Must be re-entrant: the state is read-only after open(), and the host
	 * may call analyze() on several threads at once with the same state.
	 * Returns 0 on success; on failure a negative number and a one-line
	 * reason in errbuf.  Spans already emitted before a failure are kept.
	 */
	int (*analyze)(void *state, const gloss_doc *doc, gloss_emit_fn emit,
	    void *sink, char *errbuf, size_t errlen);

	/* Release the state.  Called once, after every analyze() returned. */
	void (*close)(void *state);
} gloss_plugin;

/* The one exported entry point. */
const gloss_plugin *gloss_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* GLOSS_PLUGIN_H */
