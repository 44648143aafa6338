/*
 * svc_curation.c - /gloss.v1.Curation: a curator compares what annotators
 * marked on one document and layer, and merges it into gold.
 *
 * Diff clusters the annotators' spans by overlap: a cluster where every
 * annotator has the same span and label is "agreed", one only a single
 * annotator touched is "single", anything else is a "conflict".  Merge
 * writes gold annotations authored by the curator whose attributes carry
 * their provenance: which annotations they came from and who agreed.
 */
#include "daemon/services.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "daemon/events.h"
#include "daemon/pb.h"
#include "gloss/v1/curation.pb-c.h"

typedef struct gl_cur_set {
	Gloss__V1__Annotation **work; /* annotators' live, accepted annotations */
	size_t nwork;
	Gloss__V1__Annotation **gold;
	size_t ngold;
	char **annotators;            /* distinct, sorted */
	size_t nannotators;
} gl_cur_set;

static int
gl_cur_cmp_ann(const void *a, const void *b)
{
	const Gloss__V1__Annotation *x = *(Gloss__V1__Annotation *const *)a;
	const Gloss__V1__Annotation *y = *(Gloss__V1__Annotation *const *)b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
gl_cur_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
gl_cur_wanted(char **names, size_t n, const char *who)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], who) == 0)
			return 1;
	return 0;
}

/* Reads the layer of a document and sorts it into work and gold. */
static int
gl_cur_load(gl_daemon *d, gl_call *call, int64_t doc_id, const char *layer,
    char **only, size_t nonly, gl_cur_set *set, gl_err *err)
{
	gl_arena *a = gl_call_arena(call);
	Gloss__V1__ListAnnotationsRequest f = GLOSS__V1__LIST_ANNOTATIONS_REQUEST__INIT;
	f.document_id = doc_id;
	f.layer = (char *)layer;
	Gloss__V1__Annotation **all;
	size_t n;
	int rc = gl_store_annotation_list(d->store, &f, a, &all, &n, err);
	if (rc != 0)
		return rc;
	memset(set, 0, sizeof(*set));
	set->work = gl_arena_alloc(a, (n ? n : 1) * sizeof(*set->work));
	set->gold = gl_arena_alloc(a, (n ? n : 1) * sizeof(*set->gold));
	set->annotators = gl_arena_alloc(a, (n ? n : 1) * sizeof(char *));
	if (!set->work || !set->gold || !set->annotators)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < n; i++) {
		Gloss__V1__Annotation *x = all[i];
		if (strcmp(x->status, "gold") == 0) {
			set->gold[set->ngold++] = x;
			continue;
		}
		if (strcmp(x->status, "accepted") != 0 || gl_svc_is_plugin(x->author) ||
		    !gl_cur_wanted(only, nonly, x->author))
			continue;
		set->work[set->nwork++] = x;
		size_t k = 0;
		while (k < set->nannotators && strcmp(set->annotators[k], x->author) != 0)
			k++;
		if (k == set->nannotators)
			set->annotators[set->nannotators++] = x->author;
	}
	qsort(set->work, set->nwork, sizeof(*set->work), gl_cur_cmp_ann);
	qsort(set->annotators, set->nannotators, sizeof(char *), gl_cur_cmp_str);
	return 0;
}

