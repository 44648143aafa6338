/*
 * cli.h - what every `gloss` command shares: the global flags and the
 * connection they describe, a small long-option parser with generated
 * --help, exit codes, tables for people and JSON for scripts.
 */
#ifndef GL_CLI_H
#define GL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "gloss/client.h"

#define GL_CLI_DEFAULT_URL "tcp://127.0.0.1:7411"

/* Exit statuses besides 10 + status code. */
enum {
	GL_CLI_EXIT_OK = 0,
	GL_CLI_EXIT_FAILURE = 1, /* a local failure: unreadable file, ... */
	GL_CLI_EXIT_USAGE = 2,   /* bad flags or arguments */
};

/* The state of one `gloss` run. */
typedef struct gl_cli {
	const char *url;      /* --url, else $GLOSS_URL, else the default */
	const char *token;    /* --token, else $GLOSS_TOKEN */
	int json;             /* --json */
	int64_t timeout_ms;   /* --timeout; 0: GLOSS_DEFAULT_TIMEOUT_MS */
	int help;             /* --help was given */
	const char *command;  /* "ann add", for messages and help */
	gloss_client *client; /* opened by gl_cli_connect, closed by main */
	FILE *out;            /* stdout; tests point it elsewhere */
	FILE *err;            /* stderr */
} gl_cli;

void gl_cli_init(gl_cli *cli);
void gl_cli_fini(gl_cli *cli);

/* ---- option parsing ---------------------------------------------------- */

typedef enum {
	GL_OPT_FLAG,   /* int *: set to 1 */
	GL_OPT_STR,    /* const char **: points into argv */
	GL_OPT_INT,    /* int64_t *: a whole decimal number */
	GL_OPT_DOUBLE, /* double * */
	GL_OPT_LIST,   /* gl_cli_list *: repeatable; "a,b" adds two items */
} gl_cli_opt_kind;

/* The values of a repeatable option, in order; owned, gl_cli_list_free. */
typedef struct gl_cli_list {
	size_t n;
	char **items;
} gl_cli_list;
void gl_cli_list_free(gl_cli_list *l);

typedef struct gl_cli_opt {
	const char *name;     /* without the dashes: "project" for --project */
	gl_cli_opt_kind kind;
	void *dst;
	const char *meta;     /* argument name in help: "P", "N", "FILE" */
	const char *help;
	int given;            /* set by the parser */
} gl_cli_opt;

/* One command's description, for the parser's messages and --help. */
typedef struct gl_cli_spec {
	const char *usage;    /* "ann add --doc ID --layer L ..." */
	const char *summary;  /* one line */
	const char *details;  /* more text, or NULL */
	gl_cli_opt *opts;     /* terminated by an entry with name NULL */
	int min_args, max_args; /* positional arguments; max -1: any */
} gl_cli_spec;

/*
 * Parses argv[1..argc) (argv[0] is the command word) against spec->opts and
 * the global flags (--url, --token, --json, --timeout, --help).  Accepts
 * "--name value" and "--name=value"; "--" ends the options.  Positional
 * arguments are stored in *args (a malloc'ed array of argv pointers, caller
 * frees) and *nargs.  Returns 0; 1 when --help was given (help printed to
 * cli->out); or GL_CLI_EXIT_USAGE after printing the problem to cli->err.
 */
int gl_cli_parse(gl_cli *cli, const gl_cli_spec *spec, int argc, char **argv,
    char ***args, int *nargs);
