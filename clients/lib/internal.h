/*
 * internal.h - what the files of libgloss share and the public header does
 * not promise.
 */
#ifndef GL_CLIENT_INTERNAL_H
#define GL_CLIENT_INTERNAL_H

#include "gloss/client.h"

/* Sets the thread's last error (and *st) to "CODE: msg"; returns -code. */
int gl_client_fail(gloss_status *st, int code, int local, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void gl_client_clear_error(void);
/* 32 random hex digits and a NUL. */
void gl_client_new_request_id(char out[33]);
/* The gloss.v1 method named "/gloss.v1.Service/Method", or NULL. */
const ProtobufCMethodDescriptor *gl_client_find_method(const char *method);

#endif /* GL_CLIENT_INTERNAL_H */
