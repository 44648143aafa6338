/*
 * act_dict.c - loading the actors dictionary into a token trie (act_dict.h).
 */
#include "act_dict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
dict_mix(uint32_t parent, uint64_t key)
{
	uint64_t h = key ^ ((uint64_t)parent * 0x9E3779B97F4A7C15ULL);
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 29;
	return h;
}

static int
dict_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static uint32_t
dict_str(act_dict *d, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '-'))
		return 0;
	if (dict_grow((void **)&d->pool, &d->pool_cap, d->pool_len + n + 1, 1))
		return 0;
	uint32_t off = (uint32_t)d->pool_len;
	memcpy(d->pool + off, s, n);
	d->pool[off + n] = '\0';
	d->pool_len += n + 1;
	return off;
}

static int
dict_new_node(act_dict *d)
{
	if (dict_grow((void **)&d->node_entry, &d->node_cap, d->nnodes + 1, sizeof(int32_t)))
		return -ENOMEM;
	d->node_entry[d->nnodes] = -1;
	return (int)d->nnodes++;
}

int
act_dict_init(act_dict *d)
{
	memset(d, 0, sizeof(*d));
	d->ecap = 1024;
	d->edges = calloc(d->ecap, sizeof(act_edge));
	if (!d->edges)
		return -ENOMEM;
	if (dict_grow((void **)&d->pool, &d->pool_cap, 1, 1))
		return -ENOMEM;
	d->pool[0] = '\0'; /* offset 0 is the empty string */
	d->pool_len = 1;
	if (dict_new_node(d) < 0)
		return -ENOMEM;
	return 0;
}

void
act_dict_free(act_dict *d)
{
	free(d->edges);
	free(d->node_entry);
	free(d->ent);
	free(d->xhash);
	free(d->pool);
	memset(d, 0, sizeof(*d));
}

int32_t
act_dict_child(const act_dict *d, uint32_t node, uint64_t key)
{
	size_t mask = d->ecap - 1;
	size_t i = (size_t)dict_mix(node, key) & mask;
	for (;;) {
		const act_edge *e = &d->edges[i];
		if (e->child == 0)
			return -1;
		if (e->key == key && e->parent == node)
			return (int32_t)e->child;
		i = (i + 1) & mask;
	}
}

static int
dict_rehash(act_dict *d)
{
	size_t ncap = d->ecap * 2;
	act_edge *ne = calloc(ncap, sizeof(act_edge));
	if (!ne)
		return -ENOMEM;
	for (size_t k = 0; k < d->ecap; k++) {
		act_edge *e = &d->edges[k];
		if (!e->child)
			continue;
		size_t i = (size_t)dict_mix(e->parent, e->key) & (ncap - 1);
		while (ne[i].child)
			i = (i + 1) & (ncap - 1);
		ne[i] = *e;
	}
	free(d->edges);
	d->edges = ne;
	d->ecap = ncap;
	return 0;
}

/* Child of node for key, created when missing; negative on error. */
static int64_t
dict_child_add(act_dict *d, uint32_t node, uint64_t key)
{
	int32_t c = act_dict_child(d, node, key);
	if (c >= 0)
		return c;
	if ((d->ecount + 1) * 2 > d->ecap && dict_rehash(d))
		return -ENOMEM;
	int nn = dict_new_node(d);
	if (nn < 0)
		return nn;
	size_t i = (size_t)dict_mix(node, key) & (d->ecap - 1);
	while (d->edges[i].child)
		i = (i + 1) & (d->ecap - 1);
	d->edges[i].key = key;
	d->edges[i].parent = node;
	d->edges[i].child = (uint32_t)nn;
	d->ecount++;
	if (node == 0) {
		uint32_t b = (uint32_t)(key >> 17) & 0xFFFFu;
		d->bloom[b >> 6] |= 1ULL << (b & 63);
	}
	return nn;
}

static int
dict_class(int type)
{
	switch (type) {
	case ACT_T_TITLE:
		return 1;
	case ACT_T_BODY:
		return 2;
	case ACT_T_BODYOF:
		return 3;
	default:
		return 0;
	}
}

typedef struct {
	act_tok tok[ACT_MAX_TOK + 1];
	int n;
} dict_toks;

static int
dict_collect(void *ctx, const act_tok *t)
{
	dict_toks *dt = ctx;
	if (dt->n > ACT_MAX_TOK)
		return 1;
	dt->tok[dt->n++] = *t;
	return 0;
}

