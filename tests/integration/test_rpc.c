/*
 * test_rpc.c - every status path of the RPC layer and every method of the
 * core services, through libgloss (and a raw nng socket where libgloss
 * will not send the bad input) against the real glossd.  After each bad
 * input the daemon must still answer Health.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static gl_dh D;          /* the daemon most cases talk to */
static gloss_client *C;  /* admin client on it */

/* The daemon is alive and serving after whatever the case did. */
#define ALIVE() CHECK(gl_dh_serving(&D))

/* ---- helpers ----------------------------------------------------------- */

static int
make_project(const char *name)
{
	return gl_dh_make_project(C, name);
}

/* Imports n texts (titles "t<i>" unless given); returns the call's code. */
static int
import_docs(gloss_client *c, const char *project, size_t n,
    const char *const *texts, const char *const *titles,
    Gloss__V1__ImportResponse **resp, gloss_status *st)
{
	Gloss__V1__DocumentInput *ins = calloc(n, sizeof(*ins));
	Gloss__V1__DocumentInput **pins = calloc(n, sizeof(*pins));
	char (*tbuf)[32] = calloc(n, sizeof(*tbuf));
	for (size_t i = 0; i < n; i++) {
		gloss__v1__document_input__init(&ins[i]);
		snprintf(tbuf[i], sizeof(tbuf[i]), "t%zu", i);
		ins[i].title = (char *)(titles ? titles[i] : tbuf[i]);
		ins[i].text = (char *)texts[i];
		pins[i] = &ins[i];
	}
	Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
	req.project = (char *)project;
	req.n_documents = n;
	req.documents = pins;
	Gloss__V1__ImportResponse *r = NULL;
	int rc = gloss_documents_import(c, &req, &r, st);
	if (resp)
		*resp = r;
	else
		gloss_free(r);
	free(ins);
	free(pins);
	free(tbuf);
	return rc;
}

/* Number of live documents of a project (walking every page). */
static int64_t
count_docs(const char *project)
{
	int64_t total = 0;
	char *cursor = strdup("");
	for (;;) {
		Gloss__V1__ListDocumentsRequest req = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
		Gloss__V1__ListDocumentsResponse *resp = NULL;
		req.project = (char *)project;
		req.page_size = 1000;
		req.cursor = cursor;
		if (gloss_documents_list(C, &req, &resp, NULL) != 0) {
			free(cursor);
			return -1;
		}
		total += (int64_t)resp->n_documents;
		free(cursor);
		cursor = strdup(resp->next_cursor);
		gloss_free(resp);
		if (cursor[0] == '\0')
			break;
	}
	free(cursor);
	return total;
}

static Gloss__V1__Annotation *
create_ann(int64_t doc, int64_t start, int64_t end, const char *label,
    const char *quote, int *rc_out, gloss_status *st)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.document_id = doc;
	in.layer = (char *)"actor";
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	in.quote = (char *)(quote ? quote : "");
	Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	req.n_annotations = 1;
	req.annotations = &pin;
	Gloss__V1__CreateAnnotationsResponse *resp = NULL;
	int rc = gloss_annotations_create(C, &req, &resp, st);
	if (rc_out)
		*rc_out = rc;
	if (rc != 0)
		return NULL;
	/* Detach the one annotation from its response. */
	Gloss__V1__Annotation *a = NULL;
	if (resp->n_annotations == 1) {
		a = resp->annotations[0];
		resp->n_annotations = 0;
	}
	gloss_free(resp);
	return a;
}

static size_t
count_anns(int64_t doc, int include_deleted)
{
	Gloss__V1__ListAnnotationsRequest req = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *resp = NULL;
	req.document_id = doc;
	req.include_deleted = include_deleted;
	if (gloss_annotations_list(C, &req, &resp, NULL) != 0)
		return (size_t)-1;
	size_t n = resp->n_annotations;
	gloss_free(resp);
	return n;
}

static uint64_t
last_seq(void)
{
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	if (gloss_health_check(C, &req, &resp, NULL) != 0)
		return UINT64_MAX;
	uint64_t s = resp->last_seq;
	gloss_free(resp);
	return s;
}

static char *
get_text(int64_t id)
{
	Gloss__V1__GetDocumentRequest req = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *resp = NULL;
	req.id = id;
	if (gloss_documents_get(C, &req, &resp, NULL) != 0)
		return NULL;
	char *t = strdup(resp->document->text);
	gloss_free(resp);
	return t;
}

/* ---- health, methods, envelopes --------------------------------------- */

GL_TEST(health_needs_no_token)
{
	gloss_client *c = gl_dh_client(&D, "", 0);
	CHECK(c != NULL);
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	CHECK_INT(gloss_health_check(c, &req, &resp, NULL), 0);
	if (resp) {
		CHECK_INT(resp->status,
		    GLOSS__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING);
		CHECK_INT(resp->max_message, 16u << 20);
		CHECK(resp->version != NULL && resp->version[0] != '\0');
	}
	gloss_free(resp);
	gloss_close(c);
}

GL_TEST(tcp_listener_serves_too)
{
	gloss_client *c = NULL;
	CHECK_INT(gloss_connect(D.tcp_url, GL_DH_TOKEN, &c), 0);
	Gloss__V1__ListProjectsRequest req = GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *resp = NULL;
	CHECK_INT(gloss_projects_list(c, &req, &resp, NULL), 0);
	gloss_free(resp);
	gloss_close(c);
}

GL_TEST(unknown_method)
{
	static const char *const methods[] = {
		"/gloss.v1.Nope/Do", "/gloss.v1.Documents/Frobnicate",
		"/gloss.v2.Documents/Get", "/x/",
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		gloss_status st = GLOSS_STATUS_INIT;
		void *out = NULL;
		size_t out_len = 0;
		int rc = gloss_call_raw(C, methods[i], "", 0, &out, &out_len, &st, NULL);
		CHECK_INT(rc, GLOSS_EUNIMPLEMENTED);
		CHECK_INT(st.code, GLOSS_UNIMPLEMENTED);
		CHECK_INT(st.local, 0);
		CHECK(st.message && strstr(st.message, methods[i]) != NULL);
		free(out);
		gloss_status_clear(&st);
	}
	/* Method names libgloss refuses to send, through a raw socket. */
	static const char *const raw[] = { "", "nonsense", "/", "Documents/Get" };
	for (size_t i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		Gloss__V1__RpcResponse *r = NULL;
		CHECK_INT(gl_dh_envelope(D.ipc_url, raw[i], GL_DH_TOKEN, 0, NULL,
		    NULL, 0, 5000, &r), 0);
		if (r)
			CHECK_INT(r->code, GLOSS_UNIMPLEMENTED);
		gloss__v1__rpc_response__free_unpacked(r, NULL);
	}
	ALIVE();
}

