/*
 * sent_config.h - the sentiment plugin's weights, thresholds and file list.
 *
 * data/config.json holds the defaults; the operator's config_json is read
 * over it with the same keys, plus "lexicon" (a file or list of files of the
 * lexicon format that are loaded after the plugin's own, so their entries
 * win), "actors" (an extra actor list) and "profile" (the keys of
 * data/profile-NAME.json applied at that point: label thresholds for one
 * annotation convention).
 */
#ifndef SENT_CONFIG_H
#define SENT_CONFIG_H

#include <stddef.h>

#define SENT_MAX_FILES 16

typedef struct sent_params {
	double alpha;            /* score = S / sqrt(S^2 + alpha) */
	double neg_flip_pos;     /* negated positive valence v becomes -v * this */
	double neg_flip_neg;     /* negated negative valence v becomes -v * this */
	int neg_window;          /* tokens a negator reaches */
	int boost_window;        /* tokens an intensifier reaches */
	double contrast_before;  /* weight of valences before "but" */
	double contrast_after;   /* weight of valences after "but" */
	double concessive;       /* weight inside an "although" clause */
	double concessive_main;  /* weight of the rest of a sentence with one */
	double hedge;            /* weight after a hedge in the same clause */
	double irrealis;         /* weight after "if", "would" in the same clause */
	double exclaim_step;     /* added per "!" (at most 4) in the score's direction */
	double name_skip;        /* 1: capitalised words inside names carry no valence */
	double length_damp;      /* S is divided by (1 + length_damp * sqrt(words)) */
	double bias;             /* added to S before squashing */
	double neg_weight;       /* negative contributions are multiplied by this */
	double reverse_flip;     /* a negative valence after "reduce", "prevent" becomes -v * this */
	int reverse_window;      /* tokens a reverser reaches */
	double pos_threshold;    /* label positive when score >= this */
	double neg_threshold;    /* label negative when score <= this */
	double actor_clause;     /* share of an actor's tone taken from its own clause */
	double valence_power;    /* word valence v becomes sign(v) * pivot * (|v| / pivot)^this */
	double valence_pivot;    /* the valence the power leaves unchanged */
	double bare_negation;    /* valence of a negator that reaches no valence word */
	char *files[SENT_MAX_FILES]; /* lexicon files, in load order */
	int nfiles;
	char *abbrev_file;
	char *data_dir;          /* where "profile" files are looked up */
	int depth;               /* profile nesting guard */
	char *actor_files[SENT_MAX_FILES];
	int nactor_files;
} sent_params;

/* Apply a JSON object to p.  base_dir resolves relative paths ("" = as is).
 * Returns 0, or negative with a reason in err. */
int sent_config_apply(sent_params *p, const char *json, const char *base_dir, char *err,
    size_t errlen);

/* Read a whole file into a NUL-terminated malloc'ed buffer; NULL on error. */
char *sent_read_file(const char *path, size_t *len);

void sent_config_free(sent_params *p);

#endif /* SENT_CONFIG_H */
