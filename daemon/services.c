/* services.c - service registration and shared checks (see services.h). */
#include "daemon/services.h"

#include <stdio.h>
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
