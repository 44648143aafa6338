/*
 * agreement.h - inter-annotator agreement on one layer, computed from an
 * in-memory description of documents and each annotator's spans.  Pure: no
 * store, no RPC, no protobuf, so glossd, the benchmarks and the unit tests
 * share it.
 *
 * Units.  Chance-corrected coefficients need units that every annotator
 * labels.  Each document is cut into units of code points:
 *   - token (default): a maximal run of letters, combining marks and digits,
 *     or any other single non-whitespace code point ("U.S." is "U", ".",
 *     "S", ".");
 *   - char: every non-whitespace code point.
 * A unit gets, per annotator, the label of a span of theirs that overlaps it
 * by at least one code point, or the outside category "O" (id 0) when none
 * does.  When several of an annotator's spans overlap a unit, the one that
 * starts first wins, then the longest, then the smallest label (byte order),
 * so the outcome does not depend on input order.
 *
 * Missing data.  The input cannot say whether an annotator looked at a
 * document and found nothing or never opened it.  By default a document in
 * which an annotator has no span counts as all "O" for them (every document
 * given was meant for everyone).  With skip_unannotated, such a document is
 * missing for that annotator instead: Cohen's kappa and the span scores of a
 * pair use only the documents both annotated, Fleiss' kappa only units that
 * every annotator labelled (Fleiss assumes a fixed number of raters), and
 * Krippendorff's alpha every unit that at least two annotators labelled.
 *
 * Categories.  Overall figures use every label plus "O" as categories; per
 * label figures are one-vs-rest (the label against everything else, "O"
 * included).  A label spelled "O" is a label like any other; the outside
 * category has no name clash because it is id 0, not a string.
 *
 * Undefined values.  A coefficient whose chance agreement is 1 (everyone
 * used one category throughout) or that has no units is 0/0: defined = 0
 * and value NaN; observed and expected are still filled in when there were
 * units.  Span precision is undefined when b has no spans, recall when a
 * has none, F1 when neither has any; the *_defined flags say which.
 */
#ifndef GL_AGREEMENT_H
#define GL_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/status.h"

/* Unit kinds. */
enum gl_agreement_unit {
	GL_AGREEMENT_TOKEN = 0,
	GL_AGREEMENT_CHAR = 1,
};

/* Measures (a bit set). */
enum {
	GL_AGREEMENT_COHEN = 1 << 0,
	GL_AGREEMENT_FLEISS = 1 << 1,
	GL_AGREEMENT_ALPHA = 1 << 2,
	GL_AGREEMENT_SPANS = 1 << 3,
	GL_AGREEMENT_ALL = 0xf,
};

/* A matrix cell with no value (the annotator did not label that unit). */
#define GL_AGREEMENT_MISSING (-1)
/* Category id of "no span here". */
#define GL_AGREEMENT_OUTSIDE 0

/* ---- the coefficients on a units x annotators matrix ------------------- */

/*
 * v[u * raters + r] is the category id (0 .. categories-1) that rater r gave
 * unit u, or GL_AGREEMENT_MISSING.
 */
typedef struct gl_agreement_matrix {
	const int32_t *v;
	size_t units;
	size_t raters;
	int32_t categories;
} gl_agreement_matrix;

typedef struct gl_agreement_coef {
	double value;     /* NaN when !defined */
	int defined;
	double observed;  /* observed agreement (alpha: 1 - observed disagreement) */
	double expected;  /* chance agreement (alpha: 1 - expected disagreement) */
	int64_t units;    /* units it was computed over */
} gl_agreement_coef;

/*
 * Each fills *overall (all categories) and, when per_cat is not NULL,
 * per_cat[k] for every category k as one-vs-rest.  They return 0, or
 * -GL_INVALID_ARGUMENT (a value out of range, a rater index out of range)
 * or -GL_RESOURCE_EXHAUSTED with err set.
 */
/* Cohen's kappa of raters a and b over the units both labelled. */
int gl_agreement_cohen(const gl_agreement_matrix *m, size_t a, size_t b,
    gl_agreement_coef *overall, gl_agreement_coef *per_cat, gl_err *err);
/* Fleiss' kappa over the units every rater labelled (needs >= 2 raters). */
int gl_agreement_fleiss(const gl_agreement_matrix *m,
    gl_agreement_coef *overall, gl_agreement_coef *per_cat, gl_err *err);
