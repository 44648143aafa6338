/*
 * svc_annotations.c - /gloss.v1.Annotations, /gloss.v1.Relations and
 * /gloss.v1.Suggestions.
 *
 * Offsets arrive in code points and are checked against the stored text;
 * the quote stored with an annotation is always cut from that text, so a
 * client-sent quote is only a check (FAILED_PRECONDITION if it differs).
 * Updates carry the version they expect: a stale one is ABORTED with the
 * current version in details, and changes nothing.
 *
 * Who may do what follows the caller's role in the document's project (see
 * gl_svc_can_see / gl_svc_can_edit).  In an independent project accepting
 * or rejecting a plugin suggestion makes the annotator's own copy, so that
 * each annotator's set stays their own for agreement.
 */
#include "daemon/services.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "gloss/v1/annotations.pb-c.h"

static int
gl_ann_check_status(const char *s, gl_err *err)
{
	static const char *const ok[] = { "suggested", "accepted", "rejected", "gold" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(s, ok[i]) == 0)
			return 0;
	return gl_err_set(err, GL_INVALID_ARGUMENT,
	    "status \"%.40s\" is not one of suggested, accepted, rejected, gold", s);
}

static void
gl_ann_stale(gl_call *call, const Gloss__V1__Annotation *cur, int64_t expected)
{
	char v[32], msg[200];
	snprintf(v, sizeof(v), "%" PRId64, cur->version);
	gl_call_detail(call, "current_version", v);
	snprintf(msg, sizeof(msg), "annotation %" PRId64 " is at version %"
	    PRId64 ", not %" PRId64 ": reload it and retry", cur->id,
	    cur->version, expected);
	gl_call_fail(call, GL_ABORTED, msg);
}

/* Permission to write x in doc's project; fails the call otherwise. */
static int
gl_ann_may_edit(gl_call *call, const gl_svc_doc *doc, const Gloss__V1__Annotation *x)
{
	if (gl_svc_can_edit(doc->project, doc->role, gl_svc_author(call), x))
		return 0;
	char m[300];
	snprintf(m, sizeof(m), "user \"%s\" (%s in project %s) may not change "
	    "annotation %" PRId64 " by %s (%s)", gl_svc_author(call),
	    gl_role_name(doc->role), doc->project->name, x->id, x->author, x->status);
	gl_call_fail(call, GL_PERMISSION_DENIED, m);
	return -1;
}

