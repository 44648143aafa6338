/*
 * test_agreement.c - the agreement measures against worked examples with
 * published values, the unitisation on multi-byte text, the span matching,
 * the missing-data policy and the errors of daemon/agreement.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/agreement.h"
#include "tests/unit/gl_test.h"

#define M GL_AGREEMENT_MISSING

/*
 * Cohen's kappa, the 50-item Yes/No example (Wikipedia, "Cohen's kappa"):
 * both Yes 20, A Yes B No 5, A No B Yes 10, both No 15: po 0.7, pe 0.5,
 * kappa 0.4.
 */
GL_TEST(cohen_textbook)
{
	int32_t v[2 * 53];
	size_t u = 0;
	for (int i = 0; i < 20; i++, u++) { v[2 * u] = 1; v[2 * u + 1] = 1; }
	for (int i = 0; i < 5; i++, u++) { v[2 * u] = 1; v[2 * u + 1] = 0; }
	for (int i = 0; i < 10; i++, u++) { v[2 * u] = 0; v[2 * u + 1] = 1; }
	for (int i = 0; i < 15; i++, u++) { v[2 * u] = 0; v[2 * u + 1] = 0; }
	/* Units only one rater labelled do not count. */
	v[2 * u] = 1; v[2 * u + 1] = M; u++;
	v[2 * u] = M; v[2 * u + 1] = 0; u++;
	v[2 * u] = M; v[2 * u + 1] = M; u++;
	gl_agreement_matrix m = { v, u, 2, 2 };
	gl_agreement_coef k, per[2];
	gl_err err;
	CHECK_INT(gl_agreement_cohen(&m, 0, 1, &k, per, &err), 0);
	CHECK(k.defined);
	CHECK_INT(k.units, 50);
	CHECK_NEAR(k.observed, 0.7, 1e-12);
	CHECK_NEAR(k.expected, 0.5, 1e-12);
	CHECK_NEAR(k.value, 0.4, 1e-12);
	/* With two categories, one-vs-rest is the same table. */
	for (int c = 0; c < 2; c++) {
		CHECK(per[c].defined);
		CHECK_NEAR(per[c].value, 0.4, 1e-12);
		CHECK_NEAR(per[c].observed, 0.7, 1e-12);
		CHECK_NEAR(per[c].expected, 0.5, 1e-12);
	}
	/* Symmetric. */
	gl_agreement_coef k2;
	CHECK_INT(gl_agreement_cohen(&m, 1, 0, &k2, NULL, &err), 0);
	CHECK_NEAR(k2.value, 0.4, 1e-12);
}

/*
 * One-vs-rest on three categories, worked by hand: 10 units,
 * a = 1 1 1 2 2 2 0 0 0 0, b = 1 1 2 2 2 0 0 0 0 1.
 * Category 1: a has 3, b has 3, both 2 -> table 2/1/1/6: po 0.8,
 * pe 0.3*0.3 + 0.7*0.7 = 0.58, kappa 0.22/0.42.
 * Overall: po 0.7; pe = .4*.4 + .3*.3 + .3*.3 = 0.34; kappa 0.36/0.66.
 */
GL_TEST(cohen_one_vs_rest)
{
	int32_t a[] = { 1, 1, 1, 2, 2, 2, 0, 0, 0, 0 };
	int32_t b[] = { 1, 1, 2, 2, 2, 0, 0, 0, 0, 1 };
	int32_t v[20];
	for (int i = 0; i < 10; i++) {
		v[2 * i] = a[i];
		v[2 * i + 1] = b[i];
	}
	gl_agreement_matrix m = { v, 10, 2, 3 };
	gl_agreement_coef k, per[3];
	gl_err err;
	CHECK_INT(gl_agreement_cohen(&m, 0, 1, &k, per, &err), 0);
	CHECK_NEAR(k.observed, 0.7, 1e-12);
	CHECK_NEAR(k.expected, 0.34, 1e-12);
	CHECK_NEAR(k.value, 0.36 / 0.66, 1e-12);
	CHECK_NEAR(per[1].observed, 0.8, 1e-12);
	CHECK_NEAR(per[1].expected, 0.58, 1e-12);
	CHECK_NEAR(per[1].value, 0.22 / 0.42, 1e-12);
}

/* Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters. */
static const int fleiss_table[10][5] = {
	{ 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 },
	{ 0, 3, 9, 2, 0 }, { 2, 2, 8, 1, 1 }, { 7, 7, 0, 0, 0 },
	{ 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 }, { 6, 5, 2, 1, 0 },
	{ 0, 2, 2, 3, 7 },
};

static void
fleiss_matrix(int32_t *v)
{
	for (int s = 0; s < 10; s++) {
		int r = 0;
		for (int c = 0; c < 5; c++)
			for (int k = 0; k < fleiss_table[s][c]; k++)
				v[s * 14 + r++] = c;
	}
}

GL_TEST(fleiss_wikipedia)
{
	int32_t v[10 * 14];
	fleiss_matrix(v);
	gl_agreement_matrix m = { v, 10, 14, 5 };
	gl_agreement_coef k, per[5];
	gl_err err;
	CHECK_INT(gl_agreement_fleiss(&m, &k, per, &err), 0);
	CHECK(k.defined);
	CHECK_INT(k.units, 10);
	CHECK_NEAR(k.observed, 0.378, 0.0005);  /* P-bar */
	CHECK_NEAR(k.expected, 0.213, 0.0005);  /* P-bar-e */
	CHECK_NEAR(k.value, 0.210, 0.0005);
	/*
	 * One-vs-rest for category 0 (p = 20/140): the same formula on the
	 * collapsed table, computed here from it.
	 */
	double psum = 0;
	for (int s = 0; s < 10; s++) {
		double c = fleiss_table[s][0];
		psum += (c * c + (14 - c) * (14 - c) - 14) / (14.0 * 13.0);
	}
	double p = 20.0 / 140.0, pe = p * p + (1 - p) * (1 - p);
	CHECK_NEAR(per[0].observed, psum / 10, 1e-12);
	CHECK_NEAR(per[0].expected, pe, 1e-12);
	CHECK_NEAR(per[0].value, (psum / 10 - pe) / (1 - pe), 1e-12);
}

/* Fleiss uses only the units every rater labelled. */
GL_TEST(fleiss_complete_units_only)
{
	int32_t v[11 * 14];
	fleiss_matrix(v);
	for (int r = 0; r < 14; r++)
		v[10 * 14 + r] = r < 13 ? 4 : M;
	gl_agreement_matrix m = { v, 11, 14, 5 };
	gl_agreement_coef k;
	gl_err err;
	CHECK_INT(gl_agreement_fleiss(&m, &k, NULL, &err), 0);
	CHECK_INT(k.units, 10);
	CHECK_NEAR(k.value, 0.20993070442195522, 1e-12);
}

/*
 * Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011),
 * section C: nominal data, 4 observers, 12 units, missing values.
 * Published: alpha = 0.743 (n = 40 pairable values).
 */
GL_TEST(alpha_krippendorff_2011_nominal)
{
	static const int32_t obs[4][12] = {
		{ 1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M },
		{ 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3 },
		{ M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M },
		{ 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M },
	};
	int32_t v[12 * 4];
	for (int u = 0; u < 12; u++)
		for (int r = 0; r < 4; r++)
			v[u * 4 + r] = obs[r][u];
	gl_agreement_matrix m = { v, 12, 4, 6 };
	gl_agreement_coef k, per[6];
	gl_err err;
	CHECK_INT(gl_agreement_alpha(&m, &k, per, &err), 0);
	CHECK(k.defined);
	CHECK_INT(k.units, 11); /* unit 12 has one value: not pairable */
	CHECK_NEAR(k.value, 0.743, 0.0005);
	/* Do = 1 - 32/40 (the coincidence diagonal sums to 32). */
	CHECK_NEAR(k.observed, 0.8, 1e-12);
	/* Category 0 is never used: one-vs-rest undefined, not NaN noise. */
	CHECK(!per[0].defined);
	CHECK(isnan(per[0].value));
	CHECK(per[3].defined);
}

/*
 * Same paper, section A: binary data, two observers, no missing values.
 * Published: alpha = 0.095.
 */
GL_TEST(alpha_krippendorff_2011_binary)
{
	static const int32_t a[] = { 0, 1, 0, 0, 0, 0, 0, 0, 1, 0 };
	static const int32_t b[] = { 1, 1, 1, 0, 0, 1, 0, 0, 0, 0 };
	int32_t v[20];
	for (int i = 0; i < 10; i++) {
		v[2 * i] = a[i];
		v[2 * i + 1] = b[i];
	}
	gl_agreement_matrix m = { v, 10, 2, 2 };
	gl_agreement_coef k, per[2];
	gl_err err;
	CHECK_INT(gl_agreement_alpha(&m, &k, per, &err), 0);
	CHECK_NEAR(k.value, 0.095, 0.0005);
	CHECK_INT(k.units, 10);
	/* Binary: one-vs-rest is the same coincidence table. */
	CHECK_NEAR(per[1].value, k.value, 1e-12);
	CHECK_NEAR(per[0].value, k.value, 1e-12);
}

