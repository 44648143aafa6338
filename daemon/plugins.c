/*
 * plugins.c - the host side of the plugin ABI: finds NAME.so files, dlopens
 * and checks them, and runs one plugin over one document.  Every span a
 * plugin emits is checked here, before anything else in gloss sees it, so
 * that the store and the wire only ever get code-point spans that fit their
 * document.
 */
#include "daemon/plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/log.h"
#include "common/utf8.h"

#ifndef GLOSS_PLUGIN_INSTALL_DIR
#define GLOSS_PLUGIN_INSTALL_DIR "/usr/local/lib/gloss/plugins"
#endif

/* Dropped spans logged per document; the rest are summed in one line so a
 * plugin that gets every span wrong cannot flood the log. */
#define GL_PLUGIN_MAX_DROP_LOGS 50

struct gl_plugin {
	void *handle;              /* dlopen handle */
	const gloss_plugin *desc;  /* owned by the plugin */
	void *state;               /* from desc->open() */
	char *path;
	char *author;              /* "plugin:<name>@<version>" */
};

struct gl_plugins {
	gl_plugin **items;
	size_t n, cap;
};

int
gl_plugins_new(gl_plugins **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : -ENOMEM;
}

static void
gl_plugin_unload(gl_plugin *p)
{
	if (p == NULL)
		return;
	if (p->desc != NULL && p->desc->close != NULL && p->state != NULL)
		p->desc->close(p->state);
	if (p->handle != NULL)
		dlclose(p->handle);
	free(p->path);
	free(p->author);
	free(p);
}

void
gl_plugins_free(gl_plugins *ps)
{
	if (ps == NULL)
		return;
	/* Reverse order: the last loaded is the first closed. */
	for (size_t i = ps->n; i-- > 0;)
		gl_plugin_unload(ps->items[i]);
	free(ps->items);
	free(ps);
}

/* "dir/sub/actors.so" -> "actors" in name (size namelen); -1 if not *.so. */
static int
gl_plugin_name_of(const char *path, char *name, size_t namelen)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n <= 3 || strcmp(base + n - 3, ".so") != 0 || n - 3 >= namelen)
		return -1;
	memcpy(name, base, n - 3);
	name[n - 3] = '\0';
	return 0;
}

/* Directory of path + "/data", absolute when the path can be resolved. */
static char *
gl_plugin_data_dir(const char *path)
{
	char *real = realpath(path, NULL);
	const char *p = real ? real : path;
	const char *slash = strrchr(p, '/');
	gl_buf b = GL_BUF_INIT;
	int rc;
	if (slash == NULL)
		rc = gl_buf_puts(&b, "./data");
	else if (slash == p)
		rc = gl_buf_puts(&b, "/data");
	else
		rc = gl_buf_printf(&b, "%.*s/data", (int)(slash - p), p);
	free(real);
	if (rc != 0) {
		gl_buf_free(&b);
		return NULL;
	}
	return gl_buf_steal(&b);
}

static int
gl_plugins_push(gl_plugins *ps, gl_plugin *p)
{
	if (ps->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 8;
		gl_plugin **items = realloc(ps->items, nc * sizeof *items);
		if (items == NULL)
			return -ENOMEM;
		ps->items = items;
		ps->cap = nc;
	}
	ps->items[ps->n++] = p;
	return 0;
}

/* True when s is NULL/empty or not valid UTF-8: unusable as a name. */
static int
gl_plugin_bad_str(const char *s)
{
	return s == NULL || s[0] == '\0' ||
	    gl_utf8_validate(s, strlen(s), NULL) != 0;
}

