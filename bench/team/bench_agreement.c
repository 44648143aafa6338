/*
 * bench_agreement.c - inter-annotator agreement on a generated project of
 * 1,000 documents x 3 annotators x 50 spans each (issue 7; target < 1 s).
 *
 * Figures, each the median of several runs, in one process; the in-process
 * ones also give this thread's CPU time, which a busy machine disturbs
 * less than the wall clock:
 *   baselines: a plain pass over the same spans (summing their lengths),
 *              and cutting every document into token units;
 *   agreement: every measure on token units, on character units, and the
 *              span scores alone (daemon/agreement.c, no I/O);
 *   end to end: the same data loaded into a glossd child (three users who
 *              annotate as themselves) and Agreement/Compute timed from the
 *              client, which adds reading 150,000 annotations and 1,000
 *              texts from SQLite on a worker thread and the RPC.
 * It prints and never asserts on time.
 *
 * The annotators: the first marks 50 non-overlapping spans of 1-3 tokens
 * per document with one of six labels; the other two copy each span with
 * 70% chance, otherwise move an edge by a token, change the label, or mark
 * a neighbouring span instead, so the figures look like real agreement
 * (kappa around 0.8) rather than identity or noise.
 *
 * Usage: bench_agreement [--quick] [--no-daemon]
 *   --quick      100 documents and fewer runs
 *   --no-daemon  only the in-process figures
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/core/bench_util.h"
#include "daemon/agreement.h"
#include "gloss/v1/agreement.pb-c.h"
#include "gloss/v1/users.pb-c.h"

#define GL_BA_ANNOTATORS 3
#define GL_BA_SPANS 50
#define GL_BA_DOC_BYTES 4000

static const char *const gl_ba_labels[] = { "COUNTRY", "ORG", "GROUP",
	"PERSON", "CITY", "OTHER" };
#define GL_BA_NLABELS (sizeof(gl_ba_labels) / sizeof(gl_ba_labels[0]))

typedef struct gl_ba_data {
	size_t ndocs;
	gl_agreement_doc *docs;
	char **texts;
	gl_agreement_span *spans[GL_BA_ANNOTATORS];
	size_t nspans[GL_BA_ANNOTATORS];
	long long text_bytes;
} gl_ba_data;

static double
gl_ba_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall and CPU seconds of one measurement, as medians over runs. */
typedef struct gl_ba_time {
	double wall, cpu;
} gl_ba_time;

static int
gl_ba_has(int argc, char **argv, const char *flag)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return 1;
	return 0;
}

static int
gl_ba_cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static double
gl_ba_median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), gl_ba_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Span of tokens [t, t + len) of doc as code points. */
static gl_agreement_span
gl_ba_span(int64_t doc, const gl_agreement_range *tok, size_t t, size_t len,
    const char *label)
{
	gl_agreement_span s = { doc, tok[t].start, tok[t + len - 1].end, label };
	return s;
}

