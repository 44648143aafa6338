/*
 * client.c - libgloss core: the connection, the RpcRequest/RpcResponse
 * envelope, status handling and the generic calls.
 *
 * One nng REQ socket per client; every call opens its own nng context so
 * several threads may call through one client.  REQ's automatic re-send
 * timer is off (NNG_OPT_REQ_RESENDTIME infinite): a write reaches the server
 * again only when the caller retries it, with the same request_id, which the
 * server de-duplicates.
 */
#include "gloss/client.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/platform.h>

#include "clients/lib/internal.h"

struct gloss_client {
	nng_socket sock;
	nng_dialer dialer;
	char *url;
	uint32_t timeout_ms;
	uint32_t connect_timeout_ms;
	size_t max_message;
	size_t n_meta;
	char **meta_keys;   /* "authorization" first when a token was given */
	char **meta_values;
	pthread_mutex_t mu; /* guards npipes and the metadata */
	pthread_cond_t cv;  /* signalled when a pipe comes up */
	int npipes;         /* connected pipes, from nng's pipe notifications */
	/*
	 * Idle (context, aio) pairs, reused across calls: opening a context
	 * and allocating an aio per call showed up as a halving of
	 * throughput with many threads on one client.  Guarded by mu.
	 */
	struct gl_client_slot *idle;
};

typedef struct gl_client_slot {
	nng_ctx ctx;
	nng_aio *aio;
	struct gl_client_slot *next;
} gl_client_slot;

/* An idle slot, or a new one; NULL with *rv set on failure. */
static gl_client_slot *
slot_get(gloss_client *c, int *rv)
{
	pthread_mutex_lock(&c->mu);
	gl_client_slot *s = c->idle;
	if (s != NULL)
		c->idle = s->next;
	pthread_mutex_unlock(&c->mu);
	if (s != NULL)
		return s;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		*rv = NNG_ENOMEM;
		return NULL;
	}
	if ((*rv = nng_ctx_open(&s->ctx, c->sock)) != 0) {
		free(s);
		return NULL;
	}
	nng_ctx_set_ms(s->ctx, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	if ((*rv = nng_aio_alloc(&s->aio, NULL, NULL)) != 0) {
		nng_ctx_close(s->ctx);
		free(s);
		return NULL;
	}
	return s;
}

static void
slot_free(gl_client_slot *s)
{
	nng_ctx_close(s->ctx);
	nng_aio_free(s->aio);
	free(s);
}

/* A slot whose exchange completed cleanly goes back; others are closed. */
static void
slot_put(gloss_client *c, gl_client_slot *s, int clean)
{
	if (!clean) {
		slot_free(s);
		return;
	}
	pthread_mutex_lock(&c->mu);
	s->next = c->idle;
	c->idle = s;
	pthread_mutex_unlock(&c->mu);
}

static _Thread_local char tl_error[1024];
/* The message of an OK status: shared, so an OK answer allocates nothing. */
static char ok_message[] = "";

static const char *const code_names[] = {
	"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
	"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
	"RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	"UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
	"UNAUTHENTICATED",
};
#define N_CODES ((int)(sizeof(code_names) / sizeof(code_names[0])))

const char *
gloss_code_name(int code)
{
	if (code < 0)
		code = -code;
	return code < N_CODES ? code_names[code] : "UNKNOWN_CODE";
}

int
gloss_code_from_name(const char *name)
{
	for (int i = 0; name != NULL && i < N_CODES; i++)
		if (strcmp(name, code_names[i]) == 0)
			return i;
	return -1;
}

const char *
gloss_last_error(void)
{
	return tl_error;
}

void
gl_client_clear_error(void)
{
	tl_error[0] = '\0';
}

void
gloss_status_clear(gloss_status *st)
{
	if (st == NULL)
		return;
	if (st->message != ok_message)
		free(st->message);
	for (size_t i = 0; i < st->n_details; i++) {
		free(st->detail_keys[i]);
		free(st->detail_values[i]);
	}
	free(st->detail_keys);
	free(st->detail_values);
	*st = (gloss_status)GLOSS_STATUS_INIT;
}

