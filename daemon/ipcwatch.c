/*
 * ipcwatch.c - probes ipc:// listeners (see ipcwatch.h).
 *
 * With the bug, the transport still accepts and completes handshakes, but
 * the socket never takes the new pipes, so their requests go nowhere.  A
 * probe therefore makes a whole call: on the thread pool it connects to the
 * socket file, completes the SP handshake as a REQ peer, and sends a
 * Health/Check whose metadata carries a nonce.  If no answer comes and the
 * loop never saw that nonce, the listener is broken: it is closed and
 * started again on the same path.  A busy loop that answers late does not
 * count, since it saw the nonce.  The probe always completes the handshake
 * before hanging up, so it cannot itself trigger the bug.
 */
#include "daemon/ipcwatch.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"

#define GL_IPCWATCH_TIMEOUT_MS 2000

typedef struct gl_ipcprobe {
	uv_work_t work;
	gl_ipcwatch *w;
	size_t index;       /* the listener's index in rpc */
	uint64_t nonce;
	char path[108];
	int ok;
	char why[96];
} gl_ipcprobe;

struct gl_ipcwatch {
	uv_loop_t *loop;
	gl_rpc *rpc;
	uv_timer_t timer;
	uint64_t nonce;
	unsigned in_flight;
	int stopping;
};

