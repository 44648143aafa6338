/*
 * example.c - the example gloss analyzer plugin: a complete, minimal model
 * of the plugin ABI in include/gloss/plugin.h (docs/plugins.md walks
 * through it).
 *
 * It finds the words of a word list (data/keywords.txt) in a document,
 * case-insensitively and on whole words, in any script: "Sanctions",
 * "САНКЦИИ" and "embargo" all become a span labelled "keyword" on the layer
 * "keyword" whose value is the list's canonical form, "sanctions".
 *
 * What it shows:
 *   - open() reads its data from data_dir (never from a path of its own),
 *     takes an optional configuration, and reports failures in errbuf;
 *   - the state is read-only after open(), so analyze() is re-entrant and
 *     needs no lock: everything a call needs lives on its own stack;
 *   - spans are emitted in UTF-8 byte offsets; the host converts them to
 *     code points;
 *   - analyze() stops when emit() asks it to.
 *
 * Build: see meson.build here, or by hand:
 *   cc -shared -fPIC -fvisibility=hidden -Iinclude -o example.so \
 *       plugins/example/example.c -lutf8proc
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "gloss/plugin.h"

/* Only this symbol leaves the .so (the build hides everything else). */
#define EXAMPLE_EXPORT __attribute__((visibility("default")))

/* One matchable form: its code points, lower-cased, and its concept. */
typedef struct {
	int32_t *cps;
	size_t n;
	size_t concept; /* index into example_state.canon */
	int canonical;  /* this form is the canonical form itself */
} example_form;

/* Built by open(), read-only afterwards, freed by close(). */
typedef struct {
	example_form *forms; /* sorted by first code point, longest first */
	size_t nforms;
	char **canon;        /* canonical forms, as written in the list */
	size_t ncanon;
} example_state;

/* ---- text helpers ---------------------------------------------------- */

/* Letters, marks and digits make words; everything else separates them. */
static int
example_is_word(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/*
 * Decodes the code point at s[i] (the host guarantees valid UTF-8) into
 * *cp and returns its byte length.
 */
static size_t
example_next(const char *s, size_t len, size_t i, int32_t *cp)
{
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
	    (utf8proc_ssize_t)(len - i), cp);
	if (n <= 0) { /* cannot happen on valid input; be safe anyway */
		*cp = 0xFFFD;
		return 1;
	}
	return (size_t)n;
}

/* ---- loading the word list ------------------------------------------- */

static void
example_free_state(example_state *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->nforms; i++)
		free(st->forms[i].cps);
	for (size_t i = 0; i < st->ncanon; i++)
		free(st->canon[i]);
	free(st->forms);
	free(st->canon);
	free(st);
}

static int
example_cmp_forms(const void *a, const void *b)
{
	const example_form *x = a, *y = b;
	if (x->cps[0] != y->cps[0])
		return x->cps[0] < y->cps[0] ? -1 : 1;
	/* Longest first, so "peace talks" is tried before "peace". */
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return 0;
}

/* Adds one form (len bytes of UTF-8) of concept c.  0, -EINVAL or -ENOMEM. */
static int
example_add_form(example_state *st, size_t *cap, const char *s, size_t len,
    size_t c, int canonical)
{
	if (st->nforms == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		example_form *f = realloc(st->forms, nc * sizeof *f);
		if (f == NULL)
			return -ENOMEM;
		st->forms = f;
		*cap = nc;
	}
	int32_t *cps = malloc(len * sizeof *cps); /* at most one per byte */
	if (cps == NULL)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(
		    (const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
		    &cp);
		if (k <= 0) {
			free(cps);
			return -EINVAL;
		}
		cps[n++] = utf8proc_tolower(cp);
		i += (size_t)k;
	}
	st->forms[st->nforms++] = (example_form){ cps, n, c, canonical };
	return 0;
}

/* Parses the word list text (NUL-terminated) into st. */
static int
example_parse_list(example_state *st, char *text, char *errbuf, size_t errlen)
{
	size_t cap = 0, ccap = 0, lineno = 0;
	for (char *line = text, *next; line != NULL; line = next) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		next = nl ? nl + 1 : NULL;
		lineno++;
		size_t ll = strlen(line);
		if (ll > 0 && line[ll - 1] == '\r')
			line[--ll] = '\0';
		if (ll == 0 || line[0] == '#')
			continue;
		if (st->ncanon == ccap) {
			ccap = ccap ? ccap * 2 : 32;
			char **c = realloc(st->canon, ccap * sizeof *c);
			if (c == NULL)
				return -ENOMEM;
			st->canon = c;
		}
		size_t concept = st->ncanon;
		int first = 1;
		for (char *f = line; f != NULL;) {
			char *tab = strchr(f, '\t');
			size_t flen = tab ? (size_t)(tab - f) : strlen(f);
			if (flen > 0) {
				if (first) {
					st->canon[st->ncanon] = strndup(f, flen);
					if (st->canon[st->ncanon] == NULL)
						return -ENOMEM;
					st->ncanon++;
				}
				int rc = example_add_form(st, &cap, f, flen,
				    concept, first);
				if (rc == -EINVAL) {
					snprintf(errbuf, errlen,
					    "word list line %zu is not valid UTF-8",
					    lineno);
					return rc;
				}
				if (rc != 0)
					return rc;
				first = 0;
			}
			f = tab ? tab + 1 : NULL;
		}
	}
	if (st->nforms == 0) {
		snprintf(errbuf, errlen, "the word list is empty");
		return -EINVAL;
	}
	qsort(st->forms, st->nforms, sizeof *st->forms, example_cmp_forms);
	return 0;
}

