/*
 * agreement.c - Cohen's kappa, Fleiss' kappa, Krippendorff's alpha and
 * span-level P/R/F1 between annotators (see agreement.h for the choices).
 *
 * The coefficients share one pass over the units x annotators matrix that
 * gathers integer counts (each unit's values are tallied once for Fleiss
 * and alpha); the one-vs-rest figures for every category come out of the
 * same counts, so per-label results cost no extra pass.  Whether
 * a coefficient is defined is decided from those integer counts, never by
 * comparing a rounded double with 1.
 */
#include "daemon/agreement.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "common/utf8.h"

/* ---- coefficients --------------------------------------------------------- */

static void
gl_agreement_coef_set(gl_agreement_coef *c, int64_t units, double po,
    double pe, int defined)
{
	c->units = units;
	c->observed = units > 0 ? po : 0;
	c->expected = units > 0 ? pe : 0;
	c->defined = defined && units > 0;
	c->value = c->defined ? (po - pe) / (1 - pe) : NAN;
}

static int
gl_agreement_check(const gl_agreement_matrix *m, gl_err *err)
{
	if (m == NULL || (m->v == NULL && m->units > 0) || m->categories < 1)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "agreement matrix: no values or no categories");
	size_t n = m->units * m->raters;
	for (size_t i = 0; i < n; i++) {
		int32_t x = m->v[i];
		if (x != GL_AGREEMENT_MISSING && (x < 0 || x >= m->categories))
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "agreement matrix: unit %zu, rater %zu has category "
			    "%d, outside 0..%d", i / m->raters, i % m->raters,
			    (int)x, (int)m->categories - 1);
	}
	return 0;
}

/*
 * The sums behind the three coefficients.  They are additive over units,
 * so a matrix may be fed in pieces: compute feeds one document at a time
 * and never holds the whole units x annotators matrix.
 */
typedef struct gl_agr_acc {
	size_t K, R, P;
	unsigned what;          /* GL_AGREEMENT_COHEN | _FLEISS | _ALPHA */
	const size_t *pa, *pb;  /* [P] the raters of each Cohen pair */
	/* Cohen, per pair p: margins and diagonal at [p * K + k] */
	int64_t *c_row, *c_col, *c_diag;
	int64_t *c_n, *c_agree; /* [P] */
	/* Fleiss, over complete units */
	int64_t *f_tot;         /* [K] ratings per category */
	double *f_dev;          /* [K] one-vs-rest agreement minus 1, summed */
	double f_psum;          /* sum of the units' P_i */
	int64_t f_n;
	/* Krippendorff, over pairable units */
	int64_t *a_tot;         /* [K] pairable values per category */
	double *a_dev;          /* [K] one-vs-rest diagonal minus m_u, summed */
	double a_diag;          /* sum of the coincidence diagonal */
	int64_t a_n, a_units;
	/* one unit's distinct values and their counts */
	int32_t *t_cat;
	int64_t *t_cnt;
} gl_agr_acc;

static void
gl_agr_acc_free(gl_agr_acc *acc)
{
	free(acc->c_row);
	free(acc->c_n);
	free(acc->f_tot);
	free(acc->f_dev);
	free(acc->t_cat);
	free(acc->t_cnt);
	memset(acc, 0, sizeof(*acc));
}

static int
gl_agr_acc_init(gl_agr_acc *acc, size_t K, size_t R, unsigned what,
    const size_t *pa, const size_t *pb, size_t P, gl_err *err)
{
	memset(acc, 0, sizeof(*acc));
	acc->K = K;
	acc->R = R;
	acc->P = P;
	acc->what = what;
	acc->pa = pa;
	acc->pb = pb;
	int ok = 1;
	if (P > 0) {
		ok = (acc->c_row = calloc(3 * P * K, sizeof(int64_t))) != NULL &&
		    (acc->c_n = calloc(2 * P, sizeof(int64_t))) != NULL;
		if (ok) {
			acc->c_col = acc->c_row + P * K;
			acc->c_diag = acc->c_col + P * K;
			acc->c_agree = acc->c_n + P;
		}
	}
	ok = ok && (acc->f_tot = calloc(2 * K, sizeof(int64_t))) != NULL &&
	    (acc->f_dev = calloc(2 * K, sizeof(double))) != NULL &&
	    (acc->t_cat = calloc(R ? R : 1, sizeof(int32_t))) != NULL &&
	    (acc->t_cnt = calloc(R ? R : 1, sizeof(int64_t))) != NULL;
	if (!ok) {
		gl_agr_acc_free(acc);
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	}
	acc->a_tot = acc->f_tot + K;
	acc->a_dev = acc->f_dev + K;
	return 0;
}

