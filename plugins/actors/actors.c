/*
 * actors.c - the "actors" analyzer plugin: political actors with canonical
 * ids (states as ISO alpha-3, organisations and armed groups as acronyms,
 * people as PERSON:<Full Name>), following section 3 of the gold
 * guidelines.
 *
 * One pass over the tokens of a document: at each token the dictionary trie
 * gives the longest surface that starts there (case and hyphen rules are
 * checked on the candidates), then a few context rules decide what to emit:
 *   - capitals and seats of government are actors only when they stand for
 *     the government (not after "in", "took over", in a dateline, ...);
 *   - a state word directly followed by a named body ("U.S. Senate",
 *     "Pakistan army") is one span, "Embassy of India" too;
 *   - demonyms after "ethnic(ally)" are not actors;
 *   - Russia/Moscow/Kremlin in a sentence dated 1922-1991 are the USSR;
 *   - a title word ("President", "spokesman") makes the capitalised name
 *     after it a person, known or not, and gives it a role;
 *   - a person's surname alone later in the document gets the same id.
 * Determiners, possessives and titles are never inside a span because they
 * are separate tokens that no surface includes.
 */
#include <gloss/plugin.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_dict.h"
#include "act_tok.h"

#define ACTORS_EXPORT __attribute__((visibility("default")))

/* Grammar-word sets used by the context rules, as token keys. */
enum {
	WS_LOCATIVE,   /* before a capital: it is a place */
	WS_RELATION,   /* "X to <capital>": the capital is a participant */
	WS_OF_PLACE,   /* "X of <capital>": a place */
	WS_FROM_PLACE, /* "X from <capital>": a place */
	WS_PLACE_AFTER,/* "<capital> X": a place or an event name */
	WS_ETH_PREV,   /* "ethnic Tajik" */
	WS_ETH_NEXT,   /* "Uzbek minority" */
	WS_STOPNAME,   /* capitalised words that are not names after a title */
	WS_PARTICLE,   /* lower-case parts of names: bin, al, ul */
	WS_TITLE_PREP, /* "Ambassador to Afghanistan X" */
	WS_HEADFN,     /* function words that only a title-case heading capitalises */
	WS_MONTH,      /* month names after a dateline's comma */
	WS_N
};

static const char *const actors_words[WS_N] = {
	[WS_LOCATIVE] = "in at near outside inside into around across within throughout via through "
	    "toward towards beyond over entered enter entering enters visited visit visiting visits "
	    "captured capture capturing recaptured recapture seized seize seizing reached reach "
	    "occupied occupy besieged stormed fled flee fleeing left leaving leave arrived arrive "
	    "arriving landed surrounded liberated bombed shelled capital city downtown central "
	    "northern southern eastern western based outskirts streets",
	[WS_RELATION] = "ambassador ambassadors envoy envoys aid assistance message messages letter "
	    "support loyalty allegiance closer close ties links appeal proposal signal warning threat "
	    "threats handed turned sold delivered gave given offered supplied committed loyal hostile "
	    "friendly opposed respond responded reply replied subservient answerable ally allied "
	    "pledged challenge blow boost gift concession concessions request demand demands call "
	    "overture overtures outreach pivot tilt",
	[WS_OF_PLACE] = "fall streets outskirts residents people city capture mayor airport center "
	    "centre heart suburbs parts part siege control fringes edge north south east west "
	    "northern southern eastern western downtown citizens inhabitants capital out",
	[WS_FROM_PLACE] = "fled flee fleeing flew flights flight withdrew withdrawal evacuated "
	    "evacuation returned returning travelled traveled miles km kilometers kilometres road "
	    "highway drive arrived departed reported reporting writes writing reports correspondent "
	    "dispatch away",
	[WS_PLACE_AFTER] = "fell falls fall airport residents resident streets suburbs province "
	    "city attack attacks bombing bombings blast blasts talks summit conference format "
	    "process declaration meeting meetings accord accords agreement deal dialogue round "
	    "university police citizens time station mosque hotel zoo marathon based bureau "
	    "correspondent region valley river",
	[WS_ETH_PREV] = "ethnic ethnically",
	[WS_ETH_NEXT] = "minority minorities speakers speaking descent ethnicity language languages "
	    "dialect tribe tribes",
	[WS_STOPNAME] = "the a an this that these those in on at of for and but or as by with from "
	    "to it he she they we i you his her their our its who what when where why how if after "
	    "before also said says while during under since until about against between among "
	    "monday tuesday wednesday thursday friday saturday sunday january february march april "
	    "may june july august september october november december jan feb mar apr jun jul aug "
	    "sep sept oct nov dec assembly council committee staff affairs office court house "
	    "election elections administration palace secretariat directorate security defense "
	    "defence foreign interior finance minister ministry government army forces party "
	    "republic state province city university mission command commission bank corps "
	    "division brigade agency department general emeritus elect designate here there "
	    "however meanwhile today yesterday tomorrow now then thus so yet not no",
	[WS_PARTICLE] = "bin ibn bint al el ul ud ur de da van von der la le du abu",
	[WS_TITLE_PREP] = "to of for",
	[WS_MONTH] = "january february march april may june july august september october november "
	    "december jan feb mar apr jun jul aug sep sept oct nov dec",
	[WS_HEADFN] = "for with over after to in on of and the at from by as into against amid "
	    "about what how why is are be says",
};