GL_TEST(undefined_when_one_category)
{
	int32_t v[] = { 2, 2, 2, 2, 2, 2, 2, 2, 2 };
	gl_agreement_matrix m = { v, 3, 3, 3 };
	gl_agreement_coef c, f, al, per[3];
	gl_err err;
	CHECK_INT(gl_agreement_cohen(&m, 0, 2, &c, per, &err), 0);
	CHECK(!c.defined);
	CHECK(isnan(c.value));
	CHECK_NEAR(c.observed, 1, 1e-12);
	CHECK_NEAR(c.expected, 1, 1e-12);
	CHECK_INT(c.units, 3);
	CHECK(!per[1].defined); /* nobody used it */
	CHECK(!per[2].defined); /* everybody used only it */
	CHECK_INT(gl_agreement_fleiss(&m, &f, NULL, &err), 0);
	CHECK(!f.defined);
	CHECK(isnan(f.value));
	CHECK_INT(gl_agreement_alpha(&m, &al, NULL, &err), 0);
	CHECK(!al.defined);
	CHECK(isnan(al.value));
	/* No units at all. */
	int32_t w[] = { M, 1, M, M, 1, M };
	gl_agreement_matrix e = { w, 2, 3, 3 };
	CHECK_INT(gl_agreement_fleiss(&e, &f, NULL, &err), 0);
	CHECK(!f.defined);
	CHECK_INT(f.units, 0);
	CHECK_INT(gl_agreement_alpha(&e, &al, NULL, &err), 0);
	CHECK(!al.defined);
	CHECK_INT(al.units, 0);
}

GL_TEST(matrix_errors)
{
	int32_t v[] = { 0, 3 };
	gl_agreement_matrix m = { v, 1, 2, 3 };
	gl_agreement_coef c;
	gl_err err;
	CHECK_INT(gl_agreement_alpha(&m, &c, NULL, &err), -GL_INVALID_ARGUMENT);
	CHECK(strstr(err.msg, "category 3") != NULL);
	v[1] = 1;
	CHECK_INT(gl_agreement_cohen(&m, 0, 0, &c, NULL, &err), -GL_INVALID_ARGUMENT);
	CHECK_INT(gl_agreement_cohen(&m, 0, 2, &c, NULL, &err), -GL_INVALID_ARGUMENT);
	gl_agreement_matrix one = { v, 2, 1, 3 };
	CHECK_INT(gl_agreement_fleiss(&one, &c, NULL, &err), -GL_INVALID_ARGUMENT);
}

/* ---- units ---------------------------------------------------------- */

static int
range_is(const gl_agreement_range *r, int64_t s, int64_t e)
{
	return r->start == s && r->end == e;
}

