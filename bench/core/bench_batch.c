/*
 * bench_batch.c - batch annotation create: 100k annotations sent to glossd
 * in Annotations/Create calls of 1k, beside raw SQLite inserts of the same
 * rows in the same run.
 *
 * Baseline: a temporary SQLite file with the shape of daemon/store.c's
 * documents and annotations tables (same columns and indexes, foreign keys
 * on), WAL, synchronous=FULL, one prepared INSERT, one transaction per 1k
 * rows; the quote is cut from the text as glossd does.  A second baseline
 * line also appends the event row glossd writes with each annotation
 * (events table and its indexes, the packed annotation as the blob), which
 * shows how much of the gap is the event log rather than the RPC path.
 *
 * Usage: bench_batch [--quick]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bench_util.h"

#define BATCH_DOC_BYTES 20000

static const char *const batch_labels[] = { "state", "person", "org", "group" };

/* Annotation k of the run: same rows for glossd and SQLite. */
static void
batch_row(gl_bench_rng *r, size_t text_len, int64_t *start, int64_t *end,
    const char **label)
{
	*start = (int64_t)gl_bench_randn(r, (uint32_t)(text_len - 40));
	*end = *start + 1 + (int64_t)gl_bench_randn(r, 30);
	*label = batch_labels[gl_bench_randn(r, 4)];
}

static double
batch_glossd(gloss_client *c, int64_t doc_id, size_t text_len, size_t total,
    size_t per_call)
{
	gl_bench_rng r = { 42 };
	size_t ncalls = total / per_call;
	Gloss__V1__AnnotationInput *in = calloc(total, sizeof(*in));
	Gloss__V1__AnnotationInput **pin = calloc(total, sizeof(*pin));
	if (in == NULL || pin == NULL)
		return -1;
	for (size_t i = 0; i < total; i++) {
		gloss__v1__annotation_input__init(&in[i]);
		const char *label;
		batch_row(&r, text_len, &in[i].start, &in[i].end, &label);
		in[i].document_id = doc_id;
		in[i].layer = (char *)"actor";
		in[i].label = (char *)label;
		pin[i] = &in[i];
	}
	double t0 = gl_bench_now_s();
	for (size_t k = 0; k < ncalls; k++) {
		Gloss__V1__CreateAnnotationsRequest rq =
		    GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		Gloss__V1__CreateAnnotationsResponse *rs = NULL;
		rq.annotations = pin + k * per_call;
		rq.n_annotations = per_call;
		int rc = gloss_annotations_create(c, &rq, &rs, NULL);
		size_t got = rs ? rs->n_annotations : 0;
		gloss_free(rs);
		if (rc != 0 || got != per_call) {
			gl_bench_fail("Annotations/Create", rc);
			return -1;
		}
	}
	double dt = gl_bench_now_s() - t0;
	free(in);
	free(pin);
	return (double)(ncalls * per_call) / dt;
}

