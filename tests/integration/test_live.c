/*
 * test_live.c - live collaboration through the real glossd (issue 7):
 *   - three annotators write to one document of a shared project at once,
 *     each watching the project: every watcher sees every create, update and
 *     delete of the others, in the log's order, with no gap and nothing
 *     twice, also the one that disconnects and resumes from its last seq;
 *   - in an independent project an annotator's watch shows only their own
 *     work and plugin suggestions, a curator's watch shows everything;
 *   - two clients update one annotation at the same moment: exactly one
 *     wins, the other gets ABORTED with current_version, and can retry;
 *   - presence: a heartbeat shows in Sessions/List and emits
 *     session.opened; session.closed follows once heartbeats stop for the
 *     TTL (GLOSS_SESSION_TTL_MS, shortened here).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gloss/v1/sessions.pb-c.h"
#include "gloss/v1/users.pb-c.h"
#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

#define TTL_MS 1500
#define DOC_TEXT "Kabul and Islamabad traded accusations while Washington " \
	"urged calm and Beijing offered to mediate the border dispute."

static gl_dh D;
static gloss_client *ADM;

/* ---- helpers ----------------------------------------------------------- */

static int
user_add(const char *name, const char *role, char tok[128])
{
	Gloss__V1__CreateUserRequest q = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	q.name = (char *)name;
	q.role = (char *)role;
	Gloss__V1__CreateUserResponse *r = NULL;
	int rc = gloss_call(ADM, "/gloss.v1.Users/Create", &q.base,
	    &gloss__v1__create_user_response__descriptor, (ProtobufCMessage **)&r, NULL);
	if (rc == 0)
		snprintf(tok, 128, "%s", r->token);
	else
		fprintf(stderr, "user %s: %s\n", name, gloss_last_error());
	gloss_free(r);
	return rc;
}

static int
member_add(const char *project, const char *user, const char *role)
{
	Gloss__V1__AddMemberRequest q = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	q.project = (char *)project;
	q.user = (char *)user;
	q.role = (char *)role;
	return gloss_call(ADM, "/gloss.v1.Members/Add", &q.base,
	    &gloss__v1__add_member_response__descriptor, NULL, NULL);
}

static int
project_add(const char *name, const char *mode)
{
	Gloss__V1__CreateProjectRequest q = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	q.name = (char *)name;
	q.mode = (char *)mode;
	Gloss__V1__CreateProjectResponse *r = NULL;
	int rc = gloss_projects_create(ADM, &q, &r, NULL);
	gloss_free(r);
	return rc;
}

/* The newest seq of the whole log. */
static int64_t
last_seq(void)
{
	Gloss__V1__HealthCheckRequest q = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *r = NULL;
	int64_t s = gloss_health_check(ADM, &q, &r, NULL) == 0 ? (int64_t)r->last_seq : -1;
	gloss_free(r);
	return s;
}

static int64_t
ann_create(gloss_client *c, int64_t doc, const char *layer, const char *label,
    int64_t start, int64_t end)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.document_id = doc;
	in.layer = (char *)layer;
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	Gloss__V1__CreateAnnotationsRequest q = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	q.n_annotations = 1;
	q.annotations = &pin;
	Gloss__V1__CreateAnnotationsResponse *r = NULL;
	int rc = gloss_annotations_create(c, &q, &r, NULL);
	if (rc != 0) {
		fprintf(stderr, "create: %s\n", gloss_last_error());
		return rc;
	}
	int64_t id = r->annotations[0]->id;
	gloss_free(r);
	return id;
}

static int
ann_relabel(gloss_client *c, int64_t id, int64_t expected, const char *label,
    gloss_status *st)
{
	Gloss__V1__UpdateAnnotationRequest q = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	q.id = id;
	q.expected_version = expected;
	q.set_label = 1;
	q.label = (char *)label;
	Gloss__V1__UpdateAnnotationResponse *r = NULL;
	int rc = gloss_annotations_update(c, &q, &r, st);
	gloss_free(r);
	return rc;
}

