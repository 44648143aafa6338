/*
 * test_agreement.c - Agreement/Compute through a real glossd: two
 * annotators (alice, bob) who annotate as themselves, a curator (carol) who
 * asks.  Checks the figures against values worked by hand, that only live
 * accepted work by people counts (rejected, suggested, deleted and gold do
 * not), the default and named annotator lists, the document filter, the
 * skip_unannotated policy, the role check and the errors.
 *
 * The two documents and their tokens:
 *   1 "Pakistan and the United States met in Islamabad."   9 tokens
 *   2 "The Taliban spoke to NATO in Doha on Friday."      10 tokens
 * alice (accepted): COUNTRY Pakistan, COUNTRY "United States", CITY
 *   Islamabad; GROUP Taliban.  Also ORG NATO rejected and GROUP "and"
 *   suggested, which must not count.
 * bob (accepted): COUNTRY Pakistan, COUNTRY "States", COUNTRY Islamabad;
 *   and ORG NATO, created then deleted.
 * carol (curator): gold CITY Islamabad, which must not count.
 * Token labels (a/b): United C/O, Islamabad CITY/C, Taliban GROUP/O differ;
 * the other 16 agree.  Cohen: po = 16/19; alice has O 14, COUNTRY 3,
 * CITY 1, GROUP 1; bob O 16, COUNTRY 3: pe = (14*16 + 3*3)/361 = 233/361,
 * kappa = (304 - 233)/(361 - 233) = 71/128.
 * Spans (bob against alice): 4 and 3; strict 1 (Pakistan); overlap 2
 * (Pakistan, "United States"/"States").
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gloss/v1/agreement.pb-c.h"
#include "gloss/v1/users.pb-c.h"
#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static gl_dh D;
static int64_t DOC1, DOC2;
static char TOK_ALICE[128], TOK_BOB[128], TOK_CAROL[128], TOK_DAVE[128];

static int
make_user(gloss_client *admin, const char *name, const char *role, char *tok,
    size_t len)
{
	Gloss__V1__CreateUserRequest rq = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	Gloss__V1__CreateUserResponse *rs = NULL;
	rq.name = (char *)name;
	int rc = gloss_call(admin, "/gloss.v1.Users/Create", &rq.base,
	    &gloss__v1__create_user_response__descriptor,
	    (ProtobufCMessage **)&rs, NULL);
	if (rc != 0) {
		fprintf(stderr, "Users/Create %s: %s\n", name, gloss_last_error());
		return rc;
	}
	snprintf(tok, len, "%s", rs->token);
	gloss_free(rs);
	Gloss__V1__AddMemberRequest mq = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	Gloss__V1__AddMemberResponse *ms = NULL;
	mq.project = (char *)"agr";
	mq.user = (char *)name;
	mq.role = (char *)role;
	rc = gloss_call(admin, "/gloss.v1.Members/Add", &mq.base,
	    &gloss__v1__add_member_response__descriptor,
	    (ProtobufCMessage **)&ms, NULL);
	if (rc != 0)
		fprintf(stderr, "Members/Add %s: %s\n", name, gloss_last_error());
	gloss_free(ms);
	return rc;
}

/* Creates one annotation as the client's user; returns its id or < 0. */
static int64_t
annotate(gloss_client *c, int64_t doc, const char *label, int64_t start,
    int64_t end, const char *status)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	Gloss__V1__CreateAnnotationsRequest rq =
	    GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__CreateAnnotationsResponse *rs = NULL;
	in.document_id = doc;
	in.layer = (char *)"actors";
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	in.status = (char *)(status ? status : "");
	rq.annotations = &pin;
	rq.n_annotations = 1;
	int rc = gloss_annotations_create(c, &rq, &rs, NULL);
	if (rc != 0) {
		fprintf(stderr, "create %s [%" PRId64 ", %" PRId64 ") %s: %s\n",
		    label, start, end, status ? status : "", gloss_last_error());
		return rc;
	}
	int64_t id = rs->annotations[0]->id;
	gloss_free(rs);
	return id;
}

