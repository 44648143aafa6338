/*
 * test_curation.c - curation, history and schema enforcement through the
 * real glossd (issue 7):
 *   - two annotators of an independent project disagree on a document; the
 *     curator's Curation/Diff groups their spans into agreed, conflict and
 *     single groups; Curation/Merge accepts one annotator's span, all agreed
 *     spans and one of the curator's own; the gold annotations have status
 *     gold, the curator as author and provenance (curated_from, agreed_by);
 *     merging again skips; a bad merge changes nothing;
 *   - Annotations/History returns every version with its author and the
 *     fields that changed, also after a delete;
 *   - a project with a label schema refuses an unknown layer or label with
 *     INVALID_ARGUMENT (create, update, accept, merge), and plugin spans
 *     outside it are dropped and counted as job errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gloss/v1/curation.pb-c.h"
#include "gloss/v1/users.pb-c.h"
#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

#define DOC_TEXT "Kabul and Islamabad traded accusations while Washington " \
	"urged calm and Beijing offered to mediate the border dispute."

static gl_dh D;
static gloss_client *ADM, *A1, *A2, *CUR;
static int64_t DOC;

/* ---- helpers ------------------------------------------------------------- */

static int
user_client(const char *name, const char *role, gloss_client **out)
{
	Gloss__V1__CreateUserRequest q = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	q.name = (char *)name;
	q.role = (char *)role;
	Gloss__V1__CreateUserResponse *r = NULL;
	*out = NULL;
	int rc = gloss_call(ADM, "/gloss.v1.Users/Create", &q.base,
	    &gloss__v1__create_user_response__descriptor, (ProtobufCMessage **)&r, NULL);
	if (rc == 0)
		*out = gl_dh_client(&D, r->token, 0);
	gloss_free(r);
	return rc == 0 && *out ? 0 : -1;
}

static int
member_add(const char *project, const char *user, const char *role)
{
	Gloss__V1__AddMemberRequest q = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	q.project = (char *)project;
	q.user = (char *)user;
	q.role = (char *)(role ? role : "");
	return gloss_call(ADM, "/gloss.v1.Members/Add", &q.base,
	    &gloss__v1__add_member_response__descriptor, NULL, NULL);
}

static int64_t
ann(gloss_client *c, int64_t doc, const char *layer, const char *label,
    int64_t start, int64_t end, const char *status)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.document_id = doc;
	in.layer = (char *)layer;
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	in.status = (char *)(status ? status : "");
	Gloss__V1__CreateAnnotationsRequest q = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	q.n_annotations = 1;
	q.annotations = &pin;
	Gloss__V1__CreateAnnotationsResponse *r = NULL;
	int rc = gloss_annotations_create(c, &q, &r, NULL);
	if (rc != 0)
		return rc;
	int64_t id = r->annotations[0]->id;
	gloss_free(r);
	return id;
}

static Gloss__V1__DiffResponse *
diff(int64_t doc, const char *only)
{
	Gloss__V1__DiffRequest q = GLOSS__V1__DIFF_REQUEST__INIT;
	char *names[1] = { (char *)only };
	q.document_id = doc;
	q.layer = (char *)"actor";
	if (only) {
		q.annotators = names;
		q.n_annotators = 1;
	}
	Gloss__V1__DiffResponse *r = NULL;
	int rc = gloss_call(CUR, "/gloss.v1.Curation/Diff", &q.base,
	    &gloss__v1__diff_response__descriptor, (ProtobufCMessage **)&r, NULL);
	if (rc != 0)
		fprintf(stderr, "diff: %s\n", gloss_last_error());
	return r;
}

static int
merge(gloss_client *c, const Gloss__V1__MergeRequest *q, Gloss__V1__MergeResponse **r)
{
	*r = NULL;
	return gloss_call(c, "/gloss.v1.Curation/Merge", &q->base,
	    &gloss__v1__merge_response__descriptor, (ProtobufCMessage **)r, NULL);
}

static size_t
gold_count(int64_t doc)
{
	Gloss__V1__ListAnnotationsRequest q = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	q.document_id = doc;
	q.status = (char *)"gold";
	Gloss__V1__ListAnnotationsResponse *r = NULL;
	size_t n = gloss_annotations_list(ADM, &q, &r, NULL) == 0 ? r->n_annotations : (size_t)-1;
	gloss_free(r);
	return n;
}