static int
ann_delete(gloss_client *c, int64_t id, int64_t expected)
{
	Gloss__V1__DeleteAnnotationRequest q = GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
	q.id = id;
	q.expected_version = expected;
	Gloss__V1__DeleteAnnotationResponse *r = NULL;
	int rc = gloss_annotations_delete(c, &q, &r, NULL);
	gloss_free(r);
	return rc;
}

/* ---- watchers -------------------------------------------------------------- */

typedef struct rec {
	int64_t seq, object_id, version;
	char kind[32];
	char author[64];     /* who made the change */
	char ann_author[64]; /* whose annotation it is ("" if none) */
} rec;

typedef struct watcher {
	const char *token;
	const char *project;
	int64_t since;
	uint32_t limit;        /* per poll; 0: the server's default */
	int want;              /* stop after this many events */
	int disconnect_after;  /* 0: never; else reconnect once after n events */
	int64_t deadline;      /* gl_dh_now_ms() bound */
	rec *evs;
	int n, cap;
	int order_errors;      /* an event at or below the previous seq */
	int reconnected;
	int rc;                /* last non-transient failure, or 0 */
} watcher;

static void
rec_add(watcher *w, const Gloss__V1__Event *e)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->evs = realloc(w->evs, (size_t)w->cap * sizeof(*w->evs));
	}
	rec *r = &w->evs[w->n++];
	memset(r, 0, sizeof(*r));
	r->seq = e->seq;
	r->object_id = e->object_id;
	r->version = e->version;
	snprintf(r->kind, sizeof(r->kind), "%s", e->kind);
	snprintf(r->author, sizeof(r->author), "%s", e->author);
	if (e->annotation)
		snprintf(r->ann_author, sizeof(r->ann_author), "%s", e->annotation->author);
}

/* Long-polls Watch the way a client would, by hand so every answer is seen. */
static void *
watcher_main(void *arg)
{
	watcher *w = arg;
	gloss_client *c = gl_dh_client(&D, w->token, 0);
	int64_t since = w->since;
	while (c != NULL && w->n < w->want && gl_dh_now_ms() < w->deadline) {
		Gloss__V1__WatchRequest q = GLOSS__V1__WATCH_REQUEST__INIT;
		q.project = (char *)w->project;
		q.since_seq = since;
		q.wait_ms = 500;
		q.limit = w->limit;
		Gloss__V1__WatchResponse *r = NULL;
		int rc = gloss_events_watch(c, &q, &r, NULL);
		if (rc == GLOSS_EUNAVAILABLE || rc == GLOSS_EDEADLINE_EXCEEDED) {
			usleep(50 * 1000);
			continue;
		}
		if (rc != 0) {
			w->rc = rc;
			break;
		}
		for (size_t i = 0; i < r->n_events; i++) {
			const Gloss__V1__Event *e = r->events[i];
			if (e->seq <= since)
				w->order_errors++;
			since = e->seq;
			rec_add(w, e);
		}
		if (r->last_seq < since)
			w->order_errors++;
		since = r->last_seq;
		gloss_free(r);
		if (w->disconnect_after && !w->reconnected && w->n >= w->disconnect_after) {
			/* Gone for a while; the others keep writing meanwhile. */
			gloss_close(c);
			usleep(400 * 1000);
			c = gl_dh_client(&D, w->token, 0);
			w->reconnected = 1;
		}
	}
	gloss_close(c);
	return NULL;
}

/* Every event of project after since, as the admin sees it. */
static int
reference(const char *project, int64_t since, watcher *ref)
{
	memset(ref, 0, sizeof(*ref));
	for (;;) {
		Gloss__V1__WatchRequest q = GLOSS__V1__WATCH_REQUEST__INIT;
		q.project = (char *)project;
		q.since_seq = since;
		Gloss__V1__WatchResponse *r = NULL;
		if (gloss_events_watch(ADM, &q, &r, NULL) != 0)
			return -1;
		for (size_t i = 0; i < r->n_events; i++)
			rec_add(ref, r->events[i]);
		size_t n = r->n_events;
		since = r->last_seq;
		gloss_free(r);
		if (n == 0)
			return 0;
	}
}

