/*
 * arena.c - bump allocator: blocks are chained and only freed together, so
 * a request never needs to track what it allocated.
 */
#include "common/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GL_ARENA_DEFAULT_BLOCK (16 * 1024)
#define GL_ARENA_ALIGN 16

struct gl_arena_block {
	gl_arena_block *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	/* Keeps data 16-byte aligned whatever the header size is. */
	_Alignas(GL_ARENA_ALIGN) unsigned char data[];
};

void
gl_arena_init(gl_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : GL_ARENA_DEFAULT_BLOCK;
}

void *
gl_arena_alloc(gl_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - GL_ARENA_ALIGN)
		return NULL;
	size_t need = (n + GL_ARENA_ALIGN - 1) & ~(size_t)(GL_ARENA_ALIGN - 1);
	gl_arena_block *b = a->head;
	if (b == NULL || b->size - b->used < need) {
		if (a->block_size == 0)
			a->block_size = GL_ARENA_DEFAULT_BLOCK;
		size_t size = need > a->block_size ? need : a->block_size;
		if (size > SIZE_MAX - sizeof(gl_arena_block))
			return NULL;
		gl_arena_block *nb = malloc(sizeof(gl_arena_block) + size);
		if (nb == NULL)
			return NULL;
		nb->size = size;
		nb->used = 0;
		if (b != NULL && need > a->block_size) {
			/* An oversized block goes behind the head so the rest of
			 * the current block stays usable for small requests. */
			nb->next = b->next;
			b->next = nb;
			nb->used = need;
			return nb->data;
		}
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	return p;
}

void *
gl_arena_calloc(gl_arena *a, size_t n)
{
	void *p = gl_arena_alloc(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *
gl_arena_strndup(gl_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = gl_arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
gl_arena_strdup(gl_arena *a, const char *s)
{
	return gl_arena_strndup(a, s, strlen(s));
}

void
gl_arena_reset(gl_arena *a)
{
	gl_arena_block *b = a->head;
	while (b != NULL) {
		gl_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
