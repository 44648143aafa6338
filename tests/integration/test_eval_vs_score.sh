#!/bin/sh
# test_eval_vs_score.sh - `gloss eval --json` must print exactly what the
# reference scorer ../shared/eval/score.py prints, on the dev sets, for
# predictions from `gloss analyze --local --plugin example` (and from the
# dates, actors and sentiment plugins of the build tree) and for many
# perturbed copies of the gold (dropped, shifted, duplicated and spurious
# spans, changed values and types, bad offsets, stale texts, unknown and
# duplicate documents, --aggregate).  Then a self-consistency check: a gold
# file built from the example plugin's own output scores 1.0.
#
# Environment: GLOSS (the gloss binary), GLOSS_PLUGIN_DIR (build/plugins),
# GLOSS_EVAL_DIR (default: <source>/../shared/eval).
set -eu
: "${GLOSS:?GLOSS must name the gloss binary}"
: "${GLOSS_PLUGIN_DIR:?GLOSS_PLUGIN_DIR must name build/plugins}"
EVAL_DIR=${GLOSS_EVAL_DIR:-$(dirname "$0")/../../../shared/eval}
SCORE="$EVAL_DIR/score.py"
if [ ! -f "$SCORE" ] || [ ! -f "$EVAL_DIR/dates-dev.jsonl" ]; then
	echo "FAIL: reference scorer or dev sets not found in $EVAL_DIR (set GLOSS_EVAL_DIR)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
compared=0
: > "$tmp/results.jsonl"
: > "$tmp/cases.tsv"

# compare GOLD PRED --layer L [--aggregate]: runs gloss eval now and queues
# the case; check_all() runs score.py's own code on every queued case in one
# Python process (Python starts slowly) and compares key by key and byte by
# byte.  A few cases also go through the score.py command line itself.
compare() {
	compared=$((compared + 1))
	if ! "$GLOSS" eval "$@" --json > "$tmp/c.$compared.json" 2> "$tmp/c.err"; then
		echo "FAIL: gloss eval $*: $(cat "$tmp/c.err")"
		failures=$((failures + 1))
		return
	fi
	printf '%s\t%s\t%s\t%s\n' "$compared" "$1" "$2" "$4${5:+ $5}" >> "$tmp/cases.tsv"
}

check_all() {
	python3 - "$SCORE" "$tmp" <<'PY' >> "$tmp/results.jsonl"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("score", sys.argv[1])
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
tmp, failed, cache = sys.argv[2], 0, {}
def jl(p):
    if p not in cache:
        cache[p] = score.read_jsonl(p)
    return cache[p]
def walk(a, b, path, bad):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            bad.append(f"{path}: keys {list(a)} != {list(b)}")
        for k in a:
            if k in b:
                walk(a[k], b[k], f"{path}.{k}", bad)
    elif type(a) != type(b) or a != b:
        bad.append(f"{path}: score.py {a!r}, gloss eval {b!r}")
for line in open(f"{tmp}/cases.tsv"):
    n, gold, pred, args = line.rstrip("\n").split("\t")
    layer, *rest = args.split(" ")
    ref = score.score(jl(gold), jl(pred), layer, "--aggregate" in rest)
    ref_text = json.dumps(ref) + "\n"
    c_text = open(f"{tmp}/c.{n}.json").read()
    bad = []
    walk(ref, json.loads(c_text), "", bad)
    if not bad and ref_text != c_text:
        bad.append("same values but different JSON text")
    for b in bad:
        print(f"FAIL: {gold} {pred} --layer {args}: {b}", file=sys.stderr)
    failed += bool(bad)
    print(json.dumps(ref))
sys.exit(1 if failed else 0)
PY
}

# cli_compare GOLD PRED --layer L [--aggregate]: through score.py's command line.
cli_compare() {
	python3 "$SCORE" "$@" > "$tmp/py.json"
	"$GLOSS" eval "$@" --json > "$tmp/c.json"
	if ! cmp -s "$tmp/py.json" "$tmp/c.json"; then
		echo "FAIL: score.py $* printed $(cat "$tmp/py.json")"
		echo "      gloss eval printed $(cat "$tmp/c.json")"
		failures=$((failures + 1))
	fi
}