static void
gl_ann_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__CreateAnnotationsRequest *req = (const Gloss__V1__CreateAnnotationsRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_svc_doc doc = { 0 };
	gl_err err;
	int rc = 0;
	Gloss__V1__CreateAnnotationsResponse r = GLOSS__V1__CREATE_ANNOTATIONS_RESPONSE__INIT;
	if (req->n_annotations == 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "no annotations given");
		return;
	}
	r.annotations = gl_arena_alloc(a, req->n_annotations * sizeof(*r.annotations));
	if (r.annotations == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	for (size_t i = 0; i < req->n_annotations && rc == 0; i++) {
		const Gloss__V1__AnnotationInput *in = req->annotations[i];
		Gloss__V1__Annotation *x = gl_pb_new(a, &gloss__v1__annotation__descriptor);
		if (x == NULL) {
			rc = gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
			break;
		}
		if (in->layer == NULL || !in->layer[0] || in->label == NULL || !in->label[0]) {
			rc = gl_err_set(&err, GL_INVALID_ARGUMENT,
			    "annotation %zu: layer and label are required", i);
			break;
		}
		if ((rc = gl_svc_doc_load(d, call, in->document_id, &doc, &err)) != 0)
			break;
		x->status = (char *)(in->status && in->status[0] ? in->status : "accepted");
		int need = strcmp(x->status, "gold") == 0 ? GL_ROLE_CURATOR : GL_ROLE_ANNOTATOR;
		if (doc.role < need) {
			rc = gl_err_set(&err, GL_PERMISSION_DENIED,
			    "creating %s annotations needs the %s role in project %s; "
			    "user \"%s\" has %s", x->status, gl_role_name(need),
			    doc.project->name, gl_svc_author(call),
			    doc.role ? gl_role_name(doc.role) : "no role");
			break;
		}
		if ((rc = gl_svc_doc_span(call, &doc, in->start, in->end, in->quote,
		         &x->quote, &err)) != 0 ||
		    (rc = gl_svc_check_json_object(in->attributes, "attributes", &err)) != 0 ||
		    (rc = gl_ann_check_status(x->status, &err)) != 0 ||
		    (rc = gl_svc_schema_check(doc.project, in->layer, in->label, &err)) != 0)
			break;
		x->document_id = in->document_id;
		x->layer = in->layer;
		x->label = in->label;
		x->start = in->start;
		x->end = in->end;
		x->value = in->value ? in->value : (char *)"";
		x->attributes = (char *)(in->attributes && in->attributes[0] ? in->attributes : "{}");
		x->has_score = in->has_score;
		x->score = in->score;
		x->author = (char *)gl_svc_author(call);
		if ((rc = gl_store_annotation_add(d->store, x, &err)) != 0 ||
		    (rc = gl_events_append(d, doc.project_id, x->document_id,
		         "annotation.created", x->id, x->version, x->author, x,
		         NULL, &err)) != 0)
			break;
		r.annotations[r.n_annotations++] = x;
	}
	gl_svc_doc_release(&doc);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

/*
 * Loads a live annotation the caller can see, with its document (for the
 * project and role), and checks the expected version (0: any).  Fails the
 * call and returns non-zero otherwise.  The caller releases doc.
 */
static int
gl_ann_load_live(gl_daemon *d, gl_call *call, int64_t id, int64_t expected,
    Gloss__V1__Annotation **out, gl_svc_doc *doc)
{
	gl_err err;
	int rc = gl_store_annotation_get(d->store, id, gl_call_arena(call), out, &err);
	if (rc == 0)
		rc = gl_svc_doc_load(d, call, (*out)->document_id, doc, &err);
	if (rc == -GL_NOT_FOUND && *out != NULL && (*out)->document_id)
		gl_err_set(&err, GL_NOT_FOUND, "annotation %" PRId64 " belongs to a "
		    "deleted document", id);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return rc;
	}
	char m[120];
	if (doc->role < GL_ROLE_VIEWER) {
		snprintf(m, sizeof(m), "user \"%s\" is not a member of project %s",
		    gl_svc_author(call), doc->project->name);
		gl_call_fail(call, GL_PERMISSION_DENIED, m);
		return -GL_PERMISSION_DENIED;
	}
	if ((*out)->deleted || !gl_svc_can_see(doc->project, doc->role,
	                           gl_svc_author(call), *out)) {
		snprintf(m, sizeof(m), "annotation %" PRId64 " %s", id,
		    (*out)->deleted ? "was deleted" : "does not exist");
		gl_call_fail(call, GL_NOT_FOUND, m);
		return -GL_NOT_FOUND;
	}
	if (expected != 0 && expected != (*out)->version) {
		gl_ann_stale(call, *out, expected);
		return -GL_ABORTED;
	}
	return 0;
}

