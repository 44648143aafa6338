/*
 * sent_lex.c - loading and lookup of the sentiment lexicon.
 *
 * One open-addressing hash maps a word to everything the plugin knows about
 * it: its single-word term, the multi-word terms it starts, the actor names
 * it starts, and whether it is an abbreviation.  Keys of terms are lower
 * case; actor keys keep their case, so they live in the same table under
 * their exact spelling (a lower-case actor key and a term key may coincide,
 * which is fine: the fields are independent).
 */
#include "sent_lex.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SENT_MAX_WORDS 8

static uint32_t
lex_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

int
sent_lex_init(sent_lex *lx)
{
	memset(lx, 0, sizeof(*lx));
	lx->cap = 1u << 14;
	lx->slots = calloc(lx->cap, sizeof(*lx->slots));
	lx->arena_cap = 1u << 16;
	lx->arena = malloc(lx->arena_cap);
	if (!lx->slots || !lx->arena) {
		sent_lex_free(lx);
		return -ENOMEM;
	}
	lx->arena[0] = '\0'; /* offset 0 is the empty string */
	lx->arena_len = 1;
	return 0;
}

void
sent_lex_free(sent_lex *lx)
{
	free(lx->slots);
	free(lx->arena);
	free(lx->terms);
	free(lx->actors);
	memset(lx, 0, sizeof(*lx));
}

/* Copy n bytes plus a NUL into the arena; returns the offset or -1. */
static int64_t
arena_put(sent_lex *lx, const char *s, size_t n)
{
	if (lx->arena_len + n + 1 > lx->arena_cap) {
		size_t cap = lx->arena_cap;
		while (lx->arena_len + n + 1 > cap)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -1;
		char *a = realloc(lx->arena, cap);
		if (!a)
			return -1;
		lx->arena = a;
		lx->arena_cap = cap;
	}
	size_t off = lx->arena_len;
	memcpy(lx->arena + off, s, n);
	lx->arena[off + n] = '\0';
	lx->arena_len += n + 1;
	return (int64_t)off;
}

static int
lex_grow(sent_lex *lx)
{
	size_t ncap = lx->cap * 2;
	sent_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < lx->cap; i++) {
		if (!lx->slots[i].used)
			continue;
		size_t j = lx->slots[i].hash & (ncap - 1);
		while (ns[j].used)
			j = (j + 1) & (ncap - 1);
		ns[j] = lx->slots[i];
	}
	free(lx->slots);
	lx->slots = ns;
	lx->cap = ncap;
	return 0;
}

const sent_slot *
sent_lex_find(const sent_lex *lx, const char *key, size_t len)
{
	uint32_t h = lex_hash(key, len);
	size_t j = h & (lx->cap - 1);
	for (;;) {
		const sent_slot *s = &lx->slots[j];
		if (!s->used)
			return NULL;
		if (s->hash == h && s->keylen == len &&
		    memcmp(lx->arena + s->key, key, len) == 0)
			return s;
		j = (j + 1) & (lx->cap - 1);
	}
}

/* Find or create the slot of a key. */
static sent_slot *
lex_slot(sent_lex *lx, const char *key, size_t len)
{
	if ((lx->count + 1) * 2 > lx->cap && lex_grow(lx) < 0)
		return NULL;
	uint32_t h = lex_hash(key, len);
	size_t j = h & (lx->cap - 1);
	for (;;) {
		sent_slot *s = &lx->slots[j];
		if (!s->used)
			break;
		if (s->hash == h && s->keylen == len &&
		    memcmp(lx->arena + s->key, key, len) == 0)
			return s;
		j = (j + 1) & (lx->cap - 1);
	}
	int64_t off = arena_put(lx, key, len);
	if (off < 0)
		return NULL;
	sent_slot *s = &lx->slots[j];
	s->used = 1;
	s->key = (uint32_t)off;
	s->keylen = (uint32_t)len;
	s->hash = h;
	s->term = -1;
	s->mwe = -1;
	s->actor = -1;
	lx->count++;
	return s;
}