static int64_t
last_seq(void)
{
	Gloss__V1__HealthCheckRequest q = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *r = NULL;
	int64_t s = gloss_health_check(ADM, &q, &r, NULL) == 0 ? (int64_t)r->last_seq : -1;
	gloss_free(r);
	return s;
}

static int
has(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* ---- curation --------------------------------------------------------------- */

/* The spans (code points of DOC_TEXT):
 *   [0,5)   Kabul      ann-1 GOV   ann-2 GOV      -> agreed
 *   [10,19) Islamabad  ann-1 GOV   ann-2 [10,16)  -> conflict (offsets)
 *   [45,55) Washington ann-1 only                 -> single
 *   [71,78) Beijing    ann-1 GOV   ann-2 STATE    -> conflict (label)
 *   [102,108) border   ann-2 only                 -> single
 */
static int64_t K1, K2, I1, I2, W1, B1, B2, R2;

GL_TEST(diff_groups)
{
	K1 = ann(A1, DOC, "actor", "GOV", 0, 5, NULL);
	I1 = ann(A1, DOC, "actor", "GOV", 10, 19, NULL);
	W1 = ann(A1, DOC, "actor", "GOV", 45, 55, NULL);
	B1 = ann(A1, DOC, "actor", "GOV", 71, 78, NULL);
	K2 = ann(A2, DOC, "actor", "GOV", 0, 5, NULL);
	I2 = ann(A2, DOC, "actor", "GOV", 10, 16, NULL);
	B2 = ann(A2, DOC, "actor", "STATE", 71, 78, NULL);
	R2 = ann(A2, DOC, "actor", "GEO", 102, 108, NULL);
	CHECK(K1 > 0 && I1 > 0 && W1 > 0 && B1 > 0 && K2 > 0 && I2 > 0 && B2 > 0 && R2 > 0);
	/* Other layers, and suggestions, stay out of the diff. */
	CHECK(ann(A1, DOC, "date", "DATE", 20, 25, NULL) > 0);
	CHECK(ann(A2, DOC, "actor", "GOV", 84, 91, "suggested") > 0);

	Gloss__V1__DiffResponse *r = diff(DOC, NULL);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK_INT(r->n_annotators, 2);
	if (r->n_annotators == 2) {
		CHECK_STR(r->annotators[0], "ann-1");
		CHECK_STR(r->annotators[1], "ann-2");
	}
	static const struct {
		const char *kind;
		int64_t start, end;
		size_t nann, nwho;
	} want[] = {
		{ "agreed", 0, 5, 2, 2 },
		{ "conflict", 10, 19, 2, 2 },
		{ "single", 45, 55, 1, 1 },
		{ "conflict", 71, 78, 2, 2 },
		{ "single", 102, 108, 1, 1 },
	};
	CHECK_INT(r->n_groups, 5);
	for (size_t i = 0; i < r->n_groups && i < 5; i++) {
		const Gloss__V1__DiffGroup *g = r->groups[i];
		CHECK_STR(g->kind, want[i].kind);
		CHECK_INT(g->start, want[i].start);
		CHECK_INT(g->end, want[i].end);
		CHECK_INT(g->n_annotations, want[i].nann);
		CHECK_INT(g->n_annotators, want[i].nwho);
		CHECK(!g->curated);
		for (size_t k = 0; k < g->n_annotations; k++) {
			CHECK_STR(g->annotations[k]->layer, "actor");
			CHECK_STR(g->annotations[k]->status, "accepted");
		}
	}
	if (r->n_groups == 5) {
		CHECK(has(r->groups[2]->annotators, r->groups[2]->n_annotators, "ann-1"));
		CHECK(has(r->groups[4]->annotators, r->groups[4]->n_annotators, "ann-2"));
	}
	CHECK_INT(r->n_gold, 0);
	gloss_free(r);

	/* Restricted to one annotator, everything is single. */
	r = diff(DOC, "ann-1");
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(r->n_groups, 4);
		for (size_t i = 0; i < r->n_groups; i++)
			CHECK_STR(r->groups[i]->kind, "single");
	}
	gloss_free(r);
}

/* Finds the gold annotation of a merge answer at [start,end). */
static const Gloss__V1__Annotation *
gold_at(const Gloss__V1__MergeResponse *r, int64_t start, int64_t end)
{
	for (size_t i = 0; i < r->n_gold; i++)
		if (r->gold[i]->start == start && r->gold[i]->end == end)
			return r->gold[i];
	return NULL;
}

