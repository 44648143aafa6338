/*
 * cli.c - shared helpers of the `gloss` commands: option parsing and help,
 * the connection, errors and exit codes, JSON and table output.
 */
#include "clients/cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/json.h"

void
gl_cli_init(gl_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->out = stdout;
	cli->err = stderr;
}

void
gl_cli_fini(gl_cli *cli)
{
	gloss_close(cli->client);
	cli->client = NULL;
}

void
gl_cli_list_free(gl_cli_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static int
list_add(gl_cli_list *l, const char *s, size_t n)
{
	char **items = realloc(l->items, (l->n + 1) * sizeof(char *));
	char *copy;

	if (items == NULL)
		return -ENOMEM;
	l->items = items;
	if ((copy = malloc(n + 1)) == NULL)
		return -ENOMEM;
	memcpy(copy, s, n);
	copy[n] = '\0';
	l->items[l->n++] = copy;
	return 0;
}

int
gl_cli_parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s)
		return -1;
	*out = v;
	return 0;
}

int
gl_cli_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || s[0] == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || end == s || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
gl_cli_usage_error(gl_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(cli->err, "gloss: %s%s", cli->command ? cli->command : "",
	    cli->command ? ": " : "");
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fprintf(cli->err, "\n(see: gloss %s%s--help)\n",
	    cli->command ? cli->command : "", cli->command ? " " : "");
	return GL_CLI_EXIT_USAGE;
}

/* The flags every command takes; dst pointers are filled per parse. */
enum { G_URL, G_TOKEN, G_JSON, G_TIMEOUT, G_HELP, G_N };

static void
global_opts(gl_cli *cli, gl_cli_opt g[G_N])
{
	g[G_URL] = (gl_cli_opt){ "url", GL_OPT_STR, &cli->url, "URL",
	    "server URL (default: $GLOSS_URL, else " GL_CLI_DEFAULT_URL ")",
	    0 };
	g[G_TOKEN] = (gl_cli_opt){ "token", GL_OPT_STR, &cli->token, "TOKEN",
	    "access token (default: $GLOSS_TOKEN)", 0 };
	g[G_JSON] = (gl_cli_opt){ "json", GL_OPT_FLAG, &cli->json, NULL,
	    "print JSON for scripts (JSONL for streams)", 0 };
	g[G_TIMEOUT] = (gl_cli_opt){ "timeout", GL_OPT_INT, &cli->timeout_ms,
	    "MS", "give up on a call after MS milliseconds (default 30000)",
	    0 };
	g[G_HELP] = (gl_cli_opt){ "help", GL_OPT_FLAG, &cli->help, NULL,
	    "show this help", 0 };
}