static char *
example_read_file(const char *path, char *errbuf, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(errbuf, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *b = realloc(buf, cap);
			if (b == NULL) {
				snprintf(errbuf, errlen, "out of memory");
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(errbuf, errlen, "cannot read %s", path);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * The configuration is a JSON object.  This plugin knows one key, "list":
 * the path of another word list, for example
 *     gloss analyze --local --plugin example --config '{"list":"/x/my.txt"}'
 * A real plugin would use a JSON parser; to stay dependency-free this one
 * reads just a plain string value (no escapes other than \" and \\).
 * Returns 1 and the value in out, 0 if absent, -1 if malformed.
 */
static int
example_config_string(const char *json, const char *key, char *out,
    size_t outlen)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = strstr(json, pat);
	if (p == NULL)
		return 0;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p++ != ':')
		return -1;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p++ != '"')
		return -1;
	size_t n = 0;
	for (; *p != '"'; p++) {
		if (*p == '\0' || n + 1 >= outlen)
			return -1;
		if (*p == '\\') {
			p++;
			if (*p != '"' && *p != '\\')
				return -1;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	return 1;
}

/* ---- the ABI callbacks ------------------------------------------------- */

static int
example_open(const char *config_json, const char *data_dir, void **state,
    char *errbuf, size_t errlen)
{
	char path[4096];
	int has = example_config_string(config_json, "list", path, sizeof path);
	if (has < 0) {
		snprintf(errbuf, errlen, "config: \"list\" must be a plain string");
		return -EINVAL;
	}
	if (has == 0)
		snprintf(path, sizeof path, "%s/keywords.txt", data_dir);

	char *text = example_read_file(path, errbuf, errlen);
	if (text == NULL)
		return -ENOENT;
	example_state *st = calloc(1, sizeof *st);
	if (st == NULL) {
		free(text);
		snprintf(errbuf, errlen, "out of memory");
		return -ENOMEM;
	}
	int rc = example_parse_list(st, text, errbuf, errlen);
	free(text);
	if (rc != 0) {
		if (rc == -ENOMEM)
			snprintf(errbuf, errlen, "out of memory");
		example_free_state(st);
		return rc;
	}
	*state = st;
	return 0;
}

/*
 * Does form f match the text at byte i (whose first code point is already
 * known to match)?  On success returns the byte offset just past the match.
 */
static size_t
example_match(const example_form *f, const char *text, size_t len, size_t i)
{
	size_t at = i;
	for (size_t k = 0; k < f->n; k++) {
		if (at >= len)
			return 0;
		int32_t cp;
		at += example_next(text, len, at, &cp);
		if (utf8proc_tolower(cp) != f->cps[k])
			return 0;
	}
	/* Whole words only: the next character must not continue a word. */
	if (at < len) {
		int32_t cp;
		example_next(text, len, at, &cp);
		if (example_is_word(cp))
			return 0;
	}
	return at;
}

static int
example_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit,
    void *sink, char *errbuf, size_t errlen)
{
	const example_state *st = state;
	const char *text = doc->text;
	size_t len = doc->len;
	int prev_word = 0;
	(void)errbuf; /* this plugin cannot fail on a document */
	(void)errlen;

	for (size_t i = 0; i < len;) {
		int32_t cp;
		size_t n = example_next(text, len, i, &cp);
		int word = example_is_word(cp);
		if (!word || prev_word) {
			prev_word = word;
			i += n;
			continue;
		}
		/* A word starts at i: find the forms starting with its first
		 * letter (binary search), longest first. */
		int32_t lc = utf8proc_tolower(cp);
		size_t lo = 0, hi = st->nforms;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (st->forms[mid].cps[0] < lc)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = 0;
		const example_form *hit = NULL;
		for (size_t k = lo; k < st->nforms && st->forms[k].cps[0] == lc;
		    k++) {
			end = example_match(&st->forms[k], text, len, i);
			if (end != 0) {
				hit = &st->forms[k];
				break;
			}
		}
		if (hit == NULL) {
			prev_word = 1;
			i += n;
			continue;
		}
		gloss_span span = {
			.start = i, /* byte offsets; the host converts them */
			.end = end,
			.label = "keyword",
			.value = st->canon[hit->concept],
			.attrs_json = hit->canonical ? "{\"match\":\"canonical\"}" :
			    "{\"match\":\"variant\"}",
		};
		if (emit(sink, &span) != 0)
			return 0; /* the host asked us to stop */
		/* The match ended before a non-word character (or the end). */
		i = end;
		prev_word = 0;
	}
	return 0;
}

static void
example_close(void *state)
{
	example_free_state(state);
}

static const char *const example_labels[] = { "keyword", NULL };

static const gloss_plugin example_plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "example", /* must equal the file name: example.so */
	.version = "1.0.0",
	.layer = "keyword",
	.labels = example_labels,
	.description = "Finds the words of a word list (data/keywords.txt), "
	    "case-insensitively, in any script",
	.open = example_open,
	.analyze = example_analyze,
	.close = example_close,
};

EXAMPLE_EXPORT const gloss_plugin *
gloss_plugin_v1(void)
{
	return &example_plugin;
}
