/*
 * test_analyzers.c - analyzer plugins through the real glossd (issue 3):
 *   - Analyzers/List shows the example plugin;
 *   - a run over documents with accents, Cyrillic and emoji stores
 *     suggestions authored plugin:example@<version> with code-point offsets
 *     and the right quotes;
 *   - a re-run replaces its earlier suggestions (soft-deleted, no
 *     duplicates);
 *   - Suggestions/Accept and Reject change the status and emit
 *     annotation.updated events;
 *   - a job on 1,000 documents reports job.progress through Watch and ends
 *     with job.finished;
 *   - a project with auto_plugins runs the plugin on import;
 *   - with --plugins tests/plugins glossd refuses bad_abi / failing_open /
 *     no_symbol at load with a log line, keeps the good spans of bad_spans
 *     and counts the bad ones, and fails only the failing document of
 *     failing_analyze.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static gl_dh D;          /* with --plugins build/plugins */
static gloss_client *C;
static char AUTHOR[128]; /* plugin:example@<version> */

#define ALIVE() CHECK(gl_dh_serving(&D))

/* ---- helpers ----------------------------------------------------------- */

static int64_t
project_seq(gloss_client *c, const char *project)
{
	int64_t since = 0;
	for (;;) {
		Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *r = NULL;
		req.project = (char *)project;
		req.since_seq = since;
		req.limit = 10000;
		if (gloss_events_watch(c, &req, &r, NULL) != 0)
			return -1;
		size_t n = r->n_events;
		since = r->last_seq;
		gloss_free(r);
		if (n == 0)
			return since;
	}
}

static int64_t
run_job(gloss_client *c, const char *project, const char *plugin,
    const int64_t *docs, size_t ndocs, int *rc_out)
{
	Gloss__V1__RunAnalyzersRequest req = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	Gloss__V1__RunAnalyzersResponse *resp = NULL;
	char *plugins[1] = { (char *)plugin };
	req.project = (char *)project;
	req.document_ids = (int64_t *)docs;
	req.n_document_ids = ndocs;
	if (plugin) {
		req.plugins = plugins;
		req.n_plugins = 1;
	}
	int rc = gloss_analyzers_run(c, &req, &resp, NULL);
	if (rc_out)
		*rc_out = rc;
	int64_t id = rc == 0 ? resp->job_id : -1;
	gloss_free(resp);
	return id;
}

/* What Watch showed of one job. */
typedef struct {
	int started, progress, finished;
	int monotonic;         /* "done" never went down */
	long long last_done;   /* from the last progress event */
	char finished_detail[256];
} job_events;

