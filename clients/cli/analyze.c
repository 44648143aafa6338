/*
 * analyze.c - `gloss analyze --local`: loads one analyzer plugin into the
 * CLI process through the same host code glossd uses (daemon/plugins.c),
 * runs it over .txt and .jsonl inputs and prints one JSON line per document
 * with code-point offsets, ready for `gloss eval` and score.py.
 *
 * Documents are read in batches; a batch is analysed by --jobs threads and
 * printed in input order, so output order never depends on the thread count.
 */
#include "clients/cli/analyze.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/log.h"
#include "common/utf8.h"
#include "daemon/plugins.h"

#define AN_BATCH 256
#define AN_MAX_JOBS 256

typedef struct {
	char *id, *dct, *title, *lang; /* owned */
	char *text;                    /* owned, NFC, NUL-terminated */
	size_t len;
	char *out;                     /* the output line, owned */
	int failed;                    /* the plugin failed or ENOMEM */
	size_t dropped;
	char error[256];
} an_doc;

typedef struct {
	const gl_plugin *plugin;
	an_doc *docs;
	size_t n;
	atomic_size_t next;
} an_batch;

typedef struct {
	const char *dct;   /* --dct, "" when not given */
	gl_plugin *plugin;
	an_doc docs[AN_BATCH];
	size_t n;
	int jobs;
	size_t failed_docs, dropped, done;
} an_run;

static void
an_doc_free(an_doc *d)
{
	free(d->id);
	free(d->dct);
	free(d->title);
	free(d->lang);
	free(d->text);
	free(d->out);
	memset(d, 0, sizeof *d);
}

/* ---- output ------------------------------------------------------------- */

typedef struct {
	int64_t start, end;
	size_t ord;
	const gl_plugin_span *s;
} an_ref;

static int
an_ref_cmp(const void *x, const void *y)
{
	const an_ref *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

/* Keys of an annotation line that an attribute must not overwrite. */
static int
an_reserved(const char *k)
{
	static const char *const r[] = { "layer", "start", "end", "text", "type",
		"value", "score", "attributes", NULL };
	for (size_t i = 0; r[i] != NULL; i++)
		if (strcmp(k, r[i]) == 0)
			return 1;
	return 0;
}

/* Formats doc's output line from res into d->out. 0 or -ENOMEM. */
static int
an_format(an_doc *d, const gl_plugin_result *res)
{
	gl_utf8_map *map = NULL;
	an_ref *refs = calloc(res->nspans + 1, sizeof *refs);
	gl_buf b = GL_BUF_INIT;
	int rc = -ENOMEM;
	if (refs == NULL || gl_utf8_map_new(d->text, d->len, &map) != 0)
		goto out;
	for (size_t i = 0; i < res->nspans; i++)
		refs[i] = (an_ref){ res->spans[i].start, res->spans[i].end, i,
			&res->spans[i] };
	qsort(refs, res->nspans, sizeof *refs, an_ref_cmp);

	int e = gl_buf_puts(&b, "{\"id\":") | gl_json_write_cstr(&b, d->id) |
	    gl_buf_puts(&b, ",\"annotations\":[");
	for (size_t i = 0; i < res->nspans && e == 0; i++) {
		const gl_plugin_span *s = refs[i].s;
		int64_t bs = gl_utf8_map_to_byte(map, s->start);
		int64_t be = gl_utf8_map_to_byte(map, s->end);
		e |= gl_buf_puts(&b, i ? ",{\"layer\":" : "{\"layer\":");
		e |= gl_json_write_cstr(&b, s->layer);
		e |= gl_buf_printf(&b, ",\"start\":%lld,\"end\":%lld,\"text\":",
		    (long long)s->start, (long long)s->end);
		e |= gl_json_write_string(&b, d->text + bs, (size_t)(be - bs));
		e |= gl_buf_puts(&b, ",\"type\":");
		e |= gl_json_write_cstr(&b, s->label);
		e |= gl_buf_puts(&b, ",\"value\":");
		e |= gl_json_write_cstr(&b, s->value);
		if (s->has_score) {
			e |= gl_buf_puts(&b, ",\"score\":");
			e |= gl_json_write_number(&b, s->score);
		}
		/* Attributes twice: flat, as the gold format has "mod", and
		 * whole under "attributes". */
		gl_json *attrs = NULL;
		if (gl_json_parse(s->attrs_json, strlen(s->attrs_json), &attrs,
		    NULL, 0) != 0)
			goto out; /* the host validated it: only ENOMEM */
		for (size_t k = 0; k < attrs->len; k++) {
			const char *key = attrs->keys[k];
			if (an_reserved(key) || gl_json_get(attrs, key) != attrs->items[k])
				continue; /* reserved, or a duplicate key */
			e |= gl_buf_putc(&b, ',') | gl_json_write_cstr(&b, key) |
			    gl_buf_putc(&b, ':') | gl_json_write(&b, attrs->items[k]);
		}
		e |= gl_buf_puts(&b, ",\"attributes\":");
		e |= gl_json_write(&b, attrs);
		e |= gl_buf_putc(&b, '}');
		gl_json_free(attrs);
	}
	e |= gl_buf_putc(&b, ']');
	if (d->failed) {
		e |= gl_buf_puts(&b, ",\"error\":");
		e |= gl_json_write_cstr(&b, d->error);
	}
	e |= gl_buf_puts(&b, "}\n");
	if (e != 0)
		goto out;
	d->out = gl_buf_steal(&b);
	rc = d->out ? 0 : -ENOMEM;
out:
	gl_buf_free(&b);
	gl_utf8_map_free(map);
	free(refs);
	return rc;
}

/* ---- running ------------------------------------------------------------- */

static void
an_one(const gl_plugin *p, an_doc *d)
{
	gloss_doc doc = { .id = d->id, .text = d->text, .len = d->len,
		.title = d->title ? d->title : "", .lang = d->lang ? d->lang : "",
		.dct = d->dct ? d->dct : "" };
	gl_plugin_result res;
	if (gl_plugin_run(p, &doc, &res) != 0) {
		d->failed = 1;
		snprintf(d->error, sizeof d->error, "out of memory");
		return;
	}
	d->dropped = res.dropped;
	if (res.failed) {
		d->failed = 1;
		snprintf(d->error, sizeof d->error, "%s", res.error);
	}
	if (an_format(d, &res) != 0) {
		d->failed = 1;
		snprintf(d->error, sizeof d->error, "out of memory");
	}
	gl_plugin_result_free(&res);
}

static void *
an_worker(void *arg)
{
	an_batch *b = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		an_one(b->plugin, &b->docs[i]);
	}
	return NULL;
}