#define ACTORS_MAX_WS 160

typedef struct actors_state {
	act_dict dict;
	uint64_t ws[WS_N][ACTORS_MAX_WS];
	int nws[WS_N];
	uint64_t k_the, k_to, k_of, k_from;
} actors_state;

static const char *const actors_labels[] = { "state", "org", "group", "person", NULL };

/* ------------------------------------------------------------------ config */

static const char *
cfg_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static void
cfg_put_utf8(char *out, size_t *n, size_t cap, unsigned cp)
{
	char b[4];
	size_t k;
	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		k = 4;
	}
	for (size_t i = 0; i < k && *n + 1 < cap; i++)
		out[(*n)++] = b[i];
}

/* Parse a JSON string at p (which points at '"'); returns the char after it or NULL. */
static const char *
cfg_string(const char *p, char *out, size_t cap)
{
	size_t n = 0;
	if (*p != '"')
		return NULL;
	p++;
	while (*p && *p != '"') {
		if (*p == '\\') {
			p++;
			char c = *p;
			if (!c)
				return NULL;
			if (c == 'u') {
				unsigned cp = 0;
				for (int k = 1; k <= 4; k++) {
					char h = p[k];
					cp <<= 4;
					if (h >= '0' && h <= '9')
						cp |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f')
						cp |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F')
						cp |= (unsigned)(h - 'A' + 10);
					else
						return NULL;
				}
				p += 5;
				cfg_put_utf8(out, &n, cap, cp);
				continue;
			}
			char r = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' :
			    c == 'f' ? '\f' : c;
			if (n + 1 < cap)
				out[n++] = r;
			p++;
			continue;
		}
		if (n + 1 < cap)
			out[n++] = *p;
		p++;
	}
	if (*p != '"')
		return NULL;
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
	return p + 1;
}

/* Skip any JSON value; returns the char after it or NULL. */
static const char *
cfg_skip(const char *p)
{
	p = cfg_ws(p);
	if (*p == '"') {
		p++;
		while (*p && *p != '"') {
			if (*p == '\\' && p[1])
				p++;
			p++;
		}
		return *p ? p + 1 : NULL;
	}
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (*p) {
			if (*p == '"') {
				p = cfg_skip(p);
				if (!p)
					return NULL;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if (*p == '}' || *p == ']') {
				if (--depth == 0)
					return p + 1;
			}
			p++;
		}
		return NULL;
	}
	const char *s = p;
	while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\t' &&
	    *p != '\r')
		p++;
	return p > s ? p : NULL;
}

static int
cfg_load_dicts(actors_state *st, const char *json, char *err, size_t errlen)
{
	if (!json)
		return 0;
	const char *p = cfg_ws(json);
	if (*p == '\0')
		return 0;
	if (*p != '{') {
		snprintf(err, errlen, "actors: config must be a JSON object");
		return -EINVAL;
	}
	p = cfg_ws(p + 1);
	char key[64];
	char path[4096];
	while (*p && *p != '}') {
		p = cfg_string(p, key, sizeof(key));
		if (!p)
			goto bad;
		p = cfg_ws(p);
		if (*p != ':')
			goto bad;
		p = cfg_ws(p + 1);
		if (strcmp(key, "dictionary") == 0 || strcmp(key, "dictionaries") == 0) {
			int list = (*p == '[');
			if (list)
				p = cfg_ws(p + 1);
			while (*p == '"') {
				p = cfg_string(p, path, sizeof(path));
				if (!p)
					goto bad;
				int rc = act_dict_load_file(&st->dict, path, err, errlen);
				if (rc)
					return rc;
				p = cfg_ws(p);
				if (!list)
					break;
				if (*p == ',')
					p = cfg_ws(p + 1);
			}
			if (list) {
				if (*p != ']')
					goto bad;
				p++;
			}
		} else {
			p = cfg_skip(p);
			if (!p)
				goto bad;
		}
		p = cfg_ws(p);
		if (*p == ',')
			p = cfg_ws(p + 1);
		else if (*p != '}')
			goto bad;
	}
	if (*p != '}')
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "actors: cannot parse config JSON (want {\"dictionary\": \"path\" or [paths]})");
	return -EINVAL;
}

/* ------------------------------------------------------------------ open/close */

static void
actors_close(void *state)
{
	actors_state *st = state;
	if (!st)
		return;
	act_dict_free(&st->dict);
	free(st);
}