static int
same_events(const watcher *a, const watcher *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (a->evs[i].seq != b->evs[i].seq || a->evs[i].version != b->evs[i].version ||
		    a->evs[i].object_id != b->evs[i].object_id ||
		    strcmp(a->evs[i].kind, b->evs[i].kind) != 0)
			return 0;
	return 1;
}

static int
count(const watcher *w, const char *kind, const char *author)
{
	int n = 0;
	for (int i = 0; i < w->n; i++)
		if ((kind == NULL || strcmp(w->evs[i].kind, kind) == 0) &&
		    (author == NULL || strcmp(w->evs[i].author, author) == 0))
			n++;
	return n;
}

/* ---- three annotators, one document ------------------------------------------ */

enum { NA = 3, PER = 8 }; /* annotators; annotations each */

typedef struct writer {
	const char *token;
	int64_t doc;
	int idx;
	int rc;
	pthread_barrier_t *go;
} writer;

/* PER creates, PER updates, PER/2 deletes, interleaved with the others. */
static void *
writer_main(void *arg)
{
	writer *w = arg;
	gloss_client *c = gl_dh_client(&D, w->token, 0);
	int64_t ids[PER];
	pthread_barrier_wait(w->go);
	for (int k = 0; k < PER && w->rc == 0 && c; k++) {
		char label[16];
		snprintf(label, sizeof(label), "L%d", w->idx);
		int64_t start = (w->idx * PER + k) % 100;
		ids[k] = ann_create(c, w->doc, "actor", label, start, start + 3);
		if (ids[k] < 0)
			w->rc = (int)ids[k];
		else if ((w->rc = ann_relabel(c, ids[k], 1, "EDITED", NULL)) == 0 && k % 2 == 1)
			w->rc = ann_delete(c, ids[k], 2);
	}
	if (c == NULL)
		w->rc = -1;
	gloss_close(c);
	return NULL;
}

GL_TEST(three_annotators_see_each_other)
{
	static const char *const names[NA] = { "ann-a", "ann-b", "ann-c" };
	char tok[NA][128];
	CHECK_INT(project_add("live", "shared"), 0);
	for (int i = 0; i < NA; i++) {
		CHECK_INT(user_add(names[i], "annotator", tok[i]), 0);
		CHECK_INT(member_add("live", names[i], "annotator"), 0);
	}
	int64_t doc = gl_dh_import_one(ADM, "live", "d", DOC_TEXT);
	CHECK(doc > 0);
	int64_t since = last_seq();
	const int total = NA * (PER + PER + PER / 2);

	watcher w[NA];
	pthread_t wt[NA], xt[NA];
	for (int i = 0; i < NA; i++) {
		w[i] = (watcher){ .token = tok[i], .project = "live", .since = since,
			.want = total, .deadline = gl_dh_now_ms() + 30000 };
	}
	w[1].limit = 3;                 /* pages through small answers */
	w[2].disconnect_after = total / 3; /* leaves and comes back */
	for (int i = 0; i < NA; i++)
		pthread_create(&wt[i], NULL, watcher_main, &w[i]);
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, NA);
	writer wr[NA];
	for (int i = 0; i < NA; i++) {
		wr[i] = (writer){ .token = tok[i], .doc = doc, .idx = i, .go = &go };
		pthread_create(&xt[i], NULL, writer_main, &wr[i]);
	}
	for (int i = 0; i < NA; i++) {
		pthread_join(xt[i], NULL);
		CHECK_INT(wr[i].rc, 0);
	}
	for (int i = 0; i < NA; i++)
		pthread_join(wt[i], NULL);
	pthread_barrier_destroy(&go);

	watcher ref;
	CHECK_INT(reference("live", since, &ref), 0);
	CHECK_INT(ref.n, total);
	/* The log itself: consecutive seqs, each annotation's versions rising. */
	for (int i = 1; i < ref.n; i++)
		CHECK_INT(ref.evs[i].seq, ref.evs[i - 1].seq + 1);
	for (int i = 0; i < ref.n; i++)
		for (int j = i + 1; j < ref.n; j++)
			if (ref.evs[j].object_id == ref.evs[i].object_id)
				CHECK(ref.evs[j].version > ref.evs[i].version);
	for (int i = 0; i < NA; i++) {
		CHECK_INT(w[i].rc, 0);
		CHECK_INT(w[i].order_errors, 0);
		CHECK_INT(w[i].n, total);
		if (!same_events(&w[i], &ref)) {
			fprintf(stderr, "watcher %s saw %d events, the log has %d, or "
			    "another order\n", names[i], w[i].n, ref.n);
			CHECK(!"a watcher's events differ from the log");
		}
		/* Every one sees every other's creates, updates and deletes. */
		for (int k = 0; k < NA; k++) {
			CHECK_INT(count(&w[i], "annotation.created", names[k]), PER);
			CHECK_INT(count(&w[i], "annotation.updated", names[k]), PER);
			CHECK_INT(count(&w[i], "annotation.deleted", names[k]), PER / 2);
		}
	}
	CHECK(w[2].reconnected);
	for (int i = 0; i < NA; i++)
		free(w[i].evs);
	free(ref.evs);
}

