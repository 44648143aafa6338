/*
 * jobs.c - `gloss analyzers` (Analyzers/List) and the server-side
 * `gloss analyze` (Analyzers/Run, then follow the job through Watch and
 * Analyzers/Job with a progress bar on a terminal).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"

int
gl_cli_cmd_analyzers(gl_cli *cli, int argc, char **argv)
{
	gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	const gl_cli_spec spec = { "analyzers",
		"Lists the analyzer plugins the server has loaded.", NULL, opts,
		0, 0 };
	Gloss__V1__ListAnalyzersRequest req =
	    GLOSS__V1__LIST_ANALYZERS_REQUEST__INIT;
	Gloss__V1__ListAnalyzersResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_analyzers_list(cli->client, &req, &resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		gloss_status_clear(&st);
		return rv;
	}
	if (cli->json) {
		gl_cli_print_json_array(cli,
		    (const ProtobufCMessage *const *)resp->analyzers,
		    resp->n_analyzers);
	} else {
		static const char *const head[] = { "NAME", "VERSION", "LAYER",
			"LABELS", "DESCRIPTION" };
		gl_cli_table t;
		gl_cli_table_init(&t, 5, head);
		for (size_t i = 0; i < resp->n_analyzers; i++) {
			const Gloss__V1__Analyzer *a = resp->analyzers[i];
			char *labels = gl_cli_join(a->labels, a->n_labels, ",");
			gl_cli_table_addf(&t, "%s\x1f%s\x1f%s\x1f%s\x1f%s",
			    a->name, a->version, a->layer, labels ? labels : "",
			    a->description);
			free(labels);
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

typedef struct follow {
	gl_cli *cli;
	int64_t job_id;
	int bar;                      /* draw a progress bar on stderr */
	Gloss__V1__GetJobResponse *last; /* newest job state */
	int rv;                       /* a failed Job call */
} follow;

static void
draw_bar(const Gloss__V1__Job *j)
{
	const int width = 30;
	int64_t total = j->documents_total, done = j->documents_done;
	int fill = total > 0 ? (int)(done * width / total) : 0;

	if (fill > width)
		fill = width;
	fprintf(stderr, "\r[%.*s%*s] %lld/%lld documents, %lld suggestions, "
	    "%lld errors ", fill, "##############################",
	    width - fill, "", (long long)done, (long long)total,
	    (long long)j->spans, (long long)j->errors);
	fflush(stderr);
}

static int
job_over(const Gloss__V1__Job *j)
{
	return strcmp(j->state, "done") == 0 || strcmp(j->state, "failed") == 0;
}

static int
on_event(const Gloss__V1__Event *ev, void *arg)
{
	follow *f = arg;
	Gloss__V1__GetJobRequest req = GLOSS__V1__GET_JOB_REQUEST__INIT;
	Gloss__V1__GetJobResponse *resp = NULL;
	int rv;

	/* Other events of the project are not ours. */
	if (ev != NULL && (strncmp(ev->kind, "job.", 4) != 0 ||
	    ev->object_id != f->job_id))
		return 0;
	req.id = f->job_id;
	if ((rv = gloss_analyzers_job(f->cli->client, &req, &resp, NULL)) != 0) {
		f->rv = rv;
		return 1;
	}
	gloss_free(f->last);
	f->last = resp;
	if (resp->job == NULL)
		return 0;
	if (f->bar)
		draw_bar(resp->job);
	return job_over(resp->job);
}

