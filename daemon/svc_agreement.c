/*
 * svc_agreement.c - /gloss.v1.Agreement/Compute: inter-annotator agreement
 * on one layer of a project (the measures are in agreement.c).
 *
 * Which work counts: live annotations of the layer with status "accepted"
 * whose author is a person.  Plugin suggestions are not an annotator's
 * judgement; rejected ones were withdrawn; gold is the curator's merge of
 * the annotators' work, so counting it would add an "annotator" who agrees
 * with everyone (Curation/Diff draws the same line).  The default
 * annotators are every author of such work in the chosen documents; named
 * ones must be users, and one with no such work there is all "O" (or
 * missing, with skip_unannotated), as for any document they left empty.
 *
 * The loop thread only checks the request and the caller's role.  Reading
 * the documents and computing run on the libuv thread pool with a
 * read-only store handle, because a project of a thousand documents takes
 * long enough to stall every other client if done on the loop; the loop
 * turns the result into the response when the work is done.
 */
#include "daemon/services.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "daemon/agreement.h"
#include "daemon/pb.h"
#include "gloss/v1/agreement.pb-c.h"

/* One Compute call in flight.  malloc'd; freed by gl_agr_done. */
typedef struct gl_agr_job {
	uv_work_t work;
	gl_call *call;
	const char *db_path;
	gl_arena arena;            /* the worker's: request copy, data, result */
	/* request, copied (arena) */
	int64_t project_id;
	char *project;
	char *layer;
	char **want;               /* requested annotators, or NULL */
	size_t nwant;
	int64_t *doc_ids;          /* requested documents, or NULL */
	size_t ndoc_ids;
	int unit;
	unsigned measures;
	int skip_unannotated;
	/* outcome */
	int rc;
	gl_err err;
	const char **names;        /* the annotators, in result order */
	gl_agreement_result *res;
} gl_agr_job;

/* Growable list of one annotator's spans (worker arena is not growable). */
typedef struct gl_agr_list {
	gl_agreement_span *v;
	size_t n, cap;
} gl_agr_list;

static int
gl_agr_list_push(gl_agr_list *l, const gl_agreement_span *s)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		gl_agreement_span *nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = *s;
	return 0;
}

