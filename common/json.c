/*
 * json.c - strict RFC 8259 reader into a malloc'd tree, and writers that
 * append to a gl_buf.  Errors name the line and column of the input, since
 * they usually end up in front of someone fixing a JSONL file by hand.
 */
#include "common/json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"

#define GL_JSON_MAX_DEPTH 256

typedef struct {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
} gl_json_parser;

static void
gl_json_fail(gl_json_parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
gl_json_fail(gl_json_parser *p, size_t at, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	if (p->err == NULL || p->errlen == 0)
		return;
	size_t line = 1, col = 1;
	for (size_t i = 0; i < at && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)p->s[i] & 0xC0) != 0x80) {
			col++; /* columns count characters, not bytes */
		}
	}
	int n = snprintf(p->err, p->errlen, "line %zu, column %zu: ", line, col);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static void
gl_json_ws(gl_json_parser *p)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static const char *
gl_json_describe(gl_json_parser *p)
{
	if (p->pos >= p->len)
		return "end of input";
	return NULL;
}

/* "unexpected X" with the character shown when it is printable. */
static void
gl_json_unexpected(gl_json_parser *p, const char *want)
{
	const char *what = gl_json_describe(p);
	if (what != NULL) {
		gl_json_fail(p, p->pos, "expected %s, got %s", want, what);
		return;
	}
	unsigned char c = (unsigned char)p->s[p->pos];
	if (c >= 0x20 && c < 0x7f)
		gl_json_fail(p, p->pos, "expected %s, got '%c'", want, c);
	else
		gl_json_fail(p, p->pos, "expected %s, got byte 0x%02x", want, c);
}

static gl_json *gl_json_value(gl_json_parser *p, int depth);

static int
gl_json_hex4(gl_json_parser *p, unsigned *out)
{
	if (p->len - p->pos < 4) {
		gl_json_fail(p, p->pos, "truncated \\u escape");
		return -1;
	}
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos + (size_t)i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else {
			gl_json_fail(p, p->pos + (size_t)i,
			    "bad hex digit in \\u escape");
			return -1;
		}
	}
	p->pos += 4;
	*out = v;
	return 0;
}

static void
gl_json_put_cp(gl_buf *b, unsigned cp, int *oom)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (gl_buf_append(b, u, n) != 0)
		*oom = 1;
}

/* Parses a string at p->pos (which is '"'); result in b. */
static int
gl_json_string_raw(gl_json_parser *p, gl_buf *b)
{
	int oom = 0;
	p->pos++; /* opening quote */
	for (;;) {
		if (p->pos >= p->len) {
			gl_json_fail(p, p->pos, "unterminated string");
			return -1;
		}
		/* Copy the run of plain bytes at once. */
		size_t start = p->pos;
		while (p->pos < p->len) {
			unsigned char c = (unsigned char)p->s[p->pos];
			if (c == '"' || c == '\\' || c < 0x20)
				break;
			p->pos++;
		}
		if (p->pos > start) {
			size_t bad;
			if (gl_utf8_validate(p->s + start, p->pos - start,
			    &bad) != 0) {
				gl_json_fail(p, start + bad,
				    "invalid UTF-8 in string");
				return -1;
			}
			if (gl_buf_append(b, p->s + start, p->pos - start) != 0)
				oom = 1;
		}
		if (p->pos >= p->len)
			continue;
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			gl_json_fail(p, p->pos,
			    "control character 0x%02x in string (escape it)", c);
			return -1;
		}
		/* backslash */
		p->pos++;
		if (p->pos >= p->len) {
			gl_json_fail(p, p->pos, "unterminated string");
			return -1;
		}
		char e = p->s[p->pos++];
		char lit;
		switch (e) {
		case '"': lit = '"'; break;
		case '\\': lit = '\\'; break;
		case '/': lit = '/'; break;
		case 'b': lit = '\b'; break;
		case 'f': lit = '\f'; break;
		case 'n': lit = '\n'; break;
		case 'r': lit = '\r'; break;
		case 't': lit = '\t'; break;
		case 'u': {
			size_t at = p->pos - 2;
			unsigned cp;
			if (gl_json_hex4(p, &cp) != 0)
				return -1;
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				gl_json_fail(p, at, "lone low surrogate \\u%04x", cp);
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (p->len - p->pos < 6 || p->s[p->pos] != '\\' ||
				    p->s[p->pos + 1] != 'u') {
					gl_json_fail(p, at,
					    "lone high surrogate \\u%04x", cp);
					return -1;
				}
				p->pos += 2;
				if (gl_json_hex4(p, &lo) != 0)
					return -1;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					gl_json_fail(p, at,
					    "lone high surrogate \\u%04x", cp);
					return -1;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			gl_json_put_cp(b, cp, &oom);
			continue;
		}
		default:
			gl_json_fail(p, p->pos - 2, "bad escape '\\%c'",
			    (e >= 0x20 && e < 0x7f) ? e : '?');
			return -1;
		}
		if (gl_buf_putc(b, lit) != 0)
			oom = 1;
	}
	if (oom) {
		gl_json_fail(p, p->pos, "out of memory");
		return -1;
	}
	return 0;
}

