/*
 * import.c - `gloss import --project P FILE...`: reads .txt and .jsonl
 * files and sends them with Documents/Import in batches.
 *
 * Every file is read and checked before the first call, so a bad JSONL
 * line stops the import before anything is stored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/cli.h"
#include "clients/cli/commands.h"
#include "clients/cli/input.h"
#include "common/json.h"

typedef struct import_doc {
	Gloss__V1__DocumentInput *doc;
	const char *file;  /* argv string */
	size_t line;       /* 1-based JSONL line; 0 for a .txt file */
	int64_t id;        /* filled from the answer */
	int duplicate;
	int done;
	char *sha256;
} import_doc;

typedef struct import_set {
	import_doc *docs;
	size_t n, cap;
	gl_buf jobs; /* "12,13": analysis jobs the auto-plugins started */
} import_set;

static int
set_add(import_set *s, Gloss__V1__DocumentInput *d, const char *file,
    size_t line)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		import_doc *nd = realloc(s->docs, cap * sizeof(*nd));
		if (nd == NULL)
			return -ENOMEM;
		s->docs = nd;
		s->cap = cap;
	}
	memset(&s->docs[s->n], 0, sizeof(s->docs[0]));
	s->docs[s->n].doc = d;
	s->docs[s->n].file = file;
	s->docs[s->n].line = line;
	s->n++;
	return 0;
}

static void
set_free(import_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		gloss_free(s->docs[i].doc);
		free(s->docs[i].sha256);
	}
	free(s->docs);
	gl_buf_free(&s->jobs);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Reads one file into the set; prints and returns an exit status on error. */
static int
read_input(gl_cli *cli, const char *path, import_set *set)
{
	char *data, err[300];
	size_t len;
	int rv = 0;

	if (gl_cli_read_file(path, &data, &len) != 0)
		return gl_cli_fail(cli, "cannot read %s: %s", path,
		    strerror(errno));
	if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson")) {
		size_t line = 0;
		for (char *p = data; p < data + len;) {
			char *eol = memchr(p, '\n', (size_t)(data + len - p));
			size_t n = eol ? (size_t)(eol - p) : (size_t)(data + len - p);
			Gloss__V1__DocumentInput *d = NULL;
			line++;
			rv = gl_cli_input_jsonl_line(p, n, &d, err, sizeof(err));
			if (rv < 0) {
				rv = gl_cli_fail_code(cli,
				    GLOSS_INVALID_ARGUMENT, "%s line %zu: %s",
				    path, line, err);
				break;
			}
			rv = 0;
			if (d != NULL && set_add(set, d, path, line) != 0) {
				gloss_free(d);
				rv = gl_cli_fail(cli, "out of memory");
				break;
			}
			p += n + 1;
		}
	} else {
		Gloss__V1__DocumentInput *d = NULL;
		if (gl_cli_input_txt(path, data, len, &d, err,
		    sizeof(err)) != 0)
			rv = gl_cli_fail_code(cli, GLOSS_INVALID_ARGUMENT, "%s",
			    err);
		else if (set_add(set, d, path, 0) != 0) {
			gloss_free(d);
			rv = gl_cli_fail(cli, "out of memory");
		}
	}
	free(data);
	return rv;
}

static const char *
origin(const import_doc *d, char *buf, size_t len)
{
	if (d->line > 0)
		snprintf(buf, len, "%s:%zu", d->file, d->line);
	else
		snprintf(buf, len, "%s", d->file);
	return buf;
}

/* Sends docs [from, to) in one call and records the answers. */
static int
send_batch(gl_cli *cli, const char *project, import_set *set, size_t from,
    size_t to, int64_t *imported, int64_t *dups)
{
	Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
	Gloss__V1__ImportResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	Gloss__V1__DocumentInput **docs;
	int rv;

	if ((docs = calloc(to - from, sizeof(*docs))) == NULL)
		return gl_cli_fail(cli, "out of memory");
	for (size_t i = from; i < to; i++)
		docs[i - from] = set->docs[i].doc;
	req.project = (char *)project;
	req.n_documents = to - from;
	req.documents = docs;
	rv = gloss_documents_import(cli->client, &req, &resp, &st);
	free(docs);
	if (rv != 0) {
		const char *idx = gloss_status_detail(&st, "document_index");
		int64_t k;
		rv = gl_cli_fail_call(cli, rv, &st);
		if (idx != NULL && gl_cli_parse_int(idx, &k) == 0 && k >= 0 &&
		    (size_t)k < to - from) {
			char where[512];
			fprintf(cli->err, "gloss: the document is %s\n",
			    origin(&set->docs[from + (size_t)k], where,
			    sizeof(where)));
		}
		gloss_status_clear(&st);
		return rv;
	}
	for (size_t i = 0; i < resp->n_results && from + i < to; i++) {
		import_doc *d = &set->docs[from + i];
		d->id = resp->results[i]->id;
		d->duplicate = resp->results[i]->duplicate;
		d->sha256 = strdup(resp->results[i]->sha256);
		d->done = 1;
	}
	*imported += resp->imported;
	*dups += resp->duplicates;
	{
		const char *job = gloss_status_detail(&st, "job_id");
		int64_t j;
		if (job != NULL && gl_cli_parse_int(job, &j) == 0)
			gl_buf_printf(&set->jobs, "%s%lld", set->jobs.len ? "," : "",
			    (long long)j);
	}
	gloss_status_clear(&st);
	gloss_free(resp);
	return 0;
}

