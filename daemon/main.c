/*
 * main.c - glossd: wires the store, the RPC layer, the services, the
 * plugins and the jobs onto one libuv loop, and shuts them down in order
 * on SIGTERM/SIGINT: stop taking calls, let in-flight ones finish, answer
 * watchers, let analysis chunks end, checkpoint, exit 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "common/log.h"
#include "daemon/auth.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "daemon/events.h"
#include "daemon/ipcwatch.h"
#include "daemon/jobs.h"
#include "daemon/services.h"

/* How long a graceful stop may take before glossd gives up waiting. */
#define GL_MAIN_STOP_MS 4500

typedef struct gl_main {
	gl_daemon d;
	gl_ipcwatch *ipcwatch;
	gl_config cfg;
	uv_signal_t sigterm, sigint;
	uv_timer_t stop_timer, poll_timer, prune_timer;
	int stopping;
	int rpc_drained;
	uint64_t quiet_since; /* uv_now() when everything first looked done */
	int exit_code;
} gl_main;

static void
gl_main_on_commit(void *arg)
{
	gl_main *m = arg;
	gl_events_committed(m->d.events);
	gl_jobs_committed(m->d.jobs);
}

static void
gl_main_close_cb(uv_handle_t *h)
{
	(void)h;
}

/* Everything is quiet: close the handles so uv_run returns. */
static void
gl_main_finish(gl_main *m)
{
	uv_timer_stop(&m->stop_timer);
	uv_timer_stop(&m->poll_timer);
	uv_close((uv_handle_t *)&m->stop_timer, gl_main_close_cb);
	uv_close((uv_handle_t *)&m->poll_timer, gl_main_close_cb);
	uv_timer_stop(&m->prune_timer);
	uv_close((uv_handle_t *)&m->prune_timer, gl_main_close_cb);
	uv_close((uv_handle_t *)&m->sigterm, gl_main_close_cb);
	uv_close((uv_handle_t *)&m->sigint, gl_main_close_cb);
	uv_stop(m->d.loop);
}

static void
gl_main_poll(uv_timer_t *t)
{
	gl_main *m = t->data;
	/* Answer watchers parked since the drain began (their timers may be long). */
	gl_events_release_all(m->d.events);
	gl_rpc_flush(m->d.rpc);
	if (!m->rpc_drained || gl_jobs_active(m->d.jobs) != 0 ||
	    gl_rpc_sends_pending(m->d.rpc) != 0) {
		m->quiet_since = 0;
		return;
	}
	/*
	 * A completed send may still sit in the transport's buffer; give it a
	 * moment to reach the wire before the socket closes.
	 */
	if (m->quiet_since == 0)
		m->quiet_since = uv_now(m->d.loop);
	else if (uv_now(m->d.loop) - m->quiet_since >= 60)
		gl_main_finish(m);
}

static void
gl_main_drained(void *arg)
{
	gl_main *m = arg;
	m->rpc_drained = 1;
}

static void
gl_main_stop_timeout(uv_timer_t *t)
{
	gl_main *m = t->data;
	gl_log(GL_LOG_WARN, "glossd", "stopping without waiting any longer "
	    "(%u analysis chunks still running)", gl_jobs_active(m->d.jobs));
	m->exit_code = 1;
	gl_main_finish(m);
}