static int
setup(void)
{
	gloss_client *admin = gl_dh_client(&D, NULL, 10000);
	if (admin == NULL || gl_dh_make_project(admin, "agr") != 0)
		return -1;
	DOC1 = gl_dh_import_one(admin, "agr", "one",
	    "Pakistan and the United States met in Islamabad.");
	DOC2 = gl_dh_import_one(admin, "agr", "two",
	    "The Taliban spoke to NATO in Doha on Friday.");
	int rc = DOC1 > 0 && DOC2 > 0 ? 0 : -1;
	if (rc == 0)
		rc = make_user(admin, "alice", "annotator", TOK_ALICE, sizeof(TOK_ALICE));
	if (rc == 0)
		rc = make_user(admin, "bob", "annotator", TOK_BOB, sizeof(TOK_BOB));
	if (rc == 0)
		rc = make_user(admin, "carol", "curator", TOK_CAROL, sizeof(TOK_CAROL));
	if (rc == 0)
		rc = make_user(admin, "dave", "annotator", TOK_DAVE, sizeof(TOK_DAVE));
	gloss_close(admin);
	if (rc != 0)
		return -1;
	gloss_client *a = gl_dh_client(&D, TOK_ALICE, 10000);
	gloss_client *b = gl_dh_client(&D, TOK_BOB, 10000);
	gloss_client *c = gl_dh_client(&D, TOK_CAROL, 10000);
	if (a == NULL || b == NULL || c == NULL)
		rc = -1;
	if (rc == 0 && (annotate(a, DOC1, "COUNTRY", 0, 8, NULL) < 0 ||
	    annotate(a, DOC1, "COUNTRY", 17, 30, NULL) < 0 ||
	    annotate(a, DOC1, "CITY", 38, 47, NULL) < 0 ||
	    annotate(a, DOC2, "GROUP", 4, 11, NULL) < 0 ||
	    annotate(a, DOC2, "ORG", 21, 25, "rejected") < 0 ||
	    annotate(a, DOC1, "GROUP", 9, 12, "suggested") < 0 ||
	    annotate(b, DOC1, "COUNTRY", 0, 8, NULL) < 0 ||
	    annotate(b, DOC1, "COUNTRY", 24, 30, NULL) < 0 ||
	    annotate(b, DOC1, "COUNTRY", 38, 47, NULL) < 0 ||
	    annotate(c, DOC1, "CITY", 38, 47, "gold") < 0))
		rc = -1;
	if (rc == 0) {
		int64_t id = annotate(b, DOC2, "ORG", 21, 25, NULL);
		Gloss__V1__DeleteAnnotationRequest dq =
		    GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
		Gloss__V1__DeleteAnnotationResponse *ds = NULL;
		dq.id = id;
		if (id < 0 || gloss_annotations_delete(b, &dq, &ds, NULL) != 0)
			rc = -1;
		gloss_free(ds);
	}
	gloss_close(a);
	gloss_close(b);
	gloss_close(c);
	return rc;
}

static int
compute(const char *token, const Gloss__V1__ComputeAgreementRequest *rq,
    Gloss__V1__ComputeAgreementResponse **rs)
{
	gloss_client *c = gl_dh_client(&D, token, 20000);
	if (c == NULL)
		return -GLOSS_UNAVAILABLE;
	*rs = NULL;
	int rc = gloss_call(c, "/gloss.v1.Agreement/Compute", &rq->base,
	    &gloss__v1__compute_agreement_response__descriptor,
	    (ProtobufCMessage **)rs, NULL);
	gloss_close(c);
	return rc;
}

static void
init_req(Gloss__V1__ComputeAgreementRequest *rq)
{
	gloss__v1__compute_agreement_request__init(rq);
	rq->project = (char *)"agr";
	rq->layer = (char *)"actors";
}

