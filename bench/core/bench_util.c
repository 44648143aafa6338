/*
 * bench_util.c - shared helpers of the core benchmarks (see bench_util.h).
 */
#include "bench_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

uint64_t
gl_bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int64_t
gl_bench_unix_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double
gl_bench_now_s(void)
{
	return (double)gl_bench_now_ns() / 1e9;
}

static int
gl_bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double
gl_bench_pct(double *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), gl_bench_cmp_double);
	size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

int
gl_bench_quick(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--quick") == 0)
			return 1;
	return 0;
}

const char *
gl_bench_fmt_rate(double n, char *buf, size_t len)
{
	if (n >= 1e6)
		snprintf(buf, len, "%.2fM", n / 1e6);
	else if (n >= 1e4)
		snprintf(buf, len, "%.1fk", n / 1e3);
	else
		snprintf(buf, len, "%.0f", n);
	return buf;
}

const char *
gl_bench_tmp_parent(void)
{
	const char *p = getenv("GLOSS_BENCH_DIR");
	if (p == NULL || p[0] == '\0')
		p = getenv("TMPDIR");
	return p && p[0] ? p : "/tmp";
}

int
gl_bench_mkdtemp(const char *tag, char *out, size_t len)
{
	snprintf(out, len, "%s/gloss-bench-%s-XXXXXX", gl_bench_tmp_parent(), tag);
	if (mkdtemp(out) == NULL) {
		fprintf(stderr, "bench: cannot create %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 0;
}

void
gl_bench_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	char p[1024];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			gl_bench_rmtree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

void
gl_bench_fs_type(const char *path, char *out, size_t len)
{
	struct statfs sf;
	if (statfs(path, &sf) != 0) {
		snprintf(out, len, "?");
		return;
	}
	switch ((unsigned long)sf.f_type) {
	case 0xEF53: snprintf(out, len, "ext4"); break;
	case 0x01021994: snprintf(out, len, "tmpfs"); break;
	case 0x58465342: snprintf(out, len, "xfs"); break;
	case 0x9123683E: snprintf(out, len, "btrfs"); break;
	case 0x794c7630: snprintf(out, len, "overlayfs"); break;
	default: snprintf(out, len, "fs 0x%lx", (unsigned long)sf.f_type); break;
	}
}

int
gl_bench_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	int port = -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static long
gl_bench_status_kb(pid_t pid, const char *key)
{
	char p[64], line[256];
	snprintf(p, sizeof(p), "/proc/%d/status", (int)pid);
	FILE *f = fopen(p, "r");
	if (f == NULL)
		return -1;
	long kb = -1;
	size_t kl = strlen(key);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			kb = strtol(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

long
gl_bench_rss_kb(pid_t pid)
{
	return gl_bench_status_kb(pid, "VmRSS");
}

long
gl_bench_hwm_kb(pid_t pid)
{
	return gl_bench_status_kb(pid, "VmHWM");
}

long long
gl_bench_dir_bytes(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	long long sum = 0;
	struct dirent *e;
	char p[1024];
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			sum += (long long)st.st_size;
	}
	closedir(d);
	return sum;
}

/* ---- glossd --------------------------------------------------------- */

const char *
gl_bench_glossd_path(void)
{
	const char *p = getenv("GLOSSD");
	return p && p[0] ? p : GL_BENCH_GLOSSD;
}

const char *
gl_bench_plugins_dir(void)
{
	const char *p = getenv("GLOSS_BENCH_PLUGINS");
	return p && p[0] ? p : GL_BENCH_PLUGINS;
}

static void
gl_bench_log_tail(const char *log)
{
	FILE *f = fopen(log, "r");
	if (f == NULL)
		return;
	char buf[4096];
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, n > (long)sizeof(buf) - 1 ? n - (long)sizeof(buf) + 1 : 0, SEEK_SET);
	size_t got = fread(buf, 1, sizeof(buf) - 1, f);
	buf[got] = '\0';
	fclose(f);
	fprintf(stderr, "--- glossd log (%s) ---\n%s\n---\n", log, buf);
}

int
gl_bench_fail(const char *what, int rc)
{
	fprintf(stderr, "bench: %s failed: %s (%d) %s\n", what,
	    gloss_code_name(rc), rc, gloss_last_error());
	return -1;
}

gloss_client *
gl_bench_connect(const char *url)
{
	gloss_client *c = NULL;
	int rc = gloss_connect(url, GL_BENCH_TOKEN, &c);
	if (rc != 0) {
		gl_bench_fail(url, rc);
		exit(1);
	}
	return c;
}

/* Waits for Health/Check on url; *pid becomes -1 if the child exited. */
static int
gl_bench_wait_health(const char *url, pid_t *pid)
{
	gloss_client *c = NULL;
	if (gloss_connect(url, NULL, &c) != 0)
		return -1;
	gloss_set_timeout(c, 1000);
	int rc = -1;
	for (int i = 0; i < 200; i++) {
		Gloss__V1__HealthCheckRequest rq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
		Gloss__V1__HealthCheckResponse *rs = NULL;
		if (gloss_health_check(c, &rq, &rs, NULL) == 0) {
			gloss_free(rs);
			rc = 0;
			break;
		}
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = -1;
			break;
		}
		usleep(50000);
	}
	gloss_close(c);
	return rc;
}

int
gl_bench_daemon_start(gl_bench_daemon *d, const char *dir,
    const char *const *extra)
{
	memset(d, 0, sizeof(*d));
	d->pid = -1;
	d->token = GL_BENCH_TOKEN;
	if (dir != NULL)
		snprintf(d->dir, sizeof(d->dir), "%s", dir);
	else if (gl_bench_mkdtemp("glossd", d->dir, sizeof(d->dir)) != 0)
		return -1;
	int port = gl_bench_free_port();
	if (port < 0) {
		fprintf(stderr, "bench: no free loopback port\n");
		return -1;
	}
	snprintf(d->ipc_url, sizeof(d->ipc_url), "ipc://%s/s.sock", d->dir);
	snprintf(d->tcp_url, sizeof(d->tcp_url), "tcp://127.0.0.1:%d", port);
	snprintf(d->log, sizeof(d->log), "%s/glossd.log", d->dir);

	const char *argv[64];
	int ac = 0;
	argv[ac++] = gl_bench_glossd_path();
	argv[ac++] = "--data";
	argv[ac++] = d->dir;
	argv[ac++] = "--listen";
	argv[ac++] = d->ipc_url;
	argv[ac++] = "--listen";
	argv[ac++] = d->tcp_url;
	argv[ac++] = "--log-level";
	argv[ac++] = "warn";
	for (int i = 0; extra && extra[i] && ac < 62; i++)
		argv[ac++] = extra[i];
	argv[ac] = NULL;

	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		setenv("GLOSS_ADMIN_TOKEN", GL_BENCH_TOKEN, 1);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	d->pid = pid;
	if (gl_bench_wait_health(d->ipc_url, &d->pid) != 0 ||
	    gl_bench_wait_health(d->tcp_url, &d->pid) != 0) {
		fprintf(stderr, "bench: glossd (%s) did not come up\n", argv[0]);
		gl_bench_log_tail(d->log);
		gl_bench_daemon_stop(d);
		return -1;
	}
	return 0;
}

void
gl_bench_daemon_stop(gl_bench_daemon *d)
{
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		int st;
		for (int i = 0; i < 1000; i++) {
			if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
				d->pid = -1;
				break;
			}
			usleep(10000);
		}
		if (d->pid > 0) {
			fprintf(stderr, "bench: glossd did not stop in 10 s; killing it\n");
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
			d->pid = -1;
		}
	}
	if (!d->keep && d->dir[0])
		gl_bench_rmtree(d->dir);
}

