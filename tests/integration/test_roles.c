/*
 * test_roles.c - the role matrix of issue 7 against the real glossd: every
 * method of every gloss.v1 service, called by a non-member, a viewer, an
 * annotator, a curator and a manager of one project and by an admin who is
 * not a member.  The expectations come from tests/data/roles.tsv, the same
 * table as docs/roles.md (test_roles_doc.sh keeps the two equal).  An
 * allowed call must succeed (each request is a valid one); a refused call
 * must be PERMISSION_DENIED and change nothing: the event log, users and
 * tokens, projects, members, documents, annotations, relations and presence
 * read the same before and after it.  Also: a revoked token is
 * UNAUTHENTICATED on the next call, and the finer edit rules (gold, other
 * people's work, independent projects).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "gloss/v1/agreement.pb-c.h"
#include "gloss/v1/curation.pb-c.h"
#include "gloss/v1/sessions.pb-c.h"
#include "gloss/v1/users.pb-c.h"
#include "tests/integration/daemon_harness.h"
#include "tests/unit/gl_test.h"

static gl_dh D;
static gloss_client *ADM; /* the harness admin: global admin, not a member */

#define PROJECT "roles"
#define DOC_TEXT "Kabul and Islamabad traded accusations while Washington urged calm."

enum { R_NONE, R_VIEWER, R_ANNOTATOR, R_CURATOR, R_MANAGER, R_ADMIN, NROLES };
static const char *const role_names[NROLES] = {
	"none", "viewer", "annotator", "curator", "manager", "admin",
};
static gloss_client *RC[NROLES]; /* one client per role */

/* Fixtures made once, by the admin. */
static int64_t DOC;        /* the main document of PROJECT */
static int64_t ANN1, ANN2; /* two accepted annotations on it */
static int64_t JOB;        /* a finished analysis job */

/* ---- the services of proto/gloss/v1 ----------------------------------- */

static const ProtobufCServiceDescriptor *const services[] = {
	&gloss__v1__health__descriptor,
	&gloss__v1__projects__descriptor,
	&gloss__v1__documents__descriptor,
	&gloss__v1__annotations__descriptor,
	&gloss__v1__relations__descriptor,
	&gloss__v1__suggestions__descriptor,
	&gloss__v1__events__descriptor,
	&gloss__v1__analyzers__descriptor,
	&gloss__v1__agreement__descriptor,
	&gloss__v1__curation__descriptor,
	&gloss__v1__sessions__descriptor,
	&gloss__v1__users__descriptor,
	&gloss__v1__tokens__descriptor,
	&gloss__v1__members__descriptor,
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* "Documents/Import" -> its method descriptor, or NULL. */
static const ProtobufCMethodDescriptor *
method_desc(const char *short_name)
{
	for (size_t i = 0; i < NSERVICES; i++) {
		size_t n = strlen(services[i]->short_name);
		if (strncmp(short_name, services[i]->short_name, n) != 0 ||
		    short_name[n] != '/')
			continue;
		for (unsigned k = 0; k < services[i]->n_methods; k++)
			if (strcmp(services[i]->methods[k].name, short_name + n + 1) == 0)
				return &services[i]->methods[k];
	}
	return NULL;
}

/*
 * Calls "Service/Method" with req; the answer goes to *resp when resp is
 * not NULL (caller frees), else it is freed.  Returns 0 or -code.
 */
static int
call(gloss_client *c, const char *m, const ProtobufCMessage *req,
    ProtobufCMessage **resp, gloss_status *st)
{
	const ProtobufCMethodDescriptor *md = method_desc(m);
	if (md == NULL) {
		fprintf(stderr, "no method %s in the service descriptors\n", m);
		return -GLOSS_INTERNAL;
	}
	char path[128];
	snprintf(path, sizeof(path), "/gloss.v1.%s", m);
	ProtobufCMessage *r = NULL;
	int rc = gloss_call(c, path, req, md->output, &r, st);
	if (resp != NULL)
		*resp = r;
	else
		gloss_free(r);
	return rc;
}

/* ---- admin helpers (fixtures) ------------------------------------------ */

/* Creates user name with a global role; its token into tok (>= 65 bytes). */
static int
adm_user(const char *name, const char *role, char *tok)
{
	Gloss__V1__CreateUserRequest req = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	req.name = (char *)name;
	req.role = (char *)role;
	Gloss__V1__CreateUserResponse *r;
	int rc = call(ADM, "Users/Create", &req.base, (ProtobufCMessage **)&r, NULL);
	if (rc != 0) {
		fprintf(stderr, "create user %s: %s\n", name, gloss_last_error());
		return rc;
	}
	if (tok)
		snprintf(tok, 128, "%s", r->token);
	gloss_free(r);
	return 0;
}

static int
member_add(gloss_client *c, const char *project, const char *user, const char *role)
{
	Gloss__V1__AddMemberRequest req = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	req.project = (char *)project;
	req.user = (char *)user;
	req.role = (char *)(role ? role : "");
	int rc = call(c, "Members/Add", &req.base, NULL, NULL);
	if (rc != 0)
		fprintf(stderr, "add member %s: %s\n", user, gloss_last_error());
	return rc;
}

/* An annotation on doc by c; its id, or a negative code. */
static int64_t
ann_create(gloss_client *c, int64_t doc, const char *label, int64_t start,
    int64_t end, const char *status, gloss_status *st)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.document_id = doc;
	in.layer = (char *)"actor";
	in.label = (char *)label;
	in.start = start;
	in.end = end;
	in.status = (char *)(status ? status : "");
	Gloss__V1__CreateAnnotationsRequest req = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
	req.n_annotations = 1;
	req.annotations = &pin;
	Gloss__V1__CreateAnnotationsResponse *r;
	int rc = call(c, "Annotations/Create", &req.base, (ProtobufCMessage **)&r, st);
	if (rc != 0)
		return rc;
	int64_t id = r->n_annotations == 1 ? r->annotations[0]->id : -1;
	gloss_free(r);
	return id;
}

