/*
 * test_watch.c - /gloss.v1.Events/Watch against the real glossd: it answers
 * at once when events are pending, long-polls until a write from another
 * client wakes it, resumes from last_seq across a disconnect with nothing
 * missed or repeated, filters by project, and answers every parked watcher
 * when the daemon gets SIGTERM.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static gl_dh D;
static gloss_client *C;

#define ALIVE() CHECK(gl_dh_serving(&D))

static int
watch_once(gloss_client *c, const char *project, int64_t since,
    uint32_t wait_ms, uint32_t limit, Gloss__V1__WatchResponse **resp)
{
	Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
	req.project = (char *)(project ? project : "");
	req.since_seq = since;
	req.wait_ms = wait_ms;
	req.limit = limit;
	*resp = NULL;
	return gloss_events_watch(c, &req, resp, NULL);
}

/* The newest seq of a project right now (a Watch that does not wait). */
static int64_t
project_seq(const char *project)
{
	int64_t since = 0;
	for (;;) {
		Gloss__V1__WatchResponse *r;
		if (watch_once(C, project, since, 0, 10000, &r) != 0)
			return -1;
		size_t n = r->n_events;
		since = r->last_seq;
		gloss_free(r);
		if (n == 0)
			return since;
	}
}

/* Creates n annotations over [0,1) of doc; ids into out (may be NULL). */
static int
create_anns(gloss_client *c, int64_t doc, int n, int64_t *out)
{
	for (int i = 0; i < n; i++) {
		Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
		Gloss__V1__AnnotationInput *pin = &in;
		in.document_id = doc;
		in.layer = (char *)"actor";
		in.label = (char *)"X";
		in.start = 0;
		in.end = 1;
		Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		req.n_annotations = 1;
		req.annotations = &pin;
		Gloss__V1__CreateAnnotationsResponse *resp = NULL;
		int rc = gloss_annotations_create(c, &req, &resp, NULL);
		if (rc != 0)
			return rc;
		if (out)
			out[i] = resp->annotations[0]->id;
		gloss_free(resp);
	}
	return 0;
}

GL_TEST(returns_at_once_with_pending_events)
{
	CHECK_INT(gl_dh_make_project(C, "w-now"), 0);
	int64_t doc = gl_dh_import_one(C, "w-now", "d", "Ankara hosted the talks.");
	CHECK(doc > 0);
	int64_t t0 = gl_dh_now_ms();
	Gloss__V1__WatchResponse *r;
	CHECK_INT(watch_once(C, "w-now", 0, 20000, 0, &r), 0);
	int64_t took = gl_dh_now_ms() - t0;
	CHECK(took < 2000);
	if (r) {
		CHECK_INT(r->n_events, 2);
		if (r->n_events == 2) {
			CHECK_STR(r->events[0]->kind, "project.created");
			CHECK_STR(r->events[1]->kind, "document.imported");
			CHECK_INT(r->events[1]->object_id, doc);
			CHECK_INT(r->events[1]->document_id, doc);
			CHECK_STR(r->events[1]->project, "w-now");
			CHECK_STR(r->events[1]->author, "admin");
			CHECK(r->events[1]->time > 0);
			CHECK(r->events[0]->seq < r->events[1]->seq);
			CHECK_INT(r->last_seq, r->events[1]->seq);
		}
		/* Only what follows since_seq. */
		int64_t mid = r->n_events ? r->events[0]->seq : 0;
		Gloss__V1__WatchResponse *r2;
		CHECK_INT(watch_once(C, "w-now", mid, 20000, 0, &r2), 0);
		if (r2) {
			CHECK_INT(r2->n_events, 1);
			if (r2->n_events == 1)
				CHECK_STR(r2->events[0]->kind, "document.imported");
		}
		gloss_free(r2);
	}
	gloss_free(r);
	/* limit caps one answer; last_seq says where to go on. */
	CHECK_INT(watch_once(C, "w-now", 0, 0, 1, &r), 0);
	if (r) {
		CHECK_INT(r->n_events, 1);
		if (r->n_events == 1)
			CHECK_INT(r->last_seq, r->events[0]->seq);
	}
	gloss_free(r);
	/* Bad inputs. */
	CHECK_INT(watch_once(C, "w-now", -5, 0, 0, &r), GLOSS_EINVALID_ARGUMENT);
	gloss_free(r);
	CHECK_INT(watch_once(C, "no-such-project", 0, 0, 0, &r), GLOSS_ENOT_FOUND);
	gloss_free(r);
	ALIVE();
}