/* Adds `units` rows of R values each. */
static void
gl_agr_acc_add(gl_agr_acc *acc, const int32_t *v, size_t units)
{
	const size_t R = acc->R, K = acc->K;
	const int64_t r = (int64_t)R;
	const double nn1 = (double)R * (double)(R - 1);
	int cohen = (acc->what & GL_AGREEMENT_COHEN) != 0;
	int fleiss = (acc->what & GL_AGREEMENT_FLEISS) != 0 && R >= 2;
	int alpha = (acc->what & GL_AGREEMENT_ALPHA) != 0;
	for (size_t u = 0; u < units; u++) {
		const int32_t *row = v + u * R;
		for (size_t p = 0; cohen && p < acc->P; p++) {
			int32_t x = row[acc->pa[p]], y = row[acc->pb[p]];
			if (x == GL_AGREEMENT_MISSING || y == GL_AGREEMENT_MISSING)
				continue;
			acc->c_n[p]++;
			acc->c_row[p * K + (size_t)x]++;
			acc->c_col[p * K + (size_t)y]++;
			if (x == y) {
				acc->c_diag[p * K + (size_t)x]++;
				acc->c_agree[p]++;
			}
		}
		if (!fleiss && !alpha)
			continue;
		/* Distinct values of the unit and their counts. */
		size_t nd = 0;
		int64_t m = 0;
		for (size_t i = 0; i < R; i++) {
			int32_t x = row[i];
			if (x == GL_AGREEMENT_MISSING)
				continue;
			m++;
			size_t k = 0;
			while (k < nd && acc->t_cat[k] != x)
				k++;
			if (k == nd) {
				acc->t_cat[nd] = x;
				acc->t_cnt[nd++] = 0;
			}
			acc->t_cnt[k]++;
		}
		if (fleiss && m == r) {
			/* Fleiss: only units every rater labelled. */
			int64_t sq = 0;
			acc->f_n++;
			for (size_t i = 0; i < nd; i++) {
				int64_t c = acc->t_cnt[i];
				sq += c * c;
				acc->f_tot[acc->t_cat[i]] += c;
				/* One-vs-rest agreement of this unit, minus the 1
				 * it has when the category is absent. */
				acc->f_dev[acc->t_cat[i]] += (double)(c * c +
				    (r - c) * (r - c) - r) / nn1 - 1;
			}
			acc->f_psum += (double)(sq - r) / nn1;
		}
		if (alpha && m >= 2) {
			/*
			 * Coincidences: a unit with m >= 2 values adds
			 * c(c-1)/(m-1) to the diagonal for each category it
			 * holds c times, and its m values to the margins
			 * (Krippendorff 2011, section C).
			 */
			double w = 1.0 / (double)(m - 1);
			acc->a_units++;
			acc->a_n += m;
			for (size_t i = 0; i < nd; i++) {
				int64_t c = acc->t_cnt[i];
				acc->a_diag += (double)(c * (c - 1)) * w;
				acc->a_tot[acc->t_cat[i]] += c;
				/* One-vs-rest diagonal of this unit minus the m
				 * it has when the category is absent. */
				acc->a_dev[acc->t_cat[i]] += (double)(c * (c - 1) +
				    (m - c) * (m - c - 1)) * w - (double)m;
			}
		}
	}
}

static void
gl_agr_acc_cohen(const gl_agr_acc *acc, size_t p, gl_agreement_coef *overall,
    gl_agreement_coef *per_cat)
{
	const size_t K = acc->K;
	const int64_t *row = acc->c_row + p * K, *col = acc->c_col + p * K;
	const int64_t *diag = acc->c_diag + p * K;
	int64_t n = acc->c_n[p];
	double N = (double)n, pe = 0;
	int degenerate = 0;
	for (size_t k = 0; k < K; k++) {
		pe += n ? ((double)row[k] / N) * ((double)col[k] / N) : 0;
		if (n && row[k] == n && col[k] == n)
			degenerate = 1;
	}
	gl_agreement_coef_set(overall, n, n ? (double)acc->c_agree[p] / N : 0,
	    pe, !degenerate);
	for (size_t k = 0; per_cat != NULL && k < K; k++) {
		int64_t r = row[k], c = col[k];
		double po = n ? (double)(n - r - c + 2 * diag[k]) / N : 0;
		double pk = n ? ((double)r / N) * ((double)c / N) +
		    ((double)(n - r) / N) * ((double)(n - c) / N) : 0;
		gl_agreement_coef_set(&per_cat[k], n, po, pk,
		    !((r == n && c == n) || (r == 0 && c == 0)));
	}
}

static void
gl_agr_acc_fleiss(const gl_agr_acc *acc, gl_agreement_coef *overall,
    gl_agreement_coef *per_cat)
{
	const size_t K = acc->K;
	int64_t n = acc->f_n, r = (int64_t)acc->R;
	double total = (double)n * (double)r, pe = 0;
	int degenerate = 0;
	for (size_t k = 0; k < K; k++) {
		double p = n ? (double)acc->f_tot[k] / total : 0;
		pe += p * p;
		if (n && acc->f_tot[k] == n * r)
			degenerate = 1;
	}
	gl_agreement_coef_set(overall, n, n ? acc->f_psum / (double)n : 0, pe,
	    !degenerate);
	for (size_t k = 0; per_cat != NULL && k < K; k++) {
		double p = n ? (double)acc->f_tot[k] / total : 0;
		gl_agreement_coef_set(&per_cat[k], n,
		    n ? ((double)n + acc->f_dev[k]) / (double)n : 0,
		    p * p + (1 - p) * (1 - p),
		    acc->f_tot[k] != 0 && acc->f_tot[k] != n * r);
	}
}

