/*
 * ann.c - `gloss ann add|list|update|rm|accept|reject`: Annotations/Create,
 * List, Update, Delete and Suggestions/Accept, Reject.
 */
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"
#include "common/json.h"

/* --attr must be a JSON object; checked here so the mistake is a usage one. */
static int
check_attr(gl_cli *cli, const char *attr)
{
	char err[200];

	if (attr != NULL &&
	    gl_json_is_object(attr, strlen(attr), err, sizeof(err)) != 0)
		return gl_cli_usage_error(cli, "--attr must be a JSON object: %s",
		    err);
	return 0;
}

static void
table_head(gl_cli_table *t)
{
	static const char *const head[] = { "ID", "DOC", "LAYER", "LABEL",
		"START", "END", "STATUS", "AUTHOR", "V", "QUOTE", "VALUE" };
	gl_cli_table_init(t, 11, head);
	t->max_width = 40;
}

static void
table_row(gl_cli_table *t, const Gloss__V1__Annotation *a)
{
	gl_cli_table_addf(t, "%lld\x1f%lld\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s%s"
	    "\x1f%s\x1f%lld\x1f%s\x1f%s", (long long)a->id,
	    (long long)a->document_id, a->layer, a->label, (long long)a->start,
	    (long long)a->end, a->status, a->deleted ? " (deleted)" : "",
	    a->author, (long long)a->version, a->quote, a->value);
}

/* Prints one annotation a write returned: JSON, or a one-row table. */
static void
print_one(gl_cli *cli, const Gloss__V1__Annotation *a, const char *verb)
{
	gl_cli_table t;

	if (a == NULL)
		return;
	if (cli->json) {
		gl_cli_print_json(cli, &a->base);
		return;
	}
	if (verb != NULL)
		fprintf(cli->out, "%s annotation %lld (version %lld)\n", verb,
		    (long long)a->id, (long long)a->version);
	table_head(&t);
	table_row(&t, a);
	gl_cli_table_print(&t, cli->out);
	gl_cli_table_free(&t);
}