GL_TEST(units_token_multibyte)
{
	/*
	 * Code points: "Zürich’s" is Z ü r i c h ’ s (0..8), NBSP (8),
	 * "“naïve”" (9..16), space, "東京" (17..19), em space U+2003 (19),
	 * "U.S." (20..24), newline, "e" + U+0301 (a combining mark joins its
	 * letter; 25..27), space, "x2" (28..30): 30 code points.
	 */
	const char *t = "Z\xc3\xbcrich\xe2\x80\x99s\xc2\xa0\xe2\x80\x9cna\xc3\xafve"
	    "\xe2\x80\x9d \xe6\x9d\xb1\xe4\xba\xac\xe2\x80\x83U.S.\ne\xcc\x81 x2";
	gl_agreement_range *r;
	size_t n;
	int64_t cps;
	gl_err err;
	CHECK_INT(gl_agreement_units(t, strlen(t), GL_AGREEMENT_TOKEN, &r, &n,
	    &cps, &err), 0);
	CHECK_INT(cps, 30);
	CHECK_INT(n, 13);
	if (n == 13) {
		CHECK(range_is(&r[0], 0, 6));   /* Zürich */
		CHECK(range_is(&r[1], 6, 7));   /* ’ */
		CHECK(range_is(&r[2], 7, 8));   /* s */
		CHECK(range_is(&r[3], 9, 10));  /* “ */
		CHECK(range_is(&r[4], 10, 15)); /* naïve */
		CHECK(range_is(&r[5], 15, 16)); /* ” */
		CHECK(range_is(&r[6], 17, 19)); /* 東京 */
		CHECK(range_is(&r[7], 20, 21)); /* U */
		CHECK(range_is(&r[8], 21, 22)); /* . */
		CHECK(range_is(&r[9], 22, 23)); /* S */
		CHECK(range_is(&r[10], 23, 24)); /* . */
		CHECK(range_is(&r[11], 25, 27)); /* e + combining acute */
		CHECK(range_is(&r[12], 28, 30)); /* x2 */
	}
	free(r);
	CHECK_INT(gl_agreement_units(t, strlen(t), GL_AGREEMENT_CHAR, &r, &n,
	    &cps, &err), 0);
	/* 30 code points less NBSP, space, em space, newline, space. */
	CHECK_INT(n, 25);
	if (n == 25) {
		CHECK(range_is(&r[0], 0, 1));
		CHECK(range_is(&r[8], 9, 10));   /* after the NBSP */
		CHECK(range_is(&r[15], 17, 18)); /* 東 */
		CHECK(range_is(&r[17], 20, 21)); /* U after the em space */
	}
	free(r);
	CHECK_INT(gl_agreement_units("ab\xff", 3, GL_AGREEMENT_TOKEN, &r, &n,
	    &cps, &err), -GL_INVALID_ARGUMENT);
	CHECK_INT(gl_agreement_units("", 0, GL_AGREEMENT_CHAR, &r, &n, &cps,
	    &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(cps, 0);
	free(r);
}

/* ---- compute: unit labels, spans, policies -------------------------- */

static gl_agreement_result *
run(gl_arena *a, const gl_agreement_doc *docs, size_t nd,
    const gl_agreement_annotator *an, size_t na, int unit, int skip,
    unsigned measures, int *rc, gl_err *err)
{
	gl_agreement_input in = { docs, nd, an, na, unit, measures, skip };
	gl_agreement_result *res = NULL;
	*rc = gl_agreement_compute(&in, a, &res, err);
	return res;
}

GL_TEST(compute_overlapping_spans_of_one_annotator)
{
	/* "hello world": tokens [0,5) and [6,11). */
	gl_agreement_doc doc = { 7, "hello world", 11 };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	/* a: B starts later than A, so A labels "hello"; b says A too. */
	gl_agreement_span sa[] = { { 7, 2, 5, "B" }, { 7, 0, 3, "A" } };
	gl_agreement_span sb[] = { { 7, 0, 5, "A" } };
	gl_agreement_annotator an[] = { { "a", sa, 2 }, { "b", sb, 1 } };
	gl_agreement_result *res = run(&a, &doc, 1, an, 2, GL_AGREEMENT_TOKEN,
	    0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->units, 2);
		CHECK_NEAR(res->overall.pairs[0].cohen.observed, 1, 1e-12);
	}
	/* Same start: the longest wins ("LONG" also covers "wo"). */
	gl_agreement_span la[] = { { 7, 0, 3, "SHORT" }, { 7, 0, 8, "LONG" } };
	gl_agreement_span lb[] = { { 7, 0, 11, "LONG" } };
	gl_agreement_annotator an2[] = { { "a", la, 2 }, { "b", lb, 1 } };
	res = run(&a, &doc, 1, an2, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_NEAR(res->overall.pairs[0].cohen.observed, 1, 1e-12);
		CHECK_INT(res->n_labels, 2);
		CHECK_STR(res->per_label[0].label, "LONG");
		CHECK_STR(res->per_label[1].label, "SHORT");
	}
	/* Char units: "hel" LONG vs LONG ... only 10 non-space points. */
	res = run(&a, &doc, 1, an2, 2, GL_AGREEMENT_CHAR, 0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->units, 10);
		/* a: LONG on 0..8 (7 letters), O on "rld"; b: LONG on all 10. */
		CHECK_NEAR(res->overall.pairs[0].cohen.observed, 0.7, 1e-12);
	}
	gl_arena_reset(&a);
}