GL_TEST(garbage_envelope)
{
	/* An over-long varint, a field whose length runs past the end. */
	static const unsigned char longvarint[] = { 0x08, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	static const unsigned char truncated[] = { 0x0a, 0x50, 'a', 'b', 'c' };
	static const unsigned char badtag[] = { 0xff, 0xff, 0xff, 0xff, 0xff };
	const struct { const void *b; size_t n; } cases[] = {
		{ longvarint, sizeof(longvarint) },
		{ truncated, sizeof(truncated) },
		{ badtag, sizeof(badtag) },
		{ "GET / HTTP/1.1\r\n\r\n", 18 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Gloss__V1__RpcResponse *r = NULL;
		CHECK_INT(gl_dh_raw(D.ipc_url, cases[i].b, cases[i].n, 5000, &r), 0);
		if (r) {
			CHECK_INT(r->code, GLOSS_INVALID_ARGUMENT);
			CHECK(r->message && r->message[0] != '\0');
		}
		gloss__v1__rpc_response__free_unpacked(r, NULL);
	}
	/*
	 * Seeded random blobs: each gets an answer that is not OK (random bytes
	 * may happen to decode as a request, for an unknown method).
	 */
	unsigned seed = 12345u;
	unsigned char blob[2048];
	for (int k = 0; k < 30; k++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % sizeof(blob));
		for (size_t i = 0; i < n; i++)
			blob[i] = (unsigned char)rand_r(&seed);
		Gloss__V1__RpcResponse *r = NULL;
		CHECK_INT(gl_dh_raw(D.ipc_url, blob, n, 5000, &r), 0);
		if (r)
			CHECK((int)r->code == GLOSS_INVALID_ARGUMENT ||
			    (int)r->code == GLOSS_UNIMPLEMENTED);
		gloss__v1__rpc_response__free_unpacked(r, NULL);
	}
	ALIVE();
}

GL_TEST(garbage_payload)
{
	static const unsigned char truncated[] = { 0x0a, 0x40, 'a', 'b' };
	static const unsigned char badtag[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const char *const methods[] = {
		"/gloss.v1.Projects/Create", "/gloss.v1.Documents/Import",
		"/gloss.v1.Annotations/Create", "/gloss.v1.Events/Watch",
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		gloss_status st = GLOSS_STATUS_INIT;
		void *out = NULL;
		size_t out_len = 0;
		CHECK_INT(gloss_call_raw(C, methods[i], truncated, sizeof(truncated),
		    &out, &out_len, &st, NULL), GLOSS_EINVALID_ARGUMENT);
		CHECK_INT(st.local, 0);
		CHECK(st.message && strstr(st.message, "gloss.v1.") != NULL);
		CHECK_INT(gloss_call_raw(C, methods[i], badtag, sizeof(badtag),
		    &out, &out_len, &st, NULL), GLOSS_EINVALID_ARGUMENT);
		free(out);
		gloss_status_clear(&st);
	}
	/* Health takes no token but still decodes its payload. */
	gloss_client *anon = gl_dh_client(&D, "", 0);
	void *out = NULL;
	size_t out_len = 0;
	CHECK_INT(gloss_call_raw(anon, "/gloss.v1.Health/Check", badtag,
	    sizeof(badtag), &out, &out_len, NULL, NULL), GLOSS_EINVALID_ARGUMENT);
	free(out);
	gloss_close(anon);
	ALIVE();
}

GL_TEST(oversized_message)
{
	/* A daemon of its own with a small limit. */
	gl_dh small;
	CHECK_INT(gl_dh_init(&small, "rpc-small", 0), 0);
	gl_dh_arg(&small, "--max-message");
	gl_dh_arg(&small, "65536");
	if (gl_dh_start(&small) != 0) {
		CHECK(!"glossd --max-message 65536 did not start");
		gl_dh_cleanup(&small);
		return;
	}
	gloss_connect_opts o = { .timeout_ms = 5000, .max_message = 8u << 20 };
	gloss_client *c = NULL;
	CHECK_INT(gloss_connect_ex(small.ipc_url, GL_DH_TOKEN, &o, &c), 0);
	CHECK_INT(gl_dh_make_project(c, "big"), 0);

	Gloss__V1__HealthCheckRequest hreq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *hresp = NULL;
	CHECK_INT(gloss_health_check(c, &hreq, &hresp, NULL), 0);
	if (hresp)
		CHECK_INT(hresp->max_message, 65536);
	gloss_free(hresp);

	/* 100 KB: over the limit, under nng's hard cap: a clear answer. */
	size_t n = 100 * 1024;
	char *text = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	text[n] = '\0';
	const char *texts[1] = { text };
	gloss_status st = GLOSS_STATUS_INIT;
	Gloss__V1__DocumentInput in = GLOSS__V1__DOCUMENT_INPUT__INIT;
	Gloss__V1__DocumentInput *pin = &in;
	in.title = (char *)"huge";
	in.text = text;
	Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
	req.project = (char *)"big";
	req.n_documents = 1;
	req.documents = &pin;
	Gloss__V1__ImportResponse *resp = NULL;
	CHECK_INT(gloss_documents_import(c, &req, &resp, &st), GLOSS_ERESOURCE_EXHAUSTED);
	CHECK_INT(st.local, 0);
	CHECK(st.message && strstr(st.message, "65536") != NULL);
	gloss_free(resp);
	resp = NULL;
	CHECK(gl_dh_serving(&small));

	/* 400 KB: beyond the hard cap nng drops the connection; no answer. */
	char *huge = malloc(400 * 1024 + 1);
	memset(huge, 'x', 400 * 1024);
	huge[400 * 1024] = '\0';
	in.text = huge;
	gloss_set_timeout(c, 1500);
	int rc = gloss_documents_import(c, &req, &resp, &st);
	CHECK(rc == GLOSS_EDEADLINE_EXCEEDED || rc == GLOSS_EUNAVAILABLE);
	gloss_free(resp);
	resp = NULL;
	free(huge);
	gloss_set_timeout(c, 5000);
	CHECK(gl_dh_serving(&small));

	/* The same client reconnects and works; nothing big was stored. */
	texts[0] = "a small document";
	CHECK_INT(import_docs(c, "big", 1, texts, NULL, NULL, NULL), 0);
	Gloss__V1__ListDocumentsRequest lreq = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
	Gloss__V1__ListDocumentsResponse *lresp = NULL;
	lreq.project = (char *)"big";
	CHECK_INT(gloss_documents_list(c, &lreq, &lresp, NULL), 0);
	if (lresp)
		CHECK_INT(lresp->n_documents, 1);
	gloss_free(lresp);
	gloss_status_clear(&st);
	free(text);
	gloss_close(c);
	CHECK_INT(gl_dh_term(&small, 5000, NULL), 0);
	gl_dh_cleanup(&small);
	ALIVE();
}

GL_TEST(tokens)
{
	Gloss__V1__ListProjectsRequest req = GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *resp = NULL;
	gloss_status st = GLOSS_STATUS_INIT;

	gloss_client *none = gl_dh_client(&D, "", 0);
	CHECK_INT(gloss_projects_list(none, &req, &resp, &st), GLOSS_EUNAUTHENTICATED);
	CHECK_INT(st.local, 0);
	Gloss__V1__WatchRequest wreq = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *wresp = NULL;
	CHECK_INT(gloss_events_watch(none, &wreq, &wresp, NULL), GLOSS_EUNAUTHENTICATED);
	gloss_free(wresp);

	gloss_client *wrong = gl_dh_client(&D, "integration-admin-token-0123456788", 0);
	CHECK_INT(gloss_projects_list(wrong, &req, &resp, &st), GLOSS_EUNAUTHENTICATED);
	/* A write is refused before anything is applied. */
	Gloss__V1__CreateProjectRequest creq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	Gloss__V1__CreateProjectResponse *cresp = NULL;
	creq.name = (char *)"sneaky";
	CHECK_INT(gloss_projects_create(wrong, &creq, &cresp, NULL), GLOSS_EUNAUTHENTICATED);
	gloss_free(cresp);

	static const char *const malformed[] = {
		"Basic " GL_DH_TOKEN, "Bearer ", "Bearer", GL_DH_TOKEN,
		"Token " GL_DH_TOKEN,
	};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		CHECK_INT(gloss_set_metadata(none, "authorization", malformed[i]), 0);
		CHECK_INT(gloss_projects_list(none, &req, &resp, &st), GLOSS_EUNAUTHENTICATED);
	}
	/* A raw envelope with no metadata at all. */
	Gloss__V1__RpcResponse *r = NULL;
	CHECK_INT(gl_dh_envelope(D.ipc_url, "/gloss.v1.Projects/List", NULL, 0,
	    NULL, NULL, 0, 5000, &r), 0);
	if (r)
		CHECK_INT(r->code, GLOSS_UNAUTHENTICATED);
	gloss__v1__rpc_response__free_unpacked(r, NULL);

	/* The right token works, and "sneaky" was never created. */
	Gloss__V1__GetProjectRequest greq = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	Gloss__V1__GetProjectResponse *gresp = NULL;
	greq.name = (char *)"sneaky";
	CHECK_INT(gloss_projects_get(C, &greq, &gresp, NULL), GLOSS_ENOT_FOUND);
	gloss_free(gresp);
	gloss_status_clear(&st);
	gloss_close(none);
	gloss_close(wrong);
	ALIVE();
}

/* ---- deadlines and replays --------------------------------------------- */

enum { DEADLINE_DOCS = 3000 };

static Gloss__V1__ImportRequest *
big_import(const char *project, char ***texts_out)
{
	char **texts = calloc(DEADLINE_DOCS, sizeof(char *));
	Gloss__V1__ImportRequest *req = calloc(1, sizeof(*req));
	gloss__v1__import_request__init(req);
	req->project = (char *)project;
	req->n_documents = DEADLINE_DOCS;
	req->documents = calloc(DEADLINE_DOCS, sizeof(*req->documents));
	for (size_t i = 0; i < DEADLINE_DOCS; i++) {
		texts[i] = malloc(200);
		snprintf(texts[i], 200, "Document number %zu of the deadline test: "
		    "delegations from Islamabad and Washington met again, "
		    "and the talks went on late into the night.", i);
		req->documents[i] = calloc(1, sizeof(Gloss__V1__DocumentInput));
		gloss__v1__document_input__init(req->documents[i]);
		req->documents[i]->title = (char *)"deadline";
		req->documents[i]->text = texts[i];
	}
	*texts_out = texts;
	return req;
}

static void
big_import_free(Gloss__V1__ImportRequest *req, char **texts)
{
	for (size_t i = 0; i < req->n_documents; i++) {
		free(texts[i]);
		free(req->documents[i]);
	}
	free(req->documents);
	free(req);
	free(texts);
}

GL_TEST(deadline_exceeded_applies_nothing)
{
	CHECK_INT(make_project("deadline"), 0);
	char **texts;
	Gloss__V1__ImportRequest *req = big_import("deadline", &texts);
	uint64_t seq0 = last_seq();

	/* Through libgloss: a 1 ms budget cannot cover 3000 documents. */
	gloss_call_opts o = { .timeout_ms = 1 };
	gloss_status st = GLOSS_STATUS_INIT;
	ProtobufCMessage *resp = NULL;
	CHECK_INT(gloss_call_ex(C, "/gloss.v1.Documents/Import", &req->base,
	    &gloss__v1__import_response__descriptor, &resp, &st, &o),
	    GLOSS_EDEADLINE_EXCEEDED);
	gloss_free(resp);
	gloss_status_clear(&st);

	/*
	 * The server's own answer: timeout_ms = 1 in the envelope while we
	 * wait long enough to hear it.
	 */
	size_t plen = gloss__v1__import_request__get_packed_size(req);
	uint8_t *payload = malloc(plen);
	gloss__v1__import_request__pack(req, payload);
	Gloss__V1__RpcResponse *r = NULL;
	CHECK_INT(gl_dh_envelope(D.ipc_url, "/gloss.v1.Documents/Import",
	    GL_DH_TOKEN, 1, "deadline-rid-1", payload, plen, 30000, &r), 0);
	if (r) {
		CHECK_INT(r->code, GLOSS_DEADLINE_EXCEEDED);
		CHECK_INT(r->payload.len, 0);
	}
	gloss__v1__rpc_response__free_unpacked(r, NULL);

	/* Nothing was imported, and no event was logged. */
	CHECK_INT(count_docs("deadline"), 0);
	CHECK_INT(last_seq(), seq0);

	/* The same request id with time to spare is applied now (not replayed). */
	r = NULL;
	CHECK_INT(gl_dh_envelope(D.ipc_url, "/gloss.v1.Documents/Import",
	    GL_DH_TOKEN, 60000, "deadline-rid-1", payload, plen, 60000, &r), 0);
	if (r) {
		CHECK_INT(r->code, GLOSS_OK);
		CHECK(gl_dh_detail(r, "replayed") == NULL);
	}
	gloss__v1__rpc_response__free_unpacked(r, NULL);
	CHECK_INT(count_docs("deadline"), DEADLINE_DOCS);
	free(payload);
	big_import_free(req, texts);
	ALIVE();
}

GL_TEST(idempotent_replay)
{
	CHECK_INT(make_project("replay"), 0);
	/* Projects/Create twice with one id: the second is the first answer. */
	Gloss__V1__CreateProjectRequest preq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	preq.name = (char *)"replay-p2";
	size_t plen = gloss__v1__create_project_request__get_packed_size(&preq);
	uint8_t pbuf[256];
	gloss__v1__create_project_request__pack(&preq, pbuf);
	Gloss__V1__RpcResponse *r1 = NULL, *r2 = NULL;
	CHECK_INT(gl_dh_envelope(D.ipc_url, "/gloss.v1.Projects/Create", GL_DH_TOKEN,
	    0, "rid-project-1", pbuf, plen, 5000, &r1), 0);
	CHECK_INT(gl_dh_envelope(D.ipc_url, "/gloss.v1.Projects/Create", GL_DH_TOKEN,
	    0, "rid-project-1", pbuf, plen, 5000, &r2), 0);
	if (r1 && r2) {
		CHECK_INT(r1->code, GLOSS_OK);
		CHECK_INT(r2->code, GLOSS_OK);
		CHECK_STR(gl_dh_detail(r2, "replayed"), "true");
		CHECK(gl_dh_detail(r1, "replayed") == NULL);
		CHECK(r1->payload.len == r2->payload.len &&
		    memcmp(r1->payload.data, r2->payload.data, r1->payload.len) == 0);
	}
	gloss__v1__rpc_response__free_unpacked(r1, NULL);
	gloss__v1__rpc_response__free_unpacked(r2, NULL);
	/* A fresh id for the same name is a real second create. */
	Gloss__V1__CreateProjectResponse *pr = NULL;
	CHECK_INT(gloss_projects_create(C, &preq, &pr, NULL), GLOSS_EALREADY_EXISTS);
	gloss_free(pr);

	/* Documents/Import through libgloss with a fixed request id. */
	Gloss__V1__DocumentInput in = GLOSS__V1__DOCUMENT_INPUT__INIT;
	Gloss__V1__DocumentInput *pin = &in;
	in.title = (char *)"replayed doc";
	in.text = (char *)"The envoy arrived in Kabul on Monday.";
	Gloss__V1__ImportRequest ireq = GLOSS__V1__IMPORT_REQUEST__INIT;
	ireq.project = (char *)"replay";
	ireq.n_documents = 1;
	ireq.documents = &pin;
	gloss_call_opts o = { .request_id = "rid-import-1" };
	ProtobufCMessage *m1 = NULL, *m2 = NULL;
	CHECK_INT(gloss_call_ex(C, "/gloss.v1.Documents/Import", &ireq.base,
	    &gloss__v1__import_response__descriptor, &m1, NULL, &o), 0);
	CHECK_INT(gloss_call_ex(C, "/gloss.v1.Documents/Import", &ireq.base,
	    &gloss__v1__import_response__descriptor, &m2, NULL, &o), 0);
	int64_t doc = 0;
	if (m1 && m2) {
		Gloss__V1__ImportResponse *a = (Gloss__V1__ImportResponse *)m1;
		Gloss__V1__ImportResponse *b = (Gloss__V1__ImportResponse *)m2;
		doc = a->results[0]->id;
		CHECK_INT(b->results[0]->id, doc);
		/* A replay, not a duplicate detection: the first answer again. */
		CHECK_INT(a->results[0]->duplicate, 0);
		CHECK_INT(b->results[0]->duplicate, 0);
		CHECK_INT(b->imported, 1);
	}
	gloss_free(m1);
	gloss_free(m2);
	CHECK_INT(count_docs("replay"), 1);

	/* Annotations/Create replayed: one annotation. */
	Gloss__V1__AnnotationInput ain = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pain = &ain;
	ain.document_id = doc;
	ain.layer = (char *)"actor";
	ain.label = (char *)"PERSON";
	ain.start = 4;
	ain.end = 9;
	Gloss__V1__CreateAnnotationsRequest areq = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	areq.n_annotations = 1;
	areq.annotations = &pain;
	gloss_call_opts ao = { .request_id = "rid-ann-1" };
	int64_t ids[3] = { 0, 0, 0 };
	for (int k = 0; k < 3; k++) {
		ProtobufCMessage *m = NULL;
		CHECK_INT(gloss_call_ex(C, "/gloss.v1.Annotations/Create", &areq.base,
		    &gloss__v1__create_annotations_response__descriptor, &m, NULL,
		    &ao), 0);
		if (m)
			ids[k] = ((Gloss__V1__CreateAnnotationsResponse *)m)->annotations[0]->id;
		gloss_free(m);
	}
	CHECK(ids[0] > 0);
	CHECK_INT(ids[1], ids[0]);
	CHECK_INT(ids[2], ids[0]);
	CHECK_INT(count_anns(doc, 1), 1);
	ALIVE();
}

/* ---- annotations -------------------------------------------------------- */

GL_TEST(bad_offsets)
{
	CHECK_INT(make_project("offsets"), 0);
	/* 14 code points, 26 bytes: Cyrillic and an emoji. */
	int64_t doc = gl_dh_import_one(C, "offsets", "ru",
	    "Привет, мир \xf0\x9f\x8c\x8d!");
	CHECK(doc > 0);
	const int64_t bad[][2] = { { -1, 3 }, { 5, 5 }, { 6, 3 }, { 0, 15 },
		{ 14, 15 }, { 0, 26 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gloss_status st = GLOSS_STATUS_INIT;
		int rc;
		Gloss__V1__Annotation *a = create_ann(doc, bad[i][0], bad[i][1],
		    "X", NULL, &rc, &st);
		CHECK_INT(rc, GLOSS_EINVALID_ARGUMENT);
		CHECK(a == NULL);
		CHECK(st.message && strstr(st.message, "out of range") != NULL);
		gloss_status_clear(&st);
	}
	/* The whole text is fine; and offsets are code points, not bytes. */
	int rc;
	Gloss__V1__Annotation *a = create_ann(doc, 0, 14, "ALL", NULL, &rc, NULL);
	CHECK_INT(rc, 0);
	gloss_free(a);
	a = create_ann(doc, 12, 13, "EMOJI", "\xf0\x9f\x8c\x8d", &rc, NULL);
	CHECK_INT(rc, 0);
	if (a) {
		CHECK_STR(a->quote, "\xf0\x9f\x8c\x8d");
		/* Update with a bad span changes nothing. */
		Gloss__V1__UpdateAnnotationRequest u = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
		Gloss__V1__UpdateAnnotationResponse *ur = NULL;
		u.id = a->id;
		u.expected_version = a->version;
		u.set_span = 1;
		u.start = 13;
		u.end = 40;
		CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), GLOSS_EINVALID_ARGUMENT);
		gloss_free(ur);
	}
	/* A batch with one bad annotation stores none of them. */
	Gloss__V1__AnnotationInput ins[2];
	Gloss__V1__AnnotationInput *pins[2] = { &ins[0], &ins[1] };
	for (int i = 0; i < 2; i++) {
		gloss__v1__annotation_input__init(&ins[i]);
		ins[i].document_id = doc;
		ins[i].layer = (char *)"actor";
		ins[i].label = (char *)"BATCH";
	}
	ins[0].start = 0, ins[0].end = 6;
	ins[1].start = 10, ins[1].end = 99;
	Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	req.n_annotations = 2;
	req.annotations = pins;
	Gloss__V1__CreateAnnotationsResponse *resp = NULL;
	CHECK_INT(gloss_annotations_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);
	CHECK_INT(count_anns(doc, 1), 2);
	/* Unknown document. */
	gloss_free(create_ann(987654321, 0, 1, "X", NULL, &rc, NULL));
	CHECK_INT(rc, GLOSS_ENOT_FOUND);
	/* Missing layer/label. */
	gloss_free(create_ann(doc, 0, 1, "", NULL, &rc, NULL));
	CHECK_INT(rc, GLOSS_EINVALID_ARGUMENT);
	if (a) {
		Gloss__V1__GetDocumentRequest g = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
		(void)g;
		Gloss__V1__ListAnnotationsRequest l = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
		Gloss__V1__ListAnnotationsResponse *lr = NULL;
		l.document_id = doc;
		l.label = (char *)"EMOJI";
		CHECK_INT(gloss_annotations_list(C, &l, &lr, NULL), 0);
		if (lr && lr->n_annotations == 1) {
			CHECK_INT(lr->annotations[0]->start, 12);
			CHECK_INT(lr->annotations[0]->end, 13);
			CHECK_INT(lr->annotations[0]->version, 1);
		} else {
			CHECK(!"EMOJI annotation not listed once");
		}
		gloss_free(lr);
	}
	gloss_free(a);
	ALIVE();
}

