/*
 * dates_lex.c - lexicon and holiday loading, tokenizer, trigger scan.
 *
 * The trigger scan is the hot loop of the plugin: it touches every byte of
 * every document, so it only classifies bytes, hashes ASCII words on the fly
 * and probes one open-addressing table.  Everything else runs on the small
 * regions around triggers.
 */
#include "dates_lex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Byte classes for the scanners. */
/* Ordered so that the scanner can skip "< BC_DIGIT" and stay in words on ">= BC_LOWER". */
enum { BC_OTHER = 0, BC_SPACE = 1, BC_HIGH = 2, BC_DIGIT = 3, BC_LOWER = 4, BC_UPPER = 5 };

static const uint8_t *
dl_byte_classes(void)
{
	static uint8_t tab[256];
	static int ready; /* benign race: every writer stores the same bytes */
	if (!ready) {
		for (int c = 0; c < 256; c++) {
			uint8_t k = BC_OTHER;
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
				k = BC_SPACE;
			else if (c >= '0' && c <= '9')
				k = BC_DIGIT;
			else if (c >= 'a' && c <= 'z')
				k = BC_LOWER;
			else if (c >= 'A' && c <= 'Z')
				k = BC_UPPER;
			else if (c >= 0x80)
				k = BC_HIGH;
			tab[c] = k;
		}
		ready = 1;
	}
	return tab;
}

/*
 * Word hash: bytes are rotated into a 64-bit accumulator (one rotate and one
 * xor per byte, no multiply in the per-byte dependency chain), and mixed
 * once at the end of the word.
 */
#define DL_ACC(h, c) ((((h) << 8) | ((h) >> 56)) ^ (uint64_t)(uint8_t)(c))

static uint32_t
dl_hash_fin(uint64_t acc, size_t n)
{
	acc ^= (uint64_t)n << 59;
	acc *= 0x9E3779B97F4A7C15ull;
	return (uint32_t)(acc >> 32);
}

static uint32_t
dl_hash_lower(const char *w, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = DL_ACC(h, (uint8_t)w[i] | 0x20);
	return dl_hash_fin(h, n);
}

static int
dl_ieq(const char *a, const char *lower, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((uint8_t)a[i] | 0x20) != (uint8_t)lower[i])
			return 0;
	return 1;
}

const dl_entry *
dl_lookup(const dl_lexicon *lx, const char *w, size_t n)
{
	if (n == 0 || n > DL_WORD_MAX || !lx->nslots)
		return NULL;
	size_t mask = lx->nslots - 1;
	for (size_t i = dl_hash_lower(w, n) & mask;; i = (i + 1) & mask) {
		uint32_t v = lx->slots[i];
		if (!v)
			return NULL;
		const dl_entry *e = &lx->entries[v - 1];
		if (e->len == n && dl_ieq(w, e->word, n))
			return e;
	}
}