static int64_t
rel_create(gloss_client *c, int64_t a, int64_t b)
{
	Gloss__V1__CreateRelationRequest req = GLOSS__V1__CREATE_RELATION_REQUEST__INIT;
	req.source_id = a;
	req.target_id = b;
	req.label = (char *)"stance";
	Gloss__V1__CreateRelationResponse *r;
	int rc = call(c, "Relations/Create", &req.base, (ProtobufCMessage **)&r, NULL);
	if (rc != 0)
		return rc;
	int64_t id = r->relation ? r->relation->id : -1;
	gloss_free(r);
	return id;
}

/* Waits up to 30 s for job id to finish; 0 when done. */
static int
job_wait(int64_t id)
{
	for (int i = 0; i < 600; i++) {
		Gloss__V1__GetJobRequest req = GLOSS__V1__GET_JOB_REQUEST__INIT;
		req.id = id;
		Gloss__V1__GetJobResponse *r;
		if (call(ADM, "Analyzers/Job", &req.base, (ProtobufCMessage **)&r, NULL) != 0)
			return -1;
		int done = r->job && (strcmp(r->job->state, "done") == 0 ||
		                      strcmp(r->job->state, "failed") == 0);
		gloss_free(r);
		if (done)
			return 0;
		usleep(50 * 1000);
	}
	return -1;
}

/* ---- the snapshot: what a refused call must leave as it was ---------- */

/*
 * Everything the admin can read that a call in the matrix could change,
 * as one string (caller frees).  Reads do not append events, so two
 * snapshots around a refused call must be equal.
 */
static char *
snapshot(void)
{
	gl_buf b = GL_BUF_INIT;
	Gloss__V1__HealthCheckRequest hq = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	Gloss__V1__HealthCheckResponse *h;
	if (call(ADM, "Health/Check", &hq.base, (ProtobufCMessage **)&h, NULL) == 0)
		gl_buf_printf(&b, "seq=%llu\n", (unsigned long long)h->last_seq);
	gloss_free(h);

	Gloss__V1__ListUsersRequest uq = GLOSS__V1__LIST_USERS_REQUEST__INIT;
	Gloss__V1__ListUsersResponse *u;
	if (call(ADM, "Users/List", &uq.base, (ProtobufCMessage **)&u, NULL) == 0)
		for (size_t i = 0; i < u->n_users; i++)
			gl_buf_printf(&b, "user %s %s %lld\n", u->users[i]->name,
			    u->users[i]->role, (long long)u->users[i]->tokens);
	gloss_free(u);

	Gloss__V1__ListProjectsRequest pq = GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *p;
	if (call(ADM, "Projects/List", &pq.base, (ProtobufCMessage **)&p, NULL) == 0)
		for (size_t i = 0; i < p->n_projects; i++) {
			const Gloss__V1__Project *x = p->projects[i];
			gl_buf_printf(&b, "project %s %s docs=%lld autos=%zu layers:",
			    x->name, x->mode, (long long)x->document_count,
			    x->n_auto_plugins);
			for (size_t k = 0; x->schema && k < x->schema->n_layers; k++)
				gl_buf_printf(&b, " %s", x->schema->layers[k]->name);
			gl_buf_putc(&b, '\n');
		}
	gloss_free(p);

	Gloss__V1__ListMembersRequest mq = GLOSS__V1__LIST_MEMBERS_REQUEST__INIT;
	mq.project = (char *)PROJECT;
	Gloss__V1__ListMembersResponse *m;
	if (call(ADM, "Members/List", &mq.base, (ProtobufCMessage **)&m, NULL) == 0)
		for (size_t i = 0; i < m->n_members; i++)
			gl_buf_printf(&b, "member %s %s\n", m->members[i]->user,
			    m->members[i]->role);
	gloss_free(m);

	Gloss__V1__ListDocumentsRequest dq = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
	dq.project = (char *)PROJECT;
	dq.page_size = 1000;
	Gloss__V1__ListDocumentsResponse *dl;
	if (call(ADM, "Documents/List", &dq.base, (ProtobufCMessage **)&dl, NULL) == 0)
		for (size_t i = 0; i < dl->n_documents; i++)
			gl_buf_printf(&b, "doc %lld\n", (long long)dl->documents[i]->id);
	gloss_free(dl);

	Gloss__V1__ListAnnotationsRequest aq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	aq.document_id = DOC;
	aq.include_deleted = 1;
	Gloss__V1__ListAnnotationsResponse *al;
	if (call(ADM, "Annotations/List", &aq.base, (ProtobufCMessage **)&al, NULL) == 0)
		for (size_t i = 0; i < al->n_annotations; i++) {
			const Gloss__V1__Annotation *x = al->annotations[i];
			gl_buf_printf(&b, "ann %lld v%lld %s %s %s %lld-%lld del=%d\n",
			    (long long)x->id, (long long)x->version, x->author,
			    x->status, x->label, (long long)x->start,
			    (long long)x->end, (int)x->deleted);
		}
	gloss_free(al);

	Gloss__V1__ListRelationsRequest rq = GLOSS__V1__LIST_RELATIONS_REQUEST__INIT;
	rq.document_id = DOC;
	rq.include_deleted = 1;
	Gloss__V1__ListRelationsResponse *rl;
	if (call(ADM, "Relations/List", &rq.base, (ProtobufCMessage **)&rl, NULL) == 0)
		for (size_t i = 0; i < rl->n_relations; i++)
			gl_buf_printf(&b, "rel %lld v%lld del=%d\n",
			    (long long)rl->relations[i]->id,
			    (long long)rl->relations[i]->version,
			    (int)rl->relations[i]->deleted);
	gloss_free(rl);

	Gloss__V1__ListSessionsRequest sq = GLOSS__V1__LIST_SESSIONS_REQUEST__INIT;
	sq.project = (char *)PROJECT;
	Gloss__V1__ListSessionsResponse *sl;
	if (call(ADM, "Sessions/List", &sq.base, (ProtobufCMessage **)&sl, NULL) == 0)
		for (size_t i = 0; i < sl->n_sessions; i++)
			gl_buf_printf(&b, "session %s %lld since=%lld\n",
			    sl->sessions[i]->user,
			    (long long)sl->sessions[i]->document_id,
			    (long long)sl->sessions[i]->since);
	gloss_free(sl);

	char *out = strdup(b.data ? b.data : "");
	gl_buf_free(&b);
	return out;
}

