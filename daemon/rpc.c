/*
 * rpc.c - the gRPC-style call layer (see rpc.h for the threading model).
 *
 * A context moves RECV -> (queued to the loop) -> BUSY -> SEND -> RECV.
 * Only the aio callback touches a context in RECV and SEND; only the loop
 * thread touches it in BUSY, so no lock guards a context: the hand-over
 * is the mutex-protected queue in one direction and nng_ctx_send in the
 * other.
 */
#include "daemon/rpc.h"

#include <errno.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/platform.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/sha256.h"
#include "common/utf8.h"
#include "daemon/pb.h"
#include "gloss/v1/rpc.pb-c.h"

#define GL_RPC_MAX_SERVICES 32

typedef struct gl_rpc_ctx gl_rpc_ctx;
struct gl_rpc_ctx {
	gl_rpc *rpc;
	nng_ctx ctx;
	nng_aio *aio;
	int sending;          /* which operation the aio is doing */
	uint64_t recv_ns;     /* uv_hrtime() when the request arrived */
	nng_msg *msg;         /* the request, while queued */
	gl_rpc_ctx *next;     /* queue link */
	gl_rpc_ctx *all_next; /* every context, for shutdown */
};

typedef struct gl_rpc_service {
	const ProtobufCServiceDescriptor *desc;
	const gl_rpc_method **by_index; /* parallel to desc->methods */
	void *arg;
} gl_rpc_service;

struct gl_call {
	gl_rpc *rpc;
	gl_rpc_ctx *ctx;
	gl_arena arena;
	const Gloss__V1__RpcRequest *req;
	const gl_rpc_method *method;
	gl_user user;
	int authed;
	uint64_t deadline_ns; /* 0: none */
	int done;
	int in_write;         /* inside a write savepoint */
	Gloss__V1__RpcResponse__DetailsEntry **details;
	size_t ndetails, detail_cap;
	gl_call *held_next;   /* replies held until the group commit */
	nng_msg *reply;
	int reply_code;
	uint8_t *reply_payload;  /* for request-id recording */
	size_t reply_payload_len;
};

struct gl_rpc {
	uv_loop_t *loop;
	gl_store *store;
	gl_rpc_config cfg;
	nng_socket sock;
	int sock_open;
	nng_listener *listeners;
	size_t nlisteners;
	nng_tls_config *tls;
	gl_rpc_service services[GL_RPC_MAX_SERVICES];
	size_t nservices;

	uv_async_t wake;
	uv_check_t commit_check;
	nng_mtx *mtx;
	gl_rpc_ctx *q_head, *q_tail; /* guarded by mtx */
	int closing;                 /* guarded by mtx: stop re-arming */
	unsigned waiting;            /* contexts in RECV; guarded by mtx */
	unsigned sending;            /* answers handed to nng; guarded by mtx */
	gl_rpc_ctx *all;
	unsigned nctx;

	gl_call *held_head, *held_tail;
	gl_rpc_commit_fn on_commit;
	void *on_commit_arg;

	int draining;
	unsigned in_flight; /* calls dispatched and not yet answered */
	uint64_t probe_seen; /* newest "x-gloss-probe" nonce dispatched */
	void (*drain_done)(void *);
	void *drain_arg;
};

static void gl_rpc_aio_cb(void *arg);
static void gl_rpc_send(gl_rpc *rpc, gl_call *c);
static void gl_rpc_drain_check(gl_rpc *rpc);

/* ---- contexts ------------------------------------------------------- */

static int
gl_rpc_ctx_open(gl_rpc *rpc)
{
	gl_rpc_ctx *x = calloc(1, sizeof(*x));
	if (x == NULL)
		return -GL_RESOURCE_EXHAUSTED;
	x->rpc = rpc;
	if (nng_ctx_open(&x->ctx, rpc->sock) != 0) {
		free(x);
		return -GL_INTERNAL;
	}
	if (nng_aio_alloc(&x->aio, gl_rpc_aio_cb, x) != 0) {
		nng_ctx_close(x->ctx);
		free(x);
		return -GL_RESOURCE_EXHAUSTED;
	}
	x->all_next = rpc->all;
	rpc->all = x;
	rpc->nctx++;
	nng_mtx_lock(rpc->mtx);
	rpc->waiting++;
	nng_mtx_unlock(rpc->mtx);
	nng_ctx_recv(x->ctx, x->aio);
	return 0;
}