GL_TEST(compute_multibyte_offsets)
{
	/* "Ça va, señor 東京!" : 東京 is code points 13..15. */
	const char *t = "\xc3\x87" "a va, se\xc3\xb1or \xe6\x9d\xb1\xe4\xba\xac!";
	gl_agreement_doc doc = { 1, t, strlen(t) };
	gl_agreement_span sa[] = { { 1, 13, 15, "LOC" }, { 1, 7, 12, "PER" } };
	gl_agreement_span sb[] = { { 1, 13, 15, "LOC" } };
	gl_agreement_annotator an[] = { { "a", sa, 2 }, { "b", sb, 1 } };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	gl_agreement_result *res = run(&a, &doc, 1, an, 2, GL_AGREEMENT_TOKEN,
	    0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		/* Ça va , señor 東京 ! */
		CHECK_INT(res->units, 6);
		const gl_agreement_pair *p = &res->overall.pairs[0];
		CHECK_INT(p->spans.strict, 1);
		CHECK_INT(p->spans.a_spans, 2);
		CHECK_INT(p->spans.b_spans, 1);
		CHECK_INT(p->cohen.units, 6);
		/* Disagreement on "señor" only: po = 5/6. */
		CHECK_NEAR(p->cohen.observed, 5.0 / 6.0, 1e-12);
		/* LOC: both agree on the one LOC unit and the 5 others. */
		CHECK_STR(res->per_label[0].label, "LOC");
		CHECK_NEAR(res->per_label[0].pairs[0].cohen.value, 1, 1e-12);
		CHECK_NEAR(res->per_label[0].pairs[0].spans.strict_f1, 1, 1e-12);
		/* PER: b has none; recall 0, precision undefined. */
		const gl_agreement_spans *s = &res->per_label[1].pairs[0].spans;
		CHECK(!s->precision_defined);
		CHECK(isnan(s->strict_precision));
		CHECK(s->recall_defined);
		CHECK_NEAR(s->strict_recall, 0, 1e-12);
		CHECK(s->f1_defined);
		CHECK_NEAR(s->strict_f1, 0, 1e-12);
	}
	/* The text has 16 code points (and 21 bytes): [14, 17) is out of range. */
	gl_agreement_span bad[] = { { 1, 14, 17, "LOC" } };
	gl_agreement_annotator an2[] = { { "a", sa, 2 }, { "b", bad, 1 } };
	res = run(&a, &doc, 1, an2, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	CHECK(strstr(err.msg, "out of range") != NULL);
	gl_arena_reset(&a);
}

/*
 * Strict and overlap matching, b against a:
 *   a: ORG [0,5)  PER [10,15)  LOC [20,25)
 *   b: ORG [0,5)  PER [11,15)  ORG [20,25)  PER [30,35)
 * strict 1 (ORG), overlap 2 (ORG, PER); LOC vs ORG is no match.
 */
GL_TEST(compute_span_scores)
{
	char text[41];
	memset(text, 'x', 40);
	text[40] = '\0';
	gl_agreement_doc doc = { 3, text, 40 };
	gl_agreement_span sa[] = { { 3, 20, 25, "LOC" }, { 3, 0, 5, "ORG" },
		{ 3, 10, 15, "PER" } };
	gl_agreement_span sb[] = { { 3, 0, 5, "ORG" }, { 3, 11, 15, "PER" },
		{ 3, 20, 25, "ORG" }, { 3, 30, 35, "PER" } };
	gl_agreement_annotator an[] = { { "a", sa, 3 }, { "b", sb, 4 } };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	gl_agreement_result *res = run(&a, &doc, 1, an, 2, GL_AGREEMENT_CHAR,
	    0, GL_AGREEMENT_SPANS, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->measures, GL_AGREEMENT_SPANS);
		CHECK(!res->overall.fleiss.defined);
		const gl_agreement_spans *s = &res->overall.pairs[0].spans;
		CHECK_INT(s->a_spans, 3);
		CHECK_INT(s->b_spans, 4);
		CHECK_INT(s->strict, 1);
		CHECK_INT(s->overlap, 2);
		CHECK_NEAR(s->strict_precision, 0.25, 1e-12);
		CHECK_NEAR(s->strict_recall, 1.0 / 3, 1e-12);
		CHECK_NEAR(s->strict_f1, 2.0 / 7, 1e-12);
		CHECK_NEAR(s->overlap_precision, 0.5, 1e-12);
		CHECK_NEAR(s->overlap_recall, 2.0 / 3, 1e-12);
		CHECK_NEAR(s->overlap_f1, 4.0 / 7, 1e-12);
		CHECK_INT(res->n_labels, 3);
		/* LOC (a only), ORG, PER. */
		const gl_agreement_spans *loc = &res->per_label[0].pairs[0].spans;
		CHECK_INT(loc->a_spans, 1);
		CHECK_INT(loc->b_spans, 0);
		CHECK(!loc->precision_defined);
		const gl_agreement_spans *org = &res->per_label[1].pairs[0].spans;
		CHECK_INT(org->a_spans, 1);
		CHECK_INT(org->b_spans, 2);
		CHECK_INT(org->strict, 1);
		CHECK_NEAR(org->strict_f1, 2.0 / 3, 1e-12);
		const gl_agreement_spans *per = &res->per_label[2].pairs[0].spans;
		CHECK_INT(per->strict, 0);
		CHECK_INT(per->overlap, 1);
		CHECK_NEAR(per->overlap_precision, 0.5, 1e-12);
		CHECK_NEAR(per->overlap_recall, 1, 1e-12);
	}
	gl_arena_reset(&a);
}