static long long
detail_num(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = json ? strstr(json, pat) : NULL;
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/*
 * Follows the project's events from since until job.finished of job (or
 * timeout_ms).  Returns 0 when it finished.
 */
static int
follow_job(gloss_client *c, const char *project, int64_t since, int64_t job,
    int timeout_ms, job_events *je)
{
	memset(je, 0, sizeof(*je));
	je->monotonic = 1;
	int64_t until = gl_dh_now_ms() + timeout_ms;
	while (!je->finished && gl_dh_now_ms() < until) {
		Gloss__V1__WatchRequest req = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *r = NULL;
		req.project = (char *)project;
		req.since_seq = since;
		req.wait_ms = 2000;
		if (gloss_events_watch(c, &req, &r, NULL) != 0)
			return -1;
		for (size_t i = 0; i < r->n_events; i++) {
			Gloss__V1__Event *e = r->events[i];
			if (e->object_id != job || strncmp(e->kind, "job.", 4) != 0)
				continue;
			if (strcmp(e->kind, "job.started") == 0) {
				je->started++;
			} else if (strcmp(e->kind, "job.progress") == 0) {
				long long done = detail_num(e->detail, "done");
				if (done < je->last_done)
					je->monotonic = 0;
				je->last_done = done;
				je->progress++;
			} else if (strcmp(e->kind, "job.finished") == 0) {
				je->finished++;
				snprintf(je->finished_detail, sizeof(je->finished_detail),
				    "%s", e->detail);
			}
		}
		since = r->last_seq;
		gloss_free(r);
	}
	return je->finished ? 0 : -1;
}

static Gloss__V1__Job *
get_job(gloss_client *c, int64_t id, Gloss__V1__GetJobResponse **hold)
{
	Gloss__V1__GetJobRequest req = GLOSS__V1__GET_JOB_REQUEST__INIT;
	req.id = id;
	*hold = NULL;
	if (gloss_analyzers_job(c, &req, hold, NULL) != 0)
		return NULL;
	return (*hold)->job;
}

static Gloss__V1__ListAnnotationsResponse *
list_anns(gloss_client *c, int64_t doc, const char *author, int include_deleted)
{
	Gloss__V1__ListAnnotationsRequest req = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *resp = NULL;
	req.document_id = doc;
	req.author = (char *)(author ? author : "");
	req.include_deleted = include_deleted;
	if (gloss_annotations_list(c, &req, &resp, NULL) != 0)
		return NULL;
	return resp;
}

/* The live annotation over [start, end) in a list, or NULL. */
static const Gloss__V1__Annotation *
find_span(const Gloss__V1__ListAnnotationsResponse *l, int64_t start, int64_t end)
{
	for (size_t i = 0; l && i < l->n_annotations; i++)
		if (l->annotations[i]->start == start && l->annotations[i]->end == end &&
		    !l->annotations[i]->deleted)
			return l->annotations[i];
	return NULL;
}

/* ---- the example plugin ------------------------------------------------ */

static const char *const TEXTS[3] = {
	/* accents: "négociations" [4,16), "cessez-le-feu" [24,37) */
	"Les négociations sur le cessez-le-feu ont repris à Genève.",
	/* Cyrillic: "санкции" [6,13), "переговоры" [16,26) */
	"Новые санкции и переговоры о перемирии.",
	/* emoji: "Summit" [2,8), "talks" [11,16), "troops" [22,28) */
	"\xf0\x9f\x94\xa5 Summit \xf0\x9f\x8c\x8d talks end; troops "
	    "\xf0\x9f\xaa\x96 withdraw.",
};

typedef struct {
	int doc;
	int64_t start, end;
	const char *quote, *value;
} want_span;

static const want_span WANT[] = {
	{ 0, 4, 16, "négociations", "negotiations" },
	{ 0, 24, 37, "cessez-le-feu", "ceasefire" },
	{ 1, 6, 13, "санкции", "sanctions" },
	{ 1, 16, 26, "переговоры", "negotiations" },
	{ 2, 2, 8, "Summit", "summit" },
	{ 2, 11, 16, "talks", "negotiations" },
	{ 2, 22, 28, "troops", "troops" },
};
#define NWANT (sizeof(WANT) / sizeof(WANT[0]))

static int64_t DOCS[3];

GL_TEST(list_shows_example)
{
	Gloss__V1__ListAnalyzersRequest req = GLOSS__V1__LIST_ANALYZERS_REQUEST__INIT;
	Gloss__V1__ListAnalyzersResponse *resp = NULL;
	CHECK_INT(gloss_analyzers_list(C, &req, &resp, NULL), 0);
	const Gloss__V1__Analyzer *ex = NULL;
	for (size_t i = 0; resp && i < resp->n_analyzers; i++)
		if (strcmp(resp->analyzers[i]->name, "example") == 0)
			ex = resp->analyzers[i];
	CHECK(ex != NULL);
	if (ex) {
		CHECK_STR(ex->layer, "keyword");
		CHECK(ex->n_labels == 1 && strcmp(ex->labels[0], "keyword") == 0);
		CHECK(ex->version[0] != '\0');
		CHECK(ex->description[0] != '\0');
		CHECK(strstr(ex->path, "example.so") != NULL);
		snprintf(AUTHOR, sizeof(AUTHOR), "plugin:example@%s", ex->version);
	}
	gloss_free(resp);
	/* An unknown plugin cannot be run. */
	CHECK_INT(gl_dh_make_project(C, "an-bad"), 0);
	int rc;
	run_job(C, "an-bad", "no-such-plugin", NULL, 0, &rc);
	CHECK_INT(rc, GLOSS_EINVALID_ARGUMENT);
	run_job(C, "no-such-project", "example", NULL, 0, &rc);
	CHECK_INT(rc, GLOSS_ENOT_FOUND);
	/* A job that names a document of another project. */
	int64_t other = gl_dh_import_one(C, "an-bad", "x", "A summit.");
	CHECK_INT(gl_dh_make_project(C, "an-bad2"), 0);
	run_job(C, "an-bad2", "example", &other, 1, &rc);
	CHECK_INT(rc, GLOSS_EINVALID_ARGUMENT);
	ALIVE();
}

static int
check_example_spans(const char *what)
{
	int bad = 0;
	for (int d = 0; d < 3; d++) {
		Gloss__V1__ListAnnotationsResponse *l = list_anns(C, DOCS[d], AUTHOR, 0);
		size_t want = 0;
		for (size_t k = 0; k < NWANT; k++) {
			if (WANT[k].doc != d)
				continue;
			want++;
			const Gloss__V1__Annotation *a = find_span(l, WANT[k].start, WANT[k].end);
			if (a == NULL) {
				fprintf(stderr, "%s: no suggestion at [%lld,%lld) of doc %d\n",
				    what, (long long)WANT[k].start, (long long)WANT[k].end, d);
				bad++;
				continue;
			}
			CHECK_STR(a->quote, WANT[k].quote);
			CHECK_STR(a->value, WANT[k].value);
			CHECK_STR(a->label, "keyword");
			CHECK_STR(a->layer, "keyword");
			CHECK_STR(a->status, "suggested");
			CHECK_STR(a->author, AUTHOR);
		}
		if (l == NULL || l->n_annotations != want) {
			fprintf(stderr, "%s: doc %d has %zu suggestions, want %zu\n", what,
			    d, l ? l->n_annotations : 0, want);
			bad++;
		}
		gloss_free(l);
	}
	return bad;
}

GL_TEST(run_gives_codepoint_suggestions)
{
	CHECK_INT(gl_dh_make_project(C, "an"), 0);
	for (int i = 0; i < 3; i++)
		DOCS[i] = gl_dh_import_one(C, "an", "multi", TEXTS[i]);
	int64_t since = project_seq(C, "an");
	int rc;
	int64_t job = run_job(C, "an", "example", NULL, 0, &rc);
	CHECK_INT(rc, 0);
	job_events je;
	CHECK_INT(follow_job(C, "an", since, job, 30000, &je), 0);
	CHECK_INT(je.started, 1);
	CHECK_INT(je.finished, 1);
	Gloss__V1__GetJobResponse *hold;
	Gloss__V1__Job *j = get_job(C, job, &hold);
	CHECK(j != NULL);
	if (j) {
		CHECK_STR(j->state, "done");
		CHECK_INT(j->documents_total, 3);
		CHECK_INT(j->documents_done, 3);
		CHECK_INT(j->spans, (long long)NWANT);
		CHECK_INT(j->errors, 0);
	}
	gloss_free(hold);
	CHECK_INT(check_example_spans("first run"), 0);
	/* Unknown job. */
	CHECK(get_job(C, 99999, &hold) == NULL);
	gloss_free(hold);
	ALIVE();
}

GL_TEST(rerun_replaces)
{
	/* Ids of the first run's suggestions. */
	int64_t old_ids[32];
	size_t nold = 0;
	for (int d = 0; d < 3; d++) {
		Gloss__V1__ListAnnotationsResponse *l = list_anns(C, DOCS[d], AUTHOR, 0);
		for (size_t i = 0; l && i < l->n_annotations && nold < 32; i++)
			old_ids[nold++] = l->annotations[i]->id;
		gloss_free(l);
	}
	CHECK_INT(nold, (long long)NWANT);
	int64_t since = project_seq(C, "an");
	int rc;
	int64_t job = run_job(C, "an", "example", DOCS, 3, &rc);
	CHECK_INT(rc, 0);
	job_events je;
	CHECK_INT(follow_job(C, "an", since, job, 30000, &je), 0);
	/* The same suggestions, once each, and new ids. */
	CHECK_INT(check_example_spans("re-run"), 0);
	size_t deleted = 0, live = 0, reused = 0;
	for (int d = 0; d < 3; d++) {
		Gloss__V1__ListAnnotationsResponse *l = list_anns(C, DOCS[d], AUTHOR, 1);
		for (size_t i = 0; l && i < l->n_annotations; i++) {
			const Gloss__V1__Annotation *a = l->annotations[i];
			int was_old = 0;
			for (size_t k = 0; k < nold; k++)
				was_old |= a->id == old_ids[k];
			if (a->deleted) {
				deleted++;
				CHECK(was_old);
			} else {
				live++;
				reused += was_old;
			}
		}
		gloss_free(l);
	}
	CHECK_INT(deleted, (long long)NWANT);
	CHECK_INT(live, (long long)NWANT);
	CHECK_INT(reused, 0);
	/* The log says what was replaced. */
	Gloss__V1__WatchRequest w = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *wr = NULL;
	w.project = (char *)"an";
	w.since_seq = since;
	w.limit = 10000;
	CHECK_INT(gloss_events_watch(C, &w, &wr, NULL), 0);
	int ndel = 0, ncre = 0;
	for (size_t i = 0; wr && i < wr->n_events; i++) {
		ndel += strcmp(wr->events[i]->kind, "annotation.deleted") == 0;
		ncre += strcmp(wr->events[i]->kind, "annotation.created") == 0;
	}
	CHECK_INT(ndel, (long long)NWANT);
	CHECK_INT(ncre, (long long)NWANT);
	gloss_free(wr);
	ALIVE();
}

GL_TEST(accept_and_reject)
{
	Gloss__V1__ListAnnotationsResponse *l = list_anns(C, DOCS[1], AUTHOR, 0);
	const Gloss__V1__Annotation *sanc = find_span(l, 6, 13);
	const Gloss__V1__Annotation *nego = find_span(l, 16, 26);
	CHECK(sanc && nego);
	if (!(sanc && nego)) {
		gloss_free(l);
		return;
	}
	int64_t since = project_seq(C, "an");
	/* Accept, editing the label on the way. */
	Gloss__V1__AcceptSuggestionRequest ar = GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
	Gloss__V1__SuggestionResponse *sr = NULL;
	ar.id = sanc->id;
	ar.expected_version = sanc->version;
	ar.set_label = 1;
	ar.label = (char *)"sanctions-regime";
	CHECK_INT(gloss_suggestions_accept(C, &ar, &sr, NULL), 0);
	if (sr) {
		CHECK_STR(sr->annotation->status, "accepted");
		CHECK_STR(sr->annotation->label, "sanctions-regime");
		CHECK_STR(sr->annotation->author, AUTHOR); /* provenance kept */
		CHECK_INT(sr->annotation->version, sanc->version + 1);
		CHECK_INT(sr->annotation->id, sanc->id);
	}
	gloss_free(sr);
	sr = NULL;
	/* Reject the other. */
	Gloss__V1__RejectSuggestionRequest rr = GLOSS__V1__REJECT_SUGGESTION_REQUEST__INIT;
	rr.id = nego->id;
	rr.expected_version = nego->version;
	CHECK_INT(gloss_suggestions_reject(C, &rr, &sr, NULL), 0);
	if (sr)
		CHECK_STR(sr->annotation->status, "rejected");
	gloss_free(sr);
	sr = NULL;
	/* Neither is a pending suggestion any more (the old version is stale). */
	CHECK_INT(gloss_suggestions_accept(C, &ar, &sr, NULL), GLOSS_EABORTED);
	ar.expected_version = 0;
	CHECK_INT(gloss_suggestions_accept(C, &ar, &sr, NULL), GLOSS_EFAILED_PRECONDITION);
	rr.expected_version = 0;
	CHECK_INT(gloss_suggestions_reject(C, &rr, &sr, NULL), GLOSS_EFAILED_PRECONDITION);
	rr.id = sanc->id;
	CHECK_INT(gloss_suggestions_reject(C, &rr, &sr, NULL), GLOSS_EFAILED_PRECONDITION);
	gloss_free(sr);
	sr = NULL;
	/* A stale version or a bad span on accept changes nothing. */
	Gloss__V1__ListAnnotationsResponse *l0 = list_anns(C, DOCS[0], AUTHOR, 0);
	const Gloss__V1__Annotation *cf = find_span(l0, 24, 37);
	CHECK(cf != NULL);
	if (cf) {
		Gloss__V1__AcceptSuggestionRequest a2 = GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
		a2.id = cf->id;
		a2.expected_version = cf->version + 5;
		CHECK_INT(gloss_suggestions_accept(C, &a2, &sr, NULL), GLOSS_EABORTED);
		a2.expected_version = cf->version;
		a2.set_span = 1;
		a2.start = 50;
		a2.end = 500;
		CHECK_INT(gloss_suggestions_accept(C, &a2, &sr, NULL), GLOSS_EINVALID_ARGUMENT);
		/* Accept with a span edit: "cessez-le-feu ont" [24,41). */
		a2.end = 41;
		a2.start = 24;
		CHECK_INT(gloss_suggestions_accept(C, &a2, &sr, NULL), 0);
		if (sr)
			CHECK_STR(sr->annotation->quote, "cessez-le-feu ont");
		gloss_free(sr);
		sr = NULL;
	}
	gloss_free(l0);
	/* The log: one annotation.updated per decision. */
	Gloss__V1__WatchRequest w = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *wr = NULL;
	w.project = (char *)"an";
	w.since_seq = since;
	CHECK_INT(gloss_events_watch(C, &w, &wr, NULL), 0);
	int upd = 0, acc = 0, rej = 0;
	for (size_t i = 0; wr && i < wr->n_events; i++) {
		Gloss__V1__Event *e = wr->events[i];
		if (strcmp(e->kind, "annotation.updated") != 0)
			continue;
		upd++;
		if (e->object_id == sanc->id) {
			acc++;
			CHECK(e->annotation && strcmp(e->annotation->status, "accepted") == 0);
			CHECK_STR(e->author, "admin");
		}
		if (e->object_id == nego->id) {
			rej++;
			CHECK(e->annotation && strcmp(e->annotation->status, "rejected") == 0);
		}
	}
	CHECK_INT(upd, 3);
	CHECK_INT(acc, 1);
	CHECK_INT(rej, 1);
	gloss_free(wr);
	/* Status filters see them. */
	Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	lq.document_id = DOCS[1];
	lq.status = (char *)"suggested";
	CHECK_INT(gloss_annotations_list(C, &lq, &lr, NULL), 0);
	if (lr)
		CHECK_INT(lr->n_annotations, 0);
	gloss_free(lr);
	gloss_free(l);
	ALIVE();
}

GL_TEST(job_on_1000_documents_reports_progress)
{
	enum { N = 1000 };
	CHECK_INT(gl_dh_make_project(C, "an-bulk"), 0);
	Gloss__V1__DocumentInput *ins = calloc(N, sizeof(*ins));
	Gloss__V1__DocumentInput **pins = calloc(N, sizeof(*pins));
	char (*texts)[160] = calloc(N, sizeof(*texts));
	for (int i = 0; i < N; i++) {
		gloss__v1__document_input__init(&ins[i]);
		snprintf(texts[i], sizeof(texts[i]), "Bulletin %d: the summit on "
		    "sanctions opened; refugees and troops were discussed.", i);
		ins[i].title = (char *)"bulk";
		ins[i].text = texts[i];
		pins[i] = &ins[i];
	}
	Gloss__V1__ImportRequest ireq = GLOSS__V1__IMPORT_REQUEST__INIT;
	Gloss__V1__ImportResponse *iresp = NULL;
	ireq.project = (char *)"an-bulk";
	ireq.n_documents = N;
	ireq.documents = pins;
	CHECK_INT(gloss_documents_import(C, &ireq, &iresp, NULL), 0);
	int64_t last_doc = iresp ? iresp->results[N - 1]->id : 0;
	gloss_free(iresp);
	free(ins);
	free(pins);
	free(texts);

	int64_t since = project_seq(C, "an-bulk");
	int rc;
	int64_t t0 = gl_dh_now_ms();
	int64_t job = run_job(C, "an-bulk", "example", NULL, 0, &rc);
	CHECK_INT(rc, 0);
	/* Run answers at once with the job id; the work happens after. */
	CHECK(gl_dh_now_ms() - t0 < 5000);
	job_events je;
	CHECK_INT(follow_job(C, "an-bulk", since, job, 120000, &je), 0);
	printf("1000-document job: %d progress events\n", je.progress);
	CHECK(je.progress >= 2);
	CHECK(je.monotonic);
	CHECK_INT(je.last_done, N);
	CHECK_INT(detail_num(je.finished_detail, "done"), N);
	CHECK_INT(detail_num(je.finished_detail, "spans"), 4 * N);
	CHECK_INT(detail_num(je.finished_detail, "errors"), 0);
	Gloss__V1__GetJobResponse *hold;
	Gloss__V1__Job *j = get_job(C, job, &hold);
	if (j) {
		CHECK_STR(j->state, "done");
		CHECK_INT(j->documents_done, N);
		CHECK_INT(j->spans, 4 * N);
		CHECK(j->finished_at >= j->created_at);
	} else {
		CHECK(!"Analyzers/Job failed");
	}
	gloss_free(hold);
	Gloss__V1__ListAnnotationsResponse *l = list_anns(C, last_doc, AUTHOR, 0);
	if (l)
		CHECK_INT(l->n_annotations, 4);
	gloss_free(l);
	ALIVE();
}

GL_TEST(auto_plugins_run_on_import)
{
	Gloss__V1__CreateProjectRequest req = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	Gloss__V1__CreateProjectResponse *resp = NULL;
	char *autos[1] = { (char *)"example" };
	req.name = (char *)"an-auto";
	req.auto_plugins = autos;
	req.n_auto_plugins = 1;
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), 0);
	if (resp)
		CHECK(resp->project->n_auto_plugins == 1 &&
		    strcmp(resp->project->auto_plugins[0], "example") == 0);
	gloss_free(resp);
	int64_t since = project_seq(C, "an-auto");
	int64_t doc = gl_dh_import_one(C, "an-auto", "auto",
	    "Election observers reported protests after the election.");
	CHECK(doc > 0);
	/* The job shows up on Watch and finishes by itself. */
	int64_t job = 0;
	int64_t until = gl_dh_now_ms() + 30000;
	int finished = 0;
	while (!finished && gl_dh_now_ms() < until) {
		Gloss__V1__WatchRequest w = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *wr = NULL;
		w.project = (char *)"an-auto";
		w.since_seq = since;
		w.wait_ms = 2000;
		if (gloss_events_watch(C, &w, &wr, NULL) != 0)
			break;
		for (size_t i = 0; i < wr->n_events; i++) {
			if (strcmp(wr->events[i]->kind, "job.started") == 0)
				job = wr->events[i]->object_id;
			if (strcmp(wr->events[i]->kind, "job.finished") == 0 &&
			    wr->events[i]->object_id == job)
				finished = 1;
		}
		since = wr->last_seq;
		gloss_free(wr);
	}
	CHECK(job > 0);
	CHECK(finished);
	Gloss__V1__ListAnnotationsResponse *l = list_anns(C, doc, AUTHOR, 0);
	/* "Election" [0,8), "protests" [28,36), "election" [47,55) */
	CHECK(l != NULL && l->n_annotations == 3);
	const Gloss__V1__Annotation *a = find_span(l, 28, 36);
	CHECK(a != NULL && strcmp(a->value, "protest") == 0);
	a = find_span(l, 0, 8);
	CHECK(a != NULL && strcmp(a->quote, "Election") == 0);
	a = find_span(l, 47, 55);
	CHECK(a != NULL && strcmp(a->value, "election") == 0);
	gloss_free(l);
	/* A project cannot name a plugin that is not loaded. */
	autos[0] = (char *)"not-loaded";
	req.name = (char *)"an-auto-bad";
	resp = NULL;
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);
	ALIVE();
}

