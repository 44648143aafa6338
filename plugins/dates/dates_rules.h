/*
 * dates_rules.h - finds temporal expressions and normalises them to TIMEX3.
 *
 * dr_analyze() runs the trigger scan over the whole text, tokenizes only the
 * regions around triggers, matches the rule families there and resolves
 * relative expressions against the document creation time (dct).  It keeps
 * all per-call state on the stack or in buffers it frees itself, so several
 * threads may call it at once with the same lexicon.
 */
#ifndef DATES_RULES_H
#define DATES_RULES_H

#include <stddef.h>

#include "dates_lex.h"

typedef struct dr_span {
	size_t start, end;   /* byte offsets, end exclusive */
	const char *type;    /* "DATE", "TIME", "DURATION", "SET" */
	char value[48];      /* TIMEX3 value */
	const char *mod;     /* TimeML mod or NULL */
	int dct_candidate;   /* the page's own date line */
} dr_span;

/* Returns non-zero to stop the analysis early. */
typedef int (*dr_emit_fn)(void *ctx, const dr_span *sp);

typedef struct dr_opts {
	int slash_order;     /* 0: from lang and the text; 1: month first; 2: day first */
	int dct_from_text;   /* resolve against the date line when dct is empty */
	int timeml_values;   /* TempEval-3 value style instead of GUIDELINES.md: no
	                      * part of day in dates, decades "199X", "P10Y" for a decade */
} dr_opts;

/* Returns 0, or -1 when out of memory. */
int dr_analyze(const dl_lexicon *lx, const dr_opts *opts, const char *text,
    size_t len, const char *dct, const char *lang, dr_emit_fn fn, void *ctx);

/* Regions are the trigger token +- this many bytes (snapped to whitespace). */
#define DR_REGION_BEFORE 20
#define DR_REGION_AFTER 16

/* Statistics for the benchmark: bytes that went through the full parser. */
typedef struct dr_stats {
	size_t bytes_parsed;
	size_t triggers;
} dr_stats;
void dr_stats_get(dr_stats *out); /* totals of this thread since the last call */

#endif /* DATES_RULES_H */