static int
dl_class_of(const char *name)
{
	static const char *const names[DL_NCLASS] = { "month", "weekday", "weekdays",
		"unit", "units", "num", "ord", "pod", "time", "season", "deictic", "rel",
		"mod", "set", "ref", "decadeword", "fiscal", "tz", "half", "pods" };
	for (int i = 0; i < DL_NCLASS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* Finds or adds the entry for a lower-case word; NULL on overflow. */
static dl_entry *
dl_entry_for(dl_lexicon *lx, const char *w, size_t cap)
{
	size_t n = strlen(w);
	if (n == 0 || n > DL_WORD_MAX)
		return NULL;
	for (size_t i = 0; i < lx->nentries; i++)
		if (strcmp(lx->entries[i].word, w) == 0)
			return &lx->entries[i];
	if (lx->nentries >= cap)
		return NULL;
	dl_entry *e = &lx->entries[lx->nentries++];
	memset(e, 0, sizeof(*e));
	memcpy(e->word, w, n + 1);
	e->len = (uint8_t)n;
	return e;
}

static int
dl_is_ascii_word(const char *w)
{
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z')))
			return 0;
	return 1;
}

static char *
dl_chomp(char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	return line;
}

/* Splits a holiday surface into tokens the way dl_tokenize does. */
static int
dl_holiday_tokens(dl_holiday *h, const char *s)
{
	h->ntoks = 0;
	const char *p = s;
	int space = 1;
	while (*p) {
		if (*p == ' ') {
			space = 1, p++;
			continue;
		}
		if (h->ntoks >= DL_HOL_TOKS)
			return -1;
		char *out = h->toks[h->ntoks];
		size_t n = 0;
		if (*p >= 'a' && *p <= 'z') {
			while (*p >= 'a' && *p <= 'z' && n < 15)
				out[n++] = *p++;
		} else if (*p >= '0' && *p <= '9') {
			while (*p >= '0' && *p <= '9' && n < 15)
				out[n++] = *p++;
		} else {
			out[n++] = *p++;
		}
		out[n] = 0;
		h->adj[h->ntoks] = (uint8_t)(h->ntoks > 0 && !space);
		h->ntoks++;
		space = 0;
	}
	return h->ntoks ? 0 : -1;
}

static int
dl_parse_rule(dl_holiday *h, const char *r)
{
	int a, b, c;
	if (sscanf(r, "EVENT:%d-%d-%d", &a, &b, &c) == 3) {
		h->rule = DL_H_EVENT, h->ey = a, h->em = b, h->ed = c;
		return 0;
	}
	if (sscanf(r, "NTH:%d:%d:%d", &a, &b, &c) == 3) {
		h->rule = DL_H_NTH, h->m = a, h->wd = b, h->n = c;
		return 0;
	}
	if (sscanf(r, "EASTER:%d", &a) == 1) {
		h->rule = DL_H_EASTER, h->off = a;
		return 0;
	}
	if (strcmp(r, "EASTERWEEK") == 0) {
		h->rule = DL_H_EASTERWEEK;
		return 0;
	}
	if (strcmp(r, "ELECTION") == 0) {
		h->rule = DL_H_ELECTION, h->m = 11;
		return 0;
	}
	if (sscanf(r, "%d-%d", &a, &b) == 2 && a >= 1 && a <= 12 && b >= 1 && b <= 31) {
		h->rule = DL_H_FIXED, h->m = a, h->d = b;
		return 0;
	}
	return -1;
}

static int
dl_load_lexicon(dl_lexicon *lx, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "dates: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1024;
	lx->entries = calloc(cap, sizeof(dl_entry));
	if (!lx->entries) {
		fclose(f);
		snprintf(err, errlen, "dates: out of memory");
		return -1;
	}
	char line[256];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		dl_chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		char *w = strtok(line, "\t"), *cls = strtok(NULL, "\t"), *val = strtok(NULL, "\t");
		int c = cls ? dl_class_of(cls) : -1;
		dl_entry *e = (w && val && c >= 0 && dl_is_ascii_word(w)) ? dl_entry_for(lx, w, cap) : NULL;
		if (!e || strlen(val) >= sizeof e->sval[0]) {
			snprintf(err, errlen, "dates: %s:%d: bad line", path, lineno);
			rc = -1;
			break;
		}
		e->classes |= DL_BIT(c);
		e->ival[c] = atoi(val);
		snprintf(e->sval[c], sizeof e->sval[c], "%s", val);
		if (DL_BIT(c) & DL_TRIGGER_MASK)
			e->trigger = 1;
	}
	fclose(f);
	/* "the past" is PAST_REF: "past" alone must start a parse. */
	if (!rc) {
		dl_entry *p = dl_entry_for(lx, "past", cap);
		if (p)
			p->trigger = 1;
	}
	return rc;
}

static int
dl_load_holidays(dl_lexicon *lx, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "dates: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 16;
	char line[256];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		dl_chomp(line);
		if (!line[0] || line[0] == '#')
			continue;
		char *surf = strtok(line, "\t"), *rule = strtok(NULL, "\t");
		if (!surf || !rule) {
			snprintf(err, errlen, "dates: %s:%d: bad line", path, lineno);
			rc = -1;
			break;
		}
		if (lx->nhol == 0 || lx->nhol >= cap) {
			if (lx->nhol)
				cap *= 2;
			dl_holiday *nh = realloc(lx->hol, cap * sizeof(dl_holiday));
			if (!nh) {
				snprintf(err, errlen, "dates: out of memory");
				rc = -1;
				break;
			}
			lx->hol = nh;
		}
		dl_holiday *h = &lx->hol[lx->nhol];
		memset(h, 0, sizeof(*h));
		if (dl_holiday_tokens(h, surf) || dl_parse_rule(h, rule)) {
			snprintf(err, errlen, "dates: %s:%d: bad holiday", path, lineno);
			rc = -1;
			break;
		}
		lx->nhol++;
		/* Every word of a holiday name starts a parse, so that "Easter"
		 * or "Thanksgiving" alone open a region. */
		for (int k = 0; k < h->ntoks; k++) {
			/* short words ("may", "new") mark the holiday's first word
			 * but open no region of their own: "May Day" and "New
			 * Year's Day" are reached through "may" and "year" */
			int longw = strlen(h->toks[k]) >= 5;
			if (!(h->toks[k][0] >= 'a' && h->toks[k][0] <= 'z') || (!longw && k > 0))
				continue;
			dl_entry *e = dl_entry_for(lx, h->toks[k], 1024);
			if (!e) {
				snprintf(err, errlen, "dates: lexicon full");
				rc = -1;
				break;
			}
			if (k == 0)
				e->holiday = 1;
			if (longw)
				e->trigger = 1;
		}
		if (rc)
			break;
	}
	fclose(f);
	return rc;
}