static int
gl_agr_cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Index of name in names[0..n), or -1. */
static long
gl_agr_find(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

/* Reads the documents and the annotations that count into the job. */
static int
gl_agr_load(gl_agr_job *j, gl_store *s, gl_agreement_doc **docs_out,
    size_t *ndocs_out, gl_agr_list **lists_out, size_t *nlists_out)
{
	gl_arena *a = &j->arena;
	gl_err *err = &j->err;
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc;
	if (j->ndoc_ids == 0) {
		if ((rc = gl_store_document_ids(s, j->project_id, &ids, &nids, err)) != 0)
			return rc;
	} else {
		ids = malloc(j->ndoc_ids * sizeof(*ids));
		if (ids == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		for (size_t i = 0; i < j->ndoc_ids; i++) {
			int64_t pid = 0;
			for (size_t k = 0; k < i; k++)
				if (j->doc_ids[k] == j->doc_ids[i]) {
					free(ids);
					return gl_err_set(err, GL_INVALID_ARGUMENT,
					    "document %" PRId64 " is listed twice",
					    j->doc_ids[i]);
				}
			rc = gl_store_document_project(s, j->doc_ids[i], &pid, err);
			if (rc == -GL_NOT_FOUND || (rc == 0 && pid != j->project_id)) {
				free(ids);
				return gl_err_set(err, GL_NOT_FOUND,
				    "document %" PRId64 " is not in project %s",
				    j->doc_ids[i], j->project);
			}
			if (rc != 0) {
				free(ids);
				return rc;
			}
			ids[nids++] = j->doc_ids[i];
		}
	}
	gl_agreement_doc *docs = gl_arena_alloc(a, (nids ? nids : 1) * sizeof(*docs));
	/* Authors as found; with a requested list, exactly that list. */
	size_t cap = j->nwant ? j->nwant : 16, nnames = j->nwant;
	const char **names = malloc(cap * sizeof(*names));
	gl_agr_list *lists = calloc(cap, sizeof(*lists));
	if (docs == NULL || names == NULL || lists == NULL) {
		rc = gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < j->nwant; i++)
		names[i] = j->want[i];
	Gloss__V1__ListAnnotationsRequest f = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	f.layer = j->layer;
	f.status = (char *)"accepted";
	for (size_t d = 0; d < nids; d++) {
		Gloss__V1__Document *doc;
		Gloss__V1__Annotation **anns;
		size_t nanns;
		if ((rc = gl_store_document_get(s, ids[d], 1, a, &doc, err)) != 0)
			goto fail;
		docs[d].id = doc->id;
		docs[d].text = doc->text;
		docs[d].len = strlen(doc->text);
		f.document_id = ids[d];
		if ((rc = gl_store_annotation_list(s, &f, a, &anns, &nanns, err)) != 0)
			goto fail;
		for (size_t i = 0; i < nanns; i++) {
			const Gloss__V1__Annotation *x = anns[i];
			if (x->deleted || strcmp(x->status, "accepted") != 0 ||
			    gl_svc_is_plugin(x->author))
				continue;
			long k = gl_agr_find(names, nnames, x->author);
			if (k < 0 && j->nwant)
				continue;
			if (k < 0) {
				if (nnames == cap) {
					size_t ncap = cap * 2;
					const char **nn = realloc(names, ncap * sizeof(*nn));
					if (nn == NULL) {
						rc = gl_err_set(err, GL_RESOURCE_EXHAUSTED,
						    "out of memory");
						goto fail;
					}
					names = nn;
					gl_agr_list *nl = realloc(lists, ncap * sizeof(*nl));
					if (nl == NULL) {
						rc = gl_err_set(err, GL_RESOURCE_EXHAUSTED,
						    "out of memory");
						goto fail;
					}
					lists = nl;
					memset(lists + cap, 0, (ncap - cap) * sizeof(*lists));
					cap = ncap;
				}
				k = (long)nnames;
				names[nnames++] = x->author;
			}
			gl_agreement_span sp = { x->document_id, x->start, x->end,
				x->label };
			if (gl_agr_list_push(&lists[k], &sp) != 0) {
				rc = gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
				goto fail;
			}
		}
	}
	free(ids);
	ids = NULL;
	if (nnames < 2) {
		rc = gl_err_set(err, GL_FAILED_PRECONDITION,
		    "agreement needs at least two annotators with accepted "
		    "annotations on layer \"%s\" in the chosen documents; found "
		    "%zu%s%s", j->layer, nnames, nnames ? ": " : "",
		    nnames ? names[0] : "");
		goto fail;
	}
	/* Default annotators in name order, so results are reproducible. */
	if (j->nwant == 0) {
		const char **sorted = gl_arena_alloc(a, nnames * sizeof(*sorted));
		gl_agr_list *sl = malloc(nnames * sizeof(*sl));
		if (sorted == NULL || sl == NULL) {
			free(sl);
			rc = gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
			goto fail;
		}
		memcpy(sorted, names, nnames * sizeof(*sorted));
		qsort(sorted, nnames, sizeof(*sorted), gl_agr_cmp_str);
		for (size_t i = 0; i < nnames; i++)
			sl[i] = lists[gl_agr_find(names, nnames, sorted[i])];
		free(lists);
		lists = sl;
		free(names);
		j->names = sorted;
	} else {
		j->names = (const char **)j->want;
		free(names);
	}
	*docs_out = docs;
	*ndocs_out = nids;
	*lists_out = lists;
	*nlists_out = nnames;
	return 0;
fail:
	free(ids);
	if (lists != NULL)
		for (size_t i = 0; i < cap; i++)
			free(lists[i].v);
	free(lists);
	free(names);
	return rc;
}

/* This thread's CPU time in ms: beside the wall clock, it shows how much of
 * a slow call was waiting for a busy machine. */
static double
gl_agr_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
gl_agr_work(uv_work_t *w)
{
	gl_agr_job *j = w->data;
	gl_store *s = NULL;
	gl_agreement_doc *docs = NULL;
	gl_agr_list *lists = NULL;
	size_t ndocs = 0, nlists = 0;
	uint64_t t0 = uv_hrtime();
	double c0 = gl_agr_cpu_ms();
	if ((j->rc = gl_store_open_reader(j->db_path, &s, &j->err)) != 0)
		return;
	j->rc = gl_agr_load(j, s, &docs, &ndocs, &lists, &nlists);
	gl_store_close(s);
	if (j->rc != 0)
		return;
	uint64_t t1 = uv_hrtime();
	double c1 = gl_agr_cpu_ms();
	size_t nspans = 0;
	for (size_t i = 0; i < nlists; i++)
		nspans += lists[i].n;
	gl_agreement_annotator *an = gl_arena_alloc(&j->arena,
	    nlists * sizeof(*an));
	if (an == NULL) {
		j->rc = gl_err_set(&j->err, GL_RESOURCE_EXHAUSTED, "out of memory");
	} else {
		for (size_t i = 0; i < nlists; i++) {
			an[i].name = j->names[i];
			an[i].spans = lists[i].v;
			an[i].n_spans = lists[i].n;
		}
		gl_agreement_input in = { docs, ndocs, an, nlists, j->unit,
			j->measures, j->skip_unannotated };
		j->rc = gl_agreement_compute(&in, &j->arena, &j->res, &j->err);
	}
	if (j->rc == 0)
		gl_log(GL_LOG_INFO, "agreement", "project %s layer %s: %zu "
		    "documents, %zu annotators, %zu spans: read in %.0f ms "
		    "(cpu %.0f), computed in %.0f ms (cpu %.0f)", j->project,
		    j->layer, ndocs, nlists, nspans, (double)(t1 - t0) / 1e6,
		    c1 - c0, (double)(uv_hrtime() - t1) / 1e6,
		    gl_agr_cpu_ms() - c1);
	for (size_t i = 0; i < nlists; i++)
		free(lists[i].v);
	free(lists);
}

/* ---- the response ---------------------------------------------------- */

static Gloss__V1__CoefficientValue *
gl_agr_pb_coef(gl_arena *a, const gl_agreement_coef *c)
{
	Gloss__V1__CoefficientValue *x = gl_pb_new(a,
	    &gloss__v1__coefficient_value__descriptor);
	if (x == NULL)
		return NULL;
	x->value = c->value;
	x->defined = c->defined;
	x->observed = c->observed;
	x->expected = c->expected;
	x->units = c->units;
	return x;
}

static Gloss__V1__SpanScores *
gl_agr_pb_spans(gl_arena *a, const gl_agreement_spans *s)
{
	Gloss__V1__SpanScores *x = gl_pb_new(a, &gloss__v1__span_scores__descriptor);
	if (x == NULL)
		return NULL;
	x->a_spans = s->a_spans;
	x->b_spans = s->b_spans;
	x->strict_matches = s->strict;
	x->overlap_matches = s->overlap;
	x->strict_precision = s->strict_precision;
	x->strict_recall = s->strict_recall;
	x->strict_f1 = s->strict_f1;
	x->overlap_precision = s->overlap_precision;
	x->overlap_recall = s->overlap_recall;
	x->overlap_f1 = s->overlap_f1;
	return x;
}

/* The block's figures as a LabelAgreement in the call's arena. */
static Gloss__V1__LabelAgreement *
gl_agr_pb_block(gl_arena *a, const gl_agr_job *j, const gl_agreement_block *b)
{
	unsigned m = j->res->measures;
	Gloss__V1__LabelAgreement *x = gl_pb_new(a,
	    &gloss__v1__label_agreement__descriptor);
	if (x == NULL || (x->label = gl_pb_str(a, b->label)) == NULL)
		return NULL;
	if ((m & GL_AGREEMENT_FLEISS) &&
	    (x->fleiss_kappa = gl_agr_pb_coef(a, &b->fleiss)) == NULL)
		return NULL;
	if ((m & GL_AGREEMENT_ALPHA) &&
	    (x->krippendorff_alpha = gl_agr_pb_coef(a, &b->alpha)) == NULL)
		return NULL;
	if (!(m & (GL_AGREEMENT_COHEN | GL_AGREEMENT_SPANS)) || b->n_pairs == 0)
		return x;
	x->pairs = gl_arena_alloc(a, b->n_pairs * sizeof(*x->pairs));
	if (x->pairs == NULL)
		return NULL;
	for (size_t i = 0; i < b->n_pairs; i++) {
		const gl_agreement_pair *p = &b->pairs[i];
		Gloss__V1__PairAgreement *y = gl_pb_new(a,
		    &gloss__v1__pair_agreement__descriptor);
		if (y == NULL || (y->a = gl_pb_str(a, j->names[p->a])) == NULL ||
		    (y->b = gl_pb_str(a, j->names[p->b])) == NULL ||
		    (y->label = gl_pb_str(a, b->label)) == NULL)
			return NULL;
		if ((m & GL_AGREEMENT_COHEN) &&
		    (y->cohen_kappa = gl_agr_pb_coef(a, &p->cohen)) == NULL)
			return NULL;
		if ((m & GL_AGREEMENT_SPANS) &&
		    (y->spans = gl_agr_pb_spans(a, &p->spans)) == NULL)
			return NULL;
		x->pairs[x->n_pairs++] = y;
	}
	return x;
}

static int
gl_agr_response(gl_arena *a, const gl_agr_job *j,
    Gloss__V1__ComputeAgreementResponse *r)
{
	const gl_agreement_result *res = j->res;
	r->n_annotators = res->n_annotators;
	r->annotators = gl_arena_alloc(a, res->n_annotators * sizeof(char *));
	if (r->annotators == NULL)
		return -1;
	for (size_t i = 0; i < res->n_annotators; i++)
		if ((r->annotators[i] = gl_pb_str(a, j->names[i])) == NULL)
			return -1;
	r->documents = res->documents;
	r->units = res->units;
	r->unit = (char *)gl_agreement_unit_name(res->unit);
	if ((r->overall = gl_agr_pb_block(a, j, &res->overall)) == NULL)
		return -1;
	if (res->n_labels == 0)
		return 0;
	r->per_label = gl_arena_alloc(a, res->n_labels * sizeof(*r->per_label));
	if (r->per_label == NULL)
		return -1;
	for (size_t i = 0; i < res->n_labels; i++) {
		if ((r->per_label[i] = gl_agr_pb_block(a, j, &res->per_label[i])) == NULL)
			return -1;
		r->n_per_label++;
	}
	return 0;
}

static void
gl_agr_job_free(gl_agr_job *j)
{
	gl_arena_reset(&j->arena);
	free(j);
}

static void
gl_agr_done(uv_work_t *w, int status)
{
	gl_agr_job *j = w->data;
	if (status != 0) {
		gl_call_fail(j->call, GL_UNAVAILABLE,
		    "the agreement computation was cancelled");
	} else if (j->rc != 0) {
		gl_call_fail_err(j->call, j->rc, &j->err);
	} else {
		Gloss__V1__ComputeAgreementResponse r =
		    GLOSS__V1__COMPUTE_AGREEMENT_RESPONSE__INIT;
		if (gl_agr_response(gl_call_arena(j->call), j, &r) != 0)
			gl_call_fail(j->call, GL_RESOURCE_EXHAUSTED, "out of memory");
		else
			gl_call_reply(j->call, &r.base);
	}
	gl_agr_job_free(j);
}

/* ---- the handler ----------------------------------------------------- */

/* Copies the request into the job; 0 or -GL_x with err. */
static int
gl_agr_job_fill(gl_agr_job *j, const Gloss__V1__ComputeAgreementRequest *req)
{
	gl_arena *a = &j->arena;
	gl_err *err = &j->err;
	if (req->layer == NULL || req->layer[0] == '\0')
		return gl_err_set(err, GL_INVALID_ARGUMENT, "a layer is required");
	if ((j->unit = gl_agreement_unit_from_name(req->unit)) < 0)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "unit \"%.40s\" is not \"token\" or \"char\"", req->unit);
	for (size_t i = 0; i < req->n_measures; i++) {
		unsigned bit = gl_agreement_measure_from_name(req->measures[i]);
		if (bit == 0)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "measure \"%.40s\" is not one of cohen, fleiss, alpha, "
			    "spans", req->measures[i]);
		j->measures |= bit;
	}
	j->skip_unannotated = req->skip_unannotated;
	j->layer = gl_arena_strdup(a, req->layer);
	j->project = gl_arena_strdup(a, req->project);
	if (j->layer == NULL || j->project == NULL)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (req->n_annotators > 0) {
		j->want = gl_arena_alloc(a, req->n_annotators * sizeof(char *));
		if (j->want == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		for (size_t i = 0; i < req->n_annotators; i++) {
			const char *name = req->annotators[i];
			if (name == NULL || name[0] == '\0')
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "annotator %zu has an empty name", i);
			if (gl_agr_find((const char *const *)j->want, j->nwant,
			        name) >= 0)
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "annotator \"%.64s\" is listed twice", name);
			if ((j->want[j->nwant++] = gl_arena_strdup(a, name)) == NULL)
				return gl_err_set(err, GL_RESOURCE_EXHAUSTED,
				    "out of memory");
		}
		if (j->nwant < 2)
			return gl_err_set(err, GL_FAILED_PRECONDITION,
			    "agreement needs at least two annotators; one was "
			    "given (\"%.64s\")", j->want[0]);
	}
	if (req->n_document_ids > 0) {
		j->doc_ids = gl_arena_alloc(a, req->n_document_ids * sizeof(int64_t));
		if (j->doc_ids == NULL)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		memcpy(j->doc_ids, req->document_ids,
		    req->n_document_ids * sizeof(int64_t));
		j->ndoc_ids = req->n_document_ids;
	}
	return 0;
}