/* Clusters work into overlap groups and classifies them. */
static int
gl_cur_groups(gl_arena *a, const gl_cur_set *set, Gloss__V1__DiffGroup ***out,
    size_t *nout)
{
	Gloss__V1__DiffGroup **g = gl_arena_alloc(a, (set->nwork ? set->nwork : 1) * sizeof(*g));
	if (g == NULL)
		return -GL_RESOURCE_EXHAUSTED;
	size_t ng = 0;
	for (size_t i = 0; i < set->nwork;) {
		size_t j = i + 1;
		int64_t end = set->work[i]->end;
		while (j < set->nwork && set->work[j]->start < end) {
			if (set->work[j]->end > end)
				end = set->work[j]->end;
			j++;
		}
		Gloss__V1__DiffGroup *x = gl_pb_new(a, &gloss__v1__diff_group__descriptor);
		if (x == NULL)
			return -GL_RESOURCE_EXHAUSTED;
		x->start = set->work[i]->start;
		x->end = end;
		x->n_annotations = j - i;
		x->annotations = &set->work[i];
		x->annotators = gl_arena_alloc(a, (j - i) * sizeof(char *));
		if (x->annotators == NULL)
			return -GL_RESOURCE_EXHAUSTED;
		for (size_t k = i; k < j; k++) {
			size_t m = 0;
			while (m < x->n_annotators && strcmp(x->annotators[m], set->work[k]->author) != 0)
				m++;
			if (m == x->n_annotators)
				x->annotators[x->n_annotators++] = set->work[k]->author;
		}
		int same = 1;
		for (size_t k = i + 1; k < j; k++) {
			const Gloss__V1__Annotation *p = set->work[i], *q = set->work[k];
			if (p->start != q->start || p->end != q->end || strcmp(p->label, q->label) != 0)
				same = 0;
		}
		if (x->n_annotators == 1)
			x->kind = (char *)"single";
		else if (same && x->n_annotators == set->nannotators &&
		         x->n_annotations == set->nannotators)
			x->kind = (char *)"agreed";
		else
			x->kind = (char *)"conflict";
		for (size_t k = 0; k < set->ngold; k++)
			if (set->gold[k]->start < x->end && x->start < set->gold[k]->end)
				x->curated = 1;
		g[ng++] = x;
		i = j;
	}
	*out = g;
	*nout = ng;
	return 0;
}

static int
gl_cur_open(gl_daemon *d, gl_call *call, int64_t doc_id, const char *layer,
    gl_svc_doc *doc)
{
	gl_err err;
	if (layer == NULL || layer[0] == '\0') {
		gl_call_fail(call, GL_INVALID_ARGUMENT, "curation works on one layer: name it");
		return -1;
	}
	int rc = gl_svc_doc_load(d, call, doc_id, doc, &err);
	if (rc != 0) {
		gl_call_fail_err(call, rc, &err);
		return rc;
	}
	return gl_svc_require(call, d, doc->project_id, GL_ROLE_CURATOR);
}

static void
gl_cur_diff(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__DiffRequest *req = (const Gloss__V1__DiffRequest *)msg;
	gl_svc_doc doc = { 0 };
	gl_cur_set set;
	gl_err err;
	int rc;
	if (gl_cur_open(d, call, req->document_id, req->layer, &doc) != 0)
		goto out;
	if ((rc = gl_cur_load(d, call, req->document_id, req->layer, req->annotators,
	         req->n_annotators, &set, &err)) != 0) {
		gl_call_fail_err(call, rc, &err);
		goto out;
	}
	Gloss__V1__DiffResponse r = GLOSS__V1__DIFF_RESPONSE__INIT;
	if (gl_cur_groups(gl_call_arena(call), &set, &r.groups, &r.n_groups) != 0) {
		gl_call_fail(call, GL_RESOURCE_EXHAUSTED, "out of memory");
		goto out;
	}
	r.annotators = set.annotators;
	r.n_annotators = set.nannotators;
	r.gold = set.gold;
	r.n_gold = set.ngold;
	gl_call_reply(call, &r.base);
out:
	gl_svc_doc_release(&doc);
}