static void
gl_agr_acc_alpha(const gl_agr_acc *acc, gl_agreement_coef *overall,
    gl_agreement_coef *per_cat)
{
	const size_t K = acc->K;
	int64_t n = acc->a_n;
	double nd = (double)n, nn1 = nd * (nd - 1), ae = 0;
	int degenerate = 0;
	for (size_t k = 0; k < K; k++) {
		int64_t c = acc->a_tot[k];
		ae += n > 1 ? (double)c * (double)(c - 1) / nn1 : 0;
		if (n && c == n)
			degenerate = 1;
	}
	gl_agreement_coef_set(overall, acc->a_units, n ? acc->a_diag / nd : 0,
	    ae, !degenerate);
	for (size_t k = 0; per_cat != NULL && k < K; k++) {
		int64_t nk = acc->a_tot[k], nr = n - nk;
		double ek = n > 1 ? ((double)nk * (double)(nk - 1) +
		    (double)nr * (double)(nr - 1)) / nn1 : 0;
		gl_agreement_coef_set(&per_cat[k], acc->a_units,
		    n ? (nd + acc->a_dev[k]) / nd : 0, ek, nk != 0 && nk != n);
	}
}

int
gl_agreement_cohen(const gl_agreement_matrix *m, size_t a, size_t b,
    gl_agreement_coef *overall, gl_agreement_coef *per_cat, gl_err *err)
{
	gl_agr_acc acc;
	int rc = gl_agreement_check(m, err);
	if (rc != 0)
		return rc;
	if (a >= m->raters || b >= m->raters || a == b)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "Cohen's kappa needs two different raters of %zu, not %zu "
		    "and %zu", m->raters, a, b);
	if ((rc = gl_agr_acc_init(&acc, (size_t)m->categories, m->raters,
	         GL_AGREEMENT_COHEN, &a, &b, 1, err)) != 0)
		return rc;
	gl_agr_acc_add(&acc, m->v, m->units);
	gl_agr_acc_cohen(&acc, 0, overall, per_cat);
	gl_agr_acc_free(&acc);
	return 0;
}

int
gl_agreement_fleiss(const gl_agreement_matrix *m, gl_agreement_coef *overall,
    gl_agreement_coef *per_cat, gl_err *err)
{
	gl_agr_acc acc;
	int rc = gl_agreement_check(m, err);
	if (rc != 0)
		return rc;
	if (m->raters < 2)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "Fleiss' kappa needs at least two raters, not %zu", m->raters);
	if ((rc = gl_agr_acc_init(&acc, (size_t)m->categories, m->raters,
	         GL_AGREEMENT_FLEISS, NULL, NULL, 0, err)) != 0)
		return rc;
	gl_agr_acc_add(&acc, m->v, m->units);
	gl_agr_acc_fleiss(&acc, overall, per_cat);
	gl_agr_acc_free(&acc);
	return 0;
}

int
gl_agreement_alpha(const gl_agreement_matrix *m, gl_agreement_coef *overall,
    gl_agreement_coef *per_cat, gl_err *err)
{
	gl_agr_acc acc;
	int rc = gl_agreement_check(m, err);
	if (rc != 0)
		return rc;
	if ((rc = gl_agr_acc_init(&acc, (size_t)m->categories, m->raters,
	         GL_AGREEMENT_ALPHA, NULL, NULL, 0, err)) != 0)
		return rc;
	gl_agr_acc_add(&acc, m->v, m->units);
	gl_agr_acc_alpha(&acc, overall, per_cat);
	gl_agr_acc_free(&acc);
	return 0;
}

/* ---- units ---------------------------------------------------------------- */

typedef struct gl_agreement_ranges {
	gl_agreement_range *v;
	size_t n, cap;
} gl_agreement_ranges;

static int
gl_agreement_ranges_push(gl_agreement_ranges *r, int64_t start, int64_t end)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 256;
		gl_agreement_range *nv = realloc(r->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return -1;
		r->v = nv;
		r->cap = ncap;
	}
	r->v[r->n].start = start;
	r->v[r->n].end = end;
	r->n++;
	return 0;
}

enum { GL_AGR_SPACE, GL_AGR_WORD, GL_AGR_OTHER };

static int
gl_agreement_class(int32_t c)
{
	if (c < 0x80) {
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			return GL_AGR_SPACE;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			return GL_AGR_WORD;
		return GL_AGR_OTHER;
	}
	if (c == 0x85)
		return GL_AGR_SPACE;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return GL_AGR_SPACE;
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return GL_AGR_WORD;
	default:
		return GL_AGR_OTHER;
	}
}

/* Appends the units of text to out; *cp_len gets its code-point length. */
static int
gl_agreement_cut(const char *text, size_t len, int unit,
    gl_agreement_ranges *out, int64_t *cp_len, gl_err *err)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
	size_t i = 0;
	int64_t cp = 0, word = -1;
	while (i < len) {
		utf8proc_int32_t c;
		if (s[i] < 0x80) {
			c = s[i++];
		} else {
			utf8proc_ssize_t k = utf8proc_iterate(s + i,
			    (utf8proc_ssize_t)(len - i), &c);
			if (k <= 0)
				return gl_err_set(err, GL_INVALID_ARGUMENT,
				    "invalid UTF-8 at byte %zu", i);
			i += (size_t)k;
		}
		int cl = gl_agreement_class(c);
		int rc = 0;
		if (unit == GL_AGREEMENT_CHAR) {
			if (cl != GL_AGR_SPACE)
				rc = gl_agreement_ranges_push(out, cp, cp + 1);
		} else if (cl == GL_AGR_WORD) {
			if (word < 0)
				word = cp;
		} else {
			if (word >= 0) {
				rc = gl_agreement_ranges_push(out, word, cp);
				word = -1;
			}
			if (rc == 0 && cl == GL_AGR_OTHER)
				rc = gl_agreement_ranges_push(out, cp, cp + 1);
		}
		if (rc != 0)
			return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
		cp++;
	}
	if (word >= 0 && gl_agreement_ranges_push(out, word, cp) != 0)
		return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
	if (cp_len != NULL)
		*cp_len = cp;
	return 0;
}

