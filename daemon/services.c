/* services.c - service registration and shared checks (see services.h). */
#include "daemon/services.h"

#include <stdio.h>
#include <inttypes.h>
#include <string.h>

#include "common/json.h"
#include "common/utf8.h"
#include "daemon/events.h"

int
gl_services_register(gl_daemon *d, gl_err *err)
{
	int rc;
	if ((rc = gl_svc_health_register(d, err)) != 0 ||
	    (rc = gl_svc_projects_register(d, err)) != 0 ||
	    (rc = gl_svc_documents_register(d, err)) != 0 ||
	    (rc = gl_svc_annotations_register(d, err)) != 0 ||
	    (rc = gl_svc_analyzers_register(d, err)) != 0 ||
	    (rc = gl_svc_users_register(d, err)) != 0 ||
	    (rc = gl_svc_sessions_register(d, err)) != 0 ||
	    (rc = gl_svc_curation_register(d, err)) != 0 ||
	    (rc = gl_svc_agreement_register(d, err)) != 0 ||
	    (rc = gl_events_register(d->events, err)) != 0)
		return rc;
	return 0;
}

static const char *const gl_role_names[] = {
	"none", "viewer", "annotator", "curator", "manager", "admin",
};

int
gl_role_from_name(const char *name)
{
	for (int i = GL_ROLE_VIEWER; i <= GL_ROLE_ADMIN; i++)
		if (name != NULL && strcmp(name, gl_role_names[i]) == 0)
			return i;
	return GL_ROLE_NONE;
}

const char *
gl_role_name(int role)
{
	return role >= 0 && role <= GL_ROLE_ADMIN ? gl_role_names[role] : "none";
}

int
gl_svc_role(gl_call *call, gl_daemon *d, int64_t project_id)
{
	const gl_user *u = gl_call_user(call);
	if (u == NULL)
		return GL_ROLE_NONE;
	if (strcmp(u->role, "admin") == 0)
		return GL_ROLE_ADMIN;
	char role[16];
	gl_err err;
	if (gl_store_member_role(d->store, project_id, u->id, role, &err) != 0)
		return GL_ROLE_NONE;
	return gl_role_from_name(role);
}

int
gl_svc_require(gl_call *call, gl_daemon *d, int64_t project_id, int role)
{
	int have = gl_svc_role(call, d, project_id);
	if (have >= role)
		return 0;
	char msg[200];
	const gl_user *u = gl_call_user(call);
	snprintf(msg, sizeof(msg), "%s needs the %s role in this project; "
	    "user \"%s\" has %s", gl_call_method(call), gl_role_name(role),
	    u ? u->name : "?", have ? gl_role_name(have) : "no role");
	gl_call_fail(call, GL_PERMISSION_DENIED, msg);
	return -1;
}

int
gl_svc_schema_check(const Gloss__V1__Project *p, const char *layer,
    const char *label, gl_err *err)
{
	if (p->schema == NULL || p->schema->n_layers == 0)
		return 0;
	for (size_t i = 0; i < p->schema->n_layers; i++) {
		const Gloss__V1__LayerDef *l = p->schema->layers[i];
		if (strcmp(l->name, layer) != 0)
			continue;
		if (l->n_labels == 0)
			return 0;
		for (size_t k = 0; k < l->n_labels; k++)
			if (strcmp(l->labels[k]->name, label) == 0)
				return 0;
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "label \"%.60s\" is not in layer \"%.60s\" of the schema of "
		    "project %s", label, layer, p->name);
	}
	return gl_err_set(err, GL_INVALID_ARGUMENT,
	    "layer \"%.60s\" is not in the schema of project %s", layer, p->name);
}

int
gl_svc_is_plugin(const char *author)
{
	return author != NULL && strncmp(author, "plugin:", 7) == 0;
}

