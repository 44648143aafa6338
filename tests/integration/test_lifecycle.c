/*
 * test_lifecycle.c - glossd's start and stop:
 *   - SIGTERM while a watcher is parked and writes are in flight: exit 0
 *     within 5 s, the watcher is answered, every acknowledged write is
 *     there after a restart;
 *   - SIGINT stops it the same way;
 *   - a second glossd on the same --data refuses to start (exit 1, "in
 *     use", the first one's pid) and the first keeps serving;
 *   - a restart reuses the data (projects, documents, the admin token);
 *   - a database file full of junk, or a --data that is a file, makes
 *     glossd exit 1 with a clear message instead of crashing;
 *   - while draining, Health says NOT_SERVING and writes get UNAVAILABLE.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return strdup("");
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

typedef struct {
	const gl_dh *d;
	int64_t doc;
	int id;
	atomic_int *stop;
	int64_t acked[100000];
	int nacked;
	int bad;  /* outcomes other than OK / UNAVAILABLE / DEADLINE_EXCEEDED */
} writer;

static void *
writer_main(void *arg)
{
	writer *w = arg;
	gloss_client *c = gl_dh_client(w->d, NULL, 3000);
	while (c != NULL && !atomic_load(w->stop) && w->nacked < 100000) {
		Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
		Gloss__V1__AnnotationInput *pin = &in;
		in.document_id = w->doc;
		in.layer = (char *)"life";
		in.label = (char *)"L";
		in.start = 0;
		in.end = 4;
		Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		req.n_annotations = 1;
		req.annotations = &pin;
		Gloss__V1__CreateAnnotationsResponse *resp = NULL;
		int rc = gloss_annotations_create(c, &req, &resp, NULL);
		if (rc == 0)
			w->acked[w->nacked++] = resp->annotations[0]->id;
		gloss_free(resp);
		if (rc == GLOSS_EUNAVAILABLE || rc == GLOSS_EDEADLINE_EXCEEDED)
			break;
		if (rc != 0) {
			fprintf(stderr, "writer %d: %s\n", w->id, gloss_last_error());
			w->bad++;
			break;
		}
	}
	gloss_close(c);
	return NULL;
}

typedef struct {
	const gl_dh *d;
	int64_t since;
	int rc;
	int64_t took_ms;
	size_t nevents;
} watcher;

static void *
watcher_main(void *arg)
{
	watcher *w = arg;
	gloss_client *c = gl_dh_client(w->d, NULL, 0);
	Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *resp = NULL;
	/* A project of its own that nobody writes to: it stays parked. */
	req.project = (char *)"quiet";
	req.since_seq = w->since;
	req.wait_ms = 25000;
	int64_t t0 = gl_dh_now_ms();
	w->rc = gloss_events_watch(c, &req, &resp, NULL);
	w->took_ms = gl_dh_now_ms() - t0;
	w->nevents = resp ? resp->n_events : 0;
	gloss_free(resp);
	gloss_close(c);
	return NULL;
}

static int64_t
project_last_seq(gloss_client *c, const char *project)
{
	Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *resp = NULL;
	req.project = (char *)project;
	req.limit = 10000;
	if (gloss_events_watch(c, &req, &resp, NULL) != 0)
		return -1;
	int64_t s = resp->last_seq;
	gloss_free(resp);
	return s;
}