int
gl_agreement_units(const char *text, size_t len, int unit,
    gl_agreement_range **out, size_t *n, int64_t *cp_len, gl_err *err)
{
	gl_agreement_ranges r = { NULL, 0, 0 };
	int rc = gl_agreement_cut(text, len, unit, &r, cp_len, err);
	if (rc != 0) {
		free(r.v);
		return rc;
	}
	*out = r.v;
	*n = r.n;
	return 0;
}

/* ---- names ---------------------------------------------------------------- */

int
gl_agreement_unit_from_name(const char *name)
{
	if (name == NULL || name[0] == '\0' || strcmp(name, "token") == 0)
		return GL_AGREEMENT_TOKEN;
	if (strcmp(name, "char") == 0)
		return GL_AGREEMENT_CHAR;
	return -1;
}

const char *
gl_agreement_unit_name(int unit)
{
	return unit == GL_AGREEMENT_CHAR ? "char" : "token";
}

unsigned
gl_agreement_measure_from_name(const char *name)
{
	static const struct {
		const char *name;
		unsigned bit;
	} t[] = {
		{ "cohen", GL_AGREEMENT_COHEN },
		{ "fleiss", GL_AGREEMENT_FLEISS },
		{ "alpha", GL_AGREEMENT_ALPHA },
		{ "spans", GL_AGREEMENT_SPANS },
	};
	for (size_t i = 0; name != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(name, t[i].name) == 0)
			return t[i].bit;
	return 0;
}

/* ---- everything ------------------------------------------------------------ */

/* A span with its document index and category resolved. */
typedef struct gl_agr_span {
	int64_t start, end;
	int32_t doc;
	int32_t cat;
} gl_agr_span;

typedef struct gl_agr_docref {
	int64_t id;
	size_t index;
} gl_agr_docref;

/* Everything compute allocates with malloc, freed in one place. */
typedef struct gl_agr_work {
	const gl_agreement_input *in;
	size_t R, D, K;            /* annotators, documents, categories */
	int64_t *cp_len;           /* [D] */
	gl_agr_docref *docs;       /* [D] sorted by id */
	gl_agr_span **spans;       /* [R] sorted by (doc, start, -end, cat) */
	size_t **first;            /* [R][D + 1]: spans of doc d in [first[d], first[d+1]) */
	const char **labels;       /* [K - 1] sorted */
	unsigned char *present;    /* [R * D] */
	int32_t *matrix;           /* [units of one document * R] */
	size_t units;
	gl_agreement_coef *per_cat; /* [K] scratch */
} gl_agr_work;

static void
gl_agr_work_free(gl_agr_work *w)
{
	for (size_t r = 0; r < w->R; r++) {
		if (w->spans)
			free(w->spans[r]);
		if (w->first)
			free(w->first[r]);
	}
	free(w->spans);
	free(w->first);
	free(w->cp_len);
	free(w->docs);
	free(w->labels);
	free(w->present);
	free(w->matrix);
	free(w->per_cat);
}

static int
gl_agr_docref_cmp(const void *x, const void *y)
{
	const gl_agr_docref *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static int
gl_agr_str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int
gl_agr_span_cmp(const void *x, const void *y)
{
	const gl_agr_span *a = x, *b = y;
	if (a->doc != b->doc)
		return a->doc < b->doc ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1; /* longest first */
	return (a->cat > b->cat) - (a->cat < b->cat);
}

static long
gl_agr_doc_find(const gl_agr_work *w, int64_t id)
{
	gl_agr_docref key = { id, 0 };
	const gl_agr_docref *f = bsearch(&key, w->docs, w->D, sizeof(key),
	    gl_agr_docref_cmp);
	return f ? (long)f->index : -1;
}

static int
gl_agr_oom(gl_err *err)
{
	return gl_err_set(err, GL_RESOURCE_EXHAUSTED, "out of memory");
}

/* Documents: lengths, UTF-8 check, the id index. */
static int
gl_agr_prepare_docs(gl_agr_work *w, gl_err *err)
{
	const gl_agreement_input *in = w->in;
	w->cp_len = calloc(w->D ? w->D : 1, sizeof(*w->cp_len));
	w->docs = calloc(w->D ? w->D : 1, sizeof(*w->docs));
	if (w->cp_len == NULL || w->docs == NULL)
		return gl_agr_oom(err);
	for (size_t d = 0; d < w->D; d++) {
		const gl_agreement_doc *doc = &in->docs[d];
		size_t bad;
		if (doc->text == NULL && doc->len > 0)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "document %lld has no text", (long long)doc->id);
		if (doc->len > 0 && gl_utf8_validate(doc->text, doc->len, &bad) != 0)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "document %lld: invalid UTF-8 at byte %zu",
			    (long long)doc->id, bad);
		w->cp_len[d] = doc->len ? (int64_t)gl_utf8_count(doc->text,
		    doc->len) : 0;
		w->docs[d].id = doc->id;
		w->docs[d].index = d;
	}
	qsort(w->docs, w->D, sizeof(*w->docs), gl_agr_docref_cmp);
	for (size_t d = 1; d < w->D; d++)
		if (w->docs[d].id == w->docs[d - 1].id)
			return gl_err_set(err, GL_INVALID_ARGUMENT,
			    "document %lld is given twice", (long long)w->docs[d].id);
	return 0;
}