/* ---- one case per method ------------------------------------------------ */

/* What a case's prep made for its call. */
typedef struct fx {
	int role;
	int n;            /* a counter, for unique names */
	int64_t id, id2;
	char name[64];
} fx;

typedef struct mcase {
	const char *method;
	void (*prep)(fx *f);             /* may be NULL; runs as admin */
	int (*run)(gloss_client *c, fx *f, gloss_status *st);
	void (*after)(fx *f, int rc);    /* may be NULL; after an allowed call */
} mcase;

static int
run_health(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__HealthCheckRequest q = GLOSS__V1__HEALTH_CHECK_REQUEST__INIT;
	return call(c, "Health/Check", &q.base, NULL, st);
}

static int
run_proj_create(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__CreateProjectRequest q = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	snprintf(f->name, sizeof(f->name), "made-by-%s", role_names[f->role]);
	q.name = f->name;
	return call(c, "Projects/Create", &q.base, NULL, st);
}

static int
run_proj_get(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__GetProjectRequest q = GLOSS__V1__GET_PROJECT_REQUEST__INIT;
	q.name = (char *)PROJECT;
	return call(c, "Projects/Get", &q.base, NULL, st);
}

static int
run_proj_list(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__ListProjectsRequest q = GLOSS__V1__LIST_PROJECTS_REQUEST__INIT;
	Gloss__V1__ListProjectsResponse *r;
	int rc = call(c, "Projects/List", &q.base, (ProtobufCMessage **)&r, st);
	if (rc != 0)
		return rc;
	/* Only projects where the caller is a member (admins: all). */
	int seen = 0;
	for (size_t i = 0; i < r->n_projects; i++)
		seen |= strcmp(r->projects[i]->name, PROJECT) == 0;
	CHECK_INT(seen, f->role != R_NONE);
	gloss_free(r);
	return 0;
}

/* Sets a schema whose last layer is named after the caller. */
static int
run_proj_update(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__LayerDef l[3] = { GLOSS__V1__LAYER_DEF__INIT,
		GLOSS__V1__LAYER_DEF__INIT, GLOSS__V1__LAYER_DEF__INIT };
	Gloss__V1__LayerDef *pl[3] = { &l[0], &l[1], &l[2] };
	snprintf(f->name, sizeof(f->name), "layer-of-%s", role_names[f->role]);
	l[0].name = (char *)"actor";
	l[1].name = (char *)"keyword";
	l[2].name = f->name;
	Gloss__V1__LabelSchema s = GLOSS__V1__LABEL_SCHEMA__INIT;
	s.n_layers = 3;
	s.layers = pl;
	Gloss__V1__UpdateProjectRequest q = GLOSS__V1__UPDATE_PROJECT_REQUEST__INIT;
	q.name = (char *)PROJECT;
	q.schema = &s;
	return call(c, "Projects/Update", &q.base, NULL, st);
}

static int
run_doc_import(gloss_client *c, fx *f, gloss_status *st)
{
	char text[128];
	snprintf(text, sizeof(text), "A document imported by the %s in Herat.",
	    role_names[f->role]);
	Gloss__V1__DocumentInput in = GLOSS__V1__DOCUMENT_INPUT__INIT;
	Gloss__V1__DocumentInput *pin = &in;
	in.title = (char *)"imported";
	in.text = text;
	Gloss__V1__ImportRequest q = GLOSS__V1__IMPORT_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.n_documents = 1;
	q.documents = &pin;
	return call(c, "Documents/Import", &q.base, NULL, st);
}

static int
run_doc_get(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__GetDocumentRequest q = GLOSS__V1__GET_DOCUMENT_REQUEST__INIT;
	q.id = DOC;
	return call(c, "Documents/Get", &q.base, NULL, st);
}

static int
run_doc_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListDocumentsRequest q = GLOSS__V1__LIST_DOCUMENTS_REQUEST__INIT;
	q.project = (char *)PROJECT;
	return call(c, "Documents/List", &q.base, NULL, st);
}

static int
run_doc_search(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__SearchRequest q = GLOSS__V1__SEARCH_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.query = (char *)"Kabul";
	return call(c, "Documents/Search", &q.base, NULL, st);
}

static void
prep_fresh_doc(fx *f)
{
	char text[128];
	snprintf(text, sizeof(text), "Doomed document %d for the %s.", f->n,
	    role_names[f->role]);
	f->id = gl_dh_import_one(ADM, PROJECT, "doomed", text);
	CHECK(f->id > 0);
}

static int
run_doc_delete(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__DeleteDocumentRequest q = GLOSS__V1__DELETE_DOCUMENT_REQUEST__INIT;
	q.id = f->id;
	return call(c, "Documents/Delete", &q.base, NULL, st);
}

static int
run_ann_create(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	int64_t id = ann_create(c, DOC, "GOV", 0, 5, NULL, st);
	return id < 0 ? (int)id : 0;
}

static void
prep_fresh_ann(fx *f)
{
	f->id = ann_create(ADM, DOC, "X", 10, 20, NULL, NULL);
	CHECK(f->id > 0);
}

static void
prep_fresh_suggestion(fx *f)
{
	f->id = ann_create(ADM, DOC, "S", 10, 20, "suggested", NULL);
	CHECK(f->id > 0);
}

static int
run_ann_update(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__UpdateAnnotationRequest q = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	q.id = f->id;
	q.expected_version = 1;
	q.set_label = 1;
	q.label = (char *)"Y";
	return call(c, "Annotations/Update", &q.base, NULL, st);
}

