/*
 * docs.c - `gloss docs list|show|rm` and `gloss search`: Documents/List
 * (following cursors), Get, Delete and Search.
 */
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"

/* Parses a positional id; prints a usage error when it is not one. */
static int
cmd_list(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	int64_t limit = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)",
		    0 },
		{ "limit", GL_OPT_INT, &limit, "N",
		    "at most N documents (default: all, page by page)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "docs list --project P [--limit N]",
		"Lists the documents of a project, oldest first, without text.",
		NULL, opts, 0, 0 };
	Gloss__V1__ListDocumentsRequest req =
	    GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
	gloss_status st = GLOSS_STATUS_INIT;
	gl_cli_table t;
	char **args, *cursor = NULL;
	int nargs, rv, first = 1;
	int64_t shown = 0;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (project == NULL)
		return gl_cli_usage_error(cli, "--project is required");
	if (limit < 0)
		return gl_cli_usage_error(cli, "--limit must be >= 0");
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	{
		static const char *const head[] = { "ID", "PUBLISHED", "LENGTH",
			"SOURCE", "TITLE" };
		gl_cli_table_init(&t, 5, head);
	}
	req.project = (char *)project;
	if (cli->json)
		fputs("[", cli->out);
	for (;;) {
		Gloss__V1__ListDocumentsResponse *resp = NULL;
		int64_t want = limit ? limit - shown : 1000;
		req.page_size = (uint32_t)(want > 1000 ? 1000 : want);
		req.cursor = cursor ? cursor : "";
		rv = gloss_documents_list(cli->client, &req, &resp, &st);
		if (rv != 0) {
			rv = gl_cli_call_failed(cli, rv, &st);
			break;
		}
		for (size_t i = 0; i < resp->n_documents &&
		    (limit == 0 || shown < limit); i++, shown++) {
			const Gloss__V1__Document *d = resp->documents[i];
			if (cli->json) {
				gl_buf b = GL_BUF_INIT;
				if (!first)
					gl_buf_putc(&b, ',');
				gl_cli_json_message(&b, &d->base);
				if (b.data)
					fputs(b.data, cli->out);
				gl_buf_free(&b);
			} else {
				gl_cli_table_addf(&t, "%lld\x1f%s\x1f%lld\x1f%s\x1f%s",
				    (long long)d->id,
				    d->published[0] ? d->published : "-",
				    (long long)d->length, d->source, d->title);
			}
			first = 0;
		}
		free(cursor);
		cursor = NULL;
		if (resp->next_cursor[0] != '\0' &&
		    (limit == 0 || shown < limit))
			cursor = strdup(resp->next_cursor);
		gloss_status_clear(&st);
		gloss_free(resp);
		if (cursor == NULL)
			break;
	}
	free(cursor);
	if (cli->json)
		fputs("]\n", cli->out);
	else if (rv == 0)
		gl_cli_table_print(&t, cli->out);
	gl_cli_table_free(&t);
	return rv;
}

static int
cmd_show(gl_cli *cli, int argc, char **argv)
{
	int text = 0;
	gl_cli_opt opts[] = {
		{ "text", GL_OPT_FLAG, &text, NULL,
		    "print the text only, as stored (NFC, \\n line ends)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "docs show ID [--text]",
		"Shows one document: its fields, or with --text its text.",
		"With --json the whole document, text included, is one JSON "
		"object.", opts, 1, 1 };
	Gloss__V1__GetDocumentRequest req = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	const Gloss__V1__Document *d;
	char **args, when[32];
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0 || (rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_documents_get(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if ((d = resp->document) == NULL) {
		gloss_status_clear(&st);
		gloss_free(resp);
		return gl_cli_fail_code(cli, GLOSS_INTERNAL,
		    "the server sent no document");
	}
	if (cli->json) {
		gl_cli_print_json(cli, &d->base);
	} else if (text) {
		fputs(d->text, cli->out);
		if (d->text[0] && d->text[strlen(d->text) - 1] != '\n')
			fputc('\n', cli->out);
	} else {
		fprintf(cli->out, "id:         %lld\nproject:    %s\n"
		    "title:      %s\nsource:     %s\nurl:        %s\n"
		    "published:  %s\nlang:       %s\nlength:     %lld "
		    "characters\nsha256:     %s\nmetadata:   %s\n"
		    "created:    %s\n", (long long)d->id, d->project, d->title,
		    d->source, d->url, d->published, d->lang,
		    (long long)d->length, d->sha256, d->metadata,
		    gl_cli_format_time(d->created_at, when, sizeof(when)));
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_rm(gl_cli *cli, int argc, char **argv)
{
	gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	const gl_cli_spec spec = { "docs rm ID",
		"Deletes a document with its annotations and relations.", NULL,
		opts, 1, 1 };
	Gloss__V1__DeleteDocumentRequest req =
	    GLOSS__V1__DELETE_DOCUMENT_REQUEST__INIT;
	Gloss__V1__DeleteDocumentResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0 || (rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_documents_delete(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	gloss_status_clear(&st);
	gloss_free(resp);
	if (cli->json)
		fprintf(cli->out, "{\"deleted\":%lld}\n", (long long)req.id);
	else
		fprintf(cli->out, "deleted document %lld\n", (long long)req.id);
	return 0;
}

int
gl_cli_cmd_docs(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "list", cmd_list, "list the documents of a project" },
		{ "show", cmd_show, "show a document or its text" },
		{ "rm", cmd_rm, "delete a document" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Documents of a project.", subs, argc,
	    argv);
}

int
gl_cli_cmd_search(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	int64_t limit = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)",
		    0 },
		{ "limit", GL_OPT_INT, &limit, "N",
		    "at most N hits (default 20, at most 200)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "search --project P [--limit N] QUERY...",
		"Full-text search over titles and texts, best match first.",
		"QUERY is FTS5 syntax: words, \"a phrase\", OR, NOT, prefix*.  "
		"Several arguments\nare joined with spaces.  Matches are "
		"shown in [brackets].",
		opts, 1, -1 };
	Gloss__V1__SearchRequest req = GLOSS__V1__SEARCH_REQUEST__INIT;
	Gloss__V1__SearchResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args, *query;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	query = gl_cli_join(args, (size_t)nargs, " ");
	free(args);
	if (project == NULL) {
		free(query);
		return gl_cli_usage_error(cli, "--project is required");
	}
	if (limit < 0 || limit > UINT32_MAX) {
		free(query);
		return gl_cli_usage_error(cli, "--limit is out of range");
	}
	if (query == NULL)
		return gl_cli_fail(cli, "out of memory");
	req.project = (char *)project;
	req.query = query;
	req.limit = (uint32_t)limit;
	if ((rv = gl_cli_connect(cli)) != 0) {
		free(query);
		return rv;
	}
	rv = gloss_documents_search(cli->client, &req, &resp, &st);
	free(query);
	if (rv != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if (cli->json) {
		gl_cli_print_json_array(cli,
		    (const ProtobufCMessage *const *)resp->hits, resp->n_hits);
	} else {
		static const char *const head[] = { "ID", "RANK", "TITLE",
			"SNIPPET" };
		gl_cli_table t;
		gl_cli_table_init(&t, 4, head);
		t.max_width = 80;
		for (size_t i = 0; i < resp->n_hits; i++) {
			const Gloss__V1__SearchHit *h = resp->hits[i];
			gl_cli_table_addf(&t, "%lld\x1f%.4g\x1f%s\x1f%s",
			    (long long)h->id, h->rank, h->title, h->snippet);
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}
