/*
 * test_cli_args.c - the `gloss` option parser, number parsing, exit codes
 * and error lines (clients/cli/cli.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "gl_test.h"

/* A cli whose output and errors go to memory streams. */
typedef struct capture {
	gl_cli cli;
	char *out, *err;
	size_t outlen, errlen;
} capture;

static void
cap_open(capture *c)
{
	memset(c, 0, sizeof(*c));
	gl_cli_init(&c->cli);
	c->cli.out = open_memstream(&c->out, &c->outlen);
	c->cli.err = open_memstream(&c->err, &c->errlen);
}

static void
cap_close(capture *c)
{
	fclose(c->cli.out);
	fclose(c->cli.err);
	free(c->out);
	free(c->err);
}

static void
cap_flush(capture *c)
{
	fflush(c->cli.out);
	fflush(c->cli.err);
}

GL_TEST(test_parse_values)
{
	const char *project = NULL, *label = NULL;
	int64_t start = -1, end = -1;
	double score = 0;
	int flag = 0;
	gl_cli_list plugins = { 0, NULL };
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "p", 0 },
		{ "label", GL_OPT_STR, &label, "X", "x", 0 },
		{ "start", GL_OPT_INT, &start, "N", "n", 0 },
		{ "end", GL_OPT_INT, &end, "N", "n", 0 },
		{ "score", GL_OPT_DOUBLE, &score, "S", "s", 0 },
		{ "deleted", GL_OPT_FLAG, &flag, NULL, "f", 0 },
		{ "plugin", GL_OPT_LIST, &plugins, "NAME", "l", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	gl_cli_spec spec = { "t", "t", NULL, opts, 1, 2 };
	char *argv[] = { "cmd", "--project", "demo", "first", "--start=3",
		"--end", "-7", "--score", "0.25", "--deleted", "--plugin",
		"actors,dates", "--plugin=sentiment", "--label", "STATE",
		"--json", "--timeout", "1500", "--url=ipc:///tmp/x", "--",
		"--second", NULL };
	capture c;
	char **args;
	int nargs;

	cap_open(&c);
	CHECK_INT(gl_cli_parse(&c.cli, &spec, 21, argv, &args, &nargs), 0);
	CHECK_STR(project, "demo");
	CHECK_STR(label, "STATE");
	CHECK_INT(start, 3);
	CHECK_INT(end, -7);
	CHECK_NEAR(score, 0.25, 1e-12);
	CHECK_INT(flag, 1);
	CHECK_INT(plugins.n, 3);
	if (plugins.n == 3) {
		CHECK_STR(plugins.items[0], "actors");
		CHECK_STR(plugins.items[1], "dates");
		CHECK_STR(plugins.items[2], "sentiment");
	}
	CHECK_INT(c.cli.json, 1);
	CHECK_INT(c.cli.timeout_ms, 1500);
	CHECK_STR(c.cli.url, "ipc:///tmp/x");
	CHECK_INT(opts[2].given, 1);
	CHECK_INT(opts[1].given, 1);
	CHECK_INT(nargs, 2);
	if (nargs == 2) {
		CHECK_STR(args[0], "first");
		CHECK_STR(args[1], "--second"); /* after "--": positional */
	}
	free(args);
	gl_cli_list_free(&plugins);
	CHECK_INT(plugins.n, 0);
	cap_close(&c);
}

