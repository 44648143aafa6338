/*
 * daemon.h - the state glossd's modules share.  It lives on the loop
 * thread; worker threads get copies of what they need, never this.
 */
#ifndef GL_DAEMON_H
#define GL_DAEMON_H

#include <uv.h>

#include "daemon/plugins.h"
#include "daemon/rpc.h"
#include "daemon/store.h"

typedef struct gl_events gl_events;
typedef struct gl_jobs gl_jobs;

typedef struct gl_daemon {
	uv_loop_t *loop;
	gl_store *store;
	gl_rpc *rpc;
	gl_plugins *plugins;
	gl_events *events;
	gl_jobs *jobs;
	struct gl_sessions *sessions; /* presence, owned by svc_sessions.c */
	const char *db_path;
	unsigned workers; /* analysis threads */
} gl_daemon;

#endif /* GL_DAEMON_H */