GL_TEST(merge_to_gold_with_provenance)
{
	/* A bad merge (an id that is no annotator's span) changes nothing. */
	int64_t seq0 = last_seq();
	Gloss__V1__MergeRequest q = GLOSS__V1__MERGE_REQUEST__INIT;
	int64_t bad[2] = { I1, 999999 };
	q.document_id = DOC;
	q.layer = (char *)"actor";
	q.accept_ids = bad;
	q.n_accept_ids = 2;
	Gloss__V1__MergeResponse *r;
	CHECK_INT(merge(CUR, &q, &r), GLOSS_EINVALID_ARGUMENT);
	gloss_free(r);
	CHECK_INT(gold_count(DOC), 0);
	CHECK_INT(last_seq(), seq0);
	/* Annotators may not merge. */
	q.n_accept_ids = 1;
	CHECK_INT(merge(A1, &q, &r), GLOSS_EPERMISSION_DENIED);
	gloss_free(r);
	CHECK_INT(gold_count(DOC), 0);

	/* Accept ann-1's Islamabad, every agreed span, and one of the curator's. */
	Gloss__V1__AnnotationInput own = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pown = &own;
	own.label = (char *)"STATE";
	own.start = 71;
	own.end = 78;
	own.quote = (char *)"Beijing";
	own.attributes = (char *)"{\"note\":\"curator's call\"}";
	int64_t acc[1] = { I1 };
	q.accept_ids = acc;
	q.n_accept_ids = 1;
	q.accept_agreed = 1;
	q.create = &pown;
	q.n_create = 1;
	CHECK_INT(merge(CUR, &q, &r), 0);
	if (r == NULL)
		return;
	CHECK_INT(r->n_gold, 3);
	CHECK_INT(r->skipped, 0);
	for (size_t i = 0; i < r->n_gold; i++) {
		CHECK_STR(r->gold[i]->status, "gold");
		CHECK_STR(r->gold[i]->author, "cur");
		CHECK_STR(r->gold[i]->layer, "actor");
		CHECK(r->gold[i]->id > 0);
		CHECK_INT(r->gold[i]->version, 1);
	}
	const Gloss__V1__Annotation *g = gold_at(r, 10, 19);
	CHECK(g != NULL);
	if (g) {
		char want[128];
		snprintf(want, sizeof(want), "\"curated_from\":[%lld]", (long long)I1);
		CHECK(strstr(g->attributes, want) != NULL);
		CHECK(strstr(g->attributes, "\"agreed_by\":[\"ann-1\"]") != NULL);
		CHECK_STR(g->label, "GOV");
		CHECK_STR(g->quote, "Islamabad");
	}
	g = gold_at(r, 0, 5);
	CHECK(g != NULL);
	if (g) {
		char w1[128], w2[128];
		snprintf(w1, sizeof(w1), "\"curated_from\":[%lld,%lld]", (long long)K1, (long long)K2);
		snprintf(w2, sizeof(w2), "\"curated_from\":[%lld,%lld]", (long long)K2, (long long)K1);
		CHECK(strstr(g->attributes, w1) != NULL || strstr(g->attributes, w2) != NULL);
		CHECK(strstr(g->attributes, "\"agreed_by\":[\"ann-1\",\"ann-2\"]") != NULL ||
		    strstr(g->attributes, "\"agreed_by\":[\"ann-2\",\"ann-1\"]") != NULL);
		CHECK_STR(g->label, "GOV");
	}
	g = gold_at(r, 71, 78);
	CHECK(g != NULL);
	if (g) {
		CHECK_STR(g->label, "STATE");
		CHECK(strstr(g->attributes, "curator's call") != NULL);
	}
	gloss_free(r);
	CHECK_INT(gold_count(DOC), 3);

	/* The diff now shows the gold and which groups it covers. */
	Gloss__V1__DiffResponse *d = diff(DOC, NULL);
	if (d) {
		CHECK_INT(d->n_gold, 3);
		CHECK_INT(d->n_groups, 5);
		if (d->n_groups == 5) {
			CHECK(d->groups[0]->curated);
			CHECK(d->groups[1]->curated);
			CHECK(!d->groups[2]->curated);
			CHECK(d->groups[3]->curated);
			CHECK(!d->groups[4]->curated);
		}
	}
	gloss_free(d);

	/* Merging the same again writes nothing and says so. */
	int64_t seq1 = last_seq();
	CHECK_INT(merge(CUR, &q, &r), 0);
	if (r) {
		CHECK_INT(r->n_gold, 0);
		CHECK_INT(r->skipped, 3);
	}
	gloss_free(r);
	CHECK_INT(gold_count(DOC), 3);
	CHECK_INT(last_seq(), seq1);

	/* The single spans can be accepted later, one by one. */
	int64_t acc2[1] = { R2 };
	Gloss__V1__MergeRequest q2 = GLOSS__V1__MERGE_REQUEST__INIT;
	q2.document_id = DOC;
	q2.layer = (char *)"actor";
	q2.accept_ids = acc2;
	q2.n_accept_ids = 1;
	CHECK_INT(merge(CUR, &q2, &r), 0);
	if (r) {
		CHECK_INT(r->n_gold, 1);
		if (r->n_gold == 1) {
			CHECK(strstr(r->gold[0]->attributes, "\"agreed_by\":[\"ann-2\"]") != NULL);
			CHECK_STR(r->gold[0]->label, "GEO");
		}
	}
	gloss_free(r);
	/* The annotators' own sets are untouched by curation. */
	Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	lq.document_id = DOC;
	lq.layer = (char *)"actor";
	lq.author = (char *)"ann-1";
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	CHECK_INT(gloss_annotations_list(CUR, &lq, &lr, NULL), 0);
	if (lr) {
		CHECK_INT(lr->n_annotations, 4);
		for (size_t i = 0; i < lr->n_annotations; i++) {
			CHECK_STR(lr->annotations[i]->status, "accepted");
			CHECK_INT(lr->annotations[i]->version, 1);
		}
	}
	gloss_free(lr);
}