/* ---- independent mode ------------------------------------------------------- */

GL_TEST(independent_watch_hides_others)
{
	char ta[128], tb[128], tc[128];
	CHECK_INT(project_add("live-ind", "independent"), 0);
	CHECK_INT(user_add("ind-a", "annotator", ta), 0);
	CHECK_INT(user_add("ind-b", "annotator", tb), 0);
	CHECK_INT(user_add("ind-cur", "curator", tc), 0);
	CHECK_INT(member_add("live-ind", "ind-a", "annotator"), 0);
	CHECK_INT(member_add("live-ind", "ind-b", "annotator"), 0);
	CHECK_INT(member_add("live-ind", "ind-cur", "curator"), 0);
	int64_t doc = gl_dh_import_one(ADM, "live-ind", "d",
	    "The sanctions on Tehran were discussed in Brussels and Moscow.");
	CHECK(doc > 0);
	int64_t since = last_seq();

	/* Plugin suggestions everyone may see. */
	Gloss__V1__RunAnalyzersRequest rq = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	char *plugins[1] = { (char *)"example" };
	rq.project = (char *)"live-ind";
	rq.plugins = plugins;
	rq.n_plugins = 1;
	Gloss__V1__RunAnalyzersResponse *rr = NULL;
	CHECK_INT(gloss_analyzers_run(ADM, &rq, &rr, NULL), 0);
	int64_t job = rr ? rr->job_id : 0;
	gloss_free(rr);
	int done = 0;
	for (int i = 0; i < 600 && !done; i++) {
		Gloss__V1__GetJobRequest jq = GLOSS__V1__GET_JOB_REQUEST__INIT;
		jq.id = job;
		Gloss__V1__GetJobResponse *jr = NULL;
		if (gloss_analyzers_job(ADM, &jq, &jr, NULL) == 0)
			done = strcmp(jr->job->state, "done") == 0;
		gloss_free(jr);
		if (!done)
			usleep(50 * 1000);
	}
	CHECK(done);
	int64_t sugg = 0;
	for (int i = 0; i < 1 && sugg == 0; i++) {
		Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
		lq.document_id = doc;
		lq.status = (char *)"suggested";
		Gloss__V1__ListAnnotationsResponse *lr = NULL;
		if (gloss_annotations_list(ADM, &lq, &lr, NULL) == 0 && lr->n_annotations > 0)
			sugg = lr->annotations[0]->id;
		gloss_free(lr);
	}
	CHECK(sugg > 0);

	gloss_client *a = gl_dh_client(&D, ta, 0), *b = gl_dh_client(&D, tb, 0);
	int64_t a1 = ann_create(a, doc, "actor", "IRN", 25, 31);
	int64_t a2 = ann_create(a, doc, "actor", "BEL", 47, 55);
	int64_t b1 = ann_create(b, doc, "actor", "IRN", 25, 31);
	CHECK(a1 > 0 && a2 > 0 && b1 > 0);
	CHECK_INT(ann_relabel(a, a1, 1, "GOV", NULL), 0);
	CHECK_INT(ann_delete(a, a2, 1), 0);
	CHECK_INT(ann_relabel(b, b1, 1, "STATE", NULL), 0);
	/* b accepts the suggestion: b's own copy, hidden from a. */
	Gloss__V1__AcceptSuggestionRequest aq = GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
	aq.id = sugg;
	Gloss__V1__SuggestionResponse *sr = NULL;
	CHECK_INT(gloss_suggestions_accept(b, &aq, &sr, NULL), 0);
	if (sr) {
		CHECK_STR(sr->annotation->author, "ind-b");
		CHECK_STR(sr->annotation->status, "accepted");
		CHECK(sr->annotation->id != sugg);
		CHECK(strstr(sr->annotation->attributes, "\"from_suggestion\"") != NULL);
		CHECK(strstr(sr->annotation->attributes, "\"suggested_by\":\"plugin:example@") != NULL);
	}
	gloss_free(sr);
	gloss_close(a);
	gloss_close(b);

	watcher ref;
	CHECK_INT(reference("live-ind", since, &ref), 0);
	int plugin_anns = 0;
	for (int i = 0; i < ref.n; i++)
		plugin_anns += strncmp(ref.evs[i].ann_author, "plugin:", 7) == 0;
	CHECK(plugin_anns > 0);

	/* Watchers started from the same point, after the fact: no waiting. */
	watcher wa = { .token = ta, .project = "live-ind", .since = since,
		.want = 1 << 30, .deadline = gl_dh_now_ms() + 1500 };
	watcher wb = wa, wc = wa;
	wb.token = tb;
	wc.token = tc;
	pthread_t t[3];
	pthread_create(&t[0], NULL, watcher_main, &wa);
	pthread_create(&t[1], NULL, watcher_main, &wb);
	pthread_create(&t[2], NULL, watcher_main, &wc);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(wa.rc, 0);
	CHECK_INT(wb.rc, 0);
	CHECK_INT(wc.rc, 0);
	/* The curator sees everything the log holds. */
	CHECK(same_events(&wc, &ref));
	/* Annotators: only their own annotations and plugin suggestions. */
	const watcher *ws[2] = { &wa, &wb };
	const char *who[2] = { "ind-a", "ind-b" };
	for (int k = 0; k < 2; k++) {
		const watcher *w = ws[k];
		CHECK_INT(w->order_errors, 0);
		int own = 0, plugin = 0;
		for (int i = 0; i < w->n; i++) {
			const rec *e = &w->evs[i];
			if (strncmp(e->kind, "annotation.", 11) != 0)
				continue;
			if (strcmp(e->ann_author, who[k]) == 0)
				own++;
			else if (strncmp(e->ann_author, "plugin:", 7) == 0)
				plugin++;
			else {
				fprintf(stderr, "%s saw %s of %s's annotation %lld\n", who[k],
				    e->kind, e->ann_author, (long long)e->object_id);
				CHECK(!"an annotator saw another's work");
			}
		}
		CHECK_INT(plugin, plugin_anns);
		CHECK_INT(own, k == 0 ? 4 : 3); /* a: 2 created, 1 update, 1 delete; b: 1+1+accept */
		/* Non-annotation events (document, job) are not hidden. */
		CHECK(count(w, "job.finished", NULL) >= 1);
	}
	/* The curator's view holds both annotators' work. */
	int seen_a = 0, seen_b = 0;
	for (int i = 0; i < wc.n; i++) {
		seen_a += strcmp(wc.evs[i].ann_author, "ind-a") == 0;
		seen_b += strcmp(wc.evs[i].ann_author, "ind-b") == 0;
	}
	CHECK_INT(seen_a, 4);
	CHECK_INT(seen_b, 3);
	free(wa.evs);
	free(wb.evs);
	free(wc.evs);
	free(ref.evs);
}

