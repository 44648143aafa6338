/*
 * bench_jobs.c - analysis throughput of glossd's job runner with the
 * example plugin on 10k generated documents (~3 KB each), with 1 and 2
 * worker threads (glossd --workers N), beside the same plugin called
 * directly in a loop in this process (dlopen, open, analyze on the same
 * texts, on 1 and 2 threads): the figure is the overhead of the machinery
 * (loading each document from SQLite, byte -> code-point conversion,
 * storing every span as a suggestion with its event, group commits).
 *
 * glossd is timed from the Analyzers/Run call to the moment a Watch on
 * the project delivers the job's job.finished event (as `gloss analyze`
 * follows a job; polling Analyzers/Job would add load of its own).  The documents are
 * imported once, before any clock starts, into a database that is then
 * copied so each worker count runs on the same fresh data.
 *
 * A diagnostic line adds a third baseline: the direct loop that also
 * writes every span and its event into SQLite the way glossd does (see
 * jobs_direct_store_run), i.e. the part of the cost that persisting the
 * suggestions sets whatever the job runner does.
 *
 * Usage: bench_jobs [--quick]
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "gloss/plugin.h"

#define JOBS_DOC_BYTES 3000

typedef struct jobs_corpus {
	char **text;
	size_t *len;
	size_t n;
	long long bytes;
} jobs_corpus;

/* ---- the direct loop ------------------------------------------------ */

typedef struct jobs_direct {
	const gloss_plugin *p;
	void *state;
	const jobs_corpus *c;
	size_t first, count;
	uint64_t spans;
	int failed;
	pthread_t th;
} jobs_direct;

static int
jobs_emit(void *sink, const gloss_span *span)
{
	(void)span;
	(*(uint64_t *)sink)++;
	return 0;
}