static void
gl_main_signal(uv_signal_t *s, int signum)
{
	gl_main *m = s->data;
	if (m->stopping) {
		gl_log(GL_LOG_WARN, "glossd", "second signal: exiting now");
		m->exit_code = 1;
		gl_main_finish(m);
		return;
	}
	m->stopping = 1;
	gl_log(GL_LOG_INFO, "glossd", "%s: draining", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	gl_jobs_cancel_all(m->d.jobs);
	gl_rpc_drain(m->d.rpc, gl_main_drained, m);
	gl_events_release_all(m->d.events);
	uv_timer_start(&m->stop_timer, gl_main_stop_timeout, GL_MAIN_STOP_MS, 0);
	uv_timer_start(&m->poll_timer, gl_main_poll, 0, 20);
}

/* Request ids are kept a day: long enough for any client to retry a write. */
#define GL_MAIN_REQUEST_ID_TTL_MS (24 * 3600 * 1000LL)

static void
gl_main_prune(uv_timer_t *t)
{
	gl_main *m = t->data;
	gl_err err;
	/* Joins the group transaction of this turn; the check handle commits it. */
	if (gl_store_begin(m->d.store, &err) != 0 ||
	    gl_store_request_prune(m->d.store,
	        gl_store_now_ms() - GL_MAIN_REQUEST_ID_TTL_MS, &err) != 0)
		gl_log(GL_LOG_WARN, "glossd", "cannot prune old request ids: %s", err.msg);
}

static const char *
gl_main_plugin_config(const char *name, void *arg)
{
	return gl_config_plugin(arg, name);
}

static int
gl_main_load_plugins(gl_main *m, gl_err *err)
{
	char **defaults = NULL;
	size_t ndefaults = 0;
	if (gl_plugins_new(&m->d.plugins) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (gl_plugins_default_path(&defaults, &ndefaults) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	size_t n = m->cfg.nplugin_dirs + ndefaults;
	const char **dirs = calloc(n ? n : 1, sizeof(*dirs));
	if (dirs == NULL) {
		gl_plugins_free_path(defaults);
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	for (size_t i = 0; i < m->cfg.nplugin_dirs; i++)
		dirs[i] = m->cfg.plugin_dirs[i];
	for (size_t i = 0; i < ndefaults; i++)
		dirs[m->cfg.nplugin_dirs + i] = defaults[i];
	int rc = gl_plugins_load_dirs(m->d.plugins, dirs, n, gl_main_plugin_config, &m->cfg);
	free(dirs);
	gl_plugins_free_path(defaults);
	if (rc < 0)
		return gl_err_set(err, GL_INTERNAL, "cannot load plugins");
	return 0;
}

static int
gl_main_mkdir(const char *dir, gl_err *err)
{
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return gl_err_set(err, GL_UNAVAILABLE, "cannot create data folder %s: %s",
		    dir, strerror(errno));
	return 0;
}

static int
gl_main_start(gl_main *m, gl_err *err)
{
	gl_daemon *d = &m->d;
	int rc;
	if ((rc = gl_main_mkdir(m->cfg.data_dir, err)) != 0)
		return rc;
	d->db_path = m->cfg.db_path;
	d->workers = m->cfg.workers;
	if ((rc = gl_store_open(m->cfg.db_path, &d->store, err)) != 0)
		return rc;
	char token[64];
	int created;
	if ((rc = gl_auth_bootstrap(d->store, getenv("GLOSS_ADMIN_TOKEN"), token,
	         &created, err)) != 0)
		return rc;
	if (created && token[0]) {
		printf("glossd: created user \"admin\"; its token (shown only this "
		    "once, keep it):\n%s\n", token);
		fflush(stdout);
	} else if (created) {
		gl_log(GL_LOG_INFO, "auth", "created user \"admin\" with GLOSS_ADMIN_TOKEN");
	}
	if ((rc = gl_main_load_plugins(m, err)) != 0)
		return rc;
	gl_rpc_config rc_cfg = {
		.listen = (const char *const *)m->cfg.listen,
		.nlisten = m->cfg.nlisten,
		.max_message = m->cfg.max_message,
		.tls_cert = m->cfg.tls_cert,
		.tls_key = m->cfg.tls_key,
		.contexts = m->cfg.contexts,
		.max_contexts = 8192,
	};
	if ((rc = gl_rpc_new(d->loop, d->store, &rc_cfg, &d->rpc, err)) != 0 ||
	    (rc = gl_events_new(d, &d->events, err)) != 0 ||
	    (rc = gl_jobs_new(d, &d->jobs, err)) != 0 ||
	    (rc = gl_services_register(d, err)) != 0)
		return rc;
	gl_rpc_on_commit(d->rpc, gl_main_on_commit, m);
	if ((rc = gl_rpc_start(d->rpc, err)) != 0 ||
	    (rc = gl_ipcwatch_new(d->loop, d->rpc, 500, &m->ipcwatch, err)) != 0)
		return rc;
	uv_signal_init(d->loop, &m->sigterm);
	uv_signal_init(d->loop, &m->sigint);
	m->sigterm.data = m->sigint.data = m;
	uv_signal_start(&m->sigterm, gl_main_signal, SIGTERM);
	uv_signal_start(&m->sigint, gl_main_signal, SIGINT);
	uv_timer_init(d->loop, &m->stop_timer);
	uv_timer_init(d->loop, &m->poll_timer);
	uv_timer_init(d->loop, &m->prune_timer);
	m->stop_timer.data = m->poll_timer.data = m->prune_timer.data = m;
	uv_timer_start(&m->prune_timer, gl_main_prune, 1000, 3600 * 1000);
	uv_unref((uv_handle_t *)&m->prune_timer);
	gl_log(GL_LOG_INFO, "glossd", "serving %s (database %s, %zu plugins)",
	    GLOSS_VERSION, m->cfg.db_path, gl_plugins_count(d->plugins));
	return 0;
}

static void
gl_main_cleanup(gl_main *m)
{
	gl_daemon *d = &m->d;
	gl_ipcwatch_free(m->ipcwatch);
	m->ipcwatch = NULL;
	if (d->rpc)
		gl_rpc_flush(d->rpc);
	gl_svc_sessions_free(d);
	gl_events_free(d->events);
	gl_rpc_free(d->rpc);
	gl_jobs_free(d->jobs);
	gl_store_close(d->store);
	gl_plugins_free(d->plugins);
	gl_config_free(&m->cfg);
}

int
main(int argc, char **argv)
{
	static gl_main m;
	gl_err err;
	if (gl_config_parse(&m.cfg, argc, argv, &err) != 0) {
		fprintf(stderr, "glossd: %s\n", err.msg);
		gl_config_free(&m.cfg);
		return 2;
	}
	if (m.cfg.help) {
		gl_config_usage(argv[0]);
		gl_config_free(&m.cfg);
		return 0;
	}
	if (m.cfg.version) {
		printf("glossd %s\n", GLOSS_VERSION);
		gl_config_free(&m.cfg);
		return 0;
	}
	gl_log_set_level(m.cfg.log_level);
	/* The pool must be sized before its first use: analysis plus slack. */
	char pool[16];
	snprintf(pool, sizeof(pool), "%u", m.cfg.workers + 2);
	setenv("UV_THREADPOOL_SIZE", pool, 0);
	m.d.loop = uv_default_loop();
	if (gl_main_start(&m, &err) != 0) {
		fprintf(stderr, "glossd: %s\n", err.msg);
		gl_main_cleanup(&m);
		return 1;
	}
	uv_run(m.d.loop, UV_RUN_DEFAULT);
	gl_main_cleanup(&m);
	/* Let closed handles finish so the loop can be closed cleanly. */
	uv_run(m.d.loop, UV_RUN_NOWAIT);
	uv_loop_close(m.d.loop);
	gl_log(GL_LOG_INFO, "glossd", "stopped");
	return m.exit_code;
}
