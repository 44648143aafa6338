/*
 * team.c - the team commands: `gloss user`, `gloss token`, project
 * membership, `gloss who`, `gloss curate` and `gloss ann history`.
 * They call Users, Tokens, Members, Sessions, Curation and
 * Annotations/History through gloss_call with the generated descriptors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"
#include "common/json.h"
#include "gloss/v1/curation.pb-c.h"
#include "gloss/v1/sessions.pb-c.h"
#include "gloss/v1/users.pb-c.h"

static const gl_cli_opt gl_team_no_opts[] = { { NULL, 0, NULL, NULL, NULL, 0 } };

/* One call: connect, call, report a failure.  0 or the exit code. */
static int
gl_team_call(gl_cli *cli, const char *method, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **resp)
{
	gloss_status st = GLOSS_STATUS_INIT;
	int rv = gl_cli_connect(cli);
	if (rv != 0)
		return rv;
	*resp = NULL;
	if ((rv = gloss_call(cli->client, method, req, rd, resp, &st)) != 0)
		rv = gl_cli_fail_call(cli, rv, &st);
	gloss_status_clear(&st);
	return rv;
}

/* Parses with spec; returns -1 to go on, else the exit status to return. */
static int
gl_team_parse(gl_cli *cli, const gl_cli_spec *spec, int argc, char **argv,
    char ***args, int *nargs)
{
	int rv = gl_cli_parse(cli, spec, argc, argv, args, nargs);
	if (rv == 1)
		return 0;
	return rv == 0 ? -1 : rv;
}

/* ---- user ------------------------------------------------------------- */