GL_TEST(sigterm_with_parked_watcher_and_writes)
{
	gl_dh d;
	CHECK_INT(gl_dh_init(&d, "life-term", 0), 0);
	if (gl_dh_start(&d) != 0) {
		CHECK(!"glossd did not start");
		gl_dh_cleanup(&d);
		return;
	}
	gloss_client *c = gl_dh_client(&d, NULL, 0);
	CHECK_INT(gl_dh_make_project(c, "busy"), 0);
	CHECK_INT(gl_dh_make_project(c, "quiet"), 0);
	int64_t doc = gl_dh_import_one(c, "busy", "d", "Oslo and Bern mediated.");
	watcher wt = { .d = &d, .since = project_last_seq(c, "quiet") };
	gloss_close(c);

	pthread_t wth;
	pthread_create(&wth, NULL, watcher_main, &wt);
	enum { NW = 4 };
	atomic_int stop = 0;
	writer *ws = calloc(NW, sizeof(*ws));
	pthread_t th[NW];
	for (int i = 0; i < NW; i++) {
		ws[i].d = &d;
		ws[i].doc = doc;
		ws[i].id = i;
		ws[i].stop = &stop;
		pthread_create(&th[i], NULL, writer_main, &ws[i]);
	}
	usleep(600 * 1000);
	int ms = 0;
	int ec = gl_dh_term(&d, 7000, &ms);
	CHECK_INT(ec, 0);
	CHECK(ms < 5000);
	printf("SIGTERM: exit %d after %d ms\n", ec, ms);
	atomic_store(&stop, 1);
	int acked = 0, bad = 0;
	for (int i = 0; i < NW; i++) {
		pthread_join(th[i], NULL);
		acked += ws[i].nacked;
		bad += ws[i].bad;
	}
	pthread_join(wth, NULL);
	/* The parked watcher was answered at shutdown, not left hanging. */
	CHECK(wt.rc == 0 || wt.rc == GLOSS_EUNAVAILABLE);
	CHECK(wt.took_ms < 6000);
	CHECK_INT(wt.nevents, 0);
	CHECK_INT(bad, 0);
	CHECK(acked > 0);
	if (ec != 0)
		gl_dh_dump_log(&d);

	/* Everything acknowledged before the stop is there after a restart. */
	CHECK_INT(gl_dh_start(&d), 0);
	c = gl_dh_client(&d, NULL, 0);
	Gloss__V1__ListAnnotationsRequest lreq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	lreq.document_id = doc;
	CHECK_INT(gloss_annotations_list(c, &lreq, &lr, NULL), 0);
	int missing = 0;
	for (int i = 0; lr && i < NW; i++)
		for (int k = 0; k < ws[i].nacked; k++) {
			int found = 0;
			for (size_t j = 0; j < lr->n_annotations && !found; j++)
				found = lr->annotations[j]->id == ws[i].acked[k];
			missing += !found;
		}
	CHECK_INT(missing, 0);
	/* At most one write per writer was in flight and may have landed. */
	if (lr)
		CHECK(lr->n_annotations >= (size_t)acked &&
		    lr->n_annotations <= (size_t)acked + NW);
	gloss_free(lr);
	gloss_close(c);
	free(ws);
	CHECK_INT(gl_dh_term(&d, 5000, NULL), 0);
	gl_dh_cleanup(&d);
}

GL_TEST(sigint_stops_cleanly)
{
	gl_dh d;
	CHECK_INT(gl_dh_init(&d, "life-int", 0), 0);
	if (gl_dh_start(&d) != 0) {
		CHECK(!"glossd did not start");
		gl_dh_cleanup(&d);
		return;
	}
	kill(d.pid, SIGINT);
	int ms = 0;
	CHECK_INT(gl_dh_wait_exit(&d, 5000, &ms), 0);
	CHECK(ms < 5000);
	gl_dh_cleanup(&d);
}