/*
 * Distinct labels: an open-addressing hash of label -> first-seen index, so
 * turning 150,000 spans into categories costs one hash each, not a sort of
 * all of them.
 */
typedef struct gl_agr_labels {
	const char **names;  /* distinct, in first-seen order */
	size_t n, cap;
	int32_t *slots;      /* -1 or an index into names */
	size_t nslots;       /* a power of two, > 2 n */
} gl_agr_labels;

static uint64_t
gl_agr_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int
gl_agr_labels_grow(gl_agr_labels *l)
{
	size_t ns = l->nslots ? l->nslots * 2 : 64;
	int32_t *slots = malloc(ns * sizeof(*slots));
	const char **names = realloc(l->names, (ns / 2) * sizeof(*names));
	if (slots == NULL || names == NULL) {
		free(slots);
		if (names != NULL)
			l->names = names;
		return -1;
	}
	memset(slots, 0xff, ns * sizeof(*slots));
	for (size_t i = 0; i < l->n; i++) {
		size_t k = gl_agr_hash(names[i]) & (ns - 1);
		while (slots[k] >= 0)
			k = (k + 1) & (ns - 1);
		slots[k] = (int32_t)i;
	}
	free(l->slots);
	l->slots = slots;
	l->nslots = ns;
	l->names = names;
	l->cap = ns / 2;
	return 0;
}

/* The index of label, added if new; -1 on ENOMEM. */
static int32_t
gl_agr_labels_get(gl_agr_labels *l, const char *label)
{
	uint64_t h = gl_agr_hash(label);
	size_t k = 0;
	if (l->nslots > 0) {
		k = h & (l->nslots - 1);
		while (l->slots[k] >= 0) {
			if (strcmp(l->names[l->slots[k]], label) == 0)
				return l->slots[k];
			k = (k + 1) & (l->nslots - 1);
		}
	}
	if (2 * (l->n + 1) > l->nslots) {
		if (gl_agr_labels_grow(l) != 0)
			return -1;
		k = h & (l->nslots - 1);
		while (l->slots[k] >= 0)
			k = (k + 1) & (l->nslots - 1);
	}
	l->names[l->n] = label;
	l->slots[k] = (int32_t)l->n;
	return (int32_t)l->n++;
}

/* Spans: checked, labels turned into categories, sorted, indexed by doc. */
static int
gl_agr_prepare_spans(gl_agr_work *w, gl_err *err)
{
	const gl_agreement_input *in = w->in;
	gl_agr_labels labs = { NULL, 0, 0, NULL, 0 };
	int32_t *rank = NULL;
	int rc = 0;
	w->spans = calloc(w->R, sizeof(*w->spans));
	w->first = calloc(w->R, sizeof(*w->first));
	w->present = malloc(w->R * (w->D ? w->D : 1));
	if (w->spans == NULL || w->first == NULL || w->present == NULL)
		return gl_agr_oom(err);
	size_t *nkept = calloc(w->R, sizeof(*nkept));
	if (nkept == NULL)
		return gl_agr_oom(err);
	/* One pass: check, resolve the document, number the label. */
	for (size_t r = 0; r < w->R && rc == 0; r++) {
		const gl_agreement_annotator *an = &in->annotators[r];
		const char *who = an->name ? an->name : "?";
		w->spans[r] = malloc((an->n_spans ? an->n_spans : 1) *
		    sizeof(*w->spans[r]));
		w->first[r] = calloc(w->D + 1, sizeof(*w->first[r]));
		if (w->spans[r] == NULL || w->first[r] == NULL) {
			rc = gl_agr_oom(err);
			break;
		}
		for (size_t i = 0; i < an->n_spans; i++) {
			const gl_agreement_span *s = &an->spans[i];
			long d = gl_agr_doc_find(w, s->doc_id);
			if (d < 0)
				continue; /* a document left out of this run */
			if (s->start < 0 || s->end > w->cp_len[d] ||
			    s->start >= s->end) {
				rc = gl_err_set(err, GL_INVALID_ARGUMENT,
				    "%s: span [%lld, %lld) is out of range for "
				    "document %lld of %lld code points", who,
				    (long long)s->start, (long long)s->end,
				    (long long)s->doc_id, (long long)w->cp_len[d]);
				break;
			}
			if (s->label == NULL || s->label[0] == '\0') {
				rc = gl_err_set(err, GL_INVALID_ARGUMENT,
				    "%s: span [%lld, %lld) of document %lld has "
				    "no label", who, (long long)s->start,
				    (long long)s->end, (long long)s->doc_id);
				break;
			}
			int32_t li = gl_agr_labels_get(&labs, s->label);
			if (li < 0) {
				rc = gl_agr_oom(err);
				break;
			}
			gl_agr_span *x = &w->spans[r][nkept[r]++];
			x->doc = (int32_t)d;
			x->start = s->start;
			x->end = s->end;
			x->cat = li; /* first-seen index until renumbered */
			w->first[r][d + 1]++;
		}
	}
	/* Categories in label order: 1 + the label's rank. */
	if (rc == 0 && (w->labels = malloc((labs.n ? labs.n : 1) *
	        sizeof(*w->labels))) == NULL)
		rc = gl_agr_oom(err);
	if (rc == 0 && (rank = malloc((labs.n ? labs.n : 1) * sizeof(*rank))) == NULL)
		rc = gl_agr_oom(err);
	if (rc == 0) {
		if (labs.n > 0) {
			memcpy(w->labels, labs.names, labs.n * sizeof(*w->labels));
			qsort(w->labels, labs.n, sizeof(*w->labels), gl_agr_str_cmp);
		}
		for (size_t k = 0; k < labs.n; k++)
			rank[gl_agr_labels_get(&labs, w->labels[k])] = (int32_t)k + 1;
		w->K = labs.n + 1;
		for (size_t r = 0; r < w->R; r++) {
			for (size_t i = 0; i < nkept[r]; i++)
				w->spans[r][i].cat = rank[w->spans[r][i].cat];
			qsort(w->spans[r], nkept[r], sizeof(gl_agr_span),
			    gl_agr_span_cmp);
			for (size_t d = 0; d < w->D; d++)
				w->first[r][d + 1] += w->first[r][d];
			for (size_t d = 0; d < w->D; d++)
				w->present[r * w->D + d] = !in->skip_unannotated ||
				    w->first[r][d + 1] > w->first[r][d];
		}
	}
	free(rank);
	free(nkept);
	free(labs.names);
	free(labs.slots);
	return rc;
}