/* Generates the documents and the three annotators' spans. */
static int
gl_ba_generate(gl_ba_data *g, size_t ndocs, uint64_t seed)
{
	gl_bench_rng r = { seed };
	memset(g, 0, sizeof(*g));
	g->ndocs = ndocs;
	g->docs = calloc(ndocs, sizeof(*g->docs));
	g->texts = calloc(ndocs, sizeof(*g->texts));
	for (int a = 0; a < GL_BA_ANNOTATORS; a++)
		g->spans[a] = calloc(ndocs * GL_BA_SPANS, sizeof(gl_agreement_span));
	if (g->docs == NULL || g->texts == NULL || g->spans[0] == NULL ||
	    g->spans[1] == NULL || g->spans[2] == NULL)
		return -1;
	for (size_t d = 0; d < ndocs; d++) {
		size_t len;
		gl_agreement_range *tok;
		size_t ntok;
		gl_err err;
		if ((g->texts[d] = gl_bench_gen_text(&r, GL_BA_DOC_BYTES, &len)) == NULL)
			return -1;
		g->text_bytes += (long long)len;
		g->docs[d].id = (int64_t)d + 1; /* replaced by glossd's ids later */
		g->docs[d].text = g->texts[d];
		g->docs[d].len = len;
		if (gl_agreement_units(g->texts[d], len, GL_AGREEMENT_TOKEN, &tok,
		        &ntok, NULL, &err) != 0) {
			fprintf(stderr, "bench: %s\n", err.msg);
			return -1;
		}
		size_t stride = ntok / GL_BA_SPANS;
		if (stride < 6) {
			fprintf(stderr, "bench: a document of %zu tokens is too short\n",
			    ntok);
			free(tok);
			return -1;
		}
		for (size_t i = 0; i < GL_BA_SPANS; i++) {
			/* Each span lives in its own stride of tokens, with room to
			 * move by one token either way. */
			size_t base = i * stride + 1;
			size_t t = base + gl_bench_randn(&r, (uint32_t)(stride - 5));
			size_t n = 1 + gl_bench_randn(&r, 3);
			uint32_t li = gl_bench_randn(&r, GL_BA_NLABELS);
			const char *label = gl_ba_labels[li];
			int64_t id = g->docs[d].id;
			g->spans[0][g->nspans[0]++] = gl_ba_span(id, tok, t, n, label);
			for (int a = 1; a < GL_BA_ANNOTATORS; a++) {
				uint32_t x = gl_bench_randn(&r, 100);
				gl_agreement_span s;
				if (x < 70)
					s = gl_ba_span(id, tok, t, n, label);
				else if (x < 80)
					s = gl_ba_span(id, tok, t, n > 1 && x < 75 ? n - 1 : n + 1,
					    label);
				else if (x < 90)
					s = gl_ba_span(id, tok, t, n, gl_ba_labels[(li + 1 +
					    gl_bench_randn(&r, GL_BA_NLABELS - 1)) % GL_BA_NLABELS]);
				else
					s = gl_ba_span(id, tok, t + 1 + gl_bench_randn(&r, 2), n,
					    label);
				g->spans[a][g->nspans[a]++] = s;
			}
		}
		free(tok);
	}
	return 0;
}

static void
gl_ba_free(gl_ba_data *g)
{
	for (size_t d = 0; d < g->ndocs && g->texts; d++)
		free(g->texts[d]);
	free(g->texts);
	free(g->docs);
	for (int a = 0; a < GL_BA_ANNOTATORS; a++)
		free(g->spans[a]);
}

static void
gl_ba_input(const gl_ba_data *g, gl_agreement_annotator *an,
    gl_agreement_input *in, int unit, unsigned measures)
{
	static const char *const names[] = { "ann1", "ann2", "ann3" };
	for (int a = 0; a < GL_BA_ANNOTATORS; a++) {
		an[a].name = names[a];
		an[a].spans = g->spans[a];
		an[a].n_spans = g->nspans[a];
	}
	memset(in, 0, sizeof(*in));
	in->docs = g->docs;
	in->n_docs = g->ndocs;
	in->annotators = an;
	in->n_annotators = GL_BA_ANNOTATORS;
	in->unit = unit;
	in->measures = measures;
}

/* Median times of `runs` computations; *last keeps the last result. */
static gl_ba_time
gl_ba_time_compute(const gl_ba_data *g, int unit, unsigned measures, int runs,
    gl_arena *keep, gl_agreement_result **last)
{
	gl_agreement_annotator an[GL_BA_ANNOTATORS];
	gl_agreement_input in;
	double t[16], c[16];
	gl_ba_input(g, an, &in, unit, measures);
	for (int i = 0; i < runs; i++) {
		gl_arena a;
		gl_err err;
		gl_agreement_result *res;
		gl_arena_init(&a, 0);
		double t0 = gl_bench_now_s(), c0 = gl_ba_cpu_s();
		int rc = gl_agreement_compute(&in, i == runs - 1 ? keep : &a, &res, &err);
		t[i] = gl_bench_now_s() - t0;
		c[i] = gl_ba_cpu_s() - c0;
		if (rc != 0) {
			fprintf(stderr, "bench: agreement failed: %s\n", err.msg);
			exit(1);
		}
		if (i == runs - 1)
			*last = res;
		gl_arena_reset(&a);
	}
	gl_ba_time r = { gl_ba_median(t, (size_t)runs), gl_ba_median(c, (size_t)runs) };
	return r;
}