GL_TEST(quote_mismatch)
{
	CHECK_INT(make_project("quotes"), 0);
	int64_t doc = gl_dh_import_one(C, "quotes", "q",
	    "Привет, мир \xf0\x9f\x8c\x8d!");
	int rc;
	gloss_status st = GLOSS_STATUS_INIT;
	gloss_free(create_ann(doc, 8, 11, "X", "мор", &rc, &st));
	CHECK_INT(rc, GLOSS_EFAILED_PRECONDITION);
	CHECK(st.message && strstr(st.message, "мир") != NULL);
	gloss_free(create_ann(doc, 8, 11, "X", "Привет", &rc, &st));
	CHECK_INT(rc, GLOSS_EFAILED_PRECONDITION);
	CHECK_INT(count_anns(doc, 1), 0);
	Gloss__V1__Annotation *a = create_ann(doc, 8, 11, "X", "мир", &rc, &st);
	CHECK_INT(rc, 0);
	if (a) {
		CHECK_STR(a->quote, "мир");
		/* An update whose quote does not match is refused too. */
		Gloss__V1__UpdateAnnotationRequest u = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
		Gloss__V1__UpdateAnnotationResponse *ur = NULL;
		u.id = a->id;
		u.expected_version = 1;
		u.set_span = 1;
		u.start = 0;
		u.end = 6;
		u.quote = (char *)"Hello!";
		CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), GLOSS_EFAILED_PRECONDITION);
		gloss_free(ur);
		ur = NULL;
		u.quote = (char *)"Привет";
		CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), 0);
		if (ur) {
			CHECK_STR(ur->annotation->quote, "Привет");
			CHECK_INT(ur->annotation->version, 2);
		}
		gloss_free(ur);
	}
	gloss_free(a);
	gloss_status_clear(&st);
	ALIVE();
}