static int
run_ann_delete(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__DeleteAnnotationRequest q = GLOSS__V1__DELETE_ANNOTATION_REQUEST__INIT;
	q.id = f->id;
	q.expected_version = 1;
	return call(c, "Annotations/Delete", &q.base, NULL, st);
}

static int
run_ann_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListAnnotationsRequest q = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	q.document_id = DOC;
	return call(c, "Annotations/List", &q.base, NULL, st);
}

static int
run_ann_history(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__AnnotationHistoryRequest q = GLOSS__V1__ANNOTATION_HISTORY_REQUEST__INIT;
	q.id = ANN1;
	return call(c, "Annotations/History", &q.base, NULL, st);
}

static int
run_rel_create(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__CreateRelationRequest q = GLOSS__V1__CREATE_RELATION_REQUEST__INIT;
	q.source_id = ANN1;
	q.target_id = ANN2;
	q.label = (char *)"stance";
	return call(c, "Relations/Create", &q.base, NULL, st);
}

static void
prep_fresh_rel(fx *f)
{
	f->id = rel_create(ADM, ANN1, ANN2);
	CHECK(f->id > 0);
}

static int
run_rel_delete(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__DeleteRelationRequest q = GLOSS__V1__DELETE_RELATION_REQUEST__INIT;
	q.id = f->id;
	return call(c, "Relations/Delete", &q.base, NULL, st);
}

static int
run_rel_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListRelationsRequest q = GLOSS__V1__LIST_RELATIONS_REQUEST__INIT;
	q.document_id = DOC;
	return call(c, "Relations/List", &q.base, NULL, st);
}

static int
run_sugg_accept(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__AcceptSuggestionRequest q = GLOSS__V1__ACCEPT_SUGGESTION_REQUEST__INIT;
	q.id = f->id;
	q.expected_version = 1;
	return call(c, "Suggestions/Accept", &q.base, NULL, st);
}

static int
run_sugg_reject(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__RejectSuggestionRequest q = GLOSS__V1__REJECT_SUGGESTION_REQUEST__INIT;
	q.id = f->id;
	q.expected_version = 1;
	return call(c, "Suggestions/Reject", &q.base, NULL, st);
}

static int
run_watch(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__WatchRequest q = GLOSS__V1__WATCH_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.wait_ms = 0;
	return call(c, "Events/Watch", &q.base, NULL, st);
}

static int
run_an_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListAnalyzersRequest q = GLOSS__V1__LIST_ANALYZERS_REQUEST__INIT;
	return call(c, "Analyzers/List", &q.base, NULL, st);
}

static int
run_an_run(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__RunAnalyzersRequest q = GLOSS__V1__RUN_ANALYZERS_REQUEST__INIT;
	char *plugins[1] = { (char *)"example" };
	int64_t docs[1] = { DOC };
	q.project = (char *)PROJECT;
	q.plugins = plugins;
	q.n_plugins = 1;
	q.document_ids = docs;
	q.n_document_ids = 1;
	Gloss__V1__RunAnalyzersResponse *r;
	int rc = call(c, "Analyzers/Run", &q.base, (ProtobufCMessage **)&r, st);
	if (rc == 0)
		f->id = r->job_id;
	gloss_free(r);
	return rc;
}

/* The job's own events must be over before the next snapshot. */
static void
after_an_run(fx *f, int rc)
{
	if (rc == 0)
		CHECK_INT(job_wait(f->id), 0);
}

static int
run_an_job(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__GetJobRequest q = GLOSS__V1__GET_JOB_REQUEST__INIT;
	q.id = JOB;
	return call(c, "Analyzers/Job", &q.base, NULL, st);
}

static int
run_agree(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ComputeAgreementRequest q = GLOSS__V1__COMPUTE_AGREEMENT_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.layer = (char *)"actor";
	return call(c, "Agreement/Compute", &q.base, NULL, st);
}

static int
run_cur_diff(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__DiffRequest q = GLOSS__V1__DIFF_REQUEST__INIT;
	q.document_id = DOC;
	q.layer = (char *)"actor";
	return call(c, "Curation/Diff", &q.base, NULL, st);
}

static int
run_cur_merge(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__AnnotationInput in = GLOSS__V1__ANNOTATION_INPUT__INIT;
	Gloss__V1__AnnotationInput *pin = &in;
	in.label = (char *)"GOLD";
	in.start = 30 + f->role; /* distinct spans: none is skipped */
	in.end = 31 + f->role;
	Gloss__V1__MergeRequest q = GLOSS__V1__MERGE_REQUEST__INIT;
	q.document_id = DOC;
	q.layer = (char *)"actor";
	q.n_create = 1;
	q.create = &pin;
	Gloss__V1__MergeResponse *r;
	int rc = call(c, "Curation/Merge", &q.base, (ProtobufCMessage **)&r, st);
	if (rc == 0)
		CHECK_INT(r->n_gold, 1);
	gloss_free(r);
	return rc;
}

static int
run_heartbeat(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__HeartbeatRequest q = GLOSS__V1__HEARTBEAT_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.document_id = DOC;
	return call(c, "Sessions/Heartbeat", &q.base, NULL, st);
}

static int
run_sessions(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListSessionsRequest q = GLOSS__V1__LIST_SESSIONS_REQUEST__INIT;
	q.project = (char *)PROJECT;
	return call(c, "Sessions/List", &q.base, NULL, st);
}

static int
run_user_create(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__CreateUserRequest q = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	snprintf(f->name, sizeof(f->name), "made-by-%s", role_names[f->role]);
	q.name = f->name;
	q.role = (char *)"annotator";
	return call(c, "Users/Create", &q.base, NULL, st);
}

static int
run_user_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListUsersRequest q = GLOSS__V1__LIST_USERS_REQUEST__INIT;
	return call(c, "Users/List", &q.base, NULL, st);
}

static int
run_tok_issue(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__IssueTokenRequest q = GLOSS__V1__ISSUE_TOKEN_REQUEST__INIT;
	q.user = (char *)"r-none";
	return call(c, "Tokens/Issue", &q.base, NULL, st);
}

