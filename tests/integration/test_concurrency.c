/*
 * test_concurrency.c - optimistic concurrency under load: 32 clients, each
 * its own connection, make 200 updates each on 4 shared annotations with
 * version checks (read the version, update with expected_version, on
 * ABORTED re-read and try again, up to 3 attempts per update).
 *   - every attempt is either applied (OK) or ABORTED, nothing else;
 *   - no two applied updates of one annotation got the same new version;
 *   - the final version of each annotation = 1 + its applied updates;
 *   - the event log holds exactly one annotation.updated per applied
 *     update, with versions 2..final each once.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

enum { NCLIENTS = 32, NUPDATES = 200, NANN = 4, ATTEMPTS = 3 };

static gl_dh D;
static int64_t DOCS[NANN], ANNS[NANN];

typedef struct {
	int id;
	int applied[NANN];
	int aborted;
	int other;
	int bad_detail;
	/* new versions this client got applied, per annotation */
	int64_t *versions[NANN];
	int nversions[NANN];
} client_stats;

/* The version of annotation k as List reports it, or -1. */
static int64_t
read_version(gloss_client *c, int k)
{
	Gloss__V1__ListAnnotationsRequest req = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *resp = NULL;
	req.document_id = DOCS[k];
	if (gloss_annotations_list(c, &req, &resp, NULL) != 0)
		return -1;
	int64_t v = resp->n_annotations == 1 ? resp->annotations[0]->version : -1;
	gloss_free(resp);
	return v;
}

static void *
client_main(void *arg)
{
	client_stats *s = arg;
	gloss_client *c = gl_dh_client(&D, NULL, 20000);
	if (c == NULL) {
		s->other++;
		return NULL;
	}
	unsigned seed = 1000u + (unsigned)s->id;
	int64_t known[NANN];
	for (int k = 0; k < NANN; k++)
		known[k] = read_version(c, k);
	gloss_status st = GLOSS_STATUS_INIT;
	for (int u = 0; u < NUPDATES; u++) {
		int k = (int)(rand_r(&seed) % NANN);
		char value[48];
		snprintf(value, sizeof(value), "c%d-u%d", s->id, u);
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Gloss__V1__UpdateAnnotationRequest req =
			    GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
			Gloss__V1__UpdateAnnotationResponse *resp = NULL;
			req.id = ANNS[k];
			req.expected_version = known[k];
			req.set_value = 1;
			req.value = value;
			int rc = gloss_annotations_update(c, &req, &resp, &st);
			if (rc == 0) {
				int64_t v = resp->annotation->version;
				if (v != known[k] + 1)
					s->other++;
				s->applied[k]++;
				s->versions[k][s->nversions[k]++] = v;
				known[k] = v;
				gloss_free(resp);
				break;
			}
			gloss_free(resp);
			if (rc != GLOSS_EABORTED) {
				if (s->other++ < 3)
					fprintf(stderr, "client %d: %s\n", s->id,
					    gloss_last_error());
				break;
			}
			s->aborted++;
			/* Re-read: from the answer's details, or with a List. */
			const char *cur = gloss_status_detail(&st, "current_version");
			int64_t cv = cur ? strtoll(cur, NULL, 10) : -1;
			if (cv <= known[k])
				s->bad_detail++;
			known[k] = (attempt % 2 == 0 && cv > 0) ? cv : read_version(c, k);
		}
	}
	gloss_status_clear(&st);
	gloss_close(c);
	return NULL;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