GL_TEST(figures_against_hand_worked_values)
{
	Gloss__V1__ComputeAgreementRequest rq;
	Gloss__V1__ComputeAgreementResponse *rs;
	init_req(&rq);
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), 0);
	if (rs == NULL)
		return;
	CHECK_INT(rs->n_annotators, 2);
	if (rs->n_annotators == 2) {
		CHECK_STR(rs->annotators[0], "alice");
		CHECK_STR(rs->annotators[1], "bob");
	}
	CHECK_INT(rs->documents, 2);
	CHECK_INT(rs->units, 19);
	CHECK_STR(rs->unit, "token");
	/* ORG was only rejected or deleted: not a label here. */
	CHECK_INT(rs->n_per_label, 3);
	if (rs->n_per_label == 3) {
		CHECK_STR(rs->per_label[0]->label, "CITY");
		CHECK_STR(rs->per_label[1]->label, "COUNTRY");
		CHECK_STR(rs->per_label[2]->label, "GROUP");
	}
	const Gloss__V1__LabelAgreement *o = rs->overall;
	CHECK(o != NULL && o->n_pairs == 1);
	if (o != NULL && o->n_pairs == 1) {
		const Gloss__V1__PairAgreement *p = o->pairs[0];
		CHECK_STR(p->a, "alice");
		CHECK_STR(p->b, "bob");
		CHECK(p->cohen_kappa != NULL && p->spans != NULL);
		if (p->cohen_kappa) {
			CHECK(p->cohen_kappa->defined);
			CHECK_INT(p->cohen_kappa->units, 19);
			CHECK_NEAR(p->cohen_kappa->observed, 16.0 / 19, 1e-12);
			CHECK_NEAR(p->cohen_kappa->expected, 233.0 / 361, 1e-12);
			CHECK_NEAR(p->cohen_kappa->value, 71.0 / 128, 1e-12);
		}
		if (p->spans) {
			CHECK_INT(p->spans->a_spans, 4);
			CHECK_INT(p->spans->b_spans, 3);
			CHECK_INT(p->spans->strict_matches, 1);
			CHECK_INT(p->spans->overlap_matches, 2);
			CHECK_NEAR(p->spans->overlap_f1, 4.0 / 7, 1e-12);
		}
		CHECK(o->fleiss_kappa != NULL && o->krippendorff_alpha != NULL);
		if (o->fleiss_kappa && o->krippendorff_alpha) {
			CHECK_INT(o->fleiss_kappa->units, 19);
			CHECK(o->krippendorff_alpha->defined);
			CHECK_INT(o->krippendorff_alpha->units, 19);
		}
	}
	gloss_free(rs);
}

GL_TEST(filters_and_policies)
{
	Gloss__V1__ComputeAgreementRequest rq;
	Gloss__V1__ComputeAgreementResponse *rs;
	/* Only document 2: alice GROUP on Taliban, bob nothing, so by
	 * default alice is the only annotator there. */
	int64_t ids[] = { DOC2 };
	init_req(&rq);
	rq.document_ids = ids;
	rq.n_document_ids = 1;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_EFAILED_PRECONDITION);
	/* Named, bob counts as all "O" there. */
	static char *ab0[] = { (char *)"alice", (char *)"bob" };
	rq.annotators = ab0;
	rq.n_annotators = 2;
	static char *m[] = { (char *)"cohen" };
	rq.measures = m;
	rq.n_measures = 1;
	rq.unit = (char *)"char";
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), 0);
	if (rs != NULL) {
		CHECK_INT(rs->documents, 1);
		CHECK_STR(rs->unit, "char");
		CHECK_INT(rs->units, 36); /* 44 code points, 8 spaces */
		CHECK(rs->overall->fleiss_kappa == NULL);
		CHECK(rs->overall->n_pairs == 1 && rs->overall->pairs[0]->spans == NULL);
		if (rs->overall->n_pairs == 1 && rs->overall->pairs[0]->cohen_kappa)
			CHECK_NEAR(rs->overall->pairs[0]->cohen_kappa->observed,
			    29.0 / 36, 1e-12);
		gloss_free(rs);
	}
	/* bob marked nothing in document 2: with skip_unannotated the pair
	 * is compared on document 1 only. */
	init_req(&rq);
	rq.skip_unannotated = 1;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), 0);
	if (rs != NULL) {
		CHECK_INT(rs->units, 19);
		const Gloss__V1__PairAgreement *p = rs->overall->pairs[0];
		CHECK_INT(p->cohen_kappa->units, 9);
		CHECK_NEAR(p->cohen_kappa->observed, 7.0 / 9, 1e-12);
		CHECK_INT(p->spans->a_spans, 3);
		/* alpha keeps no unit of document 2 (one value each). */
		CHECK_INT(rs->overall->krippendorff_alpha->units, 9);
		gloss_free(rs);
	}
	/* Explicit annotators, in the order given. */
	static char *ab[] = { (char *)"bob", (char *)"alice" };
	init_req(&rq);
	rq.annotators = ab;
	rq.n_annotators = 2;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), 0);
	if (rs != NULL) {
		CHECK_STR(rs->overall->pairs[0]->a, "bob");
		CHECK_INT(rs->overall->pairs[0]->spans->a_spans, 3);
		CHECK_NEAR(rs->overall->pairs[0]->cohen_kappa->value, 71.0 / 128,
		    1e-12);
		gloss_free(rs);
	}
}

