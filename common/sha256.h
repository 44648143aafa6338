/*
 * sha256.h - SHA-256 (FIPS 180-4), for document fingerprints (duplicate
 * imports) and for storing API tokens hashed.
 */
#ifndef GL_SHA256_H
#define GL_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct gl_sha256 {
	uint32_t h[8];
	uint64_t total;
	uint8_t block[64];
	size_t fill;
} gl_sha256;

void gl_sha256_init(gl_sha256 *c);
void gl_sha256_update(gl_sha256 *c, const void *p, size_t n);
void gl_sha256_final(gl_sha256 *c, uint8_t out[32]);
/* One-shot: writes 64 lower-case hex digits and a NUL into hex. */
void gl_sha256_hex(const void *p, size_t n, char hex[65]);

#endif /* GL_SHA256_H */