GL_TEST(wait_runs_out_empty)
{
	CHECK_INT(gl_dh_make_project(C, "w-quiet"), 0);
	int64_t since = project_seq("w-quiet");
	int64_t t0 = gl_dh_now_ms();
	Gloss__V1__WatchResponse *r;
	CHECK_INT(watch_once(C, "w-quiet", since, 600, 0, &r), 0);
	int64_t took = gl_dh_now_ms() - t0;
	CHECK(took >= 550);
	CHECK(took < 5000);
	if (r) {
		CHECK_INT(r->n_events, 0);
		CHECK_INT(r->last_seq, since);
	}
	gloss_free(r);
}

typedef struct {
	const gl_dh *d;
	const char *project;
	int64_t since;
	uint32_t wait_ms;
	atomic_int *ready;  /* counts watchers about to call */
	int rc;
	int64_t t_call;     /* when the call started */
	int64_t took_ms;
	Gloss__V1__WatchResponse *resp;
} watcher;

static void *
watcher_main(void *arg)
{
	watcher *w = arg;
	gloss_client *c = gl_dh_client(w->d, NULL, 0);
	w->t_call = gl_dh_now_ms();
	if (w->ready)
		atomic_fetch_add(w->ready, 1);
	w->rc = c ? watch_once(c, w->project, w->since, w->wait_ms, 0, &w->resp) : -99;
	w->took_ms = gl_dh_now_ms() - w->t_call;
	gloss_close(c);
	return NULL;
}

/* Waits until n watchers are calling, then lets their calls park. */
static void
wait_parked(atomic_int *ready, int n)
{
	int64_t until = gl_dh_now_ms() + 10000;
	while (atomic_load(ready) < n && gl_dh_now_ms() < until)
		usleep(5 * 1000);
	usleep(400 * 1000);
}

GL_TEST(long_poll_woken_by_write)
{
	CHECK_INT(gl_dh_make_project(C, "w-poll"), 0);
	CHECK_INT(gl_dh_make_project(C, "w-other"), 0);
	int64_t doc = gl_dh_import_one(C, "w-poll", "d", "Tehran and Baku exchanged notes.");
	int64_t other = gl_dh_import_one(C, "w-other", "d", "Unrelated text here.");
	int64_t since = project_seq("w-poll");

	enum { NW = 8 };
	watcher w[NW];
	pthread_t th[NW];
	atomic_int ready = 0;
	for (int i = 0; i < NW; i++) {
		w[i] = (watcher){ .d = &D, .project = "w-poll", .since = since,
			.wait_ms = 20000, .ready = &ready };
		pthread_create(&th[i], NULL, watcher_main, &w[i]);
	}
	/* A watcher on another project must not be woken by these writes. */
	watcher wo = { .d = &D, .project = "w-other",
		.since = project_seq("w-other"), .wait_ms = 1500, .ready = &ready };
	pthread_t tho;
	pthread_create(&tho, NULL, watcher_main, &wo);

	wait_parked(&ready, NW + 1);
	gloss_client *writer = gl_dh_client(&D, NULL, 0);
	int64_t ann = 0;
	int64_t t_write = gl_dh_now_ms();
	CHECK_INT(create_anns(writer, doc, 1, &ann), 0);
	for (int i = 0; i < NW; i++)
		pthread_join(th[i], NULL);
	int64_t woke_after = gl_dh_now_ms() - t_write;
	pthread_join(tho, NULL);
	/* Woken by the write, well before the 20 s wait. */
	CHECK(woke_after < 3000);
	for (int i = 0; i < NW; i++) {
		CHECK_INT(w[i].rc, 0);
		/* It was held from before the write until the write woke it. */
		CHECK(w[i].t_call + 300 < t_write);
		CHECK(w[i].t_call + w[i].took_ms >= t_write);
		CHECK(w[i].took_ms < 8000);
		if (w[i].resp && w[i].resp->n_events == 1) {
			Gloss__V1__Event *e = w[i].resp->events[0];
			CHECK_STR(e->kind, "annotation.created");
			CHECK_INT(e->object_id, ann);
			CHECK_INT(e->version, 1);
			CHECK(e->annotation != NULL && e->annotation->id == ann);
			CHECK_INT(w[i].resp->last_seq, e->seq);
		} else {
			CHECK(!"watcher did not get exactly the one event");
		}
		gloss_free(w[i].resp);
	}
	CHECK_INT(wo.rc, 0);
	CHECK(wo.took_ms >= 1400);
	if (wo.resp)
		CHECK_INT(wo.resp->n_events, 0);
	gloss_free(wo.resp);
	(void)other;
	gloss_close(writer);
	ALIVE();
}

