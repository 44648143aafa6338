/*
 * sent_score.c - the lexicon engine.
 *
 * A sentence is read in three passes over its tokens:
 *   1. tokenize: words (with inner apostrophes, hyphens and dots), clause
 *      punctuation, "!" and "?"; a hyphenated word the lexicon does not know
 *      as a whole is read as its parts ("US-led", "non-recognition");
 *   2. actors: longest match of the name list, case-sensitive;
 *   3. valence: longest multi-word match first, then the word; negators,
 *      intensifiers and hedges act forward within their clause; contrast
 *      and concession re-weight whole clauses once the sentence is read.
 * The sum is squashed to [-1, 1] with VADER's S / sqrt(S^2 + alpha).
 */
#include "sent_score.h"
#include "sent_ctype.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TK_WORD, TK_CLAUSE, TK_EXCLAIM, TK_QUESTION };

typedef struct tok_t {
	size_t start, end; /* bytes in the document, possessive included */
	size_t aend;       /* end without a possessive 's, for actor names */
	size_t low;        /* offset of the lower-case form in scr->low */
	uint32_t lowlen;
	uint8_t type;
	uint8_t cap;       /* begins with an upper-case letter */
	uint8_t actor;     /* inside an actor name */
	uint8_t conc;      /* inside a concessive clause */
} tok_t;

typedef struct contrib_t {
	double v;
	size_t tok;
	uint8_t conc;
} contrib_t;

/* Grow a buffer to hold at least need elements of size sz. */
static int
grow(void **buf, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	void *b = realloc(*buf, c * sz);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*cap = c;
	return 0;
}

static inline int
is_word_byte(const unsigned char *p, const unsigned char *e)
{
	unsigned c = *p;
	if (c < 0x80)
		return sc_alnum(c);
	if (c == 0xC2 && p + 1 < e && (p[1] == 0xA0 || p[1] == 0xAB || p[1] == 0xBB))
		return 0; /* NBSP, guillemets */
	if (c == 0xE2 || c == 0xE3 || c == 0xEF)
		return 0; /* general punctuation, symbols, CJK punctuation, BOM */
	return 1;
}

