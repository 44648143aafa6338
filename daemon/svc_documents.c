/*
 * svc_documents.c - /gloss.v1.Documents: import, read, list, search,
 * delete.  Import checks every document before it stores any, so a batch
 * is all or nothing, and normalises text to NFC with "\n" line ends so
 * that offsets mean the same for every client.
 */
#include "daemon/services.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "common/utf8.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "daemon/jobs.h"
#include "gloss/v1/documents.pb-c.h"

/* "" or YYYY-MM-DD, possibly followed by a time we do not keep. */
static int
gl_documents_check_date(char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return 0;
	if (n < 10)
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (!isdigit((unsigned char)s[i])) {
			return -1;
		}
	}
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int dd = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || dd < 1 || dd > 31)
		return -1;
	if (n > 10 && s[10] != 'T' && s[10] != ' ')
		return -1;
	s[10] = '\0';
	return 0;
}

static const char *
gl_documents_name(const Gloss__V1__DocumentInput *in)
{
	return in->title && in->title[0] ? in->title : "(untitled)";
}

static void
gl_documents_import(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	Gloss__V1__ImportRequest *req = (Gloss__V1__ImportRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_err err;
	int rc;
	Gloss__V1__Project *p;
	if (gl_svc_project(call, d, req->project, GL_ROLE_MANAGER, &p) != 0)
		return;
	if (req->n_documents == 0) {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "the import holds no documents");
		return;
	}
	Gloss__V1__ImportResponse r = GLOSS__V1__IMPORT_RESPONSE__INIT;
	r.n_results = req->n_documents;
	r.results = gl_arena_alloc(a, req->n_documents * sizeof(*r.results));
	int64_t *fresh = gl_arena_alloc(a, req->n_documents * sizeof(*fresh));
	if (r.results == NULL || fresh == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	size_t nfresh = 0;
	char detail[64];
	for (size_t i = 0; i < req->n_documents; i++) {
		Gloss__V1__DocumentInput *in = req->documents[i];
		size_t len = in->text ? strlen(in->text) : 0;
		size_t bad;
		/* protobuf-c strings stop at a NUL; a NUL inside text is refused too. */
		if (len == 0) {
			snprintf(detail, sizeof(detail), "%zu", i);
			gl_call_detail(call, "document_index", detail);
			gl_err_set(&err, GL_INVALID_ARGUMENT,
			    "document %zu (%.100s) has no text", i, gl_documents_name(in));
			gl_call_fail(call, GL_INVALID_ARGUMENT, err.msg);
			return;
		}
		if (gl_utf8_validate(in->text, len, &bad) != 0) {
			snprintf(detail, sizeof(detail), "%zu", i);
			gl_call_detail(call, "document_index", detail);
			gl_err_set(&err, GL_INVALID_ARGUMENT,
			    "document %zu (%.100s) is not valid UTF-8 (bad byte at "
			    "offset %zu); nothing was imported", i,
			    gl_documents_name(in), bad);
			gl_call_fail(call, GL_INVALID_ARGUMENT, err.msg);
			return;
		}
		if (in->published && gl_documents_check_date(in->published) != 0) {
			gl_err_set(&err, GL_INVALID_ARGUMENT,
			    "document %zu (%.100s): published date \"%.40s\" is not "
			    "YYYY-MM-DD", i, gl_documents_name(in), in->published);
			gl_call_fail(call, GL_INVALID_ARGUMENT, err.msg);
			return;
		}
		char what[160];
		snprintf(what, sizeof(what), "document %zu metadata", i);
		if ((rc = gl_svc_check_json_object(in->metadata, what, &err)) != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
	}
	for (size_t i = 0; i < req->n_documents; i++) {
		Gloss__V1__DocumentInput *in = req->documents[i];
		char *text;
		size_t tlen, bad;
		if (gl_utf8_normalize(in->text, strlen(in->text), &text, &tlen, &bad) != 0) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		Gloss__V1__ImportResult *res = gl_pb_new(a, &gloss__v1__import_result__descriptor);
		char *hex = gl_arena_alloc(a, 65);
		if (res == NULL || hex == NULL) {
			free(text);
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		gl_sha256_hex(text, tlen, hex);
		int dup = 0;
		int64_t id;
		rc = gl_store_document_add(d->store, p->id, in, text, tlen,
		    (int64_t)gl_utf8_count(text, tlen), hex, &id, &dup, &err);
		free(text);
		if (rc == 0 && !dup)
			rc = gl_events_append(d, p->id, id, "document.imported", id, 1,
			    gl_svc_author(call), NULL, NULL, &err);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		res->id = id;
		res->duplicate = dup;
		res->sha256 = hex;
		r.results[i] = res;
		if (dup) {
			r.duplicates++;
		} else {
			r.imported++;
			fresh[nfresh++] = id;
		}
	}
	if (nfresh > 0 && p->n_auto_plugins > 0) {
		int64_t job;
		rc = gl_jobs_create(d->jobs, p->id, fresh, nfresh, p->auto_plugins,
		    p->n_auto_plugins, gl_svc_author(call), &job, &err);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			return;
		}
		char jid[32];
		snprintf(jid, sizeof(jid), "%" PRId64, job);
		gl_call_detail(call, "job_id", jid);
	}
	gl_call_reply(call, &r.base);
}

static void
gl_documents_get(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__GetDocumentRequest *req = (const Gloss__V1__GetDocumentRequest *)msg;
	gl_err err;
	Gloss__V1__GetDocumentResponse r = GLOSS__V1__GET_DOCUMENT_RESPONSE__INIT;
	int64_t project_id;
	int rc = gl_store_document_project(d->store, req->id, &project_id, &err);
	if (rc == 0 && gl_svc_require(call, d, project_id, GL_ROLE_VIEWER) != 0)
		return;
	if (rc == 0)
		rc = gl_store_document_get(d->store, req->id, 1, gl_call_arena(call),
		    &r.document, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_documents_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ListDocumentsRequest *req = (const Gloss__V1__ListDocumentsRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_err err;
	Gloss__V1__Project *p;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_VIEWER, &p) != 0)
		return;
	int64_t after = 0;
	if (req->cursor && req->cursor[0]) {
		char *end;
		long long v = strtoll(req->cursor, &end, 10);
		if (*end != '\0' || v < 0) {
			gl_call_fail(call, GL_INVALID_ARGUMENT,
			    "cursor is not one this server handed out");
			return;
		}
		after = v;
	}
	uint32_t size = req->page_size ? req->page_size : 100;
	if (size > 1000)
		size = 1000;
	Gloss__V1__ListDocumentsResponse r = GLOSS__V1__LIST_DOCUMENTS_RESPONSE__INIT;
	/* One extra row tells whether another page follows. */
	rc = gl_store_document_list(d->store, p->id, after, size + 1, a,
	    &r.documents, &r.n_documents, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	r.next_cursor = (char *)"";
	if (r.n_documents > size) {
		r.n_documents = size;
		char cur[32];
		snprintf(cur, sizeof(cur), "%" PRId64, r.documents[size - 1]->id);
		r.next_cursor = gl_arena_strdup(a, cur);
	}
	gl_call_reply(call, &r.base);
}

static void
gl_documents_search(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__SearchRequest *req = (const Gloss__V1__SearchRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_err err;
	Gloss__V1__Project *p;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_VIEWER, &p) != 0)
		return;
	if (req->query == NULL || req->query[0] == '\0') {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "the search query is empty");
		return;
	}
	uint32_t limit = req->limit ? req->limit : 20;
	if (limit > 200)
		limit = 200;
	Gloss__V1__SearchResponse r = GLOSS__V1__SEARCH_RESPONSE__INIT;
	rc = gl_store_document_search(d->store, p->id, req->query, limit, a,
	    &r.hits, &r.n_hits, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_documents_delete(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DeleteDocumentRequest *req = (const Gloss__V1__DeleteDocumentRequest *)msg;
	gl_err err;
	int64_t project_id;
	int rc;
	if ((rc = gl_store_document_project(d->store, req->id, &project_id, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	if (gl_svc_require(call, d, project_id, GL_ROLE_MANAGER) != 0)
		return;
	if ((rc = gl_store_document_delete(d->store, req->id, &err)) != 0 ||
	    (rc = gl_events_append(d, project_id, req->id, "document.deleted",
	         req->id, 2, gl_svc_author(call), NULL, NULL, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__DeleteDocumentResponse r = GLOSS__V1__DELETE_DOCUMENT_RESPONSE__INIT;
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_documents_methods[] = {
	{ "Import", gl_documents_import, GL_RPC_WRITE },
	{ "Get", gl_documents_get, GL_RPC_READ },
	{ "List", gl_documents_list, GL_RPC_READ },
	{ "Search", gl_documents_search, GL_RPC_READ },
	{ "Delete", gl_documents_delete, GL_RPC_WRITE },
};

int
gl_svc_documents_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__documents__descriptor,
	    gl_documents_methods, 5, d, err);
}