static gl_ba_time
gl_ba_time_plain(const gl_ba_data *g, int runs, long long *sum)
{
	double t[16], c[16];
	for (int i = 0; i < runs; i++) {
		volatile long long s = 0;
		double t0 = gl_bench_now_s(), c0 = gl_ba_cpu_s();
		for (int a = 0; a < GL_BA_ANNOTATORS; a++)
			for (size_t k = 0; k < g->nspans[a]; k++)
				s += g->spans[a][k].end - g->spans[a][k].start;
		t[i] = gl_bench_now_s() - t0;
		c[i] = gl_ba_cpu_s() - c0;
		*sum = s;
	}
	gl_ba_time r = { gl_ba_median(t, (size_t)runs), gl_ba_median(c, (size_t)runs) };
	return r;
}

static gl_ba_time
gl_ba_time_units(const gl_ba_data *g, int unit, int runs, size_t *units)
{
	double t[16], c[16];
	for (int i = 0; i < runs; i++) {
		size_t total = 0;
		double t0 = gl_bench_now_s(), c0 = gl_ba_cpu_s();
		for (size_t d = 0; d < g->ndocs; d++) {
			gl_agreement_range *r;
			size_t n;
			gl_err err;
			if (gl_agreement_units(g->docs[d].text, g->docs[d].len, unit,
			        &r, &n, NULL, &err) != 0)
				exit(1);
			total += n;
			free(r);
		}
		t[i] = gl_bench_now_s() - t0;
		c[i] = gl_ba_cpu_s() - c0;
		*units = total;
	}
	gl_ba_time r = { gl_ba_median(t, (size_t)runs), gl_ba_median(c, (size_t)runs) };
	return r;
}

static void
gl_ba_print_result(const char *what, const gl_agreement_result *res)
{
	const gl_agreement_block *o = &res->overall;
	printf("  %-6s units %lld: Fleiss %.3f, alpha %.3f, Cohen(1,2) %.3f, "
	    "span F1(1,2) strict %.3f overlap %.3f\n", what,
	    (long long)res->units, o->fleiss.value, o->alpha.value,
	    o->pairs[0].cohen.value, o->pairs[0].spans.strict_f1,
	    o->pairs[0].spans.overlap_f1);
}

/* ---- end to end ------------------------------------------------------- */

static int
gl_ba_user(gloss_client *admin, const char *name, char *token, size_t len)
{
	Gloss__V1__CreateUserRequest rq = GLOSS__V1__CREATE_USER_REQUEST__INIT;
	Gloss__V1__CreateUserResponse *rs = NULL;
	rq.name = (char *)name;
	int rc = gloss_call(admin, "/gloss.v1.Users/Create", &rq.base,
	    &gloss__v1__create_user_response__descriptor,
	    (ProtobufCMessage **)&rs, NULL);
	if (rc != 0)
		return gl_bench_fail("Users/Create", rc);
	snprintf(token, len, "%s", rs->token);
	gloss_free(rs);
	Gloss__V1__AddMemberRequest mq = GLOSS__V1__ADD_MEMBER_REQUEST__INIT;
	Gloss__V1__AddMemberResponse *ms = NULL;
	mq.project = (char *)"agree";
	mq.user = (char *)name;
	mq.role = (char *)"annotator";
	rc = gloss_call(admin, "/gloss.v1.Members/Add", &mq.base,
	    &gloss__v1__add_member_response__descriptor,
	    (ProtobufCMessage **)&ms, NULL);
	gloss_free(ms);
	return rc != 0 ? gl_bench_fail("Members/Add", rc) : 0;
}

/* Imports the texts; g->docs[].id become glossd's ids. */
static int
gl_ba_import(gloss_client *c, gl_ba_data *g)
{
	enum { BATCH = 100 };
	Gloss__V1__DocumentInput in[BATCH], *pin[BATCH];
	for (size_t at = 0; at < g->ndocs; at += BATCH) {
		size_t k = g->ndocs - at < BATCH ? g->ndocs - at : BATCH;
		for (size_t i = 0; i < k; i++) {
			gloss__v1__document_input__init(&in[i]);
			in[i].title = (char *)"agreement bench";
			in[i].text = g->texts[at + i];
			pin[i] = &in[i];
		}
		Gloss__V1__ImportRequest rq = GLOSS__V1__IMPORT_REQUEST__INIT;
		Gloss__V1__ImportResponse *rs = NULL;
		rq.project = (char *)"agree";
		rq.documents = pin;
		rq.n_documents = k;
		int rc = gloss_documents_import(c, &rq, &rs, NULL);
		if (rc != 0)
			return gl_bench_fail("Documents/Import", rc);
		for (size_t i = 0; i < k; i++) {
			if (rs->results[i]->duplicate) {
				fprintf(stderr, "bench: generated document %zu is a "
				    "duplicate\n", at + i);
				gloss_free(rs);
				return -1;
			}
			g->docs[at + i].id = rs->results[i]->id;
		}
		gloss_free(rs);
	}
	return 0;
}