static size_t
utf8_width(unsigned c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Apostrophe (ASCII or ’) at p: its width, else 0. */
static inline size_t
apos_len(const unsigned char *p, const unsigned char *e)
{
	if (*p == '\'')
		return 1;
	if (p[0] == 0xE2 && p + 2 < e && p[1] == 0x80 && (p[2] == 0x99 || p[2] == 0x98))
		return 3;
	return 0;
}

static inline int
push_tok(sent_scratch *scr, size_t *n, const tok_t *t)
{
	if (*n >= scr->toks_cap && grow(&scr->toks, &scr->toks_cap, *n + 1, sizeof(tok_t)) < 0)
		return -ENOMEM;
	((tok_t *)scr->toks)[(*n)++] = *t;
	return 0;
}

/* Write the lower-case form of text[s, e) at scr->low + *lo (apostrophes
 * folded to ASCII).  Returns its length. */
static uint32_t
lower_into(sent_scratch *scr, size_t *lo, const unsigned char *s, const unsigned char *e)
{
	char *o = scr->low + *lo;
	size_t n = 0;
	while (s < e) {
		if (*s < 0x80 && *s != '\'') {
			o[n++] = (char)sc_tolower(*s++);
			continue;
		}
		size_t a = apos_len(s, e);
		if (a) {
			o[n++] = '\'';
			s += a;
			continue;
		}
		o[n++] = (char)sc_tolower(*s++);
	}
	*lo += n;
	return (uint32_t)n;
}

/* Emit one word token for text[s, e); strips a possessive. */
static int
word_tok(sent_scratch *scr, size_t *n, size_t *lo, const unsigned char *t, size_t s, size_t e)
{
	tok_t k = { 0 };
	k.start = s;
	k.end = e;
	k.aend = e;
	if (e - s > 2 && (t[e - 1] == 's' || t[e - 1] == 'S')) {
		size_t a = 0;
		if (t[e - 2] == '\'')
			a = 1;
		else if (e - s > 4 && t[e - 4] == 0xE2 && t[e - 3] == 0x80 && t[e - 2] == 0x99)
			a = 3;
		if (a)
			k.aend = e - 1 - a;
	}
	k.type = TK_WORD;
	k.cap = sc_upper(t[s]) ? 1 : 0;
	k.low = *lo;
	k.lowlen = lower_into(scr, lo, t + s, t + k.aend);
	return push_tok(scr, n, &k);
}

static int
tokenize(const sent_engine *eng, const char *text, size_t start, size_t end, sent_scratch *scr,
    size_t *ntok)
{
	const unsigned char *t = (const unsigned char *)text;
	const unsigned char *e = t + end;
	size_t n = 0, lo = 0;
	if (grow((void **)&scr->low, &scr->low_cap, end - start + 1, 1) < 0)
		return -ENOMEM;
	size_t i = start;
	while (i < end) {
		unsigned c = t[i];
		if (is_word_byte(t + i, e)) {
			size_t s = i, hyph = 0;
			for (;;) {
				i += utf8_width(t[i]);
				if (i >= end)
					break;
				if (is_word_byte(t + i, e))
					continue;
				size_t a = apos_len(t + i, e);
				if (a && i + a < end && sc_alpha(t[i + a])) {
					i += a;
					continue;
				}
				if ((t[i] == '-' || t[i] == '.' || t[i] == ',') && i + 1 < end &&
				    is_word_byte(t + i + 1, e)) {
					/* "1,000" and "3.5" but not "word,word" */
					if (t[i] == ',' && !(sc_digit(t[i - 1]) && sc_digit(t[i + 1])))
						break;
					hyph += t[i] == '-';
					i++;
					continue;
				}
				break;
			}
			size_t e1 = i;
			if (!hyph) {
				if (word_tok(scr, &n, &lo, t, s, e1) < 0)
					return -ENOMEM;
				continue;
			}
			/* a compound: whole if known, else its parts */
			size_t mark = lo, n0 = n;
			if (word_tok(scr, &n, &lo, t, s, e1) < 0)
				return -ENOMEM;
			tok_t *w = &((tok_t *)scr->toks)[n0];
			const sent_slot *sl = sent_lex_find(&eng->lex, scr->low + w->low, w->lowlen);
			const sent_slot *sa = sent_lex_find(&eng->lex, text + w->start, w->aend - w->start);
			if ((sl && (sl->term >= 0 || sl->mwe >= 0)) || (sa && sa->actor >= 0))
				continue;
			n = n0;
			lo = mark;
			size_t ps = s;
			for (size_t k = s; k <= e1; k++) {
				if (k == e1 || t[k] == '-') {
					if (k > ps && word_tok(scr, &n, &lo, t, ps, k) < 0)
						return -ENOMEM;
					ps = k + 1;
				}
			}
			continue;
		}
		tok_t k = { 0 };
		k.start = i;
		k.end = i + 1;
		int emit = 1;
		if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')') {
			k.type = TK_CLAUSE;
		} else if (c == '!') {
			k.type = TK_EXCLAIM;
		} else if (c == '?') {
			k.type = TK_QUESTION;
		} else if (c == 0xE2 && i + 2 < end && t[i + 1] == 0x80 &&
		    (t[i + 2] == 0x93 || t[i + 2] == 0x94)) {
			k.type = TK_CLAUSE; /* en and em dash */
			k.end = i + 3;
		} else if (c == '-' && i + 1 < end && t[i + 1] == '-') {
			k.type = TK_CLAUSE;
			k.end = i + 2;
		} else {
			emit = 0;
			k.end = i + utf8_width(c);
		}
		if (k.end > end)
			k.end = end;
		if (emit && push_tok(scr, &n, &k) < 0)
			return -ENOMEM;
		i = k.end;
	}
	*ntok = n;
	return 0;
}