/*
 * Units and their labels, one document at a time into acc (NULL: only count
 * the units).  Each annotator's spans of a document are painted onto its
 * code points in their sort order, a point keeping the first span that
 * reaches it; a unit then takes the earliest span painted on any of its
 * points, which is the first in sort order of the spans overlapping it.
 */
static int
gl_agr_feed_units(gl_agr_work *w, gl_agr_acc *acc, gl_err *err)
{
	gl_agreement_ranges units = { NULL, 0, 0 };
	int32_t *paint = NULL;
	size_t paint_cap = 0, cap = 0;
	int rc = 0;
	w->units = 0;
	for (size_t d = 0; d < w->D && rc == 0; d++) {
		const gl_agreement_doc *doc = &w->in->docs[d];
		units.n = 0;
		if ((rc = gl_agreement_cut(doc->text, doc->len, w->in->unit,
		         &units, NULL, err)) != 0)
			break;
		w->units += units.n;
		if (acc == NULL)
			continue;
		size_t need = units.n * w->R;
		if (need > cap) {
			int32_t *nm = realloc(w->matrix, need * sizeof(*nm));
			if (nm == NULL) {
				rc = gl_agr_oom(err);
				break;
			}
			w->matrix = nm;
			cap = need;
		}
		size_t cpn = (size_t)w->cp_len[d];
		if (cpn > paint_cap) {
			int32_t *np = realloc(paint, cpn * sizeof(*np));
			if (np == NULL) {
				rc = gl_agr_oom(err);
				break;
			}
			paint = np;
			paint_cap = cpn;
		}
		int32_t *base = w->matrix;
		for (size_t r = 0; r < w->R; r++) {
			if (!w->present[r * w->D + d]) {
				for (size_t u = 0; u < units.n; u++)
					base[u * w->R + r] = GL_AGREEMENT_MISSING;
				continue;
			}
			const gl_agr_span *sp = w->spans[r] + w->first[r][d];
			size_t ns = w->first[r][d + 1] - w->first[r][d];
			if (ns == 0) {
				for (size_t u = 0; u < units.n; u++)
					base[u * w->R + r] = GL_AGREEMENT_OUTSIDE;
				continue;
			}
			memset(paint, 0xff, cpn * sizeof(*paint)); /* -1 */
			for (size_t i = 0; i < ns; i++)
				for (int64_t p = sp[i].start; p < sp[i].end; p++)
					if (paint[p] < 0)
						paint[p] = (int32_t)i;
			for (size_t u = 0; u < units.n; u++) {
				int32_t best = -1;
				for (int64_t p = units.v[u].start; p < units.v[u].end; p++)
					if (paint[p] >= 0 && (best < 0 || paint[p] < best))
						best = paint[p];
				base[u * w->R + r] = best < 0 ? GL_AGREEMENT_OUTSIDE :
				    sp[best].cat;
			}
		}
		gl_agr_acc_add(acc, base, units.n);
	}
	free(units.v);
	free(paint);
	return rc;
}

/* Span counts of one pair, per category (index 0 unused). */
typedef struct gl_agr_counts {
	int64_t *a, *b, *strict, *overlap;
} gl_agr_counts;

typedef struct gl_agr_cand {
	int64_t overlap;
	int32_t i, j;
	int32_t exact;
} gl_agr_cand;

static int
gl_agr_cand_cmp(const void *x, const void *y)
{
	const gl_agr_cand *a = x, *b = y;
	if (a->exact != b->exact)
		return a->exact > b->exact ? -1 : 1;
	if (a->overlap != b->overlap)
		return a->overlap > b->overlap ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return (a->j > b->j) - (a->j < b->j);
}