int
gl_plugins_load_file(gl_plugins *ps, const char *path,
    const char *config_json, char *err, size_t errlen)
{
	char name[256];
	char dummy[1];
	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	if (gl_plugin_name_of(path, name, sizeof name) != 0) {
		snprintf(err, errlen, "%s: not a plugin file (NAME.so)", path);
		return -EINVAL;
	}
	if (gl_plugins_find(ps, name) != NULL) {
		snprintf(err, errlen, "%s: a plugin named \"%s\" is already loaded",
		    path, name);
		return -EEXIST;
	}
	if (config_json == NULL || config_json[0] == '\0')
		config_json = "{}";
	char jerr[128];
	if (gl_json_is_object(config_json, strlen(config_json), jerr,
	    sizeof jerr) != 0) {
		snprintf(err, errlen, "%s: configuration is not a JSON object: %s",
		    path, jerr);
		return -EINVAL;
	}

	/* Without a slash dlopen() would search the library path instead of
	 * the file the operator named. */
	gl_buf b = GL_BUF_INIT;
	if ((strchr(path, '/') ? gl_buf_puts(&b, path) :
	    gl_buf_printf(&b, "./%s", path)) != 0)
		return -ENOMEM;
	dlerror();
	void *h = dlopen(b.data, RTLD_NOW | RTLD_LOCAL);
	gl_buf_free(&b);
	if (h == NULL) {
		const char *e = dlerror();
		snprintf(err, errlen, "%s: dlopen failed: %s", path,
		    e ? e : "unknown error");
		return -ENOENT;
	}

	int rc = -EINVAL;
	gl_plugin *p = calloc(1, sizeof *p);
	if (p == NULL) {
		dlclose(h);
		return -ENOMEM;
	}
	p->handle = h;

	/* POSIX lets a data pointer hold a function address from dlsym(). */
	void *sym = dlsym(h, GLOSS_PLUGIN_SYMBOL);
	if (sym == NULL) {
		snprintf(err, errlen, "%s: no symbol %s (not a gloss plugin?)",
		    path, GLOSS_PLUGIN_SYMBOL);
		goto fail;
	}
	const gloss_plugin *(*entry)(void);
	memcpy(&entry, &sym, sizeof entry);
	const gloss_plugin *d = entry();
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s() returned NULL", path,
		    GLOSS_PLUGIN_SYMBOL);
		goto fail;
	}
	if (d->abi_version != GLOSS_PLUGIN_ABI_VERSION) {
		snprintf(err, errlen, "%s: abi_version %u, expected %u", path,
		    (unsigned)d->abi_version, (unsigned)GLOSS_PLUGIN_ABI_VERSION);
		goto fail;
	}
	if (d->name == NULL || strcmp(d->name, name) != 0) {
		snprintf(err, errlen,
		    "%s: plugin calls itself \"%s\" but the file is %s.so", path,
		    d->name ? d->name : "(null)", name);
		goto fail;
	}
	if (gl_plugin_bad_str(d->version) || gl_plugin_bad_str(d->layer)) {
		snprintf(err, errlen, "%s: missing or invalid %s", path,
		    gl_plugin_bad_str(d->version) ? "version" : "layer");
		goto fail;
	}
	if (d->open == NULL || d->analyze == NULL) {
		snprintf(err, errlen, "%s: missing %s() callback", path,
		    d->open == NULL ? "open" : "analyze");
		goto fail;
	}
	p->desc = d;

	rc = -ENOMEM;
	p->path = strdup(path);
	gl_buf ab = GL_BUF_INIT;
	if (p->path == NULL ||
	    gl_buf_printf(&ab, "plugin:%s@%s", d->name, d->version) != 0) {
		gl_buf_free(&ab);
		goto fail;
	}
	p->author = gl_buf_steal(&ab);
	char *data_dir = gl_plugin_data_dir(path);
	if (data_dir == NULL || p->author == NULL) {
		free(data_dir);
		goto fail;
	}

	char perr[256] = "";
	void *state = NULL;
	int orc = d->open(config_json, data_dir, &state, perr, sizeof perr);
	perr[sizeof perr - 1] = '\0';
	free(data_dir);
	if (orc != 0) {
		snprintf(err, errlen, "%s: open() failed (%d): %s", path, orc,
		    perr[0] ? perr : "no reason given");
		rc = orc < 0 ? orc : -EINVAL;
		/* open() failed, so there is no state for close(). */
		p->desc = NULL;
		goto fail;
	}
	p->state = state;
	if (gl_plugins_push(ps, p) != 0) {
		rc = -ENOMEM;
		goto fail;
	}
	return 0;

fail:
	if (rc == -ENOMEM && err[0] == '\0')
		snprintf(err, errlen, "%s: out of memory", path);
	gl_plugin_unload(p);
	return rc;
}

static int
gl_plugins_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Appends "dir/entry" to *list for each *.so file in dir and then, when
 * descend, runs itself on each subfolder.  Sorted, so the order in which
 * same-named plugins shadow each other does not depend on readdir().
 */