static void
actors_init_words(actors_state *st)
{
	for (int w = 0; w < WS_N; w++) {
		const char *s = actors_words[w];
		char word[64];
		st->nws[w] = 0;
		while (*s) {
			while (*s == ' ')
				s++;
			size_t n = 0;
			while (s[n] && s[n] != ' ')
				n++;
			if (n && n < sizeof(word) && st->nws[w] < ACTORS_MAX_WS) {
				memcpy(word, s, n);
				word[n] = '\0';
				st->ws[w][st->nws[w]++] = act_tok_key_of(word);
			}
			s += n;
		}
	}
	st->k_the = act_tok_key_of("the");
	st->k_to = act_tok_key_of("to");
	st->k_of = act_tok_key_of("of");
	st->k_from = act_tok_key_of("from");
}

static int
actors_open(const char *config_json, const char *data_dir, void **state, char *errbuf,
    size_t errlen)
{
	static const char *const files[] = { "petrarch_people.tsv", "iso3166.tsv", "actors.tsv" };
	actors_state *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(errbuf, errlen, "actors: out of memory");
		return -ENOMEM;
	}
	if (act_dict_init(&st->dict)) {
		free(st);
		snprintf(errbuf, errlen, "actors: out of memory");
		return -ENOMEM;
	}
	actors_init_words(st);
	char path[4096];
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir ? data_dir : ".", files[k]);
		int rc = act_dict_load_file(&st->dict, path, errbuf, errlen);
		if (rc) {
			actors_close(st);
			return rc;
		}
	}
	int rc = cfg_load_dicts(st, config_json, errbuf, errlen);
	if (rc) {
		actors_close(st);
		return rc;
	}
	*state = st;
	return 0;
}

/* ------------------------------------------------------------------ analysis */

#define ACTORS_MAX_REG 64

typedef struct {
	uint64_t key;   /* surname token key */
	char value[160];
	char cameo[24];
	char country[8];
	char role[64];
} actors_reg;

typedef struct {
	const actors_state *st;
	const act_dict *d;
	const char *text;
	size_t len;
	act_tok *tok;
	size_t n, cap;
	gloss_emit_fn emit;
	void *sink;
	int stopped;
	int oom;
	/* title context: a name may start at token title_at */
	int title_valid;
	int title_prep;  /* saw "to/of/for" after the title: a state may follow */
	int title_caps;  /* the title was capitalised (so "Gen. X" may follow a dot) */
	int title_role;  /* some title in the chain names a role (not just "Mr.") */
	size_t title_at;
	uint32_t title_s, title_e; /* bytes of the title text (the role) */
	const char *title_country;
	/* the last state emitted, for "U.S. President X" */
	int have_state;
	size_t state_end;
	const char *state_value;
	int nreg;
	uint64_t regmask;
	actors_reg reg[ACTORS_MAX_REG]; /* last: not cleared per document */
} actors_ctx;

static int
ctx_push(void *vc, const act_tok *t)
{
	actors_ctx *c = vc;
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 256;
		act_tok *q = realloc(c->tok, nc * sizeof(act_tok));
		if (!q) {
			c->oom = 1;
			return 1;
		}
		c->tok = q;
		c->cap = nc;
	}
	c->tok[c->n++] = *t;
	return 0;
}

static int
in_set(const actors_ctx *c, int set, uint64_t key)
{
	const uint64_t *w = c->st->ws[set];
	for (int k = 0; k < c->st->nws[set]; k++)
		if (w[k] == key)
			return 1;
	return 0;
}

static int
reg_find(const actors_ctx *c, uint64_t key)
{
	if (!(c->regmask & (1ULL << (key & 63))))
		return -1;
	for (int k = 0; k < c->nreg; k++)
		if (c->reg[k].key == key)
			return k;
	return -1;
}

static int
reg_has_value(const actors_ctx *c, const char *value)
{
	for (int k = 0; k < c->nreg; k++)
		if (strcmp(c->reg[k].value, value) == 0)
			return 1;
	return 0;
}

static void
copy_str(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void
reg_add(actors_ctx *c, size_t last_tok, const char *value, const char *cameo,
    const char *country, const char *role)
{
	const act_tok *t = &c->tok[last_tok];
	if (!(t->flags & ACT_TF_CAP) || in_set(c, WS_STOPNAME, t->key) ||
	    in_set(c, WS_PARTICLE, t->key))
		return;
	int k = reg_find(c, t->key);
	if (k < 0) {
		if (c->nreg >= ACTORS_MAX_REG)
			return;
		k = c->nreg++;
	}
	actors_reg *r = &c->reg[k];
	r->key = t->key;
	copy_str(r->value, sizeof(r->value), value, strlen(value));
	copy_str(r->cameo, sizeof(r->cameo), cameo, strlen(cameo));
	copy_str(r->country, sizeof(r->country), country, strlen(country));
	copy_str(r->role, sizeof(r->role), role, strlen(role));
	c->regmask |= 1ULL << (t->key & 63);
}

/* Append s as JSON string content. */
static void
json_put(char *out, size_t *n, size_t cap, const char *s)
{
	for (; *s && *n + 7 < cap; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') {
			out[(*n)++] = '\\';
			out[(*n)++] = (char)ch;
		} else if (ch < 0x20) {
			*n += (size_t)snprintf(out + *n, cap - *n, "\\u%04x", ch);
		} else {
			out[(*n)++] = (char)ch;
		}
	}
}