# ---- predictions -----------------------------------------------------------
for set in dates-dev sentiment-dev gold-seeds; do
	"$GLOSS" analyze --local --plugin example --plugins "$GLOSS_PLUGIN_DIR" \
	    "$EVAL_DIR/$set.jsonl" > "$tmp/ex-$set.jsonl"
done

python3 - "$EVAL_DIR" "$tmp" <<'PY'
import json, random, sys
eval_dir, tmp = sys.argv[1], sys.argv[2]

def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]

def dump(p, docs):
    with open(p, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")

VALUES = ["positive", "negative", "neutral", "XXXX-XX-XX", "USA", None, 1, True]

def perturb(gold, seed, layer):
    rnd = random.Random(seed)
    out = []
    for doc in gold:
        r = rnd.random()
        if r < 0.05:
            continue                                 # document missing
        text, anns = doc["text"], []
        n = len(text)
        for a in doc.get("annotations", []):
            a = dict(a)
            x = rnd.random()
            if x < 0.12:
                continue                             # dropped
            if x < 0.30:                             # shifted / resized
                s = max(0, a["start"] + rnd.randint(-4, 4))
                e = max(s, min(n, a["end"] + rnd.randint(-4, 4)))
                a["start"], a["end"] = s, e
                if rnd.random() < 0.7:
                    a["text"] = text[s:e]            # else a stale text
            if rnd.random() < 0.2:
                a["value"] = rnd.choice(VALUES)
            if rnd.random() < 0.1:
                a["type"] = rnd.choice(["DATE", "TIME", "sentence", None])
            if "score" in a or layer == "sentiment":
                y = rnd.random()
                if y < 0.6:
                    a["score"] = round((a.get("score") or 0) + rnd.uniform(-0.5, 0.5), 6)
                elif y < 0.7:
                    a.pop("score", None)
                elif y < 0.75:
                    a["score"] = rnd.choice(["0.3", True, None, 2])
            if rnd.random() < 0.05:
                a.pop("text", None)
            anns.append(a)
            if rnd.random() < 0.05:
                anns.append(dict(a))                 # duplicate
            if rnd.random() < 0.05:                  # split in two halves
                mid = (a["start"] + a["end"]) // 2
                b = dict(a, start=mid, text=text[mid:a["end"]])
                anns[-1] = dict(a, end=mid, text=text[a["start"]:mid])
                anns.append(b)
        for _ in range(rnd.randint(0, 3)):           # spurious spans
            s = rnd.randint(0, max(0, n - 1))
            e = min(n, s + rnd.randint(0, 30))
            anns.append({"layer": layer, "start": s, "end": e, "text": text[s:e],
                         "type": "DATE", "value": rnd.choice(VALUES),
                         "score": rnd.uniform(-1, 1)})
        if rnd.random() < 0.3:                       # bad offsets of all kinds
            anns.append({"layer": layer, "start": n - 2, "end": n + 5, "value": "x"})
            anns.append({"layer": layer, "start": 5, "end": 3})
            anns.append({"layer": layer, "start": -1, "end": 2})
            anns.append({"layer": layer, "start": 1.0, "end": 4})
            anns.append({"layer": layer, "start": "1", "end": 4})
            anns.append({"layer": layer, "end": 4})
        if rnd.random() < 0.1:                       # bool offsets are ints
            anns.append({"layer": layer, "start": False, "end": True,
                         "text": text[0:1], "value": "bool"})
        if rnd.random() < 0.1:                       # zero-width spans
            anns.append({"layer": layer, "start": 3, "end": 3, "text": ""})
        anns.append({"layer": "other-layer", "start": 0, "end": 1})
        rnd.shuffle(anns)
        if rnd.random() < 0.1 and len(anns) > 1:     # the same id on two lines
            k = len(anns) // 2
            out.append({"id": doc["id"], "annotations": anns[:k]})
            out.append({"id": doc["id"], "annotations": anns[k:]})
        else:
            out.append({"id": doc["id"], "annotations": anns})
    out.append({"id": "no-such-doc", "annotations": []})
    out.append({"id": 12345, "annotations": None})
    out.append({"annotations": [{"layer": layer, "start": 0, "end": 1}]})
    rnd.shuffle(out)
    return out

def relabel(docs, layer):
    for d in docs:
        for a in d["annotations"]:
            a["layer"] = layer
    return docs

sets = {"dates-dev": ["date"], "sentiment-dev": ["sentiment"],
        "gold-seeds": ["date", "actor", "sentiment"]}
for name, layers in sets.items():
    gold = load(f"{eval_dir}/{name}.jsonl")
    ex = load(f"{tmp}/ex-{name}.jsonl")
    for layer in layers:
        dump(f"{tmp}/{name}.{layer}.example.jsonl", relabel(json.loads(json.dumps(ex)), layer))
        for seed in range(3):
            dump(f"{tmp}/{name}.{layer}.perturbed{seed}.jsonl", perturb(gold, seed * 7 + len(layer), layer))
        mixed = perturb(gold, 99, layer) + relabel(json.loads(json.dumps(ex)), layer)
        dump(f"{tmp}/{name}.{layer}.mixed.jsonl", mixed)
PY

for set in dates-dev sentiment-dev gold-seeds; do
	case $set in
	dates-dev) layers=date ;;
	sentiment-dev) layers=sentiment ;;
	gold-seeds) layers="date actor sentiment" ;;
	esac
	for layer in $layers; do
		for v in example perturbed0 perturbed1 perturbed2 mixed; do
			compare "$EVAL_DIR/$set.jsonl" "$tmp/$set.$layer.$v.jsonl" --layer "$layer"
			if [ "$layer" = sentiment ]; then
				compare "$EVAL_DIR/$set.jsonl" "$tmp/$set.$layer.$v.jsonl" --layer "$layer" --aggregate
			fi
		done
		# the gold against itself
		compare "$EVAL_DIR/$set.jsonl" "$EVAL_DIR/$set.jsonl" --layer "$layer"
	done
