/*
 * auth.c - tokens (see auth.h).  Only the SHA-256 of a token is stored:
 * a stolen database does not hand out working tokens.  Tokens carry 256
 * bits of randomness, so a plain hash (no salt, no stretching) suffices.
 */
#include "daemon/auth.h"

#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <sys/random.h>

#include "common/sha256.h"

int
gl_auth_token_new(char out[64], gl_err *err)
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	unsigned char raw[43];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return gl_err_set(err, GL_INTERNAL,
			    "no randomness for a token: %s", strerror(errno));
		}
		got += (size_t)n;
	}
	memcpy(out, "gls_", 4);
	for (size_t i = 0; i < sizeof(raw); i++)
		out[4 + i] = alphabet[raw[i] & 31]; /* 43 x 5 bits = 215 bits */
	out[4 + sizeof(raw)] = '\0';
	return 0;
}

void
gl_auth_token_hash(const char *token, char hex[65])
{
	gl_sha256_hex(token, strlen(token), hex);
}

int
gl_auth_bootstrap(gl_store *s, const char *env_token, char printed[64],
    int *created, gl_err *err)
{
	int64_t n;
	int rc = gl_store_user_count(s, &n, err);
	*created = 0;
	printed[0] = '\0';
	if (rc != 0 || n > 0)
		return rc;
	char token[64] = "";
	int from_env = env_token != NULL && env_token[0] != '\0';
	if (from_env) {
		if (strlen(env_token) < 16 || strlen(env_token) > 200)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "GLOSS_ADMIN_TOKEN must be 16 to 200 characters long");
	} else if ((rc = gl_auth_token_new(token, err)) != 0) {
		return rc;
	}
	char hex[65];
	gl_auth_token_hash(from_env ? env_token : token, hex);
	int64_t id;
	if ((rc = gl_store_begin(s, err)) != 0)
		return rc;
	if ((rc = gl_store_user_create(s, "admin", "admin", &id, err)) != 0 ||
	    (rc = gl_store_token_add(s, id, hex, err)) != 0) {
		gl_store_rollback(s);
		return rc;
	}
	if ((rc = gl_store_commit(s, err)) != 0)
		return rc;
	*created = 1;
	if (!from_env)
		memcpy(printed, token, strlen(token) + 1);
	return 0;
}