int
gl_bench_project(gloss_client *c, const char *name)
{
	Gloss__V1__CreateProjectRequest rq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	Gloss__V1__CreateProjectResponse *rs = NULL;
	rq.name = (char *)name;
	rq.mode = (char *)"shared";
	int rc = gloss_projects_create(c, &rq, &rs, NULL);
	gloss_free(rs);
	return rc == 0 ? 0 : gl_bench_fail("Projects/Create", rc);
}

/* ---- text ----------------------------------------------------------- */

uint64_t
gl_bench_rand(gl_bench_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint32_t
gl_bench_randn(gl_bench_rng *r, uint32_t n)
{
	return (uint32_t)(gl_bench_rand(r) % n);
}

#define GL_BENCH_N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const gl_bench_actors[] = {
	"Washington", "Islamabad", "the Kremlin", "Kabul", "Moscow", "Beijing",
	"the Taliban", "the United Nations", "NATO", "the European Union",
	"Pakistan's army", "the State Department", "Tashkent", "Dushanbe",
	"Prime Minister Shehbaz Sharif", "President Putin", "Mr Blinken",
	"the foreign ministry", "Ankara", "New Delhi", "the Haqqani network",
	"local elders", "the central bank", "opposition leaders",
	"Zoë Ménard", "Sergei Lavrov", "Kassym-Jomart Tokayev", "aid agencies",
};
static const char *const gl_bench_verbs[] = {
	"warned", "announced", "rejected", "welcomed", "criticised", "signed",
	"postponed", "called for", "condemned", "backed", "questioned",
	"denied", "urged", "proposed", "suspended", "resumed", "extended",
};
static const char *const gl_bench_objects[] = {
	"new sanctions", "a ceasefire", "the summit", "peace talks",
	"the border agreement", "a treaty on water rights", "fresh elections",
	"the deployment of troops", "an embargo on fuel", "the refugee plan",
	"a $2bn loan package", "the trade corridor", "security guarantees",
	"the negotiations", "a protest ban", "a prisoner exchange",
	"the gas pipeline deal", "counter-terrorism cooperation",
};
static const char *const gl_bench_tails[] = {
	"on Tuesday", "after months of stalemate", "despite strong objections",
	"according to officials", "in a statement late on Friday",
	"as fighting continued in the north", "ahead of the vote",
	"without giving details", "amid rising prices", "for the first time since 2021",
	"in the capital", "as the president arrived", "under pressure from donors",
	"while refugees crossed the border", "before the winter",
};
static const char *const gl_bench_fillers[] = {
	"Analysts said", "Diplomats noted that", "Critics argued that",
	"It was not clear whether", "Officials insisted that", "Observers expect that",
	"A spokesman confirmed that", "Reports suggested that",
};