static int
dl_build_hash(dl_lexicon *lx, char *err, size_t errlen)
{
	size_t n = 64;
	while (n < lx->nentries * 4)
		n <<= 1;
	lx->slots = calloc(n, sizeof(uint32_t));
	if (!lx->slots) {
		snprintf(err, errlen, "dates: out of memory");
		return -1;
	}
	lx->nslots = n;
	for (size_t k = 0; k < lx->nentries; k++) {
		size_t i = dl_hash_lower(lx->entries[k].word, lx->entries[k].len) & (n - 1);
		while (lx->slots[i])
			i = (i + 1) & (n - 1);
		lx->slots[i] = (uint32_t)(k + 1);
	}
	return 0;
}

int
dl_load(dl_lexicon *lx, const char *data_dir, char *err, size_t errlen)
{
	memset(lx, 0, sizeof(*lx));
	char path[4096];
	snprintf(path, sizeof path, "%s/lexicon.tsv", data_dir);
	if (dl_load_lexicon(lx, path, err, errlen))
		goto fail;
	snprintf(path, sizeof path, "%s/holidays.tsv", data_dir);
	if (dl_load_holidays(lx, path, err, errlen))
		goto fail;
	if (dl_build_hash(lx, err, errlen))
		goto fail;
	return 0;
fail:
	dl_free(lx);
	return -1;
}

void
dl_free(dl_lexicon *lx)
{
	free(lx->entries);
	free(lx->slots);
	free(lx->hol);
	memset(lx, 0, sizeof(*lx));
}

/* Recognises the multi-byte punctuation and spaces we care about. */
static int
dl_utf8_punct(const unsigned char *p, size_t left, char *ch)
{
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0) {
		*ch = ' ';
		return 2;
	}
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80) {
		switch (p[2]) {
		case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95:
			*ch = '-';
			return 3;
		case 0x98: case 0x99:
			*ch = '\'';
			return 3;
		case 0x9C: case 0x9D:
			*ch = '"';
			return 3;
		case 0x89: case 0x8A: case 0xAF: case 0x80: case 0x81: case 0x82:
		case 0x83: case 0x84: case 0x85: case 0x86: case 0x87: case 0x88:
			*ch = ' ';
			return 3;
		}
	}
	return 0;
}