GL_TEST(stale_version)
{
	CHECK_INT(make_project("versions"), 0);
	int64_t doc = gl_dh_import_one(C, "versions", "v",
	    "Washington and Islamabad agreed on a new round of talks.");
	int rc;
	Gloss__V1__Annotation *a = create_ann(doc, 0, 10, "USA", "Washington", &rc, NULL);
	CHECK_INT(rc, 0);
	if (a == NULL)
		return;
	CHECK_INT(a->version, 1);
	CHECK_STR(a->status, "accepted");
	Gloss__V1__UpdateAnnotationRequest u = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	Gloss__V1__UpdateAnnotationResponse *ur = NULL;
	u.id = a->id;
	u.expected_version = 1;
	u.set_label = 1;
	u.label = (char *)"GOV_USA";
	CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), 0);
	if (ur)
		CHECK_INT(ur->annotation->version, 2);
	gloss_free(ur);
	ur = NULL;

	/* Stale: ABORTED with the current version, nothing changed. */
	gloss_status st = GLOSS_STATUS_INIT;
	u.label = (char *)"SHOULD_NOT_STICK";
	CHECK_INT(gloss_annotations_update(C, &u, &ur, &st), GLOSS_EABORTED);
	CHECK_STR(gloss_status_detail(&st, "current_version"), "2");
	gloss_free(ur);
	ur = NULL;
	/* expected_version 0 on an update is refused (it is required). */
	u.expected_version = 0;
	CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(ur);
	ur = NULL;
	/* Unknown annotation. */
	u.id = 99999999;
	u.expected_version = 1;
	CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), GLOSS_ENOT_FOUND);
	gloss_free(ur);

	Gloss__V1__ListAnnotationsRequest l = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	l.document_id = doc;
	CHECK_INT(gloss_annotations_list(C, &l, &lr, NULL), 0);
	if (lr && lr->n_annotations == 1) {
		CHECK_STR(lr->annotations[0]->label, "GOV_USA");
		CHECK_INT(lr->annotations[0]->version, 2);
	} else {
		CHECK(!"annotation not listed once");
	}
	gloss_free(lr);

	/* Delete with a stale version is ABORTED; with the right one it is soft. */
	Gloss__V1__DeleteAnnotationRequest dr = GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
	Gloss__V1__DeleteAnnotationResponse *dresp = NULL;
	dr.id = a->id;
	dr.expected_version = 1;
	CHECK_INT(gloss_annotations_delete(C, &dr, &dresp, &st), GLOSS_EABORTED);
	CHECK_STR(gloss_status_detail(&st, "current_version"), "2");
	gloss_free(dresp);
	dresp = NULL;
	dr.expected_version = 2;
	CHECK_INT(gloss_annotations_delete(C, &dr, &dresp, NULL), 0);
	if (dresp) {
		CHECK_INT(dresp->annotation->deleted, 1);
		CHECK_INT(dresp->annotation->version, 3);
	}
	gloss_free(dresp);
	dresp = NULL;
	CHECK_INT(count_anns(doc, 0), 0);
	CHECK_INT(count_anns(doc, 1), 1);
	/* A deleted annotation cannot be updated or deleted again. */
	dr.expected_version = 0;
	CHECK_INT(gloss_annotations_delete(C, &dr, &dresp, NULL), GLOSS_ENOT_FOUND);
	gloss_free(dresp);
	u.id = a->id;
	u.expected_version = 3;
	ur = NULL;
	CHECK_INT(gloss_annotations_update(C, &u, &ur, NULL), GLOSS_ENOT_FOUND);
	gloss_free(ur);
	gloss_status_clear(&st);
	gloss_free(a);
	ALIVE();
}

