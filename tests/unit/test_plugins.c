/*
 * test_plugins.c - the plugin host against the misbehaving plugins of
 * tests/plugins/ and the example plugin: refusals and their messages,
 * dropped spans, failures, and byte -> code-point conversion.
 *
 * GL_TEST_PLUGINS_DIR (build/tests/plugins) and GL_EXAMPLE_SO come from
 * tests/unit/meson.build.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "daemon/plugins.h"
#include "gl_test.h"

static const char *
test_plugin(const char *name)
{
	static char path[4][1024];
	static int slot;
	char *p = path[slot++ % 4];
	snprintf(p, 1024, "%s/%s/%s.so", GL_TEST_PLUGINS_DIR, name, name);
	return p;
}

static gloss_doc
mkdoc(const char *id, const char *text)
{
	return (gloss_doc){ .id = id, .text = text, .len = strlen(text),
		.title = "", .lang = "", .dct = "" };
}

GL_TEST(test_refusals)
{
	gl_plugins *ps;
	char err[512], want[1200];
	CHECK_INT(gl_plugins_new(&ps), 0);

	const char *path = test_plugin("bad_abi");
	CHECK(gl_plugins_load_file(ps, path, NULL, err, sizeof err) < 0);
	snprintf(want, sizeof want, "%s: abi_version 7, expected 1", path);
	CHECK_STR(err, want);

	path = test_plugin("no_symbol");
	CHECK(gl_plugins_load_file(ps, path, NULL, err, sizeof err) < 0);
	snprintf(want, sizeof want, "%s: no symbol gloss_plugin_v1 (not a gloss plugin?)",
	    path);
	CHECK_STR(err, want);

	path = test_plugin("failing_open");
	CHECK_INT(gl_plugins_load_file(ps, path, "{}", err, sizeof err), -ENOENT);
	CHECK(strstr(err, "open() failed (-2): cannot find ") != NULL);
	/* The plugin was handed <dir of the .so>/data. */
	CHECK(strstr(err, "/tests/plugins/failing_open/data/model.bin") != NULL);

	path = test_plugin("name_mismatch");
	CHECK(gl_plugins_load_file(ps, path, NULL, err, sizeof err) < 0);
	snprintf(want, sizeof want,
	    "%s: plugin calls itself \"somebody_else\" but the file is name_mismatch.so",
	    path);
	CHECK_STR(err, want);

	CHECK(gl_plugins_load_file(ps, "/nonexistent/x.so", NULL, err, sizeof err) < 0);
	CHECK(strstr(err, "/nonexistent/x.so: dlopen failed: ") == err);

	CHECK_INT(gl_plugins_load_file(ps, "/etc/passwd", NULL, err, sizeof err), -EINVAL);
	CHECK_STR(err, "/etc/passwd: not a plugin file (NAME.so)");

	/* A configuration that is not an object is refused before dlopen. */
	path = test_plugin("bad_spans");
	CHECK_INT(gl_plugins_load_file(ps, path, "[1]", err, sizeof err), -EINVAL);
	CHECK(strstr(err, "configuration is not a JSON object") != NULL);

	CHECK_INT(gl_plugins_count(ps), 0);

	/* The good one loads, once. */
	CHECK_INT(gl_plugins_load_file(ps, path, NULL, err, sizeof err), 0);
	CHECK_INT(gl_plugins_load_file(ps, path, NULL, err, sizeof err), -EEXIST);
	CHECK(strstr(err, "already loaded") != NULL);
	CHECK_INT(gl_plugins_count(ps), 1);
	gl_plugin *p = gl_plugins_find(ps, "bad_spans");
	CHECK(p != NULL);
	CHECK_STR(gl_plugin_author(p), "plugin:bad_spans@0.0.1");
	CHECK_STR(gl_plugin_path(p), path);
	CHECK_STR(gl_plugin_desc(p)->layer, "test");
	gl_plugins_free(ps);
}

static const char *
config_for(const char *name, void *arg)
{
	int *calls = arg;
	(*calls)++;
	/* failing_analyze gets a bad config and must be refused for it. */
	return strcmp(name, "failing_analyze") == 0 ? "not json" : NULL;
}