static void
gl_agr_compute(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__ComputeAgreementRequest *req =
	    (const Gloss__V1__ComputeAgreementRequest *)msg;
	Gloss__V1__Project *p;
	gl_err err;
	int rc;
	if (gl_svc_project(call, d, req->project, GL_ROLE_CURATOR, &p) != 0)
		return;
	gl_agr_job *j = calloc(1, sizeof(*j));
	if (j == NULL) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	gl_arena_init(&j->arena, 1 << 16);
	j->call = call;
	j->db_path = d->db_path;
	j->project_id = p->id;
	j->work.data = j;
	if ((rc = gl_agr_job_fill(j, req)) != 0) {
		gl_call_fail_err(call, rc, &j->err);
		gl_agr_job_free(j);
		return;
	}
	/* A named annotator must be a user: a typo would otherwise pass as an
	 * annotator who marked nothing. */
	for (size_t i = 0; i < j->nwant; i++) {
		gl_user u;
		rc = gl_store_user_get(d->store, j->want[i], &u, &err);
		if (rc == -GL_NOT_FOUND)
			rc = gl_err_set(&err, GL_NOT_FOUND, "annotator \"%.64s\" "
			    "is not a user", j->want[i]);
		if (rc != 0) {
			gl_call_fail_err(call, rc, &err);
			gl_agr_job_free(j);
			return;
		}
	}
	if ((rc = uv_queue_work(d->loop, &j->work, gl_agr_work, gl_agr_done)) != 0) {
		char m[128];
		snprintf(m, sizeof(m), "cannot queue the computation: %s",
		    uv_strerror(rc));
		gl_call_fail(call, GL_INTERNAL, m);
		gl_agr_job_free(j);
	}
}

static const gl_rpc_method gl_agr_methods[] = {
	{ "Compute", gl_agr_compute, GL_RPC_READ },
};

int
gl_svc_agreement_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__agreement__descriptor,
	    gl_agr_methods, 1, d, err);
}
