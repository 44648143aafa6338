#!/bin/sh
# test_analyze_local.sh - `gloss analyze --local`: plugin lookup (path,
# --plugins, GLOSS_PLUGIN_PATH), inputs (.txt normalised like glossd, .jsonl,
# stdin), the output format with code-point offsets and attributes, the
# containment of misbehaving plugins, and the error messages and exit codes
# for bad input.
#
# Environment: GLOSS (the gloss binary), GLOSS_PLUGIN_DIR (build/plugins),
# GLOSS_TEST_PLUGIN_DIR (build/tests/plugins).
set -u
: "${GLOSS:?}" "${GLOSS_PLUGIN_DIR:?}" "${GLOSS_TEST_PLUGIN_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
unset GLOSS_PLUGIN_PATH

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run WANT_RC CMD...: runs CMD with stdout in $tmp/out, stderr in $tmp/err.
run() {
	want=$1
	shift
	checks=$((checks + 1))
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "exit $rc, want $want: $* (stderr: $(head -3 "$tmp/err"))"
}

expect_err() {
	grep -qF -- "$1" "$tmp/err" || fail "stderr lacks \"$1\": $(head -3 "$tmp/err")"
}

# json_check PYTHON-EXPRESSION: evaluated with `lines` = the parsed output lines.
json_check() {
	checks=$((checks + 1))
	python3 - "$tmp/out" "$1" <<'PY' || fail "output check failed: $1"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(lines, ensure_ascii=False)[:2000], file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

A="analyze --local"

# .txt: CRLF line ends and a decomposed é are normalised before analysis,
# so offsets are those of the NFC, \n text.
printf 'Pre\314\201sident\r\nsanctions \360\237\230\200 TRUCE\r\n' > "$tmp/a.txt"
run 0 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" --dct 2024-01-02 "$tmp/a.txt"
json_check 'lines == [{"id": "a.txt", "annotations": [
  {"layer": "keyword", "start": 0, "end": 9, "text": "Président", "type": "keyword", "value": "president", "match": "variant", "attributes": {"match": "variant"}},
  {"layer": "keyword", "start": 10, "end": 19, "text": "sanctions", "type": "keyword", "value": "sanctions", "match": "canonical", "attributes": {"match": "canonical"}},
  {"layer": "keyword", "start": 22, "end": 27, "text": "TRUCE", "type": "keyword", "value": "ceasefire", "match": "variant", "attributes": {"match": "variant"}}]}]'

# .jsonl and stdin, in input order, with --jobs; lookup through GLOSS_PLUGIN_PATH.
python3 - "$tmp/docs.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i in range(600):
        text = ("\U0001F600" * (i % 5)) + f"doc {i}: санкции and a truce" if i % 3 else "nothing here"
        f.write(json.dumps({"id": f"d{i}", "dct": None, "text": text}, ensure_ascii=False) + "\n")
        if i == 7:
            f.write("\n")  # blank lines are skipped
PY
checks=$((checks + 1))
GLOSS_PLUGIN_PATH="/nonexistent:$GLOSS_PLUGIN_DIR" "$GLOSS" $A --plugin example --jobs 3 - < "$tmp/docs.jsonl" > "$tmp/out" 2> "$tmp/err" ||
    fail "stdin run: $(cat "$tmp/err")"
json_check '[l["id"] for l in lines] == [f"d{i}" for i in range(600)]'
json_check 'all(len(l["annotations"]) == (2 if int(l["id"][1:]) % 3 else 0) for l in lines)'
json_check 'lines[4]["annotations"][0]["start"] == 4 + 7 and lines[4]["annotations"][1]["start"] == 4 + 7 + 14'

# --config: the plugin's own word list.
printf 'kyiv\tkiev\n' > "$tmp/words.txt"
printf 'Kiev, not Kievan.' > "$tmp/k.txt"
run 0 "$GLOSS" $A --plugin "$GLOSS_PLUGIN_DIR/example/example.so" --config "{\"list\": \"$tmp/words.txt\"}" "$tmp/k.txt"
json_check 'len(lines[0]["annotations"]) == 1 and lines[0]["annotations"][0]["value"] == "kyiv"'