static gl_cli_opt *
find_opt(gl_cli_opt *opts, const char *name, size_t n)
{
	for (; opts != NULL && opts->name != NULL; opts++)
		if (strlen(opts->name) == n && memcmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

static int
set_opt(gl_cli *cli, gl_cli_opt *o, const char *v)
{
	int64_t iv;
	double dv;

	switch (o->kind) {
	case GL_OPT_FLAG:
		*(int *)o->dst = 1;
		break;
	case GL_OPT_STR:
		*(const char **)o->dst = v;
		break;
	case GL_OPT_INT:
		if (gl_cli_parse_int(v, &iv) != 0)
			return gl_cli_usage_error(cli,
			    "--%s wants a whole number, not \"%s\"", o->name,
			    v);
		*(int64_t *)o->dst = iv;
		break;
	case GL_OPT_DOUBLE:
		if (gl_cli_parse_double(v, &dv) != 0)
			return gl_cli_usage_error(cli,
			    "--%s wants a number, not \"%s\"", o->name, v);
		*(double *)o->dst = dv;
		break;
	case GL_OPT_LIST: {
		const char *p = v;
		for (;;) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			if (n > 0 && list_add(o->dst, p, n) != 0) {
				fprintf(cli->err, "gloss: out of memory\n");
				return GL_CLI_EXIT_FAILURE;
			}
			if (comma == NULL)
				break;
			p = comma + 1;
		}
		break;
	}
	}
	o->given = 1;
	return 0;
}

int
gl_cli_parse(gl_cli *cli, const gl_cli_spec *spec, int argc, char **argv,
    char ***args, int *nargs)
{
	gl_cli_opt globals[G_N + 1];
	char **pos;
	int npos = 0, opts_done = 0, rv;

	global_opts(cli, globals);
	globals[G_N] = (gl_cli_opt){ NULL, 0, NULL, NULL, NULL, 0 };
	*args = NULL;
	*nargs = 0;
	if ((pos = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return gl_cli_fail(cli, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!opts_done && strcmp(a, "--") == 0) {
			opts_done = 1;
		} else if (!opts_done && a[0] == '-' && a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			gl_cli_opt *o = find_opt(spec->opts, name, n);
			const char *v = NULL;
			if (o == NULL)
				o = find_opt(globals, name, n);
			if (o == NULL) {
				rv = gl_cli_usage_error(cli,
				    "unknown option --%.*s", (int)n, name);
				goto fail;
			}
			if (o->kind == GL_OPT_FLAG) {
				if (eq != NULL) {
					rv = gl_cli_usage_error(cli,
					    "--%s takes no value", o->name);
					goto fail;
				}
			} else if (eq != NULL) {
				v = eq + 1;
			} else if (i + 1 < argc) {
				v = argv[++i];
			} else {
				rv = gl_cli_usage_error(cli, "--%s needs a %s",
				    o->name, o->meta ? o->meta : "value");
				goto fail;
			}
			if ((rv = set_opt(cli, o, v)) != 0)
				goto fail;
		} else if (!opts_done && strcmp(a, "-h") == 0) {
			cli->help = 1;
		} else if (!opts_done && a[0] == '-' && a[1] != '\0' &&
		    !(a[1] >= '0' && a[1] <= '9')) {
			rv = gl_cli_usage_error(cli, "unknown option %s", a);
			goto fail;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (cli->help) {
		gl_cli_print_help(cli, spec);
		free(pos);
		return 1;
	}
	if (cli->timeout_ms < 0 || cli->timeout_ms > UINT32_MAX) {
		rv = gl_cli_usage_error(cli, "--timeout must be 0..%u ms",
		    (unsigned)UINT32_MAX);
		goto fail;
	}
	if (npos < spec->min_args) {
		rv = gl_cli_usage_error(cli, "missing argument; usage: gloss %s",
		    spec->usage);
		goto fail;
	}
	if (spec->max_args >= 0 && npos > spec->max_args) {
		rv = gl_cli_usage_error(cli, "unexpected argument \"%s\"",
		    pos[spec->max_args]);
		goto fail;
	}
	*args = pos;
	*nargs = npos;
	return 0;
fail:
	free(pos);
	return rv;
}

static void
print_opt(FILE *f, const gl_cli_opt *o)
{
	char left[64];

	snprintf(left, sizeof(left), "--%s%s%s%s", o->name, o->meta ? " " : "",
	    o->meta ? o->meta : "", o->kind == GL_OPT_LIST ? "..." : "");
	fprintf(f, "  %-22s %s\n", left, o->help ? o->help : "");
}

void
gl_cli_print_help(gl_cli *cli, const gl_cli_spec *spec)
{
	gl_cli_opt globals[G_N];

	fprintf(cli->out, "usage: gloss %s\n\n%s\n", spec->usage,
	    spec->summary);
	if (spec->details)
		fprintf(cli->out, "\n%s\n", spec->details);
	if (spec->opts && spec->opts[0].name) {
		fprintf(cli->out, "\noptions:\n");
		for (const gl_cli_opt *o = spec->opts; o->name; o++)
			print_opt(cli->out, o);
	}
	global_opts(cli, globals);
	fprintf(cli->out, "\nglobal options:\n");
	for (int i = 0; i < G_N; i++)
		print_opt(cli->out, &globals[i]);
	fprintf(cli->out, "\nexit status: 0 on success, 10 + the status code "
	    "on an RPC error\n(13 INVALID_ARGUMENT, 15 NOT_FOUND, 20 ABORTED, "
	    "24 UNAVAILABLE,\n26 UNAUTHENTICATED, ...), 2 on a usage error, "
	    "1 on a local failure.\n");
}

/* ---- calls and errors -------------------------------------------------- */

int
gl_cli_connect(gl_cli *cli)
{
	gloss_connect_opts o = { 0 };
	const char *url = cli->url, *token = cli->token;
	int rv;

	if (cli->client != NULL)
		return 0;
	if (url == NULL || url[0] == '\0')
		url = getenv("GLOSS_URL");
	if (url == NULL || url[0] == '\0')
		url = GL_CLI_DEFAULT_URL;
	if (token == NULL)
		token = getenv("GLOSS_TOKEN");
	o.timeout_ms = (uint32_t)cli->timeout_ms;
	o.tls_ca_file = getenv("GLOSS_TLS_CA");
	if ((rv = gloss_connect_ex(url, token, &o, &cli->client)) != 0)
		return gl_cli_fail_call(cli, rv, NULL);
	return 0;
}

int
gl_cli_exit_code(int rc)
{
	if (rc == 0)
		return GL_CLI_EXIT_OK;
	if (rc < 0 && rc >= -16)
		return 10 - rc;
	return GL_CLI_EXIT_FAILURE;
}

int
gl_cli_fail_call(gl_cli *cli, int rc, const gloss_status *st)
{
	if (st != NULL && st->code != 0) {
		fprintf(cli->err, "gloss: %s: %s", gloss_code_name(st->code),
		    st->message ? st->message : "");
		for (size_t i = 0; i < st->n_details; i++)
			fprintf(cli->err, "%s%s=%s", i ? ", " : " [",
			    st->detail_keys[i], st->detail_values[i]);
		fprintf(cli->err, "%s\n", st->n_details ? "]" : "");
	} else {
		fprintf(cli->err, "gloss: %s\n", gloss_last_error());
	}
	return gl_cli_exit_code(rc);
}

int
gl_cli_fail_code(gl_cli *cli, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(cli->err, "gloss: %s: ", gloss_code_name(code));
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return gl_cli_exit_code(-code);
}

int
gl_cli_fail(gl_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fputs("gloss: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return GL_CLI_EXIT_FAILURE;
}

/* ---- JSON -------------------------------------------------------------- */

static int
write_base64(gl_buf *b, const uint8_t *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int rv = gl_buf_putc(b, '"');

	for (size_t i = 0; rv == 0 && i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		char q[4];
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		rv = gl_buf_append(b, q, 4);
	}
	return rv ? rv : gl_buf_putc(b, '"');
}

/* Fields whose string holds JSON object text, shown as an object. */
static int
is_json_text_field(const char *name)
{
	return strcmp(name, "attributes") == 0 ||
	    strcmp(name, "metadata") == 0 || strcmp(name, "detail") == 0;
}

static int
write_string_field(gl_buf *b, const ProtobufCFieldDescriptor *f,
    const char *s)
{
	if (s == NULL)
		s = "";
	if (is_json_text_field(f->name) && s[0] == '{') {
		gl_json *v = NULL;
		char err[8];
		if (gl_json_parse(s, strlen(s), &v, err, sizeof(err)) == 0 &&
		    v->type == GL_JSON_OBJECT) {
			int rv = gl_json_write(b, v);
			gl_json_free(v);
			return rv;
		}
		gl_json_free(v);
	}
	return gl_json_write_cstr(b, s);
}

static size_t
elem_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	}
	return 0;
}

static int
write_value(gl_buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return gl_json_write_int(b, *(const int32_t *)p);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return gl_json_write_int(b, *(const uint32_t *)p);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return gl_json_write_int(b, *(const int64_t *)p);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return gl_buf_printf(b, "%llu",
		    (unsigned long long)*(const uint64_t *)p);
	case PROTOBUF_C_TYPE_FLOAT:
		return gl_json_write_number(b, *(const float *)p);
	case PROTOBUF_C_TYPE_DOUBLE:
		return gl_json_write_number(b, *(const double *)p);
	case PROTOBUF_C_TYPE_BOOL:
		return gl_buf_puts(b, *(const protobuf_c_boolean *)p ? "true"
		                                                     : "false");
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(
		    f->descriptor, *(const int *)p);
		if (ev != NULL)
			return gl_json_write_cstr(b, ev->name);
		return gl_json_write_int(b, *(const int *)p);
	}
	case PROTOBUF_C_TYPE_STRING:
		return write_string_field(b, f, *(char *const *)p);
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *bd = p;
		return write_base64(b, bd->data, bd->len);
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
		return m ? gl_cli_json_message(b, m) : gl_buf_puts(b, "null");
	}
	}
	return gl_buf_puts(b, "null");
}

