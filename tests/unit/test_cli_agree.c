/*
 * test_cli_agree.c - what `gloss agree` prints for an Agreement/Compute
 * answer (clients/cli/agree.c): both tables, "-" for what is undefined or
 * was not computed, and the JSON of an undefined value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli/agree.h"
#include "common/buf.h"
#include "gl_test.h"

static char *
render(const Gloss__V1__ComputeAgreementResponse *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	gl_cli_agree_print(f, r, "actors");
	fclose(f);
	return text;
}

/* The line of out that starts with prefix, or NULL. */
static const char *
line_of(const char *out, const char *prefix)
{
	for (const char *p = out; p != NULL && *p; ) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return p;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static int
line_has(const char *out, const char *prefix, const char *needle)
{
	const char *l = line_of(out, prefix);
	if (l == NULL)
		return 0;
	const char *e = strchr(l, '\n');
	size_t n = e ? (size_t)(e - l) : strlen(l);
	char *copy = strndup(l, n);
	int found = strstr(copy, needle) != NULL;
	free(copy);
	return found;
}

GL_TEST(tables)
{
	Gloss__V1__CoefficientValue fk = GLOSS__V1__COEFFICIENT_VALUE__INIT;
	Gloss__V1__CoefficientValue al = GLOSS__V1__COEFFICIENT_VALUE__INIT;
	Gloss__V1__CoefficientValue ck = GLOSS__V1__COEFFICIENT_VALUE__INIT;
	Gloss__V1__CoefficientValue lk = GLOSS__V1__COEFFICIENT_VALUE__INIT;
	Gloss__V1__SpanScores sp = GLOSS__V1__SPAN_SCORES__INIT;
	Gloss__V1__SpanScores lsp = GLOSS__V1__SPAN_SCORES__INIT;
	Gloss__V1__PairAgreement pair = GLOSS__V1__PAIR_AGREEMENT__INIT;
	Gloss__V1__PairAgreement lpair = GLOSS__V1__PAIR_AGREEMENT__INIT;
	Gloss__V1__LabelAgreement all = GLOSS__V1__LABEL_AGREEMENT__INIT;
	Gloss__V1__LabelAgreement per = GLOSS__V1__LABEL_AGREEMENT__INIT;
	Gloss__V1__ComputeAgreementResponse r =
	    GLOSS__V1__COMPUTE_AGREEMENT_RESPONSE__INIT;
	char *names[] = { "alice", "bob" };

	fk.value = 0.4;
	fk.defined = 1;
	fk.observed = 0.7;
	fk.expected = 0.5;
	fk.units = 50;
	al.value = NAN; /* undefined, e.g. one category only */
	al.observed = 1;
	al.expected = 1;
	al.units = 48;
	ck = fk;
	lk = fk;
	lk.value = 0.25;
	sp.a_spans = 3;
	sp.b_spans = 4;
	sp.strict_matches = 1;
	sp.overlap_matches = 2;
	sp.strict_precision = 0.25;
	sp.strict_recall = 1.0 / 3;
	sp.strict_f1 = 2.0 / 7;
	sp.overlap_precision = 0.5;
	sp.overlap_recall = 2.0 / 3;
	sp.overlap_f1 = 4.0 / 7;
	lsp.a_spans = 1; /* b has none of this label: precision undefined */
	lsp.strict_precision = NAN;
	lsp.overlap_precision = NAN;
	pair.a = "alice";
	pair.b = "bob";
	pair.label = "";
	pair.cohen_kappa = &ck;
	pair.spans = &sp;
	lpair = pair;
	lpair.label = "LOC";
	lpair.cohen_kappa = &lk;
	lpair.spans = &lsp;
	Gloss__V1__PairAgreement *pairs[] = { &pair }, *lpairs[] = { &lpair };
	all.label = "";
	all.fleiss_kappa = &fk;
	all.krippendorff_alpha = &al;
	all.pairs = pairs;
	all.n_pairs = 1;
	per.label = "LOC";
	per.fleiss_kappa = NULL; /* not computed */
	per.krippendorff_alpha = &al;
	per.pairs = lpairs;
	per.n_pairs = 1;
	Gloss__V1__LabelAgreement *pl[] = { &per };
	r.annotators = names;
	r.n_annotators = 2;
	r.documents = 3;
	r.units = 50;
	r.unit = "token";
	r.overall = &all;
	r.per_label = pl;
	r.n_per_label = 1;

	char *out = render(&r);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	CHECK(strstr(out, "layer actors: 2 annotators, 3 documents, 50 token "
	    "units\n") != NULL);
	CHECK(line_has(out, "(all)", "0.400"));
	CHECK(line_has(out, "(all)", "0.700/0.500"));
	CHECK(line_has(out, "(all)", "50/48")); /* Fleiss and alpha units */
	CHECK(line_has(out, "LOC ", " - ")); /* Fleiss not computed */
	CHECK(line_has(out, "alice  bob  (all)", "0.25/0.33/0.29 (1)"));
	CHECK(line_has(out, "alice  bob  (all)", "0.50/0.67/0.57 (2)"));
	CHECK(line_has(out, "alice  bob  (all)", "3/4"));
	CHECK(line_has(out, "alice  bob  LOC", "0.250"));
	CHECK(line_has(out, "alice  bob  LOC", "-/0.00/0.00 (0)"));
	CHECK(strstr(out, "nan") == NULL);
	free(out);

	/* JSON: an undefined value is null, not NaN. */
	gl_buf b = GL_BUF_INIT;
	CHECK_INT(gl_cli_json_message(&b, &al.base), 0);
	char *js = gl_buf_steal(&b);
	CHECK(js != NULL && strstr(js, "\"value\":null") != NULL);
	CHECK(js != NULL && strstr(js, "\"defined\":false") != NULL);
	free(js);
}

GL_TEST_MAIN(GL_TEST_ENTRY(tables))
