/*
 * project.c - `gloss project create|list|show`: Projects/Create, List, Get.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"

static int
cmd_create(gl_cli *cli, int argc, char **argv)
{
	const char *mode = NULL, *schema_file = NULL;
	gl_cli_list plugins = { 0, NULL };
	gl_cli_opt opts[] = {
		{ "mode", GL_OPT_STR, &mode, "MODE",
		    "shared (default: one set of annotations) or independent "
		    "(one per annotator)", 0 },
		{ "schema", GL_OPT_STR, &schema_file, "FILE.json",
		    "label schema: {\"layers\": [{\"name\", \"labels\", "
		    "\"attributes\"}]}", 0 },
		{ "auto-plugins", GL_OPT_LIST, &plugins, "A,B",
		    "analyzers to run on every import", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "project create NAME [--mode shared|"
		"independent] [--schema FILE.json] [--auto-plugins a,b]",
		"Creates a project.",
		"NAME is 1-64 characters of A-Z a-z 0-9 . _ -.  A schema file "
		"lists the layers, their\nlabels (a name, or {\"name\", "
		"\"color\": \"#rrggbb\", \"description\"}) and attributes\n"
		"({\"name\", \"type\": string|number|bool|enum, \"values\"}).  "
		"Without one, any layer\nand label is allowed.",
		opts, 1, 1 };
	Gloss__V1__CreateProjectRequest req =
	    GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	Gloss__V1__CreateProjectResponse *resp = NULL;
	Gloss__V1__LabelSchema *schema = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args, err[300];
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0) {
		gl_cli_list_free(&plugins);
		return rv == 1 ? 0 : rv;
	}
	req.name = args[0];
	free(args);
	if (mode != NULL)
		req.mode = (char *)mode;
	if (schema_file != NULL) {
		char *text;
		size_t len;
		if (gl_cli_read_file(schema_file, &text, &len) != 0) {
			rv = gl_cli_fail(cli, "cannot read %s: %s", schema_file,
			    strerror(errno));
			goto out;
		}
		rv = gl_cli_input_schema(text, len, &schema, err, sizeof(err));
		free(text);
		if (rv != 0) {
			rv = gl_cli_fail_code(cli, GLOSS_INVALID_ARGUMENT,
			    "%s: %s", schema_file, err);
			goto out;
		}
		req.schema = schema;
	}
	req.n_auto_plugins = plugins.n;
	req.auto_plugins = plugins.items;
	if ((rv = gl_cli_connect(cli)) != 0)
		goto out;
	if ((rv = gloss_projects_create(cli->client, &req, &resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		goto out;
	}
	if (cli->json)
		gl_cli_print_json(cli, &resp->project->base);
	else
		fprintf(cli->out, "created project %s (id %lld, mode %s)\n",
		    resp->project->name, (long long)resp->project->id,
		    resp->project->mode);
out:
	gloss_status_clear(&st);
	gloss_free(resp);
	gloss_free(schema);
	gloss_status_clear(&st);
	gl_cli_list_free(&plugins);
	return rv;
}

static int
cmd_list(gl_cli *cli, int argc, char **argv)
{
	gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	const gl_cli_spec spec = { "project list", "Lists the projects.", NULL,
		opts, 0, 0 };
	Gloss__V1__ListProjectsRequest req =
	    GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	free(args);
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_projects_list(cli->client, &req, &resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		gloss_status_clear(&st);
		return rv;
	}
	if (cli->json) {
		gl_cli_print_json_array(cli,
		    (const ProtobufCMessage *const *)resp->projects,
		    resp->n_projects);
	} else {
		static const char *const head[] = { "NAME", "MODE", "DOCS",
			"AUTO-PLUGINS", "CREATED" };
		gl_cli_table t;
		gl_cli_table_init(&t, 5, head);
		for (size_t i = 0; i < resp->n_projects; i++) {
			const Gloss__V1__Project *p = resp->projects[i];
			char when[32], *pl = gl_cli_join(p->auto_plugins,
			    p->n_auto_plugins, ",");
			gl_cli_table_addf(&t, "%s\x1f%s\x1f%lld\x1f%s\x1f%s", p->name,
			    p->mode, (long long)p->document_count,
			    pl ? pl : "", gl_cli_format_time(p->created_at,
			    when, sizeof(when)));
			free(pl);
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static void
print_project(gl_cli *cli, const Gloss__V1__Project *p)
{
	char when[32], *pl = gl_cli_join(p->auto_plugins, p->n_auto_plugins,
	    ", ");

	fprintf(cli->out, "name:          %s\nid:            %lld\n"
	    "mode:          %s\ndocuments:     %lld\nauto-plugins:  %s\n"
	    "created:       %s\n", p->name, (long long)p->id, p->mode,
	    (long long)p->document_count, pl && pl[0] ? pl : "-",
	    gl_cli_format_time(p->created_at, when, sizeof(when)));
	free(pl);
	if (p->schema == NULL || p->schema->n_layers == 0) {
		fprintf(cli->out, "schema:        any layer and label\n");
		return;
	}
	fprintf(cli->out, "schema:\n");
	for (size_t i = 0; i < p->schema->n_layers; i++) {
		const Gloss__V1__LayerDef *l = p->schema->layers[i];
		fprintf(cli->out, "  layer %s\n", l->name);
		if (l->n_labels == 0)
			fprintf(cli->out, "    labels: any\n");
		for (size_t j = 0; j < l->n_labels; j++) {
			const Gloss__V1__LabelDef *d = l->labels[j];
			fprintf(cli->out, "    label %-20s %-8s %s\n", d->name,
			    d->color, d->description);
		}
		for (size_t j = 0; j < l->n_attributes; j++) {
			const Gloss__V1__AttributeDef *a = l->attributes[j];
			char *vals = gl_cli_join(a->values, a->n_values, "|");
			fprintf(cli->out, "    attribute %s: %s%s%s\n", a->name,
			    a->type, vals && vals[0] ? " " : "",
			    vals ? vals : "");
			free(vals);
		}
	}
}

static int
cmd_show(gl_cli *cli, int argc, char **argv)
{
	gl_cli_opt opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };
	const gl_cli_spec spec = { "project show NAME",
		"Shows a project: mode, document count and label schema.",
		NULL, opts, 1, 1 };
	Gloss__V1__GetProjectRequest req = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	Gloss__V1__GetProjectResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	req.name = args[0];
	free(args);
	if ((rv = gl_cli_connect(cli)) != 0)
		return rv;
	if ((rv = gloss_projects_get(cli->client, &req, &resp, &st)) != 0) {
		rv = gl_cli_fail_call(cli, rv, &st);
		gloss_status_clear(&st);
		return rv;
	}
	if (resp->project == NULL)
		rv = gl_cli_fail_code(cli, GLOSS_INTERNAL,
		    "the server sent no project");
	else if (cli->json)
		gl_cli_print_json(cli, &resp->project->base);
	else
		print_project(cli, resp->project);
	gloss_status_clear(&st);
	gloss_free(resp);
	return rv;
}

int
gl_cli_cmd_project(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "create", cmd_create, "create a project" },
		{ "list", cmd_list, "list the projects" },
		{ "show", cmd_show, "show one project and its schema" },
		{ "add-member", gl_cli_cmd_member_add, "add a member or change their role" },
		{ "rm-member", gl_cli_cmd_member_rm, "remove a member" },
		{ "members", gl_cli_cmd_members, "list the members and their roles" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Projects: a name, a mode and a label "
	    "schema.", subs, argc, argv);
}