/* ---- the conflict ------------------------------------------------------------- */

typedef struct racer {
	const char *token;
	int64_t id;
	const char *label;
	pthread_barrier_t *go;
	int rounds;
	int rc[64];
	char current[64][16];
} racer;

static void *
racer_main(void *arg)
{
	racer *r = arg;
	gloss_client *c = gl_dh_client(&D, r->token, 0);
	for (int i = 0; i < r->rounds; i++) {
		gloss_status st = GLOSS_STATUS_INIT;
		pthread_barrier_wait(r->go);
		/* Round i expects version i + 1: both start from the same one. */
		r->rc[i] = c ? ann_relabel(c, r->id, i + 1, r->label, &st) : -99;
		const char *cv = gloss_status_detail(&st, "current_version");
		snprintf(r->current[i], sizeof(r->current[i]), "%s", cv ? cv : "");
		gloss_status_clear(&st);
		pthread_barrier_wait(r->go); /* the round is over for both */
	}
	gloss_close(c);
	return NULL;
}

GL_TEST(conflict_exactly_one_wins)
{
	char t1[128], t2[128];
	CHECK_INT(project_add("live-conflict", "shared"), 0);
	CHECK_INT(user_add("race-1", "annotator", t1), 0);
	CHECK_INT(user_add("race-2", "annotator", t2), 0);
	CHECK_INT(member_add("live-conflict", "race-1", "annotator"), 0);
	CHECK_INT(member_add("live-conflict", "race-2", "annotator"), 0);
	int64_t doc = gl_dh_import_one(ADM, "live-conflict", "d", DOC_TEXT);
	int64_t id = ann_create(ADM, doc, "actor", "START", 0, 5);
	CHECK(id > 0);
	enum { ROUNDS = 20 };
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	racer r1 = { .token = t1, .id = id, .label = "ONE", .go = &go, .rounds = ROUNDS };
	racer r2 = { .token = t2, .id = id, .label = "TWO", .go = &go, .rounds = ROUNDS };
	pthread_t a, b;
	pthread_create(&a, NULL, racer_main, &r1);
	pthread_create(&b, NULL, racer_main, &r2);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&go);
	int wins1 = 0, wins2 = 0;
	for (int i = 0; i < ROUNDS; i++) {
		char want[16];
		snprintf(want, sizeof(want), "%d", i + 2);
		int w1 = r1.rc[i] == 0, w2 = r2.rc[i] == 0;
		if (w1 + w2 != 1) {
			fprintf(stderr, "round %d: %s and %s\n", i,
			    gloss_code_name(r1.rc[i]), gloss_code_name(r2.rc[i]));
			CHECK(!"not exactly one winner");
			continue;
		}
		racer *loser = w1 ? &r2 : &r1;
		CHECK_INT(loser->rc[i], GLOSS_EABORTED);
		/* The loser learns the winner's version. */
		CHECK_STR(loser->current[i], want);
		wins1 += w1;
		wins2 += w2;
	}
	printf("# conflict: race-1 won %d, race-2 won %d of %d rounds\n", wins1, wins2, ROUNDS);
	/* The loser reloads and retries with the current version. */
	gloss_client *c = gl_dh_client(&D, t2, 0);
	gloss_status st = GLOSS_STATUS_INIT;
	CHECK_INT(ann_relabel(c, id, 1, "STALE", &st), GLOSS_EABORTED);
	char cur[32];
	snprintf(cur, sizeof(cur), "%d", ROUNDS + 1);
	CHECK_STR(gloss_status_detail(&st, "current_version"), cur);
	gloss_status_clear(&st);
	CHECK_INT(ann_relabel(c, id, ROUNDS + 1, "RETRIED", NULL), 0);
	Gloss__V1__AnnotationHistoryRequest hq = GLOSS__V1__ANNOTATION_HISTORY_REQUEST__INIT;
	hq.id = id;
	Gloss__V1__AnnotationHistoryResponse *h = NULL;
	CHECK_INT(gloss_call(c, "/gloss.v1.Annotations/History", &hq.base,
	    &gloss__v1__annotation_history_response__descriptor,
	    (ProtobufCMessage **)&h, NULL), 0);
	if (h) {
		/* One version per winning update: nothing was lost or doubled. */
		CHECK_INT(h->n_versions, ROUNDS + 2);
		for (size_t i = 0; i < h->n_versions; i++)
			CHECK_INT(h->versions[i]->version, (int64_t)i + 1);
		if (h->n_versions == ROUNDS + 2)
			CHECK_STR(h->versions[ROUNDS + 1]->annotation->label, "RETRIED");
	}
	gloss_free(h);
	gloss_close(c);
}