static int
gl_plugins_scan(const char *dir, int descend, char ***list, size_t *n,
    size_t *cap)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return -errno;
	char **names = NULL;
	size_t nn = 0, nc = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (nn == nc) {
			nc = nc ? nc * 2 : 16;
			char **t = realloc(names, nc * sizeof *t);
			if (t == NULL) {
				rc = -ENOMEM;
				break;
			}
			names = t;
		}
		if ((names[nn] = strdup(e->d_name)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		nn++;
	}
	closedir(d);
	if (nn > 1)
		qsort(names, nn, sizeof *names, gl_plugins_cmp);
	/* Two passes, files first: DIR/NAME.so shadows DIR/SUB/NAME.so. */
	for (size_t k = 0; k < 2 * nn && rc == 0; k++) {
		size_t i = k % nn;
		int files_pass = k < nn;
		gl_buf b = GL_BUF_INIT;
		if (gl_buf_printf(&b, "%s/%s", dir, names[i]) != 0) {
			rc = -ENOMEM;
			break;
		}
		struct stat st;
		size_t len = strlen(names[i]);
		if (stat(b.data, &st) != 0) {
			gl_buf_free(&b);
			continue;
		}
		if (files_pass && S_ISREG(st.st_mode) && len > 3 &&
		    strcmp(names[i] + len - 3, ".so") == 0) {
			if (*n == *cap) {
				size_t c2 = *cap ? *cap * 2 : 16;
				char **t = realloc(*list, c2 * sizeof *t);
				if (t == NULL) {
					gl_buf_free(&b);
					rc = -ENOMEM;
					break;
				}
				*list = t;
				*cap = c2;
			}
			(*list)[(*n)++] = gl_buf_steal(&b);
			continue;
		}
		if (!files_pass && descend && S_ISDIR(st.st_mode)) {
			int r = gl_plugins_scan(b.data, 0, list, n, cap);
			if (r == -ENOMEM)
				rc = r;
		}
		gl_buf_free(&b);
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
gl_plugins_load_dirs(gl_plugins *ps, const char *const *dirs, size_t ndirs,
    gl_plugins_config_fn config, void *arg)
{
	int loaded = 0;
	for (size_t i = 0; i < ndirs; i++) {
		char **files = NULL;
		size_t n = 0, cap = 0;
		int rc = gl_plugins_scan(dirs[i], 1, &files, &n, &cap);
		if (rc == -ENOMEM) {
			for (size_t k = 0; k < n; k++)
				free(files[k]);
			free(files);
			return -ENOMEM;
		}
		/* A missing install dir is normal before `meson install`. */
		if (rc != 0)
			gl_log(rc == -ENOENT &&
			    strcmp(dirs[i], GLOSS_PLUGIN_INSTALL_DIR) == 0 ?
			    GL_LOG_INFO : GL_LOG_WARN, "plugins",
			    "cannot read plugin dir %s: %s", dirs[i], strerror(-rc));
		for (size_t k = 0; k < n; k++) {
			char name[256];
			if (gl_plugin_name_of(files[k], name, sizeof name) != 0)
				continue;
			const gl_plugin *have = gl_plugins_find(ps, name);
			if (have != NULL) {
				gl_log(GL_LOG_INFO, "plugins",
				    "%s: skipped, plugin \"%s\" already loaded from %s",
				    files[k], name, have->path);
				continue;
			}
			const char *cfg = config ? config(name, arg) : NULL;
			char err[512];
			rc = gl_plugins_load_file(ps, files[k], cfg, err, sizeof err);
			if (rc == 0) {
				const gl_plugin *p = ps->items[ps->n - 1];
				gl_log(GL_LOG_INFO, "plugins", "loaded %s from %s",
				    p->author, p->path);
				loaded++;
			} else if (rc == -ENOMEM) {
				for (size_t j = 0; j < n; j++)
					free(files[j]);
				free(files);
				return -ENOMEM;
			} else {
				gl_log(GL_LOG_WARN, "plugins", "refused %s", err);
			}
		}
		for (size_t k = 0; k < n; k++)
			free(files[k]);
		free(files);
	}
	return loaded;
}

int
gl_plugins_default_path(char ***out, size_t *nout)
{
	*out = NULL;
	if (nout != NULL)
		*nout = 0;
	const char *env = getenv("GLOSS_PLUGIN_PATH");
	size_t max = 2;
	for (const char *c = env; c && *c; c++)
		if (*c == ':')
			max++;
	char **dirs = calloc(max + 1, sizeof *dirs);
	if (dirs == NULL)
		return -ENOMEM;
	size_t n = 0;
	for (const char *c = env; c && *c;) {
		const char *colon = strchr(c, ':');
		size_t len = colon ? (size_t)(colon - c) : strlen(c);
		if (len > 0 && (dirs[n++] = strndup(c, len)) == NULL)
			goto oom;
		c += len;
		if (*c == ':')
			c++;
	}
	if ((dirs[n++] = strdup(GLOSS_PLUGIN_INSTALL_DIR)) == NULL)
		goto oom;
	*out = dirs;
	if (nout != NULL)
		*nout = n;
	return 0;
oom:
	gl_plugins_free_path(dirs);
	return -ENOMEM;
}

void
gl_plugins_free_path(char **dirs)
{
	if (dirs == NULL)
		return;
	for (size_t i = 0; dirs[i] != NULL; i++)
		free(dirs[i]);
	free(dirs);
}

size_t
gl_plugins_count(const gl_plugins *ps)
{
	return ps ? ps->n : 0;
}

gl_plugin *
gl_plugins_at(const gl_plugins *ps, size_t i)
{
	return ps && i < ps->n ? ps->items[i] : NULL;
}

gl_plugin *
gl_plugins_find(const gl_plugins *ps, const char *name)
{
	if (ps == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->items[i]->desc->name, name) == 0)
			return ps->items[i];
	return NULL;
}

const gloss_plugin *
gl_plugin_desc(const gl_plugin *p)
{
	return p->desc;
}

const char *
gl_plugin_path(const gl_plugin *p)
{
	return p->path;
}

const char *
gl_plugin_author(const gl_plugin *p)
{
	return p->author;
}

/* ---- running ------------------------------------------------------- */

typedef struct {
	const gl_plugin *p;
	const gloss_doc *doc;
	gl_utf8_map *map;
	gl_plugin_result *res;
	size_t cap;
	int oom;
} gl_plugin_sink;

static void
gl_plugin_drop(gl_plugin_sink *k, const gloss_span *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
gl_plugin_drop(gl_plugin_sink *k, const gloss_span *s, const char *fmt, ...)
{
	char why[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	gl_plugin_result *res = k->res;
	res->dropped++;
	if (res->dropped == 1 && !res->failed)
		snprintf(res->error, sizeof res->error,
		    "span [%zu,%zu) dropped: %s", s ? s->start : 0,
		    s ? s->end : 0, why);
	if (res->dropped <= GL_PLUGIN_MAX_DROP_LOGS)
		gl_log(GL_LOG_WARN, "plugins",
		    "plugin %s: document %s: span [%zu,%zu) (bytes) dropped: %s",
		    k->p->desc->name, k->doc->id ? k->doc->id : "?",
		    s ? s->start : 0, s ? s->end : 0, why);
}

static char *
gl_plugin_strdup_or(const char *s, const char *dflt)
{
	return strdup(s != NULL ? s : dflt);
}

static int
gl_plugin_emit(void *sink, const gloss_span *s)
{
	gl_plugin_sink *k = sink;
	const gloss_doc *doc = k->doc;
	if (k->oom)
		return 1;
	if (s == NULL) {
		gl_plugin_drop(k, s, "NULL span");
		return 0;
	}
	if (s->start > doc->len || s->end > doc->len) {
		gl_plugin_drop(k, s, "outside the text (%zu bytes)", doc->len);
		return 0;
	}
	if (s->start >= s->end) {
		gl_plugin_drop(k, s, "start >= end");
		return 0;
	}
	int64_t cs = gl_utf8_map_to_cp(k->map, s->start);
	int64_t ce = gl_utf8_map_to_cp(k->map, s->end);
	if (cs < 0 || ce < 0) {
		gl_plugin_drop(k, s, "%s is not on a UTF-8 character boundary",
		    cs < 0 ? "start" : "end");
		return 0;
	}
	if (s->label == NULL || s->label[0] == '\0') {
		gl_plugin_drop(k, s, "missing label");
		return 0;
	}
	const char *which = NULL;
	if (gl_utf8_validate(s->label, strlen(s->label), NULL) != 0)
		which = "label";
	else if (s->value && gl_utf8_validate(s->value, strlen(s->value), NULL) != 0)
		which = "value";
	else if (s->layer && gl_utf8_validate(s->layer, strlen(s->layer), NULL) != 0)
		which = "layer";
	if (which != NULL) {
		gl_plugin_drop(k, s, "%s is not valid UTF-8", which);
		return 0;
	}
	if (s->has_score && !isfinite(s->score)) {
		gl_plugin_drop(k, s, "score is not a finite number");
		return 0;
	}
	char *attrs = NULL;
	if (s->attrs_json != NULL) {
		gl_json *j;
		char jerr[128];
		if (gl_json_parse(s->attrs_json, strlen(s->attrs_json), &j, jerr,
		    sizeof jerr) != 0) {
			gl_plugin_drop(k, s, "attrs_json is not valid JSON: %s", jerr);
			return 0;
		}
		if (j->type != GL_JSON_OBJECT) {
			gl_json_free(j);
			gl_plugin_drop(k, s, "attrs_json is not a JSON object");
			return 0;
		}
		/* Stored compact, whatever spacing the plugin used. */
		gl_buf b = GL_BUF_INIT;
		int rc = gl_json_write(&b, j);
		gl_json_free(j);
		if (rc != 0) {
			gl_buf_free(&b);
			k->oom = 1;
			return 1;
		}
		attrs = gl_buf_steal(&b);
	} else {
		attrs = strdup("{}");
	}

	gl_plugin_result *res = k->res;
	if (res->nspans == k->cap) {
		size_t nc = k->cap ? k->cap * 2 : 16;
		gl_plugin_span *t = realloc(res->spans, nc * sizeof *t);
		if (t == NULL) {
			free(attrs);
			k->oom = 1;
			return 1;
		}
		res->spans = t;
		k->cap = nc;
	}
	gl_plugin_span *o = &res->spans[res->nspans];
	o->start = cs;
	o->end = ce;
	o->layer = gl_plugin_strdup_or(s->layer && s->layer[0] ? s->layer : NULL,
	    k->p->desc->layer);
	o->label = strdup(s->label);
	o->value = gl_plugin_strdup_or(s->value, "");
	o->attrs_json = attrs;
	o->has_score = s->has_score != 0;
	o->score = s->has_score ? s->score : 0;
	if (o->layer == NULL || o->label == NULL || o->value == NULL ||
	    attrs == NULL) {
		free(o->layer);
		free(o->label);
		free(o->value);
		free(attrs);
		k->oom = 1;
		return 1;
	}
	res->nspans++;
	return 0;
}

int
gl_plugin_run(const gl_plugin *p, const gloss_doc *doc, gl_plugin_result *res)
{
	memset(res, 0, sizeof *res);
	gl_plugin_sink k = { p, doc, NULL, res, 0, 0 };
	if (gl_utf8_map_new(doc->text, doc->len, &k.map) != 0)
		return -ENOMEM;
	char errbuf[256] = "";
	int rc = p->desc->analyze(p->state, doc, gl_plugin_emit, &k, errbuf,
	    sizeof errbuf);
	errbuf[sizeof errbuf - 1] = '\0';
	gl_utf8_map_free(k.map);
	if (k.oom) {
		gl_plugin_result_free(res);
		return -ENOMEM;
	}
	if (res->dropped > GL_PLUGIN_MAX_DROP_LOGS)
		gl_log(GL_LOG_WARN, "plugins",
		    "plugin %s: document %s: %zu spans dropped in all",
		    p->desc->name, doc->id ? doc->id : "?", res->dropped);
	if (rc != 0) {
		res->failed = 1;
		if (errbuf[0] != '\0')
			snprintf(res->error, sizeof res->error, "%s", errbuf);
		else
			snprintf(res->error, sizeof res->error,
			    "analyze() returned %d", rc);
		gl_log(GL_LOG_WARN, "plugins", "plugin %s: document %s failed: %s",
		    p->desc->name, doc->id ? doc->id : "?", res->error);
	}
	return 0;
}

void
gl_plugin_result_free(gl_plugin_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->nspans; i++) {
		free(res->spans[i].layer);
		free(res->spans[i].label);
		free(res->spans[i].value);
		free(res->spans[i].attrs_json);
	}
	free(res->spans);
	res->spans = NULL;
	res->nspans = 0;
}