static void
gl_bench_put(char **p, char *end, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(end - *p) <= n)
		n = (size_t)(end - *p) - 1;
	memcpy(*p, s, n);
	*p += n;
	**p = '\0';
}

char *
gl_bench_gen_text(gl_bench_rng *r, size_t bytes, size_t *len)
{
	size_t cap = bytes + 512;
	char *out = malloc(cap);
	if (out == NULL)
		return NULL;
	char *p = out, *end = out + cap;
	int in_para = 0;
	*p = '\0';
	while ((size_t)(p - out) < bytes) {
		char sent[600];
		const char *a = gl_bench_actors[gl_bench_randn(r, GL_BENCH_N(gl_bench_actors))];
		const char *v = gl_bench_verbs[gl_bench_randn(r, GL_BENCH_N(gl_bench_verbs))];
		const char *o = gl_bench_objects[gl_bench_randn(r, GL_BENCH_N(gl_bench_objects))];
		const char *t = gl_bench_tails[gl_bench_randn(r, GL_BENCH_N(gl_bench_tails))];
		switch (gl_bench_randn(r, 4)) {
		case 0: {
			const char *f = gl_bench_fillers[gl_bench_randn(r, GL_BENCH_N(gl_bench_fillers))];
			snprintf(sent, sizeof(sent), "%s %s %s %s %s.", f, a, v, o, t);
			break;
		}
		case 1: {
			const char *b = gl_bench_actors[gl_bench_randn(r, GL_BENCH_N(gl_bench_actors))];
			snprintf(sent, sizeof(sent), "%s %s %s, while %s %s %s.", a, v, o, b,
			    gl_bench_verbs[gl_bench_randn(r, GL_BENCH_N(gl_bench_verbs))],
			    gl_bench_objects[gl_bench_randn(r, GL_BENCH_N(gl_bench_objects))]);
			break;
		}
		case 2:
			snprintf(sent, sizeof(sent), "\"We have %s %s,\" said a source close to %s, "
			    "who spoke on condition of anonymity %u days later.", v, o, a,
			    1 + gl_bench_randn(r, 30));
			break;
		default:
			snprintf(sent, sizeof(sent), "%s %s %s %s.", t, a, v, o);
			break;
		}
		/* Capitalise the first letter (the tails start lower-case). */
		if (sent[0] >= 'a' && sent[0] <= 'z')
			sent[0] = (char)(sent[0] - 'a' + 'A');
		if (in_para)
			gl_bench_put(&p, end, " ");
		gl_bench_put(&p, end, sent);
		in_para = 1;
		if (gl_bench_randn(r, 5) == 0) {
			gl_bench_put(&p, end, "\n\n");
			in_para = 0;
		}
	}
	*len = (size_t)(p - out);
	return out;
}