/* ---- presence ------------------------------------------------------------------ */

static int
heartbeat(gloss_client *c, const char *project, int64_t doc, uint32_t *ttl)
{
	Gloss__V1__HeartbeatRequest q = GLOSS__V1__HEARTBEAT_REQUEST__INIT;
	q.project = (char *)project;
	q.document_id = doc;
	Gloss__V1__HeartbeatResponse *r = NULL;
	int rc = gloss_call(c, "/gloss.v1.Sessions/Heartbeat", &q.base,
	    &gloss__v1__heartbeat_response__descriptor, (ProtobufCMessage **)&r, NULL);
	if (rc == 0 && ttl)
		*ttl = r->ttl_ms;
	gloss_free(r);
	return rc;
}

static Gloss__V1__ListSessionsResponse *
sessions(const char *project)
{
	Gloss__V1__ListSessionsRequest q = GLOSS__V1__LIST_SESSIONS_REQUEST__INIT;
	q.project = (char *)project;
	Gloss__V1__ListSessionsResponse *r = NULL;
	if (gloss_call(ADM, "/gloss.v1.Sessions/List", &q.base,
	        &gloss__v1__list_sessions_response__descriptor, (ProtobufCMessage **)&r,
	        NULL) != 0)
		return NULL;
	return r;
}

