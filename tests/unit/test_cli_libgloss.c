/*
 * test_cli_libgloss.c - libgloss (clients/lib) against an in-process fake
 * server on an nng REP socket: the envelope it sends (method, token,
 * deadline, request ids), how answers and failures become statuses, the
 * local guards (size, types, deadline, no server), retries with the same
 * request id, and the Watch loop's resume logic.  glossd itself is
 * exercised by tests/integration.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>

#include "gloss/client.h"
#include "gl_test.h"

#define N_EVENTS 10

typedef struct fake {
	nng_socket sock;
	pthread_t thr;
	atomic_int stop;
	pthread_mutex_t mu;
	int calls;
	char method[128], rid[64], meta[256];
	uint32_t timeout_ms;
	char rids[16][64];
	int nrids;
	int unavailable_left; /* /t/Flaky answers UNAVAILABLE this often */
} fake;

static fake srv;
static char url[128];

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
reply(Gloss__V1__RpcResponse *r)
{
	size_t n = gloss__v1__rpc_response__get_packed_size(r);
	uint8_t *buf = malloc(n ? n : 1);

	gloss__v1__rpc_response__pack(r, buf);
	nng_send(srv.sock, buf, n, 0);
	free(buf);
}

static void
reply_msg(const ProtobufCMessage *m)
{
	Gloss__V1__RpcResponse r = GLOSS__V1__RPC_RESPONSE__INIT;
	size_t n = protobuf_c_message_get_packed_size(m);

	r.payload.data = malloc(n ? n : 1);
	r.payload.len = protobuf_c_message_pack(m, r.payload.data);
	reply(&r);
	free(r.payload.data);
}

/* Events 1..N_EVENTS of project "p"; at most 3 per answer. */
static void
answer_watch(const Gloss__V1__RpcRequest *rq)
{
	Gloss__V1__WatchRequest *w = gloss__v1__watch_request__unpack(NULL,
	    rq->payload.len, rq->payload.data);
	Gloss__V1__WatchResponse resp = GLOSS__V1__WATCH_RESPONSE__INIT;
	Gloss__V1__Event evs[3], *pev[3];
	int64_t seq;

	resp.events = pev;
	resp.last_seq = w->since_seq;
	for (seq = w->since_seq + 1; seq <= N_EVENTS && resp.n_events < 3;
	    seq++) {
		Gloss__V1__Event *e = &evs[resp.n_events];
		gloss__v1__event__init(e);
		e->seq = seq;
		e->project = "p";
		e->kind = "annotation.created";
		pev[resp.n_events++] = e;
		resp.last_seq = seq;
	}
	gloss__v1__watch_request__free_unpacked(w, NULL);
	reply_msg(&resp.base);
}

