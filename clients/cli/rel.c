/*
 * rel.c - `gloss rel add|list|rm`: Relations/Create, List, Delete.
 */
#include <stdlib.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"

static void
print_rels(gl_cli *cli, Gloss__V1__Relation *const *rels, size_t n)
{
	static const char *const head[] = { "ID", "DOC", "FROM", "TO", "LABEL",
		"AUTHOR", "V" };
	gl_cli_table t;

	if (cli->json) {
		gl_cli_print_json_array(cli,
		    (const ProtobufCMessage *const *)rels, n);
		return;
	}
	gl_cli_table_init(&t, 7, head);
	for (size_t i = 0; i < n; i++) {
		const Gloss__V1__Relation *r = rels[i];
		gl_cli_table_addf(&t, "%lld\x1f%lld\x1f%lld\x1f%lld\x1f%s%s"
		    "\x1f%s\x1f%lld", (long long)r->id,
		    (long long)r->document_id, (long long)r->source_id,
		    (long long)r->target_id, r->label,
		    r->deleted ? " (deleted)" : "", r->author,
		    (long long)r->version);
	}
	gl_cli_table_print(&t, cli->out);
	gl_cli_table_free(&t);
}

static int
cmd_add(gl_cli *cli, int argc, char **argv)
{
	const char *label = NULL;
	int64_t from = 0, to = 0;
	gl_cli_opt opts[] = {
		{ "from", GL_OPT_INT, &from, "ID",
		    "source annotation (required)", 0 },
		{ "to", GL_OPT_INT, &to, "ID", "target annotation (required)", 0 },
		{ "label", GL_OPT_STR, &label, "X",
		    "the relation, e.g. stance (required)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "rel add --from ID --to ID --label X",
		"Links two annotations of the same document.", NULL, opts, 0,
		0 };
	Gloss__V1__CreateRelationRequest req =
	    GLOSS__V1__CREATE_RELATION_REQUEST__INIT;
	Gloss__V1__CreateRelationResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (!opts[0].given || !opts[1].given || label == NULL)
		return gl_cli_usage_error(cli,
		    "--from, --to and --label are required");
	req.source_id = from;
	req.target_id = to;
	req.label = (char *)label;
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_relations_create(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if (resp->relation != NULL) {
		if (!cli->json)
			fprintf(cli->out, "created relation %lld\n",
			    (long long)resp->relation->id);
		print_rels(cli, &resp->relation, 1);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_list(gl_cli *cli, int argc, char **argv)
{
	int64_t doc = 0;
	int deleted = 0;
	gl_cli_opt opts[] = {
		{ "doc", GL_OPT_INT, &doc, "ID", "the document (required)", 0 },
		{ "deleted", GL_OPT_FLAG, &deleted, NULL,
		    "include deleted relations", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "rel list --doc ID [--deleted]",
		"Lists the relations of a document.", NULL, opts, 0, 0 };
	Gloss__V1__ListRelationsRequest req =
	    GLOSS__V1__LIST_RELATIONS_REQUEST__INIT;
	Gloss__V1__ListRelationsResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (!opts[0].given)
		return gl_cli_usage_error(cli, "--doc is required");
	req.document_id = doc;
	req.include_deleted = deleted;
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_relations_list(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	print_rels(cli, resp->relations, resp->n_relations);
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_rm(gl_cli *cli, int argc, char **argv)
{
	gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	const gl_cli_spec spec = { "rel rm ID", "Deletes a relation.", NULL,
		opts, 1, 1 };
	Gloss__V1__DeleteRelationRequest req =
	    GLOSS__V1__DELETE_RELATION_REQUEST__INIT;
	Gloss__V1__DeleteRelationResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	if (gl_cli_parse_int(args[0], &req.id) != 0 || req.id <= 0) {
		rv = gl_cli_usage_error(cli, "\"%s\" is not an id", args[0]);
		free(args);
		return rv;
	}
	free(args);
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_relations_delete(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if (resp->relation != NULL) {
		if (!cli->json)
			fprintf(cli->out, "deleted relation %lld\n",
			    (long long)resp->relation->id);
		print_rels(cli, &resp->relation, 1);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

int
gl_cli_cmd_rel(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "add", cmd_add, "link two annotations" },
		{ "list", cmd_list, "list a document's relations" },
		{ "rm", cmd_rm, "delete a relation" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Relations: labelled links between two "
	    "annotations.", subs, argc, argv);
}