/* How the dictionary spelling of a word constrains the text's spelling. */
static int
dict_mode(const char *s, const act_tok *t)
{
	int upper = 0, lower = 0, first_upper = 0, later_upper = 0;
	for (uint32_t i = t->start; i < t->end; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z') {
			upper++;
			if (i == t->start)
				first_upper = 1;
			else
				later_upper = 1;
		} else if (c >= 'a' && c <= 'z') {
			lower++;
		}
	}
	if (t->flags & ACT_TF_POSS)
		return ACT_M_ANY;
	if (upper >= 2 && !lower)
		return ACT_M_ACR;
	if (first_upper && later_upper && lower)
		return ACT_M_EXACT;
	if (first_upper || ((unsigned char)s[t->start] >= 0xC0))
		return ACT_M_CAP;
	return ACT_M_ANY;
}

typedef struct {
	int type;
	uint8_t flags;
	uint32_t value, cameo, country, role;
} dict_fields;

static int
dict_add_surface(act_dict *d, const char *surf, size_t n, const dict_fields *f)
{
	char buf[512];
	size_t bl = 0;
	size_t ctx_len = 0;
	/* "[Mullah] Omar": bracketed leading words are context, outside the span */
	size_t i = 0;
	while (i < n && surf[i] == ' ')
		i++;
	if (i < n && surf[i] == '[') {
		size_t j = i + 1;
		while (j < n && surf[j] != ']')
			j++;
		if (j >= n || j - i - 1 >= sizeof(buf) - 2)
			return -EINVAL;
		memcpy(buf, surf + i + 1, j - i - 1);
		bl = j - i - 1;
		buf[bl++] = ' ';
		ctx_len = bl;
		i = j + 1;
	}
	if (n - i + bl >= sizeof(buf))
		return -EINVAL;
	memcpy(buf + bl, surf + i, n - i);
	bl += n - i;
	buf[bl] = '\0';

	dict_toks dt;
	dt.n = 0;
	if (act_tok_scan(buf, bl, dict_collect, &dt) || dt.n == 0 || dt.n > ACT_MAX_TOK)
		return -EINVAL;
	int nctx = 0;
	if (ctx_len) {
		/* the tokens that lie inside the bracketed prefix */
		for (int k = 0; k < dt.n; k++)
			if (dt.tok[k].start < ctx_len)
				nctx++;
		if (nctx >= dt.n)
			return -EINVAL;
	}
	uint32_t node = 0;
	uint32_t modes = 0;
	uint16_t hymask = 0;
	int need_exact = 0;
	for (int k = 0; k < dt.n; k++) {
		int64_t c = dict_child_add(d, node, dt.tok[k].key);
		if (c < 0)
			return (int)c;
		node = (uint32_t)c;
		int m = dict_mode(buf, &dt.tok[k]);
		if (m == ACT_M_EXACT)
			need_exact = 1;
		modes |= (uint32_t)m << (2 * k);
		if (k > 0 && dt.tok[k].sep == ACT_SEP_HY)
			hymask |= (uint16_t)(1u << k);
	}
	uint32_t xoff = UINT32_MAX;
	if (need_exact) {
		if (dict_grow((void **)&d->xhash, &d->xcap, d->nx + (size_t)dt.n, sizeof(uint64_t)))
			return -ENOMEM;
		xoff = (uint32_t)d->nx;
		for (int k = 0; k < dt.n; k++)
			d->xhash[d->nx++] = act_tok_exact_hash(buf, &dt.tok[k]);
	}
	/* a later file overrides an entry of the same class on the same surface */
	int32_t slot = -1;
	for (int32_t e = d->node_entry[node]; e >= 0; e = d->ent[e].next)
		if (dict_class(d->ent[e].type) == dict_class(f->type)) {
			slot = e;
			break;
		}
	if (slot >= 0 && d->ent[slot].type == f->type && d->ent[slot].value == f->value &&
	    f->value && d->ent[slot].nctx == nctx) {
		/*
		 * Spellings of one entry that share the keys ("al-Qaeda", "al Qaeda";
		 * "bin Laden", "Bin Laden"): accept each one's hyphens and the looser
		 * case of the two, word by word.
		 */
		act_entry *o = &d->ent[slot];
		o->hymask |= hymask;
		for (int k = 0; k < dt.n; k++) {
			uint32_t a = (o->modes >> (2 * k)) & 3u, b = (modes >> (2 * k)) & 3u;
			if (a != b)
				o->modes &= ~(3u << (2 * k)); /* ACT_M_ANY */
		}
		return 0;
	}
	if (slot < 0) {
		if (dict_grow((void **)&d->ent, &d->ent_cap, d->nent + 1, sizeof(act_entry)))
			return -ENOMEM;
		slot = (int32_t)d->nent++;
		d->ent[slot].next = d->node_entry[node];
		d->node_entry[node] = slot;
	}
	act_entry *e = &d->ent[slot];
	e->value = f->value;
	e->cameo = f->cameo;
	e->country = f->country;
	e->role = f->role;
	e->type = (uint8_t)f->type;
	e->flags = f->flags;
	e->ntok = (uint8_t)dt.n;
	e->nctx = (uint8_t)nctx;
	e->modes = modes;
	e->hymask = hymask;
	e->xoff = xoff;
	return 0;
}

