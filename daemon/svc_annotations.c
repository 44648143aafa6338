/*
 * svc_annotations.c - /gloss.v1.Annotations, /gloss.v1.Relations and
 * /gloss.v1.Suggestions.
 *
 * Offsets arrive in code points and are checked against the stored text;
 * the quote stored with an annotation is always cut from that text, so a
 * client-sent quote is only a check (FAILED_PRECONDITION if it differs).
 * Updates carry the version they expect: a stale one is ABORTED with the
 * current version in details, and changes nothing.
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

/* The text of the document a call works on, kept for all its annotations. */
typedef struct gl_ann_doc {
	int64_t id;
	int64_t project_id;
	char *text;      /* arena */
	size_t len;
	gl_utf8_map *map; /* malloc'd: gl_ann_doc_release */
} gl_ann_doc;

static void
gl_ann_doc_release(gl_ann_doc *doc)
{
	gl_utf8_map_free(doc->map);
	doc->map = NULL;
	doc->id = 0;
}

static int
gl_ann_doc_load(gl_daemon *d, gl_call *call, int64_t id, gl_ann_doc *doc,
    gl_err *err)
{
	if (doc->id == id && doc->map != NULL)
		return 0;
	gl_ann_doc_release(doc);
	Gloss__V1__Document *dd;
	int rc = gl_store_document_get(d->store, id, 1, gl_call_arena(call), &dd, err);
	if (rc != 0)
		return rc;
	rc = gl_store_document_project(d->store, id, &doc->project_id, err);
	if (rc != 0)
		return rc;
	doc->text = dd->text;
	doc->len = strlen(dd->text);
	if (gl_utf8_map_new(doc->text, doc->len, &doc->map) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	doc->id = id;
	return 0;
}

/*
 * Checks [start, end) against the document and sets *quote to the text it
 * covers.  A non-empty expected quote must match it.
 */
static int
gl_ann_span(gl_call *call, gl_ann_doc *doc, int64_t start, int64_t end,
    const char *expected, char **quote, gl_err *err)
{
	int64_t n = (int64_t)gl_utf8_map_cp_len(doc->map);
	if (start < 0 || end > n || start >= end)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "offsets [%" PRId64 ", %" PRId64 ") are out of range for "
		    "document %" PRId64 " of %" PRId64 " code points (need "
		    "0 <= start < end <= length)", start, end, doc->id, n);
	int64_t bs = gl_utf8_map_to_byte(doc->map, start);
	int64_t be = gl_utf8_map_to_byte(doc->map, end);
	*quote = gl_arena_strndup(gl_call_arena(call), doc->text + bs,
	    (size_t)(be - bs));
	if (*quote == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (expected && expected[0] && strcmp(expected, *quote) != 0)
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "quote \"%.80s\" does not match the text at [%" PRId64 ", %"
		    PRId64 "), which is \"%.80s\"", expected, start, end, *quote);
	return 0;
}

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