GL_TEST(annotation_filters)
{
	CHECK_INT(make_project("filters"), 0);
	int64_t doc = gl_dh_import_one(C, "filters", "f",
	    "NATO and the UN met in Geneva with Russian envoys.");
	Gloss__V1__AnnotationInput ins[3];
	Gloss__V1__AnnotationInput *pins[3] = { &ins[0], &ins[1], &ins[2] };
	const char *layers[3] = { "actor", "actor", "place" };
	const char *labels[3] = { "NATO", "UN", "CITY" };
	const char *status[3] = { "", "suggested", "gold" };
	const int64_t span[3][2] = { { 0, 4 }, { 13, 15 }, { 23, 29 } };
	for (int i = 0; i < 3; i++) {
		gloss__v1__annotation_input__init(&ins[i]);
		ins[i].document_id = doc;
		ins[i].layer = (char *)layers[i];
		ins[i].label = (char *)labels[i];
		ins[i].status = (char *)status[i];
		ins[i].start = span[i][0];
		ins[i].end = span[i][1];
		ins[i].attributes = (char *)"{\"cameo\":\"IGO\"}";
		ins[i].has_score = 1;
		ins[i].score = 0.25 * i;
	}
	Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	req.n_annotations = 3;
	req.annotations = pins;
	Gloss__V1__CreateAnnotationsResponse *resp = NULL;
	CHECK_INT(gloss_annotations_create(C, &req, &resp, NULL), 0);
	if (resp && resp->n_annotations == 3) {
		CHECK_STR(resp->annotations[0]->quote, "NATO");
		CHECK_STR(resp->annotations[1]->quote, "UN");
		CHECK_STR(resp->annotations[2]->quote, "Geneva");
		CHECK_STR(resp->annotations[0]->status, "accepted");
		CHECK_STR(resp->annotations[0]->author, "admin");
	}
	gloss_free(resp);
	struct { const char *layer, *label, *status; size_t want; } q[] = {
		{ "actor", "", "", 2 }, { "", "UN", "", 1 }, { "", "", "gold", 1 },
		{ "place", "NATO", "", 0 }, { "", "", "", 3 },
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		Gloss__V1__ListAnnotationsRequest l = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
		Gloss__V1__ListAnnotationsResponse *lr = NULL;
		l.document_id = doc;
		l.layer = (char *)q[i].layer;
		l.label = (char *)q[i].label;
		l.status = (char *)q[i].status;
		CHECK_INT(gloss_annotations_list(C, &l, &lr, NULL), 0);
		if (lr)
			CHECK_INT(lr->n_annotations, q[i].want);
		gloss_free(lr);
	}
	/* A bad status and non-object attributes are refused. */
	ins[0].status = (char *)"maybe";
	req.n_annotations = 1;
	resp = NULL;
	CHECK_INT(gloss_annotations_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);
	resp = NULL;
	ins[0].status = (char *)"";
	ins[0].attributes = (char *)"[1,2]";
	CHECK_INT(gloss_annotations_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);
	CHECK_INT(count_anns(doc, 1), 3);
	ALIVE();
}

