/*
 * dates_rules.c - rule families and resolution (see dates_rules.h).
 *
 * Flow: dl_scan_triggers() finds digits and temporal words; each trigger
 * opens a region of a few dozen bytes around it; overlapping regions merge;
 * a region is tokenized and every token that can start an expression is
 * handed to the matcher of its class (numbers, months, weekdays, units, ...).
 * A matcher looks right for the rest of the expression and left for the
 * modifiers that belong to it ("the past", "over", "early", "mid-"), never
 * reaching back into an expression already emitted.
 *
 * Values are resolved against the dct with the tense of the clause (a few
 * cue words either side) where the text leaves a choice: a bare weekday or
 * month is the nearest one in the past for reports, in the future for
 * announcements.
 */
#include "dates_rules.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates_cal.h"

enum { TY_DATE, TY_TIME, TY_DURATION, TY_SET };
static const char *const dr_type_names[] = { "DATE", "TIME", "DURATION", "SET" };

static _Thread_local dr_stats dr_tls_stats;

void
dr_stats_get(dr_stats *out)
{
	*out = dr_tls_stats;
	memset(&dr_tls_stats, 0, sizeof dr_tls_stats);
}

typedef struct dr_m {
	long t0, t1;       /* token range of the span */
	long skip;         /* first token after what the match used (>= t1) */
	int type;
	char value[48];
	const char *mod;
	int silent;        /* consumed, nothing emitted (e.g. 31.02.2024) */
	int has2;          /* a second span: "April 24 and 25" */
	long t0b, t1b;
	char value2[48];
} dr_m;

typedef struct dr_ctx {
	const dl_lexicon *lx;
	const char *text;
	size_t len;
	int has_dct;
	dc_date dct;
	int slash_dmy;
	int timeml;          /* dr_opts.timeml_values */
	dl_tok *toks;
	size_t cap;
	int heap;            /* toks was malloc'd (else it is stackbuf) */
	long n;
	long lo;             /* first token a match may use */
	size_t last_end;     /* end of the last emitted span */
	size_t reg_s, reg_e;
	int have_reg;
	dr_emit_fn fn;
	void *fctx;
	int stop;
	int oom;
	int cand_done;
	int last_year;       /* the year of the last emitted date, 0 if none ("that year") */
	int have_day;        /* the last emitted span named a calendar day */
	dc_date last_day;
	size_t last_day_end;
	size_t cand_limit;   /* dct candidates only start before this byte */
	dl_tok stackbuf[256]; /* last: dr_analyze() does not clear it */
} dr_ctx;

#define TOK(i) (&c->toks[(i)])

/* ---- token predicates ---------------------------------------------------- */

static int
ok(dr_ctx *c, long i)
{
	return i >= c->lo && i < c->n;
}

static int
is_w(dr_ctx *c, long i, const char *w)
{
	return ok(c, i) && TOK(i)->kind == TK_WORD && TOK(i)->low[0] == w[0] &&
	    strcmp(TOK(i)->low, w) == 0;
}

static int
is_cls(dr_ctx *c, long i, int cls)
{
	return ok(c, i) && TOK(i)->kind == TK_WORD && TOK(i)->lex &&
	    (TOK(i)->lex->classes & DL_BIT(cls));
}

static int
ival(dr_ctx *c, long i, int cls)
{
	return TOK(i)->lex->ival[cls];
}

static const char *
sval(dr_ctx *c, long i, int cls)
{
	return TOK(i)->lex->sval[cls];
}

static int
is_p(dr_ctx *c, long i, char ch)
{
	return ok(c, i) && TOK(i)->kind == TK_PUNCT && TOK(i)->ch == ch;
}

static int
is_num(dr_ctx *c, long i)
{
	return ok(c, i) && TOK(i)->kind == TK_NUM;
}

static int
is_numd(dr_ctx *c, long i, int maxdig)
{
	return is_num(c, i) && TOK(i)->ndig <= maxdig;
}

/* Token i touches token i-1 (no space between). */
static int
touch(dr_ctx *c, long i)
{
	return i > 0 && i < c->n && TOK(i)->s == TOK(i - 1)->e;
}

static int
capital(dr_ctx *c, long i)
{
	return (TOK(i)->flags & (TF_CAP | TF_UPPER)) != 0;
}

static int
is_any(dr_ctx *c, long i, const char *const *ws)
{
	if (!ok(c, i) || TOK(i)->kind != TK_WORD)
		return 0;
	const char *w = TOK(i)->low;
	for (; *ws; ws++)
		if ((*ws)[0] == w[0] && strcmp(w, *ws) == 0)
			return 1;
	return 0;
}

static int
is_ordsuffix(dr_ctx *c, long i)
{
	static const char *const sfx[] = { "st", "nd", "rd", "th", NULL };
	return touch(c, i) && is_any(c, i, sfx);
}

/* Token i is a relative adjective ("the last two years"), not the verb in
 * "supplies can last two years" or "did not last a week". */
static int
is_rel(dr_ctx *c, long i)
{
	static const char *const verbish[] = { "can", "could", "will", "would", "may", "might",
		"must", "should", "to", "not", "did", "does", "do", "which", "that", "it", "they",
		"usually", "often", "still", "won't", "cannot", "ever", "never", NULL };
	if (!is_cls(c, i, DL_REL))
		return 0;
	if (!strcmp(TOK(i)->low, "last") && is_any(c, i - 1, verbish))
		return 0;
	return 1;
}

/* Index of the first token starting at or after byte p. */
static long
tok_at(dr_ctx *c, size_t p)
{
	long i = c->lo;
	while (i < c->n && TOK(i)->s < p)
		i++;
	return i;
}

/* ---- tense of the clause around a span ----------------------------------- */

static int
dr_word_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strcmp(w, *list) == 0)
			return 1;
	return 0;
}

#define DR_TW 24 /* words looked at on each side */

typedef struct dr_words {
	char w[DR_TW][20];
	unsigned char comma[DR_TW]; /* a comma lies between the span and word k */
	int n;
} dr_words;

