/*
 * buf.h - a growable byte buffer, always NUL-terminated, for building
 * output (JSON, SQL-free text, log lines) without fixed-size arrays.
 */
#ifndef GL_BUF_H
#define GL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct gl_buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} gl_buf;

#define GL_BUF_INIT { NULL, 0, 0 }

int gl_buf_append(gl_buf *b, const void *p, size_t n); /* 0 or -ENOMEM */
int gl_buf_puts(gl_buf *b, const char *s);
int gl_buf_putc(gl_buf *b, char c);
int gl_buf_printf(gl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int gl_buf_vprintf(gl_buf *b, const char *fmt, va_list ap);
void gl_buf_reset(gl_buf *b);      /* len = 0, keeps the memory */
void gl_buf_free(gl_buf *b);       /* frees and re-initialises */
char *gl_buf_steal(gl_buf *b);     /* caller owns the string ("" if empty); b is re-initialised */

#endif /* GL_BUF_H */