static void *
serve(void *arg)
{
	(void)arg;
	while (!atomic_load(&srv.stop)) {
		Gloss__V1__RpcRequest *rq;
		char *buf = NULL;
		size_t len = 0;

		if (nng_recv(srv.sock, &buf, &len, NNG_FLAG_ALLOC) != 0)
			continue; /* the receive timeout: look at stop again */
		rq = gloss__v1__rpc_request__unpack(NULL, len, (uint8_t *)buf);
		nng_free(buf, len);
		if (rq == NULL)
			continue;
		pthread_mutex_lock(&srv.mu);
		srv.calls++;
		snprintf(srv.method, sizeof(srv.method), "%s", rq->method);
		snprintf(srv.rid, sizeof(srv.rid), "%s", rq->request_id);
		if (srv.nrids < 16)
			snprintf(srv.rids[srv.nrids++], sizeof(srv.rids[0]), "%s",
			    rq->request_id);
		srv.timeout_ms = rq->timeout_ms;
		srv.meta[0] = '\0';
		for (size_t i = 0; i < rq->n_metadata; i++) {
			size_t l = strlen(srv.meta);
			snprintf(srv.meta + l, sizeof(srv.meta) - l, "%s=%s;",
			    rq->metadata[i]->key, rq->metadata[i]->value);
		}
		pthread_mutex_unlock(&srv.mu);

		if (strcmp(rq->method, "/gloss.v1.Health/Check") == 0) {
			Gloss__V1__HealthCheckResponse h =
			    GLOSS__V1__HEALTH_CHECK_RESPONSE__INIT;
			h.status = GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
			h.version = "fake";
			h.last_seq = 42;
			reply_msg(&h.base);
		} else if (strcmp(rq->method, "/gloss.v1.Events/Watch") == 0) {
			answer_watch(rq);
		} else if (strcmp(rq->method, "/t/Abort") == 0) {
			Gloss__V1__RpcResponse r = GLOSS__V1__RPC_RESPONSE__INIT;
			Gloss__V1__RpcResponse__DetailsEntry d =
			    GLOSS__V1__RPC_RESPONSE__DETAILS_ENTRY__INIT, *pd = &d;
			r.code = GLOSS__V1__CODE__ABORTED;
			r.message = "stale version";
			d.key = "current_version";
			d.value = "4";
			r.n_details = 1;
			r.details = &pd;
			reply(&r);
		} else if (strcmp(rq->method, "/t/Flaky") == 0) {
			Gloss__V1__RpcResponse r = GLOSS__V1__RPC_RESPONSE__INIT;
			pthread_mutex_lock(&srv.mu);
			if (srv.unavailable_left > 0) {
				srv.unavailable_left--;
				r.code = GLOSS__V1__CODE__UNAVAILABLE;
				r.message = "shutting down";
			} else {
				static Gloss__V1__RpcResponse__DetailsEntry d =
				    GLOSS__V1__RPC_RESPONSE__DETAILS_ENTRY__INIT;
				static Gloss__V1__RpcResponse__DetailsEntry *pd = &d;
				d.key = "echoed";
				d.value = "yes";
				r.n_details = 1;
				r.details = &pd;
				r.payload = rq->payload; /* echo */
			}
			pthread_mutex_unlock(&srv.mu);
			reply(&r);
		} else if (strcmp(rq->method, "/t/Garbage") == 0) {
			nng_send(srv.sock, "\xff\xff\xff", 3, 0);
		} else if (strcmp(rq->method, "/t/Slow") == 0) {
			/* No answer: the client's deadline must fire. */
		} else {
			Gloss__V1__RpcResponse r = GLOSS__V1__RPC_RESPONSE__INIT;
			r.code = GLOSS__V1__CODE__UNIMPLEMENTED;
			r.message = "no such method";
			reply(&r);
		}
		gloss__v1__rpc_request__free_unpacked(rq, NULL);
	}
	return NULL;
}

static void
server_start(void)
{
	snprintf(url, sizeof(url), "ipc:///tmp/gloss-test-libgloss-%d.sock",
	    (int)getpid());
	pthread_mutex_init(&srv.mu, NULL);
	CHECK_INT(nng_rep0_open(&srv.sock), 0);
	nng_socket_set_ms(srv.sock, NNG_OPT_RECVTIMEO, 50);
	CHECK_INT(nng_listen(srv.sock, url, NULL, 0), 0);
	pthread_create(&srv.thr, NULL, serve, NULL);
}

static void
server_stop(void)
{
	atomic_store(&srv.stop, 1);
	pthread_join(srv.thr, NULL);
	nng_close(srv.sock);
	pthread_mutex_destroy(&srv.mu);
}