GL_TEST(relations)
{
	CHECK_INT(make_project("relations"), 0);
	int64_t d1 = gl_dh_import_one(C, "relations", "r1",
	    "Pakistan criticised the United States.");
	int64_t d2 = gl_dh_import_one(C, "relations", "r2",
	    "Russia welcomed the statement.");
	int rc;
	Gloss__V1__Annotation *a = create_ann(d1, 0, 8, "PAK", "Pakistan", &rc, NULL);
	Gloss__V1__Annotation *b = create_ann(d1, 24, 37, "USA", "United States", &rc, NULL);
	Gloss__V1__Annotation *c = create_ann(d2, 0, 6, "RUS", "Russia", &rc, NULL);
	CHECK(a && b && c);
	if (!(a && b && c)) {
		gloss_free(a), gloss_free(b), gloss_free(c);
		return;
	}
	Gloss__V1__CreateRelationRequest cr = GLOSS__V1__CREATE_RELATION_REQUEST__INIT;
	Gloss__V1__CreateRelationResponse *crr = NULL;
	cr.source_id = a->id;
	cr.target_id = b->id;
	cr.label = (char *)"criticises";
	CHECK_INT(gloss_relations_create(C, &cr, &crr, NULL), 0);
	int64_t rel = crr ? crr->relation->id : 0;
	if (crr) {
		CHECK_INT(crr->relation->document_id, d1);
		CHECK_STR(crr->relation->label, "criticises");
	}
	gloss_free(crr);
	/* Across documents, to a missing annotation, without a label. */
	crr = NULL;
	cr.target_id = c->id;
	CHECK_INT(gloss_relations_create(C, &cr, &crr, NULL), GLOSS_EINVALID_ARGUMENT);
	cr.target_id = 88888888;
	CHECK_INT(gloss_relations_create(C, &cr, &crr, NULL), GLOSS_ENOT_FOUND);
	cr.target_id = b->id;
	cr.label = (char *)"";
	CHECK_INT(gloss_relations_create(C, &cr, &crr, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(crr);

	Gloss__V1__ListRelationsRequest lr = GLOSS__V1__LIST_RELATIONS_REQUEST__INIT;
	Gloss__V1__ListRelationsResponse *lrr = NULL;
	lr.document_id = d1;
	CHECK_INT(gloss_relations_list(C, &lr, &lrr, NULL), 0);
	if (lrr)
		CHECK_INT(lrr->n_relations, 1);
	gloss_free(lrr);

	Gloss__V1__DeleteRelationRequest dr = GLOSS__V1__DELETE_RELATION_REQUEST__INIT;
	Gloss__V1__DeleteRelationResponse *drr = NULL;
	dr.id = rel;
	CHECK_INT(gloss_relations_delete(C, &dr, &drr, NULL), 0);
	gloss_free(drr);
	drr = NULL;
	CHECK_INT(gloss_relations_delete(C, &dr, &drr, NULL), GLOSS_ENOT_FOUND);
	gloss_free(drr);
	lrr = NULL;
	CHECK_INT(gloss_relations_list(C, &lr, &lrr, NULL), 0);
	if (lrr)
		CHECK_INT(lrr->n_relations, 0);
	gloss_free(lrr);
	lrr = NULL;
	lr.include_deleted = 1;
	CHECK_INT(gloss_relations_list(C, &lr, &lrr, NULL), 0);
	if (lrr && lrr->n_relations == 1)
		CHECK_INT(lrr->relations[0]->deleted, 1);
	else
		CHECK(!"deleted relation not kept");
	gloss_free(lrr);
	gloss_free(a), gloss_free(b), gloss_free(c);
	ALIVE();
}

/* ---- projects ----------------------------------------------------------- */

GL_TEST(projects)
{
	Gloss__V1__LabelDef lab[2] = { GLOSS__V1__LABEL_DEF__INIT, GLOSS__V1__LABEL_DEF__INIT };
	Gloss__V1__LabelDef *plab[2] = { &lab[0], &lab[1] };
	lab[0].name = (char *)"STATE";
	lab[0].color = (char *)"#ff0000";
	lab[1].name = (char *)"ORG";
	lab[1].color = (char *)"#00ff00";
	Gloss__V1__LayerDef layer = GLOSS__V1__LAYER_DEF__INIT;
	Gloss__V1__LayerDef *players = &layer;
	layer.name = (char *)"actor";
	layer.n_labels = 2;
	layer.labels = plab;
	Gloss__V1__LabelSchema schema = GLOSS__V1__LABEL_SCHEMA__INIT;
	schema.n_layers = 1;
	schema.layers = &players;
	Gloss__V1__CreateProjectRequest req = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	req.name = (char *)"coding-2024";
	req.mode = (char *)"independent";
	req.schema = &schema;
	Gloss__V1__CreateProjectResponse *resp = NULL;
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), 0);
	if (resp) {
		CHECK_STR(resp->project->mode, "independent");
		CHECK(resp->project->id > 0);
	}
	gloss_free(resp);
	resp = NULL;
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), GLOSS_EALREADY_EXISTS);
	req.name = (char *)"bad name!";
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	req.name = (char *)"";
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	req.name = (char *)"odd-mode";
	req.mode = (char *)"anarchic";
	CHECK_INT(gloss_projects_create(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);

	Gloss__V1__GetProjectRequest g = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	Gloss__V1__GetProjectResponse *gr = NULL;
	g.name = (char *)"coding-2024";
	CHECK_INT(gloss_projects_get(C, &g, &gr, NULL), 0);
	if (gr && gr->project->schema && gr->project->schema->n_layers == 1) {
		Gloss__V1__LayerDef *l = gr->project->schema->layers[0];
		CHECK_STR(l->name, "actor");
		CHECK_INT(l->n_labels, 2);
		if (l->n_labels == 2) {
			CHECK_STR(l->labels[1]->name, "ORG");
			CHECK_STR(l->labels[1]->color, "#00ff00");
		}
	} else {
		CHECK(!"schema did not round-trip");
	}
	gloss_free(gr);
	gr = NULL;
	g.name = (char *)"no-such-project";
	CHECK_INT(gloss_projects_get(C, &g, &gr, NULL), GLOSS_ENOT_FOUND);
	gloss_free(gr);

	Gloss__V1__ListProjectsRequest lreq = GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *lr = NULL;
	CHECK_INT(gloss_projects_list(C, &lreq, &lr, NULL), 0);
	int found = 0;
	for (size_t i = 0; lr && i < lr->n_projects; i++)
		found += strcmp(lr->projects[i]->name, "coding-2024") == 0;
	CHECK_INT(found, 1);
	gloss_free(lr);

	/* Update replaces the schema. */
	Gloss__V1__UpdateProjectRequest u = GLOSS__V1__UPDATE_PROJECT_REQUEST__INIT;
	Gloss__V1__UpdateProjectResponse *ur = NULL;
	layer.n_labels = 1;
	u.name = (char *)"coding-2024";
	u.schema = &schema;
	CHECK_INT(gloss_projects_update(C, &u, &ur, NULL), 0);
	if (ur && ur->project->schema && ur->project->schema->n_layers == 1)
		CHECK_INT(ur->project->schema->layers[0]->n_labels, 1);
	else
		CHECK(!"update did not return the schema");
	gloss_free(ur);

	/* Bad updates are refused and change nothing. */
	Gloss__V1__LayerDef *twice[2] = { &layer, &layer };
	Gloss__V1__LabelSchema dup = GLOSS__V1__LABEL_SCHEMA__INIT;
	dup.layers = twice;
	dup.n_layers = 2;
	u.schema = &dup;
	ur = NULL;
	CHECK_INT(gloss_projects_update(C, &u, &ur, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(ur);
	char *nope[1] = { (char *)"no-such-plugin" };
	u.schema = &schema;
	u.set_auto_plugins = 1;
	u.auto_plugins = nope;
	u.n_auto_plugins = 1;
	ur = NULL;
	CHECK_INT(gloss_projects_update(C, &u, &ur, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(ur);
	u.name = (char *)"no-such-project";
	u.set_auto_plugins = 0;
	ur = NULL;
	CHECK_INT(gloss_projects_update(C, &u, &ur, NULL), GLOSS_ENOT_FOUND);
	gloss_free(ur);
	g.name = (char *)"coding-2024";
	gr = NULL;
	CHECK_INT(gloss_projects_get(C, &g, &gr, NULL), 0);
	if (gr && gr->project->schema && gr->project->schema->n_layers == 1) {
		CHECK_INT(gr->project->schema->layers[0]->n_labels, 1);
		CHECK_INT(gr->project->n_auto_plugins, 0);
	} else {
		CHECK(!"the schema changed after refused updates");
	}
	gloss_free(gr);
	ALIVE();
}

/* ---- documents ---------------------------------------------------------- */

GL_TEST(invalid_utf8_import)
{
	CHECK_INT(make_project("utf8"), 0);
	static const char *const bad[] = {
		"bad \xc3\x28 byte",          /* broken 2-byte sequence */
		"overlong \xc0\xaf slash",    /* overlong */
		"surrogate \xed\xa0\x80 half", /* UTF-16 surrogate */
		"cut \xe2\x82",               /* truncated at the end */
		"high \xf5\x80\x80\x80",      /* beyond U+10FFFF */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *texts[3] = { "A fine first document.", bad[i],
			"A fine third document." };
		const char *titles[3] = { "fine-1", "broken-doc", "fine-3" };
		gloss_status st = GLOSS_STATUS_INIT;
		CHECK_INT(import_docs(C, "utf8", 3, texts, titles, NULL, &st),
		    GLOSS_EINVALID_ARGUMENT);
		CHECK(st.message && strstr(st.message, "broken-doc") != NULL);
		CHECK_STR(gloss_status_detail(&st, "document_index"), "1");
		gloss_status_clear(&st);
	}
	/* All or nothing: the good documents of those batches are not there. */
	CHECK_INT(count_docs("utf8"), 0);
	/* An empty text is refused too. */
	const char *empty[1] = { "" };
	CHECK_INT(import_docs(C, "utf8", 1, empty, NULL, NULL, NULL), GLOSS_EINVALID_ARGUMENT);
	/* An unknown project. */
	const char *one[1] = { "text" };
	CHECK_INT(import_docs(C, "nope-project", 1, one, NULL, NULL, NULL), GLOSS_ENOT_FOUND);
	CHECK_INT(count_docs("utf8"), 0);
	ALIVE();
}

GL_TEST(duplicate_import)
{
	CHECK_INT(make_project("dups"), 0);
	const char *a[1] = { "The summit in Doha ended without a deal." };
	Gloss__V1__ImportResponse *r = NULL;
	CHECK_INT(import_docs(C, "dups", 1, a, NULL, &r, NULL), 0);
	int64_t first = r ? r->results[0]->id : -1;
	char sha[65] = "";
	if (r)
		snprintf(sha, sizeof(sha), "%s", r->results[0]->sha256);
	gloss_free(r);
	r = NULL;
	const char *b[2] = { "The summit in Doha ended without a deal.",
		"A second, different article." };
	CHECK_INT(import_docs(C, "dups", 2, b, NULL, &r, NULL), 0);
	if (r) {
		CHECK_INT(r->n_results, 2);
		CHECK_INT(r->results[0]->duplicate, 1);
		CHECK_INT(r->results[0]->id, first);
		CHECK_STR(r->results[0]->sha256, sha);
		CHECK_INT(r->results[1]->duplicate, 0);
		CHECK(r->results[1]->id != first);
		CHECK_INT(r->imported, 1);
		CHECK_INT(r->duplicates, 1);
	}
	gloss_free(r);
	r = NULL;
	/* Same text twice in one batch: the second is a duplicate of the first. */
	const char *c[2] = { "Twins in one batch.", "Twins in one batch." };
	CHECK_INT(import_docs(C, "dups", 2, c, NULL, &r, NULL), 0);
	if (r) {
		CHECK_INT(r->results[1]->duplicate, 1);
		CHECK_INT(r->results[1]->id, r->results[0]->id);
	}
	gloss_free(r);
	CHECK_INT(count_docs("dups"), 3);
	/* Another project does not see the first project's documents. */
	CHECK_INT(make_project("dups-other"), 0);
	r = NULL;
	CHECK_INT(import_docs(C, "dups-other", 1, a, NULL, &r, NULL), 0);
	if (r) {
		CHECK_INT(r->results[0]->duplicate, 0);
		CHECK(r->results[0]->id != first);
	}
	gloss_free(r);
	ALIVE();
}

GL_TEST(nfc_and_line_ends)
{
	CHECK_INT(make_project("nfc"), 0);
	/* "Cafe" + COMBINING ACUTE, CRLF line ends. */
	const char *in[1] = { "Cafe\xcc\x81 talks\r\nsecond line\r\nthird" };
	Gloss__V1__ImportResponse *r = NULL;
	CHECK_INT(import_docs(C, "nfc", 1, in, NULL, &r, NULL), 0);
	int64_t id = r ? r->results[0]->id : 0;
	gloss_free(r);
	Gloss__V1__GetDocumentRequest g = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *gr = NULL;
	g.id = id;
	CHECK_INT(gloss_documents_get(C, &g, &gr, NULL), 0);
	if (gr) {
		CHECK_STR(gr->document->text, "Caf\xc3\xa9 talks\nsecond line\nthird");
		CHECK_INT(gr->document->length, 28);
		CHECK_STR(gr->document->project, "nfc");
		CHECK_INT(strlen(gr->document->sha256), 64);
	}
	gloss_free(gr);
	/* Offsets count the composed character once. */
	int rc;
	Gloss__V1__Annotation *a = create_ann(id, 0, 4, "X", "Caf\xc3\xa9", &rc, NULL);
	CHECK_INT(rc, 0);
	gloss_free(a);
	a = create_ann(id, 11, 22, "X", "second line", &rc, NULL);
	CHECK_INT(rc, 0);
	gloss_free(a);
	/* The composed form with LF is the same text: a duplicate. */
	const char *same[1] = { "Caf\xc3\xa9 talks\nsecond line\nthird" };
	r = NULL;
	CHECK_INT(import_docs(C, "nfc", 1, same, NULL, &r, NULL), 0);
	if (r) {
		CHECK_INT(r->results[0]->duplicate, 1);
		CHECK_INT(r->results[0]->id, id);
	}
	gloss_free(r);
	/* Get of an unknown id. */
	gr = NULL;
	g.id = 77777777;
	CHECK_INT(gloss_documents_get(C, &g, &gr, NULL), GLOSS_ENOT_FOUND);
	gloss_free(gr);
	ALIVE();
}

GL_TEST(document_fields)
{
	CHECK_INT(make_project("fields"), 0);
	Gloss__V1__DocumentInput in = GLOSS__V1__DOCUMENT_INPUT__INIT;
	Gloss__V1__DocumentInput *pin = &in;
	in.title = (char *)"Talks resume";
	in.source = (char *)"Example Wire";
	in.url = (char *)"https://example.org/a/1";
	in.published = (char *)"2024-02-19T10:00:00Z";
	in.text = (char *)"Talks resumed in Doha on Monday.";
	in.metadata = (char *)"{\"section\":\"world\"}";
	in.lang = (char *)"en";
	Gloss__V1__ImportRequest req = GLOSS__V1__IMPORT_REQUEST__INIT;
	req.project = (char *)"fields";
	req.n_documents = 1;
	req.documents = &pin;
	Gloss__V1__ImportResponse *r = NULL;
	CHECK_INT(gloss_documents_import(C, &req, &r, NULL), 0);
	int64_t id = r ? r->results[0]->id : 0;
	gloss_free(r);
	Gloss__V1__GetDocumentRequest g = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	Gloss__V1__GetDocumentResponse *gr = NULL;
	g.id = id;
	CHECK_INT(gloss_documents_get(C, &g, &gr, NULL), 0);
	if (gr) {
		CHECK_STR(gr->document->title, "Talks resume");
		CHECK_STR(gr->document->source, "Example Wire");
		CHECK_STR(gr->document->url, "https://example.org/a/1");
		CHECK_STR(gr->document->published, "2024-02-19");
		CHECK(strstr(gr->document->metadata, "world") != NULL);
	}
	gloss_free(gr);
	/* A bad date and metadata that is not an object are refused. */
	r = NULL;
	in.text = (char *)"Another text.";
	in.published = (char *)"19.02.2024";
	CHECK_INT(gloss_documents_import(C, &req, &r, NULL), GLOSS_EINVALID_ARGUMENT);
	in.published = (char *)"";
	in.metadata = (char *)"[\"not\",\"an\",\"object\"]";
	CHECK_INT(gloss_documents_import(C, &req, &r, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(r);
	CHECK_INT(count_docs("fields"), 1);
	ALIVE();
}

GL_TEST(search)
{
	CHECK_INT(make_project("search"), 0);
	const char *texts[4] = {
		"Taliban fighters entered Kabul in August.",
		"Pakistan and the United States discussed trade and security.",
		"The Taliban met Pakistani envoys in Doha; the Taliban spokesman "
		    "said talks were useful.",
		"Weather: rain in Geneva.",
	};
	const char *titles[4] = { "kabul", "trade", "doha", "weather" };
	Gloss__V1__ImportResponse *r = NULL;
	CHECK_INT(import_docs(C, "search", 4, texts, titles, &r, NULL), 0);
	int64_t ids[4] = { 0 };
	for (int i = 0; r && i < 4; i++)
		ids[i] = r->results[i]->id;
	gloss_free(r);

	Gloss__V1__SearchRequest s = GLOSS__V1__SEARCH_REQUEST__INIT;
	Gloss__V1__SearchResponse *sr = NULL;
	s.project = (char *)"search";
	s.query = (char *)"taliban";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), 0);
	if (sr && sr->n_hits == 2) {
		/* Ranked: the document saying it twice comes first. */
		CHECK_INT(sr->hits[0]->id, ids[2]);
		CHECK_INT(sr->hits[1]->id, ids[0]);
		CHECK(sr->hits[0]->rank <= sr->hits[1]->rank);
		CHECK(strstr(sr->hits[0]->snippet, "[Taliban]") != NULL);
		CHECK(strstr(sr->hits[1]->snippet, "[Taliban]") != NULL);
		CHECK_STR(sr->hits[0]->title, "doha");
	} else {
		CHECK(!"search for taliban did not give 2 hits");
	}
	gloss_free(sr);
	sr = NULL;
	/* Title is searched too; phrase queries work. */
	s.query = (char *)"weather";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), 0);
	if (sr)
		CHECK(sr->n_hits == 1 && sr->hits[0]->id == ids[3]);
	gloss_free(sr);
	sr = NULL;
	s.query = (char *)"\"United States\"";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), 0);
	if (sr)
		CHECK(sr->n_hits == 1 && sr->hits[0]->id == ids[1]);
	gloss_free(sr);
	sr = NULL;
	/* Another project does not find them. */
	CHECK_INT(make_project("search-empty"), 0);
	s.project = (char *)"search-empty";
	s.query = (char *)"taliban";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), 0);
	if (sr)
		CHECK_INT(sr->n_hits, 0);
	gloss_free(sr);
	sr = NULL;
	/* Bad queries. */
	s.project = (char *)"search";
	s.query = (char *)"";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), GLOSS_EINVALID_ARGUMENT);
	s.query = (char *)"\"unterminated";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), GLOSS_EINVALID_ARGUMENT);
	s.query = (char *)"AND OR (";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(sr);
	sr = NULL;
	/* A deleted document drops out of search. */
	Gloss__V1__DeleteDocumentRequest dr = GLOSS__V1__DELETE_DOCUMENT_REQUEST__INIT;
	Gloss__V1__DeleteDocumentResponse *drr = NULL;
	dr.id = ids[0];
	CHECK_INT(gloss_documents_delete(C, &dr, &drr, NULL), 0);
	gloss_free(drr);
	s.query = (char *)"taliban";
	CHECK_INT(gloss_documents_search(C, &s, &sr, NULL), 0);
	if (sr)
		CHECK(sr->n_hits == 1 && sr->hits[0]->id == ids[2]);
	gloss_free(sr);
	ALIVE();
}