/* Analyses and prints the pending batch. */
static void
an_flush(an_run *r)
{
	if (r->n == 0)
		return;
	an_batch b = { r->plugin, r->docs, r->n, 0 };
	int threads = r->jobs < (int)r->n ? r->jobs : (int)r->n;
	pthread_t tid[AN_MAX_JOBS];
	int started = 0;
	for (int i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, an_worker, &b) != 0)
			break; /* fewer threads; this one still does the work */
		started++;
	}
	an_worker(&b);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);

	for (size_t i = 0; i < r->n; i++) {
		an_doc *d = &r->docs[i];
		if (d->out != NULL)
			fputs(d->out, stdout);
		if (d->failed) {
			fprintf(stderr, "gloss: analyze: document %s: %s\n", d->id,
			    d->error);
			r->failed_docs++;
		}
		r->dropped += d->dropped;
		r->done++;
		an_doc_free(d);
	}
	fflush(stdout);
	r->n = 0;
}

/* Takes ownership of the strings; text must be valid UTF-8. */
static int
an_add(an_run *r, char *id, char *dct, char *title, char *lang, char *text,
    size_t len)
{
	an_doc *d = &r->docs[r->n++];
	memset(d, 0, sizeof *d);
	d->id = id;
	d->dct = dct;
	d->title = title;
	d->lang = lang;
	d->text = text;
	d->len = len;
	if (r->n == AN_BATCH)
		an_flush(r);
	return 0;
}

/* ---- input ---------------------------------------------------------------- */

static char *
an_read_all(FILE *f, size_t *len)
{
	gl_buf b = GL_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (gl_buf_append(&b, chunk, n) != 0) {
			gl_buf_free(&b);
			errno = ENOMEM;
			return NULL;
		}
	if (ferror(f)) {
		gl_buf_free(&b);
		errno = EIO;
		return NULL;
	}
	*len = b.len;
	return gl_buf_steal(&b);
}

