/*
 * sent_config.c - a small JSON reader for the plugin's flat configuration
 * object: numbers, strings, booleans, and lists of strings.  Unknown keys
 * are an error, so that a typo in a weight name does not pass silently.
 */
#include "sent_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *p, *e;
} jcur;

static void
jws(jcur *c)
{
	while (c->p < c->e && isspace((unsigned char)*c->p))
		c->p++;
}

/* Parse a JSON string into a malloc'ed buffer (escapes \" \\ \/ \n \t and
 * \uXXXX for ASCII only, which is all paths and keys need). */
static char *
jstring(jcur *c)
{
	jws(c);
	if (c->p >= c->e || *c->p != '"')
		return NULL;
	c->p++;
	size_t cap = 64, n = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	while (c->p < c->e && *c->p != '"') {
		char ch = *c->p++;
		if (ch == '\\' && c->p < c->e) {
			char esc = *c->p++;
			switch (esc) {
			case 'n': ch = '\n'; break;
			case 't': ch = '\t'; break;
			case 'u': {
				unsigned v = 0;
				for (int k = 0; k < 4 && c->p < c->e; k++, c->p++)
					v = v * 16 + (unsigned)(isdigit((unsigned char)*c->p) ?
					    *c->p - '0' : (tolower((unsigned char)*c->p) - 'a' + 10));
				ch = v < 0x80 ? (char)v : '?';
				break;
			}
			default: ch = esc; break;
			}
		}
		if (n + 2 > cap) {
			char *o = realloc(out, cap *= 2);
			if (!o) {
				free(out);
				return NULL;
			}
			out = o;
		}
		out[n++] = ch;
	}
	if (c->p >= c->e) {
		free(out);
		return NULL;
	}
	c->p++;
	out[n] = '\0';
	return out;
}

static char *
join_path(const char *dir, const char *name)
{
	size_t dl = dir ? strlen(dir) : 0, nl = strlen(name);
	char *out = malloc(dl + nl + 2);
	if (!out)
		return NULL;
	if (name[0] == '/' || dl == 0) {
		memcpy(out, name, nl + 1);
	} else {
		memcpy(out, dir, dl);
		out[dl] = '/';
		memcpy(out + dl + 1, name, nl + 1);
	}
	return out;
}

/* A string or a list of strings, appended to list (resolved against dir). */
static int
jfiles(jcur *c, const char *dir, char **list, int *n, int replace)
{
	jws(c);
	if (replace) {
		for (int i = 0; i < *n; i++)
			free(list[i]);
		*n = 0;
	}
	int is_list = c->p < c->e && *c->p == '[';
	if (is_list)
		c->p++;
	for (;;) {
		jws(c);
		if (is_list && c->p < c->e && *c->p == ']') {
			c->p++;
			return 0;
		}
		char *s = jstring(c);
		if (!s)
			return -EINVAL;
		if (*n >= SENT_MAX_FILES) {
			free(s);
			return -E2BIG;
		}
		list[*n] = join_path(dir, s);
		free(s);
		if (!list[*n])
			return -ENOMEM;
		(*n)++;
		if (!is_list)
			return 0;
		jws(c);
		if (c->p < c->e && *c->p == ',')
			c->p++;
	}
}

static int
jnumber(jcur *c, double *out)
{
	jws(c);
	if (c->p < c->e && (*c->p == 't' || *c->p == 'f')) {
		int t = *c->p == 't';
		size_t n = t ? 4 : 5;
		if ((size_t)(c->e - c->p) < n || strncmp(c->p, t ? "true" : "false", n) != 0)
			return -EINVAL;
		c->p += n;
		*out = t;
		return 0;
	}
	char buf[64];
	size_t n = 0;
	while (c->p < c->e && n < sizeof(buf) - 1 &&
	    (isdigit((unsigned char)*c->p) || strchr("+-.eE", *c->p)))
		buf[n++] = *c->p++;
	buf[n] = '\0';
	char *end;
	*out = strtod(buf, &end);
	return (n && *end == '\0') ? 0 : -EINVAL;
}

static const struct {
	const char *key;
	size_t off;
	int is_int;
} cfg_nums[] = {
#define N(k) { #k, offsetof(sent_params, k), 0 }
	N(alpha), N(neg_flip_pos), N(neg_flip_neg), N(contrast_before), N(contrast_after),
	N(concessive), N(concessive_main), N(hedge), N(irrealis), N(exclaim_step), N(name_skip),
	N(length_damp), N(bias), N(neg_weight), N(reverse_flip), N(pos_threshold), N(neg_threshold), N(actor_clause),
	N(bare_negation), N(valence_power), N(valence_pivot),
#undef N
	{ "neg_window", offsetof(sent_params, neg_window), 1 },
	{ "boost_window", offsetof(sent_params, boost_window), 1 },
	{ "reverse_window", offsetof(sent_params, reverse_window), 1 },
};

