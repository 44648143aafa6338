/*
 * act_tok.c - word tokenizer of the actors plugin (see act_tok.h).
 *
 * Works on UTF-8 bytes in one forward pass.  Non-ASCII characters count as
 * letters except the Latin-1 punctuation block (U+0080-U+00BF: NBSP, « »)
 * and the General Punctuation block (U+2000-U+206F: ’ “ ” – — • … and the
 * typographic spaces), which is what news text uses around names.
 */
#include "act_tok.h"

#include <string.h>

#define ACT_FNV_OFF 1469598103934665603ULL
#define ACT_FNV_PRIME 1099511628211ULL

/* Length of the punctuation character at p, or 0 when p starts a letter. */
static size_t
tok_punct_len(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return 0;
		return 1;
	}
	if (c == 0xC2 && left >= 2)
		return 2;
	if (c == 0xE2 && left >= 3 && (p[1] == 0x80 || p[1] == 0x81))
		return 3;
	if (c == 0xE3 && left >= 3 && p[1] == 0x80)
		return 3;
	if (c == 0xEF && left >= 3 && p[1] == 0xBB && p[2] == 0xBF)
		return 3;
	if (c >= 0x80 && c < 0xC0)
		return 1; /* stray continuation byte: treat as punctuation */
	return 0;
}

/* Byte length of the UTF-8 letter starting at p (at least 1). */
static size_t
tok_utf8_len(const unsigned char *p, size_t left)
{
	size_t n = 1;
	if (p[0] >= 0xF0)
		n = 4;
	else if (p[0] >= 0xE0)
		n = 3;
	else if (p[0] >= 0xC0)
		n = 2;
	if (n > left)
		n = left;
	for (size_t k = 1; k < n; k++)
		if ((p[k] & 0xC0) != 0x80)
			return k;
	return n;
}

static int
tok_is_letter(const unsigned char *t, size_t i, size_t len)
{
	return i < len && tok_punct_len(t + i, len - i) == 0;
}

/* Apostrophe at i: returns its byte length (1 for ', 3 for ’), else 0. */
static size_t
tok_apos_len(const unsigned char *t, size_t i, size_t len)
{
	if (t[i] == '\'')
		return 1;
	if (i + 2 < len && t[i] == 0xE2 && t[i + 1] == 0x80 && t[i + 2] == 0x99)
		return 3;
	return 0;
}

static void
tok_classify_sep(const unsigned char *t, size_t from, size_t to, act_tok *tk, int first)
{
	if (first) {
		tk->sep = ACT_SEP_START;
		tk->sepch = 0;
		return;
	}
	if (from == to) {
		tk->sep = ACT_SEP_NONE;
		tk->sepch = 0;
		return;
	}
	int spaces = 0, nl = 0, hy = 0, other = 0, dot_first = 0;
	unsigned char ch = 0;
	size_t i = from;
	while (i < to) {
		unsigned char c = t[i];
		size_t n = 1;
		if (c == ' ' || c == '\t' || c == '\r') {
			spaces++;
		} else if (c == '\n') {
			nl++;
		} else if (c == '-') {
			hy++;
			if (!ch)
				ch = '-';
		} else if (c == '.' && i == from) {
			dot_first = 1;
			ch = '.';
		} else if (c == 0xC2 && i + 1 < to && t[i + 1] == 0xA0) {
			spaces++;
			n = 2;
		} else if (c == 0xE2 && i + 2 < to + 0 && t[i + 1] == 0x80) {
			unsigned char d = t[i + 2];
			n = 3;
			if (d <= 0x8A || d == 0xAF) {
				spaces++;
			} else if (d == 0x90 || d == 0x91 || d == 0x93) {
				hy++;
				if (!ch)
					ch = '-';
			} else {
				other++;
				if (!ch)
					ch = (d == 0x94) ? '-' : (d >= 0x98 && d <= 0x9F) ? '"' : '?';
			}
		} else {
			other++;
			if (!ch)
				ch = c < 0x80 ? c : '?';
			if (c >= 0xC0)
				n = tok_utf8_len(t + i, to - i);
		}
		i += n;
	}
	tk->sepch = ch;
	if (dot_first && !other && !hy && nl == 0 && spaces > 0)
		tk->sep = ACT_SEP_DOT;
	else if (dot_first || other || nl > 1)
		tk->sep = ACT_SEP_PUNCT;
	else if (hy == 1 && spaces == 0 && nl == 0)
		tk->sep = ACT_SEP_HY;
	else if (hy)
		tk->sep = nl ? ACT_SEP_PUNCT : ACT_SEP_HYS;
	else if (nl == 1)
		tk->sep = ACT_SEP_NL;
	else
		tk->sep = ACT_SEP_SP;
}

static uint64_t
tok_hash_folded(const unsigned char *t, size_t s, size_t e)
{
	uint64_t h = ACT_FNV_OFF;
	for (size_t i = s; i < e; i++) {
		unsigned char c = t[i];
		if (c == '.')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		else if (c == 0xE2 && i + 2 < e && t[i + 1] == 0x80 && t[i + 2] == 0x99) {
			c = '\'';
			i += 2;
		}
		h ^= c;
		h *= ACT_FNV_PRIME;
	}
	return h;
}

