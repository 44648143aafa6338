/*
 * dates_plugin.c - the gloss plugin ABI around the dates recognizer.
 *
 * Layer "date", labels DATE/TIME/DURATION/SET (the TIMEX3 type), value = the
 * TIMEX3 value, attrs_json = {"mod": ...} and/or {"dct_candidate": true}.
 *
 * config_json (all optional):
 *   "slash_order": "mdy" | "dmy"   force the reading of 01/02/2024
 *   "dct_from_text": false         do not resolve against the page's date
 *                                  line when the document has no dct
 *   "values": "guidelines" | "timeml"  value style: GUIDELINES.md (default)
 *                                  or the TempEval-3 gold's (no part of day
 *                                  in dates, "199X", "P10Y")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gloss/plugin.h"

#include "dates_lex.h"
#include "dates_rules.h"

#define DATES_EXPORT __attribute__((visibility("default")))

typedef struct dates_state {
	dl_lexicon lx;
	dr_opts opts;
} dates_state;

typedef struct dates_sink {
	gloss_emit_fn emit;
	void *sink;
} dates_sink;

/* The value of "key" in a flat JSON object, as raw text up to , or }. */
static int
dates_cfg(const char *json, const char *key, char *out, size_t n)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	const char *p = json ? strstr(json, pat) : NULL;
	if (!p)
		return 0;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	size_t k = 0;
	if (*p == '"') {
		p++;
		while (*p && *p != '"' && k + 1 < n)
			out[k++] = *p++;
	} else {
		while (*p && *p != ',' && *p != '}' && *p != ' ' && *p != '\n' && k + 1 < n)
			out[k++] = *p++;
	}
	out[k] = 0;
	return 1;
}

static int
dates_open(const char *config_json, const char *data_dir, void **state, char *errbuf, size_t errlen)
{
	dates_state *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(errbuf, errlen, "dates: out of memory");
		return -1;
	}
	if (dl_load(&st->lx, data_dir, errbuf, errlen)) {
		free(st);
		return -1;
	}
	st->opts.dct_from_text = 1;
	char v[32];
	if (dates_cfg(config_json, "slash_order", v, sizeof v)) {
		if (!strcmp(v, "mdy"))
			st->opts.slash_order = 1;
		else if (!strcmp(v, "dmy"))
			st->opts.slash_order = 2;
		else {
			snprintf(errbuf, errlen, "dates: slash_order must be \"mdy\" or \"dmy\"");
			dl_free(&st->lx);
			free(st);
			return -1;
		}
	}
	if (dates_cfg(config_json, "dct_from_text", v, sizeof v) && !strcmp(v, "false"))
		st->opts.dct_from_text = 0;
	if (dates_cfg(config_json, "values", v, sizeof v)) {
		if (!strcmp(v, "timeml"))
			st->opts.timeml_values = 1;
		else if (strcmp(v, "guidelines") != 0) {
			snprintf(errbuf, errlen, "dates: values must be \"guidelines\" or \"timeml\"");
			dl_free(&st->lx);
			free(st);
			return -1;
		}
	}
	*state = st;
	return 0;
}

static int
dates_emit(void *ctx, const dr_span *sp)
{
	dates_sink *k = ctx;
	char attrs[96];
	const char *a = NULL;
	if (sp->mod && sp->dct_candidate) {
		snprintf(attrs, sizeof attrs, "{\"mod\":\"%s\",\"dct_candidate\":true}", sp->mod);
		a = attrs;
	} else if (sp->mod) {
		snprintf(attrs, sizeof attrs, "{\"mod\":\"%s\"}", sp->mod);
		a = attrs;
	} else if (sp->dct_candidate) {
		a = "{\"dct_candidate\":true}";
	}
	gloss_span g;
	memset(&g, 0, sizeof g);
	g.start = sp->start;
	g.end = sp->end;
	g.label = sp->type;
	g.value = sp->value;
	g.attrs_json = a;
	return k->emit(k->sink, &g);
}

static int
dates_analyze(void *state, const gloss_doc *doc, gloss_emit_fn emit, void *sink,
    char *errbuf, size_t errlen)
{
	dates_state *st = state;
	dates_sink k = { emit, sink };
	if (dr_analyze(&st->lx, &st->opts, doc->text, doc->len, doc->dct, doc->lang, dates_emit, &k)) {
		snprintf(errbuf, errlen, "dates: out of memory");
		return -1;
	}
	return 0;
}

static void
dates_close(void *state)
{
	dates_state *st = state;
	if (!st)
		return;
	dl_free(&st->lx);
	free(st);
}

static const char *const dates_labels[] = { "DATE", "TIME", "DURATION", "SET", NULL };

static const gloss_plugin dates_plugin = {
	.abi_version = GLOSS_PLUGIN_ABI_VERSION,
	.name = "dates",
	.version = "1.0.0",
	.layer = "date",
	.labels = dates_labels,
	.description = "temporal expressions as TIMEX3 (DATE/TIME/DURATION/SET), resolved against the dct",
	.open = dates_open,
	.analyze = dates_analyze,
	.close = dates_close,
};

DATES_EXPORT const gloss_plugin *
gloss_plugin_v1(void)
{
	return &dates_plugin;
}