/* Scratch buffers for the span matching, grown as needed. */
typedef struct gl_agr_match_buf {
	gl_agr_cand *cand;
	size_t cap;
	unsigned char *used;
	size_t used_cap;
} gl_agr_match_buf;

/*
 * Matches b's spans of one document against a's: exact pairs first, then
 * the largest overlaps, each span used once.  Both lists are sorted by
 * start, so the candidates of a span end at the first b span starting at
 * or after its end.
 */
static int
gl_agr_match_doc(const gl_agr_span *sa, size_t na, const gl_agr_span *sb,
    size_t nb, gl_agr_match_buf *mb, gl_agr_counts *c)
{
	size_t nc = 0;
	for (size_t i = 0; i < na; i++) {
		c->a[sa[i].cat]++;
		for (size_t j = 0; j < nb && sb[j].start < sa[i].end; j++) {
			if (sb[j].cat != sa[i].cat || sb[j].end <= sa[i].start)
				continue;
			if (nc == mb->cap) {
				size_t ncap = mb->cap ? mb->cap * 2 : 256;
				gl_agr_cand *nv = realloc(mb->cand, ncap * sizeof(*nv));
				if (nv == NULL)
					return -1;
				mb->cand = nv;
				mb->cap = ncap;
			}
			int64_t lo = sa[i].start > sb[j].start ? sa[i].start : sb[j].start;
			int64_t hi = sa[i].end < sb[j].end ? sa[i].end : sb[j].end;
			gl_agr_cand *x = &mb->cand[nc++];
			x->i = (int32_t)i;
			x->j = (int32_t)j;
			x->overlap = hi - lo;
			x->exact = sa[i].start == sb[j].start && sa[i].end == sb[j].end;
		}
	}
	for (size_t j = 0; j < nb; j++)
		c->b[sb[j].cat]++;
	if (nc == 0)
		return 0;
	if (na + nb > mb->used_cap) {
		unsigned char *nu = realloc(mb->used, na + nb);
		if (nu == NULL)
			return -1;
		mb->used = nu;
		mb->used_cap = na + nb;
	}
	memset(mb->used, 0, na + nb);
	qsort(mb->cand, nc, sizeof(*mb->cand), gl_agr_cand_cmp);
	for (size_t k = 0; k < nc; k++) {
		const gl_agr_cand *x = &mb->cand[k];
		if (mb->used[x->i] || mb->used[na + (size_t)x->j])
			continue;
		mb->used[x->i] = mb->used[na + (size_t)x->j] = 1;
		int32_t cat = sa[x->i].cat;
		c->overlap[cat]++;
		if (x->exact)
			c->strict[cat]++;
	}
	return 0;
}

