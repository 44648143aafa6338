/*
 * bench_commit.c - group commit: acknowledged single-annotation writes/s
 * with 32 concurrent writers (32 threads, each with its own client and
 * connection) against one writer, in the same run, synchronous=FULL.
 *
 * A write is acknowledged only after its transaction is on disk, so one
 * writer is bounded by the fsync latency; group commit lets 32 writers
 * share each fsync.  The figure is the ratio of the two rates, measured
 * in alternating rounds (1 writer, 32 writers, 1 writer, ...).
 *
 * Usage: bench_commit [--quick]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define COMMIT_WRITERS 32

typedef struct commit_writer {
	const char *url;
	int64_t doc_id;
	size_t text_len;
	pthread_t th;
	uint64_t writes;
	double *lat_ms;   /* per write, up to lat_cap */
	size_t lat_cap;
	int failed;
	atomic_int *stop;
	pthread_barrier_t *go;
	unsigned seed;
} commit_writer;

static void *
commit_thread(void *arg)
{
	commit_writer *w = arg;
	gloss_client *c = gl_bench_connect(w->url);
	gl_bench_rng r = { w->seed };
	/* One warm-up call so the connection is up before the clock starts. */
	Gloss__V1__HealthCheckRequest hq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *hr = NULL;
	gloss_health_check(c, &hq, &hr, NULL);
	gloss_free(hr);
	pthread_barrier_wait(w->go);
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
		Gloss__V1__AnnotationInput *pin = &in;
		Gloss__V1__CreateAnnotationsRequest rq =
		    GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		Gloss__V1__CreateAnnotationsResponse *rs = NULL;
		in.document_id = w->doc_id;
		in.layer = (char *)"actor";
		in.label = (char *)"state";
		in.start = (int64_t)gl_bench_randn(&r, (uint32_t)(w->text_len - 20));
		in.end = in.start + 5;
		rq.annotations = &pin;
		rq.n_annotations = 1;
		uint64_t t0 = gl_bench_now_ns();
		int rc = gloss_annotations_create(c, &rq, &rs, NULL);
		gloss_free(rs);
		if (rc != 0) {
			gl_bench_fail("Annotations/Create", rc);
			w->failed = 1;
			break;
		}
		if (w->writes < w->lat_cap)
			w->lat_ms[w->writes] = (double)(gl_bench_now_ns() - t0) / 1e6;
		w->writes++;
	}
	gloss_close(c);
	return NULL;
}

/* What rounds of one writer count add up to. */
typedef struct commit_result {
	double writes, secs;
	double *lat_ms;      /* every write's latency, malloc'd */
	size_t nlat;
	int failed;
} commit_result;

/* n writers for secs seconds; adds to *res. */
static void
commit_run(const char *url, int64_t doc_id, size_t text_len, int n, double secs,
    commit_result *res)
{
	commit_writer w[COMMIT_WRITERS];
	atomic_int stop = 0;
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].url = url;
		w[i].doc_id = doc_id;
		w[i].text_len = text_len;
		w[i].stop = &stop;
		w[i].go = &go;
		w[i].seed = (unsigned)(1000 + i * 7 + n);
		w[i].lat_cap = 20000;
		w[i].lat_ms = malloc(w[i].lat_cap * sizeof(double));
		pthread_create(&w[i].th, NULL, commit_thread, &w[i]);
	}
	pthread_barrier_wait(&go);
	double t0 = gl_bench_now_s();
	usleep((useconds_t)(secs * 1e6));
	atomic_store(&stop, 1);
	uint64_t total = 0;
	int failed = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(w[i].th, NULL);
		total += w[i].writes;
		failed |= w[i].failed;
	}
	/* The last call of each writer finished after stop: count to the join. */
	double dt = gl_bench_now_s() - t0;
	size_t nl = 0;
	for (int i = 0; i < n; i++)
		nl += w[i].writes < w[i].lat_cap ? w[i].writes : w[i].lat_cap;
	double *all = realloc(res->lat_ms, (res->nlat + nl + 1) * sizeof(double));
	if (all == NULL) {
		fprintf(stderr, "bench_commit: out of memory\n");
		exit(1);
	}
	res->lat_ms = all;
	for (int i = 0; i < n; i++) {
		size_t m = w[i].writes < w[i].lat_cap ? w[i].writes : w[i].lat_cap;
		memcpy(all + res->nlat, w[i].lat_ms, m * sizeof(double));
		res->nlat += m;
		free(w[i].lat_ms);
	}
	pthread_barrier_destroy(&go);
	res->writes += (double)total;
	res->secs += dt;
	res->failed |= failed;
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	double secs = quick ? 2.0 : 5.0;

	gl_bench_daemon d;
	if (gl_bench_daemon_start(&d, NULL, NULL) != 0)
		return 1;
	char fs[32];
	gl_bench_fs_type(d.dir, fs, sizeof(fs));
	gloss_client *c = gl_bench_connect(d.ipc_url);
	int64_t doc_id;
	if (gl_bench_project(c, "bench") != 0 ||
	    gl_bench_import(c, "bench", 3, 1, 2000, 1, NULL, &doc_id) != 0)
		goto fail;
	gloss_close(c);
	printf("bench_commit: single-annotation Annotations/Create over ipc, %.0f s"
	    " per writer count in alternating rounds, synchronous=FULL, data on %s\n",
	    secs, fs);
	fflush(stdout);
	/*
	 * Alternating rounds, so that the disk's and the machine's moods hit
	 * both alike; rates are total writes over total time.
	 */
	commit_result one = { 0 }, many = { 0 };
	int rounds = quick ? 2 : 5;
	for (int r = 0; r < rounds; r++) {
		commit_run(d.ipc_url, doc_id, 2000, 1, secs / rounds, &one);
		commit_run(d.ipc_url, doc_id, 2000, COMMIT_WRITERS, secs / rounds, &many);
		if (one.failed || many.failed)
			goto fail;
	}
	double r1 = one.writes / one.secs, rn = many.writes / many.secs;
	printf("commit  1 writer  %7.0f writes/s (p50 %.2fms p99 %.2fms)\n", r1,
	    gl_bench_pct(one.lat_ms, one.nlat, 50), gl_bench_pct(one.lat_ms, one.nlat, 99));
	printf("commit 32 writers %7.0f writes/s (p50 %.2fms p99 %.2fms)"
	    " | 1 writer %7.0f writes/s | ratio %.1f (target >= 10)\n", rn,
	    gl_bench_pct(many.lat_ms, many.nlat, 50),
	    gl_bench_pct(many.lat_ms, many.nlat, 99), r1, rn / r1);
	free(one.lat_ms);
	free(many.lat_ms);
	gl_bench_daemon_stop(&d);
	return 0;
fail:
	gl_bench_daemon_stop(&d);
	return 1;
}
