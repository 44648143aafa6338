/* svc_projects.c - /gloss.v1.Projects: projects and their label schemas. */
#include "daemon/services.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "daemon/events.h"
#include "gloss/v1/projects.pb-c.h"

static int
gl_projects_check_name(const char *name, gl_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "project name must be 1 to 64 characters");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "project name \"%s\" may only use letters, digits, "
			    "'.', '_' and '-'", name);
	}
	return 0;
}

static int
gl_projects_check_color(const char *c)
{
	if (c == NULL || c[0] == '\0')
		return 0;
	if (c[0] != '#' || strlen(c) != 7)
		return -1;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)c[i]))
			return -1;
	return 0;
}

/* Layer and label names are unique; colours are #rrggbb. */
static int
gl_projects_check_schema(const Gloss__V1__LabelSchema *s, gl_err *err)
{
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < s->n_layers; i++) {
		const Gloss__V1__LayerDef *l = s->layers[i];
		if (l->name == NULL || l->name[0] == '\0')
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "schema layer %zu has no name", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->layers[j]->name, l->name) == 0)
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "schema names layer \"%s\" twice", l->name);
		for (size_t k = 0; k < l->n_labels; k++) {
			const Gloss__V1__LabelDef *lb = l->labels[k];
			if (lb->name == NULL || lb->name[0] == '\0')
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "layer \"%s\": label %zu has no name", l->name, k);
			if (gl_projects_check_color(lb->color) != 0)
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "layer \"%s\", label \"%s\": colour \"%s\" is not #rrggbb",
				    l->name, lb->name, lb->color);
			for (size_t j = 0; j < k; j++)
				if (strcmp(l->labels[j]->name, lb->name) == 0)
					return gl_err_set(err, GL_INVALID_ARGUMENT,
					    "layer \"%s\" names label \"%s\" twice",
					    l->name, lb->name);
		}
	}
	return 0;
}

static int
gl_projects_check_plugins(gl_daemon *d, char **names, size_t n, gl_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (gl_plugins_find(d->plugins, names[i]) == NULL)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "auto plugin \"%s\" is not loaded (see gloss analyzers)",
			    names[i]);
	return 0;
}

static void
gl_projects_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	Gloss__V1__CreateProjectRequest *req = (Gloss__V1__CreateProjectRequest *)msg;
	gl_err err;
	int rc;
	/* Who may ask comes before what is asked: a refusal reveals nothing. */
	const gl_user *u = gl_call_user(call);
	if (strcmp(u->role, "admin") != 0 && strcmp(u->role, "manager") != 0) {
		gl_call_fail(call, GL_PERMISSION_DENIED,
		    "creating projects is for admins and managers");
		return;
	}
	if (req->mode == NULL || req->mode[0] == '\0')
		req->mode = (char *)"shared";
	if ((rc = gl_projects_check_name(req->name, &err)) != 0 ||
	    (rc = gl_projects_check_schema(req->schema, &err)) != 0 ||
	    (rc = gl_projects_check_plugins(d, req->auto_plugins,
	         req->n_auto_plugins, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	if (strcmp(req->mode, "shared") != 0 && strcmp(req->mode, "independent") != 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "mode must be \"shared\" or \"independent\"");
		return;
	}
	Gloss__V1__Project *p;
	/* The creator manages the project, so it shows in their project list. */
	if ((rc = gl_store_project_create(d->store, req, gl_call_arena(call), &p, &err)) != 0 ||
	    (rc = gl_store_member_set(d->store, p->id, u->id, "manager", &err)) != 0 ||
	    (rc = gl_events_append(d, p->id, 0, "project.created", p->id, 1,
	         gl_svc_author(call), NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__CreateProjectResponse r = GLOSS__V1__CREATE_PROJECT_RESPONSE__INIT;
	r.project = p;
	gl_call_reply(call, &r.base);
}

static void
gl_projects_get(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__GetProjectRequest *req = (const Gloss__V1__GetProjectRequest *)msg;
	gl_err err;
	Gloss__V1__Project *p;
	int rc;
	if (gl_svc_project(call, d, req->name, GL_ROLE_VIEWER, &p) != 0)
		return;
	if ((rc = gl_store_project_count(d->store, p, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__GetProjectResponse r = GLOSS__V1__GET_PROJECT_RESPONSE__INIT;
	r.project = p;
	gl_call_reply(call, &r.base);
}

static void
gl_projects_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	(void)msg;
	gl_err err;
	Gloss__V1__ListProjectsResponse r = GLOSS__V1__LIST_PROJECTS_RESPONSE__INIT;
	int rc = gl_store_project_list(d->store, gl_call_arena(call), &r.projects,
	    &r.n_projects, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < r.n_projects; i++)
		if (gl_svc_role(call, d, r.projects[i]->id) >= GL_ROLE_VIEWER) {
			if ((rc = gl_store_project_count(d->store, r.projects[i], &err)) != 0) {
				gl_call_fail_err(call, rc, &err);
				return;
			}
			r.projects[k++] = r.projects[i];
		}
	r.n_projects = k;
	gl_call_reply(call, &r.base);
}

static void
gl_projects_update(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__UpdateProjectRequest *req = (const Gloss__V1__UpdateProjectRequest *)msg;
	gl_err err;
	int rc;
	Gloss__V1__Project *p;
	if (gl_svc_project(call, d, req->name, GL_ROLE_MANAGER, &p) != 0)
		return;
	if ((rc = gl_projects_check_schema(req->schema, &err)) != 0 ||
	    (req->set_auto_plugins &&
	        (rc = gl_projects_check_plugins(d, req->auto_plugins,
	             req->n_auto_plugins, &err)) != 0) ||
	    (rc = gl_store_project_update(d->store, req, gl_call_arena(call), &p, &err)) != 0 ||
	    (rc = gl_events_append(d, p->id, 0, "project.updated", p->id, 0,
	         gl_svc_author(call), NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	if ((rc = gl_store_project_count(d->store, p, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__UpdateProjectResponse r = GLOSS__V1__UPDATE_PROJECT_RESPONSE__INIT;
	r.project = p;
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_projects_methods[] = {
	{ "Create", gl_projects_create, GL_RPC_WRITE },
	{ "Get", gl_projects_get, GL_RPC_READ },
	{ "List", gl_projects_list, GL_RPC_READ },
	{ "Update", gl_projects_update, GL_RPC_WRITE },
};

int
gl_svc_projects_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__projects__descriptor,
	    gl_projects_methods, 4, d, err);
}