static gl_json *
gl_json_node(gl_json_parser *p, gl_json_type t)
{
	gl_json *v = calloc(1, sizeof *v);
	if (v == NULL)
		gl_json_fail(p, p->pos, "out of memory");
	else
		v->type = t;
	return v;
}

static gl_json *
gl_json_string_node(gl_json_parser *p)
{
	gl_buf b = GL_BUF_INIT;
	if (gl_json_string_raw(p, &b) != 0) {
		gl_buf_free(&b);
		return NULL;
	}
	gl_json *v = gl_json_node(p, GL_JSON_STRING);
	if (v == NULL) {
		gl_buf_free(&b);
		return NULL;
	}
	v->len = b.len;
	v->str = gl_buf_steal(&b);
	if (v->str == NULL) {
		free(v);
		gl_json_fail(p, p->pos, "out of memory");
		return NULL;
	}
	return v;
}

static gl_json *
gl_json_number_node(gl_json_parser *p)
{
	size_t start = p->pos;
	const char *s = p->s;
	size_t i = p->pos;
	if (i < p->len && s[i] == '-')
		i++;
	if (i < p->len && s[i] == '0') {
		i++;
	} else if (i < p->len && s[i] >= '1' && s[i] <= '9') {
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		p->pos = i;
		gl_json_unexpected(p, "a digit");
		return NULL;
	}
	if (i < p->len && s[i] == '.') {
		i++;
		if (i >= p->len || s[i] < '0' || s[i] > '9') {
			p->pos = i;
			gl_json_unexpected(p, "a digit after '.'");
			return NULL;
		}
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < p->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= p->len || s[i] < '0' || s[i] > '9') {
			p->pos = i;
			gl_json_unexpected(p, "a digit in the exponent");
			return NULL;
		}
		while (i < p->len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	/* strtod needs a NUL-terminated copy: the input need not have one. */
	char small[64];
	char *tmp = small;
	size_t n = i - start;
	if (n >= sizeof small) {
		tmp = malloc(n + 1);
		if (tmp == NULL) {
			gl_json_fail(p, start, "out of memory");
			return NULL;
		}
	}
	memcpy(tmp, s + start, n);
	tmp[n] = '\0';
	double d = strtod(tmp, NULL);
	if (tmp != small)
		free(tmp);
	p->pos = i;
	gl_json *v = gl_json_node(p, GL_JSON_NUMBER);
	if (v != NULL) {
		v->number = d;
		v->is_int = memchr(s + start, '.', n) == NULL &&
		    memchr(s + start, 'e', n) == NULL &&
		    memchr(s + start, 'E', n) == NULL;
	}
	return v;
}

static int
gl_json_push(gl_json *v, gl_json *item, char *key, size_t *cap)
{
	if (v->len == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		gl_json **items = realloc(v->items, nc * sizeof *items);
		if (items == NULL)
			return -ENOMEM;
		v->items = items;
		if (v->type == GL_JSON_OBJECT) {
			char **keys = realloc(v->keys, nc * sizeof *keys);
			if (keys == NULL)
				return -ENOMEM;
			v->keys = keys;
		}
		*cap = nc;
	}
	v->items[v->len] = item;
	if (v->type == GL_JSON_OBJECT)
		v->keys[v->len] = key;
	v->len++;
	return 0;
}

static gl_json *
gl_json_container(gl_json_parser *p, int depth, int object)
{
	size_t open_at = p->pos;
	if (depth >= GL_JSON_MAX_DEPTH) {
		gl_json_fail(p, p->pos, "nesting deeper than %d",
		    GL_JSON_MAX_DEPTH);
		return NULL;
	}
	gl_json *v = gl_json_node(p, object ? GL_JSON_OBJECT : GL_JSON_ARRAY);
	if (v == NULL)
		return NULL;
	size_t cap = 0;
	char close = object ? '}' : ']';
	p->pos++;
	gl_json_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		if (object) {
			gl_json_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				gl_json_unexpected(p, "a string key");
				goto fail;
			}
			gl_buf kb = GL_BUF_INIT;
			if (gl_json_string_raw(p, &kb) != 0) {
				gl_buf_free(&kb);
				goto fail;
			}
			key = gl_buf_steal(&kb);
			if (key == NULL) {
				gl_json_fail(p, p->pos, "out of memory");
				goto fail;
			}
			gl_json_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(key);
				gl_json_unexpected(p, "':'");
				goto fail;
			}
			p->pos++;
		}
		gl_json *item = gl_json_value(p, depth + 1);
		if (item == NULL) {
			free(key);
			goto fail;
		}
		if (gl_json_push(v, item, key, &cap) != 0) {
			free(key);
			gl_json_free(item);
			gl_json_fail(p, p->pos, "out of memory");
			goto fail;
		}
		gl_json_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return v;
		}
		if (p->pos >= p->len)
			gl_json_fail(p, open_at, "unclosed %s",
			    object ? "object" : "array");
		else
			gl_json_unexpected(p, object ? "',' or '}'" : "',' or ']'");
		goto fail;
	}
