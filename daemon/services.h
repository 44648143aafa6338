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

/* Author string of the caller: the user name. */
const char *gl_svc_author(gl_call *call);
/* Validates an optional JSON-object text field; "" is allowed. */
int gl_svc_check_json_object(const char *text, const char *what, gl_err *err);

#endif /* GL_SERVICES_H */
