/*
 * jobs.c - analysis jobs on the libuv thread pool (see jobs.h).
 *
 * A job is cut into chunks of documents.  At most `workers` chunks of all
 * jobs are on the pool at once; each borrows a read-only store handle from
 * a small pool, loads its documents, runs every plugin of the job and
 * builds the finished suggestions (code-point offsets, quotes) in its own
 * arena.  The loop thread then writes the chunk in its group transaction.
 */
#include "daemon/jobs.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/log.h"
#include "common/utf8.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "daemon/services.h"

#define GL_JOB_CHUNK 32
#define GL_JOB_MAX_MESSAGES 20

typedef struct gl_job gl_job;

/* The output of one plugin on one document. */
typedef struct gl_job_out {
	int64_t doc_id;
	const gl_plugin *plugin;
	gl_plugin_result res;
	char **quotes;       /* per span, malloc'd */
	char *error;         /* malloc'd; a failed document or a load error */
} gl_job_out;

typedef struct gl_job_chunk {
	uv_work_t work;
	gl_job *job;
	size_t first, count;  /* range of job->docs */
	gl_job_out *outs;     /* count * job->nplugins */
	size_t nouts;
	size_t skipped;       /* documents not analysed: the server is stopping */
} gl_job_chunk;

struct gl_job {
	gl_jobs *jobs;
	int64_t id;
	int64_t project_id;
	int64_t *docs;
	size_t ndocs;
	const gl_plugin **plugins;
	size_t nplugins;
	size_t next;          /* next document to hand out */
	size_t in_flight;     /* chunks on the pool */
	int started;
	Gloss__V1__Job state; /* counters; strings are static or owned below */
	char *messages[GL_JOB_MAX_MESSAGES];
	size_t nmessages;
	gl_job *next_job;
};

struct gl_jobs {
	gl_daemon *d;
	gl_job *pending;      /* created, waiting for their commit */
	gl_job *running;
	unsigned active;      /* chunks on the pool */
	atomic_int cancelled; /* set on the loop, read by workers */
	uv_mutex_t readers_mtx;
	gl_store **readers;   /* idle read handles */
	size_t nreaders, readers_cap;
};

static void gl_jobs_pump(gl_jobs *js);