int
gl_cli_json_message(gl_buf *b, const ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *d = msg->descriptor;
	const char *base = (const char *)msg;
	int rv = gl_buf_putc(b, '{'), first = 1;

	for (unsigned i = 0; rv == 0 && i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const void *p = base + f->offset;

		if (f->label == PROTOBUF_C_LABEL_OPTIONAL &&
		    f->quantifier_offset != 0 &&
		    f->type != PROTOBUF_C_TYPE_MESSAGE &&
		    f->type != PROTOBUF_C_TYPE_STRING &&
		    !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
			continue; /* proto2/optional scalar not set */
		if (!first)
			rv = gl_buf_putc(b, ',');
		first = 0;
		if (rv == 0)
			rv = gl_json_write_cstr(b, f->name);
		if (rv == 0)
			rv = gl_buf_putc(b, ':');
		if (rv != 0)
			break;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			const char *arr = *(char *const *)p;
			size_t es = elem_size(f->type);
			rv = gl_buf_putc(b, '[');
			for (size_t j = 0; rv == 0 && j < n; j++) {
				if (j > 0)
					rv = gl_buf_putc(b, ',');
				if (rv == 0)
					rv = write_value(b, f, arr + j * es);
			}
			if (rv == 0)
				rv = gl_buf_putc(b, ']');
		} else {
			rv = write_value(b, f, p);
		}
	}
	return rv ? rv : gl_buf_putc(b, '}');
}