/* Krippendorff's alpha, nominal, over the units >= 2 raters labelled. */
int gl_agreement_alpha(const gl_agreement_matrix *m,
    gl_agreement_coef *overall, gl_agreement_coef *per_cat, gl_err *err);

/* ---- units ------------------------------------------------------------- */

typedef struct gl_agreement_range {
	int64_t start, end; /* code points, end-exclusive */
} gl_agreement_range;

/*
 * Cuts valid UTF-8 text into units of kind `unit`.  *out is malloc'd (the
 * caller frees it; NULL when there are none), *n its length and *cp_len
 * (if not NULL) the text's length in code points.  0, -GL_INVALID_ARGUMENT
 * for invalid UTF-8 or -GL_RESOURCE_EXHAUSTED.
 */
int gl_agreement_units(const char *text, size_t len, int unit,
    gl_agreement_range **out, size_t *n, int64_t *cp_len, gl_err *err);

/* ---- everything, from documents and spans ------------------------------ */

typedef struct gl_agreement_doc {
	int64_t id;
	const char *text; /* UTF-8, NFC */
	size_t len;       /* bytes */
} gl_agreement_doc;

typedef struct gl_agreement_span {
	int64_t doc_id;
	int64_t start, end; /* code points, end-exclusive */
	const char *label;
} gl_agreement_span;

typedef struct gl_agreement_annotator {
	const char *name;
	const gl_agreement_span *spans; /* any order; spans of documents not */
	size_t n_spans;                 /* in the input are ignored */
} gl_agreement_annotator;

typedef struct gl_agreement_input {
	const gl_agreement_doc *docs;
	size_t n_docs;
	const gl_agreement_annotator *annotators;
	size_t n_annotators;        /* >= 2 */
	int unit;                   /* enum gl_agreement_unit */
	unsigned measures;          /* GL_AGREEMENT_* bits; 0 means all */
	int skip_unannotated;       /* see "Missing data" above */
} gl_agreement_input;

/* Span matches of b against a as the reference. */
typedef struct gl_agreement_spans {
	int64_t a_spans, b_spans;
	int64_t strict;   /* same start, end and label, one-to-one */
	int64_t overlap;  /* overlapping with the same label, one-to-one */
	double strict_precision, strict_recall, strict_f1;    /* NaN if undefined */
	double overlap_precision, overlap_recall, overlap_f1;
	int precision_defined; /* b_spans > 0 */
	int recall_defined;    /* a_spans > 0 */
	int f1_defined;        /* a_spans + b_spans > 0 */
} gl_agreement_spans;

typedef struct gl_agreement_pair {
	size_t a, b;               /* annotator indexes, a < b */
	gl_agreement_coef cohen;
	gl_agreement_spans spans;
} gl_agreement_pair;

/* The figures over all labels, or for one label against the rest. */
typedef struct gl_agreement_block {
	const char *label;         /* "" for all labels */
	gl_agreement_coef fleiss;
	gl_agreement_coef alpha;
	gl_agreement_pair *pairs;  /* n_annotators * (n_annotators - 1) / 2, */
	size_t n_pairs;            /* (0,1), (0,2), ..., (1,2), ... */
} gl_agreement_block;

typedef struct gl_agreement_result {
	unsigned measures;         /* what was computed; the rest is zero */
	int unit;
	size_t n_annotators;
	int64_t documents;
	int64_t units;             /* units over all documents */
	gl_agreement_block overall;
	gl_agreement_block *per_label; /* sorted by label (byte order) */
	size_t n_labels;
} gl_agreement_result;

/*
 * Computes every measure of in->measures.  The result and everything it
 * points to live in arena a (labels point into the input's strings, which
 * must outlive it).  Returns 0, or -GL_FAILED_PRECONDITION (fewer than two
 * annotators), -GL_INVALID_ARGUMENT (invalid UTF-8, a duplicate document
 * id, a span out of its document's range or with an empty label), or
 * -GL_RESOURCE_EXHAUSTED, with err set.
 */
int gl_agreement_compute(const gl_agreement_input *in, gl_arena *a,
    gl_agreement_result **out, gl_err *err);

/* "token" / "char" -> enum gl_agreement_unit; -1 for anything else.  "" and
 * NULL are "token". */
int gl_agreement_unit_from_name(const char *name);
const char *gl_agreement_unit_name(int unit);
/* "cohen", "fleiss", "alpha", "spans" -> the bit; 0 for anything else. */
unsigned gl_agreement_measure_from_name(const char *name);

#endif /* GL_AGREEMENT_H */