GL_TEST(test_load_dirs)
{
	gl_plugins *ps;
	CHECK_INT(gl_plugins_new(&ps), 0);
	const char *dirs[] = { GL_TEST_PLUGINS_DIR, "/nonexistent-gloss-dir" };
	/* Of the six only bad_spans and failing_analyze are loadable; each of
	 * the others is refused with a log line and the rest still load. */
	CHECK_INT(gl_plugins_load_dirs(ps, dirs, 2, NULL, NULL), 2);
	CHECK_INT(gl_plugins_count(ps), 2);
	CHECK(gl_plugins_find(ps, "bad_spans") != NULL);
	CHECK(gl_plugins_find(ps, "failing_analyze") != NULL);
	CHECK(gl_plugins_find(ps, "bad_abi") == NULL);
	CHECK(gl_plugins_find(ps, "failing_open") == NULL);
	CHECK(gl_plugins_at(ps, 0) != NULL && gl_plugins_at(ps, 2) == NULL);
	/* Sorted scan: bad_spans before failing_analyze. */
	CHECK_STR(gl_plugin_desc(gl_plugins_at(ps, 0))->name, "bad_spans");
	/* The same dir again: the first of each name wins. */
	CHECK_INT(gl_plugins_load_dirs(ps, dirs, 1, NULL, NULL), 0);
	CHECK_INT(gl_plugins_count(ps), 2);
	gl_plugins_free(ps);

	/* The config callback is asked per plugin; a bad config refuses it. */
	int calls = 0;
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK_INT(gl_plugins_load_dirs(ps, dirs, 1, config_for, &calls), 1);
	CHECK(calls >= 2);
	CHECK(gl_plugins_find(ps, "failing_analyze") == NULL);
	gl_plugins_free(ps);
}

GL_TEST(test_bad_spans_dropped)
{
	gl_plugins *ps;
	char err[512];
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK_INT(gl_plugins_load_file(ps, test_plugin("bad_spans"), NULL, err,
	    sizeof err), 0);
	gl_plugin *p = gl_plugins_find(ps, "bad_spans");

	/* h é l l o _ w ö r l d _ 😀 : 13 code points, 18 bytes */
	gloss_doc doc = mkdoc("doc-1", "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80");
	gl_plugin_result res;
	CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
	CHECK_INT(res.failed, 0);
	CHECK_INT(res.dropped, 12);
	CHECK_INT(res.nspans, 2);
	CHECK(strstr(res.error, "span [0,23) dropped: outside the text (18 bytes)") != NULL);
	if (res.nspans == 2) {
		gl_plugin_span *a = &res.spans[0], *b = &res.spans[1];
		CHECK_INT(a->start, 0);
		CHECK_INT(a->end, 5);
		CHECK_STR(a->layer, "test");
		CHECK_STR(a->label, "good");
		CHECK_STR(a->value, "first");
		CHECK_STR(a->attrs_json, "{\"k\":1}");
		CHECK_INT(a->has_score, 0);
		CHECK_INT(b->start, 12);
		CHECK_INT(b->end, 13);
		CHECK_STR(b->layer, "other");
		CHECK_STR(b->value, "last");
		CHECK_STR(b->attrs_json, "{}");
		CHECK_INT(b->has_score, 1);
		CHECK_NEAR(b->score, 0.5, 0);
	}
	gl_plugin_result_free(&res);

	/* ASCII text: no mid-character spans possible, so two fewer drops. */
	doc = mkdoc("doc-2", "abc def");
	CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
	CHECK_INT(res.dropped, 10);
	CHECK_INT(res.nspans, 2);
	if (res.nspans == 2) {
		CHECK_INT(res.spans[0].end, 3);
		CHECK_INT(res.spans[1].start, 6);
		CHECK_INT(res.spans[1].end, 7);
	}
	gl_plugin_result_free(&res);
	gl_plugins_free(ps);
}

GL_TEST(test_failing_analyze)
{
	gl_plugins *ps;
	char err[512];
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK_INT(gl_plugins_load_file(ps, test_plugin("failing_analyze"), NULL,
	    err, sizeof err), 0);
	gl_plugin *p = gl_plugins_at(ps, 0);
	gl_plugin_result res;

	gloss_doc doc = mkdoc("d-fail", "this one will FAIL");
	CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
	CHECK_INT(res.failed, 1);
	CHECK_STR(res.error, "document d-fail says FAIL");
	CHECK_INT(res.nspans, 0);
	gl_plugin_result_free(&res);

	/* The next document is unaffected; its first character is 2 bytes. */
	doc = mkdoc("d-ok", "\xc3\x89t\xc3\xa9");
	CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
	CHECK_INT(res.failed, 0);
	CHECK_INT(res.nspans, 1);
	if (res.nspans == 1) {
		CHECK_INT(res.spans[0].start, 0);
		CHECK_INT(res.spans[0].end, 1);
		CHECK_STR(res.spans[0].label, "first");
	}
	gl_plugin_result_free(&res);
	gl_plugins_free(ps);
}

