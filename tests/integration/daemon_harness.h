/*
 * daemon_harness.h - runs the real glossd as a child process for the
 * integration tests: a fresh temporary data folder, an ipc:// socket inside
 * it (and optionally a free 127.0.0.1 TCP port), start and wait until
 * Health answers, SIGKILL / SIGTERM, restart on the same data, clean up.
 *
 * Paths to built binaries come from the environment that meson sets:
 *   GLOSSD                  the glossd executable
 *   GLOSS_PLUGINS_DIR       build/plugins (the real plugins)
 *   GLOSS_TEST_PLUGINS_DIR  build/tests/plugins (the misbehaving ones)
 *
 * It also offers an envelope-level call over a raw nng REQ socket, for what
 * libgloss cannot send on purpose (garbage bytes, a chosen timeout_ms with a
 * longer wait) and to read an answer's details on success.
 */
#ifndef GL_DAEMON_HARNESS_H
#define GL_DAEMON_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gloss/client.h"

#define GL_DH_TOKEN "integration-admin-token-0123456789"
#define GL_DH_MAX_ARGS 24
/* How long a start may take: generous, for loaded CI machines and ASan. */
#define GL_DH_START_S 60

typedef struct gl_dh {
	char dir[256];      /* the data folder (removed by gl_dh_cleanup) */
	char ipc_url[320];  /* ipc://DIR/s.sock */
	char tcp_url[64];   /* tcp://127.0.0.1:PORT, or "" without one */
	char log_path[320]; /* DIR/glossd.log: the daemon's stdout+stderr */
	const char *glossd; /* from $GLOSSD */
	char *args[GL_DH_MAX_ARGS]; /* extra arguments (owned) */
	int nargs;
	pid_t pid;          /* 0 when not running */
	int last_status;    /* waitpid status of the last exit */
} gl_dh;

/*
 * Prepares d with a fresh data folder named after tag.  with_tcp adds a
 * --listen on a free loopback port.  Returns 0 or -1 (message on stderr).
 */
int gl_dh_init(gl_dh *d, const char *tag, int with_tcp);
/* Appends one extra glossd argument (copied), e.g. "--max-message". */
void gl_dh_arg(gl_dh *d, const char *arg);
/*
 * Starts glossd and waits up to GL_DH_START_S until Health says SERVING.  Returns 0,
 * or -1 if it exited or never answered (its log is printed to stderr).
 */
int gl_dh_start(gl_dh *d);
/*
 * Runs glossd with the given data folder and arguments, expecting it to
 * exit on its own within timeout_ms; returns its exit code (or 128+signal),
 * -1 if it did not exit (it is then killed).  Output goes to log_path.
 */
int gl_dh_run_expect_exit(gl_dh *d, const char *log_path, int timeout_ms);
/* SIGKILL and reap.  0 or -1 when not running. */
int gl_dh_kill9(gl_dh *d);
/*
 * Sends SIGTERM and waits up to timeout_ms for the exit.  Returns the exit
 * code (128+N for a signal), or -1 if it did not exit in time (then it is
 * SIGKILLed).  *elapsed_ms, when given, receives the time it took.
 */
int gl_dh_term(gl_dh *d, int timeout_ms, int *elapsed_ms);
/* Waits up to timeout_ms for an exit already under way; as gl_dh_term. */
int gl_dh_wait_exit(gl_dh *d, int timeout_ms, int *elapsed_ms);
/* Stops it if running (SIGKILL), frees the arguments, removes the folder. */
void gl_dh_cleanup(gl_dh *d);
/* 1 if the daemon's log contains needle. */
int gl_dh_log_contains(const gl_dh *d, const char *needle);
/* Prints the daemon's log to stderr, for a failing test. */
void gl_dh_dump_log(const gl_dh *d);

/*
 * A libgloss client on the ipc URL.  token NULL means the admin token, ""
 * none.  timeout_ms 0 keeps the default.  NULL on failure.
 */
gloss_client *gl_dh_client(const gl_dh *d, const char *token,
    uint32_t timeout_ms);
/* Health/Check answers SERVING through a fresh client (waits up to 3 s). */
int gl_dh_serving(const gl_dh *d);

/*
 * Sends bytes as one raw nng message to url and decodes the reply as an
 * RpcResponse into *out (free with gloss__v1__rpc_response__free_unpacked).
 * Returns 0; -ETIMEDOUT without an answer in wait_ms; -EPROTO if the reply
 * is not an RpcResponse; -EIO on other transport failures.
 */
int gl_dh_raw(const char *url, const void *bytes, size_t len, int wait_ms,
    Gloss__V1__RpcResponse **out);
/*
 * Builds an RpcRequest (token NULL: none; request_id NULL: none) and sends
 * it with gl_dh_raw.
 */
int gl_dh_envelope(const char *url, const char *method, const char *token,
    uint32_t timeout_ms, const char *request_id, const void *payload,
    size_t len, int wait_ms, Gloss__V1__RpcResponse **out);
/* details[key] of a response, or NULL. */
const char *gl_dh_detail(const Gloss__V1__RpcResponse *r, const char *key);

/* Milliseconds on a monotonic clock. */
int64_t gl_dh_now_ms(void);

/* Creates project name (mode shared); 0 or a negative code. */
int gl_dh_make_project(gloss_client *c, const char *name);
/* Imports one document, returns its id or a negative code. */
int64_t gl_dh_import_one(gloss_client *c, const char *project,
    const char *title, const char *text);

#endif /* GL_DAEMON_HARNESS_H */