fail:
	gl_json_free(v);
	return NULL;
}

static int
gl_json_literal(gl_json_parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
		p->pos += n;
		return 1;
	}
	return 0;
}

static gl_json *
gl_json_value(gl_json_parser *p, int depth)
{
	gl_json_ws(p);
	if (p->pos >= p->len) {
		gl_json_unexpected(p, "a value");
		return NULL;
	}
	char c = p->s[p->pos];
	gl_json *v;
	switch (c) {
	case '{':
		return gl_json_container(p, depth, 1);
	case '[':
		return gl_json_container(p, depth, 0);
	case '"':
		return gl_json_string_node(p);
	case 't':
	case 'f':
		if (gl_json_literal(p, c == 't' ? "true" : "false")) {
			v = gl_json_node(p, GL_JSON_BOOL);
			if (v != NULL)
				v->boolean = c == 't';
			return v;
		}
		break;
	case 'n':
		if (gl_json_literal(p, "null"))
			return gl_json_node(p, GL_JSON_NULL);
		break;
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return gl_json_number_node(p);
		break;
	}
	gl_json_unexpected(p, "a value");
	return NULL;
}

int
gl_json_parse(const char *text, size_t len, gl_json **out, char *err,
    size_t errlen)
{
	gl_json_parser p = { text, len, 0, err, errlen, 0 };
	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	gl_json *v = gl_json_value(&p, 0);
	if (v == NULL)
		return -1;
	gl_json_ws(&p);
	if (p.pos < p.len) {
		gl_json_unexpected(&p, "end of input");
		gl_json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

void
gl_json_free(gl_json *v)
{
	if (v == NULL)
		return;
	if (v->type == GL_JSON_ARRAY || v->type == GL_JSON_OBJECT) {
		for (size_t i = 0; i < v->len; i++) {
			gl_json_free(v->items[i]);
			if (v->keys != NULL)
				free(v->keys[i]);
		}
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const gl_json *
gl_json_get(const gl_json *obj, const char *key)
{
	if (obj == NULL || obj->type != GL_JSON_OBJECT || key == NULL)
		return NULL;
	/* The last of duplicate keys wins, as in most JSON readers. */
	for (size_t i = obj->len; i-- > 0;)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const char *
gl_json_string(const gl_json *v, const char *dflt)
{
	return v != NULL && v->type == GL_JSON_STRING ? v->str : dflt;
}

double
gl_json_number(const gl_json *v, double dflt)
{
	return v != NULL && v->type == GL_JSON_NUMBER ? v->number : dflt;
}

int64_t
gl_json_int(const gl_json *v, int64_t dflt)
{
	if (v == NULL || v->type != GL_JSON_NUMBER || !isfinite(v->number))
		return dflt;
	/* 2^63 is exactly representable; anything at or beyond it is not an
	 * int64_t. */
	if (v->number >= 9223372036854775808.0 ||
	    v->number < -9223372036854775808.0)
		return dflt;
	return (int64_t)v->number;
}

int
gl_json_bool(const gl_json *v, int dflt)
{
	return v != NULL && v->type == GL_JSON_BOOL ? v->boolean : dflt;
}

/* ---- writer -------------------------------------------------------- */

int
gl_json_write_string(gl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	if (gl_buf_putc(b, '"') != 0)
		return -ENOMEM;
	size_t run = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c == '\n')
			esc = "\\n";
		else if (c == '\r')
			esc = "\\r";
		else if (c == '\t')
			esc = "\\t";
		else if (c == '\b')
			esc = "\\b";
		else if (c == '\f')
			esc = "\\f";
		else if (c < 0x20 || c == 0x7f) {
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			u[6] = '\0';
			esc = u;
		}
		if (esc == NULL)
			continue;
		if (gl_buf_append(b, s + run, i - run) != 0 ||
		    gl_buf_puts(b, esc) != 0)
			return -ENOMEM;
		run = i + 1;
	}
	if (gl_buf_append(b, s + run, len - run) != 0 || gl_buf_putc(b, '"') != 0)
		return -ENOMEM;
	return 0;
}

int
gl_json_write_cstr(gl_buf *b, const char *s)
{
	if (s == NULL)
		return gl_buf_puts(b, "null");
	return gl_json_write_string(b, s, strlen(s));
}

int
gl_json_write_number(gl_buf *b, double d)
{
	if (!isfinite(d))
		return gl_buf_puts(b, "null");
	if (d == 0)
		return gl_buf_puts(b, signbit(d) ? "-0" : "0");
	/* Integers that fit a double exactly print without an exponent. */
	if (d == floor(d) && fabs(d) < 9007199254740992.0)
		return gl_buf_printf(b, "%.0f", d);
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	return gl_buf_puts(b, tmp);
}

int
gl_json_write_int(gl_buf *b, int64_t i)
{
	return gl_buf_printf(b, "%lld", (long long)i);
}

int
gl_json_write(gl_buf *b, const gl_json *v)
{
	if (v == NULL)
		return gl_buf_puts(b, "null");
	switch (v->type) {
	case GL_JSON_NULL:
		return gl_buf_puts(b, "null");
	case GL_JSON_BOOL:
		return gl_buf_puts(b, v->boolean ? "true" : "false");
	case GL_JSON_NUMBER:
		return gl_json_write_number(b, v->number);
	case GL_JSON_STRING:
		return gl_json_write_string(b, v->str, v->len);
	case GL_JSON_ARRAY:
	case GL_JSON_OBJECT: {
		int obj = v->type == GL_JSON_OBJECT;
		if (gl_buf_putc(b, obj ? '{' : '[') != 0)
			return -ENOMEM;
		for (size_t i = 0; i < v->len; i++) {
			if (i > 0 && gl_buf_putc(b, ',') != 0)
				return -ENOMEM;
			if (obj && (gl_json_write_cstr(b, v->keys[i]) != 0 ||
			    gl_buf_putc(b, ':') != 0))
				return -ENOMEM;
			if (gl_json_write(b, v->items[i]) != 0)
				return -ENOMEM;
		}
		return gl_buf_putc(b, obj ? '}' : ']');
	}
	}
	return -EINVAL;
}

int
gl_json_is_object(const char *text, size_t len, char *err, size_t errlen)
{
	gl_json *v;
	if (gl_json_parse(text, len, &v, err, errlen) != 0)
		return -1;
	int ok = v->type == GL_JSON_OBJECT;
	gl_json_free(v);
	if (!ok) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	return 0;
}