const char *
gloss_status_detail(const gloss_status *st, const char *key)
{
	if (st == NULL || key == NULL)
		return NULL;
	for (size_t i = 0; i < st->n_details; i++)
		if (strcmp(st->detail_keys[i], key) == 0)
			return st->detail_values[i];
	return NULL;
}

/* Records a failure: the thread's last error and, if given, *st. */
int
gl_client_fail(gloss_status *st, int code, int local, const char *fmt, ...)
{
	char msg[sizeof(tl_error) - 32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(tl_error, sizeof(tl_error), "%s: %s", gloss_code_name(code),
	    msg);
	if (st != NULL) {
		gloss_status_clear(st);
		st->code = code;
		st->local = local;
		st->message = strdup(msg);
	}
	return -code;
}

/* Copies the answer's details map into *st (best effort on ENOMEM). */
static void
copy_details(gloss_status *st, const Gloss__V1__RpcResponse *r)
{
	if (st == NULL || r->n_details == 0)
		return;
	st->detail_keys = calloc(r->n_details, sizeof(char *));
	st->detail_values = calloc(r->n_details, sizeof(char *));
	if (st->detail_keys == NULL || st->detail_values == NULL) {
		free(st->detail_keys);
		free(st->detail_values);
		st->detail_keys = st->detail_values = NULL;
		return;
	}
	for (size_t i = 0; i < r->n_details; i++) {
		const char *k = r->details[i]->key;
		const char *v = r->details[i]->value;
		st->detail_keys[i] = strdup(k ? k : "");
		st->detail_values[i] = strdup(v ? v : "");
		if (st->detail_keys[i] == NULL || st->detail_values[i] == NULL) {
			free(st->detail_keys[i]);
			free(st->detail_values[i]);
			break;
		}
		st->n_details = i + 1;
	}
}

/* Copies a server's non-OK answer into *st and the thread's last error. */
static int
fail_from_response(gloss_status *st, const Gloss__V1__RpcResponse *r)
{
	int code = (int)r->code;

	if (code <= 0 || code >= N_CODES)
		code = GLOSS_UNKNOWN;
	gl_client_fail(st, code, 0, "%s", r->message ? r->message : "");
	copy_details(st, r);
	return -code;
}

/* An OK answer: *st gets code 0, an empty message and the details. */
static void
ok_from_response(gloss_status *st, const Gloss__V1__RpcResponse *r)
{
	if (st == NULL)
		return;
	gloss_status_clear(st);
	st->message = ok_message;
	copy_details(st, r);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
pipe_event(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	gloss_client *c = arg;

	(void)p;
	pthread_mutex_lock(&c->mu);
	if (ev == NNG_PIPE_EV_ADD_POST)
		c->npipes++;
	else if (ev == NNG_PIPE_EV_REM_POST && c->npipes > 0)
		c->npipes--;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static int
nng_fail(gloss_status *st, const char *what, const char *url, int rv)
{
	return gl_client_fail(st, GLOSS_INTERNAL, 1, "%s %s: %s", what, url,
	    nng_strerror(rv));
}

/* Sets up TLS for tls+tcp:// and wss:// dialers. */
static int
setup_tls(gloss_client *c, const gloss_connect_opts *o)
{
	nng_tls_config *cfg;
	int rv;

	if ((rv = nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT)) != 0)
		return gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "TLS is not available for %s: %s", c->url,
		    nng_strerror(rv));
	if (o->tls_insecure)
		rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_NONE);
	if (rv == 0 && o->tls_ca_file != NULL && o->tls_ca_file[0] != '\0')
		rv = nng_tls_config_ca_file(cfg, o->tls_ca_file);
	if (rv == 0 && o->tls_server_name != NULL)
		rv = nng_tls_config_server_name(cfg, o->tls_server_name);
	if (rv == 0)
		rv = nng_dialer_set_ptr(c->dialer, NNG_OPT_TLS_CONFIG, cfg);
	nng_tls_config_free(cfg); /* the dialer holds its own reference */
	if (rv != 0)
		return gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "TLS setup for %s failed: %s", c->url, nng_strerror(rv));
	return 0;
}