/* nng thread: never blocks, never touches loop state. */
static void
gl_rpc_aio_cb(void *arg)
{
	gl_rpc_ctx *x = arg;
	gl_rpc *rpc = x->rpc;
	int rv = nng_aio_result(x->aio);

	if (x->sending) {
		x->sending = 0;
		if (rv != 0) {
			/* The peer went away; its answer has nowhere to go. */
			nng_msg_free(nng_aio_get_msg(x->aio));
		}
		nng_mtx_lock(rpc->mtx);
		rpc->sending--;
		int closing = rpc->closing;
		if (!closing)
			rpc->waiting++;
		nng_mtx_unlock(rpc->mtx);
		if (!closing)
			nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	if (rv != 0) {
		nng_mtx_lock(rpc->mtx);
		int closing = rpc->closing;
		nng_mtx_unlock(rpc->mtx);
		if (rv != NNG_ECLOSED && rv != NNG_ECANCELED && !closing)
			nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	x->msg = nng_aio_get_msg(x->aio);
	x->recv_ns = uv_hrtime();
	x->next = NULL;
	nng_mtx_lock(rpc->mtx);
	rpc->waiting--;
	if (rpc->q_tail)
		rpc->q_tail->next = x;
	else
		rpc->q_head = x;
	rpc->q_tail = x;
	nng_mtx_unlock(rpc->mtx);
	uv_async_send(&rpc->wake);
}

/* ---- replies -------------------------------------------------------- */

static void
gl_call_free(gl_call *c)
{
	gl_arena_reset(&c->arena);
	free(c);
}

/*
 * Messages quote client input (titles, quotes) and may cut it short, so
 * they can hold invalid UTF-8; proto3 strings must not, or strict clients
 * fail to decode the answer.  Bad bytes become '?'.
 */
static const char *
gl_rpc_clean_utf8(gl_arena *a, const char *msg)
{
	size_t n = strlen(msg), bad;
	if (gl_utf8_validate(msg, n, &bad) == 0)
		return msg;
	char *out = gl_arena_strdup(a, msg);
	if (out == NULL)
		return "(unprintable message)";
	while (gl_utf8_validate(out, n, &bad) != 0)
		out[bad] = '?';
	return out;
}

/* Packs the envelope; on ENOMEM falls back to a bare INTERNAL answer. */
static nng_msg *
gl_rpc_build(gl_call *c, int code, const char *message, const uint8_t *payload,
    size_t len)
{
	Gloss__V1__RpcResponse r = GLOSS__V1__RPC_RESPONSE__INIT;
	r.code = (Gloss__V1__Code)code;
	r.message = (char *)gl_rpc_clean_utf8(&c->arena, message ? message : "");
	r.n_details = c->ndetails;
	r.details = c->details;
	r.payload.data = (uint8_t *)payload;
	r.payload.len = len;
	size_t n = gloss__v1__rpc_response__get_packed_size(&r);
	nng_msg *m;
	if (nng_msg_alloc(&m, n) != 0)
		return NULL;
	gloss__v1__rpc_response__pack(&r, nng_msg_body(m));
	return m;
}

static void
gl_call_finish(gl_call *c, int code, const char *message,
    const uint8_t *payload, size_t len)
{
	gl_rpc *rpc = c->rpc;
	if (c->done) {
		gl_log(GL_LOG_ERROR, "rpc", "%s answered twice (bug)",
		    c->req ? c->req->method : "?");
		return;
	}
	c->done = 1;
	if (code == GL_OK && c->deadline_ns && uv_hrtime() > c->deadline_ns) {
		code = GL_DEADLINE_EXCEEDED;
		message = "the call's deadline passed before it finished; "
		          "nothing was changed";
		payload = NULL;
		len = 0;
	}
	c->reply_code = code;
	if (c->in_write) {
		/* Record the first answer so a retry with the same id gets it. */
		const char *rid = c->req ? c->req->request_id : NULL;
		int ok = code == GL_OK;
		if (ok && rid && rid[0]) {
			gl_err e;
			if (gl_store_request_put(rpc->store, rid, c->req->method,
			        code, payload, len, &e) != 0) {
				ok = 0;
				code = GL_UNAVAILABLE;
				message = e.msg;
				payload = NULL;
				len = 0;
			}
		}
		gl_store_call_end(rpc->store, ok);
		c->in_write = 0;
		c->reply_code = code;
	}
	c->reply = gl_rpc_build(c, code, message, payload, len);
	if (gl_store_in_txn(rpc->store)) {
		/*
		 * A group transaction is open: this answer may rest on rows
		 * that are not on disk yet, so it waits for the commit.
		 */
		c->held_next = NULL;
		if (rpc->held_tail)
			rpc->held_tail->held_next = c;
		else
			rpc->held_head = c;
		rpc->held_tail = c;
		return;
	}
	gl_rpc_send(rpc, c);
}

static void
gl_rpc_send(gl_rpc *rpc, gl_call *c)
{
	gl_rpc_ctx *x = c->ctx;
	nng_msg *m = c->reply;
	if (m == NULL) {
		/* Out of memory: try a tiny answer so the client is not left hanging. */
		c->ndetails = 0;
		m = gl_rpc_build(c, GL_RESOURCE_EXHAUSTED, "out of memory", NULL, 0);
	}
	gl_call_free(c);
	rpc->in_flight--;
	if (m == NULL) {
		/* Nothing can be sent: give the context back to receiving. */
		nng_mtx_lock(rpc->mtx);
		rpc->waiting++;
		nng_mtx_unlock(rpc->mtx);
		nng_ctx_recv(x->ctx, x->aio);
	} else {
		x->sending = 1;
		nng_mtx_lock(rpc->mtx);
		rpc->sending++;
		nng_mtx_unlock(rpc->mtx);
		nng_aio_set_msg(x->aio, m);
		nng_ctx_send(x->ctx, x->aio);
	}
	gl_rpc_drain_check(rpc);
}

void
gl_rpc_flush(gl_rpc *rpc)
{
	if (rpc->held_head == NULL && !gl_store_in_txn(rpc->store))
		return;
	gl_err err;
	int rc = gl_store_commit(rpc->store, &err);
	gl_call *c = rpc->held_head;
	rpc->held_head = rpc->held_tail = NULL;
	while (c != NULL) {
		gl_call *next = c->held_next;
		if (rc != 0 && c->reply_code == GL_OK) {
			/* The group failed to reach the disk: nobody may think it did. */
			if (c->reply)
				nng_msg_free(c->reply);
			c->ndetails = 0;
			c->reply = gl_rpc_build(c, GL_UNAVAILABLE, err.msg, NULL, 0);
		}
		gl_rpc_send(rpc, c);
		c = next;
	}
	if (rc == 0 && rpc->on_commit)
		rpc->on_commit(rpc->on_commit_arg);
}

static void
gl_rpc_check_cb(uv_check_t *h)
{
	gl_rpc *rpc = h->data;
	gl_rpc_flush(rpc);
	gl_store_idle(rpc->store);
}

/* ---- dispatch ------------------------------------------------------- */

static const gl_rpc_method *
gl_rpc_find(gl_rpc *rpc, const char *path, const ProtobufCMethodDescriptor **md,
    void **arg)
{
	/* "/gloss.v1.Documents/Import" */
	if (path == NULL || path[0] != '/')
		return NULL;
	const char *slash = strrchr(path, '/');
	if (slash == path)
		return NULL;
	size_t svc_len = (size_t)(slash - path - 1);
	for (size_t i = 0; i < rpc->nservices; i++) {
		gl_rpc_service *s = &rpc->services[i];
		if (strlen(s->desc->name) != svc_len ||
		    memcmp(s->desc->name, path + 1, svc_len) != 0)
			continue;
		const ProtobufCMethodDescriptor *m =
		    protobuf_c_service_descriptor_get_method_by_name(s->desc, slash + 1);
		if (m == NULL)
			return NULL;
		*md = m;
		*arg = s->arg;
		return s->by_index[m - s->desc->methods];
	}
	return NULL;
}

static int
gl_rpc_auth(gl_rpc *rpc, gl_call *c, gl_err *err)
{
	const char *h = gl_call_metadata(c, "authorization");
	if (h == NULL || h[0] == '\0')
		return gl_err_set(err, GL_UNAUTHENTICATED,
		    "no token: send metadata \"authorization: Bearer <token>\"");
	if (strncmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
		return gl_err_set(err, GL_UNAUTHENTICATED,
		    "malformed authorization metadata: expected \"Bearer <token>\"");
	char hex[65];
	gl_sha256_hex(h + 7, strlen(h + 7), hex);
	int rc = gl_store_token_lookup(rpc->store, hex, &c->user, err);
	if (rc == -GL_NOT_FOUND)
		return gl_err_set(err, GL_UNAUTHENTICATED, "unknown or revoked token");
	if (rc != 0)
		return rc;
	c->authed = 1;
	return 0;
}

static void
gl_rpc_dispatch(gl_rpc *rpc, gl_rpc_ctx *x)
{
	nng_msg *m = x->msg;
	x->msg = NULL;
	gl_call *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		nng_msg_free(m);
		nng_mtx_lock(rpc->mtx);
		rpc->waiting++;
		nng_mtx_unlock(rpc->mtx);
		nng_ctx_recv(x->ctx, x->aio);
		return;
	}
	c->rpc = rpc;
	c->ctx = x;
	gl_arena_init(&c->arena, 0);
	rpc->in_flight++;

	/* Keep enough contexts receiving that a long poll never starves calls. */
	nng_mtx_lock(rpc->mtx);
	unsigned waiting = rpc->waiting;
	nng_mtx_unlock(rpc->mtx);
	if (waiting < 2 && rpc->nctx < rpc->cfg.max_contexts && !rpc->draining)
		gl_rpc_ctx_open(rpc);

	size_t len = nng_msg_len(m);
	if (len > rpc->cfg.max_message) {
		nng_msg_free(m);
		char msg[160];
		snprintf(msg, sizeof(msg), "request of %zu bytes is over the "
		    "server's limit of %zu bytes (--max-message)", len,
		    rpc->cfg.max_message);
		gl_call_finish(c, GL_RESOURCE_EXHAUSTED, msg, NULL, 0);
		return;
	}
	ProtobufCAllocator alloc;
	gl_pb_allocator(&c->arena, &alloc);
	c->req = gloss__v1__rpc_request__unpack(&alloc, len, nng_msg_body(m));
	nng_msg_free(m);
	if (c->req == NULL) {
		gl_call_finish(c, GL_INVALID_ARGUMENT,
		    "the request is not a valid gloss.v1.RpcRequest message", NULL, 0);
		return;
	}
	if (c->req->timeout_ms)
		c->deadline_ns = x->recv_ns + (uint64_t)c->req->timeout_ms * 1000000u;
	const char *probe = gl_call_metadata(c, "x-gloss-probe");
	if (probe != NULL)
		rpc->probe_seen = strtoull(probe, NULL, 10);

	const ProtobufCMethodDescriptor *md = NULL;
	void *arg = NULL;
	const gl_rpc_method *method = gl_rpc_find(rpc, c->req->method, &md, &arg);
	if (method == NULL) {
		char msg[320];
		snprintf(msg, sizeof(msg), "unknown method \"%.200s\"", c->req->method);
		gl_call_finish(c, GL_UNIMPLEMENTED, msg, NULL, 0);
		return;
	}
	c->method = method;
	if (rpc->draining && !(method->flags & GL_RPC_NOAUTH)) {
		gl_call_finish(c, GL_UNAVAILABLE,
		    "the server is shutting down; retry on another instance or later",
		    NULL, 0);
		return;
	}
	if (c->deadline_ns && uv_hrtime() > c->deadline_ns) {
		gl_call_finish(c, GL_DEADLINE_EXCEEDED,
		    "the call's deadline passed before it was started", NULL, 0);
		return;
	}
	gl_err err;
	int rc;
	if (!(method->flags & GL_RPC_NOAUTH) && (rc = gl_rpc_auth(rpc, c, &err)) != 0) {
		gl_call_finish(c, -rc, err.msg, NULL, 0);
		return;
	}
	const ProtobufCMessage *in = protobuf_c_message_unpack(md->input, &alloc,
	    c->req->payload.len, c->req->payload.data);
	if (in == NULL) {
		char msg[200];
		snprintf(msg, sizeof(msg), "the payload is not a valid %s message",
		    md->input->name);
		gl_call_finish(c, GL_INVALID_ARGUMENT, msg, NULL, 0);
		return;
	}
	if (method->flags & GL_RPC_WRITE) {
		if ((rc = gl_store_call_begin(rpc->store, &err)) != 0) {
			gl_call_finish(c, -rc, err.msg, NULL, 0);
			return;
		}
		c->in_write = 1;
		const char *rid = c->req->request_id;
		if (rid && rid[0]) {
			int code;
			uint8_t *resp;
			size_t rlen;
			rc = gl_store_request_get(rpc->store, rid, c->req->method,
			    &c->arena, &code, &resp, &rlen, &err);
			if (rc == 0) {
				/* A retry: answer as the first time, apply nothing. */
				gl_store_call_end(rpc->store, 1);
				c->in_write = 0;
				gl_call_detail(c, "replayed", "true");
				gl_call_finish(c, code, "", resp, rlen);
				return;
			}
			if (rc != -GL_NOT_FOUND) {
				gl_call_finish(c, -rc, err.msg, NULL, 0);
				return;
			}
		}
	}
	method->fn(c, in, arg);
	if ((method->flags & GL_RPC_WRITE) && !c->done) {
		gl_log(GL_LOG_ERROR, "rpc", "write handler %s returned without "
		    "answering (bug)", c->req->method);
		gl_call_finish(c, GL_INTERNAL, "internal error", NULL, 0);
	}
}

static void
gl_rpc_wake_cb(uv_async_t *h)
{
	gl_rpc *rpc = h->data;
	for (;;) {
		nng_mtx_lock(rpc->mtx);
		gl_rpc_ctx *x = rpc->q_head;
		rpc->q_head = rpc->q_tail = NULL;
		nng_mtx_unlock(rpc->mtx);
		if (x == NULL)
			break;
		while (x != NULL) {
			gl_rpc_ctx *next = x->next;
			gl_rpc_dispatch(rpc, x);
			x = next;
		}
	}
}

/* ---- handler API ---------------------------------------------------- */

gl_arena *
gl_call_arena(gl_call *c)
{
	return &c->arena;
}

const gl_user *
gl_call_user(const gl_call *c)
{
	return c->authed ? &c->user : NULL;
}

const char *
gl_call_method(const gl_call *c)
{
	return c->req ? c->req->method : "";
}

const char *
gl_call_metadata(const gl_call *c, const char *key)
{
	if (c->req == NULL)
		return NULL;
	for (size_t i = 0; i < c->req->n_metadata; i++) {
		const Gloss__V1__RpcRequest__MetadataEntry *e = c->req->metadata[i];
		if (e->key && strcasecmp(e->key, key) == 0)
			return e->value ? e->value : "";
	}
	return NULL;
}

uint32_t
gl_call_remaining_ms(const gl_call *c)
{
	if (!c->deadline_ns)
		return UINT32_MAX;
	uint64_t now = uv_hrtime();
	if (now >= c->deadline_ns)
		return 0;
	uint64_t ms = (c->deadline_ns - now) / 1000000u;
	return ms > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)ms;
}

gl_store *
gl_call_store(gl_call *c)
{
	return c->rpc->store;
}

void
gl_call_detail(gl_call *c, const char *key, const char *value)
{
	if (c->ndetails == c->detail_cap) {
		size_t ncap = c->detail_cap ? c->detail_cap * 2 : 4;
		void *nv = gl_arena_alloc(&c->arena, ncap * sizeof(*c->details));
		if (nv == NULL)
			return;
		if (c->ndetails)
			memcpy(nv, c->details, c->ndetails * sizeof(*c->details));
		c->details = nv;
		c->detail_cap = ncap;
	}
	Gloss__V1__RpcResponse__DetailsEntry *e = gl_pb_new(&c->arena,
	    &gloss__v1__rpc_response__details_entry__descriptor);
	if (e == NULL)
		return;
	e->key = gl_pb_str(&c->arena, key);
	e->value = gl_pb_str(&c->arena, value);
	c->details[c->ndetails++] = e;
}

void
gl_call_reply(gl_call *c, const ProtobufCMessage *resp)
{
	size_t len = 0;
	uint8_t *buf = gl_pb_pack(&c->arena, resp, &len);
	if (buf == NULL) {
		gl_call_finish(c, GL_RESOURCE_EXHAUSTED, "out of memory", NULL, 0);
		return;
	}
	gl_call_finish(c, GL_OK, "", buf, len);
}

void
gl_call_fail(gl_call *c, int code, const char *msg)
{
	gl_call_finish(c, code, msg, NULL, 0);
}

void
gl_call_fail_err(gl_call *c, int rc, const gl_err *err)
{
	gl_call_finish(c, rc < 0 ? -rc : GL_INTERNAL, err->msg, NULL, 0);
}

/* ---- lifecycle ------------------------------------------------------ */

int
gl_rpc_new(uv_loop_t *loop, gl_store *store, const gl_rpc_config *cfg,
    gl_rpc **out, gl_err *err)
{
	gl_rpc *rpc = calloc(1, sizeof(*rpc));
	if (rpc == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	rpc->loop = loop;
	rpc->store = store;
	rpc->cfg = *cfg;
	if (rpc->cfg.max_message == 0)
		rpc->cfg.max_message = 16u << 20;
	if (rpc->cfg.contexts == 0)
		rpc->cfg.contexts = 16;
	if (rpc->cfg.max_contexts < rpc->cfg.contexts)
		rpc->cfg.max_contexts = 8192;
	if (nng_mtx_alloc(&rpc->mtx) != 0) {
		free(rpc);
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	uv_async_init(loop, &rpc->wake, gl_rpc_wake_cb);
	rpc->wake.data = rpc;
	uv_check_init(loop, &rpc->commit_check);
	rpc->commit_check.data = rpc;
	uv_check_start(&rpc->commit_check, gl_rpc_check_cb);
	*out = rpc;
	return 0;
}

int
gl_rpc_register(gl_rpc *rpc, const ProtobufCServiceDescriptor *svc,
    const gl_rpc_method *methods, size_t n, void *arg, gl_err *err)
{
	if (rpc->nservices == GL_RPC_MAX_SERVICES)
		return gl_err_set(err, GL_INTERNAL, "too many services");
	gl_rpc_service *s = &rpc->services[rpc->nservices];
	s->by_index = calloc(svc->n_methods, sizeof(*s->by_index));
	if (s->by_index == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const ProtobufCMethodDescriptor *m =
		    protobuf_c_service_descriptor_get_method_by_name(svc, methods[i].name);
		if (m == NULL) {
			free(s->by_index);
			return gl_err_set(err, GL_INTERNAL, "%s has no method %s",
			    svc->name, methods[i].name);
		}
		s->by_index[m - svc->methods] = &methods[i];
	}
	for (unsigned i = 0; i < svc->n_methods; i++) {
		if (s->by_index[i] == NULL) {
			free(s->by_index);
			return gl_err_set(err, GL_INTERNAL, "%s/%s has no handler",
			    svc->name, svc->methods[i].name);
		}
	}
	s->desc = svc;
	s->arg = arg;
	rpc->nservices++;
	return 0;
}

void
gl_rpc_on_commit(gl_rpc *rpc, gl_rpc_commit_fn fn, void *arg)
{
	rpc->on_commit = fn;
	rpc->on_commit_arg = arg;
}

static int
gl_rpc_read_file(const char *path, char **out, gl_err *err)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return gl_err_set(err, GL_INVALID_ARGUMENT, "cannot read %s: %s",
		    path, strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int
gl_rpc_tls(gl_rpc *rpc, gl_err *err)
{
	if (rpc->tls != NULL)
		return 0;
	if (rpc->cfg.tls_cert == NULL || rpc->cfg.tls_key == NULL)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "tls+tcp:// and wss:// need --tls-cert and --tls-key");
	char *cert = NULL, *key = NULL;
	int rc = gl_rpc_read_file(rpc->cfg.tls_cert, &cert, err);
	if (rc == 0)
		rc = gl_rpc_read_file(rpc->cfg.tls_key, &key, err);
	if (rc == 0) {
		int rv = nng_tls_config_alloc(&rpc->tls, NNG_TLS_MODE_SERVER);
		if (rv == 0)
			rv = nng_tls_config_own_cert(rpc->tls, cert, key, NULL);
		if (rv != 0)
			rc = gl_err_set(err, GL_INVALID_ARGUMENT,
			    "cannot use %s / %s as TLS certificate and key: %s",
			    rpc->cfg.tls_cert, rpc->cfg.tls_key, nng_strerror(rv));
	}
	free(cert);
	free(key);
	return rc;
}

/* The hard receive limit nng enforces (see gl_rpc_start). */
static size_t
gl_rpc_hard_limit(const gl_rpc *rpc)
{
	return rpc->cfg.max_message > SIZE_MAX / 2 ? SIZE_MAX
	                                           : rpc->cfg.max_message * 2 + 65536;
}

static int
gl_rpc_listen_one(gl_rpc *rpc, const char *url, nng_listener *out, gl_err *err)
{
	nng_listener l;
	int rv;
	if ((rv = nng_listener_create(&l, rpc->sock, url)) != 0)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "cannot listen on %s: %s", url, nng_strerror(rv));
	nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, gl_rpc_hard_limit(rpc));
	if (strncmp(url, "tls+", 4) == 0 || strncmp(url, "wss://", 6) == 0) {
		int rc = gl_rpc_tls(rpc, err);
		if (rc != 0) {
			nng_listener_close(l);
			return rc;
		}
		if ((rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, rpc->tls)) != 0) {
			nng_listener_close(l);
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "cannot set TLS on %s: %s", url, nng_strerror(rv));
		}
	}
	if ((rv = nng_listener_start(l, 0)) != 0) {
		nng_listener_close(l);
		return gl_err_set(err, GL_UNAVAILABLE, "cannot listen on %s: %s",
		    url, nng_strerror(rv));
	}
	*out = l;
	return 0;
}

