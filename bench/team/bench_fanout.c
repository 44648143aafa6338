/*
 * bench_fanout.c - live fan-out (issue 7): one writer creates annotations
 * while N clients (N = 10, 100, 500) long-poll /gloss.v1.Events/Watch on the
 * same project over tcp://127.0.0.1.  It measures, for every write and every
 * watcher, the time from the write's acknowledgement (Annotations/Create
 * answered to the writer) to the watcher's receipt of the event, and prints
 * p50/p99 per N beside baselines from the same run: a raw nng REQ/REP round
 * trip over loopback TCP with no glossd, Health/Check through glossd, and
 * the write's own latency.  Target: p99 <= 20 ms at N = 100.
 *
 * Each watcher is a client of its own: its own REQ socket and TCP
 * connection, driven by one nng aio (no thread per watcher), speaking the
 * envelope of docs/protocol.md by hand.  A negative ack->receipt time means
 * the watcher had the event before the writer had its answer.
 *
 * Prints, never asserts.  --quick runs fewer writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "bench/core/bench_util.h"
#include "gloss/v1/events.pb-c.h"
#include "gloss/v1/rpc.pb-c.h"
#include "gloss/v1/users.pb-c.h"

#define PROJECT "fanout"
#define NTOKENS 20          /* watcher identities, shared round robin */
#define WAIT_MS 30000u      /* each Watch long-poll */
#define GAP_MS 20           /* between writes: people do not type faster */

/* ---- one watcher: a REQ socket and an aio state machine --------------- */

typedef struct fanout fanout;

typedef struct watcher {
	fanout *F;
	int idx;
	nng_socket sock;
	nng_ctx ctx;
	nng_aio *aio;
	const char *token;
	int64_t since;
	int receiving;    /* 0: the aio is sending, 1: receiving */
	int errors;
} watcher;

struct fanout {
	int n;                 /* watchers */
	int nwrites;           /* measured writes (after the warm-up ones) */
	int warmup;
	watcher *w;
	uint64_t *recv_ns;     /* [write * n + watcher]; 0: not yet */
	atomic_int *got;       /* watchers that have write k */
	atomic_int stop;
	atomic_int errors;
	pthread_mutex_t mtx;
	pthread_cond_t cv;
};

static void watcher_send(watcher *w);

/* The write index carried in an annotation's value ("w<k>"), or -1. */
static int
write_index(const Gloss__V1__Event *e, int total)
{
	if (e->annotation == NULL || strcmp(e->kind, "annotation.created") != 0 ||
	    e->annotation->value == NULL || e->annotation->value[0] != 'w')
		return -1;
	int k = atoi(e->annotation->value + 1);
	return k >= 0 && k < total ? k : -1;
}

static void
watcher_got(watcher *w, nng_msg *m, uint64_t now)
{
	fanout *F = w->F;
	Gloss__V1__RpcResponse *r = gloss__v1__rpc_response__unpack(NULL,
	    nng_msg_len(m), nng_msg_body(m));
	if (r == NULL || r->code != GLOSS__V1__CODE__OK) {
		if (w->errors++ < 3)
			fprintf(stderr, "watcher %d: %s\n", w->idx,
			    r ? r->message : "an answer that is no RpcResponse");
		atomic_fetch_add(&F->errors, 1);
		if (r)
			gloss__v1__rpc_response__free_unpacked(r, NULL);
		usleep(10 * 1000);
		return;
	}
	Gloss__V1__WatchResponse *wr = gloss__v1__watch_response__unpack(NULL,
	    r->payload.len, r->payload.data);
	gloss__v1__rpc_response__free_unpacked(r, NULL);
	if (wr == NULL) {
		atomic_fetch_add(&F->errors, 1);
		return;
	}
	int total = F->warmup + F->nwrites;
	for (size_t i = 0; i < wr->n_events; i++) {
		int k = write_index(wr->events[i], total);
		if (k < 0)
			continue;
		uint64_t *slot = &F->recv_ns[(size_t)k * F->n + w->idx];
		if (*slot != 0)
			continue;
		*slot = now;
		if (atomic_fetch_add(&F->got[k], 1) + 1 == F->n) {
			pthread_mutex_lock(&F->mtx);
			pthread_cond_broadcast(&F->cv);
			pthread_mutex_unlock(&F->mtx);
		}
	}
	if (wr->last_seq > w->since)
		w->since = wr->last_seq;
	gloss__v1__watch_response__free_unpacked(wr, NULL);
}