GL_TEST(refusals_and_errors)
{
	Gloss__V1__ComputeAgreementRequest rq;
	Gloss__V1__ComputeAgreementResponse *rs;
	init_req(&rq);
	/* An annotator may not see everyone's agreement. */
	CHECK_INT(compute(TOK_ALICE, &rq, &rs), GLOSS_EPERMISSION_DENIED);
	/* The admin may. */
	CHECK_INT(compute(NULL, &rq, &rs), 0);
	gloss_free(rs);
	/* dave has no accepted work on the layer: all "O", so chance-level
	 * agreement with alice (po = pe = 14/19) and no span matches. */
	static char *ad[] = { (char *)"alice", (char *)"dave" };
	rq.annotators = ad;
	rq.n_annotators = 2;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), 0);
	if (rs != NULL) {
		const Gloss__V1__PairAgreement *p = rs->overall->pairs[0];
		CHECK(p->cohen_kappa->defined);
		CHECK_NEAR(p->cohen_kappa->observed, 14.0 / 19, 1e-12);
		CHECK_NEAR(p->cohen_kappa->value, 0, 1e-12);
		CHECK_INT(p->spans->b_spans, 0);
		CHECK(isnan(p->spans->strict_precision));
		CHECK_NEAR(p->spans->strict_recall, 0, 1e-12);
		gloss_free(rs);
	}
	/* A name that is not a user is a mistake, not an empty annotator. */
	static char *az[] = { (char *)"alice", (char *)"zed" };
	rq.annotators = az;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_ENOT_FOUND);
	static char *aa[] = { (char *)"alice", (char *)"alice" };
	rq.annotators = aa;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_EINVALID_ARGUMENT);
	init_req(&rq);
	rq.layer = (char *)"tone";
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_EFAILED_PRECONDITION);
	init_req(&rq);
	rq.unit = (char *)"word";
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_EINVALID_ARGUMENT);
	init_req(&rq);
	rq.layer = (char *)"";
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_EINVALID_ARGUMENT);
	init_req(&rq);
	int64_t bad[] = { DOC1 + 1000 };
	rq.document_ids = bad;
	rq.n_document_ids = 1;
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_ENOT_FOUND);
	init_req(&rq);
	rq.project = (char *)"nope";
	CHECK_INT(compute(TOK_CAROL, &rq, &rs), GLOSS_ENOT_FOUND);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(figures_against_hand_worked_values),
		GL_TEST_ENTRY(filters_and_policies),
		GL_TEST_ENTRY(refusals_and_errors),
	};
	if (gl_dh_init(&D, "agree", 0) != 0 || gl_dh_start(&D) != 0 ||
	    setup() != 0) {
		gl_dh_dump_log(&D);
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