static int
cmd_user_add(gl_cli *cli, int argc, char **argv)
{
	const char *role = NULL;
	gl_cli_opt opts[] = {
		{ "role", GL_OPT_STR, &role, "ROLE", "admin, manager, curator, "
		    "annotator (default) or viewer", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "user add NAME [--role ROLE]",
		"Creates a user and prints its token, once.",
		"The role is global: admins may do everything, managers may also "
		"create projects;\nwithin a project, rights come from membership "
		"(gloss project add-member), and\nthe global role is the default "
		"role a new member gets.  glossd keeps only a hash\nof the token: "
		"store it now.", opts, 1, 1 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__CreateUserRequest req = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	req.name = args[0];
	req.role = (char *)(role ? role : "");
	free(args);
	Gloss__V1__CreateUserResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Users/Create", &req.base,
	         &gloss__v1__create_user_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json) {
		gl_buf b = GL_BUF_INIT;
		gl_buf_puts(&b, "{\"user\":");
		gl_cli_json_message(&b, &r->user->base);
		gl_buf_puts(&b, ",\"token\":");
		gl_json_write_cstr(&b, r->token);
		gl_buf_puts(&b, "}\n");
		fputs(b.data, cli->out);
		gl_buf_free(&b);
	} else {
		fprintf(cli->out, "created user %s (%s); token (shown only now):\n%s\n",
		    r->user->name, r->user->role, r->token);
	}
	gloss_free(r);
	return 0;
}

static int
cmd_user_list(gl_cli *cli, int argc, char **argv)
{
	const gl_cli_spec spec = { "user list", "Lists the users (admins only).",
		NULL, (gl_cli_opt *)gl_team_no_opts, 0, 0 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	free(args);
	Gloss__V1__ListUsersRequest req = GLOSS__V1__LIST_USERS_REQUEST__INIT;
	Gloss__V1__ListUsersResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Users/List", &req.base,
	         &gloss__v1__list_users_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json) {
		gl_cli_print_json_array(cli, (const ProtobufCMessage *const *)r->users,
		    r->n_users);
	} else {
		static const char *const head[] = { "NAME", "ROLE", "TOKENS", "CREATED" };
		gl_cli_table t;
		gl_cli_table_init(&t, 4, head);
		for (size_t i = 0; i < r->n_users; i++) {
			char when[32];
			gl_cli_table_addf(&t, "%s\x1f%s\x1f%lld\x1f%s", r->users[i]->name,
			    r->users[i]->role, (long long)r->users[i]->tokens,
			    gl_cli_format_time(r->users[i]->created_at, when, sizeof(when)));
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_free(r);
	return 0;
}

int
gl_cli_cmd_user(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "add", cmd_user_add, "create a user and print its token once" },
		{ "list", cmd_user_list, "list users" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Users (admins only).", subs, argc, argv);
}

/* ---- token ------------------------------------------------------------ */

static int
cmd_token_issue(gl_cli *cli, int argc, char **argv)
{
	const gl_cli_spec spec = { "token issue USER",
		"Issues another token for USER and prints it, once.", NULL,
		(gl_cli_opt *)gl_team_no_opts, 1, 1 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__IssueTokenRequest req = GLOSS__V1__ISSUE_TOKEN_REQUEST__INIT;
	req.user = args[0];
	free(args);
	Gloss__V1__IssueTokenResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Tokens/Issue", &req.base,
	         &gloss__v1__issue_token_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json)
		gl_cli_print_json(cli, &r->base);
	else
		fprintf(cli->out, "token %lld (shown only now):\n%s\n",
		    (long long)r->token_id, r->token);
	gloss_free(r);
	return 0;
}

static int
cmd_token_revoke(gl_cli *cli, int argc, char **argv)
{
	int64_t id = 0;
	gl_cli_opt opts[] = {
		{ "id", GL_OPT_INT, &id, "N", "revoke only token N (default: all of USER's)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "token revoke USER [--id N]",
		"Revokes tokens; the next call with one of them is UNAUTHENTICATED.",
		NULL, opts, 1, 1 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__RevokeTokenRequest req = GLOSS__V1__REVOKE_TOKEN_REQUEST__INIT;
	req.user = args[0];
	req.token_id = id;
	free(args);
	Gloss__V1__RevokeTokenResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Tokens/Revoke", &req.base,
	         &gloss__v1__revoke_token_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json)
		gl_cli_print_json(cli, &r->base);
	else
		fprintf(cli->out, "revoked %lld token(s)\n", (long long)r->revoked);
	gloss_free(r);
	return 0;
}

int
gl_cli_cmd_token(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "issue", cmd_token_issue, "issue another token for a user" },
		{ "revoke", cmd_token_revoke, "revoke a user's tokens" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "API tokens (admins only).", subs, argc, argv);
}

/* ---- project members -------------------------------------------------- */

int
gl_cli_cmd_member_add(gl_cli *cli, int argc, char **argv)
{
	const char *role = NULL;
	gl_cli_opt opts[] = {
		{ "role", GL_OPT_STR, &role, "ROLE", "manager, curator, annotator or "
		    "viewer (default: the user's global role)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "project add-member PROJECT USER [--role ROLE]",
		"Adds USER to PROJECT, or changes their role (project managers).",
		"viewers read; annotators write their own annotations; curators "
		"also write gold and\nmerge; managers import and delete documents, "
		"change the schema and manage members.", opts, 2, 2 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__AddMemberRequest req = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	req.project = args[0];
	req.user = args[1];
	req.role = (char *)(role ? role : "");
	free(args);
	Gloss__V1__AddMemberResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Members/Add", &req.base,
	         &gloss__v1__add_member_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json)
		gl_cli_print_json(cli, &r->member->base);
	else
		fprintf(cli->out, "%s is %s in %s\n", r->member->user,
		    r->member->role, req.project);
	gloss_free(r);
	return 0;
}

int
gl_cli_cmd_member_rm(gl_cli *cli, int argc, char **argv)
{
	const gl_cli_spec spec = { "project rm-member PROJECT USER",
		"Removes USER from PROJECT (project managers).", NULL,
		(gl_cli_opt *)gl_team_no_opts, 2, 2 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__RemoveMemberRequest req = GLOSS__V1__REMOVE_MEMBER_REQUEST__INIT;
	req.project = args[0];
	req.user = args[1];
	free(args);
	ProtobufCMessage *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Members/Remove", &req.base,
	         &gloss__v1__remove_member_response__descriptor, &r)) != 0)
		return rv;
	if (!cli->json)
		fprintf(cli->out, "removed %s from %s\n", req.user, req.project);
	else
		fputs("{}\n", cli->out);
	gloss_free(r);
	return 0;
}

int
gl_cli_cmd_members(gl_cli *cli, int argc, char **argv)
{
	const gl_cli_spec spec = { "project members PROJECT",
		"Lists the members of PROJECT and their roles.", NULL,
		(gl_cli_opt *)gl_team_no_opts, 1, 1 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	Gloss__V1__ListMembersRequest req = GLOSS__V1__LIST_MEMBERS_REQUEST__INIT;
	req.project = args[0];
	free(args);
	Gloss__V1__ListMembersResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Members/List", &req.base,
	         &gloss__v1__list_members_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json) {
		gl_cli_print_json_array(cli, (const ProtobufCMessage *const *)r->members,
		    r->n_members);
	} else {
		static const char *const head[] = { "USER", "ROLE" };
		gl_cli_table t;
		gl_cli_table_init(&t, 2, head);
		for (size_t i = 0; i < r->n_members; i++)
			gl_cli_table_addf(&t, "%s\x1f%s", r->members[i]->user,
			    r->members[i]->role);
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_free(r);
	return 0;
}

/* ---- who / heartbeat -------------------------------------------------- */

int
gl_cli_cmd_who(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "who --project P",
		"Who is looking at which document of P right now.",
		"Clients announce themselves with Sessions/Heartbeat (gloss "
		"heartbeat); an entry\ngoes away when its heartbeats stop.",
		opts, 0, 0 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	free(args);
	if (project == NULL)
		return gl_cli_usage_error(cli, "--project is required");
	Gloss__V1__ListSessionsRequest req = GLOSS__V1__LIST_SESSIONS_REQUEST__INIT;
	req.project = (char *)project;
	Gloss__V1__ListSessionsResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Sessions/List", &req.base,
	         &gloss__v1__list_sessions_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json) {
		gl_cli_print_json_array(cli, (const ProtobufCMessage *const *)r->sessions,
		    r->n_sessions);
	} else {
		static const char *const head[] = { "USER", "DOC", "SINCE", "LAST-SEEN" };
		gl_cli_table t;
		gl_cli_table_init(&t, 4, head);
		for (size_t i = 0; i < r->n_sessions; i++) {
			char a[32], b[32];
			const Gloss__V1__Presence *p = r->sessions[i];
			gl_cli_table_addf(&t, "%s\x1f%lld\x1f%s\x1f%s", p->user,
			    (long long)p->document_id, gl_cli_format_time(p->since, a, sizeof(a)),
			    gl_cli_format_time(p->last_seen, b, sizeof(b)));
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_free(r);
	return 0;
}

int
gl_cli_cmd_heartbeat(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	int64_t doc = 0;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)", 0 },
		{ "doc", GL_OPT_INT, &doc, "ID", "the document being looked at", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "heartbeat --project P [--doc ID]",
		"Announces that you are looking at a document (presence).",
		"Presence lasts for the returned TTL; send heartbeats more often "
		"than that.", opts, 0, 0 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	free(args);
	if (project == NULL)
		return gl_cli_usage_error(cli, "--project is required");
	Gloss__V1__HeartbeatRequest req = GLOSS__V1__HEARTBEAT_REQUEST__INIT;
	req.project = (char *)project;
	req.document_id = doc;
	Gloss__V1__HeartbeatResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Sessions/Heartbeat", &req.base,
	         &gloss__v1__heartbeat_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json)
		gl_cli_print_json(cli, &r->base);
	else
		fprintf(cli->out, "present; send the next heartbeat within %u ms\n", r->ttl_ms);
	gloss_free(r);
	return 0;
}

/* ---- curate ----------------------------------------------------------- */

static void
gl_team_print_ann_row(gl_cli_table *t, const char *kind, const Gloss__V1__Annotation *a)
{
	char *q = gl_cli_one_line(a->quote);
	gl_cli_table_addf(t, "%s\x1f%lld\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s\x1f%s",
	    kind, (long long)a->id, a->author, a->label, (long long)a->start,
	    (long long)a->end, q ? q : "", a->value);
	free(q);
}

static int
cmd_curate_diff(gl_cli *cli, int argc, char **argv)
{
	int64_t doc = 0;
	const char *layer = NULL;
	gl_cli_list who = { 0, NULL };
	gl_cli_opt opts[] = {
		{ "doc", GL_OPT_INT, &doc, "ID", "the document (required)", 0 },
		{ "layer", GL_OPT_STR, &layer, "L", "the layer (required)", 0 },
		{ "annotators", GL_OPT_LIST, &who, "A,B", "whose work to compare "
		    "(default: everyone's)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "curate diff --doc ID --layer L [--annotators a,b]",
		"Shows each annotator's spans side by side: agreed, conflict, single.",
		NULL, opts, 0, 0 };
	char **args;
	int nargs, rv;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0) {
		gl_cli_list_free(&who);
		return rv;
	}
	free(args);
	if (doc == 0 || layer == NULL) {
		gl_cli_list_free(&who);
		return gl_cli_usage_error(cli, "--doc and --layer are required");
	}
	Gloss__V1__DiffRequest req = GLOSS__V1__DIFF_REQUEST__INIT;
	req.document_id = doc;
	req.layer = (char *)layer;
	req.annotators = who.items;
	req.n_annotators = who.n;
	Gloss__V1__DiffResponse *r;
	rv = gl_team_call(cli, "/gloss.v1.Curation/Diff", &req.base,
	    &gloss__v1__diff_response__descriptor, (ProtobufCMessage **)&r);
	gl_cli_list_free(&who);
	if (rv != 0)
		return rv;
	if (cli->json) {
		gl_cli_print_json(cli, &r->base);
	} else {
		static const char *const head[] = { "GROUP", "ID", "AUTHOR", "LABEL",
			"START", "END", "QUOTE", "VALUE" };
		gl_cli_table t;
		gl_cli_table_init(&t, 8, head);
		for (size_t i = 0; i < r->n_groups; i++) {
			const Gloss__V1__DiffGroup *g = r->groups[i];
			char kind[40];
			snprintf(kind, sizeof(kind), "%zu %s%s", i + 1, g->kind,
			    g->curated ? " (curated)" : "");
			for (size_t k = 0; k < g->n_annotations; k++)
				gl_team_print_ann_row(&t, k ? "" : kind, g->annotations[k]);
		}
		for (size_t i = 0; i < r->n_gold; i++)
			gl_team_print_ann_row(&t, "gold", r->gold[i]);
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_free(r);
	return 0;
}

/* "START:END:LABEL[:VALUE]" -> an AnnotationInput (strings point into s). */
static int
gl_team_parse_span(char *s, Gloss__V1__AnnotationInput *in)
{
	char *f[4] = { NULL, NULL, NULL, NULL };
	int n = 0;
	for (char *p = s; n < 4 && p; n++) {
		f[n] = p;
		p = n < 3 ? strchr(p, ':') : NULL;
		if (p)
			*p++ = '\0';
	}
	if (n < 3 || gl_cli_parse_int(f[0], &in->start) != 0 ||
	    gl_cli_parse_int(f[1], &in->end) != 0 || f[2][0] == '\0')
		return -1;
	in->label = f[2];
	in->value = f[3] ? f[3] : (char *)"";
	return 0;
}

static int
cmd_curate_merge(gl_cli *cli, int argc, char **argv)
{
	int64_t doc = 0;
	const char *layer = NULL;
	int agreed = 0;
	gl_cli_list accept = { 0, NULL }, add = { 0, NULL }, who = { 0, NULL };
	gl_cli_opt opts[] = {
		{ "doc", GL_OPT_INT, &doc, "ID", "the document (required)", 0 },
		{ "layer", GL_OPT_STR, &layer, "L", "the layer (required)", 0 },
		{ "accept", GL_OPT_LIST, &accept, "ID", "copy this annotator's "
		    "annotation to gold; repeatable", 0 },
		{ "agreed", GL_OPT_FLAG, &agreed, NULL, "copy every agreed span to gold", 0 },
		{ "add", GL_OPT_LIST, &add, "S:E:LABEL[:VALUE]", "write your own gold "
		    "span; repeatable", 0 },
		{ "annotators", GL_OPT_LIST, &who, "A,B", "whose work counts for "
		    "--agreed (default: everyone's)", 0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "curate merge --doc ID --layer L [--accept ID]... "
		"[--agreed] [--add S:E:LABEL[:VALUE]]...",
		"Writes gold annotations (curators and managers).",
		"Gold annotations are authored by you; their attributes record "
		"which annotations they\ncame from (curated_from) and which "
		"annotators agreed (agreed_by).  A span that is\nalready gold with "
		"the same label is skipped.", opts, 0, 0 };
	char **args;
	int nargs, rv;
	Gloss__V1__AnnotationInput *ins = NULL, **inp = NULL;
	int64_t *ids = NULL;
	Gloss__V1__MergeResponse *r = NULL;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		goto out;
	free(args);
	if (doc == 0 || layer == NULL) {
		rv = gl_cli_usage_error(cli, "--doc and --layer are required");
		goto out;
	}
	if (accept.n == 0 && !agreed && add.n == 0) {
		rv = gl_cli_usage_error(cli, "nothing to merge: give --accept, --agreed or --add");
		goto out;
	}
	Gloss__V1__MergeRequest req = GLOSS__V1__MERGE_REQUEST__INIT;
	ids = calloc(accept.n + 1, sizeof(*ids));
	ins = calloc(add.n + 1, sizeof(*ins));
	inp = calloc(add.n + 1, sizeof(*inp));
	if (!ids || !ins || !inp) {
		rv = gl_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < accept.n; i++) {
		if (gl_cli_parse_int(accept.items[i], &ids[i]) != 0) {
			rv = gl_cli_usage_error(cli, "--accept needs annotation ids, not \"%s\"",
			    accept.items[i]);
			goto out;
		}
	}
	for (size_t i = 0; i < add.n; i++) {
		gloss__v1__annotation_input__init(&ins[i]);
		ins[i].document_id = doc;
		ins[i].layer = (char *)layer;
		if (gl_team_parse_span(add.items[i], &ins[i]) != 0) {
			rv = gl_cli_usage_error(cli, "--add needs START:END:LABEL[:VALUE]");
			goto out;
		}
		inp[i] = &ins[i];
	}
	req.document_id = doc;
	req.layer = (char *)layer;
	req.accept_ids = ids;
	req.n_accept_ids = accept.n;
	req.accept_agreed = agreed;
	req.create = inp;
	req.n_create = add.n;
	req.annotators = who.items;
	req.n_annotators = who.n;
	if ((rv = gl_team_call(cli, "/gloss.v1.Curation/Merge", &req.base,
	         &gloss__v1__merge_response__descriptor, (ProtobufCMessage **)&r)) != 0)
		goto out;
	if (cli->json) {
		gl_cli_print_json(cli, &r->base);
	} else {
		fprintf(cli->out, "wrote %zu gold annotation(s), skipped %lld already curated\n",
		    r->n_gold, (long long)r->skipped);
		for (size_t i = 0; i < r->n_gold; i++)
			fprintf(cli->out, "  %lld  %s [%lld, %lld)  %s\n",
			    (long long)r->gold[i]->id, r->gold[i]->label,
			    (long long)r->gold[i]->start, (long long)r->gold[i]->end,
			    r->gold[i]->attributes);
	}
out:
	gloss_free(r);
	free(ids);
	free(ins);
	free(inp);
	gl_cli_list_free(&accept);
	gl_cli_list_free(&add);
	gl_cli_list_free(&who);
	return rv;
}

int
gl_cli_cmd_curate(gl_cli *cli, int argc, char **argv)
{
	static const gl_cli_subcmd subs[] = {
		{ "diff", cmd_curate_diff, "compare annotators' spans on a document" },
		{ "merge", cmd_curate_merge, "write gold: accept spans, all agreed ones, or your own" },
		{ NULL, NULL, NULL },
	};
	return gl_cli_dispatch(cli, "Curation: from annotators' work to gold.",
	    subs, argc, argv);
}

/* ---- ann history ------------------------------------------------------ */

int
gl_cli_cmd_ann_history(gl_cli *cli, int argc, char **argv)
{
	const gl_cli_spec spec = { "ann history ID",
		"Every version of an annotation: who changed what, and when.", NULL,
		(gl_cli_opt *)gl_team_no_opts, 1, 1 };
	char **args;
	int nargs, rv;
	int64_t id;
	if ((rv = gl_team_parse(cli, &spec, argc, argv, &args, &nargs)) >= 0)
		return rv;
	rv = gl_cli_parse_id(cli, args[0], &id);
	free(args);
	if (rv != 0)
		return rv;
	Gloss__V1__AnnotationHistoryRequest req = GLOSS__V1__ANNOTATION_HISTORY_REQUEST__INIT;
	req.id = id;
	Gloss__V1__AnnotationHistoryResponse *r;
	if ((rv = gl_team_call(cli, "/gloss.v1.Annotations/History", &req.base,
	         &gloss__v1__annotation_history_response__descriptor,
	         (ProtobufCMessage **)&r)) != 0)
		return rv;
	if (cli->json) {
		for (size_t i = 0; i < r->n_versions; i++)
			gl_cli_print_json(cli, &r->versions[i]->base);
	} else {
		static const char *const head[] = { "V", "WHEN", "BY", "EVENT",
			"CHANGED", "LABEL", "START", "END", "STATUS", "VALUE" };
		gl_cli_table t;
		gl_cli_table_init(&t, 10, head);
		for (size_t i = 0; i < r->n_versions; i++) {
			const Gloss__V1__AnnotationVersion *v = r->versions[i];
			const Gloss__V1__Annotation *a = v->annotation;
			char when[32], *ch = gl_cli_join(v->changed, v->n_changed, ",");
			gl_cli_table_addf(&t, "%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%lld\x1f%s\x1f%s",
			    (long long)v->version, gl_cli_format_time(v->time, when, sizeof(when)),
			    v->author, v->kind, ch ? ch : "", a ? a->label : "",
			    (long long)(a ? a->start : 0), (long long)(a ? a->end : 0),
			    a ? a->status : "", a ? a->value : "");
			free(ch);
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
	}
	gloss_free(r);
	return 0;
}