uint64_t
gl_rpc_probe_seen(const gl_rpc *rpc)
{
	return rpc->probe_seen;
}

size_t
gl_rpc_listener_count(const gl_rpc *rpc)
{
	return rpc->nlisteners;
}

const char *
gl_rpc_listener_url(const gl_rpc *rpc, size_t i)
{
	return i < rpc->nlisteners ? rpc->cfg.listen[i] : NULL;
}

int
gl_rpc_relisten(gl_rpc *rpc, size_t i, gl_err *err)
{
	if (i >= rpc->nlisteners)
		return gl_err_set(err, GL_INVALID_ARGUMENT, "no listener %zu", i);
	nng_listener_close(rpc->listeners[i]);
	return gl_rpc_listen_one(rpc, rpc->cfg.listen[i], &rpc->listeners[i], err);
}

int
gl_rpc_start(gl_rpc *rpc, gl_err *err)
{
	int rv = nng_rep0_open(&rpc->sock);
	if (rv != 0)
		return gl_err_set(err, GL_INTERNAL, "cannot open REP socket: %s",
		    nng_strerror(rv));
	rpc->sock_open = 1;
	/*
	 * nng drops what is over RECVMAXSZ without a word, so the hard limit
	 * sits above --max-message: requests in between get a clear
	 * RESOURCE_EXHAUSTED, and only absurd ones lose the connection.
	 */
	nng_socket_set_size(rpc->sock, NNG_OPT_RECVMAXSZ, gl_rpc_hard_limit(rpc));
	rpc->listeners = calloc(rpc->cfg.nlisten ? rpc->cfg.nlisten : 1,
	    sizeof(*rpc->listeners));
	if (rpc->listeners == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < rpc->cfg.nlisten; i++) {
		const char *url = rpc->cfg.listen[i];
		nng_listener l;
		int rc = gl_rpc_listen_one(rpc, url, &l, err);
		if (rc != 0)
			return rc;
		rpc->listeners[rpc->nlisteners++] = l;
		gl_log(GL_LOG_INFO, "rpc", "listening on %s", url);
	}
	for (unsigned i = 0; i < rpc->cfg.contexts; i++)
		if (gl_rpc_ctx_open(rpc) != 0)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED,
			    "cannot open nng contexts");
	return 0;
}