done

# The real plugins of the tree, on the sets for their layers.
for plugin in dates actors sentiment; do
	[ -f "$GLOSS_PLUGIN_DIR/$plugin/$plugin.so" ] || continue
	case $plugin in
	dates) layer=date; sets="dates-dev gold-seeds" ;;
	actors) layer=actor; sets="gold-seeds" ;;
	sentiment) layer=sentiment; sets="sentiment-dev gold-seeds" ;;
	esac
	for set in $sets; do
		if ! "$GLOSS" analyze --local --plugin "$plugin" --plugins "$GLOSS_PLUGIN_DIR" \
		    --jobs 2 "$EVAL_DIR/$set.jsonl" > "$tmp/$plugin-$set.jsonl" 2> "$tmp/an.err"; then
			echo "FAIL: gloss analyze --plugin $plugin on $set: $(tail -3 "$tmp/an.err")"
			failures=$((failures + 1))
			continue
		fi
		compare "$EVAL_DIR/$set.jsonl" "$tmp/$plugin-$set.jsonl" --layer "$layer"
		if [ "$layer" = sentiment ]; then
			compare "$EVAL_DIR/$set.jsonl" "$tmp/$plugin-$set.jsonl" --layer "$layer" --aggregate
		fi
	done
done

check_all || failures=$((failures + 1))
cli_compare "$EVAL_DIR/gold-seeds.jsonl" "$tmp/gold-seeds.date.mixed.jsonl" --layer date
cli_compare "$EVAL_DIR/gold-seeds.jsonl" "$tmp/gold-seeds.sentiment.perturbed1.jsonl" --layer sentiment --aggregate
cli_compare "$EVAL_DIR/sentiment-dev.jsonl" "$tmp/sentiment-dev.sentiment.perturbed0.jsonl" --layer sentiment

# The comparisons above must have covered non-trivial figures.
python3 - "$tmp/results.jsonl" <<'PY' || failures=$((failures + 1))
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
mid = [r for r in rs if 0 < r["strict_f1"] < 1 and 0 < r["relaxed_f1"] < 1]
val = [r for r in rs if 0 < r.get("value_f1", 0) < 1]
sen = [r for r in rs if r["layer"] == "sentiment" and r.get("pearson_r") not in (None, 1.0)]
bad = [r for r in rs if r["pred_bad_offsets"] and r["pred_text_mismatch"] and r["pred_docs_unknown"]]
print(f"{len(rs)} comparisons: {len(mid)} with partial F1, {len(val)} partial value F1, "
      f"{len(sen)} sentiment with pearson, {len(bad)} with all sanity counters")
if len(mid) < 10 or not val or not sen or not bad:
    print("FAIL: the perturbed predictions did not exercise the scorer")
    sys.exit(1)