int
gl_cli_print_json(gl_cli *cli, const ProtobufCMessage *msg)
{
	gl_buf b = GL_BUF_INIT;
	int rv = gl_cli_json_message(&b, msg);

	if (rv == 0) {
		fwrite(b.data, 1, b.len, cli->out);
		fputc('\n', cli->out);
		fflush(cli->out);
	}
	gl_buf_free(&b);
	return rv;
}

int
gl_cli_print_json_array(gl_cli *cli, const ProtobufCMessage *const *msgs,
    size_t n)
{
	gl_buf b = GL_BUF_INIT;
	int rv = gl_buf_putc(&b, '[');

	for (size_t i = 0; rv == 0 && i < n; i++) {
		if (i > 0)
			rv = gl_buf_putc(&b, ',');
		if (rv == 0)
			rv = gl_cli_json_message(&b, msgs[i]);
	}
	if (rv == 0)
		rv = gl_buf_putc(&b, ']');
	if (rv == 0) {
		fwrite(b.data, 1, b.len, cli->out);
		fputc('\n', cli->out);
		fflush(cli->out);
	}
	gl_buf_free(&b);
	return rv;
}

/* ---- tables ------------------------------------------------------------ */

#define GL_CLI_TABLE_MAX_WIDTH 60

void
gl_cli_table_init(gl_cli_table *t, size_t ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->max_width = GL_CLI_TABLE_MAX_WIDTH;
	if (header != NULL)
		gl_cli_table_add(t, header);
}

/* Characters (code points) in UTF-8 text. */
static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* A one-line copy cut to max characters, ending with "…" when cut. */
static char *
cell_copy(const char *s, size_t max)
{
	char *c = gl_cli_one_line(s ? s : "");
	size_t w = 0, i;

	if (c == NULL || max == 0 || text_width(c) <= max)
		return c;
	for (i = 0; c[i]; i++) {
		if (((unsigned char)c[i] & 0xC0) != 0x80 && ++w == max)
			break;
	}
	/* i is the start of the max-th character: replace it with "…". */
	{
		char *r = realloc(c, i + 4);
		if (r == NULL) {
			free(c);
			return NULL;
		}
		memcpy(r + i, "\xe2\x80\xa6", 4);
		return r;
	}
}

int
gl_cli_table_add(gl_cli_table *t, const char *const *row)
{
	if ((t->nrows + 1) * t->ncols > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : t->ncols * 16;
		char **cells;
		while (cap < (t->nrows + 1) * t->ncols)
			cap *= 2;
		if ((cells = realloc(t->cells, cap * sizeof(char *))) == NULL)
			return -ENOMEM;
		t->cells = cells;
		t->cap = cap;
	}
	for (size_t j = 0; j < t->ncols; j++) {
		char *c = cell_copy(row[j], t->nrows == 0 ? 0 : t->max_width);
		if (c == NULL) {
			while (j-- > 0)
				free(t->cells[t->nrows * t->ncols + j]);
			return -ENOMEM;
		}
		t->cells[t->nrows * t->ncols + j] = c;
	}
	t->nrows++;
	return 0;
}

int
gl_cli_table_addf(gl_cli_table *t, const char *fmt, ...)
{
	gl_buf b = GL_BUF_INIT;
	const char **row;
	va_list ap;
	char *p;
	int rv;

	va_start(ap, fmt);
	rv = gl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rv != 0 || b.data == NULL ||
	    (row = calloc(t->ncols, sizeof(char *))) == NULL) {
		gl_buf_free(&b);
		return -ENOMEM;
	}
	p = b.data;
	for (size_t j = 0; j < t->ncols; j++) {
		char *tab = p ? strchr(p, '\x1f') : NULL;
		row[j] = p ? p : "";
		if (tab != NULL) {
			*tab = '\0';
			p = tab + 1;
		} else {
			p = NULL;
		}
	}
	rv = gl_cli_table_add(t, row);
	free(row);
	gl_buf_free(&b);
	return rv;
}

