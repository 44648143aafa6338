#!/usr/bin/env bash
# The README's "test" command: builds gloss and runs the whole suite (unit,
# plugin, integration), then once more under AddressSanitizer and
# UndefinedBehaviorSanitizer unless GLOSS_TEST_NO_SANITIZE=1.  The last line
# is "N passed, N failed", counting meson tests of both builds.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh || exit 1

passed=0
failed=0

run_suite() { # build-dir meson-options...
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || return 1
  fi
  meson compile -C "$dir" >/dev/null || { meson compile -C "$dir"; return 1; }
  meson test -C "$dir" --print-errorlogs --num-processes 2 "${GLOSS_TEST_ARGS[@]}"
  local log="$dir/meson-logs/testlog.json"
  local counts
  counts=$(python3 - "$log" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("result") in ("OK", "EXPECTEDFAIL"):
        ok += 1
    else:          # FAIL, TIMEOUT, SKIP and errors all count as failures
        bad += 1
print(ok, bad)
PY
)
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

GLOSS_TEST_ARGS=("$@")
run_suite build-test --buildtype=debugoptimized || failed=$((failed + 1))
if [ "${GLOSS_TEST_NO_SANITIZE:-0}" != 1 ]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan --buildtype=debug -Dsanitize_all=true -Dbenchmarks=false || failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