static const struct {
	const char *name;
	sent_kind kind;
} lex_kinds[] = {
	{ "word", SENT_K_WORD },
	{ "negator", SENT_K_NEGATOR },
	{ "intensifier", SENT_K_INTENSIFIER },
	{ "contrast", SENT_K_CONTRAST },
	{ "concessive", SENT_K_CONCESSIVE },
	{ "hedge", SENT_K_HEDGE },
	{ "irrealis", SENT_K_IRREALIS },
	{ "reverser", SENT_K_REVERSER },
};

/*
 * Normalise a term: lower case, curly apostrophe to ASCII, runs of blanks
 * to one NUL-separated word list.  Returns the number of words (0 if none
 * or too many) and the byte length in *outlen.
 */
static int
norm_words(const char *s, size_t n, int fold, char *out, size_t outcap, size_t *outlen)
{
	size_t o = 0;
	int words = 0, inword = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t') {
			inword = 0;
			continue;
		}
		if (!inword) {
			if (words == SENT_MAX_WORDS)
				return 0;
			if (words > 0) {
				if (o + 1 >= outcap)
					return 0;
				out[o++] = '\0';
			}
			words++;
			inword = 1;
		}
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
			c = '\'';
			i += 2;
		}
		if (o + 1 >= outcap)
			return 0;
		out[o++] = (char)(fold ? tolower(c) : c);
	}
	out[o] = '\0';
	*outlen = o;
	return words;
}

static int
add_term(sent_lex *lx, const char *term, size_t n, float value, sent_kind kind)
{
	char buf[512];
	size_t len;
	int nw = norm_words(term, n, 1, buf, sizeof(buf), &len);
	if (nw == 0)
		return 0; /* silently skip empty or oversized terms */
	if (nw == 1) {
		sent_slot *s = lex_slot(lx, buf, len);
		if (!s)
			return -ENOMEM;
		if (s->term >= 0) { /* later files override */
			lx->terms[s->term].value = value;
			lx->terms[s->term].kind = (uint8_t)kind;
			return 0;
		}
	} else {
		/* an existing identical multi-word entry is replaced */
		const sent_slot *h = sent_lex_find(lx, buf, strlen(buf));
		for (int32_t t = h ? h->mwe : -1; t >= 0; t = lx->terms[t].next_mwe) {
			sent_term *tm = &lx->terms[t];
			if (tm->nwords == nw && memcmp(lx->arena + tm->words, buf, len) == 0 &&
			    lx->arena[tm->words + len] == '\0') {
				tm->value = value;
				tm->kind = (uint8_t)kind;
				return 0;
			}
		}
	}
	if (lx->nterms == lx->terms_cap) {
		size_t cap = lx->terms_cap ? lx->terms_cap * 2 : 8192;
		sent_term *t = realloc(lx->terms, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		lx->terms = t;
		lx->terms_cap = cap;
	}
	int64_t off = arena_put(lx, buf, len);
	if (off < 0)
		return -ENOMEM;
	int32_t idx = (int32_t)lx->nterms++;
	sent_term *t = &lx->terms[idx];
	memset(t, 0, sizeof(*t));
	t->value = value;
	t->kind = (uint8_t)kind;
	t->nwords = (uint8_t)nw;
	t->words = (uint32_t)off;
	t->next_mwe = -1;
	sent_slot *s = lex_slot(lx, buf, strlen(buf)); /* first word */
	if (!s)
		return -ENOMEM;
	if (nw == 1) {
		s->term = idx;
		return 0;
	}
	/* keep each chain longest first so the longest match wins */
	int32_t *link = &s->mwe;
	while (*link >= 0 && lx->terms[*link].nwords >= nw)
		link = &lx->terms[*link].next_mwe;
	t->next_mwe = *link;
	*link = idx;
	return 0;
}

/* Split a line at tabs into up to max fields; returns the field count. */
static int
split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

static void
chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int
sent_lex_load(sent_lex *lx, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "sentiment: cannot open lexicon %s: %s", path, strerror(errno));
		return -ENOENT;
	}
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		chomp(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *f[4];
		int nf = split_tabs(line, f, 4);
		if (nf < 2) {
			snprintf(err, errlen, "sentiment: %s:%d: want TERM<TAB>VALUE", path, lineno);
			rc = -EINVAL;
			break;
		}
		char *end;
		double v = strtod(f[1], &end);
		if (end == f[1] || (*end && *end != ' ')) {
			snprintf(err, errlen, "sentiment: %s:%d: bad value '%s'", path, lineno, f[1]);
			rc = -EINVAL;
			break;
		}
		sent_kind kind = SENT_K_WORD;
		if (nf >= 3) {
			for (size_t k = 0; k < sizeof(lex_kinds) / sizeof(lex_kinds[0]); k++)
				if (strcmp(f[2], lex_kinds[k].name) == 0)
					kind = lex_kinds[k].kind;
		}
		if ((rc = add_term(lx, f[0], strlen(f[0]), (float)v, kind)) < 0) {
			snprintf(err, errlen, "sentiment: %s:%d: out of memory", path, lineno);
			break;
		}
	}
	fclose(fp);
	return rc;
}