/* Reads or writes exactly n bytes within the deadline; 0 or -1. */
static int
gl_ipcprobe_io(int fd, void *buf, size_t n, int writing, int timeout_ms)
{
	size_t done = 0;
	while (done < n) {
		struct pollfd p = { fd, (short)(writing ? POLLOUT : POLLIN), 0 };
		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		ssize_t r = writing ? write(fd, (char *)buf + done, n - done)
		                    : read(fd, (char *)buf + done, n - done);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

/* Appends a protobuf length-delimited field (lengths < 128 only). */
static size_t
gl_ipcprobe_field(unsigned char *buf, size_t at, unsigned tag, const void *p,
    size_t n)
{
	buf[at++] = (unsigned char)(tag << 3 | 2);
	buf[at++] = (unsigned char)n;
	memcpy(buf + at, p, n);
	return at + n;
}

static void
gl_ipcprobe_work(uv_work_t *req)
{
	gl_ipcprobe *p = req->data;
	/* The header of an SP peer speaking REQ v0 (protocol 0x30). */
	static const unsigned char hello[8] = { 0, 'S', 'P', 0, 0x00, 0x30, 0, 0 };
	static const char method[] = "/gloss.v1.Health/Check";
	static const char key[] = "x-gloss-probe";
	unsigned char reply[8], entry[64], msg[160];
	char nonce[24];
	int nlen = snprintf(nonce, sizeof(nonce), "%llu", (unsigned long long)p->nonce);

	/* RpcRequest{method, metadata{key: nonce}} behind the REQ request id. */
	size_t elen = gl_ipcprobe_field(entry, 0, 1, key, sizeof(key) - 1);
	elen = gl_ipcprobe_field(entry, elen, 2, nonce, (size_t)nlen);
	size_t body = 9 + 4;
	body = gl_ipcprobe_field(msg, body, 1, method, sizeof(method) - 1);
	body = gl_ipcprobe_field(msg, body, 2, entry, elen);
	uint64_t len = body - 9;
	msg[0] = 1; /* an IPC message frame */
	for (int i = 0; i < 8; i++)
		msg[1 + i] = (unsigned char)(len >> (56 - 8 * i));
	msg[9] = 0x80; /* request id, top bit set */
	msg[10] = msg[11] = 0;
	msg[12] = 1;

	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	memcpy(sa.sun_path, p->path, sizeof(sa.sun_path) - 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(p->why, sizeof(p->why), "socket: %s", strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		snprintf(p->why, sizeof(p->why), "connect: %s", strerror(errno));
	else if (gl_ipcprobe_io(fd, (void *)hello, sizeof(hello), 1, GL_IPCWATCH_TIMEOUT_MS) != 0 ||
	         gl_ipcprobe_io(fd, reply, sizeof(reply), 0, GL_IPCWATCH_TIMEOUT_MS) != 0)
		snprintf(p->why, sizeof(p->why), "no SP handshake within %d ms",
		    GL_IPCWATCH_TIMEOUT_MS);
	else if (memcmp(reply, "\0SP\0", 4) != 0)
		snprintf(p->why, sizeof(p->why), "not an SP peer");
	else if (gl_ipcprobe_io(fd, msg, body, 1, GL_IPCWATCH_TIMEOUT_MS) != 0 ||
	         gl_ipcprobe_io(fd, reply, 1, 0, GL_IPCWATCH_TIMEOUT_MS) != 0)
		snprintf(p->why, sizeof(p->why), "no answer to a call within %d ms",
		    GL_IPCWATCH_TIMEOUT_MS);
	else
		p->ok = 1;
	close(fd);
}

static void
gl_ipcprobe_done(uv_work_t *req, int status)
{
	gl_ipcprobe *p = req->data;
	gl_ipcwatch *w = p->w;
	w->in_flight--;
	/* The loop saw the call: only the answer was late, the listener is fine. */
	if (!p->ok && gl_rpc_probe_seen(w->rpc) >= p->nonce)
		p->ok = 1;
	if (status == 0 && !p->ok && !w->stopping && !gl_rpc_draining(w->rpc)) {
		const char *url = gl_rpc_listener_url(w->rpc, p->index);
		gl_err err;
		gl_log(GL_LOG_WARN, "rpc", "%s stopped accepting (%s); starting it "
		    "again (nng 1.5.2 bug #1518: a peer hung up mid-handshake)",
		    url, p->why);
		if (gl_rpc_relisten(w->rpc, p->index, &err) != 0)
			gl_log(GL_LOG_ERROR, "rpc", "%s", err.msg);
	}
	free(p);
}

static void
gl_ipcwatch_tick(uv_timer_t *t)
{
	gl_ipcwatch *w = t->data;
	if (w->in_flight > 0 || w->stopping)
		return;
	for (size_t i = 0; i < gl_rpc_listener_count(w->rpc); i++) {
		const char *url = gl_rpc_listener_url(w->rpc, i);
		if (strncmp(url, "ipc://", 6) != 0)
			continue;
		gl_ipcprobe *p = calloc(1, sizeof(*p));
		if (p == NULL)
			return;
		p->w = w;
		p->index = i;
		p->nonce = ++w->nonce;
		snprintf(p->path, sizeof(p->path), "%s", url + 6);
		p->work.data = p;
		w->in_flight++;
		uv_queue_work(w->loop, &p->work, gl_ipcprobe_work, gl_ipcprobe_done);
	}
}

int
gl_ipcwatch_new(uv_loop_t *loop, gl_rpc *rpc, unsigned interval_ms,
    gl_ipcwatch **out, gl_err *err)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; i < gl_rpc_listener_count(rpc); i++)
		n += strncmp(gl_rpc_listener_url(rpc, i), "ipc://", 6) == 0;
	if (n == 0)
		return 0;
	gl_ipcwatch *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	w->loop = loop;
	w->rpc = rpc;
	uv_timer_init(loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, gl_ipcwatch_tick, interval_ms, interval_ms);
	/* Probing alone must not keep glossd running. */
	uv_unref((uv_handle_t *)&w->timer);
	*out = w;
	return 0;
}

static void
gl_ipcwatch_closed(uv_handle_t *h)
{
	free(h->data);
}

void
gl_ipcwatch_free(gl_ipcwatch *w)
{
	if (w == NULL)
		return;
	w->stopping = 1;
	uv_timer_stop(&w->timer);
	/* A probe still on the pool comes back within its timeout. */
	while (w->in_flight > 0)
		uv_run(w->loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&w->timer, gl_ipcwatch_closed);
}