/* nng calls this when a send or a receive of the watcher's aio is done. */
static void
watcher_cb(void *arg)
{
	watcher *w = arg;
	uint64_t now = gl_bench_now_ns();
	int rv = nng_aio_result(w->aio);
	if (atomic_load(&w->F->stop)) {
		if (rv == 0 && w->receiving)
			nng_msg_free(nng_aio_get_msg(w->aio));
		return;
	}
	if (!w->receiving) {
		if (rv != 0) {
			nng_msg_free(nng_aio_get_msg(w->aio));
			atomic_fetch_add(&w->F->errors, 1);
			watcher_send(w);
			return;
		}
		w->receiving = 1;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	if (rv == 0) {
		nng_msg *m = nng_aio_get_msg(w->aio);
		watcher_got(w, m, now);
		nng_msg_free(m);
	} else {
		atomic_fetch_add(&w->F->errors, 1);
	}
	watcher_send(w);
}

/* Packs an RpcRequest for method with payload into a new nng message. */
static nng_msg *
envelope(const char *method, const char *token, const void *payload, size_t len)
{
	char auth[160];
	snprintf(auth, sizeof(auth), "Bearer %s", token);
	Gloss__V1__RpcRequest__MetadataEntry me = GLOSS__V1__RPC_REQUEST__METADATA_ENTRY__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *pme = &me;
	me.key = (char *)"authorization";
	me.value = auth;
	Gloss__V1__RpcRequest rq = GLOSS__V1__RPC_REQUEST__INIT;
	rq.method = (char *)method;
	rq.metadata = &pme;
	rq.n_metadata = 1;
	rq.payload.data = (uint8_t *)payload;
	rq.payload.len = len;
	size_t n = gloss__v1__rpc_request__get_packed_size(&rq);
	nng_msg *m;
	if (nng_msg_alloc(&m, n) != 0)
		return NULL;
	gloss__v1__rpc_request__pack(&rq, nng_msg_body(m));
	return m;
}

static void
watcher_send(watcher *w)
{
	Gloss__V1__WatchRequest q = GLOSS__V1__WATCH_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.since_seq = w->since;
	q.wait_ms = WAIT_MS;
	uint8_t buf[256];
	size_t len = gloss__v1__watch_request__pack(&q, buf);
	nng_msg *m = envelope("/gloss.v1.Events/Watch", w->token, buf, len);
	if (m == NULL) {
		atomic_fetch_add(&w->F->errors, 1);
		return;
	}
	w->receiving = 0;
	nng_aio_set_msg(w->aio, m);
	nng_ctx_send(w->ctx, w->aio);
}

static int
watcher_open(watcher *w, const char *url)
{
	int rv;
	if ((rv = nng_req0_open(&w->sock)) != 0 ||
	    (rv = nng_setopt_ms(w->sock, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE)) != 0 ||
	    (rv = nng_setopt_size(w->sock, NNG_OPT_RECVMAXSZ, 64u << 20)) != 0 ||
	    (rv = nng_dial(w->sock, url, NULL, 0)) != 0 ||
	    (rv = nng_ctx_open(&w->ctx, w->sock)) != 0 ||
	    (rv = nng_aio_alloc(&w->aio, watcher_cb, w)) != 0) {
		fprintf(stderr, "watcher %d: %s\n", w->idx, nng_strerror(rv));
		return -1;
	}
	return 0;
}

/* ---- baselines -------------------------------------------------------- */

static void *
echo_main(void *arg)
{
	nng_socket *s = arg;
	for (;;) {
		nng_msg *m;
		if (nng_recvmsg(*s, &m, 0) != 0)
			return NULL;
		if (nng_sendmsg(*s, m, 0) != 0) {
			nng_msg_free(m);
			return NULL;
		}
	}
}

/* Raw nng REQ/REP round trips over loopback TCP, no glossd: p50/p99 in ms. */
static int
baseline_nng(int rounds, double *p50, double *p99)
{
	nng_socket rep, req;
	char url[64];
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", gl_bench_free_port());
	if (nng_rep0_open(&rep) != 0 || nng_listen(rep, url, NULL, 0) != 0 ||
	    nng_req0_open(&req) != 0 || nng_dial(req, url, NULL, 0) != 0)
		return -1;
	pthread_t th;
	pthread_create(&th, NULL, echo_main, &rep);
	double *v = malloc(sizeof(double) * (size_t)rounds);
	char body[400]; /* about one Watch answer with one event */
	memset(body, 'x', sizeof(body));
	for (int i = 0; i < rounds + 100; i++) {
		nng_msg *m;
		nng_msg_alloc(&m, 0);
		nng_msg_append(m, body, sizeof(body));
		uint64_t t0 = gl_bench_now_ns();
		if (nng_sendmsg(req, m, 0) != 0 || nng_recvmsg(req, &m, 0) != 0) {
			free(v);
			return -1;
		}
		uint64_t t1 = gl_bench_now_ns();
		nng_msg_free(m);
		if (i >= 100)
			v[i - 100] = (double)(t1 - t0) / 1e6;
	}
	*p50 = gl_bench_pct(v, (size_t)rounds, 50);
	*p99 = gl_bench_pct(v, (size_t)rounds, 99);
	free(v);
	nng_close(req);
	nng_close(rep);
	pthread_join(th, NULL);
	return 0;
}

static int
baseline_health(gloss_client *c, int rounds, double *p50, double *p99)
{
	double *v = malloc(sizeof(double) * (size_t)rounds);
	for (int i = 0; i < rounds + 50; i++) {
		Gloss__V1__HealthCheckRequest q = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
		Gloss__V1__HealthCheckResponse *r = NULL;
		uint64_t t0 = gl_bench_now_ns();
		int rc = gloss_health_check(c, &q, &r, NULL);
		uint64_t t1 = gl_bench_now_ns();
		gloss_free(r);
		if (rc != 0) {
			free(v);
			return gl_bench_fail("health", rc);
		}
		if (i >= 50)
			v[i - 50] = (double)(t1 - t0) / 1e6;
	}
	*p50 = gl_bench_pct(v, (size_t)rounds, 50);
	*p99 = gl_bench_pct(v, (size_t)rounds, 99);
	free(v);
	return 0;
}

/* ---- setup -------------------------------------------------------------- */

static char tokens[NTOKENS][128];

static int
make_users(gloss_client *adm)
{
	for (int i = 0; i < NTOKENS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "watcher-%d", i);
		Gloss__V1__CreateUserRequest q = GLOSS__V1__CREATE_USER_REQUEST__INIT;
		q.name = name;
		q.role = (char *)"annotator";
		Gloss__V1__CreateUserResponse *r = NULL;
		int rc = gloss_call(adm, "/gloss.v1.Users/Create", &q.base,
		    &gloss__v1__create_user_response__descriptor, (ProtobufCMessage **)&r, NULL);
		if (rc != 0)
			return gl_bench_fail("create user", rc);
		snprintf(tokens[i], sizeof(tokens[i]), "%s", r->token);
		gloss_free(r);
		Gloss__V1__AddMemberRequest mq = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
		mq.project = (char *)PROJECT;
		mq.user = name;
		mq.role = (char *)"annotator";
		if ((rc = gloss_call(adm, "/gloss.v1.Members/Add", &mq.base,
		         &gloss__v1__add_member_response__descriptor, NULL, NULL)) != 0)
			return gl_bench_fail("add member", rc);
	}
	return 0;
}