static void
gl_rpc_drain_check(gl_rpc *rpc)
{
	if (rpc->draining && rpc->in_flight == 0 && rpc->drain_done != NULL) {
		void (*done)(void *) = rpc->drain_done;
		rpc->drain_done = NULL;
		done(rpc->drain_arg);
	}
}

void
gl_rpc_drain(gl_rpc *rpc, void (*done)(void *), void *arg)
{
	rpc->draining = 1;
	rpc->drain_done = done;
	rpc->drain_arg = arg;
	gl_rpc_flush(rpc);
	gl_rpc_drain_check(rpc);
}

int
gl_rpc_draining(const gl_rpc *rpc)
{
	return rpc->draining;
}

unsigned
gl_rpc_sends_pending(gl_rpc *rpc)
{
	nng_mtx_lock(rpc->mtx);
	unsigned n = rpc->sending;
	nng_mtx_unlock(rpc->mtx);
	return n;
}

size_t
gl_rpc_max_message(const gl_rpc *rpc)
{
	return rpc->cfg.max_message;
}

static void
gl_rpc_closed_cb(uv_handle_t *h)
{
	(void)h;
}

void
gl_rpc_free(gl_rpc *rpc)
{
	if (rpc == NULL)
		return;
	nng_mtx_lock(rpc->mtx);
	rpc->closing = 1;
	nng_mtx_unlock(rpc->mtx);
	/* Stop every aio first so no callback runs on a freed context. */
	for (gl_rpc_ctx *x = rpc->all; x != NULL; x = x->all_next)
		nng_aio_stop(x->aio);
	for (size_t i = 0; i < rpc->nlisteners; i++)
		nng_listener_close(rpc->listeners[i]);
	if (rpc->sock_open)
		nng_close(rpc->sock);
	gl_rpc_ctx *x = rpc->all;
	while (x != NULL) {
		gl_rpc_ctx *next = x->all_next;
		if (x->msg)
			nng_msg_free(x->msg);
		nng_aio_free(x->aio);
		free(x);
		x = next;
	}
	/* Queued, never-dispatched requests were in contexts freed above. */
	for (size_t i = 0; i < rpc->nservices; i++)
		free(rpc->services[i].by_index);
	free(rpc->listeners);
	if (rpc->tls)
		nng_tls_config_free(rpc->tls);
	uv_check_stop(&rpc->commit_check);
	uv_close((uv_handle_t *)&rpc->commit_check, gl_rpc_closed_cb);
	uv_close((uv_handle_t *)&rpc->wake, gl_rpc_closed_cb);
	/* Let the loop finish closing the handles before the memory goes. */
	uv_run(rpc->loop, UV_RUN_NOWAIT);
	nng_mtx_free(rpc->mtx);
	free(rpc);
}
