/*
 * daemon_harness.c - glossd as a child process for the integration tests
 * (see daemon_harness.h).
 *
 * The child gets PR_SET_PDEATHSIG so a test that dies (or is killed by
 * meson's timeout) never leaves a daemon behind; its output goes to a log
 * file in its data folder, which is printed when a start fails.
 */
#include "tests/integration/daemon_harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

int64_t
gl_dh_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
gl_dh_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A loopback port that was free a moment ago (the kernel picks it). */
static int
gl_dh_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa = { 0 };
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	int port = -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int
gl_dh_init(gl_dh *d, const char *tag, int with_tcp)
{
	memset(d, 0, sizeof(*d));
	d->glossd = getenv("GLOSSD");
	if (d->glossd == NULL || d->glossd[0] == '\0') {
		fprintf(stderr, "harness: GLOSSD (path to glossd) is not set\n");
		return -1;
	}
	/* /tmp rather than $TMPDIR: an ipc:// path must stay short. */
	snprintf(d->dir, sizeof(d->dir), "/tmp/gloss-%s-XXXXXX", tag);
	if (mkdtemp(d->dir) == NULL) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", d->dir, strerror(errno));
		return -1;
	}
	snprintf(d->ipc_url, sizeof(d->ipc_url), "ipc://%s/s.sock", d->dir);
	snprintf(d->log_path, sizeof(d->log_path), "%s/glossd.log", d->dir);
	if (with_tcp) {
		int port = gl_dh_free_port();
		if (port <= 0) {
			fprintf(stderr, "harness: no free loopback port\n");
			return -1;
		}
		snprintf(d->tcp_url, sizeof(d->tcp_url), "tcp://127.0.0.1:%d", port);
	}
	return 0;
}

void
gl_dh_arg(gl_dh *d, const char *arg)
{
	if (d->nargs < GL_DH_MAX_ARGS)
		d->args[d->nargs++] = strdup(arg);
	else
		fprintf(stderr, "harness: too many glossd arguments\n");
}

/* Forks glossd writing to log; returns the pid or -1. */
static pid_t
gl_dh_spawn(gl_dh *d, const char *log)
{
	char *argv[GL_DH_MAX_ARGS + 10];
	int n = 0;
	argv[n++] = (char *)d->glossd;
	argv[n++] = (char *)"--data";
	argv[n++] = d->dir;
	argv[n++] = (char *)"--listen";
	argv[n++] = d->ipc_url;
	if (d->tcp_url[0]) {
		argv[n++] = (char *)"--listen";
		argv[n++] = d->tcp_url;
	}
	for (int i = 0; i < d->nargs; i++)
		argv[n++] = d->args[i];
	argv[n] = NULL;

	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "harness: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		setenv("GLOSS_ADMIN_TOKEN", GL_DH_TOKEN, 1);
		execv(d->glossd, argv);
		fprintf(stderr, "harness: exec %s: %s\n", d->glossd, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Exit code, 128+signal, or -1 while still running. */
static int
gl_dh_decode(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/*
 * The connect timeout is long on purpose: with nng 1.5.2 a client that
 * closes while its ipc:// connection is still in the SP handshake breaks
 * the server's ipc listener for good (nng issue #1518), so a probe must
 * never give up in the middle of one.
 */
static int
gl_dh_health_status(const char *url)
{
	gloss_connect_opts o = { .timeout_ms = 3000, .connect_timeout_ms = 3000 };
	gloss_client *c;
	if (gloss_connect_ex(url, NULL, &o, &c) != 0)
		return -1;
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	int rc = gloss_health_check(c, &req, &resp, NULL);
	int status = rc == 0 ? (int)resp->status : rc;
	gloss_free(resp);
	gloss_close(c);
	return status;
}

int
gl_dh_serving(const gl_dh *d)
{
	return gl_dh_health_status(d->ipc_url) ==
	    GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING;
}

void
gl_dh_dump_log(const gl_dh *d)
{
	FILE *f = fopen(d->log_path, "r");
	if (f == NULL)
		return;
	fprintf(stderr, "---- %s ----\n", d->log_path);
	char line[1024];
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, stderr);
	fprintf(stderr, "---- end of log ----\n");
	fclose(f);
}

/* What a stuck child is doing, from /proc, for the test log. */
static void
gl_dh_describe(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	FILE *f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL)
			fprintf(stderr, "harness: glossd %d waits in %s\n", (int)pid, buf);
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(buf, sizeof(buf), f) != NULL)
			if (strncmp(buf, "State:", 6) == 0 || strncmp(buf, "Threads:", 8) == 0)
				fprintf(stderr, "harness: %s", buf);
		fclose(f);
	}
}