/* Provenance attributes: {"curated_from":[ids],"agreed_by":[names],...rest}. */
static char *
gl_cur_provenance(gl_arena *a, const Gloss__V1__Annotation *src,
    Gloss__V1__Annotation *const *same, size_t nsame)
{
	gl_buf b = GL_BUF_INIT;
	gl_buf_puts(&b, "{\"curated_from\":[");
	for (size_t i = 0; i < nsame; i++)
		gl_buf_printf(&b, "%s%" PRId64, i ? "," : "", same[i]->id);
	gl_buf_puts(&b, "],\"agreed_by\":[");
	for (size_t i = 0; i < nsame; i++) {
		if (i)
			gl_buf_putc(&b, ',');
		gl_json_write_cstr(&b, same[i]->author);
	}
	gl_buf_putc(&b, ']');
	size_t alen = src && src->attributes ? strlen(src->attributes) : 0;
	if (alen > 2) {
		gl_buf_putc(&b, ',');
		gl_buf_append(&b, src->attributes + 1, alen - 1);
	} else {
		gl_buf_putc(&b, '}');
	}
	char *out = b.data ? gl_arena_strdup(a, b.data) : NULL;
	gl_buf_free(&b);
	return out;
}

static int
gl_cur_has_gold(const gl_cur_set *set, const Gloss__V1__Annotation *x)
{
	for (size_t k = 0; k < set->ngold; k++)
		if (set->gold[k]->start == x->start && set->gold[k]->end == x->end &&
		    strcmp(set->gold[k]->label, x->label) == 0 && !set->gold[k]->deleted)
			return 1;
	return 0;
}

/* Writes one gold annotation and remembers it so later ones are skipped. */
static int
gl_cur_write(gl_daemon *d, gl_call *call, gl_svc_doc *doc, gl_cur_set *set,
    Gloss__V1__Annotation *g, Gloss__V1__MergeResponse *r, gl_err *err)
{
	if (gl_cur_has_gold(set, g)) {
		r->skipped++;
		return 0;
	}
	g->author = (char *)gl_svc_author(call);
	g->status = (char *)"gold";
	int rc;
	if ((rc = gl_store_annotation_add(d->store, g, err)) != 0 ||
	    (rc = gl_events_append(d, doc->project_id, g->document_id,
	         "annotation.created", g->id, g->version, g->author, g,
	         "{\"action\":\"curate\"}", err)) != 0)
		return rc;
	r->gold[r->n_gold++] = g;
	set->gold[set->ngold++] = g;
	return 0;
}

/* A gold copy of src, with every annotator's identical span as provenance. */
static Gloss__V1__Annotation *
gl_cur_copy(gl_arena *a, const gl_cur_set *set, const Gloss__V1__Annotation *src)
{
	Gloss__V1__Annotation *g = gl_pb_new(a, &gloss__v1__annotation__descriptor);
	Gloss__V1__Annotation **same = gl_arena_alloc(a, (set->nwork ? set->nwork : 1) * sizeof(*same));
	if (g == NULL || same == NULL)
		return NULL;
	size_t nsame = 0;
	for (size_t k = 0; k < set->nwork; k++) {
		const Gloss__V1__Annotation *w = set->work[k];
		if (w->start == src->start && w->end == src->end && strcmp(w->label, src->label) == 0)
			same[nsame++] = set->work[k];
	}
	if (nsame == 0)
		same[nsame++] = (Gloss__V1__Annotation *)src;
	*g = *src;
	g->id = 0;
	g->attributes = gl_cur_provenance(a, src, same, nsame);
	return g->attributes ? g : NULL;
}

