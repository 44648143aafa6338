/*
 * bench_rpc.c - unary RPC cost: a small Documents/Get against glossd over
 * ipc:// and tcp://, beside a raw nng REQ/REP echo of the same request and
 * response sizes on the same transport, in the same run.
 *
 * Figures (per transport):
 *   latency, one call outstanding: p50 / p99 of libgloss's Get vs the echo;
 *   throughput, 64 calls outstanding (64 threads sharing one client, each
 *   call on its own nng context) vs 64 threads on contexts of one raw REQ
 *   socket against an echo server with 64 contexts.
 * A third line per figure ("get/raw") sends the same packed RpcRequest to
 * glossd from the raw nng client, which splits the cost between libgloss
 * and the daemon.
 *
 * Usage: bench_rpc [--quick]
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "bench_util.h"

#define GL_RPC_THREADS 64
#define GL_RPC_ECHO_CTX 64

/* ---- echo server ---------------------------------------------------- */

typedef struct rpc_echo_ctx {
	nng_ctx ctx;
	nng_aio *aio;
	int sending;
	size_t resp_size;
} rpc_echo_ctx;

typedef struct rpc_echo {
	nng_socket sock;
	rpc_echo_ctx ctx[GL_RPC_ECHO_CTX];
} rpc_echo;