int
gl_cli_cmd_analyze_job(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	gl_cli_list docs = { 0, NULL }, plugins = { 0, NULL };
	int no_wait = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)",
		    0 },
		{ "doc", GL_OPT_LIST, &docs, "ID",
		    "only this document (repeatable; default: all)", 0 },
		{ "plugin", GL_OPT_LIST, &plugins, "NAME",
		    "only this analyzer (repeatable; default: all loaded)", 0 },
		{ "no-wait", GL_OPT_FLAG, &no_wait, NULL,
		    "print the job id and return at once", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "analyze --project P [--doc ID]... "
		"[--plugin NAME]... [--no-wait]\n"
		"       gloss analyze --local --plugin PATH_OR_NAME ... "
		"(see: gloss analyze --local --help)",
		"Runs analyzers on the server; their spans become suggestions.",
		"Starts a job (Analyzers/Run) and follows it to the end with a "
		"progress bar on\na terminal, then prints a summary (with "
		"--json: the final job).  Exits 1 if the\njob failed.  With "
		"--local the plugin runs in this process, with no server.",
		opts, 0, 0 };
	Gloss__V1__RunAnalyzersRequest req =
	    GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	Gloss__V1__RunAnalyzersResponse *run = NULL;
	Gloss__V1__HealthCheckRequest hreq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *h = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	gloss_watch_opts wo = { 0 };
	follow f = { cli, 0, 0, NULL, 0 };
	int64_t *ids = NULL;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0) {
		gl_cli_list_free(&docs);
		gl_cli_list_free(&plugins);
		return rv == 1 ? 0 : rv;
	}
	free(args);
	if (project == NULL) {
		rv = gl_cli_usage_error(cli, "--project is required");
		goto out;
	}
	if (docs.n > 0 && (ids = calloc(docs.n, sizeof(int64_t))) == NULL) {
		rv = gl_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < docs.n; i++) {
		if (gl_cli_parse_int(docs.items[i], &ids[i]) != 0 || ids[i] <= 0) {
			rv = gl_cli_usage_error(cli, "\"%s\" is not a document "
			    "id", docs.items[i]);
			goto out;
		}
	}
	req.project = (char *)project;
	req.n_document_ids = docs.n;
	req.document_ids = ids;
	req.n_plugins = plugins.n;
	req.plugins = plugins.items;
	if ((rv = gl_cli_connect(cli)) != 0)
		goto out;
	/* The seq before the run: no event of the job can come before it. */
	if ((rv = gloss_health_check(cli->client, &hreq, &h, &st)) != 0 ||
	    (rv = gloss_analyzers_run(cli->client, &req, &run, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		goto out;
	}
	f.job_id = run->job_id;
	if (no_wait) {
		if (cli->json)
			fprintf(cli->out, "{\"job_id\":%lld}\n",
			    (long long)f.job_id);
		else
			fprintf(cli->out, "started job %lld\n",
			    (long long)f.job_id);
		goto out;
	}
	f.bar = !cli->json && isatty(STDERR_FILENO);
	wo.project = project;
	wo.since_seq = (int64_t)h->last_seq;
	wo.wait_ms = 1000; /* poll the job now and then even without events */
	/* A job finished before the first poll has nothing left to say. */
	if (on_event(NULL, &f) == 0) {
		rv = gloss_watch_ex(cli->client, &wo, on_event, &f, NULL);
		if (rv < 0) {
			rv = gl_cli_fail_call(cli, rv, NULL);
			goto out;
		}
	}
	if (f.bar)
		fputc('\n', stderr);
	if (f.rv != 0) {
		rv = gl_cli_fail_call(cli, f.rv, NULL);
		goto out;
	}
	if (f.last == NULL || f.last->job == NULL) {
		rv = gl_cli_fail_code(cli, GLOSS_INTERNAL,
		    "the server sent no job %lld", (long long)f.job_id);
		goto out;
	}
	{
		const Gloss__V1__Job *j = f.last->job;
		if (cli->json) {
			gl_cli_print_json(cli, &j->base);
		} else {
			fprintf(cli->out, "job %lld %s: %lld/%lld documents, %lld "
			    "suggestions, %lld errors\n", (long long)j->id,
			    j->state, (long long)j->documents_done,
			    (long long)j->documents_total, (long long)j->spans,
			    (long long)j->errors);
			for (size_t i = 0; i < j->n_error_messages; i++)
				fprintf(cli->out, "  error: %s\n",
				    j->error_messages[i]);
		}
		rv = strcmp(j->state, "failed") == 0 ? GL_CLI_EXIT_FAILURE : 0;
	}
out:
	gloss_free(f.last);
	gloss_free(run);
	gloss_free(h);
	gloss_status_clear(&st);
	free(ids);
	gl_cli_list_free(&docs);
	gl_cli_list_free(&plugins);
	return rv;
}