/* One-to-one, exact pairs first, then the larger overlap. */
GL_TEST(compute_span_matching_one_to_one)
{
	char text[21];
	memset(text, 'x', 20);
	text[20] = '\0';
	gl_agreement_doc doc = { 1, text, 20 };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	/* The exact pair wins although a's longer span comes first. */
	gl_agreement_span sa[] = { { 1, 0, 8, "X" }, { 1, 4, 6, "X" } };
	gl_agreement_span sb[] = { { 1, 4, 6, "X" } };
	gl_agreement_annotator an[] = { { "a", sa, 2 }, { "b", sb, 1 } };
	gl_agreement_result *res = run(&a, &doc, 1, an, 2, GL_AGREEMENT_CHAR,
	    0, GL_AGREEMENT_SPANS, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->overall.pairs[0].spans.strict, 1);
		CHECK_INT(res->overall.pairs[0].spans.overlap, 1);
	}
	/* One a span, two b spans overlapping it: one match, the larger. */
	gl_agreement_span ta[] = { { 1, 0, 10, "X" }, { 1, 12, 20, "X" } };
	gl_agreement_span tb[] = { { 1, 0, 4, "X" }, { 1, 2, 11, "X" } };
	gl_agreement_annotator an2[] = { { "a", ta, 2 }, { "b", tb, 2 } };
	res = run(&a, &doc, 1, an2, 2, GL_AGREEMENT_CHAR, 0,
	    GL_AGREEMENT_SPANS, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->overall.pairs[0].spans.overlap, 1);
		CHECK_INT(res->overall.pairs[0].spans.strict, 0);
		CHECK_NEAR(res->overall.pairs[0].spans.overlap_precision, 0.5, 1e-12);
	}
	/* Duplicates: two identical spans in a, one in b: one strict match. */
	gl_agreement_span da[] = { { 1, 3, 5, "X" }, { 1, 3, 5, "X" } };
	gl_agreement_span db[] = { { 1, 3, 5, "X" } };
	gl_agreement_annotator an3[] = { { "a", da, 2 }, { "b", db, 1 } };
	res = run(&a, &doc, 1, an3, 2, GL_AGREEMENT_CHAR, 0,
	    GL_AGREEMENT_SPANS, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->overall.pairs[0].spans.strict, 1);
		CHECK_NEAR(res->overall.pairs[0].spans.strict_recall, 0.5, 1e-12);
		CHECK_NEAR(res->overall.pairs[0].spans.strict_precision, 1, 1e-12);
	}
	gl_arena_reset(&a);
}

/*
 * Three annotators on three one-token-per-word documents; c has nothing in
 * document 2.  By default that is all "O" for c; with skip_unannotated it
 * is missing.
 */
