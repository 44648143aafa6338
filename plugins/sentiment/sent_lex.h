/*
 * sent_lex.h - the sentiment plugin's lexicon: word and multi-word valences,
 * grammar cues (negators, intensifiers, contrast, hedges), abbreviations for
 * the sentence splitter, and a light actor name list.
 *
 * Everything is loaded from text files once in open() and is read-only
 * afterwards, so analyze() may share one lexicon across threads.
 */
#ifndef SENT_LEX_H
#define SENT_LEX_H

#include <stddef.h>
#include <stdint.h>

/* What a lexicon term does in a sentence. */
typedef enum sent_kind {
	SENT_K_NONE = 0,   /* only heads a multi-word entry */
	SENT_K_WORD,       /* carries a valence (may be 0: blocks a weaker match) */
	SENT_K_NEGATOR,    /* flips the valences that follow within its scope */
	SENT_K_INTENSIFIER,/* scales the next valence by (1 + weight); weight < 0 dampens */
	SENT_K_CONTRAST,   /* "but", "however": the clause after weighs more */
	SENT_K_CONCESSIVE, /* "although": its own clause weighs less */
	SENT_K_HEDGE,      /* "may", "reportedly": the rest of the clause weighs less */
	SENT_K_IRREALIS,   /* "if", "would": like a hedge, with its own weight */
	SENT_K_REVERSER,   /* "reduce", "prevent": turns a following negative mildly
	                      positive; value is its own valence */
} sent_kind;

/* One term as stored; terms with spaces are multi-word entries. */
typedef struct sent_term {
	float value;      /* valence on VADER's -4..4 scale, or the cue's weight */
	uint8_t kind;     /* sent_kind */
	uint8_t nwords;   /* words in a multi-word entry (1 for single words) */
	uint16_t pad;
	uint32_t words;   /* arena offset of the lower-case words, NUL-separated */
	int32_t next_mwe; /* next multi-word entry with the same first word, -1 ends */
} sent_term;

/* One actor name: words as written (case matters: "US" is not "us"). */
typedef struct sent_actor {
	uint32_t words;   /* arena offset: words NUL-separated */
	uint32_t id;      /* arena offset of the id, e.g. "USA" */
	uint8_t nwords;
	int32_t next;     /* next actor with the same first word, -1 ends */
} sent_actor;

/* Hash slot payloads. */
typedef struct sent_slot {
	uint32_t key;     /* arena offset of the key (NUL-terminated) */
	uint32_t keylen;
	uint32_t hash;
	int32_t term;     /* single-word term, -1 none */
	int32_t mwe;      /* first multi-word term starting with this word, -1 none */
	int32_t actor;    /* first actor starting with this word (exact case), -1 none */
	uint8_t abbrev;   /* 1: abbreviation, 2: abbreviation only before a number */
	uint8_t used;
} sent_slot;

typedef struct sent_lex {
	sent_slot *slots;
	size_t cap, count;       /* cap is a power of two */
	char *arena;
	size_t arena_len, arena_cap;
	sent_term *terms;
	size_t nterms, terms_cap;
	sent_actor *actors;
	size_t nactors, actors_cap;
} sent_lex;

int sent_lex_init(sent_lex *lx);
void sent_lex_free(sent_lex *lx);

/*
 * Load a lexicon file: TERM<TAB>VALUE[<TAB>KIND]; '#' starts a comment line.
 * A third column that is not a kind name is ignored, so VADER's own file
 * (TOKEN, MEAN, SD, RATINGS) loads as it is.  Later entries replace earlier
 * ones.  Returns 0, or negative with a reason in err.
 */
int sent_lex_load(sent_lex *lx, const char *path, char *err, size_t errlen);

/* Abbreviations: one per line, "u.s." or "no.<TAB>num". */
int sent_lex_load_abbrev(sent_lex *lx, const char *path, char *err, size_t errlen);

/* Actors: NAME<TAB>ID, the name as it is written in text. */
int sent_lex_load_actors(sent_lex *lx, const char *path, char *err, size_t errlen);

/* Look up a key (exact bytes); NULL when absent. */
const sent_slot *sent_lex_find(const sent_lex *lx, const char *key, size_t len);

static inline const char *
sent_lex_str(const sent_lex *lx, uint32_t off)
{
	return lx->arena + off;
}

#endif /* SENT_LEX_H */