static int
batch_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench_batch: sqlite: %s\n", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Raw SQLite inserts of the same rows; with_events adds the event rows. */
static double
batch_sqlite(const char *text, size_t text_bytes, size_t text_len, size_t total,
    size_t per_call, int with_events)
{
	/* Offsets are code points, like glossd's: map them to bytes once. */
	size_t *cp_byte = malloc((text_len + 1) * sizeof(*cp_byte));
	if (cp_byte == NULL)
		return -1;
	size_t ncp = 0;
	for (size_t b = 0; b < text_bytes; b++)
		if (((unsigned char)text[b] & 0xC0) != 0x80 && ncp < text_len)
			cp_byte[ncp++] = b;
	cp_byte[text_len] = text_bytes;
	char dir[512], path[600];
	if (gl_bench_mkdtemp("sqlite", dir, sizeof(dir)) != 0) {
		free(cp_byte);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/raw.db", dir);
	sqlite3 *db = NULL;
	double rate = -1;
	sqlite3_stmt *ins = NULL, *ev = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		goto out;
	if (batch_exec(db, GL_BENCH_SCHEMA_SQL) != 0)
		goto out;
	{
		sqlite3_stmt *d = NULL;
		if (sqlite3_prepare_v2(db, "INSERT INTO documents(id, project_id, title, text)"
		        " VALUES (1, 1, 'doc', ?)", -1, &d, NULL) != SQLITE_OK)
			goto out;
		sqlite3_bind_text(d, 1, text, (int)text_bytes, SQLITE_STATIC);
		int rc = sqlite3_step(d);
		sqlite3_finalize(d);
		if (rc != SQLITE_DONE)
			goto out;
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO annotations(document_id, layer, label,"
	        " start, end, quote, value, attributes, score, author, status, version,"
	        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,1,?,?12)", -1,
	        &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO events(project_id, document_id, kind,"
	        " object_id, version, author, time, annotation, detail)"
	        " VALUES (1, ?, 'annotation.created', ?, 1, ?, ?, ?, '{}')", -1,
	        &ev, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_batch: prepare: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	gl_bench_rng r = { 42 };
	double t0 = gl_bench_now_s();
	for (size_t done = 0; done < total; done += per_call) {
		if (batch_exec(db, "BEGIN IMMEDIATE") != 0)
			goto out;
		for (size_t i = 0; i < per_call; i++) {
			int64_t s, e;
			const char *label;
			batch_row(&r, text_len, &s, &e, &label);
			int64_t now = gl_bench_unix_ms();
			sqlite3_bind_int64(ins, 1, 1);
			sqlite3_bind_text(ins, 2, "actor", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 3, label, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 4, s);
			sqlite3_bind_int64(ins, 5, e);
			size_t bs = cp_byte[s], be = cp_byte[e];
			sqlite3_bind_text(ins, 6, text + bs, (int)(be - bs), SQLITE_STATIC);
			sqlite3_bind_text(ins, 7, "", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 8, "{}", -1, SQLITE_STATIC);
			sqlite3_bind_null(ins, 9);
			sqlite3_bind_text(ins, 10, "admin", -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, 11, "accepted", -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 12, now);
			if (sqlite3_step(ins) != SQLITE_DONE) {
				fprintf(stderr, "bench_batch: insert: %s\n", sqlite3_errmsg(db));
				goto out;
			}
			sqlite3_reset(ins);
			if (!with_events)
				continue;
			/* The event carries the annotation as glossd packs it. */
			Gloss__V1__Annotation a = GLOSS__V1__ANNOTATION__INIT;
			char quote[160];
			memcpy(quote, text + bs, be - bs);
			quote[be - bs] = '\0';
			a.id = sqlite3_last_insert_rowid(db);
			a.document_id = 1;
			a.layer = (char *)"actor";
			a.label = (char *)label;
			a.start = s;
			a.end = e;
			a.quote = quote;
			a.attributes = (char *)"{}";
			a.author = (char *)"admin";
			a.status = (char *)"accepted";
			a.version = 1;
			a.created_at = a.updated_at = now;
			uint8_t blob[512];
			size_t bl = gloss__v1__annotation__pack(&a, blob);
			sqlite3_bind_int64(ev, 1, 1);
			sqlite3_bind_int64(ev, 2, a.id);
			sqlite3_bind_text(ev, 3, "admin", -1, SQLITE_STATIC);
			sqlite3_bind_int64(ev, 4, now);
			sqlite3_bind_blob(ev, 5, blob, (int)bl, SQLITE_STATIC);
			if (sqlite3_step(ev) != SQLITE_DONE) {
				fprintf(stderr, "bench_batch: event: %s\n", sqlite3_errmsg(db));
				goto out;
			}
			sqlite3_reset(ev);
		}
		if (batch_exec(db, "COMMIT") != 0)
			goto out;
	}
	rate = (double)total / (gl_bench_now_s() - t0);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(ev);
	sqlite3_close(db);
	gl_bench_rmtree(dir);
	free(cp_byte);
	return rate;
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	size_t total = quick ? 20000 : 100000, per_call = 1000;

	gl_bench_daemon d;
	if (gl_bench_daemon_start(&d, NULL, NULL) != 0)
		return 1;
	char fs[32];
	gl_bench_fs_type(d.dir, fs, sizeof(fs));
	gloss_client *c = gl_bench_connect(d.ipc_url);
	int64_t doc_id;
	if (gl_bench_project(c, "bench") != 0 ||
	    gl_bench_import(c, "bench", 7, 1, BATCH_DOC_BYTES, 1, NULL, &doc_id) != 0)
		goto fail;
	/* The same text for the SQLite baseline. */
	Gloss__V1__GetDocumentRequest gq = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *gr = NULL;
	gq.id = doc_id;
	int rc = gloss_documents_get(c, &gq, &gr, NULL);
	if (rc != 0) {
		gl_bench_fail("Documents/Get", rc);
		goto fail;
	}
	size_t text_bytes = strlen(gr->document->text);
	size_t text_len = (size_t)gr->document->length; /* code points */

	printf("bench_batch: %zu annotations in calls of %zu, one document of %zu B,"
	    " data on %s\n", total, per_call, text_bytes, fs);
	fflush(stdout);
	double g = batch_glossd(c, doc_id, text_len, total, per_call);
	double s = batch_sqlite(gr->document->text, text_bytes, text_len, total,
	    per_call, 0);
	double se = batch_sqlite(gr->document->text, text_bytes, text_len, total,
	    per_call, 1);
	if (g < 0 || s < 0 || se < 0)
		goto fail;
	printf("batch create  glossd %8.0f annotations/s | sqlite %8.0f rows/s"
	    " | ratio %.2f (target >= 0.5)\n", g, s, g / s);
	printf("batch create  glossd %8.0f annotations/s | sqlite+events %8.0f rows/s"
	    " | ratio %.2f (diagnostic)\n", g, se, g / se);
	gloss_free(gr);
	gloss_close(c);
	gl_bench_daemon_stop(&d);
	return 0;
fail:
	gl_bench_daemon_stop(&d);
	return 1;
}