GL_TEST(list_paging)
{
	CHECK_INT(make_project("paging"), 0);
	enum { N = 250 };
	char *texts[N];
	for (int i = 0; i < N; i++) {
		texts[i] = malloc(64);
		snprintf(texts[i], 64, "Paging document %d about talks.", i);
	}
	Gloss__V1__ImportResponse *r = NULL;
	CHECK_INT(import_docs(C, "paging", N, (const char *const *)texts, NULL, &r, NULL), 0);
	if (r)
		CHECK_INT(r->imported, N);
	gloss_free(r);
	for (int i = 0; i < N; i++)
		free(texts[i]);

	char cursor[64] = "";
	size_t pages[4] = { 0 };
	int npages = 0;
	int64_t prev = 0, seen = 0;
	int ordered = 1, texts_empty = 1;
	do {
		Gloss__V1__ListDocumentsRequest req = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
		Gloss__V1__ListDocumentsResponse *resp = NULL;
		req.project = (char *)"paging";
		req.page_size = 100;
		req.cursor = cursor;
		if (gloss_documents_list(C, &req, &resp, NULL) != 0) {
			CHECK(!"list failed");
			break;
		}
		if (npages < 4)
			pages[npages] = resp->n_documents;
		npages++;
		for (size_t i = 0; i < resp->n_documents; i++) {
			if (resp->documents[i]->id <= prev)
				ordered = 0;
			prev = resp->documents[i]->id;
			if (resp->documents[i]->text && resp->documents[i]->text[0])
				texts_empty = 0;
			seen++;
		}
		snprintf(cursor, sizeof(cursor), "%s", resp->next_cursor);
		gloss_free(resp);
	} while (cursor[0] != '\0' && npages < 10);
	CHECK_INT(npages, 3);
	CHECK_INT(pages[0], 100);
	CHECK_INT(pages[1], 100);
	CHECK_INT(pages[2], 50);
	CHECK_INT(seen, N);
	CHECK(ordered);
	CHECK(texts_empty);
	/* Default page size, and a cursor this server never handed out. */
	Gloss__V1__ListDocumentsRequest req = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
	Gloss__V1__ListDocumentsResponse *resp = NULL;
	req.project = (char *)"paging";
	CHECK_INT(gloss_documents_list(C, &req, &resp, NULL), 0);
	if (resp) {
		CHECK_INT(resp->n_documents, 100);
		CHECK(resp->next_cursor[0] != '\0');
	}
	gloss_free(resp);
	resp = NULL;
	req.cursor = (char *)"not-a-cursor";
	CHECK_INT(gloss_documents_list(C, &req, &resp, NULL), GLOSS_EINVALID_ARGUMENT);
	gloss_free(resp);
	resp = NULL;
	req.cursor = (char *)"";
	req.project = (char *)"no-such";
	CHECK_INT(gloss_documents_list(C, &req, &resp, NULL), GLOSS_ENOT_FOUND);
	gloss_free(resp);
	ALIVE();
}

