/*
 * status.h - gRPC status codes as gloss's error currency.
 *
 * Internal functions return 0 or -GL_<CODE> and, where a person will see
 * it, leave a sentence in a gl_err.  The code travels unchanged into
 * RpcResponse.code, so the daemon never has to translate between an
 * internal error space and the wire's.
 */
#ifndef GL_STATUS_H
#define GL_STATUS_H

#include <stddef.h>

enum gl_code {
	GL_OK = 0,
	GL_CANCELLED = 1,
	GL_UNKNOWN = 2,
	GL_INVALID_ARGUMENT = 3,
	GL_DEADLINE_EXCEEDED = 4,
	GL_NOT_FOUND = 5,
	GL_ALREADY_EXISTS = 6,
	GL_PERMISSION_DENIED = 7,
	GL_RESOURCE_EXHAUSTED = 8,
	GL_FAILED_PRECONDITION = 9,
	GL_ABORTED = 10,
	GL_OUT_OF_RANGE = 11,
	GL_UNIMPLEMENTED = 12,
	GL_INTERNAL = 13,
	GL_UNAVAILABLE = 14,
	GL_DATA_LOSS = 15,
	GL_UNAUTHENTICATED = 16,
};

typedef struct gl_err {
	char msg[512];
} gl_err;

/* Writes the message (if e is not NULL) and returns -code. */
int gl_err_set(gl_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "INVALID_ARGUMENT" for 3; "UNKNOWN" for codes outside 0..16. */
const char *gl_code_name(int code);

#endif /* GL_STATUS_H */