int
gl_dh_start(gl_dh *d)
{
	if (d->pid > 0) {
		fprintf(stderr, "harness: glossd already running\n");
		return -1;
	}
	/*
	 * A socket file left by a killed daemon would let probes dial before
	 * the new one listens; remove it and wait for the new one instead.
	 */
	const char *sock = d->ipc_url + strlen("ipc://");
	unlink(sock);
	d->pid = gl_dh_spawn(d, d->log_path);
	if (d->pid < 0) {
		d->pid = 0;
		return -1;
	}
	int64_t until = gl_dh_now_ms() + GL_DH_START_S * 1000;
	while (gl_dh_now_ms() < until) {
		int status;
		struct stat sb;
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			d->last_status = status;
			fprintf(stderr, "harness: glossd exited during start (%d)\n",
			    gl_dh_decode(status));
			gl_dh_dump_log(d);
			return -1;
		}
		if (stat(sock, &sb) == 0 && gl_dh_serving(d))
			return 0;
		gl_dh_sleep_ms(20);
	}
	fprintf(stderr, "harness: glossd did not answer Health within %d s\n",
	    GL_DH_START_S);
	gl_dh_describe(d->pid);
	gl_dh_dump_log(d);
	gl_dh_kill9(d);
	return -1;
}

int
gl_dh_wait_exit(gl_dh *d, int timeout_ms, int *elapsed_ms)
{
	if (d->pid <= 0)
		return -1;
	int64_t t0 = gl_dh_now_ms();
	int64_t until = t0 + timeout_ms;
	for (;;) {
		int status;
		pid_t r = waitpid(d->pid, &status, WNOHANG);
		if (r == d->pid) {
			if (elapsed_ms)
				*elapsed_ms = (int)(gl_dh_now_ms() - t0);
			d->pid = 0;
			d->last_status = status;
			return gl_dh_decode(status);
		}
		if (r < 0 && errno != EINTR) {
			d->pid = 0;
			return -1;
		}
		if (gl_dh_now_ms() >= until)
			break;
		gl_dh_sleep_ms(5);
	}
	if (elapsed_ms)
		*elapsed_ms = (int)(gl_dh_now_ms() - t0);
	gl_dh_kill9(d);
	return -1;
}

int
gl_dh_term(gl_dh *d, int timeout_ms, int *elapsed_ms)
{
	if (d->pid <= 0)
		return -1;
	kill(d->pid, SIGTERM);
	return gl_dh_wait_exit(d, timeout_ms, elapsed_ms);
}

int
gl_dh_kill9(gl_dh *d)
{
	if (d->pid <= 0)
		return -1;
	kill(d->pid, SIGKILL);
	int status;
	while (waitpid(d->pid, &status, 0) < 0 && errno == EINTR)
		;
	d->last_status = status;
	d->pid = 0;
	return 0;
}

