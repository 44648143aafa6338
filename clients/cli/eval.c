/*
 * eval.c - `gloss eval GOLD PRED --layer L [--aggregate] [--json]`.
 *
 * A line-by-line reimplementation of ../shared/eval/score.py, the reference
 * scorer: the same matching (strict = multiset of exact offsets; relaxed =
 * greedy one-to-one by exact first, larger overlap, smaller start distance,
 * then document order), the same per-document sorting, the same Python
 * equality for "value"/"type", the same float arithmetic order and the same
 * round(x, 4).  With --json it prints what score.py prints, byte for byte;
 * tests/integration/test_eval_vs_score.sh holds it to that.
 *
 * Unlike score.py any layer name is accepted; every layer but "sentiment"
 * is scored as a span layer.
 */
#include "clients/cli/eval.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/utf8.h"

#define EV_NCLASSES 3
static const char *const ev_classes[EV_NCLASSES] = { "positive", "negative",
	"neutral" };

/* ---- reading ----------------------------------------------------------- */

typedef struct {
	gl_json **v;
	size_t *lineno; /* line number of each value, for messages */
	size_t n, cap;
} ev_lines;

static void
ev_lines_free(ev_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		gl_json_free(l->v[i]);
	free(l->v);
	free(l->lineno);
	memset(l, 0, sizeof *l);
}

static char *
ev_slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "gloss: eval: cannot open %s: %s\n", path,
		    strerror(errno));
		return NULL;
	}
	gl_buf b = GL_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (gl_buf_append(&b, chunk, n) != 0) {
			fprintf(stderr, "gloss: eval: out of memory\n");
			gl_buf_free(&b);
			if (f != stdin)
				fclose(f);
			return NULL;
		}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		fprintf(stderr, "gloss: eval: cannot read %s\n", path);
		gl_buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return gl_buf_steal(&b);
}

static int
ev_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* Reads a JSONL file like score.py's read_jsonl: blank lines skipped. */
static int
ev_read_jsonl(const char *path, ev_lines *out)
{
	size_t len;
	char *text = ev_slurp(path, &len);
	if (text == NULL)
		return -1;
	int rc = 0;
	size_t lineno = 0;
	for (size_t pos = 0; pos < len && rc == 0;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t s = pos, e = end;
		lineno++;
		pos = end + 1;
		while (s < e && ev_space(text[s]))
			s++;
		while (e > s && ev_space(text[e - 1]))
			e--;
		if (s == e)
			continue;
		gl_json *v;
		char err[160];
		if (gl_json_parse(text + s, e - s, &v, err, sizeof err) != 0) {
			fprintf(stderr, "gloss: eval: %s:%zu: bad JSON: %s\n", path,
			    lineno, err);
			rc = -1;
			break;
		}
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 64;
			gl_json **nv = realloc(out->v, nc * sizeof *nv);
			size_t *nl2 = nv ? realloc(out->lineno, nc * sizeof *nl2) : NULL;
			if (nv != NULL)
				out->v = nv;
			if (nl2 == NULL) {
				gl_json_free(v);
				fprintf(stderr, "gloss: eval: out of memory\n");
				rc = -1;
				break;
			}
			out->lineno = nl2;
			out->cap = nc;
		}
		out->v[out->n] = v;
		out->lineno[out->n] = lineno;
		out->n++;
	}
	free(text);
	return rc;
}

/* ---- Python semantics ---------------------------------------------------- */

/* JSON null and a missing key are both Python's None. */
static int
ev_is_none(const gl_json *v)
{
	return v == NULL || v->type == GL_JSON_NULL;
}

/* bool is an int in Python: True == 1 == 1.0. */
static int
ev_numeric(const gl_json *v, double *d)
{
	if (v == NULL)
		return 0;
	if (v->type == GL_JSON_NUMBER) {
		*d = v->number;
		return 1;
	}
	if (v->type == GL_JSON_BOOL) {
		*d = v->boolean ? 1 : 0;
		return 1;
	}
	return 0;
}

/* isinstance(v, int): an integer literal or a bool. */
static int
ev_is_int(const gl_json *v, double *d)
{
	if (v == NULL)
		return 0;
	if (v->type == GL_JSON_NUMBER && v->is_int) {
		*d = v->number;
		return 1;
	}
	if (v->type == GL_JSON_BOOL) {
		*d = v->boolean;
		return 1;
	}
	return 0;
}

/* score.py's is_num: int or float, not bool, finite. */
static int
ev_is_num(const gl_json *v)
{
	return v != NULL && v->type == GL_JSON_NUMBER && isfinite(v->number);
}

static size_t
ev_unique_keys(const gl_json *o)
{
	size_t n = 0;
	for (size_t i = 0; i < o->len; i++) {
		int later = 0;
		for (size_t j = i + 1; j < o->len && !later; j++)
			later = strcmp(o->keys[i], o->keys[j]) == 0;
		n += !later;
	}
	return n;
}

