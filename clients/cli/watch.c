/*
 * watch.c - `gloss watch`: prints the event log as it grows, through the
 * libgloss Watch loop (long polls that resume from the last seq).
 */
#include <stdlib.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"

typedef struct watch_state {
	gl_cli *cli;
	int64_t count; /* stop after this many events; 0: never */
	int64_t seen;
} watch_state;

static int
on_event(const Gloss__V1__Event *ev, void *arg)
{
	watch_state *w = arg;
	gl_cli *cli = w->cli;

	if (ev == NULL)
		return 0; /* an idle poll: keep waiting */
	if (cli->json) {
		gl_cli_print_json(cli, &ev->base);
	} else {
		char when[32];
		fprintf(cli->out, "%lld  %s  %-20s %s  doc %lld  id %lld  v%lld"
		    "  by %s", (long long)ev->seq, gl_cli_format_time(ev->time,
		    when, sizeof(when)), ev->kind, ev->project,
		    (long long)ev->document_id, (long long)ev->object_id,
		    (long long)ev->version, ev->author);
		if (ev->annotation != NULL) {
			const Gloss__V1__Annotation *a = ev->annotation;
			char *q = gl_cli_one_line(a->quote);
			fprintf(cli->out, "  [%s %s %lld-%lld %s \"%s\"]",
			    a->layer, a->label, (long long)a->start,
			    (long long)a->end, a->status, q ? q : "");
			free(q);
		} else if (ev->detail[0] != '\0' &&
		    !(ev->detail[0] == '{' && ev->detail[1] == '}')) {
			char *d = gl_cli_one_line(ev->detail);
			fprintf(cli->out, "  %s", d ? d : "");
			free(d);
		}
		fputc('\n', cli->out);
		fflush(cli->out);
	}
	w->seen++;
	return w->count > 0 && w->seen >= w->count;
}

int
gl_cli_cmd_watch(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	int64_t since = 0, count = 0, wait = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P",
		    "only this project (default: every project you may read)",
		    0 },
		{ "since", GL_OPT_INT, &since, "N",
		    "start after event seq N (0: the whole log; default: now)",
		    0 },
		{ "count", GL_OPT_INT, &count, "N",
		    "exit after N events (for scripts)", 0 },
		{ "wait", GL_OPT_INT, &wait, "MS",
		    "long-poll hold per call (default 25000, at most 60000)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "watch [--project P] [--since N] "
		"[--count N]",
		"Prints events (imports, annotation changes, jobs) as they "
		"happen.",
		"One line per event; with --json one JSON object per line "
		"(JSONL).  Across a\nserver restart it reconnects and resumes "
		"after the last event it printed, so\nnothing is missed or "
		"repeated.  --timeout bounds each call beyond the wait.",
		opts, 0, 0 };
	gloss_watch_opts wo = { 0 };
	watch_state w = { cli, 0, 0 };
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (since < 0 || count < 0 || wait < 0 || wait > 60000)
		return gl_cli_usage_error(cli, "--since, --count and --wait "
		    "must be >= 0 (--wait at most 60000)");
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if (!opts[1].given) {
		/* "Now": the newest seq, which Health reports without a token. */
		Gloss__V1__HealthCheckRequest hreq =
		    GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
		Gloss__V1__HealthCheckResponse *h = NULL;
		gloss_status st = GLOSS_STATUS_INIT;
		if ((rv = gloss_health_check(cli->client, &hreq, &h, &st)) != 0) {
			rv = gl_cli_fail_call(cli, rv, &st);
			gloss_status_clear(&st);
			return rv;
		}
		since = (int64_t)h->last_seq;
		gloss_status_clear(&st);
		gloss_free(h);
	}
	w.count = count;
	wo.project = project;
	wo.since_seq = since;
	wo.wait_ms = (uint32_t)wait;
	rv = gloss_watch_ex(cli->client, &wo, on_event, &w, NULL);
	if (rv < 0)
		return gl_cli_fail_call(cli, rv, NULL);
	return 0;
}