/* Do tokens i.. spell the multi-word term? The last word may take a plural. */
static int
mwe_match(const sent_lex *lx, const sent_term *tm, const tok_t *tk, size_t i, size_t n,
    const char *low)
{
	const char *w = sent_lex_str(lx, tm->words);
	for (unsigned k = 0; k < tm->nwords; k++) {
		size_t j = i + k;
		if (j >= n || tk[j].type != TK_WORD)
			return 0;
		size_t wl = strlen(w), tl = tk[j].lowlen;
		const char *tp = low + tk[j].low;
		if (tl < wl || memcmp(tp, w, wl) != 0)
			return 0;
		if (tl != wl) {
			if (k + 1 != tm->nwords)
				return 0;
			if (!((tl == wl + 1 && tp[wl] == 's') ||
			    (tl == wl + 2 && tp[wl] == 'e' && tp[wl + 1] == 's')))
				return 0;
		}
		w += wl + 1;
	}
	return 1;
}

/* Does the actor name match tokens i..? (exact case, possessive stripped) */
static int
actor_match(const sent_lex *lx, const sent_actor *a, const tok_t *tk, size_t i, size_t n,
    const char *text)
{
	const char *w = sent_lex_str(lx, a->words);
	for (unsigned k = 0; k < a->nwords; k++) {
		size_t j = i + k;
		if (j >= n || tk[j].type != TK_WORD)
			return 0;
		size_t wl = strlen(w), tl = tk[j].aend - tk[j].start;
		if (tl != wl || memcmp(text + tk[j].start, w, wl) != 0)
			return 0;
		if (k + 1 < a->nwords && tk[j].aend != tk[j].end)
			return 0; /* "Pakistan's army" is not "Pakistan army" */
		w += wl + 1;
	}
	return 1;
}

static int
find_actors(const sent_engine *eng, const char *text, tok_t *tk, size_t n, sent_scratch *scr)
{
	const sent_lex *lx = &eng->lex;
	scr->nmentions = 0;
	if (!lx->nactors)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (tk[i].type != TK_WORD)
			continue;
		/* names carry an upper-case letter somewhere ("al-Qaeda") */
		int up = 0;
		for (size_t b = tk[i].start; b < tk[i].aend && !up; b++)
			up = sc_upper((unsigned char)text[b]) || (unsigned char)text[b] >= 0x80;
		if (!up)
			continue;
		const sent_slot *s = sent_lex_find(lx, text + tk[i].start, tk[i].aend - tk[i].start);
		if (!s)
			continue;
		for (int32_t a = s->actor; a >= 0; a = lx->actors[a].next) {
			const sent_actor *ac = &lx->actors[a];
			if (!actor_match(lx, ac, tk, i, n, text))
				continue;
			if (grow((void **)&scr->mentions, &scr->mentions_cap, scr->nmentions + 1,
			    sizeof(sent_mention)) < 0)
				return -ENOMEM;
			sent_mention *m = &scr->mentions[scr->nmentions++];
			m->start = tk[i].start;
			m->end = tk[i + ac->nwords - 1].aend;
			m->id = sent_lex_str(lx, ac->id);
			m->tone = (double)i; /* token index until the tone is known */
			for (unsigned k = 0; k < ac->nwords; k++)
				tk[i + k].actor = 1;
			i += ac->nwords - 1;
			break;
		}
	}
	return 0;
}

/* A negator whose reach ended without flipping anything still tells: "no
 * picture of health", "sisters are not family" read as negative. */
static int
bare_neg(const sent_params *p, sent_scratch *scr, size_t *nc, size_t *neg_tok, double w,
    int conc)
{
	if (*neg_tok == (size_t)-1)
		return 0;
	size_t t = *neg_tok;
	*neg_tok = (size_t)-1;
	if (p->bare_negation == 0)
		return 0;
	if (grow(&scr->contrib, &scr->contrib_cap, *nc + 1, sizeof(contrib_t)) < 0)
		return -ENOMEM;
	contrib_t *c = &((contrib_t *)scr->contrib)[(*nc)++];
	c->v = -p->bare_negation * w;
	c->tok = t;
	c->conc = (uint8_t)conc;
	return 0;
}

static double
squash(const sent_params *p, double s)
{
	return s / sqrt(s * s + p->alpha);
}

