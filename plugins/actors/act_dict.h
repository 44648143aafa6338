/*
 * act_dict.h - the actors dictionary: TSV files loaded into a token trie.
 *
 * Each surface form is tokenized with act_tok and inserted as a path of
 * token keys; the node at the end of the path holds the entries for that
 * surface (one per class: actor, title, body, bodyof).  The trie edges live
 * in one open-addressing hash table keyed by (parent node, token key), so a
 * text is matched with one hash probe per token (longest match by walking
 * on).  A small Bloom filter over first tokens rejects most words without
 * touching the table.  The file format is documented at the top of
 * data/actors.tsv.
 */
#ifndef ACT_DICT_H
#define ACT_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "act_tok.h"

enum {
	ACT_T_STATE = 0,
	ACT_T_ORG,
	ACT_T_GROUP,
	ACT_T_PERSON,
	ACT_T_NONE,
	ACT_T_TITLE,
	ACT_T_BODY,
	ACT_T_BODYOF
};

#define ACT_F_CAPITAL 0x01
#define ACT_F_SEAT 0x02
#define ACT_F_DEMONYM 0x04
#define ACT_F_ERA 0x08
#define ACT_F_SURNAME 0x10

/* How a dictionary word must be written in the text. */
enum { ACT_M_ANY = 0, ACT_M_CAP = 1, ACT_M_ACR = 2, ACT_M_EXACT = 3 };

#define ACT_MAX_TOK 16

typedef struct act_entry {
	uint32_t value, cameo, country, role; /* offsets into the string pool */
	uint8_t type, flags, ntok, nctx;
	uint32_t modes;  /* ACT_M_* for token k in bits 2k..2k+1 */
	uint16_t hymask; /* bit k: the surface had a hyphen before token k */
	uint32_t xoff;   /* first of ntok exact hashes, or UINT32_MAX */
	int32_t next;    /* next entry on the same node, -1 at the end */
} act_entry;

typedef struct act_edge {
	uint64_t key;
	uint32_t parent;
	uint32_t child; /* 0 = empty slot (the root is never a child) */
} act_edge;

typedef struct act_dict {
	act_edge *edges;
	size_t ecap, ecount;
	int32_t *node_entry; /* first entry of each node, -1 if none */
	size_t nnodes, node_cap;
	act_entry *ent;
	size_t nent, ent_cap;
	uint64_t *xhash;
	size_t nx, xcap;
	char *pool;
	size_t pool_len, pool_cap;
	uint64_t bloom[1024]; /* 65536 bits over first-token keys */
} act_dict;

int act_dict_init(act_dict *d);
void act_dict_free(act_dict *d);

/* Load one TSV file; returns 0, or negative with a reason in err. */
int act_dict_load_file(act_dict *d, const char *path, char *err, size_t errlen);
/* Load TSV text already in memory (name is used in error messages). */
int act_dict_load_text(act_dict *d, const char *name, const char *text, size_t len,
    char *err, size_t errlen);

/* Child of node for a token key, or -1. */
int32_t act_dict_child(const act_dict *d, uint32_t node, uint64_t key);

static inline int
act_dict_first_maybe(const act_dict *d, uint64_t key)
{
	uint32_t b = (uint32_t)(key >> 17) & 0xFFFFu;
	return (d->bloom[b >> 6] >> (b & 63)) & 1u;
}

static inline const char *
act_dict_str(const act_dict *d, uint32_t off)
{
	return d->pool + off;
}

#endif /* ACT_DICT_H */