static void
emit_span(actors_ctx *c, uint32_t s, uint32_t e, int type, const char *value, const char *cameo,
    const char *country, const char *role)
{
	if (c->stopped || e <= s)
		return;
	char attrs[512];
	size_t n = 0;
	attrs[n++] = '{';
	int any = 0;
	const char *keys[3] = { "cameo", "country", "role" };
	const char *vals[3] = { cameo, country, role };
	for (int k = 0; k < 3; k++) {
		if (!vals[k] || !vals[k][0] || (k > 0 && type != ACT_T_PERSON))
			continue;
		if (n + 32 >= sizeof(attrs))
			break;
		if (any)
			attrs[n++] = ',';
		attrs[n++] = '"';
		json_put(attrs, &n, sizeof(attrs) - 4, keys[k]);
		attrs[n++] = '"';
		attrs[n++] = ':';
		attrs[n++] = '"';
		json_put(attrs, &n, sizeof(attrs) - 4, vals[k]);
		attrs[n++] = '"';
		any = 1;
	}
	attrs[n++] = '}';
	attrs[n] = '\0';
	gloss_span sp;
	memset(&sp, 0, sizeof(sp));
	sp.start = s;
	sp.end = e;
	sp.label = actors_labels[type];
	sp.value = value;
	sp.attrs_json = attrs;
	if (c->emit(c->sink, &sp))
		c->stopped = 1;
}

static int
sep_joins(uint8_t sep)
{
	return sep == ACT_SEP_SP || sep == ACT_SEP_HY || sep == ACT_SEP_DOT || sep == ACT_SEP_NONE;
}

