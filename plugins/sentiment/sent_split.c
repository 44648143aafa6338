/*
 * sent_split.c - the sentence splitter (see sent_split.h for the rules).
 *
 * It is a single forward scan: every byte is looked at a bounded number of
 * times, so a document of one huge sentence costs the same as many short
 * ones.
 */
#include "sent_split.h"
#include "sent_ctype.h"

#include <string.h>

/* Width of a whitespace character at p (0 if none).  '\n' is not included:
 * it is a unit boundary and handled apart. */
static size_t
ws_len(const unsigned char *p, const unsigned char *e)
{
	unsigned c = p[0];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
		return 1;
	if (c == 0xC2 && p + 1 < e && p[1] == 0xA0)
		return 2;
	if (c == 0xE2 && p + 2 < e && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8B) || p[2] == 0xAF))
		return 3;
	if (c == 0xE3 && p + 2 < e && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	if (c == 0xEF && p + 2 < e && p[1] == 0xBB && p[2] == 0xBF)
		return 3;
	return 0;
}

/* Width of a bullet glyph at p (0 if none). */
static size_t
bullet_len(const unsigned char *p, const unsigned char *e)
{
	if (p + 2 >= e || p[0] != 0xE2)
		return 0;
	if (p[1] == 0x80 && (p[2] == 0xA2 || p[2] == 0xA3)) /* • ‣ */
		return 3;
	if (p[1] == 0x81 && p[2] == 0x83) /* ⁃ */
		return 3;
	if (p[1] == 0x96 && (p[2] == 0xAA || p[2] == 0xA0)) /* ▪ ■ */
		return 3;
	if (p[1] == 0x97 && (p[2] == 0x8F || p[2] == 0xA6)) /* ● ◦ */
		return 3;
	return 0;
}

/* Closing quote or bracket width at p (0 if none). */
static size_t
closer_len(const unsigned char *p, const unsigned char *e)
{
	if (*p == '"' || *p == '\'' || *p == ')' || *p == ']')
		return 1;
	if (p[0] == 0xE2 && p + 2 < e && p[1] == 0x80 && (p[2] == 0x9D || p[2] == 0x99))
		return 3; /* ” ’ */
	if (p[0] == 0xC2 && p + 1 < e && p[1] == 0xBB)
		return 2; /* » */
	return 0;
}

/* Can a sentence start with the character at p? */
static int
is_opener(const unsigned char *p, const unsigned char *e)
{
	unsigned c = *p;
	if (sc_upper(c) || sc_digit(c) || c == '"' || c == '\'' || c == '(' || c == '[')
		return 1;
	if (c >= 0x80) {
		/* non-ASCII: opening quotes, bullets and letters; not closing
		 * punctuation or dashes that continue a clause */
		if (c == 0xE2 && p + 2 < e && p[1] == 0x80)
			return p[2] == 0x9C || p[2] == 0x98 || p[2] == 0xA2;
		return 1;
	}
	return 0;
}

/* Does the dot at text[i] belong to an abbreviation or initial? */
static int
is_abbrev_dot(const sent_lex *lx, const unsigned char *t, size_t i, const unsigned char *next,
    const unsigned char *e)
{
	size_t b = i;
	int inner_dot = 0;
	while (b > 0 && (sc_alpha(t[b - 1]) || t[b - 1] == '.')) {
		if (t[b - 1] == '.')
			inner_dot = 1;
		b--;
		if (i - b > 24)
			return 0;
	}
	size_t n = i - b;
	if (n == 0)
		return 0;
	if (b > 0) {
		/* part of a longer token ("1948.", "ISIS-K.", "Zürich.") unless a
		 * space, quote or bracket comes before it */
		unsigned c = t[b - 1];
		if (sc_digit(c) || c == '-' || c == '/' || c == '_')
			return 0;
		if (c >= 0x80 && !(b >= 3 && t[b - 3] == 0xE2 && t[b - 2] == 0x80) &&
		    !(b >= 2 && t[b - 2] == 0xC2 && c == 0xA0))
			return 0;
	}
	if (inner_dot && sc_alpha(t[b]))
		return 1; /* U.S. e.g. a.m. */
	if (n == 1 && sc_upper(t[b]))
		return 1; /* an initial: George W. Bush */
	if (!lx)
		return 0;
	char buf[32];
	for (size_t k = 0; k < n; k++)
		buf[k] = (char)sc_tolower(t[b + k]);
	const sent_slot *s = sent_lex_find(lx, buf, n);
	if (!s || !s->abbrev)
		return 0;
	if (s->abbrev == 2) /* "No. 5": only before a number */
		return next < e && sc_digit(*next);
	return 1;
}

/*
 * Is there a sentence break at the terminator text[i]?  On yes, *brk is the
 * offset right after the unit's last byte.
 */
