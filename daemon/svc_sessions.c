/*
 * svc_sessions.c - /gloss.v1.Sessions: who is looking at which document.
 *
 * Presence lives in memory only: it is about now, and a restart ends every
 * session anyway.  Heartbeats refresh an entry; opening another document,
 * or an entry going stale (no heartbeat for the TTL), appends a
 * session.opened / session.closed event so watchers see people come and go.
 */
#include "daemon/services.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "gloss/v1/sessions.pb-c.h"

#define GL_SESSION_TTL_MS 30000u
#define GL_SESSION_SWEEP_MS 2000u

typedef struct gl_session {
	int64_t project_id;
	char user[64];
	int64_t document_id;
	int64_t since, last_seen;
	struct gl_session *next;
} gl_session;

struct gl_sessions {
	gl_daemon *d;
	gl_session *head;
	uv_timer_t sweep;
	uint32_t ttl_ms;
};

static int
gl_sessions_event(gl_daemon *d, const gl_session *s, const char *kind, gl_err *err)
{
	char detail[200];
	snprintf(detail, sizeof(detail), "{\"user\":\"%s\",\"document\":%" PRId64 "}",
	    s->user, s->document_id);
	return gl_events_append(d, s->project_id, s->document_id, kind, 0, 0,
	    s->user, NULL, detail, err);
}

static void
gl_sessions_sweep(uv_timer_t *t)
{
	struct gl_sessions *ss = t->data;
	int64_t now = gl_store_now_ms();
	gl_session **pp = &ss->head;
	gl_err err;
	while (*pp != NULL) {
		gl_session *s = *pp;
		if (now - s->last_seen <= (int64_t)ss->ttl_ms) {
			pp = &s->next;
			continue;
		}
		/* Committed by the RPC layer's group commit at the end of this turn. */
		if (gl_store_begin(ss->d->store, &err) != 0 ||
		    gl_sessions_event(ss->d, s, "session.closed", &err) != 0)
			gl_log(GL_LOG_WARN, "sessions", "cannot record a closed session: %s",
			    err.msg);
		*pp = s->next;
		free(s);
	}
}


static void
gl_sessions_heartbeat(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	struct gl_sessions *ss = d->sessions;
	const Gloss__V1__HeartbeatRequest *req = (const Gloss__V1__HeartbeatRequest *)msg;
	Gloss__V1__Project *p;
	gl_err err;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_VIEWER, &p) != 0)
		return;
	if (req->document_id != 0) {
		int64_t pid;
		if ((rc = gl_store_document_project(d->store, req->document_id, &pid, &err)) != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		if (pid != p->id) {
			gl_call_fail(call, GL_INVALID_ARGUMENT,
			    "the document is not in that project");
			return;
		}
	}
	const char *user = gl_svc_author(call);
	gl_session *s = ss->head;
	while (s != NULL && !(s->project_id == p->id && strcmp(s->user, user) == 0))
		s = s->next;
	int64_t now = gl_store_now_ms();
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		s->project_id = p->id;
		snprintf(s->user, sizeof(s->user), "%s", user);
		s->document_id = req->document_id;
		s->since = now;
		if ((rc = gl_sessions_event(d, s, "session.opened", &err)) != 0) {
			free(s);
			gl_call_fail_err(call, rc, &err);
			return;
		}
		s->next = ss->head;
		ss->head = s;
	} else if (s->document_id != req->document_id) {
		int64_t old = s->document_id;
		s->document_id = req->document_id;
		if ((rc = gl_sessions_event(d, s, "session.opened", &err)) != 0) {
			s->document_id = old;
			gl_call_fail_err(call, rc, &err);
			return;
		}
		s->since = now;
	}
	s->last_seen = now;
	Gloss__V1__HeartbeatResponse r = GLOSS__V1__HEARTBEAT_RESPONSE__INIT;
	r.ttl_ms = ss->ttl_ms;
	gl_call_reply(call, &r.base);
}

static void
gl_sessions_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListSessionsRequest *req = (const Gloss__V1__ListSessionsRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	Gloss__V1__Project *p;
	if (gl_svc_project(call, d, req->project, GL_ROLE_VIEWER, &p) != 0)
		return;
	size_t n = 0;
	int64_t now = gl_store_now_ms();
	for (gl_session *s = d->sessions->head; s; s = s->next)
		n++;
	Gloss__V1__ListSessionsResponse r = GLOSS__V1__LIST_SESSIONS_RESPONSE__INIT;
	r.sessions = gl_arena_alloc(a, (n ? n : 1) * sizeof(*r.sessions));
	if (r.sessions == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	for (gl_session *s = d->sessions->head; s; s = s->next) {
		if (s->project_id != p->id || now - s->last_seen > (int64_t)d->sessions->ttl_ms)
			continue;
		Gloss__V1__Presence *x = gl_pb_new(a, &gloss__v1__presence__descriptor);
		if (x == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		x->user = gl_pb_str(a, s->user);
		x->document_id = s->document_id;
		x->since = s->since;
		x->last_seen = s->last_seen;
		r.sessions[r.n_sessions++] = x;
	}
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_sessions_methods[] = {
	{ "Heartbeat", gl_sessions_heartbeat, GL_RPC_WRITE },
	{ "List", gl_sessions_list, GL_RPC_READ },
};

static void
gl_sessions_closed(uv_handle_t *h)
{
	struct gl_sessions *ss = h->data;
	while (ss->head) {
		gl_session *s = ss->head;
		ss->head = s->next;
		free(s);
	}
	free(ss);
}

void
gl_svc_sessions_free(gl_daemon *d)
{
	if (d->sessions == NULL)
		return;
	uv_timer_stop(&d->sessions->sweep);
	uv_close((uv_handle_t *)&d->sessions->sweep, gl_sessions_closed);
	d->sessions = NULL;
}

int
gl_svc_sessions_register(gl_daemon *d, gl_err *err)
{
	struct gl_sessions *ss = calloc(1, sizeof(*ss));
	if (ss == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	ss->d = d;
	const char *ttl = getenv("GLOSS_SESSION_TTL_MS");
	ss->ttl_ms = ttl && atoi(ttl) > 0 ? (uint32_t)atoi(ttl) : GL_SESSION_TTL_MS;
	uv_timer_init(d->loop, &ss->sweep);
	ss->sweep.data = ss;
	uv_timer_start(&ss->sweep, gl_sessions_sweep, GL_SESSION_SWEEP_MS,
	    GL_SESSION_SWEEP_MS);
	uv_unref((uv_handle_t *)&ss->sweep);
	d->sessions = ss;
	return gl_rpc_register(d->rpc, &gloss__v1__sessions__descriptor,
	    gl_sessions_methods, 2, d, err);
}