static int
dict_type(const char *s, size_t n)
{
	static const char *const names[] = { "state", "org", "group", "person", "none",
		"title", "body", "bodyof" };
	for (int k = 0; k < 8; k++)
		if (strlen(names[k]) == n && memcmp(names[k], s, n) == 0)
			return k;
	return -1;
}

static uint8_t
dict_flags(const char *s, size_t n)
{
	uint8_t f = 0;
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		size_t l = j - i;
		if (l == 7 && !memcmp(s + i, "capital", 7))
			f |= ACT_F_CAPITAL;
		else if (l == 4 && !memcmp(s + i, "seat", 4))
			f |= ACT_F_SEAT;
		else if (l == 7 && !memcmp(s + i, "demonym", 7))
			f |= ACT_F_DEMONYM;
		else if (l == 3 && !memcmp(s + i, "era", 3))
			f |= ACT_F_ERA;
		else if (l == 7 && !memcmp(s + i, "surname", 7))
			f |= ACT_F_SURNAME;
		i = j + 1;
	}
	return f;
}

int
act_dict_load_text(act_dict *d, const char *name, const char *text, size_t len,
    char *err, size_t errlen)
{
	size_t pos = 0;
	int lineno = 0;
	while (pos < len) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		size_t le = e;
		if (le > pos && text[le - 1] == '\r')
			le--;
		lineno++;
		const char *line = text + pos;
		size_t ll = le - pos;
		pos = e + 1;
		if (ll == 0 || line[0] == '#')
			continue;
		const char *fs[7];
		size_t fl[7];
		int nf = 0;
		size_t a = 0;
		for (size_t k = 0; k <= ll && nf < 7; k++) {
			if (k == ll || line[k] == '\t') {
				fs[nf] = line + a;
				fl[nf] = k - a;
				nf++;
				a = k + 1;
			}
		}
		if (nf < 2) {
			int blank = 1;
			for (size_t k = 0; k < ll; k++)
				if (line[k] != ' ' && line[k] != '\t')
					blank = 0;
			if (blank)
				continue;
			snprintf(err, errlen, "%s:%d: expected at least 2 tab-separated fields", name, lineno);
			return -EINVAL;
		}
		dict_fields f;
		f.type = dict_type(fs[1], fl[1]);
		if (f.type < 0) {
			snprintf(err, errlen, "%s:%d: unknown type '%.*s'", name, lineno, (int)fl[1], fs[1]);
			return -EINVAL;
		}
		f.value = nf > 2 ? dict_str(d, fs[2], fl[2]) : 0;
		f.flags = nf > 3 ? dict_flags(fs[3], fl[3]) : 0;
		f.cameo = nf > 4 ? dict_str(d, fs[4], fl[4]) : 0;
		f.country = nf > 5 ? dict_str(d, fs[5], fl[5]) : 0;
		f.role = nf > 6 ? dict_str(d, fs[6], fl[6]) : 0;
		if (f.type <= ACT_T_PERSON && f.value == 0) {
			snprintf(err, errlen, "%s:%d: an actor needs a value", name, lineno);
			return -EINVAL;
		}
		size_t s = 0;
		for (size_t k = 0; k <= fl[0]; k++) {
			if (k == fl[0] || fs[0][k] == '|') {
				if (k > s) {
					int rc = dict_add_surface(d, fs[0] + s, k - s, &f);
					if (rc == -ENOMEM) {
						snprintf(err, errlen, "%s:%d: out of memory", name, lineno);
						return rc;
					}
					if (rc) {
						snprintf(err, errlen, "%s:%d: bad surface '%.*s'", name, lineno,
						    (int)(k - s), fs[0] + s);
						return rc;
					}
				}
				s = k + 1;
			}
		}
	}
	return 0;
}

int
act_dict_load_file(act_dict *d, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errlen, "cannot open dictionary %s: %s", path, strerror(errno));
		return -ENOENT;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (dict_grow((void **)&buf, &cap, len + 65536, 1)) {
			free(buf);
			fclose(fp);
			snprintf(err, errlen, "out of memory reading %s", path);
			return -ENOMEM;
		}
		size_t r = fread(buf + len, 1, cap - len, fp);
		len += r;
		if (r == 0)
			break;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		free(buf);
		snprintf(err, errlen, "read error on %s", path);
		return -EIO;
	}
	int rc = act_dict_load_text(d, path, buf, len, err, errlen);
	free(buf);
	return rc;
}