static int
dr_is_alpha(unsigned char ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/* A sentence or quotation ends at byte p (scanning either way). */
static int
dr_is_boundary(dr_ctx *c, size_t p)
{
	const char *t = c->text;
	unsigned char ch = (unsigned char)t[p];
	if (ch == '"' || ch == ';')
		return 1;
	if (ch == '\'' && ((p + 1 < c->len && t[p + 1] == '\'') || (p > 0 && t[p - 1] == '\'')))
		return 1;
	if (ch == '`' && p + 1 < c->len && t[p + 1] == '`')
		return 1;
	if (ch == 0xE2 && p + 2 < c->len && (unsigned char)t[p + 1] == 0x80 &&
	    ((unsigned char)t[p + 2] == 0x9C || (unsigned char)t[p + 2] == 0x9D))
		return 1;
	if (ch == '\n' && p + 1 < c->len && t[p + 1] == '\n')
		return 1;
	if ((ch == '.' || ch == '!' || ch == '?') && p + 1 < c->len && (t[p + 1] == ' ' || t[p + 1] == '\n')) {
		/* "U.S." "a.m." "Aug." "Mr." are no sentence ends: short or dotted words */
		size_t k = p, n = 0;
		while (k > 0 && dr_is_alpha((unsigned char)t[k - 1]))
			k--, n++;
		/* "... in 1998. The": a number ends the sentence when a capital follows */
		if (n == 0 && k > 0 && t[k - 1] >= '0' && t[k - 1] <= '9')
			return p + 2 < c->len && (t[p + 1] == '\n' || (t[p + 2] >= 'A' && t[p + 2] <= 'Z'));
		if (n <= 1 || (k > 0 && t[k - 1] == '.'))
			return 0;
		if ((n == 2 && !strncmp(t + k, "vs", 2)) || (n == 3 && !strncmp(t + k, "etc", 3)))
			return 0;
		if (n <= 4 && t[k] >= 'A' && t[k] <= 'Z')
			return 0;
		return 1;
	}
	return 0;
}

/* No sentence or quotation boundary lies in text[a, b). */
static int
same_sentence(dr_ctx *c, size_t a, size_t b)
{
	if (b < a || b - a > 160)
		return 0;
	for (size_t p = a; p < b; p++)
		if (dr_is_boundary(c, p))
			return 0;
	return 1;
}

/* Up to DR_TW words on one side of the span, nearest first. */
static void
dr_collect(dr_ctx *c, size_t from, int dir, dr_words *out)
{
	const char *t = c->text;
	size_t lim = 200;
	out->n = 0;
	if (dir < 0) {
		size_t p = from, stop = from > lim ? from - lim : 0;
		while (p > stop && out->n < DR_TW) {
			unsigned char ch = (unsigned char)t[p - 1];
			if (!dr_is_alpha(ch)) {
				if (dr_is_boundary(c, p - 1))
					return;
				p--;
				continue;
			}
			size_t e = p;
			while (p > stop && (dr_is_alpha((unsigned char)t[p - 1]) || (t[p - 1] == '\'' && p < e && p - 1 > stop && dr_is_alpha((unsigned char)t[p - 2]))))
				p--;
			size_t n = e - p < 19 ? e - p : 19;
			for (size_t k = 0; k < n; k++)
				out->w[out->n][k] = (char)(t[p + k] | 0x20);
			out->w[out->n++][n] = 0;
		}
	} else {
		size_t p = from, stop = from + lim < c->len ? from + lim : c->len;
		int comma = 0;
		while (p < stop && out->n < DR_TW) {
			unsigned char ch = (unsigned char)t[p];
			if (!dr_is_alpha(ch)) {
				if (dr_is_boundary(c, p))
					return;
				if (ch == ',')
					comma = 1;
				p++;
				continue;
			}
			out->comma[out->n] = (unsigned char)comma;
			size_t s = p;
			while (p < stop && (dr_is_alpha((unsigned char)t[p]) || (t[p] == '\'' && p + 1 < stop && dr_is_alpha((unsigned char)t[p + 1]))))
				p++;
			size_t n = p - s < 19 ? p - s : 19;
			for (size_t k = 0; k < n; k++)
				out->w[out->n][k] = (char)(t[s + k] | 0x20);
			out->w[out->n++][n] = 0;
		}
	}
}

/*
 * The tense cue of word w: +1 future, -1 past, 0 none.  after is the word
 * that follows w in the text ("" if none), before the one in front of it.
 */
static int
dr_cue(const char *w, const char *before, const char *after)
{
	static const char *const fut[] = { "will", "ll", "shall", "won't", "wont",
		"expects", "expect", "upcoming", "would", "tomorrow", "soon",
		"begins", "starts", "opens", "meets", "visits", "leaves", "arrives", "expires",
		"resumes", "convenes", "reconvenes", NULL };
	/* future only as "plans to", "scheduled for", "due on"; the past tense
	 * "planned to" tells nothing about the dct, nor does the noun "plans for" */
	static const char *const fut_to[] = { "plan", "plans", "planning",
		"scheduled", "expected", "set", "due", "going", "aims", "intends", "hopes",
		"slated", "poised", NULL };
	static const char *const fut_for[] = { "scheduled", "expected", "set", "due", "slated",
		NULL };
	static const char *const to[] = { "to", "for", "on", "at", "in", NULL };
	static const char *const past[] = { "said", "was", "were", "had", "did", "came",
		"went", "took", "told", "met", "held", "began", "left", "made", "gave", "saw",
		"found", "fled", "fell", "won", "lost", "brought", "sent", "spent", "got",
		"became", "knew", "paid", "ran", "struck", "shot", "ago", "earlier",
		"yesterday", "last", "wrote", "spoke", "broke", "chose", "rose", "led",
		"flew", "sought", "caught", "taught", "fought", "built", "sold", "ago",
		"since", NULL };
	static const char *const ed_not[] = { "need", "indeed", "speed", "seed", "feed",
		"breed", "bleed", "united", "limited", "armed", "advanced", "developed",
		"interested", "concerned", "related", "detailed", "proposed", "supposed",
		"based", "red", "hundred", "bed", "shed", "wed", "embed", "alleged",
		"accused", "wounded", "injured", "scheduled", "expected", "planned", NULL };
	static const char *const passive[] = { "be", "been", "being", "to", "will", "would",
		"not", NULL };
	if (!strcmp(w, "next"))
		return strcmp(after, "to") == 0 ? 0 : 1;
	if (!strcmp(w, "until") || !strcmp(w, "till"))
		return strcmp(before, "up") == 0 ? -1 : 1;
	/* "was going to", "were planning to": future seen from the past */
	if ((!strcmp(w, "was") || !strcmp(w, "were") || !strcmp(w, "is") || !strcmp(w, "are")) &&
	    dr_word_in(after, fut_to))
		return 0;
	static const char *const aux[] = { "has", "have", "is", "are", "was", "were", "been",
		"be", NULL };
	if (dr_word_in(w, fut_to))
		return (!strcmp(after, "to") || (dr_word_in(w, fut_for) && dr_word_in(after, to)) ||
		    dr_word_in(before, aux)) ? 1 : 0;
	if ((!strcmp(w, "early") || !strcmp(w, "soon")) && !strcmp(before, "as"))
		return 1;
	if (dr_word_in(w, fut))
		return 1;
	static const char *const modal[] = { "be", "been", "being", "will", "would", "to",
		"shall", "can", "could", "may", "might", "must", "should", NULL };
	if (dr_word_in(w, past))
		return dr_word_in(before, modal) ? 0 : -1;
	size_t n = strlen(w);
	if (n >= 5 && w[n - 2] == 'e' && w[n - 1] == 'd' && !dr_word_in(w, ed_not) &&
	    !dr_word_in(before, passive))
		return -1;
	return 0;
}

/* Cues that are adverbs or prepositions count as two words further away than verbs. */
static int
dr_weak(const char *w)
{
	static const char *const weak[] = { "until", "till", "since", "ago", "earlier", "last",
		"tomorrow", "yesterday", "next", "soon", "upcoming", NULL };
	return dr_word_in(w, weak) ? 2 : 0;
}

/* +1: the clause speaks of the future, -1: of the past, 0: no cue. */
static int
tense_at(dr_ctx *c, size_t s, size_t e)
{
	dr_words L, R;
	dr_collect(c, s, -1, &L);
	dr_collect(c, e, 1, &R);
	/* "Wednesday's ruling": a possessive weekday names a past event */
	if (e + 1 < c->len && (c->text[e] == '\'' || (unsigned char)c->text[e] == 0xE2) &&
	    (c->text[e + 1] == 's' || (e + 3 < c->len && c->text[e + 3] == 's')))
		return -1;
	/* "the vote is (on) Tuesday", "talks are in March": a present copula
	 * right before the date announces it */
	int k0 = (L.n > 1 && (!strcmp(L.w[0], "on") || !strcmp(L.w[0], "in"))) ? 1 : 0;
	if (L.n > k0 && (!strcmp(L.w[k0], "is") || !strcmp(L.w[k0], "are")))
		return 1;
	int left = 0, dl = 99, right = 0, dr = 99;
	for (int k = 0; k < L.n; k++) {
		const char *after = k > 0 ? L.w[k - 1] : (R.n ? R.w[0] : "");
		const char *before = k + 1 < L.n ? L.w[k + 1] : "";
		int cue = dr_cue(L.w[k], before, after);
		if (cue) {
			left = cue, dl = k + dr_weak(L.w[k]);
			break;
		}
	}
	/* ", officials said" after the span attributes the clause; its tense is
	 * the report's, not the event's ("will be paid Friday, he said") */
	static const char *const attrib[] = { "said", "says", "told", "added", "announced",
		"reported", "stated", "according", NULL };
	for (int k = 0; k < R.n; k++) {
		if (R.comma[k] && dr_word_in(R.w[k], attrib) && R.n < DR_TW && R.n - k <= 4)
			continue; /* only a tail: ", a spokesman said (on) Wednesday." */
		const char *after = k + 1 < R.n ? R.w[k + 1] : "";
		const char *before = k > 0 ? R.w[k - 1] : (L.n ? L.w[0] : "");
		int cue = dr_cue(R.w[k], before, after);
		if (cue) {
			right = cue, dr = k + dr_weak(R.w[k]);
			break;
		}
	}
	if (dl <= dr)
		return left ? left : right;
	return right;
}

/* ---- value helpers -------------------------------------------------------- */

static void
v_day(char *v, dc_date t)
{
	dc_fmt_day(v, 48, t);
}

static dc_date
mkdate(int y, int m, int d)
{
	dc_date t = { y, m, d };
	return t;
}

/* The weekday wd nearest the dct in the direction the text implies. */
static int
resolve_weekday(dr_ctx *c, int wd, int rel, size_t s, size_t e, dc_date *out)
{
	if (!c->has_dct)
		return 0;
	int cur = dc_weekday(c->dct);
	int back = (cur - wd + 7) % 7, fwd = (wd - cur + 7) % 7;
	if (rel == -1) { /* last Friday */
		*out = dc_add_days(c->dct, -(back ? back : 7));
		return 1;
	}
	if (rel == 1) { /* next Friday */
		*out = dc_add_days(c->dct, fwd ? fwd : 7);
		return 1;
	}
	if (rel == 0) { /* this Friday: in the dct's week */
		*out = dc_add_days(c->dct, wd - cur);
		return 1;
	}
	if (back == 0) {
		*out = c->dct;
		return 1;
	}
	int t = tense_at(c, s, e);
	*out = dc_add_days(c->dct, t > 0 ? fwd : -back);
	return 1;
}

/*
 * Year for a month (and day) given without one: the occurrence nearest the
 * dct, where one on the wrong side of the dct for the clause's tense pays a
 * penalty (a day date only when it is more than a month off).
 */
static int
resolve_year_md(dr_ctx *c, int m, int d, int tense)
{
	int y = c->dct.y;
	int64_t now = dc_to_days(c->dct);
	int best = y;
	int64_t bestdist = INT64_MAX;
	if (d == 29 && m == 2 && !dc_is_leap(y - 1) && !dc_is_leap(y) && !dc_is_leap(y + 1)) {
		/* the nearest leap year on the side the tense points to */
		int yy = y;
		while (!dc_is_leap(yy))
			yy += tense > 0 ? 1 : -1;
		return yy;
	}
	for (int k = -1; k <= 1; k++) {
		int yy = y + k;
		int same = d <= 0 && yy == y && m == c->dct.m;
		int dd = d > 0 ? d : 15;
		if (dd > dc_days_in_month(yy, m))
			continue; /* February 29 only in leap years */
		int64_t diff = dc_to_days(mkdate(yy, m, dd)) - now;
		int64_t dist = diff < 0 ? -diff : diff;
		/* a past-tense report may still name a coming month ("was planned
		 * for March"); a future clause hardly names a past one */
		int64_t slack = d > 0 ? 30 : 0, pen = d > 0 ? 120 : 240, fpen = d > 0 ? 120 : 400;
		if (same)
			dist = 0;
		else if (tense < 0 && diff > slack)
			dist += pen;
		else if (tense > 0 && diff < -slack)
			dist += fpen;
		if (dist < bestdist || (dist == bestdist && diff < 0)) {
			bestdist = dist;
			best = yy;
		}
	}
	return best;
}

static void
v_x_for_unit(char *v, const char *u)
{
	if (!strcmp(u, "M") || !strcmp(u, "Q"))
		snprintf(v, 48, "XXXX-XX");
	else if (!strcmp(u, "W") || !strcmp(u, "2W"))
		snprintf(v, 48, "XXXX-WXX");
	else if (!strcmp(u, "D") || !strcmp(u, "WE") || !strcmp(u, "H") || !strcmp(u, "MIN") || !strcmp(u, "S"))
		snprintf(v, 48, "XXXX-XX-XX");
	else
		snprintf(v, 48, "XXXX");
}

static void
fmt_num(char *b, size_t n, double q)
{
	if (q == (double)(long)q)
		snprintf(b, n, "%ld", (long)q);
	else
		snprintf(b, n, "%g", q);
}

/* TIMEX3 duration for q units (q < 0: unknown amount). */
static void
v_duration(char *v, double q, const char *u)
{
	char num[24];
	const char *code = u;
	int timeu = 0;
	if (!strcmp(u, "H"))
		code = "H", timeu = 1;
	else if (!strcmp(u, "MIN"))
		code = "M", timeu = 1;
	else if (!strcmp(u, "S"))
		code = "S", timeu = 1;
	else if (!strcmp(u, "WE"))
		code = "WE";
	else if (!strcmp(u, "Q"))
		code = "Q";
	else if (!strcmp(u, "2W")) {
		code = "W";
		if (q > 0)
			q *= 2;
	}
	if (q < 0) {
		snprintf(v, 48, "P%sX%s", timeu ? "T" : "", code);
		return;
	}
	if (!strcmp(u, "WE")) {
		fmt_num(num, sizeof num, q * 2);
		snprintf(v, 48, "P%sD", num);
		return;
	}
	if (!strcmp(u, "Q")) {
		fmt_num(num, sizeof num, q * 3);
		snprintf(v, 48, "P%sM", num);
		return;
	}
	/* a fraction goes down a unit, as TIMEX3 values are written: 1.5 years
	 * = P18M, half a decade = P5Y, half a day = PT12H */
	if (q != (double)(long)q) {
		static const struct { const char *u, *sub; int f; } down[] = { { "Y", "M", 12 },
			{ "DE", "Y", 10 }, { "CE", "Y", 100 }, { "W", "D", 7 }, { "D", "H", 24 } };
		for (size_t k = 0; k < sizeof down / sizeof down[0]; k++) {
			double q2 = q * down[k].f;
			if (!strcmp(u, down[k].u) && q2 == (double)(long)q2) {
				v_duration(v, q2, down[k].sub);
				return;
			}
		}
	}
	if (timeu && !strcmp(u, "H") && q != (double)(long)q) {
		long h = (long)q;
		long mi = (long)((q - (double)h) * 60 + 0.5);
		if (h)
			snprintf(v, 48, "PT%ldH%ldM", h, mi);
		else
			snprintf(v, 48, "PT%ldM", mi);
		return;
	}
	fmt_num(num, sizeof num, q);
	snprintf(v, 48, "P%s%s%s", timeu ? "T" : "", num, code);
}

/* A date shifted n units from the dct, at the unit's granularity. */
static void
v_shift(dr_ctx *c, char *v, double q, const char *u, int dir)
{
	if (q < 0) {
		snprintf(v, 48, dir < 0 ? "PAST_REF" : "FUTURE_REF");
		return;
	}
	if (!c->has_dct) {
		v_x_for_unit(v, u);
		return;
	}
	int n = (int)q * dir;
	if (!strcmp(u, "Y"))
		dc_fmt_year(v, 48, c->dct.y + n);
	else if (!strcmp(u, "DE"))
		dc_fmt_year(v, 48, c->dct.y + 10 * n);
	else if (!strcmp(u, "CE"))
		dc_fmt_year(v, 48, c->dct.y + 100 * n);
	else if (!strcmp(u, "M") || !strcmp(u, "Q")) {
		dc_date t = dc_add_months(c->dct, !strcmp(u, "Q") ? 3 * n : n);
		dc_fmt_month(v, 48, t.y, t.m);
	} else if (!strcmp(u, "W") || !strcmp(u, "2W"))
		dc_fmt_week(v, 48, dc_add_days(c->dct, 7 * n * (!strcmp(u, "2W") ? 2 : 1)));
	else if (!strcmp(u, "D") || !strcmp(u, "WE"))
		v_day(v, dc_add_days(c->dct, n));
	else
		v_day(v, c->dct);
}

/* ---- left context ---------------------------------------------------------- */

/* Quantity modifiers in front of a duration: "over", "more than", "at least". */
static long
left_quant(dr_ctx *c, long s, const char **mod, int wide)
{
	if (is_w(c, s - 1, "than") && (is_w(c, s - 2, "more") || is_w(c, s - 2, "less") || is_w(c, s - 2, "fewer"))) {
		*mod = is_w(c, s - 2, "more") ? "MORE_THAN" : "LESS_THAN";
		s -= 2;
		if (is_w(c, s - 1, "no") || is_w(c, s - 1, "much") || is_w(c, s - 1, "little"))
			s--;
		return s;
	}
	if (is_w(c, s - 2, "at") && (is_w(c, s - 1, "least") || is_w(c, s - 1, "most"))) {
		*mod = is_w(c, s - 1, "least") ? "EQUAL_OR_MORE" : "EQUAL_OR_LESS";
		return s - 2;
	}
	if (is_w(c, s - 2, "up") && is_w(c, s - 1, "to")) {
		*mod = "EQUAL_OR_LESS";
		return s - 2;
	}
	if (is_w(c, s - 1, "over") || is_w(c, s - 1, "under")) {
		*mod = is_w(c, s - 1, "over") ? "MORE_THAN" : "LESS_THAN";
		s--;
		if (is_w(c, s - 1, "just") || is_w(c, s - 1, "well"))
			s--;
		return s;
	}
	if (is_w(c, s - 1, "around") || is_w(c, s - 1, "approximately") || is_w(c, s - 1, "roughly")) {
		*mod = "APPROX";
		return s - 1;
	}
	if (is_w(c, s - 1, "about") || is_w(c, s - 1, "some")) {
		*mod = "APPROX";
		return wide ? s - 1 : s;
	}
	if (is_w(c, s - 1, "nearly") || is_w(c, s - 1, "almost")) {
		*mod = "LESS_THAN";
		return wide ? s - 1 : s;
	}
	return s;
}

/* Position nouns before "of": "the end of the month". */
static const char *const dr_pos_nouns[] = { "end", "beginning", "start", "middle", NULL };
/* Words before "year end" ("by year end", "at year end"). */
static const char *const dr_end_pre[] = { "by", "at", "until", "till", "before", "after",
	"since", "the", "this", NULL };

static const char *
pos_mod(const char *w)
{
	return !strcmp(w, "end") ? "END" : !strcmp(w, "middle") ? "MID" : "START";
}

/* Position modifiers in front of a year, decade, month, century or season. */
static long
left_pos(dr_ctx *c, long s, const char **mod)
{
	if (is_p(c, s - 1, '-') && touch(c, s) && touch(c, s - 1)) {
		if (is_w(c, s - 2, "mid")) {
			*mod = "MID";
			return s - 2;
		}
		if (is_w(c, s - 2, "early") || is_w(c, s - 2, "late")) {
			*mod = is_w(c, s - 2, "early") ? "START" : "END";
			return s - 2;
		}
		if (is_w(c, s - 2, "post")) {
			*mod = "AFTER";
			return s - 2;
		}
		if (is_w(c, s - 2, "pre")) {
			*mod = "BEFORE";
			return s - 2;
		}
	}
	if (is_w(c, s - 1, "early") || is_w(c, s - 1, "late") || is_w(c, s - 1, "mid")) {
		*mod = is_w(c, s - 1, "early") ? "START" : is_w(c, s - 1, "late") ? "END" : "MID";
		s--;
		if (is_w(c, s - 1, "very"))
			s--;
		return s;
	}
	/* "the end of the third quarter", "the middle of the 1990s" */
	if (is_w(c, s - 1, "the") && is_w(c, s - 2, "of") && is_any(c, s - 3, dr_pos_nouns)) {
		*mod = pos_mod(TOK(s - 3)->low);
		return s - 3;
	}
	if (is_w(c, s - 1, "of")) {
		if (is_w(c, s - 2, "end")) {
			*mod = "END";
			return s - 2;
		}
		if (is_w(c, s - 2, "beginning") || is_w(c, s - 2, "start")) {
			*mod = "START";
			return s - 2;
		}
		if (is_w(c, s - 2, "middle")) {
			*mod = "MID";
			return s - 2;
		}
	}
	if (is_w(c, s - 1, "around") || is_w(c, s - 1, "circa") || is_w(c, s - 1, "approximately")) {
		*mod = "APPROX";
		return s - 1;
	}
	return s;
}

/* ---- clock times ----------------------------------------------------------- */

/* "a.m." / "pm" / "A.M." right after byte p: +1 pm, -1 am, 0 none. */
static int
ampm_at(dr_ctx *c, size_t p, size_t *end)
{
	const char *t = c->text;
	size_t q = p;
	if (q < c->len && t[q] == ' ')
		q++;
	if (q >= c->len)
		return 0;
	char a = (char)(t[q] | 0x20);
	if (a != 'a' && a != 'p')
		return 0;
	size_t r = q + 1;
	int dotted = 0;
	if (r < c->len && t[r] == '.') {
		dotted = 1;
		r++;
		if (r < c->len && t[r] == ' ')
			r++;
	}
	if (r >= c->len || (t[r] | 0x20) != 'm')
		return 0;
	r++;
	if (dotted && r < c->len && t[r] == '.')
		r++;
	if (r < c->len && (((t[r] | 0x20) >= 'a' && (t[r] | 0x20) <= 'z') || (t[r] >= '0' && t[r] <= '9')))
		return 0;
	*end = r;
	return a == 'p' ? 1 : -1;
}

static int m_weekday_core(dr_ctx *c, long i, dc_date *out, long *next, int *has);
static int m_month(dr_ctx *c, long i, dr_m *m);
static int m_weekday(dr_ctx *c, long i, dr_m *m);
static int m_holiday(dr_ctx *c, long i, dr_m *m);

/*
 * A clock time at token i: "10:35 a.m.", "6 a.m", "14:48", "4 in the morning".
 * strict: a bare hh:mm needs no am/pm (it follows a date).  Returns the
 * token after the time (and its zone), or 0.
 */
static long
parse_clock(dr_ctx *c, long i, int strict_free, int *hh, int *mm)
{
	if (!is_numd(c, i, 2))
		return 0;
	int h = TOK(i)->num, mi = 0, colon = 0;
	long j = i + 1;
	if (is_p(c, j, ':') && touch(c, j) && is_num(c, j + 1) && touch(c, j + 1) && TOK(j + 1)->ndig == 2) {
		mi = TOK(j + 1)->num;
		colon = 1;
		j += 2;
		if (is_p(c, j, ':') && touch(c, j) && is_num(c, j + 1) && touch(c, j + 1) && TOK(j + 1)->ndig == 2)
			j += 2;
	} else if (is_p(c, j, '.') && touch(c, j) && is_num(c, j + 1) && touch(c, j + 1) && TOK(j + 1)->ndig == 2) {
		/* "10.30 am" is a time only with am/pm */
		size_t e2;
		if (ampm_at(c, TOK(j + 1)->e, &e2)) {
			mi = TOK(j + 1)->num;
			colon = 1;
			j += 2;
		}
	}
	if (h > 24 || mi > 59)
		return 0;
	size_t e;
	int ap = ampm_at(c, TOK(j - 1)->e, &e);
	if (ap) {
		if (h == 0 || h > 12)
			return 0;
		j = tok_at(c, e);
		if (ap > 0 && h < 12)
			h += 12;
		if (ap < 0 && h == 12)
			h = 0;
	} else if (!colon && is_w(c, j, "in") && is_w(c, j + 1, "the") && is_cls(c, j + 2, DL_POD) && h >= 1 && h <= 12) {
		const char *pod = sval(c, j + 2, DL_POD);
		if (strcmp(pod, "MO") != 0 && !(strcmp(pod, "NI") == 0 && h < 5) && h < 12)
			h += 12;
		j += 3;
	} else if (!colon) {
		return 0;
	} else if (!strict_free) {
		/* a bare hh:mm needs a clue that it is a time of day */
		static const char *const pre[] = { "at", "by", "until", "till", "from", "before",
			"after", "around", "about", "since", "to", NULL };
		if (!(is_any(c, i - 1, pre) || is_cls(c, j, DL_TZ) || is_w(c, j, "hrs") ||
		    is_w(c, j, "hours") || is_w(c, j, "gmt") || is_w(c, j, "utc")))
			return 0;
	}
	if (is_cls(c, j, DL_TZ) && capital(c, j))
		j++;
	*hh = h, *mm = mi;
	return j;
}

/* After a date at token j: an optional time ("2:55 PM", "| 14:48", "at 10 am"). */
static long
time_suffix(dr_ctx *c, long j, int *hh, int *mm)
{
	long k = j;
	if (is_p(c, k, ',') || is_p(c, k, '|') || is_p(c, k, '-') || is_w(c, k, "at") ||
	    (is_w(c, k, "t") && touch(c, k)))
		k++;
	long r = parse_clock(c, k, 1, hh, mm);
	return r ? r : 0;
}

static void
v_with_time(char *v, const char *datev, int hh, int mm)
{
	snprintf(v, 48, "%sT%02d:%02d", datev, hh, mm);
}

/* ---- matchers: numbers ------------------------------------------------------ */

/* The end year of a date given without one, or the text's explicit year after j. */
static long
opt_year(dr_ctx *c, long j, int *y)
{
	long k = j;
	if (is_p(c, k, ','))
		k++;
	if (is_numd(c, k, 4) && TOK(k)->ndig == 4 && TOK(k)->num >= 1000 && TOK(k)->num <= 2199 &&
	    !(is_p(c, k + 1, ':') && touch(c, k + 1)) && !(is_w(c, k + 1, "s") && touch(c, k + 1))) {
		*y = TOK(k)->num;
		return k + 1;
	}
	if (is_p(c, k, '\'') && is_numd(c, k + 1, 2) && TOK(k + 1)->ndig == 2 && touch(c, k + 1)) {
		*y = dc_expand_year2(TOK(k + 1)->num, c->has_dct ? c->dct.y : 0);
		return k + 2;
	}
	return j;
}

static void
finish_date(dr_ctx *c, dr_m *m, long t0, long j, int y, int mo, int d, size_t s)
{
	char dv[32];
	if (y > 0) {
		v_day(dv, mkdate(y, mo, d));
	} else if (c->has_dct) {
		int t = tense_at(c, s, TOK(j - 1)->e);
		v_day(dv, mkdate(resolve_year_md(c, mo, d, t), mo, d));
	} else {
		snprintf(dv, sizeof dv, "XXXX-%02d-%02d", mo, d);
	}
	int hh, mm;
	long k = time_suffix(c, j, &hh, &mm);
	m->t0 = t0;
	if (k) {
		v_with_time(m->value, dv, hh, mm);
		m->type = TY_TIME;
		m->t1 = k;
	} else {
		snprintf(m->value, sizeof m->value, "%s", dv);
		m->type = TY_DATE;
		m->t1 = j;
	}
}

/* 2021-03-10, 19.02.2024, 01/16/2024, 03-07-2025 (+ time). */
static int
m_numeric_date(dr_ctx *c, long i, dr_m *m)
{
	if (!is_num(c, i) || TOK(i)->ndig > 4)
		return 0;
	long j = i + 1;
	if (!(ok(c, j) && TOK(j)->kind == TK_PUNCT && touch(c, j)))
		return 0;
	char sep = TOK(j)->ch;
	if (sep != '.' && sep != '/' && sep != '-')
		return 0;
	if (!(is_num(c, j + 1) && touch(c, j + 1)))
		return 0;
	int a = TOK(i)->num, b = TOK(j + 1)->num, da = TOK(i)->ndig, db = TOK(j + 1)->ndig;
	if (!(is_p(c, j + 2, sep) && touch(c, j + 2) && is_num(c, j + 3) && touch(c, j + 3))) {
		/* MM/YYYY */
		if (sep == '/' && da <= 2 && db == 4 && a >= 1 && a <= 12 && b >= 1000 && b <= 2199 &&
		    !(is_p(c, j + 2, '/') && touch(c, j + 2))) {
			m->t0 = i, m->t1 = j + 2, m->type = TY_DATE;
			dc_fmt_month(m->value, sizeof m->value, b, a);
			return 1;
		}
		return 0;
	}
	int cc = TOK(j + 3)->num, dcn = TOK(j + 3)->ndig;
	long end = j + 4;
	m->t0 = i, m->t1 = end;
	/* a fourth group (an IP address, a version) is not a date */
	if (ok(c, end) && TOK(end)->kind == TK_PUNCT && touch(c, end) && (TOK(end)->ch == sep) &&
	    is_num(c, end + 1) && touch(c, end + 1)) {
		m->silent = 1, m->t1 = end + 2;
		return 1;
	}
	if (is_num(c, end) && touch(c, end))
		return 0;
	int y, mo, d;
	if (da == 4 && db <= 2 && dcn <= 2) {
		y = a, mo = b, d = cc;
	} else if (da <= 2 && db <= 2 && (dcn == 4 || dcn == 2)) {
		y = dcn == 4 ? cc : dc_expand_year2(cc, c->has_dct ? c->dct.y : 0);
		int dmy;
		if (sep == '.')
			dmy = 1;
		else if (a > 12)
			dmy = 1;
		else if (b > 12)
			dmy = 0;
		else if (sep == '-')
			dmy = 1;
		else
			dmy = c->slash_dmy;
		if (dmy)
			d = a, mo = b;
		else
			mo = a, d = b;
		/* the other reading, when this one does not exist */
		if (!dc_valid(y, mo, d) && sep != '.' && dc_valid(y, d, mo)) {
			int tmp = d;
			d = mo, mo = tmp;
		}
	} else {
		m->silent = 1;
		return 1;
	}
	if (!dc_valid(y, mo, d)) {
		m->silent = 1;
		return 1;
	}
	finish_date(c, m, i, end, y, mo, d, TOK(i)->s);
	return 1;
}

/* A month abbreviation ("Aug", "Sept"), which a period may follow; not the
 * full names May, June and July, after which a period ends the sentence. */
static int
month_abbr(dr_ctx *c, long i)
{
	const char *w = TOK(i)->low;
	return strlen(w) <= 4 && strcmp(w, "june") && strcmp(w, "july") && strcmp(w, "may");
}

static int
month_ok(dr_ctx *c, long i, int need_strong)
{
	if (!is_cls(c, i, DL_MONTH))
		return 0;
	dl_tok *t = TOK(i);
	if (!(t->flags & (TF_CAP | TF_UPPER)))
		return 0;
	int abbr = month_abbr(c, i);
	int numnext = is_num(c, i + 1) || (is_p(c, i + 1, '.') && touch(c, i + 1) && is_num(c, i + 2));
	if (abbr)
		return (is_p(c, i + 1, '.') && touch(c, i + 1)) || numnext || (is_p(c, i + 1, ',') && is_num(c, i + 2));
	if (!strcmp(t->low, "may") || !strcmp(t->low, "march") || need_strong) {
		static const char *const pre[] = { "in", "since", "until", "till", "by", "of", "early",
			"late", "mid", "last", "next", "this", "during", "from", "through", "between",
			"before", "after", "and", "to", "or", "throughout", "that", "the", NULL };
		if (numnext || (is_p(c, i + 1, ',') && is_numd(c, i + 2, 4)))
			return 1;
		/* "the March of Dimes", "the May of the novel": a name, not a month */
		if (is_w(c, i - 1, "the") && is_w(c, i + 1, "of") && !is_num(c, i + 2) &&
		    !is_cls(c, i + 2, DL_REL))
			return 0;
		if (t->flags & TF_UPPER && !(TOK(i)->flags & TF_NL))
			return is_any(c, i - 1, pre);
		return is_any(c, i - 1, pre) || (is_p(c, i - 1, '-') && is_w(c, i - 2, "mid"));
	}
	return 1;
}

/* "29 December 2023", "4th of July", "11 September" (+ year, + time). */
static int
m_day_month(dr_ctx *c, long i, dr_m *m)
{
	if (!is_numd(c, i, 2) || TOK(i)->num < 1 || TOK(i)->num > 31)
		return 0;
	if (touch(c, i) && (is_num(c, i - 1) || is_p(c, i - 1, '.') || is_p(c, i - 1, ',') || is_p(c, i - 1, ':')))
		return 0;
	long j = i + 1;
	char sep = 0;
	if (is_ordsuffix(c, j))
		j++;
	if (is_w(c, j, "of"))
		j++;
	else if (ok(c, j) && TOK(j)->kind == TK_PUNCT && touch(c, j) && strchr("-/.", TOK(j)->ch) &&
	    touch(c, j + 1))
		sep = TOK(j++)->ch; /* 14-Oct-2023 */
	if (!is_cls(c, j, DL_MONTH) || !capital(c, j))
		return 0;
	int mo = ival(c, j, DL_MONTH), d = TOK(i)->num;
	j++;
	int y = 0;
	if (sep) {
		if (!(is_p(c, j, sep) && touch(c, j) && is_numd(c, j + 1, 4) && touch(c, j + 1) &&
		    TOK(j + 1)->ndig == 4))
			return 0;
		y = TOK(j + 1)->num;
		j += 2;
	} else {
		if (is_p(c, j, '.') && touch(c, j) && month_abbr(c, j - 1))
			j++;
		j = opt_year(c, j, &y);
	}
	if (!dc_valid(y > 0 ? y : 2000, mo, d))
		return 0;
	finish_date(c, m, i, j, y, mo, d, TOK(i)->s);
	return 1;
}

/* Clock times that stand alone: "10:35 a.m.", "9 a.m. Tuesday". */
static int
m_time(dr_ctx *c, long i, dr_m *m)
{
	int hh, mm;
	long j = parse_clock(c, i, 0, &hh, &mm);
	if (!j)
		return 0;
	char dv[32];
	dc_date d;
	int has = 0;
	long k = j;
	if (is_p(c, k, ','))
		k++;
	long nx;
	dr_m sub;
	memset(&sub, 0, sizeof sub);
	if (m_weekday_core(c, k, &d, &nx, &has)) {
		j = nx;
	} else if (c->has_dct && is_cls(c, k, DL_DEICTIC) && ival(c, k, DL_DEICTIC) >= -1 &&
	    ival(c, k, DL_DEICTIC) <= 1 && strcmp(sval(c, k, DL_DEICTIC), "PRESENT_REF") != 0) {
		/* "3 p.m. yesterday": one TIME */
		d = dc_add_days(c->dct, ival(c, k, DL_DEICTIC));
		has = 1;
		j = k + 1;
	} else if (c->has_dct && (is_w(c, k, "this") || (is_w(c, k, "last") && is_w(c, k + 1, "night"))) &&
	    is_cls(c, k + 1, DL_POD)) {
		/* "10:30 this morning", "11 p.m. last night" */
		d = dc_add_days(c->dct, is_w(c, k, "last") ? -1 : 0);
		has = 1;
		j = k + 2;
	} else if (is_cls(c, k, DL_MONTH) && m_month(c, k, &sub) && sub.t0 == k && strlen(sub.value) == 10 &&
	    sub.type == TY_DATE) {
		/* "10:34 AM, Jan 01, 2018" */
		v_with_time(m->value, sub.value, hh, mm);
		m->t0 = i, m->t1 = sub.t1, m->type = TY_TIME;
		return 1;
	} else {
		/* "10:35 a.m. (0735 GMT) Friday": the weekday dates the time */
		for (long q = j; q < j + 8 && q < c->n; q++)
			if (is_cls(c, q, DL_WEEKDAY) && capital(c, q) && strlen(TOK(q)->low) > 4) {
				long dummy;
				if (m_weekday_core(c, q, &d, &dummy, &has))
					break;
			}
	}
	/* a bare clock time is on the day the sentence names ("On May 3, at
	 * 6 p.m., ..."), else on the dct (news practice) */
	if (!has && c->have_day && same_sentence(c, c->last_day_end, TOK(i)->s)) {
		d = c->last_day;
		has = 1;
	}
	if (has)
		v_day(dv, d);
	else if (c->has_dct)
		v_day(dv, c->dct);
	else
		snprintf(dv, sizeof dv, "XXXX-XX-XX");
	v_with_time(m->value, dv, hh, mm);
	m->t0 = i, m->t1 = j, m->type = TY_TIME;
	return 1;
}

/* "1990s", "'90s", "the 2000s", "mid-1990s", "late 1970s". */
static int
m_decade(dr_ctx *c, long i, dr_m *m)
{
	if (!is_num(c, i))
		return 0;
	long j = i + 1;
	if (is_p(c, j, '\'') && touch(c, j) && is_w(c, j + 1, "s") && touch(c, j + 1))
		j++;
	if (!(is_w(c, j, "s") && touch(c, j)))
		return 0;
	int n = TOK(i)->num, nd = TOK(i)->ndig;
	int dec;
	long s = i;
	if (nd == 4 && n % 10 == 0 && n >= 1000 && n <= 2190) {
		dec = n / 10;
	} else if (nd == 2 && n % 10 == 0) {
		static const char *const poss[] = { "his", "her", "their", "my", "our", "your", NULL };
		if (is_any(c, i - 1, poss) || is_any(c, i - 2, poss))
			return 0; /* an age */
		/* "the 60's", "early 70s", "'90s"; not "a perfect 10's" */
		static const char *const dpre[] = { "the", "early", "late", "mid", NULL };
		if (is_p(c, i - 1, '\'') && touch(c, i))
			s = i - 1;
		else if (!is_any(c, i - 1, dpre) && !(is_p(c, i - 1, '-') && is_w(c, i - 2, "mid")))
			return 0;
		if (s == i && n < 20)
			return 0;
		int cent = n >= 30 ? 19 : 20;
		if (n == 20 && !(c->has_dct && c->dct.y >= 2020))
			cent = 19;
		dec = cent * 10 + n / 10;
	} else {
		return 0;
	}
	const char *mod = NULL;
	s = left_pos(c, s, &mod);
	m->t0 = s, m->t1 = j + 1, m->type = TY_DATE, m->mod = mod;
	snprintf(m->value, sizeof m->value, "%03d", dec);
	return 1;
}

static int
is_count_noun(dr_ctx *c, long i)
{
	static const char *const nouns[] = { "people", "troops", "soldiers", "men", "women",
		"children", "persons", "km", "kilometers", "kilometres", "miles", "meters",
		"metres", "feet", "tons", "tonnes", "dollars", "rupees", "euros", "votes",
		"cases", "deaths", "percent", "members", "units", "words", "pages", "points",
		"families", "refugees", "fighters", "militants", "civilians", "students",
		"workers", "police", "officers", "vehicles", "houses", "homes", "acres",
		"hectares", "barrels", "pounds", "kg", "residents", "prisoners", "voters",
		"seats", "jobs", "rounds", "copies", "signatures", "hrs", "hours", "crore",
		"lakh", "million", "billion", "delegates", "candidates", "schools", "villages",
		"marines", "personnel", "staff", "visitors", "tourists", "casualties", "killed",
		"dead", "injured", "wounded", NULL };
	return is_any(c, i, nouns);
}

/* A year: "2001", "in 1995", "the 2021 withdrawal", "mid-2022", "fiscal 2021". */
static int
m_year(dr_ctx *c, long i, dr_m *m)
{
	if (!is_num(c, i) || TOK(i)->ndig != 4)
		return 0;
	int y = TOK(i)->num;
	if (y < 1000 || y > 2199)
		return 0;
	if (touch(c, i) && i > 0) {
		dl_tok *p = TOK(i - 1);
		if (p->kind == TK_NUM || p->kind == TK_WORD)
			return 0;
		if (p->kind == TK_PUNCT && strchr("$#.,:/\xa3", p->ch))
			return 0;
		if (p->ch == '-' && i >= 2 && TOK(i - 2)->kind == TK_NUM && TOK(i - 2)->ndig != 4)
			return 0;
	}
	long j = i + 1;
	if (touch(c, j)) {
		dl_tok *nx = TOK(j);
		if (nx->kind == TK_NUM || nx->kind == TK_WORD)
			return 0;
		if (nx->ch == '%')
			return 0;
		if ((nx->ch == ',' || nx->ch == '.' || nx->ch == ':' || nx->ch == '/') && is_num(c, j + 1) && touch(c, j + 1))
			return 0;
	}
	if (is_count_noun(c, j))
		return 0;
	/* "page 2001", "Resolution 1973", "Flight 2012": a number in a series */
	static const char *const serial[] = { "page", "pages", "chapter", "section", "article",
		"resolution", "number", "room", "flight", "route", "highway", "vol", "volume",
		"paragraph", "clause", "rule", "item", "para", "pp", "annex", "line", "bus", "unit",
		"code", "order", "case", "file", "ticket", "box", "suite", "apartment", "block",
		"sector", "lot", "exit", "gate", "track", "frequency", "model", NULL };
	if (is_any(c, i - 1, serial))
		return 0;
	static const char *const pre[] = { "in", "since", "from", "by", "until", "of", "year",
		"around", "circa", "between", "to", "and", "before", "after", "during", "c", "till",
		"through", "early", "late", "mid", NULL };
	if (y < 1600 && !is_any(c, i - 1, pre))
		return 0;
	const char *mod = NULL;
	long s = i;
	m->type = TY_DATE;
	/* fiscal 2021, fiscal year 2021, FY 2021, fiscal year 2022-23 */
	if (is_cls(c, s - 1, DL_FISCAL) || (is_w(c, s - 1, "year") && is_cls(c, s - 2, DL_FISCAL))) {
		s = is_cls(c, s - 1, DL_FISCAL) ? s - 1 : s - 2;
		if (is_p(c, j, '-') && touch(c, j) && is_numd(c, j + 1, 2) && TOK(j + 1)->ndig == 2 &&
		    touch(c, j + 1) && TOK(j + 1)->num == (y + 1) % 100)
			j += 2;
		m->t0 = s, m->t1 = j;
		snprintf(m->value, sizeof m->value, "FY%04d", y);
		return 1;
	}
	/* first half of 1979 */
	if (is_w(c, s - 1, "of") && is_w(c, s - 2, "half") && is_cls(c, s - 3, DL_ORD) &&
	    ival(c, s - 3, DL_ORD) >= 1 && ival(c, s - 3, DL_ORD) <= 2) {
		m->t0 = s - 3, m->t1 = j;
		snprintf(m->value, sizeof m->value, "%04d-H%d", y, ival(c, s - 3, DL_ORD));
		return 1;
	}
	s = left_pos(c, s, &mod);
	m->t0 = s, m->t1 = j, m->mod = mod;
	dc_fmt_year(m->value, sizeof m->value, y);
	return 1;
}

static int part_year(dr_ctx *c, int n, int parts, size_t s, size_t e);

/* Business-calendar codes: "Q3 2022", "H1", "FY23", "FY2023", "FY 2022-23". */
static int
m_code(dr_ctx *c, long i, dr_m *m)
{
	if (!is_num(c, i) || !ok(c, i - 1))
		return 0;
	dl_tok *p = TOK(i - 1);
	if (p->kind != TK_WORD || !(p->flags & TF_UPPER))
		return 0;
	int n = TOK(i)->num, nd = TOK(i)->ndig;
	if ((!strcmp(p->low, "q") || !strcmp(p->low, "h")) && touch(c, i) && nd == 1) {
		int parts = p->low[0] == 'q' ? 4 : 2;
		if (n < 1 || n > parts || (ok(c, i - 2) && touch(c, i - 1)))
			return 0; /* "AQ3", "Q5" */
		if (ok(c, i + 1) && touch(c, i + 1) && TOK(i + 1)->kind != TK_PUNCT)
			return 0;
		long e = i + 1;
		int y = 0;
		if (is_numd(c, e, 4) && TOK(e)->ndig == 4 && TOK(e)->num >= 1900 && TOK(e)->num <= 2199 &&
		    !(ok(c, e + 1) && touch(c, e + 1) && TOK(e + 1)->kind != TK_PUNCT)) {
			y = TOK(e)->num;
			e++;
		} else if (c->has_dct) {
			y = part_year(c, n, parts, p->s, TOK(i)->e);
		}
		m->t0 = i - 1, m->t1 = e, m->type = TY_DATE;
		if (y)
			snprintf(m->value, sizeof m->value, "%04d-%c%d", y, parts == 4 ? 'Q' : 'H', n);
		else
			snprintf(m->value, sizeof m->value, "XXXX-%c%d", parts == 4 ? 'Q' : 'H', n);
		return 1;
	}
	if (!strcmp(p->low, "fy") && !(ok(c, i - 2) && touch(c, i - 1))) {
		int y;
		if (nd == 2 && touch(c, i))
			y = dc_expand_year2(n, c->has_dct ? c->dct.y : 0);
		else if (nd == 4 && n >= 1900 && n <= 2199)
			y = n;
		else
			return 0;
		long e = i + 1;
		if (ok(c, e) && touch(c, e) && TOK(e)->kind != TK_PUNCT)
			return 0;
		if (is_p(c, e, '-') && touch(c, e) && is_numd(c, e + 1, 2) && TOK(e + 1)->ndig == 2 &&
		    touch(c, e + 1) && TOK(e + 1)->num == (y + 1) % 100)
			e += 2; /* FY 2022-23 */
		m->t0 = i - 1, m->t1 = e, m->type = TY_DATE;
		snprintf(m->value, sizeof m->value, "FY%04d", y);
		return 1;
	}
	return 0;
}

/* ---- quantities and durations ---------------------------------------------- */

/* A quantity at i ("20", "two", "twenty-five", "a", "5 1/2", "several"). */
static long
q_parse(dr_ctx *c, long i, double *q)
{
	if (is_num(c, i)) {
		if (TOK(i)->ndig > 6)
			return 0;
		if (touch(c, i) && (is_p(c, i - 1, '.') || is_p(c, i - 1, ',') || is_p(c, i - 1, '/') ||
		    is_p(c, i - 1, ':') || is_p(c, i - 1, '$')))
			return 0;
		double v = TOK(i)->num;
		long k = 1;
		if (is_num(c, i + 1) && !touch(c, i + 1) && is_p(c, i + 2, '/') && touch(c, i + 2) &&
		    is_num(c, i + 3) && touch(c, i + 3) && TOK(i + 3)->num > 0) {
			v += (double)TOK(i + 1)->num / TOK(i + 3)->num;
			k = 4;
		} else if ((is_p(c, i + 1, '.') || is_p(c, i + 1, ',')) && touch(c, i + 1) && is_num(c, i + 2) && touch(c, i + 2)) {
			if (TOK(i + 1)->ch == ',')
				return 0; /* 1,000 days: a count, leave it */
			double f = TOK(i + 2)->num;
			for (int d = 0; d < TOK(i + 2)->ndig; d++)
				f /= 10;
			v += f;
			k = 3;
		}
		*q = v;
		return k;
	}
	if (!is_cls(c, i, DL_NUM))
		return 0;
	const char *w = TOK(i)->low;
	long k = 1;
	double v;
	if (!strcmp(w, "a") || !strcmp(w, "an")) {
		if (is_p(c, i + 1, '.') && touch(c, i + 1))
			return 0; /* a.m. */
		if (is_w(c, i + 1, "few")) {
			*q = -1;
			return 2;
		}
		if (is_w(c, i + 1, "couple")) {
			*q = 2;
			return is_w(c, i + 2, "of") ? 3 : 2;
		}
		v = 1;
	} else if (!strcmp(sval(c, i, DL_NUM), "X")) {
		if (!strcmp(w, "couple"))
			return 0;
		v = -1;
	} else if (!strcmp(w, "couple")) {
		/* "the last couple of weeks" */
		if (!is_w(c, i + 1, "of"))
			return 0;
		v = 2;
		k = 2;
	} else {
		v = ival(c, i, DL_NUM);
		if (v >= 20 && v <= 90) {
			long n2 = (is_p(c, i + 1, '-') && touch(c, i + 1)) ? i + 2 : i + 1;
			if (is_cls(c, n2, DL_NUM) && ival(c, n2, DL_NUM) >= 1 && ival(c, n2, DL_NUM) <= 9 &&
			    strcmp(TOK(n2)->low, "a") && strcmp(TOK(n2)->low, "an")) {
				v += ival(c, n2, DL_NUM);
				k = n2 - i + 1;
			}
		}
		if (is_w(c, i + k, "hundred")) {
			v *= 100;
			k++;
		}
	}
	if (v > 0 && is_w(c, i + k, "and") && is_w(c, i + k + 1, "a") && is_w(c, i + k + 2, "half")) {
		v += 0.5;
		k += 3;
	}
	*q = v;
	return k;
}

static int
unit_at(dr_ctx *c, long j, const char **u, int *plural)
{
	if (is_cls(c, j, DL_UNIT)) {
		*u = sval(c, j, DL_UNIT);
		*plural = 0;
		return 1;
	}
	if (is_cls(c, j, DL_UNITS)) {
		*u = sval(c, j, DL_UNITS);
		*plural = 1;
		return 1;
	}
	return 0;
}

/* Does token j end an age ("44-year-old", "five years old")? */
static int
is_age(dr_ctx *c, long j)
{
	return (is_p(c, j, '-') && touch(c, j) && is_w(c, j + 1, "old")) || is_w(c, j, "old");
}

/* Words after "N units" that anchor it to another time ("a year earlier"). */
static const char *const dr_anchor_words[] = { "ago", "earlier", "later", "before", "after",
	"hence", NULL };

static int
anchored_at(dr_ctx *c, long j)
{
	return is_any(c, j, dr_anchor_words) || (is_w(c, j, "from") && is_w(c, j + 1, "now"));
}

/*
 * "a/an UNIT" at i+1 reads as a rate: after a number or amount ("$1 billion
 * a year", "twice a day"), another duration ("56 hours a week") or a counted
 * noun ("an apple a day", "two meals a day").
 */
static int
freq_before(dr_ctx *c, long i)
{
	static const char *const fq[] = { "twice", "once", "times", "million", "billion",
		"trillion", "thousand", "hundred", "percent", NULL };
	if (is_any(c, i - 1, fq) || is_num(c, i - 1) || is_p(c, i - 1, '%'))
		return 1;
	/* the duration before may be a span already emitted: look past c->lo */
	if (i >= 1 && TOK(i - 1)->kind == TK_WORD && TOK(i - 1)->lex &&
	    (TOK(i - 1)->lex->classes & (DL_BIT(DL_UNITS) | DL_BIT(DL_UNIT))))
		return 1;
	if (ok(c, i - 1) && TOK(i - 1)->kind == TK_WORD && !TOK(i - 1)->lex &&
	    strlen(TOK(i - 1)->low) >= 3 && (is_num(c, i - 2) || is_cls(c, i - 2, DL_NUM)) &&
	    !(is_p(c, i - 2, '.') && touch(c, i - 2)))
		return 1;
	return 0;
}

/* "20 years", "two decades", "a year", "16-hour", "over two decades", "five months ago". */
static int
m_duration(dr_ctx *c, long i, dr_m *m)
{
	double q;
	long k = q_parse(c, i, &q);
	if (!k)
		return 0;
	long j = i + k;
	if (is_p(c, j, '-') && touch(c, j) && touch(c, j + 1))
		j++;
	static const char *const filler[] = { "more", "additional", "full", "straight",
		"consecutive", "long", "whole", "extra", NULL };
	if (is_any(c, j, filler) && q != 1 && (is_cls(c, j + 1, DL_UNITS)))
		j++;
	const char *u;
	int plural;
	if (!unit_at(c, j, &u, &plural))
		return 0;
	/* "a second betrayal", "''60 Minutes''": not durations */
	if (!strcmp(u, "S") && !plural && ok(c, j + 1) && TOK(j + 1)->kind == TK_WORD &&
	    !is_w(c, j + 1, "or") && !is_w(c, j + 1, "and") && !is_w(c, j + 1, "later"))
		return 0;
	if (capital(c, j) && !(TOK(j)->flags & TF_UPPER) && i > 0 && TOK(i - 1)->kind == TK_PUNCT &&
	    (TOK(i - 1)->ch == '\'' || TOK(i - 1)->ch == '"'))
		return 0;
	if (!strcmp(u, "WE") || !strcmp(u, "Q")) {
		if (q < 0 || !strcmp(u, "WE"))
			return 0;
		/* "a quarter-point", "one-quarter of a cent", "three quarters of the
		 * vote": fractions, unless a time word shows the unit */
		if ((q == 1 || is_w(c, j + 1, "of") || (is_p(c, j + 1, '-') && touch(c, j + 1))) &&
		    !anchored_at(c, j + 1))
			return 0;
	}
	/* "a year-earlier quarter": a date, m_unit reads it */
	if (q == 1 && is_p(c, j + 1, '-') && touch(c, j + 1) &&
	    (is_w(c, j + 2, "earlier") || is_w(c, j + 2, "ago")))
		return 0;
	/* "a second" is a unit, "the second day" is not a quantity */
	long end = j + 1;
	if (is_age(c, end))
		return 0;
	if (is_p(c, end, '-') && touch(c, end) && is_w(c, end + 1, "long") && touch(c, end + 1)) {
		if (TOK(i)->kind == TK_WORD && TOK(i)->low[0] == 'a')
			return 0; /* "a year-long siege": the adjective alone */
		end += 2;
	} else if (is_p(c, end, '-') && touch(c, end) && is_w(c, end + 1, "old") && touch(c, end + 1))
		return 0;
	/* "an hour and a half" */
	if (q > 0 && q == (double)(long)q && is_w(c, end, "and") && is_w(c, end + 1, "a") &&
	    is_w(c, end + 2, "half")) {
		q += 0.5;
		end += 3;
	}
	const char *mod = NULL;
	int rel = 0; /* 'P' past/previous, 'F' coming/next, 0 none */
	long s = i;
	if (is_w(c, end, "ago") || (is_w(c, end, "from") && is_w(c, end + 1, "now")) || is_w(c, end, "hence")) {
		int dir = is_w(c, end, "ago") ? -1 : 1;
		long e2 = is_w(c, end, "from") ? end + 2 : end + 1;
		s = left_quant(c, s, &mod, 1);
		m->t0 = s, m->t1 = e2, m->type = TY_DATE, m->mod = mod;
		v_shift(c, m->value, q, u, dir);
		return 1;
	}
	/* "$1 billion a year", "twice a year", "56 hours a week": a frequency */
	if (q == 1 && (!strcmp(TOK(i)->low, "a") || !strcmp(TOK(i)->low, "an")) && !plural &&
	    !anchored_at(c, end)) {
		static const char *const speed[] = { "miles", "mile", "kilometers", "kilometres",
			"km", "knots", "feet", "meters", "metres", "mph", NULL };
		if (is_any(c, i - 1, speed))
			return 0; /* 40 miles an hour: a speed, no time */
		if (freq_before(c, i)) {
			/* TimeML spans the count with the set: "twice a week", "three times a year" */
			long t0 = i;
			if (is_w(c, i - 1, "once") || is_w(c, i - 1, "twice") || is_w(c, i - 1, "thrice"))
				t0 = i - 1;
			else if (is_w(c, i - 1, "times") && (is_num(c, i - 2) || is_cls(c, i - 2, DL_NUM)))
				t0 = i - 2;
			m->t0 = t0, m->t1 = end, m->type = TY_SET;
			v_duration(m->value, 1, u);
			return 1;
		}
	}
	/* relative adjective: the past two decades, the next five years */
	if (is_rel(c, s - 1) && strcmp(TOK(s - 1)->low, "this") != 0) {
		rel = 1;
		s--;
		if (is_w(c, s - 1, "the"))
			s--;
	} else if (is_w(c, s - 1, "first") && is_w(c, s - 2, "the")) {
		s -= 2;
	}
	if (!rel)
		s = left_quant(c, s, &mod, 0);
	(void)rel;
	m->t0 = s, m->t1 = end, m->type = TY_DURATION, m->mod = mod;
	v_duration(m->value, q, u);
	return 1;
}

/* ---- matchers: words ---------------------------------------------------------- */

static const char *const dr_seen_prev[] = { "for", "over", "in", "within", "recent",
	"coming", "past", "previous", "last", "next", "following", "the", "of", "after",
	"before", "during", "throughout", "those", "many", "several", "few", NULL };

/* Units without a number: "last year", "this week", "recent years", "decades". */
static int
m_unit(dr_ctx *c, long i, dr_m *m)
{
	const char *u;
	int plural;
	if (!unit_at(c, i, &u, &plural))
		return 0;
	long end = i + 1;
	if (is_age(c, end) || is_age(c, end - 0))
		return 0;
	/* year-long, decades-long */
	if (is_p(c, end, '-') && touch(c, end) && is_w(c, end + 1, "long") && touch(c, end + 1)) {
		m->t0 = i, m->t1 = end + 2, m->type = TY_DURATION;
		v_duration(m->value, plural ? -1 : 1, u);
		return 1;
	}
	if (plural) {
		if (is_w(c, end, "ago")) {
			m->t0 = i, m->t1 = end + 1, m->type = TY_DATE;
			snprintf(m->value, sizeof m->value, "PAST_REF");
			return 1;
		}
		if (!strcmp(u, "S") || !strcmp(u, "Q") || !strcmp(u, "MIN"))
			return 0;
		/* "these days" is now; "in those days" refers back (not marked) */
		if (is_w(c, i - 1, "these") && !strcmp(u, "D")) {
			m->t0 = i - 1, m->t1 = end, m->type = TY_DATE;
			snprintf(m->value, sizeof m->value, "PRESENT_REF");
			return 1;
		}
		if (is_w(c, i - 1, "those"))
			return 0;
		if (!is_any(c, i - 1, dr_seen_prev))
			return 0;
		long s = i;
		if (is_cls(c, s - 1, DL_REL) && strcmp(TOK(s - 1)->low, "this")) {
			s--;
			if (is_w(c, s - 1, "the"))
				s--;
		}
		m->t0 = s, m->t1 = end, m->type = TY_DURATION;
		v_duration(m->value, -1, u);
		return 1;
	}
	/* singular: needs a relative word */
	long s = i;
	const char *mod = NULL;
	if (is_w(c, end, "of") && is_cls(c, end + 1, DL_MONTH))
		return 0; /* "the last week of March": m_month reads it */
	/* "the day before last Tuesday", "the day after Christmas": a day off a
	 * named day (with a number, "one day after", only the duration counts) */
	if (!strcmp(u, "D") && is_w(c, i - 1, "the") && (is_w(c, end, "before") || is_w(c, end, "after"))) {
		long k = end + 1, q = k;
		if (is_w(c, q, "last") || is_w(c, q, "next") || is_w(c, q, "this"))
			q++;
		dr_m sub;
		memset(&sub, 0, sizeof sub);
		int got = ok(c, q) && TOK(q)->kind == TK_WORD && TOK(q)->lex &&
		    ((is_cls(c, q, DL_WEEKDAY) && m_weekday(c, q, &sub)) ||
		    (is_cls(c, q, DL_MONTH) && m_month(c, q, &sub)) ||
		    (TOK(q)->lex->holiday && m_holiday(c, q, &sub)));
		dc_date d;
		if (got && sub.t0 == k && sub.type == TY_DATE && !sub.has2 && strlen(sub.value) == 10 &&
		    dc_parse_iso(sub.value, &d) == 0) {
			m->t0 = i, m->t1 = sub.t1, m->type = TY_DATE;
			v_day(m->value, dc_add_days(d, is_w(c, end, "before") ? -1 : 1));
			return 1;
		}
	}
	/* year-earlier, year-ago (WSJ: "the year-earlier quarter"): a year before the dct */
	if (is_p(c, end, '-') && touch(c, end) && touch(c, end + 1) &&
	    (is_w(c, end + 1, "earlier") || is_w(c, end + 1, "ago")) &&
	    (!strcmp(u, "Y") || !strcmp(u, "M") || !strcmp(u, "W") || !strcmp(u, "Q"))) {
		m->t0 = i, m->t1 = end + 2, m->type = TY_DATE;
		v_shift(c, m->value, 1, u, -1);
		return 1;
	}
	/* year-end, "by year end": the end of the dct's year */
	if (!strcmp(u, "Y") && ((is_p(c, end, '-') && touch(c, end) && is_w(c, end + 1, "end") &&
	    touch(c, end + 1)) || (is_w(c, end, "end") && !is_cls(c, i - 1, DL_NUM) &&
	    is_any(c, i - 1, dr_end_pre)))) {
		m->t0 = i, m->t1 = is_w(c, end, "end") ? end + 1 : end + 2, m->type = TY_DATE;
		m->mod = "END";
		if (c->has_dct)
			dc_fmt_year(m->value, sizeof m->value, c->dct.y);
		else
			snprintf(m->value, sizeof m->value, "XXXX");
		return 1;
	}
	if (!strcmp(u, "WE") && is_w(c, i - 1, "the") && !is_cls(c, i - 2, DL_REL)) {
		m->t0 = i - 1, m->t1 = end, m->type = TY_DURATION;
		snprintf(m->value, sizeof m->value, "P2D");
		return 1;
	}
	/* "that (same) year", "the following year": the year the text spoke of
	 * last (GUIDELINES 4.3: anchored inside the text) */
	if (!strcmp(u, "Y") && c->last_year) {
		long t = is_w(c, i - 1, "same") ? i - 2 : i - 1;
		int off = 9;
		if (is_w(c, t, "that"))
			off = 0;
		else if (is_w(c, i - 2, "the") && (is_w(c, i - 1, "following") || is_w(c, i - 1, "next")) &&
		    !is_w(c, end, "of"))
			off = 1, t = i - 2;
		if (off != 9) {
			m->t0 = t, m->t1 = end, m->type = TY_DATE;
			dc_fmt_year(m->value, sizeof m->value, c->last_year + off);
			return 1;
		}
	}
	int rel;
	const char *rw;
	/* "this fiscal year", "the current fiscal year", "last fiscal year" */
	int fiscal = !strcmp(u, "Y") && is_cls(c, i - 1, DL_FISCAL);
	long r = fiscal ? i - 2 : i - 1;
	if (is_rel(c, r)) {
		rw = TOK(r)->low;
		s = r;
	} else if (is_w(c, r, "current")) {
		rw = "this";
		s = r;
	} else if (!fiscal && is_w(c, r, "the") && is_w(c, r - 1, "of") && is_any(c, r - 2, dr_pos_nouns)) {
		/* "the end of the month": the dct's month */
		rw = "this";
		s = r;
	} else {
		return 0;
	}
	int the = is_w(c, s - 1, "the");
	if (!strcmp(rw, "past") && is_w(c, s - 1, "this") && strcmp(u, "DE") && strcmp(u, "CE")) {
		rel = -1; /* "this past week": the last one */
		s--;
	} else if (!strcmp(rw, "this"))
		rel = 0;
	else if (!strcmp(rw, "last"))
		rel = -1;
	else if ((!strcmp(rw, "previous") || !strcmp(rw, "prior") || !strcmp(rw, "preceding")) && the)
		rel = -1; /* "the previous year"; not "any previous year" */
	else if (!strcmp(rw, "latest") && !strcmp(u, "Q") && the)
		rel = -1; /* the latest quarter: the last one reported */
	else if (!strcmp(rw, "next") || !strcmp(rw, "coming") || !strcmp(rw, "upcoming"))
		rel = 1;
	else if (!strcmp(rw, "past"))
		rel = 'P';
	else
		return 0;
	/* "over the next decade", "for the last year": a stretch from or up to now */
	static const char *const dpre[] = { "over", "for", "during", "in", "within", "throughout",
		NULL };
	if (the && (!strcmp(rw, "next") || !strcmp(rw, "last") || !strcmp(rw, "coming")) &&
	    strcmp(u, "WE") && is_any(c, s - 2, dpre) &&
	    (strcmp(u, "CE") || (!is_w(c, s - 2, "for") && !is_w(c, s - 2, "in"))) &&
	    !is_w(c, end, "of") && !fiscal) {
		m->t0 = s - 1, m->t1 = end, m->type = TY_DURATION;
		v_duration(m->value, 1, u);
		return 1;
	}
	if (!strcmp(rw, "next") && the && strcmp(u, "CE"))
		return 0; /* "the next day": anaphoric; "the next century" is not */
	if (!strcmp(u, "D") || !strcmp(u, "H") || !strcmp(u, "MIN") || !strcmp(u, "S"))
		return 0; /* "this day", "the last hour", "the previous day" */
	if (the)
		s--;
	m->t0 = s, m->t1 = end, m->type = TY_DATE;
	if (fiscal && rel != 'P') {
		if (c->has_dct)
			snprintf(m->value, sizeof m->value, "FY%04d", c->dct.y + rel);
		else
			snprintf(m->value, sizeof m->value, "FYXXXX");
		return 1;
	}
	/* the past year, the last decade: a stretch of time up to now */
	if (rel == 'P' || (rel == -1 && (!strcmp(u, "DE") || !strcmp(u, "CE")))) {
		m->type = TY_DURATION;
		v_duration(m->value, 1, u);
		return 1;
	}
	if (!the && is_cls(c, s - 1, DL_MOD)) {
		const char *mv = sval(c, s - 1, DL_MOD);
		if (!strcmp(mv, "START") || !strcmp(mv, "END") || !strcmp(mv, "MID")) {
			mod = mv;
			m->t0 = --s;
		}
	} else if (is_w(c, s - 1, "of") && is_any(c, s - 2, dr_pos_nouns)) {
		/* "(the) end of the month", "the beginning of next year" */
		mod = pos_mod(TOK(s - 2)->low);
		s -= 2;
		m->t0 = s;
	}
	m->mod = mod;
	if (!c->has_dct) {
		v_x_for_unit(m->value, u);
		if (!strcmp(u, "DE"))
			snprintf(m->value, sizeof m->value, "XXX");
		else if (!strcmp(u, "CE"))
			snprintf(m->value, sizeof m->value, "XX");
		else if (!strcmp(u, "WE"))
			snprintf(m->value, sizeof m->value, "XXXX-WXX-WE");
		return 1;
	}
	dc_date d = c->dct;
	if (!strcmp(u, "Y"))
		dc_fmt_year(m->value, sizeof m->value, d.y + rel);
	else if (!strcmp(u, "M")) {
		dc_date t = dc_add_months(d, rel);
		dc_fmt_month(m->value, sizeof m->value, t.y, t.m);
	} else if (!strcmp(u, "W") || !strcmp(u, "2W"))
		dc_fmt_week(m->value, sizeof m->value, dc_add_days(d, 7 * rel));
	else if (!strcmp(u, "WE")) {
		char w[32];
		dc_fmt_week(w, sizeof w, dc_add_days(d, 7 * rel));
		snprintf(m->value, sizeof m->value, "%s-WE", w);
	} else if (!strcmp(u, "DE"))
		snprintf(m->value, sizeof m->value, "%03d", d.y / 10 + rel);
	else if (!strcmp(u, "CE"))
		snprintf(m->value, sizeof m->value, "%02d", d.y / 100 + rel);
	else if (!strcmp(u, "Q")) {
		int qi = (d.y * 4 + (d.m - 1) / 3) + rel;
		snprintf(m->value, sizeof m->value, "%04d-Q%d", qi / 4, qi % 4 + 1);
	} else
		return 0;
	return 1;
}

/*
 * The year of "the fourth quarter" or "the second half" given without one:
 * a part not yet begun at the dct is last year's unless the clause speaks
 * of the future ("fourth-quarter profit rose", in a January report).
 */
static int
part_year(dr_ctx *c, int n, int parts, size_t s, size_t e)
{
	int cur = (c->dct.m - 1) * parts / 12 + 1;
	if (n > cur && tense_at(c, s, e) <= 0)
		return c->dct.y - 1;
	return c->dct.y;
}

/* "the first quarter (of 2021)", "the 20th century", "twentieth-century". */
static int
m_ordinal_unit(dr_ctx *c, long i, dr_m *m)
{
	int n;
	long j;
	if (is_num(c, i) && TOK(i)->ndig <= 2 && is_ordsuffix(c, i + 1)) {
		n = TOK(i)->num;
		j = i + 2;
	} else if (is_cls(c, i, DL_ORD)) {
		n = ival(c, i, DL_ORD);
		j = i + 1;
	} else {
		return 0;
	}
	if (is_p(c, j, '-') && touch(c, j))
		j++;
	const char *u;
	int plural;
	if (!unit_at(c, j, &u, &plural) || plural)
		return 0;
	const char *mod = NULL;
	long s = left_pos(c, i, &mod);
	if (!strcmp(u, "CE") && n >= 1 && n <= 30) {
		m->t0 = s, m->t1 = j + 1, m->type = TY_DATE, m->mod = mod;
		snprintf(m->value, sizeof m->value, "%02d", n - 1);
		return 1;
	}
	if (!strcmp(u, "Q") && (n == -1 || (n >= 1 && n <= 4))) {
		long e = j + 1;
		int y = 0;
		if (is_w(c, e, "of") && is_numd(c, e + 1, 4) && TOK(e + 1)->ndig == 4) {
			y = TOK(e + 1)->num;
			e += 2;
		} else if (is_w(c, e, "of") && is_cls(c, e + 1, DL_REL) && is_w(c, e + 2, "year") && c->has_dct) {
			y = c->dct.y + (is_w(c, e + 1, "last") ? -1 : is_w(c, e + 1, "next") ? 1 : 0);
			e += 3;
		} else if (is_numd(c, e, 4) && TOK(e)->ndig == 4) {
			y = TOK(e)->num;
			e++;
		} else if (s >= 3 && TOK(s - 1)->kind == TK_WORD && !strcmp(TOK(s - 1)->low, "s") &&
		    TOK(s - 2)->kind == TK_PUNCT && TOK(s - 2)->ch == '\'' && TOK(s - 3)->kind == TK_NUM &&
		    TOK(s - 3)->ndig == 4 && TOK(s - 3)->num >= 1000 && TOK(s - 3)->num <= 2199) {
			/* "1987's third quarter" (the year is already a span of its own) */
			y = TOK(s - 3)->num;
		}
		m->t0 = s, m->t1 = e, m->type = TY_DATE, m->mod = mod;
		if (n == -1) {
			if (!c->has_dct)
				return 0;
			int qi = c->dct.y * 4 + (c->dct.m - 1) / 3 - 1;
			snprintf(m->value, sizeof m->value, "%04d-Q%d", qi / 4, qi % 4 + 1);
		} else if (y)
			snprintf(m->value, sizeof m->value, "%04d-Q%d", y, n);
		else if (c->has_dct)
			snprintf(m->value, sizeof m->value, "%04d-Q%d",
			    part_year(c, n, 4, TOK(s)->s, TOK(e - 1)->e), n);
		else
			snprintf(m->value, sizeof m->value, "XXXX-Q%d", n);
		return 1;
	}
	return 0;
}

/*
 * "the first half (of 2009 / of last year / of the year)", "second-half":
 * a half year, H1 or H2; without a year the dct's.  "of" with anything
 * else ("of the match", "of the century") is not a half year.
 */
static int
m_half(dr_ctx *c, long i, dr_m *m)
{
	long o = i - 1;
	if (is_p(c, o, '-') && touch(c, o) && touch(c, i))
		o--;
	/* "half an hour", "half a century": a duration */
	const char *hu;
	int hpl;
	if ((is_w(c, i + 1, "a") || is_w(c, i + 1, "an")) && unit_at(c, i + 2, &hu, &hpl) && !hpl &&
	    strcmp(hu, "WE") && strcmp(hu, "Q") && !is_cls(c, o, DL_ORD)) {
		const char *hmod = NULL;
		long hs = left_quant(c, i, &hmod, 0);
		m->t0 = hs, m->t1 = i + 3, m->type = TY_DURATION, m->mod = hmod;
		v_duration(m->value, 0.5, hu);
		return 1;
	}
	int n;
	if (is_cls(c, o, DL_ORD))
		n = ival(c, o, DL_ORD);
	else if (is_numd(c, o - 1, 1) && is_ordsuffix(c, o))
		n = TOK(--o)->num;
	else
		return 0;
	if (n != 1 && n != 2)
		return 0;
	long e = i + 1;
	int y = 0;
	if (is_w(c, e, "of")) {
		if (is_numd(c, e + 1, 4) && TOK(e + 1)->ndig == 4 && TOK(e + 1)->num >= 1000) {
			y = TOK(e + 1)->num;
			e += 2;
		} else if ((is_w(c, e + 1, "the") || is_w(c, e + 1, "this") || is_w(c, e + 1, "last") ||
		    is_w(c, e + 1, "next")) && is_w(c, e + 2, "year")) {
			int rel = is_w(c, e + 1, "last") ? -1 : is_w(c, e + 1, "next") ? 1 : 0;
			y = c->has_dct ? c->dct.y + rel : -1;
			e += 3;
		} else {
			return 0;
		}
	} else if (is_cls(c, e, DL_UNIT) || is_cls(c, e, DL_UNITS)) {
		return 0; /* the first half hour */
	} else {
		y = c->has_dct ? part_year(c, n, 2, TOK(o)->s, TOK(i)->e) : -1;
	}
	m->t0 = o, m->t1 = e, m->type = TY_DATE;
	if (y > 0)
		snprintf(m->value, sizeof m->value, "%04d-H%d", y, n);
	else
		snprintf(m->value, sizeof m->value, "XXXX-H%d", n);
	return 1;
}

/* Month forms: "Aug. 7, 1998", "March 2021", "April", "late November". */
static int
m_month(dr_ctx *c, long i, dr_m *m)
{
	if (!month_ok(c, i, 0))
		return 0;
	int mo = ival(c, i, DL_MONTH);
	long j = i + 1;
	int abbr = month_abbr(c, i);
	if (abbr && is_p(c, j, '.') && touch(c, j))
		j++;
	const char *mod = NULL;
	long s = i;
	/* the week of March 6 */
	int week_of = is_w(c, s - 1, "of") && is_w(c, s - 2, "week") && is_w(c, s - 3, "the");
	/* day */
	long dj = j;
	if (is_p(c, dj, ',') && !abbr)
		dj = j; /* "May, 2021" is a month-year */
	if (is_numd(c, dj, 2) && TOK(dj)->num >= 1 && TOK(dj)->num <= 31 &&
	    !(is_p(c, dj + 1, ':') && touch(c, dj + 1) && is_num(c, dj + 2) && touch(c, dj + 2)) && !(is_p(c, dj + 1, '.') && touch(c, dj + 1) && is_num(c, dj + 2)) &&
	    !(is_num(c, dj + 1) && is_p(c, dj + 2, '/')) && !is_age(c, dj + 1) && !is_cls(c, dj + 1, DL_UNIT) &&
	    !is_cls(c, dj + 1, DL_UNITS)) {
		int d = TOK(dj)->num;
		long e = dj + 1;
		if (is_ordsuffix(c, e))
			e++;
		int y = 0;
		e = opt_year(c, e, &y);
		if (!dc_valid(y > 0 ? y : 2000, mo, d))
			return 0;
		if (week_of) {
			if (!c->has_dct && !y)
				return 0;
			int yy = y ? y : resolve_year_md(c, mo, d, tense_at(c, TOK(i)->s, TOK(e - 1)->e));
			m->t0 = s - 3, m->t1 = e, m->type = TY_DATE;
			dc_fmt_week(m->value, sizeof m->value, mkdate(yy, mo, d));
			return 1;
		}
		finish_date(c, m, s, e, y, mo, d, TOK(i)->s);
		/* "April 24 and 25", "April 24-25" */
		long k = m->t1;
		if (m->type == TY_DATE && k == e && (is_w(c, k, "and") || is_p(c, k, '-') || is_w(c, k, "to")) &&
		    is_numd(c, k + 1, 2) && TOK(k + 1)->num >= 1 && TOK(k + 1)->num <= 31 &&
		    TOK(k + 1)->num > d && !is_cls(c, k + 2, DL_UNIT) && !is_cls(c, k + 2, DL_UNITS) &&
		    !is_count_noun(c, k + 2) && !is_num(c, k + 2) && !is_ordsuffix(c, k + 2) &&
		    !is_cls(c, k + 2, DL_MONTH) && !is_w(c, k + 2, "of") && !((is_p(c, k + 2, ':') || is_p(c, k + 2, '.') || is_p(c, k + 2, ',')) && touch(c, k + 2) && is_num(c, k + 3)) &&
		    dc_valid(2000, mo, TOK(k + 1)->num)) {
			int d2 = TOK(k + 1)->num;
			m->has2 = 1;
			m->t0b = k + 1, m->t1b = k + 2;
			memcpy(m->value2, m->value, sizeof m->value2);
			snprintf(m->value2 + 8, sizeof m->value2 - 8, "%02u", (unsigned)(d2 % 32));
			if (strncmp(m->value, "XXXX", 4) == 0 || strlen(m->value) != 10)
				m->has2 = 0;
			m->skip = k + 2;
		}
		return 1;
	}
	/* month + year */
	int y = 0;
	long e = j;
	if (is_w(c, e, "of") && is_numd(c, e + 1, 4) && TOK(e + 1)->ndig == 4)
		e = opt_year(c, e + 1, &y);
	else
		e = opt_year(c, e, &y);
	/* "the first week of April (1990)", "the last week of May": the ISO
	 * week holding the month's 4th day (as ISO's first week of a year
	 * holds January 4), or the week before that one ends the month */
	if (is_w(c, s - 1, "of") && is_w(c, s - 2, "week") && is_cls(c, s - 3, DL_ORD)) {
		int n = ival(c, s - 3, DL_ORD);
		if (!y && !c->has_dct)
			return 0;
		if (n == -1 || (n >= 1 && n <= 5)) {
			int yy = y ? y : resolve_year_md(c, mo, 0, tense_at(c, TOK(i)->s, TOK(j - 1)->e));
			int d = n > 0 ? 4 + 7 * (n - 1) : dc_days_in_month(yy, mo) - 3;
			if (d <= dc_days_in_month(yy, mo)) {
				m->t0 = s - 3, m->t1 = e, m->type = TY_DATE;
				dc_fmt_week(m->value, sizeof m->value, mkdate(yy, mo, d));
				return 1;
			}
		}
	}
	s = left_pos(c, s, &mod);
	m->mod = mod;
	m->type = TY_DATE;
	if (y) {
		m->t0 = s, m->t1 = e;
		dc_fmt_month(m->value, sizeof m->value, y, mo);
		return 1;
	}
	if (!month_ok(c, i, 1) && !mod)
		return 0;
	m->t0 = s, m->t1 = j;
	/* "December that year", "in May of that year": the year the text spoke of last */
	{
		long k = is_w(c, j, "of") ? j + 1 : j;
		if (is_w(c, k, "that") && is_w(c, k + 1, "year") && c->last_year) {
			m->t1 = k + 2;
			dc_fmt_month(m->value, sizeof m->value, c->last_year, mo);
			return 1;
		}
	}
	/* "October this year", "April next year": the year words only resolve */
	if (is_cls(c, j, DL_REL) && is_w(c, j + 1, "year") && c->has_dct) {
		int rel = is_w(c, j, "last") ? -1 : is_w(c, j, "next") ? 1 : is_w(c, j, "this") ? 0 : 9;
		if (rel != 9) {
			dc_fmt_month(m->value, sizeof m->value, c->dct.y + rel, mo);
			m->skip = j + 2;
			return 1;
		}
	}
	/* last November, next April, this March */
	int rel = 9;
	if (s == i && is_cls(c, i - 1, DL_REL)) {
		const char *rw = TOK(i - 1)->low;
		rel = !strcmp(rw, "last") ? -1 : !strcmp(rw, "next") ? 1 : !strcmp(rw, "this") ? 0 : 9;
		if (rel != 9) {
			m->t0 = i - 1;
			if (is_cls(c, i - 2, DL_MOD) && (is_w(c, i - 2, "early") || is_w(c, i - 2, "late") || is_w(c, i - 2, "mid"))) {
				m->mod = is_w(c, i - 2, "early") ? "START" : is_w(c, i - 2, "late") ? "END" : "MID";
				m->t0 = i - 2;
			}
		}
	}
	if (!c->has_dct) {
		snprintf(m->value, sizeof m->value, "XXXX-%02d", mo);
		return 1;
	}
	int yy;
	if (rel == -1)
		yy = mo < c->dct.m ? c->dct.y : c->dct.y - 1;
	else if (rel == 1)
		yy = mo > c->dct.m ? c->dct.y : c->dct.y + 1;
	else if (rel == 0)
		yy = c->dct.y;
	else
		yy = resolve_year_md(c, mo, 0, tense_at(c, TOK(i)->s, TOK(j - 1)->e));
	dc_fmt_month(m->value, sizeof m->value, yy, mo);
	return 1;
}

/*
 * A weekday at i with what may follow it in one expression ("Friday, 4 July
 * 2025", "Wed, Mar 10 2021", "Thursday (July 3)"); sets *out to the date.
 */
static int
m_weekday_core(dr_ctx *c, long i, dc_date *out, long *next, int *has)
{
	if (!is_cls(c, i, DL_WEEKDAY) || !capital(c, i))
		return 0;
	int wd = ival(c, i, DL_WEEKDAY);
	long j = i + 1;
	int abbr = strlen(TOK(i)->low) <= 4 && strcmp(TOK(i)->low, "tues") != 0;
	if (abbr) {
		if (is_p(c, j, '.') && touch(c, j))
			j++;
		long k = is_p(c, j, ',') ? j + 1 : j;
		if (!(is_cls(c, k, DL_MONTH) || is_num(c, k)))
			return 0;
	}
	int rel = 2;
	if (is_w(c, i - 1, "last"))
		rel = -1;
	else if (is_w(c, i - 1, "next"))
		rel = 1;
	else if (is_w(c, i - 1, "this"))
		rel = 0;
	*has = resolve_weekday(c, wd, rel, TOK(i)->s, TOK(i)->e, out);
	*next = j;
	return 1;
}

static int
m_weekday(dr_ctx *c, long i, dr_m *m)
{
	dc_date d;
	long j;
	int has;
	if (!m_weekday_core(c, i, &d, &j, &has))
		return 0;
	int wd = ival(c, i, DL_WEEKDAY);
	long s = i;
	if (is_w(c, i - 1, "last") || is_w(c, i - 1, "next") || is_w(c, i - 1, "this"))
		s = i - 1;
	/* a calendar date after the weekday belongs to it */
	long k = is_p(c, j, ',') ? j + 1 : j;
	dr_m sub;
	memset(&sub, 0, sizeof sub);
	if ((is_cls(c, k, DL_MONTH) && m_month(c, k, &sub) && sub.t0 == k && strlen(sub.value) >= 10) ||
	    (is_num(c, k) && (m_numeric_date(c, k, &sub) || m_day_month(c, k, &sub)) && !sub.silent)) {
		*m = sub;
		m->t0 = s;
		return 1;
	}
	/* Thursday (July 3) [night] */
	if (is_p(c, j, '(') && is_cls(c, j + 1, DL_MONTH) && m_month(c, j + 1, &sub) && strlen(sub.value) == 10 &&
	    is_p(c, sub.t1, ')')) {
		*m = sub;
		m->t0 = s, m->t1 = sub.t1 + 1;
		m->has2 = 0, m->skip = 0;
		if (is_cls(c, m->t1, DL_POD)) {
			size_t vl = strlen(m->value); /* a full date: 10 bytes */
			snprintf(m->value + vl, sizeof m->value - vl, "T%.4s", sval(c, m->t1, DL_POD));
			m->type = TY_TIME;
			m->t1++;
		}
		return 1;
	}
	m->t0 = s, m->t1 = j, m->type = TY_DATE;
	char dv[32];
	if (has)
		v_day(dv, d);
	else
		snprintf(dv, sizeof dv, "XXXX-WXX-%d", wd);
	/* "on Tuesday evenings": every Tuesday evening */
	if (is_cls(c, j, DL_PODS) && s == i) {
		snprintf(m->value, sizeof m->value, "XXXX-WXX-%dT%s", wd, sval(c, j, DL_PODS));
		m->type = TY_SET;
		m->t1 = j + 1;
		return 1;
	}
	/* Friday morning, Sunday night */
	if (is_cls(c, j, DL_POD) && !is_w(c, j, "overnight")) {
		snprintf(m->value, sizeof m->value, "%sT%s", dv, sval(c, j, DL_POD));
		m->type = TY_TIME;
		m->t1 = j + 1;
		return 1;
	}
	/* Friday at 10 a.m. */
	int hh, mm;
	long e = time_suffix(c, j, &hh, &mm);
	if (e && (is_w(c, j, "at") || is_p(c, j, ','))) {
		v_with_time(m->value, dv, hh, mm);
		m->type = TY_TIME;
		m->t1 = e;
		return 1;
	}
	snprintf(m->value, sizeof m->value, "%s", dv);
	return 1;
}

/* "on Mondays", "every Friday": a weekly set. */
static int
m_weekdays(dr_ctx *c, long i, dr_m *m)
{
	if (!is_cls(c, i, DL_WEEKDAYS) || !capital(c, i))
		return 0;
	m->t0 = i, m->t1 = i + 1, m->type = TY_SET;
	snprintf(m->value, sizeof m->value, "XXXX-WXX-%d", ival(c, i, DL_WEEKDAYS));
	return 1;
}

/* today, tomorrow, yesterday, tonight, now, currently, current. */
static int
m_deictic(dr_ctx *c, long i, dr_m *m)
{
	const char *w = TOK(i)->low;
	const char *v = sval(c, i, DL_DEICTIC);
	m->t0 = i, m->t1 = i + 1, m->type = TY_DATE;
	if (!strcmp(v, "PRESENT_REF")) {
		if (!strcmp(w, "now")) {
			if (is_w(c, i - 1, "right"))
				m->t0 = i - 1;
			if (is_w(c, i - 1, "from") || is_w(c, i - 1, "just"))
				return 0;
			/* "Now opportunity knocked": a narrative adverb */
			if ((TOK(i)->flags & TF_CAP) && is_p(c, i + 1, ','))
				return 0;
			/* "now and then", "now and again": sometimes */
			if (is_w(c, i + 1, "and") && (is_w(c, i + 2, "then") || is_w(c, i + 2, "again")))
				return 0;			/* "He was now the leader": now inside a past narrative (GUIDELINES 4.4) */
			if (is_w(c, i - 1, "was") || is_w(c, i - 1, "were") || is_w(c, i - 1, "had"))
				return 0;
			if ((TOK(i)->flags & TF_CAP) && m->t0 == i) {
				/* "Now opportunity knocked.": a past verb right after */
				dr_words R;
				dr_collect(c, TOK(i)->e, 1, &R);
				for (int k = 0; k < R.n && k < 2; k++)
					if (dr_cue(R.w[k], k ? R.w[k - 1] : "", k + 1 < R.n ? R.w[k + 1] : "") < 0)
						return 0;
			}
		}
		if (!strcmp(w, "current")) {
			/* "the current year", "the current fiscal year": m_unit reads them */
			if (is_cls(c, i + 1, DL_UNIT) || (is_cls(c, i + 1, DL_FISCAL) && is_w(c, i + 2, "year")))
				return 0;
			static const char *const no[] = { "account", "accounts", "affairs", "events",
				"issue", "issues", "status", "members", "member", "form", "version",
				"source", "sources", "flows", "flow", NULL };
			if (is_any(c, i + 1, no) || !ok(c, i + 1) || TOK(i + 1)->kind != TK_WORD)
				return 0;
		}
		snprintf(m->value, sizeof m->value, "PRESENT_REF");
		return 1;
	}
	int off = ival(c, i, DL_DEICTIC);
	if (!c->has_dct) {
		/* undated text: "today" means nowadays */
		if (!strcmp(w, "today") || !strcmp(w, "tonight"))
			snprintf(m->value, sizeof m->value, "PRESENT_REF");
		else
			snprintf(m->value, sizeof m->value, "XXXX-XX-XX");
		return 1;
	}
	dc_date d = dc_add_days(c->dct, off);
	char dv[32];
	v_day(dv, d);
	if (!strcmp(w, "tonight")) {
		snprintf(m->value, sizeof m->value, "%sTNI", dv);
		m->type = TY_TIME;
		return 1;
	}
	if (is_cls(c, i + 1, DL_POD) && strcmp(w, "today") != 0) {
		snprintf(m->value, sizeof m->value, "%sT%s", dv, sval(c, i + 1, DL_POD));
		m->type = TY_TIME;
		m->t1 = i + 2;
		return 1;
	}
	/* "yesterday at 3 p.m.": a date plus a clock time is one TIME */
	int hh, mm;
	long e = time_suffix(c, i + 1, &hh, &mm);
	if (e && (is_w(c, i + 1, "at") || is_p(c, i + 1, ','))) {
		v_with_time(m->value, dv, hh, mm);
		m->type = TY_TIME;
		m->t1 = e;
		return 1;
	}
	snprintf(m->value, sizeof m->value, "%s", dv);
	return 1;
}

/* this morning, last night. */
static int
m_pod(dr_ctx *c, long i, dr_m *m)
{
	int off;
	if (is_w(c, i - 1, "this"))
		off = 0;
	else if (is_w(c, i - 1, "last") && is_w(c, i, "night"))
		off = -1;
	else
		return 0;
	m->t0 = i - 1, m->t1 = i + 1, m->type = TY_TIME;
	if (!c->has_dct) {
		snprintf(m->value, sizeof m->value, "XXXX-XX-XXT%s", sval(c, i, DL_POD));
		return 1;
	}
	char dv[32];
	v_day(dv, dc_add_days(c->dct, off));
	snprintf(m->value, sizeof m->value, "%sT%s", dv, sval(c, i, DL_POD));
	return 1;
}

/* noon, midday, midnight. */
static int
m_timeword(dr_ctx *c, long i, dr_m *m)
{
	static const char *const pre[] = { "at", "by", "until", "till", "before", "after", "around",
		"about", "since", "from", "past", NULL };
	if (!is_any(c, i - 1, pre) && !is_cls(c, i + 1, DL_WEEKDAY))
		return 0;
	const char *tv = sval(c, i, DL_TIME);
	char dv[32];
	dc_date d;
	long nx;
	int has = 0;
	long e = i + 1;
	if (m_weekday_core(c, e, &d, &nx, &has))
		e = nx;
	else if (c->has_dct && is_cls(c, e, DL_DEICTIC) && ival(c, e, DL_DEICTIC) >= -1 &&
	    ival(c, e, DL_DEICTIC) <= 1 && strcmp(sval(c, e, DL_DEICTIC), "PRESENT_REF") != 0 &&
	    !is_w(c, e, "tonight")) {
		d = dc_add_days(c->dct, ival(c, e, DL_DEICTIC)); /* "noon today" */
		has = 1;
		e++;
	}
	if (has)
		v_day(dv, d);
	else if (c->has_dct)
		v_day(dv, c->dct);
	else
		snprintf(dv, sizeof dv, "XXXX-XX-XX");
	m->t0 = i, m->t1 = e, m->type = TY_TIME;
	snprintf(m->value, sizeof m->value, "%sT%s", dv, tv);
	return 1;
}

/* last fall, summer 2020, the spring of 2019, early spring. */
static int
m_season(dr_ctx *c, long i, dr_m *m)
{
	const char *sv = sval(c, i, DL_SEASON);
	long s = i, e = i + 1;
	int y = 0;
	if (is_w(c, e, "of") && is_numd(c, e + 1, 4) && TOK(e + 1)->ndig == 4) {
		y = TOK(e + 1)->num;
		e += 2;
	} else if (is_numd(c, e, 4) && TOK(e)->ndig == 4) {
		y = TOK(e)->num;
		e++;
	}
	int rel = 9;
	if (is_w(c, s - 1, "last"))
		rel = -1;
	else if (is_w(c, s - 1, "next"))
		rel = 1;
	else if (is_w(c, s - 1, "this"))
		rel = 0;
	if (rel != 9)
		s--;
	const char *mod = NULL;
	s = left_pos(c, s, &mod);
	if (y == 0 && rel == 9) {
		/* bare season: "in the spring", not "the fall of Kabul" */
		static const char *const pre[] = { "in", "during", "by", "until", "since", "through", NULL };
		long p = s - 1;
		if (is_w(c, p, "the"))
			p--;
		/* "fall" only as "in/during/by the fall", never "the fall of Kabul" */
		if (!is_any(c, p, pre) || (!strcmp(TOK(i)->low, "fall") && !is_w(c, s - 1, "the")) ||
		    is_w(c, e, "of"))
			return 0;
		if (capital(c, i) && !(TOK(i)->flags & TF_UPPER))
			return 0;
	}
	m->t0 = s, m->t1 = e, m->type = TY_DATE, m->mod = mod;
	if (y) {
		snprintf(m->value, sizeof m->value, "%04d-%s", y, sv);
		return 1;
	}
	if (!c->has_dct) {
		snprintf(m->value, sizeof m->value, "XXXX-%s", sv);
		return 1;
	}
	/* the season's middle month stands for it */
	int mid = !strcmp(sv, "SP") ? 4 : !strcmp(sv, "SU") ? 7 : !strcmp(sv, "FA") ? 10 : 1;
	int cur = c->dct.m == 12 ? 1 : c->dct.m; /* December is winter of the next year */
	int by = c->dct.y + (c->dct.m == 12);
	int in_season = (mid == 1) ? (cur <= 2) : (cur >= mid - 1 && cur <= mid + 1);
	int yy;
	if (rel == 0 || (rel == 9 && in_season))
		yy = by;
	else if (rel == -1)
		yy = (in_season || mid < cur) ? by - (in_season ? 1 : 0) : by - 1;
	else if (rel == 1)
		yy = mid > cur ? by : by + 1;
	else {
		int t = tense_at(c, TOK(i)->s, TOK(i)->e);
		if (t == 0) /* no cue: the nearer one */
			t = (mid > cur ? mid - cur : mid - cur + 12) < (mid < cur ? cur - mid : cur - mid + 12) ? 1 : -1;
		if (t > 0)
			yy = mid > cur ? by : by + 1;
		else
			yy = mid < cur ? by : by - 1;
	}
	snprintf(m->value, sizeof m->value, "%04d-%s", yy, sv);
	return 1;
}

/* daily, weekly, annually; every day, each year, per month, every two years. */
static int
m_set(dr_ctx *c, long i, dr_m *m)
{
	const char *v = sval(c, i, DL_SET);
	if (strcmp(v, "EVERY") != 0) {
		m->t0 = i, m->t1 = i + 1, m->type = TY_SET;
		snprintf(m->value, sizeof m->value, "%s", v);
		return 1;
	}
	long j = i + 1;
	double q = 1;
	long k = q_parse(c, j, &q);
	if (k && q > 0 && strcmp(TOK(j)->low, "a") != 0)
		j += k;
	else
		q = 1;
	const char *u;
	int plural;
	if (unit_at(c, j, &u, &plural)) {
		if (!strcmp(u, "WE"))
			return 0;
		m->t0 = i, m->t1 = j + 1, m->type = TY_SET;
		v_duration(m->value, q, u);
		return 1;
	}
	if (is_cls(c, j, DL_WEEKDAY) && capital(c, j) && strlen(TOK(j)->low) > 4) {
		m->t0 = i, m->t1 = j + 1, m->type = TY_SET;
		snprintf(m->value, sizeof m->value, "XXXX-WXX-%d", ival(c, j, DL_WEEKDAY));
		return 1;
	}
	if (is_cls(c, j, DL_POD)) {
		m->t0 = i, m->t1 = j + 1, m->type = TY_SET;
		snprintf(m->value, sizeof m->value, "XXXX-XX-XXT%s", sval(c, j, DL_POD));
		return 1;
	}
	return 0;
}

/* Is token i the end of a noun phrase (so "future" there is a noun)? */
static int
np_end(dr_ctx *c, long i)
{
	static const char *const fw[] = { "of", "and", "or", "but", "is", "was", "will", "would",
		"could", "may", "might", "can", "that", "which", "for", "to", "in", "on", "as",
		"with", "by", "at", "it", "its", "are", "were", "be", "looks", "remains", "holds",
		"lies", "seems", "when", "where", "if", "because", "than", "there", "they", "we",
		"he", "she", "i", "you", "this", "has", "have", "had", "does", "do", "behind",
		"ahead", "now", "too", "again", "alone", NULL };
	if (!ok(c, i) && i >= c->n)
		return 1;
	if (!ok(c, i))
		return 0;
	if (TOK(i)->kind == TK_PUNCT)
		return TOK(i)->ch != '-';
	return is_any(c, i, fw);
}

/* the future, the near future, the past, the present. */
static int
m_ref(dr_ctx *c, long i, dr_m *m)
{
	const char *w = TOK(i)->low;
	const char *v = !strcmp(w, "past") ? "PAST_REF" : !strcmp(w, "present") ? "PRESENT_REF" : "FUTURE_REF";
	if (!np_end(c, i + 1))
		return 0;
	long s = i;
	if (!strcmp(w, "future")) {
		static const char *const adj[] = { "near", "foreseeable", "distant", "immediate",
			"not-too-distant", "uncertain", "bright", "brighter", NULL };
		if (is_any(c, s - 1, adj))
			s--;
		static const char *const poss[] = { "his", "her", "their", "its", "our", "my",
			"your", NULL };
		if (is_w(c, s - 1, "the"))
			s--;
		else if (!(s == i && (is_w(c, i - 1, "in") || is_any(c, i - 1, poss) ||
		    (is_w(c, i - 1, "s") && is_p(c, i - 2, '\'') && touch(c, i - 1)))))
			return 0;
	} else {
		if (is_w(c, s - 1, "the"))
			s--;
		else if (!(strcmp(w, "present") == 0 && is_w(c, i - 1, "at")))
			return 0;
	}
	m->t0 = s, m->t1 = i + 1, m->type = TY_DATE;
	snprintf(m->value, sizeof m->value, "%s", v);
	return 1;
}

/* the nineties, the early eighties. */
static int
m_decadeword(dr_ctx *c, long i, dr_m *m)
{
	const char *mod = NULL;
	long s = left_pos(c, i, &mod);
	if (!is_w(c, s - 1, "the") && s == i)
		return 0;
	m->t0 = s, m->t1 = i + 1, m->type = TY_DATE, m->mod = mod;
	snprintf(m->value, sizeof m->value, "%s", sval(c, i, DL_DECADEWORD));
	return 1;
}

/* ---- holidays and named events -------------------------------------------- */

static int
hol_date(const dl_holiday *h, int y, dc_date *out)
{
	switch (h->rule) {
	case DL_H_FIXED:
		if (!dc_valid(y, h->m, h->d))
			return 0;
		*out = mkdate(y, h->m, h->d);
		return 1;
	case DL_H_NTH:
		return dc_nth_weekday(y, h->m, h->wd, h->n, out);
	case DL_H_EASTER:
	case DL_H_EASTERWEEK:
		*out = dc_add_days(dc_easter(y), h->rule == DL_H_EASTER ? h->off : 0);
		return 1;
	case DL_H_ELECTION: {
		dc_date mon;
		if (!dc_nth_weekday(y, 11, 1, 1, &mon))
			return 0;
		*out = dc_add_days(mon, 1);
		return 1;
	}
	}
	return 0;
}

static long
hol_match(dr_ctx *c, long i, const dl_holiday *h)
{
	long j = i;
	for (int k = 0; k < h->ntoks; k++, j++) {
		if (!ok(c, j))
			return 0;
		if (k > 0 && h->adj[k] && !touch(c, j))
			return 0;
		dl_tok *t = TOK(j);
		const char *want = h->toks[k];
		if (t->kind == TK_WORD) {
			if (strcmp(t->low, want) != 0)
				return 0;
		} else if (t->kind == TK_NUM) {
			if (!(want[0] >= '0' && want[0] <= '9') || t->ndig != strlen(want) || t->num != atoi(want))
				return 0;
		} else if (t->ch != want[0] || want[1]) {
			return 0;
		}
	}
	return j;
}

static int
m_holiday(dr_ctx *c, long i, dr_m *m)
{
	const dl_holiday *best = NULL;
	long bestj = 0;
	dl_tok *t0 = TOK(i);
	char first = t0->kind == TK_WORD ? t0->low[0] : t0->kind == TK_NUM ? '0' : t0->ch;
	for (size_t k = 0; k < c->lx->nhol; k++) {
		const dl_holiday *h = &c->lx->hol[k];
		char hf = h->toks[0][0];
		if (hf >= '0' && hf <= '9')
			hf = '0';
		if (hf != first)
			continue;
		long j = hol_match(c, i, h);
		if (j > bestj) {
			best = h;
			bestj = j;
		}
	}
	if (!best)
		return 0;
	const dl_holiday *h = best;
	long j = bestj;
	if (TOK(i)->kind == TK_WORD && !capital(c, i) && !(h->rule == DL_H_EVENT))
		return 0;
	if (h->rule == DL_H_EVENT) {
		dc_date ev = mkdate(h->ey, h->em, h->ed);
		if (c->has_dct && dc_to_days(c->dct) <= dc_to_days(ev))
			return 0;
		int y = 0;
		if (opt_year(c, j, &y) != j || is_num(c, j) || is_ordsuffix(c, j) ||
		    (is_p(c, j, ':') && touch(c, j)) || (TOK(i)->kind == TK_WORD && !capital(c, i)))
			return 0;
		/* "9/11" inside a longer number ("19/11/2021") is not the event */
		if (touch(c, i) && (is_num(c, i - 1) || is_p(c, i - 1, '/') || is_p(c, i - 1, '.')))
			return 0;
		if (is_p(c, j, '/') && touch(c, j))
			return 0;
		m->t0 = i, m->t1 = j, m->type = TY_DATE;
		v_day(m->value, ev);
		return 1;
	}
	int y = 0;
	long e = opt_year(c, j, &y);
	long s = i;
	int rel = 9;
	if (is_w(c, i - 1, "last"))
		rel = -1, s--;
	else if (is_w(c, i - 1, "next"))
		rel = 1, s--;
	else if (is_w(c, i - 1, "this"))
		rel = 0, s--;
	m->t0 = s, m->t1 = e, m->type = TY_DATE;
	dc_date d;
	if (!y && !c->has_dct) {
		if (h->rule == DL_H_FIXED)
			snprintf(m->value, sizeof m->value, "XXXX-%02d-%02d", h->m, h->d);
		else if (h->rule == DL_H_EASTERWEEK)
			snprintf(m->value, sizeof m->value, "XXXX-WXX");
		else
			snprintf(m->value, sizeof m->value, "XXXX-XX-XX");
		return 1;
	}
	if (!y) {
		int64_t now = dc_to_days(c->dct);
		int t = rel == 9 ? tense_at(c, TOK(i)->s, TOK(j - 1)->e) : 0;
		int64_t bestd = INT64_MAX;
		for (int yy = c->dct.y - 1; yy <= c->dct.y + 1; yy++) {
			dc_date cand;
			if (!hol_date(h, yy, &cand))
				continue;
			int64_t diff = dc_to_days(cand) - now, score;
			if (rel == -1)
				score = diff < 0 ? -diff : INT64_MAX - 1;
			else if (rel == 1)
				score = diff > 0 ? diff : INT64_MAX - 1;
			else if (rel == 0)
				score = yy == c->dct.y ? 0 : INT64_MAX - 1;
			else {
				score = diff < 0 ? -diff : diff;
				if ((t < 0 && diff > 30) || (t > 0 && diff < -30))
					score += 120;
			}
			if (score < bestd) {
				bestd = score;
				y = yy;
			}
		}
		if (!y)
			return 0;
	}
	if (!hol_date(h, y, &d))
		return 0;
	if (h->rule == DL_H_EASTERWEEK)
		dc_fmt_week(m->value, sizeof m->value, d);
	else
		v_day(m->value, d);
	return 1;
}

/* ---- dispatch ---------------------------------------------------------------- */

static int
match_at(dr_ctx *c, long i, dr_m *m)
{
	dl_tok *t = TOK(i);
	memset(m, 0, sizeof *m);
	if (t->kind == TK_NUM) {
		return m_holiday(c, i, m) || m_code(c, i, m) || m_numeric_date(c, i, m) || m_time(c, i, m) ||
		    m_day_month(c, i, m) || m_ordinal_unit(c, i, m) || m_decade(c, i, m) ||
		    m_duration(c, i, m) || m_year(c, i, m);
	}
	if (t->kind != TK_WORD || !t->lex)
		return 0;
	uint32_t cl = t->lex->classes;
#define TRY(cls, fn) \
	if ((cl & DL_BIT(cls)) && (memset(m, 0, sizeof *m), fn(c, i, m))) \
		return 1
	if (t->lex->holiday && m_holiday(c, i, m))
		return 1;
	TRY(DL_MONTH, m_month);
	TRY(DL_WEEKDAY, m_weekday);
	TRY(DL_WEEKDAYS, m_weekdays);
	TRY(DL_NUM, m_duration);
	TRY(DL_ORD, m_ordinal_unit);
	TRY(DL_UNIT, m_unit);
	TRY(DL_UNITS, m_unit);
	TRY(DL_DEICTIC, m_deictic);
	TRY(DL_POD, m_pod);
	TRY(DL_TIME, m_timeword);
	TRY(DL_SEASON, m_season);
	TRY(DL_SET, m_set);
	TRY(DL_REF, m_ref);
	TRY(DL_DECADEWORD, m_decadeword);
	TRY(DL_HALF, m_half);
#undef TRY
	if (!strcmp(t->low, "past") && (memset(m, 0, sizeof *m), 1) && !is_cls(c, i + 1, DL_NUM) &&
	    !is_num(c, i + 1) && !is_cls(c, i + 1, DL_UNIT) && !is_cls(c, i + 1, DL_UNITS) &&
	    !is_cls(c, i + 1, DL_ORD) && m_ref(c, i, m))
		return 1;
	return 0;
}

/* The page's own date line: a full date alone on a short line near the top. */
static int
is_dct_candidate(dr_ctx *c, const dr_span *sp)
{
	if (c->cand_done || sp->start >= c->cand_limit)
		return 0;
	const char *v = sp->value;
	if (strlen(v) < 10 || v[4] != '-' || v[7] != '-' || v[0] == 'X' || !(v[8] >= '0' && v[8] <= '9'))
		return 0;
	size_t ls = sp->start, le = sp->end;
	while (ls > 0 && c->text[ls - 1] != '\n')
		ls--;
	while (le < c->len && c->text[le] != '\n')
		le++;
	size_t other = (sp->start - ls) + (le - sp->end);
	/* "Published: ...", "Updated on ..." and a byline may share the line */
	return other <= 40;
}

/*
 * The TempEval-3 newswire gold writes some values differently from
 * GUIDELINES.md: "Friday night" is the DATE of the day, a decade "199X",
 * a decade duration "P10Y" ("PXY" for "decades").
 */
static void
timeml_style(dr_span *sp)
{
	char *v = sp->value;
	size_t n = strlen(v);
	if (n == 13 && v[10] == 'T' && v[4] == '-' && v[7] == '-' && v[0] != 'X' &&
	    (!strcmp(v + 11, "MO") || !strcmp(v + 11, "AF") || !strcmp(v + 11, "EV") ||
	    !strcmp(v + 11, "NI"))) {
		v[10] = 0;
		sp->type = dr_type_names[TY_DATE];
	} else if (n == 3 && v[0] >= '0' && v[0] <= '9' && v[2] >= '0' && v[2] <= '9') {
		v[3] = 'X', v[4] = 0;
	} else if (n >= 4 && v[0] == 'P' && !strcmp(v + n - 2, "DE")) {
		if (v[1] == 'X')
			snprintf(v, sizeof sp->value, "PXY");
		else {
			long q = strtol(v + 1, NULL, 10);
			snprintf(v, sizeof sp->value, "P%ldY", q * 10);
		}
	}
}

static int
emit(dr_ctx *c, long t0, long t1, int type, const char *value, const char *mod)
{
	dr_span sp;
	sp.start = TOK(t0)->s;
	sp.end = TOK(t1 - 1)->e;
	sp.type = dr_type_names[type];
	snprintf(sp.value, sizeof sp.value, "%s", value);
	sp.mod = mod;
	sp.dct_candidate = 0;
	if (c->timeml)
		timeml_style(&sp);
	if (is_dct_candidate(c, &sp)) {
		sp.dct_candidate = 1;
		c->cand_done = 1;
	}
	c->last_end = sp.end;
	if (type != TY_DURATION && type != TY_SET && strlen(sp.value) >= 4 &&
	    (sp.value[4] == 0 || sp.value[4] == '-') && sp.value[0] >= '1' && sp.value[0] <= '2' &&
	    sp.value[1] >= '0' && sp.value[1] <= '9' && sp.value[2] >= '0' && sp.value[2] <= '9' &&
	    sp.value[3] >= '0' && sp.value[3] <= '9')
		c->last_year = atoi(sp.value);
	if (sp.value[0] >= '0' && sp.value[0] <= '9' && strlen(sp.value) >= 10 &&
	    (sp.value[10] == 0 || sp.value[10] == 'T') &&
	    dc_parse_iso(sp.value, &c->last_day) == 0) {
		c->have_day = 1;
		c->last_day_end = sp.end;
	}
	if (c->fn(c->fctx, &sp)) {
		c->stop = 1;
		return 1;
	}
	return 0;
}

static void
process_region(dr_ctx *c, size_t rs, size_t re)
{
	long n = dl_tokenize(c->lx, c->text, rs, re, &c->toks, &c->cap, &c->heap);
	if (n < 0) {
		c->oom = 1, c->stop = 1;
		return;
	}
	dr_tls_stats.bytes_parsed += re - rs;
	c->n = n;
	long i = 0;
	while (i < n && TOK(i)->s < c->last_end)
		i++;
	c->lo = i;
	while (i < n && !c->stop) {
		dl_tok *t = TOK(i);
		if (t->kind == TK_PUNCT || (t->kind == TK_WORD && !t->lex)) {
			i++;
			continue;
		}
		dr_m m;
		if (match_at(c, i, &m) && m.t1 > m.t0 && m.t0 >= c->lo && m.t1 <= n) {
			if (!m.silent) {
				if (emit(c, m.t0, m.t1, m.type, m.value, m.mod))
					break;
				if (m.has2 && m.t0b >= m.t1 && m.t1b <= n && emit(c, m.t0b, m.t1b, TY_DATE, m.value2, NULL))
					break;
			}
			long nx = m.t1;
			if (m.has2 && m.t1b > nx)
				nx = m.t1b;
			if (m.skip > nx)
				nx = m.skip;
			if (m.silent)
				c->last_end = TOK(nx - 1)->e;
			i = nx;
			c->lo = i;
			continue;
		}
		i++;
	}
}

static size_t
snap_left(const char *t, size_t p, size_t floor)
{
	size_t lim = p > 32 ? p - 32 : 0;
	if (lim < floor)
		lim = floor;
	while (p > lim && t[p - 1] != ' ' && t[p - 1] != '\n' && t[p - 1] != '\t')
		p--;
	/* never start inside a UTF-8 sequence */
	while (p > floor && ((unsigned char)t[p] & 0xC0) == 0x80)
		p--;
	return p;
}

static size_t
snap_right(const char *t, size_t p, size_t len)
{
	size_t lim = p + 32 < len ? p + 32 : len;
	while (p < lim && t[p] != ' ' && t[p] != '\n' && t[p] != '\t')
		p++;
	while (p < len && ((unsigned char)t[p] & 0xC0) == 0x80)
		p++;
	return p;
}

static int
on_trigger(void *ctx, size_t s, size_t e)
{
	dr_ctx *c = ctx;
	dr_tls_stats.triggers++;
	size_t rs = s > DR_REGION_BEFORE ? s - DR_REGION_BEFORE : 0;
	size_t re = e + DR_REGION_AFTER < c->len ? e + DR_REGION_AFTER : c->len;
	if (c->have_reg && rs <= c->reg_e) {
		if (re > c->reg_e)
			c->reg_e = re;
		return c->stop;
	}
	if (c->have_reg) {
		process_region(c, snap_left(c->text, c->reg_s, 0), snap_right(c->text, c->reg_e, c->len));
		if (c->stop)
			return 1;
	}
	c->reg_s = rs, c->reg_e = re, c->have_reg = 1;
	return 0;
}

static int
run(dr_ctx *c, size_t len)
{
	size_t full = c->len;
	c->len = len;
	dl_scan_triggers(c->lx, c->text, len, on_trigger, c);
	if (c->have_reg && !c->stop)
		process_region(c, snap_left(c->text, c->reg_s, 0), snap_right(c->text, c->reg_e, c->len));
	c->len = full;
	return c->oom ? -1 : 0;
}

/* Slash dates whose first or second number exceeds 12 tell the order. */
static int
slash_evidence(const char *t, size_t len)
{
	int dmy = 0, mdy = 0;
	const char *p = t, *end = t + len;
	while ((p = memchr(p, '/', (size_t)(end - p))) != NULL) {
		const char *q = p;
		int a = 0, na = 0, b = 0, nb = 0;
		int mul = 1;
		while (q > t && q[-1] >= '0' && q[-1] <= '9' && na < 3)
			a += (q[-1] - '0') * mul, mul *= 10, q--, na++;
		const char *r = p + 1;
		while (r < end && *r >= '0' && *r <= '9' && nb < 3)
			b = b * 10 + (*r - '0'), r++, nb++;
		if (na >= 1 && na <= 2 && nb >= 1 && nb <= 2 && r < end && *r == '/') {
			if (a > 12 && b <= 12)
				dmy++;
			else if (b > 12 && a <= 12)
				mdy++;
		}
		p++;
	}
	return dmy > mdy ? 1 : mdy > dmy ? 0 : -1;
}

static int
lang_dmy(const char *lang)
{
	if (!lang || !lang[0])
		return 0;
	if (!strncmp(lang, "en-US", 5) || !strcmp(lang, "en") || !strncmp(lang, "en-PH", 5))
		return 0;
	return 1;
}

typedef struct {
	char value[48];
	int found;
} dr_cand;

static int
cand_cb(void *ctx, const dr_span *sp)
{
	dr_cand *k = ctx;
	if (sp->dct_candidate) {
		memcpy(k->value, sp->value, sizeof k->value);
		k->found = 1;
		return 1;
	}
	return 0;
}

int
dr_analyze(const dl_lexicon *lx, const dr_opts *opts, const char *text, size_t len,
    const char *dct, const char *lang, dr_emit_fn fn, void *ctx)
{
	dr_ctx c;
	memset(&c, 0, offsetof(dr_ctx, stackbuf));
	c.lx = lx;
	c.toks = c.stackbuf;
	c.cap = sizeof c.stackbuf / sizeof c.stackbuf[0];
	c.text = text;
	c.len = len;
	c.cand_limit = 600;
	c.has_dct = dct && dct[0] && dc_parse_iso(dct, &c.dct) == 0;
	c.timeml = opts->timeml_values;
	if (opts->slash_order == 1)
		c.slash_dmy = 0;
	else if (opts->slash_order == 2)
		c.slash_dmy = 1;
	else {
		int ev = memchr(text, '/', len) ? slash_evidence(text, len) : -1;
		c.slash_dmy = ev >= 0 ? ev : lang_dmy(lang);
	}
	if (!c.has_dct && opts->dct_from_text) {
		/* a first pass over the top of the page for its date line */
		dr_cand k;
		memset(&k, 0, sizeof k);
		c.fn = cand_cb, c.fctx = &k;
		int rc = run(&c, len < c.cand_limit + 200 ? len : c.cand_limit + 200);
		if (rc) {
			if (c.heap)
				free(c.toks);
			return rc;
		}
		if (k.found && dc_parse_iso(k.value, &c.dct) == 0)
			c.has_dct = 1;
		c.last_end = 0, c.have_reg = 0, c.stop = 0, c.cand_done = 0, c.n = 0, c.have_day = 0;
		c.last_year = 0;
	}
	c.fn = fn, c.fctx = ctx;
	int rc = run(&c, len);
	if (c.heap)
		free(c.toks);
	return rc;
}