/* Creates one annotator's spans as that user (doc ids remapped). */
static int
gl_ba_annotate(const char *url, const char *token, const gl_ba_data *g, int a)
{
	enum { BATCH = 1000 };
	gloss_client *c;
	int rc = gloss_connect(url, token, &c);
	if (rc != 0)
		return gl_bench_fail("connect", rc);
	Gloss__V1__AnnotationInput in[BATCH], *pin[BATCH];
	const gl_agreement_span *s = g->spans[a];
	for (size_t at = 0; at < g->nspans[a] && rc == 0; at += BATCH) {
		size_t k = g->nspans[a] - at < BATCH ? g->nspans[a] - at : BATCH;
		for (size_t i = 0; i < k; i++) {
			const gl_agreement_span *x = &s[at + i];
			gloss__v1__annotation_input__init(&in[i]);
			in[i].document_id = g->docs[x->doc_id - 1].id;
			in[i].layer = (char *)"actors";
			in[i].label = (char *)x->label;
			in[i].start = x->start;
			in[i].end = x->end;
			pin[i] = &in[i];
		}
		Gloss__V1__CreateAnnotationsRequest rq =
		    GLOSS__V1__CREATE_ANNOTATIONS_REQUEST__INIT;
		Gloss__V1__CreateAnnotationsResponse *rs = NULL;
		rq.annotations = pin;
		rq.n_annotations = k;
		rc = gloss_annotations_create(c, &rq, &rs, NULL);
		if (rc != 0)
			gl_bench_fail("Annotations/Create", rc);
		gloss_free(rs);
	}
	gloss_close(c);
	return rc;
}

static int
gl_ba_end_to_end(gl_ba_data *g, int runs, double pure_s)
{
	gl_bench_daemon dm;
	static const char *const names[] = { "ann1", "ann2", "ann3" };
	char tokens[GL_BA_ANNOTATORS][128];
	int ret = -1;
	/* info, for glossd's line on how long reading and computing took */
	static const char *const extra[] = { "--log-level", "info", NULL };
	if (gl_bench_daemon_start(&dm, NULL, extra) != 0)
		return -1;
	gloss_client *admin = gl_bench_connect(dm.ipc_url);
	gloss_set_timeout(admin, 120000);
	double t0 = gl_bench_now_s();
	if (gl_bench_project(admin, "agree") != 0 || gl_ba_import(admin, g) != 0)
		goto out;
	for (int a = 0; a < GL_BA_ANNOTATORS; a++)
		if (gl_ba_user(admin, names[a], tokens[a], sizeof(tokens[a])) != 0 ||
		    gl_ba_annotate(dm.ipc_url, tokens[a], g, a) != 0)
			goto out;
	printf("  loaded %zu documents and %zu annotations into glossd in %.1f s\n",
	    g->ndocs, g->nspans[0] + g->nspans[1] + g->nspans[2],
	    gl_bench_now_s() - t0);
	double t[16];
	Gloss__V1__ComputeAgreementResponse *rs = NULL;
	for (int i = 0; i < runs; i++) {
		Gloss__V1__ComputeAgreementRequest rq =
		    GLOSS__V1__COMPUTE_AGREEMENT_REQUEST__INIT;
		rq.project = (char *)"agree";
		rq.layer = (char *)"actors";
		gloss_free(rs);
		rs = NULL;
		double s0 = gl_bench_now_s();
		int rc = gloss_call(admin, "/gloss.v1.Agreement/Compute", &rq.base,
		    &gloss__v1__compute_agreement_response__descriptor,
		    (ProtobufCMessage **)&rs, NULL);
		t[i] = gl_bench_now_s() - s0;
		if (rc != 0) {
			gl_bench_fail("Agreement/Compute", rc);
			goto out;
		}
	}
	double med = gl_ba_median(t, (size_t)runs);
	printf("  Agreement/Compute over RPC    %8.1f ms  (%.1fx the in-process "
	    "computation)\n", med * 1e3, med / pure_s);
	if (rs && rs->overall && rs->overall->fleiss_kappa)
		printf("  answer: %zu annotators, %lld units, Fleiss %.3f, "
		    "alpha %.3f\n", rs->n_annotators, (long long)rs->units,
		    rs->overall->fleiss_kappa->value,
		    rs->overall->krippendorff_alpha->value);
	gloss_free(rs);
	/* glossd logs how the time split between reading and computing. */
	FILE *log = fopen(dm.log, "r");
	char line[512];
	while (log != NULL && fgets(line, sizeof(line), log) != NULL) {
		const char *at = strstr(line, "agreement: ");
		if (at != NULL && strstr(at, "computed in") != NULL)
			printf("  glossd %s", at);
	}
	if (log != NULL)
		fclose(log);
	ret = 0;
out:
	gloss_close(admin);
	gl_bench_daemon_stop(&dm);
	return ret;
}

