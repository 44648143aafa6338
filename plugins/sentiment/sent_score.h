/*
 * sent_score.h - tone of one sentence from the lexicon and the grammar cues,
 * and the tone toward each actor mentioned in it.
 */
#ifndef SENT_SCORE_H
#define SENT_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "sent_config.h"
#include "sent_lex.h"

/* Everything open() builds; read-only afterwards. */
typedef struct sent_engine {
	sent_lex lex;
	sent_params prm;
} sent_engine;

/* One actor mention found in a sentence. */
typedef struct sent_mention {
	size_t start, end;  /* byte offsets into the document */
	const char *id;     /* the actor's id from the name list */
	double tone;        /* in [-1, 1] */
} sent_mention;

/* Per-call working memory (one per analyze() call, so calls may run in
 * parallel on one engine).  Zero-initialise, free with sent_scratch_free. */
typedef struct sent_scratch {
	void *toks;
	size_t toks_cap;
	char *low;
	size_t low_cap;
	void *contrib;
	size_t contrib_cap;
	sent_mention *mentions;
	size_t mentions_cap;
	size_t nmentions;    /* mentions found by the last call */
} sent_scratch;

/* The sentence's tone in [-1, 1] for text[start, end).  Mentions are left in
 * scr->mentions[0 .. scr->nmentions).  Returns 0 or -ENOMEM. */
int sent_score_sentence(const sent_engine *eng, const char *text, size_t start, size_t end,
    sent_scratch *scr, double *score);

/* "positive", "negative" or "neutral" for a score under the thresholds. */
const char *sent_label(const sent_params *p, double score);

void sent_scratch_free(sent_scratch *scr);

#endif /* SENT_SCORE_H */