GL_TEST(versioned_updates_under_contention)
{
	gloss_client *c = gl_dh_client(&D, NULL, 0);
	CHECK_INT(gl_dh_make_project(c, "conc"), 0);
	for (int k = 0; k < NANN; k++) {
		char text[96];
		snprintf(text, sizeof(text), "Shared document %d: Minsk, Vilnius and Riga.", k);
		DOCS[k] = gl_dh_import_one(c, "conc", "shared", text);
		Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
		Gloss__V1__AnnotationInput *pin = &in;
		in.document_id = DOCS[k];
		in.layer = (char *)"actor";
		in.label = (char *)"BLR";
		in.start = 20;
		in.end = 24;
		Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		req.n_annotations = 1;
		req.annotations = &pin;
		Gloss__V1__CreateAnnotationsResponse *resp = NULL;
		CHECK_INT(gloss_annotations_create(c, &req, &resp, NULL), 0);
		ANNS[k] = resp ? resp->annotations[0]->id : 0;
		gloss_free(resp);
	}

	client_stats *stats = calloc(NCLIENTS, sizeof(*stats));
	pthread_t th[NCLIENTS];
	int64_t t0 = gl_dh_now_ms();
	for (int i = 0; i < NCLIENTS; i++) {
		stats[i].id = i;
		for (int k = 0; k < NANN; k++)
			stats[i].versions[k] = malloc(NUPDATES * sizeof(int64_t));
		pthread_create(&th[i], NULL, client_main, &stats[i]);
	}
	for (int i = 0; i < NCLIENTS; i++)
		pthread_join(th[i], NULL);
	int64_t took = gl_dh_now_ms() - t0;

	int applied[NANN] = { 0 };
	int aborted = 0, other = 0, bad_detail = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		for (int k = 0; k < NANN; k++)
			applied[k] += stats[i].applied[k];
		aborted += stats[i].aborted;
		other += stats[i].other;
		bad_detail += stats[i].bad_detail;
	}
	int total = 0;
	for (int k = 0; k < NANN; k++)
		total += applied[k];
	printf("%d applied, %d aborted in %lld ms\n", total, aborted, (long long)took);
	CHECK_INT(other, 0);
	CHECK_INT(bad_detail, 0);
	CHECK(total > 0);
	CHECK(aborted > 0); /* otherwise nothing contended: the test proved nothing */

	/* Applied versions of each annotation are 2..1+applied, each once. */
	for (int k = 0; k < NANN; k++) {
		int64_t *all = malloc(((size_t)applied[k] + 1) * sizeof(int64_t));
		int n = 0;
		for (int i = 0; i < NCLIENTS; i++)
			for (int j = 0; j < stats[i].nversions[k]; j++)
				all[n++] = stats[i].versions[k][j];
		qsort(all, (size_t)n, sizeof(*all), cmp_i64);
		int ok = 1;
		for (int j = 0; j < n; j++)
			ok &= all[j] == j + 2;
		CHECK(ok);
		free(all);
		CHECK_INT(read_version(c, k), 1 + applied[k]);
	}

	/* One annotation.updated event per applied update, versions 2..final. */
	int updated[NANN] = { 0 };
	int64_t vsum[NANN] = { 0 };
	int64_t since = 0;
	for (int guard = 0; guard < 1000; guard++) {
		Gloss__V1__WatchRequest wr = GLOSS__V1__WATCH_REQUEST__INIT;
		Gloss__V1__WatchResponse *resp = NULL;
		wr.project = (char *)"conc";
		wr.since_seq = since;
		wr.limit = 10000;
		if (gloss_events_watch(c, &wr, &resp, NULL) != 0) {
			CHECK(!"Watch failed");
			break;
		}
		size_t ne = resp->n_events;
		for (size_t i = 0; i < ne; i++) {
			Gloss__V1__Event *e = resp->events[i];
			if (strcmp(e->kind, "annotation.updated") != 0)
				continue;
			for (int k = 0; k < NANN; k++)
				if (e->object_id == ANNS[k]) {
					updated[k]++;
					vsum[k] += e->version;
				}
		}
		since = resp->last_seq;
		gloss_free(resp);
		if (ne == 0)
			break;
	}
	for (int k = 0; k < NANN; k++) {
		CHECK_INT(updated[k], applied[k]);
		/* sum of 2..n+1 = n(n+3)/2: with the count, no version twice */
		int64_t n = applied[k];
		CHECK_INT(vsum[k], n * (n + 3) / 2);
	}
	for (int i = 0; i < NCLIENTS; i++)
		for (int k = 0; k < NANN; k++)
			free(stats[i].versions[k]);
	free(stats);
	gloss_close(c);
	CHECK(gl_dh_serving(&D));
	CHECK_INT(gl_dh_term(&D, 5000, NULL), 0);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(versioned_updates_under_contention),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (gl_dh_init(&D, "conc", 0) != 0 || gl_dh_start(&D) != 0) {
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