int
main(int argc, char **argv)
{
	int quick = gl_ba_has(argc, argv, "--quick");
	int daemon = !gl_ba_has(argc, argv, "--no-daemon");
	size_t ndocs = quick ? 100 : 1000;
	int runs = quick ? 3 : 7;
	gl_ba_data g;
	if (gl_ba_generate(&g, ndocs, 0x5eed7) != 0) {
		fprintf(stderr, "bench: cannot generate the data\n");
		return 1;
	}
	printf("agreement: %zu documents (%.1f MB of text) x %d annotators x %d "
	    "spans; median of %d runs\n", ndocs, (double)g.text_bytes / 1e6,
	    GL_BA_ANNOTATORS, GL_BA_SPANS, runs);
	long long sum;
	size_t tok_units, char_units;
	gl_ba_time plain = gl_ba_time_plain(&g, runs, &sum);
	gl_ba_time ut = gl_ba_time_units(&g, GL_AGREEMENT_TOKEN, runs, &tok_units);
	gl_ba_time uc = gl_ba_time_units(&g, GL_AGREEMENT_CHAR, runs, &char_units);
	printf("  %-32s %10s %10s\n", "", "wall ms", "cpu ms");
	printf("  %-32s %10.3f %10.3f  (%lld code points)\n",
	    "baseline: sum of span lengths", plain.wall * 1e3, plain.cpu * 1e3, sum);
	printf("  %-32s %10.1f %10.1f  (%zu units)\n",
	    "baseline: cut token units", ut.wall * 1e3, ut.cpu * 1e3, tok_units);
	printf("  %-32s %10.1f %10.1f  (%zu units)\n",
	    "baseline: cut char units", uc.wall * 1e3, uc.cpu * 1e3, char_units);
	gl_arena keep;
	gl_arena_init(&keep, 0);
	gl_agreement_result *rt, *rc, *rs;
	gl_ba_time tt = gl_ba_time_compute(&g, GL_AGREEMENT_TOKEN, 0, runs, &keep, &rt);
	gl_ba_time tc = gl_ba_time_compute(&g, GL_AGREEMENT_CHAR, 0, runs, &keep, &rc);
	gl_ba_time ts = gl_ba_time_compute(&g, GL_AGREEMENT_TOKEN,
	    GL_AGREEMENT_SPANS, runs, &keep, &rs);
	printf("  %-32s %10.1f %10.1f  (%.1fx cutting the units; target < 1000 "
	    "ms)\n", "all measures, token units", tt.wall * 1e3, tt.cpu * 1e3,
	    tt.cpu / ut.cpu);
	printf("  %-32s %10.1f %10.1f  (%.1fx cutting the units)\n",
	    "all measures, char units", tc.wall * 1e3, tc.cpu * 1e3,
	    tc.cpu / uc.cpu);
	printf("  %-32s %10.1f %10.1f\n", "span scores only", ts.wall * 1e3,
	    ts.cpu * 1e3);
	gl_ba_print_result("token", rt);
	gl_ba_print_result("char", rc);
	gl_arena_reset(&keep);
	int ret = 0;
	if (daemon && gl_ba_end_to_end(&g, quick ? 1 : 3, tt.wall) != 0)
		ret = 1;
	gl_ba_free(&g);
	return ret;
}
