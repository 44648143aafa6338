/*
 * buf.c - growable, always NUL-terminated byte buffer.
 */
#include "common/buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes plus the NUL. */
static int
gl_buf_reserve(gl_buf *b, size_t n)
{
	if (n > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (p == NULL)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
gl_buf_append(gl_buf *b, const void *p, size_t n)
{
	if (gl_buf_reserve(b, n) != 0)
		return -ENOMEM;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
gl_buf_puts(gl_buf *b, const char *s)
{
	return gl_buf_append(b, s, strlen(s));
}

int
gl_buf_putc(gl_buf *b, char c)
{
	return gl_buf_append(b, &c, 1);
}

int
gl_buf_vprintf(gl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	if (gl_buf_reserve(b, (size_t)n) != 0)
		return -ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
gl_buf_printf(gl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = gl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
gl_buf_reset(gl_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
gl_buf_free(gl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

char *
gl_buf_steal(gl_buf *b)
{
	char *s = b->data;
	if (s == NULL)
		s = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}