# A misbehaving plugin by path: good spans kept, bad ones dropped and reported.
printf 'h\303\251llo w\303\266rld \360\237\230\200' > "$tmp/bad.txt"
run 0 "$GLOSS" $A --plugin "$GLOSS_TEST_PLUGIN_DIR/bad_spans/bad_spans.so" "$tmp/bad.txt"
expect_err "12 spans of plugin:bad_spans@0.0.1 dropped"
expect_err "span [0,23) (bytes) dropped: outside the text (18 bytes)"
json_check '[(a["layer"], a["start"], a["end"], a["text"], a.get("score")) for a in lines[0]["annotations"]] == [("test", 0, 5, "héllo", None), ("other", 12, 13, "\U0001F600", 0.5)]'
json_check 'lines[0]["annotations"][0]["k"] == 1 and lines[0]["annotations"][0]["attributes"] == {"k": 1}'

# A plugin that fails on one document: the others are analysed, exit 1.
printf '{"id":"ok1","text":"fine"}\n{"id":"bad","text":"will FAIL"}\n{"id":"ok2","text":"\\u00e9t\\u00e9"}\n' > "$tmp/f.jsonl"
run 1 "$GLOSS" $A --plugin failing_analyze --plugins "$GLOSS_TEST_PLUGIN_DIR" "$tmp/f.jsonl"
expect_err "document bad: document bad says FAIL"
expect_err "the plugin failed on 1 of 3 documents"
json_check '[l["id"] for l in lines] == ["ok1", "bad", "ok2"] and lines[1]["error"] == "document bad says FAIL" and lines[2]["annotations"][0]["end"] == 1'

# Plugins that do not load.
run 1 "$GLOSS" $A --plugin "$GLOSS_TEST_PLUGIN_DIR/bad_abi/bad_abi.so" "$tmp/a.txt"
expect_err "abi_version 7, expected 1"
run 1 "$GLOSS" $A --plugin failing_open --plugins "$GLOSS_TEST_PLUGIN_DIR" "$tmp/a.txt"
expect_err "open() failed"
run 1 "$GLOSS" $A --plugin nosuch --plugins "$GLOSS_PLUGIN_DIR" "$tmp/a.txt"
expect_err "no plugin nosuch.so in $GLOSS_PLUGIN_DIR"

# Bad input: file and line named, exit 1.
printf 'ok \355\240\200 surrogate' > "$tmp/u.txt"
run 1 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" "$tmp/u.txt"
expect_err "$tmp/u.txt: invalid UTF-8 at byte 3"
printf '{"id":"x","text":"a"}\n{"id":"y","text":}\n' > "$tmp/j.jsonl"
run 1 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" "$tmp/j.jsonl"
expect_err "$tmp/j.jsonl:2: bad JSON: line 1, column 18: expected a value"
printf '{"id":"x"}\n' > "$tmp/m.jsonl"
run 1 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" "$tmp/m.jsonl"
expect_err "$tmp/m.jsonl:1: \"text\" must be a string"
printf '{"id":"x","text":"caf\303"}\n' > "$tmp/v.jsonl"
run 1 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" "$tmp/v.jsonl"
expect_err "$tmp/v.jsonl:1: bad JSON: line 1, column 22: invalid UTF-8 in string"
run 1 "$GLOSS" $A --plugin example --plugins "$GLOSS_PLUGIN_DIR" "$tmp/missing.txt"
expect_err "cannot open $tmp/missing.txt"

# Usage errors: exit 2.
run 2 "$GLOSS" $A "$tmp/a.txt"
run 2 "$GLOSS" $A --plugin example --jobs 0 "$tmp/a.txt"
run 2 "$GLOSS" $A --plugin example --dct 2024-13-01 "$tmp/a.txt"
run 2 "$GLOSS" $A --plugin example --bogus "$tmp/a.txt"
run 0 "$GLOSS" $A --help
grep -q "GLOSS_PLUGIN_PATH" "$tmp/out" || fail "--help does not explain the lookup"

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