/* ---- misbehaving plugins ------------------------------------------------- */

GL_TEST(misbehaving_plugins)
{
	const char *dir = getenv("GLOSS_TEST_PLUGINS_DIR");
	CHECK(dir != NULL);
	if (dir == NULL)
		return;
	gl_dh t;
	CHECK_INT(gl_dh_init(&t, "an-bad", 0), 0);
	gl_dh_arg(&t, "--plugins");
	gl_dh_arg(&t, dir);
	if (gl_dh_start(&t) != 0) {
		CHECK(!"glossd with the misbehaving plugins did not start");
		gl_dh_cleanup(&t);
		return;
	}
	/* Refused at load, each with a log line naming it; the rest serve. */
	CHECK(gl_dh_log_contains(&t, "bad_abi"));
	CHECK(gl_dh_log_contains(&t, "failing_open"));
	CHECK(gl_dh_log_contains(&t, "no_symbol"));
	gloss_client *c = gl_dh_client(&t, NULL, 0);
	Gloss__V1__ListAnalyzersRequest lreq = GLOSS__V1__LIST_ANALYZERS_REQUEST__INIT;
	Gloss__V1__ListAnalyzersResponse *lresp = NULL;
	CHECK_INT(gloss_analyzers_list(c, &lreq, &lresp, NULL), 0);
	int has_bad_spans = 0, has_failing = 0, has_refused = 0;
	for (size_t i = 0; lresp && i < lresp->n_analyzers; i++) {
		const char *n = lresp->analyzers[i]->name;
		has_bad_spans |= strcmp(n, "bad_spans") == 0;
		has_failing |= strcmp(n, "failing_analyze") == 0;
		has_refused |= strcmp(n, "bad_abi") == 0 || strcmp(n, "failing_open") == 0 ||
		    strcmp(n, "no_symbol") == 0;
	}
	CHECK(has_bad_spans);
	CHECK(has_failing);
	CHECK(!has_refused);
	gloss_free(lresp);

	CHECK_INT(gl_dh_make_project(c, "bad"), 0);
	/* 12 code points, 13 bytes: "Café au lait". */
	int64_t d1 = gl_dh_import_one(c, "bad", "multi", "Café au lait");
	int64_t docs[3];
	docs[0] = gl_dh_import_one(c, "bad", "ok1", "Одна хорошая статья.");
	docs[1] = gl_dh_import_one(c, "bad", "fails", "This one will FAIL on purpose.");
	docs[2] = gl_dh_import_one(c, "bad", "ok2", "\xf0\x9f\x8c\x8d Another good one.");

	/* bad_spans: 2 kept, 12 dropped and counted. */
	int64_t since = project_seq(c, "bad");
	int rc;
	int64_t job = run_job(c, "bad", "bad_spans", &d1, 1, &rc);
	CHECK_INT(rc, 0);
	job_events je;
	CHECK_INT(follow_job(c, "bad", since, job, 30000, &je), 0);
	Gloss__V1__GetJobResponse *hold;
	Gloss__V1__Job *j = get_job(c, job, &hold);
	if (j) {
		CHECK_STR(j->state, "done");
		CHECK_INT(j->spans, 2);
		CHECK_INT(j->errors, 12);
		CHECK(j->n_error_messages > 0);
	} else {
		CHECK(!"no job");
	}
	gloss_free(hold);
	Gloss__V1__ListAnnotationsResponse *l = list_anns(c, d1, "plugin:bad_spans@0.0.1", 0);
	CHECK(l != NULL && l->n_annotations == 2);
	const Gloss__V1__Annotation *a = find_span(l, 0, 4);
	CHECK(a != NULL && strcmp(a->quote, "Café") == 0 && strcmp(a->value, "first") == 0);
	if (a)
		CHECK_STR(a->layer, "test");
	a = find_span(l, 11, 12);
	CHECK(a != NULL && strcmp(a->quote, "t") == 0 && strcmp(a->layer, "other") == 0);
	if (a)
		CHECK(a->has_score && a->score == 0.5);
	gloss_free(l);
	CHECK(gl_dh_serving(&t));

	/* failing_analyze: the FAIL document fails, the others succeed. */
	since = project_seq(c, "bad");
	job = run_job(c, "bad", "failing_analyze", docs, 3, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(follow_job(c, "bad", since, job, 30000, &je), 0);
	j = get_job(c, job, &hold);
	if (j) {
		CHECK_STR(j->state, "done");
		CHECK_INT(j->documents_done, 3);
		CHECK_INT(j->spans, 2);
		CHECK_INT(j->errors, 1);
		int says = 0;
		for (size_t i = 0; i < j->n_error_messages; i++)
			says |= strstr(j->error_messages[i], "FAIL") != NULL;
		CHECK(says);
	} else {
		CHECK(!"no job");
	}
	gloss_free(hold);
	for (int i = 0; i < 3; i++) {
		l = list_anns(c, docs[i], "plugin:failing_analyze@0.0.1", 0);
		CHECK(l != NULL);
		if (l) {
			CHECK_INT(l->n_annotations, i == 1 ? 0 : 1);
			/* The first character, whatever its width: a code point. */
			if (l->n_annotations == 1) {
				CHECK_INT(l->annotations[0]->start, 0);
				CHECK_INT(l->annotations[0]->end, 1);
				CHECK_STR(l->annotations[0]->quote, i == 0 ? "О" : "\xf0\x9f\x8c\x8d");
			}
		}
		gloss_free(l);
	}
	/* Both misbehaving plugins over everything, and it still serves. */
	since = project_seq(c, "bad");
	job = run_job(c, "bad", NULL, NULL, 0, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(follow_job(c, "bad", since, job, 30000, &je), 0);
	CHECK(gl_dh_serving(&t));
	gloss_close(c);
	CHECK_INT(gl_dh_term(&t, 5000, NULL), 0);
	gl_dh_cleanup(&t);
}

GL_TEST(sigterm_exits_zero)
{
	int ms = 0;
	CHECK_INT(gl_dh_term(&D, 5000, &ms), 0);
	CHECK(ms < 5000);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(list_shows_example),
		GL_TEST_ENTRY(run_gives_codepoint_suggestions),
		GL_TEST_ENTRY(rerun_replaces),
		GL_TEST_ENTRY(accept_and_reject),
		GL_TEST_ENTRY(job_on_1000_documents_reports_progress),
		GL_TEST_ENTRY(auto_plugins_run_on_import),
		GL_TEST_ENTRY(misbehaving_plugins),
		GL_TEST_ENTRY(sigterm_exits_zero),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *plugins = getenv("GLOSS_PLUGINS_DIR");
	if (plugins == NULL || gl_dh_init(&D, "an", 0) != 0) {
		fprintf(stderr, "GLOSS_PLUGINS_DIR and GLOSSD must be set\n");
		printf("0 passed, 1 failed\n");
		return 1;
	}
	gl_dh_arg(&D, "--plugins");
	gl_dh_arg(&D, plugins);
	if (gl_dh_start(&D) != 0) {
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	C = gl_dh_client(&D, NULL, 0);
	snprintf(AUTHOR, sizeof(AUTHOR), "plugin:example@?");
	int rc = gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
	gloss_close(C);
	if (rc != 0)
		gl_dh_dump_log(&D);
	gl_dh_cleanup(&D);
	return rc;
}