/* A throwaway user, for the calls that use one up. */
static void
prep_user(fx *f)
{
	snprintf(f->name, sizeof(f->name), "tmp-%d-%s", f->n, role_names[f->role]);
	CHECK_INT(adm_user(f->name, "annotator", NULL), 0);
}

static void
prep_member(fx *f)
{
	prep_user(f);
	CHECK_INT(member_add(ADM, PROJECT, f->name, "viewer"), 0);
}

static int
run_tok_revoke(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__RevokeTokenRequest q = GLOSS__V1__REVOKE_TOKEN_REQUEST__INIT;
	q.user = f->name;
	return call(c, "Tokens/Revoke", &q.base, NULL, st);
}

static int
run_mem_add(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__AddMemberRequest q = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.user = f->name;
	q.role = (char *)"viewer";
	return call(c, "Members/Add", &q.base, NULL, st);
}

static int
run_mem_remove(gloss_client *c, fx *f, gloss_status *st)
{
	Gloss__V1__RemoveMemberRequest q = GLOSS__V1__REMOVE_MEMBER_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.user = f->name;
	return call(c, "Members/Remove", &q.base, NULL, st);
}

static int
run_mem_list(gloss_client *c, fx *f, gloss_status *st)
{
	(void)f;
	Gloss__V1__ListMembersRequest q = GLOSS__V1__LIST_MEMBERS_REQUEST__INIT;
	q.project = (char *)PROJECT;
	return call(c, "Members/List", &q.base, NULL, st);
}

static const mcase cases[] = {
	{ "Health/Check", NULL, run_health, NULL },
	{ "Projects/Create", NULL, run_proj_create, NULL },
	{ "Projects/Get", NULL, run_proj_get, NULL },
	{ "Projects/List", NULL, run_proj_list, NULL },
	{ "Projects/Update", NULL, run_proj_update, NULL },
	{ "Documents/Import", NULL, run_doc_import, NULL },
	{ "Documents/Get", NULL, run_doc_get, NULL },
	{ "Documents/List", NULL, run_doc_list, NULL },
	{ "Documents/Search", NULL, run_doc_search, NULL },
	{ "Documents/Delete", prep_fresh_doc, run_doc_delete, NULL },
	{ "Annotations/Create", NULL, run_ann_create, NULL },
	{ "Annotations/Update", prep_fresh_ann, run_ann_update, NULL },
	{ "Annotations/Delete", prep_fresh_ann, run_ann_delete, NULL },
	{ "Annotations/List", NULL, run_ann_list, NULL },
	{ "Annotations/History", NULL, run_ann_history, NULL },
	{ "Relations/Create", NULL, run_rel_create, NULL },
	{ "Relations/Delete", prep_fresh_rel, run_rel_delete, NULL },
	{ "Relations/List", NULL, run_rel_list, NULL },
	{ "Suggestions/Accept", prep_fresh_suggestion, run_sugg_accept, NULL },
	{ "Suggestions/Reject", prep_fresh_suggestion, run_sugg_reject, NULL },
	{ "Events/Watch", NULL, run_watch, NULL },
	{ "Analyzers/List", NULL, run_an_list, NULL },
	{ "Analyzers/Run", NULL, run_an_run, after_an_run },
	{ "Analyzers/Job", NULL, run_an_job, NULL },
	{ "Agreement/Compute", NULL, run_agree, NULL },
	{ "Curation/Diff", NULL, run_cur_diff, NULL },
	{ "Curation/Merge", NULL, run_cur_merge, NULL },
	{ "Sessions/Heartbeat", NULL, run_heartbeat, NULL },
	{ "Sessions/List", NULL, run_sessions, NULL },
	{ "Users/Create", NULL, run_user_create, NULL },
	{ "Users/List", NULL, run_user_list, NULL },
	{ "Tokens/Issue", NULL, run_tok_issue, NULL },
	{ "Tokens/Revoke", prep_user, run_tok_revoke, NULL },
	{ "Members/Add", prep_user, run_mem_add, NULL },
	{ "Members/Remove", prep_member, run_mem_remove, NULL },
	{ "Members/List", NULL, run_mem_list, NULL },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* ---- the table ----------------------------------------------------------- */

typedef struct row {
	char method[64];
	int allowed[NROLES];
} row;
static row table[64];
static size_t ntable;

/* Reads tests/data/roles.tsv ($GLOSS_ROLES_TSV); 0 or -1. */
static int
table_load(void)
{
	const char *path = getenv("GLOSS_ROLES_TSV");
	FILE *f = path ? fopen(path, "r") : NULL;
	if (f == NULL) {
		fprintf(stderr, "cannot open the role table $GLOSS_ROLES_TSV (%s)\n",
		    path ? path : "unset");
		return -1;
	}
	char line[512];
	int header = 1, bad = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (header) {
			header = 0;
			continue;
		}
		if (ntable == sizeof(table) / sizeof(table[0])) {
			bad = 1;
			break;
		}
		row *r = &table[ntable];
		char *save, *tok = strtok_r(line, "\t", &save);
		snprintf(r->method, sizeof(r->method), "%s", tok ? tok : "");
		int k = 0;
		while ((tok = strtok_r(NULL, "\t", &save)) != NULL && k < NROLES) {
			if (strcmp(tok, "yes") == 0)
				r->allowed[k] = 1;
			else if (strcmp(tok, "no") == 0)
				r->allowed[k] = 0;
			else
				bad = 1;
			k++;
		}
		if (k != NROLES || tok != NULL)
			bad = 1;
		ntable++;
	}
	fclose(f);
	if (bad)
		fprintf(stderr, "%s: a row without six yes/no cells\n", path);
	return bad || ntable == 0 ? -1 : 0;
}

static const row *
table_find(const char *method)
{
	for (size_t i = 0; i < ntable; i++)
		if (strcmp(table[i].method, method) == 0)
			return &table[i];
	return NULL;
}

/* ---- tests ------------------------------------------------------------- */

