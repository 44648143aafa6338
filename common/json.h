/*
 * json.h - a small, strict JSON reader (RFC 8259) and writer helpers.
 *
 * gloss exchanges JSON at its edges only: JSONL import files, plugin
 * configuration and attributes, `--json` output of the CLI and the eval
 * files.  The reader builds a tree that the caller frees with one call; the
 * writer appends to a gl_buf.
 */
#ifndef GL_JSON_H
#define GL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

typedef enum {
	GL_JSON_NULL,
	GL_JSON_BOOL,
	GL_JSON_NUMBER,
	GL_JSON_STRING,
	GL_JSON_ARRAY,
	GL_JSON_OBJECT,
} gl_json_type;

typedef struct gl_json gl_json;
struct gl_json {
	gl_json_type type;
	int boolean;       /* GL_JSON_BOOL */
	double number;     /* GL_JSON_NUMBER */
	char *str;         /* GL_JSON_STRING: NUL-terminated UTF-8 (may hold \0 escapes: use len) */
	size_t len;        /* GL_JSON_STRING: byte length; ARRAY/OBJECT: item count */
	gl_json **items;   /* ARRAY and OBJECT values, len of them */
	char **keys;       /* OBJECT keys, len of them, NUL-terminated */
	int is_int;        /* GL_JSON_NUMBER written without '.' or exponent */
};

/*
 * Parses len bytes of text into *out.  Returns 0, or -1 with a message such
 * as "line 3, column 14: expected ':'" in err.  Rejects trailing garbage,
 * invalid UTF-8 in strings, lone surrogates, and nesting deeper than 256.
 * The caller owns *out and frees it with gl_json_free().
 */
int gl_json_parse(const char *text, size_t len, gl_json **out, char *err,
    size_t errlen);
void gl_json_free(gl_json *v);

/* Lookups tolerate NULL and the wrong type, returning NULL / the default. */
const gl_json *gl_json_get(const gl_json *obj, const char *key);
const char *gl_json_string(const gl_json *v, const char *dflt);
double gl_json_number(const gl_json *v, double dflt);
int64_t gl_json_int(const gl_json *v, int64_t dflt);
int gl_json_bool(const gl_json *v, int dflt);

/* Writer helpers: append JSON to b.  They return 0 or -ENOMEM. */
int gl_json_write_string(gl_buf *b, const char *s, size_t len); /* quoted, escaped */
int gl_json_write_cstr(gl_buf *b, const char *s);               /* NULL writes null */
int gl_json_write_number(gl_buf *b, double d);                  /* shortest round-trip; non-finite -> null */
int gl_json_write_int(gl_buf *b, int64_t i);
int gl_json_write(gl_buf *b, const gl_json *v);                 /* compact re-serialisation */

/* Validates that text is one JSON object (for attributes/metadata fields). */
int gl_json_is_object(const char *text, size_t len, char *err, size_t errlen);

#endif /* GL_JSON_H */