/*
 * Sends a Watch on a raw socket and closes the socket before the answer:
 * a watcher that disconnects while parked.
 */
static void
abandon_watch(const char *url, const char *project, int64_t since)
{
	Gloss__V1__WatchRequest wr = GLOSS__V1__WATCH_REQUEST__INIT;
	wr.project = (char *)project;
	wr.since_seq = since;
	wr.wait_ms = 30000;
	uint8_t payload[256];
	size_t plen = gloss__v1__watch_request__pack(&wr, payload);
	Gloss__V1__RpcRequest rq = GLOSS__V1__RPC_REQUEST__INIT;
	Gloss__V1__RpcRequest__MetadataEntry md = GLOSS__V1__RPC_REQUEST__METADATA_ENTRY__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *pmd = &md;
	md.key = (char *)"authorization";
	md.value = (char *)"Bearer " GL_DH_TOKEN;
	rq.method = (char *)"/gloss.v1.Events/Watch";
	rq.n_metadata = 1;
	rq.metadata = &pmd;
	rq.payload.data = payload;
	rq.payload.len = plen;
	uint8_t buf[512];
	size_t n = gloss__v1__rpc_request__pack(&rq, buf);
	nng_socket s;
	if (nng_req0_open(&s) != 0)
		return;
	if (nng_dial(s, url, NULL, 0) == 0 && nng_send(s, buf, n, 0) == 0)
		usleep(200 * 1000); /* parked now */
	nng_close(s);
}

GL_TEST(resume_after_disconnect_misses_nothing)
{
	CHECK_INT(gl_dh_make_project(C, "w-resume"), 0);
	int64_t doc = gl_dh_import_one(C, "w-resume", "d", "Riyadh, Doha and Cairo.");
	int64_t since = project_seq("w-resume");

	/* Two watchers vanish while parked; the daemon must shrug it off. */
	abandon_watch(D.ipc_url, "w-resume", since);
	abandon_watch(D.tcp_url, "w-resume", since);

	enum { N = 60 };
	int64_t ids[N];
	gloss_client *writer = gl_dh_client(&D, NULL, 0);
	CHECK_INT(create_anns(writer, doc, N / 2, ids), 0);

	/* A watcher reads part, disconnects, writes go on, it comes back. */
	gloss_client *w1 = gl_dh_client(&D, NULL, 0);
	Gloss__V1__WatchResponse *r;
	int64_t got[N + 10];
	int ngot = 0;
	CHECK_INT(watch_once(w1, "w-resume", since, 0, 7, &r), 0);
	int64_t resume = since;
	if (r) {
		for (size_t i = 0; i < r->n_events && ngot < N + 10; i++)
			got[ngot++] = r->events[i]->object_id;
		resume = r->last_seq;
	}
	gloss_free(r);
	gloss_close(w1);
	CHECK_INT(create_anns(writer, doc, N - N / 2, ids + N / 2), 0);

	gloss_client *w2 = gl_dh_client(&D, NULL, 0);
	for (int round = 0; round < 100; round++) {
		CHECK_INT(watch_once(w2, "w-resume", resume, 300, 11, &r), 0);
		if (r == NULL)
			break;
		size_t n = r->n_events;
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				CHECK(r->events[i]->seq > r->events[i - 1]->seq);
			CHECK(r->events[i]->seq > resume);
			CHECK_STR(r->events[i]->kind, "annotation.created");
			if (ngot < N + 10)
				got[ngot++] = r->events[i]->object_id;
		}
		resume = r->last_seq;
		gloss_free(r);
		if (n == 0)
			break;
	}
	CHECK_INT(ngot, N);
	for (int i = 0; i < N && i < ngot; i++)
		if (got[i] != ids[i]) {
			fprintf(stderr, "event %d is annotation %lld, want %lld\n", i,
			    (long long)got[i], (long long)ids[i]);
			CHECK(!"events out of order or missing");
			break;
		}
	gloss_close(w2);
	gloss_close(writer);
	ALIVE();
}

