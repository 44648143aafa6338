/* status.c - names and messages for gRPC status codes (see status.h). */
#include "common/status.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const gl_code_names[] = {
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
	"RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
	"OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
	"DATA_LOSS", "UNAUTHENTICATED",
};

int
gl_err_set(gl_err *e, int code, const char *fmt, ...)
{
	if (e != NULL) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -code;
}

const char *
gl_code_name(int code)
{
	if (code < 0 || code > GL_UNAUTHENTICATED)
		return "UNKNOWN";
	return gl_code_names[code];
}