GL_TEST(second_instance_refused_restart_reuses_data)
{
	gl_dh d;
	CHECK_INT(gl_dh_init(&d, "life-two", 1), 0);
	if (gl_dh_start(&d) != 0) {
		CHECK(!"glossd did not start");
		gl_dh_cleanup(&d);
		return;
	}
	gloss_client *c = gl_dh_client(&d, NULL, 0);
	CHECK_INT(gl_dh_make_project(c, "keep"), 0);
	int64_t doc = gl_dh_import_one(c, "keep", "kept", "Lisbon and Madrid agreed.");
	CHECK(doc > 0);
	gloss_close(c);

	/* The same data folder, another socket: refused, and says why. */
	gl_dh second = d;
	snprintf(second.ipc_url, sizeof(second.ipc_url), "ipc://%s/second.sock", d.dir);
	second.tcp_url[0] = '\0';
	char log[400];
	snprintf(log, sizeof(log), "%s/second.log", d.dir);
	int ec = gl_dh_run_expect_exit(&second, log, 10000);
	CHECK_INT(ec, 1);
	char *out = read_file(log);
	char pid[32];
	snprintf(pid, sizeof(pid), "%d", (int)d.pid);
	CHECK(strstr(out, "in use") != NULL);
	CHECK(strstr(out, pid) != NULL);
	if (strstr(out, "in use") == NULL)
		fprintf(stderr, "second glossd said: %s\n", out);
	free(out);
	/* The first one is unharmed, on both listeners. */
	CHECK(gl_dh_serving(&d));
	c = NULL;
	CHECK_INT(gloss_connect(d.tcp_url, GL_DH_TOKEN, &c), 0);
	Gloss__V1__GetProjectRequest g = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	Gloss__V1__GetProjectResponse *gr = NULL;
	g.name = (char *)"keep";
	CHECK_INT(gloss_projects_get(c, &g, &gr, NULL), 0);
	gloss_free(gr);
	gloss_close(c);

	/* Stop and start again on the same data: the project is still there. */
	CHECK_INT(gl_dh_term(&d, 5000, NULL), 0);
	CHECK_INT(gl_dh_start(&d), 0);
	c = gl_dh_client(&d, NULL, 0);
	gr = NULL;
	CHECK_INT(gloss_projects_get(c, &g, &gr, NULL), 0);
	if (gr)
		CHECK_INT(gr->project->document_count, 1);
	gloss_free(gr);
	Gloss__V1__GetDocumentRequest gd = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *gdr = NULL;
	gd.id = doc;
	CHECK_INT(gloss_documents_get(c, &gd, &gdr, NULL), 0);
	if (gdr)
		CHECK_STR(gdr->document->text, "Lisbon and Madrid agreed.");
	gloss_free(gdr);
	/* A new project name does not collide with the kept one. */
	CHECK_INT(gl_dh_make_project(c, "keep"), GLOSS_EALREADY_EXISTS);
	gloss_close(c);
	/* After a SIGKILL the stale lock does not block a restart either. */
	CHECK_INT(gl_dh_kill9(&d), 0);
	CHECK_INT(gl_dh_start(&d), 0);
	CHECK(gl_dh_serving(&d));
	CHECK_INT(gl_dh_term(&d, 5000, NULL), 0);
	gl_dh_cleanup(&d);
}

static void
write_junk(const char *path, const void *head, size_t headlen, size_t total)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	if (head && write(fd, head, headlen) != (ssize_t)headlen)
		perror("write");
	unsigned seed = 7;
	for (size_t i = headlen; i < total; i++) {
		unsigned char b = (unsigned char)rand_r(&seed);
		if (write(fd, &b, 1) != 1)
			break;
	}
	close(fd);
}