int
sent_lex_load_abbrev(sent_lex *lx, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "sentiment: cannot open %s: %s", path, strerror(errno));
		return -ENOENT;
	}
	char line[256];
	int rc = 0;
	while (fgets(line, sizeof(line), fp)) {
		chomp(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *f[2];
		int nf = split_tabs(line, f, 2);
		size_t n = strlen(f[0]);
		while (n && f[0][n - 1] == '.') /* stored without the final dot */
			n--;
		for (size_t i = 0; i < n; i++)
			f[0][i] = (char)tolower((unsigned char)f[0][i]);
		if (n == 0)
			continue;
		sent_slot *s = lex_slot(lx, f[0], n);
		if (!s) {
			snprintf(err, errlen, "sentiment: out of memory");
			rc = -ENOMEM;
			break;
		}
		s->abbrev = (nf > 1 && strcmp(f[1], "num") == 0) ? 2 : 1;
	}
	fclose(fp);
	return rc;
}

int
sent_lex_load_actors(sent_lex *lx, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "sentiment: cannot open actor list %s: %s", path, strerror(errno));
		return -ENOENT;
	}
	char line[512];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		chomp(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *f[3];
		if (split_tabs(line, f, 3) < 2) {
			snprintf(err, errlen, "sentiment: %s:%d: want NAME<TAB>ID", path, lineno);
			rc = -EINVAL;
			break;
		}
		char buf[256];
		size_t len;
		/* a final dot is dropped: the tokenizer reads "U.S." as "U.S" */
		size_t n = strlen(f[0]);
		while (n > 1 && f[0][n - 1] == '.')
			n--;
		int nw = norm_words(f[0], n, 0, buf, sizeof(buf), &len);
		if (nw == 0)
			continue;
		if (lx->nactors == lx->actors_cap) {
			size_t cap = lx->actors_cap ? lx->actors_cap * 2 : 256;
			sent_actor *a = realloc(lx->actors, cap * sizeof(*a));
			if (!a) {
				rc = -ENOMEM;
				break;
			}
			lx->actors = a;
			lx->actors_cap = cap;
		}
		int64_t w = arena_put(lx, buf, len);
		int64_t id = arena_put(lx, f[1], strlen(f[1]));
		sent_slot *s = (w < 0 || id < 0) ? NULL : lex_slot(lx, buf, strlen(buf));
		if (!s) {
			rc = -ENOMEM;
			break;
		}
		int32_t idx = (int32_t)lx->nactors++;
		sent_actor *a = &lx->actors[idx];
		a->words = (uint32_t)w;
		a->id = (uint32_t)id;
		a->nwords = (uint8_t)nw;
		int32_t *link = &s->actor;
		while (*link >= 0 && lx->actors[*link].nwords >= nw)
			link = &lx->actors[*link].next;
		a->next = *link;
		*link = idx;
	}
	if (rc == -ENOMEM)
		snprintf(err, errlen, "sentiment: out of memory");
	fclose(fp);
	return rc;
}
