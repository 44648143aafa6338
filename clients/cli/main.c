/*
 * main.c - `gloss`, the command-line client of glossd: global flags, the
 * command table and top-level help.  Each command lives in its own file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/agree.h"
#include "clients/cli/analyze.h"
#include "clients/cli/cli.h"
#include "clients/cli/commands.h"
#include "clients/cli/eval.h"

#ifndef GLOSS_VERSION
#define GLOSS_VERSION "unknown"
#endif

static int cmd_analyze(gl_cli *cli, int argc, char **argv);
static int cmd_eval(gl_cli *cli, int argc, char **argv);

static const struct {
	const char *name;
	gl_cli_cmd_fn fn;
	const char *summary;
} commands[] = {
	{ "health", gl_cli_cmd_health, "is the server up? (no token needed)" },
	{ "project", gl_cli_cmd_project, "create, list and show projects" },
	{ "import", gl_cli_cmd_import, "import .txt and .jsonl documents" },
	{ "docs", gl_cli_cmd_docs, "list, show and delete documents" },
	{ "search", gl_cli_cmd_search, "full-text search in a project" },
	{ "ann", gl_cli_cmd_ann,
	    "add, list, update, delete, accept and reject annotations" },
	{ "rel", gl_cli_cmd_rel, "add, list and delete relations" },
	{ "watch", gl_cli_cmd_watch, "print events as they happen" },
	{ "analyzers", gl_cli_cmd_analyzers, "list the server's analyzers" },
	{ "analyze", cmd_analyze,
	    "run analyzers on the server, or locally with --local" },
	{ "eval", cmd_eval, "score analyzer output against a gold file" },
	{ "user", gl_cli_cmd_user, "create and list users (admins)" },
	{ "token", gl_cli_cmd_token, "issue and revoke tokens (admins)" },
	{ "who", gl_cli_cmd_who, "who is looking at which document" },
	{ "heartbeat", gl_cli_cmd_heartbeat, "announce your presence on a document" },
	{ "curate", gl_cli_cmd_curate, "compare annotators and merge into gold" },
	{ "agree", gl_cli_cmd_agree, "inter-annotator agreement on a layer" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: gloss [--url URL] [--token TOKEN] [--json] [--timeout MS] "
	    "COMMAND [ARGS]\n\n"
	    "gloss talks to a glossd server: projects, documents, annotations "
	    "and analyzers.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f,
	    "\nglobal options (before or after the command):\n"
	    "  --url URL      server URL (default: $GLOSS_URL, else "
	    GL_CLI_DEFAULT_URL ")\n"
	    "                 tcp://HOST:PORT, ipc:///PATH, ws://HOST:PORT/rpc,"
	    " tls+tcp://, wss://\n"
	    "                 ($GLOSS_TLS_CA names a CA file for TLS)\n"
	    "  --token TOKEN  access token (default: $GLOSS_TOKEN)\n"
	    "  --json         print JSON for scripts (JSONL for streams)\n"
	    "  --timeout MS   give up on a call after MS milliseconds "
	    "(default 30000)\n"
	    "  --help         help; \"gloss COMMAND --help\" for a command\n"
	    "  --version      print the version\n"
	    "\nexit status: 0 on success; 10 + the status code on an RPC error"
	    " (13 INVALID_ARGUMENT,\n15 NOT_FOUND, 20 ABORTED, 24 UNAVAILABLE, "
	    "26 UNAUTHENTICATED, ...); 2 on a usage\nerror; 1 on a local "
	    "failure such as an unreadable file.\n");
}

static int
has_arg(int argc, char **argv, const char *a)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], a) == 0)
			return 1;
	}
	return 0;
}

static int
cmd_analyze(gl_cli *cli, int argc, char **argv)
{
	/* --local runs a plugin in this process: analyze.c's command. */
	if (has_arg(argc, argv, "--local"))
		return gl_cli_analyze(argc, argv);
	return gl_cli_cmd_analyze_job(cli, argc, argv);
}

static int
cmd_eval(gl_cli *cli, int argc, char **argv)
{
	/* `gloss --json eval ...`: the global flag was taken before argv[0]. */
	if (cli->json && !has_arg(argc, argv, "--json")) {
		char **v = calloc((size_t)argc + 2, sizeof(*v));
		if (v == NULL)
			return gl_cli_fail(cli, "out of memory");
		memcpy(v, argv, (size_t)argc * sizeof(*v));
		v[argc] = (char *)"--json";
		int rv = gl_cli_eval(argc + 1, v);
		free(v);
		return rv;
	}
	return gl_cli_eval(argc, argv);
}

int
main(int argc, char **argv)
{
	gl_cli cli;
	int i, rv;

	gl_cli_init(&cli);
	/* Global flags before the command word. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *v;
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		int64_t t;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--version") == 0) {
			printf("gloss %s\n", GLOSS_VERSION);
			return 0;
		}
		if (strcmp(a, "--json") == 0) {
			cli.json = 1;
			continue;
		}
		if (!((n == 5 && strncmp(a, "--url", n) == 0) ||
		    (n == 7 && strncmp(a, "--token", n) == 0) ||
		    (n == 9 && strncmp(a, "--timeout", n) == 0))) {
			fprintf(stderr, "gloss: unknown option %s\n"
			    "(see: gloss --help)\n", a);
			return GL_CLI_EXIT_USAGE;
		}
		v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (v == NULL) {
			fprintf(stderr, "gloss: %s needs a value\n", a);
			return GL_CLI_EXIT_USAGE;
		}
		if (n == 5) {
			cli.url = v;
		} else if (n == 7) {
			cli.token = v;
		} else if (gl_cli_parse_int(v, &t) != 0 || t < 0 ||
		    t > UINT32_MAX) {
			fprintf(stderr, "gloss: --timeout wants milliseconds, "
			    "not \"%s\"\n", v);
			return GL_CLI_EXIT_USAGE;
		} else {
			cli.timeout_ms = t;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return GL_CLI_EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 >= argc) {
			usage(stdout);
			return 0;
		}
		/* "gloss help ann" is "gloss ann --help". */
		char *hargv[] = { argv[i + 1], "--help", NULL };
		for (size_t k = 0; k < N_COMMANDS; k++)
			if (strcmp(commands[k].name, argv[i + 1]) == 0) {
				cli.command = commands[k].name;
				return commands[k].fn(&cli, 2, hargv);
			}
		fprintf(stderr, "gloss: unknown command \"%s\"\n", argv[i + 1]);
		return GL_CLI_EXIT_USAGE;
	}
	for (size_t k = 0; k < N_COMMANDS; k++) {
		if (strcmp(commands[k].name, argv[i]) == 0) {
			cli.command = commands[k].name;
			rv = commands[k].fn(&cli, argc - i, argv + i);
			gl_cli_fini(&cli);
			fflush(stdout);
			return rv;
		}
	}
	fprintf(stderr, "gloss: unknown command \"%s\" (see: gloss --help)\n",
	    argv[i]);
	return GL_CLI_EXIT_USAGE;
}