int
gl_jobs_new(gl_daemon *d, gl_jobs **out, gl_err *err)
{
	gl_jobs *js = calloc(1, sizeof(*js));
	if (js == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	js->d = d;
	uv_mutex_init(&js->readers_mtx);
	int rc = gl_store_job_fail_interrupted(d->store, err);
	if (rc != 0) {
		uv_mutex_destroy(&js->readers_mtx);
		free(js);
		return rc;
	}
	*out = js;
	return 0;
}

static void
gl_job_free(gl_job *j)
{
	for (size_t i = 0; i < j->nmessages; i++)
		free(j->messages[i]);
	free(j->docs);
	free(j->plugins);
	free(j);
}

void
gl_jobs_free(gl_jobs *js)
{
	if (js == NULL)
		return;
	for (gl_job *j = js->pending, *n; j; j = n) {
		n = j->next_job;
		gl_job_free(j);
	}
	for (gl_job *j = js->running, *n; j; j = n) {
		n = j->next_job;
		gl_job_free(j);
	}
	for (size_t i = 0; i < js->nreaders; i++)
		gl_store_close(js->readers[i]);
	free(js->readers);
	uv_mutex_destroy(&js->readers_mtx);
	free(js);
}

unsigned
gl_jobs_active(const gl_jobs *js)
{
	return js->active;
}

int
gl_jobs_create(gl_jobs *js, int64_t project_id, const int64_t *doc_ids,
    size_t ndocs, char *const *plugins, size_t nplugins, const char *author,
    int64_t *job_id, gl_err *err)
{
	gl_daemon *d = js->d;
	size_t np = nplugins ? nplugins : gl_plugins_count(d->plugins);
	if (np == 0)
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "no analyzer plugin is loaded (start glossd with --plugins DIR)");
	gl_job *j = calloc(1, sizeof(*j));
	if (j == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	j->plugins = calloc(np, sizeof(*j->plugins));
	j->docs = malloc((ndocs ? ndocs : 1) * sizeof(*j->docs));
	gl_buf names = GL_BUF_INIT;
	if (j->plugins == NULL || j->docs == NULL) {
		gl_job_free(j);
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	for (size_t i = 0; i < np; i++) {
		const gl_plugin *p = nplugins ? gl_plugins_find(d->plugins, plugins[i])
		                              : gl_plugins_at(d->plugins, i);
		if (p == NULL) {
			gl_buf_free(&names);
			gl_job_free(j);
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "no analyzer plugin named \"%s\" is loaded", plugins[i]);
		}
		j->plugins[i] = p;
		gl_buf_printf(&names, "%s%s", i ? "," : "", gl_plugin_desc(p)->name);
	}
	j->nplugins = np;
	if (ndocs)
		memcpy(j->docs, doc_ids, ndocs * sizeof(*j->docs));
	j->ndocs = ndocs;
	j->project_id = project_id;
	j->jobs = js;
	int rc = gl_store_job_create(d->store, project_id, names.data ? names.data : "",
	    (int64_t)ndocs, &j->id, err);
	char detail[160];
	snprintf(detail, sizeof(detail), "{\"total\":%zu,\"done\":0}", ndocs);
	if (rc == 0)
		rc = gl_events_append(d, project_id, 0, "job.started", j->id, 0,
		    author, NULL, detail, err);
	gl_buf_free(&names);
	if (rc != 0) {
		gl_job_free(j);
		return rc;
	}
	gloss__v1__job__init(&j->state);
	j->state.id = j->id;
	j->state.state = (char *)"queued";
	j->state.documents_total = (int64_t)ndocs;
	j->next_job = js->pending;
	js->pending = j;
	*job_id = j->id;
	return 0;
}

/* ---- worker side ---------------------------------------------------- */

static gl_store *
gl_jobs_reader(gl_jobs *js, gl_err *err)
{
	gl_store *s = NULL;
	uv_mutex_lock(&js->readers_mtx);
	if (js->nreaders > 0)
		s = js->readers[--js->nreaders];
	uv_mutex_unlock(&js->readers_mtx);
	if (s == NULL && gl_store_open_reader(js->d->db_path, &s, err) != 0)
		return NULL;
	return s;
}

static void
gl_jobs_reader_return(gl_jobs *js, gl_store *s)
{
	gl_store_idle(s);
	uv_mutex_lock(&js->readers_mtx);
	if (js->nreaders == js->readers_cap) {
		size_t ncap = js->readers_cap ? js->readers_cap * 2 : 4;
		gl_store **nv = realloc(js->readers, ncap * sizeof(*nv));
		if (nv == NULL) {
			uv_mutex_unlock(&js->readers_mtx);
			gl_store_close(s);
			return;
		}
		js->readers = nv;
		js->readers_cap = ncap;
	}
	js->readers[js->nreaders++] = s;
	uv_mutex_unlock(&js->readers_mtx);
}

static char *
gl_jobs_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static void
gl_job_chunk_work(uv_work_t *w)
{
	gl_job_chunk *c = w->data;
	gl_job *j = c->job;
	gl_jobs *js = j->jobs;
	gl_err err;
	gl_store *rd = gl_jobs_reader(js, &err);
	for (size_t k = 0; k < c->count; k++) {
		int64_t doc_id = j->docs[c->first + k];
		gl_arena a;
		gl_arena_init(&a, 0);
		Gloss__V1__Document *doc = NULL;
		int rc = rd ? gl_store_document_get(rd, doc_id, 1, &a, &doc, &err)
		            : -GL_UNAVAILABLE;
		gl_utf8_map *map = NULL;
		if (rc == 0 && gl_utf8_map_new(doc->text, strlen(doc->text), &map) != 0)
			rc = gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
		if (js->cancelled)
			c->skipped++;
		for (size_t p = 0; p < j->nplugins; p++) {
			gl_job_out *o = &c->outs[c->nouts++];
			o->doc_id = doc_id;
			o->plugin = j->plugins[p];
			if (rc != 0) {
				char m[600];
				snprintf(m, sizeof(m), "document %" PRId64 ": %s", doc_id, err.msg);
				o->error = gl_jobs_strdup(m);
				continue;
			}
			if (js->cancelled) {
				o->error = gl_jobs_strdup("cancelled: the server is shutting down");
				continue;
			}
			char idbuf[32];
			snprintf(idbuf, sizeof(idbuf), "%" PRId64, doc_id);
			gloss_doc gd = { idbuf, doc->text, strlen(doc->text), doc->title,
				doc->lang, doc->published };
			if (gl_plugin_run(o->plugin, &gd, &o->res) != 0) {
				o->error = gl_jobs_strdup("out of memory");
				continue;
			}
			if (o->res.failed) {
				char m[600];
				snprintf(m, sizeof(m), "%s failed on document %" PRId64 ": %s",
				    gl_plugin_desc(o->plugin)->name, doc_id, o->res.error);
				o->error = gl_jobs_strdup(m);
			}
			o->quotes = calloc(o->res.nspans ? o->res.nspans : 1, sizeof(char *));
			for (size_t s = 0; o->quotes && s < o->res.nspans; s++) {
				int64_t bs = gl_utf8_map_to_byte(map, o->res.spans[s].start);
				int64_t be = gl_utf8_map_to_byte(map, o->res.spans[s].end);
				size_t n = (size_t)(be - bs);
				o->quotes[s] = malloc(n + 1);
				if (o->quotes[s]) {
					memcpy(o->quotes[s], doc->text + bs, n);
					o->quotes[s][n] = '\0';
				}
			}
		}
		gl_utf8_map_free(map);
		gl_arena_reset(&a);
	}
	if (rd)
		gl_jobs_reader_return(js, rd);
}

/* ---- loop side ------------------------------------------------------ */

static void
gl_job_note(gl_job *j, const char *msg)
{
	gl_log(GL_LOG_WARN, "jobs", "job %" PRId64 ": %s", j->id, msg);
	if (j->nmessages < GL_JOB_MAX_MESSAGES) {
		char *m = gl_jobs_strdup(msg);
		if (m)
			j->messages[j->nmessages++] = m;
	}
}

/*
 * Writes one plugin's output for one document.  Spans the project's schema
 * does not admit are dropped and counted.  Returns 0 or -GL_x.
 */
static int
gl_job_store_out(gl_job *j, const Gloss__V1__Project *p, gl_job_out *o,
    gl_err *err)
{
	gl_daemon *d = j->jobs->d;
	const char *author = gl_plugin_author(o->plugin);
	gl_arena a;
	gl_arena_init(&a, 0);
	Gloss__V1__Annotation **old;
	size_t nold;
	int rc = gl_store_annotation_drop_suggestions(d->store, o->doc_id, author,
	    &a, &old, &nold, err);
	for (size_t i = 0; rc == 0 && i < nold; i++)
		rc = gl_events_append(d, j->project_id, o->doc_id, "annotation.deleted",
		    old[i]->id, old[i]->version, author, old[i], "{\"replaced\":true}", err);
	for (size_t s = 0; rc == 0 && s < o->res.nspans; s++) {
		const gl_plugin_span *sp = &o->res.spans[s];
		gl_err why;
		if (p != NULL && gl_svc_schema_check(p, sp->layer, sp->label, &why) != 0) {
			j->state.errors++;
			gl_job_note(j, why.msg);
			continue;
		}
		Gloss__V1__Annotation x = GLOSS__V1__ANNOTATION__INIT;
		x.document_id = o->doc_id;
		x.layer = sp->layer;
		x.label = sp->label;
		x.start = sp->start;
		x.end = sp->end;
		x.quote = o->quotes && o->quotes[s] ? o->quotes[s] : (char *)"";
		x.value = sp->value;
		x.attributes = sp->attrs_json;
		x.has_score = sp->has_score;
		x.score = sp->score;
		x.author = (char *)author;
		x.status = (char *)"suggested";
		rc = gl_store_annotation_add(d->store, &x, err);
		if (rc == 0)
			rc = gl_events_append(d, j->project_id, o->doc_id,
			    "annotation.created", x.id, x.version, author, &x, NULL, err);
		if (rc == 0)
			j->state.spans++;
	}
	gl_arena_reset(&a);
	return rc;
}

static void
gl_job_out_free(gl_job_out *o)
{
	if (o->quotes) {
		for (size_t s = 0; s < o->res.nspans; s++)
			free(o->quotes[s]);
		free(o->quotes);
	}
	gl_plugin_result_free(&o->res);
	free(o->error);
}

static void
gl_job_finish(gl_jobs *js, gl_job *j)
{
	gl_daemon *d = js->d;
	gl_err err;
	j->state.state = (char *)(js->cancelled && j->state.documents_done < j->state.documents_total
	    ? "failed" : "done");
	j->state.finished_at = gl_store_now_ms();
	if (strcmp(j->state.state, "failed") == 0) {
		char m[160];
		snprintf(m, sizeof(m), "stopped after %" PRId64 " of %" PRId64
		    " documents: the server is shutting down; run the job again",
		    j->state.documents_done, j->state.documents_total);
		gl_job_note(j, m);
	}
	j->state.error_messages = j->messages;
	j->state.n_error_messages = j->nmessages;
	char detail[200];
	snprintf(detail, sizeof(detail),
	    "{\"state\":\"%s\",\"total\":%" PRId64 ",\"done\":%" PRId64
	    ",\"spans\":%" PRId64 ",\"errors\":%" PRId64 "}", j->state.state,
	    j->state.documents_total, j->state.documents_done, j->state.spans,
	    j->state.errors);
	if (gl_store_begin(d->store, &err) != 0 ||
	    gl_store_job_update(d->store, &j->state, &err) != 0 ||
	    gl_events_append(d, j->project_id, 0, "job.finished", j->id, 0, "",
	        NULL, detail, &err) != 0)
		gl_log(GL_LOG_ERROR, "jobs", "job %" PRId64 ": cannot record its end: %s",
		    j->id, err.msg);
	gl_log(GL_LOG_INFO, "jobs", "job %" PRId64 " %s: %" PRId64 " documents, %"
	    PRId64 " suggestions, %" PRId64 " errors", j->id, j->state.state,
	    j->state.documents_done, j->state.spans, j->state.errors);
	gl_job **pp = &js->running;
	while (*pp != j)
		pp = &(*pp)->next_job;
	*pp = j->next_job;
	gl_job_free(j);
}

static void
gl_job_chunk_done(uv_work_t *w, int status)
{
	gl_job_chunk *c = w->data;
	gl_job *j = c->job;
	gl_jobs *js = j->jobs;
	gl_daemon *d = js->d;
	gl_err err;
	(void)status;
	/*
	 * Keep the pool busy while this thread writes the chunk: hand out
	 * the next one first.  j->in_flight still counts this chunk, so the
	 * pump cannot finish (and free) the job under us.
	 */
	js->active--;
	gl_jobs_pump(js);
	int rc = gl_store_begin(d->store, &err);
	gl_arena pa;
	gl_arena_init(&pa, 0);
	Gloss__V1__Project *project = NULL;
	if (rc == 0)
		rc = gl_store_project_by_id(d->store, j->project_id, &pa, &project, &err);
	for (size_t i = 0; i < c->nouts; i++) {
		gl_job_out *o = &c->outs[i];
		if (o->error) {
			j->state.errors++;
			gl_job_note(j, o->error);
		}
		if (o->res.dropped) {
			char m[400];
			snprintf(m, sizeof(m), "%s dropped %zu bad span(s) on document %"
			    PRId64 ": %s", gl_plugin_desc(o->plugin)->name,
			    o->res.dropped, o->doc_id, o->res.error);
			j->state.errors += (int64_t)o->res.dropped;
			gl_job_note(j, m);
		}
		if (rc == 0 && o->error == NULL) {
			if ((rc = gl_store_call_begin(d->store, &err)) == 0) {
				int r = gl_job_store_out(j, project, o, &err);
				gl_store_call_end(d->store, r == 0);
				if (r != 0) {
					j->state.errors++;
					gl_job_note(j, err.msg);
				}
			}
		}
		gl_job_out_free(o);
	}
	/* Documents skipped by a shutdown are not done: the job ends "failed". */
	j->state.documents_done += (int64_t)(c->count - c->skipped);
	j->state.state = (char *)"running";
	char detail[160];
	snprintf(detail, sizeof(detail), "{\"total\":%" PRId64 ",\"done\":%" PRId64
	    ",\"spans\":%" PRId64 ",\"errors\":%" PRId64 "}",
	    j->state.documents_total, j->state.documents_done, j->state.spans,
	    j->state.errors);
	j->state.error_messages = j->messages;
	j->state.n_error_messages = j->nmessages;
	if (rc == 0)
		rc = gl_store_job_update(d->store, &j->state, &err);
	if (rc == 0)
		rc = gl_events_append(d, j->project_id, 0, "job.progress", j->id, 0,
		    "", NULL, detail, &err);
	if (rc != 0)
		gl_log(GL_LOG_ERROR, "jobs", "job %" PRId64 ": %s", j->id, err.msg);
	gl_arena_reset(&pa);
	free(c->outs);
	free(c);
	j->in_flight--;
	if (j->in_flight == 0 && (j->next >= j->ndocs || js->cancelled))
		gl_job_finish(js, j);
	gl_jobs_pump(js);
}

/* Hands chunks to the pool until `workers` are in flight. */
static void
gl_jobs_pump(gl_jobs *js)
{
	unsigned workers = js->d->workers ? js->d->workers : 2;
	for (gl_job *j = js->running; j != NULL && js->active < workers;) {
		gl_job *next = j->next_job;
		if (js->cancelled || j->next >= j->ndocs) {
			if (j->in_flight == 0)
				gl_job_finish(js, j);
			j = next;
			continue;
		}
		gl_job_chunk *c = calloc(1, sizeof(*c));
		size_t count = j->ndocs - j->next < GL_JOB_CHUNK ? j->ndocs - j->next : GL_JOB_CHUNK;
		if (c != NULL)
			c->outs = calloc(count * j->nplugins, sizeof(*c->outs));
		if (c == NULL || c->outs == NULL) {
			free(c);
			gl_log(GL_LOG_ERROR, "jobs", "out of memory; job %" PRId64
			    " waits", j->id);
			return;
		}
		c->job = j;
		c->first = j->next;
		c->count = count;
		c->work.data = c;
		j->next += count;
		j->in_flight++;
		js->active++;
		uv_queue_work(js->d->loop, &c->work, gl_job_chunk_work, gl_job_chunk_done);
	}
}

void
gl_jobs_committed(gl_jobs *js)
{
	if (js->pending == NULL)
		return;
	gl_job *j = js->pending;
	js->pending = NULL;
	while (j != NULL) {
		gl_job *next = j->next_job;
		gl_arena a;
		gl_arena_init(&a, 0);
		Gloss__V1__Job *row;
		gl_err err;
		/* A job whose creating transaction was rolled back has no row. */
		if (gl_store_job_get(js->d->store, j->id, &a, &row, &err) != 0) {
			gl_job_free(j);
		} else {
			j->next_job = js->running;
			js->running = j;
		}
		gl_arena_reset(&a);
		j = next;
	}
	gl_jobs_pump(js);
}

void
gl_jobs_cancel_all(gl_jobs *js)
{
	js->cancelled = 1;
	gl_jobs_pump(js);
}