int
gl_bench_import(gloss_client *c, const char *project, uint64_t seed,
    size_t n, size_t doc_bytes, size_t batch, long long *text_bytes,
    int64_t *ids)
{
	gl_bench_rng r = { seed };
	long long total = 0;
	Gloss__V1__DocumentInput *docs = calloc(batch, sizeof(*docs));
	Gloss__V1__DocumentInput **pdocs = calloc(batch, sizeof(*pdocs));
	char (*titles)[96] = calloc(batch, sizeof(*titles));
	if (docs == NULL || pdocs == NULL || titles == NULL) {
		free(docs);
		free(pdocs);
		free(titles);
		return -1;
	}
	int ret = 0;
	for (size_t at = 0; at < n && ret == 0; at += batch) {
		size_t k = n - at < batch ? n - at : batch;
		for (size_t i = 0; i < k; i++) {
			gloss__v1__document_input__init(&docs[i]);
			size_t len;
			snprintf(titles[i], sizeof(titles[i]), "Bench report %zu", at + i);
			docs[i].title = titles[i];
			docs[i].source = (char *)"bench";
			docs[i].published = (char *)"2024-02-19";
			docs[i].lang = (char *)"en";
			docs[i].text = gl_bench_gen_text(&r, doc_bytes, &len);
			if (docs[i].text == NULL) {
				k = i;
				ret = -1;
				break;
			}
			total += (long long)len;
			pdocs[i] = &docs[i];
		}
		if (ret == 0) {
			Gloss__V1__ImportRequest rq = GLOSS__V1__IMPORT_REQUEST__INIT;
			Gloss__V1__ImportResponse *rs = NULL;
			rq.project = (char *)project;
			rq.n_documents = k;
			rq.documents = pdocs;
			int rc = gloss_documents_import(c, &rq, &rs, NULL);
			if (rc != 0) {
				ret = gl_bench_fail("Documents/Import", rc);
			} else if (rs->n_results != k) {
				fprintf(stderr, "bench: Import answered %zu results for %zu documents\n",
				    rs->n_results, k);
				ret = -1;
			} else if (ids != NULL) {
				for (size_t i = 0; i < k; i++)
					ids[at + i] = rs->results[i]->id;
			}
			gloss_free(rs);
		}
		for (size_t i = 0; i < k; i++)
			free(docs[i].text);
	}
	free(docs);
	free(pdocs);
	free(titles);
	if (text_bytes)
		*text_bytes = total;
	return ret;
}
