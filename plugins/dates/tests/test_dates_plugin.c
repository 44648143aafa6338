/*
 * test_dates_plugin.c - the built dates.so through the plugin ABI: identity,
 * open() with its data/ folder and config, analyze() spans and attributes,
 * early stop, bad config, and threads sharing one state.
 */
#include "gl_test.h"

#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>

#include "gloss/plugin.h"

static const char *so_path;
static const gloss_plugin *P;
static char data_dir[4096];

typedef struct {
	int n;
	char label[16][16];
	char value[16][48];
	char attrs[16][96];
	size_t start[16], end[16];
	int stop_after;
} sink_t;

static int
sink_emit(void *sink, const gloss_span *sp)
{
	sink_t *k = sink;
	if (k->n < 16) {
		snprintf(k->label[k->n], 16, "%s", sp->label);
		snprintf(k->value[k->n], 48, "%s", sp->value ? sp->value : "");
		snprintf(k->attrs[k->n], 96, "%s", sp->attrs_json ? sp->attrs_json : "");
		k->start[k->n] = sp->start, k->end[k->n] = sp->end;
	}
	k->n++;
	return k->stop_after && k->n >= k->stop_after;
}

static int
analyze(void *st, const char *text, const char *dct, sink_t *k)
{
	gloss_doc d = { "t", text, strlen(text), "", "en", dct };
	char err[256] = "";
	return P->analyze(st, &d, sink_emit, k, err, sizeof err);
}

GL_TEST(identity)
{
	CHECK(P != NULL);
	if (!P)
		return;
	CHECK_INT(P->abi_version, GLOSS_PLUGIN_ABI_VERSION);
	CHECK_STR(P->name, "dates");
	CHECK_STR(P->layer, "date");
	int n = 0;
	for (const char *const *l = P->labels; *l; l++)
		n++;
	CHECK_INT(n, 4);
	CHECK_STR(P->labels[0], "DATE");
	CHECK_STR(P->labels[3], "SET");
}

GL_TEST(spans_and_attrs)
{
	void *st = NULL;
	char err[256];
	CHECK_INT(P->open("{}", data_dir, &st, err, sizeof err), 0);
	const char *t = "US and Central Asia\n\nWed, Mar 10 2021 2:55 PM\n\nIn the mid-1990s, "
	    "and for over two decades after 9/11, ties grew.";
	sink_t k;
	memset(&k, 0, sizeof k);
	CHECK_INT(analyze(st, t, "2021-03-10", &k), 0);
	CHECK_INT(k.n, 4);
	CHECK_STR(k.label[0], "TIME");
	CHECK_STR(k.value[0], "2021-03-10T14:55");
	CHECK_STR(k.attrs[0], "{\"dct_candidate\":true}");
	CHECK_STR(k.value[1], "199");
	CHECK_STR(k.attrs[1], "{\"mod\":\"MID\"}");
	CHECK_STR(k.label[2], "DURATION");
	CHECK_STR(k.value[2], "P2DE");
	CHECK_STR(k.value[3], "2001-09-11");
	CHECK_INT(k.start[3], (size_t)(strstr(t, "9/11") - t));
	CHECK_INT(k.end[3], k.start[3] + 4);
	P->close(st);
}

GL_TEST(config)
{
	void *st = NULL;
	char err[256] = "";
	CHECK(P->open("{\"slash_order\": \"sideways\"}", data_dir, &st, err, sizeof err) < 0);
	CHECK(strstr(err, "slash_order") != NULL);
	CHECK(P->open("{}", "/nonexistent/dir", &st, err, sizeof err) < 0);
	CHECK(strstr(err, "lexicon.tsv") != NULL);
	CHECK_INT(P->open("{\"slash_order\": \"dmy\"}", data_dir, &st, err, sizeof err), 0);
	sink_t k;
	memset(&k, 0, sizeof k);
	analyze(st, "Filed 03/04/2024 in Ohio", "", &k);
	CHECK_INT(k.n, 1);
	CHECK_STR(k.value[0], "2024-04-03");
	P->close(st);
	CHECK(P->open("{\"values\": \"iso\"}", data_dir, &st, err, sizeof err) < 0);
	CHECK(strstr(err, "values") != NULL);
	CHECK_INT(P->open("{\"values\": \"timeml\"}", data_dir, &st, err, sizeof err), 0);
	memset(&k, 0, sizeof k);
	analyze(st, "Jobs were scarce in the 1990s.", "", &k);
	CHECK_INT(k.n, 1);
	CHECK_STR(k.value[0], "199X");
	P->close(st);
}

GL_TEST(early_stop)
{
	void *st = NULL;
	char err[256];
	CHECK_INT(P->open("{}", data_dir, &st, err, sizeof err), 0);
	sink_t k;
	memset(&k, 0, sizeof k);
	k.stop_after = 2;
	CHECK_INT(analyze(st, "In 1990, 1991, 1992 and 1993.", "", &k), 0);
	CHECK_INT(k.n, 2);
	P->close(st);
}

typedef struct {
	void *st;
	int bad;
} thr_arg;

static void *
thr_main(void *p)
{
	thr_arg *a = p;
	for (int i = 0; i < 200; i++) {
		sink_t k;
		memset(&k, 0, sizeof k);
		analyze(a->st, "The minister said on Tuesday that talks begin next month.", "2021-03-10", &k);
		if (k.n != 2 || strcmp(k.value[0], "2021-03-09") || strcmp(k.value[1], "2021-04"))
			a->bad++;
	}
	return NULL;
}

GL_TEST(threads_share_state)
{
	void *st = NULL;
	char err[256];
	CHECK_INT(P->open("{}", data_dir, &st, err, sizeof err), 0);
	pthread_t th[4];
	thr_arg a[4];
	for (int i = 0; i < 4; i++) {
		a[i].st = st, a[i].bad = 0;
		pthread_create(&th[i], NULL, thr_main, &a[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(a[i].bad, 0);
	}
	P->close(st);
}

int
main(int argc, char **argv)
{
	so_path = argc > 1 ? argv[1] : "plugins/dates/dates.so";
	void *h = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "dlopen %s: %s\n", so_path, dlerror());
		return 1;
	}
	const gloss_plugin *(*fn)(void) = (const gloss_plugin *(*)(void))dlsym(h, GLOSS_PLUGIN_SYMBOL);
	if (!fn) {
		fprintf(stderr, "no %s in %s\n", GLOSS_PLUGIN_SYMBOL, so_path);
		return 1;
	}
	P = fn();
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", so_path);
	snprintf(data_dir, sizeof data_dir, "%s/data", dirname(tmp));
	static const gl_test_case cases[] = { GL_TEST_ENTRY(identity), GL_TEST_ENTRY(spans_and_attrs),
		GL_TEST_ENTRY(config), GL_TEST_ENTRY(early_stop), GL_TEST_ENTRY(threads_share_state) };
	int rc = gl_test_run(cases, sizeof cases / sizeof cases[0]);
	dlclose(h);
	return rc;
}
