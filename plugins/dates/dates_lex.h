/*
 * dates_lex.h - lexicon, holiday table, tokenizer and trigger scan.
 *
 * The lexicon (data/lexicon.tsv) maps lower-case words to one or more word
 * classes; the holiday table (data/holidays.tsv) holds fixed-date holidays,
 * rule-based holidays and named events ("9/11").  Both are read once in
 * open() and are read-only afterwards, so analyze() can share them across
 * threads.
 */
#ifndef DATES_LEX_H
#define DATES_LEX_H

#include <stddef.h>
#include <stdint.h>

enum dl_class {
	DL_MONTH,
	DL_WEEKDAY,
	DL_WEEKDAYS,
	DL_UNIT,
	DL_UNITS,
	DL_NUM,
	DL_ORD,
	DL_POD,
	DL_TIME,
	DL_SEASON,
	DL_DEICTIC,
	DL_REL,
	DL_MOD,
	DL_SET,
	DL_REF,
	DL_DECADEWORD,
	DL_FISCAL,
	DL_TZ,
	DL_HALF,     /* "half" in "the first half (of 2021)" */
	DL_PODS,     /* plural parts of day: "Tuesday evenings" */
	DL_NCLASS
};

#define DL_BIT(c) (1u << (c))
/* Classes whose words start a full parse; the others only ever modify. */
#define DL_TRIGGER_MASK                                                          \
	(DL_BIT(DL_MONTH) | DL_BIT(DL_WEEKDAY) | DL_BIT(DL_WEEKDAYS) |           \
	    DL_BIT(DL_UNIT) | DL_BIT(DL_UNITS) | DL_BIT(DL_POD) | DL_BIT(DL_TIME) | \
	    DL_BIT(DL_SEASON) | DL_BIT(DL_DEICTIC) | DL_BIT(DL_SET) |            \
	    DL_BIT(DL_REF) | DL_BIT(DL_DECADEWORD) | DL_BIT(DL_FISCAL) |   \
	    DL_BIT(DL_HALF))

#define DL_WORD_MAX 23

typedef struct dl_entry {
	char word[DL_WORD_MAX + 1];
	uint8_t len;
	uint8_t trigger;      /* starts a parse region */
	uint8_t holiday;      /* first word of some holiday surface */
	uint32_t classes;     /* DL_BIT(...) set */
	int ival[DL_NCLASS];  /* numeric value per class (month number, ...) */
	char sval[DL_NCLASS][12]; /* text value per class ("DE", "START", ...) */
} dl_entry;

enum dl_hrule { DL_H_FIXED, DL_H_NTH, DL_H_EASTER, DL_H_EASTERWEEK, DL_H_ELECTION, DL_H_EVENT };

#define DL_HOL_TOKS 6

typedef struct dl_holiday {
	char toks[DL_HOL_TOKS][16]; /* lower-case tokens of the surface */
	uint8_t adj[DL_HOL_TOKS];   /* 1 when token k touches token k-1 (no space) */
	int ntoks;
	int rule;                   /* enum dl_hrule */
	int m, d, wd, n, off;       /* rule parameters */
	int ey, em, ed;             /* DL_H_EVENT: the event's date */
} dl_holiday;

typedef struct dl_lexicon {
	dl_entry *entries;
	size_t nentries;
	uint32_t *slots;            /* open addressing: index+1, 0 = empty */
	size_t nslots;              /* power of two */
	dl_holiday *hol;
	size_t nhol;
} dl_lexicon;

/* Loads data_dir/lexicon.tsv and data_dir/holidays.tsv. */
int dl_load(dl_lexicon *lx, const char *data_dir, char *err, size_t errlen);
void dl_free(dl_lexicon *lx);
/* Looks up a word (any case, ASCII letters); NULL when absent. */
const dl_entry *dl_lookup(const dl_lexicon *lx, const char *w, size_t n);

enum dl_tkind { TK_WORD = 1, TK_NUM, TK_PUNCT };
enum {
	TF_CAP = 1,    /* first letter upper case */
	TF_UPPER = 2,  /* every letter upper case */
	TF_SPACE = 4,  /* whitespace before the token */
	TF_NL = 8,     /* a line break before the token */
};

typedef struct dl_tok {
	uint32_t s, e;        /* byte offsets into the document */
	uint8_t kind;         /* enum dl_tkind */
	uint8_t flags;
	uint8_t ndig;         /* TK_NUM: number of digits */
	char ch;              /* TK_PUNCT: normalised character ('-' for dashes, '\'' for apostrophes) */
	int32_t num;          /* TK_NUM: value (digits beyond 9 are not kept) */
	const dl_entry *lex;  /* TK_WORD: lexicon entry or NULL */
	char low[16];         /* TK_WORD: lower case, truncated */
} dl_tok;

/*
 * Tokenizes text[s, e) into *toks.  When it is full it is grown: with
 * realloc when *heap is set, else (a caller's stack buffer) into a new
 * malloc'd copy, and *heap is set; the caller frees it then.
 * Returns the number of tokens, or -1 when out of memory.
 */
long dl_tokenize(const dl_lexicon *lx, const char *text, size_t s, size_t e,
    dl_tok **toks, size_t *cap, int *heap);

/*
 * The cheap pass: calls fn(ctx, start, end) for every trigger token (a digit
 * run, or a word whose lexicon entry is a trigger or a holiday word), in text
 * order.  Stops early when fn returns non-zero.
 */
typedef int (*dl_trigger_fn)(void *ctx, size_t s, size_t e);
int dl_scan_triggers(const dl_lexicon *lx, const char *text, size_t len,
    dl_trigger_fn fn, void *ctx);

#endif /* DATES_LEX_H */
