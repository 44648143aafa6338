/*
 * events.c - the event log and the Watch long poll (see events.h).
 *
 * Parked watchers sit in one list; a commit wakes them all and each one
 * re-reads from its since_seq.  With hundreds of watchers on one project
 * that is one indexed range read per watcher per commit, which is cheap
 * next to the fsync that preceded it.
 */
#include "daemon/events.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "daemon/pb.h"
#include "gloss/v1/events.pb-c.h"

#define GL_WATCH_MAX_WAIT_MS 60000u
#define GL_WATCH_DEFAULT_LIMIT 1000u

typedef struct gl_watcher gl_watcher;
struct gl_watcher {
	gl_events *ev;
	gl_call *call;
	int64_t project_id;
	int64_t since;
	uint32_t limit;
	uv_timer_t timer;
	gl_watcher *prev, *next;
};

struct gl_events {
	gl_daemon *d;
	gl_watcher *head;
	int64_t last_seq; /* newest seq committed, to skip needless re-reads */
};

int
gl_events_new(gl_daemon *d, gl_events **out, gl_err *err)
{
	gl_events *ev = calloc(1, sizeof(*ev));
	if (ev == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	ev->d = d;
	ev->last_seq = gl_store_event_last_seq(d->store);
	*out = ev;
	return 0;
}

int
gl_events_append(gl_daemon *d, int64_t project_id, int64_t document_id,
    const char *kind, int64_t object_id, int64_t version, const char *author,
    const Gloss__V1__Annotation *ann, const char *detail_json, gl_err *err)
{
	Gloss__V1__Event e = GLOSS__V1__EVENT__INIT;
	e.document_id = document_id;
	e.kind = (char *)kind;
	e.object_id = object_id;
	e.version = version;
	e.author = (char *)(author ? author : "");
	e.annotation = (Gloss__V1__Annotation *)ann;
	e.detail = (char *)(detail_json ? detail_json : "{}");
	return gl_store_event_append(d->store, project_id, &e, err);
}

static void
gl_watcher_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
gl_watcher_unlink(gl_watcher *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		w->ev->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	uv_timer_stop(&w->timer);
	uv_close((uv_handle_t *)&w->timer, gl_watcher_closed);
}

/* Reads and answers if there is anything (or force); returns 1 if answered. */
static int
gl_watch_try(gl_events *ev, gl_call *call, int64_t project_id, int64_t since,
    uint32_t limit, int force)
{
	gl_arena *a = gl_call_arena(call);
	Gloss__V1__Event **events;
	size_t n;
	gl_err err;
	int rc = gl_store_event_list(ev->d->store, project_id, since, limit, a,
	    &events, &n, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return 1;
	}
	if (n == 0 && !force)
		return 0;
	Gloss__V1__WatchResponse resp = GLOSS__V1__WATCH_RESPONSE__INIT;
	resp.events = events;
	resp.n_events = n;
	resp.last_seq = n ? events[n - 1]->seq : since;
	gl_call_reply(call, &resp.base);
	return 1;
}

static void
gl_watch_timeout(uv_timer_t *t)
{
	gl_watcher *w = t->data;
	gl_watch_try(w->ev, w->call, w->project_id, w->since, w->limit, 1);
	gl_watcher_unlink(w);
}

static void
gl_events_watch(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_events *ev = arg;
	const Gloss__V1__WatchRequest *req = (const Gloss__V1__WatchRequest *)msg;
	int64_t project_id = 0;
	if (req->project && req->project[0]) {
		Gloss__V1__Project *p;
		gl_err err;
		int rc = gl_store_project_get(ev->d->store, req->project,
		    gl_call_arena(call), &p, &err);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		project_id = p->id;
	}
	if (req->since_seq < 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "since_seq must be >= 0");
		return;
	}
	uint32_t limit = req->limit ? req->limit : GL_WATCH_DEFAULT_LIMIT;
	if (limit > 10000)
		limit = 10000;
	uint32_t wait = req->wait_ms > GL_WATCH_MAX_WAIT_MS ? GL_WATCH_MAX_WAIT_MS
	                                                    : req->wait_ms;
	uint32_t left = gl_call_remaining_ms(call);
	/* Answer a little before the deadline so the answer still counts. */
	if (left != UINT32_MAX)
		wait = left > 20 ? (wait < left - 20 ? wait : left - 20) : 0;
	int force = wait == 0 || gl_rpc_draining(ev->d->rpc);
	if (gl_watch_try(ev, call, project_id, req->since_seq, limit, force))
		return;
	gl_watcher *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	w->ev = ev;
	w->call = call;
	w->project_id = project_id;
	w->since = req->since_seq;
	w->limit = limit;
	uv_timer_init(ev->d->loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, gl_watch_timeout, wait, 0);
	w->next = ev->head;
	if (ev->head)
		ev->head->prev = w;
	ev->head = w;
}

void
gl_events_committed(gl_events *ev)
{
	int64_t last = gl_store_event_last_seq(ev->d->store);
	if (last == ev->last_seq)
		return;
	ev->last_seq = last;
	gl_watcher *w = ev->head;
	while (w != NULL) {
		gl_watcher *next = w->next;
		if (w->since < last &&
		    gl_watch_try(ev, w->call, w->project_id, w->since, w->limit, 0))
			gl_watcher_unlink(w);
		w = next;
	}
}

void
gl_events_release_all(gl_events *ev)
{
	while (ev->head != NULL) {
		gl_watcher *w = ev->head;
		gl_watch_try(ev, w->call, w->project_id, w->since, w->limit, 1);
		gl_watcher_unlink(w);
	}
}

static const gl_rpc_method gl_events_methods[] = {
	{ "Watch", gl_events_watch, GL_RPC_READ },
};

int
gl_events_register(gl_events *ev, gl_err *err)
{
	return gl_rpc_register(ev->d->rpc, &gloss__v1__events__descriptor,
	    gl_events_methods, 1, ev, err);
}

void
gl_events_free(gl_events *ev)
{
	if (ev == NULL)
		return;
	gl_events_release_all(ev);
	free(ev);
}