int
gl_svc_can_see(const Gloss__V1__Project *p, int role, const char *user,
    const Gloss__V1__Annotation *x)
{
	if (role >= GL_ROLE_CURATOR || role == GL_ROLE_VIEWER ||
	    strcmp(p->mode, "independent") != 0)
		return role >= GL_ROLE_VIEWER;
	return strcmp(x->author, user) == 0 || gl_svc_is_plugin(x->author);
}

int
gl_svc_can_edit(const Gloss__V1__Project *p, int role, const char *user,
    const Gloss__V1__Annotation *x)
{
	if (role >= GL_ROLE_CURATOR)
		return 1;
	if (role < GL_ROLE_ANNOTATOR)
		return 0;
	if (strcmp(x->author, user) == 0)
		return strcmp(x->status, "gold") != 0;
	return strcmp(p->mode, "shared") == 0 && strcmp(x->status, "gold") != 0;
}

int
gl_svc_project(gl_call *call, gl_daemon *d, const char *name, int role,
    Gloss__V1__Project **p)
{
	gl_err err;
	int rc = gl_store_project_get(d->store, name, gl_call_arena(call), p, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return rc;
	}
	return gl_svc_require(call, d, (*p)->id, role);
}

const char *
gl_svc_author(gl_call *call)
{
	const gl_user *u = gl_call_user(call);
	return u ? u->name : "";
}

int
gl_svc_check_json_object(const char *text, const char *what, gl_err *err)
{
	if (text == NULL || text[0] == '\0')
		return 0;
	char msg[200];
	if (gl_json_is_object(text, strlen(text), msg, sizeof(msg)) != 0)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "%s must be a JSON object: %s", what, msg);
	return 0;
}

/* ---- the document a call works on --------------------------------- */


void
gl_svc_doc_release(gl_svc_doc *doc)
{
	gl_utf8_map_free(doc->map);
	doc->map = NULL;
	doc->id = 0;
}

int
gl_svc_doc_load(gl_daemon *d, gl_call *call, int64_t id, gl_svc_doc *doc,
    gl_err *err)
{
	if (doc->id == id && doc->map != NULL)
		return 0;
	gl_svc_doc_release(doc);
	Gloss__V1__Document *dd;
	int rc = gl_store_document_get(d->store, id, 1, gl_call_arena(call), &dd, err);
	if (rc != 0)
		return rc;
	rc = gl_store_document_project(d->store, id, &doc->project_id, err);
	if (rc != 0)
		return rc;
	if (doc->project == NULL || doc->project->id != doc->project_id) {
		rc = gl_store_project_by_id(d->store, doc->project_id,
		    gl_call_arena(call), &doc->project, err);
		if (rc != 0)
			return rc;
		doc->role = gl_svc_role(call, d, doc->project_id);
	}
	doc->text = dd->text;
	doc->len = strlen(dd->text);
	if (gl_utf8_map_new(doc->text, doc->len, &doc->map) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	doc->id = id;
	return 0;
}

/*
 * Checks [start, end) against the document and sets *quote to the text it
 * covers.  A non-empty expected quote must match it.
 */
int
gl_svc_doc_span(gl_call *call, gl_svc_doc *doc, int64_t start, int64_t end,
    const char *expected, char **quote, gl_err *err)
{
	int64_t n = (int64_t)gl_utf8_map_cp_len(doc->map);
	if (start < 0 || end > n || start >= end)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "offsets [%" PRId64 ", %" PRId64 ") are out of range for "
		    "document %" PRId64 " of %" PRId64 " code points (need "
		    "0 <= start < end <= length)", start, end, doc->id, n);
	int64_t bs = gl_utf8_map_to_byte(doc->map, start);
	int64_t be = gl_utf8_map_to_byte(doc->map, end);
	*quote = gl_arena_strndup(gl_call_arena(call), doc->text + bs,
	    (size_t)(be - bs));
	if (*quote == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (expected && expected[0] && strcmp(expected, *quote) != 0)
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "quote \"%.80s\" does not match the text at [%" PRId64 ", %"
		    PRId64 "), which is \"%.80s\"", expected, start, end, *quote);
	return 0;
}