int
sent_score_sentence(const sent_engine *eng, const char *text, size_t start, size_t end,
    sent_scratch *scr, double *score)
{
	const sent_lex *lx = &eng->lex;
	const sent_params *p = &eng->prm;
	size_t n = 0;
	*score = 0;
	scr->nmentions = 0;
	if (tokenize(eng, text, start, end, scr, &n) < 0)
		return -ENOMEM;
	tok_t *tk = scr->toks;
	if (find_actors(eng, text, tk, n, scr) < 0)
		return -ENOMEM;

	size_t nc = 0, words_seen = 0, ctok = (size_t)-1, nexcl = 0;
	size_t neg_tok = (size_t)-1; /* a negator that has not met a valence yet */
	double neg_hedge = 1;
	int neg_conc = 0;
	int neg_left = 0, boost_left = 0, rev_left = 0, in_conc = 0, has_conc = 0;
	double boost = 0, hedge_w = 1;
	for (size_t i = 0; i < n; i++) {
		tok_t *k = &tk[i];
		if (k->type != TK_WORD) {
			if (k->type == TK_CLAUSE) {
				if (bare_neg(p, scr, &nc, &neg_tok, neg_hedge, neg_conc) < 0)
					return -ENOMEM;
				neg_left = 0;
				rev_left = 0;
				hedge_w = 1;
				in_conc = 0;
			} else if (k->type == TK_EXCLAIM) {
				nexcl++;
			}
			continue;
		}
		k->conc = (uint8_t)in_conc;
		size_t span = 1;
		const sent_term *tm = NULL;
		if (!k->actor) {
			const char *low = scr->low + k->low;
			const sent_slot *s = sent_lex_find(lx, low, k->lowlen);
			if (s) {
				for (int32_t t = s->mwe; t >= 0; t = lx->terms[t].next_mwe) {
					if (mwe_match(lx, &lx->terms[t], tk, i, n, scr->low)) {
						tm = &lx->terms[t];
						span = tm->nwords;
						break;
					}
				}
				if (!tm && s->term >= 0)
					tm = &lx->terms[s->term];
			}
			if (!tm && k->lowlen > 3 && low[k->lowlen - 1] == 's') {
				/* a plural the lexicon lists only in the singular */
				const sent_slot *s2 = sent_lex_find(lx, low, k->lowlen - 1);
				if (s2 && s2->term >= 0 && lx->terms[s2->term].kind == SENT_K_WORD)
					tm = &lx->terms[s2->term];
			}
		}
		int kind = tm ? tm->kind : SENT_K_NONE;
		if (!tm && k->lowlen >= 3 && memcmp(scr->low + k->low + k->lowlen - 3, "n't", 3) == 0)
			kind = SENT_K_NEGATOR;
		switch (kind) {
		case SENT_K_NEGATOR:
			if (bare_neg(p, scr, &nc, &neg_tok, neg_hedge, neg_conc) < 0)
				return -ENOMEM;
			neg_left = p->neg_window + 1; /* +1: this token decrements it */
			neg_tok = i;
			neg_hedge = hedge_w;
			neg_conc = in_conc;
			break;
		case SENT_K_REVERSER:
			rev_left = p->reverse_window + 1;
			if (tm->value != 0 && neg_left == 0)
				goto valence; /* "curb" is itself mildly negative */
			break;
		case SENT_K_INTENSIFIER:
			boost = tm->value;
			boost_left = p->boost_window + 1;
			break;
		case SENT_K_CONTRAST:
			if (bare_neg(p, scr, &nc, &neg_tok, neg_hedge, neg_conc) < 0)
				return -ENOMEM;
			if (words_seen > 0) {
				ctok = i;
				in_conc = 0;
			}
			neg_left = 0;
			hedge_w = 1;
			break;
		case SENT_K_CONCESSIVE:
			in_conc = 1;
			has_conc = 1;
			k->conc = 1;
			break;
		case SENT_K_HEDGE:
			if (p->hedge < hedge_w)
				hedge_w = p->hedge;
			break;
		case SENT_K_IRREALIS:
			if (p->irrealis < hedge_w)
				hedge_w = p->irrealis;
			break;
		case SENT_K_WORD:
		valence: {
			double v = tm->value;
			if (v == 0)
				break;
			if (p->valence_power != 1 && p->valence_pivot > 0) {
				double m = p->valence_pivot * pow(fabs(v) / p->valence_pivot, p->valence_power);
				v = v < 0 ? -m : m;
			}
			if (p->name_skip > 0 && span == 1 && k->cap && words_seen > 0 &&
			    ((i > 0 && tk[i - 1].type == TK_WORD && tk[i - 1].cap) ||
			    (i + 1 < n && tk[i + 1].type == TK_WORD && tk[i + 1].cap)))
				break; /* part of a name: "Peace Corps", "Justice Department" */
			if (boost_left > 0) {
				v *= 1 + boost;
				boost_left = 0;
			}
			if (neg_left > 0) {
				v = v > 0 ? -v * p->neg_flip_pos : -v * p->neg_flip_neg;
				neg_tok = (size_t)-1;
			}
			else if (rev_left > 0 && kind != SENT_K_REVERSER && v < 0)
				v = -v * p->reverse_flip; /* "reduce fatalities" */
			v *= hedge_w;
			if (v < 0)
				v *= p->neg_weight;
			if (grow(&scr->contrib, &scr->contrib_cap, nc + 1, sizeof(contrib_t)) < 0)
				return -ENOMEM;
			contrib_t *c = &((contrib_t *)scr->contrib)[nc++];
			c->v = v;
			c->tok = i;
			c->conc = (uint8_t)in_conc;
			break;
		}
		default:
			break;
		}
		for (size_t j = 1; j < span; j++)
			tk[i + j].conc = (uint8_t)in_conc;
		words_seen += span;
		neg_left -= (int)span;
		if (neg_left <= 0) {
			neg_left = 0;
			if (bare_neg(p, scr, &nc, &neg_tok, neg_hedge, neg_conc) < 0)
				return -ENOMEM;
		}
		boost_left -= (int)span;
		if (boost_left < 0)
			boost_left = 0;
		rev_left -= (int)span;
		if (rev_left < 0)
			rev_left = 0;
		i += span - 1;
	}

	if (bare_neg(p, scr, &nc, &neg_tok, neg_hedge, neg_conc) < 0)
		return -ENOMEM;

	/* clause weights, now that the contrast and concession are known */
	contrib_t *cb = scr->contrib;
	double sum = 0;
	for (size_t j = 0; j < nc; j++) {
		double w = 1;
		if (ctok != (size_t)-1)
			w *= cb[j].tok < ctok ? p->contrast_before : p->contrast_after;
		if (has_conc)
			w *= cb[j].conc ? p->concessive : p->concessive_main;
		cb[j].v *= w;
		sum += cb[j].v;
	}
	if (nexcl && sum != 0)
		sum += (sum > 0 ? 1 : -1) * (double)(nexcl > 4 ? 4 : nexcl) * p->exclaim_step;
	double s = sum;
	if (p->length_damp > 0 && words_seen > 0)
		s /= 1 + p->length_damp * sqrt((double)words_seen);
	s += p->bias;
	*score = squash(p, s);

	/* tone toward each actor: the sentence's, pulled toward its own clause
	 * (its side of the contrast and of the concession) */
	double clause[2][2] = { { 0, 0 }, { 0, 0 } };
	for (size_t j = 0; j < nc; j++)
		clause[ctok != (size_t)-1 && cb[j].tok >= ctok][cb[j].conc ? 1 : 0] += cb[j].v;
	for (size_t m = 0; m < scr->nmentions; m++) {
		size_t ti = (size_t)scr->mentions[m].tone;
		double cs = clause[ctok != (size_t)-1 && ti >= ctok][tk[ti].conc ? 1 : 0];
		double tone = (1 - p->actor_clause) * *score + p->actor_clause * squash(p, cs + p->bias);
		scr->mentions[m].tone = tone;
	}
	return 0;
}

const char *
sent_label(const sent_params *p, double score)
{
	if (score >= p->pos_threshold)
		return "positive";
	if (score <= p->neg_threshold)
		return "negative";
	return "neutral";
}

void
sent_scratch_free(sent_scratch *scr)
{
	free(scr->toks);
	free(scr->low);
	free(scr->contrib);
	free(scr->mentions);
	memset(scr, 0, sizeof(*scr));
}