GL_TEST(compute_missing_policy)
{
	gl_agreement_doc docs[] = {
		{ 1, "aa bb cc dd", 11 },
		{ 2, "ee ff gg hh", 11 },
		{ 3, "ii jj", 5 },
	};
	gl_agreement_span sa[] = { { 1, 0, 2, "P" }, { 2, 3, 5, "P" },
		{ 3, 0, 2, "Q" } };
	gl_agreement_span sb[] = { { 1, 0, 2, "P" }, { 2, 3, 5, "P" },
		{ 3, 0, 2, "Q" } };
	gl_agreement_span sc[] = { { 1, 0, 2, "P" }, { 3, 0, 2, "Q" },
		{ 99, 0, 1, "Z" } /* not among the documents: ignored */ };
	gl_agreement_annotator an[] = { { "a", sa, 3 }, { "b", sb, 3 },
		{ "c", sc, 3 } };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	gl_agreement_result *res = run(&a, docs, 3, an, 3, GL_AGREEMENT_TOKEN,
	    0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->documents, 3);
		CHECK_INT(res->units, 10);
		CHECK_INT(res->n_labels, 2); /* Z is not counted */
		CHECK_INT(res->overall.n_pairs, 3);
		CHECK_INT(res->overall.fleiss.units, 10);
		CHECK_INT(res->overall.alpha.units, 10);
		/* (a, c): disagree on "ff" only. */
		const gl_agreement_pair *ac = &res->overall.pairs[1];
		CHECK_INT(ac->a, 0);
		CHECK_INT(ac->b, 2);
		CHECK_INT(ac->cohen.units, 10);
		CHECK_NEAR(ac->cohen.observed, 0.9, 1e-12);
		CHECK_INT(ac->spans.a_spans, 3);
		CHECK_INT(ac->spans.strict, 2);
		CHECK_NEAR(res->overall.pairs[0].cohen.value, 1, 1e-12);
	}
	res = run(&a, docs, 3, an, 3, GL_AGREEMENT_TOKEN, 1, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->units, 10);
		CHECK_INT(res->overall.fleiss.units, 6);  /* docs 1 and 3 */
		CHECK_INT(res->overall.alpha.units, 10);  /* a and b pair on doc 2 */
		const gl_agreement_pair *ac = &res->overall.pairs[1];
		CHECK_INT(ac->cohen.units, 6);
		CHECK_NEAR(ac->cohen.value, 1, 1e-12);
		CHECK_INT(ac->spans.a_spans, 2);
		CHECK_NEAR(ac->spans.strict_f1, 1, 1e-12);
		CHECK_INT(res->overall.pairs[0].cohen.units, 10);
		CHECK_NEAR(res->overall.fleiss.value, 1, 1e-12);
		CHECK_NEAR(res->overall.alpha.value, 1, 1e-12);
	}
	gl_arena_reset(&a);
}

/*
 * Fleiss and alpha through compute equal the matrix functions on the same
 * labels: rebuild the Wikipedia Fleiss example as 10 one-character
 * documents with 14 annotators (category c+1 = label "Lc"; category 0 = no
 * span, which is Fleiss' first category).
 */
GL_TEST(compute_matches_matrix_functions)
{
	static const char *labels[] = { NULL, "L1", "L2", "L3", "L4" };
	gl_agreement_doc docs[10];
	gl_agreement_span spans[14][10];
	size_t ns[14] = { 0 };
	for (int s = 0; s < 10; s++) {
		docs[s].id = s + 1;
		docs[s].text = "w";
		docs[s].len = 1;
		int r = 0;
		for (int c = 0; c < 5; c++)
			for (int k = 0; k < fleiss_table[s][c]; k++, r++)
				if (c > 0) {
					gl_agreement_span *x = &spans[r][ns[r]++];
					x->doc_id = s + 1;
					x->start = 0;
					x->end = 1;
					x->label = labels[c];
				}
	}
	gl_agreement_annotator an[14];
	char names[14][8];
	for (int r = 0; r < 14; r++) {
		snprintf(names[r], sizeof(names[r]), "r%d", r);
		an[r].name = names[r];
		an[r].spans = spans[r];
		an[r].n_spans = ns[r];
	}
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	gl_agreement_result *res = run(&a, docs, 10, an, 14, GL_AGREEMENT_TOKEN,
	    0, GL_AGREEMENT_FLEISS | GL_AGREEMENT_ALPHA, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->units, 10);
		CHECK_NEAR(res->overall.fleiss.value, 0.20993070442195522, 1e-12);
		CHECK_INT(res->overall.n_pairs, 91);
		CHECK(!res->overall.pairs[0].cohen.defined); /* not asked for */
		int32_t v[140];
		fleiss_matrix(v);
		gl_agreement_matrix m = { v, 10, 14, 5 };
		gl_agreement_coef f, al, per[5];
		CHECK_INT(gl_agreement_alpha(&m, &al, per, &err), 0);
		CHECK_NEAR(res->overall.alpha.value, al.value, 1e-12);
		CHECK_NEAR(res->per_label[2].alpha.value, per[3].value, 1e-12);
		CHECK_INT(gl_agreement_fleiss(&m, &f, per, &err), 0);
		CHECK_NEAR(res->per_label[0].fleiss.value, per[1].value, 1e-12);
		CHECK_STR(res->per_label[3].label, "L4");
	}
	gl_arena_reset(&a);
}