int
gloss_connect(const char *url, const char *token, gloss_client **out)
{
	return gloss_connect_ex(url, token, NULL, out);
}

int
gloss_connect_ex(const char *url, const char *token,
    const gloss_connect_opts *opts, gloss_client **out)
{
	static const gloss_connect_opts no_opts;
	gloss_client *c;
	pthread_condattr_t ca;
	int rv;

	gl_client_clear_error();
	*out = NULL;
	if (opts == NULL)
		opts = &no_opts;
	if (url == NULL || url[0] == '\0')
		return gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "no server URL given");
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->url = strdup(url)) == NULL) {
		free(c);
		return gl_client_fail(NULL, GLOSS_INTERNAL, 1, "out of memory");
	}
	c->timeout_ms = opts->timeout_ms ? opts->timeout_ms
	                                 : GLOSS_DEFAULT_TIMEOUT_MS;
	c->max_message = opts->max_message ? opts->max_message
	                                   : GLOSS_DEFAULT_MAX_MESSAGE;
	c->connect_timeout_ms = opts->connect_timeout_ms
	    ? opts->connect_timeout_ms : 5000;
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);

	if ((rv = nng_req0_open(&c->sock)) != 0) {
		rv = nng_fail(NULL, "cannot open a socket for", url, rv);
		goto fail_nosock;
	}
	/* No automatic re-send: retries are the caller's, with the same id. */
	nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME,
	    NNG_DURATION_INFINITE);
	/* Answers may be larger than requests (a page of documents). */
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, 0);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMINT, 50);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMAXT, 1000);
	nng_pipe_notify(c->sock, NNG_PIPE_EV_ADD_POST, pipe_event, c);
	nng_pipe_notify(c->sock, NNG_PIPE_EV_REM_POST, pipe_event, c);

	if ((rv = nng_dialer_create(&c->dialer, c->sock, url)) != 0) {
		rv = gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "cannot use URL \"%s\": %s", url, nng_strerror(rv));
		goto fail;
	}
	if ((strncmp(url, "tls+", 4) == 0 || strncmp(url, "wss", 3) == 0) &&
	    (rv = setup_tls(c, opts)) != 0)
		goto fail;
	/* Non-blocking start: the dialer keeps trying in the background. */
	if ((rv = nng_dialer_start(c->dialer, NNG_FLAG_NONBLOCK)) != 0) {
		rv = gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "cannot dial \"%s\": %s", url, nng_strerror(rv));
		goto fail;
	}
	if (token != NULL && token[0] != '\0') {
		size_t n = strlen(token) + sizeof("Bearer ");
		char *v = malloc(n);
		if (v == NULL) {
			rv = gl_client_fail(NULL, GLOSS_INTERNAL, 1,
			    "out of memory");
			goto fail;
		}
		snprintf(v, n, "Bearer %s", token);
		rv = gloss_set_metadata(c, "authorization", v);
		free(v);
		if (rv != 0)
			goto fail;
	}
	*out = c;
	return 0;
fail:
	nng_close(c->sock);
fail_nosock:
	c->sock.id = 0;
	gloss_close(c);
	return rv;
}

void
gloss_close(gloss_client *c)
{
	if (c == NULL)
		return;
	while (c->idle != NULL) {
		gl_client_slot *s = c->idle;
		c->idle = s->next;
		slot_free(s);
	}
	if (nng_socket_id(c->sock) > 0)
		nng_close(c->sock); /* waits for pipe callbacks to finish */
	for (size_t i = 0; i < c->n_meta; i++) {
		free(c->meta_keys[i]);
		free(c->meta_values[i]);
	}
	free(c->meta_keys);
	free(c->meta_values);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	free(c->url);
	free(c);
}

