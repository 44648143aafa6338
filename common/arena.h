/*
 * arena.h - a bump allocator for per-request memory: everything a request
 * allocates while it is handled is freed at once when it ends.
 */
#ifndef GL_ARENA_H
#define GL_ARENA_H

#include <stddef.h>

typedef struct gl_arena_block gl_arena_block;
typedef struct gl_arena {
	gl_arena_block *head;
	size_t block_size; /* default 16 KiB */
} gl_arena;

void gl_arena_init(gl_arena *a, size_t block_size); /* 0: default */
void *gl_arena_alloc(gl_arena *a, size_t n);        /* 16-byte aligned; NULL on ENOMEM */
void *gl_arena_calloc(gl_arena *a, size_t n);
char *gl_arena_strdup(gl_arena *a, const char *s);
char *gl_arena_strndup(gl_arena *a, const char *s, size_t n);
void gl_arena_reset(gl_arena *a);                   /* frees every block */

#endif /* GL_ARENA_H */