GL_TEST(soft_delete)
{
	CHECK_INT(make_project("deletes"), 0);
	int64_t keep = gl_dh_import_one(C, "deletes", "keep", "Kept article text.");
	int64_t gone = gl_dh_import_one(C, "deletes", "gone", "Deleted article text.");
	int rc;
	Gloss__V1__Annotation *a = create_ann(gone, 0, 7, "X", "Deleted", &rc, NULL);
	CHECK_INT(rc, 0);
	uint64_t seq0 = last_seq();
	Gloss__V1__DeleteDocumentRequest dr = GLOSS__V1__DELETE_DOCUMENT_REQUEST__INIT;
	Gloss__V1__DeleteDocumentResponse *drr = NULL;
	dr.id = gone;
	CHECK_INT(gloss_documents_delete(C, &dr, &drr, NULL), 0);
	gloss_free(drr);
	drr = NULL;
	CHECK_INT(last_seq(), seq0 + 1);
	CHECK_INT(gloss_documents_delete(C, &dr, &drr, NULL), GLOSS_ENOT_FOUND);
	gloss_free(drr);
	CHECK(get_text(gone) == NULL);
	char *t = get_text(keep);
	CHECK(t && strcmp(t, "Kept article text.") == 0);
	free(t);
	CHECK_INT(count_docs("deletes"), 1);
	/* The event log keeps the deletion. */
	Gloss__V1__WatchRequest w = GLOSS__V1__WATCH_REQUEST__INIT;
	Gloss__V1__WatchResponse *wr = NULL;
	w.since_seq = (int64_t)seq0;
	w.project = (char *)"deletes";
	CHECK_INT(gloss_events_watch(C, &w, &wr, NULL), 0);
	if (wr && wr->n_events == 1) {
		CHECK_STR(wr->events[0]->kind, "document.deleted");
		CHECK_INT(wr->events[0]->object_id, gone);
	} else {
		CHECK(!"no document.deleted event");
	}
	gloss_free(wr);
	/* The text of a deleted document is no duplicate: it comes back anew. */
	const char *again[1] = { "Deleted article text." };
	Gloss__V1__ImportResponse *ir = NULL;
	CHECK_INT(import_docs(C, "deletes", 1, again, NULL, &ir, NULL), 0);
	if (ir) {
		CHECK_INT(ir->results[0]->duplicate, 0);
		CHECK(ir->results[0]->id != gone);
	}
	gloss_free(ir);
	CHECK_INT(count_docs("deletes"), 2);
	gloss_free(a);
	ALIVE();
}

/*
 * A local process that connects to the ipc:// socket and hangs up before
 * the SP handshake (a probe, a crashed client) must not take the ipc
 * listener down for good.  nng 1.5.2 has exactly that bug (nanomsg/nng#1518,
 * fixed upstream by PR #1519); glossd works around it.
 */
GL_TEST(ipc_half_open_connection)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%.100s", D.ipc_url + strlen("ipc://"));
	for (int i = 0; i < 3; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		CHECK(fd >= 0);
		CHECK_INT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		if (i == 1 && write(fd, "\0SP", 3) != 3) /* a partial header */
			CHECK(!"write failed");
		close(fd);
	}
	/*
	 * glossd probes its ipc listeners twice a second and starts a dead one
	 * again (daemon/ipcwatch.c), so service comes back within seconds.
	 */
	int serving = 0;
	int64_t until = gl_dh_now_ms() + 10000; /* probes may take 3 s each */
	while (!serving && gl_dh_now_ms() < until) {
		usleep(100 * 1000);
		serving = gl_dh_serving(&D);
	}
	CHECK(serving);
	/* TCP is not affected either way. */
	gloss_client *c = NULL;
	CHECK_INT(gloss_connect(D.tcp_url, GL_DH_TOKEN, &c), 0);
	Gloss__V1__HealthCheckRequest req = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *resp = NULL;
	CHECK_INT(gloss_health_check(c, &req, &resp, NULL), 0);
	gloss_free(resp);
	gloss_close(c);
}

GL_TEST(sigterm_exits_zero)
{
	int ms = 0;
	int ec = gl_dh_term(&D, 5000, &ms);
	CHECK_INT(ec, 0);
	CHECK(ms < 5000);
	if (ec != 0)
		gl_dh_dump_log(&D);
}

int
main(void)
{
	static const gl_test_case cases[] = {
		GL_TEST_ENTRY(health_needs_no_token),
		GL_TEST_ENTRY(tcp_listener_serves_too),
		GL_TEST_ENTRY(unknown_method),
		GL_TEST_ENTRY(garbage_envelope),
		GL_TEST_ENTRY(garbage_payload),
		GL_TEST_ENTRY(oversized_message),
		GL_TEST_ENTRY(tokens),
		GL_TEST_ENTRY(deadline_exceeded_applies_nothing),
		GL_TEST_ENTRY(idempotent_replay),
		GL_TEST_ENTRY(bad_offsets),
		GL_TEST_ENTRY(quote_mismatch),
		GL_TEST_ENTRY(stale_version),
		GL_TEST_ENTRY(annotation_filters),
		GL_TEST_ENTRY(relations),
		GL_TEST_ENTRY(projects),
		GL_TEST_ENTRY(invalid_utf8_import),
		GL_TEST_ENTRY(duplicate_import),
		GL_TEST_ENTRY(nfc_and_line_ends),
		GL_TEST_ENTRY(document_fields),
		GL_TEST_ENTRY(search),
		GL_TEST_ENTRY(list_paging),
		GL_TEST_ENTRY(soft_delete),
		GL_TEST_ENTRY(ipc_half_open_connection),
		GL_TEST_ENTRY(sigterm_exits_zero),
	};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (gl_dh_init(&D, "rpc", 1) != 0 || gl_dh_start(&D) != 0) {
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	C = gl_dh_client(&D, NULL, 0);
	int rc = gl_test_run(cases, sizeof(cases) / sizeof(cases[0]));
	gloss_close(C);
	if (rc != 0 && getenv("GLOSS_TEST_VERBOSE"))
		gl_dh_dump_log(&D);
	gl_dh_cleanup(&D);
	return rc;
}