static void
gl_ann_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__CreateAnnotationsRequest *req = (const Gloss__V1__CreateAnnotationsRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_ann_doc doc = { 0 };
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
		if ((rc = gl_ann_doc_load(d, call, in->document_id, &doc, &err)) != 0 ||
		    (rc = gl_ann_span(call, &doc, in->start, in->end, in->quote,
		         &x->quote, &err)) != 0 ||
		    (rc = gl_svc_check_json_object(in->attributes, "attributes", &err)) != 0)
			break;
		x->status = (char *)(in->status && in->status[0] ? in->status : "accepted");
		if ((rc = gl_ann_check_status(x->status, &err)) != 0)
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
	gl_ann_doc_release(&doc);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

/* Loads a live annotation and checks the expected version (0: any). */
static int
gl_ann_load_live(gl_daemon *d, gl_call *call, int64_t id, int64_t expected,
    Gloss__V1__Annotation **out)
{
	gl_err err;
	int rc = gl_store_annotation_get(d->store, id, gl_call_arena(call), out, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return rc;
	}
	if ((*out)->deleted) {
		char m[96];
		snprintf(m, sizeof(m), "annotation %" PRId64 " was deleted", id);
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
gl_ann_commit(gl_daemon *d, gl_call *call, Gloss__V1__Annotation *x,
    const char *kind, const char *detail, ProtobufCMessage *resp)
{
	gl_err err;
	int64_t project_id;
	x->version++;
	x->updated_at = gl_store_now_ms();
	int rc;
	if ((rc = gl_store_document_project(d->store, x->document_id, &project_id, &err)) != 0 ||
	    (rc = gl_store_annotation_put(d->store, x, &err)) != 0 ||
	    (rc = gl_events_append(d, project_id, x->document_id, kind, x->id,
	         x->version, gl_svc_author(call), x, detail, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, resp);
}

static void
gl_ann_update(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__UpdateAnnotationRequest *req = (const Gloss__V1__UpdateAnnotationRequest *)msg;
	Gloss__V1__Annotation *x;
	gl_err err;
	int rc;
	if (req->expected_version <= 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "expected_version is required for an update");
		return;
	}
	if (gl_ann_load_live(d, call, req->id, req->expected_version, &x) != 0)
		return;
	if (req->set_label) {
		if (req->label == NULL || req->label[0] == '\0') {
			gl_call_fail(call, GL_INVALID_ARGUMENT, "label must not be empty");
			return;
		}
		x->label = req->label;
	}
	if (req->set_span) {
		gl_ann_doc doc = { 0 };
		rc = gl_ann_doc_load(d, call, x->document_id, &doc, &err);
		if (rc == 0)
			rc = gl_ann_span(call, &doc, req->start, req->end, req->quote,
			    &x->quote, &err);
		gl_ann_doc_release(&doc);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		x->start = req->start;
		x->end = req->end;
	}
	if (req->set_value)
		x->value = req->value ? req->value : (char *)"";
	if (req->set_attributes) {
		if ((rc = gl_svc_check_json_object(req->attributes, "attributes", &err)) != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		x->attributes = (char *)(req->attributes && req->attributes[0] ? req->attributes : "{}");
	}
	if (req->set_score) {
		x->has_score = 1;
		x->score = req->score;
	}
	if (req->set_status) {
		if ((rc = gl_ann_check_status(req->status ? req->status : "", &err)) != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		x->status = req->status;
	}
	Gloss__V1__UpdateAnnotationResponse r = GLOSS__V1__UPDATE_ANNOTATION_RESPONSE__INIT;
	r.annotation = x;
	gl_ann_commit(d, call, x, "annotation.updated", NULL, &r.base);
}

static void
gl_ann_delete(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DeleteAnnotationRequest *req = (const Gloss__V1__DeleteAnnotationRequest *)msg;
	Gloss__V1__Annotation *x;
	if (gl_ann_load_live(d, call, req->id, req->expected_version, &x) != 0)
		return;
	x->deleted = 1;
	Gloss__V1__DeleteAnnotationResponse r = GLOSS__V1__DELETE_ANNOTATION_RESPONSE__INIT;
	r.annotation = x;
	gl_ann_commit(d, call, x, "annotation.deleted", NULL, &r.base);
}

static void
gl_ann_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListAnnotationsRequest *req = (const Gloss__V1__ListAnnotationsRequest *)msg;
	gl_err err;
	int64_t project_id;
	int rc = gl_store_document_project(d->store, req->document_id, &project_id, &err);
	Gloss__V1__ListAnnotationsResponse r = GLOSS__V1__LIST_ANNOTATIONS_RESPONSE__INIT;
	if (rc == 0)
		rc = gl_store_annotation_list(d->store, req, gl_call_arena(call),
		    &r.annotations, &r.n_annotations, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

/* ---- suggestions ---------------------------------------------------- */

static int
gl_sugg_load(gl_daemon *d, gl_call *call, int64_t id, int64_t expected,
    Gloss__V1__Annotation **x)
{
	if (gl_ann_load_live(d, call, id, expected, x) != 0)
		return -1;
	if (strcmp((*x)->status, "suggested") != 0) {
		char m[160];
		snprintf(m, sizeof(m), "annotation %" PRId64 " is %s, not a pending "
		    "suggestion", id, (*x)->status);
		gl_call_fail(call, GL_FAILED_PRECONDITION, m);
		return -1;
	}
	return 0;
}

static void
gl_sugg_accept(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__AcceptSuggestionRequest *req = (const Gloss__V1__AcceptSuggestionRequest *)msg;
	Gloss__V1__Annotation *x;
	gl_err err;
	if (gl_sugg_load(d, call, req->id, req->expected_version, &x) != 0)
		return;
	if (req->set_label) {
		if (req->label == NULL || req->label[0] == '\0') {
			gl_call_fail(call, GL_INVALID_ARGUMENT, "label must not be empty");
			return;
		}
		x->label = req->label;
	}
	if (req->set_span) {
		gl_ann_doc doc = { 0 };
		int rc = gl_ann_doc_load(d, call, x->document_id, &doc, &err);
		if (rc == 0)
			rc = gl_ann_span(call, &doc, req->start, req->end, NULL,
			    &x->quote, &err);
		gl_ann_doc_release(&doc);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		x->start = req->start;
		x->end = req->end;
	}
	x->status = (char *)"accepted";
	Gloss__V1__SuggestionResponse r = GLOSS__V1__SUGGESTION_RESPONSE__INIT;
	r.annotation = x;
	gl_ann_commit(d, call, x, "annotation.updated", "{\"action\":\"accept\"}", &r.base);
}

static void
gl_sugg_reject(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__RejectSuggestionRequest *req = (const Gloss__V1__RejectSuggestionRequest *)msg;
	Gloss__V1__Annotation *x;
	if (gl_sugg_load(d, call, req->id, req->expected_version, &x) != 0)
		return;
	x->status = (char *)"rejected";
	Gloss__V1__SuggestionResponse r = GLOSS__V1__SUGGESTION_RESPONSE__INIT;
	r.annotation = x;
	gl_ann_commit(d, call, x, "annotation.updated", "{\"action\":\"reject\"}", &r.base);
}

/* ---- relations ------------------------------------------------------ */

static void
gl_rel_create(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__CreateRelationRequest *req = (const Gloss__V1__CreateRelationRequest *)msg;
	Gloss__V1__Annotation *src, *dst;
	if (req->label == NULL || req->label[0] == '\0') {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "a relation needs a label");
		return;
	}
	if (gl_ann_load_live(d, call, req->source_id, 0, &src) != 0 ||
	    gl_ann_load_live(d, call, req->target_id, 0, &dst) != 0)
		return;
	if (src->document_id != dst->document_id) {
		gl_call_fail(call, GL_INVALID_ARGUMENT,
		    "a relation links two annotations of the same document");
		return;
	}
	gl_err err;
	int64_t project_id;
	Gloss__V1__Relation *rel = gl_pb_new(gl_call_arena(call), &gloss__v1__relation__descriptor);
	if (rel == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	rel->document_id = src->document_id;
	rel->source_id = src->id;
	rel->target_id = dst->id;
	rel->label = req->label;
	rel->author = (char *)gl_svc_author(call);
	int rc;
	if ((rc = gl_store_document_project(d->store, rel->document_id, &project_id, &err)) != 0 ||
	    (rc = gl_store_relation_add(d->store, rel, &err)) != 0 ||
	    (rc = gl_events_append(d, project_id, rel->document_id, "relation.created",
	         rel->id, 1, rel->author, NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__CreateRelationResponse r = GLOSS__V1__CREATE_RELATION_RESPONSE__INIT;
	r.relation = rel;
	gl_call_reply(call, &r.base);
}

static void
gl_rel_delete(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DeleteRelationRequest *req = (const Gloss__V1__DeleteRelationRequest *)msg;
	gl_err err;
	Gloss__V1__Relation *rel;
	int64_t project_id, version;
	int rc;
	if ((rc = gl_store_relation_get(d->store, req->id, gl_call_arena(call), &rel, &err)) != 0 ||
	    (rc = gl_store_relation_delete(d->store, req->id, &version, &err)) != 0 ||
	    (rc = gl_store_document_project(d->store, rel->document_id, &project_id, &err)) != 0 ||
	    (rc = gl_events_append(d, project_id, rel->document_id, "relation.deleted",
	         rel->id, version, gl_svc_author(call), NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	rel->deleted = 1;
	rel->version = version;
	Gloss__V1__DeleteRelationResponse r = GLOSS__V1__DELETE_RELATION_RESPONSE__INIT;
	r.relation = rel;
	gl_call_reply(call, &r.base);
}

static void
gl_rel_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListRelationsRequest *req = (const Gloss__V1__ListRelationsRequest *)msg;
	gl_err err;
	int64_t project_id;
	Gloss__V1__ListRelationsResponse r = GLOSS__V1__LIST_RELATIONS_RESPONSE__INIT;
	int rc = gl_store_document_project(d->store, req->document_id, &project_id, &err);
	if (rc == 0)
		rc = gl_store_relation_list(d->store, req->document_id,
		    req->include_deleted, gl_call_arena(call), &r.relations,
		    &r.n_relations, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_ann_methods[] = {
	{ "Create", gl_ann_create, GL_RPC_WRITE },
	{ "Update", gl_ann_update, GL_RPC_WRITE },
	{ "Delete", gl_ann_delete, GL_RPC_WRITE },
	{ "List", gl_ann_list, GL_RPC_READ },
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
	         gl_ann_methods, 4, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__suggestions__descriptor,
	         gl_sugg_methods, 2, d, err)) != 0 ||
	    (rc = gl_rpc_register(d->rpc, &gloss__v1__relations__descriptor,
	         gl_rel_methods, 3, d, err)) != 0)
		return rc;
	return 0;
}
