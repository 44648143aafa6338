/*
 * events.c - the event log and the Watch long poll (see events.h).
 *
 * Parked watchers sit in one list; a commit wakes them all and each one
 * re-reads from its since_seq.  With hundreds of watchers on one project
 * that is one indexed range read per watcher per commit, which is cheap
 * next to the fsync that preceded it.
 */
#include "daemon/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "daemon/pb.h"
#include "daemon/services.h"
#include "gloss/v1/events.pb-c.h"

#define GL_WATCH_MAX_WAIT_MS 60000u
#define GL_WATCH_DEFAULT_LIMIT 1000u

/* Whose eyes a Watch answers for: who is asking, with what role, where. */
typedef struct gl_watch_view {
	int64_t project_id; /* 0: every project (admins only) */
	int private_sets;   /* independent project seen by an annotator */
	char user[64];
} gl_watch_view;

typedef struct gl_watcher gl_watcher;
struct gl_watcher {
	gl_events *ev;
	gl_call *call;
	gl_watch_view view;
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

/* An annotator of an independent project sees only their own set. */
static int
gl_watch_visible(const gl_watch_view *v, const Gloss__V1__Event *e)
{
	if (!v->private_sets)
		return 1;
	if (strncmp(e->kind, "annotation.", 11) == 0)
		return e->annotation == NULL || strcmp(e->annotation->author, v->user) == 0 ||
		       gl_svc_is_plugin(e->annotation->author);
	if (strncmp(e->kind, "relation.", 9) == 0)
		return strcmp(e->author, v->user) == 0;
	return 1;
}

/*
 * Reads and answers if there is anything visible (or force); returns 1 if
 * answered.  *since advances past events read but hidden, so a parked
 * watcher does not read them again.
 */
static int
gl_watch_try(gl_events *ev, gl_call *call, const gl_watch_view *v,
    int64_t *since, uint32_t limit, int force)
{
	gl_arena *a = gl_call_arena(call);
	Gloss__V1__Event **events;
	size_t n;
	gl_err err;
	int rc = gl_store_event_list(ev->d->store, v->project_id, *since, limit, a,
	    &events, &n, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return 1;
	}
	int64_t last = n ? events[n - 1]->seq : *since;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (gl_watch_visible(v, events[i]))
			events[k++] = events[i];
	*since = last;
	if (k == 0 && !force)
		return 0;
	Gloss__V1__WatchResponse resp = GLOSS__V1__WATCH_RESPONSE__INIT;
	resp.events = events;
	resp.n_events = k;
	resp.last_seq = last;
	gl_call_reply(call, &resp.base);
	return 1;
}

static void
gl_watch_timeout(uv_timer_t *t)
{
	gl_watcher *w = t->data;
	gl_watch_try(w->ev, w->call, &w->view, &w->since, w->limit, 1);
	gl_watcher_unlink(w);
}

static void
gl_events_watch(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_events *ev = arg;
	const Gloss__V1__WatchRequest *req = (const Gloss__V1__WatchRequest *)msg;
	gl_watch_view view = { 0 };
	snprintf(view.user, sizeof(view.user), "%s", gl_svc_author(call));
	if (req->project && req->project[0]) {
		Gloss__V1__Project *p;
		gl_err err;
		int rc = gl_store_project_get(ev->d->store, req->project,
		    gl_call_arena(call), &p, &err);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		if (gl_svc_require(call, ev->d, p->id, GL_ROLE_VIEWER) != 0)
			return;
		view.project_id = p->id;
		view.private_sets = strcmp(p->mode, "independent") == 0 &&
		    gl_svc_role(call, ev->d, p->id) == GL_ROLE_ANNOTATOR;
	} else if (strcmp(gl_call_user(call)->role, "admin") != 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "name the project to watch (only admins may watch every project)");
		return;
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
	int64_t since = req->since_seq;
	if (gl_watch_try(ev, call, &view, &since, limit, force))
		return;
	gl_watcher *w = calloc(1, sizeof(*w));
	if (w == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	w->ev = ev;
	w->call = call;
	w->view = view;
	w->since = since;
	w->limit = limit;
	uv_timer_init(ev->d->loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, gl_watch_timeout, wait, 0);
	w->next = ev->head;
	if (ev->head)
		ev->head->prev = w;
	ev->head = w;
}

/*
 * Answers, from one batch of events read for their project, every parked
 * watcher of that project that has something new.  Returns 0, or -1 when
 * the batch was cut at its limit (the caller then reads per watcher).
 */
static int
gl_events_fan_out(gl_events *ev, int64_t project_id, int64_t since,
    uint32_t limit, int64_t last)
{
	gl_arena a;
	gl_arena_init(&a, 0);
	Gloss__V1__Event **events;
	size_t n;
	gl_err err;
	if (gl_store_event_list(ev->d->store, project_id, since, limit, &a,
	        &events, &n, &err) != 0 || n == limit) {
		gl_arena_reset(&a);
		return -1;
	}
	Gloss__V1__Event **mine = gl_arena_alloc(&a, (n ? n : 1) * sizeof(*mine));
	for (gl_watcher *w = ev->head, *next; mine != NULL && w != NULL; w = next) {
		next = w->next;
		if (w->view.project_id != project_id || w->since >= last)
			continue;
		size_t k = 0;
		int64_t seen = w->since;
		for (size_t i = 0; i < n && k < w->limit; i++) {
			if (events[i]->seq <= w->since)
				continue;
			seen = events[i]->seq;
			if (gl_watch_visible(&w->view, events[i]))
				mine[k++] = events[i];
		}
		w->since = seen;
		if (k == 0)
			continue;
		Gloss__V1__WatchResponse resp = GLOSS__V1__WATCH_RESPONSE__INIT;
		resp.events = mine;
		resp.n_events = k;
		resp.last_seq = seen;
		gl_call_reply(w->call, &resp.base); /* packs now: mine can be reused */
		gl_watcher_unlink(w);
	}
	gl_arena_reset(&a);
	return mine != NULL ? 0 : -1;
}

/*
 * After a commit: one read of the new events per project with parked
 * watchers, shared by all of them, rather than one read per watcher, so a
 * write costs the same whether ten or five hundred people watch.
 */
void
gl_events_committed(gl_events *ev)
{
	int64_t last = gl_store_event_last_seq(ev->d->store);
	if (last == ev->last_seq)
		return;
	ev->last_seq = last;
	/* The projects with parked watchers behind `last` (a handful, usually one). */
	int64_t pids[16];
	size_t npids = 0;
	for (gl_watcher *w = ev->head; w != NULL && npids < 16; w = w->next) {
		size_t k = 0;
		while (k < npids && pids[k] != w->view.project_id)
			k++;
		if (k == npids && w->since < last)
			pids[npids++] = w->view.project_id;
	}
	for (size_t i = 0; i < npids; i++) {
		int64_t since = last;
		uint32_t limit = 0;
		for (gl_watcher *x = ev->head; x != NULL; x = x->next) {
			if (x->view.project_id != pids[i] || x->since >= last)
				continue;
			if (x->since < since)
				since = x->since;
			if (x->limit > limit)
				limit = x->limit;
		}
		if (limit > 0)
			gl_events_fan_out(ev, pids[i], since, limit + 1, last);
	}
	/* Whoever the shared reads could not serve (a long backlog) reads alone. */
	gl_watcher *w = ev->head;
	while (w != NULL) {
		gl_watcher *next = w->next;
		if (w->since < last &&
		    gl_watch_try(ev, w->call, &w->view, &w->since, w->limit, 0))
			gl_watcher_unlink(w);
		w = next;
	}
}

void
gl_events_release_all(gl_events *ev)
{
	while (ev->head != NULL) {
		gl_watcher *w = ev->head;
		gl_watch_try(ev, w->call, &w->view, &w->since, w->limit, 1);
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