/* Python's == on two JSON-decoded values. */
static int
ev_equal(const gl_json *a, const gl_json *b)
{
	double x, y;
	if (ev_is_none(a) || ev_is_none(b))
		return ev_is_none(a) && ev_is_none(b);
	if (ev_numeric(a, &x) && ev_numeric(b, &y))
		return x == y;
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case GL_JSON_STRING:
		return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	case GL_JSON_ARRAY:
		if (a->len != b->len)
			return 0;
		for (size_t i = 0; i < a->len; i++)
			if (!ev_equal(a->items[i], b->items[i]))
				return 0;
		return 1;
	case GL_JSON_OBJECT:
		if (ev_unique_keys(a) != ev_unique_keys(b))
			return 0;
		for (size_t i = 0; i < a->len; i++) {
			const gl_json *bv = gl_json_get(b, a->keys[i]);
			if (bv == NULL ||
			    !ev_equal(gl_json_get(a, a->keys[i]), bv))
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

static int
ev_is_str(const gl_json *v, const char *s)
{
	return v != NULL && v->type == GL_JSON_STRING &&
	    v->len == strlen(s) && memcmp(v->str, s, v->len) == 0;
}

/* Python's round(x, 4): correctly rounded, ties to even, like printf. */
static double
ev_round4(double x)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.4f", x);
	return strtod(tmp, NULL);
}

/* Python's repr() of a float, which json.dumps prints. */
static void
ev_put_float(gl_buf *b, double d)
{
	if (isnan(d)) {
		gl_buf_puts(b, "NaN");
		return;
	}
	if (isinf(d)) {
		gl_buf_puts(b, d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	char tmp[64];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* tmp is "-d.ddde+XX": split into sign, digits and exponent. */
	const char *p = tmp;
	int neg = *p == '-';
	if (neg)
		p++;
	char digits[32];
	size_t nd = 0;
	for (; *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	digits[nd] = '\0';
	int exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	if (neg)
		gl_buf_putc(b, '-');
	if (exp >= -4 && exp < 16) {
		/* repr switches to exponents below 1e-4 and from 1e16. */
		if (exp < 0) {
			gl_buf_puts(b, "0.");
			for (int i = -1; i > exp; i--)
				gl_buf_putc(b, '0');
			gl_buf_puts(b, digits);
		} else if ((size_t)exp + 1 >= nd) {
			gl_buf_puts(b, digits);
			for (size_t i = nd; i < (size_t)exp + 1; i++)
				gl_buf_putc(b, '0');
			gl_buf_puts(b, ".0");
		} else {
			gl_buf_append(b, digits, (size_t)exp + 1);
			gl_buf_putc(b, '.');
			gl_buf_puts(b, digits + exp + 1);
		}
		return;
	}
	gl_buf_putc(b, digits[0]);
	if (nd > 1) {
		gl_buf_putc(b, '.');
		gl_buf_puts(b, digits + 1);
	}
	gl_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

/* ---- annotations -------------------------------------------------------- */

/* One annotation as score.py sees it. */
typedef struct {
	int layer_ok;        /* a.get("layer") == --layer */
	int int_offsets;     /* isinstance(start, int) and isinstance(end, int) */
	double start, end;   /* valid when int_offsets */
	const gl_json *value, *type, *text, *score_v;
	int has_text;
	int score_ok;        /* is_num(score) */
	double score;
	size_t ord;          /* input order, for stable sorting */
} ev_ann;

typedef struct {
	ev_ann *a;
	size_t n, cap;
} ev_anns;

static int
ev_anns_push(ev_anns *l, const ev_ann *a)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		ev_ann *t = realloc(l->a, nc * sizeof *t);
		if (t == NULL)
			return -ENOMEM;
		l->a = t;
		l->cap = nc;
	}
	l->a[l->n] = *a;
	l->a[l->n].ord = l->n;
	l->n++;
	return 0;
}

static void
ev_ann_from(ev_ann *o, const gl_json *a, const char *layer)
{
	memset(o, 0, sizeof *o);
	o->layer_ok = ev_is_str(gl_json_get(a, "layer"), layer);
	o->int_offsets = ev_is_int(gl_json_get(a, "start"), &o->start) &&
	    ev_is_int(gl_json_get(a, "end"), &o->end);
	o->value = gl_json_get(a, "value");
	o->type = gl_json_get(a, "type");
	o->text = gl_json_get(a, "text");
	o->has_text = o->text != NULL;
	o->score_v = gl_json_get(a, "score");
	o->score_ok = ev_is_num(o->score_v);
	o->score = o->score_ok ? o->score_v->number : 0;
}

/* Predictions per document id, in the order score.py's dict holds them. */
typedef struct {
	char *key;
	size_t keylen;
	ev_anns anns;
	int in_gold;
} ev_doc;

typedef struct {
	ev_doc *d;
	size_t n, cap;
	size_t *slots; /* open addressing: index + 1, 0 = empty */
	size_t nslots;
} ev_map;

/*
 * The dict key of an id: strings as themselves, anything else tagged.  1,
 * 1.0 and true are one key in Python, as here.
 */
static int
ev_key(const gl_json *id, gl_buf *k)
{
	double d;
	gl_buf_reset(k);
	if (ev_is_none(id))
		return gl_buf_puts(k, "n");
	if (id->type == GL_JSON_STRING)
		return gl_buf_putc(k, 's') || gl_buf_append(k, id->str, id->len);
	if (ev_numeric(id, &d))
		return gl_buf_putc(k, 'd') || gl_json_write_number(k, d);
	return gl_buf_putc(k, 'j') || gl_json_write(k, id);
}

static uint64_t
ev_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static ev_doc *
ev_map_find(const ev_map *m, const char *key, size_t len)
{
	if (m->nslots == 0)
		return NULL;
	size_t i = ev_hash(key, len) & (m->nslots - 1);
	while (m->slots[i] != 0) {
		ev_doc *d = &m->d[m->slots[i] - 1];
		if (d->keylen == len && memcmp(d->key, key, len) == 0)
			return d;
		i = (i + 1) & (m->nslots - 1);
	}
	return NULL;
}

static int
ev_map_rehash(ev_map *m, size_t nslots)
{
	size_t *s = calloc(nslots, sizeof *s);
	if (s == NULL)
		return -ENOMEM;
	free(m->slots);
	m->slots = s;
	m->nslots = nslots;
	for (size_t k = 0; k < m->n; k++) {
		size_t i = ev_hash(m->d[k].key, m->d[k].keylen) & (nslots - 1);
		while (s[i] != 0)
			i = (i + 1) & (nslots - 1);
		s[i] = k + 1;
	}
	return 0;
}

/* The entry for key, created (empty) when new; NULL on ENOMEM. */
static ev_doc *
ev_map_get(ev_map *m, const char *key, size_t len)
{
	ev_doc *d = ev_map_find(m, key, len);
	if (d != NULL)
		return d;
	if ((m->n + 1) * 2 > m->nslots &&
	    ev_map_rehash(m, m->nslots ? m->nslots * 2 : 64) != 0)
		return NULL;
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		ev_doc *t = realloc(m->d, nc * sizeof *t);
		if (t == NULL)
			return NULL;
		m->d = t;
		m->cap = nc;
	}
	d = &m->d[m->n];
	memset(d, 0, sizeof *d);
	d->key = malloc(len + 1);
	if (d->key == NULL)
		return NULL;
	memcpy(d->key, key, len);
	d->key[len] = '\0';
	d->keylen = len;
	size_t i = ev_hash(key, len) & (m->nslots - 1);
	while (m->slots[i] != 0)
		i = (i + 1) & (m->nslots - 1);
	m->slots[i] = ++m->n;
	return d;
}

static void
ev_map_free(ev_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->d[i].key);
		free(m->d[i].anns.a);
	}
	free(m->d);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* ---- matching ------------------------------------------------------------ */

/* A scored annotation, after the offset checks. */
typedef struct {
	int64_t start, end;
	const ev_ann *src;
	size_t ord;
} ev_span;

static int
ev_span_cmp(const void *x, const void *y)
{
	const ev_span *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	/* Python's sort is stable: ties keep their input order. */
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

static size_t
ev_strict(const ev_span *g, size_t ng, const ev_span *p, size_t np)
{
	/* Both sorted by (start, end): count the multiset intersection. */
	size_t i = 0, j = 0, tp = 0;
	while (i < ng && j < np) {
		if (g[i].start != p[j].start || g[i].end != p[j].end) {
			if (g[i].start < p[j].start ||
			    (g[i].start == p[j].start && g[i].end < p[j].end))
				i++;
			else
				j++;
			continue;
		}
		size_t ci = 0, cj = 0;
		int64_t s = g[i].start, e = g[i].end;
		while (i < ng && g[i].start == s && g[i].end == e)
			i++, ci++;
		while (j < np && p[j].start == s && p[j].end == e)
			j++, cj++;
		tp += ci < cj ? ci : cj;
	}
	return tp;
}

static double
ev_overlap(const ev_span *a, const ev_span *b)
{
	int64_t s = a->start > b->start ? a->start : b->start;
	int64_t e = a->end < b->end ? a->end : b->end;
	if (e > s)
		return (double)(e - s);
	if (a->start == a->end && a->end == b->start && b->start == b->end)
		return 0.5;
	return 0;
}

typedef struct {
	int inexact;
	double negov;
	int64_t dist;
	size_t i, j;
} ev_cand;

static int
ev_cand_cmp(const void *x, const void *y)
{
	const ev_cand *a = x, *b = y;
	if (a->inexact != b->inexact)
		return a->inexact - b->inexact;
	if (a->negov != b->negov)
		return a->negov < b->negov ? -1 : 1;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

/*
 * score.py's relaxed_match: greedy one-to-one.  Fills pair_g/pair_p with
 * the pairs in the order they were taken; returns their number or -1.
 */
static long
ev_relaxed(const ev_span *g, size_t ng, const ev_span *p, size_t np,
    size_t *pair_g, size_t *pair_p)
{
	ev_cand *c = NULL;
	size_t nc = 0, cap = 0;
	for (size_t i = 0; i < ng; i++) {
		for (size_t j = 0; j < np; j++) {
			/* Sorted by start: nothing further can overlap. */
			if (p[j].start > g[i].end)
				break;
			double ov = ev_overlap(&g[i], &p[j]);
			if (ov == 0)
				continue;
			if (nc == cap) {
				cap = cap ? cap * 2 : 64;
				ev_cand *t = realloc(c, cap * sizeof *t);
				if (t == NULL) {
					free(c);
					return -1;
				}
				c = t;
			}
			int64_t d = g[i].start - p[j].start;
			c[nc++] = (ev_cand){ !(g[i].start == p[j].start &&
			    g[i].end == p[j].end), -ov, d < 0 ? -d : d, i, j };
		}
	}
	if (nc > 1)
		qsort(c, nc, sizeof *c, ev_cand_cmp);
	unsigned char *ug = calloc(ng + 1, 1), *up = calloc(np + 1, 1);
	long n = 0;
	if (ug == NULL || up == NULL) {
		free(ug);
		free(up);
		free(c);
		return -1;
	}
	for (size_t k = 0; k < nc; k++) {
		if (ug[c[k].i] || up[c[k].j])
			continue;
		ug[c[k].i] = up[c[k].j] = 1;
		pair_g[n] = c[k].i;
		pair_p[n] = c[k].j;
		n++;
	}
	free(ug);
	free(up);
	free(c);
	return n;
}

/* ---- scoring ------------------------------------------------------------- */

typedef struct {
	size_t gold, pred, strict_tp, relaxed_tp, value_ok, type_ok;
	size_t bad_offsets, text_mismatch;
	size_t conf[EV_NCLASSES][3]; /* tp, fp, fn */
	size_t sent_correct;
	double *xs, *ys;
	size_t nxy, capxy;
	size_t docs, unknown;
} ev_totals;

static int
ev_class(const gl_json *v)
{
	for (int c = 0; c < EV_NCLASSES; c++)
		if (ev_is_str(v, ev_classes[c]))
			return c;
	return -1;
}

static int
ev_push_xy(ev_totals *t, double x, double y)
{
	if (t->nxy == t->capxy) {
		size_t nc = t->capxy ? t->capxy * 2 : 256;
		double *nx = realloc(t->xs, nc * sizeof *nx);
		if (nx == NULL)
			return -ENOMEM;
		t->xs = nx;
		double *ny = realloc(t->ys, nc * sizeof *ny);
		if (ny == NULL)
			return -ENOMEM;
		t->ys = ny;
		t->capxy = nc;
	}
	t->xs[t->nxy] = x;
	t->ys[t->nxy] = y;
	t->nxy++;
	return 0;
}

/* Python's text[s:e] for ints (negative and oversized bounds clamp). */
static void
ev_pyslice(double s, double e, size_t n, size_t *cs, size_t *ce)
{
	double dn = (double)n;
	if (s < 0)
		s = s + dn < 0 ? 0 : s + dn;
	if (e < 0)
		e = e + dn < 0 ? 0 : e + dn;
	if (s > dn)
		s = dn;
	if (e > dn)
		e = dn;
	if (e < s)
		e = s;
	*cs = (size_t)s;
	*ce = (size_t)e;
}

static int
ev_text_is(const gl_json *t, const char *s, size_t len)
{
	return t != NULL && t->type == GL_JSON_STRING && t->len == len &&
	    memcmp(t->str, s, len) == 0;
}

typedef struct {
	const char *gold_path;
	const char *layer;
	int sentiment;
} ev_opts;

static int
ev_fail_gold(const ev_opts *o, size_t line, const char *msg)
{
	fprintf(stderr, "gloss: eval: %s:%zu: %s\n", o->gold_path, line, msg);
	return -1;
}

/* Scores one gold document against its predictions (preds may be NULL). */
static int
ev_score_doc(const ev_opts *o, const gl_json *doc, size_t line,
    const ev_anns *preds, ev_totals *t)
{
	const gl_json *text = gl_json_get(doc, "text");
	if (text == NULL || text->type != GL_JSON_STRING)
		return ev_fail_gold(o, line, "document has no \"text\" string");
	gl_utf8_map *map;
	if (gl_utf8_map_new(text->str, text->len, &map) != 0)
		return ev_fail_gold(o, line, "out of memory");
	size_t ncp = gl_utf8_map_cp_len(map);
	const gl_json *ga = gl_json_get(doc, "annotations");
	if (ga != NULL && ga->type != GL_JSON_ARRAY) {
		gl_utf8_map_free(map);
		return ev_fail_gold(o, line, "\"annotations\" is not an array");
	}
	size_t nga = ga ? ga->len : 0;
	ev_ann *gann = calloc(nga + 1, sizeof *gann);
	ev_span *g = calloc(nga + 1, sizeof *g);
	size_t npa = preds ? preds->n : 0;
	ev_span *p = calloc(npa + 1, sizeof *p);
	size_t *pg = calloc((nga < npa ? nga : npa) + 1, sizeof *pg);
	size_t *pp = calloc((nga < npa ? nga : npa) + 1, sizeof *pp);
	size_t ng = 0, np = 0;
	int rc = -1;
	if (gann == NULL || g == NULL || p == NULL || pg == NULL || pp == NULL) {
		ev_fail_gold(o, line, "out of memory");
		goto out;
	}

	for (size_t k = 0; k < nga; k++) {
		const gl_json *a = ga->items[k];
		if (a->type != GL_JSON_OBJECT) {
			ev_fail_gold(o, line, "an annotation is not an object");
			goto out;
		}
		ev_ann_from(&gann[k], a, o->layer);
		if (!gann[k].layer_ok)
			continue;
		if (!gann[k].int_offsets) {
			ev_fail_gold(o, line,
			    "gold annotation start/end are not integers");
			goto out;
		}
		size_t cs, ce;
		ev_pyslice(gann[k].start, gann[k].end, ncp, &cs, &ce);
		int64_t bs = gl_utf8_map_to_byte(map, (int64_t)cs);
		int64_t be = gl_utf8_map_to_byte(map, (int64_t)ce);
		if (!ev_text_is(gl_json_get(a, "text"), text->str + bs,
		    (size_t)(be - bs))) {
			char msg[160];
			snprintf(msg, sizeof msg,
			    "gold annotation [%.0f, %.0f) does not match its \"text\"",
			    gann[k].start, gann[k].end);
			ev_fail_gold(o, line, msg);
			goto out;
		}
		g[ng] = (ev_span){ (int64_t)gann[k].start, (int64_t)gann[k].end,
			&gann[k], ng };
		ng++;
	}

	for (size_t k = 0; k < npa; k++) {
		const ev_ann *a = &preds->a[k];
		if (!a->layer_ok)
			continue;
		if (!(a->int_offsets && 0 <= a->start && a->start <= a->end &&
		    a->end <= (double)ncp)) {
			t->bad_offsets++;
			continue;
		}
		int64_t s = (int64_t)a->start, e = (int64_t)a->end;
		if (a->has_text) {
			int64_t bs = gl_utf8_map_to_byte(map, s);
			int64_t be = gl_utf8_map_to_byte(map, e);
			if (!ev_text_is(a->text, text->str + bs, (size_t)(be - bs)))
				t->text_mismatch++;
		}
		p[np] = (ev_span){ s, e, a, np };
		np++;
	}
	qsort(g, ng, sizeof *g, ev_span_cmp);
	qsort(p, np, sizeof *p, ev_span_cmp);
	t->gold += ng;
	t->pred += np;
	t->strict_tp += ev_strict(g, ng, p, np);
	long npairs = ev_relaxed(g, ng, p, np, pg, pp);
	if (npairs < 0) {
		ev_fail_gold(o, line, "out of memory");
		goto out;
	}
	t->relaxed_tp += (size_t)npairs;
	for (long k = 0; k < npairs; k++) {
		const ev_ann *ga1 = g[pg[k]].src, *pa1 = p[pp[k]].src;
		if (ev_equal(ga1->value, pa1->value))
			t->value_ok++;
		if (ev_equal(ga1->type, pa1->type))
			t->type_ok++;
	}
	if (o->sentiment) {
		unsigned char *mg = calloc(ng + 1, 1), *mp = calloc(np + 1, 1);
		if (mg == NULL || mp == NULL) {
			free(mg);
			free(mp);
			ev_fail_gold(o, line, "out of memory");
			goto out;
		}
		for (long k = 0; k < npairs; k++) {
			mg[pg[k]] = mp[pp[k]] = 1;
			const ev_ann *ga1 = g[pg[k]].src, *pa1 = p[pp[k]].src;
			int gc = ev_class(ga1->value), pc = ev_class(pa1->value);
			if (ev_equal(ga1->value, pa1->value)) {
				t->sent_correct++;
				if (gc >= 0)
					t->conf[gc][0]++;
			} else {
				if (gc >= 0)
					t->conf[gc][2]++;
				if (pc >= 0)
					t->conf[pc][1]++;
			}
			if (ga1->score_ok && pa1->score_ok &&
			    ev_push_xy(t, ga1->score, pa1->score) != 0) {
				free(mg);
				free(mp);
				ev_fail_gold(o, line, "out of memory");
				goto out;
			}
		}
		for (size_t i = 0; i < ng; i++) {
			int c = ev_class(g[i].src->value);
			if (!mg[i] && c >= 0)
				t->conf[c][2]++;
		}
		for (size_t j = 0; j < np; j++) {
			int c = ev_class(p[j].src->value);
			if (!mp[j] && c >= 0)
				t->conf[c][1]++;
		}
		free(mg);
		free(mp);
	}
	rc = 0;
out:
	gl_utf8_map_free(map);
	free(gann);
	free(g);
	free(p);
	free(pg);
	free(pp);
	return rc;
}

/*
 * score.py's aggregate(): each gold span of the layer gets one prediction,
 * the overlap-weighted mean score and majority value of the predictions of
 * the layer that overlap it.
 */
static int
ev_aggregate(const ev_opts *o, const ev_lines *gold, ev_map *preds,
    ev_map *out)
{
	gl_buf key = GL_BUF_INIT;
	int rc = 0;
	for (size_t d = 0; d < gold->n && rc == 0; d++) {
		const gl_json *doc = gold->v[d];
		if (ev_key(gl_json_get(doc, "id"), &key) != 0) {
			rc = -ENOMEM;
			break;
		}
		const ev_doc *src = ev_map_find(preds, key.data, key.len);
		ev_doc *dst = ev_map_get(out, key.data, key.len);
		if (dst == NULL) {
			rc = -ENOMEM;
			break;
		}
		dst->anns.n = 0; /* a later gold doc of the same id replaces it */
		const gl_json *ga = gl_json_get(doc, "annotations");
		for (size_t k = 0; ga && ga->type == GL_JSON_ARRAY && k < ga->len;
		    k++) {
			const gl_json *gj = ga->items[k];
			ev_ann gx;
			ev_ann_from(&gx, gj, o->layer);
			if (!gx.layer_ok)
				continue;
			if (!gx.int_offsets) {
				rc = ev_fail_gold(o, gold->lineno[d],
				    "gold annotation start/end are not integers");
				break;
			}
			double wsum = 0, ssum = 0.0;
			/* votes, in insertion order */
			const gl_json **vk = NULL;
			double *vw = NULL;
			size_t nv = 0;
			for (size_t j = 0; src != NULL && j < src->anns.n; j++) {
				const ev_ann *a = &src->anns.a[j];
				if (!a->layer_ok || !a->int_offsets)
					continue;
				double w = (gx.end < a->end ? gx.end : a->end) -
				    (gx.start > a->start ? gx.start : a->start);
				if (w <= 0)
					continue;
				wsum += w;
				if (a->score_ok)
					ssum += w * a->score;
				size_t v;
				for (v = 0; v < nv; v++)
					if (ev_equal(vk[v], a->value))
						break;
				if (v == nv) {
					const gl_json **t1 = realloc(vk, (nv + 1) * sizeof *t1);
					if (t1 != NULL)
						vk = t1;
					double *t2 = t1 ? realloc(vw, (nv + 1) * sizeof *t2) : NULL;
					if (t2 == NULL) {
						free(vk);
						free(vw);
						gl_buf_free(&key);
						return -ENOMEM;
					}
					vw = t2;
					vk[nv] = a->value;
					vw[nv] = 0;
					nv++;
				}
				vw[v] += w;
			}
			if (wsum != 0) {
				size_t best = 0;
				for (size_t v = 1; v < nv; v++)
					if (vw[v] > vw[best])
						best = v;
				ev_ann agg = gx;
				agg.value = vk[best];
				agg.has_text = 1;
				agg.text = gl_json_get(gj, "text");
				agg.score_ok = 1;
				agg.score = ssum / wsum;
				if (ev_anns_push(&dst->anns, &agg) != 0)
					rc = -ENOMEM;
			}
			free(vk);
			free(vw);
			if (rc != 0)
				break;
		}
	}
	gl_buf_free(&key);
	if (rc == -ENOMEM)
		fprintf(stderr, "gloss: eval: out of memory\n");
	return rc;
}

typedef struct {
	double p, r, f;
} ev_prf;

static ev_prf
ev_prf_of(size_t tp, size_t n_pred, size_t n_gold)
{
	ev_prf x;
	x.p = n_pred ? (double)tp / (double)n_pred : 0.0;
	x.r = n_gold ? (double)tp / (double)n_gold : 0.0;
	x.f = x.p + x.r != 0 ? 2 * x.p * x.r / (x.p + x.r) : 0.0;
	return x;
}

static double
ev_pearson(const double *xs, const double *ys, size_t n, int *ok)
{
	*ok = 0;
	if (n < 2)
		return 0;
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++)
		mx += xs[i];
	for (size_t i = 0; i < n; i++)
		my += ys[i];
	mx /= (double)n;
	my /= (double)n;
	double sxy = 0, sxx = 0, syy = 0;
	for (size_t i = 0; i < n; i++)
		sxy += (xs[i] - mx) * (ys[i] - my);
	/* score.py squares with **, which is libm's pow(); called through a
	 * volatile pointer so the compiler cannot turn it into x * x. */
	double (*volatile sq)(double, double) = pow;
	for (size_t i = 0; i < n; i++)
		sxx += sq(xs[i] - mx, 2);
	for (size_t i = 0; i < n; i++)
		syy += sq(ys[i] - my, 2);
	if (sxx == 0 || syy == 0)
		return 0;
	*ok = 1;
	return sxy / sqrt(sxx * syy);
}

/* ---- output -------------------------------------------------------------- */

/* The result, in score.py's key order, as (key, kind, value) rows. */
typedef struct {
	const char *key;
	enum { EV_INT, EV_FLOAT, EV_NULL, EV_STR, EV_OBJ_START, EV_OBJ_END } kind;
	double num;
	const char *str;
} ev_row;

typedef struct {
	ev_row r[64];
	size_t n;
} ev_result;

static void
ev_add(ev_result *res, const char *key, int kind, double num, const char *str)
{
	if (res->n < sizeof res->r / sizeof res->r[0])
		res->r[res->n++] = (ev_row){ key, kind, num, str };
}

static void
ev_build(const ev_opts *o, const ev_totals *t, ev_result *res)
{
	size_t G = t->gold, P = t->pred, M = t->relaxed_tp;
	ev_add(res, "layer", EV_STR, 0, o->layer);
	ev_add(res, "docs", EV_INT, (double)t->docs, NULL);
	ev_add(res, "gold", EV_INT, (double)G, NULL);
	ev_add(res, "pred", EV_INT, (double)P, NULL);
	ev_prf s = ev_prf_of(t->strict_tp, P, G);
	ev_prf r = ev_prf_of(t->relaxed_tp, P, G);
	if (o->sentiment) {
		double f1sum = 0;
		size_t nf1 = 0;
		ev_prf per[EV_NCLASSES];
		for (int c = 0; c < EV_NCLASSES; c++) {
			size_t tp = t->conf[c][0], fp = t->conf[c][1], fn = t->conf[c][2];
			per[c] = ev_prf_of(tp, tp + fp, tp + fn);
			if (tp + fp + fn) {
				f1sum += per[c].f;
				nf1++;
			}
		}
		int ok;
		double pr = ev_pearson(t->xs, t->ys, t->nxy, &ok);
		ev_add(res, "accuracy", EV_FLOAT,
		    G ? ev_round4((double)t->sent_correct / (double)G) : 0.0, NULL);
		ev_add(res, "macro_f1", EV_FLOAT,
		    nf1 ? ev_round4(f1sum / (double)nf1) : 0.0, NULL);
		ev_add(res, "pearson_r", ok ? EV_FLOAT : EV_NULL,
		    ok ? ev_round4(pr) : 0, NULL);
		ev_add(res, "n_scored", EV_INT, (double)t->nxy, NULL);
		ev_add(res, "coverage", EV_FLOAT,
		    G ? ev_round4((double)M / (double)G) : 0.0, NULL);
		ev_add(res, "per_class", EV_OBJ_START, 0, NULL);
		for (int c = 0; c < EV_NCLASSES; c++) {
			size_t tp = t->conf[c][0], fp = t->conf[c][1], fn = t->conf[c][2];
			ev_add(res, ev_classes[c], EV_OBJ_START, 0, NULL);
			ev_add(res, "p", EV_FLOAT, ev_round4(per[c].p), NULL);
			ev_add(res, "r", EV_FLOAT, ev_round4(per[c].r), NULL);
			ev_add(res, "f1", EV_FLOAT, ev_round4(per[c].f), NULL);
			ev_add(res, "gold", EV_INT, (double)(tp + fn), NULL);
			ev_add(res, "pred", EV_INT, (double)(tp + fp), NULL);
			ev_add(res, NULL, EV_OBJ_END, 0, NULL);
		}
		ev_add(res, NULL, EV_OBJ_END, 0, NULL);
	}
	ev_add(res, "strict_p", EV_FLOAT, ev_round4(s.p), NULL);
	ev_add(res, "strict_r", EV_FLOAT, ev_round4(s.r), NULL);
	ev_add(res, "strict_f1", EV_FLOAT, ev_round4(s.f), NULL);
	ev_add(res, "relaxed_p", EV_FLOAT, ev_round4(r.p), NULL);
	ev_add(res, "relaxed_r", EV_FLOAT, ev_round4(r.r), NULL);
	ev_add(res, "relaxed_f1", EV_FLOAT, ev_round4(r.f), NULL);
	if (!o->sentiment) {
		ev_prf v = ev_prf_of(t->value_ok, P, G);
		ev_add(res, "value_acc", EV_FLOAT,
		    M ? ev_round4((double)t->value_ok / (double)M) : 0.0, NULL);
		ev_add(res, "value_p", EV_FLOAT, ev_round4(v.p), NULL);
		ev_add(res, "value_r", EV_FLOAT, ev_round4(v.r), NULL);
		ev_add(res, "value_f1", EV_FLOAT, ev_round4(v.f), NULL);
		ev_add(res, "type_acc", EV_FLOAT,
		    M ? ev_round4((double)t->type_ok / (double)M) : 0.0, NULL);
	}
	ev_add(res, "pred_docs_unknown", EV_INT, (double)t->unknown, NULL);
	ev_add(res, "pred_bad_offsets", EV_INT, (double)t->bad_offsets, NULL);
	ev_add(res, "pred_text_mismatch", EV_INT, (double)t->text_mismatch, NULL);
}

/* json.dumps(result): ", " and ": " separators, floats as repr(). */
static void
ev_print_json(const ev_result *res, FILE *out)
{
	gl_buf b = GL_BUF_INIT;
	gl_buf_putc(&b, '{');
	int first = 1;
	for (size_t i = 0; i < res->n; i++) {
		const ev_row *r = &res->r[i];
		if (r->kind == EV_OBJ_END) {
			gl_buf_putc(&b, '}');
			first = 0;
			continue;
		}
		if (!first)
			gl_buf_puts(&b, ", ");
		gl_json_write_cstr(&b, r->key);
		gl_buf_puts(&b, ": ");
		first = 0;
		switch (r->kind) {
		case EV_INT:
			gl_buf_printf(&b, "%.0f", r->num);
			break;
		case EV_FLOAT:
			ev_put_float(&b, r->num);
			break;
		case EV_NULL:
			gl_buf_puts(&b, "null");
			break;
		case EV_STR:
			gl_json_write_cstr(&b, r->str);
			break;
		case EV_OBJ_START:
			gl_buf_putc(&b, '{');
			first = 1;
			break;
		case EV_OBJ_END:
			break;
		}
	}
	gl_buf_putc(&b, '}');
	fprintf(out, "%s\n", b.data);
	gl_buf_free(&b);
}

static const ev_row *
ev_find(const ev_result *res, const char *key)
{
	/* Top-level keys only: per_class rows come after an OBJ_START. */
	int depth = 0;
	for (size_t i = 0; i < res->n; i++) {
		if (res->r[i].kind == EV_OBJ_START)
			depth++;
		else if (res->r[i].kind == EV_OBJ_END)
			depth--;
		else if (depth == 0 && strcmp(res->r[i].key, key) == 0)
			return &res->r[i];
	}
	return NULL;
}

static double
ev_num(const ev_result *res, const char *key)
{
	const ev_row *r = ev_find(res, key);
	return r ? r->num : 0;
}

static void
ev_print_table(const ev_opts *o, const ev_result *res, const ev_totals *t,
    FILE *out)
{
	fprintf(out, "layer %s: %.0f documents, %.0f gold, %.0f predicted\n\n",
	    o->layer, ev_num(res, "docs"), ev_num(res, "gold"),
	    ev_num(res, "pred"));
	fprintf(out, "%-10s %9s %9s %9s\n", "", "P", "R", "F1");
	fprintf(out, "%-10s %9.4f %9.4f %9.4f\n", "strict", ev_num(res, "strict_p"),
	    ev_num(res, "strict_r"), ev_num(res, "strict_f1"));
	fprintf(out, "%-10s %9.4f %9.4f %9.4f\n", "relaxed",
	    ev_num(res, "relaxed_p"), ev_num(res, "relaxed_r"),
	    ev_num(res, "relaxed_f1"));
	if (!o->sentiment) {
		fprintf(out, "%-10s %9.4f %9.4f %9.4f\n", "value",
		    ev_num(res, "value_p"), ev_num(res, "value_r"),
		    ev_num(res, "value_f1"));
		fprintf(out, "\nvalue accuracy (relaxed matches) %.4f\n",
		    ev_num(res, "value_acc"));
		fprintf(out, "type accuracy (relaxed matches)  %.4f\n",
		    ev_num(res, "type_acc"));
	} else {
		const ev_row *pr = ev_find(res, "pearson_r");
		fprintf(out, "\naccuracy  %.4f   macro-F1  %.4f   coverage  %.4f\n",
		    ev_num(res, "accuracy"), ev_num(res, "macro_f1"),
		    ev_num(res, "coverage"));
		if (pr != NULL && pr->kind == EV_FLOAT)
			fprintf(out, "pearson r %.4f over %zu scored pairs\n",
			    pr->num, t->nxy);
		else
			fprintf(out, "pearson r undefined (%zu scored pairs)\n",
			    t->nxy);
		fprintf(out, "\n%-10s %9s %9s %9s %7s %7s\n", "class", "P", "R",
		    "F1", "gold", "pred");
		for (int c = 0; c < EV_NCLASSES; c++) {
			size_t tp = t->conf[c][0], fp = t->conf[c][1],
			    fn = t->conf[c][2];
			ev_prf x = ev_prf_of(tp, tp + fp, tp + fn);
			fprintf(out, "%-10s %9.4f %9.4f %9.4f %7zu %7zu\n",
			    ev_classes[c], ev_round4(x.p), ev_round4(x.r),
			    ev_round4(x.f), tp + fn, tp + fp);
		}
	}
	fprintf(out, "\nchecks: %.0f predicted documents not in the gold, "
	    "%.0f predictions with bad offsets, %.0f with a \"text\" that "
	    "does not match\n", ev_num(res, "pred_docs_unknown"),
	    ev_num(res, "pred_bad_offsets"), ev_num(res, "pred_text_mismatch"));
}

/* ---- the command --------------------------------------------------------- */

static void
ev_usage(FILE *f)
{
	fprintf(f,
	    "usage: gloss eval GOLD PRED --layer L [--aggregate] [--json]\n\n"
	    "Scores analyzer output (PRED, e.g. from `gloss analyze --local`) "
	    "against a gold\nJSONL file, with the figures of the reference "
	    "scorer ../shared/eval/score.py.\nEach file has one JSON document "
	    "per line; PRED lines are {\"id\", \"annotations\"};\n\"-\" reads "
	    "standard input.  Offsets are Unicode code points.\n\n"
	    "options:\n"
	    "  --layer L     the layer to score: date, actor, sentiment, or any "
	    "other\n"
	    "                (every layer but sentiment is scored as spans)\n"
	    "  --aggregate   sentiment on span-level gold: each gold span gets "
	    "the\n"
	    "                overlap-weighted mean score and majority label of "
	    "the\n"
	    "                predictions overlapping it\n"
	    "  --json        print score.py's JSON instead of a table\n\n"
	    "span layers: strict and relaxed (overlap, one-to-one) P/R/F1, "
	    "value accuracy\nand value P/R/F1 on relaxed matches, type "
	    "accuracy.  sentiment: accuracy,\nmacro-F1, Pearson r, coverage "
	    "and the span figures.\n");
}

int
gl_cli_eval(int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL };
	int npos = 0, json = 0, aggregate = 0, only_pos = 0;
	ev_opts o = { NULL, NULL, 0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
			if (npos >= 2) {
				fprintf(stderr, "gloss: eval: too many arguments "
				    "(see: gloss eval --help)\n");
				return 2;
			}
			pos[npos++] = a;
		} else if (strcmp(a, "--") == 0) {
			only_pos = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			ev_usage(stdout);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			json = 1;
		} else if (strcmp(a, "--aggregate") == 0) {
			aggregate = 1;
		} else if (strncmp(a, "--layer=", 8) == 0) {
			o.layer = a + 8;
		} else if (strcmp(a, "--layer") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "gloss: eval: --layer needs a value\n");
				return 2;
			}
			o.layer = argv[++i];
		} else {
			fprintf(stderr, "gloss: eval: unknown option %s "
			    "(see: gloss eval --help)\n", a);
			return 2;
		}
	}
	if (npos != 2 || o.layer == NULL || o.layer[0] == '\0') {
		fprintf(stderr, "gloss: eval: GOLD, PRED and --layer are required "
		    "(see: gloss eval --help)\n");
		return 2;
	}
	if (strcmp(pos[0], "-") == 0 && strcmp(pos[1], "-") == 0) {
		fprintf(stderr, "gloss: eval: GOLD and PRED cannot both be stdin\n");
		return 2;
	}
	o.gold_path = pos[0];
	o.sentiment = strcmp(o.layer, "sentiment") == 0;

	ev_lines gold = { 0 }, pred = { 0 };
	ev_map preds = { 0 }, agg = { 0 };
	ev_totals t;
	memset(&t, 0, sizeof t);
	gl_buf key = GL_BUF_INIT;
	int rc = 1;
	if (ev_read_jsonl(pos[0], &gold) != 0 || ev_read_jsonl(pos[1], &pred) != 0)
		goto out;

	/* preds.setdefault(d.get("id"), []).extend(d.get("annotations") or []) */
	for (size_t i = 0; i < pred.n; i++) {
		const gl_json *d = pred.v[i];
		if (d->type != GL_JSON_OBJECT) {
			fprintf(stderr, "gloss: eval: %s:%zu: not a JSON object\n",
			    pos[1], pred.lineno[i]);
			goto out;
		}
		const gl_json *anns = gl_json_get(d, "annotations");
		if (anns != NULL && anns->type != GL_JSON_ARRAY &&
		    anns->type != GL_JSON_NULL) {
			fprintf(stderr, "gloss: eval: %s:%zu: \"annotations\" is "
			    "not an array\n", pos[1], pred.lineno[i]);
			goto out;
		}
		ev_doc *e;
		if (ev_key(gl_json_get(d, "id"), &key) != 0 ||
		    (e = ev_map_get(&preds, key.data, key.len)) == NULL) {
			fprintf(stderr, "gloss: eval: out of memory\n");
			goto out;
		}
		for (size_t k = 0; anns && anns->type == GL_JSON_ARRAY &&
		    k < anns->len; k++) {
			if (anns->items[k]->type != GL_JSON_OBJECT) {
				fprintf(stderr, "gloss: eval: %s:%zu: annotation %zu "
				    "is not an object\n", pos[1], pred.lineno[i], k);
				goto out;
			}
			ev_ann a;
			ev_ann_from(&a, anns->items[k], o.layer);
			if (ev_anns_push(&e->anns, &a) != 0) {
				fprintf(stderr, "gloss: eval: out of memory\n");
				goto out;
			}
		}
	}
	ev_map *use = &preds;
	if (aggregate) {
		if (ev_aggregate(&o, &gold, &preds, &agg) != 0)
			goto out;
		use = &agg;
	}

	t.docs = gold.n;
	for (size_t i = 0; i < gold.n; i++) {
		const gl_json *doc = gold.v[i];
		if (doc->type != GL_JSON_OBJECT || gl_json_get(doc, "id") == NULL) {
			ev_fail_gold(&o, gold.lineno[i], "not an object with an \"id\"");
			goto out;
		}
		if (ev_key(gl_json_get(doc, "id"), &key) != 0)
			goto out;
		ev_doc *e = ev_map_find(use, key.data, key.len);
		if (e != NULL)
			e->in_gold = 1;
		if (ev_score_doc(&o, doc, gold.lineno[i], e ? &e->anns : NULL,
		    &t) != 0)
			goto out;
	}
	for (size_t i = 0; i < use->n; i++)
		t.unknown += !use->d[i].in_gold;

	ev_result res = { .n = 0 };
	ev_build(&o, &t, &res);
	if (json)
		ev_print_json(&res, stdout);
	else
		ev_print_table(&o, &res, &t, stdout);
	fflush(stdout);
	rc = 0;
out:
	gl_buf_free(&key);
	ev_map_free(&preds);
	ev_map_free(&agg);
	ev_lines_free(&gold);
	ev_lines_free(&pred);
	free(t.xs);
	free(t.ys);
	return rc;
}