/* Next event of project after *since, waiting up to wait_ms; kind or NULL. */
static Gloss__V1__WatchResponse *
next_events(const char *project, int64_t *since, uint32_t wait_ms)
{
	Gloss__V1__WatchRequest q = GLOSS__V1__WATCH_REQUEST__INIT;
	q.project = (char *)project;
	q.since_seq = *since;
	q.wait_ms = wait_ms;
	Gloss__V1__WatchResponse *r = NULL;
	if (gloss_events_watch(ADM, &q, &r, NULL) != 0)
		return NULL;
	*since = r->last_seq;
	return r;
}

GL_TEST(presence_opened_and_closed)
{
	char tok[128];
	CHECK_INT(project_add("live-presence", "shared"), 0);
	CHECK_INT(user_add("present", "annotator", tok), 0);
	CHECK_INT(member_add("live-presence", "present", "annotator"), 0);
	int64_t d1 = gl_dh_import_one(ADM, "live-presence", "d1", DOC_TEXT);
	int64_t d2 = gl_dh_import_one(ADM, "live-presence", "d2", "Another text about Ankara.");
	int64_t since = last_seq();
	gloss_client *c = gl_dh_client(&D, tok, 0);
	uint32_t ttl = 0;
	CHECK_INT(heartbeat(c, "live-presence", d1, &ttl), 0);
	CHECK_INT(ttl, TTL_MS);
	Gloss__V1__ListSessionsResponse *s = sessions("live-presence");
	CHECK(s != NULL && s->n_sessions == 1);
	if (s && s->n_sessions == 1) {
		CHECK_STR(s->sessions[0]->user, "present");
		CHECK_INT(s->sessions[0]->document_id, d1);
		CHECK(s->sessions[0]->last_seen >= s->sessions[0]->since);
	}
	gloss_free(s);
	Gloss__V1__WatchResponse *r = next_events("live-presence", &since, 0);
	CHECK(r != NULL && r->n_events == 1);
	if (r && r->n_events == 1) {
		CHECK_STR(r->events[0]->kind, "session.opened");
		CHECK_STR(r->events[0]->author, "present");
		CHECK_INT(r->events[0]->document_id, d1);
		CHECK(strstr(r->events[0]->detail, "\"user\":\"present\"") != NULL);
	}
	gloss_free(r);
	/* The same document again: no new event; another document: one. */
	CHECK_INT(heartbeat(c, "live-presence", d1, NULL), 0);
	r = next_events("live-presence", &since, 0);
	CHECK(r != NULL && r->n_events == 0);
	gloss_free(r);
	CHECK_INT(heartbeat(c, "live-presence", d2, NULL), 0);
	int64_t t_last = gl_dh_now_ms(); /* just after the last heartbeat */
	r = next_events("live-presence", &since, 0);
	CHECK(r != NULL && r->n_events == 1);
	if (r && r->n_events == 1) {
		CHECK_STR(r->events[0]->kind, "session.opened");
		CHECK_INT(r->events[0]->document_id, d2);
	}
	gloss_free(r);
	/* Presence in a project one is not a member of is refused. */
	CHECK_INT(heartbeat(c, "live", d2, NULL), GLOSS_EPERMISSION_DENIED);
	/* Heartbeats stop: session.closed within TTL + the 2 s sweep (+ slack). */
	int closed = 0;
	int64_t closed_at = 0;
	while (!closed && gl_dh_now_ms() - t_last < TTL_MS + 8000) {
		r = next_events("live-presence", &since, 1000);
		for (size_t i = 0; r && i < r->n_events; i++)
			if (strcmp(r->events[i]->kind, "session.closed") == 0) {
				closed = 1;
				closed_at = gl_dh_now_ms();
				CHECK_STR(r->events[i]->author, "present");
				CHECK_INT(r->events[i]->document_id, d2);
			}
		gloss_free(r);
	}
	CHECK(closed);
	CHECK(closed_at - t_last >= TTL_MS - 200); /* not before the TTL */
	s = sessions("live-presence");
	CHECK(s != NULL && s->n_sessions == 0);
	gloss_free(s);
	/* Coming back opens a new session. */
	CHECK_INT(heartbeat(c, "live-presence", d1, NULL), 0);
	r = next_events("live-presence", &since, 0);
	CHECK(r != NULL && r->n_events == 1 && strcmp(r->events[0]->kind, "session.opened") == 0);
	gloss_free(r);
	gloss_close(c);
}