static int
calls(void)
{
	int n;

	pthread_mutex_lock(&srv.mu);
	n = srv.calls;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

static gloss_client *
client(void)
{
	gloss_client *c = NULL;

	CHECK_INT(gloss_connect(url, "tok", &c), 0);
	return c;
}

GL_TEST(test_health_envelope)
{
	gloss_client *c = client();
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char first[64];

	if (c == NULL)
		return;
	CHECK_INT(gloss_set_metadata(c, "X-Trace", "abc"), 0);
	CHECK_INT(gloss_health_check(c, &req, &resp, &st), 0);
	CHECK_INT(st.code, 0);
	CHECK_STR(gloss_last_error(), "");
	if (resp != NULL) {
		CHECK_INT(resp->status,
		    GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
		CHECK_STR(resp->version, "fake");
		CHECK_INT(resp->last_seq, 42);
	}
	gloss_free(resp);
	pthread_mutex_lock(&srv.mu);
	CHECK_STR(srv.method, "/gloss.v1.Health/Check");
	CHECK_STR(srv.meta, "authorization=Bearer tok;x-trace=abc;");
	CHECK_INT(srv.timeout_ms, GLOSS_DEFAULT_TIMEOUT_MS);
	CHECK_INT(strlen(srv.rid), 32);
	CHECK(strspn(srv.rid, "0123456789abcdef") == 32);
	snprintf(first, sizeof(first), "%s", srv.rid);
	pthread_mutex_unlock(&srv.mu);

	/* Every call has a fresh request id. */
	gloss_set_timeout(c, 1234);
	CHECK_INT(gloss_health_check(c, &req, &resp, NULL), 0);
	gloss_free(resp);
	pthread_mutex_lock(&srv.mu);
	CHECK(strcmp(first, srv.rid) != 0);
	CHECK_INT(srv.timeout_ms, 1234);
	pthread_mutex_unlock(&srv.mu);
	gloss_status_clear(&st);
	gloss_close(c);
}

GL_TEST(test_error_status_and_details)
{
	gloss_client *c = client();
	gloss_status st = GLOSS_STATUS_INIT;
	void *out = (void *)1;
	size_t len = 7;

	if (c == NULL)
		return;
	CHECK_INT(gloss_call_raw(c, "/t/Abort", "x", 1, &out, &len, &st, NULL),
	    GLOSS_EABORTED);
	CHECK(out == NULL);
	CHECK_INT(len, 0);
	CHECK_INT(st.code, GLOSS_ABORTED);
	CHECK_INT(st.local, 0);
	CHECK_STR(st.message, "stale version");
	CHECK_STR(gloss_status_detail(&st, "current_version"), "4");
	CHECK(gloss_status_detail(&st, "nope") == NULL);
	CHECK_STR(gloss_last_error(), "ABORTED: stale version");

	/* The same status reused: cleared first, no leak, new content. */
	CHECK_INT(gloss_call_raw(c, "/t/Nope", NULL, 0, &out, &len, &st, NULL),
	    GLOSS_EUNIMPLEMENTED);
	CHECK_INT(st.n_details, 0);
	CHECK_STR(st.message, "no such method");
	gloss_status_clear(&st);
	CHECK(st.message == NULL);

	CHECK_INT(gloss_call_raw(c, "/t/Garbage", NULL, 0, &out, &len, &st,
	    NULL), GLOSS_EINTERNAL);
	CHECK_INT(st.local, 1);
	CHECK(strstr(st.message, "undecodable RpcResponse") != NULL);
	gloss_status_clear(&st);
	gloss_close(c);
}

GL_TEST(test_local_guards)
{
	gloss_client *c = client();
	Gloss__V1__GetDocumentRequest wrong = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	char big[2000];
	void *out;
	size_t len;
	int before;

	if (c == NULL)
		return;
	before = calls();
	/* The request type must match the method's. */
	CHECK_INT(gloss_call(c, "/gloss.v1.Health/Check", &wrong.base,
	    &gloss__v1__health_check_response__descriptor,
	    (ProtobufCMessage **)&resp, &st), GLOSS_EINVALID_ARGUMENT);
	CHECK(resp == NULL);
	CHECK_INT(st.local, 1);
	CHECK(strstr(st.message, "gloss.v1.HealthCheckRequest") != NULL);
	/* Too big for the client's max message: refused before sending. */
	memset(big, 'a', sizeof(big));
	gloss_set_max_message(c, 1000);
	CHECK_INT(gloss_get_max_message(c), 1000);
	CHECK_INT(gloss_call_raw(c, "/t/Flaky", big, sizeof(big), &out, &len,
	    &st, NULL), GLOSS_ERESOURCE_EXHAUSTED);
	CHECK_INT(st.local, 1);
	CHECK(strstr(gloss_last_error(), "RESOURCE_EXHAUSTED: ") ==
	    gloss_last_error());
	CHECK_INT(gloss_call_raw(c, "bad-method", NULL, 0, &out, &len, &st,
	    NULL), GLOSS_EINVALID_ARGUMENT);
	CHECK_INT(calls(), before);
	/* Under the limit it goes through. */
	CHECK_INT(gloss_call_raw(c, "/t/Flaky", big, 900, &out, &len, &st,
	    NULL), 0);
	CHECK_INT(len, 900);
	CHECK(out != NULL && memcmp(out, big, 900) == 0);
	/* An OK answer's details reach the status too. */
	CHECK_INT(st.code, 0);
	CHECK_STR(st.message, "");
	CHECK_STR(gloss_status_detail(&st, "echoed"), "yes");
	free(out);
	CHECK_INT(calls(), before + 1);
	gloss_status_clear(&st);
	gloss_close(c);
}

GL_TEST(test_deadline)
{
	gloss_client *c = client();
	gloss_call_opts o = { 0 };
	gloss_status st = GLOSS_STATUS_INIT;
	void *out;
	size_t len;
	int64_t t0;

	if (c == NULL)
		return;
	o.timeout_ms = 200;
	t0 = now_ms();
	CHECK_INT(gloss_call_raw(c, "/t/Slow", NULL, 0, &out, &len, &st, &o),
	    GLOSS_EDEADLINE_EXCEEDED);
	CHECK(now_ms() - t0 >= 200);
	CHECK(now_ms() - t0 < 3000);
	CHECK_INT(st.local, 1);
	pthread_mutex_lock(&srv.mu);
	CHECK_INT(srv.timeout_ms, 200);
	pthread_mutex_unlock(&srv.mu);
	gloss_status_clear(&st);
	gloss_close(c);
}

GL_TEST(test_no_server)
{
	gloss_connect_opts o = { 0 };
	gloss_client *c = NULL;
	gloss_status st = GLOSS_STATUS_INIT;
	void *out;
	size_t len;
	int64_t t0;

	o.connect_timeout_ms = 300;
	/* Connecting succeeds: dialing goes on in the background. */
	CHECK_INT(gloss_connect_ex("ipc:///tmp/gloss-test-nobody-here.sock",
	    NULL, &o, &c), 0);
	if (c == NULL)
		return;
	t0 = now_ms();
	CHECK_INT(gloss_call_raw(c, "/gloss.v1.Health/Check", NULL, 0, &out,
	    &len, &st, NULL), GLOSS_EUNAVAILABLE);
	CHECK(now_ms() - t0 < 3000);
	CHECK_INT(st.local, 1);
	CHECK(strstr(st.message, "cannot reach") != NULL);
	gloss_status_clear(&st);
	gloss_close(c);

	CHECK_INT(gloss_connect("nosuch://x", NULL, &c), GLOSS_EINVALID_ARGUMENT);
	CHECK(c == NULL);
	CHECK(strncmp(gloss_last_error(), "INVALID_ARGUMENT: ", 18) == 0);
	CHECK_INT(gloss_connect("", NULL, &c), GLOSS_EINVALID_ARGUMENT);
}

GL_TEST(test_retry_same_request_id)
{
	gloss_client *c = client();
	gloss_call_opts o = { 0 };
	gloss_status st = GLOSS_STATUS_INIT;
	void *out = NULL;
	size_t len = 0;
	int before;

	if (c == NULL)
		return;
	pthread_mutex_lock(&srv.mu);
	srv.unavailable_left = 2;
	srv.nrids = 0;
	pthread_mutex_unlock(&srv.mu);
	before = calls();
	o.retries = 3;
	CHECK_INT(gloss_call_raw(c, "/t/Flaky", "abc", 3, &out, &len, &st, &o),
	    0);
	CHECK_INT(len, 3);
	free(out);
	CHECK_INT(calls(), before + 3);
	pthread_mutex_lock(&srv.mu);
	CHECK_INT(srv.nrids, 3);
	CHECK_STR(srv.rids[1], srv.rids[0]);
	CHECK_STR(srv.rids[2], srv.rids[0]);
	/* Not enough retries: the server's UNAVAILABLE comes back. */
	srv.unavailable_left = 2;
	pthread_mutex_unlock(&srv.mu);
	o.retries = 1;
	o.request_id = "my-id-1";
	CHECK_INT(gloss_call_raw(c, "/t/Flaky", "abc", 3, &out, &len, &st, &o),
	    GLOSS_EUNAVAILABLE);
	CHECK_INT(st.local, 0);
	CHECK_STR(st.message, "shutting down");
	pthread_mutex_lock(&srv.mu);
	CHECK_STR(srv.rid, "my-id-1");
	srv.unavailable_left = 0;
	pthread_mutex_unlock(&srv.mu);
	gloss_status_clear(&st);
	gloss_close(c);
}

typedef struct seen {
	int64_t seqs[32];
	int n;
	int64_t stop_at;  /* stop after this seq */
	int idle;         /* NULL callbacks */
	int stop_on_idle; /* value to return on the first idle tick */
} seen;

static int
on_event(const Gloss__V1__Event *ev, void *arg)
{
	seen *s = arg;

	if (ev == NULL) {
		s->idle++;
		return s->stop_on_idle;
	}
	if (s->n < 32)
		s->seqs[s->n++] = ev->seq;
	return s->stop_at && ev->seq >= s->stop_at;
}

GL_TEST(test_watch_loop)
{
	gloss_client *c = client();
	gloss_watch_opts o = { 0 };
	seen s = { { 0 }, 0, 9, 0, 0 };
	int64_t last = 0;

	if (c == NULL)
		return;
	o.project = "p";
	o.since_seq = 2;
	o.wait_ms = 100;
	/* Delivered 3..9 over several polls, in order, then stopped. */
	CHECK_INT(gloss_watch_ex(c, &o, on_event, &s, &last), 1);
	CHECK_INT(s.n, 7);
	for (int i = 0; i < s.n; i++)
		CHECK_INT(s.seqs[i], 3 + i);
	CHECK_INT(last, 9);
	CHECK_INT(s.idle, 0);

	/* Resuming from 9 gives 10 and then an idle poll. */
	memset(&s, 0, sizeof(s));
	s.stop_on_idle = 7;
	o.since_seq = last;
	CHECK_INT(gloss_watch_ex(c, &o, on_event, &s, &last), 7);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.seqs[0], 10);
	CHECK_INT(s.idle, 1);
	CHECK_INT(last, 10);
	gloss_close(c);
}

GL_TEST(test_watch_gives_up_after_failures)
{
	gloss_connect_opts co = { 0 };
	gloss_watch_opts o = { 0 };
	gloss_client *c = NULL;
	seen s = { { 0 }, 0, 0, 0, 0 };

	co.connect_timeout_ms = 100;
	CHECK_INT(gloss_connect_ex("ipc:///tmp/gloss-test-nobody-here.sock",
	    NULL, &co, &c), 0);
	if (c == NULL)
		return;
	o.max_failures = 2;
	CHECK_INT(gloss_watch_ex(c, &o, on_event, &s, NULL),
	    GLOSS_EUNAVAILABLE);
	/* One idle tick between the two failed attempts. */
	CHECK_INT(s.idle, 1);
	gloss_close(c);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(test_health_envelope),
		GL_TEST_ENTRY(test_error_status_and_details),
		GL_TEST_ENTRY(test_local_guards),
		GL_TEST_ENTRY(test_deadline),
		GL_TEST_ENTRY(test_no_server),
		GL_TEST_ENTRY(test_retry_same_request_id),
		GL_TEST_ENTRY(test_watch_loop),
		GL_TEST_ENTRY(test_watch_gives_up_after_failures),
	};
	int rv;

	server_start();
	rv = gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
	server_stop();
	return rv || gl_test_failed_checks;
}