static int64_t
last_seq(gloss_client *c)
{
	Gloss__V1__HealthCheckRequest q = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *r = NULL;
	int64_t s = gloss_health_check(c, &q, &r, NULL) == 0 ? (int64_t)r->last_seq : -1;
	gloss_free(r);
	return s;
}

/* Waits until every watcher has write k, up to ms; 1 if they all have. */
static int
wait_all(fanout *F, int k, int ms)
{
	uint64_t end = gl_bench_now_ns() + (uint64_t)ms * 1000000u;
	pthread_mutex_lock(&F->mtx);
	while (atomic_load(&F->got[k]) < F->n && gl_bench_now_ns() < end) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&F->cv, &F->mtx, &ts);
	}
	pthread_mutex_unlock(&F->mtx);
	return atomic_load(&F->got[k]) >= F->n;
}

/* ---- one round: N watchers ---------------------------------------------- */

static int
run_round(const gl_bench_daemon *d, gloss_client *writer, int64_t doc, int n,
    int nwrites)
{
	fanout F;
	memset(&F, 0, sizeof(F));
	F.n = n;
	F.warmup = 3;
	F.nwrites = nwrites;
	int total = F.warmup + nwrites;
	F.w = calloc((size_t)n, sizeof(*F.w));
	F.recv_ns = calloc((size_t)total * (size_t)n, sizeof(uint64_t));
	F.got = calloc((size_t)total, sizeof(atomic_int));
	uint64_t *send_ns = calloc((size_t)total, sizeof(uint64_t));
	uint64_t *ack_ns = calloc((size_t)total, sizeof(uint64_t));
	pthread_mutex_init(&F.mtx, NULL);
	pthread_cond_init(&F.cv, NULL);
	int64_t since = last_seq(writer);
	uint64_t t_open = gl_bench_now_ns();
	for (int i = 0; i < n; i++) {
		watcher *w = &F.w[i];
		w->F = &F;
		w->idx = i;
		w->token = tokens[i % NTOKENS];
		w->since = since;
		if (watcher_open(w, d->tcp_url) != 0)
			return -1;
	}
	for (int i = 0; i < n; i++)
		watcher_send(&F.w[i]);
	double open_ms = (double)(gl_bench_now_ns() - t_open) / 1e6;
	usleep((useconds_t)(300 + n) * 1000); /* let them park */

	int lost = 0;
	for (int k = 0; k < total; k++) {
		Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
		Gloss__V1__AnnotationInput *pin = &in;
		char value[16];
		snprintf(value, sizeof(value), "w%d", k);
		in.document_id = doc;
		in.layer = (char *)"actor";
		in.label = (char *)"GOV";
		in.start = k % 40;
		in.end = k % 40 + 5;
		in.value = value;
		Gloss__V1__CreateAnnotationsRequest q = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		q.n_annotations = 1;
		q.annotations = &pin;
		Gloss__V1__CreateAnnotationsResponse *r = NULL;
		send_ns[k] = gl_bench_now_ns();
		int rc = gloss_annotations_create(writer, &q, &r, NULL);
		ack_ns[k] = gl_bench_now_ns();
		gloss_free(r);
		if (rc != 0)
			return gl_bench_fail("write", rc);
		if (!wait_all(&F, k, 10000))
			lost++;
		usleep(GAP_MS * 1000);
	}

	atomic_store(&F.stop, 1);
	for (int i = 0; i < n; i++)
		nng_aio_stop(F.w[i].aio);
	for (int i = 0; i < n; i++) {
		nng_aio_free(F.w[i].aio);
		nng_ctx_close(F.w[i].ctx);
		nng_close(F.w[i].sock);
	}

	/* Only the measured writes: ack -> receipt, send -> receipt, write. */
	size_t ns = (size_t)nwrites * (size_t)n, m = 0, neg = 0;
	double *lat = malloc(sizeof(double) * ns), *full = malloc(sizeof(double) * ns);
	double *wlat = malloc(sizeof(double) * (size_t)nwrites);
	double *spread = malloc(sizeof(double) * (size_t)nwrites);
	for (int k = F.warmup; k < total; k++) {
		uint64_t first = UINT64_MAX, last = 0;
		for (int i = 0; i < n; i++) {
			uint64_t t = F.recv_ns[(size_t)k * n + i];
			if (t == 0)
				continue;
			lat[m] = ((double)t - (double)ack_ns[k]) / 1e6;
			full[m] = ((double)t - (double)send_ns[k]) / 1e6;
			neg += lat[m] < 0;
			m++;
			first = t < first ? t : first;
			last = t > last ? t : last;
		}
		wlat[k - F.warmup] = (double)(ack_ns[k] - send_ns[k]) / 1e6;
		spread[k - F.warmup] = last >= first ? (double)(last - first) / 1e6 : 0;
	}
	printf("N=%-4d writes=%-3d receipts=%zu/%zu  ack->receipt p50 %6.2f ms  p99 %6.2f ms"
	    "  max %6.2f ms | write->receipt p50 %6.2f p99 %6.2f | write ack p50 %5.2f"
	    " p99 %5.2f | spread first..last p50 %5.2f p99 %5.2f | %zu before ack,"
	    " %d writes not seen by all, %d errors, dial %.0f ms\n",
	    n, nwrites, m, ns,
	    gl_bench_pct(lat, m, 50), gl_bench_pct(lat, m, 99), gl_bench_pct(lat, m, 100),
	    gl_bench_pct(full, m, 50), gl_bench_pct(full, m, 99),
	    gl_bench_pct(wlat, (size_t)nwrites, 50), gl_bench_pct(wlat, (size_t)nwrites, 99),
	    gl_bench_pct(spread, (size_t)nwrites, 50), gl_bench_pct(spread, (size_t)nwrites, 99),
	    neg, lost, atomic_load(&F.errors), open_ms);
	fflush(stdout);
	free(lat);
	free(full);
	free(wlat);
	free(spread);
	free(F.w);
	free(F.recv_ns);
	free(F.got);
	free(send_ns);
	free(ack_ns);
	pthread_mutex_destroy(&F.mtx);
	pthread_cond_destroy(&F.cv);
	return 0;
}