static int
an_read_txt(an_run *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "gloss: analyze: cannot open %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	size_t len;
	char *raw = an_read_all(f, &len);
	int err = errno;
	fclose(f);
	if (raw == NULL) {
		fprintf(stderr, "gloss: analyze: cannot read %s: %s\n", path,
		    strerror(err));
		return -1;
	}
	char *text;
	size_t tlen, bad = 0;
	int rc = gl_utf8_normalize(raw, len, &text, &tlen, &bad);
	free(raw);
	if (rc == -EINVAL) {
		fprintf(stderr, "gloss: analyze: %s: invalid UTF-8 at byte %zu\n",
		    path, bad);
		return -1;
	}
	if (rc != 0) {
		fprintf(stderr, "gloss: analyze: %s: out of memory\n", path);
		return -1;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *id = strdup(base), *dct = strdup(r->dct);
	if (id == NULL || dct == NULL) {
		free(id);
		free(dct);
		free(text);
		fprintf(stderr, "gloss: analyze: out of memory\n");
		return -1;
	}
	return an_add(r, id, dct, NULL, NULL, text, tlen);
}

/* A string member of obj, or NULL (also for null); -1 for another type. */
static int
an_member(const gl_json *obj, const char *key, const char **out)
{
	const gl_json *v = gl_json_get(obj, key);
	*out = NULL;
	if (v == NULL || v->type == GL_JSON_NULL)
		return 0;
	if (v->type != GL_JSON_STRING)
		return -1;
	*out = v->str;
	return 0;
}

static int
an_read_jsonl(an_run *r, const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "(stdin)" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "gloss: analyze: cannot open %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0, warned = 0;
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t s = 0, e = (size_t)n;
		while (s < e && strchr(" \t\r\n", line[s]))
			s++;
		while (e > s && strchr(" \t\r\n", line[e - 1]))
			e--;
		if (s == e)
			continue;
		gl_json *v;
		char err[160];
		if (gl_json_parse(line + s, e - s, &v, err, sizeof err) != 0) {
			fprintf(stderr, "gloss: analyze: %s:%zu: bad JSON: %s\n", name,
			    lineno, err);
			rc = -1;
			break;
		}
		const char *id, *dct, *title, *lang, *what = NULL;
		const gl_json *tv = gl_json_get(v, "text");
		if (v->type != GL_JSON_OBJECT)
			what = "not a JSON object";
		else if (an_member(v, "id", &id) != 0 || id == NULL)
			what = "\"id\" must be a string";
		else if (tv == NULL || tv->type != GL_JSON_STRING)
			what = "\"text\" must be a string";
		else if (an_member(v, "dct", &dct) != 0)
			what = "\"dct\" must be a string or null";
		else if (an_member(v, "title", &title) != 0)
			what = "\"title\" must be a string";
		else if (an_member(v, "lang", &lang) != 0)
			what = "\"lang\" must be a string";
		if (what != NULL) {
			fprintf(stderr, "gloss: analyze: %s:%zu: %s\n", name, lineno,
			    what);
			gl_json_free(v);
			rc = -1;
			break;
		}
		char *text;
		size_t tlen, bad;
		int nrc = gl_utf8_normalize(tv->str, tv->len, &text, &tlen, &bad);
		if (nrc != 0) {
			/* The JSON reader already refused invalid UTF-8. */
			fprintf(stderr, "gloss: analyze: %s:%zu: %s\n", name, lineno,
			    nrc == -EINVAL ? "invalid UTF-8 in \"text\"" :
			    "out of memory");
			gl_json_free(v);
			rc = -1;
			break;
		}
		if (!warned && (tlen != tv->len || memcmp(text, tv->str, tlen) != 0)) {
			fprintf(stderr, "gloss: analyze: %s:%zu: warning: text is not "
			    "NFC with \\n line ends; offsets refer to the normalised "
			    "text, as they would in glossd\n", name, lineno);
			warned = 1;
		}
		char *cid = strdup(id);
		char *cdct = strdup(dct ? dct : r->dct);
		char *ctitle = title ? strdup(title) : NULL;
		char *clang = lang ? strdup(lang) : NULL;
		gl_json_free(v);
		if (cid == NULL || cdct == NULL || (title && !ctitle) ||
		    (lang && !clang)) {
			free(cid);
			free(cdct);
			free(ctitle);
			free(clang);
			free(text);
			fprintf(stderr, "gloss: analyze: out of memory\n");
			rc = -1;
			break;
		}
		rc = an_add(r, cid, cdct, ctitle, clang, text, tlen);
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "gloss: analyze: cannot read %s\n", name);
		rc = -1;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return rc;
}

/* ---- finding the plugin ---------------------------------------------------- */

static int
an_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int
an_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * DIR/NAME.so, else DIR/SUB/NAME.so in sorted SUB order: the same
 * precedence as gl_plugins_load_dirs().  Returns a malloc'ed path or NULL.
 */