int
gl_dh_run_expect_exit(gl_dh *d, const char *log, int timeout_ms)
{
	pid_t pid = gl_dh_spawn(d, log);
	if (pid < 0)
		return -1;
	int64_t until = gl_dh_now_ms() + timeout_ms;
	for (;;) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return gl_dh_decode(status);
		if (gl_dh_now_ms() >= until)
			break;
		gl_dh_sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static int
gl_dh_rm_cb(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb, (void)type, (void)ftw;
	return remove(path);
}

void
gl_dh_cleanup(gl_dh *d)
{
	gl_dh_kill9(d);
	for (int i = 0; i < d->nargs; i++)
		free(d->args[i]);
	d->nargs = 0;
	if (d->dir[0] && getenv("GLOSS_KEEP_TEST_DATA") == NULL)
		nftw(d->dir, gl_dh_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	d->dir[0] = '\0';
}

int
gl_dh_log_contains(const gl_dh *d, const char *needle)
{
	FILE *f = fopen(d->log_path, "r");
	if (f == NULL)
		return 0;
	char line[4096];
	int found = 0;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

gloss_client *
gl_dh_client(const gl_dh *d, const char *token, uint32_t timeout_ms)
{
	gloss_connect_opts o = { .timeout_ms = timeout_ms };
	gloss_client *c = NULL;
	if (gloss_connect_ex(d->ipc_url, token ? token : GL_DH_TOKEN, &o, &c) != 0) {
		fprintf(stderr, "harness: connect %s: %s\n", d->ipc_url,
		    gloss_last_error());
		return NULL;
	}
	return c;
}

int
gl_dh_raw(const char *url, const void *bytes, size_t len, int wait_ms,
    Gloss__V1__RpcResponse **out)
{
	nng_socket s;
	*out = NULL;
	if (nng_req0_open(&s) != 0)
		return -EIO;
	nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, 0);
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, wait_ms);
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, wait_ms);
	int rv = nng_dial(s, url, NULL, 0);
	if (rv != 0) {
		nng_close(s);
		return -EIO;
	}
	if ((rv = nng_send(s, (void *)bytes, len, 0)) != 0) {
		nng_close(s);
		return rv == NNG_ETIMEDOUT ? -ETIMEDOUT : -EIO;
	}
	void *buf = NULL;
	size_t blen = 0;
	rv = nng_recv(s, &buf, &blen, NNG_FLAG_ALLOC);
	nng_close(s);
	if (rv != 0)
		return rv == NNG_ETIMEDOUT ? -ETIMEDOUT : -EIO;
	*out = gloss__v1__rpc_response__unpack(NULL, blen, buf);
	nng_free(buf, blen);
	return *out ? 0 : -EPROTO;
}

int
gl_dh_envelope(const char *url, const char *method, const char *token,
    uint32_t timeout_ms, const char *request_id, const void *payload,
    size_t len, int wait_ms, Gloss__V1__RpcResponse **out)
{
	Gloss__V1__RpcRequest rq = GLOSS__V1__RPC_REQUEST__INIT;
	Gloss__V1__RpcRequest__MetadataEntry md =
	    GLOSS__V1__RPC_REQUEST__METADATA_ENTRY__INIT;
	Gloss__V1__RpcRequest__MetadataEntry *mdp = &md;
	char auth[256];
	rq.method = (char *)method;
	rq.timeout_ms = timeout_ms;
	rq.request_id = (char *)(request_id ? request_id : "");
	rq.payload.data = (uint8_t *)payload;
	rq.payload.len = payload ? len : 0;
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		md.key = (char *)"authorization";
		md.value = auth;
		rq.n_metadata = 1;
		rq.metadata = &mdp;
	}
	size_t n = gloss__v1__rpc_request__get_packed_size(&rq);
	uint8_t *buf = malloc(n ? n : 1);
	if (buf == NULL)
		return -ENOMEM;
	gloss__v1__rpc_request__pack(&rq, buf);
	int rc = gl_dh_raw(url, buf, n, wait_ms, out);
	free(buf);
	return rc;
}

const char *
gl_dh_detail(const Gloss__V1__RpcResponse *r, const char *key)
{
	for (size_t i = 0; r != NULL && i < r->n_details; i++)
		if (r->details[i]->key && strcmp(r->details[i]->key, key) == 0)
			return r->details[i]->value;
	return NULL;
}

int
gl_dh_make_project(gloss_client *c, const char *name)
{
	Gloss__V1__CreateProjectRequest req = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	Gloss__V1__CreateProjectResponse *resp = NULL;
	req.name = (char *)name;
	req.mode = (char *)"shared";
	int rc = gloss_projects_create(c, &req, &resp, NULL);
	if (rc != 0)
		fprintf(stderr, "harness: create project %s: %s\n", name,
		    gloss_last_error());
	gloss_free(resp);
	return rc;
}

int64_t
gl_dh_import_one(gloss_client *c, const char *project, const char *title,
    const char *text)
{
	Gloss__V1__DocumentInput in = GLOSS__V1__DOCUMENT_INPUT__INIT;
	Gloss__V1__DocumentInput *pin = &in;
	Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
	Gloss__V1__ImportResponse *resp = NULL;
	in.title = (char *)title;
	in.text = (char *)text;
	req.project = (char *)project;
	req.n_documents = 1;
	req.documents = &pin;
	int rc = gloss_documents_import(c, &req, &resp, NULL);
	if (rc != 0) {
		fprintf(stderr, "harness: import %s: %s\n", title, gloss_last_error());
		return rc;
	}
	int64_t id = resp->n_results == 1 ? resp->results[0]->id : -1;
	gloss_free(resp);
	return id;
}