static void
gl_cur_merge(gl_call *call, const ProtobufCMessage *msg, void *arg)
{
	gl_daemon *d = arg;
	const Gloss__V1__MergeRequest *req = (const Gloss__V1__MergeRequest *)msg;
	gl_arena *a = gl_call_arena(call);
	gl_svc_doc doc = { 0 };
	gl_cur_set set;
	gl_err err;
	int rc = 0;
	if (gl_cur_open(d, call, req->document_id, req->layer, &doc) != 0)
		goto out;
	if ((rc = gl_cur_load(d, call, req->document_id, req->layer, req->annotators,
	         req->n_annotators, &set, &err)) != 0)
		goto fail;
	size_t cap = req->n_accept_ids + req->n_create + set.nwork + 1;
	/* Room for the gold written by this call, so later steps skip repeats. */
	Gloss__V1__Annotation **gold = gl_arena_alloc(a, (set.ngold + cap) * sizeof(*gold));
	Gloss__V1__MergeResponse r = GLOSS__V1__MERGE_RESPONSE__INIT;
	r.gold = gl_arena_alloc(a, cap * sizeof(*r.gold));
	if (gold == NULL || r.gold == NULL) {
		rc = gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
		goto fail;
	}
	memcpy(gold, set.gold, set.ngold * sizeof(*gold));
	set.gold = gold;
	for (size_t i = 0; rc == 0 && i < req->n_accept_ids; i++) {
		const Gloss__V1__Annotation *src = NULL;
		for (size_t k = 0; k < set.nwork && src == NULL; k++)
			if (set.work[k]->id == req->accept_ids[i])
				src = set.work[k];
		if (src == NULL) {
			rc = gl_err_set(&err, GL_INVALID_ARGUMENT, "annotation %" PRId64
			    " is not an annotator's accepted annotation on layer %s of "
			    "document %" PRId64, req->accept_ids[i], req->layer,
			    req->document_id);
			break;
		}
		Gloss__V1__Annotation *g = gl_cur_copy(a, &set, src);
		rc = g ? gl_cur_write(d, call, &doc, &set, g, &r, &err)
		       : gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	if (rc == 0 && req->accept_agreed) {
		Gloss__V1__DiffGroup **groups;
		size_t ng;
		if (gl_cur_groups(a, &set, &groups, &ng) != 0)
			rc = gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
		for (size_t i = 0; rc == 0 && i < ng; i++) {
			if (strcmp(groups[i]->kind, "agreed") != 0)
				continue;
			Gloss__V1__Annotation *g = gl_cur_copy(a, &set, groups[i]->annotations[0]);
			rc = g ? gl_cur_write(d, call, &doc, &set, g, &r, &err)
			       : gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
		}
	}
	for (size_t i = 0; rc == 0 && i < req->n_create; i++) {
		const Gloss__V1__AnnotationInput *in = req->create[i];
		Gloss__V1__Annotation *g = gl_pb_new(a, &gloss__v1__annotation__descriptor);
		if (g == NULL) {
			rc = gl_err_set(&err, GL_RESOURCE_EXHAUSTED, "out of memory");
			break;
		}
		if (in->label == NULL || in->label[0] == '\0') {
			rc = gl_err_set(&err, GL_INVALID_ARGUMENT, "gold annotation %zu has no label", i);
			break;
		}
		if ((rc = gl_svc_doc_span(call, &doc, in->start, in->end, in->quote,
		         &g->quote, &err)) != 0 ||
		    (rc = gl_svc_schema_check(doc.project, req->layer, in->label, &err)) != 0 ||
		    (rc = gl_svc_check_json_object(in->attributes, "attributes", &err)) != 0)
			break;
		g->document_id = req->document_id;
		g->layer = req->layer;
		g->label = in->label;
		g->start = in->start;
		g->end = in->end;
		g->value = in->value ? in->value : (char *)"";
		g->has_score = in->has_score;
		g->score = in->score;
		g->attributes = in->attributes && in->attributes[0] ? in->attributes : (char *)"{}";
		rc = gl_cur_write(d, call, &doc, &set, g, &r, &err);
	}
	if (rc != 0)
		goto fail;
	gl_call_reply(call, &r.base);
	goto out;
fail:
	gl_call_fail_err(call, rc, &err);
out:
	gl_svc_doc_release(&doc);
}

static const gl_rpc_method gl_cur_methods[] = {
	{ "Diff", gl_cur_diff, GL_RPC_READ },
	{ "Merge", gl_cur_merge, GL_RPC_WRITE },
};

int
gl_svc_curation_register(gl_daemon *d, gl_err *err)
{
	return gl_rpc_register(d->rpc, &gloss__v1__curation__descriptor,
	    gl_cur_methods, 2, d, err);
}
