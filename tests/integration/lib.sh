# lib.sh - what the shell integration tests share: a temp dir, check
# counters and assertions that print "ok NAME" / "FAIL NAME", starting and
# stopping glossd, and the closing "N passed, N failed" line.
# Source it after setting GLOSSD and GLOSS; call gl_finish at the end.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gloss-it.XXXXXX")
passed=0
failed=0
glossd_pid=

gl_cleanup() {
	if [ -n "$glossd_pid" ] && kill -0 "$glossd_pid" 2>/dev/null; then
		kill -KILL "$glossd_pid" 2>/dev/null
		wait "$glossd_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap gl_cleanup EXIT

ok() { echo "ok $1"; passed=$((passed + 1)); }
bad() {
	echo "FAIL $1: $2"
	[ -s "$tmp/out" ] && sed 's/^/    out: /' "$tmp/out" | head -20
	[ -s "$tmp/err" ] && sed 's/^/    err: /' "$tmp/err" | head -20
	failed=$((failed + 1))
}
# run NAME WANT_STATUS gloss-args...: stdout to $tmp/out, stderr to $tmp/err.
run() {
	local name=$1 want=$2
	shift 2
	"$GLOSS" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want"; fi
}
out_has() { if grep -qF -- "$2" "$tmp/out"; then ok "$1"; else bad "$1" "stdout lacks \"$2\""; fi; }
out_lacks() { if grep -qF -- "$2" "$tmp/out"; then bad "$1" "stdout has \"$2\""; else ok "$1"; fi; }
err_has() { if grep -qF -- "$2" "$tmp/err"; then ok "$1"; else bad "$1" "stderr lacks \"$2\""; fi; }
# eq NAME GOT WANT
eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got \"$2\", want \"$3\""; fi; }
# The first "KEY":NUMBER / "KEY":"STRING" of the last run's stdout (compact JSON).
json_num() { grep -o "\"$1\":-\?[0-9]*" "$tmp/out" | head -n 1 | cut -d: -f2; }
json_str() { grep -o "\"$1\":\"[^\"]*\"" "$tmp/out" | head -n 1 | cut -d'"' -f4; }
file_has() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "$2 lacks \"$3\""; fi; }

# gl_start_glossd LOG URL-TO-WAIT-ON glossd-args...: starts glossd in the
# background and waits (up to 60 s) until Health answers on the URL.
gl_start_glossd() {
	local log=$1 url=$2
	shift 2
	"$GLOSSD" "$@" >"$log" 2>&1 &
	glossd_pid=$!
	for _ in $(seq 1 600); do
		"$GLOSS" --url "$url" --timeout 1000 health >/dev/null 2>&1 && return 0
		kill -0 "$glossd_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL glossd did not come up on $url"
	sed 's/^/    glossd: /' "$log"
	return 1
}

gl_stop_glossd() {
	[ -n "$glossd_pid" ] || return 0
	kill -TERM "$glossd_pid" 2>/dev/null
	wait "$glossd_pid"
	local rc=$?
	glossd_pid=
	return $rc
}

gl_finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