int
main(int argc, char **argv)
{
	int quick = gl_bench_quick(argc, argv);
	/* 500 watchers: 500 sockets here and 500 in glossd (which inherits this). */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	gl_bench_daemon d;
	memset(&d, 0, sizeof(d));
	if (gl_bench_daemon_start(&d, NULL, NULL) != 0)
		return 1;
	gloss_client *writer = gl_bench_connect(d.tcp_url);
	if (gl_bench_project(writer, PROJECT) != 0 || make_users(writer) != 0) {
		gl_bench_daemon_stop(&d);
		return 1;
	}
	int64_t doc;
	{
		int64_t ids[1];
		long long bytes;
		if (gl_bench_import(writer, PROJECT, 7, 1, 2000, 1, &bytes, ids) != 0) {
			gl_bench_daemon_stop(&d);
			return 1;
		}
		doc = ids[0];
	}
	char fs[32];
	gl_bench_fs_type(d.dir, fs, sizeof(fs));
	printf("fanout: glossd over %s (data on %s, %ld cores), one writer, N watchers "
	    "each on its own REQ socket long-polling Events/Watch (nng aio), %d ms "
	    "between writes\n", d.tcp_url, fs, sysconf(_SC_NPROCESSORS_ONLN), GAP_MS);
	double b50 = 0, b99 = 0;
	if (baseline_nng(quick ? 500 : 3000, &b50, &b99) == 0)
		printf("baseline: raw nng REQ/REP round trip, 400 B, loopback TCP, no glossd: "
		    "p50 %.3f ms  p99 %.3f ms\n", b50, b99);
	gloss_client *hc = gl_bench_connect(d.tcp_url);
	if (baseline_health(hc, quick ? 300 : 2000, &b50, &b99) == 0)
		printf("baseline: Health/Check through glossd over TCP: p50 %.3f ms  p99 %.3f ms\n",
		    b50, b99);
	gloss_close(hc);
	static const int ns[] = { 10, 100, 500 };
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		int nw = quick ? 10 : (ns[i] >= 500 ? 40 : 100);
		if (run_round(&d, writer, doc, ns[i], nw) != 0)
			break;
	}
	printf("target: ack->receipt p99 <= 20 ms at N=100\n");
	gloss_close(writer);
	gl_bench_daemon_stop(&d);
	return 0;
}
