#!/usr/bin/env python3
"""Derive data/derived.tsv: valences for words the VADER and domain lists lack,
carried over WordNet's morphological links from words they have.

  derive_lexicon.py WORDNET_DICT_DIR DATA_DIR > DATA_DIR/derived.tsv

WORDNET_DICT_DIR holds WordNet's data.* and index.* files (the committed file
was made from Debian's wordnet-base 3.0: /usr/share/wordnet).  Only
lexical (word-to-word) links are followed, from a word's first senses:
derivationally related forms (celebrate -> celebration) and pertainyms
(remarkable -> remarkably), and only to longer, suffixed forms: the way back
(healthy -> health) mostly reaches neutral words.  A derived word takes the mean valence of its
sources times FACTOR and is dropped when its sources disagree in sign.
Regular inflections (-s, -ed, -ing) of verbs are added the same way, since
the lexicons list only some of them.  The output is a plain lexicon file
(TERM<TAB>VALENCE), loaded before domain.tsv so hand-made entries win.
"""
import collections
import os
import sys

FACTOR = 0.8      # a derived word is a weaker cue than its source
MIN_ABS = 0.5     # sources weaker than this are not spread
SENSES = 2        # follow links from a word's first SENSES senses only
POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def read_lexicon(path, out, kinds):
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) < 2:
            continue
        term = f[0].lower()
        kinds[term] = f[2] if len(f) > 2 and not f[2][:1].replace(".", "").lstrip("-").isdigit() else "word"
        try:
            out[term] = float(f[1])
        except ValueError:
            pass


def read_wordnet(d):
    synsets = {}  # (pos, offset) -> (words, pointers)
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(d, "data." + pos), encoding="latin-1"):
            if line.startswith(" "):
                continue
            f = line.split()
            off, ss_type, wcnt = f[0], f[2], int(f[3], 16)
            words = [f[4 + 2 * i].lower().split("(")[0] for i in range(wcnt)]
            k = 4 + 2 * wcnt
            pcnt = int(f[k])
            ptrs = []
            for i in range(pcnt):
                sym, toff, tpos, st = f[k + 1 + 4 * i: k + 5 + 4 * i]
                ptrs.append((sym, toff, POS[tpos], int(st[:2], 16), int(st[2:], 16)))
            synsets[(pos, off)] = (words, ptrs)
    index = collections.defaultdict(list)  # lemma -> [(pos, offset)] in sense order
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(d, "index." + pos), encoding="latin-1"):
            if line.startswith(" "):
                continue
            f = line.split()
            lemma, ncnt, pcnt = f[0], int(f[2]), int(f[3])
            offs = f[4 + pcnt + 2:]
            index[lemma] += [(pos, o) for o in offs[:ncnt]]
    return synsets, index


def inflect(verb):
    forms = []
    if verb.endswith("e"):
        forms += [verb + "s", verb + "d", verb[:-1] + "ing"]
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms += [verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        forms += [verb + "es", verb + "ed", verb + "ing"]
    else:
        forms += [verb + "s", verb + "ed", verb + "ing"]
    return forms


def main():
    wn, data = sys.argv[1], sys.argv[2]
    # sources: VADER only (rated by people); the other lists only block
    lex, kinds = {}, {}
    read_lexicon(os.path.join(data, "vader_lexicon.txt"), lex, kinds)
    known, kk = {}, {}
    for name in ("domain.tsv", "modifiers.tsv"):
        read_lexicon(os.path.join(data, name), known, kk)
    synsets, index = read_wordnet(wn)
    # lexical links both ways: an adverb's pertainym points at the adjective
    links = collections.defaultdict(set)  # (pos, off, word no) -> {(pos, off, word no)}
    for (pos, off), (words, ptrs) in synsets.items():
        for sym, toff, tpos, src, dst in ptrs:
            if sym in ("+", "\\") and src and dst:
                links[(pos, off, src)].add((tpos, toff, dst))
                links[(tpos, toff, dst)].add((pos, off, src))
    cand = collections.defaultdict(list)
    for word, v in lex.items():
        if kinds.get(word) != "word" or abs(v) < MIN_ABS or " " in word or not word.isalpha():
            continue
        per_pos = collections.Counter()
        for pos, off in index.get(word, []):
            per_pos[pos] += 1
            if per_pos[pos] > SENSES:
                continue
            words, ptrs = synsets[(pos, off)]
            if word not in words:
                continue
            me = words.index(word) + 1
            for tpos, toff, dst in links.get((pos, off, me), ()):
                twords = synsets[(tpos, toff)][0]
                if 0 < dst <= len(twords):
                    t = twords[dst - 1]
                    # only suffixed forms (celebrate -> celebration,
                    # remarkable -> remarkably): stripping a suffix leads
                    # to neutral bases (healthy -> health, needy -> need)
                    if len(t) > len(word) and t[:4] == word[:4]:
                        cand[t].append(v)
            nverb = sum(1 for p, _ in index[word] if p == "verb")
            nnoun = sum(1 for p, _ in index[word] if p == "noun")
            if pos == "verb" and per_pos[pos] == 1 and nverb >= nnoun:
                for form in inflect(word):
                    cand[form].append(v / FACTOR)  # an inflection keeps the full valence
    out = []
    for word, vs in cand.items():
        if word in lex or word in known or word in kk or "_" in word or "-" in word or len(word) < 4 or not word.isalpha():
            continue
        if min(vs) < 0 < max(vs):
            continue
        v = FACTOR * sum(vs) / len(vs)
        if abs(v) >= 0.3:
            out.append((word, round(v, 2)))
    print("# Generated by tools/derive_lexicon.py from vader_lexicon.txt and WordNet")
    print("# (Princeton University; see NOTICE.part).  Do not edit: regenerate, or")
    print("# override entries in domain.tsv, which is loaded later and wins.")
    for word, v in sorted(out):
        print(f"{word}\t{v}")


if __name__ == "__main__":
    main()
