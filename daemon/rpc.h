/*
 * rpc.h - gRPC-style calls over nng REQ/REP, bridged into the libuv loop.
 *
 * nng's I/O threads receive on N contexts of one REP socket; their aio
 * callbacks only queue the message and wake the loop with uv_async_send.
 * The loop decodes the RpcRequest envelope, authenticates it, finds the
 * method through the registered ProtobufCServiceDescriptors (no per-method
 * routing), decodes the payload into the call's arena and runs the handler.
 *
 * Writes are group-committed: every write call of one loop turn runs in
 * its own savepoint of one transaction, and their replies are held until
 * that transaction commits (in a uv_check handle at the end of the turn),
 * so concurrent writers share one fsync and an acknowledged write is on
 * disk.
 */
#ifndef GL_RPC_H
#define GL_RPC_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/arena.h"
#include "common/status.h"
#include "daemon/store.h"

typedef struct gl_rpc gl_rpc;
typedef struct gl_call gl_call;

enum {
	GL_RPC_READ = 0,      /* may reply later (long polls) */
	GL_RPC_WRITE = 1 << 0, /* runs in a savepoint; must reply before returning */
	GL_RPC_NOAUTH = 1 << 1, /* needs no token (Health) */
};

typedef void (*gl_rpc_handler_fn)(gl_call *call, const ProtobufCMessage *req,
    void *arg);

typedef struct gl_rpc_method {
	const char *name; /* the method's short name in the service, "Import" */
	gl_rpc_handler_fn fn;
	unsigned flags;
} gl_rpc_method;

typedef struct gl_rpc_config {
	const char *const *listen; /* URLs: tcp://, ipc://, ws://, tls+tcp://, wss:// */
	size_t nlisten;
	size_t max_message;        /* bytes; larger requests get RESOURCE_EXHAUSTED */
	const char *tls_cert;      /* PEM files, for tls+tcp:// and wss:// */
	const char *tls_key;
	unsigned contexts;         /* initial number of nng contexts */
	unsigned max_contexts;     /* more are opened while all are busy */
} gl_rpc_config;

/* Called after each successful group commit (e.g. to wake watchers). */
typedef void (*gl_rpc_commit_fn)(void *arg);

int gl_rpc_new(uv_loop_t *loop, gl_store *store, const gl_rpc_config *cfg,
    gl_rpc **out, gl_err *err);
/* Every method of svc must be in methods; the table must outlive rpc. */
int gl_rpc_register(gl_rpc *rpc, const ProtobufCServiceDescriptor *svc,
    const gl_rpc_method *methods, size_t n, void *arg, gl_err *err);
void gl_rpc_on_commit(gl_rpc *rpc, gl_rpc_commit_fn fn, void *arg);
/* Opens the socket and every listener. */
int gl_rpc_start(gl_rpc *rpc, gl_err *err);
/*
 * From now on new calls are answered UNAVAILABLE (Health: NOT_SERVING);
 * in-flight calls finish.  done(arg) runs on the loop once none is left.
 */
void gl_rpc_drain(gl_rpc *rpc, void (*done)(void *), void *arg);
int gl_rpc_draining(const gl_rpc *rpc);
/* Answers handed to nng whose send has not completed yet. */
unsigned gl_rpc_sends_pending(gl_rpc *rpc);
/* The listeners, in --listen order, and a way to start one afresh. */
size_t gl_rpc_listener_count(const gl_rpc *rpc);
const char *gl_rpc_listener_url(const gl_rpc *rpc, size_t i);
int gl_rpc_relisten(gl_rpc *rpc, size_t i, gl_err *err);
/* The newest nonce of a call that carried "x-gloss-probe" metadata. */
uint64_t gl_rpc_probe_seen(const gl_rpc *rpc);
/* Closes the socket and frees everything (after the drain). */
void gl_rpc_free(gl_rpc *rpc);
size_t gl_rpc_max_message(const gl_rpc *rpc);
/* Commits the open group transaction now, if any, and flushes held replies. */
void gl_rpc_flush(gl_rpc *rpc);

/* ---- for handlers ---------------------------------------------------- */

gl_arena *gl_call_arena(gl_call *c);       /* freed when the call ends */
const gl_user *gl_call_user(const gl_call *c); /* NULL for NOAUTH methods */
const char *gl_call_method(const gl_call *c);
const char *gl_call_metadata(const gl_call *c, const char *key); /* NULL if absent */
/* Milliseconds left before the deadline; UINT32_MAX when there is none. */
uint32_t gl_call_remaining_ms(const gl_call *c);
gl_store *gl_call_store(gl_call *c);
/* Adds a details entry to the response (copied). */
void gl_call_detail(gl_call *c, const char *key, const char *value);
/* Ends the call with OK and resp (which may live in the call's arena). */
void gl_call_reply(gl_call *c, const ProtobufCMessage *resp);
/* Ends the call with an error; code is a positive GL_<CODE>. */
void gl_call_fail(gl_call *c, int code, const char *msg);
/* Ends the call with -rc (from a function that returned -GL_x) and err. */
void gl_call_fail_err(gl_call *c, int rc, const gl_err *err);

#endif /* GL_RPC_H */
