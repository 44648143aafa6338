#!/bin/sh
# test_roles_doc.sh - the role table cannot drift: docs/roles.md (for
# people), tests/data/roles.tsv (read by test_roles.c, which calls every
# cell against glossd) and the services in proto/gloss/v1 must agree row
# for row.  Usage: test_roles_doc.sh SOURCE_ROOT
set -eu
root=${1:?usage: test_roles_doc.sh SOURCE_ROOT}
doc=$root/docs/roles.md
tsv=$root/tests/data/roles.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# The table between the markers, as "method<TAB>none<TAB>...<TAB>admin".
awk '/<!-- roles-table:begin/{on=1; next} /<!-- roles-table:end/{on=0}
  on && /^\|/ {
    n = split($0, f, "|"); line = ""
    for (i = 2; i < n; i++) { c = f[i]; gsub(/[` ]/, "", c); line = line (i > 2 ? "\t" : "") c }
    print line
  }' "$doc" | grep -v -e '^Method' -e '^---' > "$tmp/doc" || true
grep -v '^#' "$tsv" | tail -n +2 > "$tmp/tsv"
head="$(grep -v '^#' "$tsv" | head -n 1)"
if [ "$head" != "$(printf 'method\tnone\tviewer\tannotator\tcurator\tmanager\tadmin')" ]; then
	echo "FAIL: roles.tsv header is \"$head\""
	fail=1
fi
if [ ! -s "$tmp/doc" ]; then
	echo "FAIL: no role table between the roles-table markers in $doc"
	fail=1
fi
# Same rows in the same order, and only yes/no cells.
if ! diff -u "$tmp/tsv" "$tmp/doc"; then
	echo "FAIL: docs/roles.md and tests/data/roles.tsv disagree (diff above: - tsv, + doc)"
	fail=1
fi
bad=$(awk -F'\t' 'NF != 7 { print "row " NR ": " NF " columns"; next }
  { for (i = 2; i <= 7; i++) if ($i != "yes" && $i != "no") print "row " NR ": cell \"" $i "\"" }' "$tmp/tsv")
if [ -n "$bad" ]; then
	echo "FAIL: roles.tsv: $bad"
	fail=1
fi
# Every rpc of every service in the protos has exactly one row.
awk '/^service /{s=$2} /^[ \t]*rpc /{m=$2; sub(/\(.*/, "", m); print s "/" m}' \
	"$root"/proto/gloss/v1/*.proto | sort > "$tmp/proto"
cut -f1 "$tmp/tsv" | sort > "$tmp/rows"
if ! diff -u "$tmp/proto" "$tmp/rows"; then
	echo "FAIL: the methods of proto/gloss/v1 and the rows of roles.tsv differ (- proto, + tsv)"
	fail=1
fi
dups=$(uniq -d "$tmp/rows")
if [ -n "$dups" ]; then
	echo "FAIL: roles.tsv repeats $dups"
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	echo "0 passed, 1 failed"
	exit 1
fi
echo "ok roles_doc_matches_tsv ($(wc -l < "$tmp/rows") methods)"
echo "1 passed, 0 failed"