static int
break_at(const sent_lex *lx, const unsigned char *t, size_t len, size_t us, size_t i, size_t *brk)
{
	const unsigned char *e = t + len;
	size_t j = i;
	int ndots = 0, nterm = 0;
	/* the cluster of terminators and closers: ." .) ?” ..” */
	for (int guard = 0; guard < 32; guard++) {
		if (j < len && (t[j] == '.' || t[j] == '!' || t[j] == '?')) {
			ndots += t[j] == '.';
			nterm++;
			j++;
			continue;
		}
		size_t cl = j < len ? closer_len(t + j, e) : 0;
		if (cl) {
			j += cl;
			continue;
		}
		break;
	}
	const unsigned char *nx = t + j;
	/* footnote digits glued to the dot: "economy.1 Next", "1948.27 Cawthorne" */
	if (t[i] == '.' && nterm == 1 && j == i + 1 && j < len && sc_digit(t[j]) && i > 0) {
		size_t d = j;
		while (d < len && sc_digit(t[d]) && d - j < 4)
			d++;
		if (d - j <= 3 && d < len && !sc_digit(t[d])) {
			size_t b = i;
			while (b > 0 && sc_digit(t[b - 1]))
				b--;
			/* a word of two or more letters ending in lower case ("economy"),
			 * not "Q.8" */
			int ok = (sc_lower(t[i - 1]) && i >= 2 && sc_alpha(t[i - 2])) || t[i - 1] == ')' ||
			    (i - b == 4 && (b == 0 || !sc_alnum(t[b - 1])));
			size_t k = d;
			while (k < len && ws_len(t + k, e))
				k += ws_len(t + k, e);
			if (ok && k > d && k < len && sc_upper(t[k])) {
				*brk = d;
				return 1;
			}
			if (ok && (d >= len || t[d] == '\n')) {
				*brk = d;
				return 1;
			}
		}
		return 0;
	}
	if (ndots == 1 && nterm == 1 && t[i] == '.') {
		/* a list number opening the unit: "1. Counterterrorism" */
		size_t d = us;
		while (d < i && sc_digit(t[d]))
			d++;
		if (d == i && i > us && i - us <= 3)
			return 0;
		/* the word's own dot: skip whitespace to see what follows */
		const unsigned char *k = nx;
		while (k < e && ws_len(k, e))
			k += ws_len(k, e);
		if (is_abbrev_dot(lx, t, i, k, e))
			return 0;
	}
	if (j >= len || t[j] == '\n') {
		*brk = j;
		return 1;
	}
	size_t w = ws_len(nx, e);
	if (w == 0) {
		/* glued: "ties..Chinese", "(BRI).\".Karimi"; not "U.S.Army" or "3.5" */
		if (sc_upper(t[j]) && (nterm >= 2 || (i > 0 && !sc_alnum(t[i - 1]) && t[i - 1] < 0x80))) {
			*brk = j;
			return 1;
		}
		return 0;
	}
	size_t k = j;
	while (k < len && ws_len(t + k, e))
		k += ws_len(t + k, e);
	if (k >= len || t[k] == '\n' || is_opener(t + k, e) || bullet_len(t + k, e)) {
		*brk = j;
		return 1;
	}
	return 0;
}

int
sent_split_next(const sent_lex *lx, const char *text, size_t len, size_t *pos, size_t *start,
    size_t *end)
{
	const unsigned char *t = (const unsigned char *)text;
	const unsigned char *e = t + len;
	size_t p = *pos;
	for (;;) {
		/* skip whitespace, line breaks and bullets before a unit */
		while (p < len) {
			size_t w = t[p] == '\n' ? 1 : ws_len(t + p, e);
			if (!w)
				w = bullet_len(t + p, e);
			if (!w)
				break;
			p += w;
		}
		if (p >= len) {
			*pos = len;
			return 0;
		}
		size_t s = p, stop = len, next = len;
		for (size_t i = p; i < len; i++) {
			unsigned c = t[i];
			if (c == '\n') {
				stop = i;
				next = i + 1;
				break;
			}
			if (c == '.' || c == '!' || c == '?') {
				size_t brk;
				if (break_at(lx, t, len, s, i, &brk)) {
					stop = brk;
					next = brk;
					break;
				}
			}
		}
		size_t q = stop;
		while (q > s) {
			/* trim trailing whitespace, multi-byte aware */
			if (ws_len(t + q - 1, e))
				q--;
			else if (q - s >= 2 && ws_len(t + q - 2, e) == 2)
				q -= 2;
			else if (q - s >= 3 && ws_len(t + q - 3, e) == 3)
				q -= 3;
			else
				break;
		}
		*pos = next;
		p = next;
		if (q > s) {
			*start = s;
			*end = q;
			return 1;
		}
	}
}