static void *
jobs_direct_thread(void *arg)
{
	jobs_direct *j = arg;
	char err[256];
	for (size_t i = j->first; i < j->first + j->count; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%zu", i);
		gloss_doc doc = { id, j->c->text[i], j->c->len[i], "", "en", "2024-02-19" };
		if (j->p->analyze(j->state, &doc, jobs_emit, &j->spans, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_jobs: analyze failed: %s\n", err);
			j->failed = 1;
			break;
		}
	}
	return NULL;
}

/* Seconds for one pass over the corpus on nthreads; <0 on failure. */
static double
jobs_direct_run(const gloss_plugin *p, void *state, const jobs_corpus *c,
    int nthreads, uint64_t *spans)
{
	jobs_direct j[2];
	double t0 = gl_bench_now_s();
	size_t per = (c->n + (size_t)nthreads - 1) / (size_t)nthreads;
	for (int i = 0; i < nthreads; i++) {
		memset(&j[i], 0, sizeof(j[i]));
		j[i].p = p;
		j[i].state = state;
		j[i].c = c;
		j[i].first = (size_t)i * per;
		j[i].count = j[i].first + per <= c->n ? per : c->n - j[i].first;
		pthread_create(&j[i].th, NULL, jobs_direct_thread, &j[i]);
	}
	int failed = 0;
	*spans = 0;
	for (int i = 0; i < nthreads; i++) {
		pthread_join(j[i].th, NULL);
		failed |= j[i].failed;
		*spans += j[i].spans;
	}
	double dt = gl_bench_now_s() - t0;
	return failed ? -1 : dt;
}

/* ---- the direct loop that also stores -------------------------------- */

/*
 * The floor of what storing costs: the plugin called in a loop on one
 * thread, each span converted to code points and written with its event
 * row (the packed annotation, as glossd logs it) into a temporary SQLite
 * file of glossd's schema, one transaction per 16 documents (glossd's job
 * chunk), WAL, synchronous=FULL, prepared statements.
 */
typedef struct jobs_store {
	sqlite3 *db;
	sqlite3_stmt *ins, *ev;
	const char *text;
	int64_t *cp;      /* byte offset -> code point, len + 1 entries */
	int64_t doc_id;
	uint64_t rows;
	int failed;
} jobs_store;

static int
jobs_store_emit(void *sink, const gloss_span *sp)
{
	jobs_store *s = sink;
	int64_t now = gl_bench_unix_ms();
	size_t qn = sp->end - sp->start;
	const char *attrs = sp->attrs_json && sp->attrs_json[0] ? sp->attrs_json : "{}";
	const char *value = sp->value ? sp->value : "";
	sqlite3_bind_int64(s->ins, 1, s->doc_id);
	sqlite3_bind_text(s->ins, 2, sp->layer ? sp->layer : "keyword", -1, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 3, sp->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->ins, 4, s->cp[sp->start]);
	sqlite3_bind_int64(s->ins, 5, s->cp[sp->end]);
	sqlite3_bind_text(s->ins, 6, s->text + sp->start, (int)qn, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 7, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 8, attrs, -1, SQLITE_STATIC);
	if (sp->has_score)
		sqlite3_bind_double(s->ins, 9, sp->score);
	else
		sqlite3_bind_null(s->ins, 9);
	sqlite3_bind_int64(s->ins, 10, now);
	if (sqlite3_step(s->ins) != SQLITE_DONE) {
		s->failed = 1;
		return 1;
	}
	sqlite3_reset(s->ins);
	char quote[512];
	size_t n = qn < sizeof(quote) - 1 ? qn : sizeof(quote) - 1;
	memcpy(quote, s->text + sp->start, n);
	quote[n] = '\0';
	Gloss__V1__Annotation a = GLOSS__V1__ANNOTATION__INIT;
	a.id = sqlite3_last_insert_rowid(s->db);
	a.document_id = s->doc_id;
	a.layer = (char *)(sp->layer ? sp->layer : "keyword");
	a.label = (char *)sp->label;
	a.start = s->cp[sp->start];
	a.end = s->cp[sp->end];
	a.quote = quote;
	a.value = (char *)value;
	a.attributes = (char *)attrs;
	a.author = (char *)"plugin:example@1.0.0";
	a.status = (char *)"suggested";
	a.version = 1;
	a.created_at = a.updated_at = now;
	uint8_t blob[1024];
	size_t bl = gloss__v1__annotation__get_packed_size(&a);
	if (bl > sizeof(blob)) {
		s->failed = 1;
		return 1;
	}
	gloss__v1__annotation__pack(&a, blob);
	sqlite3_bind_int64(s->ev, 1, s->doc_id);
	sqlite3_bind_int64(s->ev, 2, a.id);
	sqlite3_bind_int64(s->ev, 3, now);
	sqlite3_bind_blob(s->ev, 4, blob, (int)bl, SQLITE_STATIC);
	if (sqlite3_step(s->ev) != SQLITE_DONE) {
		s->failed = 1;
		return 1;
	}
	sqlite3_reset(s->ev);
	s->rows++;
	return 0;
}

static int
jobs_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench_jobs: sqlite: %s\n", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Seconds for the corpus analysed and stored; <0 on failure. */
static double
jobs_direct_store_run(const gloss_plugin *p, void *state, const jobs_corpus *c,
    uint64_t *rows)
{
	char dir[512], path[600], err[256];
	if (gl_bench_mkdtemp("jobstore", dir, sizeof(dir)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/raw.db", dir);
	jobs_store s;
	memset(&s, 0, sizeof(s));
	double dt = -1;
	sqlite3_stmt *doc = NULL;
	if (sqlite3_open(path, &s.db) != SQLITE_OK || jobs_exec(s.db, GL_BENCH_SCHEMA_SQL) != 0)
		goto out;
	if (sqlite3_prepare_v2(s.db, "INSERT INTO documents(id, project_id, title, text)"
	        " VALUES (?, 1, '', '')", -1, &doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s.db, "INSERT INTO annotations(document_id, layer, label,"
	        " start, end, quote, value, attributes, score, author, status, version,"
	        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,"
	        "'plugin:example@1.0.0','suggested',1,?,?10)", -1, &s.ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s.db, "INSERT INTO events(project_id, document_id, kind,"
	        " object_id, version, author, time, annotation, detail) VALUES (1, ?,"
	        " 'annotation.created', ?, 1, 'plugin:example@1.0.0', ?, ?, '{}')", -1,
	        &s.ev, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_jobs: prepare: %s\n", sqlite3_errmsg(s.db));
		goto out;
	}
	/* The documents exist before the job, as in glossd. */
	if (jobs_exec(s.db, "BEGIN") != 0)
		goto out;
	for (size_t i = 0; i < c->n; i++) {
		sqlite3_bind_int64(doc, 1, (int64_t)i + 1);
		if (sqlite3_step(doc) != SQLITE_DONE)
			goto out;
		sqlite3_reset(doc);
	}
	if (jobs_exec(s.db, "COMMIT") != 0)
		goto out;
	double t0 = gl_bench_now_s();
	for (size_t i = 0; i < c->n; i++) {
		if (i % 16 == 0 && jobs_exec(s.db, "BEGIN IMMEDIATE") != 0)
			goto out;
		s.text = c->text[i];
		s.doc_id = (int64_t)i + 1;
		s.cp = malloc((c->len[i] + 1) * sizeof(*s.cp));
		if (s.cp == NULL)
			goto out;
		int64_t k = 0;
		for (size_t b = 0; b <= c->len[i]; b++) {
			s.cp[b] = k;
			if (b < c->len[i] && ((unsigned char)c->text[i][b] & 0xC0) != 0x80)
				k++;
		}
		/* A byte inside a character maps to the next one; spans never end there. */
		char id[32];
		snprintf(id, sizeof(id), "%zu", i);
		gloss_doc gd = { id, c->text[i], c->len[i], "", "en", "2024-02-19" };
		int rc = p->analyze(state, &gd, jobs_store_emit, &s, err, sizeof(err));
		free(s.cp);
		s.cp = NULL;
		if (rc != 0 || s.failed) {
			fprintf(stderr, "bench_jobs: direct+store failed on document %zu: %s\n",
			    i, s.failed ? sqlite3_errmsg(s.db) : err);
			goto out;
		}
		if ((i % 16 == 15 || i + 1 == c->n) && jobs_exec(s.db, "COMMIT") != 0)
			goto out;
	}
	dt = gl_bench_now_s() - t0;
	*rows = s.rows;
out:
	sqlite3_finalize(doc);
	sqlite3_finalize(s.ins);
	sqlite3_finalize(s.ev);
	sqlite3_close(s.db);
	gl_bench_rmtree(dir);
	return dt;
}

/* ---- glossd --------------------------------------------------------- */

static int
jobs_copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb");
	if (in == NULL)
		return 0; /* absent (e.g. no -wal after a clean stop): nothing to copy */
	FILE *out = fopen(to, "wb");
	if (out == NULL) {
		fclose(in);
		return -1;
	}
	char buf[1 << 16];
	size_t n;
	int rc = 0;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Runs the example plugin over every document; seconds, <0 on failure. */
static double
jobs_glossd_run(const char *dir, unsigned workers, size_t ndocs, int64_t *spans,
    double *server_s)
{
	char w[16];
	snprintf(w, sizeof(w), "%u", workers);
	const char *extra[] = { "--workers", w, "--plugins", gl_bench_plugins_dir(), NULL };
	gl_bench_daemon d;
	if (gl_bench_daemon_start(&d, dir, extra) != 0)
		return -1;
	gloss_client *c = gl_bench_connect(d.ipc_url);
	double dt = -1;
	Gloss__V1__RunAnalyzersRequest rq = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	Gloss__V1__RunAnalyzersResponse *rs = NULL;
	char *plugins[] = { (char *)"example" };
	rq.project = (char *)"bench";
	rq.plugins = plugins;
	rq.n_plugins = 1;
	/* The newest event before the run, so the Watch below starts there. */
	int64_t since = 0;
	for (;;) {
		Gloss__V1__WatchRequest wq = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *wr = NULL;
		wq.project = (char *)"bench";
		wq.since_seq = since;
		wq.limit = 1000;
		int rc = gloss_events_watch(c, &wq, &wr, NULL);
		if (rc != 0) {
			gl_bench_fail("Events/Watch", rc);
			goto out;
		}
		size_t n = wr->n_events;
		since = wr->last_seq;
		gloss_free(wr);
		if (n == 0)
			break;
	}
	double t0 = gl_bench_now_s();
	int rc = gloss_analyzers_run(c, &rq, &rs, NULL);
	if (rc != 0) {
		gl_bench_fail("Analyzers/Run", rc);
		goto out;
	}
	int64_t job = rs->job_id;
	gloss_free(rs);
	/* Follow the project's events until this job's job.finished. */
	int finished = 0;
	double t1 = 0;
	while (!finished) {
		Gloss__V1__WatchRequest wq = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *wr = NULL;
		wq.project = (char *)"bench";
		wq.since_seq = since;
		wq.wait_ms = 10000;
		if ((rc = gloss_events_watch(c, &wq, &wr, NULL)) != 0) {
			gl_bench_fail("Events/Watch", rc);
			goto out;
		}
		for (size_t i = 0; i < wr->n_events; i++) {
			const Gloss__V1__Event *e = wr->events[i];
			if (e->object_id == job && strcmp(e->kind, "job.finished") == 0) {
				finished = 1;
				t1 = gl_bench_now_s();
			}
		}
		since = wr->last_seq;
		gloss_free(wr);
	}
	Gloss__V1__GetJobRequest jq = GLOSS__V1__GET_JOB_REQUEST__INIT;
	Gloss__V1__GetJobResponse *jr = NULL;
	jq.id = job;
	if ((rc = gloss_analyzers_job(c, &jq, &jr, NULL)) != 0) {
		gl_bench_fail("Analyzers/Job", rc);
		goto out;
	}
	const Gloss__V1__Job *j = jr->job;
	if (strcmp(j->state, "done") != 0 || j->documents_done != (int64_t)ndocs ||
	    j->errors != 0) {
		fprintf(stderr, "bench_jobs: job %" PRId64 " ended %s with %" PRId64
		    "/%zu documents and %" PRId64 " errors (%s)\n", job, j->state,
		    j->documents_done, ndocs, j->errors,
		    j->n_error_messages ? j->error_messages[0] : "");
	} else {
		dt = t1 - t0;
		*spans = j->spans;
		*server_s = (double)(j->finished_at - j->created_at) / 1e3;
	}
	gloss_free(jr);
out:
	gloss_close(c);
	gl_bench_daemon_stop(&d);
	return dt;
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	size_t ndocs = quick ? 2000 : 10000;

	/* The corpus, as glossd will get it. */
	jobs_corpus corpus = { calloc(ndocs, sizeof(char *)), calloc(ndocs, sizeof(size_t)),
		ndocs, 0 };
	gl_bench_rng r = { 5 };
	for (size_t i = 0; i < ndocs; i++) {
		corpus.text[i] = gl_bench_gen_text(&r, JOBS_DOC_BYTES, &corpus.len[i]);
		corpus.bytes += (long long)corpus.len[i];
	}
	/* gl_bench_import regenerates the same texts from the same seed. */
	char base[512], dir1[600], dir2[600];
	if (gl_bench_mkdtemp("jobs", base, sizeof(base)) != 0)
		return 1;
	snprintf(dir1, sizeof(dir1), "%s/w1", base);
	snprintf(dir2, sizeof(dir2), "%s/w2", base);
	if (mkdir(dir1, 0755) != 0 || mkdir(dir2, 0755) != 0) {
		fprintf(stderr, "bench_jobs: cannot create %s/w1, w2\n", base);
		return 1;
	}
	int ret = 1;

	/* Import once, stop (glossd checkpoints), copy the database. */
	{
		gl_bench_daemon d;
		if (gl_bench_daemon_start(&d, dir1, NULL) != 0)
			goto out;
		d.keep = 1;
		gloss_client *c = gl_bench_connect(d.ipc_url);
		long long sent = 0;
		int rc = gl_bench_project(c, "bench");
		if (rc == 0)
			rc = gl_bench_import(c, "bench", 5, ndocs, JOBS_DOC_BYTES, 100, &sent, NULL);
		gloss_close(c);
		gl_bench_daemon_stop(&d);
		if (rc != 0)
			goto out;
		if (sent != corpus.bytes) {
			fprintf(stderr, "bench_jobs: imported %lld bytes, generated %lld\n",
			    sent, corpus.bytes);
			goto out;
		}
		const char *files[] = { "gloss.db", "gloss.db-wal", NULL };
		for (int i = 0; files[i]; i++) {
			char a[700], b[700];
			snprintf(a, sizeof(a), "%s/%s", dir1, files[i]);
			snprintf(b, sizeof(b), "%s/%s", dir2, files[i]);
			if (jobs_copy_file(a, b) != 0) {
				fprintf(stderr, "bench_jobs: cannot copy %s\n", a);
				goto out;
			}
		}
	}

	/* The direct loop. */
	char so[600], data[600], err[256];
	snprintf(so, sizeof(so), "%s/example/example.so", gl_bench_plugins_dir());
	snprintf(data, sizeof(data), "%s/example/data", gl_bench_plugins_dir());
	void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "bench_jobs: %s\n", dlerror());
		goto out;
	}
	const gloss_plugin *(*entry)(void) =
	    (const gloss_plugin *(*)(void))dlsym(h, GLOSS_PLUGIN_SYMBOL);
	const gloss_plugin *p = entry ? entry() : NULL;
	void *state = NULL;
	err[0] = '\0';
	if (p == NULL || p->open("{}", data, &state, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_jobs: cannot open %s: %s\n", so, err);
		goto out;
	}
	double mb = (double)corpus.bytes / 1e6;
	printf("bench_jobs: example plugin on %zu documents, %.1f MB of text\n", ndocs, mb);
	fflush(stdout);
	uint64_t dspans[3] = { 0, 0, 0 };
	double warm = jobs_direct_run(p, state, &corpus, 1, &dspans[0]);
	double d1 = jobs_direct_run(p, state, &corpus, 1, &dspans[1]);
	double d2 = jobs_direct_run(p, state, &corpus, 2, &dspans[2]);
	uint64_t srows = 0;
	double ds = jobs_direct_store_run(p, state, &corpus, &srows);
	p->close(state);
	if (warm < 0 || d1 < 0 || d2 < 0 || ds < 0)
		goto out;

	double direct[3] = { 0, d1, d2 };
	const char *dirs[3] = { NULL, dir1, dir2 };
	for (unsigned w = 1; w <= 2; w++) {
		int64_t spans = 0;
		double server = 0;
		double g = jobs_glossd_run(dirs[w], w, ndocs, &spans, &server);
		if (g < 0)
			goto out;
		if ((uint64_t)spans != dspans[w])
			fprintf(stderr, "bench_jobs: glossd stored %" PRId64 " suggestions,"
			    " the direct loop saw %" PRIu64 " spans\n", spans, dspans[w]);
		printf("jobs workers=%u glossd %6.1f MB/s %7.0f docs/s (%" PRId64
		    " suggestions; job %.2f s server-side) | direct %u thread%s %6.1f MB/s"
		    " %7.0f docs/s | ratio %.2f (target >= 0.8)\n", w, mb / g,
		    (double)ndocs / g, spans, server, w, w > 1 ? "s" : " ",
		    mb / direct[w], (double)ndocs / direct[w], direct[w] / g);
		if (w == 1)
			printf("jobs workers=1 glossd %6.1f MB/s %7.0f docs/s | direct+sqlite"
			    " store 1 thread %6.1f MB/s %7.0f docs/s (%" PRIu64 " rows+events)"
			    " | ratio %.2f (diagnostic: the floor that storing sets)\n",
			    mb / g, (double)ndocs / g, mb / ds, (double)ndocs / ds, srows, ds / g);
		fflush(stdout);
	}
	ret = 0;
out:
	gl_bench_rmtree(base);
	for (size_t i = 0; i < ndocs; i++)
		free(corpus.text[i]);
	free(corpus.text);
	free(corpus.len);
	return ret;
}
