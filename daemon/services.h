/*
 * services.h - registers every gloss.v1 service with the RPC layer, and the
 * few checks the services share.  Each service lives in its own svc_*.c.
 */
#ifndef GL_SERVICES_H
#define GL_SERVICES_H

#include "daemon/daemon.h"

int gl_services_register(gl_daemon *d, gl_err *err);

/* Per-service registration, called by gl_services_register. */
int gl_svc_health_register(gl_daemon *d, gl_err *err);
int gl_svc_projects_register(gl_daemon *d, gl_err *err);
int gl_svc_documents_register(gl_daemon *d, gl_err *err);
int gl_svc_annotations_register(gl_daemon *d, gl_err *err);
int gl_svc_analyzers_register(gl_daemon *d, gl_err *err);
int gl_svc_agreement_register(gl_daemon *d, gl_err *err);

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

/* Author string of the caller: the user name. */
const char *gl_svc_author(gl_call *call);
/* Validates an optional JSON-object text field; "" is allowed. */
int gl_svc_check_json_object(const char *text, const char *what, gl_err *err);

#endif /* GL_SERVICES_H */