static void
print_results(gl_cli *cli, const import_set *set, int64_t imported,
    int64_t dups)
{
	char where[512];

	if (cli->json) {
		gl_buf b = GL_BUF_INIT;
		gl_buf_printf(&b, "{\"imported\":%lld,\"duplicates\":%lld,"
		    "\"results\":[", (long long)imported, (long long)dups);
		for (size_t i = 0, k = 0; i < set->n; i++) {
			const import_doc *d = &set->docs[i];
			if (!d->done)
				continue;
			gl_buf_puts(&b, k++ ? ",{\"file\":" : "{\"file\":");
			gl_json_write_cstr(&b, d->file);
			gl_buf_printf(&b, ",\"line\":%zu,\"id\":%lld,"
			    "\"duplicate\":%s,\"sha256\":", d->line,
			    (long long)d->id, d->duplicate ? "true" : "false");
			gl_json_write_cstr(&b, d->sha256 ? d->sha256 : "");
			gl_buf_puts(&b, ",\"title\":");
			gl_json_write_cstr(&b, d->doc->title);
			gl_buf_putc(&b, '}');
		}
		gl_buf_printf(&b, "],\"jobs\":[%s]}\n",
		    set->jobs.data ? set->jobs.data : "");
		fputs(b.data, cli->out);
		gl_buf_free(&b);
	} else {
		static const char *const head[] = { "ID", "STATUS", "FROM",
			"TITLE" };
		gl_cli_table t;
		gl_cli_table_init(&t, 4, head);
		for (size_t i = 0; i < set->n; i++) {
			const import_doc *d = &set->docs[i];
			if (!d->done)
				continue;
			gl_cli_table_addf(&t, "%lld\x1f%s\x1f%s\x1f%s",
			    (long long)d->id,
			    d->duplicate ? "duplicate" : "imported",
			    origin(d, where, sizeof(where)), d->doc->title);
		}
		gl_cli_table_print(&t, cli->out);
		gl_cli_table_free(&t);
		fprintf(cli->out, "imported %lld, duplicates %lld\n",
		    (long long)imported, (long long)dups);
		if (set->jobs.len > 0)
			fprintf(cli->out, "analysis jobs started by the project's "
			    "auto-plugins: %s (follow with: gloss watch)\n",
			    set->jobs.data);
	}
	fflush(cli->out);
}

int
gl_cli_cmd_import(gl_cli *cli, int argc, char **argv)
{
	const char *project = NULL;
	gl_cli_opt opts[] = {
		{ "project", GL_OPT_STR, &project, "P", "the project (required)",
		    0 },
		{ NULL, 0, NULL, NULL, NULL, 0 },
	};
	const gl_cli_spec spec = { "import --project P FILE...",
		"Imports documents into a project.",
		"A .jsonl (or .ndjson) file holds one document per line: {\"text\""
		" (required),\n\"title\", \"source\", \"url\", \"published\" "
		"(YYYY-MM-DD; \"dct\" is read too), \"lang\",\n\"metadata\": "
		"{...}}.  Any other file is plain UTF-8 text: its first "
		"non-empty line\nis the title and the whole file the text.  "
		"\"-\" reads text from stdin.\n\nEvery file is checked before "
		"anything is sent; documents go in batches of at\nmost 500 "
		"documents or 8 MiB.  A text that is already in the project "
		"is\nreported as a duplicate with the existing id, not stored "
		"again.",
		opts, 1, -1 };
	import_set set = { NULL, 0, 0, GL_BUF_INIT };
	size_t *sizes = NULL, *ends = NULL, nb;
	int64_t imported = 0, dups = 0;
	char **args;
	int nargs, rv;

	if ((rv = gl_cli_parse(cli, &spec, argc, argv, &args, &nargs)) != 0)
		return rv == 1 ? 0 : rv;
	if (project == NULL) {
		free(args);
		return gl_cli_usage_error(cli, "--project is required");
	}
	for (int i = 0; i < nargs; i++)
		if ((rv = read_input(cli, args[i], &set)) != 0)
			goto out;
	if (set.n == 0) {
		rv = gl_cli_fail_code(cli, GLOSS_INVALID_ARGUMENT,
		    "no documents in the given files");
		goto out;
	}
	if ((rv = gl_cli_connect(cli)) != 0)
		goto out;
	sizes = calloc(set.n, sizeof(size_t));
	ends = calloc(set.n, sizeof(size_t));
	if (sizes == NULL || ends == NULL) {
		rv = gl_cli_fail(cli, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < set.n; i++)
		sizes[i] = gloss__v1__document_input__get_packed_size(
		    set.docs[i].doc) + 8; /* + the field tag and length */
	nb = gl_cli_input_batches(sizes, set.n, GL_CLI_IMPORT_BATCH_DOCS,
	    GL_CLI_IMPORT_BATCH_BYTES, ends);
	for (size_t b = 0, from = 0; b < nb; from = ends[b++]) {
		if ((rv = send_batch(cli, project, &set, from, ends[b],
		    &imported, &dups)) != 0)
			break;
	}
	/* What was stored before a failure is still worth showing. */
	if (rv == 0 || imported + dups > 0)
		print_results(cli, &set, imported, dups);
out:
	free(sizes);
	free(ends);
	free(args);
	set_free(&set);
	return rv;
}