/* Answers every request with a message of resp_size bytes. */
static void
rpc_echo_cb(void *arg)
{
	rpc_echo_ctx *x = arg;
	int rv = nng_aio_result(x->aio);
	if (x->sending) {
		x->sending = 0;
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(x->aio));
			if (rv == NNG_ECLOSED)
				return;
		}
		nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	if (rv != 0) {
		if (rv != NNG_ECLOSED)
			nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	nng_msg *m = nng_aio_get_msg(x->aio);
	if (nng_msg_realloc(m, x->resp_size) != 0) {
		nng_msg_free(m);
		nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	x->sending = 1;
	nng_aio_set_msg(x->aio, m);
	nng_ctx_send(x->ctx, x->aio);
}

static int
rpc_echo_start(rpc_echo *e, const char *url, size_t resp_size)
{
	int rv;
	memset(e, 0, sizeof(*e));
	if ((rv = nng_rep0_open(&e->sock)) != 0 ||
	    (rv = nng_listen(e->sock, url, NULL, 0)) != 0) {
		fprintf(stderr, "bench_rpc: echo server on %s: %s\n", url, nng_strerror(rv));
		return -1;
	}
	for (int i = 0; i < GL_RPC_ECHO_CTX; i++) {
		rpc_echo_ctx *x = &e->ctx[i];
		x->resp_size = resp_size;
		if ((rv = nng_ctx_open(&x->ctx, e->sock)) != 0 ||
		    (rv = nng_aio_alloc(&x->aio, rpc_echo_cb, x)) != 0) {
			fprintf(stderr, "bench_rpc: echo context: %s\n", nng_strerror(rv));
			return -1;
		}
		nng_ctx_recv(x->ctx, x->aio);
	}
	return 0;
}

static void
rpc_echo_stop(rpc_echo *e)
{
	nng_close(e->sock);
	for (int i = 0; i < GL_RPC_ECHO_CTX; i++)
		if (e->ctx[i].aio) {
			nng_aio_stop(e->ctx[i].aio);
			nng_aio_free(e->ctx[i].aio);
		}
}

/* ---- clients -------------------------------------------------------- */

/*
 * What a worker calls: glossd through libgloss (gc), or any REP server
 * through a raw REQ socket sending the bytes tmpl.
 */
typedef struct rpc_target {
	gloss_client *gc;
	int64_t doc_id;
	nng_socket sock;
	const uint8_t *tmpl;
	size_t tmpl_len;
	size_t expect_len;   /* raw: the answer's size, to catch errors */
} rpc_target;

typedef struct rpc_worker {
	rpc_target *t;
	nng_ctx ctx;
	nng_aio *aio;
	pthread_t th;
	uint64_t calls;
	int failed;
	atomic_int *stop;
	pthread_barrier_t *go;
} rpc_worker;

static int
rpc_worker_init(rpc_worker *w, rpc_target *t)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	if (t->gc != NULL)
		return 0;
	if (nng_ctx_open(&w->ctx, t->sock) != 0 || nng_aio_alloc(&w->aio, NULL, NULL) != 0)
		return -1;
	nng_ctx_set_ms(w->ctx, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	nng_aio_set_timeout(w->aio, 10000);
	return 0;
}

static void
rpc_worker_fini(rpc_worker *w)
{
	if (w->aio) {
		nng_aio_free(w->aio);
		nng_ctx_close(w->ctx);
	}
}

/* One call; 0 or -1. */
static int
rpc_worker_call(rpc_worker *w)
{
	rpc_target *t = w->t;
	if (t->gc != NULL) {
		Gloss__V1__GetDocumentRequest rq = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
		Gloss__V1__GetDocumentResponse *rs = NULL;
		rq.id = t->doc_id;
		int rc = gloss_documents_get(t->gc, &rq, &rs, NULL);
		gloss_free(rs);
		if (rc != 0)
			gl_bench_fail("Documents/Get", rc);
		return rc == 0 ? 0 : -1;
	}
	nng_msg *m;
	if (nng_msg_alloc(&m, t->tmpl_len) != 0)
		return -1;
	memcpy(nng_msg_body(m), t->tmpl, t->tmpl_len);
	nng_aio_set_msg(w->aio, m);
	nng_ctx_send(w->ctx, w->aio);
	nng_aio_wait(w->aio);
	if (nng_aio_result(w->aio) != 0) {
		nng_msg_free(m);
		return -1;
	}
	nng_ctx_recv(w->ctx, w->aio);
	nng_aio_wait(w->aio);
	if (nng_aio_result(w->aio) != 0)
		return -1;
	m = nng_aio_get_msg(w->aio);
	size_t got = nng_msg_len(m);
	nng_msg_free(m);
	if (got != t->expect_len) {
		fprintf(stderr, "bench_rpc: answer of %zu bytes, expected %zu\n",
		    got, t->expect_len);
		return -1;
	}
	return 0;
}

typedef struct rpc_lat {
	double p50_us, p99_us;
	int ok;
} rpc_lat;

/*
 * Latency with one call outstanding of nt targets, interleaved: `rounds`
 * rounds, each making n/rounds calls on every target in turn, so that a
 * change in the machine's background load hits all of them alike.  `warm`
 * unmeasured calls per target first.  Results go to out[0..nt).
 */
static void
rpc_latency(rpc_target **t, size_t nt, size_t warm, size_t n, size_t rounds,
    rpc_lat *out)
{
	rpc_worker w[8];
	double *v[8];
	size_t got[8];
	int ok = 1;
	for (size_t k = 0; k < nt; k++) {
		out[k].ok = 0;
		got[k] = 0;
		v[k] = malloc(n * sizeof(double));
		if (v[k] == NULL || rpc_worker_init(&w[k], t[k]) != 0) {
			fprintf(stderr, "bench_rpc: cannot set up a client\n");
			exit(1);
		}
		for (size_t i = 0; ok && i < warm; i++)
			ok = rpc_worker_call(&w[k]) == 0;
	}
	size_t per = n / rounds;
	for (size_t r = 0; ok && r < rounds; r++)
		for (size_t k = 0; ok && k < nt; k++)
			for (size_t i = 0; ok && i < per; i++) {
				uint64_t t0 = gl_bench_now_ns();
				ok = rpc_worker_call(&w[k]) == 0;
				v[k][got[k]++] = (double)(gl_bench_now_ns() - t0) / 1e3;
			}
	for (size_t k = 0; k < nt; k++) {
		if (ok) {
			out[k].p50_us = gl_bench_pct(v[k], got[k], 50);
			out[k].p99_us = gl_bench_pct(v[k], got[k], 99);
			out[k].ok = 1;
		}
		rpc_worker_fini(&w[k]);
		free(v[k]);
	}
}

static void *
rpc_thread(void *arg)
{
	rpc_worker *w = arg;
	pthread_barrier_wait(w->go);
	while (!atomic_load_explicit(w->stop, memory_order_relaxed)) {
		if (rpc_worker_call(w) != 0) {
			w->failed = 1;
			break;
		}
		w->calls++;
	}
	return NULL;
}

/*
 * GL_RPC_THREADS threads calling t for `secs` after a short unmeasured
 * start; adds the calls and seconds measured to *calls / *elapsed.
 * 0 or -1.
 */
static int
rpc_throughput_slice(rpc_target *t, double secs, double *calls, double *elapsed)
{
	rpc_worker w[GL_RPC_THREADS];
	atomic_int stop = 0;
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, GL_RPC_THREADS + 1);
	int failed = 0;
	for (int i = 0; i < GL_RPC_THREADS; i++) {
		if (rpc_worker_init(&w[i], t) != 0) {
			fprintf(stderr, "bench_rpc: cannot set up a client context\n");
			exit(1);
		}
		w[i].stop = &stop;
		w[i].go = &go;
		pthread_create(&w[i].th, NULL, rpc_thread, &w[i]);
	}
	pthread_barrier_wait(&go);
	usleep(100000); /* every thread has its first call out */
	/* The counters are read while they move: fine for a rate. */
	uint64_t base = 0;
	for (int i = 0; i < GL_RPC_THREADS; i++)
		base += w[i].calls;
	double t1 = gl_bench_now_s();
	usleep((useconds_t)(secs * 1e6));
	uint64_t total = 0;
	for (int i = 0; i < GL_RPC_THREADS; i++)
		total += w[i].calls;
	double t2 = gl_bench_now_s();
	atomic_store(&stop, 1);
	for (int i = 0; i < GL_RPC_THREADS; i++) {
		pthread_join(w[i].th, NULL);
		failed |= w[i].failed;
		rpc_worker_fini(&w[i]);
	}
	pthread_barrier_destroy(&go);
	*calls += (double)(total - base);
	*elapsed += t2 - t1;
	return failed ? -1 : 0;
}