/* Do the tokens i.. satisfy the case and separator rules of entry e? */
static int
entry_fits(const actors_ctx *c, const act_entry *e, size_t i)
{
	for (int k = 0; k < e->ntok; k++) {
		const act_tok *t = &c->tok[i + (size_t)k];
		int m = (int)((e->modes >> (2 * k)) & 3u);
		switch (m) {
		case ACT_M_CAP:
			if (!(t->flags & (ACT_TF_CAP | ACT_TF_ALLCAPS | ACT_TF_DIGIT)))
				return 0;
			break;
		case ACT_M_ACR:
			if (!(t->flags & (ACT_TF_ALLCAPS | ACT_TF_DOTTED)))
				return 0;
			break;
		case ACT_M_EXACT:
			if (!(t->flags & ACT_TF_ALLCAPS) &&
			    act_tok_exact_hash(c->text, t) != c->d->xhash[e->xoff + (uint32_t)k])
				return 0;
			break;
		default:
			break;
		}
		if (k == 0)
			continue;
		switch (t->sep) {
		case ACT_SEP_SP:
			break;
		case ACT_SEP_HY:
			if (!(e->hymask & (1u << k)))
				return 0;
			break;
		case ACT_SEP_DOT:
			if (c->tok[i + (size_t)k - 1].nlet > 3 ||
			    !(c->tok[i + (size_t)k - 1].flags & ACT_TF_CAP))
				return 0;
			break;
		case ACT_SEP_NONE:
			if (!(t->flags & ACT_TF_POSS))
				return 0;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

#define CM_MAIN ((1u << ACT_T_STATE) | (1u << ACT_T_ORG) | (1u << ACT_T_GROUP) | \
    (1u << ACT_T_PERSON) | (1u << ACT_T_NONE))
#define CM_TITLE (1u << ACT_T_TITLE)
#define CM_BODY (1u << ACT_T_BODY)
#define CM_BODYOF (1u << ACT_T_BODYOF)

/* Longest dictionary entry of the classes in mask starting at token i. */
static const act_entry *
match_at(const actors_ctx *c, size_t i, unsigned mask, size_t *end)
{
	const act_dict *d = c->d;
	if (i >= c->n || !act_dict_first_maybe(d, c->tok[i].key))
		return NULL;
	const act_entry *best = NULL;
	uint32_t node = 0;
	for (size_t j = i; j < c->n && j - i < ACT_MAX_TOK; j++) {
		if (j > i && !sep_joins(c->tok[j].sep))
			break;
		int32_t ch = act_dict_child(d, node, c->tok[j].key);
		if (ch < 0)
			break;
		node = (uint32_t)ch;
		const act_entry *pick = NULL;
		for (int32_t k = d->node_entry[node]; k >= 0; k = d->ent[k].next) {
			const act_entry *e = &d->ent[k];
			if (!(mask & (1u << e->type)) || !entry_fits(c, e, i))
				continue;
			if (e->flags & ACT_F_SURNAME) {
				int after_title = c->title_valid && c->title_at == i + e->nctx;
				if (!after_title && !reg_has_value(c, act_dict_str(d, e->value)))
					continue;
			}
			/* an actor beats a title on the same surface */
			if (!pick || (pick->type == ACT_T_TITLE && e->type != ACT_T_TITLE))
				pick = e;
		}
		if (pick) {
			best = pick;
			*end = j;
		}
	}
	return best;
}

static int
line_start(const actors_ctx *c, size_t i)
{
	size_t p = c->tok[i].start;
	while (p > 0) {
		char ch = c->text[p - 1];
		if (ch == '\n')
			return 1;
		if (ch != ' ' && ch != '\t' && ch != '\r')
			return 0;
		p--;
	}
	return 1;
}

/*
 * Title-case heading lines ("Chinese President Calls For Talks") make poor
 * name evidence: a line is a heading when most of its longer words are
 * capitalised and a small function word is capitalised inside it too.
 */
static int
heading_line(const actors_ctx *c, size_t i)
{
	/* a heading is a short line: give up past 24 tokens either way */
	size_t a = i, b = i;
	while (a > 0 && c->tok[a].sep != ACT_SEP_NL && c->tok[a].sep != ACT_SEP_START &&
	    !(c->tok[a].sep == ACT_SEP_PUNCT && memchr(c->text + c->tok[a - 1].end, '\n',
	    c->tok[a].start - c->tok[a - 1].end))) {
		if (i - a > 24)
			return 0;
		a--;
	}
	while (b + 1 < c->n && c->tok[b + 1].sep != ACT_SEP_NL &&
	    !(c->tok[b + 1].sep == ACT_SEP_PUNCT && memchr(c->text + c->tok[b].end, '\n',
	    c->tok[b + 1].start - c->tok[b].end))) {
		if (b - i > 24)
			return 0;
		b++;
	}
	int words = 0, caps = 0, allcaps = 0, capfn = 0;
	for (size_t k = a; k <= b; k++) {
		const act_tok *t = &c->tok[k];
		if (k > a && (t->flags & ACT_TF_CAP) && t->sep == ACT_SEP_SP &&
		    in_set(c, WS_HEADFN, t->key))
			capfn = 1;
		if (t->nlet < 4)
			continue;
		words++;
		if (t->flags & (ACT_TF_CAP | ACT_TF_ALLCAPS))
			caps++;
		if (t->flags & ACT_TF_ALLCAPS)
			allcaps++;
	}
	if (words >= 3 && allcaps * 4 >= words * 3)
		return 1;
	return capfn && words >= 3 && caps * 5 >= words * 3;
}

static int
prev_joined(const actors_ctx *c, size_t i)
{
	return i > 0 && (c->tok[i].sep == ACT_SEP_SP || c->tok[i].sep == ACT_SEP_NL);
}

/* Is the capital or seat at tokens i..end a place rather than the government? */
static int
capital_is_place(const actors_ctx *c, size_t i, size_t end)
{
	const act_tok *T = c->tok;
	size_t nx = end + 1;
	if (nx < c->n) {
		const act_tok *t = &T[nx];
		/* dateline: "KABUL:", "New Delhi:", "KABUL, Aug 15 (Reuters) -", "DOHA (AP) —";
		 * but not a paragraph that opens "Beijing, however, ..." */
		if (line_start(c, i) && (t->sepch == ':' || t->sepch == '(' || t->sepch == '-' ||
		    (t->sepch == ',' && ((T[i].flags & ACT_TF_ALLCAPS) || (t->flags & ACT_TF_DIGIT) ||
		    in_set(c, WS_MONTH, t->key)))))
			return 1;
		if (t->sep == ACT_SEP_SP && (t->flags & ACT_TF_CAP) && !(T[i].flags & ACT_TF_ALLCAPS) &&
		    !in_set(c, WS_STOPNAME, t->key))
			return 1; /* part of a longer name: "Kabul University", "Moscow Format" */
		if ((t->sep == ACT_SEP_SP || t->sep == ACT_SEP_HY) && in_set(c, WS_PLACE_AFTER, t->key))
			return 1;
		if (t->sep == ACT_SEP_PUNCT && t->sepch == ',') {
			size_t e2;
			const act_entry *e = match_at(c, nx, CM_MAIN, &e2);
			if (e && e->type == ACT_T_STATE && !(e->flags & (ACT_F_CAPITAL | ACT_F_SEAT |
			    ACT_F_DEMONYM)))
				return 1; /* "Doha, Qatar" */
		}
	} else if (line_start(c, i)) {
		return 0;
	}
	size_t p = i;
	if (!prev_joined(c, p))
		return 0;
	p--;
	if (T[p].key == c->st->k_the) {
		if (!prev_joined(c, p))
			return 0;
		p--;
	}
	uint64_t pw = T[p].key;
	if (!(T[p].flags & (ACT_TF_LOWER | ACT_TF_CAP)))
		return 0;
	if (in_set(c, WS_LOCATIVE, pw))
		return 1;
	int has2 = prev_joined(c, p);
	uint64_t p2 = has2 ? T[p - 1].key : 0;
	if (pw == c->st->k_to)
		return !(has2 && in_set(c, WS_RELATION, p2));
	if (pw == c->st->k_of)
		return has2 && in_set(c, WS_OF_PLACE, p2);
	if (pw == c->st->k_from)
		return has2 && in_set(c, WS_FROM_PLACE, p2);
	return 0;
}

/*
 * Does the sentence around byte offset pos date itself to the Soviet era
 * only (a year 1922-1991 near the mention, no later year)?
 */
static int
soviet_era(const actors_ctx *c, size_t pos)
{
	const char *t = c->text;
	size_t a = pos, b = pos;
	while (a > 0) {
		char ch = t[a - 1];
		if (ch == '\n' || ((ch == '.' || ch == '!' || ch == '?') && a < c->len &&
		    (t[a] == ' ' || t[a] == '\n')))
			break;
		a--;
	}
	while (b < c->len) {
		char ch = t[b];
		if (ch == '\n' || ((ch == '.' || ch == '!' || ch == '?') &&
		    (b + 1 >= c->len || t[b + 1] == ' ' || t[b + 1] == '\n')))
			break;
		b++;
	}
	int old = 0, modern = 0;
	for (size_t k = a; k + 4 <= b; k++) {
		if (t[k] < '0' || t[k] > '9' || (k > a && t[k - 1] >= '0' && t[k - 1] <= '9'))
			continue;
		if (t[k + 1] < '0' || t[k + 1] > '9' || t[k + 2] < '0' || t[k + 2] > '9' ||
		    t[k + 3] < '0' || t[k + 3] > '9')
			continue;
		if (k + 4 < b && t[k + 4] >= '0' && t[k + 4] <= '9')
			continue;
		int y = (t[k] - '0') * 1000 + (t[k + 1] - '0') * 100 + (t[k + 2] - '0') * 10 +
		    (t[k + 3] - '0');
		/* the date must be near the mention: "the 1979 invasion", "Moscow ... in 1989" */
		size_t dist = k > pos ? k - pos : pos - k;
		if (y >= 1922 && y <= 1991 && dist <= 80)
			old = 1;
		else if (y >= 1992 && y <= 2100)
			modern = 1;
	}
	return old && !modern;
}

static int
demonym_is_ethnic(const actors_ctx *c, size_t i, size_t end)
{
	const act_tok *T = c->tok;
	if (i > 0 && (T[i].sep == ACT_SEP_SP || T[i].sep == ACT_SEP_HY) &&
	    in_set(c, WS_ETH_PREV, T[i - 1].key))
		return 1;
	if (end + 1 < c->n && (T[end + 1].sep == ACT_SEP_SP || T[end + 1].sep == ACT_SEP_HY) &&
	    in_set(c, WS_ETH_NEXT, T[end + 1].key))
		return 1;
	return 0;
}

/* CAMEO code of a state span: the entry's code, or country + body agent code. */
static void
state_cameo(char *out, size_t cap, const char *cameo, const char *value, const char *agent)
{
	const char *base = (cameo && cameo[0]) ? cameo : value;
	if (!agent || !agent[0]) {
		snprintf(out, cap, "%s", base);
		return;
	}
	size_t bl = strlen(base);
	if (bl > 3)
		bl = 3;
	snprintf(out, cap, "%.*s%s", (int)bl, base, agent);
}

static void
note_state(actors_ctx *c, size_t end, const char *value)
{
	c->have_state = 1;
	c->state_end = end;
	c->state_value = value;
}

/* Emit an actor entry found at tokens i..end; returns the next token index. */
static size_t
handle_actor(actors_ctx *c, const act_entry *e, size_t i, size_t end)
{
	const act_dict *d = c->d;
	const act_tok *T = c->tok;
	size_t s = i + e->nctx;
	const char *value = act_dict_str(d, e->value);
	const char *cameo = act_dict_str(d, e->cameo);
	int after_title_prep = c->title_valid && c->title_prep &&
	    (c->title_at == s || (c->title_at + 1 == s && T[c->title_at].key == c->st->k_the));
	int at_title = c->title_valid && c->title_at == s;

	if (e->type == ACT_T_NONE)
		return end + 1;
	if ((e->flags & (ACT_F_CAPITAL | ACT_F_SEAT)) && capital_is_place(c, s, end))
		return end + 1;
	if ((e->flags & ACT_F_DEMONYM) && demonym_is_ethnic(c, s, end))
		return end + 1;

	if (e->type == ACT_T_PERSON) {
		char role[64];
		const char *r = act_dict_str(d, e->role);
		if (at_title && c->title_role) {
			copy_str(role, sizeof(role), c->text + c->title_s, c->title_e - c->title_s);
			r = role;
		}
		const char *country = act_dict_str(d, e->country);
		if (!country[0] && at_title && c->title_country)
			country = c->title_country;
		emit_span(c, T[s].start, T[end].end, ACT_T_PERSON, value, cameo, country, r);
		reg_add(c, end, value, cameo, country, r);
		c->title_valid = 0;
		return end + 1;
	}

	char cam[32];
	uint32_t se = T[end].end;
	size_t next = end + 1;
	if (e->type == ACT_T_STATE) {
		char era_cameo[24];
		if ((e->flags & ACT_F_ERA) && strcmp(value, "RUS") == 0 && soviet_era(c, T[s].start)) {
			value = "SUN";
			snprintf(era_cameo, sizeof(era_cameo), "SUN%s", strlen(cameo) > 3 ? cameo + 3 : "");
			cameo = era_cameo;
		}
		state_cameo(cam, sizeof(cam), cameo, value, NULL);
		if (!(e->flags & (ACT_F_CAPITAL | ACT_F_SEAT)) && next < c->n &&
		    c->tok[next].sep == ACT_SEP_SP) {
			size_t be;
			const act_entry *b = match_at(c, next, CM_BODY, &be);
			if (b) {
				state_cameo(cam, sizeof(cam), cameo, value, act_dict_str(d, b->value));
				se = T[be].end;
				next = be + 1;
			}
		}
		emit_span(c, T[s].start, se, ACT_T_STATE, value, cam, NULL, NULL);
		note_state(c, next - 1, value);
	} else {
		emit_span(c, T[s].start, se, e->type, value, cameo, NULL, NULL);
	}
	if (after_title_prep) {
		c->title_at = next;
		c->title_prep = 0;
	}
	return next;
}

/* "Embassy of India": bodyof entry at i..end; returns next index or 0 if no state follows. */
static size_t
handle_bodyof(actors_ctx *c, const act_entry *b, size_t i, size_t end)
{
	size_t j = end + 1;
	if (j < c->n && c->tok[j].key == c->st->k_the && c->tok[j].sep == ACT_SEP_SP)
		j++;
	if (j >= c->n || c->tok[j].sep != ACT_SEP_SP)
		return 0;
	size_t se;
	const act_entry *e = match_at(c, j, CM_MAIN, &se);
	if (!e || e->type != ACT_T_STATE || e->nctx || (e->flags & (ACT_F_CAPITAL | ACT_F_SEAT |
	    ACT_F_DEMONYM)))
		return 0;
	char cam[32];
	state_cameo(cam, sizeof(cam), act_dict_str(c->d, e->cameo), act_dict_str(c->d, e->value),
	    act_dict_str(c->d, b->value));
	emit_span(c, c->tok[i].start, c->tok[se].end, ACT_T_STATE, act_dict_str(c->d, e->value), cam,
	    NULL, NULL);
	note_state(c, se, act_dict_str(c->d, e->value));
	return se + 1;
}

static void
handle_title(actors_ctx *c, const act_entry *e, size_t i, size_t end)
{
	const act_tok *T = c->tok;
	if (!(c->title_valid && c->title_at == i)) {
		c->title_s = T[i].start;
		c->title_caps = (T[i].flags & (ACT_TF_CAP | ACT_TF_ALLCAPS)) != 0;
		c->title_country = NULL;
		c->title_role = 0;
		if (c->have_state && c->state_end < i && i - c->state_end <= 3) {
			int ok = 1;
			for (size_t k = c->state_end + 1; k <= i; k++) {
				if (T[k].sep != ACT_SEP_SP ||
				    (k < i && !(T[k].flags & ACT_TF_LOWER)))
					ok = 0;
			}
			if (ok)
				c->title_country = c->state_value;
		}
	}
	if (e->value && act_dict_str(c->d, e->value)[0])
		c->title_role = 1;
	c->title_e = T[end].end;
	c->title_valid = 1;
	c->title_prep = 0;
	c->title_at = end + 1;
}

/* An unknown capitalised name right after a title: PERSON:<as written>. */
static size_t
handle_title_name(actors_ctx *c, size_t i)
{
	const act_tok *T = c->tok;
	uint8_t sep = T[i].sep;
	if (!(sep == ACT_SEP_SP || (sep == ACT_SEP_DOT && c->title_caps)))
		return 0;
	size_t last = (size_t)-1;
	size_t j = i;
	if (heading_line(c, i))
		return 0;
	while (j < c->n && j - i < 5) {
		const act_tok *t = &T[j];
		if (j > i && !(t->sep == ACT_SEP_SP || t->sep == ACT_SEP_HY ||
		    (t->sep == ACT_SEP_DOT && T[j - 1].nlet == 1)))
			break;
		if ((t->flags & ACT_TF_CAP) && !((t->flags & ACT_TF_ALLCAPS) && t->nlet > 1) &&
		    !in_set(c, WS_STOPNAME, t->key)) {
			if (j > i) {
				size_t e2;
				const act_entry *e = match_at(c, j, CM_MAIN | CM_TITLE, &e2);
				if (e && e->type != ACT_T_PERSON)
					break;
			}
			last = j;
			j++;
			continue;
		}
		if ((t->flags & ACT_TF_LOWER) && in_set(c, WS_PARTICLE, t->key) && j + 1 < c->n &&
		    (T[j + 1].flags & ACT_TF_CAP)) {
			j++;
			continue;
		}
		break;
	}
	if (last == (size_t)-1)
		return 0;
	char value[200];
	size_t nl = T[last].end - T[i].start;
	int n = snprintf(value, sizeof(value), "PERSON:%.*s", (int)(nl > 180 ? 180 : nl),
	    c->text + T[i].start);
	if (n <= 0)
		return 0;
	char role[64] = "";
	if (c->title_role)
		copy_str(role, sizeof(role), c->text + c->title_s, c->title_e - c->title_s);
	const char *country = c->title_country ? c->title_country : "";
	emit_span(c, T[i].start, T[last].end, ACT_T_PERSON, value, "", country, role);
	reg_add(c, last, value, "", country, role);
	c->title_valid = 0;
	return last + 1;
}

/* A surname already seen in this document. */
static size_t
handle_surname(actors_ctx *c, size_t i)
{
	int k = reg_find(c, c->tok[i].key);
	if (k < 0)
		return 0;
	const act_tok *T = c->tok;
	uint32_t s = T[i].start;
	if (i > 0 && (T[i].sep == ACT_SEP_SP || T[i].sep == ACT_SEP_HY) &&
	    (T[i - 1].flags & ACT_TF_LOWER) && in_set(c, WS_PARTICLE, T[i - 1].key))
		s = T[i - 1].start; /* "bin Laden" */
	const actors_reg *r = &c->reg[k];
	char role[64];
	const char *rr = r->role;
	if (c->title_valid && c->title_at == i && c->title_role) {
		copy_str(role, sizeof(role), c->text + c->title_s, c->title_e - c->title_s);
		rr = role;
	}
	emit_span(c, s, T[i].end, ACT_T_PERSON, r->value, r->cameo, r->country, rr);
	c->title_valid = 0;
	return i + 1;
}

static void
actors_scan(actors_ctx *c)
{
	size_t i = 0;
	while (i < c->n && !c->stopped) {
		const act_tok *t = &c->tok[i];
		if (t->flags & ACT_TF_POSS) {
			i++;
			continue;
		}
		size_t end;
		const act_entry *e = match_at(c, i, CM_MAIN | CM_TITLE | CM_BODYOF, &end);
		if (e) {
			if (e->type == ACT_T_TITLE) {
				handle_title(c, e, i, end);
				i = end + 1;
				continue;
			}
			if (e->type == ACT_T_BODYOF) {
				size_t nx = handle_bodyof(c, e, i, end);
				i = nx ? nx : i + 1;
				continue;
			}
			i = handle_actor(c, e, i, end);
			continue;
		}
		if (t->flags & ACT_TF_CAP) {
			size_t nx = handle_surname(c, i);
			if (!nx && c->title_valid && c->title_at == i)
				nx = handle_title_name(c, i);
			if (nx) {
				i = nx;
				continue;
			}
		} else if (c->title_valid && c->title_at == i && t->sep == ACT_SEP_SP) {
			if (in_set(c, WS_TITLE_PREP, t->key)) {
				c->title_prep = 1;
				c->title_at = i + 1;
			} else if (c->title_prep && t->key == c->st->k_the) {
				c->title_at = i + 1;
			}
		}
		i++;
	}
}

static int
actors_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink, char *errbuf,
    size_t errlen)
{
	const actors_state *st = state;
	if (doc->len > UINT32_MAX) {
		snprintf(errbuf, errlen, "actors: document too large");
		return -EFBIG;
	}
	/* the context lives on the stack; only the surname table's count is reset */
	actors_ctx c;
	memset(&c, 0, offsetof(actors_ctx, reg));
	c.nreg = 0;
	c.regmask = 0;
	c.title_valid = c.title_prep = c.title_caps = c.title_role = 0;
	c.title_country = NULL;
	c.have_state = 0;
	c.state_value = NULL;
	c.st = st;
	c.d = &st->dict;
	c.text = doc->text;
	c.len = doc->len;
	c.emit = emit;
	c.sink = sink;
	/* about one token per 5 bytes of news text: size once, grow if needed */
	c.cap = doc->len / 4 + 16;
	c.tok = malloc(c.cap * sizeof(act_tok));
	if (!c.tok) {
		snprintf(errbuf, errlen, "actors: out of memory");
		return -ENOMEM;
	}
	act_tok_scan(doc->text, doc->len, ctx_push, &c);
	int rc = 0;
	if (c.oom) {
		snprintf(errbuf, errlen, "actors: out of memory");
		rc = -ENOMEM;
	} else {
		actors_scan(&c);
	}
	free(c.tok);
	return rc;
}

static const gloss_plugin actors_plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "actors",
	.version = "1.0.0",
	.layer = "actor",
	.labels = actors_labels,
	.description = "Political actors (states, organisations, armed groups, people) with canonical ids",
	.open = actors_open,
	.analyze = actors_analyze,
	.close = actors_close,
};

ACTORS_EXPORT const gloss_plugin *
gloss_plugin_v1(void)
{
	return &actors_plugin;
}