/* libgloss's Watch loop while another thread writes. */
typedef struct {
	int64_t ids[200];
	int n, want;
} loop_state;

static int
loop_cb(const Gloss__V1__Event *ev, void *arg)
{
	loop_state *s = arg;
	if (ev == NULL)
		return 0;
	if (s->n < 200)
		s->ids[s->n++] = ev->object_id;
	return s->n >= s->want ? 1 : 0;
}

typedef struct {
	int64_t doc;
	int n;
	int64_t ids[200];
	int rc;
} writer_args;

static void *
writer_main(void *arg)
{
	writer_args *a = arg;
	gloss_client *c = gl_dh_client(&D, NULL, 0);
	a->rc = -1;
	if (c != NULL) {
		for (int i = 0; i < a->n; i++) {
			a->rc = create_anns(c, a->doc, 1, &a->ids[i]);
			if (a->rc != 0)
				break;
			if (i % 10 == 0)
				usleep(20 * 1000);
		}
		gloss_close(c);
	}
	return NULL;
}

GL_TEST(watch_loop_follows_concurrent_writes)
{
	CHECK_INT(gl_dh_make_project(C, "w-loop"), 0);
	int64_t doc = gl_dh_import_one(C, "w-loop", "d", "Delhi and Dhaka.");
	int64_t since = project_seq("w-loop");
	writer_args wa = { .doc = doc, .n = 120 };
	pthread_t th;
	pthread_create(&th, NULL, writer_main, &wa);
	loop_state s = { .want = 120 };
	gloss_client *c = gl_dh_client(&D, NULL, 0);
	gloss_watch_opts o = { .project = "w-loop", .since_seq = since,
		.wait_ms = 2000, .limit = 16, .max_failures = 3 };
	int64_t last = 0;
	int rc = gloss_watch_ex(c, &o, loop_cb, &s, &last);
	pthread_join(th, NULL);
	CHECK_INT(rc, 1);
	CHECK_INT(wa.rc, 0);
	CHECK_INT(s.n, 120);
	CHECK(last > since);
	int same = s.n == 120;
	for (int i = 0; same && i < 120; i++)
		same = s.ids[i] == wa.ids[i];
	CHECK(same);
	gloss_close(c);
	ALIVE();
}

GL_TEST(sigterm_answers_parked_watchers)
{
	CHECK_INT(gl_dh_make_project(C, "w-term"), 0);
	int64_t since = project_seq("w-term");
	enum { NW = 5 };
	watcher w[NW];
	pthread_t th[NW];
	atomic_int ready = 0;
	for (int i = 0; i < NW; i++) {
		w[i] = (watcher){ .d = &D, .project = "w-term", .since = since,
			.wait_ms = 25000, .ready = &ready };
		pthread_create(&th[i], NULL, watcher_main, &w[i]);
	}
	wait_parked(&ready, NW);
	int ms = 0;
	int ec = gl_dh_term(&D, 6000, &ms);
	CHECK_INT(ec, 0);
	CHECK(ms < 5000);
	for (int i = 0; i < NW; i++) {
		pthread_join(th[i], NULL);
		/* Answered, not left to time out: OK and empty, or UNAVAILABLE. */
		CHECK(w[i].rc == 0 || w[i].rc == GLOSS_EUNAVAILABLE);
		CHECK(w[i].took_ms < 6000);
		if (w[i].rc == 0 && w[i].resp) {
			CHECK_INT(w[i].resp->n_events, 0);
			CHECK_INT(w[i].resp->last_seq, since);
		}
		gloss_free(w[i].resp);
	}
	if (ec != 0)
		gl_dh_dump_log(&D);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(returns_at_once_with_pending_events),
		GL_TEST_ENTRY(wait_runs_out_empty),
		GL_TEST_ENTRY(long_poll_woken_by_write),
		GL_TEST_ENTRY(resume_after_disconnect_misses_nothing),
		GL_TEST_ENTRY(watch_loop_follows_concurrent_writes),
		GL_TEST_ENTRY(sigterm_answers_parked_watchers),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (gl_dh_init(&D, "watch", 1) != 0 || gl_dh_start(&D) != 0) {
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	C = gl_dh_client(&D, NULL, 0);
	int rc = gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
	gloss_close(C);
	gl_dh_cleanup(&D);
	return rc;
}