/* Calls/s of nt targets, interleaved in `rounds` slices of secs/rounds. */
static int
rpc_throughput(rpc_target **t, size_t nt, double secs, size_t rounds, double *out)
{
	double calls[8] = { 0 }, el[8] = { 0 };
	for (size_t r = 0; r < rounds; r++)
		for (size_t k = 0; k < nt; k++)
			if (rpc_throughput_slice(t[k], secs / (double)rounds, &calls[k],
			        &el[k]) != 0)
				return -1;
	for (size_t k = 0; k < nt; k++)
		out[k] = calls[k] / el[k];
	return 0;
}

/* ---- the packed envelope -------------------------------------------- */

/*
 * The RpcRequest libgloss sends for Get(id), packed (caller frees); with
 * id 0, a Health/Check instead: no token lookup, no SQL, the bare path
 * through the RPC layer.
 */
static uint8_t *
rpc_pack_get(int64_t id, size_t *len)
{
	Gloss__V1__GetDocumentRequest g = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	g.id = id;
	uint8_t pay[32];
	size_t plen = id ? gloss__v1__get_document_request__pack(&g, pay) : 0;
	Gloss__V1__RpcRequest rq = GLOSS__V1__RPC_REQUEST__INIT;
	Gloss__V1__RpcRequest__MetadataEntry e =
	    GLOSS__V1__RPC_REQUEST__METADATA_ENTRY__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *pe = &e;
	e.key = (char *)"authorization";
	e.value = (char *)"Bearer " GL_BENCH_TOKEN;
	rq.method = (char *)(id ? "/gloss.v1.Documents/Get" : "/gloss.v1.Health/Check");
	rq.n_metadata = 1;
	rq.metadata = &pe;
	rq.timeout_ms = GLOSS_DEFAULT_TIMEOUT_MS;
	rq.request_id = (char *)"0123456789abcdef0123456789abcdef";
	rq.payload.data = pay;
	rq.payload.len = plen;
	*len = gloss__v1__rpc_request__get_packed_size(&rq);
	uint8_t *buf = malloc(*len);
	if (buf)
		gloss__v1__rpc_request__pack(&rq, buf);
	return buf;
}

/* The size of glossd's RpcResponse to Get(id), from one raw exchange. */
static size_t
rpc_probe_response(const char *url, const uint8_t *req, size_t len)
{
	nng_socket s;
	nng_msg *m = NULL;
	size_t n = 0;
	if (nng_req0_open(&s) != 0)
		return 0;
	if (nng_dial(s, url, NULL, 0) == 0 &&
	    nng_send(s, (void *)req, len, 0) == 0 &&
	    nng_recvmsg(s, &m, 0) == 0) {
		Gloss__V1__RpcResponse *r = gloss__v1__rpc_response__unpack(NULL,
		    nng_msg_len(m), nng_msg_body(m));
		if (r && r->code == 0)
			n = nng_msg_len(m);
		else
			fprintf(stderr, "bench_rpc: Get answered %s\n",
			    r ? r->message : "garbage");
		if (r)
			gloss__v1__rpc_response__free_unpacked(r, NULL);
		nng_msg_free(m);
	}
	nng_close(s);
	return n;
}