GL_TEST(compute_errors)
{
	gl_agreement_doc docs[] = { { 1, "abc", 3 }, { 1, "def", 3 } };
	gl_agreement_span s[] = { { 1, 0, 1, "X" } };
	gl_agreement_annotator an[] = { { "a", s, 1 }, { "b", s, 1 } };
	gl_arena a;
	gl_arena_init(&a, 0);
	gl_err err;
	int rc;
	run(&a, docs, 1, an, 1, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_FAILED_PRECONDITION);
	run(&a, docs, 2, an, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	CHECK(strstr(err.msg, "twice") != NULL);
	gl_agreement_span empty[] = { { 1, 0, 1, "" } };
	gl_agreement_annotator an2[] = { { "a", s, 1 }, { "b", empty, 1 } };
	run(&a, docs, 1, an2, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	gl_agreement_span rev[] = { { 1, 2, 2, "X" } };
	gl_agreement_annotator an3[] = { { "a", s, 1 }, { "b", rev, 1 } };
	run(&a, docs, 1, an3, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	gl_agreement_doc bad = { 5, "a\xc3", 2 };
	run(&a, &bad, 1, an, 2, GL_AGREEMENT_TOKEN, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	run(&a, docs, 1, an, 2, 7, 0, 0, &rc, &err);
	CHECK_INT(rc, -GL_INVALID_ARGUMENT);
	/* No documents: everything is there and undefined. */
	gl_agreement_result *res = run(&a, NULL, 0, an, 2, GL_AGREEMENT_TOKEN,
	    0, 0, &rc, &err);
	CHECK_INT(rc, 0);
	if (res) {
		CHECK_INT(res->units, 0);
		CHECK(!res->overall.fleiss.defined);
		CHECK(!res->overall.pairs[0].cohen.defined);
		CHECK(!res->overall.pairs[0].spans.f1_defined);
		CHECK(isnan(res->overall.pairs[0].spans.overlap_f1));
	}
	gl_arena_reset(&a);
}

GL_TEST(names)
{
	CHECK_INT(gl_agreement_unit_from_name(NULL), GL_AGREEMENT_TOKEN);
	CHECK_INT(gl_agreement_unit_from_name(""), GL_AGREEMENT_TOKEN);
	CHECK_INT(gl_agreement_unit_from_name("token"), GL_AGREEMENT_TOKEN);
	CHECK_INT(gl_agreement_unit_from_name("char"), GL_AGREEMENT_CHAR);
	CHECK_INT(gl_agreement_unit_from_name("word"), -1);
	CHECK_STR(gl_agreement_unit_name(GL_AGREEMENT_CHAR), "char");
	CHECK_INT(gl_agreement_measure_from_name("alpha"), GL_AGREEMENT_ALPHA);
	CHECK_INT(gl_agreement_measure_from_name("spans"), GL_AGREEMENT_SPANS);
	CHECK_INT(gl_agreement_measure_from_name("kappa"), 0);
}

GL_TEST_MAIN(
    GL_TEST_ENTRY(cohen_textbook),
    GL_TEST_ENTRY(cohen_one_vs_rest),
    GL_TEST_ENTRY(fleiss_wikipedia),
    GL_TEST_ENTRY(fleiss_complete_units_only),
    GL_TEST_ENTRY(alpha_krippendorff_2011_nominal),
    GL_TEST_ENTRY(alpha_krippendorff_2011_binary),
    GL_TEST_ENTRY(undefined_when_one_category),
    GL_TEST_ENTRY(matrix_errors),
    GL_TEST_ENTRY(units_token_multibyte),
    GL_TEST_ENTRY(compute_overlapping_spans_of_one_annotator),
    GL_TEST_ENTRY(compute_multibyte_offsets),
    GL_TEST_ENTRY(compute_span_scores),
    GL_TEST_ENTRY(compute_span_matching_one_to_one),
    GL_TEST_ENTRY(compute_missing_policy),
    GL_TEST_ENTRY(compute_matches_matrix_functions),
    GL_TEST_ENTRY(compute_errors),
    GL_TEST_ENTRY(names))