PY

# ---- self-consistency: the example plugin's output as gold ------------------
python3 - "$EVAL_DIR" "$tmp/docs.jsonl" <<'PY'
import json, sys
eval_dir, out = sys.argv[1], sys.argv[2]
docs = []
for name in ("gold-seeds", "dates-dev"):
    for l in open(f"{eval_dir}/{name}.jsonl", encoding="utf-8"):
        d = json.loads(l)
        docs.append({"id": d["id"], "dct": d.get("dct"), "text": d["text"]})
# Multi-byte text: accents, Cyrillic, emoji before and between the words.
docs.append({"id": "multi-1", "dct": None, "text":
    "\U0001F600 Le président a parlé de sanctions \U0001F1F7\U0001F1FA contre la Russie. "
    "ПЕРЕМИРИЕ и Санкции! Peace talks, talkshow, 中文 truce; ÉLECTIONS."})
docs.append({"id": "multi-2", "dct": "2024-02-01", "text":
    "Беженцы 👨‍👩‍👧 и войска; réfugiés — SOMMET — саммит\nTreaty 🕊 signed."})
with open(out, "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
"$GLOSS" analyze --local --plugin example --plugins "$GLOSS_PLUGIN_DIR" \
    "$tmp/docs.jsonl" > "$tmp/self-pred.jsonl"
"$GLOSS" analyze --local --plugin example --plugins "$GLOSS_PLUGIN_DIR" \
    --jobs 4 "$tmp/docs.jsonl" > "$tmp/self-pred4.jsonl"
if ! cmp -s "$tmp/self-pred.jsonl" "$tmp/self-pred4.jsonl"; then
	echo "FAIL: --jobs 4 output differs from --jobs 1"
	failures=$((failures + 1))
fi
python3 - "$tmp/docs.jsonl" "$tmp/self-pred.jsonl" "$tmp/self-gold.jsonl" "$tmp" <<'PY'
import json, sys
docs = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[1], encoding="utf-8")}
preds = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
n = 0
with open(sys.argv[3], "w", encoding="utf-8") as g, \
     open(sys.argv[4] + "/self-gold-actor.jsonl", "w", encoding="utf-8") as ga, \
     open(sys.argv[4] + "/self-pred-actor.jsonl", "w", encoding="utf-8") as pa:
    for p in preds:
        d = dict(docs[p["id"]], annotations=p["annotations"])
        for a in p["annotations"]:
            # The offsets are code points: Python's slicing agrees.
            assert d["text"][a["start"]:a["end"]] == a["text"], (p["id"], a)
            n += 1
        g.write(json.dumps(d, ensure_ascii=False) + "\n")
        relabel = lambda anns: [dict(a, layer="actor") for a in anns]
        ga.write(json.dumps(dict(d, annotations=relabel(d["annotations"])), ensure_ascii=False) + "\n")
        pa.write(json.dumps(dict(p, annotations=relabel(p["annotations"])), ensure_ascii=False) + "\n")
m = {p["id"]: len(p["annotations"]) for p in preds}
assert m["multi-1"] == 7 and m["multi-2"] == 6, m
assert n > 50, n
PY
"$GLOSS" eval "$tmp/self-gold.jsonl" "$tmp/self-pred.jsonl" --layer keyword --json > "$tmp/self.json"
python3 - "$tmp/self.json" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.load(open(sys.argv[1]))
want = {k: 1.0 for k in ("strict_p", "strict_r", "strict_f1", "relaxed_p", "relaxed_r",
                         "relaxed_f1", "value_acc", "value_f1", "type_acc")}
want.update(pred_bad_offsets=0, pred_text_mismatch=0, pred_docs_unknown=0)
bad = {k: r[k] for k in want if r[k] != want[k]}
if bad or r["gold"] != r["pred"] or r["gold"] < 50:
    print(f"FAIL: self-consistency: {bad} gold={r['gold']} pred={r['pred']}")
    sys.exit(1)
print(f"self-consistency: {r['gold']} spans, all figures 1.0")
PY
cli_compare "$tmp/self-gold-actor.jsonl" "$tmp/self-pred-actor.jsonl" --layer actor

echo "$compared comparisons with score.py (and 4 through its command line), $failures failures"
[ "$failures" -eq 0 ]
