/*
 * test_crash.c - an acknowledged write is never lost and never doubled.
 *
 * 8 writer threads, each with its own client, create annotations as fast
 * as they can; each annotation carries a unique tag in its value and is
 * sent with a request_id made from that tag.  glossd is SIGKILLed at a
 * random moment (the seed is printed; GLOSS_TEST_SEED replays it).  After
 * a restart:
 *   - every annotation a writer saw acknowledged is there, with its tag;
 *   - no tag is stored twice;
 *   - the writes whose outcome the writers never learned, retried with
 *     their request_id, end up stored exactly once;
 *   - the event log has exactly one annotation.created per stored
 *     annotation, and none for anything else.
 * Two kill/restart rounds, a few seconds of writing in all.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

enum { NWRITERS = 8, MAX_PER_WRITER = 200000, ROUNDS = 2 };

static gl_dh D;
static int64_t DOC;
static atomic_int STOP;

typedef struct {
	int id;
	int round;
	/* tags k of "r<round>-w<id>-<k>" that were acknowledged, and their ids */
	int64_t *acked_ids;
	int *acked_k;
	int nacked;
	int unknown_k;   /* the write in flight when the daemon died, or -1 */
	int failures;
} writer;

static void
tag_of(char *buf, size_t n, int round, int w, int k)
{
	snprintf(buf, n, "r%d-w%d-%d", round, w, k);
}

static Gloss__V1__CreateAnnotationsRequest *
ann_request(const char *tag, Gloss__V1__AnnotationInput *in,
    Gloss__V1__AnnotationInput **pin, Gloss__V1__CreateAnnotationsRequest *req)
{
	gloss__v1__annotation_input__init(in);
	in->document_id = DOC;
	in->layer = (char *)"crash";
	in->label = (char *)"W";
	in->start = 0;
	in->end = 5;
	in->value = (char *)tag;
	*pin = in;
	gloss__v1__create_annotations_request__init(req);
	req->n_annotations = 1;
	req->annotations = pin;
	return req;
}

static void *
writer_main(void *arg)
{
	writer *w = arg;
	gloss_client *c = gl_dh_client(&D, NULL, 2000);
	w->unknown_k = -1;
	if (c == NULL) {
		w->failures++;
		return NULL;
	}
	for (int k = 0; k < MAX_PER_WRITER && !atomic_load(&STOP); k++) {
		char tag[64];
		tag_of(tag, sizeof(tag), w->round, w->id, k);
		Gloss__V1__AnnotationInput in, *pin;
		Gloss__V1__CreateAnnotationsRequest req;
		ann_request(tag, &in, &pin, &req);
		gloss_call_opts o = { .request_id = tag };
		ProtobufCMessage *m = NULL;
		int rc = gloss_call_ex(c, "/gloss.v1.Annotations/Create", &req.base,
		    &gloss__v1__create_annotations_response__descriptor, &m, NULL, &o);
		if (rc == 0) {
			Gloss__V1__CreateAnnotationsResponse *r = (void *)m;
			w->acked_ids[w->nacked] = r->annotations[0]->id;
			w->acked_k[w->nacked] = k;
			w->nacked++;
			gloss_free(m);
			continue;
		}
		gloss_free(m);
		/* The daemon is gone (or going): this write's fate is unknown. */
		w->unknown_k = k;
		if (rc != GLOSS_EUNAVAILABLE && rc != GLOSS_EDEADLINE_EXCEEDED) {
			fprintf(stderr, "writer %d: unexpected %s: %s\n", w->id,
			    gloss_code_name(rc), gloss_last_error());
			w->failures++;
		}
		break;
	}
	gloss_close(c);
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Index of annotation id in the sorted id array, or -1. */
static long
find_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id ? (long)lo : -1;
}