static char *
an_find_in(const char *dir, const char *name)
{
	gl_buf b = GL_BUF_INIT;
	if (gl_buf_printf(&b, "%s/%s.so", dir, name) != 0)
		return NULL;
	if (an_is_file(b.data))
		return gl_buf_steal(&b);
	DIR *d = opendir(dir);
	if (d == NULL) {
		gl_buf_free(&b);
		return NULL;
	}
	char **subs = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **t = realloc(subs, cap * sizeof *t);
			if (t == NULL)
				break;
			subs = t;
		}
		if ((subs[n] = strdup(e->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(subs, n, sizeof *subs, an_cmp_str);
	char *found = NULL;
	for (size_t i = 0; i < n; i++) {
		gl_buf_reset(&b);
		if (found == NULL &&
		    gl_buf_printf(&b, "%s/%s/%s.so", dir, subs[i], name) == 0 &&
		    an_is_file(b.data))
			found = gl_buf_steal(&b);
		free(subs[i]);
	}
	free(subs);
	gl_buf_free(&b);
	return found;
}

/* --plugin as a path, or a name searched in dirs. */
static char *
an_find_plugin(const char *spec, char *const *dirs, size_t ndirs)
{
	size_t n = strlen(spec);
	if (strchr(spec, '/') != NULL || (n > 3 && strcmp(spec + n - 3, ".so") == 0))
		return strdup(spec);
	for (size_t i = 0; i < ndirs; i++) {
		char *p = an_find_in(dirs[i], spec);
		if (p != NULL)
			return p;
	}
	return NULL;
}

/* ---- the command ---------------------------------------------------------- */

static void
an_usage(FILE *f)
{
	fprintf(f,
	    "usage: gloss analyze --local --plugin PATH_OR_NAME [--plugins DIR]...\n"
	    "                     [--dct YYYY-MM-DD] [--config JSON] [--jobs N] "
	    "INPUT...\n\n"
	    "Runs one analyzer plugin in this process, with no server, and "
	    "prints one JSON\nline per document: {\"id\", \"annotations\": "
	    "[{\"layer\", \"start\", \"end\", \"text\",\n\"type\", \"value\", "
	    "\"score\"?, attributes..., \"attributes\"}]} with offsets in\n"
	    "Unicode code points, ready for `gloss eval`.\n\n"
	    "INPUT is a .txt file (id = its file name, text normalised to NFC "
	    "with \\n line\nends, as glossd does) or a .jsonl file with one "
	    "document per line: {\"id\",\n\"text\", \"dct\"?, \"title\"?, "
	    "\"lang\"?} (the gold format of ../shared/eval); \"-\"\nreads JSONL "
	    "from standard input.\n\n"
	    "options:\n"
	    "  --local          run in this process (required; without it "
	    "`gloss analyze`\n"
	    "                   asks the server)\n"
	    "  --plugin P       a plugin file (a path with '/' or ending in .so),"
	    " or a\n"
	    "                   name looked up as NAME.so in each --plugins DIR "
	    "and its\n"
	    "                   direct subfolders, then in $GLOSS_PLUGIN_PATH "
	    "(colon-\n"
	    "                   separated), then in " GLOSS_PLUGIN_INSTALL_DIR "\n"
	    "  --plugins DIR    a folder of plugins (repeatable); e.g. "
	    "build/plugins\n"
	    "  --dct DATE       publication date YYYY-MM-DD for .txt inputs and "
	    "for JSONL\n"
	    "                   lines without one\n"
	    "  --config JSON    the plugin's configuration, a JSON object "
	    "(default {})\n"
	    "  --jobs N         analyse with N threads (default 1); output order "
	    "is kept\n\n"
	    "exit status: 0; 1 if an input cannot be read or parsed, the plugin "
	    "does not\nload, or it failed on a document (that document's line "
	    "then has an \"error\");\n2 on a usage error.\n");
}

static int
an_valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static int
an_is_jsonl(const char *path)
{
	size_t n = strlen(path);
	return strcmp(path, "-") == 0 ||
	    (n > 6 && strcmp(path + n - 6, ".jsonl") == 0);
}

int
gl_cli_analyze(int argc, char **argv)
{
	const char *plugin = NULL, *config = NULL, *dct = "";
	int64_t jobs = 1;
	char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
	char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
	size_t ndirs = 0, ninputs = 0;
	int only_pos = 0, rc = 2;
	an_run *run = NULL;
	gl_plugins *ps = NULL;
	char **defaults = NULL;
	char *path = NULL;
	if (dirs == NULL || inputs == NULL) {
		fprintf(stderr, "gloss: analyze: out of memory\n");
		rc = 1;
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			inputs[ninputs++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			an_usage(stdout);
			rc = 0;
			goto out;
		}
		if (strcmp(a, "--local") == 0)
			continue;
		const char *eq = strchr(a, '=');
		size_t klen = eq ? (size_t)(eq - a) : strlen(a);
		static const char *const valued[] = { "--plugin", "--plugins",
			"--dct", "--config", "--jobs", NULL };
		const char *which = NULL;
		for (size_t k = 0; valued[k] != NULL; k++)
			if (strlen(valued[k]) == klen && strncmp(a, valued[k], klen) == 0)
				which = valued[k];
		if (which == NULL) {
			fprintf(stderr, "gloss: analyze: unknown option %s "
			    "(see: gloss analyze --help)\n", a);
			goto out;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (v == NULL) {
			fprintf(stderr, "gloss: analyze: %s needs a value\n", which);
			goto out;
		}
		if (strcmp(which, "--plugin") == 0) {
			plugin = v;
		} else if (strcmp(which, "--plugins") == 0) {
			dirs[ndirs++] = (char *)v;
		} else if (strcmp(which, "--dct") == 0) {
			if (!an_valid_date(v)) {
				fprintf(stderr, "gloss: analyze: --dct wants "
				    "YYYY-MM-DD, not \"%s\"\n", v);
				goto out;
			}
			dct = v;
		} else if (strcmp(which, "--config") == 0) {
			config = v;
		} else {
			char *end;
			errno = 0;
			jobs = strtoll(v, &end, 10);
			if (errno || *end || end == v || jobs < 1 ||
			    jobs > AN_MAX_JOBS) {
				fprintf(stderr, "gloss: analyze: --jobs wants a "
				    "number from 1 to %d, not \"%s\"\n",
				    AN_MAX_JOBS, v);
				goto out;
			}
		}
	}
	if (plugin == NULL || ninputs == 0) {
		fprintf(stderr, "gloss: analyze: --plugin and at least one INPUT "
		    "are required (see: gloss analyze --help)\n");
		goto out;
	}
	rc = 1;

	/* --plugins first, then $GLOSS_PLUGIN_PATH and the install dir. */
	size_t nd = 0;
	if (gl_plugins_default_path(&defaults, &nd) != 0) {
		fprintf(stderr, "gloss: analyze: out of memory\n");
		goto out;
	}
	for (size_t i = 0; i < nd; i++)
		dirs[ndirs++] = defaults[i];
	path = an_find_plugin(plugin, dirs, ndirs);
	if (path == NULL) {
		fprintf(stderr, "gloss: analyze: no plugin %s.so in", plugin);
		for (size_t i = 0; i < ndirs; i++)
			fprintf(stderr, "%s %s", i ? "," : "", dirs[i]);
		fprintf(stderr, " (nor in their subfolders)\n");
		goto out;
	}
	char err[512];
	if (gl_plugins_new(&ps) != 0) {
		fprintf(stderr, "gloss: analyze: out of memory\n");
		goto out;
	}
	if (gl_plugins_load_file(ps, path, config, err, sizeof err) != 0) {
		fprintf(stderr, "gloss: analyze: cannot load the plugin: %s\n", err);
		goto out;
	}

	run = calloc(1, sizeof *run);
	if (run == NULL) {
		fprintf(stderr, "gloss: analyze: out of memory\n");
		goto out;
	}
	run->dct = dct;
	run->plugin = gl_plugins_at(ps, 0);
	run->jobs = (int)jobs;
	int bad = 0;
	for (size_t i = 0; i < ninputs && !bad; i++)
		bad = (an_is_jsonl(inputs[i]) ? an_read_jsonl(run, inputs[i]) :
		    an_read_txt(run, inputs[i])) != 0;
	/* What was read before a bad input is still analysed and printed. */
	an_flush(run);
	if (run->dropped > 0)
		fprintf(stderr, "gloss: analyze: %zu spans of %s dropped (bad "
		    "offsets, labels or attributes; see the log lines above)\n",
		    run->dropped, gl_plugin_author(run->plugin));
	if (run->failed_docs > 0)
		fprintf(stderr, "gloss: analyze: the plugin failed on %zu of %zu "
		    "documents\n", run->failed_docs, run->done);
	rc = bad || run->failed_docs > 0 ? 1 : 0;
out:
	if (run != NULL) {
		for (size_t i = 0; i < run->n; i++)
			an_doc_free(&run->docs[i]);
		free(run);
	}
	gl_plugins_free(ps);
	gl_plugins_free_path(defaults);
	free(path);
	free(dirs);
	free(inputs);
	return rc;
}