void gl_cli_print_help(gl_cli *cli, const gl_cli_spec *spec);
/* "gloss: <command>: <msg>" and a hint to --help; returns GL_CLI_EXIT_USAGE. */
int gl_cli_usage_error(gl_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Strict number parsing: the whole string, in range.  0 or -1. */
int gl_cli_parse_int(const char *s, int64_t *out);
int gl_cli_parse_double(const char *s, double *out);

/* ---- command groups ---------------------------------------------------- */

typedef int (*gl_cli_cmd_fn)(gl_cli *cli, int argc, char **argv);

typedef struct gl_cli_subcmd {
	const char *name;
	gl_cli_cmd_fn fn;
	const char *summary;
} gl_cli_subcmd;

/*
 * Runs the subcommand argv[1] of group argv[0] from subs (terminated by a
 * NULL name), with cli->command = "group sub"; prints the group's help for
 * "--help" or no subcommand.
 */
int gl_cli_dispatch(gl_cli *cli, const char *summary,
    const gl_cli_subcmd *subs, int argc, char **argv);

/* ---- calls and errors -------------------------------------------------- */

/* Opens cli->client from the flags and environment; prints failures. */
int gl_cli_connect(gl_cli *cli);

/* 0 for 0; 10 + status code for a negative gloss return value. */
int gl_cli_exit_code(int rc);

/*
 * Prints "gloss: CODE: message [key=value ...]" to cli->err for the failed
 * call rc (st may be NULL: the thread's last error is used) and returns the
 * exit code for it.
 */
int gl_cli_fail_call(gl_cli *cli, int rc, const gloss_status *st);
/* gl_cli_fail_call() that also clears st: the usual end of a failed call. */
int gl_cli_call_failed(gl_cli *cli, int rc, gloss_status *st);
/* A positive id from s, else a usage error (its exit status is returned). */
int gl_cli_parse_id(gl_cli *cli, const char *s, int64_t *id);
/* Prints "gloss: CODE: <msg>" for a local failure and returns 10 + code. */
int gl_cli_fail_code(gl_cli *cli, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints "gloss: <msg>" and returns GL_CLI_EXIT_FAILURE. */
int gl_cli_fail(gl_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- output ------------------------------------------------------------ */

/*
 * Appends msg as a JSON object: proto field names, numbers as numbers,
 * enums by name, bytes as base64, repeated fields as arrays, unset
 * messages as null, and the JSON-text fields (attributes, metadata, detail)
 * embedded as objects when they hold one.  Returns 0 or -ENOMEM.
 */
int gl_cli_json_message(gl_buf *b, const ProtobufCMessage *msg);
/* Prints msg as one line of JSON to cli->out. */
int gl_cli_print_json(gl_cli *cli, const ProtobufCMessage *msg);
/* Prints a JSON array of n messages to cli->out. */
int gl_cli_print_json_array(gl_cli *cli, const ProtobufCMessage *const *msgs,
    size_t n);

/* A text table: add rows of strings, then print with aligned columns. */
typedef struct gl_cli_table {
	size_t ncols;
	size_t nrows;      /* including the header row */
	char **cells;      /* nrows * ncols owned strings */
	size_t cap;
	size_t max_width;  /* cells longer than this many characters are cut */
} gl_cli_table;

void gl_cli_table_init(gl_cli_table *t, size_t ncols, const char *const *header);
/* Adds a row of ncols values (NULL counts as ""); 0 or -ENOMEM. */
int gl_cli_table_add(gl_cli_table *t, const char *const *row);
/*
 * Adds a row from one printf-style format whose columns are separated by
 * "\x1f" (the ASCII unit separator, which no cell text holds).
 */
int gl_cli_table_addf(gl_cli_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gl_cli_table_print(const gl_cli_table *t, FILE *out);
/* The table as text, for tests; caller frees. */
char *gl_cli_table_render(const gl_cli_table *t);
void gl_cli_table_free(gl_cli_table *t);

/* "2026-01-02T03:04:05Z" for unix milliseconds; "-" for 0.  buf >= 32. */
const char *gl_cli_format_time(int64_t unix_ms, char *buf, size_t len);
/* Text on one line: control characters become spaces; caller frees. */
char *gl_cli_one_line(const char *s);

/* ---- small helpers ----------------------------------------------------- */

/*
 * Reads a whole file ("-" is stdin) into *data (NUL-terminated, caller
 * frees) and *len.  Returns 0, or -1 with errno set.
 */
int gl_cli_read_file(const char *path, char **data, size_t *len);
/* items joined with sep; caller frees ("" for none, NULL on ENOMEM). */
char *gl_cli_join(char *const *items, size_t n, const char *sep);

#endif /* GL_CLI_H */