/* Every method of every service has a row and a case, and nothing more. */
GL_TEST(table_covers_every_method)
{
	CHECK(ntable > 0);
	size_t nmethods = 0;
	for (size_t i = 0; i < NSERVICES; i++)
		for (unsigned k = 0; k < services[i]->n_methods; k++) {
			char m[128];
			snprintf(m, sizeof(m), "%s/%s", services[i]->short_name,
			    services[i]->methods[k].name);
			nmethods++;
			int has_case = 0;
			for (size_t c = 0; c < NCASES; c++)
				has_case |= strcmp(cases[c].method, m) == 0;
			if (table_find(m) == NULL || !has_case) {
				fprintf(stderr, "%s: %s\n", m, table_find(m) ?
				    "no case in test_roles.c" : "no row in roles.tsv");
				CHECK(!"a method is not in the matrix");
			}
		}
	CHECK_INT(ntable, nmethods);
	CHECK_INT(NCASES, nmethods);
	for (size_t i = 0; i < ntable; i++)
		if (method_desc(table[i].method) == NULL) {
			fprintf(stderr, "roles.tsv row %s is no method\n", table[i].method);
			CHECK(!"a row of roles.tsv names no method");
		}
}

GL_TEST(matrix)
{
	int n = 0, allowed = 0, refused = 0;
	for (size_t i = 0; i < NCASES; i++) {
		const mcase *mc = &cases[i];
		const row *r = table_find(mc->method);
		if (r == NULL)
			continue; /* reported by table_covers_every_method */
		for (int role = 0; role < NROLES; role++) {
			fx f = { .role = role, .n = ++n };
			if (mc->prep)
				mc->prep(&f);
			char *before = r->allowed[role] ? NULL : snapshot();
			gloss_status st = GLOSS_STATUS_INIT;
			int rc = mc->run(RC[role], &f, &st);
			if (r->allowed[role]) {
				allowed++;
				if (rc != 0) {
					fprintf(stderr, "%s as %s: want OK, got %s: %s\n",
					    mc->method, role_names[role],
					    gloss_code_name(rc), st.message ? st.message : "");
					CHECK(!"an allowed call failed");
				}
				if (mc->after)
					mc->after(&f, rc);
			} else {
				refused++;
				char *after = snapshot();
				if (rc != GLOSS_EPERMISSION_DENIED) {
					fprintf(stderr, "%s as %s: want PERMISSION_DENIED, got %s\n",
					    mc->method, role_names[role], gloss_code_name(rc));
					CHECK(!"a refused call was not PERMISSION_DENIED");
				} else if (st.message == NULL || st.message[0] == '\0') {
					CHECK(!"PERMISSION_DENIED without a message");
				}
				if (strcmp(before, after) != 0) {
					fprintf(stderr, "%s as %s changed state:\n--- before\n%s"
					    "--- after\n%s", mc->method, role_names[role],
					    before, after);
					CHECK(!"a refused call changed something");
				}
				free(after);
			}
			free(before);
			gloss_status_clear(&st);
		}
	}
	printf("# matrix: %d calls, %d allowed, %d refused\n", n, allowed, refused);
	CHECK(refused > 0 && allowed > 0);
}

GL_TEST(no_token_only_health)
{
	gloss_client *anon = gl_dh_client(&D, "", 0);
	gloss_client *bad = gl_dh_client(&D, "not-a-real-token-at-all-0000", 0);
	CHECK(anon != NULL && bad != NULL);
	fx f = { .role = R_NONE };
	CHECK_INT(run_health(anon, &f, NULL), 0);
	CHECK_INT(run_health(bad, &f, NULL), 0);
	CHECK_INT(run_proj_list(anon, &f, NULL), GLOSS_EUNAUTHENTICATED);
	CHECK_INT(run_proj_list(bad, &f, NULL), GLOSS_EUNAUTHENTICATED);
	CHECK_INT(run_doc_get(bad, &f, NULL), GLOSS_EUNAUTHENTICATED);
	gloss_close(anon);
	gloss_close(bad);
}

GL_TEST(revoked_token_is_unauthenticated)
{
	char t1[128], t2[128];
	CHECK_INT(adm_user("revokee", "annotator", t1), 0);
	CHECK_INT(member_add(ADM, PROJECT, "revokee", NULL), 0);
	Gloss__V1__IssueTokenRequest iq = GLOSS__V1__ISSUE_TOKEN_REQUEST__INIT;
	iq.user = (char *)"revokee";
	Gloss__V1__IssueTokenResponse *ir = NULL;
	CHECK_INT(call(ADM, "Tokens/Issue", &iq.base, (ProtobufCMessage **)&ir, NULL), 0);
	if (ir == NULL)
		return;
	snprintf(t2, sizeof(t2), "%s", ir->token);
	int64_t id2 = ir->token_id;
	gloss_free(ir);
	gloss_client *a = gl_dh_client(&D, t1, 0), *b = gl_dh_client(&D, t2, 0);
	fx f = { .role = R_ANNOTATOR };
	/* Both work, and the annotator role came from the global default. */
	CHECK_INT(run_proj_get(a, &f, NULL), 0);
	CHECK_INT(run_proj_get(b, &f, NULL), 0);
	int64_t id = ann_create(a, DOC, "R", 0, 3, NULL, NULL);
	CHECK(id > 0);

	/* Revoke token 2 by id: b fails on its very next call, a goes on. */
	Gloss__V1__RevokeTokenRequest rq = GLOSS__V1__REVOKE_TOKEN_REQUEST__INIT;
	rq.user = (char *)"revokee";
	rq.token_id = id2;
	Gloss__V1__RevokeTokenResponse *rr = NULL;
	CHECK_INT(call(ADM, "Tokens/Revoke", &rq.base, (ProtobufCMessage **)&rr, NULL), 0);
	if (rr)
		CHECK_INT(rr->revoked, 1);
	gloss_free(rr);
	gloss_status st = GLOSS_STATUS_INIT;
	CHECK_INT(run_proj_get(b, &f, &st), GLOSS_EUNAUTHENTICATED);
	CHECK(st.message != NULL && st.message[0] != '\0');
	gloss_status_clear(&st);
	CHECK_INT(run_ann_create(b, &f, NULL), GLOSS_EUNAUTHENTICATED);
	CHECK_INT(run_proj_get(a, &f, NULL), 0);
	/* Revoking it again finds nothing live. */
	CHECK_INT(call(ADM, "Tokens/Revoke", &rq.base, NULL, NULL), GLOSS_ENOT_FOUND);

	/* Revoke all of the user's tokens: a is out too, and its write fails. */
	char *before = snapshot();
	rq.token_id = 0;
	CHECK_INT(call(ADM, "Tokens/Revoke", &rq.base, NULL, NULL), 0);
	char *mid = snapshot();
	CHECK_INT(run_ann_create(a, &f, NULL), GLOSS_EUNAUTHENTICATED);
	fx u = { .id = id };
	CHECK_INT(run_ann_delete(a, &u, NULL), GLOSS_EUNAUTHENTICATED);
	CHECK_INT(run_watch(a, &f, NULL), GLOSS_EUNAUTHENTICATED);
	char *after = snapshot();
	CHECK(strcmp(before, mid) != 0); /* the token count changed */
	CHECK_STR(mid, after);
	free(before);
	free(mid);
	free(after);
	gloss_close(a);
	gloss_close(b);
}

