/*
 * test_actors_gold.c - end-to-end scores of the actors plugin on gold JSONL
 * files, computed the way ../shared/eval/score.py does (strict mention F1,
 * value accuracy on matched mentions): the hand-written articles in
 * tests/data/actors/ (one per rule of GUIDELINES section 3) always, and the
 * development gold-seeds.jsonl when the shared evaluation folder sits beside
 * the checkout.
 */
#include "gl_test.h"

#include "actors_test_util.h"
#include "common/json.h"

typedef struct {
	int gold, pred, strict, value_ok;
} gold_score;

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(fp);
	if (b) {
		b[n] = '\0';
		*len = (size_t)n;
	}
	return b;
}

/* Byte offset of code point cp in s. */
static size_t
cp_to_byte(const char *s, size_t len, long cp)
{
	size_t i = 0;
	while (i < len && cp > 0) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cp--;
	}
	return i;
}

static int
score_file(const char *path, gold_score *sc, int verbose)
{
	size_t len = 0;
	char *all = slurp(path, &len);
	if (!all)
		return -1;
	memset(sc, 0, sizeof(*sc));
	char *line = all;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		if (ll > 1) {
			gl_json *d = NULL;
			char err[128];
			if (gl_json_parse(line, ll, &d, err, sizeof(err)) == 0) {
				const char *text = gl_json_string(gl_json_get(d, "text"), "");
				size_t tl = gl_json_get(d, "text")->len;
				at_result *r = at_run(text);
				const gl_json *anns = gl_json_get(d, "annotations");
				int *used = calloc((size_t)r->n + 1, sizeof(int));
				for (size_t k = 0; anns && k < anns->len; k++) {
					const gl_json *a = anns->items[k];
					if (strcmp(gl_json_string(gl_json_get(a, "layer"), ""), "actor") != 0)
						continue;
					sc->gold++;
					size_t s = cp_to_byte(text, tl, (long)gl_json_int(gl_json_get(a, "start"), 0));
					size_t e = cp_to_byte(text, tl, (long)gl_json_int(gl_json_get(a, "end"), 0));
					const char *v = gl_json_string(gl_json_get(a, "value"), "");
					int hit = 0;
					for (int j = 0; j < r->n; j++)
						if (!used[j] && r->s[j].start == s && r->s[j].end == e) {
							used[j] = 1;
							sc->strict++;
							hit = 1;
							if (strcmp(r->s[j].value, v) == 0)
								sc->value_ok++;
							else if (verbose)
								fprintf(stderr, "  value: '%s' %s -> %s\n", r->s[j].text, v,
								    r->s[j].value);
							break;
						}
					if (!hit && verbose)
						fprintf(stderr, "  missed: '%.*s' %s\n", (int)(e - s), text + s, v);
				}
				for (int j = 0; j < r->n; j++)
					if (!used[j] && verbose)
						fprintf(stderr, "  extra: '%s' %s\n", r->s[j].text, r->s[j].value);
				sc->pred += r->n;
				free(used);
				gl_json_free(d);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	free(all);
	return 0;
}

static double
f1(const gold_score *s)
{
	double p = s->pred ? (double)s->strict / s->pred : 0, r = s->gold ? (double)s->strict / s->gold : 0;
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

GL_TEST(own_articles_cover_every_rule)
{
	char path[1024];
	const char *dir = getenv("ACTORS_TEST_DATA");
	snprintf(path, sizeof(path), "%s/articles.jsonl", dir ? dir : "tests/data/actors");
	gold_score sc;
	CHECK_INT(score_file(path, &sc, 1), 0);
	CHECK(sc.gold >= 90);
	printf("# own articles: gold %d pred %d strict %d F1 %.4f value_acc %.4f\n", sc.gold, sc.pred,
	    sc.strict, f1(&sc), sc.strict ? (double)sc.value_ok / sc.strict : 0);
	CHECK(f1(&sc) >= 0.97);
	CHECK(sc.value_ok == sc.strict);
}

GL_TEST(gold_seeds_targets)
{
	const char *path = getenv("ACTORS_GOLD_SEEDS");
	gold_score sc;
	if (!path || score_file(path, &sc, 1) != 0) {
		printf("# gold-seeds.jsonl not beside the checkout: only own articles scored\n");
		return;
	}
	printf("# gold-seeds: gold %d pred %d strict %d F1 %.4f value_acc %.4f\n", sc.gold, sc.pred,
	    sc.strict, f1(&sc), sc.strict ? (double)sc.value_ok / sc.strict : 0);
	CHECK(f1(&sc) >= 0.90);
	CHECK(sc.strict && (double)sc.value_ok / sc.strict >= 0.95);
}

GL_TEST_MAIN(GL_TEST_ENTRY(own_articles_cover_every_rule), GL_TEST_ENTRY(gold_seeds_targets))