/* ---- history ------------------------------------------------------------ */

static int
update(gloss_client *c, Gloss__V1__UpdateAnnotationRequest *q)
{
	Gloss__V1__UpdateAnnotationResponse *r = NULL;
	int rc = gloss_annotations_update(c, q, &r, NULL);
	if (rc != 0)
		fprintf(stderr, "update: %s\n", gloss_last_error());
	gloss_free(r);
	return rc;
}

GL_TEST(history_every_version)
{
	int64_t id = ann(A1, DOC, "actor", "ORG", 90, 97, NULL); /* "mediate" */
	CHECK(id > 0);
	Gloss__V1__UpdateAnnotationRequest q = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	q.id = id;
	q.expected_version = 1;
	q.set_label = 1;
	q.label = (char *)"GOV";
	CHECK_INT(update(A1, &q), 0);
	/* The curator fixes the span of ann-1's annotation. */
	Gloss__V1__UpdateAnnotationRequest q2 = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	q2.id = id;
	q2.expected_version = 2;
	q2.set_span = 1;
	q2.start = 71;
	q2.end = 78;
	q2.quote = (char *)"Beijing";
	CHECK_INT(update(CUR, &q2), 0);
	Gloss__V1__UpdateAnnotationRequest q3 = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	q3.id = id;
	q3.expected_version = 3;
	q3.set_value = 1;
	q3.value = (char *)"CHN";
	q3.set_attributes = 1;
	q3.attributes = (char *)"{\"cameo\":\"CHNGOV\"}";
	CHECK_INT(update(A1, &q3), 0);
	Gloss__V1__DeleteAnnotationRequest dq = GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
	dq.id = id;
	dq.expected_version = 4;
	Gloss__V1__DeleteAnnotationResponse *dr = NULL;
	CHECK_INT(gloss_annotations_delete(A1, &dq, &dr, NULL), 0);
	gloss_free(dr);

	Gloss__V1__AnnotationHistoryRequest hq = GLOSS__V1__ANNOTATION_HISTORY_REQUEST__INIT;
	hq.id = id;
	Gloss__V1__AnnotationHistoryResponse *h = NULL;
	CHECK_INT(gloss_call(CUR, "/gloss.v1.Annotations/History", &hq.base,
	    &gloss__v1__annotation_history_response__descriptor,
	    (ProtobufCMessage **)&h, NULL), 0);
	if (h == NULL)
		return;
	static const struct {
		const char *kind, *author, *changed, *label;
		int64_t start;
	} want[] = {
		{ "annotation.created", "ann-1", "created", "ORG", 90 },
		{ "annotation.updated", "ann-1", "label", "GOV", 90 },
		{ "annotation.updated", "cur", "span", "GOV", 71 },
		{ "annotation.updated", "ann-1", "value,attributes", "GOV", 71 },
		{ "annotation.deleted", "ann-1", "deleted", "GOV", 71 },
	};
	CHECK_INT(h->n_versions, 5);
	for (size_t i = 0; i < h->n_versions && i < 5; i++) {
		const Gloss__V1__AnnotationVersion *v = h->versions[i];
		CHECK_INT(v->version, (int64_t)i + 1);
		CHECK_STR(v->kind, want[i].kind);
		CHECK_STR(v->author, want[i].author);
		char changed[128] = "";
		for (size_t k = 0; k < v->n_changed; k++)
			snprintf(changed + strlen(changed), sizeof(changed) - strlen(changed),
			    "%s%s", k ? "," : "", v->changed[k]);
		CHECK_STR(changed, want[i].changed);
		CHECK(v->time > 0);
		if (i > 0) {
			CHECK(v->seq > h->versions[i - 1]->seq);
			CHECK(v->time >= h->versions[i - 1]->time);
		}
		CHECK(v->annotation != NULL);
		if (v->annotation) {
			/* The annotation as it was after that change. */
			CHECK_STR(v->annotation->label, want[i].label);
			CHECK_INT(v->annotation->start, want[i].start);
			CHECK_INT(v->annotation->version, (int64_t)i + 1);
			CHECK_STR(v->annotation->author, "ann-1");
			CHECK_INT(v->annotation->deleted, i == 4);
		}
	}
	if (h->n_versions == 5)
		CHECK_STR(h->versions[3]->annotation->value, "CHN");
	gloss_free(h);
	/* The other annotator of the independent project sees no history. */
	CHECK_INT(gloss_call(A2, "/gloss.v1.Annotations/History", &hq.base,
	    &gloss__v1__annotation_history_response__descriptor, NULL, NULL),
	    GLOSS_ENOT_FOUND);
	/* The deleted annotation is kept, marked deleted. */
	Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	lq.document_id = DOC;
	lq.include_deleted = 1;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	int found = 0;
	CHECK_INT(gloss_annotations_list(CUR, &lq, &lr, NULL), 0);
	for (size_t i = 0; lr && i < lr->n_annotations; i++)
		if (lr->annotations[i]->id == id) {
			found = 1;
			CHECK(lr->annotations[i]->deleted);
			CHECK_INT(lr->annotations[i]->version, 5);
		}
	CHECK(found);
	gloss_free(lr);
	hq.id = 987654;
	CHECK_INT(gloss_call(CUR, "/gloss.v1.Annotations/History", &hq.base,
	    &gloss__v1__annotation_history_response__descriptor, NULL, NULL),
	    GLOSS_ENOT_FOUND);
}