void
gloss_set_timeout(gloss_client *c, uint32_t timeout_ms)
{
	c->timeout_ms = timeout_ms ? timeout_ms : GLOSS_DEFAULT_TIMEOUT_MS;
}

uint32_t
gloss_get_timeout(const gloss_client *c)
{
	return c->timeout_ms;
}

void
gloss_set_max_message(gloss_client *c, size_t bytes)
{
	c->max_message = bytes ? bytes : GLOSS_DEFAULT_MAX_MESSAGE;
}

size_t
gloss_get_max_message(const gloss_client *c)
{
	return c->max_message;
}

const char *
gloss_url(const gloss_client *c)
{
	return c->url;
}

int
gloss_set_metadata(gloss_client *c, const char *key, const char *value)
{
	char *k, *v, **nk, **nv;

	if (key == NULL || value == NULL || key[0] == '\0')
		return gl_client_fail(NULL, GLOSS_INVALID_ARGUMENT, 1,
		    "metadata key and value are required");
	if ((v = strdup(value)) == NULL)
		return gl_client_fail(NULL, GLOSS_INTERNAL, 1, "out of memory");
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < c->n_meta; i++) {
		if (strcmp(c->meta_keys[i], key) == 0) {
			free(c->meta_values[i]);
			c->meta_values[i] = v;
			pthread_mutex_unlock(&c->mu);
			return 0;
		}
	}
	k = strdup(key);
	nk = realloc(c->meta_keys, (c->n_meta + 1) * sizeof(char *));
	if (nk != NULL)
		c->meta_keys = nk;
	nv = realloc(c->meta_values, (c->n_meta + 1) * sizeof(char *));
	if (nv != NULL)
		c->meta_values = nv;
	if (k == NULL || nk == NULL || nv == NULL) {
		pthread_mutex_unlock(&c->mu);
		free(k);
		free(v);
		return gl_client_fail(NULL, GLOSS_INTERNAL, 1, "out of memory");
	}
	/* Keys are sent lower-case, as the protocol asks. */
	for (char *p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	c->meta_keys[c->n_meta] = k;
	c->meta_values[c->n_meta] = v;
	c->n_meta++;
	pthread_mutex_unlock(&c->mu);
	return 0;
}

void
gloss_free(void *msg)
{
	if (msg != NULL)
		protobuf_c_message_free_unpacked(msg, NULL);
}

void
gl_client_new_request_id(char out[33])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 4; i++) {
		uint32_t r = nng_random();
		for (int j = 0; j < 8; j++, r >>= 4)
			out[i * 8 + j] = hex[r & 15];
	}
	out[32] = '\0';
}

/*
 * Waits until the socket has a connected pipe or the deadline passes.
 * Returns 1 when connected.
 */