static int
run_round(int round, unsigned *seed, writer *ws)
{
	atomic_store(&STOP, 0);
	pthread_t th[NWRITERS];
	for (int i = 0; i < NWRITERS; i++) {
		ws[i].id = i;
		ws[i].round = round;
		ws[i].nacked = 0;
		ws[i].failures = 0;
		pthread_create(&th[i], NULL, writer_main, &ws[i]);
	}
	int delay = 400 + (int)(rand_r(seed) % 1600);
	printf("round %d: SIGKILL after %d ms of writing\n", round, delay);
	usleep((useconds_t)delay * 1000);
	CHECK_INT(gl_dh_kill9(&D), 0);
	atomic_store(&STOP, 1);
	int total = 0, failures = 0;
	for (int i = 0; i < NWRITERS; i++) {
		pthread_join(th[i], NULL);
		total += ws[i].nacked;
		failures += ws[i].failures;
	}
	printf("round %d: %d writes acknowledged before the kill\n", round, total);
	CHECK(total > 0);
	CHECK_INT(failures, 0);
	CHECK_INT(gl_dh_start(&D), 0);
	return total;
}

/* Retries the in-flight writes with their request ids after the restart. */
static void
retry_unknown(writer *ws, int round, int *retried_ids_n, int64_t *retried_ids,
    char (*retried_tags)[64])
{
	gloss_client *c = gl_dh_client(&D, NULL, 10000);
	for (int i = 0; i < NWRITERS; i++) {
		if (ws[i].unknown_k < 0)
			continue;
		char tag[64];
		tag_of(tag, sizeof(tag), round, i, ws[i].unknown_k);
		Gloss__V1__AnnotationInput in, *pin;
		Gloss__V1__CreateAnnotationsRequest req;
		ann_request(tag, &in, &pin, &req);
		gloss_call_opts o = { .request_id = tag, .retries = 5 };
		ProtobufCMessage *m = NULL;
		int rc = gloss_call_ex(c, "/gloss.v1.Annotations/Create", &req.base,
		    &gloss__v1__create_annotations_response__descriptor, &m, NULL, &o);
		CHECK_INT(rc, 0);
		if (rc == 0) {
			Gloss__V1__CreateAnnotationsResponse *r = (void *)m;
			retried_ids[*retried_ids_n] = r->annotations[0]->id;
			snprintf(retried_tags[*retried_ids_n], 64, "%s", tag);
			(*retried_ids_n)++;
		}
		gloss_free(m);
	}
	gloss_close(c);
}