static int
cmd_add(gl_cli *cli, int argc, char **argv)
{
	const char *layer = NULL, *label = NULL, *value = NULL, *quote = NULL,
		   *attr = NULL, *status = NULL;
	int64_t doc = 0, start = 0, end = 0;
	double score = 0;
	gl_cli_opt opts[] = {
		{ "doc", GL_OPT_INT, &doc, "ID", "the document (required)", 0 },
		{ "layer", GL_OPT_STR, &layer, "L",
		    "the layer, e.g. actor (required)", 0 },
		{ "label", GL_OPT_STR, &label, "X", "the label (required)", 0 },
		{ "start", GL_OPT_INT, &start, "N",
		    "first character, counted in code points from 0 (required)",
		    0 },
		{ "end", GL_OPT_INT, &end, "N",
		    "one past the last character (required)", 0 },
		{ "value", GL_OPT_STR, &value, "V",
		    "a value, e.g. a normalised date or an actor id", 0 },
		{ "quote", GL_OPT_STR, &quote, "Q",
		    "the text expected at [start, end); checked by the server",
		    0 },
		{ "attr", GL_OPT_STR, &attr, "JSON",
		    "attributes as a JSON object", 0 },
		{ "score", GL_OPT_DOUBLE, &score, "S", "a confidence score", 0 },
		{ "status", GL_OPT_STR, &status, "S",
		    "accepted (default), suggested, rejected or gold", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann add --doc ID --layer L --label X "
		"--start N --end N [--value V] [--quote Q] [--attr JSON] "
		"[--score S]",
		"Creates an annotation on a span of a document.",
		"Offsets are Unicode code points, end-exclusive, as in every "
		"gloss export.",
		opts, 0, 0 };
	Gloss__V1__CreateAnnotationsRequest req =
	    GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	Gloss__V1__CreateAnnotationsResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (!opts[0].given || !layer || !label || !opts[3].given ||
	    !opts[4].given)
		return gl_cli_usage_error(cli, "--doc, --layer, --label, "
		    "--start and --end are required");
	if ((rv = check_attr(cli, attr)) != 0)
		return rv;
	in.document_id = doc;
	in.layer = (char *)layer;
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	if (value)
		in.value = (char *)value;
	if (quote)
		in.quote = (char *)quote;
	if (attr)
		in.attributes = (char *)attr;
	if (status)
		in.status = (char *)status;
	in.score = score;
	in.has_score = opts[8].given;
	req.n_annotations = 1;
	req.annotations = &pin;
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_annotations_create(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if (resp->n_annotations > 0)
		print_one(cli, resp->annotations[0], "created");
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_list(gl_cli *cli, int argc, char **argv)
{
	const char *layer = NULL, *label = NULL, *status = NULL,
		   *author = NULL;
	int64_t doc = 0;
	int deleted = 0;
	gl_cli_opt opts[] = {
		{ "doc", GL_OPT_INT, &doc, "ID", "the document (required)", 0 },
		{ "layer", GL_OPT_STR, &layer, "L", "only this layer", 0 },
		{ "label", GL_OPT_STR, &label, "X", "only this label", 0 },
		{ "status", GL_OPT_STR, &status, "S",
		    "only suggested, accepted, rejected or gold", 0 },
		{ "author", GL_OPT_STR, &author, "A",
		    "only by this user or plugin:NAME@VERSION", 0 },
		{ "deleted", GL_OPT_FLAG, &deleted, NULL,
		    "include deleted annotations", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann list --doc ID [--layer L] [--label X] "
		"[--status S] [--author A] [--deleted]",
		"Lists the annotations of a document in text order.", NULL,
		opts, 0, 0 };
	Gloss__V1__ListAnnotationsRequest req =
	    GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if (!opts[0].given)
		return gl_cli_usage_error(cli, "--doc is required");
	req.document_id = doc;
	if (layer)
		req.layer = (char *)layer;
	if (label)
		req.label = (char *)label;
	if (status)
		req.status = (char *)status;
	if (author)
		req.author = (char *)author;
	req.include_deleted = deleted;
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_annotations_list(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	if (cli->json) {
		gl_cli_print_json_array(cli,
		    (const ProtobufCMessage *const *)resp->annotations,
		    resp->n_annotations);
	} else {
		gl_cli_table t;
		table_head(&t);
		for (size_t i = 0; i < resp->n_annotations; i++)
			table_row(&t, resp->annotations[i]);
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_update(gl_cli *cli, int argc, char **argv)
{
	const char *label = NULL, *value = NULL, *quote = NULL, *attr = NULL,
		   *status = NULL;
	int64_t version = 0, start = 0, end = 0;
	double score = 0;
	gl_cli_opt opts[] = {
		{ "version", GL_OPT_INT, &version, "N",
		    "the version you saw (required); a newer one on the server "
		    "fails with ABORTED", 0 },
		{ "label", GL_OPT_STR, &label, "X", "new label", 0 },
		{ "start", GL_OPT_INT, &start, "N", "new start (with --end)", 0 },
		{ "end", GL_OPT_INT, &end, "N", "new end (with --start)", 0 },
		{ "quote", GL_OPT_STR, &quote, "Q",
		    "the text expected at the new span", 0 },
		{ "value", GL_OPT_STR, &value, "V", "new value", 0 },
		{ "status", GL_OPT_STR, &status, "S",
		    "new status: suggested, accepted, rejected or gold", 0 },
		{ "attr", GL_OPT_STR, &attr, "JSON", "new attributes object", 0 },
		{ "score", GL_OPT_DOUBLE, &score, "S", "new score", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann update ID --version N [--label X] "
		"[--start N --end N] [--value V] [--status S]",
		"Changes an annotation if it is still at --version.",
		"Only the given fields change.  On ABORTED the error shows "
		"current_version.", opts, 1, 1 };
	Gloss__V1__UpdateAnnotationRequest req =
	    GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	Gloss__V1__UpdateAnnotationResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0)
		return rv;
	if (!opts[0].given)
		return gl_cli_usage_error(cli, "--version is required");
	if (opts[2].given != opts[3].given)
		return gl_cli_usage_error(cli, "--start and --end go together");
	if ((rv = check_attr(cli, attr)) != 0)
		return rv;
	req.expected_version = version;
	if ((req.set_label = label != NULL))
		req.label = (char *)label;
	if ((req.set_span = opts[2].given)) {
		req.start = start;
		req.end = end;
		if (quote)
			req.quote = (char *)quote;
	}
	if ((req.set_value = value != NULL))
		req.value = (char *)value;
	if ((req.set_status = status != NULL))
		req.status = (char *)status;
	if ((req.set_attributes = attr != NULL))
		req.attributes = (char *)attr;
	if ((req.set_score = opts[8].given))
		req.score = score;
	if (!(req.set_label || req.set_span || req.set_value ||
	    req.set_status || req.set_attributes || req.set_score))
		return gl_cli_usage_error(cli, "nothing to change");
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_annotations_update(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	print_one(cli, resp->annotation, "updated");
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_rm(gl_cli *cli, int argc, char **argv)
{
	int64_t version = 0;
	gl_cli_opt opts[] = {
		{ "version", GL_OPT_INT, &version, "N",
		    "only if still at version N (default: any)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann rm ID [--version N]",
		"Deletes an annotation (softly: its history stays).", NULL,
		opts, 1, 1 };
	Gloss__V1__DeleteAnnotationRequest req =
	    GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
	Gloss__V1__DeleteAnnotationResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0 || (rv = gl_cli_connect(cli)) != 0)
		return rv;
	req.expected_version = version;
	if ((rv = gloss_annotations_delete(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	print_one(cli, resp->annotation, "deleted");
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_accept(gl_cli *cli, int argc, char **argv)
{
	const char *label = NULL;
	int64_t version = 0, start = 0, end = 0;
	gl_cli_opt opts[] = {
		{ "label", GL_OPT_STR, &label, "X", "accept with this label", 0 },
		{ "start", GL_OPT_INT, &start, "N",
		    "accept with this start (with --end)", 0 },
		{ "end", GL_OPT_INT, &end, "N",
		    "accept with this end (with --start)", 0 },
		{ "version", GL_OPT_INT, &version, "N",
		    "only if still at version N (default: any)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann accept ID [--label X] [--start N "
		"--end N] [--version N]",
		"Accepts a suggestion, optionally correcting label or span.",
		"The annotation keeps its author (the plugin); the event "
		"records who accepted it.", opts, 1, 1 };
	Gloss__V1__AcceptSuggestionRequest req =
	    GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
	Gloss__V1__SuggestionResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0)
		return rv;
	if (opts[1].given != opts[2].given)
		return gl_cli_usage_error(cli, "--start and --end go together");
	req.expected_version = version;
	if ((req.set_label = label != NULL))
		req.label = (char *)label;
	if ((req.set_span = opts[1].given)) {
		req.start = start;
		req.end = end;
	}
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_suggestions_accept(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	print_one(cli, resp->annotation, "accepted");
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static int
cmd_reject(gl_cli *cli, int argc, char **argv)
{
	int64_t version = 0;
	gl_cli_opt opts[] = {
		{ "version", GL_OPT_INT, &version, "N",
		    "only if still at version N (default: any)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "ann reject ID [--version N]",
		"Rejects a suggestion.", NULL, opts, 1, 1 };
	Gloss__V1__RejectSuggestionRequest req =
	    GLOSS__V1__REJECT_SUGGESTION_REQUEST__INIT;
	Gloss__V1__SuggestionResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	rv = gl_cli_parse_id(cli, args[0], &req.id);
	free(args);
	if (rv != 0 || (rv = gl_cli_connect(cli)) != 0)
		return rv;
	req.expected_version = version;
	if ((rv = gloss_suggestions_reject(cli->client, &req, &resp, &st)) != 0)
		return gl_cli_call_failed(cli, rv, &st);
	print_one(cli, resp->annotation, "rejected");
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

int
gl_cli_cmd_ann(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "add", cmd_add, "annotate a span" },
		{ "list", cmd_list, "list a document's annotations" },
		{ "update", cmd_update, "change an annotation (version-checked)" },
		{ "rm", cmd_rm, "delete an annotation" },
		{ "accept", cmd_accept, "accept a suggestion" },
		{ "reject", cmd_reject, "reject a suggestion" },
		{ "history", gl_cli_cmd_ann_history, "every version of an annotation" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Annotations: labelled spans of a "
	    "document, in code points.", subs, argc, argv);
}