static int
rpc_raw_open(nng_socket *s, const char *url)
{
	int rv;
	if ((rv = nng_req0_open(s)) != 0 || (rv = nng_dial(*s, url, NULL, 0)) != 0) {
		fprintf(stderr, "bench_rpc: dial %s: %s\n", url, nng_strerror(rv));
		return -1;
	}
	nng_socket_set_ms(*s, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	return 0;
}

/* ---- main ----------------------------------------------------------- */

static void
rpc_print_lat(const char *tr, const char *what, rpc_lat a, rpc_lat e)
{
	printf("%-4s %-10s p50 %6.1fus p99 %6.1fus | echo p50 %6.1fus p99 %6.1fus"
	    " | ratio %.2f (target <= 1.3)\n", tr, what, a.p50_us, a.p99_us,
	    e.p50_us, e.p99_us, e.p50_us > 0 ? a.p50_us / e.p50_us : 0);
}

static void
rpc_print_tp(const char *tr, const char *what, double a, double e)
{
	printf("%-4s %-10s %d-way %8.0f calls/s | echo %8.0f calls/s | ratio %.2f"
	    " (target >= 0.7)\n", tr, what, GL_RPC_THREADS, a, e, e > 0 ? a / e : 0);
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	size_t warm = quick ? 300 : 2000, n = quick ? 3000 : 20000;
	double secs = quick ? 1.0 : 3.0;

	gl_bench_daemon d;
	if (gl_bench_daemon_start(&d, NULL, NULL) != 0)
		return 1;
	gloss_client *c = gl_bench_connect(d.ipc_url);
	if (gl_bench_project(c, "bench") != 0)
		goto fail;
	int64_t doc_id;
	if (gl_bench_import(c, "bench", 1, 1, 300, 1, NULL, &doc_id) != 0)
		goto fail;
	gloss_close(c);

	size_t req_len, hreq_len;
	uint8_t *req = rpc_pack_get(doc_id, &req_len);
	uint8_t *hreq = rpc_pack_get(0, &hreq_len);
	size_t resp_len = req ? rpc_probe_response(d.ipc_url, req, req_len) : 0;
	size_t hresp_len = hreq ? rpc_probe_response(d.ipc_url, hreq, hreq_len) : 0;
	if (resp_len == 0 || hresp_len == 0)
		goto fail;
	printf("bench_rpc: Documents/Get of a %d-byte document; RpcRequest %zu B,"
	    " RpcResponse %zu B; echo uses the same sizes\n", 300, req_len, resp_len);

	char echo_dir[512];
	if (gl_bench_mkdtemp("echo", echo_dir, sizeof(echo_dir)) != 0)
		goto fail;
	const char *names[2] = { "ipc", "tcp" };
	for (int k = 0; k < 2; k++) {
		char echo_url[600];
		const char *url = k == 0 ? d.ipc_url : d.tcp_url;
		if (k == 0)
			snprintf(echo_url, sizeof(echo_url), "ipc://%s/echo.sock", echo_dir);
		else
			snprintf(echo_url, sizeof(echo_url), "tcp://127.0.0.1:%d",
			    gl_bench_free_port());
		rpc_echo e;
		if (rpc_echo_start(&e, echo_url, resp_len) != 0)
			goto fail;
		rpc_target tg = { 0 }, te = { 0 }, tr = { 0 };
		tg.gc = gl_bench_connect(url);
		tg.doc_id = doc_id;
		if (rpc_raw_open(&te.sock, echo_url) != 0 || rpc_raw_open(&tr.sock, url) != 0)
			goto fail;
		te.tmpl = tr.tmpl = req;
		te.tmpl_len = tr.tmpl_len = req_len;
		te.expect_len = tr.expect_len = resp_len;

		/* Health/Check from the raw client: the RPC layer alone. */
		rpc_target th = tr;
		th.tmpl = hreq;
		th.tmpl_len = hreq_len;
		th.expect_len = hresp_len;
		rpc_target *lt[4] = { &tg, &te, &tr, &th };
		rpc_lat l[4];
		rpc_latency(lt, 4, warm, n, 10, l);
		if (!l[0].ok || !l[1].ok || !l[2].ok || !l[3].ok) {
			fprintf(stderr, "bench_rpc: a latency run failed\n");
			goto fail;
		}
		rpc_print_lat(names[k], "get", l[0], l[1]);
		rpc_print_lat(names[k], "get/raw", l[2], l[1]);
		rpc_print_lat(names[k], "health/raw", l[3], l[1]);
		fflush(stdout);

		double tp[3];
		if (rpc_throughput(lt, 3, secs, quick ? 2 : 4, tp) != 0) {
			fprintf(stderr, "bench_rpc: a throughput run failed\n");
			goto fail;
		}
		rpc_print_tp(names[k], "get", tp[0], tp[1]);
		rpc_print_tp(names[k], "get/raw", tp[2], tp[1]);
		fflush(stdout);

		gloss_close(tg.gc);
		nng_close(te.sock);
		nng_close(tr.sock);
		rpc_echo_stop(&e);
	}
	printf("(get: libgloss client; get/raw: the same envelope sent from a raw "
	    "nng REQ context reused per thread; health/raw: Health/Check, which\n"
	    " skips the token lookup and SQL, so get/raw - health/raw is the handler"
	    " and health/raw - echo the RPC layer's hop through the libuv loop)\n");
	gl_bench_rmtree(echo_dir);
	free(req);
	free(hreq);
	gl_bench_daemon_stop(&d);
	return 0;
fail:
	gl_bench_daemon_stop(&d);
	return 1;
}