/* ---- schema ---------------------------------------------------------------- */

static int
job_run_wait(const char *project, Gloss__V1__Job **out)
{
	Gloss__V1__RunAnalyzersRequest rq = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	char *plugins[1] = { (char *)"example" };
	rq.project = (char *)project;
	rq.plugins = plugins;
	rq.n_plugins = 1;
	Gloss__V1__RunAnalyzersResponse *rr = NULL;
	int rc = gloss_analyzers_run(ADM, &rq, &rr, NULL);
	if (rc != 0)
		return rc;
	int64_t id = rr->job_id;
	gloss_free(rr);
	for (int i = 0; i < 600; i++) {
		Gloss__V1__GetJobRequest jq = GLOSS__V1__GET_JOB_REQUEST__INIT;
		jq.id = id;
		Gloss__V1__GetJobResponse *jr = NULL;
		if ((rc = gloss_analyzers_job(ADM, &jq, &jr, NULL)) != 0)
			return rc;
		if (strcmp(jr->job->state, "done") == 0 || strcmp(jr->job->state, "failed") == 0) {
			*out = jr->job;
			jr->job = NULL;
			gloss_free(jr);
			return 0;
		}
		gloss_free(jr);
		usleep(50 * 1000);
	}
	return -1;
}

GL_TEST(schema_enforced)
{
	Gloss__V1__LabelDef lb_gov = GLOSS__V1__LABEL_DEF__INIT, lb_reb = GLOSS__V1__LABEL_DEF__INIT;
	lb_gov.name = (char *)"GOV";
	lb_gov.color = (char *)"#ff0000";
	lb_reb.name = (char *)"REB";
	Gloss__V1__LabelDef *labels[2] = { &lb_gov, &lb_reb };
	Gloss__V1__LayerDef actor = GLOSS__V1__LAYER_DEF__INIT, date = GLOSS__V1__LAYER_DEF__INIT;
	actor.name = (char *)"actor";
	actor.labels = labels;
	actor.n_labels = 2;
	date.name = (char *)"date"; /* no labels: any label */
	Gloss__V1__LayerDef *layers[2] = { &actor, &date };
	Gloss__V1__LabelSchema schema = GLOSS__V1__LABEL_SCHEMA__INIT;
	schema.layers = layers;
	schema.n_layers = 2;
	Gloss__V1__CreateProjectRequest pq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	pq.name = (char *)"cur-schema";
	pq.schema = &schema;
	Gloss__V1__CreateProjectResponse *pr = NULL;
	CHECK_INT(gloss_projects_create(ADM, &pq, &pr, NULL), 0);
	if (pr)
		CHECK(pr->project->schema && pr->project->schema->n_layers == 2);
	gloss_free(pr);
	CHECK_INT(member_add("cur-schema", "ann-1", "annotator"), 0);
	CHECK_INT(member_add("cur-schema", "cur", "curator"), 0);
	int64_t doc = gl_dh_import_one(ADM, "cur-schema", "d",
	    "Sanctions and embargo talk in Kabul on 4 July 2025.");
	CHECK(doc > 0);

	CHECK(ann(A1, doc, "actor", "GOV", 0, 9, NULL) > 0);
	CHECK(ann(A1, doc, "date", "WHATEVER", 39, 50, NULL) > 0);
	int64_t seq = last_seq();
	gloss_status st = GLOSS_STATUS_INIT;
	CHECK_INT(ann(A1, doc, "actor", "XYZ", 0, 9, NULL), GLOSS_EINVALID_ARGUMENT);
	CHECK_INT(ann(A1, doc, "sentiment", "positive", 0, 9, NULL), GLOSS_EINVALID_ARGUMENT);
	CHECK_INT(ann(CUR, doc, "actor", "XYZ", 0, 9, "gold"), GLOSS_EINVALID_ARGUMENT);
	/* The message names what is wrong. */
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.document_id = doc;
	in.layer = (char *)"actor";
	in.label = (char *)"XYZ";
	in.start = 0;
	in.end = 9;
	Gloss__V1__CreateAnnotationsRequest cq = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	cq.n_annotations = 1;
	cq.annotations = &pin;
	Gloss__V1__CreateAnnotationsResponse *cr = NULL;
	CHECK_INT(gloss_annotations_create(A1, &cq, &cr, &st), GLOSS_EINVALID_ARGUMENT);
	CHECK(st.message && strstr(st.message, "XYZ") != NULL);
	gloss_status_clear(&st);
	gloss_free(cr);
	/* Relabelling into the unknown is refused too; the right label works. */
	int64_t id = ann(A1, doc, "actor", "REB", 30, 35, NULL);
	CHECK(id > 0);
	seq = last_seq();
	Gloss__V1__UpdateAnnotationRequest uq = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	uq.id = id;
	uq.expected_version = 1;
	uq.set_label = 1;
	uq.label = (char *)"XYZ";
	CHECK_INT(gloss_annotations_update(A1, &uq, NULL, NULL), GLOSS_EINVALID_ARGUMENT);
	/* The curator's own gold in a merge is checked the same way. */
	Gloss__V1__AnnotationInput own = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pown = &own;
	own.label = (char *)"XYZ";
	own.start = 0;
	own.end = 9;
	Gloss__V1__MergeRequest mq = GLOSS__V1__MERGE_REQUEST__INIT;
	mq.document_id = doc;
	mq.layer = (char *)"actor";
	mq.create = &pown;
	mq.n_create = 1;
	Gloss__V1__MergeResponse *mr;
	CHECK_INT(merge(CUR, &mq, &mr), GLOSS_EINVALID_ARGUMENT);
	gloss_free(mr);
	CHECK_INT(last_seq(), seq); /* nothing refused left a trace */
	uq.label = (char *)"GOV";
	CHECK_INT(gloss_annotations_update(A1, &uq, NULL, NULL), 0);

	/* Plugin spans outside the schema are dropped and counted as errors. */
	Gloss__V1__Job *job = NULL;
	CHECK_INT(job_run_wait("cur-schema", &job), 0);
	if (job) {
		CHECK_STR(job->state, "done");
		CHECK_INT(job->spans, 0);
		CHECK(job->errors > 0);
	}
	gloss_free(job);
	Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	lq.document_id = doc;
	lq.layer = (char *)"keyword";
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	CHECK_INT(gloss_annotations_list(ADM, &lq, &lr, NULL), 0);
	if (lr)
		CHECK_INT(lr->n_annotations, 0);
	gloss_free(lr);

	/* Once the schema admits the plugin's layer, its spans are stored. */
	Gloss__V1__LayerDef kw = GLOSS__V1__LAYER_DEF__INIT;
	kw.name = (char *)"keyword";
	Gloss__V1__LayerDef *layers3[3] = { &actor, &date, &kw };
	schema.layers = layers3;
	schema.n_layers = 3;
	Gloss__V1__UpdateProjectRequest upq = GLOSS__V1__UPDATE_PROJECT_REQUEST__INIT;
	upq.name = (char *)"cur-schema";
	upq.schema = &schema;
	Gloss__V1__UpdateProjectResponse *upr = NULL;
	CHECK_INT(gloss_projects_update(ADM, &upq, &upr, NULL), 0);
	gloss_free(upr);
	job = NULL;
	CHECK_INT(job_run_wait("cur-schema", &job), 0);
	if (job) {
		CHECK(job->spans > 0);
		CHECK_INT(job->errors, 0);
	}
	gloss_free(job);
	/* Accepting a suggestion under a label outside the schema is refused. */
	lr = NULL;
	int64_t sugg = 0;
	CHECK_INT(gloss_annotations_list(ADM, &lq, &lr, NULL), 0);
	if (lr && lr->n_annotations > 0)
		sugg = lr->annotations[0]->id;
	gloss_free(lr);
	CHECK(sugg > 0);
	Gloss__V1__AcceptSuggestionRequest aq = GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
	aq.id = sugg;
	aq.set_label = 1;
	aq.label = (char *)"XYZ";
	kw.labels = labels; /* restrict the keyword layer to GOV, REB */
	kw.n_labels = 2;
	CHECK_INT(gloss_projects_update(ADM, &upq, &upr, NULL), 0);
	gloss_free(upr);
	CHECK_INT(gloss_suggestions_accept(A1, &aq, NULL, NULL), GLOSS_EINVALID_ARGUMENT);
	aq.label = (char *)"GOV";
	CHECK_INT(gloss_suggestions_accept(A1, &aq, NULL, NULL), 0);
}

