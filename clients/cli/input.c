/*
 * input.c - user files to request messages (see input.h).
 */
#include "clients/cli/input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"

#define TITLE_MAX_BYTES 300

static int
bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return GLOSS_EINVALID_ARGUMENT;
}

static char *
dup_n(const char *s, size_t n)
{
	char *c = malloc(n + 1);

	if (c != NULL) {
		memcpy(c, s, n);
		c[n] = '\0';
	}
	return c;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* Shortens n so that s[0..n) does not end inside a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k;
}

int
gl_cli_input_txt(const char *path, const char *data, size_t len,
    Gloss__V1__DocumentInput **out, char *err, size_t errlen)
{
	Gloss__V1__DocumentInput *d;
	const char *p = data, *end = data + len, *base, *nul;
	gl_buf meta = GL_BUF_INIT;

	*out = NULL;
	if ((nul = memchr(data, '\0', len)) != NULL)
		return bad(err, errlen, "%s: NUL byte at offset %zu; a text "
		    "file cannot hold one", path, (size_t)(nul - data));
	if ((d = malloc(sizeof(*d))) == NULL)
		return bad(err, errlen, "out of memory");
	gloss__v1__document_input__init(d);
	/* Title: the first line that holds more than blanks. */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *a = p, *b = eol ? eol : end;
		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (b > a) {
			size_t n = (size_t)(b - a);
			if (n > TITLE_MAX_BYTES)
				n = utf8_cut(a, TITLE_MAX_BYTES);
			d->title = dup_n(a, n);
			break;
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	d->text = dup_n(data, len);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	gl_buf_puts(&meta, "{\"file\":");
	gl_json_write_cstr(&meta, base);
	gl_buf_putc(&meta, '}');
	d->metadata = gl_buf_steal(&meta);
	if (d->text == NULL || d->title == NULL || d->metadata == NULL) {
		/* Unset fields back to the shared default, which is not freed. */
		if (d->title == NULL)
			d->title = (char *)protobuf_c_empty_string;
		if (d->text == NULL)
			d->text = (char *)protobuf_c_empty_string;
		if (d->metadata == NULL)
			d->metadata = (char *)protobuf_c_empty_string;
		gloss_free(d);
		return bad(err, errlen, "out of memory");
	}
	*out = d;
	return 0;
}

/* Copies the string member key of obj into *dst; an error if not a string. */
static int
take_string(const gl_json *obj, const char *key, char **dst, char *err,
    size_t errlen)
{
	const gl_json *v = gl_json_get(obj, key);

	if (v == NULL || v->type == GL_JSON_NULL)
		return 0;
	if (v->type != GL_JSON_STRING)
		return bad(err, errlen, "\"%s\" must be a string", key);
	if (memchr(v->str, '\0', v->len) != NULL)
		return bad(err, errlen, "\"%s\" holds a \\u0000", key);
	if ((*dst = dup_n(v->str, v->len)) == NULL)
		return bad(err, errlen, "out of memory");
	return 0;
}

int
gl_cli_input_jsonl_line(const char *line, size_t len,
    Gloss__V1__DocumentInput **out, char *err, size_t errlen)
{
	Gloss__V1__DocumentInput *d;
	gl_json *root = NULL;
	const gl_json *v;
	char perr[200];
	int rv;
	size_t i;

	*out = NULL;
	for (i = 0; i < len && is_blank(line[i]); i++)
		;
	if (i == len)
		return 1;
	if (gl_json_parse(line, len, &root, perr, sizeof(perr)) != 0)
		return bad(err, errlen, "not JSON: %s", perr);
	if (root->type != GL_JSON_OBJECT) {
		gl_json_free(root);
		return bad(err, errlen, "a line must hold one JSON object");
	}
	v = gl_json_get(root, "text");
	if (v == NULL || v->type != GL_JSON_STRING) {
		gl_json_free(root);
		return bad(err, errlen, "\"text\" (a string) is required");
	}
	if ((d = malloc(sizeof(*d))) == NULL) {
		gl_json_free(root);
		return bad(err, errlen, "out of memory");
	}
	gloss__v1__document_input__init(d);
	if ((rv = take_string(root, "text", &d->text, err, errlen)) != 0 ||
	    (rv = take_string(root, "title", &d->title, err, errlen)) != 0 ||
	    (rv = take_string(root, "source", &d->source, err, errlen)) != 0 ||
	    (rv = take_string(root, "url", &d->url, err, errlen)) != 0 ||
	    (rv = take_string(root, "lang", &d->lang, err, errlen)) != 0)
		goto fail;
	if (gl_json_get(root, "published") != NULL)
		rv = take_string(root, "published", &d->published, err, errlen);
	else
		rv = take_string(root, "dct", &d->published, err, errlen);
	if (rv != 0)
		goto fail;
	v = gl_json_get(root, "metadata");
	if (v != NULL && v->type != GL_JSON_NULL) {
		gl_buf b = GL_BUF_INIT;
		if (v->type != GL_JSON_OBJECT) {
			rv = bad(err, errlen, "\"metadata\" must be an object");
			goto fail;
		}
		if (gl_json_write(&b, v) != 0) {
			gl_buf_free(&b);
			rv = bad(err, errlen, "out of memory");
			goto fail;
		}
		d->metadata = gl_buf_steal(&b);
	} else if ((v = gl_json_get(root, "id")) != NULL &&
	    (v->type == GL_JSON_STRING || v->type == GL_JSON_NUMBER)) {
		gl_buf b = GL_BUF_INIT;
		gl_buf_puts(&b, "{\"id\":");
		gl_json_write(&b, v);
		gl_buf_putc(&b, '}');
		d->metadata = gl_buf_steal(&b);
	}
	gl_json_free(root);
	*out = d;
	return 0;
fail:
	gl_json_free(root);
	gloss_free(d);
	return rv;
}

/* ---- label schemas ----------------------------------------------------- */

static char *
json_str_dup(const gl_json *v)
{
	return dup_n(v->str, v->len);
}

/* Grows a pointer array by one slot. */
static int
push(void ***arr, size_t *n, void *item)
{
	void **a = realloc(*arr, (*n + 1) * sizeof(void *));

	if (a == NULL)
		return -ENOMEM;
	a[(*n)++] = item;
	*arr = a;
	return 0;
}

static int
parse_label(const gl_json *v, Gloss__V1__LayerDef *layer, char *err,
    size_t errlen)
{
	Gloss__V1__LabelDef *l = malloc(sizeof(*l));

	if (l == NULL)
		return bad(err, errlen, "out of memory");
	gloss__v1__label_def__init(l);
	if (push((void ***)&layer->labels, &layer->n_labels, l) != 0) {
		free(l);
		return bad(err, errlen, "out of memory");
	}
	if (v->type == GL_JSON_STRING) {
		l->name = json_str_dup(v);
		return l->name ? 0 : bad(err, errlen, "out of memory");
	}
	if (v->type != GL_JSON_OBJECT)
		return bad(err, errlen, "layer \"%s\": a label is a string or "
		    "an object", layer->name);
	if (take_string(v, "name", &l->name, err, errlen) != 0 ||
	    take_string(v, "color", &l->color, err, errlen) != 0 ||
	    take_string(v, "description", &l->description, err, errlen) != 0)
		return GLOSS_EINVALID_ARGUMENT;
	if (l->name[0] == '\0')
		return bad(err, errlen, "layer \"%s\": a label needs a name",
		    layer->name);
	return 0;
}

static int
parse_attribute(const gl_json *v, Gloss__V1__LayerDef *layer, char *err,
    size_t errlen)
{
	Gloss__V1__AttributeDef *a = malloc(sizeof(*a));
	const gl_json *vals;

	if (a == NULL)
		return bad(err, errlen, "out of memory");
	gloss__v1__attribute_def__init(a);
	if (push((void ***)&layer->attributes, &layer->n_attributes, a) != 0) {
		free(a);
		return bad(err, errlen, "out of memory");
	}
	if (v->type != GL_JSON_OBJECT)
		return bad(err, errlen, "layer \"%s\": an attribute is an "
		    "object", layer->name);
	if (take_string(v, "name", &a->name, err, errlen) != 0 ||
	    take_string(v, "type", &a->type, err, errlen) != 0)
		return GLOSS_EINVALID_ARGUMENT;
	if (a->name[0] == '\0')
		return bad(err, errlen, "layer \"%s\": an attribute needs a "
		    "name", layer->name);
	vals = gl_json_get(v, "values");
	if (vals != NULL && vals->type != GL_JSON_ARRAY)
		return bad(err, errlen, "attribute \"%s\": \"values\" must be "
		    "an array of strings", a->name);
	for (size_t i = 0; vals != NULL && i < vals->len; i++) {
		char *s;
		if (vals->items[i]->type != GL_JSON_STRING)
			return bad(err, errlen, "attribute \"%s\": \"values\" "
			    "must be an array of strings", a->name);
		if ((s = json_str_dup(vals->items[i])) == NULL ||
		    push((void ***)&a->values, &a->n_values, s) != 0) {
			free(s);
			return bad(err, errlen, "out of memory");
		}
	}
	return 0;
}

int
gl_cli_input_schema(const char *text, size_t len,
    Gloss__V1__LabelSchema **out, char *err, size_t errlen)
{
	Gloss__V1__LabelSchema *s;
	gl_json *root = NULL;
	const gl_json *layers;
	char perr[200];
	int rv = 0;

	*out = NULL;
	if (gl_json_parse(text, len, &root, perr, sizeof(perr)) != 0)
		return bad(err, errlen, "not JSON: %s", perr);
	layers = gl_json_get(root, "layers");
	if (root->type != GL_JSON_OBJECT || layers == NULL ||
	    layers->type != GL_JSON_ARRAY) {
		gl_json_free(root);
		return bad(err, errlen, "a schema is {\"layers\": [...]}");
	}
	if ((s = malloc(sizeof(*s))) == NULL) {
		gl_json_free(root);
		return bad(err, errlen, "out of memory");
	}
	gloss__v1__label_schema__init(s);
	for (size_t i = 0; rv == 0 && i < layers->len; i++) {
		const gl_json *lv = layers->items[i], *labels, *attrs;
		Gloss__V1__LayerDef *layer = malloc(sizeof(*layer));
		if (layer == NULL) {
			rv = bad(err, errlen, "out of memory");
			break;
		}
		gloss__v1__layer_def__init(layer);
		if (push((void ***)&s->layers, &s->n_layers, layer) != 0) {
			free(layer);
			rv = bad(err, errlen, "out of memory");
			break;
		}
		if (lv->type != GL_JSON_OBJECT) {
			rv = bad(err, errlen, "layer %zu is not an object", i);
			break;
		}
		if ((rv = take_string(lv, "name", &layer->name, err,
		    errlen)) != 0)
			break;
		if (layer->name[0] == '\0') {
			rv = bad(err, errlen, "layer %zu needs a name", i);
			break;
		}
		labels = gl_json_get(lv, "labels");
		attrs = gl_json_get(lv, "attributes");
		if ((labels && labels->type != GL_JSON_ARRAY) ||
		    (attrs && attrs->type != GL_JSON_ARRAY)) {
			rv = bad(err, errlen, "layer \"%s\": \"labels\" and "
			    "\"attributes\" are arrays", layer->name);
			break;
		}
		for (size_t j = 0; rv == 0 && labels && j < labels->len; j++)
			rv = parse_label(labels->items[j], layer, err, errlen);
		for (size_t j = 0; rv == 0 && attrs && j < attrs->len; j++)
			rv = parse_attribute(attrs->items[j], layer, err,
			    errlen);
	}
	gl_json_free(root);
	if (rv != 0) {
		gloss_free(s);
		return rv;
	}
	*out = s;
	return 0;
}

size_t
gl_cli_input_batches(const size_t *sizes, size_t n, size_t max_docs,
    size_t max_bytes, size_t *ends)
{
	size_t nb = 0, count = 0, bytes = 0;

	for (size_t i = 0; i < n; i++) {
		if (count > 0 && (count == max_docs ||
		    bytes + sizes[i] > max_bytes)) {
			ends[nb++] = i;
			count = 0;
			bytes = 0;
		}
		count++;
		bytes += sizes[i];
	}
	if (count > 0)
		ends[nb++] = n;
	return nb;
}