/* The example plugin's spans on a text in three scripts, with an emoji. */
static const char example_text[] =
    "Le pr\xc3\xa9sident a parl\xc3\xa9 de sanctions \xf0\x9f\x98\x80 contre la Russie. "
    "\xd0\x9f\xd0\x95\xd0\xa0\xd0\x95\xd0\x9c\xd0\x98\xd0\xa0\xd0\x98\xd0\x95 \xd0\xb8 "
    "\xd0\xa1\xd0\xb0\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8! Peace talks, talkshow, "
    "\xe4\xb8\xad\xe6\x96\x87 truce; \xc3\x89LECTIONS.";

static const struct {
	int64_t start, end;
	const char *value, *match;
} example_want[] = {
	{ 3, 12, "president", "variant" },     /* président */
	{ 24, 33, "sanctions", "canonical" },  /* sanctions */
	{ 54, 63, "ceasefire", "variant" },    /* ПЕРЕМИРИЕ */
	{ 66, 73, "sanctions", "variant" },    /* Санкции */
	{ 75, 86, "negotiations", "variant" }, /* Peace talks, not "talkshow" */
	{ 101, 106, "ceasefire", "variant" },  /* truce */
	{ 108, 117, "election", "variant" },   /* ÉLECTIONS */
};
#define N_EXAMPLE (sizeof example_want / sizeof example_want[0])

static int
example_matches(const gl_plugin_result *res)
{
	if (res->nspans != N_EXAMPLE || res->dropped != 0 || res->failed)
		return 0;
	for (size_t i = 0; i < N_EXAMPLE; i++) {
		const gl_plugin_span *s = &res->spans[i];
		char attrs[64];
		snprintf(attrs, sizeof attrs, "{\"match\":\"%s\"}", example_want[i].match);
		if (s->start != example_want[i].start || s->end != example_want[i].end ||
		    strcmp(s->value, example_want[i].value) != 0 ||
		    strcmp(s->label, "keyword") != 0 || strcmp(s->layer, "keyword") != 0 ||
		    strcmp(s->attrs_json, attrs) != 0)
			return 0;
	}
	return 1;
}

GL_TEST(test_example_offsets)
{
	gl_plugins *ps;
	char err[512];
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK_INT(gl_plugins_load_file(ps, GL_EXAMPLE_SO, "{}", err, sizeof err), 0);
	gl_plugin *p = gl_plugins_find(ps, "example");
	CHECK(p != NULL);
	if (p == NULL) {
		fprintf(stderr, "%s\n", err);
		gl_plugins_free(ps);
		return;
	}
	CHECK_STR(gl_plugin_author(p), "plugin:example@1.0.0");
	gloss_doc doc = mkdoc("ex-1", example_text);
	gl_plugin_result res;
	CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
	CHECK_INT(res.nspans, N_EXAMPLE);
	for (size_t i = 0; i < res.nspans && i < N_EXAMPLE; i++) {
		CHECK_INT(res.spans[i].start, example_want[i].start);
		CHECK_INT(res.spans[i].end, example_want[i].end);
		CHECK_STR(res.spans[i].value, example_want[i].value);
	}
	CHECK(example_matches(&res));
	gl_plugin_result_free(&res);
	gl_plugins_free(ps);
}

