/*
 * act_tok.h - word tokenizer of the actors plugin.
 *
 * One tokenizer serves both the dictionary (surface forms) and the
 * documents, so a surface and a text tokenise the same way by construction.
 * Tokens are words (letters, digits, inner apostrophes, dotted abbreviations
 * such as "U.S." kept whole) and the possessive "'s" / "’s" as a token of
 * its own.  Everything else (spaces, hyphens, quotes, punctuation) lies
 * between tokens and is summarised by a separator class on the right-hand
 * token.  Each token carries a hash of its case-folded form (dots and case
 * removed, ’ folded to '), which is what the dictionary is keyed on.
 */
#ifndef ACT_TOK_H
#define ACT_TOK_H

#include <stddef.h>
#include <stdint.h>

/* Separator between a token and the one before it. */
enum {
	ACT_SEP_START = 0, /* first token of the text */
	ACT_SEP_NONE,      /* adjacent (a possessive after its word) */
	ACT_SEP_SP,        /* spaces or tabs only */
	ACT_SEP_HY,        /* one hyphen or en dash, no spaces: "US-Pakistan" */
	ACT_SEP_HYS,       /* a hyphen or dash with spaces: "anti -American" */
	ACT_SEP_DOT,       /* "." then spaces: "W. Bush", "Gen. X", or a sentence end */
	ACT_SEP_NL,        /* whitespace with one line break */
	ACT_SEP_PUNCT      /* anything else: , ; : ( ) quotes, blank lines ... */
};

/* Token flags. */
#define ACT_TF_CAP 0x01      /* first letter upper case */
#define ACT_TF_ALLCAPS 0x02  /* has letters, no lower-case ASCII letter */
#define ACT_TF_DOTTED 0x04   /* dotted abbreviation: U.S., u.n. */
#define ACT_TF_POSS 0x08     /* the possessive 's */
#define ACT_TF_LOWER 0x10    /* first letter lower case */
#define ACT_TF_DIGIT 0x20    /* starts with a digit */

typedef struct act_tok {
	uint32_t start, end; /* byte offsets, end exclusive */
	uint64_t key;        /* hash of the folded form */
	uint8_t flags;
	uint8_t sep;     /* ACT_SEP_* before this token */
	uint8_t sepch;   /* first ASCII punctuation byte of that separator, or 0 */
	uint8_t nlet;    /* letters and digits in the token, capped at 255 */
} act_tok;

/*
 * Tokenize text[0..len).  Calls back for each token in order; the callback
 * returns 0 to go on, non-zero to stop (returned as is).  Returns 0.
 */
typedef int (*act_tok_fn)(void *ctx, const act_tok *tok);
int act_tok_scan(const char *text, size_t len, act_tok_fn fn, void *ctx);

/* Case-sensitive hash of the token's bytes (for exact-case dictionary words). */
uint64_t act_tok_exact_hash(const char *text, const act_tok *tok);

/* Hash of an ASCII word as the tokenizer would key it (lower-cased). */
uint64_t act_tok_key_of(const char *word);

#endif /* ACT_TOK_H */