GL_TEST(acknowledged_writes_survive_sigkill)
{
	unsigned seed;
	const char *env = getenv("GLOSS_TEST_SEED");
	seed = env ? (unsigned)strtoul(env, NULL, 10)
	           : (unsigned)time(NULL) ^ (unsigned)getpid();
	printf("seed %u (GLOSS_TEST_SEED=%u replays it)\n", seed, seed);
	fflush(stdout);

	gloss_client *c = gl_dh_client(&D, NULL, 0);
	CHECK_INT(gl_dh_make_project(c, "crash"), 0);
	DOC = gl_dh_import_one(c, "crash", "crash doc",
	    "Seoul and Tokyo signed the accord.");
	gloss_close(c);
	CHECK(DOC > 0);
	if (DOC <= 0)
		return;

	writer ws[NWRITERS];
	size_t cap = 0;
	int64_t *all_acked = NULL;
	char (*all_tags)[64] = NULL;
	size_t nall = 0;
	int64_t retried_ids[NWRITERS * ROUNDS];
	char retried_tags[NWRITERS * ROUNDS][64];
	int nretried = 0;
	for (int i = 0; i < NWRITERS; i++) {
		ws[i].acked_ids = malloc(MAX_PER_WRITER * sizeof(int64_t));
		ws[i].acked_k = malloc(MAX_PER_WRITER * sizeof(int));
	}
	for (int round = 0; round < ROUNDS; round++) {
		run_round(round, &seed, ws);
		for (int i = 0; i < NWRITERS; i++) {
			if (nall + (size_t)ws[i].nacked > cap) {
				cap = (nall + (size_t)ws[i].nacked) * 2;
				all_acked = realloc(all_acked, cap * sizeof(*all_acked));
				all_tags = realloc(all_tags, cap * sizeof(*all_tags));
			}
			for (int k = 0; k < ws[i].nacked; k++) {
				all_acked[nall] = ws[i].acked_ids[k];
				tag_of(all_tags[nall], 64, round, i, ws[i].acked_k[k]);
				nall++;
			}
		}
		retry_unknown(ws, round, &nretried, retried_ids, retried_tags);
	}

	/* What is stored now. */
	c = gl_dh_client(&D, NULL, 0);
	Gloss__V1__ListAnnotationsRequest lreq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	lreq.document_id = DOC;
	lreq.include_deleted = 1;
	CHECK_INT(gloss_annotations_list(c, &lreq, &lr, NULL), 0);
	size_t n = lr ? lr->n_annotations : 0;
	printf("%zu acknowledged, %d retried after the kills, %zu stored\n",
	    nall, nretried, n);
	int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));
	char **vals = malloc((n ? n : 1) * sizeof(*vals));
	for (size_t i = 0; i < n; i++) {
		ids[i] = lr->annotations[i]->id;
		vals[i] = lr->annotations[i]->value;
	}
	qsort(ids, n, sizeof(*ids), cmp_i64);
	qsort(vals, n, sizeof(*vals), cmp_str);
	int dup_ids = 0, dup_vals = 0;
	for (size_t i = 1; i < n; i++) {
		dup_ids += ids[i] == ids[i - 1];
		if (strcmp(vals[i], vals[i - 1]) == 0) {
			if (dup_vals++ < 5)
				fprintf(stderr, "tag %s stored twice\n", vals[i]);
		}
	}
	CHECK_INT(dup_ids, 0);
	CHECK_INT(dup_vals, 0);

	/* Every acknowledged write is there, with its own tag. */
	int missing = 0, wrong_tag = 0;
	for (size_t i = 0; i < nall; i++) {
		long at = find_id(ids, n, all_acked[i]);
		if (at < 0) {
			if (missing++ < 5)
				fprintf(stderr, "acknowledged annotation %" PRId64
				    " (%s) is missing\n", all_acked[i], all_tags[i]);
			continue;
		}
		const char *key = all_tags[i];
		if (bsearch(&key, vals, n, sizeof(*vals), cmp_str) == NULL)
			wrong_tag++;
	}
	CHECK_INT(missing, 0);
	CHECK_INT(wrong_tag, 0);
	for (int i = 0; i < nretried; i++) {
		CHECK(find_id(ids, n, retried_ids[i]) >= 0);
		const char *key = retried_tags[i];
		CHECK(bsearch(&key, vals, n, sizeof(*vals), cmp_str) != NULL);
	}
	/* Nothing stored that nobody wrote: acknowledged + retried covers all. */
	CHECK_INT(n, nall + (size_t)nretried);

	/* One annotation.created event per stored annotation. */
	int *created = calloc(n ? n : 1, sizeof(int));
	int64_t since = 0;
	int stray = 0;
	for (int guard = 0; guard < 1000; guard++) {
		Gloss__V1__WatchRequest wr = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *resp = NULL;
		wr.project = (char *)"crash";
		wr.since_seq = since;
		wr.limit = 10000;
		if (gloss_events_watch(c, &wr, &resp, NULL) != 0) {
			CHECK(!"Watch failed");
			break;
		}
		size_t ne = resp->n_events;
		for (size_t i = 0; i < ne; i++) {
			Gloss__V1__Event *e = resp->events[i];
			if (strcmp(e->kind, "annotation.created") != 0)
				continue;
			long at = find_id(ids, n, e->object_id);
			if (at < 0)
				stray++;
			else
				created[at]++;
		}
		since = resp->last_seq;
		gloss_free(resp);
		if (ne == 0)
			break;
	}
	int not_one = 0;
	for (size_t i = 0; i < n; i++)
		if (created[i] != 1 && not_one++ < 5)
			fprintf(stderr, "annotation %" PRId64 " has %d created events\n",
			    ids[i], created[i]);
	CHECK_INT(not_one, 0);
	CHECK_INT(stray, 0);

	free(created);
	free(ids);
	free(vals);
	gloss_free(lr);
	gloss_close(c);
	for (int i = 0; i < NWRITERS; i++) {
		free(ws[i].acked_ids);
		free(ws[i].acked_k);
	}
	free(all_acked);
	free(all_tags);
	CHECK(gl_dh_serving(&D));
	CHECK_INT(gl_dh_term(&D, 5000, NULL), 0);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(acknowledged_writes_survive_sigkill),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (gl_dh_init(&D, "crash", 0) != 0 || gl_dh_start(&D) != 0) {
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	int rc = gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
	if (rc != 0)
		gl_dh_dump_log(&D);
	gl_dh_cleanup(&D);
	return rc;
}
