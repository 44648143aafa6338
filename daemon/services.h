/*
 * services.h - registers every gloss.v1 service with the RPC layer, and the
 * few checks the services share.  Each service lives in its own svc_*.c.
 */
#ifndef GL_SERVICES_H
#define GL_SERVICES_H

#include "common/utf8.h"
#include "daemon/daemon.h"
#include "gloss/v1/projects.pb-c.h"

int gl_services_register(gl_daemon *d, gl_err *err);

/* Per-service registration, called by gl_services_register. */
int gl_svc_health_register(gl_daemon *d, gl_err *err);
int gl_svc_projects_register(gl_daemon *d, gl_err *err);
int gl_svc_documents_register(gl_daemon *d, gl_err *err);
int gl_svc_annotations_register(gl_daemon *d, gl_err *err);
int gl_svc_analyzers_register(gl_daemon *d, gl_err *err);
int gl_svc_agreement_register(gl_daemon *d, gl_err *err);
int gl_svc_users_register(gl_daemon *d, gl_err *err);
int gl_svc_sessions_register(gl_daemon *d, gl_err *err);
int gl_svc_curation_register(gl_daemon *d, gl_err *err);
/* Stops the presence sweep and frees presence state (shutdown). */
void gl_svc_sessions_free(gl_daemon *d);

/* Project roles in rising order of rights; admin is a user's global role. */
enum gl_role {
	GL_ROLE_NONE = 0,
	GL_ROLE_VIEWER,
	GL_ROLE_ANNOTATOR,
	GL_ROLE_CURATOR,
	GL_ROLE_MANAGER,
	GL_ROLE_ADMIN,
};

/* "viewer" -> GL_ROLE_VIEWER ...; GL_ROLE_NONE for anything else. */
int gl_role_from_name(const char *name);
const char *gl_role_name(int role);
/* The caller's role in a project (admins: GL_ROLE_ADMIN everywhere). */
int gl_svc_role(gl_call *call, gl_daemon *d, int64_t project_id);
/*
 * Returns 0 if the caller has at least `role` in the project; otherwise
 * fails the call with PERMISSION_DENIED (changing nothing) and returns -1.
 */
int gl_svc_require(gl_call *call, gl_daemon *d, int64_t project_id, int role);

/*
 * The project schema admits (layer, label): an empty schema admits all, a
 * layer without labels admits any label.  Otherwise INVALID_ARGUMENT.
 */
int gl_svc_schema_check(const Gloss__V1__Project *p, const char *layer,
    const char *label, gl_err *err);
/* Whether an author string names a plugin ("plugin:<name>@<version>"). */
int gl_svc_is_plugin(const char *author);
/*
 * Whether a caller with `role` named `user` sees annotation x of project p:
 * in an independent project annotators see only their own work and plugin
 * suggestions; everyone else sees everything.
 */
int gl_svc_can_see(const Gloss__V1__Project *p, int role, const char *user,
    const Gloss__V1__Annotation *x);
/*
 * Whether they may change x: curators and up always; annotators their own
 * work, and in a shared project anyone's that is not gold.
 */
int gl_svc_can_edit(const Gloss__V1__Project *p, int role, const char *user,
    const Gloss__V1__Annotation *x);

/*
 * The document a call works on, with its text, offset map, project and the
 * caller's role there, loaded once and reused for all the call's spans.
 * Zero-initialise, gl_svc_doc_load, and always gl_svc_doc_release.
 */
typedef struct gl_svc_doc {
	int64_t id;
	int64_t project_id;
	Gloss__V1__Project *project; /* arena */
	int role;                    /* the caller's role in it */
	char *text;      /* arena */
	size_t len;
	gl_utf8_map *map; /* malloc'd: gl_svc_doc_release */
} gl_svc_doc;
int gl_svc_doc_load(gl_daemon *d, gl_call *call, int64_t id, gl_svc_doc *doc,
    gl_err *err);
void gl_svc_doc_release(gl_svc_doc *doc);
/*
 * Checks [start, end) (code points) against the document and sets *quote
 * (call arena) to the text it covers; a non-empty expected quote must equal
 * it (FAILED_PRECONDITION otherwise).
 */
int gl_svc_doc_span(gl_call *call, gl_svc_doc *doc, int64_t start, int64_t end,
    const char *expected, char **quote, gl_err *err);

/*
 * Finds the project by name (call arena) and requires `role` in it.  On
 * failure the call is answered (NOT_FOUND, PERMISSION_DENIED, ...) and a
 * non-zero value returned: the handler just returns.
 */
int gl_svc_project(gl_call *call, gl_daemon *d, const char *name, int role,
    Gloss__V1__Project **p);

/* Author string of the caller: the user name. */
const char *gl_svc_author(gl_call *call);
/* Validates an optional JSON-object text field; "" is allowed. */
int gl_svc_check_json_object(const char *text, const char *what, gl_err *err);

#endif /* GL_SERVICES_H */