GL_TEST(test_parse_errors)
{
	int64_t n = 0;
	int flag = 0;
	const char *s = NULL;
	gl_cli_opt opts[] = {
		{ "n", GL_OPT_INT, &n, "N", "n", 0 },
		{ "flag", GL_OPT_FLAG, &flag, NULL, "f", 0 },
		{ "s", GL_OPT_STR, &s, "S", "s", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	gl_cli_spec spec = { "t ARG", "t", NULL, opts, 1, 1 };
	struct {
		int argc;
		char *argv[4];
		const char *err; /* expected in the error text */
	} cases[] = {
		{ 3, { "t", "a", "--bogus" }, "unknown option --bogus" },
		{ 3, { "t", "a", "--n" }, "--n needs a N" },
		{ 4, { "t", "a", "--n", "12x" }, "whole number" },
		{ 4, { "t", "a", "--n", "" }, "whole number" },
		{ 3, { "t", "a", "--flag=1" }, "takes no value" },
		{ 1, { "t" }, "missing argument" },
		{ 3, { "t", "a", "b" }, "unexpected argument \"b\"" },
		{ 3, { "t", "a", "-x" }, "unknown option -x" },
		{ 4, { "t", "a", "--timeout", "-5" }, "--timeout" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		capture c;
		char **args = NULL;
		int nargs = 0;
		cap_open(&c);
		c.cli.command = "t";
		CHECK_INT(gl_cli_parse(&c.cli, &spec, cases[i].argc,
		    cases[i].argv, &args, &nargs), GL_CLI_EXIT_USAGE);
		cap_flush(&c);
		if (strstr(c.err, cases[i].err) == NULL) {
			fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i,
			    c.err, cases[i].err);
			CHECK(0);
		}
		CHECK(strstr(c.err, "gloss t --help") != NULL);
		CHECK(args == NULL);
		cap_close(&c);
	}
}

GL_TEST(test_parse_negative_positional_and_help)
{
	int x = 0;
	gl_cli_opt opts[] = {
		{ "x", GL_OPT_FLAG, &x, NULL, "the x flag", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	gl_cli_spec spec = { "t [N]", "Does t.", "More about t.", opts, 0, 1 };
	char *argv1[] = { "t", "-12", NULL };
	char *argv2[] = { "t", "--help", NULL };
	char **args;
	int nargs;
	capture c;

	cap_open(&c);
	CHECK_INT(gl_cli_parse(&c.cli, &spec, 2, argv1, &args, &nargs), 0);
	CHECK_INT(nargs, 1);
	if (nargs == 1)
		CHECK_STR(args[0], "-12");
	free(args);
	cap_close(&c);

	cap_open(&c);
	CHECK_INT(gl_cli_parse(&c.cli, &spec, 2, argv2, &args, &nargs), 1);
	cap_flush(&c);
	CHECK(strstr(c.out, "usage: gloss t [N]") != NULL);
	CHECK(strstr(c.out, "Does t.") != NULL);
	CHECK(strstr(c.out, "More about t.") != NULL);
	CHECK(strstr(c.out, "--x") != NULL);
	CHECK(strstr(c.out, "the x flag") != NULL);
	/* Every command's help lists the global flags too. */
	CHECK(strstr(c.out, "--url URL") != NULL);
	CHECK(strstr(c.out, "--token TOKEN") != NULL);
	CHECK(strstr(c.out, "--timeout MS") != NULL);
	CHECK(strstr(c.out, "--json") != NULL);
	cap_close(&c);
}

GL_TEST(test_numbers)
{
	int64_t v = 0;
	double d = 0;

	CHECK_INT(gl_cli_parse_int("42", &v), 0);
	CHECK_INT(v, 42);
	CHECK_INT(gl_cli_parse_int("-9223372036854775808", &v), 0);
	CHECK(v == INT64_MIN);
	CHECK_INT(gl_cli_parse_int("9223372036854775808", &v), -1);
	CHECK_INT(gl_cli_parse_int("4 2", &v), -1);
	CHECK_INT(gl_cli_parse_int("0x10", &v), -1);
	CHECK_INT(gl_cli_parse_int("", &v), -1);
	CHECK_INT(gl_cli_parse_int(NULL, &v), -1);
	CHECK_INT(gl_cli_parse_double("-0.5", &d), 0);
	CHECK_NEAR(d, -0.5, 0);
	CHECK_INT(gl_cli_parse_double("1e3", &d), 0);
	CHECK_NEAR(d, 1000, 0);
	CHECK_INT(gl_cli_parse_double("nan", &d), -1);
	CHECK_INT(gl_cli_parse_double("inf", &d), -1);
	CHECK_INT(gl_cli_parse_double("1.5x", &d), -1);
}

GL_TEST(test_exit_codes)
{
	CHECK_INT(gl_cli_exit_code(0), 0);
	CHECK_INT(gl_cli_exit_code(GLOSS_EINVALID_ARGUMENT), 13);
	CHECK_INT(gl_cli_exit_code(GLOSS_ENOT_FOUND), 15);
	CHECK_INT(gl_cli_exit_code(GLOSS_EABORTED), 20);
	CHECK_INT(gl_cli_exit_code(GLOSS_EUNAVAILABLE), 24);
	CHECK_INT(gl_cli_exit_code(GLOSS_EUNAUTHENTICATED), 26);
	CHECK_INT(gl_cli_exit_code(-99), GL_CLI_EXIT_FAILURE);
}

GL_TEST(test_error_lines)
{
	gloss_status st = GLOSS_STATUS_INIT;
	char *k[] = { "current_version" }, *v[] = { "4" };
	capture c;

	cap_open(&c);
	st.code = GLOSS_ABORTED;
	st.message = "annotation 7 is at version 4, not 3";
	st.n_details = 1;
	st.detail_keys = k;
	st.detail_values = v;
	CHECK_INT(gl_cli_fail_call(&c.cli, GLOSS_EABORTED, &st), 20);
	CHECK_INT(gl_cli_fail_code(&c.cli, GLOSS_INVALID_ARGUMENT,
	    "a.jsonl line %d: bad", 3), 13);
	cap_flush(&c);
	CHECK_STR(c.err, "gloss: ABORTED: annotation 7 is at version 4, not 3 "
	    "[current_version=4]\ngloss: INVALID_ARGUMENT: a.jsonl line 3: "
	    "bad\n");
	cap_close(&c);
}

GL_TEST(test_code_names)
{
	CHECK_STR(gloss_code_name(0), "OK");
	CHECK_STR(gloss_code_name(3), "INVALID_ARGUMENT");
	CHECK_STR(gloss_code_name(GLOSS_EUNAUTHENTICATED), "UNAUTHENTICATED");
	CHECK_STR(gloss_code_name(17), "UNKNOWN_CODE");
	CHECK_INT(gloss_code_from_name("ABORTED"), 10);
	CHECK_INT(gloss_code_from_name("aborted"), -1);
}

GL_TEST(test_join)
{
	char *items[] = { "a", "bb", "c" };
	char *s = gl_cli_join(items, 3, ", ");

	CHECK_STR(s, "a, bb, c");
	free(s);
	s = gl_cli_join(items, 0, ",");
	CHECK_STR(s, "");
	free(s);
}

GL_TEST_MAIN(GL_TEST_ENTRY(test_parse_values),
    GL_TEST_ENTRY(test_parse_errors),
    GL_TEST_ENTRY(test_parse_negative_positional_and_help),
    GL_TEST_ENTRY(test_numbers), GL_TEST_ENTRY(test_exit_codes),
    GL_TEST_ENTRY(test_error_lines), GL_TEST_ENTRY(test_code_names),
    GL_TEST_ENTRY(test_join))