char *
gl_cli_table_render(const gl_cli_table *t)
{
	gl_buf b = GL_BUF_INIT;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(size_t));

	if (w == NULL)
		return NULL;
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t j = 0; j < t->ncols; j++) {
			size_t cw = text_width(t->cells[i * t->ncols + j]);
			if (cw > w[j])
				w[j] = cw;
		}
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->ncols; j++) {
			const char *c = t->cells[i * t->ncols + j];
			gl_buf_puts(&b, c);
			if (j + 1 < t->ncols)
				for (size_t k = text_width(c); k < w[j] + 2; k++)
					gl_buf_putc(&b, ' ');
		}
		/* No trailing blanks when the last cells are empty. */
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		gl_buf_putc(&b, '\n');
	}
	free(w);
	return gl_buf_steal(&b);
}

void
gl_cli_table_print(const gl_cli_table *t, FILE *out)
{
	char *s = gl_cli_table_render(t);

	if (s != NULL)
		fputs(s, out);
	free(s);
	fflush(out);
}

void
gl_cli_table_free(gl_cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

const char *
gl_cli_format_time(int64_t unix_ms, char *buf, size_t len)
{
	time_t s = (time_t)(unix_ms / 1000);
	struct tm tm;

	if (unix_ms <= 0 || gmtime_r(&s, &tm) == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *
gl_cli_one_line(const char *s)
{
	char *c = strdup(s ? s : "");

	if (c == NULL)
		return NULL;
	/* Control characters would move the cursor or hide text. */
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

/* ---- command groups ---------------------------------------------------- */

static void
group_help(gl_cli *cli, FILE *f, const char *group, const char *summary,
    const gl_cli_subcmd *subs)
{
	(void)cli;
	fprintf(f, "usage: gloss %s COMMAND [options]\n\n%s\n\ncommands:\n",
	    group, summary);
	for (const gl_cli_subcmd *s = subs; s->name; s++)
		fprintf(f, "  %-10s %s\n", s->name, s->summary);
	fprintf(f, "\nRun \"gloss %s COMMAND --help\" for its options.\n",
	    group);
}

int
gl_cli_dispatch(gl_cli *cli, const char *summary, const gl_cli_subcmd *subs,
    int argc, char **argv)
{
	static char name[64];
	const char *group = argv[0];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		group_help(cli, argc < 2 ? cli->err : cli->out, group, summary,
		    subs);
		return argc < 2 ? GL_CLI_EXIT_USAGE : GL_CLI_EXIT_OK;
	}
	for (const gl_cli_subcmd *s = subs; s->name; s++) {
		if (strcmp(s->name, argv[1]) == 0) {
			snprintf(name, sizeof(name), "%s %s", group, s->name);
			cli->command = name;
			return s->fn(cli, argc - 1, argv + 1);
		}
	}
	cli->command = group;
	return gl_cli_usage_error(cli, "unknown command \"%s\"", argv[1]);
}

/* ---- small helpers ----------------------------------------------------- */

int
gl_cli_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	gl_buf b = GL_BUF_INIT;
	char chunk[65536];
	size_t n;
	int saved;

	*data = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (gl_buf_append(&b, chunk, n) != 0) {
			errno = ENOMEM;
			break;
		}
	}
	saved = ferror(f) ? (errno ? errno : EIO) : (n > 0 ? ENOMEM : 0);
	if (f != stdin)
		fclose(f);
	if (saved != 0) {
		gl_buf_free(&b);
		errno = saved;
		return -1;
	}
	*len = b.len;
	*data = gl_buf_steal(&b);
	if (*data == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

char *
gl_cli_join(char *const *items, size_t n, const char *sep)
{
	gl_buf b = GL_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if ((i > 0 && gl_buf_puts(&b, sep) != 0) ||
		    gl_buf_puts(&b, items[i]) != 0) {
			gl_buf_free(&b);
			return NULL;
		}
	}
	return gl_buf_steal(&b);
}

int
gl_cli_call_failed(gl_cli *cli, int rc, gloss_status *st)
{
	rc = gl_cli_fail_call(cli, rc, st);
	gloss_status_clear(st);
	return rc;
}

int
gl_cli_parse_id(gl_cli *cli, const char *s, int64_t *id)
{
	if (gl_cli_parse_int(s, id) != 0 || *id <= 0)
		return gl_cli_usage_error(cli, "\"%s\" is not an id", s);
	return 0;
}