static double
gl_agr_ratio(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

static void
gl_agr_spans_set(gl_agreement_spans *s, int64_t a, int64_t b, int64_t strict,
    int64_t overlap)
{
	s->a_spans = a;
	s->b_spans = b;
	s->strict = strict;
	s->overlap = overlap;
	s->precision_defined = b > 0;
	s->recall_defined = a > 0;
	s->f1_defined = a + b > 0;
	s->strict_precision = gl_agr_ratio(strict, b);
	s->strict_recall = gl_agr_ratio(strict, a);
	s->strict_f1 = gl_agr_ratio(2 * strict, a + b);
	s->overlap_precision = gl_agr_ratio(overlap, b);
	s->overlap_recall = gl_agr_ratio(overlap, a);
	s->overlap_f1 = gl_agr_ratio(2 * overlap, a + b);
}

/* Span scores of pair (ra, rb) into overall->spans and per_label[k]. */
static int
gl_agr_pair_spans(const gl_agr_work *w, size_t ra, size_t rb,
    gl_agreement_pair *overall, gl_agreement_pair *const *per_label,
    size_t pair_index, gl_agr_match_buf *mb, gl_err *err)
{
	int64_t *mem = calloc(4 * w->K, sizeof(*mem));
	if (mem == NULL)
		return gl_agr_oom(err);
	gl_agr_counts c = { mem, mem + w->K, mem + 2 * w->K, mem + 3 * w->K };
	for (size_t d = 0; d < w->D; d++) {
		if (!w->present[ra * w->D + d] || !w->present[rb * w->D + d])
			continue;
		if (gl_agr_match_doc(w->spans[ra] + w->first[ra][d],
		        w->first[ra][d + 1] - w->first[ra][d],
		        w->spans[rb] + w->first[rb][d],
		        w->first[rb][d + 1] - w->first[rb][d], mb, &c) != 0) {
			free(mem);
			return gl_agr_oom(err);
		}
	}
	int64_t ta = 0, tb = 0, ts = 0, to = 0;
	for (size_t k = 1; k < w->K; k++) {
		ta += c.a[k];
		tb += c.b[k];
		ts += c.strict[k];
		to += c.overlap[k];
		gl_agr_spans_set(&per_label[k - 1][pair_index].spans, c.a[k],
		    c.b[k], c.strict[k], c.overlap[k]);
	}
	gl_agr_spans_set(&overall->spans, ta, tb, ts, to);
	free(mem);
	return 0;
}

static void
gl_agr_nan_coef(gl_agreement_coef *c)
{
	memset(c, 0, sizeof(*c));
	c->value = NAN;
}

int
gl_agreement_compute(const gl_agreement_input *in, gl_arena *a,
    gl_agreement_result **out, gl_err *err)
{
	if (in->n_annotators < 2)
		return gl_err_set(err, GL_FAILED_PRECONDITION,
		    "agreement needs at least two annotators, not %zu",
		    in->n_annotators);
	if (in->unit != GL_AGREEMENT_TOKEN && in->unit != GL_AGREEMENT_CHAR)
		return gl_err_set(err, GL_INVALID_ARGUMENT,
		    "unknown unit %d", in->unit);
	unsigned measures = in->measures ? in->measures & GL_AGREEMENT_ALL :
	    GL_AGREEMENT_ALL;
	gl_agr_work w = { .in = in, .R = in->n_annotators, .D = in->n_docs };
	gl_agr_match_buf mb = { NULL, 0, NULL, 0 };
	gl_agr_acc acc = { 0 };
	gl_agreement_pair **per_label_pairs = NULL;
	size_t *pa = NULL, *pb = NULL;
	unsigned unit_measures = measures & (GL_AGREEMENT_COHEN |
	    GL_AGREEMENT_FLEISS | GL_AGREEMENT_ALPHA);
	size_t P = w.R * (w.R - 1) / 2;
	int rc;
	if ((rc = gl_agr_prepare_docs(&w, err)) != 0 ||
	    (rc = gl_agr_prepare_spans(&w, err)) != 0)
		goto out;
	pa = malloc(P * sizeof(*pa));
	pb = malloc(P * sizeof(*pb));
	if (pa == NULL || pb == NULL) {
		rc = gl_agr_oom(err);
		goto out;
	}
	for (size_t i = 0, p = 0; i < w.R; i++)
		for (size_t j = i + 1; j < w.R; j++, p++) {
			pa[p] = i;
			pb[p] = j;
		}
	if (unit_measures && (rc = gl_agr_acc_init(&acc, w.K, w.R, unit_measures,
	        pa, pb, P, err)) != 0)
		goto out;
	if ((rc = gl_agr_feed_units(&w, unit_measures ? &acc : NULL, err)) != 0)
		goto out;

	size_t L = w.K - 1;
	gl_agreement_result *res = gl_arena_calloc(a, sizeof(*res));
	/* Label k (1-based, as its category) is blocks[k]; blocks[0] is unused. */
	gl_agreement_block *blocks = gl_arena_calloc(a, (L + 1) * sizeof(*blocks));
	gl_agreement_pair *pairs = gl_arena_calloc(a, (L + 1) * P * sizeof(*pairs));
	per_label_pairs = malloc((L ? L : 1) * sizeof(*per_label_pairs));
	w.per_cat = malloc(w.K * sizeof(*w.per_cat));
	if (res == NULL || blocks == NULL || pairs == NULL ||
	    per_label_pairs == NULL || w.per_cat == NULL) {
		rc = gl_agr_oom(err);
		goto out;
	}
	res->measures = measures;
	res->unit = in->unit;
	res->n_annotators = w.R;
	res->documents = (int64_t)w.D;
	res->units = (int64_t)w.units;
	res->per_label = blocks + 1;
	res->n_labels = L;
	for (size_t k = 0; k <= L; k++) {
		gl_agreement_block *b = k == 0 ? &res->overall : &blocks[k];
		b->label = k == 0 ? "" : w.labels[k - 1];
		b->pairs = pairs + k * P;
		b->n_pairs = P;
		gl_agr_nan_coef(&b->fleiss);
		gl_agr_nan_coef(&b->alpha);
		if (k > 0)
			per_label_pairs[k - 1] = b->pairs;
		for (size_t p = 0; p < P; p++) {
			b->pairs[p].a = pa[p];
			b->pairs[p].b = pb[p];
			gl_agr_nan_coef(&b->pairs[p].cohen);
		}
	}
	if (measures & GL_AGREEMENT_FLEISS) {
		gl_agr_acc_fleiss(&acc, &res->overall.fleiss, w.per_cat);
		for (size_t k = 1; k <= L; k++)
			blocks[k].fleiss = w.per_cat[k];
	}
	if (measures & GL_AGREEMENT_ALPHA) {
		gl_agr_acc_alpha(&acc, &res->overall.alpha, w.per_cat);
		for (size_t k = 1; k <= L; k++)
			blocks[k].alpha = w.per_cat[k];
	}
	for (size_t p = 0; p < P; p++) {
		gl_agreement_pair *op = &res->overall.pairs[p];
		if (measures & GL_AGREEMENT_COHEN) {
			gl_agr_acc_cohen(&acc, p, &op->cohen, w.per_cat);
			for (size_t k = 1; k <= L; k++)
				blocks[k].pairs[p].cohen = w.per_cat[k];
		}
		if ((measures & GL_AGREEMENT_SPANS) &&
		    (rc = gl_agr_pair_spans(&w, op->a, op->b, op,
		         per_label_pairs, p, &mb, err)) != 0)
			goto out;
	}
	*out = res;
out:
	free(per_label_pairs);
	free(pa);
	free(pb);
	gl_agr_acc_free(&acc);
	free(mb.cand);
	free(mb.used);
	gl_agr_work_free(&w);
	return rc;
}