long
dl_tokenize(const dl_lexicon *lx, const char *text, size_t s, size_t e,
    dl_tok **toks, size_t *cap, int *heap)
{
	const uint8_t *bc = dl_byte_classes();
	const unsigned char *t = (const unsigned char *)text;
	size_t n = 0, i = s;
	uint8_t pending = 0; /* TF_SPACE / TF_NL for the next token */
	while (i < e) {
		uint8_t c = bc[t[i]];
		char ch = 0;
		int ul = 0;
		if (c == BC_SPACE) {
			pending |= TF_SPACE;
			if (t[i] == '\n')
				pending |= TF_NL;
			i++;
			continue;
		}
		if (c == BC_HIGH && (ul = dl_utf8_punct(t + i, e - i, &ch)) > 0 && ch == ' ') {
			pending |= TF_SPACE;
			i += (size_t)ul;
			continue;
		}
		if (n == *cap) {
			size_t nc = *cap ? *cap * 2 : 256;
			dl_tok *nt;
			if (*heap) {
				nt = realloc(*toks, nc * sizeof(dl_tok));
			} else {
				nt = malloc(nc * sizeof(dl_tok));
				if (nt && n)
					memcpy(nt, *toks, n * sizeof(dl_tok));
			}
			if (!nt)
				return -1;
			*toks = nt, *cap = nc, *heap = 1;
		}
		dl_tok *k = &(*toks)[n++];
		k->s = (uint32_t)i;
		k->flags = pending;
		pending = 0;
		k->lex = NULL;
		k->num = 0, k->ndig = 0, k->ch = 0, k->low[0] = 0;
		if (c == BC_DIGIT) {
			int32_t v = 0;
			int nd = 0;
			while (i < e && bc[t[i]] == BC_DIGIT) {
				if (nd < 9)
					v = v * 10 + (t[i] - '0');
				nd++, i++;
			}
			k->kind = TK_NUM, k->num = v, k->ndig = (uint8_t)(nd > 255 ? 255 : nd);
		} else if (c == BC_LOWER || c == BC_UPPER || (c == BC_HIGH && ul == 0)) {
			size_t j = i, nl = 0;
			int upper = 1, ascii = 1;
			while (j < e) {
				uint8_t cj = bc[t[j]];
				char dummy;
				if (cj == BC_LOWER || cj == BC_UPPER) {
					if (cj == BC_LOWER)
						upper = 0;
					if (nl < sizeof k->low - 1)
						k->low[nl++] = (char)(t[j] | 0x20);
					j++;
				} else if (cj == BC_HIGH && dl_utf8_punct(t + j, e - j, &dummy) == 0) {
					ascii = 0;
					j++;
				} else {
					break;
				}
			}
			k->low[nl] = 0;
			k->kind = TK_WORD;
			if (c == BC_UPPER)
				k->flags |= TF_CAP;
			if (upper && c == BC_UPPER)
				k->flags |= TF_UPPER;
			if (ascii && j - i < sizeof k->low)
				k->lex = dl_lookup(lx, text + i, j - i);
			i = j;
		} else {
			k->kind = TK_PUNCT;
			if (ul > 0) {
				k->ch = ch;
				i += (size_t)ul;
			} else {
				k->ch = (char)t[i];
				i++;
			}
		}
		k->e = (uint32_t)i;
	}
	return (long)n;
}

int
dl_scan_triggers(const dl_lexicon *lx, const char *text, size_t len,
    dl_trigger_fn fn, void *ctx)
{
	const uint8_t *bc = dl_byte_classes();
	const unsigned char *t = (const unsigned char *)text;
	size_t mask = lx->nslots - 1;
	size_t i = 0;
	while (i < len) {
		uint8_t c;
		while (i < len && (c = bc[t[i]]) < BC_DIGIT)
			i++;
		if (i >= len)
			break;
		if (c == BC_DIGIT) {
			size_t s = i;
			while (i < len && bc[t[i]] == BC_DIGIT)
				i++;
			if (fn(ctx, s, i))
				return 1;
		} else if (c == BC_LOWER || c == BC_UPPER) {
			size_t s = i;
			uint64_t acc = 0;
			while (i < len && bc[t[i]] >= BC_LOWER) {
				acc = DL_ACC(acc, t[i] | 0x20);
				i++;
			}
			size_t n = i - s;
			/* no trigger word is shorter than 3 letters */
			if (n < 3)
				continue;
			uint32_t h = dl_hash_fin(acc, n);
			/* A word glued to non-ASCII letters is not one of ours. */
			if (n > DL_WORD_MAX || (i < len && bc[t[i]] == BC_HIGH && t[i] != 0xE2 && t[i] != 0xC2))
				continue;
			for (size_t k = h & mask;; k = (k + 1) & mask) {
				uint32_t v = lx->slots[k];
				if (!v)
					break;
				const dl_entry *e = &lx->entries[v - 1];
				if (e->len == n && dl_ieq(text + s, e->word, n)) {
					if (e->trigger && fn(ctx, s, i))
						return 1;
					break;
				}
			}
		}
	}
	return 0;
}
