/*
 * auth.h - API tokens: how they are made, stored (hashed) and bootstrapped.
 * Who may call what is decided per project in the services; this module
 * only knows who is calling.
 */
#ifndef GL_AUTH_H
#define GL_AUTH_H

#include <stddef.h>

#include "common/status.h"
#include "daemon/store.h"

#define GL_AUTH_TOKEN_LEN 48 /* "gls_" + 44 base32-ish characters, + NUL fits 49 */

/* Writes a new random token ("gls_..." from getrandom) into out[64]. */
int gl_auth_token_new(char out[64], gl_err *err);
/* Hex SHA-256 of a token, as the store keeps it. */
void gl_auth_token_hash(const char *token, char hex[65]);
/*
 * On a database without users, creates user "admin" (role admin) with the
 * token from env_token if not NULL/empty, else a new one that is written
 * to *printed (the caller shows it once).  Does nothing if users exist.
 */
int gl_auth_bootstrap(gl_store *s, const char *env_token, char printed[64],
    int *created, gl_err *err);

#endif /* GL_AUTH_H */
