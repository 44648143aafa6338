#!/bin/sh
# bench/run.sh - builds (if needed) and runs every benchmark under bench/:
# the core ones (bench/core: RPC, batch create, group commit, RSS, analysis
# jobs) and each plugin's (bench/actors, bench/dates, bench/sentiment, when
# they exist), printing every figure.  Figures are never asserted on; the
# exit status only says whether every benchmark ran.
#
# Usage: bench/run.sh [--quick] [--build DIR] [--only NAME]...
#   --quick      smaller sizes (each benchmark's own --quick), ~1 minute
#   --build DIR  meson build folder (default: $BUILD, else <repo>/build);
#                set up with `meson setup` when it does not exist yet
#   --only NAME  run only bench_NAME (repeatable): rpc, batch, commit, rss,
#                jobs, actors, dates, sentiment
# Environment: GLOSS_BENCH_DIR puts the temporary data folders on another
# disk (default $TMPDIR or /tmp); GLOSSD overrides the glossd binary.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$repo/build}
quick=
only=

usage() {
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
	exit "$1"
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=--quick ;;
	--build) [ $# -ge 2 ] || usage 2; build=$2; shift ;;
	--only) [ $# -ge 2 ] || usage 2; only="$only bench_$2"; shift ;;
	-h|--help) usage 0 ;;
	*) echo "bench/run.sh: unknown argument '$1'" >&2; usage 2 ;;
	esac
	shift
done

core="bench_rpc bench_batch bench_commit bench_rss bench_jobs"
plugins="actors dates sentiment"

wanted() { # wanted NAME: is bench NAME selected?
	[ -z "$only" ] && return 0
	case " $only " in *" $1 "*) return 0 ;; esac
	return 1
}

# The benchmarks to build and run, as "path-in-build-dir" words.
benches=
for b in $core; do
	[ -f "$repo/bench/core/$b.c" ] && wanted "$b" && benches="$benches bench/core/$b"
done
for p in $plugins; do
	[ -f "$repo/bench/$p/meson.build" ] && wanted "bench_$p" &&
		benches="$benches bench/$p/bench_$p"
done
if [ -z "$benches" ]; then
	echo "bench/run.sh: no benchmark selected" >&2
	exit 2
fi

if [ ! -f "$build/build.ninja" ]; then
	echo "== meson setup $build"
	meson setup "$build" "$repo" || exit 1
fi
# A bench folder added since the last setup is not a ninja target yet.
have=$(ninja -C "$build" -t targets all 2>/dev/null)
for b in $benches; do
	if ! printf '%s\n' "$have" | grep -q "^$b:"; then
		echo "== meson setup --reconfigure $build (new benchmark $b)"
		meson setup --reconfigure "$build" "$repo" >/dev/null || exit 1
		break
	fi
done
echo "== building$benches"
# -k 0: a half-written file elsewhere in the tree must not stop the others.
if ! ninja -C "$build" -k 0 daemon/glossd plugins/example/example.so \
	plugins/example/data/keywords.txt $benches \
	>"$build/bench-build.log" 2>&1; then
	echo "bench/run.sh: some targets failed to build (see $build/bench-build.log);" \
		"running the binaries that exist" >&2
	grep -E 'FAILED|error:' "$build/bench-build.log" | head -10 >&2
fi

failed=
start=$(date +%s)
for b in $benches; do
	name=${b##*/}
	echo
	echo "== $name $quick"
	if [ ! -x "$build/$b" ]; then
		echo "$name: not built" >&2
		failed="$failed $name"
		continue
	fi
	t0=$(date +%s)
	if ! "$build/$b" $quick; then
		failed="$failed $name"
	fi
	echo "($name took $(( $(date +%s) - t0 )) s)"
done

echo
echo "== all benchmarks took $(( $(date +%s) - start )) s"
if [ -n "$failed" ]; then
	echo "bench/run.sh: failed to run:$failed" >&2
	exit 1
fi
exit 0
