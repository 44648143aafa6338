/*
 * actors_test_util.h - helpers shared by the actors unit tests: open the
 * plugin on the real data files (ACTORS_DATA_DIR, set by meson to the
 * build tree's copy of data/), run it on a text and look spans up by
 * surface text.
 */
#ifndef ACTORS_TEST_UTIL_H
#define ACTORS_TEST_UTIL_H

#include <gloss/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT_MAX_SPANS 512

typedef struct {
	size_t start, end;
	char label[16];
	char value[200];
	char attrs[512];
	char text[200];
} at_span;

typedef struct {
	at_span s[AT_MAX_SPANS];
	int n;
	const char *text;
} at_result;

static const gloss_plugin *at_plugin;
static void *at_state;

static inline const char *
at_data_dir(void)
{
	const char *d = getenv("ACTORS_DATA_DIR");
	return d ? d : "data";
}

static inline void
at_open_with(const char *config)
{
	char err[512] = "";
	at_plugin = gloss_plugin_v1();
	if (at_plugin->open(config, at_data_dir(), &at_state, err, sizeof(err)) != 0) {
		fprintf(stderr, "actors open failed: %s\n", err);
		exit(2);
	}
}

static inline void
at_open(void)
{
	if (!at_state)
		at_open_with("{}");
}

static inline int
at_sink(void *sink, const gloss_span *sp)
{
	at_result *r = sink;
	if (r->n >= AT_MAX_SPANS)
		return 1;
	at_span *s = &r->s[r->n++];
	s->start = sp->start;
	s->end = sp->end;
	snprintf(s->label, sizeof(s->label), "%s", sp->label);
	snprintf(s->value, sizeof(s->value), "%s", sp->value ? sp->value : "");
	snprintf(s->attrs, sizeof(s->attrs), "%s", sp->attrs_json ? sp->attrs_json : "");
	size_t n = sp->end - sp->start;
	if (n >= sizeof(s->text))
		n = sizeof(s->text) - 1;
	memcpy(s->text, r->text + sp->start, n);
	s->text[n] = '\0';
	return 0;
}

static inline void
at_sort(at_result *r)
{
	for (int i = 1; i < r->n; i++)
		for (int j = i; j > 0 && r->s[j].start < r->s[j - 1].start; j--) {
			at_span t = r->s[j];
			r->s[j] = r->s[j - 1];
			r->s[j - 1] = t;
		}
}

static inline at_result *
at_run(const char *text)
{
	static at_result r;
	char err[256] = "";
	at_open();
	memset(&r, 0, sizeof(r));
	r.text = text;
	gloss_doc doc = { "t", text, strlen(text), "", "en", "" };
	if (at_plugin->analyze(at_state, &doc, at_sink, &r, err, sizeof(err)) != 0)
		fprintf(stderr, "analyze failed: %s\n", err);
	at_sort(&r);
	return &r;
}

/* The k-th span (0-based) whose text equals surf, or NULL. */
static inline const at_span *
at_find(const at_result *r, const char *surf, int k)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->s[i].text, surf) == 0 && k-- == 0)
			return &r->s[i];
	return NULL;
}

static inline void
at_dump(const at_result *r)
{
	for (int i = 0; i < r->n; i++)
		fprintf(stderr, "  [%zu,%zu) '%s' %s %s %s\n", r->s[i].start, r->s[i].end, r->s[i].text,
		    r->s[i].label, r->s[i].value, r->s[i].attrs);
}

/* Check that the k-th span with text surf exists with this label and value. */
#define CHECK_SPAN(r, surf, k, label_, value_)                                          \
	do {                                                                            \
		const at_span *at__s = at_find((r), (surf), (k));                       \
		if (!at__s) {                                                           \
			fprintf(stderr, "%s:%d: no span '%s' #%d\n", __FILE__, __LINE__,  \
			    (surf), (k));                                               \
			at_dump(r);                                                     \
			gl_test_failed_checks++;                                        \
		} else {                                                                \
			CHECK_STR(at__s->label, (label_));                              \
			CHECK_STR(at__s->value, (value_));                              \
		}                                                                       \
	} while (0)

#define CHECK_NO_SPAN(r, surf)                                                          \
	do {                                                                            \
		if (at_find((r), (surf), 0)) {                                          \
			fprintf(stderr, "%s:%d: unexpected span '%s'\n", __FILE__,        \
			    __LINE__, (surf));                                          \
			at_dump(r);                                                     \
			gl_test_failed_checks++;                                        \
		}                                                                       \
	} while (0)

#endif /* ACTORS_TEST_UTIL_H */