/* Writes x as its next version and logs kind; answers the call. */
static void
gl_ann_commit(gl_daemon *d, gl_call *call, const gl_svc_doc *doc,
    Gloss__V1__Annotation *x, const char *kind, const char *detail,
    ProtobufCMessage *resp)
{
	gl_err err;
	x->version++;
	x->updated_at = gl_store_now_ms();
	int rc;
	if ((rc = gl_store_annotation_put(d->store, x, &err)) != 0 ||
	    (rc = gl_events_append(d, doc->project_id, x->document_id, kind, x->id,
	         x->version, gl_svc_author(call), x, detail, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, resp);
}

/* Applies a label change and a span change shared by Update and Accept. */
static int
gl_ann_edit(gl_call *call, gl_svc_doc *doc, Gloss__V1__Annotation *x,
    int set_label, const char *label, int set_span, int64_t start, int64_t end,
    const char *quote, gl_err *err)
{
	int rc;
	if (set_label) {
		if (label == NULL || label[0] == '\0')
			return gl_err_set(err, GL_INVALID_ARGUMENT, "label must not be empty");
		if ((rc = gl_svc_schema_check(doc->project, x->layer, label, err)) != 0)
			return rc;
		x->label = (char *)label;
	}
	if (set_span) {
		if ((rc = gl_svc_doc_span(call, doc, start, end, quote, &x->quote, err)) != 0)
			return rc;
		x->start = start;
		x->end = end;
	}
	return 0;
}

static void
gl_ann_update(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__UpdateAnnotationRequest *req = (const Gloss__V1__UpdateAnnotationRequest *)msg;
	Gloss__V1__Annotation *x = NULL;
	gl_svc_doc doc = { 0 };
	gl_err err;
	int rc = 0;
	if (req->expected_version <= 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "expected_version is required for an update");
		return;
	}
	if (gl_ann_load_live(d, call, req->id, req->expected_version, &x, &doc) != 0 ||
	    gl_ann_may_edit(call, &doc, x) != 0)
		goto out;
	rc = gl_ann_edit(call, &doc, x, req->set_label, req->label, req->set_span,
	    req->start, req->end, req->quote, &err);
	if (rc == 0 && req->set_value)
		x->value = req->value ? req->value : (char *)"";
	if (rc == 0 && req->set_attributes &&
	    (rc = gl_svc_check_json_object(req->attributes, "attributes", &err)) == 0)
		x->attributes = (char *)(req->attributes && req->attributes[0] ? req->attributes : "{}");
	if (rc == 0 && req->set_score) {
		x->has_score = 1;
		x->score = req->score;
	}
	if (rc == 0 && req->set_status &&
	    (rc = gl_ann_check_status(req->status ? req->status : "", &err)) == 0) {
		if (strcmp(req->status, "gold") == 0 && doc.role < GL_ROLE_CURATOR)
			rc = gl_err_set(&err, GL_PERMISSION_DENIED,
			    "only curators and managers may mark annotations gold");
		x->status = req->status;
	}
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	Gloss__V1__UpdateAnnotationResponse r = GLOSS__V1__UPDATE_ANNOTATION_RESPONSE__INIT;
	r.annotation = x;
	gl_ann_commit(d, call, &doc, x, "annotation.updated", NULL, &r.base);
out:
	gl_svc_doc_release(&doc);
}

static void
gl_ann_delete(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DeleteAnnotationRequest *req = (const Gloss__V1__DeleteAnnotationRequest *)msg;
	Gloss__V1__Annotation *x = NULL;
	gl_svc_doc doc = { 0 };
	if (gl_ann_load_live(d, call, req->id, req->expected_version, &x, &doc) == 0 &&
	    gl_ann_may_edit(call, &doc, x) == 0) {
		x->deleted = 1;
		Gloss__V1__DeleteAnnotationResponse r = GLOSS__V1__DELETE_ANNOTATION_RESPONSE__INIT;
		r.annotation = x;
		gl_ann_commit(d, call, &doc, x, "annotation.deleted", NULL, &r.base);
	}
	gl_svc_doc_release(&doc);
}

/* Loads the project of a document and requires role; fails the call if not. */
static int
gl_svc_doc_access(gl_daemon *d, gl_call *call, int64_t doc_id, int role,
    gl_svc_doc *doc)
{
	gl_err err;
	int rc = gl_svc_doc_load(d, call, doc_id, doc, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return rc;
	}
	return gl_svc_require(call, d, doc->project_id, role);
}

static void
gl_ann_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListAnnotationsRequest *req = (const Gloss__V1__ListAnnotationsRequest *)msg;
	gl_svc_doc doc = { 0 };
	gl_err err;
	Gloss__V1__ListAnnotationsResponse r = GLOSS__V1__LIST_ANNOTATIONS_RESPONSE__INIT;
	if (gl_svc_doc_access(d, call, req->document_id, GL_ROLE_VIEWER, &doc) != 0)
		goto out;
	int rc = gl_store_annotation_list(d->store, req, gl_call_arena(call),
	    &r.annotations, &r.n_annotations, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	size_t k = 0;
	for (size_t i = 0; i < r.n_annotations; i++)
		if (gl_svc_can_see(doc.project, doc.role, gl_svc_author(call), r.annotations[i]))
			r.annotations[k++] = r.annotations[i];
	r.n_annotations = k;
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

/* Names the fields that differ between two versions of an annotation. */
static void
gl_ann_diff(gl_arena *a, const Gloss__V1__Annotation *p,
    const Gloss__V1__Annotation *x, Gloss__V1__AnnotationVersion *v)
{
	const char *names[10];
	size_t n = 0;
	if (p == NULL) {
		names[n++] = "created";
	} else {
		if (strcmp(p->label, x->label) != 0)
			names[n++] = "label";
		if (p->start != x->start || p->end != x->end)
			names[n++] = "span";
		if (strcmp(p->value, x->value) != 0)
			names[n++] = "value";
		if (strcmp(p->attributes, x->attributes) != 0)
			names[n++] = "attributes";
		if (p->has_score != x->has_score || p->score != x->score)
			names[n++] = "score";
		if (strcmp(p->status, x->status) != 0)
			names[n++] = "status";
		if (p->deleted != x->deleted)
			names[n++] = "deleted";
	}
	v->changed = gl_arena_alloc(a, (n ? n : 1) * sizeof(char *));
	if (v->changed == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		v->changed[i] = (char *)names[i];
	v->n_changed = n;
}

static void
gl_ann_history(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__AnnotationHistoryRequest *req = (const Gloss__V1__AnnotationHistoryRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	Gloss__V1__Annotation *x = NULL;
	gl_svc_doc doc = { 0 };
	gl_err err;
	int rc = gl_store_annotation_get(d->store, req->id, a, &x, &err);
	if (rc == 0)
		rc = gl_svc_doc_load(d, call, x->document_id, &doc, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	if (gl_svc_require(call, d, doc.project_id, GL_ROLE_VIEWER) != 0)
		goto out;
	if (!gl_svc_can_see(doc.project, doc.role, gl_svc_author(call), x)) {
		gl_call_fail(call, GL_NOT_FOUND, "no such annotation");
		goto out;
	}
	Gloss__V1__Event **ev;
	size_t n;
	if ((rc = gl_store_event_history(d->store, req->id, a, &ev, &n, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	Gloss__V1__AnnotationHistoryResponse r = GLOSS__V1__ANNOTATION_HISTORY_RESPONSE__INIT;
	r.versions = gl_arena_alloc(a, (n ? n : 1) * sizeof(*r.versions));
	if (r.versions == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	const Gloss__V1__Annotation *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		Gloss__V1__AnnotationVersion *v = gl_pb_new(a, &gloss__v1__annotation_version__descriptor);
		if (v == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			goto out;
		}
		v->version = ev[i]->version;
		v->kind = ev[i]->kind;
		v->author = ev[i]->author;
		v->time = ev[i]->time;
		v->seq = ev[i]->seq;
		v->annotation = ev[i]->annotation;
		if (v->annotation != NULL) {
			gl_ann_diff(a, prev, v->annotation, v);
			prev = v->annotation;
		}
		r.versions[r.n_versions++] = v;
	}
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

/* ---- suggestions ---------------------------------------------------- */

static int
gl_sugg_load(gl_daemon *d, gl_call *call, int64_t id, int64_t expected,
    Gloss__V1__Annotation **x, gl_svc_doc *doc)
{
	if (gl_ann_load_live(d, call, id, expected, x, doc) != 0)
		return -1;
	if (strcmp((*x)->status, "suggested") != 0) {
		char m[160];
		snprintf(m, sizeof(m), "annotation %" PRId64 " is %s, not a pending "
		    "suggestion", id, (*x)->status);
		gl_call_fail(call, GL_FAILED_PRECONDITION, m);
		return -1;
	}
	if (doc->role < GL_ROLE_ANNOTATOR)
		return gl_svc_require(call, d, doc->project_id, GL_ROLE_ANNOTATOR);
	return 0;
}

/*
 * Accept and Reject.  In a shared project the suggestion itself changes
 * status; in an independent one the annotator gets a copy of their own with
 * that status, and the suggestion stays for the others.
 */
static void
gl_sugg_decide(gl_call *call, gl_daemon *d, int64_t id, int64_t expected,
    const char *status, int set_label, const char *label, int set_span,
    int64_t start, int64_t end)
{
	Gloss__V1__Annotation *x = NULL;
	gl_svc_doc doc = { 0 };
	gl_err err;
	int rc;
	if (gl_sugg_load(d, call, id, expected, &x, &doc) != 0)
		goto out;
	if ((rc = gl_ann_edit(call, &doc, x, set_label, label, set_span, start, end,
	         NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	char detail[160];
	snprintf(detail, sizeof(detail), "{\"action\":\"%s\",\"suggestion\":%" PRId64 "}",
	    strcmp(status, "accepted") == 0 ? "accept" : "reject", id);
	Gloss__V1__SuggestionResponse r = GLOSS__V1__SUGGESTION_RESPONSE__INIT;
	if (strcmp(doc.project->mode, "independent") == 0) {
		gl_arena *a = gl_call_arena(call);
		char *attrs = gl_arena_alloc(a, strlen(x->attributes) + 200);
		if (attrs == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			goto out;
		}
		/* Provenance rides in the attributes: which suggestion, which plugin. */
		size_t alen = strlen(x->attributes);
		int empty = alen <= 2;
		snprintf(attrs, alen + 200, "{\"from_suggestion\":%" PRId64
		    ",\"suggested_by\":\"%s\"%s%.*s", id, x->author, empty ? "}" : ",",
		    empty ? 0 : (int)(alen - 1), x->attributes + 1);
		x->attributes = attrs;
		x->author = (char *)gl_svc_author(call);
		x->status = (char *)status;
		if ((rc = gl_store_annotation_add(d->store, x, &err)) != 0 ||
		    (rc = gl_events_append(d, doc.project_id, x->document_id,
		         "annotation.created", x->id, x->version, x->author, x,
		         detail, &err)) != 0) {
			gl_call_fail_err(call, rc, &err);
			goto out;
		}
		r.annotation = x;
		gl_call_reply(call, &r.base);
		goto out;
	}
	x->status = (char *)status;
	r.annotation = x;
	gl_ann_commit(d, call, &doc, x, "annotation.updated", detail, &r.base);
out:
	gl_svc_doc_release(&doc);
}

static void
gl_sugg_accept(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	const Gloss__V1__AcceptSuggestionRequest *req = (const Gloss__V1__AcceptSuggestionRequest *)msg;
	gl_sugg_decide(call, arg, req->id, req->expected_version, "accepted",
	    req->set_label, req->label, req->set_span, req->start, req->end);
}

static void
gl_sugg_reject(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	const Gloss__V1__RejectSuggestionRequest *req = (const Gloss__V1__RejectSuggestionRequest *)msg;
	gl_sugg_decide(call, arg, req->id, req->expected_version, "rejected",
	    0, NULL, 0, 0, 0);
}

/* ---- relations ------------------------------------------------------ */

static void
gl_rel_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__CreateRelationRequest *req = (const Gloss__V1__CreateRelationRequest *)msg;
	Gloss__V1__Annotation *src = NULL, *dst = NULL;
	gl_svc_doc doc = { 0 };
	if (req->label == NULL || req->label[0] == '\0') {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "a relation needs a label");
		return;
	}
	if (gl_ann_load_live(d, call, req->source_id, 0, &src, &doc) != 0 ||
	    gl_ann_load_live(d, call, req->target_id, 0, &dst, &doc) != 0 ||
	    gl_svc_require(call, d, doc.project_id, GL_ROLE_ANNOTATOR) != 0)
		goto out;
	if (src->document_id != dst->document_id) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "a relation links two annotations of the same document");
		goto out;
	}
	gl_err err;
	Gloss__V1__Relation *rel = gl_pb_new(gl_call_arena(call), &gloss__v1__relation__descriptor);
	if (rel == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	rel->document_id = src->document_id;
	rel->source_id = src->id;
	rel->target_id = dst->id;
	rel->label = req->label;
	rel->author = (char *)gl_svc_author(call);
	int rc;
	if ((rc = gl_store_relation_add(d->store, rel, &err)) != 0 ||
	    (rc = gl_events_append(d, doc.project_id, rel->document_id, "relation.created",
	         rel->id, 1, rel->author, NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	Gloss__V1__CreateRelationResponse r = GLOSS__V1__CREATE_RELATION_RESPONSE__INIT;
	r.relation = rel;
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

static void
gl_rel_delete(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DeleteRelationRequest *req = (const Gloss__V1__DeleteRelationRequest *)msg;
	gl_svc_doc doc = { 0 };
	gl_err err;
	Gloss__V1__Relation *rel;
	int64_t version;
	int rc = gl_store_relation_get(d->store, req->id, gl_call_arena(call), &rel, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	if (gl_svc_doc_access(d, call, rel->document_id, GL_ROLE_ANNOTATOR, &doc) != 0)
		goto out;
	if (doc.role < GL_ROLE_CURATOR && strcmp(doc.project->mode, "independent") == 0 &&
	    strcmp(rel->author, gl_svc_author(call)) != 0) {
		gl_call_fail(call, GL_PERMISSION_DENIED,
		    "in an independent project annotators delete only their own relations");
		goto out;
	}
	if ((rc = gl_store_relation_delete(d->store, req->id, &version, &err)) != 0 ||
	    (rc = gl_events_append(d, doc.project_id, rel->document_id, "relation.deleted",
	         rel->id, version, gl_svc_author(call), NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	rel->deleted = 1;
	rel->version = version;
	Gloss__V1__DeleteRelationResponse r = GLOSS__V1__DELETE_RELATION_RESPONSE__INIT;
	r.relation = rel;
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

static void
gl_rel_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListRelationsRequest *req = (const Gloss__V1__ListRelationsRequest *)msg;
	gl_svc_doc doc = { 0 };
	gl_err err;
	Gloss__V1__ListRelationsResponse r = GLOSS__V1__LIST_RELATIONS_RESPONSE__INIT;
	if (gl_svc_doc_access(d, call, req->document_id, GL_ROLE_VIEWER, &doc) != 0)
		goto out;
	int rc = gl_store_relation_list(d->store, req->document_id,
	    req->include_deleted, gl_call_arena(call), &r.relations,
	    &r.n_relations, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	if (doc.role == GL_ROLE_ANNOTATOR && strcmp(doc.project->mode, "independent") == 0) {
		size_t k = 0;
		for (size_t i = 0; i < r.n_relations; i++)
			if (strcmp(r.relations[i]->author, gl_svc_author(call)) == 0)
				r.relations[k++] = r.relations[i];
		r.n_relations = k;
	}
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

static const gl_rpc_method gl_ann_methods[] = {
	{ "Create", gl_ann_create, GL_RPC_WRITE },
	{ "Update", gl_ann_update, GL_RPC_WRITE },
	{ "Delete", gl_ann_delete, GL_RPC_WRITE },
	{ "List", gl_ann_list, GL_RPC_READ },
	{ "History", gl_ann_history, GL_RPC_READ },
};
static const gl_rpc_method gl_sugg_methods[] = {
	{ "Accept", gl_sugg_accept, GL_RPC_WRITE },
	{ "Reject", gl_sugg_reject, GL_RPC_WRITE },
};
static const gl_rpc_method gl_rel_methods[] = {
	{ "Create", gl_rel_create, GL_RPC_WRITE },
	{ "Delete", gl_rel_delete, GL_RPC_WRITE },
	{ "List", gl_rel_list, GL_RPC_READ },
};

int
gl_svc_annotations_register(gl_daemon *d, gl_err *err)
{
	int rc;
	if ((rc = gl_rpc_register(d->rpc, &gloss__v1__annotations__descriptor,
	         gl_ann_methods, 5, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__suggestions__descriptor,
	         gl_sugg_methods, 2, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__relations__descriptor,
	         gl_rel_methods, 3, d, err)) != 0)
		return rc;
	return 0;
}