uint64_t
act_tok_exact_hash(const char *text, const act_tok *tok)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t h = ACT_FNV_OFF;
	for (size_t i = tok->start; i < tok->end; i++) {
		if (t[i] == '.')
			continue;
		h ^= t[i];
		h *= ACT_FNV_PRIME;
	}
	return h;
}

uint64_t
act_tok_key_of(const char *word)
{
	return tok_hash_folded((const unsigned char *)word, 0, strlen(word));
}

/* Character classes of ASCII bytes for the hot loop. */
enum { CC_PUNCT = 0, CC_LOWER, CC_UPPER, CC_DIGIT };

static unsigned char
tok_cc(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return CC_LOWER;
	if (c >= 'A' && c <= 'Z')
		return CC_UPPER;
	if (c >= '0' && c <= '9')
		return CC_DIGIT;
	return CC_PUNCT;
}

int
act_tok_scan(const char *text, size_t len, act_tok_fn fn, void *ctx)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t i = 0, prev_end = 0;
	int first = 1;
	while (i < len) {
		unsigned char c0 = t[i];
		if (c0 < 0x80 ? tok_cc(c0) == CC_PUNCT : tok_punct_len(t + i, len - i) != 0) {
			i += c0 < 0x80 ? 1 : tok_punct_len(t + i, len - i);
			continue;
		}
		size_t w = i;
		size_t seg = 0;     /* letters in the current dot segment */
		int dotted_ok = 1;  /* every segment so far has one letter */
		int dotted = 0;
		size_t poss = 0;    /* length of a possessive that follows */
		uint64_t h = ACT_FNV_OFF;
		int upper = 0, lower = 0, nlet = 0;
		while (i < len) {
			unsigned char c = t[i];
			if (c < 0x80) {
				unsigned char cc = tok_cc(c);
				if (cc != CC_PUNCT) {
					if (cc == CC_UPPER) {
						upper++;
						c = (unsigned char)(c + 32);
					} else if (cc == CC_LOWER) {
						lower++;
					}
					h = (h ^ c) * ACT_FNV_PRIME;
					nlet++;
					i++;
					seg++;
					continue;
				}
			} else if (c >= 0xC0 && tok_punct_len(t + i, len - i) == 0) {
				size_t l = tok_utf8_len(t + i, len - i);
				if (c == 0xC3 && l == 2) {
					if (t[i + 1] >= 0x9F)
						lower++;
					else
						upper++;
				}
				for (size_t k = 0; k < l; k++)
					h = (h ^ t[i + k]) * ACT_FNV_PRIME;
				nlet++;
				i += l;
				seg++;
				continue;
			}
			size_t al = tok_apos_len(t, i, len);
			if (al) {
				size_t nx = i + al;
				if (nx < len && (t[nx] == 's' || t[nx] == 'S') && !tok_is_letter(t, nx + 1, len)) {
					poss = al + 1;
					break;
				}
				if (tok_is_letter(t, nx, len)) {
					h = (h ^ (unsigned char)'\'') * ACT_FNV_PRIME;
					i = nx;
					seg++;
					continue;
				}
				break;
			}
			if (c == '.' && seg == 1 && dotted_ok && i + 1 < len) {
				unsigned char d = t[i + 1];
				int letter = (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z');
				int single = letter && (i + 2 >= len || t[i + 2] == '.' ||
				    !tok_is_letter(t, i + 2, len));
				if (single) {
					i++;
					seg = 0;
					dotted = 1;
					continue;
				}
			}
			if (seg != 1)
				dotted_ok = 0;
			break;
		}
		if (dotted && i < len && t[i] == '.' && seg == 1)
			i++;
		act_tok tk;
		tk.start = (uint32_t)w;
		tk.end = (uint32_t)i;
		tk.key = h;
		uint8_t f = 0;
		if (c0 < 0x80) {
			unsigned char cc = tok_cc(c0);
			f = cc == CC_UPPER ? ACT_TF_CAP : cc == CC_LOWER ? ACT_TF_LOWER : ACT_TF_DIGIT;
		} else if (c0 == 0xC3 && i > w + 1) {
			f = (t[w + 1] < 0x9F) ? ACT_TF_CAP : ACT_TF_LOWER;
		} else {
			f = ACT_TF_CAP;
		}
		if (upper && !lower)
			f |= ACT_TF_ALLCAPS;
		if (dotted)
			f |= ACT_TF_DOTTED;
		tk.flags = f;
		tk.nlet = (uint8_t)(nlet > 255 ? 255 : nlet);
		if (!first && w == prev_end + 1 && t[prev_end] == ' ') {
			tk.sep = ACT_SEP_SP; /* the common case: one space */
			tk.sepch = 0;
		} else {
			tok_classify_sep(t, prev_end, w, &tk, first);
		}
		first = 0;
		prev_end = i;
		int rc = fn(ctx, &tk);
		if (rc)
			return rc;
		if (poss) {
			act_tok pt;
			pt.start = (uint32_t)i;
			pt.end = (uint32_t)(i + poss);
			pt.key = tok_hash_folded(t, i, i + poss);
			pt.flags = ACT_TF_POSS;
			pt.nlet = 1;
			pt.sep = ACT_SEP_NONE;
			pt.sepch = 0;
			i += poss;
			prev_end = i;
			rc = fn(ctx, &pt);
			if (rc)
				return rc;
		}
	}
	return 0;
}