static int
apply_profile(sent_params *p, const char *name, char *err, size_t errlen)
{
	if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name)) {
		snprintf(err, errlen, "sentiment: config: bad profile name");
		return -EINVAL;
	}
	if (!p->data_dir || p->depth > 2) {
		snprintf(err, errlen, "sentiment: config: profile \"%s\" not allowed here", name);
		return -EINVAL;
	}
	size_t n = strlen(p->data_dir) + strlen(name) + 32;
	char *path = malloc(n);
	if (!path)
		return -ENOMEM;
	snprintf(path, n, "%s/profile-%s.json", p->data_dir, name);
	char *json = sent_read_file(path, NULL);
	free(path);
	if (!json) {
		snprintf(err, errlen, "sentiment: config: unknown profile \"%s\"", name);
		return -EINVAL;
	}
	p->depth++;
	int rc = sent_config_apply(p, json, p->data_dir, err, errlen);
	p->depth--;
	free(json);
	return rc;
}

int
sent_config_apply(sent_params *p, const char *json, const char *base_dir, char *err,
    size_t errlen)
{
	jcur c = { json, json + strlen(json) };
	jws(&c);
	if (c.p >= c.e || *c.p != '{') {
		snprintf(err, errlen, "sentiment: config is not a JSON object");
		return -EINVAL;
	}
	c.p++;
	for (;;) {
		jws(&c);
		if (c.p < c.e && *c.p == '}')
			return 0;
		char *key = jstring(&c);
		jws(&c);
		if (!key || c.p >= c.e || *c.p != ':') {
			free(key);
			snprintf(err, errlen, "sentiment: config: bad JSON near offset %ld",
			    (long)(c.p - json));
			return -EINVAL;
		}
		c.p++;
		int rc = -ENOENT;
		for (size_t k = 0; k < sizeof(cfg_nums) / sizeof(cfg_nums[0]); k++) {
			if (strcmp(key, cfg_nums[k].key) != 0)
				continue;
			double v;
			rc = jnumber(&c, &v);
			if (rc == 0) {
				if (cfg_nums[k].is_int)
					*(int *)((char *)p + cfg_nums[k].off) = (int)v;
				else
					*(double *)((char *)p + cfg_nums[k].off) = v;
			}
			break;
		}
		if (rc == -ENOENT) {
			if (strcmp(key, "lexicons") == 0) /* the plugin's own list: replaces */
				rc = jfiles(&c, base_dir, p->files, &p->nfiles, 1);
			else if (strcmp(key, "lexicon") == 0) /* a project's extra files */
				rc = jfiles(&c, base_dir, p->files, &p->nfiles, 0);
			else if (strcmp(key, "actor_lists") == 0)
				rc = jfiles(&c, base_dir, p->actor_files, &p->nactor_files, 1);
			else if (strcmp(key, "actors") == 0)
				rc = jfiles(&c, base_dir, p->actor_files, &p->nactor_files, 0);
			else if (strcmp(key, "abbreviations") == 0) {
				char *one[1] = { NULL };
				int n1 = 0;
				rc = jfiles(&c, base_dir, one, &n1, 0);
				if (rc == 0 && n1 == 1) {
					free(p->abbrev_file);
					p->abbrev_file = one[0];
				}
			} else if (strcmp(key, "profile") == 0) {
				char *name = jstring(&c);
				rc = apply_profile(p, name, err, errlen);
				free(name);
				if (rc < 0) {
					free(key);
					return rc;
				}
			} else if (key[0] == '_') { /* "_comment" keys document the file */
				jws(&c);
				char *s = jstring(&c);
				rc = s ? 0 : -EINVAL;
				free(s);
			}
		}
		if (rc < 0) {
			snprintf(err, errlen, rc == -ENOENT ? "sentiment: config: unknown key \"%s\"" :
			    "sentiment: config: bad value for \"%s\"", key);
			free(key);
			return -EINVAL;
		}
		free(key);
		jws(&c);
		if (c.p < c.e && *c.p == ',') {
			c.p++;
			continue;
		}
		if (c.p < c.e && *c.p == '}')
			return 0;
		snprintf(err, errlen, "sentiment: config: expected , or }");
		return -EINVAL;
	}
}

char *
sent_read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			char *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	fclose(fp);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = n;
	}
	return buf;
}

void
sent_config_free(sent_params *p)
{
	for (int i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	for (int i = 0; i < p->nactor_files; i++)
		free(p->actor_files[i]);
	free(p->abbrev_file);
	free(p->data_dir);
	memset(p, 0, sizeof(*p));
}