GL_TEST(test_example_config)
{
	gl_plugins *ps;
	char err[512];
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK(gl_plugins_load_file(ps, GL_EXAMPLE_SO,
	    "{\"list\": \"/nonexistent/words.txt\"}", err, sizeof err) < 0);
	CHECK(strstr(err, "open() failed") != NULL);
	CHECK(strstr(err, "cannot open /nonexistent/words.txt") != NULL);

	/* A list of one's own replaces the bundled one. */
	char path[] = "/tmp/gl-test-words-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char *list = "# mine\nkyiv\tkiev\t\xd0\xba\xd0\xb8\xd0\xb5\xd0\xb2\n";
	CHECK(write(fd, list, strlen(list)) == (ssize_t)strlen(list));
	close(fd);
	char cfg[128];
	snprintf(cfg, sizeof cfg, "{\"list\": \"%s\"}", path);
	CHECK_INT(gl_plugins_load_file(ps, GL_EXAMPLE_SO, cfg, err, sizeof err), 0);
	unlink(path);
	gl_plugin *p = gl_plugins_find(ps, "example");
	if (p != NULL) {
		/* "В Киеве" has no whole-word match; "Киев, Kiev" has two. */
		gloss_doc doc = mkdoc("c", "\xd0\x92 \xd0\x9a\xd0\xb8\xd0\xb5\xd0\xb2\xd0\xb5; "
		    "\xd0\x9a\xd0\xb8\xd0\xb5\xd0\xb2, Kiev sanctions");
		gl_plugin_result res;
		CHECK_INT(gl_plugin_run(p, &doc, &res), 0);
		CHECK_INT(res.nspans, 2);
		if (res.nspans == 2) {
			CHECK_INT(res.spans[0].start, 9);
			CHECK_INT(res.spans[0].end, 13);
			CHECK_STR(res.spans[0].value, "kyiv");
			CHECK_INT(res.spans[1].start, 15);
			CHECK_INT(res.spans[1].end, 19);
		}
		gl_plugin_result_free(&res);
	}
	gl_plugins_free(ps);
}

static void *
example_thread(void *arg)
{
	const gl_plugin *p = arg;
	gloss_doc doc = mkdoc("t", example_text);
	for (int i = 0; i < 200; i++) {
		gl_plugin_result res;
		if (gl_plugin_run(p, &doc, &res) != 0)
			return (void *)1;
		int ok = example_matches(&res);
		gl_plugin_result_free(&res);
		if (!ok)
			return (void *)1;
	}
	return NULL;
}

GL_TEST(test_example_threads)
{
	gl_plugins *ps;
	char err[512];
	CHECK_INT(gl_plugins_new(&ps), 0);
	CHECK_INT(gl_plugins_load_file(ps, GL_EXAMPLE_SO, NULL, err, sizeof err), 0);
	gl_plugin *p = gl_plugins_find(ps, "example");
	if (p != NULL) {
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			CHECK_INT(pthread_create(&t[i], NULL, example_thread, p), 0);
		for (int i = 0; i < 4; i++) {
			void *r;
			pthread_join(t[i], &r);
			CHECK(r == NULL);
		}
	}
	gl_plugins_free(ps);
}

GL_TEST(test_default_path)
{
	char **dirs;
	size_t n;
	setenv("GLOSS_PLUGIN_PATH", "/a/b::/c:", 1);
	CHECK_INT(gl_plugins_default_path(&dirs, &n), 0);
	CHECK_INT(n, 3);
	CHECK_STR(dirs[0], "/a/b");
	CHECK_STR(dirs[1], "/c");
	CHECK_STR(dirs[2], GLOSS_PLUGIN_INSTALL_DIR);
	CHECK(dirs[3] == NULL);
	gl_plugins_free_path(dirs);
	unsetenv("GLOSS_PLUGIN_PATH");
	CHECK_INT(gl_plugins_default_path(&dirs, &n), 0);
	CHECK_INT(n, 1);
	CHECK_STR(dirs[0], GLOSS_PLUGIN_INSTALL_DIR);
	gl_plugins_free_path(dirs);
}

/* Drop logs are WARN; keep the test output readable. */
static void
quiet(void)
{
	gl_log_set_level(GL_LOG_ERROR);
}

GL_TEST(test_setup)
{
	quiet();
	CHECK(access(GL_EXAMPLE_SO, R_OK) == 0);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_setup), GL_TEST_ENTRY(test_refusals),
    GL_TEST_ENTRY(test_load_dirs), GL_TEST_ENTRY(test_bad_spans_dropped),
    GL_TEST_ENTRY(test_failing_analyze), GL_TEST_ENTRY(test_example_offsets),
    GL_TEST_ENTRY(test_example_config), GL_TEST_ENTRY(test_example_threads),
    GL_TEST_ENTRY(test_default_path))