/* The finer rules inside one role: gold, others' work, independent sets. */
GL_TEST(edit_rules)
{
	gloss_client *ann = RC[R_ANNOTATOR], *cur = RC[R_CURATOR];
	gloss_status st = GLOSS_STATUS_INIT;
	/* Annotators may not write gold; curators may. */
	char *before = snapshot();
	CHECK_INT(ann_create(ann, DOC, "G", 0, 5, "gold", &st), GLOSS_EPERMISSION_DENIED);
	char *after = snapshot();
	CHECK_STR(before, after);
	free(before);
	free(after);
	/* A batch whose second annotation is refused stores neither. */
	{
		Gloss__V1__AnnotationInput in[2] = { GLOSS__V1__ANNOTATION_INPUT__INIT,
			GLOSS__V1__ANNOTATION_INPUT__INIT };
		Gloss__V1__AnnotationInput *pin[2] = { &in[0], &in[1] };
		for (int i = 0; i < 2; i++) {
			in[i].document_id = DOC;
			in[i].layer = (char *)"actor";
			in[i].label = (char *)"BATCH";
			in[i].start = 0;
			in[i].end = 5;
		}
		in[1].status = (char *)"gold";
		Gloss__V1__CreateAnnotationsRequest q = GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		q.n_annotations = 2;
		q.annotations = pin;
		before = snapshot();
		CHECK_INT(call(ann, "Annotations/Create", &q.base, NULL, NULL),
		    GLOSS_EPERMISSION_DENIED);
		after = snapshot();
		CHECK_STR(before, after);
		free(before);
		free(after);
	}
	int64_t gold = ann_create(cur, DOC, "G", 0, 5, "gold", NULL);
	CHECK(gold > 0);
	fx f = { .id = gold };
	CHECK_INT(run_ann_update(ann, &f, &st), GLOSS_EPERMISSION_DENIED);
	CHECK_INT(run_ann_delete(ann, &f, &st), GLOSS_EPERMISSION_DENIED);
	/* An annotator may not make their own work gold; a curator may. */
	int64_t mine = ann_create(ann, DOC, "A", 5, 9, NULL, NULL);
	CHECK(mine > 0);
	Gloss__V1__UpdateAnnotationRequest uq = GLOSS__V1__UPDATE_ANNOTATION_REQUEST__INIT;
	uq.id = mine;
	uq.expected_version = 1;
	uq.set_status = 1;
	uq.status = (char *)"gold";
	CHECK_INT(call(ann, "Annotations/Update", &uq.base, NULL, &st), GLOSS_EPERMISSION_DENIED);
	CHECK_INT(call(cur, "Annotations/Update", &uq.base, NULL, NULL), 0);
	gloss_status_clear(&st);

	/* Independent project: annotators neither see nor touch each other's. */
	Gloss__V1__CreateProjectRequest pq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	pq.name = (char *)"roles-indep";
	pq.mode = (char *)"independent";
	CHECK_INT(call(ADM, "Projects/Create", &pq.base, NULL, NULL), 0);
	char tok[128];
	CHECK_INT(adm_user("indep-b", "annotator", tok), 0);
	CHECK_INT(member_add(ADM, "roles-indep", "r-annot", "annotator"), 0);
	CHECK_INT(member_add(ADM, "roles-indep", "indep-b", "annotator"), 0);
	CHECK_INT(member_add(ADM, "roles-indep", "r-cur", "curator"), 0);
	gloss_client *b = gl_dh_client(&D, tok, 0);
	int64_t doc = gl_dh_import_one(ADM, "roles-indep", "d", DOC_TEXT);
	CHECK(doc > 0);
	int64_t a1 = ann_create(ann, doc, "GOV", 0, 5, NULL, NULL);
	CHECK(a1 > 0);
	fx fa = { .id = a1 };
	before = snapshot();
	CHECK_INT(run_ann_update(b, &fa, NULL), GLOSS_ENOT_FOUND);
	CHECK_INT(run_ann_delete(b, &fa, NULL), GLOSS_ENOT_FOUND);
	Gloss__V1__AnnotationHistoryRequest hq = GLOSS__V1__ANNOTATION_HISTORY_REQUEST__INIT;
	hq.id = a1;
	CHECK_INT(call(b, "Annotations/History", &hq.base, NULL, NULL), GLOSS_ENOT_FOUND);
	after = snapshot();
	CHECK_STR(before, after);
	free(before);
	free(after);
	Gloss__V1__ListAnnotationsRequest lq = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	lq.document_id = doc;
	Gloss__V1__ListAnnotationsResponse *lr = NULL;
	CHECK_INT(call(b, "Annotations/List", &lq.base, (ProtobufCMessage **)&lr, NULL), 0);
	if (lr)
		CHECK_INT(lr->n_annotations, 0);
	gloss_free(lr);
	lr = NULL;
	CHECK_INT(call(cur, "Annotations/List", &lq.base, (ProtobufCMessage **)&lr, NULL), 0);
	if (lr)
		CHECK_INT(lr->n_annotations, 1);
	gloss_free(lr);
	CHECK_INT(call(cur, "Annotations/History", &hq.base, NULL, NULL), 0);
	/* The viewer of the shared project is no one in the independent one. */
	CHECK_INT(call(RC[R_VIEWER], "Annotations/List", &lq.base, NULL, NULL),
	    GLOSS_EPERMISSION_DENIED);
	gloss_close(b);
}

