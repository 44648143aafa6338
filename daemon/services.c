/* services.c - service registration and shared checks (see services.h). */
#include "daemon/services.h"

#include <string.h>

#include "common/json.h"
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
	    (rc = gl_events_register(d->events, err)) != 0)
		return rc;
	return 0;
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