int
main(void)
{
	static const gl_test_case tests[] = {
		GL_TEST_ENTRY(diff_groups),
		GL_TEST_ENTRY(merge_to_gold_with_provenance),
		GL_TEST_ENTRY(history_every_version),
		GL_TEST_ENTRY(schema_enforced),
	};
	char plugins[512];
	const char *pd = getenv("GLOSS_PLUGINS_DIR");
	snprintf(plugins, sizeof(plugins), "%s/example", pd ? pd : "plugins");
	if (gl_dh_init(&D, "curation", 0) != 0) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	gl_dh_arg(&D, "--plugins");
	gl_dh_arg(&D, plugins);
	int ok = gl_dh_start(&D) == 0 && (ADM = gl_dh_client(&D, NULL, 0)) != NULL;
	Gloss__V1__CreateProjectRequest pq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	pq.name = (char *)"cur";
	pq.mode = (char *)"independent";
	Gloss__V1__CreateProjectResponse *pr = NULL;
	ok = ok && gloss_projects_create(ADM, &pq, &pr, NULL) == 0 &&
	    user_client("ann-1", "annotator", &A1) == 0 &&
	    user_client("ann-2", "annotator", &A2) == 0 &&
	    user_client("cur", "curator", &CUR) == 0 &&
	    member_add("cur", "ann-1", NULL) == 0 && member_add("cur", "ann-2", NULL) == 0 &&
	    member_add("cur", "cur", NULL) == 0 &&
	    (DOC = gl_dh_import_one(ADM, "cur", "d", DOC_TEXT)) > 0;
	gloss_free(pr);
	if (!ok) {
		fprintf(stderr, "setup failed: %s\n", gloss_last_error());
		gl_dh_dump_log(&D);
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	int rc = gl_test_run(tests, sizeof(tests) / sizeof(tests[0]));
	gloss_close(A1);
	gloss_close(A2);
	gloss_close(CUR);
	gloss_close(ADM);
	gl_dh_cleanup(&D);
	return rc;
}
