#!/bin/sh
# Long fuzzing runs of every libFuzzer target (tests/fuzz), one after the
# other, each on a scratch copy of its seed corpus. Prints one line per
# target: executions, seconds, executions per second, and what was found
# (crash, leak, timeout, out-of-memory; the input is kept in OUT/found/).
#
#   sh bench/fuzz.sh [TARGET...]
#
# FUZZ_RUNS        executions per target (default 10000000)
# FUZZ_MAX_TIME    also stop a target after this many seconds (default: none)
# FUZZ_WORKERS     libFuzzer -fork=N: N processes per target (default 1; the total
#                  then stops near FUZZ_RUNS, not exactly at it)
# FUZZ_OUT         build and scratch directory (default build-fuzz-bench)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${FUZZ_RUNS:-10000000}
out=${FUZZ_OUT:-$top/build-fuzz-bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)
sh "$top/tests/fuzz/build.sh" "$out/bin" "$@" || exit 1
[ $# -gt 0 ] || set -- $(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')

# The file targets (profile, appcfg) write a scratch file per run.
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=/dev/shm && export TMPDIR
mkdir -p "$out/found"

# fuzz_one TARGET: runs it; its log is OUT/TARGET.log.
fuzz_one() {
	work="$out/corpus/$1"
	mkdir -p "$work"
	cp -n "$top/tests/fuzz/corpus/$1"/* "$work"/ 2>/dev/null
	set -- "$1" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/found/$1-"
	[ -n "${FUZZ_MAX_TIME:-}" ] && set -- "$@" -max_total_time="$FUZZ_MAX_TIME"
	[ "${FUZZ_WORKERS:-1}" -gt 1 ] && set -- "$@" -fork="$FUZZ_WORKERS" -ignore_crashes=0
	t=$1
	shift
	"$out/bin/$t" "$@" "$work" >"$out/$t.log" 2>&1
}

status=0
printf '%-20s %12s %8s %10s  %s\n' target executions seconds exec/s found
for t in "$@"; do
	started=$(date +%s)
	fuzz_one "$t"
	rc=$?
	secs=$(($(date +%s) - started))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
	# -fork reports its total differently (and stops near, not at, -runs).
	[ -n "$execs" ] || execs=$(sed -n 's/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$out/$t.log" | tail -1)
	persec=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
	found=$(grep -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*\|ERROR: libFuzzer: [a-z-]*\|fuzz property failed' \
		"$out/$t.log" | head -1)
	if [ $rc -ne 0 ] || [ -n "$found" ]; then
		status=1
		found="${found:-exit $rc} (see $out/$t.log)"
	fi
	printf '%-20s %12s %8s %10s  %s\n' "$t" "${execs:-?}" "${secs:-?}" "${persec:-?}" "${found:-none}"
done
exit $status