/* Removing a member takes their rights away at once. */
GL_TEST(removed_member_loses_access)
{
	char tok[128];
	CHECK_INT(adm_user("leaver", "annotator", tok), 0);
	CHECK_INT(member_add(RC[R_MANAGER], PROJECT, "leaver", "curator"), 0);
	gloss_client *c = gl_dh_client(&D, tok, 0);
	fx f = { .role = R_CURATOR };
	CHECK_INT(run_cur_diff(c, &f, NULL), 0);
	Gloss__V1__RemoveMemberRequest q = GLOSS__V1__REMOVE_MEMBER_REQUEST__INIT;
	q.project = (char *)PROJECT;
	q.user = (char *)"leaver";
	CHECK_INT(call(RC[R_MANAGER], "Members/Remove", &q.base, NULL, NULL), 0);
	CHECK_INT(run_cur_diff(c, &f, NULL), GLOSS_EPERMISSION_DENIED);
	CHECK_INT(run_proj_get(c, &f, NULL), GLOSS_EPERMISSION_DENIED);
	/* A bad role is refused; an unknown user is not found. */
	CHECK_INT(member_add(RC[R_MANAGER], PROJECT, "leaver", "boss"), GLOSS_EINVALID_ARGUMENT);
	CHECK_INT(member_add(RC[R_MANAGER], PROJECT, "nobody-here", "viewer"), GLOSS_ENOT_FOUND);
	gloss_close(c);
}

/* ---- setup ------------------------------------------------------------ */

static int
setup(void)
{
	static const char *const users[NROLES] = {
		"r-none", "r-viewer", "r-annot", "r-cur", "r-mgr", NULL,
	};
	static const char *const global[NROLES] = {
		"annotator", "viewer", "annotator", "curator", "manager", NULL,
	};
	char tok[128];
	for (int r = 0; r < R_ADMIN; r++) {
		if (adm_user(users[r], global[r], tok) != 0)
			return -1;
		RC[r] = gl_dh_client(&D, tok, 0);
	}
	RC[R_ADMIN] = gl_dh_client(&D, NULL, 0);
	for (int r = 0; r < NROLES; r++)
		if (RC[r] == NULL)
			return -1;
	/* The manager creates the project, so the admin is not a member. */
	Gloss__V1__CreateProjectRequest pq = GLOSS__V1__CREATE_PROJECT_REQUEST__INIT;
	pq.name = (char *)PROJECT;
	if (call(RC[R_MANAGER], "Projects/Create", &pq.base, NULL, NULL) != 0) {
		fprintf(stderr, "manager cannot create the project: %s\n", gloss_last_error());
		return -1;
	}
	if (member_add(RC[R_MANAGER], PROJECT, "r-viewer", "viewer") != 0 ||
	    member_add(RC[R_MANAGER], PROJECT, "r-annot", "annotator") != 0 ||
	    member_add(RC[R_MANAGER], PROJECT, "r-cur", "curator") != 0)
		return -1;
	DOC = gl_dh_import_one(ADM, PROJECT, "main", DOC_TEXT);
	ANN1 = ann_create(ADM, DOC, "GOV", 0, 5, NULL, NULL);
	ANN2 = ann_create(ADM, DOC, "GOV", 10, 20, NULL, NULL);
	if (DOC <= 0 || ANN1 <= 0 || ANN2 <= 0)
		return -1;
	fx f = { .role = R_ADMIN };
	if (run_an_run(ADM, &f, NULL) != 0 || job_wait(f.id) != 0) {
		fprintf(stderr, "cannot run the example analyzer: %s\n", gloss_last_error());
		return -1;
	}
	JOB = f.id;
	return 0;
}

int
main(void)
{
	static const gl_test_case tests[] = {
		GL_TEST_ENTRY(table_covers_every_method),
		GL_TEST_ENTRY(matrix),
		GL_TEST_ENTRY(no_token_only_health),
		GL_TEST_ENTRY(revoked_token_is_unauthenticated),
		GL_TEST_ENTRY(edit_rules),
		GL_TEST_ENTRY(removed_member_loses_access),
	};
	char plugins[512];
	const char *pd = getenv("GLOSS_PLUGINS_DIR");
	snprintf(plugins, sizeof(plugins), "%s/example", pd ? pd : "plugins");
	/* No session may expire during the matrix: its event would count as a change. */
	setenv("GLOSS_SESSION_TTL_MS", "600000", 1);
	if (table_load() != 0 || gl_dh_init(&D, "roles", 0) != 0) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	gl_dh_arg(&D, "--plugins");
	gl_dh_arg(&D, plugins);
	if (gl_dh_start(&D) != 0 || (ADM = gl_dh_client(&D, NULL, 0)) == NULL ||
	    setup() != 0) {
		gl_dh_dump_log(&D);
		gl_dh_cleanup(&D);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	int rc = gl_test_run(tests, sizeof(tests) / sizeof(tests[0]));
	if (rc != 0 && getenv("GLOSS_TEST_VERBOSE"))
		gl_dh_dump_log(&D);
	for (int r = 0; r < NROLES; r++)
		gloss_close(RC[r]);
	gloss_close(ADM);
	gl_dh_cleanup(&D);
	return rc;
}