int
main(void)
{
	static const gl_test_case tests[] = {
		GL_TEST_ENTRY(three_annotators_see_each_other),
		GL_TEST_ENTRY(independent_watch_hides_others),
		GL_TEST_ENTRY(conflict_exactly_one_wins),
		GL_TEST_ENTRY(presence_opened_and_closed),
	};
	char plugins[512], ttl[16];
	const char *pd = getenv("GLOSS_PLUGINS_DIR");
	snprintf(plugins, sizeof(plugins), "%s/example", pd ? pd : "plugins");
	snprintf(ttl, sizeof(ttl), "%d", TTL_MS);
	setenv("GLOSS_SESSION_TTL_MS", ttl, 1);
	if (gl_dh_init(&D, "live", 0) != 0) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	gl_dh_arg(&D, "--plugins");
	gl_dh_arg(&D, plugins);
	if (gl_dh_start(&D) != 0 || (ADM = gl_dh_client(&D, NULL, 0)) == NULL) {
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	int rc = gl_test_run(tests, sizeof(tests) / sizeof(tests[0]));
	if (rc != 0 && getenv("GLOSS_TEST_VERBOSE"))
		gl_dh_dump_log(&D);
	gloss_close(ADM);
	gl_dh_cleanup(&D);
	return rc;
}