GL_TEST(corrupt_database_refused)
{
	static const struct {
		const char *name, *head;
		size_t headlen, total;
	} cases[] = {
		{ "text", "this is not a database at all\n", 30, 4096 },
		{ "badheader", "SQLite format 3\0\xff\xff\x01\x01", 20, 8192 },
		{ "random", NULL, 0, 16384 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		gl_dh d;
		CHECK_INT(gl_dh_init(&d, "life-corrupt", 0), 0);
		char db[400];
		snprintf(db, sizeof(db), "%s/gloss.db", d.dir);
		write_junk(db, cases[i].head, cases[i].headlen, cases[i].total);
		char log[400];
		snprintf(log, sizeof(log), "%s/corrupt.log", d.dir);
		int ec = gl_dh_run_expect_exit(&d, log, 10000);
		/* A clean refusal: exit 1, not a signal (128+N) or a hang (-1). */
		CHECK_INT(ec, 1);
		char *out = read_file(log);
		CHECK(strstr(out, "glossd:") != NULL);
		CHECK(strstr(out, "not a database") != NULL);
		CHECK(strstr(out, db) != NULL); /* which file, for a person */
		if (ec != 1 || strstr(out, "not a database") == NULL ||
		    strstr(out, db) == NULL)
			fprintf(stderr, "case %s: exit %d, said: %s\n", cases[i].name,
			    ec, out);
		free(out);
		gl_dh_cleanup(&d);
	}
	/* --data naming a file, not a folder. */
	gl_dh d;
	CHECK_INT(gl_dh_init(&d, "life-file", 0), 0);
	gl_dh f = d;
	snprintf(f.dir, sizeof(f.dir), "%.200s/plainfile", d.dir);
	write_junk(f.dir, "x", 1, 10);
	char log[400];
	snprintf(log, sizeof(log), "%s/file.log", d.dir);
	int ec = gl_dh_run_expect_exit(&f, log, 10000);
	CHECK(ec >= 1 && ec < 128);
	char *out = read_file(log);
	CHECK(strstr(out, "plainfile") != NULL);
	free(out);
	gl_dh_cleanup(&d);
}

/* Reaps a child and notes when it exited. */
typedef struct {
	pid_t pid;
	int code;         /* exit code, 128+signal, -1 if not reaped */
	int64_t at_ms;
	atomic_int done;
} exit_waiter;

static void *
exit_waiter_main(void *arg)
{
	exit_waiter *w = arg;
	int st;
	w->code = -1;
	/* Bounded: after 10 s the child is killed so the test cannot hang. */
	int64_t until = gl_dh_now_ms() + 10000;
	for (;;) {
		pid_t r = waitpid(w->pid, &st, WNOHANG);
		if (r == w->pid) {
			w->code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			break;
		}
		if (r < 0 || gl_dh_now_ms() > until) {
			kill(w->pid, SIGKILL);
			waitpid(w->pid, &st, 0);
			break;
		}
		usleep(2 * 1000);
	}
	w->at_ms = gl_dh_now_ms();
	atomic_store(&w->done, 1);
	return NULL;
}

/*
 * While glossd drains (SIGTERM arrived, analysis chunks still running),
 * Health says NOT_SERVING and writes get UNAVAILABLE; the interrupted job
 * is recorded as failed.  The window is made by a job of all plugins over
 * large documents; it ends within glossd's 4.5 s stop budget.
 */
GL_TEST(draining_says_not_serving)
{
	const char *plugins = getenv("GLOSS_PLUGINS_DIR");
	CHECK(plugins != NULL);
	if (plugins == NULL)
		return;
	gl_dh d;
	CHECK_INT(gl_dh_init(&d, "life-drain", 0), 0);
	gl_dh_arg(&d, "--plugins");
	gl_dh_arg(&d, plugins);
	/*
	 * One worker and five chunks of documents: when SIGTERM comes at most
	 * two chunks have been handed out, whatever the machine's speed, so
	 * the job is always cut short.
	 */
	gl_dh_arg(&d, "--workers");
	gl_dh_arg(&d, "1");
	if (gl_dh_start(&d) != 0) {
		CHECK(!"glossd did not start");
		gl_dh_cleanup(&d);
		return;
	}
	gloss_client *c = gl_dh_client(&d, NULL, 0);
	CHECK_INT(gl_dh_make_project(c, "drain"), 0);
	/* 160 documents of ~10 KB of news-like text: 5 chunks of 32. */
	static const char *const sentences[] = {
		"Washington and Islamabad resumed talks on Monday, 4 March 2024. ",
		"The Taliban said the ceasefire would hold despite sharp criticism. ",
		"NATO officials in Brussels welcomed the summit but warned of sanctions. ",
		"President Putin met envoys from Kazakhstan and Uzbekistan in the Kremlin. ",
		"Refugees crossed the border for the past two decades, the UN said. ",
	};
	enum { NDOCS = 160, DOCLEN = 10000 };
	char *text = malloc(DOCLEN + 64);
	for (int batch = 0; batch < NDOCS / 8; batch++) {
		Gloss__V1__DocumentInput ins[8];
		Gloss__V1__DocumentInput *pins[8];
		char *texts[8];
		for (int k = 0; k < 8; k++) {
			size_t n = (size_t)snprintf(text, 64, "Report %d. ", batch * 8 + k);
			for (int s = 0; n < DOCLEN; s++) {
				size_t l = strlen(sentences[s % 5]);
				memcpy(text + n, sentences[s % 5], l);
				n += l;
			}
			text[n] = '\0';
			texts[k] = strdup(text);
			gloss__v1__document_input__init(&ins[k]);
			ins[k].title = (char *)"drain";
			ins[k].text = texts[k];
			pins[k] = &ins[k];
		}
		Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
		Gloss__V1__ImportResponse *resp = NULL;
		req.project = (char *)"drain";
		req.n_documents = 8;
		req.documents = pins;
		CHECK_INT(gloss_documents_import(c, &req, &resp, NULL), 0);
		gloss_free(resp);
		for (int k = 0; k < 8; k++)
			free(texts[k]);
	}
	free(text);
	Gloss__V1__RunAnalyzersRequest rr = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	Gloss__V1__RunAnalyzersResponse *rresp = NULL;
	rr.project = (char *)"drain";
	CHECK_INT(gloss_analyzers_run(c, &rr, &rresp, NULL), 0);
	int64_t job = rresp ? rresp->job_id : 0;
	gloss_free(rresp);
	usleep(150 * 1000);

	/* Exit time is taken by a thread blocked in waitpid, not by the poll. */
	exit_waiter ew = { .pid = d.pid };
	pthread_t wt;
	gloss_connect_opts po = { .timeout_ms = 1000, .connect_timeout_ms = 200 };
	gloss_client *poll = NULL;
	CHECK_INT(gloss_connect_ex(d.ipc_url, GL_DH_TOKEN, &po, &poll), 0);
	Gloss__V1__HealthCheckRequest hreq0 = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *h0 = NULL;
	CHECK_INT(gloss_health_check(poll, &hreq0, &h0, NULL), 0); /* connected */
	gloss_free(h0);
	int64_t t0 = gl_dh_now_ms();
	kill(d.pid, SIGTERM);
	pthread_create(&wt, NULL, exit_waiter_main, &ew);
	int not_serving = 0, serving_after = 0, unavailable = 0, other_after = 0;
	while (!atomic_load(&ew.done) && gl_dh_now_ms() - t0 < 8000) {
		Gloss__V1__HealthCheckRequest hreq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
		Gloss__V1__HealthCheckResponse *h = NULL;
		if (gloss_health_check(poll, &hreq, &h, NULL) == 0) {
			if (h->status == GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__NOT_SERVING)
				not_serving++;
			else if (not_serving)
				serving_after++;
		}
		gloss_free(h);
		if (not_serving && !atomic_load(&ew.done)) {
			/* A write while draining is refused, and says so. */
			char name[32];
			snprintf(name, sizeof(name), "late-%d", unavailable + other_after);
			Gloss__V1__CreateProjectRequest pr = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
			Gloss__V1__CreateProjectResponse *presp = NULL;
			gloss_status st = GLOSS_STATUS_INIT;
			pr.name = name;
			int rc = gloss_projects_create(poll, &pr, &presp, &st);
			if (rc == GLOSS_EUNAVAILABLE && !st.local)
				unavailable++;
			else if (!(rc == GLOSS_EUNAVAILABLE || rc == GLOSS_EDEADLINE_EXCEEDED))
				other_after++; /* (a local failure: the daemon just went) */
			gloss_status_clear(&st);
			gloss_free(presp);
		}
		usleep(10 * 1000);
	}
	pthread_join(wt, NULL);
	d.pid = 0;
	int exited = ew.code;
	int64_t took = ew.at_ms - t0;
	gloss_close(poll);
	printf("drain: %d NOT_SERVING answers, %d writes refused, exit %d after %lld ms\n",
	    not_serving, unavailable, exited, (long long)took);
	gloss_close(c);
	CHECK_INT(exited, 0);
	CHECK(took < 5000);
	CHECK(not_serving > 0);
	CHECK_INT(serving_after, 0);
	CHECK(unavailable > 0);
	CHECK_INT(other_after, 0);
	if (exited != 0 || not_serving == 0)
		gl_dh_dump_log(&d);

	/* After a restart: the job is recorded as failed, no late write landed. */
	CHECK_INT(gl_dh_start(&d), 0);
	c = gl_dh_client(&d, NULL, 0);
	Gloss__V1__GetJobRequest jr = GLOSS__V1__GET_JOB_REQUEST__INIT;
	Gloss__V1__GetJobResponse *jresp = NULL;
	jr.id = job;
	CHECK_INT(gloss_analyzers_job(c, &jr, &jresp, NULL), 0);
	if (jresp) {
		/* Cut short by the shutdown: not "done". */
		CHECK_STR(jresp->job->state, "failed");
		int says = 0;
		for (size_t i = 0; i < jresp->job->n_error_messages; i++)
			says |= strstr(jresp->job->error_messages[i], "shutting down") != NULL;
		CHECK(says);
	}
	gloss_free(jresp);
	Gloss__V1__GetProjectRequest g = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	Gloss__V1__GetProjectResponse *gr = NULL;
	g.name = (char *)"late-0";
	CHECK_INT(gloss_projects_get(c, &g, &gr, NULL), GLOSS_ENOT_FOUND);
	gloss_free(gr);
	gloss_close(c);
	CHECK_INT(gl_dh_term(&d, 5000, NULL), 0);
	gl_dh_cleanup(&d);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(sigterm_with_parked_watcher_and_writes),
		GL_TEST_ENTRY(sigint_stops_cleanly),
		GL_TEST_ENTRY(second_instance_refused_restart_reuses_data),
		GL_TEST_ENTRY(corrupt_database_refused),
		GL_TEST_ENTRY(draining_says_not_serving),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	return gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