static int
wait_connected(gloss_client *c, int64_t deadline)
{
	int up;

	pthread_mutex_lock(&c->mu);
	while (c->npipes == 0) {
		int64_t left = deadline - now_ms();
		struct timespec ts;
		if (left <= 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += left / 1000;
		ts.tv_nsec += (left % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&c->cv, &c->mu, &ts);
	}
	up = c->npipes > 0;
	pthread_mutex_unlock(&c->mu);
	return up;
}

static int
is_connected(gloss_client *c)
{
	int up;

	pthread_mutex_lock(&c->mu);
	up = c->npipes > 0;
	pthread_mutex_unlock(&c->mu);
	return up;
}

/* Maps an nng error of a send or receive to a status. */
static int
transport_fail(gloss_client *c, gloss_status *st, int rv, uint32_t timeout,
    const char *method)
{
	if (rv == NNG_ETIMEDOUT) {
		if (!is_connected(c))
			return gl_client_fail(st, GLOSS_UNAVAILABLE, 1,
			    "lost the connection to %s during %s", c->url,
			    method);
		return gl_client_fail(st, GLOSS_DEADLINE_EXCEEDED, 1,
		    "no answer to %s from %s within %u ms", method, c->url,
		    (unsigned)timeout);
	}
	if (rv == NNG_ENOMEM)
		return gl_client_fail(st, GLOSS_INTERNAL, 1, "out of memory");
	return gl_client_fail(st, GLOSS_UNAVAILABLE, 1, "%s to %s failed: %s",
	    method, c->url, nng_strerror(rv));
}

/*
 * One exchange: packs the envelope, sends it on a fresh context, waits for
 * the answer, and decodes the RpcResponse into *resp_out (caller frees).
 */
static int
exchange(gloss_client *c, const char *method, const void *payload,
    size_t len, const char *request_id, uint32_t timeout,
    Gloss__V1__RpcResponse **resp_out, gloss_status *st)
{
	Gloss__V1__RpcRequest rq = GLOSS__V1__RPC_REQUEST__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *ents = NULL, **pents = NULL;
	Gloss__V1__RpcResponse *resp;
	nng_msg *msg = NULL;
	gl_client_slot *slot = NULL;
	nng_aio *aio;
	nng_ctx ctx;
	size_t size;
	int64_t deadline;
	int rv, ret;

	/*
	 * The server's deadline is `timeout`; ours is a little later so that
	 * its DEADLINE_EXCEEDED answer, which says where time went, arrives
	 * before we give up on our own.
	 */
	deadline = now_ms() + timeout + (timeout < 1000 ? timeout : 1000);

	rq.method = (char *)method;
	rq.timeout_ms = timeout;
	rq.request_id = (char *)request_id;
	rq.payload.data = (uint8_t *)payload;
	rq.payload.len = payload ? len : 0;

	pthread_mutex_lock(&c->mu);
	if (c->n_meta > 0) {
		ents = calloc(c->n_meta, sizeof(*ents));
		pents = calloc(c->n_meta, sizeof(*pents));
		if (ents == NULL || pents == NULL) {
			pthread_mutex_unlock(&c->mu);
			ret = gl_client_fail(st, GLOSS_INTERNAL, 1,
			    "out of memory");
			goto out;
		}
		for (size_t i = 0; i < c->n_meta; i++) {
			gloss__v1__rpc_request__metadata_entry__init(&ents[i]);
			ents[i].key = c->meta_keys[i];
			ents[i].value = c->meta_values[i];
			pents[i] = &ents[i];
		}
		rq.n_metadata = c->n_meta;
		rq.metadata = pents;
	}
	size = gloss__v1__rpc_request__get_packed_size(&rq);
	if (size > c->max_message) {
		pthread_mutex_unlock(&c->mu);
		ret = gl_client_fail(st, GLOSS_RESOURCE_EXHAUSTED, 1,
		    "%s request is %zu bytes, over the client's max message "
		    "of %zu bytes; send it in smaller batches", method, size,
		    c->max_message);
		goto out;
	}
	if ((rv = nng_msg_alloc(&msg, size)) != 0) {
		pthread_mutex_unlock(&c->mu);
		ret = gl_client_fail(st, GLOSS_INTERNAL, 1, "out of memory");
		goto out;
	}
	gloss__v1__rpc_request__pack(&rq, nng_msg_body(msg));
	pthread_mutex_unlock(&c->mu);

	{
		int64_t cdl = now_ms() + c->connect_timeout_ms;
		if (!wait_connected(c, cdl < deadline ? cdl : deadline)) {
			ret = gl_client_fail(st, GLOSS_UNAVAILABLE, 1,
			    "cannot reach %s (is glossd running there?)",
			    c->url);
			goto out;
		}
	}
	if ((slot = slot_get(c, &rv)) == NULL) {
		ret = transport_fail(c, st, rv, timeout, method);
		goto out;
	}
	aio = slot->aio;
	ctx = slot->ctx;
	nng_aio_set_timeout(aio, (nng_duration)(deadline - now_ms()));
	nng_aio_set_msg(aio, msg);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	if ((rv = nng_aio_result(aio)) != 0) {
		/* On a failed send the message is still ours. */
		slot_put(c, slot, 0);
		slot = NULL;
		ret = transport_fail(c, st, rv, timeout, method);
		goto out;
	}
	msg = NULL;
	{
		int64_t left = deadline - now_ms();
		nng_aio_set_timeout(aio, (nng_duration)(left > 0 ? left : 1));
	}
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	rv = nng_aio_result(aio);
	if (rv != 0) {
		/* A late answer may still arrive for this context: drop it. */
		slot_put(c, slot, 0);
		slot = NULL;
		ret = transport_fail(c, st, rv, timeout, method);
		goto out;
	}
	msg = nng_aio_get_msg(aio);
	nng_aio_set_msg(aio, NULL);
	slot_put(c, slot, 1);
	slot = NULL;
	resp = gloss__v1__rpc_response__unpack(NULL, nng_msg_len(msg),
	    nng_msg_body(msg));
	if (resp == NULL) {
		ret = gl_client_fail(st, GLOSS_INTERNAL, 1,
		    "%s: undecodable RpcResponse (%zu bytes) from %s", method,
		    nng_msg_len(msg), c->url);
		goto out;
	}
	*resp_out = resp;
	ret = 0;
out:
	if (msg != NULL)
		nng_msg_free(msg);
	if (slot != NULL)
		slot_put(c, slot, 0);
	free(ents);
	free(pents);
	return ret;
}

/* An exchange with the UNAVAILABLE retries of opts. */
static int
call_envelope(gloss_client *c, const char *method, const void *payload,
    size_t len, gloss_status *st, const gloss_call_opts *opts,
    Gloss__V1__RpcResponse **resp)
{
	char idbuf[33];
	const char *rid;
	uint32_t timeout;
	int retries, rv;
	int backoff = 100;

	gl_client_clear_error();
	gloss_status_clear(st);
	if (method == NULL || method[0] != '/')
		return gl_client_fail(st, GLOSS_INVALID_ARGUMENT, 1,
		    "method must look like /gloss.v1.Service/Method");
	timeout = opts && opts->timeout_ms ? opts->timeout_ms : c->timeout_ms;
	retries = opts && opts->retries > 0 ? opts->retries : 0;
	if (opts && opts->request_id != NULL) {
		rid = opts->request_id;
	} else {
		gl_client_new_request_id(idbuf);
		rid = idbuf;
	}
	for (int attempt = 0;; attempt++) {
		*resp = NULL;
		rv = exchange(c, method, payload, len, rid, timeout, resp, st);
		if (rv == 0 && (*resp)->code == GLOSS__V1__CODE__UNAVAILABLE &&
		    attempt < retries) {
			gloss__v1__rpc_response__free_unpacked(*resp, NULL);
			*resp = NULL;
			rv = GLOSS_EUNAVAILABLE;
		}
		if (rv != GLOSS_EUNAVAILABLE || attempt >= retries)
			return rv;
		nng_msleep(backoff);
		backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
	}
}

int
gloss_call_raw(gloss_client *c, const char *method, const void *payload,
    size_t len, void **out, size_t *out_len, gloss_status *st,
    const gloss_call_opts *opts)
{
	Gloss__V1__RpcResponse *resp;
	int rv;

	*out = NULL;
	*out_len = 0;
	if ((rv = call_envelope(c, method, payload, len, st, opts, &resp)) != 0)
		return rv;
	if (resp->code != GLOSS__V1__CODE__OK) {
		rv = fail_from_response(st, resp);
		gloss__v1__rpc_response__free_unpacked(resp, NULL);
		return rv;
	}
	ok_from_response(st, resp);
	if (resp->payload.len > 0) {
		if ((*out = malloc(resp->payload.len)) == NULL) {
			gloss__v1__rpc_response__free_unpacked(resp, NULL);
			return gl_client_fail(st, GLOSS_INTERNAL, 1,
			    "out of memory");
		}
		memcpy(*out, resp->payload.data, resp->payload.len);
		*out_len = resp->payload.len;
	}
	gloss__v1__rpc_response__free_unpacked(resp, NULL);
	return 0;
}

static const ProtobufCServiceDescriptor *const services[] = {
	&gloss__v1__health__descriptor,
	&gloss__v1__projects__descriptor,
	&gloss__v1__documents__descriptor,
	&gloss__v1__annotations__descriptor,
	&gloss__v1__relations__descriptor,
	&gloss__v1__suggestions__descriptor,
	&gloss__v1__events__descriptor,
	&gloss__v1__analyzers__descriptor,
	&gloss__v1__users__descriptor,
	&gloss__v1__tokens__descriptor,
	&gloss__v1__members__descriptor,
	&gloss__v1__sessions__descriptor,
	&gloss__v1__curation__descriptor,
	&gloss__v1__agreement__descriptor,
};

const ProtobufCMethodDescriptor *
gl_client_find_method(const char *method)
{
	const char *slash;

	if (method == NULL || method[0] != '/' ||
	    (slash = strchr(method + 1, '/')) == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		const char *name = services[i]->name;
		size_t n = (size_t)(slash - (method + 1));
		if (strlen(name) == n && memcmp(name, method + 1, n) == 0)
			return protobuf_c_service_descriptor_get_method_by_name(
			    services[i], slash + 1);
	}
	return NULL;
}

int
gloss_call_ex(gloss_client *c, const char *method,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
    ProtobufCMessage **resp, gloss_status *st, const gloss_call_opts *opts)
{
	const ProtobufCMethodDescriptor *m = gl_client_find_method(method);
	Gloss__V1__RpcResponse *env;
	uint8_t *payload = NULL;
	size_t len = 0;
	int rv;

	if (resp != NULL)
		*resp = NULL;
	if (m != NULL && ((req != NULL && req->descriptor != m->input) ||
	    (resp_desc != NULL && resp_desc != m->output))) {
		gl_client_clear_error();
		return gl_client_fail(st, GLOSS_INVALID_ARGUMENT, 1,
		    "%s takes %s and returns %s", method, m->input->name,
		    m->output->name);
	}
	if (req != NULL) {
		len = protobuf_c_message_get_packed_size(req);
		if ((payload = malloc(len ? len : 1)) == NULL)
			return gl_client_fail(st, GLOSS_INTERNAL, 1,
			    "out of memory");
		protobuf_c_message_pack(req, payload);
	}
	rv = call_envelope(c, method, payload, len, st, opts, &env);
	free(payload);
	if (rv != 0)
		return rv;
	if (env->code != GLOSS__V1__CODE__OK) {
		rv = fail_from_response(st, env);
		gloss__v1__rpc_response__free_unpacked(env, NULL);
		return rv;
	}
	ok_from_response(st, env);
	if (resp_desc != NULL && resp != NULL) {
		*resp = protobuf_c_message_unpack(resp_desc, NULL,
		    env->payload.len, env->payload.data);
		if (*resp == NULL) {
			rv = gl_client_fail(st, GLOSS_INTERNAL, 1,
			    "%s: undecodable %s payload (%zu bytes)", method,
			    resp_desc->name, env->payload.len);
		}
	}
	gloss__v1__rpc_response__free_unpacked(env, NULL);
	return rv;
}

int
gloss_call(gloss_client *c, const char *method, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *resp_desc, ProtobufCMessage **resp,
    gloss_status *st)
{
	return gloss_call_ex(c, method, req, resp_desc, resp, st, NULL);
}

int
gloss_call_retry(gloss_client *c, const char *method,
    const ProtobufCMessage *req, const ProtobufCMessageDescriptor *resp_desc,
    ProtobufCMessage **resp, gloss_status *st, int retries)
{
	gloss_call_opts o = { 0 };

	o.retries = retries;
	return gloss_call_ex(c, method, req, resp_desc, resp, st, &o);
}
