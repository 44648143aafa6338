/* svc_analyzers.c - /gloss.v1.Analyzers: list plugins, start and read jobs. */
#include "daemon/services.h"

#include <stdlib.h>

#include "daemon/jobs.h"
#include "daemon/pb.h"
#include "gloss/v1/analyzers.pb-c.h"

static void
gl_analyzers_list(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	gl_arena *a = gl_call_arena(call);
	(void)msg;
	Gloss__V1__ListAnalyzersResponse r = GLOSS__V1__LIST_ANALYZERS_RESPONSE__INIT;
	size_t n = gl_plugins_count(d->plugins);
	r.analyzers = gl_arena_alloc(a, (n ? n : 1) * sizeof(*r.analyzers));
	if (r.analyzers == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const gl_plugin *p = gl_plugins_at(d->plugins, i);
		const gloss_plugin *desc = gl_plugin_desc(p);
		Gloss__V1__Analyzer *x = gl_pb_new(a, &gloss__v1__analyzer__descriptor);
		if (x == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		x->name = gl_pb_str(a, desc->name);
		x->version = gl_pb_str(a, desc->version);
		x->layer = gl_pb_str(a, desc->layer);
		x->description = gl_pb_str(a, desc->description);
		x->path = gl_pb_str(a, gl_plugin_path(p));
		size_t nl = 0;
		while (desc->labels && desc->labels[nl])
			nl++;
		x->labels = gl_arena_alloc(a, (nl ? nl : 1) * sizeof(char *));
		if (x->labels == NULL) {
			gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
			return;
		}
		for (size_t k = 0; k < nl; k++)
			x->labels[k] = gl_pb_str(a, desc->labels[k]);
		x->n_labels = nl;
		r.analyzers[r.n_analyzers++] = x;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_analyzers_run(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__RunAnalyzersRequest *req = (const Gloss__V1__RunAnalyzersRequest *)msg;
	gl_err err;
	Gloss__V1__Project *p;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_MANAGER, &p) != 0)
		return;
	int64_t *ids = NULL;
	size_t n = 0;
	if (req->n_document_ids > 0) {
		for (size_t i = 0; i < req->n_document_ids; i++) {
			int64_t pid;
			if ((rc = gl_store_document_project(d->store, req->document_ids[i],
			         &pid, &err)) != 0) {
				gl_call_fail_err(call, rc, &err);
				return;
			}
			if (pid != p->id) {
				gl_call_fail(call, GL_INVALID_ARGUMENT,
				    "a document of the run is not in the project");
				return;
			}
		}
	} else if ((rc = gl_store_document_ids(d->store, p->id, &ids, &n, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	Gloss__V1__RunAnalyzersResponse r = GLOSS__V1__RUN_ANALYZERS_RESPONSE__INIT;
	rc = gl_jobs_create(d->jobs, p->id, ids ? ids : req->document_ids,
	    ids ? n : req->n_document_ids, req->plugins, req->n_plugins,
	    gl_svc_author(call), &r.job_id, &err);
	free(ids);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	gl_call_reply(call, &r.base);
}

static void
gl_analyzers_job(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__GetJobRequest *req = (const Gloss__V1__GetJobRequest *)msg;
	gl_err err;
	Gloss__V1__GetJobResponse r = GLOSS__V1__GET_JOB_RESPONSE__INIT;
	Gloss__V1__Project *p;
	int rc = gl_store_job_get(d->store, req->id, gl_call_arena(call), &r.job, &err);
	if (rc == 0)
		rc = gl_store_project_get(d->store, r.job->project, gl_call_arena(call), &p, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return;
	}
	if (gl_svc_require(call, d, p->id, GL_ROLE_VIEWER) != 0)
		return;
	gl_call_reply(call, &r.base);
}

static const gl_rpc_method gl_analyzers_methods[] = {
	{ "List", gl_analyzers_list, GL_RPC_READ },
	{ "Run", gl_analyzers_run, GL_RPC_WRITE },
	{ "Job", gl_analyzers_job, GL_RPC_READ },
};

int
gl_svc_analyzers_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__analyzers__descriptor,
	    gl_analyzers_methods, 3, d, err);
}
